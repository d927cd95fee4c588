"""options.yaml -> executed options notebook (papermill) -> HTML -> PDF, plus ``<name>-options.json``.

The readout's machinery (:mod:`assessment.report.build`): a kernel started while the inputs are checked,
the whole build under one deadline, outputs staged and published together into the client's output
folder, which carries the same ownership marker as the readout's (:mod:`assessment.outputs`).
"""
from __future__ import annotations

import time
from pathlib import Path

from ..errors import InvalidInput, Problem
from ..resources import NOTEBOOKS
from . import build
from .build import Built, deadline
from .execute import Kernel, run_notebook

KIND = "options"
FORMATS = ("pdf", "html", "json", "ipynb")
PRELOAD = ("assessment.report.options",)


def parse_formats(text: str) -> tuple[str, ...]:
    return build.parse_formats(text, FORMATS)


def build_options(options: str | Path, out_root: str | Path = "reports", formats: tuple[str, ...] = FORMATS,
                  branding: str | Path | None = None, timeout: int | None = 600,
                  notebooks: str | Path | None = None) -> Built:
    """Build one client's options report. Raises InvalidInput, NotebookFailed or BuildTimedOut; never
    leaves partial files."""
    import nbformat

    from .. import options as options_file
    from ..fileio import folder_lock, remove_stale_temp
    from ..outputs import check_owner, output_dir, owner_of, staged
    from .branding import load_branding
    from .html import to_html
    from .options import from_notebook, write_json
    from .pdf import write_pdf

    started = time.perf_counter()
    path = options_file.options_file(options).resolve()
    source = Path(notebooks or NOTEBOOKS) / f"{KIND}.ipynb"
    kernel = Kernel(path.parent, preload=PRELOAD) if path.parent.is_dir() else None
    try:
        f = options_file.load(path)              # every problem at once, before anything runs
        if f.interval_profile:
            options_file.profile_for(path)       # a broken contacts.csv fails here, with its lines
        brand = load_branding(branding)
        if not source.is_file():
            raise InvalidInput([Problem(str(source), "--notebooks", f"a folder holding {KIND}.ipynb",
                                        "no such notebook")])
        owner = owner_of(path, f.client, f.client_id)
        out_dir = output_dir(Path(out_root), owner)
        stem = f"{owner.slug}-{KIND}"
        params = {"options": str(path), "branding": str(Path(branding).resolve()) if branding else ""}
        built = Built(f.client, owner.slug, warnings=[str(w) for w in f.warnings])
        with deadline(timeout, f.client), folder_lock(out_dir):
            check_owner(out_dir, owner)
            remove_stale_temp([out_dir])
            with staged(out_dir, owner) as stage:
                executed = run_notebook(source, stage.path / f"{stem}.ipynb", params, f.client, timeout=timeout,
                                        kernel=kernel)
                nb = nbformat.read(str(executed), as_version=4)
                names = []
                if "json" in formats:
                    data = from_notebook(nb)
                    if data is None:
                        raise InvalidInput([Problem(str(source), "notebook", "an options notebook that glues its "
                                                    "results (a cell displaying r.glue())", "no results")])
                    write_json(data, stage.path / f"{stem}.json")
                    names.append(f"{stem}.json")
                if "html" in formats or "pdf" in formats:
                    html = to_html(nb, template=KIND, extra_css=brand.css())
                    if "html" in formats:
                        from ..fileio import atomic_write_text

                        atomic_write_text(stage.path / f"{stem}.html", html)
                        names.append(f"{stem}.html")
                    if "pdf" in formats:
                        _, built.blocked_urls = write_pdf(html, stage.path / f"{stem}.pdf")
                        names.append(f"{stem}.pdf")
                if "ipynb" in formats:
                    names.append(f"{stem}.ipynb")
                published = stage.publish(names)
        for fmt_ in FORMATS:
            if f"{stem}.{fmt_}" in published:
                built.outputs[fmt_] = published[f"{stem}.{fmt_}"]
        built.seconds = time.perf_counter() - started
        return built
    finally:
        if kernel is not None:
            kernel.shutdown()
