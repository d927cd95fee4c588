"""Progress since the last closed wave, and the trend across every wave. Pure.

Inputs are plain values: the checklist, each wave's answers (oldest first), today's answers, each
wave's KPI results and today's, and the ``actions:`` block as read from the engagement file.

* Per dimension: the as-is **then** (the latest wave), **now** and the **target** (today's to-be);
  each the weight-weighted mean of the items scored 0-5 (:func:`assessment.analyses.scoring.score`),
  rounded to one decimal; the change is now minus then, of the rounded values.
* Items scored 0-5 both times are **improved** (as-is up), **unchanged** or **regressed** (down);
  items scored only one of the times are counted as not comparable.
* An item id of a wave that today's checklist no longer has is reported (``unknown_items``), never
  compared and never an error.
* **Actions**: of those due by today (``due`` on or before it), how many are ``done``; and all done.
* **KPIs**: the result of each KPI in the wave's month against today's month, with its status then and now.
* **Trend**: each dimension's as-is at every wave and now.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..checklist import DIMENSIONS, Checklist
from .scoring import score


@dataclass(frozen=True)
class Snapshot:
    """One point in time: a closed wave or now."""
    label: str
    date: dt.date | None
    answers: Mapping[str, Any]               # item id -> ItemAnswer
    unknown_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class DimensionProgress:
    dimension: str
    title: str
    then: float | None
    now: float | None
    target: float | None
    change: float | None


@dataclass(frozen=True)
class ItemChange:
    id: str
    title: str
    dimension: str
    then: int
    now: int
    change: int


@dataclass(frozen=True)
class ActionsProgress:
    total: int
    due_by_now: int
    done_of_due: int
    done: int
    overdue: tuple[str, ...]                  # ids (or titles) due by now and not done


@dataclass(frozen=True)
class KpiChange:
    kpi: str
    name: str
    then_month: str
    now_month: str
    then_text: str
    now_text: str
    target_text: str
    then_status: str
    now_status: str
    change: str                               # better | worse | same: by status; met both times is the same;
                                              # missed both times, by the number's direction


@dataclass(frozen=True)
class TrendPoint:
    label: str
    date: dt.date | None
    as_is: Mapping[str, float | None]         # dimension -> as-is
    overall: float | None


@dataclass(frozen=True)
class Progress:
    label: str                                # the latest wave compared against
    since: dt.date | None
    dimensions: tuple[DimensionProgress, ...]
    overall_then: float | None
    overall_now: float | None
    overall_target: float | None
    improved: tuple[ItemChange, ...]
    unchanged: tuple[ItemChange, ...]
    regressed: tuple[ItemChange, ...]
    not_compared: int
    unknown_items: tuple[str, ...]
    actions: ActionsProgress | None
    kpis: tuple[KpiChange, ...]
    trend: tuple[TrendPoint, ...]


def _r(v: float | None) -> float | None:
    return None if v is None else round(v + 0.0, 1)


def _numeric(answer: Any) -> tuple[int, int] | None:
    from ..model import is_numeric

    return (answer.as_is, answer.to_be) if answer is not None and is_numeric(answer) else None


def _known(checklist: Checklist, answers: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answers.items() if k in checklist}


def actions_progress(actions: Sequence[Mapping], today: dt.date) -> ActionsProgress | None:
    """Count the ``actions:`` block: due by ``today`` and done. None when there is no block."""
    rows = [a for a in actions if isinstance(a, Mapping)]
    if not rows:
        return None

    def due(a) -> dt.date | None:
        v = a.get("due")
        if isinstance(v, dt.date):
            return v
        try:
            return dt.date.fromisoformat(str(v))
        except ValueError:
            return None

    def done(a) -> bool:
        return str(a.get("status") or "").strip().lower() == "done"

    due_now = [a for a in rows if due(a) is not None and due(a) <= today]
    overdue = tuple(str(a.get("id") or a.get("action") or "?") for a in due_now if not done(a))
    return ActionsProgress(len(rows), len(due_now), sum(1 for a in due_now if done(a)),
                           sum(1 for a in rows if done(a)), overdue)


_STATUS_RANK = {"green": 0, "amber": 1, "red": 2}


def kpi_changes(then: Sequence[Any], now: Sequence[Any], lower_is_better: Mapping[str, bool] | None = None
                ) -> tuple[KpiChange, ...]:
    """Pair KPI entries (objects with kpi, name, month, actual, actual_text, target_text, status) by KPI."""
    before = {e.kpi: e for e in then}
    out = []
    for e in now:
        b = before.get(e.kpi)
        if b is None:
            continue
        rb, rn = _STATUS_RANK.get(b.status, 1), _STATUS_RANK.get(e.status, 1)
        if rn != rb:
            change = "better" if rn < rb else "worse"
        elif rn == 0 or e.actual == b.actual or lower_is_better is None or e.kpi not in lower_is_better:
            change = "same"
        else:
            up = e.actual > b.actual
            change = "worse" if up == lower_is_better[e.kpi] else "better"
        out.append(KpiChange(e.kpi, e.name, b.month, e.month, b.actual_text, e.actual_text, e.target_text,
                             b.status, e.status, change))
    return tuple(out)


def progress(checklist: Checklist, waves: Sequence[Snapshot], now: Snapshot,
             actions: Sequence[Mapping] = (), kpis_then: Sequence[Any] = (), kpis_now: Sequence[Any] = (),
             lower_is_better: Mapping[str, bool] | None = None) -> Progress | None:
    """Compare now with the latest wave (and trace every wave). None when no wave was closed."""
    if not waves:
        return None
    last = waves[-1]
    then_scores = score(checklist, _known(checklist, last.answers))
    now_scores = score(checklist, _known(checklist, now.answers))
    dims = []
    for d in DIMENSIONS:
        if not checklist.in_dimension(d):
            continue
        t, n = then_scores.dimensions[d], now_scores.dimensions[d]
        a, b = _r(t.as_is), _r(n.as_is)
        dims.append(DimensionProgress(d, checklist.title_of(d), a, b, _r(n.to_be),
                                      None if a is None or b is None else round(b - a, 1)))
    improved, unchanged, regressed, not_compared = [], [], [], 0
    for item in checklist.items:
        t, n = _numeric(last.answers.get(item.id)), _numeric(now.answers.get(item.id))
        if t is None and n is None:
            continue
        if t is None or n is None:
            not_compared += 1
            continue
        change = ItemChange(item.id, item.title, item.dimension, t[0], n[0], n[0] - t[0])
        (improved if change.change > 0 else regressed if change.change < 0 else unchanged).append(change)
    improved.sort(key=lambda c: (-c.change, c.id))
    regressed.sort(key=lambda c: (c.change, c.id))
    trend = []
    for snap in (*waves, now):
        s = score(checklist, _known(checklist, snap.answers))
        trend.append(TrendPoint(snap.label, snap.date, {d: _r(s.dimensions[d].as_is) for d in s.dimensions
                                                        if checklist.in_dimension(d)}, _r(s.overall["as_is"])))
    today = now.date or dt.date.today()
    unknown = tuple(sorted({i for w in waves for i in w.unknown_items}))
    return Progress(last.label, last.date, tuple(dims), _r(then_scores.overall["as_is"]),
                    _r(now_scores.overall["as_is"]), _r(now_scores.overall["to_be"]),
                    tuple(improved), tuple(unchanged), tuple(regressed), not_compared, unknown,
                    actions_progress(actions, today), kpi_changes(kpis_then, kpis_now, lower_is_better),
                    tuple(trend))
