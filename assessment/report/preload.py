"""Everything one build needs, imported once: what a batch worker's fork server preloads.

A batch forks each client's build from a warm server process (:mod:`assessment.batch`)
instead of starting a fresh interpreter. The fork is still a process of its own, with
its own kernel and nothing shared after it starts; it just skips about a second of
imports and template compiling per client. Importing this module does that work once.
It never raises: a fork server whose preload fails would die, and with it every build.
"""
from __future__ import annotations

import sys

try:
    import jupyter_client.manager  # noqa: F401
    import nbclient  # noqa: F401
    import nbformat  # noqa: F401
    import papermill  # noqa: F401
    import weasyprint  # noqa: F401

    from .. import batch, deck, errors, facts, inputs, outputs, process, validate, yamlio  # noqa: F401
    from . import build, execute, html, pdf  # noqa: F401

    html.warm()
    READY = True
except Exception as exc:  # each build then imports what it needs itself, and meets the problem there
    print(f"assessment: the batch fork server could not preload ({type(exc).__name__}: {exc}); "
          "builds will import it themselves", file=sys.stderr)
    READY = False
