"""The business case in money: every formula against hand-worked values (the working is in the comments)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from conftest import EXAMPLES, VALID_HEAD

from assessment.analyses import business_case as bc
from assessment.model import Commercials
from assessment.validate import check_file

# Erlang C (domain brief): 120 calls an hour at AHT 240 s is A = 8 Erlangs; within 20 s
#   10 agents -> 65.4 %, 11 -> 80.9 %, 12 -> 90.0 %.
# So 80 % needs 11 agents, 85 % needs 12, 60 % needs 10 (9 give only 39.9 %).
BUSY = dict(offered=120, aht_s=240.0)


def ten_days(extra=()) -> bc.ContactData:
    """Ten days (Monday to Friday, twice) with one open hour 10:00-11:00 of 120 calls at 240 s."""
    days = [bc.Interval(wd % 5, 10.0, **BUSY) for wd in range(10)]
    return bc.ContactData(tuple(days) + tuple(extra), days=10, interval_s=3600)


def test_money_formats_symbol_or_code():
    assert bc.money(410000, "EUR") == "€410,000"
    assert bc.money(32, "GBP", 2) == "£32.00"
    assert bc.money(1250.4, "CHF") == "CHF 1,250"
    assert bc.money(-95.5, "USD") == "-$96"


# --------------------------------------------------------------------------- over- and under-staffing
def test_over_delivery_hand_worked():
    # each day: 12 agents for 85 % - 11 for 80 % = 1 agent over one hour = 1 agent-hour; 10 days -> 10 agent-hours
    # a month: 10 x 30.4 / 10 = 30.4 agent-hours; a year: 30.4 x 12 x 30.00 = 10,944.00
    closed = bc.Interval(5, 10.0, offered=500, aht_s=240.0, open=False)   # closed: never counted
    a = bc.staffing_gap(ten_days([closed]), 0.85, 0.80, 20, 30.0, "GBP")
    assert a.key == bc.OVER_DELIVERY and a.period == "a year" and a.currency == "GBP"
    assert a.value == pytest.approx(10944.0) and a.annual == pytest.approx(10944.0)
    results = {v.name: v.value for v in a.results}
    assert results == {"Agent-hours in the data": pytest.approx(10.0), "Agent-hours a month": pytest.approx(30.4)}
    inputs = {v.name: v.value for v in a.inputs}
    assert inputs["Service level achieved"] == 85.0 and inputs["Cost of an agent hour"] == 30.0
    assert inputs["Open intervals with contacts"] == 10
    assert "= 10 agent-hours in 10 days" in a.working and "30.4 agent-hours a month" in a.working
    assert a.working.endswith("£10,944 a year") and "Erlang C" in a.formula


def test_under_staffing_when_the_target_is_missed():
    # 60 % needs 10 agents, 80 % needs 11: one agent-hour short a day, the same 10,944.00 a year, as a positive cost
    a = bc.staffing_gap(ten_days(), 0.60, 0.80, 20, 30.0, "GBP")
    assert a.key == bc.UNDER_STAFFING and a.value == pytest.approx(10944.0)
    assert "-30.4 agent-hours a month" in a.working


def test_an_interval_without_handle_time_uses_the_mean():
    # 120 calls with no handle time take the mean of the others (240 s): the same 12 - 11 = 1 agent as the rest
    no_aht = bc.Interval(0, 11.0, offered=120, aht_s=None)
    data = ten_days([no_aht])
    assert data.mean_aht() == pytest.approx(240.0) and data.aht(no_aht) == pytest.approx(240.0)
    a = bc.staffing_gap(data, 0.85, 0.80, 20, 30.0, "GBP")
    assert a.results[0].value == pytest.approx(11.0)   # 10 + 1 agent-hours


def test_an_achieved_100_percent_is_capped_for_erlang():
    a = bc.staffing_gap(ten_days(), 1.0, 0.80, 20, 30.0, "EUR")
    assert a.key == bc.OVER_DELIVERY and a.value > 10944.0


# --------------------------------------------------------------------------- abandoned contacts
def test_under_delivery_hand_worked():
    # 20 days, two open intervals a day: offered 100 + 60, abandoned 5 + 3 -> 160 abandoned, 3,200 offered
    # a month: 160 x 30.4 / 20 = 243.2 abandoned; x 18.00 = 4,377.60 a month; x 12 = 52,531.20 a year
    # target 4 %: 3,200 x 30.4 / 20 = 4,864 offered a month, 4 % = 194.56 -> 48.64 above it, x 18 = 875.52
    rows = []
    for d in range(20):
        rows += [bc.Interval(d % 7, 9.0, offered=100, abandoned=5), bc.Interval(d % 7, 10.0, offered=60, abandoned=3),
                 bc.Interval(d % 7, 22.0, offered=50, abandoned=50, open=False)]   # closed hours: not a queue
    data = bc.ContactData(tuple(rows), days=20, interval_s=3600)
    a = bc.under_delivery(data, 18.0, "EUR", abandonment_target=0.04)
    assert a.key == bc.UNDER_DELIVERY and a.period == "a month"
    assert a.value == pytest.approx(4377.6) and a.annual == pytest.approx(52531.2)
    r = {v.name: v.value for v in a.results}
    assert r["Contacts abandoned in the data"] == 160 and r["Contacts abandoned a month"] == pytest.approx(243.2)
    assert r["Abandonment rate"] == pytest.approx(5.0)
    assert r["Abandoned above the 4 % target a month"] == pytest.approx(48.64)
    assert r["Value of those above the target a month"] == pytest.approx(875.52)
    assert a.working == "160 abandoned in 20 days × 30.4 ÷ 20 = 243.2 a month × €18.00 = €4,378 a month (€52,531 a year)"


# --------------------------------------------------------------------------- service credits
def test_credit_window_is_twelve_months_ending_with_the_month():
    assert bc.credit_window("2026-10") == ("2025-11", "2026-10")
    assert bc.credit_window("2026-01") == ("2025-02", "2026-01")
    assert bc.credit_window("2026-03", 3) == ("2026-01", "2026-03")


def test_service_credits_hand_worked():
    # window 2025-11..2026-10. service_level missed in 11 months (not 2026-01), abandonment in 7 (2026-04..10),
    # asa missed everywhere but carries no credit, and 2025-10 lies outside the window.
    # 11 x 2 % x 185,000 = 40,700; 7 x 1 % x 185,000 = 12,950; total 53,650
    months = [f"2025-{m:02d}" for m in (11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]
    rows = [bc.KpiMonth("2025-10", "service_level", True)]
    for m in months:
        rows.append(bc.KpiMonth(m, "service_level", m != "2026-01"))
        rows.append(bc.KpiMonth(m, "abandonment", m >= "2026-04"))
        rows.append(bc.KpiMonth(m, "asa", True))
    credits = [SimpleNamespace(kpi="service_level", percent=2.0), {"kpi": "abandonment", "percent": 1.0}]
    a = bc.service_credits(rows, credits, 185000, "2026-10", "GBP")
    assert a.key == bc.SERVICE_CREDITS and a.value == pytest.approx(53650.0) and a.annual == a.value
    r = {v.name: v.value for v in a.results}
    assert r == {"service_level: months missed": 11, "service_level: credits due": pytest.approx(40700.0),
                 "abandonment: months missed": 7, "abandonment: credits due": pytest.approx(12950.0)}
    assert a.working == ("service_level: 11 × 2 % × £185,000 = £40,700; abandonment: 7 × 1 % × £185,000 = £12,950; "
                         "total £53,650 (2025-11 to 2026-10)")
    assert a.note == ""


def test_service_credits_say_when_months_are_missing():
    a = bc.service_credits([bc.KpiMonth("2026-10", "service_level", True)], [("service_level", 2.0)], 100000,
                           "2026-10", "EUR")
    assert a.value == pytest.approx(2000.0) and "1 of the 12 months" in a.note


# --------------------------------------------------------------------------- a change of hours
def test_adding_an_hour_hand_worked():
    # Ten weekdays; 17:00-18:00 is closed and carries 120 attempts a day with no handle time, so the mean handle
    # time of the open hour (240 s) applies: A = 8, 80/20 needs 11 agents. One day's 17:00 hour has no attempts:
    # it still needs 1 agent (the line is open). So 9 x 11 + 1 = 100 agent-hours in 10 days.
    # a month: 100 x 30.4 / 10 = 304 agent-hours x 30.00 = 9,120.00 (109,440 a year)
    # contacts: 9 x 120 = 1,080 in 10 days -> 3,283.2 a month x 18.00 = 59,097.60 (709,171.20 a year)
    # net in the client's favour: 709,171.20 - 109,440 = 599,731.20 a year
    late = [bc.Interval(wd % 5, 17.0, offered=0 if wd == 3 else 120, abandoned=0 if wd == 3 else 120, open=False)
            for wd in range(10)]
    data = ten_days(late)
    change = bc.HourChange(bc.ADD, (0, 1, 2, 3, 4), 17.0, 18.0, "weekday closing 17:00 → 18:00")
    c = bc.coverage_change(data, change, 0.80, 20, 30.0, 18.0, "GBP")
    assert c.agent_hours_month == pytest.approx(304.0) and c.contacts_month == pytest.approx(3283.2)
    assert c.staffing.key == bc.COVERAGE_STAFFING and c.staffing.value == pytest.approx(9120.0)
    assert c.staffing.annual == pytest.approx(109440.0) and c.staffing.label.startswith("Staffing cost")
    assert c.contacts.value == pytest.approx(59097.6) and c.contacts.label.startswith("Contacts recovered")
    assert c.net_annual == pytest.approx(599731.2)
    assert "repeat dials" in c.contacts.note
    assert json.dumps(c.to_dict(), ensure_ascii=False)


def test_removing_an_hour_hand_worked():
    # 10:00-11:00 on ten weekdays: 11 agents each (80/20) -> 110 agent-hours; 110 x 30.4 / 10 = 334.4 agent-hours
    # a month x 30.00 = 10,032.00 saved (120,384 a year); 1,200 contacts -> 3,648 a month x 18 = 65,664 at risk
    # (787,968 a year): net in the client's favour 120,384 - 787,968 = -667,584 a year (it does not pay)
    change = bc.HourChange(bc.REMOVE, (0, 1, 2, 3, 4), 10.0, 11.0, "weekday opening 10:00 → 11:00")
    c = bc.coverage_change(ten_days(), change, 0.80, 20, 30.0, 18.0, "GBP")
    assert c.staffing.value == pytest.approx(10032.0) and c.staffing.label.startswith("Staffing saved")
    assert c.contacts.value == pytest.approx(65664.0) and c.contacts.label.startswith("Contacts at risk")
    assert c.net_annual == pytest.approx(-667584.0)


def test_a_change_without_prices_still_counts_hours_and_contacts():
    change = bc.HourChange(bc.REMOVE, (0, 1, 2, 3, 4), 10.0, 11.0, "weekday opening 10:00 → 11:00")
    c = bc.coverage_change(ten_days(), change, 0.80, 20, None, None, "GBP")
    assert (c.staffing, c.contacts, c.net_annual) == (None, None, None)
    assert c.agent_hours_month == pytest.approx(334.4)


# --------------------------------------------------------------------------- the whole case, and what is missing
COMMERCIALS = Commercials(currency="GBP", agent_hour_cost=30.0, monthly_fee=100000,
                          service_credits=[{"kpi": "service_level", "percent": 2.0}], value_per_lost_contact=18.0)


def test_business_case_computes_what_the_data_allows():
    rows = [bc.KpiMonth("2026-10", "service_level", True)]
    change = bc.HourChange(bc.REMOVE, (0,), 10.0, 11.0, "Monday opening 10:00 → 11:00")
    case = bc.business_case(COMMERCIALS, ten_days(), rows, "2026-10", 0.85, 0.80, 20, [change])
    assert [a.key for a in case.amounts] == [bc.OVER_DELIVERY, bc.UNDER_DELIVERY, bc.SERVICE_CREDITS]
    assert case.amount(bc.OVER_DELIVERY).value == pytest.approx(10944.0)
    assert case.amount(bc.SERVICE_CREDITS).value == pytest.approx(2000.0)
    assert case.missing == () and len(case.coverage) == 1
    assert [a.key for a in case.all_amounts()][-2:] == [bc.COVERAGE_STAFFING, bc.COVERAGE_CONTACTS]
    data = json.loads(json.dumps(case.to_dict(), ensure_ascii=False))
    assert data["currency"] == "GBP" and data["amounts"][0]["formula"]


def test_without_commercials_every_figure_says_what_it_needs():
    case = bc.business_case(None, ten_days(), [bc.KpiMonth("2026-10", "service_level", True)], "2026-10", 0.85, 0.80)
    assert case.amounts == () and case.coverage == () and case.currency is None
    needs = {m.figure: m.needs for m in case.missing}
    assert needs == {bc.OVER_DELIVERY: ("hour",), bc.UNDER_DELIVERY: ("value",), bc.SERVICE_CREDITS: ("fee", "credits"),
                     "coverage_change": ("hour", "value", "hours")}
    over = next(m for m in case.missing if m.figure == bc.OVER_DELIVERY)
    assert over.sentence == ("Pricing over- or under-staffing against the service level target needs the loaded cost "
                             "of one staffed agent hour (commercials.agent_hour_cost in engagement.yaml).")
    nothing = bc.business_case(None)
    assert {m.figure: m.needs for m in nothing.missing}[bc.SERVICE_CREDITS] == ("fee", "credits", "kpis")
    assert "monthly KPI results (kpis.csv)" in nothing.missing[2].sentence


def test_partial_commercials_compute_the_figures_they_can():
    only_value = Commercials(currency="EUR", value_per_lost_contact=10.0)
    case = bc.business_case(only_value, ten_days())
    assert [a.key for a in case.amounts] == [bc.UNDER_DELIVERY]
    assert {m.figure for m in case.missing} == {bc.OVER_DELIVERY, bc.SERVICE_CREDITS, "coverage_change"}


# --------------------------------------------------------------------------- adapters
def test_contact_data_from_a_frame_and_coverage():
    import pandas as pd

    from assessment.model import Coverage

    df = pd.DataFrame({"timestamp": pd.to_datetime(["2026-10-05 08:30", "2026-10-05 09:00", "2026-10-06 09:00"]),
                       "offered": [4, 10, 12], "answered": [0, 9, 11], "abandoned": [4, 1, 1],
                       "aht_seconds": [None, 300, 280]})
    cov = Coverage(mon="09:00-17:00", tue="09:00-17:00")
    data = bc.contact_data(df, cov)
    assert data.days == 2 and data.interval_s == 1800
    assert [(i.weekday, i.hour, i.open, i.aht_s) for i in data.intervals] == [
        (0, 8.5, False, None), (0, 9.0, True, 300.0), (1, 9.0, True, 280.0)]
    assert bc.contact_data(df.iloc[0:0], cov).days == 0


def test_changes_from_coverage_edges():
    windows = [(9.0, 17.0)] * 5 + [(10.0, 14.0), None]
    facts = SimpleNamespace(windows=windows, edges=[
        SimpleNamespace(days="weekday", side="closing", hour=17.0, share=0.069),   # extend: the hour after
        SimpleNamespace(days="weekday", side="opening", hour=9.0, share=0.065),    # extend: the hour before
        SimpleNamespace(days="Saturday", side="opening", hour=10.0, share=0.007),  # trim: the first hour
        SimpleNamespace(days="Saturday", side="closing", hour=14.0, share=0.01),   # trim: the last hour
    ])
    got = [(c.action, c.weekdays, c.start, c.end, c.label) for c in bc.changes_from_coverage(facts)]
    assert got == [(bc.ADD, (0, 1, 2, 3, 4), 17.0, 18.0, "weekday closing 17:00 → 18:00"),
                   (bc.ADD, (0, 1, 2, 3, 4), 8.0, 9.0, "weekday opening 09:00 → 08:00"),
                   (bc.REMOVE, (5,), 10.0, 11.0, "Saturday opening 10:00 → 11:00"),
                   (bc.REMOVE, (5,), 13.0, 14.0, "Saturday closing 14:00 → 13:00")]
    assert bc.weekdays_of(windows, "Sunday") == ()


def test_kpi_months_and_service_level_from_a_scorecard():
    from assessment.analyses.kpis import load_catalogue, scorecard

    rows = [{"month": m, "kpi": "service_level", "actual": a, "target": 80} for m, a in
            (("2026-07", 70.0), ("2026-08", 90.0), ("2026-09", 93.0), ("2026-10", 96.0))]
    sc = scorecard(rows, load_catalogue())
    months = bc.kpi_months(sc)
    assert [(m.month, m.missed) for m in months] == [("2026-07", True), ("2026-08", False), ("2026-09", False),
                                                     ("2026-10", False)]
    # the last three months up to 2026-10: (90 + 93 + 96) / 3 = 93 %
    assert bc.service_level(sc, "2026-10") == (pytest.approx(0.93), 0.80)
    assert bc.service_level(sc, "2026-08") == (pytest.approx(0.80), 0.80)
    assert bc.service_level(sc, "2026-10", key="asa") is None


# --------------------------------------------------------------------------- the examples
def test_kestrel_service_credits_from_its_files():
    # Kestrel's kpis.csv: service level and abandonment each missed in 11 of the 12 months 2025-11..2026-10;
    # credits 2 % and 1 % of £185,000: 11 x 3,700 + 11 x 1,850 = 40,700 + 20,350 = 61,050
    from assessment.analyses.kpis import load_catalogue, scorecard
    from assessment.checklist import load_checklist
    from assessment.inputs import load_kpis
    from assessment.validate import load_engagement

    folder = EXAMPLES / "kestrel-insurance"
    eng = load_engagement(folder / "engagement.yaml", load_checklist())
    rows, _ = load_kpis(folder / "kpis.csv", load_catalogue(), as_of=eng.assessment.date)
    sc = scorecard(rows, load_catalogue())
    a = bc.service_credits(bc.kpi_months(sc), eng.commercials.service_credits, eng.commercials.monthly_fee, "2026-10",
                           eng.commercials.currency)
    assert a.value == pytest.approx(61050.0)


# --------------------------------------------------------------------------- validation
BAD_COMMERCIALS = """\
commercials:
  currency: euro
  agent_hour_cost: -3
  monthly_fee: 410000
  service_credits:
    - {kpi: service_levels, percent: 2}
    - {kpi: asa, percent: 120}
    - {kpi: asa, percent: 1}
  value_per_lost_contact: "lots"
"""


def test_commercials_get_the_standard_errors(write, mini):
    report = check_file(write(VALID_HEAD + BAD_COMMERCIALS), mini)
    f = {p.field: p for p in report.problems}
    assert f["commercials.currency"].expected.startswith("a three-letter ISO 4217 currency code")
    assert (f["commercials.agent_hour_cost"].expected, f["commercials.agent_hour_cost"].found) == (
        "a number at least 0.0", "-3")
    assert f["commercials.agent_hour_cost"].line == 7
    assert f["commercials.service_credits[0].kpi"].found == "'service_levels'"
    assert "a KPI of the catalogue (service_level, asa" in f["commercials.service_credits[0].kpi"].expected
    assert f["commercials.service_credits[0].kpi"].line == 10
    assert f["commercials.service_credits[1].percent"].expected == "a number at most 100.0"
    assert f["commercials.service_credits[2].kpi"].expected == "each KPI once (its credits add up in one entry)"
    assert f["commercials.value_per_lost_contact"].expected == "a number"
    assert len(report.errors) == 6 and not report.ok


def test_commercials_need_a_currency_and_accept_a_lower_case_code(write, mini):
    report = check_file(write(VALID_HEAD + "commercials: {monthly_fee: 1000}\n"), mini)
    assert [p.field for p in report.errors] == ["commercials.currency"]
    ok = check_file(write(VALID_HEAD + "commercials: {currency: chf, monthly_fee: 1000}\n"), mini)
    assert ok.ok and ok.engagement.commercials.currency == "CHF"


def test_the_examples_carry_commercials_and_validate_clean(builtin):
    for slug, cur in (("kestrel-insurance", "GBP"), ("harbour-lane-bank", "GBP"), ("alpenrose-telecom", "CHF")):
        report = check_file(EXAMPLES / slug / "engagement.yaml", builtin)
        assert report.ok and not report.warnings, report.problems
        c = report.engagement.commercials
        assert c.currency == cur and c.agent_hour_cost and c.monthly_fee and c.value_per_lost_contact
        assert c.service_credits


def test_intervals_beyond_erlangs_bounds_are_left_out_and_said_so():
    # 100,000 contacts in an hour at 240 s is 6,667 Erlangs, above the 5,000 Erlang C is computed for
    huge = bc.Interval(0, 12.0, offered=100000, aht_s=240.0)
    a = bc.staffing_gap(ten_days([huge]), 0.85, 0.80, 20, 30.0, "GBP")
    assert a.value == pytest.approx(10944.0) and "1 interval is beyond what Erlang C is computed for" in a.note
    change = bc.HourChange(bc.ADD, (0,), 12.0, 13.0, "Monday 12:00 → 13:00")
    c = bc.coverage_change(ten_days([huge]), change, 0.80, 20, 30.0, 18.0, "GBP")
    assert c.agent_hours_month == 0.0


def test_what_is_missing_is_also_said_in_the_clients_words():
    case = bc.business_case(None)
    for m in case.missing:
        assert m.client_sentence and not any(w in m.client_sentence for w in (".csv", ".yaml", "commercials"))
    over = next(m for m in case.missing if m.figure == bc.OVER_DELIVERY)
    assert over.client_sentence == (
        "Pricing over- or under-staffing against the service level target needs the loaded cost of one staffed agent "
        "hour (from finance or the provider's rate card), four weeks of contact volumes by half-hour from the "
        "telephony platform and the monthly service level against its target.")


def test_service_credits_print_kpi_names_when_given():
    rows = [bc.KpiMonth("2026-10", "service_level", True), bc.KpiMonth("2026-09", "service_level", True)]
    a = bc.service_credits(rows, [("service_level", 2.0)], 100000.0, "2026-10", "GBP",
                           names={"service_level": "Service level"})
    assert a.working.startswith("Service level: 2 × 2 % × £100,000 = £4,000")
    assert a.inputs[0].name == "Service credit for Service level"
