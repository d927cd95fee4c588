"""The decisions the client faces: each rule on hand-made situations, the ranking, and the three examples."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import EXAMPLES, VALID_HEAD

from assessment.analyses import business_case as bc
from assessment.analyses import decisions as de
from assessment.analyses import sides as sd
from assessment.validate import check_file

D = dt.date
TODAY = D(2026, 11, 16)


def situation(**kw) -> de.Situation:
    base = dict(as_of=TODAY, client="Acme", provider="Contoso", currency="GBP", monthly_fee=100000.0,
                value_per_lost_contact=18.0)
    base.update(kw)
    return de.Situation(**base)


def kpi(key, actual, target, status, run=0, missed=0, months=12, dive=None, direction="higher", name=None,
        unit="%", first=None):
    return de.KpiStatus(key, name or key.replace("_", " ").capitalize(), unit, actual, target, status, run, missed,
                        months, dive, direction, first, "2025-11" if first is not None else None)


# --------------------------------------------------------------------------- small helpers
def test_day_month_and_months():
    assert de.day(D(2027, 4, 2)) == "2 April 2027"
    assert de.month_name("2026-10") == "October 2026"
    assert de.add_months(D(2027, 7, 1), 12) == D(2028, 7, 1)
    assert de.add_months(D(2027, 1, 31), 1) == D(2027, 2, 28)


def test_urgency_bands():
    assert [de.urgency(d) for d in (-1, 0, 30, 31, 90, 91, 365, 366, None)] == [
        "overdue", "now", "now", "soon", "soon", "horizon", "horizon", "open", "open"]


# --------------------------------------------------------------------------- hand-off
# Harbour Lane: assessed 16 Nov 2026, hand-off 15 Jan 2027 (60 days), default lead times:
#   hiring 30-45 then training 14-21 -> ready 16 Nov + 44 = 30 Dec 2026 .. 16 Nov + 66 = 21 Jan 2027 (6 days late);
#   it had to start by 15 Jan - 66 days = 10 Nov 2026.
#   telecom 45-60 -> 31 Dec .. 15 Jan (no slack); CRM 30-60 -> 16 Dec .. 15 Jan (no slack); hiring alone -> 31 Dec.
LEADS = (de.LeadTime("telecom", "Telecom and data lines", 45, 60), de.LeadTime("hiring", "Agent hiring", 30, 45),
         de.LeadTime("training", "Agent training", 14, 21, "hiring", "No trainer assigned."),
         de.LeadTime("crm", "CRM set-up", 30, 60))


def test_critical_path_hand_worked():
    path = de.critical_path(TODAY, D(2027, 1, 15), LEADS)
    got = [(s.kind, s.ready_lo, s.ready_hi, s.slack_days, s.latest_start, s.critical) for s in path]
    assert got == [("training", D(2026, 12, 30), D(2027, 1, 21), -6, D(2026, 11, 10), True),
                   ("telecom", D(2026, 12, 31), D(2027, 1, 15), 0, D(2026, 11, 16), False),
                   ("crm", D(2026, 12, 16), D(2027, 1, 15), 0, D(2026, 11, 16), False),
                   ("hiring", D(2026, 12, 16), D(2026, 12, 31), 15, D(2026, 12, 1), False)]
    assert path[0].work == "Agent hiring then agent training" and path[0].note == "No trainer assigned."


def test_handoff_phased_when_only_the_short_lead_times_fit():
    d = de.handoff_decision(situation(hand_off=D(2027, 1, 15), lead_times=LEADS))
    assert d.kind == "hand_off" and d.scope == "contract" and d.recommended == "phased"
    # full volume from the Monday on or after 21 Jan 2027 (a Thursday): 25 Jan 2027
    assert "full volume from 25 January 2027" in d.recommendation
    assert "ready on 21 January 2027, 6 days late" in d.recommendation
    assert "telecom and data lines and CRM set-up have no slack" in d.recommendation
    # hiring had to start by 10 Nov: the decision is due now
    assert (d.deadline, d.decide_by, d.days_left, d.urgency) == (D(2027, 1, 15), TODAY, 0, "now")
    assert d.stakes == 100000.0 and d.critical_path[0].critical
    assert "it had to start by 10 November 2026" in d.evidence[0].text


def test_handoff_new_date_when_even_the_short_lead_times_miss():
    # hand-off 40 days out: hiring 30 + training 14 = 44 days > 40 -> a new date, the Monday after 21 Jan 2027
    d = de.handoff_decision(situation(hand_off=TODAY + dt.timedelta(days=40), lead_times=LEADS))
    assert d.recommended == "new_date" and "Move the hand-off to 25 January 2027" in d.recommendation


def test_handoff_go_with_gates_with_no_slack_and_nothing_with_slack():
    # 66 days out: training ready exactly on the day at the longer lead times
    d = de.handoff_decision(situation(hand_off=TODAY + dt.timedelta(days=66), lead_times=LEADS))
    assert d.recommended == "go_with_gates"
    assert de.handoff_decision(situation(hand_off=TODAY + dt.timedelta(days=67), lead_times=LEADS)) is None
    assert de.handoff_decision(situation(hand_off=TODAY - dt.timedelta(days=1), lead_times=LEADS)) is None


# --------------------------------------------------------------------------- renewal
def _sides(explained: int, total: int, provider_kpis=()) -> sd.BothSides:
    practice = sd.Driver("PEO-02", "Launch calendar", "client", 0, True, "launches not announced")
    return sd.BothSides("Acme", "Contoso", 1, (), explained, total, (practice,), tuple(provider_kpis), (),
                        f"{explained} of the {total} missed KPIs have a driver that Acme itself scores 1 or lower: "
                        "launches not announced; changing provider would not fix these.", "", {})


MISSING_ALL = tuple(kpi(k, 50, 80, de.MISSED, run=8, missed=8) for k in ("service_level", "asa", "fcr", "csat"))


def test_renewal_outside_the_horizon_is_not_a_decision():
    assert de.renewal_decision(situation(renewal_date=TODAY + dt.timedelta(days=90 + 366))) is None
    assert de.renewal_decision(situation()) is None


def test_renewal_short_when_the_client_explains_the_misses():
    # notice deadline 2 Apr 2027: 137 days after 16 Nov 2026, enough to negotiate (60) -> no protective notice
    s = situation(renewal_date=D(2027, 7, 1), kpis=MISSING_ALL, kpi_month="2026-10",
                  sides=_sides(3, 4, ("csat",)))
    d = de.renewal_decision(s)
    assert (d.deadline, d.days_left, d.urgency) == (D(2027, 4, 2), 137, "horizon")
    assert d.recommended == "short_renewal" and d.option.label.startswith("Short renewal (12 months)")
    assert d.recommendation.startswith("Renew for 12 months only (to 1 July 2028), with a joint remediation plan, "
                                       "not a switch: 3 of the 4 missed KPIs")
    assert "Fix Acme's own practices first (launches not announced), hold Contoso to csat" in d.recommendation
    assert "If the terms are not agreed by 3 March 2027, serve protective notice by 2 April 2027" in d.recommendation
    assert d.client_part == ("launches not announced",)
    assert d.stakes == 1200000.0 and d.stakes_text == "the renewal commits £1,200,000 a year"
    assert any(e.side == "client" and "3 of the 4" in e.text for e in d.evidence)


def test_renewal_exit_when_the_provider_alone_misses_for_long():
    d = de.renewal_decision(situation(renewal_date=D(2027, 7, 1), kpis=MISSING_ALL, kpi_month="2026-10",
                                      sides=_sides(0, 4)))
    assert d.recommended == "exit" and "4 of the 4 missed KPIs have been missed 6 months running" in d.recommendation


def test_renewal_renegotiate_when_the_provider_misses_recently():
    recent = tuple(kpi(k, 50, 80, de.MISSED, run=3, missed=3) for k in ("service_level", "asa"))
    d = de.renewal_decision(situation(renewal_date=D(2027, 7, 1), kpis=recent, kpi_month="2026-10",
                                      sides=_sides(0, 2)))
    assert d.recommended == "renegotiate" and "formal remediation plan" in d.recommendation


def test_renewal_over_delivery_close_to_the_deadline_means_protective_notice_then_renegotiate():
    # renewal 15 Mar 2027, 90 days' notice: deadline 15 Dec 2026, 29 days after 16 Nov (fewer than 60)
    sl = kpi("service_level", 93.1, 80, de.MET, dive="over", first=90.3, name="Service level")
    over = bc.Amount(bc.OVER_DELIVERY, "x", 746381.0, "CHF", "a year", 746381.0, "", "", (),
                     (bc.Value("Agent-hours a month", 1295.8, "h"),))
    s = situation(currency="CHF", renewal_date=D(2027, 3, 15), kpis=(sl,), kpi_month="2026-10",
                  business_case=bc.BusinessCase("CHF", (over,)))
    d = de.renewal_decision(s)
    assert d.recommended == "protective_notice" and d.days_left == 29 and d.urgency == "now"
    assert d.recommendation.startswith("By 15 December 2026, serve protective notice of non-renewal (or agree a short "
                                       "extension in writing) to keep every option open: 29 days are too few")
    assert "Then renegotiate the service-level target and the price: Contoso delivers 93.1% against 80%, about " \
           "CHF 746,381 a year of agent-hours beyond what the target needs, paid for by Acme." in d.recommendation
    texts = " ".join(e.text for e in d.evidence)
    assert "about 1,295.8 agent-hours a month beyond what the target needs" in texts
    assert "cost per contact is not on the scorecard" in texts and "Service level 90.3% in November 2025" in texts


def test_renewal_protective_notice_when_the_evidence_cannot_be_ready():
    # no KPI history and 80 days left: 30 to gather the evidence + 60 to negotiate do not fit
    s = situation(renewal_date=TODAY + dt.timedelta(days=170))
    d = de.renewal_decision(s)
    assert d.days_left == 80 and d.recommended == "protective_notice"
    assert "the evidence (no KPI history (kpis.csv)) cannot be ready and negotiated in the 80 days left" in \
           d.recommendation
    # with 100 days the same gaps leave time: renew, with the protective-notice fallback
    assert de.renewal_decision(situation(renewal_date=TODAY + dt.timedelta(days=190))).recommended == "renew"


def test_renewal_passed_deadline_and_no_auto_renewal():
    # renewal 16 Dec 2026, 90 days' notice: the deadline was 17 Sep 2026, 60 days before the assessment
    d = de.renewal_decision(situation(renewal_date=TODAY + dt.timedelta(days=30)))
    assert d.urgency == "overdue" and d.days_left == -60 and d.recommended == "renew"
    assert d.recommendation.startswith("The notice deadline passed on 17 September 2026: the agreement renews on "
                                       "16 December 2026, which the performance supports.")
    d = de.renewal_decision(situation(renewal_date=TODAY + dt.timedelta(days=30), kpis=MISSING_ALL,
                                      kpi_month="2026-10", sides=_sides(3, 4)))
    assert d.recommended == "renegotiate" and "Open a mid-term renegotiation now and renew for 12 months" in \
        d.recommendation
    d = de.renewal_decision(situation(renewal_date=TODAY + dt.timedelta(days=120), auto_renewal=False))
    assert d.recommended == "protective_notice" and "agree a short extension in writing" in d.recommendation


# --------------------------------------------------------------------------- remediation
def test_remediation_for_three_months_running_with_credits():
    ks = (kpi("service_level", 61.7, 80, de.MISSED, run=10, missed=11, name="Service level"),
          kpi("abandonment", 10.9, 5, de.MISSED, run=2, missed=2, name="Abandonment", direction="lower"),
          kpi("occupancy", 67.8, (75.0, 85.0), de.MISSED, run=5, missed=8, direction="band", name="Occupancy"))
    credits = bc.Amount(bc.SERVICE_CREDITS, "x", 61050.0, "GBP", "over the last 12 months", 61050.0, "", "w", ())
    d = de.remediation_decision(situation(kpis=ks, business_case=bc.BusinessCase("GBP", (credits,))))
    # abandonment is missed only 2 months running; occupancy is below its band (idle capacity, not a miss to fix)
    assert d.recommended == "formal_plan" and "the 1 KPI missed 3 months running or more (service level)" in \
           d.recommendation
    assert "claim the £61,050 in service credits due" in d.recommendation
    assert d.stakes == 61050.0 and d.decide_by == TODAY + dt.timedelta(days=30) and d.urgency == "now"
    assert de.remediation_decision(situation(kpis=ks[1:])) is None


# --------------------------------------------------------------------------- capacity
GAPS = (de.SlaGap("BUS-01", "Online claims registrations", "under-capacity", 3000, 2500, "registrations/day", "s1",
                  3000),
        de.SlaGap("BUS-03", "Claims status lookups", "availability", 99.5, 98.0, "lookups/day", "s3", 5000))


def test_capacity_before_the_next_peak_hand_worked():
    # peak 4 Jan - 3 Apr 2027: 90 days. Registrations: (3,000 - 2,500) x 90 = 45,000 x 18 = 810,000.
    # Lookups: (99.5 - 98.0) % x 8,760 h = 131.4 h x 5,000 / 24 = 27,375 x 18 = 492,750. Total 1,302,750.
    peak = de.PeakWindow("Storm season", D(2027, 1, 4), D(2027, 4, 3))
    d = de.capacity_decision(situation(sla_gaps=GAPS, peaks=(peak,)))
    assert d.recommended == "fund" and d.decide_by == D(2027, 1, 4) and d.days_left == 49
    assert d.stakes == pytest.approx(1302750.0)
    assert d.title == "Fund the capacity the business service levels need before Storm season (4 January 2027)"
    texts = [e.text for e in d.evidence]
    assert "up to (3,000 − 2,500) × 90 = 45,000 registrations turned away × £18 = £810,000." in texts[1]
    assert "(99.5% − 98%) × 8,760 h = 131.4 h more downtime × 5,000 a day ÷ 24 = 27,375 transactions × £18 = " \
           "£492,750." in texts[3]


def test_capacity_interim_when_the_peak_is_too_close_or_under_way():
    now = de.PeakWindow("Winter 2026-27", D(2026, 11, 1), D(2027, 3, 31))
    nxt = de.PeakWindow("Winter 2027-28", D(2027, 11, 1), D(2028, 3, 31))
    d = de.capacity_decision(situation(sla_gaps=GAPS[:1], peaks=(nxt, now)))
    assert d.recommended == "interim" and d.decide_by == TODAY and d.deadline == D(2026, 11, 1)
    assert "Winter 2026-27 is under way (until 31 March 2027)" in d.recommendation
    assert "fund the fix before Winter 2027-28 starts on 1 November 2027" in d.recommendation
    assert d.title.startswith("Bridge Winter 2026-27 and fund")


def test_capacity_without_a_peak_or_a_gap():
    d = de.capacity_decision(situation(sla_gaps=GAPS[:1]))
    assert d.recommended == "fund" and d.decide_by is None and d.urgency == "open" and d.stakes is None
    ok = de.SlaGap("BUS-02", "Fault reporting", "unit-mismatch")
    assert de.capacity_decision(situation(sla_gaps=(ok,))) is None


# --------------------------------------------------------------------------- coverage
ADD_EVENING = bc.HourChange(bc.ADD, (0, 1, 2, 3, 4), 17.0, 18.0, "weekday closing 17:00 → 18:00")
TRIM_MORNING = bc.HourChange(bc.REMOVE, (0, 1, 2, 3, 4), 7.0, 8.0, "weekday opening 07:00 → 08:00")


def _case(change, staff_month, contacts_month):
    st = bc.Amount(bc.COVERAGE_STAFFING, "s", staff_month, "GBP", "a month", staff_month * 12, "", "", ())
    ct = bc.Amount(bc.COVERAGE_CONTACTS, "c", contacts_month, "GBP", "a month", contacts_month * 12, "", "", ())
    return bc.CoverageCase(change, 100.0, 500.0, st, ct)


def test_never_extend_while_service_level_is_far_below():
    sl = kpi("service_level", 61.7, 80, de.MISSED, run=10, dive="under", name="Service level")
    s = situation(kpis=(sl,), kpi_month="2026-10", coverage_action="extend", coverage_changes=(ADD_EVENING,),
                  business_case=bc.BusinessCase("GBP", (), (_case(ADD_EVENING, 15737.0, 72172.0),)))
    d = de.coverage_decision(s)
    assert d.recommended == "keep"
    assert d.recommendation.startswith("Keep today's hours and fix the service level inside them first: 61.7% against "
                                       "80% in October 2026.")
    assert "would cost about £15,737 a month in agent-hours" in d.recommendation
    assert d.evidence[0].text.startswith("Service level 61.7% against 80% in October 2026, inside today's hours")


def test_extend_when_it_pays_and_service_level_is_fine():
    sl = kpi("service_level", 81, 80, de.MET, name="Service level")
    s = situation(kpis=(sl,), coverage_action="extend", coverage_changes=(ADD_EVENING,),
                  business_case=bc.BusinessCase("GBP", (), (_case(ADD_EVENING, 8000.0, 35685.0),)))
    d = de.coverage_decision(s)
    # net a year: (35,685 - 8,000) x 12 = 332,220
    assert d.recommended == "extend" and d.stakes == pytest.approx(332220.0)
    assert d.recommendation == "Change the hours: weekday closing 17:00 → 18:00 (net gain about £332,220 a year)."


def test_trim_only_when_the_saving_beats_the_contacts_at_risk():
    s = situation(coverage_action="trim", coverage_changes=(TRIM_MORNING,),
                  business_case=bc.BusinessCase("GBP", (), (_case(TRIM_MORNING, 9250.0, 30183.0),)))
    d = de.coverage_decision(s)
    assert d.recommended == "keep" and "would save £111,000 a year but put up to £362,196 a year" in d.recommendation
    s2 = situation(coverage_action="trim", coverage_changes=(TRIM_MORNING,),
                   business_case=bc.BusinessCase("GBP", (), (_case(TRIM_MORNING, 9250.0, 1000.0),)))
    assert de.coverage_decision(s2).recommended == "trim"
    assert de.coverage_decision(situation(coverage_action="keep")) is None


def test_coverage_before_hiring_when_a_hand_off_is_pending():
    s = situation(coverage_action="extend", coverage_changes=(ADD_EVENING,), hand_off=D(2027, 1, 15),
                  lead_times=LEADS)
    d = de.coverage_decision(s)
    # hiring (45) then training (21): 66 days before 15 Jan 2027 = 10 Nov 2026, passed: decide now
    assert d.deadline == D(2026, 11, 10) and d.decide_by == TODAY
    assert "hiring for the 15 January 2027 hand-off had to start by 10 November 2026" in d.recommendation
    assert "Service level inside today's hours is not measured yet" in d.recommendation


# --------------------------------------------------------------------------- ranking
def test_ranking_contract_first_then_urgency_then_money():
    sl = kpi("service_level", 61.7, 80, de.MISSED, run=10, missed=11, dive="under", name="Service level")
    peak = de.PeakWindow("Storm season", TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=100))
    s = situation(renewal_date=D(2027, 9, 1), kpis=(sl,), kpi_month="2026-10", sla_gaps=GAPS[:1], peaks=(peak,),
                  coverage_action="extend", coverage_changes=(ADD_EVENING,))
    ds = de.decide(s)
    # renewal (contract, 200 days) before capacity and remediation (service, now); coverage has no date: last.
    # capacity (stakes 500 x 91 days x 18 = 819,000) before remediation (no credits: no money) in the same band
    assert [d.kind for d in ds.items] == ["renewal", "capacity", "remediation", "coverage"]
    assert [d.rank for d in ds.items] == [1, 2, 3, 4] and ds.top.kind == "renewal"
    assert ds.of("capacity").stakes == pytest.approx(819000.0)
    data = json.loads(json.dumps(ds.to_dict(), ensure_ascii=False))
    assert data["decisions"][0]["deadline"] == "2027-06-03"


# --------------------------------------------------------------------------- the examples, from their files
def _example(slug: str) -> de.Decisions:
    """The wiring, from the analyses' public functions."""
    from assessment.analyses import contract as ct
    from assessment.analyses import coverage as cov
    from assessment.analyses import slas
    from assessment.analyses.kpis import load_catalogue, scorecard
    from assessment.checklist import load_checklist
    from assessment.inputs import load_contacts, load_kpis
    from assessment.validate import load_engagement

    folder = EXAMPLES / slug
    cl = load_checklist()
    eng = load_engagement(folder / "engagement.yaml", cl)
    as_of = eng.assessment.date
    sc = month = None
    if (folder / "kpis.csv").is_file():
        cat = load_catalogue()
        rows, _ = load_kpis(folder / "kpis.csv", cat, as_of=as_of)
        sc = scorecard(rows, cat, eng.scorecard.deep_dive_threshold)
        month = sc.default_month(as_of)
    df, _ = load_contacts(folder / "contacts.csv", timezone=eng.coverage.timezone)
    facts = cov.analyse(df, eng.coverage)
    sl = bc.service_level(sc, month) if sc else None
    case = bc.business_case(eng.commercials, bc.contact_data(df, eng.coverage), bc.kpi_months(sc) if sc else None,
                            month, *(sl or (None, None)), answer_s=20, changes=bc.changes_from_coverage(facts),
                            abandonment_target=0.05)
    both = None
    if sc:
        both = sd.both_sides(sd.missed_kpis(sc, month), {k: v.as_is for k, v in eng.checklist.items()},
                             sd.load_sides(), sd.load_drivers(), {i.id: i.title for i in cl.items},
                             {k: v.notes for k, v in eng.checklist.items()}, eng.client.name, eng.outsourcer.name)
    s = de.situation(eng, as_of, checklist=cl, scorecard=sc, month=month, coverage=facts,
                     sla_findings=slas.align(eng.slas),
                     lead_checks=ct.handoff_feasibility(as_of, eng.contract.hand_off_date, eng.lead_times),
                     business_case=case, sides=both)
    return de.decide(s)


def test_kestrel_leads_with_a_short_renewal_and_its_own_practices():
    ds = _example("kestrel-insurance")
    top = ds.top
    assert (top.kind, top.recommended, top.deadline) == ("renewal", "short_renewal", D(2027, 4, 2))
    assert "7 of the 9 missed KPIs have a driver that Kestrel Insurance itself scores 1 or lower" in top.recommendation
    assert "Fix Kestrel Insurance's own practices first" in top.recommendation
    assert "claim the £61,050 in service credits due" in top.recommendation
    assert [d.kind for d in ds.items] == ["renewal", "capacity", "remediation", "coverage"]
    # the storm season starts 1 Dec 2026, 13 days after the assessment: bridge it, fund before the next one
    assert ds.of("capacity").recommended == "interim"
    assert ds.of("coverage").recommended == "keep"


def test_harbour_leads_with_a_phased_go_live():
    ds = _example("harbour-lane-bank")
    assert (ds.top.kind, ds.top.recommended) == ("hand_off", "phased")
    assert "full volume from 25 January 2027" in ds.top.recommendation
    assert ds.of("renewal") is None and ds.of("remediation") is None


def test_alpenrose_leads_with_protective_notice_then_renegotiation():
    ds = _example("alpenrose-telecom")
    top = ds.top
    assert (top.kind, top.recommended, top.deadline) == ("renewal", "protective_notice", D(2026, 12, 15))
    assert "renegotiate the service-level target and the price" in top.recommendation
    assert "CHF" in top.recommendation and ds.of("remediation") is None


# --------------------------------------------------------------------------- peaks validation
def test_peaks_are_validated(write, mini):
    text = VALID_HEAD + ("peaks:\n  - {name: Storms, start: 2026-12-01, end: 2026-11-01}\n"
                         "  - {name: \"\", start: 2026-12-01}\n  - {name: Sale, start: 2026-11-27, end: 2026-11-30}\n")
    report = check_file(write(text), mini)
    f = {p.field: p for p in report.errors}
    assert set(f) == {"peaks[0].end", "peaks[1].name", "peaks[1].end"}
    assert (f["peaks[0].end"].expected, f["peaks[0].end"].found, f["peaks[0].end"].line) == (
        "a date on or after start (2026-12-01)", "2026-11-01", 6)
    ok = check_file(write(VALID_HEAD + "peaks:\n  - {name: Sale, start: 2026-11-27, end: 2026-11-27}\n"), mini)
    assert ok.ok and ok.engagement.peaks[0].name == "Sale"


def test_a_situation_with_nothing_to_decide():
    ds = de.decide(situation())
    assert ds.items == () and ds.top is None and ds.to_dict() == {"decisions": []}


# --------------------------------------------------------------------------- headlines: the answer in one sentence
def test_each_rule_states_its_answer_as_a_headline():
    s = situation(renewal_date=D(2027, 7, 1), kpis=MISSING_ALL, kpi_month="2026-10", sides=_sides(3, 4, ("csat",)))
    d = de.renewal_decision(s)
    assert d.posture == "short_renewal" and d.headline == (
        "Renegotiate the renewal with Contoso: 12 months only, tied to a joint remediation plan, and fix Acme's own "
        "practices first")
    sl = kpi("service_level", 93.1, 80, de.MET, dive="over", first=90.3, name="Service level")
    d = de.renewal_decision(situation(currency="CHF", renewal_date=D(2027, 3, 15), kpis=(sl,), kpi_month="2026-10"))
    assert d.headline == "Serve protective notice by 15 December 2026, then renegotiate the service-level target and " \
                         "the price"
    assert de.handoff_decision(situation(hand_off=D(2027, 1, 15), lead_times=LEADS)).headline == (
        "No-go for a full hand-off on 15 January 2027: go live in phases, full volume from 25 January 2027")
    assert de.handoff_decision(situation(hand_off=TODAY + dt.timedelta(days=40), lead_times=LEADS)).headline == (
        "No-go on 26 December 2026: move the hand-off to 25 January 2027")
    ks = tuple(kpi(k, 50, 80, de.MISSED, run=4, missed=4, name=k.upper()) for k in ("a", "b", "c", "d"))
    assert de.remediation_decision(situation(kpis=ks)).headline == (
        "Put Contoso on a formal remediation plan for the 4 KPIs missed 3 months running or more")
    assert de.remediation_decision(situation(kpis=ks[:2])).headline == "Put Contoso on a formal remediation plan for " \
                                                                      "A and B"
    far = kpi("service_level", 61.7, 80, de.MISSED, run=10, dive="under", name="Service level")
    s = situation(kpis=(far,), coverage_action="extend", coverage_changes=(ADD_EVENING,),
                  business_case=bc.BusinessCase("GBP", (), (_case(ADD_EVENING, 15737.0, 72172.0),)))
    assert de.coverage_decision(s).headline == "Keep today's opening hours and fix the service level inside them first"
    ok = kpi("service_level", 81, 80, de.MET, name="Service level")
    s = situation(kpis=(ok,), coverage_action="extend", coverage_changes=(ADD_EVENING,),
                  business_case=bc.BusinessCase("GBP", (), (_case(ADD_EVENING, 8000.0, 35685.0),)))
    assert de.coverage_decision(s).headline == "Change the opening hours: weekday closing 17:00 → 18:00"


def test_a_renewal_without_kpi_history_does_not_claim_the_targets_are_met():
    d = de.renewal_decision(situation(renewal_date=TODAY + dt.timedelta(days=190)))
    assert d.recommended == "renew" and "meets its targets" not in d.recommendation
    assert "there is no KPI history yet to judge Contoso by" in d.recommendation
