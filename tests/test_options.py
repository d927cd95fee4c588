"""The sourcing options evaluation (issue #18): cost model, cost score, verdict, sensitivity, options.yaml
checks, the `assessment options` command, and (slow) the PDF and JSON it writes.

The hand-worked case used throughout (occupancy method):

    horizon 2 years, discount 10 %, 36,000 contacts a year, no growth, AHT 300 s,
    occupancy 0.75, shrinkage 0.20, 1,000 paid hours per FTE.
    workload = 36,000 × 300 ÷ 3,600 = 3,000 h; paid hours = 3,000 ÷ 0.75 ÷ 0.8 = 5,000 h; FTE = 5.
    discount factors: 1 ÷ 1.1 = 0.909091, 1 ÷ 1.21 = 0.826446 (sum 1.735537).

    A (status quo): £40/h, factors 1.0, no transition, no governance:
        200,000 a year; NPV = 200,000 × 1.735537 = 347,107.44
    B: £30/h (cheaper per hour), year-1 factor 1.2 then 1.0, transition 50,000, governance 5 %:
        year 1: paid 6,000 h, run 180,000, governance 9,000, total 189,000, PV 171,818.18
        year 2: paid 5,000 h, run 150,000, governance 7,500, total 157,500, PV 130,165.29
        NPV = 50,000 + 171,818.18 + 130,165.29 = 351,983.47: it costs 4,876.03 MORE than A
    C: £25/h, factors 1.0, transition 20,000, governance 4 %:
        130,000 a year; NPV = 20,000 + 130,000 × 1.735537 = 245,619.83; savings 101,487.60
        payback: 20,000 ÷ (70,000 ÷ 12 = 5,833.33 a month) = 3.43 -> month 4
        break-even price: (347,107.44 − 20,000) ÷ (5,000 × 1.04 × 1.735537 = 9,024.79) = 36.2454

    cost scores (lowest NPV 5, highest 1): C 5, B 1, A 5 − 4 × (347,107.44 − 245,619.83) ÷
        (351,983.47 − 245,619.83) = 5 − 4 × 0.954157 = 1.18337
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from assessment import options as options_file
from assessment.analyses import options as m
from assessment.errors import InvalidInput
from conftest import EXAMPLES

A = m.Option("a", "Keep in house", 40.0, status_quo=True)
B = m.Option("b", "Cheap offshore", 30.0, aht_factor=1.0, year1_aht_factor=1.2, transition_cost=50_000,
             governance_pct=0.05, lead_time_days=90)
C = m.Option("c", "Nearshore", 25.0, transition_cost=20_000, governance_pct=0.04, lead_time_days=30)


def inputs(criteria=None, scores=None, options=(A, B, C), **kw) -> m.Inputs:
    base = dict(horizon_years=2, discount_rate=0.10, annual_contacts=36_000, aht_seconds=300, growth=0.0,
                sl_percent=80, sl_seconds=20, shrinkage=0.20, paid_hours_per_fte=1000, occupancy=0.75,
                options=tuple(options), criteria=criteria or {"cost": 50, "quality": 50},
                scores=scores or {"a": {"quality": 4}, "b": {"quality": 5}, "c": {"quality": 2}})
    base.update(kw)
    return m.Inputs(**base)


# ---------------------------------------------------------------- the cost model
def test_years_follow_the_formulas_by_hand():
    inp = inputs()
    a = m.years(inp, A)
    assert [round(y.workload_hours, 6) for y in a] == [3000, 3000]
    assert [round(y.paid_hours, 6) for y in a] == [5000, 5000]
    assert [round(y.fte, 6) for y in a] == [5, 5]
    assert [round(y.total, 2) for y in a] == [200_000, 200_000]
    b = m.years(inp, B)
    assert round(b[0].paid_hours, 6) == 6000 and round(b[0].governance, 2) == 9000 and round(b[0].total, 2) == 189_000
    assert round(b[1].total, 2) == 157_500
    assert round(m.npv(A, a), 2) == 347_107.44
    assert round(m.npv(B, b), 2) == 351_983.47
    assert round(m.npv(C, m.years(inp, C)), 2) == 245_619.83


def test_growth_compounds_from_year_two():
    inp = inputs(growth=0.10, horizon_years=3)
    assert [round(y.contacts) for y in m.years(inp, A)] == [36_000, 39_600, 43_560]


def test_savings_payback_and_break_even_price_by_hand():
    ev = m.evaluate(inputs())
    c, b = ev.result("c"), ev.result("b")
    assert round(c.savings, 2) == 101_487.60
    assert round(b.savings, 2) == -4_876.03          # cheaper per hour, dearer over the horizon
    assert c.payback_month == 4                      # 20,000 ÷ 5,833.33 = 3.43
    # B, undiscounted: −50,000 + 11,000 (year 1) + 23 × 0 ... : −50,000 + 11,000 + 11 × 42,500 ÷ 12 = −41.67
    # after month 23, +3,500 after month 24: simple payback in month 24, though its NPV is negative
    assert b.payback_month == 24
    assert round(c.break_even_price, 4) == 36.2454
    assert ev.status_quo.payback_month is None and ev.status_quo.savings == 0


def test_payback_is_immediate_without_extra_transition_cost():
    cheap = m.Option("d", "No transition", 30.0)
    ev = m.evaluate(inputs(options=(A, cheap), scores={"a": {"quality": 3}, "d": {"quality": 3}}))
    assert ev.result("d").payback_month == 0


# ---------------------------------------------------------------- cost score and weighted totals
def test_cost_score_lowest_five_highest_one_linear_and_all_equal_three():
    assert m.cost_scores({"x": 100, "y": 200, "z": 150}) == {"x": 5.0, "y": 1.0, "z": 3.0}
    assert m.cost_scores({"x": 100, "y": 100}) == {"x": 3.0, "y": 3.0}
    ev = m.evaluate(inputs())
    assert ev.result("c").scores["cost"] == 5 and ev.result("b").scores["cost"] == 1
    assert round(ev.result("a").scores["cost"], 5) == 1.18337


def test_weighted_total_is_the_weighted_mean():
    ev = m.evaluate(inputs())
    # A: (50 × 1.18337 + 50 × 4) ÷ 100 = 2.59169; B: (50 × 1 + 50 × 5) ÷ 100 = 3.0; C: (50 × 5 + 50 × 2) ÷ 100 = 3.5
    assert round(ev.result("a").weighted_total, 4) == 2.5917
    assert ev.result("b").weighted_total == 3.0
    assert ev.result("c").weighted_total == 3.5


# ---------------------------------------------------------------- the verdict
def test_outsource_when_the_margin_beats_the_band_and_savings_survive_the_swings():
    ev = m.evaluate(inputs())
    rec = ev.recommendation
    # C: 3.5 − 2.5917 = 0.908 > 0.3; worst swing: price (or handle time) +20 % -> £30/h:
    #   (150,000 + 6,000) × 1.735537 + 20,000 = 290,743.80; savings 347,107.44 − 290,743.80 = 56,363.64
    assert rec.verdict == m.OUTSOURCE and rec.option == "c" and rec.best == "c"
    assert round(rec.margin, 3) == 0.908
    assert round(rec.pessimistic_savings, 2) == 56_363.64
    assert rec.would_change == ()


def test_a_cheaper_option_still_loses_on_the_criteria():
    # Quality weighs 80: A = (20 × 1.18337 + 80 × 4) ÷ 100 = 3.4367; B = (20 × 1 + 80 × 5) ÷ 100 = 4.2;
    # C = (20 × 5 + 80 × 2) ÷ 100 = 2.6. C is the cheapest (saves 101,487.60) and loses; B leads but costs
    # 4,876.03 more than A, so the pessimistic savings are negative: not convinced.
    ev = m.evaluate(inputs(criteria={"cost": 20, "quality": 80}))
    rec = ev.recommendation
    assert round(ev.result("a").weighted_total, 4) == 3.4367 and ev.result("c").weighted_total == 2.6
    assert rec.best == "b" and rec.verdict == m.NOT_CONVINCED and rec.option == "a"
    assert rec.pessimistic_savings < 0
    assert any("cheaper still" in r and "Nearshore" in r for r in rec.reasons)
    assert rec.would_change


def test_a_margin_inside_the_band_is_not_convinced_even_with_savings():
    inp = inputs(scores={"a": {"quality": 4}, "b": {"quality": 1}, "c": {"quality": 1}})
    ev = m.evaluate(inp)
    # A: 2.5917, C: (250 + 50) ÷ 100 = 3.0: margin 0.408 > 0.3 -> outsource; with a band of 0.5: not convinced
    assert ev.recommendation.verdict == m.OUTSOURCE
    ev = m.evaluate(inputs(scores={"a": {"quality": 4}, "b": {"quality": 1}, "c": {"quality": 1}}, band=0.5))
    assert ev.recommendation.verdict == m.NOT_CONVINCED and ev.result("c").savings > 0
    assert "not more than the 0.5-point" in ev.recommendation.reasons[0]


# ---------------------------------------------------------------- sensitivity
def test_sensitivity_swings_each_input_and_finds_the_flip_value():
    ev = m.evaluate(inputs())
    by_key = {s.key: s for s in ev.sensitivity}
    assert set(by_key) == set(m.SENSITIVITY_INPUTS)
    price = by_key["price"]
    # −20 %: £20/h -> (100,000 + 4,000) × 1.735537 + 20,000 = 200,495.87; savings 146,611.57
    assert round(price.savings_low, 2) == 146_611.57 and round(price.savings_high, 2) == 56_363.64
    assert not price.flips
    # the savings reach zero at the break-even price: £36.2454 (×1.44982)
    assert round(price.flip_value, 2) == 36.25 and round(price.flip_multiplier, 3) == 1.450
    # transition +20 %: 24,000 -> savings 97,487.60. Transition is paid undiscounted, so the savings reach
    # zero at 20,000 + 101,487.60 = 121,487.60 (×6.0744), well beyond 3 × the input.
    assert round(by_key["transition"].savings_high, 2) == 97_487.60
    assert round(by_key["transition"].flip_value, 2) == 121_487.60
    assert round(by_key["transition"].flip_multiplier, 4) == 6.0744
    # governance is a share of the run cost (125,000 × 1.735537 = 216,942.15 in today's money):
    # zero at 4 % + 101,487.60 ÷ 216,942.15 = 50.78 %
    assert round(by_key["governance"].flip_value, 4) == 0.5078
    assert ev.sensitivity[0].spread >= ev.sensitivity[-1].spread     # largest effect first


def test_an_input_that_flips_within_twenty_percent_is_named():
    # C at £34/h: savings (347,107.44 − 20,000 − 34 × 9,024.79) = 20,264.6 > 0; at +20 % (£40.80) negative
    dear = m.Option("c", "Nearshore", 34.0, transition_cost=20_000, governance_pct=0.04)
    ev = m.evaluate(inputs(options=(A, B, dear)))
    price = next(s for s in ev.sensitivity if s.key == "price")
    assert price.flips and round(price.flip_value, 2) == 36.25
    assert ev.recommendation.verdict == m.NOT_CONVINCED


# ---------------------------------------------------------------- Erlang C staffing
def test_erlang_method_staffs_each_interval_and_scales_to_a_year():
    # One day of two one-hour intervals: 120 and 0 contacts. 365 days of 120 contacts a day = 43,800 a year.
    # AHT 240 s, 80/20: 120 calls an hour need 11 agents (domain brief: 11 agents give 80.9 %).
    # Agent hours a year = 11 × 1 h × 365 = 4,015; paid = 4,015 ÷ (1 − 0.2) = 5,018.75.
    profile = m.Profile((120.0, 0.0), 3600, 1.0)
    inp = inputs(annual_contacts=43_800, aht_seconds=240, horizon_years=1)
    y = m.years(inp, A, profile)[0]
    assert round(y.paid_hours, 2) == 5018.75
    assert m.evaluate(inp, profile).method == m.ERLANG_METHOD
    assert m.evaluate(inp).method == m.OCCUPANCY_METHOD


# ---------------------------------------------------------------- prerequisites
def test_earliest_hand_off_is_never_sooner_than_the_lines():
    p = m.prerequisites(C, dt.date(2026, 12, 1))          # lead time 30 days < 60 days for the lines
    assert p.earliest_hand_off == dt.date(2027, 1, 30) and p.lead_time_days == 60
    assert [s[0] for s in p.steps] == ["Hand-off date", "Telecom and data lines", "Agent hiring, then training", "CRM"]
    assert m.prerequisites(B, dt.date(2026, 12, 1)).earliest_hand_off == dt.date(2027, 3, 1)


# ---------------------------------------------------------------- options.yaml
def test_the_starter_file_loads_and_warns_about_the_blank_end_customer_gain(tmp_path):
    path = options_file.create(tmp_path, 'Acme "Retail"\nLtd')
    assert path == tmp_path / "acme-retail-ltd" / "options.yaml"
    text = path.read_text()
    assert "governance_pct" in text and "3-6 %" in text and "45-60 days" in text
    f = options_file.load(path)
    assert f.client == 'Acme "Retail"\nLtd' and len(f.inputs.options) == 2
    assert [w.field for w in f.warnings] == ["end_customer_gain"]
    with pytest.raises(InvalidInput) as exc:             # never overwritten
        options_file.create(tmp_path, 'Acme "Retail"\nLtd')
    assert "nothing is overwritten" in str(exc.value)


BAD = """\
client: {name: "Acme"}
horizon_years: 0
discount_rate: 0.08
demand: {annual_contacts: 1000, aht_seconds: 300, growth: 0.03}
service_target: {percent: 80, seconds: 20}
staffing: {shrinkage: 1.2, paid_hours_per_fte: 1720, occupancy: 0.85}
options:
  - {id: in-house, label: "Keep", status_quo: true, cost_per_paid_hour: 46.0}
  - {id: near, label: "Near", status_quo: true, cost_per_paid_hour: -3, governance_pct: 0.9}
criteria: {cost: 30, quality: 20}
scores:
  in-house: {quality: 3}
  near: {quality: 7}
  ghost: {quality: 3}
end_customer_gain: "Faster answers"
"""


def test_every_problem_is_reported_at_once_with_file_line_field(tmp_path):
    path = tmp_path / "options.yaml"
    path.write_text(BAD)
    with pytest.raises(InvalidInput) as exc:
        options_file.load(path)
    text = str(exc.value)
    for expected in (
        "options.yaml:2: error: horizon_years: expected a whole number from 1 to 5, found 0",
        "options.yaml:6: error: staffing.shrinkage: expected a share (0.30 for 30 %) from 0 to 0.9, found 1.2",
        "options[1].cost_per_paid_hour: expected a price per paid hour above 0 and at most 10000, found -3",
        "options[1].governance_pct: expected a share of run cost (0.04 for 4 %) from 0 to 0.5, found 0.9",
        "options: expected exactly one option with status_quo: true",
        "criteria: expected weights that sum to 100, found 50",
        "options.yaml:13: error: scores.near.quality: expected a score from 1 to 5, found 7",
        "scores.ghost: expected an option id (in-house, near), found 'ghost'",
    ):
        assert expected in text, f"missing: {expected}\n{text}"


def test_missing_scores_and_a_cost_score_are_errors(tmp_path):
    path = tmp_path / "options.yaml"
    path.write_text(BAD.replace("horizon_years: 0", "horizon_years: 3").replace("shrinkage: 1.2", "shrinkage: 0.3")
                    .replace("status_quo: true, cost_per_paid_hour: -3, governance_pct: 0.9", "cost_per_paid_hour: 30")
                    .replace("criteria: {cost: 30, quality: 20}", "criteria: {cost: 30, quality: 20, control: 50}")
                    .replace("near: {quality: 7}", "near: {quality: 3, cost: 5}").replace("  ghost: {quality: 3}\n", ""))
    with pytest.raises(InvalidInput) as exc:
        options_file.load(path)
    text = str(exc.value)
    assert "scores.near.cost: expected no cost score (it is computed from the NPV)" in text
    assert "expected a score from 1 to 5 for in-house: control, found nothing" in text
    assert "expected a score from 1 to 5 for near: control, found nothing" in text


# ---------------------------------------------------------------- the examples
def test_the_examples_answer_as_their_facts_argue():
    from assessment.report.options import OptionsReport

    kestrel = OptionsReport.load(str(EXAMPLES / "kestrel-insurance")).to_dict()
    rec = kestrel["recommendation"]
    assert rec["verdict"] == m.OUTSOURCE and rec["option"] == "surge-partner"
    by_id = {o["id"]: o for o in kestrel["options"]}
    # Apex is the cheapest and still loses on the criteria
    assert by_id["apex"]["npv"] < by_id["surge-partner"]["npv"] and by_id["apex"]["weighted_total"] < by_id["surge-partner"]["weighted_total"]
    assert kestrel["method"] == m.OCCUPANCY_METHOD
    harbour = OptionsReport.load(str(EXAMPLES / "harbour-lane-bank")).to_dict()
    assert harbour["recommendation"]["verdict"] == m.NOT_CONVINCED and harbour["recommendation"]["option"] == "in-house"
    assert harbour["method"] == m.ERLANG_METHOD and harbour["recommendation"]["end_customer_gain"] is None
    for o in harbour["options"]:
        assert set(o) >= {"id", "npv", "annual_cost", "fte", "savings_vs_status_quo", "weighted_total"}
        assert len(o["annual_cost"]) == len(o["fte"]) == 3


# ---------------------------------------------------------------- the command
def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "assessment", *args], capture_output=True, text=True, cwd=cwd)


def test_options_new_writes_a_starter_and_refuses_to_overwrite(tmp_path):
    r = _cli("options", "new", "Acme Retail", "--root", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "acme-retail" / "options.yaml").is_file()
    r = _cli("options", "new", "Acme Retail", "--root", str(tmp_path))
    assert r.returncode == 1 and "nothing is overwritten" in r.stderr and "Traceback" not in r.stderr
    r = _cli("options", "new")
    assert r.returncode == 2 and "client's name" in r.stderr


def test_options_on_a_broken_file_lists_every_problem_and_writes_nothing(tmp_path):
    (tmp_path / "eng").mkdir()
    (tmp_path / "eng" / "options.yaml").write_text(BAD)
    r = _cli("options", str(tmp_path / "eng"), "--out", str(tmp_path / "out"))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.count("error:") >= 8 and "nothing was written" in r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


def test_options_help_names_both_forms():
    r = _cli("options", "--help")
    assert r.returncode == 0 and 'assessment options new "Acme Retail"' in r.stdout and "--out" in r.stdout


# ---------------------------------------------------------------- the PDF and JSON, built for real
@pytest.mark.slow
@pytest.mark.parametrize("slug,verdict", [("kestrel-insurance", "Outsource to UK storm-surge specialist"),
                                          ("harbour-lane-bank", "Not convinced: don't outsource yet")])
def test_the_options_report_reads_as_advice_and_passes_the_page_gate(tmp_path, slug, verdict):
    pdfplumber = pytest.importorskip("pdfplumber")
    import pagecheck as pc
    from assessment.report.build_options import build_options
    from assessment.resources import TEMPLATES

    built = build_options(EXAMPLES / slug, tmp_path)
    pdf, js = built.outputs["pdf"], built.outputs["json"]
    assert pdf.name == f"{slug}-options.pdf" and js.name == f"{slug}-options.json"
    from assessment.outputs import MARKER, read_marker
    assert read_marker(tmp_path / slug)["client"] and (tmp_path / slug / MARKER).is_file()
    with pdfplumber.open(pdf) as doc:
        pages = [p.extract_text() or "" for p in doc.pages]
    assert 3 <= len(pages) <= 6
    first = " ".join(pages[1].split())
    assert verdict in first and "The question" in first and "NPV" in first
    data = json.loads(js.read_text())
    sq = next(o for o in data["options"] if o["status_quo"])
    best = next(o for o in data["options"] if o["id"] == data["recommendation"]["best_alternative"])
    assert f"{sq['npv']:,.0f}" in first and f"{best['npv']:,.0f}" in first
    if slug == "harbour-lane-bank":
        assert "What does your end customer stand to gain?" in first
        assert "not 15 January 2027 as planned" in first
    else:
        assert "roof came off at 9 pm" in first
    text = " ".join(" ".join(pages).split())
    assert "Appendix: inputs and formulas" in text and "Year 1 of" in text and "worked through" in text
    css = (TEMPLATES / "readout" / "readout.css").read_text()
    offences = pc.check_pdf(pdf, pc.margins_from_css(css), cover=True)
    assert not offences, pc.report(offences)


# ---------------------------------------------------------------- hostile text and broken inputs beside it
def test_consultant_text_is_escaped_in_every_section(tmp_path):
    from assessment.report.options import SECTIONS, OptionsReport

    folder = tmp_path / "acme"
    path = options_file.create(tmp_path, "Acme <b>Retail</b>", slug="acme")
    text = path.read_text().replace('label: "Nearshore partner"', 'label: "<script>alert(1)</script>"')
    text = text.replace('end_customer_gain: ""', 'end_customer_gain: "<img src=x onerror=alert(1)> faster"')
    path.write_text(text)
    r = OptionsReport.load(str(folder))
    html = "".join(str(r.section(s)) for s in SECTIONS)
    assert "<script>" not in html and "<img src=x" not in html and "<b>Retail</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;Retail&lt;/b&gt;" in html


def test_a_broken_contacts_csv_beside_options_is_reported_with_its_line(tmp_path):
    folder = tmp_path / "acme"
    options_file.create(tmp_path, "Acme", slug="acme")
    (folder / "contacts.csv").write_text("timestamp,offered,answered,abandoned,aht_seconds\n"
                                         "2026-10-05T08:00,10,9,1,300\n2026-10-05T08:30,lots,9,1,300\n")
    with pytest.raises(InvalidInput) as exc:
        options_file.profile_for(folder / "options.yaml")
    assert "contacts.csv:3: error: offered" in str(exc.value)


def test_check_lists_problems_and_builds_nothing(tmp_path):
    r = _cli("options", str(EXAMPLES / "harbour-lane-bank"), "--check")
    assert r.returncode == 0 and "end_customer_gain" in r.stdout and "ok: 3 options, 1 warning(s)" in r.stdout
    (tmp_path / "options.yaml").write_text(BAD)
    r = _cli("options", str(tmp_path), "--check")
    assert r.returncode == 1 and r.stderr.count("error:") >= 8 and "Traceback" not in r.stderr
