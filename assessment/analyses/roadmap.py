"""Prioritisation (impact against effort) and a roadmap in horizons. Pure functions.

* Impact is the item's priority (gap x weight); effort comes from the checklist.
* Quick wins go first (0-90 days), major projects next (3-6 months), fill-ins fit
  around them, thankless tasks come last (6-12 months) or are dropped.
* Items that need a lead time before the hand-off (telecom lines, hiring, training,
  CRM) are pulled forward and scheduled to finish before the hand-off; when the
  hand-off is too close, the roadmap says so plainly.
* ``depends_on`` in the checklist is respected, and training precedes go-live.
* A pragmatic roadmap limits how much change starts at once: at most
  ``CAPACITY`` actions start in each horizon; the rest move to the next one
  (lead-time items are never moved, the hand-off does not wait).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..checklist import Checklist
from .scoring import IMPROVE, THRESHOLDS, Scores

QUICK_WIN, MAJOR_PROJECT, FILL_IN, THANKLESS = "quick win", "major project", "fill-in", "thankless task"
QUADRANTS = (QUICK_WIN, MAJOR_PROJECT, FILL_IN, THANKLESS)
HORIZONS = (("0-90 days", 0, 90), ("3-6 months", 90, 182), ("6-12 months", 182, 365))
DURATION_DAYS = {"low": 30, "medium": 60, "high": 120}   # typical time to close a gap, by effort
HIGH_EFFORT = {"high"}
FIRST_START = {QUICK_WIN: 0, MAJOR_PROJECT: 90, FILL_IN: 90, THANKLESS: 182}
CAPACITY = {"0-90 days": 8, "3-6 months": 12}   # actions a client team can start per horizon
LEAD_LABEL = {"telecom": "telecom and data lines", "hiring": "agent hiring", "training": "agent training",
              "crm": "the CRM set-up"}


@dataclass(frozen=True)
class Action:
    id: str
    title: str
    dimension: str
    priority: float
    effort: str
    quadrant: str
    horizon: str
    start: dt.date
    end: dt.date
    depends_on: tuple[str, ...] = ()
    lead_time: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Roadmap:
    as_of: dt.date
    actions: list[Action]
    warnings: list[str] = field(default_factory=list)  # honest notes: dates already too close

    def in_horizon(self, horizon: str) -> list[Action]:
        return [a for a in self.actions if a.horizon == horizon]

    def by_quadrant(self, quadrant: str) -> list[Action]:
        return [a for a in self.actions if a.quadrant == quadrant]


def quadrant(priority: float, effort: str, high_impact: float = THRESHOLDS.high_priority) -> str:
    """Place one opportunity on the impact/effort 2x2."""
    high = priority >= high_impact
    hard = effort in HIGH_EFFORT
    if high and not hard:
        return QUICK_WIN
    if high and hard:
        return MAJOR_PROJECT
    if not hard:
        return FILL_IN
    return THANKLESS


def horizon_of(start_offset: int) -> str:
    for name, lo, hi in HORIZONS:
        if lo <= start_offset < hi:
            return name
    return HORIZONS[-1][0]


def lead_time_note(kind: str, lo: int, hi: int, days_left: int, wait: int = 0, after: str = "") -> tuple[str, str]:
    """('ok'|'tight'|'too late', sentence) for one lead time against the days left to hand-off.

    ``wait`` is how many days the work must wait for something else (``after``), e.g.
    training waits for hiring; ``days_left`` is counted from the day the work can start.
    """
    need = f"{lo}–{hi} days" if lo != hi else f"{lo} days"
    what = LEAD_LABEL.get(kind, kind)
    if wait:
        head = (f"Hand-off in {days_left + wait} days, but {what} can only start after {after}, "
                f"{wait} days from now, leaving {days_left} days; {what} need {need}.")
    else:
        head = f"Hand-off in {days_left} days; {what} need {need}."
    if days_left < lo:
        return "too late", head + " Move the hand-off date or secure an expedited or interim arrangement now."
    if days_left <= hi:
        return "tight", head + " Start at once: there is no slack."
    return "ok", head + " Feasible if started now."


def build(scores: Scores, checklist: Checklist, as_of: dt.date, hand_off: dt.date | None = None,
          lead_times=None) -> Roadmap:
    """Schedule every 'improve' item. ``lead_times`` has ``days(name) -> (min, max)``."""
    opportunities = [i for i in scores.items if i.classification == IMPROVE]
    order = {QUICK_WIN: 0, MAJOR_PROJECT: 1, FILL_IN: 2, THANKLESS: 3}
    opportunities.sort(key=lambda i: (order[quadrant(i.priority or 0, i.effort)], -(i.priority or 0), i.id))
    pending_handoff = hand_off is not None and hand_off > as_of
    days_left = (hand_off - as_of).days if pending_handoff else None
    warnings: list[str] = []
    planned: dict[str, Action] = {}
    ids = {i.id for i in opportunities}
    by_id = {i.id: i for i in opportunities}
    lead_items = {i.id for i in opportunities if checklist[i.id].lead_time} if pending_handoff else set()

    started: dict[str, int] = {}
    placing: set[str] = set()   # on the way down: a checklist loaded by load_checklist has no cycles, but a
                                # Checklist built in code might; a dependency already being placed is skipped

    def place(item) -> Action:
        if item.id in planned:
            return planned[item.id]
        placing.add(item.id)
        spec = checklist[item.id]
        quad = quadrant(item.priority or 0, item.effort)
        duration = DURATION_DAYS.get(item.effort, 60)
        start, note = FIRST_START[quad], ""
        deps = [d for d in spec.depends_on if d in ids]
        # training precedes go-live: a training item waits for the hiring item
        if spec.lead_time == "training":
            deps += [o.id for o in opportunities if checklist[o.id].lead_time == "hiring" and o.id not in deps]
        waited_for = ""
        deps = [d for d in deps if d not in placing]
        for dep in deps:
            before = place(by_id[dep])
            if (before.end - as_of).days > start:
                start, waited_for = (before.end - as_of).days, LEAD_LABEL.get(before.lead_time or "", before.title.lower())
        if item.id in lead_items and lead_times is not None:
            lo, hi = lead_times.days(spec.lead_time)
            start = min(start, 0) if not deps else start
            duration = hi
            status, note = lead_time_note(spec.lead_time, lo, hi, days_left - start, wait=start, after=waited_for)
            if status != "ok":
                warnings.append(note)
        else:
            # pragmatic pacing: a full horizon pushes the action to the next one
            for name, lo_day, hi_day in HORIZONS:
                if lo_day <= start < hi_day and started.get(name, 0) >= CAPACITY.get(name, 10**6):
                    start = hi_day
        started[horizon_of(start)] = started.get(horizon_of(start), 0) + 1
        begin = as_of + dt.timedelta(days=start)
        action = Action(item.id, item.title, item.dimension, item.priority or 0, item.effort, quad, horizon_of(start),
                        begin, begin + dt.timedelta(days=duration), tuple(deps), spec.lead_time, note)
        planned[item.id] = action
        return action

    for item in opportunities:
        place(item)
    actions = sorted(planned.values(), key=lambda a: (a.start, -a.priority, a.id))
    return Roadmap(as_of, actions, warnings)
