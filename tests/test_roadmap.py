"""Roadmap: quadrants, horizons, lead times before the hand-off, dependencies, pacing. Hand-worked dates."""
from __future__ import annotations

import datetime as dt

from assessment.analyses import roadmap as rm
from assessment.analyses.scoring import score
from assessment.model import ItemAnswer, LeadTimes

AS_OF = dt.date(2026, 11, 16)


def answers(**pairs):
    return {k.replace("_", "-"): ItemAnswer(as_is=a, to_be=b) for k, (a, b) in pairs.items()}


def test_quadrants():
    assert rm.quadrant(6, "low") == rm.QUICK_WIN
    assert rm.quadrant(4, "medium") == rm.QUICK_WIN          # 4 is the high-impact boundary
    assert rm.quadrant(3.9, "medium") == rm.FILL_IN
    assert rm.quadrant(9, "high") == rm.MAJOR_PROJECT
    assert rm.quadrant(2, "high") == rm.THANKLESS


def test_lead_time_notes_are_honest():
    assert rm.lead_time_note("telecom", 45, 60, 30) == (
        "too late", "Hand-off in 30 days; telecom and data lines need 45–60 days. Move the hand-off date or "
                    "secure an expedited or interim arrangement now.")
    assert rm.lead_time_note("telecom", 45, 60, 60)[0] == "tight"     # exactly the upper bound: no slack
    assert rm.lead_time_note("telecom", 45, 60, 61)[0] == "ok"
    status, text = rm.lead_time_note("training", 14, 21, 15, wait=45, after="agent hiring")
    assert status == "tight" and text.startswith("Hand-off in 60 days, but agent training can only start after "
                                                 "agent hiring, 45 days from now, leaving 15 days")


def test_schedule_with_hand_off_and_dependencies(mini):
    # TEC-01 (telecom, effort high, weight 2): 1 -> 4, priority 6, a major project pulled to day 0.
    # TEC-02 (medium, weight 1): 0 -> 4, priority 4, a quick win, but it depends on TEC-01:
    # it starts when TEC-01 ends (day 0 + 60 = 15 Jan 2027).
    # PRC-02 (low effort, weight 2): 2 -> 4, priority 4: a quick win starting today, 30 days.
    # PEO-01 (low, weight 1): 2 -> 3, priority 1: a fill-in, starting at day 90.
    scores = score(mini, answers(TEC_01=(1, 4), TEC_02=(0, 4), PRC_02=(2, 4), PEO_01=(2, 3), PEO_02=(3, 3)))
    hand_off = AS_OF + dt.timedelta(days=30)
    plan = rm.build(scores, mini, AS_OF, hand_off, LeadTimes())
    by = {a.id: a for a in plan.actions}
    assert set(by) == {"TEC-01", "TEC-02", "PRC-02", "PEO-01"}
    assert by["TEC-01"].quadrant == rm.MAJOR_PROJECT and by["TEC-01"].start == AS_OF
    assert by["TEC-01"].end == dt.date(2027, 1, 15)            # 60 days: the upper lead time
    assert by["TEC-02"].start == dt.date(2027, 1, 15) and by["TEC-02"].depends_on == ("TEC-01",)
    assert by["PRC-02"].quadrant == rm.QUICK_WIN and (by["PRC-02"].start, by["PRC-02"].end) == (
        AS_OF, dt.date(2026, 12, 16))
    assert by["PEO-01"].quadrant == rm.FILL_IN and by["PEO-01"].horizon == "3-6 months"
    assert by["PEO-01"].start == dt.date(2027, 2, 14)          # 16 Nov + 90 days
    assert plan.warnings == ["Hand-off in 30 days; telecom and data lines need 45–60 days. Move the hand-off date "
                             "or secure an expedited or interim arrangement now."]


def test_no_hand_off_no_warning_and_no_gaps_no_plan(mini):
    scores = score(mini, answers(TEC_01=(1, 4)))
    assert rm.build(scores, mini, AS_OF, None, LeadTimes()).warnings == []
    past = rm.build(scores, mini, AS_OF, AS_OF - dt.timedelta(days=1), LeadTimes())
    assert past.warnings == [] and past.actions[0].quadrant == rm.MAJOR_PROJECT
    assert rm.build(score(mini, answers(PEO_01=(4, 4))), mini, AS_OF).actions == []


def test_pacing_moves_the_ninth_quick_win(builtin):
    # 10 low-effort items with gap 3: all quick wins; only 8 may start in the first 90 days.
    low = [i for i in builtin.items if i.effort == "low" and not i.lead_time][:10]
    scores = score(builtin, {i.id: ItemAnswer(as_is=1, to_be=4) for i in low})
    plan = rm.build(scores, builtin, AS_OF)
    first = plan.in_horizon("0-90 days")
    assert len(first) == rm.CAPACITY["0-90 days"] == 8
    assert len(plan.in_horizon("3-6 months")) == 2
    # the ones moved are the lowest priority (weight 1 before weight 2 and 3)
    moved = {a.id for a in plan.in_horizon("3-6 months")}
    assert max(builtin[i].weight for i in moved) <= min(builtin[a.id].weight for a in first)
