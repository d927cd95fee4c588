"""The monthly service review (issue #15, item 5): the month's volume and money against hand-worked values,
deep dives carried month to month, the action plan's progress, the renewal notice deadline as a decision
milestone, the review file's checks, and (slow) the PDFs of September and October side by side."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assessment.analyses import business_case as bc
from assessment.analyses import review as ar
from assessment.errors import InvalidInput
from conftest import EXAMPLES

D = dt.date
KESTREL = EXAMPLES / "kestrel-insurance"
ACTIONS = """
actions:
  - {id: GOV-1, workstream: governance, action: "Agree the monthly balanced scorecard", owner_side: joint, owner: "Kestrel: Vendor Manager", start: 2026-09-01, due: 2026-10-15, status: done}
  - {id: GOV-2, workstream: governance, action: "Name an owner for every deep dive", owner_side: joint, start: 2026-10-01, due: 2026-11-30, status: in progress}
  - {id: CON-1, workstream: contract, action: "Put cost per contact on the scorecard", owner_side: client, start: 2026-10-01, due: 2026-12-15, status: in progress}
  - {id: CON-2, workstream: contract, action: "Prepare the renewal position", owner_side: client, start: 2027-01-04, due: 2027-03-15, status: not started}
  - {id: CAP-1, workstream: capacity, action: "Re-cut the rota to the storm-season pattern", owner_side: provider, start: 2026-10-15, due: 2026-11-30, status: in progress}
  - {id: CAP-2, workstream: capacity, action: "Share campaign plans four weeks ahead", owner_side: client, start: 2026-09-15, due: 2026-10-15, status: in progress}
  - {id: CAP-3, workstream: capacity, action: "Raise claims portal capacity", owner_side: client, start: 2026-09-01, due: 2027-01-30, status: blocked}
  - {id: LKT-1, workstream: launches, action: "Run product training on the 2027 range", owner_side: client, start: 2026-11-16, due: 2026-11-20, status: not started}
  - {id: DAT-1, workstream: data, action: "Automate the scorecard's KPIs", owner_side: joint, start: 2027-01-04, due: 2027-05-31, status: not started}
"""


def kestrel_with_actions(tmp_path: Path, extra: str = ACTIONS) -> Path:
    """A copy of the Kestrel example (KPIs, contacts, reviews/) with an action plan of known states."""
    folder = tmp_path / "kestrel-insurance"
    shutil.copytree(KESTREL, folder)
    path = folder / "engagement.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^actions:.*?(?=^\S|\Z)", "", text)   # whatever plan the example carries today
    path.write_text(text.rstrip("\n") + "\n" + extra, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- months
def test_months_and_the_default_month():
    assert ar.month_bounds("2026-02") == (D(2026, 2, 1), D(2026, 2, 28))
    assert ar.add_months("2026-11", 2) == "2027-01" and ar.add_months("2026-01", -1) == "2025-12"
    assert ar.month_name("2026-10") == "October 2026"
    # a review looks back on a finished month: never today's month, even when kpis.csv has it
    assert ar.default_month(["2026-09", "2026-10", "2026-11"], D(2026, 11, 30)) == "2026-10"
    assert ar.default_month([], D(2026, 1, 5)) == "2025-12"
    assert ar.review_date("2026-10", None) == D(2026, 10, 31)
    assert ar.review_date("2026-10", D(2026, 11, 10)) == D(2026, 11, 10)


def test_the_default_month_from_kpis_csv(tmp_path):
    from assessment.reviews import resolve_month

    (tmp_path / "kpis.csv").write_text("month,kpi,actual,target\n2026-08,asa,30,30\n2026-09,asa,31,30\n",
                                       encoding="utf-8")
    assert resolve_month(tmp_path / "engagement.yaml", "", D(2026, 12, 2)) == "2026-09"
    assert resolve_month(tmp_path / "engagement.yaml", "2026-08", D(2026, 12, 2)) == "2026-08"
    assert resolve_month(tmp_path / "nowhere" / "engagement.yaml", "", D(2026, 12, 2)) == "2026-11"


# --------------------------------------------------------------------------- volume and money, by hand
def test_the_months_volume_counts_opening_hours_and_closed_attempts_apart():
    rows = [(D(2026, 9, 30), 50, 45, 5, True),      # September: not this month
            (D(2026, 10, 1), 100, 90, 10, True),
            (D(2026, 10, 1), 20, 0, 20, False),      # while closed
            (D(2026, 10, 2), 60, 57, 3, True),
            (D(2026, 11, 1), 40, 40, 0, True)]       # November
    v = ar.month_volume(rows, "2026-10")
    assert (v.offered, v.answered, v.abandoned, v.closed_attempts) == (160, 147, 13, 20)
    assert (v.days_with_data, v.days_in_month, v.complete) == (2, 31, False)
    assert v.abandoned_pct == pytest.approx(13 / 160 * 100)
    assert v.answered_month == pytest.approx(147 * 31 / 2)
    assert ar.month_volume(rows, "2026-08") is None
    assert ar.month_volume([(D(2026, 10, 3), 5, 4, 1)], "2026-10").offered == 5   # open by default


def test_cost_per_contact_shows_its_working():
    whole = ar.Volume("2026-10", 31, 31, D(2026, 10, 1), D(2026, 10, 31), 40_000, 37_000, 3_000)
    a = ar.month_cost(whole, 185_000, "GBP")
    assert a.value == pytest.approx(185_000 / 37_000)          # £5.00
    assert a.working == "£185,000 ÷ 37,000 contacts answered = £5.00 per contact"
    assert {i.name for i in a.inputs} >= {"Monthly fee", "Contacts answered"}
    # Kestrel's October: 29,630 answered on 27 of 31 days -> 34,020 a month -> £5.44
    part = ar.Volume("2026-10", 31, 27, D(2026, 10, 5), D(2026, 10, 31), 33_311, 29_630, 3_681)
    b = ar.month_cost(part, 185_000, "GBP")
    assert b.value == pytest.approx(185_000 / (29_630 * 31 / 27))
    assert "29,630 answered on 27 days × 31 days ÷ 27 days = 34,020 a month" in b.working
    assert "£5.44 per contact" in b.working and "27 of the 31 days" in b.note
    assert ar.month_cost(ar.Volume("2026-10", 31, 1, D(2026, 10, 1), D(2026, 10, 1), 5, 0, 5), 1000, "GBP") is None


def test_the_months_service_credits_count_this_month_only():
    months = [bc.KpiMonth("2026-09", "service_level", True), bc.KpiMonth("2026-10", "service_level", True),
              bc.KpiMonth("2026-10", "abandonment", True), bc.KpiMonth("2026-10", "csat", True)]
    a = ar.month_credits(months, [("service_level", 2.0), ("abandonment", 1.0)], 185_000, "2026-10", "GBP",
                         {"service_level": "Service level", "abandonment": "Abandonment"})
    assert a.value == pytest.approx(0.02 * 185_000 + 0.01 * 185_000)    # £5,550; September is not counted
    assert a.working == ("Service level: 1 × 2 % × £185,000 = £3,700; Abandonment: 1 × 1 % × £185,000 = £1,850; "
                         "total £5,550")
    none = ar.month_credits(months, [("fcr", 5.0)], 185_000, "2026-10", "GBP")
    assert none.value == 0


# --------------------------------------------------------------------------- deep dives, month to month
def _rec(month, *dives, meeting=None):
    return ar.Review(month, meeting, "", tuple(dives))


def test_a_deep_dive_is_carried_with_its_owner_due_date_and_status():
    names = {"service_level": "Service level", "asa": "Average speed of answer", "attrition": "Agent attrition"}
    sep = _rec("2026-09", ar.DiveRecord("service_level", "2026-09", "Apex: WFM lead", "provider", "",
                                        D(2026, 10, 31), ar.IN_PROGRESS, "Mondays short"),
               ar.DiveRecord("attrition", "2026-09", "Apex: HR", "provider", "", D(2026, 9, 30), ar.DONE))
    # October has no file: the September dive carries as it stood, now overdue; a new dive has no owner yet
    dives = ar.carry_dives([sep], {"service_level": "23% from target", "asa": "223% from target"}, "2026-10",
                           names, D(2026, 11, 10))
    by = {d.kpi: d for d in dives}
    sl = by["service_level"]
    assert (sl.owner, sl.due, sl.status, sl.opened, sl.carried, sl.months_open) == (
        "Apex: WFM lead", D(2026, 10, 31), ar.IN_PROGRESS, "2026-09", True, 2)
    assert sl.overdue and sl.finding == "Mondays short" and sl.reason == "23% from target"
    asa = by["asa"]
    assert (asa.owner, asa.status, asa.opened, asa.carried, asa.overdue) == ("", ar.NOT_STARTED, "2026-10", False,
                                                                             False)
    assert asa.owner_text == "to be named"
    assert "attrition" not in by          # done in September and back within the threshold: off the review
    # the KPI is off again after its dive was done: a new dive, opened this month, without the old owner
    again = ar.carry_dives([sep], {"attrition": "40% from target"}, "2026-10", names, D(2026, 11, 10))
    assert [(d.kpi, d.opened, d.owner, d.carried) for d in again if d.kpi == "attrition"] == [
        ("attrition", "2026-10", "", False)]


def test_this_months_file_wins_and_a_dive_stays_until_done():
    names = {"service_level": "Service level"}
    sep = _rec("2026-09", ar.DiveRecord("service_level", "2026-09", "Apex: WFM lead", "provider", "",
                                        D(2026, 10, 31), ar.IN_PROGRESS))
    oct_ = _rec("2026-10", ar.DiveRecord("service_level", "2026-10", "Apex: WFM lead", "provider", "",
                                         D(2026, 12, 15), ar.IN_PROGRESS, "new rota from December"))
    # back within the threshold in October, but not done: it stays, with the October due date
    (d,) = ar.carry_dives([oct_, sep], {}, "2026-10", names, D(2026, 11, 10))
    assert (d.due, d.overdue, d.off_target, d.reason, d.opened, d.months_open) == (
        D(2026, 12, 15), False, False, "", "2026-09", 2)
    done = _rec("2026-10", ar.DiveRecord("service_level", "2026-10", "Apex", "provider", "", None, ar.DONE))
    (d,) = ar.carry_dives([sep, done], {}, "2026-10", names, D(2026, 11, 10))
    assert d.status == ar.DONE and not d.overdue          # closed at this meeting: shown once, as done
    assert ar.carry_dives([sep, done], {}, "2026-11", names, D(2026, 12, 10)) == ()


# --------------------------------------------------------------------------- the action plan's progress
def _a(i, ws, status, due):
    return {"id": i, "workstream": ws, "action": f"action {i}", "status": status, "due": due}


def test_each_action_is_in_one_state_by_the_rules():
    m = "2026-10"
    assert ar.state(_a("A-1", "g", "done", D(2026, 9, 1)), m) == ar.DONE            # done, even if it was late
    assert ar.state(_a("A-2", "g", "in progress", D(2026, 10, 31)), m) == ar.LATE  # due on the month's last day
    assert ar.state(_a("A-3", "g", "not started", D(2026, 10, 1)), m) == ar.LATE
    assert ar.state(_a("A-4", "g", "blocked", D(2027, 3, 1)), m) == ar.AT_RISK      # blocked
    assert ar.state(_a("A-5", "g", "not started", D(2026, 11, 30)), m) == ar.AT_RISK  # due next month, not started
    assert ar.state(_a("A-6", "g", "not started", D(2026, 12, 1)), m) == ar.NOT_STARTED
    assert ar.state(_a("A-7", "g", "in progress", D(2026, 11, 30)), m) == ar.IN_PROGRESS
    assert ar.state(_a("A-8", "g", "blocked", D(2026, 10, 20)), m) == ar.LATE          # late wins over blocked


def test_progress_by_workstream():
    plan = ar.progress([_a("G-1", "governance", "done", D(2026, 10, 15)),
                        _a("G-2", "governance", "in progress", D(2026, 12, 1)),
                        _a("C-1", "capacity", "in progress", D(2026, 10, 15)),
                        _a("C-2", "capacity", "blocked", D(2027, 1, 30)),
                        _a("C-3", "capacity", "not started", D(2026, 11, 20))], "2026-10")
    assert [w.name for w in plan.workstreams] == ["governance", "capacity"]
    g, c = plan.workstreams
    assert (g.total, g.counts[ar.DONE], g.counts[ar.IN_PROGRESS], g.done_pct) == (2, 1, 1, 50.0)
    assert (c.counts[ar.LATE], c.counts[ar.AT_RISK], c.counts[ar.DONE]) == (1, 2, 0)
    assert plan.totals == {ar.DONE: 1, ar.LATE: 1, ar.AT_RISK: 2, ar.IN_PROGRESS: 1, ar.NOT_STARTED: 0}
    assert [a.id for a in plan.flagged()] == ["C-1", "C-3", "C-2"]   # late first, then by due date


# --------------------------------------------------------------------------- the renewal notice deadline
def test_the_notice_deadline_is_a_milestone_with_what_must_be_ready():
    from assessment.rules import renewal_status

    plan = ar.progress([_a("C-1", "contract", "in progress", D(2027, 3, 15)),
                        _a("C-2", "contract", "done", D(2026, 12, 1)),
                        _a("D-1", "data", "not started", D(2027, 5, 31))], "2026-10")
    s = ar.milestone(D(2027, 4, 2), D(2027, 7, 1), D(2026, 11, 10), "2026-10", plan)
    assert s.days == 143 and s.status == renewal_status(143) == "ok"
    # reviews of November to March are held in December to April 1st, all before 2 April
    assert s.reviews_left == 5
    assert [a.id for a in s.due_by] == ["C-1"]      # open and due by the deadline; done and later ones are not
    near = ar.milestone(D(2027, 4, 2), D(2027, 7, 1), D(2027, 3, 10), "2027-02")
    assert (near.days, near.status, near.reviews_left) == (23, "urgent", 1)   # March's, held by 1 April at the earliest
    assert ar.milestone(D(2027, 4, 2), D(2027, 7, 1), D(2027, 4, 9), "2027-03").status == "overdue"


# --------------------------------------------------------------------------- the review file
def _kpis():
    from assessment.analyses.kpis import load_catalogue

    return {k: v.name for k, v in load_catalogue().items()}


def test_the_example_review_files_load():
    from assessment import reviews

    files = reviews.load(KESTREL / "engagement.yaml", "2026-10", _kpis())
    assert [r.month for r in files.records] == ["2026-09", "2026-10"]
    oct_ = files.of("2026-10")
    assert oct_.meeting == D(2026, 11, 10) and len(oct_.paragraphs) == 3 and len(oct_.decisions) == 3
    assert {d.kpi for d in oct_.dives} == {"service_level", "forecast_accuracy", "attrition"}
    assert [r.month for r in reviews.load(KESTREL / "engagement.yaml", "2026-09", _kpis()).records] == ["2026-09"]
    assert reviews.check(KESTREL / "engagement.yaml") == []


def test_a_bad_review_file_reports_every_problem_with_its_line(tmp_path):
    from assessment import reviews

    folder = tmp_path / "reviews"
    folder.mkdir()
    (folder / "2026-10.yaml").write_text(
        "month: 2026-09\n"                               # 1
        "meeting: 2026-09-30\n"                          # 2
        "agenda: []\n"                                   # 3
        "deep_dives:\n"                                  # 4
        "  - kpi: service_levle\n"                       # 5
        "    status: started\n"                          # 6
        "    due: soon\n"                                # 7
        "  - kpi: asa\n"                                 # 8
        "    owner_side: both\n"                         # 9
        "    opened: 2026-11\n"                          # 10
        "decisions:\n"                                   # 11
        "  - owner: Kestrel\n",                          # 12
        encoding="utf-8")
    (folder / "notes.yaml").write_text("not: a review\n", encoding="utf-8")     # not YYYY-MM: ignored
    found = {(p.line, p.field) for p in reviews.check(tmp_path / "engagement.yaml", _kpis())}
    assert found == {(1, "month"), (2, "meeting"), (3, "agenda"), (5, "deep_dives[0].kpi"),
                     (6, "deep_dives[0].status"), (7, "deep_dives[0].due"), (9, "deep_dives[1].owner_side"),
                     (10, "deep_dives[1].opened"), (12, "decisions[0].decision")}
    text = "\n".join(str(p) for p in reviews.check(tmp_path / "engagement.yaml", _kpis()))
    assert "2026-10.yaml:6: error: deep_dives[0].status: expected not started | in progress | done | blocked, " \
           "found 'started'" in text
    with pytest.raises(InvalidInput):
        reviews.load(tmp_path / "engagement.yaml", "2026-10", _kpis())
    # a later month's file is not read for an earlier review
    assert reviews.load(tmp_path / "engagement.yaml", "2026-09", _kpis()).records == ()


def test_the_file_name_carries_the_month():
    from assessment.report.build import output_stem

    assert output_stem("kestrel-insurance", "scorecard", "2026-10") == "kestrel-insurance-service-review-2026-10"
    assert output_stem("kestrel-insurance", "scorecard", "2026-09") != output_stem("kestrel-insurance", "scorecard",
                                                                                  "2026-10")
    assert output_stem("kestrel-insurance", "readout") == "kestrel-insurance-readout"


# --------------------------------------------------------------------------- the sections, without a kernel
def test_october_shows_its_progress_carried_dives_and_the_milestone(tmp_path):
    from assessment.report.scorecard import Scorecard

    sc = Scorecard.load(str(kestrel_with_actions(tmp_path)), month="2026-10")
    r = sc.review
    assert r.on == D(2026, 11, 10)                             # the meeting date of reviews/2026-10.yaml
    assert (r.volume.days_with_data, r.volume.answered) == (27, 29_630)
    assert r.money.credits.value == pytest.approx(5_550) and r.money.cost.value == pytest.approx(5.4380, abs=1e-3)
    head, summary, kpis, actions, meeting = (str(sc.section(p)) for p in
                                             ("header", "summary", "kpis", "actions", "meeting"))
    assert "Monthly service review: October 2026" in head and "Apex Outsource Partners" in head
    assert "Decision milestone: renewal notice deadline, 2 April 2027." in summary
    assert "143 days from this review" in summary and "pill green" not in summary
    assert "£185,000 ÷ 34,020 = £5.44 per contact" in summary and "£5,550" in summary
    assert "open 2 months" in kpis and "Kestrel: Claims Planning Manager" in kpis and "15 Dec 2026" in kpis
    assert kpis.count('<img class="spark"') == 9
    # GOV-1 done; GOV-2 and CAP-1 (due 30 Nov, in progress) in progress; CAP-2 late (due 15 Oct);
    # CAP-3 blocked and LKT-1 (due 20 Nov, not started) at risk; CON-2 and DAT-1 not started
    assert "9 actions in 5 workstreams" in actions
    assert re.search(r"1 done, 3 in progress, <strong>1 late</strong>.*<strong>2 at risk</strong>.*2 not started",
                     actions, re.S)
    assert "Share campaign plans four weeks ahead" in actions
    assert "Hold the September and October service-level credits" in meeting


def test_the_reviews_facts_go_out_through_the_notebook_glue(tmp_path):
    from assessment import reviews
    from assessment.report.scorecard import Scorecard

    sc = Scorecard.load(str(kestrel_with_actions(tmp_path)), month="2026-10")
    data, meta = sc.glue()._repr_json_()
    assert meta == {"schema": reviews.SCHEMA_ID}
    nb = {"cells": [{"cell_type": "code", "outputs": [{"data": {"application/json": json.dumps(data)}}]}]}
    back = reviews.from_notebook(nb)
    assert back == json.loads(json.dumps(data))
    assert back["volume"]["answered"] == 29_630 and back["renewal_milestone"]["days"] == 143
    assert back["renewal_milestone"]["status"] == "ok" and back["deep_dives"][0]["kpi"] == "service_level"
    assert "£185,000 ÷ 34,020 = £5.44 per contact" in back["money"]["cost_per_contact"]["working"]
    assert reviews.from_notebook({"cells": []}) is None


def test_september_has_no_contact_data_and_says_so(tmp_path):
    from assessment.report.scorecard import Scorecard

    sc = Scorecard.load(str(kestrel_with_actions(tmp_path)), month="2026-09")
    assert sc.review.volume is None and sc.review.money.cost is None
    summary = str(sc.section("summary"))
    assert "The contact data received holds no day of September 2026" in summary
    assert "£5,550" in summary                                  # the credits need only the KPIs
    kpis = str(sc.section("kpis"))
    assert "open 2 months" not in kpis and "2026-09" in kpis    # September opened them
    # nothing was due by the end of September; the blocked portal work is at risk
    assert re.search(r"<strong>0 late</strong>.*<strong>1 at risk</strong>", str(sc.section("actions")), re.S)


def test_commentary_and_decisions_are_printed_as_entered_and_escaped(tmp_path):
    from assessment.report.scorecard import Scorecard

    path = kestrel_with_actions(tmp_path)
    (path.parent / "reviews" / "2026-10.yaml").write_text(
        'commentary: "<script>alert(1)</script> & {{ 7*7 }}"\n'
        'decisions:\n  - decision: "<img src=http://127.0.0.1:9/x>"\n    owner: "=HYPERLINK()"\n',
        encoding="utf-8")
    meeting = str(Scorecard.load(str(path), month="2026-10").section("meeting"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; {{ 7*7 }}" in meeting and "<script>" not in meeting
    assert "&lt;img src=http://127.0.0.1:9/x&gt;" in meeting and "=HYPERLINK()" in meeting


def test_without_commercials_or_a_plan_the_review_says_what_it_needs(tmp_path):
    from assessment.report.scorecard import Scorecard

    path = kestrel_with_actions(tmp_path, extra="")
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?ms)^commercials:.*?(?=^\S)", "", text), encoding="utf-8")
    sc = Scorecard.load(str(path), month="2026-10")
    summary, actions = str(sc.section("summary")), str(sc.section("actions"))
    assert "The monthly fee is not recorded" in summary and "Cost per contact" not in summary
    assert "No action plan is recorded yet" in actions          # October's meeting is on record
    (path.parent / "reviews" / "2026-10.yaml").unlink()
    bare = Scorecard.load(str(path), month="2026-10")
    assert str(bare.section("actions")).strip() == ""           # nothing recorded: one short section says both
    meeting = str(bare.section("meeting"))
    assert "The action plan and the meeting" in meeting and "No action plan is recorded yet" in meeting
    assert "No commentary or decisions have been recorded for October 2026 yet" in meeting
    assert "Must be ready by then:</strong> the month-by-month record" in summary


# --------------------------------------------------------------------------- the PDFs (slow)
@pytest.mark.slow
def test_september_and_october_side_by_side(tmp_path):
    from pypdf import PdfReader

    import pagecheck as pc
    from assessment.resources import TEMPLATES

    path = kestrel_with_actions(tmp_path / "in")
    out = tmp_path / "out"
    for month in ("2026-09", "2026-10"):
        r = subprocess.run([sys.executable, "-m", "assessment", "scorecard", str(path.parent), "--month", month,
                            "--out", str(out), "--format", "pdf"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    folder = out / "kestrel-insurance"
    sep, oct_ = (folder / f"kestrel-insurance-service-review-2026-{m}.pdf" for m in ("09", "10"))
    assert sep.is_file() and oct_.is_file()          # October did not replace September
    margins = pc.margins_from_css((TEMPLATES / "readout" / "readout.css").read_text(encoding="utf-8"))
    texts = {}
    for pdf in (sep, oct_):
        reader = PdfReader(str(pdf))
        assert 2 <= len(reader.pages) <= 4, (pdf.name, len(reader.pages))
        assert not pc.check_pdf(pdf, margins, cover=False), pc.report(pc.check_pdf(pdf, margins, cover=False))
        texts[pdf.name] = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    o = texts[oct_.name]
    for needle in ("Monthly service review: October 2026", "Kestrel Insurance", "Apex Outsource Partners",
                   "Decision milestone: renewal notice deadline, 2 April 2027", "143 days from this review",
                   "33,311 contacts were offered", "£5.44", "£5,550", "open 2 months",
                   "The action plan's progress", "Late and at risk", "Partner commentary", "Decisions taken",
                   "Approve the storm-season rota"):
        assert needle in o, needle
    data = json.loads((folder / "kestrel-insurance-service-review-2026-10.json").read_text(encoding="utf-8"))
    assert data["schema"] == "outsourcing-readout/service-review@1" and data["month"] == "2026-10"
    assert data["money"]["service_credits"]["value"] == pytest.approx(5_550)
    assert data["actions"]["totals"] == {"done": 1, "late": 1, "at risk": 2, "in progress": 3, "not started": 2}
    s = texts[sep.name]
    assert "Monthly service review: September 2026" in s and "176 days from this review" in s
    assert "open 2 months" not in s and "import " not in s


@pytest.mark.slow
def test_a_bad_review_file_stops_the_build_with_every_problem(tmp_path):
    path = kestrel_with_actions(tmp_path / "in")
    (path.parent / "reviews" / "2026-10.yaml").write_text("deep_dives:\n  - kpi: nope\n    status: later\n",
                                                        encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "assessment", "scorecard", str(path.parent), "--month", "2026-10",
                        "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    err = r.stdout + r.stderr
    assert "2026-10.yaml:2: error: deep_dives[0].kpi" in err and "2026-10.yaml:3: error: deep_dives[0].status" in err
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_validate_reports_a_bad_review_file_and_refuses_a_link_outside(tmp_path, capsys):
    from assessment import reviews
    from assessment.cli import main

    path = kestrel_with_actions(tmp_path)
    (path.parent / "reviews" / "2026-10.yaml").write_text("decisions:\n  - owner: nobody\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = "".join(capsys.readouterr())
    assert "2026-10.yaml:2: error: decisions[0].decision: expected text (this field is required), found nothing" in out
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text("commentary: another client's words\n", encoding="utf-8")
    (path.parent / "reviews" / "2026-10.yaml").unlink()
    (path.parent / "reviews" / "2026-10.yaml").symlink_to(secret)
    problems = reviews.check(path)
    assert [(p.field, p.expected) for p in problems] == [("reviews/2026-10.yaml", "a file inside the engagement folder")]
    assert "2026-10" not in reviews.review_files(path)      # never read


def test_a_deep_dive_no_file_recorded_opens_when_its_run_began():
    flags = [("2026-07", False), ("2026-08", True), ("2026-09", True), ("2026-10", True)]
    assert ar.run_start(flags, "2026-10") == "2026-08" and ar.run_start(flags, "2026-07") == "2026-07"
    assert ar.run_start([], "2026-10") == "2026-10"
    first = _rec("2026-08")          # the first review on record
    (d,) = ar.carry_dives([first], {"asa": "223% from target"}, "2026-10", {"asa": "ASA"}, D(2026, 11, 10),
                          since={"asa": "2026-06"})
    assert (d.opened, d.carried, d.months_open, d.owner) == ("2026-08", True, 3, "")   # not before the reviews began
    (d,) = ar.carry_dives([], {"asa": "223% from target"}, "2026-10", {"asa": "ASA"}, D(2026, 11, 10),
                          since={"asa": "2026-06"})
    assert (d.opened, d.carried) == ("2026-10", False)          # no review on record: it opens now


def test_a_far_deadline_is_not_yet_a_milestone_and_a_pending_hand_off_is(tmp_path):
    from assessment.report.scorecard import Scorecard

    sc = Scorecard.load(str(EXAMPLES / "harbour-lane-bank"), month="2026-10")
    assert sc.review.milestone.days == 886 and not sc.review.milestone.in_horizon
    summary = re.sub(r"<[^>]+>", "", str(sc.section("summary")))
    assert "Decision milestone: hand-off to Meridian Contact Solutions, 15 January 2027, 76 days from this review" \
        in summary
    assert "It becomes a decision milestone of this review a year before it" in summary
    assert "Decision milestone: renewal notice deadline" not in summary and "Must be ready by then" not in summary
    # before the hand-off the provider answers none of the contacts: no cost per contact is claimed
    assert sc.review.money.cost is None and sc.review.volume.answered > 0
    assert "The service moves to Meridian Contact Solutions on 15 January 2027" in summary
    assert "No KPI results for October 2026 have been received" in str(sc.section("kpis"))


def test_an_empty_review_file_is_a_month_not_yet_written(tmp_path):
    from assessment import reviews

    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "2026-10.yaml").write_text("\n", encoding="utf-8")
    assert reviews.load(tmp_path / "engagement.yaml", "2026-10", _kpis()).records == (ar.Review("2026-10"),)
    (tmp_path / "reviews" / "2026-10.yaml").write_text("meeting: 2026-09-30\n", encoding="utf-8")
    (p,) = reviews.check(tmp_path / "engagement.yaml", _kpis())
    assert str(p).endswith("2026-10.yaml:1: error: meeting: expected a date on or after the first day of the month "
                           "reviewed (2026-10-01), found 2026-09-30")


def test_an_engagement_without_data_says_what_each_part_needs(tmp_path):
    from assessment.report.scorecard import Scorecard

    path = tmp_path / "engagement.yaml"
    path.write_text('client: {name: "Bare Co"}\nassessment: {date: 2026-11-02, consultants: ["A. C"]}\n'
                    'outsourcer: {name: "Prov Ltd"}\ncontract: {notice_days: 90}\n', encoding="utf-8")
    sc = Scorecard.load(str(path), month="2026-10")
    summary = str(sc.section("summary"))
    assert "No contact volumes have been received for October 2026" in summary
    assert "The monthly fee is not recorded" in summary
    assert "No renewal date is recorded for the agreement" in summary
    assert "No KPI results for October 2026 have been received" in str(sc.section("kpis"))
    assert "No action plan is recorded yet" in str(sc.section("meeting"))
