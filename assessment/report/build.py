"""engagement.yaml -> executed notebook (papermill) -> HTML (nbconvert) -> PDF (WeasyPrint).

The one function a batch, a scheduler or the CLI calls per client. Outputs land in
``<out>/<slug>/`` and appear only when complete; a failed run leaves the previous
outputs as they were.
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ..errors import AssessmentError, InvalidInput, NotebookFailed, Problem
from ..engagement import engagement_file
from .execute import Kernel, run_notebook

# The YAML, validation, nbconvert and WeasyPrint modules are imported inside the functions,
# after the kernel has been spawned: it boots on the other core while they load.

from ..resources import NOTEBOOKS  # noqa: E402  (package data; tests and firms may point elsewhere)
FORMATS = ("pdf", "html", "ipynb", "pptx", "xlsx")   # pptx: the readout's editable deck; xlsx: its action plan
PRELOAD = {"readout": ("assessment.report.readout", "pandas"), "scorecard": ("assessment.report.scorecard", "pandas")}


@dataclass(frozen=True)
class BuildRequest:
    """What to build for one client: everything :func:`run` needs, as plain data (JSON both ways)."""

    engagement: str
    out: str = "reports"
    kind: str = "readout"
    formats: tuple[str, ...] = FORMATS
    checklist: str | None = None
    branding: str | None = None
    parameters: dict | None = None
    timeout: int | None = 600
    notebooks: str | None = None
    check_only: bool = False  # check the inputs and where the outputs would go; build nothing

    def to_dict(self) -> dict:
        return {**asdict(self), "formats": list(self.formats)}

    @classmethod
    def from_dict(cls, data: dict) -> "BuildRequest":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if isinstance(values.get("formats"), str):
            values["formats"] = parse_formats(values["formats"])
        elif "formats" in values:
            values["formats"] = tuple(values["formats"])
        return cls(**values)


@dataclass
class Built:
    """What a build produced: the client, its output folder's slug and the files written."""

    client: str
    slug: str
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    blocked_urls: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # for the consultant (a draft readout, say)

    def to_dict(self) -> dict:
        return {"client": self.client, "slug": self.slug, "seconds": round(self.seconds, 2),
                "outputs": {k: str(v) for k, v in self.outputs.items()}, "blocked_urls": list(self.blocked_urls),
                "warnings": list(self.warnings)}


def run(request: BuildRequest) -> Built:
    """Carry out one :class:`BuildRequest` (the entry point for batches and schedulers)."""
    if request.check_only:
        return check(request)
    return build(request.engagement, request.out, request.formats, request.checklist, request.branding,
                 kind=request.kind, parameters=request.parameters, timeout=request.timeout,
                 notebooks=request.notebooks)


def check(request: BuildRequest) -> Built:
    """Load and check a request's inputs as a build would, and name its output folder; write nothing."""
    from ..engagement import load
    from ..inputs import check_inputs
    from ..outputs import client_id, output_dir, owner_of
    from .branding import load_branding

    started = time.perf_counter()
    path = engagement_file(request.engagement)
    eng = load(path, request.checklist)
    load_branding(request.branding)
    csv_problems = check_inputs(path, request.checklist)
    if any(p.is_error for p in csv_problems):
        raise InvalidInput(csv_problems)
    owner = owner_of(path, eng.client.name, client_id(eng))
    output_dir(Path(request.out), owner)
    return Built(eng.client.name, owner.slug, seconds=time.perf_counter() - started)


class BuildTimedOut(AssessmentError):
    """The whole build (notebook, HTML and PDF) ran past its ``timeout``."""

    def __init__(self, client: str, seconds: int):
        self.client, self.seconds = client, seconds
        super().__init__(f"timed out after {seconds} s: the build for {client!r} was stopped; its previous "
                         "outputs are kept as they were (raise --timeout if the data is large)")


@contextlib.contextmanager
def deadline(seconds: int | None, client: str):
    """Raise :class:`BuildTimedOut` in this thread once ``seconds`` have passed (main thread, Unix).

    Covers every stage, the PDF included. Elsewhere (a worker thread) only the notebook's
    cell timeout applies, and a batch still kills a build that runs past its time.
    """
    usable = seconds and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not usable:
        yield
        return

    def expired(signum, frame):
        raise BuildTimedOut(client, seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _warm_renderers() -> None:
    """Import WeasyPrint and compile the HTML template (about a second) in the background."""
    from .html import warm

    try:
        import weasyprint  # noqa: F401

        warm()
    except Exception:  # a real problem will surface, with its message, when they are used
        pass


def parse_formats(text: str, allowed: tuple[str, ...] = FORMATS) -> tuple[str, ...]:
    chosen = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in chosen if f not in allowed]
    if bad or not chosen:
        raise InvalidInput([Problem("--format", "--format", f"a comma-separated list of {', '.join(allowed)}",
                                    ", ".join(bad) or "nothing")])
    return chosen


def build(engagement: str | Path, out_root: str | Path = "reports", formats: tuple[str, ...] = FORMATS,
          checklist: str | Path | None = None, branding: str | Path | None = None, kind: str = "readout",
          parameters: dict | None = None, timeout: int | None = 600, notebooks: str | Path | None = None) -> Built:
    """Build one client's report. Raises InvalidInput, NotebookFailed or BuildTimedOut; never leaves partial files.

    ``timeout`` bounds the whole build, PDF included.
    """
    started = time.perf_counter()
    path = engagement_file(engagement)
    source = Path(notebooks or NOTEBOOKS) / f"{kind}.ipynb"
    if kind == "scorecard":   # the month reviewed is settled here: it names the files
        from ..reviews import resolve_month

        parameters = {**(parameters or {})}
        parameters["month"] = resolve_month(path, parameters.get("month") or "")
    # The kernel boots in its own process (about a second, with the imports it preloads)
    # while every input is checked below; an invalid input kills it before any cell runs.
    kernel = Kernel(path.parent, preload=PRELOAD.get(kind, ())) if path.parent.is_dir() else None
    try:
        from ..engagement import load

        eng = load(path, checklist)
        if not source.is_file():
            raise InvalidInput([Problem(str(source), "--notebooks", f"a folder holding {kind}.ipynb",
                                        "no such notebook")])
        with deadline(timeout, eng.client.name):
            return _build(path, eng, source, kernel, out_root, formats, checklist, branding, kind, parameters,
                          timeout, started)
    finally:
        if kernel is not None:
            kernel.shutdown()


def _build(path: Path, eng, source: Path, kernel, out_root, formats, checklist, branding, kind, parameters, timeout,
           started: float) -> Built:
    import nbformat

    from ..fileio import atomic_write_text, folder_lock, remove_stale_temp
    from ..inputs import check_inputs
    from ..outputs import check_owner, client_id, output_dir, owner_of, staged
    from .branding import load_branding
    from .html import to_html
    from .pdf import write_pdf

    if "pptx" in formats and kind != "readout":
        raise InvalidInput([Problem("--format", "--format", "pptx only for a readout (the deck is the readout's)",
                                    f"pptx for a {kind}")])
    if "xlsx" in formats and kind != "readout":
        raise InvalidInput([Problem("--format", "--format", "xlsx only for a readout (the action plan is the readout's)",
                                    f"xlsx for a {kind}")])
    brand = load_branding(branding)          # a bad branding file fails before the notebook runs

    csv_problems = check_inputs(path, checklist)  # and broken kpis.csv / contacts.csv / responses
    if any(p.is_error for p in csv_problems):
        raise InvalidInput(csv_problems)
    owner = owner_of(path, eng.client.name, client_id(eng))
    out_dir = output_dir(Path(out_root), owner)
    stem = output_stem(owner.slug, kind, (parameters or {}).get("month", ""))
    params = {"engagement": str(path), "checklist": str(Path(checklist).resolve()) if checklist else "",
              "branding": str(Path(branding).resolve()) if branding else "", **(parameters or {})}
    warm = threading.Thread(target=_warm_renderers, daemon=True)  # import them while the kernel works
    warm.start()
    with folder_lock(out_dir):  # one build per client folder at a time
        check_owner(out_dir, owner)
        remove_stale_temp([out_dir])  # what a killed build of this client left behind
        with staged(out_dir, owner) as stage:
            try:
                executed = run_notebook(source, stage.path / f"{stem}.ipynb", params, eng.client.name,
                                        timeout=timeout, kernel=kernel)
            except NotebookFailed as exc:  # keep the failed notebook where the consultant looks for it
                exc.executed_notebook = _keep_failed(stage, out_dir, exc.executed_notebook)
                raise
            warm.join()
            built = Built(eng.client.name, owner.slug)
            nb = nbformat.read(str(executed), as_version=4)
            html = to_html(nb, extra_css=brand.css())
            names = []
            if kind == "readout":  # the facts file: the contract for decks, action plans and roll-ups
                from ..facts import facts_from_notebook, to_json

                facts = facts_from_notebook(nb)
                if facts is None:
                    raise InvalidInput([Problem(str(source), "notebook", "a readout notebook that glues its facts "
                                                "(a cell displaying readout.glue())", "no facts in the executed notebook")])
                atomic_write_text(stage.path / f"{stem}.json", to_json(facts))
                names.append(f"{stem}.json")
                built.warnings = _draft_warning(facts)
                if "pptx" in formats:  # the deck renders from the facts file alone
                    from ..deck import render_deck

                    render_deck(facts, stage.path / f"{stem}.pptx", template=brand.pptx_template, branding=brand)
                    names.append(f"{stem}.pptx")
                if "xlsx" in formats:  # the action plan, from the facts file alone
                    from ..action_plan import export_xlsx, file_name

                    export_xlsx(facts, stage.path / file_name(owner.slug))
                    names.append(file_name(owner.slug))
            if kind == "scorecard":   # the review's facts, when the notebook glues them (Scorecard.glue)
                import json

                from ..reviews import from_notebook

                review = from_notebook(nb)
                if review is not None:
                    atomic_write_text(stage.path / f"{stem}.json", json.dumps(review, ensure_ascii=False, indent=2))
                    names.append(f"{stem}.json")
            if "html" in formats:
                atomic_write_text(stage.path / f"{stem}.html", html)
                names.append(f"{stem}.html")
            if "pdf" in formats:
                _, built.blocked_urls = write_pdf(html, stage.path / f"{stem}.pdf")
                names.append(f"{stem}.pdf")
            if "ipynb" in formats:
                names.append(f"{stem}.ipynb")
            if kind == "readout" and "xlsx" in formats:
                built.warnings += _keep_edited_plan(out_dir, owner.slug)
            published = stage.publish(names, drop=[f"{stem}.failed.ipynb"])
            if kind == "readout" and "xlsx" in formats:
                _remember_plan(out_dir, owner.slug)
        for fmt_ in (*FORMATS, "json"):
            if f"{stem}.{fmt_}" in published:
                built.outputs[fmt_] = published[f"{stem}.{fmt_}"]
        if "xlsx" in formats and kind == "readout":
            from ..action_plan import file_name

            if file_name(owner.slug) in published:
                built.outputs["xlsx"] = published[file_name(owner.slug)]
        built.seconds = time.perf_counter() - started
        return built


def output_stem(slug: str, kind: str, month: str = "") -> str:
    """The name of a build's files: ``<slug>-readout``, or ``<slug>-service-review-YYYY-MM`` for the monthly
    review (one set of files per month, so October never replaces September)."""
    if kind == "scorecard":
        return f"{slug}-service-review-{month}" if month else f"{slug}-service-review"
    return f"{slug}-{kind}"


def _plan_stamp(out_dir: Path, slug: str) -> tuple[Path, Path]:
    from ..action_plan import file_name

    return out_dir / file_name(slug), out_dir / f".{file_name(slug)}.sha256"


def _keep_edited_plan(out_dir: Path, slug: str) -> list[str]:
    """The action plan is the one output a client edits: when the copy in the folder is not the one this
    tool wrote last, keep it in .backups/ before a new one replaces it, and say where."""
    import hashlib

    from ..fileio import backup

    plan, stamp = _plan_stamp(out_dir, slug)
    if not plan.is_file():
        return []
    written = stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else ""
    if hashlib.sha256(plan.read_bytes()).hexdigest() == written:
        return []
    kept = backup(plan)
    return [f"{plan.name} had been edited since it was written; the edited copy is kept at {kept} "
            f"(bring its changes in with `assessment actions import ENGAGEMENT {kept}`)"]


def _remember_plan(out_dir: Path, slug: str) -> None:
    import hashlib

    from ..fileio import atomic_write_text

    plan, stamp = _plan_stamp(out_dir, slug)
    if plan.is_file():
        atomic_write_text(stamp, hashlib.sha256(plan.read_bytes()).hexdigest() + "\n")


def _draft_warning(facts: dict) -> list[str]:
    """The facts' draft note, when the readout is a draft (it then carries a DRAFT watermark)."""
    note = (facts.get("scores") or {}).get("draft_note") or ""
    return [note + " Every page is marked DRAFT."] if note else []


def _keep_failed(stage, out_dir: Path, failed: str | None) -> str | None:
    """Move a failed notebook out of the stage into the client's folder (atomically)."""
    import os

    if not failed or not Path(failed).exists():
        return failed
    target = out_dir / Path(failed).name
    os.replace(failed, target)
    return str(target)


def build_workshop_pack(engagement: str | Path, out_root: str | Path = "reports", checklist: str | Path | None = None,
                        branding: str | Path | None = None, dimensions: tuple[str, ...] | None = None,
                        timeout: int | None = 600, blank: bool = False) -> Built:
    """Run the workshop notebook headless once per dimension and print one PDF for the facilitators.

    A first page with the agenda (timed per dimension), attendees to fill in and a decision log; then
    per item its question, evidence to look for, the six levels and the form's boxes (as-is, to-be,
    confidence, evidence seen, notes). ``blank`` prints no current answers (they anchor participants).
    """
    import nbformat

    from ..checklist import DIMENSIONS, load_checklist
    from ..model import CONFIDENCE_LEVELS
    from ..resources import TEMPLATES
    from ..workshop import agenda, end_of
    from ..engagement import load
    from ..fileio import folder_lock
    from ..outputs import check_owner, client_id, output_dir, owner_of, staged
    from .branding import load_branding
    from .html import to_html
    from .markup import render
    from .pdf import write_pdf

    started = time.perf_counter()
    path = engagement_file(engagement)
    eng = load(path, checklist)
    brand = load_branding(branding)
    owner = owner_of(path, eng.client.name, client_id(eng))
    out_dir = output_dir(Path(out_root), owner)
    params = {"engagement": str(path), "checklist": str(Path(checklist).resolve()) if checklist else "",
              "interactive": False, "blank": blank}
    chosen = tuple(dimensions or DIMENSIONS)
    cl = load_checklist(checklist)
    slots = agenda([(cl.title_of(d), len(cl.in_dimension(d))) for d in chosen])
    cover = str(render("pack_cover.html.j2", client=eng.client.name, outsourcer=eng.outsourcer.name,
                       date=eng.assessment.date, slots=slots, ends=end_of(slots), blank=blank,
                       attendee_rows=8, decision_rows=7, confidence_levels=CONFIDENCE_LEVELS))
    merged = nbformat.v4.new_notebook()
    merged.cells.append(nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": cover})]))
    name = f"{owner.slug}-workshop-pack{'-blank' if blank else ''}.pdf"
    built = Built(eng.client.name, owner.slug)
    with deadline(timeout, eng.client.name), folder_lock(out_dir):
        check_owner(out_dir, owner)
        with staged(out_dir, owner) as stage:
            for dim in chosen:
                executed = run_notebook(NOTEBOOKS / "workshop.ipynb", stage.path / f"{dim}.ipynb",
                                        {**params, "dimension": dim}, eng.client.name, cwd=path.parent,
                                        timeout=timeout)
                nb = nbformat.read(executed, as_version=4)
                merged.cells += [c for c in nb.cells if c.cell_type == "code" and c.outputs
                                 and not REMOVED & set(c.metadata.get("tags", []))]
            pack_css = (TEMPLATES / "readout" / "pack.css").read_text(encoding="utf-8")
            html = to_html(merged, extra_css=pack_css + brand.css())
            _, built.blocked_urls = write_pdf(html, stage.path / name)
            built.outputs["pdf"] = stage.publish([name])[name]
    built.seconds = time.perf_counter() - started
    return built


REMOVED = {"parameters", "injected-parameters", "remove-cell"}
