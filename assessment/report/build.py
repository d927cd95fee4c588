"""engagement.yaml -> executed notebook (papermill) -> HTML (nbconvert) -> PDF (WeasyPrint).

The one function a batch, a scheduler or the CLI calls per client. Outputs land in
``<out>/<slug>/`` and appear only when complete; a failed run leaves the previous
outputs as they were.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidInput, Problem
from .execute import Kernel, run_notebook

# The YAML, validation, nbconvert and WeasyPrint modules are imported inside the functions,
# after the kernel has been spawned: it boots on the other core while they load.

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
FORMATS = ("pdf", "html", "ipynb")
PRELOAD = {"readout": ("assessment.report.readout", "pandas"), "scorecard": ("assessment.report.scorecard", "pandas")}


@dataclass
class Built:
    client: str
    slug: str
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    blocked_urls: list[str] = field(default_factory=list)


def _warm_renderers() -> None:
    """Import WeasyPrint and compile the HTML template (about a second) in the background."""
    from .html import warm

    try:
        import weasyprint  # noqa: F401

        warm()
    except Exception:  # a real problem will surface, with its message, when they are used
        pass


def parse_formats(text: str) -> tuple[str, ...]:
    chosen = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise InvalidInput([Problem("--format", "--format", f"a comma-separated list of {', '.join(FORMATS)}",
                                    ", ".join(bad) or "nothing")])
    return chosen


def output_dir(out_root: Path, slug: str) -> Path:
    root = out_root.resolve()
    target = (root / slug).resolve()
    if root not in target.parents:
        raise InvalidInput([Problem(str(out_root), "--out", "a client folder inside the output folder", str(target))])
    return target


def build(engagement: str | Path, out_root: str | Path = "reports", formats: tuple[str, ...] = FORMATS,
          checklist: str | Path | None = None, branding: str | Path | None = None, kind: str = "readout",
          parameters: dict | None = None, timeout: int | None = 600, notebooks: str | Path | None = None) -> Built:
    """Build one client's report. Raises InvalidInput or NotebookFailed; never leaves partial files."""
    started = time.perf_counter()
    path = Path(engagement).resolve()
    if path.is_dir():
        path = path / "engagement.yaml"
    source = Path(notebooks or NOTEBOOKS) / f"{kind}.ipynb"
    # The kernel boots in its own process (about a second, with the imports it preloads)
    # while every input is checked below; an invalid input kills it before any cell runs.
    kernel = Kernel(path.parent, preload=PRELOAD.get(kind, ())) if path.parent.is_dir() else None
    try:
        from ..checklist import load_checklist
        from ..validate import load_engagement

        cl = load_checklist(checklist)
        eng = load_engagement(path, cl)
        if not source.is_file():
            raise InvalidInput([Problem(str(source), "--notebooks", f"a folder holding {kind}.ipynb",
                                        "no such notebook")])
        return _build(path, eng, source, kernel, out_root, formats, checklist, branding, kind, parameters, timeout,
                      started)
    finally:
        if kernel is not None:
            kernel.shutdown()


def _build(path: Path, eng, source: Path, kernel, out_root, formats, checklist, branding, kind, parameters, timeout,
           started: float) -> Built:
    from ..cli import check_inputs
    from ..engagement import slugify
    from ..fileio import atomic_write_text, folder_lock
    from .branding import load_branding
    from .html import to_html
    from .pdf import write_pdf

    brand = load_branding(branding)          # a bad branding file fails before the notebook runs

    csv_problems = check_inputs(path)        # and broken kpis.csv / contacts.csv
    if any(p.is_error for p in csv_problems):
        raise InvalidInput(csv_problems)
    slug = slugify(eng.client.name)
    out_dir = output_dir(Path(out_root), slug)
    stem = f"{slug}-{kind}"
    params = {"engagement": str(path), "checklist": str(Path(checklist).resolve()) if checklist else "",
              "branding": str(Path(branding).resolve()) if branding else "", **(parameters or {})}
    warm = threading.Thread(target=_warm_renderers, daemon=True)  # import them while the kernel works
    warm.start()
    with folder_lock(out_dir):  # one build per client folder at a time
        executed = run_notebook(source, out_dir / f"{stem}.ipynb", params, eng.client.name,
                                timeout=timeout, kernel=kernel)
        warm.join()
        built = Built(eng.client.name, slug)
        html = to_html(executed, extra_css=brand.css())
        if "html" in formats:
            built.outputs["html"] = atomic_write_text(out_dir / f"{stem}.html", html)
        if "pdf" in formats:
            pdf, built.blocked_urls = write_pdf(html, out_dir / f"{stem}.pdf")
            built.outputs["pdf"] = pdf
        if "ipynb" in formats:
            built.outputs["ipynb"] = executed
        else:
            executed.unlink()
        built.seconds = time.perf_counter() - started
        return built


def build_workshop_pack(engagement: str | Path, out_root: str | Path = "reports", checklist: str | Path | None = None,
                        branding: str | Path | None = None, dimensions: tuple[str, ...] | None = None,
                        timeout: int | None = 600) -> Built:
    """Run the workshop notebooks headless and print them as one PDF: questions, levels, current answers."""
    import tempfile

    import nbformat

    from ..checklist import DIMENSIONS, load_checklist
    from ..engagement import slugify
    from ..validate import load_engagement
    from .branding import load_branding
    from .html import to_html
    from .markup import esc
    from .pdf import write_pdf

    started = time.perf_counter()
    path = Path(engagement).resolve()
    if path.is_dir():
        path = path / "engagement.yaml"
    cl = load_checklist(checklist)
    eng = load_engagement(path, cl)
    brand = load_branding(branding)
    slug = slugify(eng.client.name)
    out_dir = output_dir(Path(out_root), slug)
    params = {"engagement": str(path), "checklist": str(Path(checklist).resolve()) if checklist else "",
              "interactive": False}
    cover = (f'<section class="pack-cover"><div class="kicker">Workshop pack</div><h1>{esc(eng.client.name)}</h1>'
             f"<p>Integration with {esc(eng.outsourcer.name)} · assessment of "
             f"{esc(eng.assessment.date.strftime('%-d %B %Y'))}</p>"
             '<p class="muted">Bring this pack to the workshop. Current answers are printed under each item; '
             "write changes in the boxes and enter them in the workbook afterwards.</p>"
             f'<span class="running" style="string-set: client &quot;{esc(eng.client.name)}&quot;"></span></section>')
    merged = nbformat.v4.new_notebook()
    merged.cells.append(nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": cover})]))
    with tempfile.TemporaryDirectory(prefix=".pack-", dir=out_dir.parent if out_dir.parent.exists() else None) as tmp:
        for dim in dimensions or DIMENSIONS:
            executed = run_notebook(NOTEBOOKS / f"workshop-{dim}.ipynb", Path(tmp) / f"{dim}.ipynb", params,
                                    eng.client.name, cwd=path.parent, timeout=timeout)
            nb = nbformat.read(executed, as_version=4)
            merged.cells += [c for c in nb.cells if c.cell_type == "code" and c.outputs
                             and not REMOVED & set(c.metadata.get("tags", []))]
    html = to_html(merged, extra_css=brand.css())
    built = Built(eng.client.name, slug)
    pdf, built.blocked_urls = write_pdf(html, out_dir / f"{slug}-workshop-pack.pdf")
    built.outputs["pdf"] = pdf
    built.seconds = time.perf_counter() - started
    return built


REMOVED = {"parameters", "injected-parameters", "remove-cell"}
