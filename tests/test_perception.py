"""How each side sees it: medians per side, gaps, blind spots, spreads and consensus, against hand-worked values."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import EXAMPLES

from assessment.analyses.perception import half_up, perception, proposed_consensus
from assessment.cli import main
from assessment.engagement import load
from assessment.model import ItemAnswer
from assessment.responses import Respondent, Response, display_names, load_responses

ALPENROSE = EXAMPLES / "alpenrose-telecom"
NAMES = ("Sabine Keller", "Marco Bernasconi", "Léa Fontaine", "Thomas Huber", "Katrin Vogel", "Rui Carvalho",
         "Inês Marques", "Pedro Almeida")


def _r(side, role, answers, name="X"):
    return Response(Respondent(name, role, side), {k: ItemAnswer(as_is=a, to_be=b) for k, (a, b) in answers.items()})


@pytest.fixture(scope="module")
def alpenrose(builtin):
    eng = load(ALPENROSE, builtin)
    responses, problems = load_responses(ALPENROSE, builtin)
    assert problems == []
    labels = display_names([r.respondent for r in responses])
    return perception(builtin, responses, labels, eng.checklist)


def test_alpenrose_has_four_respondents_a_side_shown_by_role(alpenrose):
    assert dict(alpenrose.counts) == {"client": 4, "provider": 4}
    labels = {r.label for r in alpenrose.respondents}
    assert "Head of Customer Operations" in labels and "Site manager, Lisboa" in labels
    assert not labels & set(NAMES)


def test_alpenrose_item_medians_by_hand(alpenrose):
    v = {i.id: i for i in alpenrose.items}
    # PEO-02, launch calendar: client 5, 4, 5 (the IT service owner was not asked) -> 5; provider 2, 1, 2, 2 -> 2
    assert (v["PEO-02"].client, v["PEO-02"].provider, v["PEO-02"].consensus, v["PEO-02"].gap) == (5, 2, 4, 3)
    # PEO-09: client 4, 3, 1, 2 -> median 2.5 and a spread of 4 - 1 = 3; provider 3, 2, 3, 3 -> 3
    assert (v["PEO-09"].client, v["PEO-09"].provider, v["PEO-09"].client_spread) == (2.5, 3, 3)
    # PRD-10, customer-driven coaching (the provider's practice): client 2, 2, 3, 2 -> 2; provider 5, 4, 4, 4 -> 4
    assert (v["PRD-10"].client, v["PRD-10"].provider, v["PRD-10"].gap) == (2, 4, -2)


def test_alpenrose_people_dimension_by_hand(alpenrose):
    people = next(d for d in alpenrose.dimensions if d.dimension == "people")
    # items PEO-01 (weight 3), PEO-02 (3), PEO-03 (2), PEO-09 (2)
    # client    (5*3 + 5*3 + 4*2 + 2.5*2) / 10 = 43 / 10 = 4.3
    # provider  (4*3 + 2*3 + 3.5*2 + 3*2) / 10 = 31 / 10 = 3.1
    # consensus (5*3 + 4*3 + 4*2 + 3*2)   / 10 = 41 / 10 = 4.1
    assert (people.client, people.provider, people.consensus, people.items) == (4.3, 3.1, 4.1, 4)


def test_alpenrose_gaps_blind_spots_and_spreads(alpenrose):
    assert [v.id for v in alpenrose.gaps] == ["PEO-02", "PRC-12", "PRD-10", "TEC-03", "TEC-07"]
    # the client rates its own launch calendar, forecasts and data high; the provider rates them 2
    assert [v.id for v in alpenrose.blind_spots_client] == ["PEO-02", "PRC-12", "TEC-03"]
    assert [v.id for v in alpenrose.blind_spots_provider] == ["PRD-10"]
    assert [(s.item, s.side, s.low, s.high) for s in alpenrose.spreads] == [("PEO-09", "client", 1, 4),
                                                                              ("PRC-03", "provider", 2, 5)]
    # TEC-07 is 2 apart but no blind spot: the client rates it 3, not 4 or more
    assert "TEC-07" not in {v.id for v in alpenrose.blind_spots_client + alpenrose.blind_spots_provider}


def test_thresholds_are_configurable_and_na_is_left_out(builtin):
    from assessment.analyses.perception import Rules

    rs = [_r("client", "A", {"PEO-01": (4, 5)}), _r("client", "B", {"PEO-01": ("n/a", "n/a")}),
          _r("provider", "C", {"PEO-01": (3, 4)})]
    p = perception(builtin, rs, ["A", "B", "C"], {})
    assert p.gaps == () and p.items[0].client == 4 and p.items[0].consensus is None
    assert [v.id for v in perception(builtin, rs, ["A", "B", "C"], {}, Rules(gap_at=1)).gaps] == ["PEO-01"]


def test_consensus_median_per_side_then_across(builtin):
    rs = [_r("client", "A", {"PEO-01": (4, 5), "PEO-02": (1, 3)}), _r("client", "B", {"PEO-01": (2, 4)}),
          _r("client", "C", {"PEO-01": (5, 5)}),
          _r("provider", "D", {"PEO-01": (1, 4), "PEO-03": (2, 3)}), _r("provider", "E", {"PEO-01": (2, 4)})]
    answers = {"PEO-03": ItemAnswer(as_is=3, to_be=4)}   # already scored: never proposed
    got = proposed_consensus(builtin, rs, answers)
    # PEO-01: client median of 4, 2, 5 = 4; provider median of 1, 2 = 1.5; across: (4 + 1.5) / 2 = 2.75 -> 3
    #         to-be: client 5, provider 4; (5 + 4) / 2 = 4.5 -> 5 (half up)
    # PEO-02: only the client: 1 and 3
    assert got == {"PEO-01": (3, 5), "PEO-02": (1, 3)}
    # a derived answer is derived again (the responses may have changed); the consultants' own never
    again = proposed_consensus(builtin, rs, {**answers, "PEO-01": ItemAnswer(as_is=1, to_be=2, derived="consensus")})
    assert again == got
    assert (half_up(2.5), half_up(2.25), half_up(3.5)) == (3, 2, 4)


def test_consensus_command_writes_derived_scores_with_a_backup(tmp_path, capsys):
    folder = tmp_path / "e"
    shutil.copytree(ALPENROSE, folder, ignore=shutil.ignore_patterns("waves"))
    path = folder / "engagement.yaml"
    text = path.read_text(encoding="utf-8")
    # unscore two items the respondents answered
    for iid in ("PEO-02", "TEC-07"):
        start = text.index(f"  {iid}: {{")
        end = text.index("\n", start)
        text = text[:start] + f"  {iid}: {{as_is: null, to_be: null, notes: \"\"}}" + text[end:]
    path.write_text(text, encoding="utf-8")
    assert main(["consensus", str(folder), "--dry-run"]) == 0
    assert path.read_text(encoding="utf-8") == text
    assert main(["consensus", str(folder)]) == 0
    out = capsys.readouterr().out
    # PEO-02: client 5 (5, 4, 5), provider 2 (2, 1, 2, 2) -> 3.5 -> 4; to-be 5 and 5 -> 5
    # TEC-07: client 3 (3, 3, 3), provider 1 (1, 1, 2, 1) -> 2; to-be client 4 (4, 4, 5), provider 4 -> 4
    assert "PEO-02: as-is 4, to-be 5" in out and "TEC-07: as-is 2, to-be 4" in out
    eng = load(folder)
    assert (eng.checklist["PEO-02"].as_is, eng.checklist["PEO-02"].to_be, eng.checklist["PEO-02"].derived) == (4, 5, "consensus")
    assert eng.checklist["PEO-01"].derived is None and eng.checklist["PEO-01"].as_is == 5
    backups = list((folder / ".backups").iterdir())
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == text
    assert "# PEO-02" in path.read_text(encoding="utf-8")   # comments survive
    from assessment.facts import load as facts
    assert facts(folder).perception_gaps.derived == ("PEO-02", "TEC-07")
    assert main(["consensus", str(folder)]) == 0          # derived again, to the same values: nothing written
    assert "nothing changed" in capsys.readouterr().out and len(list((folder / ".backups").iterdir())) == 1


def test_names_stay_out_of_the_facts_unless_allowed(tmp_path, builtin):
    from assessment.facts import load as facts
    from assessment.facts.serialise import to_json

    text = to_json(facts(ALPENROSE))
    assert '"perception_gaps"' in text and "Head of Customer Operations" in text
    assert not [n for n in NAMES if n in text]
    folder = tmp_path / "e"
    shutil.copytree(ALPENROSE, folder, ignore=shutil.ignore_patterns("waves"))
    path = folder / "engagement.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "confidentiality: {show_respondent_names: true}\n",
                    encoding="utf-8")
    shown = json.loads(to_json(facts(folder)))["perception_gaps"]
    assert shown["named"] is True and "Sabine Keller, Head of Customer Operations" in {r["label"] for r in shown["respondents"]}


def test_no_responses_is_one_line_and_the_json_says_null(tmp_path):
    from assessment.facts import load as facts
    from assessment.report.readout import Readout

    folder = tmp_path / "e"
    shutil.copytree(ALPENROSE, folder, ignore=shutil.ignore_patterns("waves", "responses"))
    f = facts(folder)
    assert f.perception_gaps is None and f.progress is None
    html = str(Readout(f).section("perception"))
    assert "How each side sees it" in html and html.count("<p") == 1 and "responses folder" in html
    assert str(Readout(f).section("progress")).strip() == ""
    assert "Progress since" not in str(Readout(f).section("contents"))


def test_sections_escape_respondent_text(tmp_path):
    from assessment.facts import load as facts
    from assessment.report.readout import Readout

    folder = tmp_path / "e"
    shutil.copytree(ALPENROSE, folder, ignore=shutil.ignore_patterns("waves"))
    f = folder / "responses" / "client-sabine-keller.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("Head of Customer Operations", "<script>x</script> Ops"),
                 encoding="utf-8")
    html = str(Readout(facts(folder)).section("perception"))
    assert "<script>x" not in html and "&lt;script&gt;x" in html


@pytest.mark.slow
def test_the_pdf_shows_both_sections_by_role(tmp_path):
    import pdfplumber

    from assessment.report.build import build

    out = tmp_path / "out"
    build(ALPENROSE / "engagement.yaml", out, formats=("pdf", "pptx"))
    pdf = next(out.rglob("*.pdf"))
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
    flat = " ".join(text.split())
    assert "How each side sees it" in flat and "Progress since 2026-H1" in flat
    assert "Blind spots" in flat and "Head of Customer Operations" in flat
    assert "People and structure 4.3 3.1 4.1 4" in flat   # the people dimension, worked by hand above
    assert not [n for n in NAMES if n in flat]
    facts_json = next(out.rglob("*-readout.json")).read_text(encoding="utf-8")
    assert "Head of Customer Operations" in facts_json and not [n for n in NAMES if n in facts_json]
    from pptx import Presentation

    deck = Presentation(str(next(out.rglob("*.pptx"))))
    slides = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "How each side sees it: 5 practices the two sides see 2 or more points apart" in slides
    assert not [n for n in NAMES if n in slides]
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    assert "Site manager, Lisboa" in notes and not [n for n in NAMES if n in notes]


def test_one_side_only_is_said_plainly(tmp_path):
    from assessment.facts import load as facts
    from assessment.report.readout import Readout

    folder = tmp_path / "e"
    shutil.copytree(ALPENROSE, folder, ignore=shutil.ignore_patterns("waves", "client-*"))
    f = facts(folder)
    assert dict(f.perception_gaps.counts) == {"client": 0, "provider": 4} and f.perception_gaps.gaps == ()
    html = " ".join(str(Readout(f).section("perception")).split())
    assert "So far we have interviewed 4 people at Nordlicht Services GmbH, and nobody at Alpenrose" in html
    assert "Only one side has been interviewed" in html and "<img" not in html


def test_the_engagement_sets_the_thresholds(tmp_path, builtin):
    from assessment.facts import load as facts
    from assessment.validate import check_file

    folder = tmp_path / "e"
    shutil.copytree(ALPENROSE, folder, ignore=shutil.ignore_patterns("waves"))
    path = folder / "engagement.yaml"
    base = path.read_text(encoding="utf-8")
    path.write_text(base + "perception: {gap_at: 3, spread_at: 4}\n", encoding="utf-8")
    p = facts(folder).perception_gaps
    assert [v.id for v in p.gaps] == ["PEO-02"] and p.spreads == () and p.gap_at == 3
    path.write_text(base + "perception: {gap_at: 0, spread_at: 9}\n", encoding="utf-8")
    assert sorted(x.field for x in check_file(path, builtin).errors) == ["perception.gap_at", "perception.spread_at"]
