"""The client readout, end to end: papermill runs the notebook for real, nbconvert and WeasyPrint render it.

The PDF's text is read back with pypdf and checked for what a client must (and must not) see.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

from assessment.report.build import build

from conftest import EXAMPLES

pytestmark = pytest.mark.slow

CLIENTS = {
    "harbour-lane-bank": "Harbour Lane Bank",
    "alpenrose-telecom": "Alpenrose Télécom AG",
    "kestrel-insurance": "Kestrel Insurance",
}
HEADINGS = ["Contents", "Executive summary", "Scope and method", "As-is and to-be", "People and structure",
            "Process", "Product and service", "Technology", "The relationship in numbers", "Prioritisation",
            "Roadmap", "Governance and next steps", "Appendix: the full checklist"]


def pdf_text(path) -> str:
    # pypdf decodes some CID fonts (Arabic, emoji fallbacks) as UTF-16 with NUL bytes: drop them
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages).replace("\x00", "")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    return {slug: build(EXAMPLES / slug / "engagement.yaml", out) for slug in CLIENTS}


@pytest.mark.parametrize("slug", list(CLIENTS))
def test_pdf_has_client_sections_and_no_code(built, slug):
    b = built[slug]
    assert b.outputs["pdf"].name == f"{slug}-readout.pdf"  # named by the engagement's folder
    # the facts file, the deck and the action plan travel with the readout since the builds write them (build.py)
    assert {".pdf", ".html", ".ipynb"} <= {p.suffix for p in b.outputs.values()} <= {".pdf", ".html", ".ipynb",
                                                                                     ".json", ".pptx", ".xlsx"}
    text = flat(pdf_text(b.outputs["pdf"]))
    assert CLIENTS[slug] in text
    for heading in HEADINGS:
        assert heading in text, heading
    for code in ("import ", "def ", "papermill", "Readout.load", "injected-parameters", "engagement ="):
        assert code not in text, code
    assert "Provenance: Generated" in text and "engagement file sha256" in text
    pages = len(PdfReader(str(b.outputs["pdf"])).pages)
    assert 10 <= pages <= 40, pages
    assert b.blocked_urls == []


@pytest.mark.parametrize("slug", list(CLIENTS))
def test_page_furniture(built, slug):
    reader = PdfReader(str(built[slug].outputs["pdf"]))
    n = len(reader.pages)
    last = flat(reader.pages[-1].extract_text())
    assert f"Page {n} of {n}" in last
    assert CLIENTS[slug] in flat(reader.pages[2].extract_text())      # running header
    contents = flat(reader.pages[1].extract_text())
    # the table of contents carries page numbers: "Executive summary ..... 3"
    assert re.search(r"Executive summary[ .]*\d+", contents), contents[:400]


@pytest.mark.parametrize("slug", list(CLIENTS))
def test_charts_are_embedded_as_vector_graphics(built, slug):
    reader = PdfReader(str(built[slug].outputs["pdf"]))
    forms = 0
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        forms += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Form")
    assert forms >= 5, forms   # radar, dumbbell, impact/effort, gantt, coverage or KPIs at least


@pytest.mark.parametrize("slug", list(CLIENTS))
def test_the_facts_are_glued_into_the_executed_notebook_and_never_shown(built, slug):
    """The build reads the facts JSON back out of the executed notebook; the client never sees it."""
    import json

    import jsonschema

    from assessment.facts import SCHEMA_ID, facts_from_notebook, schema

    b = built[slug]
    data = facts_from_notebook(b.outputs["ipynb"])
    assert data is not None and data["schema"] == SCHEMA_ID and data["client"]["name"] == CLIENTS[slug]
    jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(data)
    json.dumps(data)
    page = b.outputs["html"].read_text(encoding="utf-8")
    assert SCHEMA_ID not in page and "application/json" not in page and "r.glue()" not in page
    assert "outsourcing-readout/facts" not in flat(pdf_text(b.outputs["pdf"]))


def test_every_item_appears_in_the_heat_table_with_its_scores(built):
    import html as htmllib
    import re

    from assessment.analyses.scoring import score
    from assessment.checklist import load_checklist
    from assessment.validate import load_engagement

    b = built["alpenrose-telecom"]
    page = b.outputs["html"].read_text(encoding="utf-8")
    table = page[page.index('<table class="heat">'):]
    table = table[:table.index("</table>")]
    cl = load_checklist()
    scores = score(cl, load_engagement(EXAMPLES / "alpenrose-telecom" / "engagement.yaml", cl).checklist)
    rows = {m.group(1): [htmllib.unescape(v) for v in re.findall(r'<td class="v"[^>]*>([^<]*)</td>', m.group(0))]
            for m in re.finditer(r"<tr><td class=\"label\"><b>([A-Z]{3}-\d\d)</b>.*?</tr>", table)}
    assert len(rows) == len(scores.items) == 45
    for item in scores.items:
        if item.as_is is not None and item.to_be is not None:
            gap = f"{item.gap:+d}" if item.gap else "0"
            assert rows[item.id] == [str(item.as_is), str(item.to_be), gap], item.id
        else:
            assert "n/a" in rows[item.id] or "–" in rows[item.id], item.id


def test_reports_contain_only_their_own_client(built):
    for slug, b in built.items():
        others = [name for s, name in CLIENTS.items() if s != slug]
        for path in b.outputs.values():
            text = path.read_text(encoding="utf-8", errors="ignore") if path.suffix != ".pdf" else pdf_text(path)
            for other in others:
                assert other not in text, (slug, path.name, other)


def test_the_three_stories_differ(built):
    text = {slug: flat(pdf_text(b.outputs["pdf"])) for slug, b in built.items()}
    # new transition: the hand-off is too close for the telecom lines
    assert "Hand-off" in text["harbour-lane-bank"] and "45–60 days" in text["harbour-lane-bank"]
    # mature relationship: the renewal notice deadline is close
    assert "Renewal notice deadline 2026-12-15" in text["alpenrose-telecom"]
    # troubled relationship: an arm's-length vendor
    assert "arm's-length vendor" in text["kestrel-insurance"]
    assert "seamless extension" in text["alpenrose-telecom"]
    # and in numbers: over-staffing, an IT shortfall, no KPI history yet
    assert "over-staffing" in text["alpenrose-telecom"] and "Trim weekday opening from 07:00 to 08:00" in text[
        "alpenrose-telecom"]
    assert "3,000 registrations/day" in text["kestrel-insurance"] and "Extend weekday closing" in text[
        "kestrel-insurance"]
    # no KPI history yet: the readout says what to collect and why, in the client's words (not which file is missing)
    assert "Data to collect." in text["harbour-lane-bank"] and "Monthly KPI results from Meridian" in text[
        "harbour-lane-bank"]
    assert "kpis.csv" not in text["harbour-lane-bank"] and "Skipped analyses" not in text["harbour-lane-bank"]


@pytest.mark.parametrize("slug", list(CLIENTS))
def test_the_pdf_leads_with_the_facts_headline_decision(built, slug):
    """Page one after the contents prints the facts' headline decision, its date and its money; the facts file
    beside the PDF holds them."""
    import json

    pdf = built[slug].outputs["pdf"]
    data = json.loads(pdf.with_name(f"{slug}-readout.json").read_text(encoding="utf-8"))
    sm = data["summary"]
    page = flat(PdfReader(str(pdf)).pages[2].extract_text())
    assert "Executive summary" in page and "THE DECISION" in page.upper()
    assert flat(sm["headline"]) in page, (sm["headline"], page[:600])
    import datetime as dt

    assert dt.date.fromisoformat(sm["date"]).strftime("%-d %B %Y").upper() in page.upper()
    assert flat(sm["money"]) in page
    for step in sm["steps"]:
        assert flat(step["text"]) in page, step["text"]
    assert data["decisions"][0]["headline"] == sm["headline"]
    # the scores and tiles follow on the next page
    assert "Where the partnership stands" in flat(PdfReader(str(pdf)).pages[3].extract_text())


def test_unicode_renders(built):
    text = pdf_text(built["alpenrose-telecom"].outputs["pdf"])
    for s in ("Télécom", "Zoë Müller", "José Núñez", "Zürich", "✓"):
        assert s in text, s


HOSTILE = """\
client: {name: "<script>alert('x')</script> Evil & Co", industry: "{{ 7*7 }}"}
assessment: {date: 2026-11-02, consultants: ["\\\\input{/etc/passwd}"]}
outsourcer: {name: "<img src='file:///etc/passwd'>", services: [], sites: []}
checklist:
  PEO-01: {as_is: 1, to_be: 4, notes: "<link rel=stylesheet href='http://example.invalid/x.css'> {% for x in y %}", evidence: "<div style=\\"background:url(file:///etc/hostname)\\">bg</div>"}
  PEO-02: {as_is: 2, to_be: 5, notes: "[click](javascript:alert(1)) <iframe src='http://example.invalid'></iframe> مرحبا بالعالم 🚀", evidence: "$\\\\LaTeX$ \\\\write18{rm -rf /}"}
  PRC-01: {as_is: 0, to_be: 4, notes: "LONGNOTE", evidence: ""}
"""


def test_hostile_text_renders_literally_and_fetches_nothing(tmp_path):
    src = tmp_path / "evil" / "engagement.yaml"
    src.parent.mkdir()
    src.write_text(HOSTILE.replace("LONGNOTE", "overflow " * 12000), encoding="utf-8")
    b = build(src, tmp_path / "out")
    assert b.blocked_urls == []          # nothing was even attempted: the markup was escaped
    html = b.outputs["html"].read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src='file" not in html and "<iframe" not in html
    text = flat(pdf_text(b.outputs["pdf"]))
    assert "<script>alert('x')</script> Evil & Co" in text
    assert "{{ 7*7 }}" in text and "49" not in re.findall(r"\b49\b", "{{ 7*7 }}")
    assert "[truncated" in text          # the 100 KB note is cut with a marker
    assert len(PdfReader(str(b.outputs["pdf"])).pages) < 45


def test_broken_engagement_exit_1_and_no_pdf(tmp_path):
    bad = tmp_path / "bad" / "engagement.yaml"
    bad.parent.mkdir()
    bad.write_text('client: {name: ""}\nassessment: {date: 2026-02-30}\noutsourcer: {name: X}\n'
                   "checklist: {PEO-01: {as_is: 7}}\n", encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "assessment", "readout", str(bad), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    assert "client.name" in r.stderr and "assessment.date" in r.stderr and "PEO-01.as_is" in r.stderr
    assert not list(out.rglob("*.pdf")) if out.exists() else True


def test_failing_notebook_keeps_previous_pdf(tmp_path, monkeypatch):
    """A run that fails in a cell leaves the previous good PDF untouched and writes the failed notebook."""
    from assessment.errors import NotebookFailed
    from assessment.report import build as build_mod

    out = tmp_path / "out"
    first = build(EXAMPLES / "kestrel-insurance" / "engagement.yaml", out, formats=("pdf",))
    before = first.outputs["pdf"].read_bytes()
    nb_dir = tmp_path / "nb"
    nb_dir.mkdir()
    shutil.copy(build_mod.NOTEBOOKS / "readout.ipynb", nb_dir / "readout.ipynb")
    import nbformat
    nb = nbformat.read(nb_dir / "readout.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('boom in cell')"))
    nbformat.write(nb, nb_dir / "readout.ipynb")
    monkeypatch.setattr(build_mod, "NOTEBOOKS", nb_dir)
    with pytest.raises(NotebookFailed) as exc:
        build(EXAMPLES / "kestrel-insurance" / "engagement.yaml", out, formats=("pdf",))
    assert exc.value.error_name == "RuntimeError"
    assert first.outputs["pdf"].read_bytes() == before
    leftovers = [p.name for p in (out / "kestrel-insurance").iterdir() if p.name != ".assessment-client.json"]
    # the first build's facts file stays too (build.py writes it beside every readout)
    assert sorted(leftovers) == ["kestrel-insurance-readout.failed.ipynb", "kestrel-insurance-readout.json",
                                 "kestrel-insurance-readout.pdf"], leftovers


@pytest.mark.slow
def test_the_kernel_keeps_no_history_of_a_clients_cells(tmp_path):
    """IPython would otherwise log every cell (the client's paths and parameters) to a shared sqlite file."""
    import os

    ipython_dir = tmp_path / "ipython"
    env = dict(os.environ, IPYTHONDIR=str(ipython_dir))
    r = subprocess.run([sys.executable, "-m", "assessment", "readout", str(EXAMPLES / "kestrel-insurance"),
                        "--out", str(tmp_path / "out"), "--format", "ipynb"], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "kestrel-insurance" / "kestrel-insurance-readout.ipynb").is_file()
    for db in ipython_dir.rglob("*.sqlite"):
        assert b"kestrel" not in db.read_bytes().lower(), db


# --------------------------------------------------------------------------- edge wording and drafts
def _engagement(tmp_path, answers):
    """An engagement whose answers come from ``answers(index, item_id)``: (as_is, to_be) as YAML, None for
    null; or None: the item is unanswered."""
    from assessment.checklist import load_checklist

    from conftest import VALID_HEAD

    lines = [VALID_HEAD, "checklist:\n"]
    for n, item in enumerate(load_checklist().items):
        a = answers(n, item.id) or ("null", None)     # unanswered, as `assessment new` writes it
        lines.append(f"  {item.id}: {{as_is: {a[0]}, to_be: {'null' if a[1] is None else a[1]}}}\n")
    path = tmp_path / "client" / "engagement.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _load(path):
    from assessment.report.readout import Readout

    return Readout.load(str(path))


def test_all_zero_engagement_names_no_strongest_dimension(tmp_path):
    r = _load(_engagement(tmp_path, lambda n, i: (0, 3)))
    lead = flat(re.sub(r"<[^>]+>", "", r.executive_summary()))
    assert "strongest" not in lead
    assert "All four dimensions score 0.0" in lead, lead
    assert "widest gap" not in lead and "same gap" in lead, lead


def _lead(readout) -> str:
    """The executive summary's lead paragraph, as text."""
    page = readout.section("executive_summary")
    return flat(re.sub(r"<[^>]+>", "", re.search(r'<p class="lead">.*?</p>', page, re.S).group(0)))


def test_equal_dimensions_name_no_strongest_and_ties_are_shared(tmp_path):
    lead = _lead(_load(_engagement(tmp_path / "a", lambda n, i: (2, 4))))
    assert "strongest" not in lead and "All four dimensions score 2.0" in lead, lead
    # people and process both 3, product and technology 1: a shared first place, named as such
    top = {"PEO", "PRC"}
    lead = _lead(_load(_engagement(tmp_path / "b", lambda n, i: (3, 4) if i[:3] in top else (1, 4))))
    assert "Two dimensions are jointly the strongest (3.0): People and structure, and Process" in lead, lead
    # the usual case keeps its wording
    lead = _lead(_load(_engagement(tmp_path / "c", lambda n, i: (3, 4) if i.startswith("PEO") else (1, 4))))
    assert "People and structure is the strongest dimension (3.0)" in lead, lead


def test_is_draft_when_fewer_than_half_the_applicable_items_are_scored(tmp_path):
    from assessment.report.readout import is_draft

    unscored = _load(_engagement(tmp_path / "none", lambda n, i: None))
    assert is_draft(unscored.scores)
    few = _load(_engagement(tmp_path / "few", lambda n, i: (2, 3) if n < 22 else None))        # 22 of 45
    assert is_draft(few.scores)
    half = _load(_engagement(tmp_path / "half", lambda n, i: (2, 3) if n < 23 else None))      # 23 of 45
    assert not is_draft(half.scores)
    # n/a items are not applicable: 10 answered of 15 applicable is enough
    na = _load(_engagement(tmp_path / "na", lambda n, i: ('"n/a"', '"n/a"') if n < 30 else ((1, 2) if n < 40 else None)))
    assert not is_draft(na.scores)
    # half an answer (an as-is without its to-be) is not scored (scoring.is_answered)
    as_is_only = _load(_engagement(tmp_path / "asis", lambda n, i: (2, None) if n < 30 else None))
    assert is_draft(as_is_only.scores)
    every_na = _load(_engagement(tmp_path / "allna", lambda n, i: ('"n/a"', '"n/a"')))
    assert is_draft(every_na.scores)
    assert not is_draft(_load(EXAMPLES / "kestrel-insurance" / "engagement.yaml").scores)
    assert "not yet scored" in unscored.cover() and "DRAFT" in unscored.cover()
    assert "DRAFT" not in half.cover() and "draft" not in half.cover().lower()


def test_unscored_readout_is_watermarked_draft_on_every_page(tmp_path):
    b = build(_engagement(tmp_path, lambda n, i: None), tmp_path / "out", formats=("pdf",))
    reader = PdfReader(str(b.outputs["pdf"]))
    assert "not yet scored" in flat(reader.pages[0].extract_text())
    for n, page in enumerate(reader.pages):
        assert "DRAFT" in page.extract_text(), n
