"""Prioritisation (impact against effort) and a schedule that serves the client's decisions. Pure functions.

* Impact is the item's priority (gap x weight); effort is the checklist's effort class refined by the
  gap (:func:`effort_score`: closing 1 -> 4 is more work than 3 -> 4). "High" on either axis is relative to this client's own
  items: the top third (:func:`thresholds`), so the 2x2 always sorts.
* Dates serve the decisions ahead, each with the reason it is dated so:
  - work that produces evidence for the renewal decision (checklist ``decision: evidence``: scorecard,
    cost per contact, benefits register) finishes ``DECISION_WINDOW`` days before the notice deadline,
    and so does the item that tracks the deadline (``decision: deadline``); a renewal decision step
    closes before the deadline itself;
  - lead times (telecom, hiring, training, CRM) apply only to a hand-off that is still ahead; work
    finishes before a go / no-go gate ``GATE_DAYS`` before the hand-off, and hypercare follows it;
    training waits for hiring only then;
  - with a hand-off ahead, the opening hours and the service levels it is staffed for (``GATE_INPUTS``) are
    decided before the gate;
  - once the hand-off is past, hiring and training are planned back from the next peak (or left undated), never
    back from the hand-off;
  - capacity and coverage work (``peak: true``) is ready ``PEAK_READY`` days before the next peak it
    can still meet (``peaks:`` in the engagement); a peak it cannot meet is said plainly.
* Starts are staggered: at most ``PARALLEL`` actions run at once and ``STARTS_PER_FORTNIGHT`` start in
  any two weeks (dated work takes its slot first and never waits past its date). Order: work with a date
  to meet by its latest start, then priority, then urgency (quadrant), then effort; never the item id.
* When a date cannot be met the schedule says so in ``warnings`` (the same honesty as the lead times).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..checklist import Checklist
from ..rules import notice_by
from .scoring import IMPROVE, Scores

QUICK_WIN, MAJOR_PROJECT, FILL_IN, THANKLESS = "quick win", "major project", "fill-in", "thankless task"
QUADRANTS = (QUICK_WIN, MAJOR_PROJECT, FILL_IN, THANKLESS)
QUADRANT_ORDER = {q: k for k, q in enumerate(QUADRANTS)}
HORIZONS = (("0-90 days", 0, 90), ("3-6 months", 90, 182), ("6-12 months", 182, 365))
DURATION_DAYS = {"low": 30, "medium": 60, "high": 120}   # typical time to close a gap, by effort
EFFORT_POINTS = {"low": 1, "medium": 2, "high": 3}
HIGH_EFFORT = {"high"}                                      # the effort class that is hard whatever the gap
FIRST_START = {QUICK_WIN: 0, MAJOR_PROJECT: 0, FILL_IN: 30, THANKLESS: 120}   # earliest start, days from as-of
TOP_SHARE = 1 / 3          # "high" impact or effort: the top third of this client's items
PARALLEL = 8               # actions a client team runs at once
STARTS_PER_FORTNIGHT = 4   # actions it can start in any two weeks
STEP_DAYS = 7              # a start that waits for capacity moves a week at a time
NOTICE_HORIZON = 548     # a notice deadline further than 18 months away is a contract milestone, not roadmap work
DECISION_WINDOW = 14       # evidence in hand this many days before the notice deadline
PEAK_READY = 14            # capacity work ready this many days before a peak starts
GATE_DAYS = 7              # the go / no-go gate, days before the hand-off
HYPERCARE_DAYS = 30
MIN_DAYS = 7               # the shortest a compressed piece of work may be
LEAD_LABEL = {"telecom": "telecom and data lines", "hiring": "agent hiring", "training": "agent training",
              "crm": "the CRM set-up"}
ITEM, GATE, HYPERCARE, DECISION = "item", "gate", "hypercare", "decision"
# what a pending hand-off is staffed for: decided before the go / no-go gate, not after it (checklist themes)
GATE_INPUTS = {"coverage-hours": "the opening hours", "needs-expectations": "the service levels"}
PAST_HAND_OFF_LEADS = ("hiring", "training")   # after a past hand-off, planned back from the next peak instead
FALLBACK = ("If the gate fails, the hand-off moves: the current operation keeps the service until every "
            "criterion is met, and the gate is held again within two weeks.")


@dataclass(frozen=True)
class Action:
    id: str                     # the checklist item id; GATE, HYPERCARE or RENEWAL for the steps the plan adds
    title: str                  # the item's title (the state it reaches)
    dimension: str
    priority: float
    effort: str
    quadrant: str
    horizon: str
    start: dt.date
    end: dt.date
    depends_on: tuple[str, ...] = ()
    lead_time: str | None = None
    note: str = ""              # an honest sentence when a date is tight or cannot be met
    workstream: str = ""
    action: str = ""            # what to do, in the imperative
    effort_score: float = 0.0   # effort_score(): the 2x2's horizontal axis
    due_by: dt.date | None = None   # the date it must finish by (None: no decision waits for it)
    reason: str = ""            # why it is dated so ("evidence for the renewal decision")
    kind: str = ITEM            # item | gate | hypercare | decision
    due_label: str = ""         # the milestone ``due_by`` is ("renewal evidence in hand")


@dataclass(frozen=True)
class Roadmap:
    as_of: dt.date
    actions: list[Action]
    warnings: list[str] = field(default_factory=list)  # honest notes: dates already too close
    high_impact: float = 0.0    # priority at or above which an item is high impact (relative)
    high_effort: float = 0.0    # effort score at or above which an item is high effort (relative)
    fallback: str = ""          # what happens when the go / no-go gate fails (a pending hand-off only)
    hand_off_past: bool = False  # the hand-off already happened: nothing is planned back from it

    @property
    def items(self) -> list[Action]:
        """The checklist items' actions (the 2x2 places these), without the gate, hypercare and decision."""
        return [a for a in self.actions if a.kind == ITEM]

    def in_horizon(self, horizon: str) -> list[Action]:
        return [a for a in self.actions if a.horizon == horizon]

    def by_quadrant(self, quadrant_: str) -> list[Action]:
        return [a for a in self.items if a.quadrant == quadrant_]


def effort_score(effort: str, gap: float) -> float:
    """How much work closing the gap is: the effort class (low 1, medium 2, high 3) plus a fifth of a point for
    each point of gap beyond the first, so the class decides and the size of the gap ranks within it."""
    return round(EFFORT_POINTS.get(effort, 2) + max(gap - 1, 0) / 5, 2)


def top_share_threshold(values: list[float], share: float = TOP_SHARE) -> float:
    """The value at or above which an item is "high": of this client's distinct values, the one whose count at or
    above it comes closest to ``share`` of the items (ties stay together; on a draw, fewer items are high).

    "High" is never most of the items: when no value splits off at most half of them (every item alike, or the
    top value shared by most), the threshold lies above the largest value and no item is high on this axis.
    """
    if not values:
        return 0.0
    want = len(values) * share
    candidates = [(abs(n - want), n, v) for v in set(values)
                  for n in [sum(1 for x in values if x >= v)] if n <= len(values) / 2]
    return min(candidates)[2] if candidates else round(max(values) + 1, 2)


def thresholds(priorities: list[float], efforts: list[float]) -> tuple[float, float]:
    """(high impact, high effort) relative to this client's items: each the start of its top third."""
    return top_share_threshold(priorities), top_share_threshold(efforts)


def quadrant(priority: float, effort: float | str, high_impact: float, high_effort: float | None = None) -> str:
    """Place one opportunity on the 2x2. ``effort`` is an effort score, or a class when ``high_effort`` is None."""
    high = priority >= high_impact
    hard = effort in HIGH_EFFORT if high_effort is None else effort >= high_effort
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


def day(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%b')} {d.year}"


def lead_time_note(kind: str, lo: int, hi: int, days_left: int, wait: int = 0, after: str = "") -> tuple[str, str]:
    """('ok'|'tight'|'too late', sentence) for one lead time against the days left to hand-off.

    ``wait`` is how many days the work must wait for something else (``after``), e.g.
    training waits for hiring; ``days_left`` is counted from the day the work can start.
    """
    need = f"{lo}–{hi} days" if lo != hi else f"{lo} days"
    what = LEAD_LABEL.get(kind, kind)
    verb = "need" if kind == "telecom" else "needs"     # "telecom and data lines need", "the CRM set-up needs"
    if wait:
        head = (f"Hand-off in {days_left + wait} days, but {what} can only start after {after}, "
                f"{wait} days from now, leaving {days_left} days; {what} {verb} {need}.")
    else:
        head = f"Hand-off in {days_left} days; {what} {verb} {need}."
    if days_left < lo:
        return "too late", head + " Move the hand-off date or secure an expedited or interim arrangement now."
    if days_left <= hi:
        return "tight", head + " Start at once: there is no slack."
    return "ok", head + " Feasible if started now."


def _peak_target(peaks, as_of: dt.date, need_days: int) -> tuple[object | None, list]:
    """The first peak the work can still be ready for, and the peaks (current or next) it cannot meet."""
    missed = []
    for p in sorted(peaks or (), key=lambda p: p.start):
        if p.end < as_of:
            continue
        if (p.start - as_of).days - PEAK_READY >= need_days:
            return p, missed
        missed.append(p)
    return None, missed


def build(scores: Scores, checklist: Checklist, as_of: dt.date, hand_off: dt.date | None = None,
          lead_times=None, notice_deadline: dt.date | None = None, peaks=(),
          hypercare_days: int = HYPERCARE_DAYS) -> Roadmap:
    """Schedule every 'improve' item, and the gate, hypercare and renewal decision around them.

    ``lead_times`` has ``days(name) -> (min, max)``; ``peaks`` have ``name``, ``start``, ``end``.
    """
    opps = [i for i in scores.items if i.classification == IMPROVE]
    warnings: list[str] = []
    if not opps:
        return Roadmap(as_of, [], warnings)
    pending = hand_off is not None and hand_off > as_of
    past = hand_off is not None and not pending
    gate = max(as_of, hand_off - dt.timedelta(days=GATE_DAYS)) if pending else None
    notice = notice_deadline if notice_deadline is not None and 0 < (notice_deadline - as_of).days <= NOTICE_HORIZON \
        else None
    evidence_due = serve = None
    if notice is not None:
        serve = notice_by(notice, as_of)   # decided and served so that it is received by the deadline
        evidence_due = notice - dt.timedelta(days=DECISION_WINDOW)
        if (evidence_due - as_of).days < MIN_DAYS or evidence_due >= serve:
            evidence_due = max(as_of, serve - dt.timedelta(days=1))
    prio = {i.id: float(i.priority or 0) for i in opps}
    gaps = {i.id: float(i.gap or 0) for i in opps}
    effort_pts = {i.id: effort_score(i.effort, gaps[i.id]) for i in opps}
    high_impact, high_effort = thresholds(list(prio.values()), list(effort_pts.values()))
    quad = {i.id: quadrant(prio[i.id], effort_pts[i.id], high_impact, high_effort) for i in opps}
    ids = set(prio)
    spec = {i.id: checklist[i.id] for i in opps}
    lead = {iid for iid in ids if pending and spec[iid].lead_time and lead_times is not None}

    # the edges: depends_on, and training waits for hiring while a hand-off is ahead (a past hand-off's hiring
    # is ongoing recruitment: product training of today's agents does not wait for it)
    deps: dict[str, list[str]] = {}
    for iid in ids:
        s = spec[iid]
        d = [x for x in s.depends_on if x in ids]
        if s.lead_time == "training":
            if pending:
                d += [h for h in ids if spec[h].lead_time == "hiring" and h not in d]
            else:
                d = [x for x in d if spec[x].lead_time != "hiring"]
        deps[iid] = sorted(d, key=lambda x: (-prio[x], spec[x].title))

    duration = {iid: DURATION_DAYS.get(spec[iid].effort, 60) for iid in ids}
    for iid in lead:
        duration[iid] = lead_times.days(spec[iid].lead_time)[1]

    # the date each item must finish by, and why
    due: dict[str, dt.date] = {}
    why: dict[str, str] = {}
    label: dict[str, str] = {}

    def bound(iid: str, when: dt.date, reason: str, milestone: str) -> None:
        if iid not in due or when < due[iid]:
            due[iid], why[iid], label[iid] = when, reason, milestone

    for iid in ids:
        s = spec[iid]
        if iid in lead:
            bound(iid, gate, f"ready for the go / no-go gate on {day(gate)}, before the hand-off on {day(hand_off)}",
                  "go / no-go gate")
        elif pending and checklist.workstreams.get(s.workstream) is not None and \
                checklist.workstreams[s.workstream].hand_off:
            bound(iid, gate, f"part of the hand-off readiness: done by the go / no-go gate on {day(gate)}",
                  "go / no-go gate")
        if pending and s.theme in GATE_INPUTS:
            bound(iid, gate, f"the hand-off is staffed for {GATE_INPUTS[s.theme]}: decided before the go / no-go "
                             f"gate on {day(gate)}", "go / no-go gate")
        if evidence_due is not None and s.decision == "evidence":
            bound(iid, evidence_due, f"evidence for the renewal decision: in hand by {day(evidence_due)}, before "
                                     f"the notice deadline on {day(notice)}", "renewal evidence in hand")
        if evidence_due is not None and s.decision == "deadline":
            bound(iid, evidence_due, f"the decision date is set before the notice deadline on {day(notice)}",
                  "renewal evidence in hand")
    peak_items = sorted((iid for iid in ids if spec[iid].peak), key=lambda x: (-prio[x], spec[x].title))
    missed_peaks: dict[str, list[str]] = {}
    # a past hand-off: hiring and training serve the next peak the work can meet, not the hand-off
    reworded: dict[str, str] = {}
    for iid in sorted(ids):
        if not (past and spec[iid].lead_time in PAST_HAND_OFF_LEADS):
            continue
        target, _ = _peak_target(peaks, as_of, duration[iid])
        anchor = f"the start of {target.name}" if target is not None else "the demand forecast"
        text = spec[iid].action or spec[iid].title
        if "the hand-off date" in text:
            reworded[iid] = text.replace("the hand-off date", anchor)
        if target is not None and not spec[iid].peak:
            bound(iid, target.start - dt.timedelta(days=PEAK_READY),
                  f"the hand-off on {day(hand_off)} is past: planned back from {target.name}, ready before it "
                  f"starts on {day(target.start)}", f"ready for {target.name}")
    for iid in peak_items:
        target, missed = _peak_target(peaks, as_of, duration[iid])
        for p in missed:
            missed_peaks.setdefault(p.name, []).append(iid)
        if target is not None:
            bound(iid, target.start - dt.timedelta(days=PEAK_READY),
                  f"ready before {target.name} starts on {day(target.start)}", f"ready for {target.name}")
    for name, iids in missed_peaks.items():
        p = next(p for p in peaks if p.name == name)
        what = ", ".join(f"{i} ({spec[i].title.lower()})" for i in iids)
        when = "is under way" if p.start <= as_of else f"starts on {day(p.start)}, {(p.start - as_of).days} days from now"
        warnings.append(f"{p.name} {when}: too soon for {what} to be ready. For this peak, agree interim cover "
                        f"with the provider now (overtime, overflow, extended hours); the work is scheduled to be "
                        f"ready for the next peak where there is time.")
    # what an item waits for must finish in time for it
    for _ in range(len(ids)):
        changed = False
        for iid in ids:
            if iid not in due:
                continue
            for d in deps[iid]:
                latest = due[iid] - dt.timedelta(days=duration[iid])
                if d not in due or latest < due[d]:
                    due[d], why[d], label[d] = latest, f"{spec[iid].title} waits for it ({why[iid]})", ""
                    changed = True
        if not changed:
            break

    def latest_start(iid: str) -> dt.date:
        return due[iid] - dt.timedelta(days=duration[iid])

    def rank(iid: str):
        dated = iid in due
        return (0 if dated else 1, latest_start(iid) if dated else as_of, -prio[iid], QUADRANT_ORDER[quad[iid]],
                EFFORT_POINTS.get(spec[iid].effort, 2), spec[iid].title)

    placed: dict[str, Action] = {}
    remaining = set(ids)

    def busy(t: dt.date) -> bool:
        running = sum(1 for a in placed.values() if a.start <= t < a.end)
        starting = sum(1 for a in placed.values() if t - dt.timedelta(days=13) <= a.start <= t
                       or t <= a.start <= t + dt.timedelta(days=13))
        return running >= PARALLEL or starting >= STARTS_PER_FORTNIGHT

    while remaining:
        ready = [iid for iid in remaining if all(d in placed for d in deps[iid])]
        if not ready:   # a cycle in a checklist built in code (a loaded checklist has none): drop the edges
            ready = list(remaining)
            for iid in ready:
                deps[iid] = [d for d in deps[iid] if d in placed]
        iid = min(ready, key=rank)
        remaining.discard(iid)
        s, item = spec[iid], next(i for i in opps if i.id == iid)
        earliest = as_of if iid in due else as_of + dt.timedelta(days=FIRST_START[quad[iid]])
        after = [placed[d] for d in deps[iid]]
        if after:
            earliest = max([earliest] + [a.end for a in after])
        start = earliest
        for _ in range(60):
            if not busy(start):
                break
            start += dt.timedelta(days=STEP_DAYS)
        days = duration[iid]
        deadline = due.get(iid)
        if deadline is not None and start + dt.timedelta(days=days) > deadline:
            start = earliest     # dated work does not wait for capacity
        note = ""
        if iid in lead:
            lo, hi = lead_times.days(s.lead_time)
            left = (hand_off - start).days
            waited = (start - as_of).days
            after_what = ", ".join(LEAD_LABEL.get(a.lead_time or "", a.title.lower()) for a in after) if after else ""
            status, note = lead_time_note(s.lead_time, lo, hi, left, wait=waited if after else 0, after=after_what)
            if start + dt.timedelta(days=hi) > deadline:   # the days there are, never below the minimum lead time
                days = max(lo, (deadline - start).days)
            if status != "ok":
                warnings.append(note)
        elif deadline is not None and start + dt.timedelta(days=days) > deadline:
            room = (deadline - start).days
            if room >= MIN_DAYS:
                note = (f"Compressed to {room} days (work of this size usually takes {days}): a first version "
                        f"by {day(deadline)}, refined afterwards.")
                days = room
            else:
                note = (f"Cannot be ready by {day(deadline)} ({why[iid]}): it needs at least {MIN_DAYS} days from "
                        f"{day(start)}. Decide what can be shown by then, or move the date it serves.")
                warnings.append(f"{s.title}: {note}")
        end = start + dt.timedelta(days=days)
        placed[iid] = Action(
            iid, item.title, item.dimension, prio[iid], item.effort, quad[iid], horizon_of((start - as_of).days),
            start, end, tuple(deps[iid]), s.lead_time if iid in lead else None, note, s.workstream or s.dimension,
            reworded.get(iid, s.action or item.title), effort_pts[iid], deadline, why.get(iid, ""), ITEM, label.get(iid, ""))

    actions = list(placed.values())
    extra: list[Action] = []
    if pending:
        before = tuple(a.id for a in actions if a.id in lead)
        what = [LEAD_LABEL[spec[i].lead_time] for i in before]
        ready = (", ".join(what[:-1]) + " and " + what[-1] if len(what) > 1 else what[0]) if what else ""
        criteria = (f"{ready} ready; " if ready else "") + "a test contact from every site; the hypercare rota agreed"
        ws = _hand_off_workstream(checklist, [spec[i] for i in before] or list(spec.values()))
        extra.append(Action("GATE", "Go / no-go gate", "process", max(prio.values()), "low", MAJOR_PROJECT,
                            horizon_of((gate - as_of).days), gate, gate, before, None,
                            f"Criteria: {criteria}. {FALLBACK}", ws,
                            f"Hold the go / no-go gate for the hand-off on {day(hand_off)}", 0.0, gate,
                            f"{GATE_DAYS} days before the hand-off", GATE, "go / no-go gate"))
        end = hand_off + dt.timedelta(days=hypercare_days)
        extra.append(Action("HYPERCARE", "Hypercare after the hand-off", "process", max(prio.values()), "low",
                            MAJOR_PROJECT, horizon_of((hand_off - as_of).days), hand_off, end, ("GATE",), None,
                            "Daily joint stand-up, daily KPI read-out and a named escalation path on both sides.",
                            ws, f"Run {hypercare_days} days of hypercare after the hand-off", 0.0, end,
                            f"the first {hypercare_days} days live", HYPERCARE, "hypercare ends"))
    if notice is not None:
        before = tuple(a.id for a in actions if spec[a.id].decision)
        start = evidence_due if evidence_due < serve else serve
        ws = _renewal_workstream(checklist, [spec[i] for i in before] or list(spec.values()))
        extra.append(Action("RENEWAL", "Renewal decision", "process", max(prio.values()), "low", MAJOR_PROJECT,
                            horizon_of((start - as_of).days), start, serve, before, None,
                            "Renew, renegotiate or re-tender, decided on the evidence: the balanced scorecard, the "
                            "cost per contact, the benefits register and the provider's remediation plan.", ws,
                            f"Decide the renewal position and serve notice, or not, by {day(serve)} (with proof of "
                            f"receipt: the notice deadline is {day(notice)})", 0.0,
                            serve, f"notice must be received by {day(notice)}", DECISION,
                            "renewal decision"))
    actions.sort(key=lambda a: (a.start, a.end, -a.priority, a.title))
    every = sorted(actions + extra, key=lambda a: (a.start, a.end, -a.priority, a.title))
    return Roadmap(as_of, every, warnings, high_impact, high_effort, FALLBACK if pending else "", past)


def _hand_off_workstream(checklist: Checklist, items) -> str:
    flagged = [w.id for w in checklist.workstreams.values() if w.hand_off]
    return flagged[0] if flagged else (items[0].workstream or items[0].dimension)


def _renewal_workstream(checklist: Checklist, items) -> str:
    flagged = [w.id for w in checklist.workstreams.values() if w.renewal]
    return flagged[0] if flagged else (items[0].workstream or items[0].dimension)
