"""A readout that advises: the decision-led summary, both sides' part, the business case and coverage on one
denominator, computed once in the facts and written for each client (no facts rendered twice, no file names)."""
from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil

import pandas as pd
import pytest
from conftest import EXAMPLES, VALID_HEAD

from assessment import facts
from assessment.analyses import business_case as bc
from assessment.analyses import coverage as cov
from assessment.checklist import DIMENSIONS, parse_checklist
from assessment.errors import InvalidInput
from assessment.facts import advice as ad
from assessment.model import Coverage
from assessment.report.readout import SECTION_NAMES, Readout

SLUGS = ("kestrel-insurance", "harbour-lane-bank", "alpenrose-telecom")
D = dt.date


@pytest.fixture(scope="module")
def loaded():
    return {slug: facts.load(EXAMPLES / slug) for slug in SLUGS}


def text(html) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(html))).replace("&#39;", "'").replace("&amp;", "&").strip()


BLOCK = re.compile(r"</?(?:p|li|td|th|h[1-6]|div|tr|ol|ul|table)\b[^>]*>")


def sentences(html) -> list[str]:
    """The sentences of a rendered section: each block (paragraph, list item, cell, heading) split at its full
    stops. Only what ends as a sentence ends (., ! or ?) and has four words or more counts: headings, labels and
    table headers are not sentences."""
    out = []
    for block in BLOCK.split(str(html)):
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text(block)):
            if len(s.split()) >= 4 and s.endswith((".", "!", "?")):
                out.append(s)
    return out


# --------------------------------------------------------------------------- the three examples lead with three decisions
def test_the_three_examples_lead_with_three_different_decisions(loaded):
    k, h, a = (loaded[s].summary for s in SLUGS)
    # Kestrel: remediate and renegotiate the renewal, fix its own practices first
    assert k.kind == "renewal" and k.date == D(2027, 4, 2)
    assert k.headline.startswith("Renegotiate the renewal with Apex Outsource Partners: 12 months only, tied to a "
                                 "joint remediation plan") and "fix Kestrel Insurance's own practices first" in k.headline
    # Harbour Lane: no-go for a full hand-off, phased go-live
    assert h.kind == "hand_off" and h.date == D(2027, 1, 15)
    assert h.headline == "No-go for a full hand-off on 15 January 2027: go live in phases, full volume from 25 January 2027"
    # Alpenrose: over-delivery at the client's cost, renewal notice in weeks
    # notice must be received by the 15 December deadline: served a week before, with proof of receipt
    assert a.kind == "renewal" and a.date == D(2026, 12, 8) and (a.date - loaded[SLUGS[2]].as_of).days == 28
    assert a.date_label == "decide and serve notice by"
    assert a.headline == ("Serve protective notice by 8 December 2026, with proof of receipt, then renegotiate the "
                          "service-level target and the price")
    assert "15 December 2026" not in a.headline + a.recommendation
    assert [st.date for st in a.steps if st.text.startswith("Serve protective notice")] == [D(2026, 12, 8)]
    # the other decisions, one line each with its date; Kestrel's interim storm measures carry one date throughout
    assert k.others == ("The IT capacity the business service levels need: by 25 November 2026",
                        "A formal remediation plan: by 18 December 2026", "The opening hours: no fixed date")
    cap = next(d for d in loaded[SLUGS[0]].decisions if d.kind == "capacity")
    assert [st.date for st in k.steps if st.text.startswith("Agree interim measures")] == [cap.decide_by]
    assert "CHF 746,381 a year of it pays for agent-hours beyond what the service level target needs" in a.money
    assert len({k.headline, h.headline, a.headline}) == 3
    for sm in (k, h, a):
        assert sm.date and re.search(r"(£|CHF )\d", sm.money), sm.money     # a date and money
        sides = {c.side for c in sm.causes}
        assert "client" in sides and ("provider" in sides or "joint" in sides), sm.causes   # both sides named
        assert len(sm.findings) == 3 and all(re.search(r"\d", f.text) for f in sm.findings)   # each cites numbers
        assert len(sm.steps) == 3
        for st in sm.steps:
            assert st.side in ("client", "provider", "joint") and st.owner and st.date >= sm.date.replace(year=2026,
                                                                                                     month=11, day=10)


def test_kestrel_findings_cite_the_numbers_and_both_sides(loaded):
    sm = loaded["kestrel-insurance"].summary
    assert sm.findings[0].text == ("All 9 KPIs missed target in October 2026; service level fell from 72% in November "
                                   "2025 to 61.7% against 80%.")
    assert sm.findings[1].text.startswith("7 of the 9 missed KPIs have a driver that Kestrel Insurance itself scores 1")
    assert "supports 2,500" in sm.findings[2].text and "1 December 2026" in sm.findings[2].text
    client = [c for c in sm.causes if c.side == "client"]
    assert [c.item for c in client] == ["PEO-02", "PRD-07", "TEC-03"]
    assert "£15 admin fee" in client[1].note
    provider = [c.text for c in sm.causes if c.side == "provider"]
    assert provider[0].startswith("Occupancy 93% against 75–85%") and provider[1].startswith("Agent attrition 63.8%")
    # money: the renewal's commitment (185,000 x 12), the credits (11 x 2 % + 11 x 1 % of 185,000), abandonment
    assert sm.money.startswith("The renewal commits £2,220,000 a year; £61,050 in service credits are due")
    # the steps: the storm season now, the joint remediation plan at the next review, the renewal terms a month
    # before the notice deadline (2 April 2027 - 30 days = 3 March 2027)
    assert [(s.date, s.side) for s in sm.steps] == [(D(2026, 11, 25), "client"), (D(2026, 12, 18), "joint"),
                                                     (D(2027, 3, 3), "client")]


def test_harbour_steps_cover_the_critical_path_on_each_side(loaded):
    f = loaded["harbour-lane-bank"]
    sides = [s.side for s in f.summary.steps]
    assert sides == ["joint", "client", "provider"]
    assert "no trainer is assigned for wave 1" in f.summary.steps[1].text
    assert all(s.date == D(2026, 11, 23) for s in f.summary.steps)    # this week: the hiring start has passed
    # the hypercare month after the hand-off is planned (governance lists every step)
    assert any("hypercare" in s.text and s.date == D(2027, 1, 1) for s in f.governance.steps)


# --------------------------------------------------------------------------- strengths the numbers contradict
def test_a_keep_doing_item_the_kpis_contradict_is_flagged_not_praised(loaded):
    f = loaded["kestrel-insurance"]
    # PRD-02 (skills training) scores 3 at target 3: 'keep doing'; it drives FCR, CSAT, AHT and attrition (kpis.yaml),
    # all missed in October 2026
    assert f.finding("PRD-02").contradicted_by == ("fcr", "csat", "aht", "attrition")
    flag = f.flag("PRD-02")
    assert flag is not None and flag.kpis == ("fcr", "csat", "aht", "attrition")
    assert "first-contact resolution (58.8% against 75%)" in flag.sentence
    assert "average handle time (450.3 s against 400 s)" in flag.sentence
    assert [i.id for i in f.ranked("keep doing", contradicted=False)] == ["TEC-01"]
    page = Readout(f).section("executive_summary")
    praised = page[page.index("What is working well"):page.index("The biggest opportunities")]
    assert "PRD-02" not in praised and "TEC-01" in praised
    assert "A strength the numbers contradict." in text(page)
    assert "Contradicted by the numbers" in text(Readout(f).section("dimension", "product"))


def test_a_band_kpi_below_its_band_contradicts_nothing(loaded):
    # Alpenrose's occupancy (67.8 % against 75-85 %) is idle capacity, not a failure of forecasting
    f = loaded["alpenrose-telecom"]
    assert f.summary.flags == () and all(not x.contradicted_by for x in f.findings)


def test_contradictions_by_hand():
    drivers = {"fcr": ("PRD-02", "PRD-07"), "aht": ("PRD-02",), "nps": ("PRD-09",)}
    assert ad.contradictions(["PRD-02", "PRD-09", "TEC-01"], drivers, {"fcr": 1, "aht": 1}) == {
        "PRD-02": ("fcr", "aht")}


# --------------------------------------------------------------------------- written for this client
def test_executive_summaries_share_at_most_ten_percent_of_their_sentences(loaded):
    said = {s: sentences(Readout(loaded[s]).section("executive_summary")) for s in SLUGS}
    for a, b in itertools.permutations(SLUGS, 2):
        shared = [x for x in said[a] if x in said[b]]
        assert len(said[a]) >= 15
        assert len(shared) <= 0.10 * len(said[a]), (a, b, shared)


DEVELOPER = re.compile(r"\.csv\b|\.yaml\b|commercials\.|coverage\.redial|kpi_links|slas\.business|\bNone\b|\bnan\b")


@pytest.mark.parametrize("slug", SLUGS)
def test_no_file_or_field_name_reaches_a_client_page(loaded, slug):
    r = Readout(loaded[slug])
    for name in SECTION_NAMES:
        for key in (DIMENSIONS if name == "dimension" else (None,)):
            found = DEVELOPER.findall(text(r.section(name, key)))
            assert not found, (name, key, found)


def test_a_bare_engagement_says_what_to_collect_and_why(tmp_path):
    path = tmp_path / "bare" / "engagement.yaml"
    path.parent.mkdir()
    path.write_text(VALID_HEAD + "checklist:\n  PEO-01: {as_is: 1, to_be: 3}\n", encoding="utf-8")
    f = facts.load(path)
    # the notice deadline (1 March 2027 - 90 days = 1 December 2026) is 29 days away and no evidence is ready
    assert [(d.kind, d.recommended) for d in f.decisions] == [("renewal", "protective_notice")]
    assert any("no KPI history (the monthly KPI results)" in e.text for e in f.decisions[0].evidence)
    assert "there is no KPI history yet to judge Contoso CX by" in f.decisions[0].recommendation
    assert f.business_case.amounts == ()
    assert any("Monthly KPI results from" in s and "no baseline" in s for s in f.numbers.to_collect)
    assert any("contact volumes by half-hour" in s for s in f.numbers.to_collect)
    # every figure says which data it needs, in the client's words
    for m in f.business_case.missing:
        assert m.sentence and not DEVELOPER.search(m.sentence), m.sentence
        assert "commercials." in m.consultant_note or ".csv" in m.consultant_note
    r = Readout(f)
    for name in SECTION_NAMES:
        for key in (DIMENSIONS if name == "dimension" else (None,)):
            assert not DEVELOPER.findall(text(r.section(name, key))), (name, key)
    page = text(r.section("numbers"))
    assert "Data to collect." in page and "Skipped analyses" not in page and "beside the engagement file" not in page
    # with the renewal more than a year away, there is nothing to decide by a date, and the readout says so
    path.write_text(VALID_HEAD.replace("renewal_date: 2027-03-01", "renewal_date: 2029-03-01")
                    + "checklist:\n  PEO-01: {as_is: 1, to_be: 3}\n", encoding="utf-8")
    quiet = Readout(facts.load(path))
    assert quiet.facts.decisions == () and quiet.facts.summary.headline == ""
    assert "Nothing calls for a decision by a date" in text(quiet.section("decisions"))
    assert "Nothing in this engagement calls for a decision by a date" in text(quiet.section("executive_summary"))


# --------------------------------------------------------------------------- the facts JSON holds the advice
def test_the_json_holds_the_decisions_the_business_case_and_the_summary(loaded):
    data = json.loads(facts.to_json(loaded["kestrel-insurance"]))
    top = data["decisions"][0]
    assert (top["rank"], top["kind"], top["recommended"], top["deadline"]) == (1, "renewal", "short_renewal",
                                                                              "2027-04-02")
    assert top["recommended_label"] == "Short renewal (12 months) with a joint remediation plan"
    credits = next(a for a in data["business_case"]["amounts"] if a["key"] == "service_credits")
    assert (credits["value"], credits["text"]) == (61050, "£61,050")
    assert credits["working"].startswith("Service level: 11 × 2 % × £185,000 = £40,700")
    assert {i["source"] for i in credits["inputs"]} >= {"the contract and its commercial terms"}
    assert data["summary"]["headline"] == top["headline"] and len(data["summary"]["steps"]) == 3
    assert data["sides"]["client_explained"] == 7 and data["sides"]["total"] == 9
    assert next(x for x in data["findings"] if x["id"] == "PRD-02")["side"] == "provider"


def test_what_the_summary_prints_is_in_the_facts(loaded):
    for slug in SLUGS:
        f = loaded[slug]
        page = text(Readout(f).section("executive_summary"))
        sm = f.summary
        assert sm.headline in page and sm.date.strftime("%-d %B %Y") in page and sm.money in page
        for x in sm.findings + tuple(sm.steps):
            assert x.text in page, x.text
        for line in sm.money_lines:
            assert line.text in page


# --------------------------------------------------------------------------- evidence
def test_evidence_is_strong_only_when_most_items_name_their_evidence(tmp_path, loaded):
    # Kestrel: 21 documented + 7 observed = 28 of 45, but only 14 of those name a document or an observation:
    # 14 / 45 = 31 % -> moderate (it printed 'strong' before)
    e = loaded["kestrel-insurance"].evidence
    assert (e.documented, e.observed, e.named, e.unnamed, e.answered, e.strength) == (21, 7, 14, 14, 45, "moderate")
    lines = [VALID_HEAD, "checklist:\n"]
    ids = [i for i in ("PEO-01", "PEO-02", "PEO-03", "PEO-04", "PEO-05")]
    for n, i in enumerate(ids):   # 3 of 5 documented with evidence named: 60 % -> strong
        ev = ', evidence: "Minutes 2026-10"' if n < 3 else ""
        lines.append(f"  {i}: {{as_is: 2, to_be: 3, confidence: documented{ev}}}\n")
    path = tmp_path / "e" / "engagement.yaml"
    path.parent.mkdir()
    path.write_text("".join(lines), encoding="utf-8")
    e = facts.load(path).evidence
    assert (e.named, e.unnamed, e.strength) == (3, 2, "strong")


# --------------------------------------------------------------------------- coverage: one denominator, customers
def _week(volumes_by_day: dict[int, dict[int, int]], callers: float | None = None) -> pd.DataFrame:
    """Hourly attempts for the week of Monday 5 October 2026: {weekday: {hour: offered}}."""
    rows = []
    for wd, hours in volumes_by_day.items():
        for h, n in hours.items():
            rows.append({"timestamp": pd.Timestamp(2026, 10, 5 + wd, h), "offered": n, "answered": 0, "abandoned": 0,
                         "aht_seconds": None})
    df = pd.DataFrame(rows)
    if callers is not None:
        df[cov.CALLERS_COLUMN] = [n / callers for n in df["offered"]]
    return df


def test_each_group_of_days_is_on_its_own_denominator():
    # Monday 09:00-17:00: 08:00 10, 09:00 2, 10-15:00 20 each, 16:00 8, 17:00 40  (all 180, in-window 130)
    # Saturday 10:00-14:00: 09:00 6, 10:00 4, 11-12:00 10 each, 13:00 6, 14:00 4  (all 40, in-window 30)
    # Sunday closed: 12:00 30
    mon = {8: 10, 9: 2, **{h: 20 for h in range(10, 16)}, 16: 8, 17: 40}
    sat = {9: 6, 10: 4, 11: 10, 12: 10, 13: 6, 14: 4}
    f = cov.analyse(_week({0: mon, 5: sat, 6: {12: 30}}), Coverage(mon="09:00-17:00", sat="10:00-14:00"))
    g = {x.label: x for x in f.groups}
    assert list(g) == ["Monday", "Saturday", "Sunday"]
    m, s, su = g["Monday"], g["Saturday"], g["Sunday"]
    assert (m.attempts, m.in_window, m.off_hours, m.before_open, m.after_close, m.first_hour, m.last_hour) == (
        180, 130, 50, 10, 40, 2, 8)
    assert round(m.share(m.after_close), 4) == round(40 / 180, 4)            # of Monday's attempts
    assert round(m.share_in_window(m.first_hour), 4) == round(2 / 130, 4)    # of Monday's in-window volume
    assert (s.attempts, s.in_window, s.before_open, s.after_close, s.first_hour, s.last_hour) == (40, 30, 6, 4, 4, 6)
    assert su.closed and (su.attempts, su.off_hours) == (30, 30)
    # a closed day with at least 3 % of all attempts (30 of 250 = 12 %) is a candidate, opened with Saturday's hours
    assert [x.label for x in f.closed_candidates()] == ["Sunday"] and cov.opening_for(su, f.windows) == (10.0, 14.0)
    # customers: attempts while closed (50 + 10 + 30 = 90) / 1.3 = 69.2; no caller ids in the data
    assert f.off_hours == 90 and not f.has_callers and round(f.customers_off_hours(1.3), 1) == 69.2


def test_distinct_callers_count_customers_when_the_data_has_them():
    df = _week({0: {8: 12, 9: 30, 17: 18}}, callers=1.5)          # 8, 20, 12 callers
    f = cov.analyse(df, Coverage(mon="09:00-17:00"))
    assert f.has_callers and f.callers_off_hours == 8 + 12 and f.customers_off_hours(1.3) == 20


def test_hours_added_count_customers_not_attempts_hand_worked():
    # ten Mondays, 17:00-18:00 closed with 130 attempts each (AHT 240 s from the open hours): 1,300 attempts.
    # Redial factor 1.3: 1,000 customers in 10 days x 30.4 / 10 = 3,040 a month x 10.00 = 30,400 a month.
    base = [bc.Interval(0, 16.0, 120, 0, 240.0, True)]
    closed = [bc.Interval(0, 17.0, 130, 130, None, False)]
    data = bc.ContactData(tuple((base + closed) * 10), 10, 3600.0)
    change = bc.HourChange(bc.ADD, (0,), 17.0, 18.0, "Monday closing 17:00 → 18:00")
    c = bc.coverage_change(data, change, 0.80, 20, 25.0, 10.0, "EUR", redial_factor=1.3)
    assert c.contacts_month == pytest.approx(3040.0) and c.contacts.value == pytest.approx(30400.0)
    assert "1,300 attempts ÷ 1.3 attempts per customer = 1,000 customers in 10 days" in c.contacts.working
    assert {v.name for v in c.contacts.inputs} >= {"Attempts per customer while closed (redial factor)"}
    # the same hours with caller ids: 900 distinct callers -> 2,736 a month
    with_ids = bc.ContactData(tuple((base + [bc.Interval(0, 17.0, 130, 130, None, False, 90.0)]) * 10), 10, 3600.0)
    c2 = bc.coverage_change(with_ids, change, 0.80, 20, 25.0, 10.0, "EUR", redial_factor=1.3)
    assert c2.contacts_month == pytest.approx(2736.0) and "distinct callers" in c2.contacts.working
    # hours removed are open today: their contacts are counted as offered
    trim = bc.HourChange(bc.REMOVE, (0,), 16.0, 17.0, "Monday closing 17:00 → 16:00")
    assert bc.coverage_change(data, trim, 0.80, 20, 25.0, 10.0, "EUR", 1.3).contacts_month == pytest.approx(3648.0)


def test_the_redial_factor_is_configurable_and_checked(tmp_path):
    folder = tmp_path / "k"
    shutil.copytree(EXAMPLES / "kestrel-insurance", folder)
    path = folder / "engagement.yaml"
    text_ = path.read_text(encoding="utf-8")
    path.write_text(text_.replace("  timezone: Europe/London\n", "  timezone: Europe/London\n  redial_factor: 2\n"),
                    encoding="utf-8")
    f = facts.load(folder)
    # 28,798 attempts while closed / 2 = 14,399 customers
    assert f.coverage.redial_factor == 2.0 and f.coverage.customers_off_hours == 14399
    assert "we assume 2 attempts per customer" in f.coverage.customer_basis
    path.write_text(text_.replace("  timezone: Europe/London\n", "  timezone: Europe/London\n  redial_factor: 9\n"),
                    encoding="utf-8")
    f = facts.load(folder)
    assert f.coverage.redial_factor == 1.3 and any("redial_factor" in w for w in f.numbers.warnings)


def test_a_unique_callers_column_replaces_the_assumption(tmp_path):
    folder = tmp_path / "h"
    shutil.copytree(EXAMPLES / "harbour-lane-bank", folder)
    csv = folder / "contacts.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ",unique_callers"]
    for line in lines[1:]:
        offered = int(line.split(",")[1])
        out.append(f"{line},{offered // 2}")
    csv.write_text("\n".join(out) + "\n", encoding="utf-8")
    f = facts.load(folder)
    assert f.coverage.redial_factor is None and "caller ids" in f.coverage.customer_basis
    halves = sum(int(x.split(",")[1]) // 2 for x in lines[1:] if "," in x)
    assert f.coverage.customers_off_hours < halves and f.coverage.customers_off_hours > 0
    added = [c for c in f.business_case.coverage if c.change.action == "add"]
    assert added and all("distinct callers" in c.contacts.working for c in added)


def test_the_coverage_section_prints_one_denominator_per_share(loaded):
    page = text(Readout(loaded["kestrel-insurance"]).section("numbers"))
    # the weekday shares are shares of the weekday attempts; the off-hours total is a share of all attempts
    assert "6.5% of the weekday attempts (3,755 a month, about 2,889 customers)" in page
    assert "(46.4% of all attempts) arrived while the service was closed" in page
    assert "Weekday 09:00–17:00" in page and "Weekend closed" in page
    assert "Open at the weekend 09:00–17:00: closed today, yet 9,602 attempts a month arrive" in page
    # trimming is argued from the staffing cost of the hour against its volume
    alp = text(Readout(loaded["alpenrose-telecom"]).section("numbers"))
    assert ("Trim weekday opening from 07:00 to 08:00: the first hour carries only 0.7% of the weekday in-window "
            "volume (1,207 contacts a month). Saves about CHF 9,250 a month (192.7 agent-hours) and puts at risk up "
            "to 1,207 contacts a month, worth CHF 30,183.") in alp
    assert "Keep today's hours: weekday opening 07:00 → 08:00 would save CHF 111,003 a year but put up to " in alp


def test_harbour_discusses_its_closed_sunday(loaded):
    f = loaded["harbour-lane-bank"]
    sunday = next(g for g in f.coverage.groups if g.label == "Sunday")
    # 4,737 attempts a month while closed, about 3,644 customers at 1.3 attempts each
    assert (sunday.window, sunday.attempts_month, sunday.customers_off_hours_month) == ("closed", 4737, 3644)
    case = next(c for c in f.business_case.coverage if c.change.label.startswith("Sunday"))
    assert case.change.label == "Sunday opening 09:00–17:00" and case.verdict == "pays"


# --------------------------------------------------------------------------- both sides on the checklist
def test_a_firms_checklist_without_sides_still_advises(tmp_path):
    from test_facts import own_checklist_engagement

    folder, checklist = own_checklist_engagement(tmp_path)
    f = facts.load(folder, checklist=str(checklist))
    assert all(x.side is None for x in f.findings)
    assert f.decisions and f.summary.headline and f.sides.client_explained == 0
    Readout(f).section("executive_summary")


def test_a_side_is_validated_on_the_checklist():
    item = {"id": "PEO-01", "dimension": "people", "title": "T", "question": "Q?", "evidence": "E", "weight": 1,
            "effort": "low", "levels": {0: "a", 1: "b", 3: "c", 5: "d"}}
    data = {"dimensions": {d: {"title": d} for d in DIMENSIONS},
            "items": [dict(item, side="vendor")] + [dict(item, id=f"{p}-01", dimension=d) for p, d in
                                                   (("PRC", "process"), ("PRD", "product"), ("TEC", "technology"))]}
    with pytest.raises(InvalidInput) as exc:
        parse_checklist(data, "own.yaml")
    assert [(p.field, p.expected) for p in exc.value.problems] == [("PEO-01.side", "client | provider | joint")]
    data["items"][0] = dict(item, side="client", weak="goals kept to ourselves")
    cl = parse_checklist(data, "own.yaml")
    assert (cl["PEO-01"].side, cl["PEO-01"].weak, cl["PRC-01"].side) == ("client", "goals kept to ourselves", None)


def test_hiring_is_judged_with_the_training_that_waits_for_it(loaded):
    # Harbour: 60 days to the 15 January 2027 hand-off; hiring 30-45 days, then training 14-21: 44-66 in all,
    # so hiring had to start by 15 January 2027 - 66 days = 10 November 2026 (alone it could start by 1 December)
    hiring = next(h for h in loaded["harbour-lane-bank"].contract.handoff if h.kind == "hiring")
    assert (hiring.status, hiring.latest_start) == ("ok", D(2026, 12, 1))
    assert (hiring.then, hiring.chain_status, hiring.chain_latest_start) == ("training", "tight", D(2026, 11, 10))
    assert hiring.sentence == ("Agent hiring needs 30–45 days and agent training 14–21 days after it, 44–66 days in "
                               "all; 60 days are left: this only just fits, with no slack (at the longer lead times "
                               "it had to start by 2026-11-10). Start at once.")
    page = text(Readout(loaded["harbour-lane-bank"]).section("numbers"))
    assert "Agent hiring (with training after it) 30–45 days 2026-11-10 tight" in page
