"""The monthly service review: the month's volume and money, deep dives carried month to month, the action
plan's progress and the renewal notice deadline as a decision milestone. Pure: values in, values out.

* **Volume** (:func:`month_volume`): contacts offered, answered and abandoned inside the opening hours on the
  days of the month that contacts.csv covers, and the attempts while the line was closed, apart.
* **Cost** (:func:`month_cost`): the monthly fee ÷ the contacts answered in the month. When the data covers
  only part of the month, the answered contacts are scaled to the whole month first (answered × days in the
  month ÷ days with data) and the working says so.
* **Service credits due** (:func:`month_credits`): the contract's credits for the KPIs Missed this month,
  counted by :func:`assessment.analyses.business_case.service_credits` over a window of one month.
* **Deep dives** (:func:`carry_dives`): every KPI more than the deep-dive threshold from target opens one;
  the owner, due date and status come from the month's review file, else from the latest earlier month's;
  a deep dive stays on the review until its status is done. One past its due date and not done is overdue.
* **Action plan progress** (:func:`progress`), each action in exactly one state, in this order: done; late
  (due on or before the last day of the month reviewed, not done); at risk (blocked, or not started and due
  within the month after); in progress; not started.
* **The renewal notice deadline** (:func:`milestone`): days from the review meeting, its status by
  :func:`assessment.rules.renewal_status`, the monthly reviews left before it, and the open actions that must
  be done by then.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Iterable, Sequence

from ..rules import renewal_status
from . import business_case as bc

DONE, IN_PROGRESS, NOT_STARTED, BLOCKED = "done", "in progress", "not started", "blocked"
DIVE_STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, BLOCKED)
SIDES = ("client", "provider", "joint")
LATE, AT_RISK = "late", "at risk"
#: Each action's state in the review, in the order they are decided (and printed).
PROGRESS_STATES = (DONE, LATE, AT_RISK, IN_PROGRESS, NOT_STARTED)
OVERDUE_DIVE = "overdue"
HORIZON_DAYS = 365      # a notice deadline within a year is a decision milestone of every review


# --------------------------------------------------------------------------- months
def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """The first and last day of ``YYYY-MM``."""
    y, m = int(month[:4]), int(month[5:7])
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def add_months(month: str, n: int) -> str:
    i = int(month[:4]) * 12 + int(month[5:7]) - 1 + n
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def month_name(month: str) -> str:
    """'October 2026'."""
    return month_bounds(month)[0].strftime("%B %Y")


def default_month(kpi_months: Iterable[str], today: dt.date) -> str:
    """The month a review shows when none is asked for: the latest month with KPI results before today's
    month (a review looks back on a finished month); without any, the month before today's."""
    before = f"{today.year:04d}-{today.month:02d}"
    done = [m for m in kpi_months if m < before]
    return max(done) if done else add_months(before, -1)


# --------------------------------------------------------------------------- the review file's records
@dataclass(frozen=True)
class DiveRecord:
    """One deep dive as a month's review file records it."""

    kpi: str
    month: str              # the file it comes from
    owner: str = ""
    owner_side: str = ""
    opened: str = ""        # YYYY-MM, when the file says
    due: dt.date | None = None
    status: str = NOT_STARTED
    finding: str = ""


@dataclass(frozen=True)
class Decision:
    decision: str
    owner: str = ""
    due: dt.date | None = None


@dataclass(frozen=True)
class Review:
    """One month's review file."""

    month: str
    meeting: dt.date | None = None
    commentary: str = ""
    dives: tuple[DiveRecord, ...] = ()
    decisions: tuple[Decision, ...] = ()

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.commentary.replace("\r\n", "\n").split("\n\n") if p.strip())


def review_date(month: str, meeting: dt.date | None) -> dt.date:
    """The day the review speaks from: its meeting, else the last day of the month reviewed."""
    return meeting or month_bounds(month)[1]


# --------------------------------------------------------------------------- volume and money
@dataclass(frozen=True)
class Volume:
    """The month's contacts. Offered, answered and abandoned count the opening hours; attempts while the line
    was closed are counted apart (they are neither answered nor abandoned by the service)."""

    month: str
    days_in_month: int
    days_with_data: int
    first_day: dt.date
    last_day: dt.date
    offered: int
    answered: int
    abandoned: int
    closed_attempts: int = 0

    @property
    def complete(self) -> bool:
        return self.days_with_data >= self.days_in_month

    @property
    def abandoned_pct(self) -> float:
        return 100 * self.abandoned / self.offered if self.offered else 0.0

    @property
    def answered_month(self) -> float:
        """Contacts answered, scaled to the whole month when the data covers only part of it."""
        return self.answered * self.days_in_month / self.days_with_data if self.days_with_data else 0.0


def month_volume(rows: Iterable[tuple], month: str) -> Volume | None:
    """``rows``: (local date, offered, answered, abandoned[, open]) per interval; ``open`` (default True) says
    whether the interval lies inside the opening hours. None when no row falls in ``month``."""
    first, last = month_bounds(month)
    days, offered, answered, abandoned, closed = set(), 0.0, 0.0, 0.0, 0.0
    for row in rows:
        day, o, a, ab = row[:4]
        is_open = row[4] if len(row) > 4 else True
        if first <= day <= last:
            days.add(day)
            if is_open:
                offered, answered, abandoned = offered + o, answered + a, abandoned + ab
            else:
                closed += o
    if not days:
        return None
    return Volume(month, last.day, len(days), min(days), max(days), round(offered), round(answered), round(abandoned),
                  round(closed))


def month_cost(volume: Volume, monthly_fee: float, currency: str) -> bc.Amount | None:
    """The fee per contact answered in the month (see the module's docstring). None without contacts answered."""
    if not volume.answered:
        return None
    handled = volume.answered_month
    value = monthly_fee / handled
    money = lambda v, d=0: bc.money(v, currency, d)  # noqa: E731
    if volume.complete:
        working = f"{money(monthly_fee)} ÷ {volume.answered:,} contacts answered = {money(value, 2)} per contact"
        formula = "Monthly fee ÷ contacts answered in the month."
        note = ""
    else:
        working = (f"{volume.answered:,} answered on {volume.days_with_data} days × {volume.days_in_month} days ÷ "
                   f"{volume.days_with_data} days = {handled:,.0f} a month; {money(monthly_fee)} ÷ {handled:,.0f} = "
                   f"{money(value, 2)} per contact")
        formula = ("Monthly fee ÷ contacts answered in the month, scaled to the whole month (answered × days in "
                   "the month ÷ days with data).")
        note = (f"The contact data covers {volume.days_with_data} of the {volume.days_in_month} days of "
                f"{month_name(volume.month)} ({volume.first_day.day} to {volume.last_day.day} {volume.last_day:%B}).")
    return bc.Amount("cost_per_contact", "Cost per contact answered", value, currency, "a contact", monthly_fee * 12,
                     formula, working,
                     (bc.Value("Monthly fee", monthly_fee, currency, "engagement.yaml commercials.monthly_fee"),
                      bc.Value("Contacts answered", volume.answered, "contacts", "contacts.csv"),
                      bc.Value("Days with data", volume.days_with_data, "days", "contacts.csv")),
                     (bc.Value("Contacts answered in the month", round(handled), "contacts"),), note)


def month_credits(kpi_months: Iterable[bc.KpiMonth], credits: Sequence[Any], monthly_fee: float, month: str,
                  currency: str, names: dict | None = None) -> bc.Amount:
    """The service credits due for ``month`` alone: the business case's rule over a window of one month."""
    a = bc.service_credits(kpi_months, credits, monthly_fee, month, currency, months=1, names=names)
    return replace(a, working=a.working.replace(f" ({month} to {month})", ""), note="")


def missed_run(statuses: Sequence[str], missed: str = "red") -> int:
    """How many months running, ending with the last, a KPI was Missed."""
    run = 0
    for s in reversed(statuses):
        if s != missed:
            break
        run += 1
    return run


# --------------------------------------------------------------------------- deep dives, month to month
@dataclass(frozen=True)
class Dive:
    """A deep dive as the review of ``month`` shows it."""

    kpi: str
    name: str
    opened: str                 # the month it was opened
    owner: str
    owner_side: str
    due: dt.date | None
    status: str                 # not started | in progress | done | blocked
    overdue: bool               # past its due date at the review and not done
    off_target: bool            # the KPI is still beyond the deep-dive threshold this month
    reason: str                 # why it is due this month ("" when the KPI is back within the threshold)
    finding: str
    carried: bool               # opened in an earlier month
    months_open: int            # months on the review, this one included

    @property
    def owner_text(self) -> str:
        return self.owner or "to be named"


def run_start(flags: Sequence[tuple[str, bool]], month: str) -> str:
    """The first month of the run of flagged months that ends with ``month`` (``flags``: (month, flagged) in
    month order); ``month`` itself when it is not flagged or has no entry."""
    start = month
    for m, flagged in reversed([f for f in flags if f[0] <= month]):
        if not flagged:
            break
        start = m
    return start


def carry_dives(records: Sequence[Review], due_now: dict[str, str], month: str, names: dict[str, str],
                on: dt.date, since: dict[str, str] | None = None) -> tuple[Dive, ...]:
    """The deep dives of ``month``'s review. ``records``: the review files up to ``month`` (any order);
    ``due_now``: KPI -> the reason it is beyond the deep-dive threshold this month; ``on``: the review date;
    ``since``: KPI -> the first month of its current run beyond the threshold (:func:`run_start`): a deep dive
    no review file has recorded yet opened then, or at the first review on record if that is later."""
    since = since or {}
    first = min((r.month for r in records if r.month <= month), default=month)   # a dive opens at a review
    history: dict[str, list[DiveRecord]] = {}
    for r in sorted((r for r in records if r.month <= month), key=lambda r: r.month):
        for d in r.dives:
            history.setdefault(d.kpi, []).append(d)
    out = []
    for kpi in list(dict.fromkeys([*due_now, *history])):
        recs = history.get(kpi, [])
        latest = recs[-1] if recs else None
        if latest is not None and latest.month < month and latest.status == DONE:
            # closed in an earlier month: it reopens only if the KPI is off again, as a new deep dive
            if kpi not in due_now:
                continue
            latest, recs = None, []
        if latest is None and kpi not in due_now:
            continue
        # the current run of records: from the last "done" before it (exclusive)
        run = recs
        for i in range(len(recs) - 1, -1, -1):
            if recs[i].status == DONE and recs[i].month < month:
                run = recs[i + 1:]
                break
        opened = next((r.opened for r in reversed(run) if r.opened), "") or (
            run[0].month if run else min(max(since.get(kpi, month), first), month))
        status = latest.status if latest else NOT_STARTED
        due = latest.due if latest else None
        out.append(Dive(kpi, names.get(kpi, kpi), opened, latest.owner if latest else "",
                        latest.owner_side if latest else "", due, status,
                        bool(due and due < on and status != DONE), kpi in due_now, due_now.get(kpi, ""),
                        latest.finding if latest else "", opened < month,
                        _months_between(opened, month) + 1))
    order = {k: i for i, k in enumerate(names)}
    return tuple(sorted(out, key=lambda d: (d.status == DONE, order.get(d.kpi, len(order)), d.kpi)))


def _months_between(a: str, b: str) -> int:
    return (int(b[:4]) * 12 + int(b[5:7])) - (int(a[:4]) * 12 + int(a[5:7]))


# --------------------------------------------------------------------------- the action plan's progress
def _get(action: Any, key: str, default: Any = None) -> Any:
    if isinstance(action, dict):
        return action.get(key, default)
    return getattr(action, key, default)


def state(action: Any, month: str) -> str:
    """One action's state in the review of ``month`` (see the module's docstring)."""
    status = str(_get(action, "status", NOT_STARTED) or NOT_STARTED)
    due = _get(action, "due")
    end = month_bounds(month)[1]
    if status == DONE:
        return DONE
    if isinstance(due, dt.date) and due <= end:
        return LATE
    if status == BLOCKED:
        return AT_RISK
    if status == NOT_STARTED and isinstance(due, dt.date) and due <= month_bounds(add_months(month, 1))[1]:
        return AT_RISK
    return IN_PROGRESS if status == IN_PROGRESS else NOT_STARTED


@dataclass(frozen=True)
class ActionState:
    id: str
    workstream: str
    action: str
    owner_side: str
    owner: str
    due: dt.date | None
    status: str        # as entered
    state: str         # done | late | at risk | in progress | not started


@dataclass(frozen=True)
class Workstream:
    name: str
    total: int
    counts: dict         # state -> number of actions

    @property
    def done_pct(self) -> float:
        return 100 * self.counts.get(DONE, 0) / self.total if self.total else 0.0


@dataclass(frozen=True)
class Progress:
    month: str
    workstreams: tuple[Workstream, ...]
    actions: tuple[ActionState, ...]

    @property
    def totals(self) -> dict:
        return {s: sum(w.counts.get(s, 0) for w in self.workstreams) for s in PROGRESS_STATES}

    @property
    def total(self) -> int:
        return len(self.actions)

    def flagged(self) -> tuple[ActionState, ...]:
        """Late and at-risk actions: what the meeting must act on, late first, then by due date."""
        rank = {LATE: 0, AT_RISK: 1}
        return tuple(sorted((a for a in self.actions if a.state in rank),
                            key=lambda a: (rank[a.state], a.due or dt.date.max, a.id)))


def progress(actions: Iterable[Any], month: str) -> Progress:
    """Each action's state and the counts by workstream (workstreams in the order they first appear)."""
    states = []
    for a in actions:
        due = _get(a, "due")
        states.append(ActionState(str(_get(a, "id", "") or ""), str(_get(a, "workstream", "") or "other"),
                                  str(_get(a, "action", "") or ""), str(_get(a, "owner_side", "") or ""),
                                  str(_get(a, "owner", "") or ""), due if isinstance(due, dt.date) else None,
                                  str(_get(a, "status", NOT_STARTED) or NOT_STARTED), state(a, month)))
    streams: dict[str, dict] = {}
    for s in states:
        c = streams.setdefault(s.workstream, {k: 0 for k in PROGRESS_STATES})
        c[s.state] += 1
    return Progress(month, tuple(Workstream(name, sum(c.values()), c) for name, c in streams.items()), tuple(states))


# --------------------------------------------------------------------------- the renewal notice deadline
@dataclass(frozen=True)
class Milestone:
    deadline: dt.date
    renewal_date: dt.date
    on: dt.date                 # the review date the days count from
    days: int                   # negative once passed
    status: str                 # rules.renewal_status: overdue | urgent | soon | ok
    reviews_left: int           # monthly reviews after this one and before the deadline
    due_by: tuple[ActionState, ...]   # open actions due on or before the deadline

    @property
    def in_horizon(self) -> bool:
        """Within a year (or passed): the review treats it as a decision milestone, with what must be ready."""
        return self.days <= HORIZON_DAYS


def milestone(deadline: dt.date, renewal_date: dt.date, on: dt.date, month: str,
              plan: Progress | None = None) -> Milestone:
    days = (deadline - on).days
    reviews = 0
    m = add_months(month, 1)
    while month_bounds(add_months(m, 1))[0] <= deadline and reviews < 120:   # a review of m is held in m + 1
        reviews += 1
        m = add_months(m, 1)
    due_by = tuple(a for a in (plan.actions if plan else ()) if a.state != DONE and a.due and a.due <= deadline)
    due_by = tuple(sorted(due_by, key=lambda a: (a.due, a.id)))
    return Milestone(deadline, renewal_date, on, days, renewal_status(days), reviews, due_by)
