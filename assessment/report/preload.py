"""Everything one build needs, imported once: what a batch worker's fork server preloads.

A batch forks each client's build from a warm server process (:mod:`assessment.batch`)
instead of starting a fresh interpreter. The fork is still a process of its own, with
its own kernel and nothing shared after it starts; it just skips about a second of
imports and template compiling per client. Importing this module does that work once.
"""
from __future__ import annotations

import jupyter_client.manager  # noqa: F401
import nbclient  # noqa: F401
import nbformat  # noqa: F401
import papermill  # noqa: F401

from .. import cli, commands, inputs, validate  # noqa: F401
from .. import yamlio  # noqa: F401
from . import build, execute, html, pdf  # noqa: F401

try:
    import weasyprint  # noqa: F401

    html.warm()
except Exception:  # a real problem surfaces, with its message, in the build that meets it
    pass
