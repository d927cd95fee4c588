"""Roadmap: relative quadrants, dates that serve the decisions, lead times, gate and hypercare, peaks, pacing.

Every date below is worked by hand from the constants of assessment.analyses.roadmap.
"""
from __future__ import annotations

import datetime as dt

from assessment.analyses import roadmap as rm
from assessment.analyses.scoring import score
from assessment.model import ItemAnswer, LeadTimes, Peak

AS_OF = dt.date(2026, 11, 16)


def answers(**pairs):
    return {k.replace("_", "-"): ItemAnswer(as_is=a, to_be=b) for k, (a, b) in pairs.items()}


def by_id(plan):
    return {a.id: a for a in plan.actions}


def test_effort_score_and_relative_thresholds():
    assert rm.effort_score("low", 1) == 1.0 and rm.effort_score("medium", 3) == 2.4 and rm.effort_score("high", 2) == 3.2
    # 9 items: a third is 3; ">= 6" takes exactly 3
    assert rm.top_share_threshold([6, 6, 6, 4, 4, 3, 2, 2, 2]) == 6
    # 15 items, want 5: ">= 4" takes 2 (off by 3), ">= 2" takes 12 (more than half): 4
    assert rm.top_share_threshold([2] * 10 + [1] * 3 + [4] * 2) == 4
    # all alike: no value splits off at most half, so the threshold is above them all and nothing is high
    assert rm.top_share_threshold([3, 3, 3]) == 4
    assert rm.quadrant(6, 1.0, 6, 2.4) == rm.QUICK_WIN and rm.quadrant(6, 2.4, 6, 2.4) == rm.MAJOR_PROJECT
    assert rm.quadrant(5, 1.0, 6, 2.4) == rm.FILL_IN and rm.quadrant(5, 3.0, 6, 2.4) == rm.THANKLESS


def test_lead_time_notes_are_honest():
    assert rm.lead_time_note("telecom", 45, 60, 30) == (
        "too late", "Hand-off in 30 days; telecom and data lines need 45–60 days. Move the hand-off date or "
                    "secure an expedited or interim arrangement now.")
    assert rm.lead_time_note("telecom", 45, 60, 60)[0] == "tight"     # exactly the upper bound: no slack
    assert rm.lead_time_note("telecom", 45, 60, 61)[0] == "ok"
    assert "; the CRM set-up needs 30–60 days." in rm.lead_time_note("crm", 30, 60, 20)[1]
    assert "; agent hiring needs 30–45 days." in rm.lead_time_note("hiring", 30, 45, 20)[1]


def test_evidence_and_the_deadline_item_finish_before_the_notice_deadline(builtin):
    # notice deadline 15 Dec 2026 (29 days ahead): evidence in hand 14 days before, on 1 Dec (15 days from now).
    # PRC-02 (medium: 60 days) and PRC-08 are compressed to 15 days; PRC-05 (low: 30 days) likewise.
    # The renewal decision runs 1 Dec - 14 Dec, the day before the deadline.
    scores = score(builtin, answers(PRC_02=(1, 3), PRC_08=(1, 3), PRC_05=(1, 3), PEO_11=(1, 3)))
    plan = rm.build(scores, builtin, AS_OF, notice_deadline=dt.date(2026, 12, 15))
    a = by_id(plan)
    for iid in ("PRC-02", "PRC-08", "PRC-05"):
        assert (a[iid].start, a[iid].end) == (AS_OF, dt.date(2026, 12, 1)), iid
        assert a[iid].due_by == dt.date(2026, 12, 1)
    assert a["PRC-02"].note.startswith("Compressed to 15 days (work of this size usually takes 60)")
    assert "evidence for the renewal decision" in a["PRC-02"].reason
    renewal = a["RENEWAL"]
    # decided and served a week before the deadline (15 Dec - 7 days = 8 Dec), so it is received in time
    assert (renewal.start, renewal.end, renewal.kind) == (dt.date(2026, 12, 1), dt.date(2026, 12, 8), rm.DECISION)
    assert "by 8 Dec 2026" in renewal.action or "8 December 2026" in renewal.action, renewal.action
    assert set(renewal.depends_on) == {"PRC-02", "PRC-08", "PRC-05"}
    assert a["PEO-11"].due_by is None          # no decision waits for it
    # a notice deadline beyond 18 months is a contract milestone, not roadmap work
    far = rm.build(scores, builtin, AS_OF, notice_deadline=dt.date(2029, 4, 4))
    assert "RENEWAL" not in by_id(far) and by_id(far)["PRC-02"].due_by is None


def test_pending_hand_off_gets_a_gate_hypercare_and_a_fallback_and_training_follows_hiring(builtin):
    # hand-off 15 Jan 2027 (60 days); gate 8 Jan (53 days). Hiring (30-45) and training (14-21) must both be done
    # by the gate: 45 + 21 = 66 > 53 days, so hiring gets the 32 days left before training (16 Nov - 18 Dec) and
    # training follows it (18 Dec + 21 = 8 Jan). Telecom (45-60) gets the 53 days there are.
    scores = score(builtin, answers(PEO_07=(1, 3), PRD_01=(1, 3), TEC_01=(1, 3)))
    plan = rm.build(scores, builtin, AS_OF, dt.date(2027, 1, 15), LeadTimes())
    a = by_id(plan)
    assert (a["PEO-07"].start, a["PEO-07"].end) == (AS_OF, dt.date(2026, 12, 18))
    assert a["PRD-01"].depends_on == ("PEO-07",)
    assert (a["PRD-01"].start, a["PRD-01"].end) == (dt.date(2026, 12, 18), dt.date(2027, 1, 8))
    assert (a["TEC-01"].start, a["TEC-01"].end) == (AS_OF, dt.date(2027, 1, 8))   # 53 days: the 60 do not fit
    gate, care = a["GATE"], a["HYPERCARE"]
    assert (gate.start, gate.end, gate.kind) == (dt.date(2027, 1, 8), dt.date(2027, 1, 8), rm.GATE)
    assert set(gate.depends_on) == {"PEO-07", "PRD-01", "TEC-01"}
    assert (care.start, care.end) == (dt.date(2027, 1, 15), dt.date(2027, 2, 14))
    assert gate.workstream == care.workstream == "transition"
    assert plan.fallback == rm.FALLBACK and "the hand-off moves" in gate.note
    for iid in ("PEO-07", "PRD-01", "TEC-01"):
        assert a[iid].end <= gate.start, iid


def test_a_past_hand_off_has_no_lead_times_and_training_does_not_wait_for_hiring(builtin):
    scores = score(builtin, answers(PEO_07=(1, 3), PRD_01=(1, 3)))
    plan = rm.build(scores, builtin, AS_OF, dt.date(2024, 9, 2), LeadTimes())
    a = by_id(plan)
    assert "GATE" not in a and plan.fallback == "" and plan.warnings == []
    assert a["PRD-01"].depends_on == () and a["PRD-01"].lead_time is None
    assert a["PRD-01"].start < a["PEO-07"].end


def test_a_past_hand_off_plans_hiring_back_from_the_next_peak_not_the_hand_off(builtin):
    # hand-off 2 Sep 2024 is past; storm season 2026-27 (15 days away) is too soon for 120 days of hiring work,
    # so hiring is ready 14 days before the 2027-28 season: by 17 Nov 2027, and says why.
    peaks = [Peak(name="Storm season 2026-27", start=dt.date(2026, 12, 1), end=dt.date(2027, 3, 31)),
             Peak(name="Storm season 2027-28", start=dt.date(2027, 12, 1), end=dt.date(2028, 3, 31))]
    scores = score(builtin, answers(PEO_07=(1, 3)))
    hiring = by_id(rm.build(scores, builtin, AS_OF, dt.date(2024, 9, 2), LeadTimes(), peaks=peaks))["PEO-07"]
    assert hiring.due_by == dt.date(2027, 11, 17) and hiring.end <= hiring.due_by
    assert "hand-off" not in hiring.action and "Storm season 2027-28" in hiring.action
    assert "is past" in hiring.reason and "Storm season 2027-28" in hiring.reason
    # no peak ahead: no date to plan back from, and still not the hand-off
    alone = by_id(rm.build(scores, builtin, AS_OF, dt.date(2024, 9, 2), LeadTimes()))["PEO-07"]
    assert alone.due_by is None and "hand-off" not in alone.action


def test_a_pending_hand_off_decides_its_hours_and_service_levels_before_the_gate(builtin):
    # hand-off 15 Jan 2027, gate 8 Jan: the opening hours (PRC-04) and the service levels (PRC-01) it is staffed
    # for are decided before the gate, whatever the peaks or the notice deadline say; other work is not pulled in.
    scores = score(builtin, answers(PRC_04=(1, 3), PRC_01=(1, 3), PEO_11=(1, 3)))
    plan = rm.build(scores, builtin, AS_OF, dt.date(2027, 1, 15), LeadTimes(),
                    notice_deadline=dt.date(2029, 4, 4))
    a = by_id(plan)
    for iid in ("PRC-04", "PRC-01"):
        assert a[iid].due_by == dt.date(2027, 1, 8) and a[iid].end <= dt.date(2027, 1, 8), iid
        assert a[iid].start <= AS_OF + dt.timedelta(days=21), iid
        assert "before the go / no-go gate" in a[iid].reason
    assert a["PEO-11"].due_by is None


def test_capacity_work_is_ready_before_the_next_peak_it_can_meet(builtin):
    # storm season from 1 Dec 2026 (15 days away) is too soon for any capacity work: said plainly.
    # The next season starts 1 Dec 2027: ready 14 days before, by 17 Nov 2027. TEC-06 waits for TEC-05.
    peaks = [Peak(name="Storm season 2026-27", start=dt.date(2026, 12, 1), end=dt.date(2027, 3, 31)),
             Peak(name="Storm season 2027-28", start=dt.date(2027, 12, 1), end=dt.date(2028, 3, 31))]
    scores = score(builtin, answers(TEC_05=(1, 3), TEC_06=(1, 3)))
    plan = rm.build(scores, builtin, AS_OF, peaks=peaks)
    a = by_id(plan)
    assert a["TEC-06"].due_by == dt.date(2027, 11, 17) and a["TEC-06"].end <= dt.date(2027, 11, 17)
    assert a["TEC-05"].due_by == dt.date(2027, 7, 20)        # 17 Nov 2027 - 120 days for TEC-06
    assert a["TEC-06"].start >= a["TEC-05"].end
    assert len(plan.warnings) == 1 and plan.warnings[0].startswith("Storm season 2026-27 starts on 1 Dec 2026, "
                                                                   "15 days from now: too soon for TEC-05")


def test_starts_are_staggered_and_ties_go_to_priority_not_the_id(builtin):
    # ten low-effort items with the same gap: at most 4 start in any two weeks, and the higher weights first
    low = [i for i in builtin.items if i.effort == "low" and not i.lead_time and not i.decision and not i.peak][:10]
    scores = score(builtin, {i.id: ItemAnswer(as_is=1, to_be=3) for i in low})
    plan = rm.build(scores, builtin, AS_OF)
    starts = sorted(a.start for a in plan.actions)
    for s in starts:
        assert sum(1 for t in starts if s <= t < s + dt.timedelta(days=14)) <= rm.STARTS_PER_FORTNIGHT
    assert len(set(starts)) > 1
    order = sorted(plan.actions, key=lambda a: a.start)
    weights = [builtin[a.id].weight for a in order]
    assert weights == sorted(weights, reverse=True)


def test_no_gaps_no_plan(mini):
    assert rm.build(score(mini, answers(PEO_01=(4, 4))), mini, AS_OF).actions == []


# --------------------------------------------------------------------------- the 2x2 of the examples
def _boxes_and_lines(fig):
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_gid() == "point-label"]
    boxes = [t.get_window_extent(renderer) for t in labels]
    x_line, y_line = fig.thresholds
    lx, ly = ax.transData.transform((x_line, y_line))
    return labels, boxes, lx, ly


import pytest  # noqa: E402


@pytest.mark.parametrize("slug", ["kestrel-insurance", "harbour-lane-bank", "alpenrose-telecom"])
def test_the_examples_2x2_sorts_and_its_labels_overlap_nothing(slug):
    from conftest import ROOT

    from assessment.facts import load
    from assessment.report import charts

    f = load(ROOT / "examples" / "engagements" / slug)
    items = f.roadmap.items
    counts = {q.name: len(q.actions) for q in f.roadmap.quadrants}
    assert counts[rm.QUICK_WIN] + counts[rm.MAJOR_PROJECT] <= len(items) / 2       # "high" is never most items
    assert counts[rm.QUICK_WIN] < len(items) * 0.5 and max(counts.values()) < len(items)
    fig = charts.impact_effort(f.roadmap)
    assert fig.unlabelled == []
    labels, boxes, lx, ly = _boxes_and_lines(fig)
    assert len(labels) == len({(a.effort_score, a.priority) for a in items})      # one label per point
    for k, a in enumerate(boxes):
        assert not (a.x0 <= lx <= a.x1) and not (a.y0 <= ly <= a.y1), labels[k].get_text()
        for b in boxes[k + 1:]:
            assert not a.overlaps(b), (labels[k].get_text(), a, b)
