"""The readout deck (assessment.deck): slides, native charts equal to the facts, notes, text that fits,
hostile text, confidentiality, a firm's template, the operating-model map (pptx and SVG)."""
from __future__ import annotations

import copy
import datetime as dt
import io
import json
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

pptx = pytest.importorskip("pptx")
from pptx import Presentation  # noqa: E402
from pptx.enum.shapes import MSO_SHAPE_TYPE  # noqa: E402
from pptx.util import Inches, Pt  # noqa: E402

from assessment import facts as facts_mod  # noqa: E402
from assessment.deck import fit, model_map, render  # noqa: E402
from assessment.deck.charts import from_excel  # noqa: E402
from assessment.errors import InvalidInput  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "engagements"
SLUGS = ("kestrel-insurance", "harbour-lane-bank", "alpenrose-telecom")
NAMES = {  # every example's own names: no deck may hold another client's
    "kestrel-insurance": ("Kestrel", "Apex Outsource"),
    "harbour-lane-bank": ("Harbour Lane", "Meridian Contact"),
    "alpenrose-telecom": ("Alpenrose", "Nordlicht"),
}
HOSTILE = '=HYPERLINK("http://evil.example/x","click") <script>alert(1)</script> & Ünïcødé'


@pytest.fixture(scope="session")
def example_facts() -> dict[str, dict]:
    """Each example's facts exactly as the facts file holds them (the JSON, read back)."""
    return {slug: json.loads(facts_mod.to_json(facts_mod.load(EXAMPLES / slug))) for slug in SLUGS}


def _open(data: bytes):
    return Presentation(io.BytesIO(data))


@pytest.fixture(scope="session")
def decks(example_facts) -> dict[str, bytes]:
    return {slug: render.deck_bytes(f) for slug, f in example_facts.items()}


def _charts(prs) -> dict[str, object]:
    out = {}
    for slide in prs.slides:
        for sh in slide.shapes:
            if getattr(sh, "has_chart", False) and sh.has_chart:
                out[sh.name] = sh.chart
    return out


def _series(chart) -> dict[str, list]:
    return {s.name: list(s.values) for plot in chart.plots for s in plot.series}


def _parts(data: bytes) -> dict[str, bytes]:
    """Every part of a package, the embedded workbooks opened too."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            blob = z.read(name)
            out[name] = blob
            if name.endswith(".xlsx"):
                for inner, ib in _parts(blob).items():
                    out[f"{name}!{inner}"] = ib
    return out


# --------------------------------------------------------------------------- the examples
@pytest.mark.parametrize("slug", SLUGS)
def test_example_deck_shape(decks, slug):
    prs = _open(decks[slug])
    n = len(prs.slides)
    assert render.MIN_SLIDES <= n <= render.MAX_SLIDES, n
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    for k, slide in enumerate(prs.slides, 1):
        assert slide.has_notes_slide, f"slide {k} has no notes"
        notes = slide.notes_slide.notes_text_frame.text.strip()
        assert len(notes) > 20, f"slide {k}: notes {notes!r}"
    layouts = {s.slide_layout.name for s in prs.slides}
    assert {"Title Slide", "Title and Content", "Two Content", "Section Header"} <= layouts


@pytest.mark.parametrize("slug", SLUGS)
def test_every_text_frame_fits(decks, slug):
    prs = _open(decks[slug])
    over = fit.overflows(prs, fit.FAMILY)
    assert not over, "\n".join(map(str, over))
    # every run names the deck's font and a size (so the measure is the truth)
    for n, sh in fit.frames(prs):
        if getattr(sh, "has_text_frame", False) and sh.has_text_frame:
            for p in sh.text_frame.paragraphs:
                for r in p.runs:
                    assert r.font.size is not None and r.font.name == fit.FAMILY, (n, sh.name, r.text)


@pytest.mark.parametrize("slug", SLUGS)
def test_charts_are_native_and_equal_the_facts(decks, example_facts, slug):
    f = example_facts[slug]
    prs = _open(decks[slug])
    for slide in prs.slides:     # no pictures of charts (the built-in look without a logo has no picture at all)
        assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    charts = _charts(prs)
    dims = f["scores"]["dimensions"]
    order = [d for d in render.DIMENSION_ORDER if d in dims]
    scores = _series(charts["chart scores"])
    assert scores["As-is (today)"] == [dims[d]["as_is"] for d in order] + [f["scores"]["overall"]["as_is"]]
    assert scores["To-be (target)"] == [dims[d]["to_be"] for d in order] + [f["scores"]["overall"]["to_be"]]
    assert list(charts["chart scores"].plots[0].categories) == [dims[d]["title"] for d in order] + ["Overall"]
    kpis = f["kpis"]
    if kpis:
        for s in kpis["series"]:
            got = _series(charts[f"chart kpi {s['kpi']}"])
            assert got["Actual"] == s["actual"]
            if s["band"]:
                assert got["Band low"] == [s["band"][0]] * len(s["months"])
                assert got["Band high"] == [s["band"][1]] * len(s["months"])
            else:
                assert got["Target"] == [s["target"]] * len(s["months"])
            for colour, name in (("green", "Met"), ("amber", "Within tolerance"), ("red", "Missed")):
                want = [a if st == colour else None for a, st in zip(s["actual"], s["status"])]
                assert got.get(name, [None] * len(want)) == want
    else:
        assert not [k for k in charts if k.startswith("chart kpi")]
    if f["coverage"]:
        hours = _series(charts["chart hours"])
        assert list(hours.values()) == f["coverage"]["profile"]
    amounts = [a for a in (f.get("business_case") or {}).get("amounts") or [] if isinstance(a.get("annual"), (int, float))]
    if amounts:
        assert list(_series(charts["chart business case"]).values()) == [[a["annual"] for a in amounts]]
    else:
        assert "chart business case" not in charts
    if f.get("workstreams"):
        return                                   # the roadmap chart shows the workstreams (tested with _rich)
    road = charts["chart roadmap"]
    cats = list(road.plots[0].categories)
    vals = _series(road)
    actions = {a["id"]: a for a in f["roadmap"]["actions"]}
    shown = 0
    for label, start, days in zip(cats, vals["Start"], vals["Days"]):
        if label.startswith("◆"):
            continue
        a = actions[label.rsplit("(", 1)[1].rstrip(")")]
        assert from_excel(start).isoformat() == a["start"]
        assert from_excel(start + days).isoformat() == a["end"]
        shown += 1
    assert shown == min(12, len(actions))
    deadline = f["contract"]["renewal"]["deadline"]
    notice = [s for c, s in zip(cats, vals["Start"]) if c.startswith("◆ Renewal notice")]
    if notice:
        assert from_excel(notice[0]).isoformat() == deadline


@pytest.mark.parametrize("slug", SLUGS)
def test_deck_holds_only_its_clients_names(decks, slug):
    parts = _parts(decks[slug])
    text = "\n".join(b.decode("utf-8", "replace") for b in parts.values())
    for other, names in NAMES.items():
        for name in names:
            assert (name in text) == (other == slug), (slug, name)


def test_summary_leads_with_the_facts_that_matter(decks, example_facts):
    """Slide 2 is the decision: its headline and the dates that force it, the facts behind it (whether the
    facts carry a written summary and decisions or only the scores and numbers)."""
    k = _open(decks["kestrel-insurance"])
    summary = fit.slide_text(k.slides[1])
    assert "All 9 KPIs missed" in summary and "October 2026" in summary
    assert "2 April 2027" in summary and "renew" in summary.lower()
    assert "3,000 registrations/day" in summary
    a = _open(decks["alpenrose-telecom"])
    assert "8 December 2026, with proof of receipt" in a.slides[1].shapes.title.text   # served a week before 15 Dec
    h = _open(decks["harbour-lane-bank"])
    assert "15 January 2027" in h.slides[1].shapes.title.text
    written = (example_facts["harbour-lane-bank"].get("summary") or {}).get("headline")
    if written:                                              # the facts' own headline is the slide's title
        assert h.slides[1].shapes.title.text == written
    for deck in (k, a, h):
        text = "\n".join(fit.slide_text(s) for s in deck.slides)
        assert "kpis.csv" not in text and "contacts.csv" not in text   # no developer message on a slide


def _bare(f: dict) -> dict:
    """Facts as the first version wrote them: no decisions, business case, workstreams, risks or summary."""
    f = copy.deepcopy(f)
    f.update(decisions=[], business_case={}, workstreams=[], risks=[])
    f.pop("summary", None)
    f.pop("sides", None)
    return f


def test_summary_without_decisions_leads_with_dates_and_numbers(example_facts):
    decks = {slug: _open(render.deck_bytes(_bare(f))) for slug, f in example_facts.items()}
    for slug, prs in decks.items():
        assert render.MIN_SLIDES <= len(prs.slides) <= render.MAX_SLIDES
        assert not fit.overflows(prs, fit.FAMILY)
        assert not any(s.shapes.title.text.startswith(("The business case", "Risks", "The decision,"))
                       for s in prs.slides)                 # slides without their facts are left out
    k = decks["kestrel-insurance"].slides[1]
    assert k.shapes.title.text == "All 9 KPIs missed target in October 2026, with the renewal notice due by 2 April 2027"
    assert "2 April 2027: the renewal decision" in fit.slide_text(k)
    a = decks["alpenrose-telecom"].slides[1]
    assert a.shapes.title.text == "Renewal notice due by 15 December 2026: 35 days after the assessment"
    h = decks["harbour-lane-bank"].slides[1]
    assert h.shapes.title.text == "The hand-off on 15 January 2027 leaves no slack: 3 lead times of 4 at risk"


def test_dimension_slides_show_opportunities_with_evidence(decks, example_facts):
    prs = _open(decks["kestrel-insurance"])
    people = next(s for s in prs.slides if s.shapes.title.text.startswith("People and structure"))
    text = fit.slide_text(people)
    assert "PEO-02" in text and "Launch calendar shared far in advance" in text
    assert "Evidence: Complaint log 2026-09" in text
    notes = people.notes_slide.notes_text_frame.text
    for item in example_facts["kestrel-insurance"]["scores"]["items"]:
        if item["dimension"] == "people":
            assert item["id"] in notes


# --------------------------------------------------------------------------- the facts alone
def test_renders_from_the_facts_file_alone(tmp_path, example_facts, monkeypatch):
    src = tmp_path / "kestrel-insurance-readout.json"
    src.write_text(json.dumps(example_facts["kestrel-insurance"]), encoding="utf-8")

    def refuse(*a, **k):
        raise AssertionError("the deck must not load the engagement")

    import assessment.facts.compute as compute
    import assessment.validate as validate
    monkeypatch.setattr(compute, "load", refuse)
    monkeypatch.setattr(validate, "load_engagement", refuse)
    target = tmp_path / "out" / "kestrel-insurance-readout.pptx"
    start = time.perf_counter()
    got = render.render_deck(json.loads(src.read_text(encoding="utf-8")), target)
    took = time.perf_counter() - start
    assert got == target and target.is_file()
    assert [p.name for p in target.parent.iterdir()] == [target.name]      # no temporary file left
    assert len(_open(target.read_bytes()).slides) >= render.MIN_SLIDES
    assert took < 6.0, f"a deck took {took:.1f} s"   # about 1 s on the 2-core build machine


# --------------------------------------------------------------------------- later facts
def _rich(f: dict) -> dict:
    """Kestrel's facts with the decisions, business case, workstreams and risks a later version fills in
    (and no written summary: the summary slide then leads with the top decision)."""
    f = copy.deepcopy(f)
    f.pop("summary", None)
    f["decisions"] = [{
        "kind": "renewal", "scope": "contract", "title": "Renew Apex for 12 months with a joint remediation plan",
        "deadline": "2027-04-02", "deadline_label": "renewal notice deadline", "decide_by": "2027-02-01",
        "days_left": 75, "urgency": "soon", "stakes": 410000.0, "stakes_text": "£410,000 a year", "currency": "GBP",
        "options": [{"key": "renew", "label": "Renew as is", "consequence": "Nothing changes."},
                    {"key": "short", "label": "Short renewal with remediation", "consequence": "Both sides fix."},
                    {"key": "exit", "label": "Go to market", "consequence": "Six months of transition."}],
        "recommended": "short", "recommendation": "Kestrel's own practices explain half of the misses.",
        "evidence": [{"text": "All 9 KPIs missed in October 2026.", "source": "kpis.csv", "side": "provider"}],
        "client_part": ["late forecasts", "an unannounced launch"], "critical_path": [], "rank": 1},
        {"kind": "capacity", "scope": "service", "title": "Fund the claims portal upgrade before the storm season",
         "deadline": "2026-12-01", "decide_by": "2026-11-25", "options": [], "recommended": "",
         "recommendation": "Interim overflow now.", "evidence": [], "rank": 2}]
    amount = {"key": "under_delivery", "label": "Abandoned contacts", "value": 211000.0, "currency": "GBP",
              "period": "a year", "annual": 211000.0, "formula": "abandoned × value", "working": "977 × £18 × 12",
              "inputs": [], "results": [], "note": "Inside opening hours only."}
    credits = dict(amount, key="service_credits", label="Service credits not applied", value=81400.0, annual=81400.0,
                   period="over the last 12 months", note="")
    f["business_case"] = {"currency": "GBP", "amounts": [amount, credits], "coverage": [],
                          "missing": [{"figure": "over_delivery", "needs": ["sl"], "sentence": "Over-staffing needs a "
                                       "service level above target."}]}
    f["workstreams"] = [{"title": "Renewal and commercial reset", "owner": "Kestrel procurement", "start": "2026-11-18",
                         "end": "2027-04-02", "measure": "Decision taken by 2 Feb", "items": ["PRC-05"]},
                        {"title": "Launch and forecast discipline", "owner": "Kestrel product", "start": "2026-12-01",
                         "end": "2027-05-31", "items": ["PEO-02", "PRC-12"]}]
    f["risks"] = [{"title": "Storm season exposed before the portal upgrade", "likelihood": "high", "impact": "high",
                   "mitigation": "Interim telephony overflow from 1 December.", "owner": "Kestrel IT"}]
    return f


def _money_title(prs) -> str:
    return next(s.shapes.title.text for s in prs.slides if s.shapes.title.text.startswith("The business case"))


@pytest.mark.parametrize("slug", ["alpenrose-telecom", "kestrel-insurance"])
def test_money_slide_title_is_the_summarys_headline_figure(decks, example_facts, slug):
    """The money slide leads with the figure the written summary leads with, never a larger one the summary
    calls within target, and says an upper bound as "up to"."""
    f = example_facts[slug]
    order = ("over_delivery", "service_credits", "under_delivery", "under_staffing")
    lines = {ln["key"]: ln for ln in f["summary"]["money_lines"]}
    head = lines[next(k for k in order if k in lines)]
    title = _money_title(_open(decks[slug]))
    assert head["text"] in title and head["text"] in f["summary"]["money"]
    others = [a["annual_text"] for a in f["business_case"]["amounts"] if a["annual_text"] != head["text"]]
    assert not any(o in title for o in others)
    if slug == "alpenrose-telecom":         # not the CHF 1,248,463 of abandonment within target
        assert title == ("The business case: CHF 746,381 a year pays for agent-hours beyond what the service "
                         "level target needs")
    else:                                   # the credits, as the summary states them first
        assert title == "The business case: £61,050 in service credits due for the last 12 months"
        g = copy.deepcopy(f)                # without credits the abandoned contacts lead, as an upper bound
        g["summary"]["money_lines"] = [ln for ln in g["summary"]["money_lines"] if ln["key"] != "service_credits"]
        title = _money_title(_open(render.deck_bytes(g)))
        assert title == "The business case: up to £863,247 a year at risk in contacts abandoned in the queue"
        assert "up to £863,247" in f["summary"]["money"]


def test_later_facts_render_when_present(example_facts):
    f = _rich(example_facts["kestrel-insurance"])
    prs = _open(render.deck_bytes(f))
    assert render.MIN_SLIDES <= len(prs.slides) <= render.MAX_SLIDES
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[1] == "Renew Apex for 12 months with a joint remediation plan"
    decision = next(s for s in prs.slides if s.shapes.title.text.startswith("The decision, its options"))
    text = fit.slide_text(decision)
    assert "✓ Short renewal with remediation" in text and "Go to market" in text
    assert "Fund the claims portal upgrade" in text and "All 9 KPIs missed in October 2026." in text
    assert "The business case: £81,400 in service credits due for the last 12 months" in titles
    risks = next(s for s in prs.slides if s.shapes.title.text.startswith("Risks and contingency"))
    assert "Interim telephony overflow from 1 December." in fit.slide_text(risks)
    assert any(t == "The roadmap: 2 workstreams" for t in titles)
    charts = _charts(prs)
    assert _series(charts["chart business case"])["A year (GBP)"] == [211000.0, 81400.0]
    road = charts["chart roadmap"]
    starts = dict(zip(road.plots[0].categories, _series(road)["Start"]))
    assert from_excel(starts["Renewal and commercial reset (Kestrel procurement)"]) == dt.date(2026, 11, 18)
    assert not fit.overflows(prs, fit.FAMILY)
    assert all(s.notes_slide.notes_text_frame.text.strip() for s in prs.slides)


SUMMARY = {
    "kind": "renewal", "date": "2027-04-02", "date_label": "decide by the renewal notice deadline",
    "headline": "Renegotiate the renewal: 12 months only, tied to a joint remediation plan",
    "recommendation": "Renew for 12 months only, with a joint remediation plan. Fix your own practices first. "
                      "If the terms are not agreed by 3 March 2027, serve protective notice.",
    "money": "The renewal commits £2,220,000 a year.",
    "money_lines": [{"label": "Contacts abandoned in the queue", "text": "£71,937", "period": "a month"}],
    "findings": [{"text": "All 9 KPIs missed target in October 2026.", "source": "KPI results", "side": "provider"},
                 {"text": "Online claims registrations: 3,000 a day needed, 2,500 supported.", "side": "client"}],
    "causes": [{"side": "client", "text": "Launches the partner is not told about", "item": "PEO-02", "score": 0},
               {"side": "provider", "text": "Occupancy 93% against 75–85%"}],
    "steps": [{"text": "Agree a joint remediation plan", "owner": "service owners of both sides", "side": "joint",
               "date": "2026-12-18"},
              {"text": "Put the renewal terms to the provider", "owner": "procurement lead", "side": "client",
               "date": "2027-03-03"}],
}


def test_written_summary_leads_the_deck(example_facts):
    f = copy.deepcopy(example_facts["kestrel-insurance"])
    f["summary"] = SUMMARY
    prs = _open(render.deck_bytes(f))
    slide = prs.slides[1]
    assert slide.shapes.title.text == SUMMARY["headline"]
    text = fit.slide_text(slide)
    for want in ("All 9 KPIs missed target in October 2026.", "Launches the partner is not told about", "2 April 2027",
                 "Renew for 12 months only", "£71,937 a month"):
        assert want in text, want
    steps = next(s for s in prs.slides if s.shapes.title.text == "Next steps, with owners")
    text = fit.slide_text(steps)
    assert "Agree a joint remediation plan" in text and "procurement lead" in text and "18 Dec 2026" in text
    assert not fit.overflows(prs, fit.FAMILY)


# --------------------------------------------------------------------------- hostile text
def _hostile(f: dict) -> dict:
    f = copy.deepcopy(f)
    f["client"]["name"] = HOSTILE
    f["outsourcer"]["name"] = "<b>Provider</b> \x07 & Co"
    item = f["scores"]["items"][1]
    item["notes"] = "<script>alert('x')</script> " + "very long note " * 400 + "END-OF-NOTE"
    item["title"] = '=HYPERLINK("http://evil.example","x")'
    f["scores"]["dimensions"]["people"]["title"] = "=1+2 <i>People</i>"
    for a in f["roadmap"]["actions"]:
        if a["id"] == item["id"]:
            a["title"] = item["title"]
    for w in f.get("workstreams") or []:        # the roadmap slide's rows are the workstreams when there are any
        w["name"] = '=HYPERLINK("http://evil.example","w")'
    return f


def test_hostile_text_appears_literally_and_fits(example_facts):
    f = _hostile(example_facts["kestrel-insurance"])
    data = render.deck_bytes(f)
    prs = _open(data)
    slides = "\n".join(fit.slide_text(s) for s in prs.slides)
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    assert HOSTILE in slides                                 # the title slide shows the name as typed
    assert "<b>Provider</b>  & Co" in slides                 # a control character is dropped, nothing else
    assert f["scores"]["items"][1]["notes"] in notes         # the long note, whole, in the notes
    assert "END-OF-NOTE" not in slides                       # ... and cut with an ellipsis on the slides
    assert not fit.overflows(prs, fit.FAMILY)
    # the embedded workbooks keep text as text: a category starting with "=" is no formula
    from openpyxl import load_workbook
    seen = 0
    for name, blob in _parts(data).items():
        if name.endswith(".xlsx") and "!" not in name:
            ws = load_workbook(io.BytesIO(blob)).active
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        assert cell.data_type == "s", (name, cell.coordinate, cell.value)
                        seen += 1
    assert seen >= 2          # the dimension title in the scores chart, the action title in the roadmap
    assert HOSTILE not in data.decode("latin-1")             # in the XML it is escaped, never raw markup
    svg = model_map.model_map_svg(f)
    root = ET.fromstring(svg)                                # still well-formed XML
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert HOSTILE in "".join(root.itertext())               # parsed back, the name reads as typed


def test_a_very_long_client_name_is_cut_on_slides_and_whole_in_the_notes(example_facts):
    f = copy.deepcopy(example_facts["alpenrose-telecom"])
    name = "Alpenrose " + "Télécom Holding Gesellschaft " * 25 + "AG"
    f["client"]["name"] = name
    prs = _open(render.deck_bytes(f))
    assert not fit.overflows(prs, fit.FAMILY)
    assert name in prs.slides[0].notes_slide.notes_text_frame.text
    assert fit.ELLIPSIS in prs.slides[0].shapes.title.text


# --------------------------------------------------------------------------- the firm's template
def _firm_template(path: Path, canary: str) -> Path:
    """A firm template: 16:9, theme fonts DejaVu Serif, Two Content renamed (found by index), a mark on the
    master, and a slide, notes and properties from another client (the canary)."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    prs.slide_layouts[3].name = "Zwei Inhalte"
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for latin in root.findall(".//a:fontScheme//a:latin", ns):
        latin.set("typeface", "DejaVu Serif")
    root.find(".//a:clrScheme/a:accent1/a:srgbClr", ns).set("val", "7A1F5C")
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = f"{canary} quarterly review"
    slide.notes_slide.notes_text_frame.text = f"{canary} notes"
    mark = slide.shapes.add_textbox(Inches(12), Inches(7), Inches(1), Inches(0.3))
    mark.name = "FIRM-MASTER-MARK"
    mark.text_frame.text = "Firm"
    el = mark._element
    el.getparent().remove(el)
    prs.slide_master.shapes._spTree.append(el)
    prs.core_properties.title = f"{canary} deck"
    prs.core_properties.author = f"{canary} author"
    prs.save(path)
    return path


def test_firm_template_gives_master_layouts_and_theme(tmp_path, example_facts):
    tpl = _firm_template(tmp_path / "firm.pptx", "CANARY-OTHER-CLIENT")
    data = render.deck_bytes(example_facts["harbour-lane-bank"], template=tpl)
    prs = _open(data)
    assert render.MIN_SLIDES <= len(prs.slides) <= render.MAX_SLIDES
    used = {s.slide_layout.name for s in prs.slides}
    assert {"Title Slide", "Title and Content", "Zwei Inhalte", "Section Header"} <= used
    assert any(sh.name == "FIRM-MASTER-MARK" for sh in prs.slide_master.shapes)
    assert "CANARY" not in "\n".join(b.decode("utf-8", "replace") for b in _parts(data).values())
    assert prs.core_properties.title == "Harbour Lane Bank: outsourcing readout"
    # text takes the theme's font (no run names one) and is measured with that font's own file
    for n, sh in fit.frames(prs):
        if getattr(sh, "has_text_frame", False) and sh.has_text_frame:
            assert all(r.font.name is None for p in sh.text_frame.paragraphs for r in p.runs)
    assert fit.font_file("DejaVu Serif").name.startswith("DejaVuSerif")
    assert not fit.overflows(prs, "DejaVu Serif")
    # shapes follow the theme's colours (accent 1), not the branding's RGB
    from pptx.enum.dml import MSO_THEME_COLOR
    charts = _charts(prs)
    fill = charts["chart scores"].plots[0].series[1].format.fill.fore_color
    assert fill.theme_color == MSO_THEME_COLOR.ACCENT_1


def test_branding_names_the_template(tmp_path, example_facts):
    from assessment.report.branding import load_branding

    tpl = _firm_template(tmp_path / "firm.pptx", "X")
    (tmp_path / "branding.yaml").write_text('firm: "Northgate Advisory"\nprimary: "#7A1F5C"\npptx_template: firm.pptx\n',
                                            encoding="utf-8")
    brand = load_branding(tmp_path / "branding.yaml")
    assert brand.pptx_template == str(tpl.resolve())
    prs = _open(render.deck_bytes(example_facts["alpenrose-telecom"], branding=brand))
    assert "Zwei Inhalte" in {s.slide_layout.name for s in prs.slides}
    assert prs.core_properties.author == "Northgate Advisory"
    for bad, expected in (("missing.pptx", "an existing .pptx file"), ("branding.yaml", "a .pptx file")):
        (tmp_path / "b2.yaml").write_text(f"pptx_template: {bad}\n", encoding="utf-8")
        with pytest.raises(InvalidInput) as err:
            load_branding(tmp_path / "b2.yaml")
        assert expected in str(err.value)
    (tmp_path / "fake.pptx").write_text("not a zip", encoding="utf-8")
    (tmp_path / "b3.yaml").write_text("pptx_template: fake.pptx\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        load_branding(tmp_path / "b3.yaml")


def test_builtin_look_uses_the_branding_colours(example_facts):
    from assessment.report.branding import Branding

    prs = _open(render.deck_bytes(example_facts["kestrel-insurance"], branding=Branding(firm="Northgate Advisory",
                                                                                       primary="#7A1F5C")))
    fill = _charts(prs)["chart scores"].plots[0].series[1].format.fill.fore_color
    assert str(fill.rgb) == "7A1F5C"
    assert "Northgate Advisory" in fit.slide_text(prs.slides[1])


# --------------------------------------------------------------------------- the measure
def test_measure_uses_the_font_metrics():
    f = fit.face(fit.FAMILY)
    assert abs(f.em("M") - 1767 / 2048) < 0.005                    # DejaVu Sans' advance of M (1767 units of 2048)
    assert fit.text_width("MMMM", 10) == pytest.approx(4 * 1767 / 2048 * 10 * fit.WIDTH_SAFETY, rel=0.01)
    assert fit.text_width("MMMM", 10, bold=True) > fit.text_width("MMMM", 10)
    assert fit.face(fit.FAMILY).em("中") >= 1.0                      # wide characters count a full em
    p = fit.Para((fit.Run("one two three four five six", 10),))
    one_line = fit.text_width("one two three four five six", 10) + 15
    assert len(fit.wrap(p, one_line)) == 1
    assert len(fit.wrap(p, fit.text_width("one two three", 10) + 1)) == 2
    assert len(fit.wrap(fit.Para((fit.Run("x" * 200, 10),)), 100)) > 1        # a long word breaks
    box = fit.Box(200, 30)
    long = [fit.Para((fit.Run("word " * 80, 12),))]
    assert not fit.fits(long, box)
    cut = fit.fit(long, box, 0.7)
    assert fit.fits(cut, box) and cut[0].text.endswith(fit.ELLIPSIS)
    shrunk, ok = fit.shrink_to_fit([fit.Para((fit.Run("a few words here", 20),))], fit.Box(400, 28), 0.5)
    assert ok and shrunk[0].runs[0].size < 20


def test_overflows_finds_a_box_too_small(tmp_path):
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    ok = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(1))
    ok.text_frame.word_wrap = True
    ok.text_frame.text = "Short text"
    ok.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    bad = slide.shapes.add_textbox(Inches(1), Inches(3), Inches(2), Inches(0.4))
    bad.name = "too small"
    bad.text_frame.word_wrap = True
    bad.text_frame.text = "A sentence far too long for a box this small, at this size, on any renderer."
    bad.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    wide = slide.shapes.add_textbox(Inches(1), Inches(5), Inches(1), Inches(0.5))
    wide.name = "no wrap"
    wide.text_frame.word_wrap = False
    wide.text_frame.text = "Unwrapped line that runs on"
    wide.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    found = {o.shape for o in fit.overflows(prs)}
    assert found == {"too small", "no wrap"}


# --------------------------------------------------------------------------- the operating model
def test_flows_file_maps_checklist_items(builtin):
    flows = model_map.load_flows()
    assert len(flows.flows) >= 9
    assert flows.items <= {i.id for i in builtin.items}
    labels = " ".join(f.label.lower() for f in flows.flows)
    for word in ("launch", "goals", "forecast", "training", "data", "access", "escalation", "feedback", "governance"):
        assert word in labels
    for f in flows.flows:
        assert {f.source[0], f.target[0]} == {"client", "provider"}


def test_flows_file_problems_are_listed(tmp_path):
    bad = {"functions": {"client": [{"id": "a", "label": "A"}], "provider": [{"id": "b", "label": "B"}]},
           "flows": [{"id": "x", "label": "X", "items": ["nope"], "from": "client.a", "to": "client.a"},
                     {"id": "y", "label": "", "items": ["PEO-01"], "from": "client.zz", "to": "provider.b",
                      "direction": "sideways"}]}
    with pytest.raises(InvalidInput) as err:
        model_map.parse_flows(bad, "flows.yaml")
    text = str(err.value)
    for field in ("flows[0].items", "flows[0].to", "flows[1].label", "flows[1].from", "flows[1].direction"):
        assert field in text


def test_link_levels():
    assert [model_map.level_of(s) for s in (None, 0, 0.5, 1, 2.5, 3, 5)] == [
        "not assessed", "missing", "missing", "ad hoc", "ad hoc", "integrated", "integrated"]


def test_maps_differ_as_the_scores_do(example_facts, decks):
    flows = model_map.load_flows()
    levels = {}
    for slug, f in example_facts.items():
        items = {i["id"]: i for i in f["scores"]["items"]}
        for when in ("as_is", "to_be"):
            states = model_map.link_states(f, flows, when)
            for st in states:         # each link's score is the mean of its items' scores
                scored = [items[i][when] for i in st.flow.items if isinstance(items[i][when], int)]
                assert st.score == (round(sum(scored) / len(scored), 1) if scored else None)
            levels[(slug, when)] = [st.level for st in states]
        svg = model_map.model_map_svg(f, flows)
        root = ET.fromstring(svg)                       # well-formed
        for when in ("as_is", "to_be"):
            g = root.find(f".//*[@data-state='{when}']")
            drawn = {}
            for el in g.iter():
                if el.get("class") in ("link", "label") and el.get("data-flow"):
                    drawn.setdefault(el.get("data-flow"), set()).add(el.get("data-level"))
            want = {st.flow.id: {st.level} for st in model_map.link_states(f, flows, when)}
            assert drawn == want
            solid = [el for el in g.iter() if el.tag.endswith("line") and el.get("stroke-dasharray") is None]
            dashed = [el for el in g.iter() if el.tag.endswith("line") and el.get("stroke-dasharray")]
            assert len(solid) == levels[(slug, when)].count("integrated")
            assert len(dashed) == levels[(slug, when)].count("ad hoc")
        # the slide draws the same: connectors named by flow and level, dashed when ad hoc
        prs = _open(decks[slug])
        slide = next(s for s in prs.slides if s.shapes.title.text.startswith("How the two organisations connect"))
        links = [sh for sh in slide.shapes if sh.name.startswith("link ")]
        want_pptx = sorted(f"link {st.flow.id} {st.level}" for when in ("as_is", "to_be")
                           for st in model_map.link_states(f, flows, when) if st.level in ("integrated", "ad hoc"))
        assert sorted(sh.name for sh in links) == want_pptx
        for sh in links:
            assert (sh.line.dash_style is not None) == sh.name.endswith("ad hoc")
    k, h, a = (levels[(s, "as_is")] for s in SLUGS)
    assert k.count("missing") > 0 and a.count("missing") == 0
    assert a.count("integrated") > h.count("integrated") > k.count("integrated")
    assert len({tuple(k), tuple(h), tuple(a)}) == 3
    assert levels[("kestrel-insurance", "to_be")].count("integrated") > k.count("integrated")


# --------------------------------------------------------------------------- rendering for real
@pytest.mark.slow
def test_every_slide_renders_in_libreoffice(tmp_path, decks):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed: cannot render the decks")
    pypdf = pytest.importorskip("pypdf")
    for slug, data in decks.items():
        (tmp_path / f"{slug}.pptx").write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *[str(tmp_path / f"{s}.pptx") for s in decks]],
                   check=True, capture_output=True, timeout=300)
    for slug, data in decks.items():
        pdf = tmp_path / f"{slug}.pdf"
        assert pdf.is_file(), f"{slug}: no PDF"
        assert len(pypdf.PdfReader(str(pdf)).pages) == len(_open(data).slides)
