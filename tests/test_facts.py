"""The facts of a readout: computed once, rounded once, valid against their schema, rendered through templates.

No kernel: the facts load in-process, and sections render through the same Jinja templates the notebook uses.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path

import jsonschema
import nbformat
import pytest

from assessment import facts, rules
from assessment.analyses import kpis as kp
from assessment.errors import InvalidInput
from assessment.report.markup import Html
from assessment.report.readout import Readout

from conftest import EXAMPLES, ROOT, VALID_HEAD

SLUGS = ("alpenrose-telecom", "harbour-lane-bank", "kestrel-insurance")


@pytest.fixture(scope="module")
def loaded():
    return {slug: facts.load(EXAMPLES / slug) for slug in SLUGS}


def validate(data: dict) -> None:
    jsonschema.Draft202012Validator(facts.schema(), format_checker=jsonschema.FormatChecker()).validate(data)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(html))).replace("&gt;", ">").replace("&lt;", "<")


# --------------------------------------------------------------------------- the schema
def test_the_schema_is_a_valid_json_schema_shipped_with_the_package():
    path = ROOT / "assessment" / "schemas" / "facts-1.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"] == {"const": facts.SCHEMA_ID} == {"const": "outsourcing-readout/facts@1"}
    for key in ("schema", "client", "as_of", "scores", "findings", "decisions", "business_case", "workstreams",
                "risks", "provenance", "kpis", "coverage", "contract", "slas", "roadmap"):
        assert key in schema["required"], key


@pytest.mark.parametrize("slug", SLUGS)
def test_facts_json_validates_against_the_schema(loaded, slug):
    data = json.loads(facts.to_json(loaded[slug]))
    validate(data)
    assert data["schema"] == facts.SCHEMA_ID
    # decisions, the business case, both sides' part, the summary and the workstreams are filled
    assert data["decisions"] and data["decisions"][0]["rank"] == 1 and data["summary"]["headline"]
    assert set(data["business_case"]) == {"currency", "amounts", "coverage", "missing"}
    assert 4 <= len(data["workstreams"]) <= 10 and all(w["actions"] and w["raci"] for w in data["workstreams"])
    p = data["provenance"]
    assert p["engagement_sha256"] == p["inputs"][0]["sha256"] and p["inputs"][0]["name"] == "engagement.yaml"
    assert p["version"] and p["tool"] == "outsourcing-readout" and p["checklist"]["items"] == 45


def test_a_draft_and_a_bare_engagement_validate_too(tmp_path):
    path = tmp_path / "bare" / "engagement.yaml"
    path.parent.mkdir()
    path.write_text(VALID_HEAD + "checklist:\n  PEO-01: {as_is: 1, to_be: 3}\n", encoding="utf-8")
    f = facts.load(path)
    validate(json.loads(facts.to_json(f)))
    assert f.scores.draft and f.kpis is None and f.coverage is None and f.slas == ()
    assert any("no kpis.csv" in s for s in f.numbers.skipped)


def test_facts_are_immutable(loaded):
    f = loaded["kestrel-insurance"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.scores.overall.as_is = 5.0          # type: ignore[misc]
    with pytest.raises(TypeError):
        f.scores.dimensions["people"] = None  # type: ignore[index]
    assert isinstance(f.scores.items, tuple) and isinstance(f.findings, tuple)


# --------------------------------------------------------------------------- hand-worked values (Kestrel)
def test_kestrel_facts_equal_hand_worked_values(loaded):
    f = loaded["kestrel-insurance"]
    # People: weights 3,3,2,2,2,2,3,3,2,2,1 (sum 25) over PEO-01..11
    #   as-is 1,0,1,1,1,2,2,1,1,1,0 -> 26 / 25 = 1.04 -> 1.0;  to-be 4,4,3,4,4,4,3,4,3,4,3 -> 92 / 25 = 3.68 -> 3.7
    #   the gap printed beside them is 3.7 - 1.0 = 2.7 (the raw 2.64 would have printed 2.6)
    people = f.scores.dimensions["people"]
    assert (people.as_is, people.to_be, people.gap) == (1.0, 3.7, 2.7)
    assert (people.items_scored, people.items_total, people.items_na) == (11, 11, 0)
    # Process 37/25 = 1.48 and 95/25 = 3.8 (PRC-06 n/a); product 48/26 = 1.846, 94/26 = 3.615;
    # technology 32/26 = 1.231, 99/26 = 3.808. Overall: (1.04 + 1.48 + 1.846 + 1.231) / 4 = 1.399 -> 1.4,
    # (3.68 + 3.8 + 3.615 + 3.808) / 4 = 3.726 -> 3.7, gap 2.3: below 1.5, an arm's-length vendor.
    assert (f.scores.dimensions["process"].as_is, f.scores.dimensions["process"].to_be) == (1.5, 3.8)
    assert (f.scores.dimensions["product"].as_is, f.scores.dimensions["product"].to_be) == (1.8, 3.6)
    assert (f.scores.dimensions["technology"].as_is, f.scores.dimensions["technology"].to_be) == (1.2, 3.8)
    assert (f.scores.overall.as_is, f.scores.overall.to_be, f.scores.overall.gap) == (1.4, 3.7, 2.3)
    assert f.scores.overall.stance == "an arm's-length vendor"
    # PEO-02: 0 -> 4, weight 3: gap 4, priority 12, the first opportunity
    peo02 = f.scores.item("PEO-02")
    assert (peo02.gap, peo02.priority, peo02.classification, peo02.colour) == (4, 12, "improve", "amber")
    assert f.ranked("improve")[0].id == "PEO-02"
    # renewal 2027-07-01, 90 days' notice: deadline 2027-04-02, 135 days after 18 November 2026 -> ok
    r = f.contract.renewal
    assert (r.deadline, r.days_left, r.status, r.colour, r.alert) == (dt.date(2027, 4, 2), 135, "ok", "green", False)
    assert f.contract.handoff == () and not f.contract.hand_off_pending   # the hand-off was in 2024
    # KPIs: October 2026 is the latest month up to the assessment; every one of the nine KPIs missed
    assert f.kpis.month == "2026-10" and dict(f.kpis.counts) == {"green": 0, "amber": 0, "red": 9}
    sl = f.kpis.entries[0]
    assert (sl.name, sl.actual_text, sl.target_text, sl.label, sl.missed_months, sl.months_reported) == (
        "Service level", "61.7%", "80%", "Missed", 11, 12)
    # SLAs: BUS-01 needs 3,000 registrations a day, IT-01 supports 2,500; BUS-02 has nothing under it
    kinds = {(s.business_id, s.kind) for s in f.slas}
    assert {("BUS-01", "under-capacity"), ("BUS-02", "unbacked")} <= kinds
    # what the numbers say about the checklist: all four linked items, each scored 1
    assert [(c.item, c.link, c.score) for c in f.numbers.cross_checks] == [
        ("PRC-02", "scorecard", 1), ("PRC-03", "service_level", 1), ("PRC-04", "coverage", 1), ("TEC-05", "slas", 1)]


# --------------------------------------------------------------------------- a gap is the difference of what is printed
def _random_engagement(tmp_path: Path, seed: int) -> Path:
    from assessment.checklist import load_checklist

    rnd = random.Random(seed)
    lines = [VALID_HEAD, "checklist:\n"]
    for item in load_checklist().items:
        if rnd.random() < 0.1:
            lines.append(f'  {item.id}: {{as_is: "n/a", to_be: "n/a"}}\n')
        else:
            a = rnd.randint(0, 5)
            lines.append(f"  {item.id}: {{as_is: {a}, to_be: {rnd.randint(a, 5)}}}\n")
    path = tmp_path / f"c{seed}" / "engagement.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_every_printed_gap_is_the_printed_to_be_minus_the_printed_as_is(tmp_path, loaded):
    readouts = [Readout(f) for f in loaded.values()]
    readouts += [Readout.load(str(_random_engagement(tmp_path, seed))) for seed in range(12)]
    for r in readouts:
        validate(json.loads(facts.to_json(r.facts)))
        s = r.facts.scores
        for d in list(s.dimensions.values()) + [s.overall]:
            if d.as_is is not None:
                assert d.gap == round(d.to_be - d.as_is, 1) and d.as_is == round(d.as_is, 1), d
        for i in s.items:
            if i.gap is not None:
                assert i.gap == i.to_be - i.as_is
        # the executive summary's headline: "scores A of 5 against a target of B, a gap of C"
        lead = text(r.section("executive_summary"))
        m = re.search(r"scores (\d\.\d) of 5 against a target of (\d\.\d), a gap of (\d\.\d)", lead)
        assert m and round(float(m[2]) - float(m[1]), 1) == float(m[3]), lead[:300]
        for a, b in re.findall(r"\((\d\.\d) → (\d\.\d)\)", lead):   # the widest gap, named with its scores
            assert float(b) >= float(a)
        # each dimension's tiles: As-is, To-be, Gap
        for key in s.dimensions:
            page = text(r.section("dimension", key))
            m = re.search(r"As-is (\d\.\d) To-be (\d\.\d) Gap (-?\d\.\d)", page)
            if m:
                assert round(float(m[2]) - float(m[1]), 1) == float(m[3]), (key, m.group(0))


# --------------------------------------------------------------------------- a missed threshold is never printed as met
def test_round_toward_keeps_a_value_on_its_side_of_a_threshold():
    assert rules.round_toward(79.99, 1, [80]) == 79.9
    assert rules.round_toward(80.04, 1, [80]) == 80.1
    assert rules.round_toward(80.0, 1, [80]) == 80.0
    assert rules.round_toward(79.94, 1, [80]) == 79.9 and rules.round_toward(79.96, 1, []) == 80.0
    assert rules.round_toward(-10.04, 0, [-10, 10]) == -11
    assert rules.percent(0.019999, 1, [0.02]) == 1.9
    assert rules.round_toward(1.49, 1, rules.STANCE_BOUNDARIES) == 1.4   # stance "arm's-length" stays below 1.5


def test_a_kpi_at_79_99_against_80_prints_below_80():
    cat = kp.load_catalogue()
    rows = [{"month": "2026-10", "kpi": "service_level", "actual": 79.99, "target": 80, "tolerance": 5},
            {"month": "2026-10", "kpi": "asa", "actual": 30.04, "target": 30, "tolerance": 10},
            {"month": "2026-10", "kpi": "abandonment", "actual": 6.0001, "target": 5, "tolerance": 1}]
    sl, asa, ab = kp.scorecard(rows, cat).for_month("2026-10")
    assert (sl.status, sl.actual_text) == ("amber", "79.9%")            # not "80%": the target was missed
    assert (asa.status, asa.actual_text) == ("amber", "30.1 s")         # lower is better: not "30 s"
    assert (ab.status, ab.actual_text) == ("red", "6.1%")               # past the tolerance's edge (6 %)


def test_a_missed_kpi_renders_below_its_target(tmp_path):
    folder = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "kestrel-insurance", folder)
    kpis = folder / "kpis.csv"
    lines = [l for l in kpis.read_text(encoding="utf-8").splitlines() if not l.startswith("2026-10,service_level")]
    kpis.write_text("\n".join(lines + ["2026-10,service_level,79.99,80,5"]) + "\n", encoding="utf-8")
    r = Readout.load(str(folder))
    row = re.search(r"<tr><td>Service level</td>.*?</tr>", r.section("numbers")).group(0)
    assert "79.9%" in row and ">80.0%<" not in row and ">80%</td><td><span" not in row and "Within tolerance" in row


def test_shares_with_different_denominators_say_what_they_are_shares_of(loaded):
    page = text(Readout(loaded["alpenrose-telecom"]).section("numbers"))
    assert re.search(r"\(\d+\.\d% of all attempts\) arrived while the service was closed", page)
    assert re.search(r"carries \d+\.\d% of the in-window volume and the last hour \d+\.\d% of the in-window volume",
                     page)
    assert "of the weekday in-window volume" in page


# --------------------------------------------------------------------------- links through checklist data
CUSTOM_CHECKLIST = """\
version: "firm-7"
name: "Northgate checklist"
dimensions:
  people: {title: "People"}
  process: {title: "Governance"}
  product: {title: "Service"}
  technology: {title: "Systems"}
items:
  - {id: ORG-11, dimension: people, title: "Sponsor named", question: "Q?", evidence: "E", weight: 1, effort: low,
     levels: {0: "none", 1: "some", 3: "defined", 5: "optimised"}}
  - {id: GOV-21, dimension: process, title: "Service reviews act on the numbers", question: "Q?", evidence: "E",
     weight: 2, effort: low, kpi_links: [service_level, scorecard],
     levels: {0: "none", 1: "some", 3: "defined", 5: "optimised"}}
  - {id: GOV-22, dimension: process, title: "Opening hours follow demand", question: "Q?", evidence: "E", weight: 1,
     effort: low, kpi_links: [coverage], levels: {0: "none", 1: "some", 3: "defined", 5: "optimised"}}
  - {id: SVC-31, dimension: product, title: "One answer", question: "Q?", evidence: "E", weight: 1, effort: low,
     levels: {0: "none", 1: "some", 3: "defined", 5: "optimised"}}
  - {id: SYS-41, dimension: technology, title: "IT capacity behind every promise", question: "Q?", evidence: "E",
     weight: 1, effort: medium, kpi_links: [slas], levels: {0: "none", 1: "some", 3: "defined", 5: "optimised"}}
"""


def own_checklist_engagement(tmp_path):
    """Kestrel's engagement answered against a firm's own checklist (other ids): its folder and checklist file."""
    folder = tmp_path / "kestrel-own"
    shutil.copytree(EXAMPLES / "kestrel-insurance", folder)
    path = folder / "engagement.yaml"
    head = path.read_text(encoding="utf-8").split("\nchecklist:")[0]
    path.write_text(head + "\nchecklist:\n" + "".join(
        f"  {i}: {{as_is: 1, to_be: 4}}\n" for i in ("ORG-11", "GOV-21", "GOV-22", "SVC-31", "SYS-41")), encoding="utf-8")
    checklist = tmp_path / "northgate.yaml"
    checklist.write_text(CUSTOM_CHECKLIST, encoding="utf-8")
    return folder, checklist


def test_a_firms_own_checklist_with_other_ids_gets_the_same_cross_checks(tmp_path):
    folder, checklist = own_checklist_engagement(tmp_path)
    f = facts.load(folder, checklist=str(checklist))
    found = [(c.item, c.link) for c in f.numbers.cross_checks]
    assert found == [("GOV-21", "service_level"), ("GOV-21", "scorecard"), ("GOV-22", "coverage"), ("SYS-41", "slas")]
    sentences = " ".join(c.sentence for c in f.numbers.cross_checks)
    assert "GOV-21 (Service reviews act on the numbers)" in sentences and "SYS-41" in sentences
    assert not re.search(r"\b(PRC|TEC)-\d\d\b", sentences)               # no built-in id leaks in
    validate(json.loads(facts.to_json(f)))
    page = text(Readout(f).section("numbers"))
    assert "What the numbers say about the checklist" in page and "GOV-22 (Opening hours follow demand)" in page
    # the same checklist without links: no cross-checks at all
    checklist.write_text(re.sub(r"kpi_links: \[[^\]]*\],?", "", CUSTOM_CHECKLIST), encoding="utf-8")
    assert facts.load(folder, checklist=str(checklist)).numbers.cross_checks == ()


def test_kpi_links_are_validated(tmp_path):
    from assessment.checklist import load_checklist

    bad = tmp_path / "bad.yaml"
    bad.write_text(CUSTOM_CHECKLIST.replace("kpi_links: [slas]", 'kpi_links: ["Service Level!"]'), encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_checklist(bad)
    assert any(p.field == "SYS-41.kpi_links" for p in exc.value.problems)


def test_numbers_code_names_no_checklist_item():
    for path in [ROOT / "assessment" / "report" / "numbers.py", *(ROOT / "assessment" / "facts").glob("*.py")]:
        assert not re.search(r"\b(PEO|PRC|PRD|TEC)-\d\d\b", path.read_text(encoding="utf-8")), path.name


# --------------------------------------------------------------------------- each rule once
def test_each_rule_and_label_is_defined_in_one_module():
    sources = {p: p.read_text(encoding="utf-8") for p in (ROOT / "assessment").rglob("*.py")}
    for needle in ('"Within tolerance"', '"interview only"', "arm's-length vendor", "↗ improving",
                   '"Telecom and data lines"', "URGENT_DAYS =", "SOON_DAYS =", "def lead_time_status"):
        where = sorted(p.relative_to(ROOT).as_posix() for p, s in sources.items() if needle in s)
        assert where == ["assessment/rules.py"], (needle, where)
    # the charts' second RAG palette is gone (workshop.py's form status colours are its owner's to move)
    for old in ("#2f855a", "#b7791f", "#c53030"):
        assert not [p for p, s in sources.items() if old in s.lower() and p.name != "workshop.py"], old


def test_the_charts_and_the_pills_share_one_palette():
    css = (ROOT / "assessment" / "templates" / "readout" / "readout.css").read_text(encoding="utf-8")
    for name in (rules.GREEN, rules.AMBER, rules.RED):
        m = re.search(rf"--{name}:\s*(#[0-9A-Fa-f]{{6}})", css)
        assert m and m.group(1).lower() == rules.PALETTE[name].lower(), name
    from assessment.report import numbers_charts

    assert numbers_charts.RAG == {c: rules.PALETTE[c] for c in rules.RAG_ORDER}


def test_one_handoff_model_everywhere_in_the_readout(tmp_path):
    """The executive summary, the numbers section and the roadmap all print the same lead-time sentences."""
    r = Readout.load(str(EXAMPLES / "harbour-lane-bank"))
    risks = [h.sentence for h in r.facts.contract.handoff_risks]
    assert risks
    for section in ("executive_summary", "numbers", "roadmap"):
        page = str(r.section(section))
        for sentence in risks:
            assert Html.escape(sentence) in page, (section, sentence)
    assert "Hand-off in 60 days" not in " ".join(str(r.section(s)) for s in ("executive_summary", "roadmap"))


# --------------------------------------------------------------------------- rendering through templates
def test_adding_text_to_html_escapes_it():
    joined = Html("<b>ok</b>") + "<script>alert(1)</script>"
    assert joined == "<b>ok</b>&lt;script&gt;alert(1)&lt;/script&gt;" and isinstance(joined, Html)
    assert joined._repr_html_() == str(joined)


def _html_literals(source: str) -> list[str]:
    """String literals (f-strings included) that hold an HTML tag, leaving out docstrings and regular expressions."""
    import ast

    tree = ast.parse(source)
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id == "re":
            skip |= {id(n) for arg in node.args for n in ast.walk(arg)}
    tag = re.compile(r"<\s*/?\s*[a-zA-Z][\w-]*(?:[\s>/]|$)")
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and tag.search(node.value):
            found.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            parts = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if tag.search(parts):
                found.append(parts)
    return found


def test_no_report_module_builds_html_by_string_concatenation():
    allowed = {"charts.py": {"</g>"}}   # charts.flatten_groups compares SVG group tags; it builds no HTML
    offenders = {}
    for path in sorted((ROOT / "assessment" / "report").glob("*.py")):
        if path.name in allowed and allowed[path.name] is None:
            continue
        hits = [h for h in _html_literals(path.read_text(encoding="utf-8")) if h not in (allowed.get(path.name) or ())]
        if hits:
            offenders[path.name] = hits
    assert offenders == {}
    assert _html_literals('x = f"<div>{y}</div>"') and _html_literals("x = '<td>' + y")   # the check bites


def test_every_section_renders_and_an_unknown_one_is_refused(loaded):
    r = Readout(loaded["kestrel-insurance"])
    for name in ("cover", "contents", "executive_summary", "scope_and_method", "model_overview", "numbers",
                 "prioritisation", "roadmap", "governance", "appendix"):
        html = r.section(name)
        assert isinstance(html, Html) and html._repr_html_().strip(), name
    assert "Kestrel Insurance" in r.section("cover")
    with pytest.raises(ValueError):
        r.section("import os")


def test_the_scorecard_renders_the_same_facts(tmp_path):
    from assessment.report.scorecard import Scorecard

    sc = Scorecard.load(str(EXAMPLES / "kestrel-insurance"), month="2026-09", as_of="2026-10-15")
    r = Readout(facts.load(EXAMPLES / "kestrel-insurance", as_of="2026-10-15", month="2026-09"))
    assert sc.facts.kpis == r.facts.kpis and sc.facts.contract == r.facts.contract
    ours, theirs = str(sc.kpis()), str(r.section("numbers"))
    for e in sc.facts.kpis.entries:                     # one set of facts: each KPI-month printed alike in both
        row = f"<td>{e.name}</td><td>{e.target_text}</td><td>{e.actual_text}</td>"
        assert row in ours and row in theirs, row
    assert "Monthly service review: September 2026" in sc.header()


# --------------------------------------------------------------------------- glue
def test_the_facts_come_back_out_of_an_executed_notebook(loaded):
    f = loaded["alpenrose-telecom"]
    data, metadata = facts.Glue(f)._repr_json_()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data={"text/html": "<p/>"})]),
                nbformat.v4.new_code_cell("r.glue()", metadata={"tags": ["remove-cell"]}, outputs=[
                    nbformat.v4.new_output("display_data", data={"application/json": data,
                                                                 "text/plain": repr(facts.Glue(f))},
                                           metadata={"application/json": metadata})])]
    nbformat.validate(nb)
    back = facts.facts_from_notebook(json.loads(nbformat.writes(nb)))
    assert back == json.loads(facts.to_json(f))
    validate(back)
    assert facts.facts_from_notebook(nbformat.v4.new_notebook()) is None


def test_the_readout_notebook_glues_the_facts_in_a_removed_cell():
    nb = nbformat.read(ROOT / "assessment" / "notebooks" / "readout.ipynb", as_version=4)
    glue = [c for c in nb.cells if "r.glue()" in c.source]
    assert len(glue) == 1 and "remove-cell" in glue[0].metadata.get("tags", [])
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            calls = [l for l in cell.source.splitlines() if l.strip() and not l.startswith(("from ", "import ", "#"))]
            assert len(calls) <= 2, cell.source          # one call (after the load) and one display
