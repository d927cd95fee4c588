"""The balanced scorecard: KPI-months against target, with RAG status, trend and deep-dive flags. Pure.

RAG, written once and applied everywhere (the label is always printed beside the colour; the labels
and colours themselves live in :mod:`assessment.rules`):

* **Met** (green): on the right side of the target, or exactly on it.
* **Within tolerance** (amber): missed by no more than the tolerance (boundary included).
* **Missed** (red): missed by more than the tolerance.

For a *band* KPI (occupancy) the target is a range; outside it by up to the tolerance is amber.

A **deep dive** is due when a KPI is dramatically off target: relative deviation
``|actual - target| / |target|`` strictly above the threshold (10 % by default). For
service level, over-achievement is flagged as a possible over-staffing cost.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable

from ..errors import InvalidInput, Problem
from ..rules import AMBER, GREEN, RED, round_toward
from ..rules import RAG_LABEL as LABEL
DIRECTIONS = ("higher", "lower", "band")
TREND_MONTHS = 3


@dataclass(frozen=True)
class Kpi:
    key: str
    name: str
    definition: str
    unit: str
    direction: str
    target: float | tuple[float, float]
    tolerance: float


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def parse_catalogue(data, source: str) -> dict[str, Kpi]:
    if not isinstance(data, dict) or not data:
        raise InvalidInput([Problem(source, "(file)", "a mapping of KPI keys to definitions", type(data).__name__)])
    out, problems = {}, []
    for key, spec in data.items():
        def bad(f, expected, found):
            problems.append(Problem(source, f"{key}.{f}", expected, repr(found)))
        if not isinstance(spec, dict):
            bad("(entry)", "a mapping", spec)
            continue
        direction = spec.get("direction")
        if direction not in DIRECTIONS:
            bad("direction", " | ".join(DIRECTIONS), direction)
        target = spec.get("target")
        if direction == "band":
            if not (isinstance(target, list) and len(target) == 2 and all(_num(t) for t in target)
                    and target[0] <= target[1]):
                bad("target", "[low, high] for a band KPI", target)
            else:
                target = (float(target[0]), float(target[1]))
        elif not _num(target):
            bad("target", "a number", target)
        tol = spec.get("tolerance", 0)
        if not _num(tol) or tol < 0:
            bad("tolerance", "a number of at least 0", tol)
        for f in ("name", "definition"):
            if not isinstance(spec.get(f), str) or not spec.get(f).strip():
                bad(f, "text", spec.get(f))
        out[str(key)] = Kpi(str(key), str(spec.get("name", key)), str(spec.get("definition", "")),
                            str(spec.get("unit", "")), str(direction), target, float(tol) if _num(tol) else 0.0)
    if problems:
        raise InvalidInput(problems)
    return out


def load_catalogue(path: str | Path | None = None) -> dict[str, Kpi]:
    """The built-in catalogue, extended or overridden by a firm's own file when given."""
    from ..yamlio import read_packaged_yaml, read_yaml, to_plain

    builtin = Path(str(resources.files("assessment.data").joinpath("kpis.yaml")))
    data, _ = read_packaged_yaml(builtin)
    cat = parse_catalogue(to_plain(data), str(builtin))
    if path:
        extra, _ = read_yaml(path)
        cat.update(parse_catalogue(to_plain(extra), str(path)))
    return cat


# --------------------------------------------------------------------------- the maths
def rag(actual: float, target: float | tuple[float, float], tolerance: float, direction: str) -> str:
    if direction == "band":
        lo, hi = target
        miss = lo - actual if actual < lo else (actual - hi if actual > hi else 0.0)
    elif direction == "higher":
        miss = target - actual
    else:
        miss = actual - target
    if miss <= 0:
        return GREEN
    return AMBER if miss <= tolerance + 1e-9 else RED


def deviation(actual: float, target: float | tuple[float, float]) -> float | None:
    """Signed relative deviation from target (from the nearer edge for a band); None when target is 0."""
    if isinstance(target, tuple):
        lo, hi = target
        ref = lo if actual < lo else hi if actual > hi else None
        if ref is None:
            return 0.0
        return (actual - ref) / abs(ref) if ref else None
    return (actual - target) / abs(target) if target else None


def deep_dive(actual: float, target: float | tuple[float, float], threshold: float = 0.10) -> str | None:
    """'over' or 'under' when the relative deviation is strictly beyond the threshold, else None."""
    d = deviation(actual, target)
    if d is None or abs(d) <= threshold + 1e-12:
        return None
    return "over" if d > 0 else "under"


def _fmt(v: float, unit: str) -> str:
    text = f"{v:,.1f}".rstrip("0").rstrip(".") if isinstance(v, float) else f"{v:,}"
    return f"{text}{unit}" if unit.startswith(" ") or unit in ("%", "") else f"{text} {unit}"


def boundaries(target: float | tuple[float, float], tolerance: float, direction: str) -> tuple[float, ...]:
    """The values where a KPI-month changes status: the target (or band edges) and the tolerance's edge."""
    if isinstance(target, tuple):
        lo, hi = target
        return (lo, hi, lo - tolerance, hi + tolerance)
    return (target, target - tolerance if direction == "higher" else target + tolerance)


def printed_actual(actual: float, target, tolerance: float, direction: str) -> float:
    """The actual as printed (one decimal), never rounded onto or across a status boundary:
    79.99 % against 80 % prints 79.9 %, so a missed target never reads as met."""
    return round_toward(actual, 1, boundaries(target, tolerance, direction))


def _target_text(k: Kpi, target) -> str:
    if isinstance(target, tuple):
        return f"{_fmt(target[0], '')}–{_fmt(target[1], k.unit)}"
    return _fmt(target, k.unit)


#: KPIs that staffing moves directly: far better than target here means agents beyond what the target needs.
STAFFING_DRIVEN = ("asa", "abandonment")


def dive_reason(k: Kpi, actual: float, target, kind: str, threshold: float = 0.10, tolerance: float | None = None) -> str:
    d = deviation(actual, target) or 0.0
    rel = round_toward(d * 100, 0, (threshold * 100, -threshold * 100))   # beyond the threshold in print too
    shown = printed_actual(actual, target, k.tolerance if tolerance is None else tolerance, k.direction)
    head = f"{k.name} {_fmt(shown, k.unit)} against {_target_text(k, target)} target ({rel:+.0f}% relative)"
    good_side = (kind == "over") == (k.direction == "higher")
    if k.key == "service_level" and kind == "over":
        return head + ": over-achieved; check for over-staffing driving the programme cost up."
    if k.direction == "band":
        return head + (": above the band; agents are stretched, expect attrition and quality to suffer." if kind == "over"
                       else ": below the band; paid capacity is idle, check staffing against the forecast.")
    if good_side:
        if k.key in STAFFING_DRIVEN:
            return head + ": far better than target, a sign of staffing beyond what the target needs; read it with " \
                          "service level."
        return head + ": far better than target; a strength to keep, and grounds to set the target higher."
    gap = abs(float(shown) - float(target))
    size = f"{gap:,.1f}".rstrip("0").rstrip(".") + " points" if k.unit == "%" else _fmt(gap, k.unit)
    side = "short of" if k.direction == "higher" else "over"
    return head + f": {size} {side} target; find the cause and agree the fix at the review."


# --------------------------------------------------------------------------- the scorecard
@dataclass(frozen=True)
class Entry:
    month: str
    kpi: str
    name: str
    unit: str
    actual: float
    target: float | tuple[float, float]
    tolerance: float
    status: str
    deep_dive: str | None
    reason: str = ""
    direction: str = "higher"

    @property
    def label(self) -> str:
        return LABEL[self.status]

    @property
    def target_text(self) -> str:
        if isinstance(self.target, tuple):
            return f"{_fmt(self.target[0], '')}–{_fmt(self.target[1], self.unit)}"
        return _fmt(self.target, self.unit)

    @property
    def printed(self) -> float:
        """The actual as printed: one decimal, never rounded onto a status boundary (:func:`printed_actual`)."""
        direction = "band" if isinstance(self.target, tuple) else self.direction
        return printed_actual(self.actual, self.target, self.tolerance, direction)

    @property
    def actual_text(self) -> str:
        return _fmt(self.printed, self.unit)


@dataclass
class Scorecard:
    entries: list[Entry]
    catalogue: dict[str, Kpi]
    unknown: list[str] = field(default_factory=list)

    def months(self) -> list[str]:
        return sorted({e.month for e in self.entries})

    def latest_month(self) -> str | None:
        m = self.months()
        return m[-1] if m else None

    def default_month(self, as_of) -> str | None:
        """The latest month up to ``as_of`` (see :func:`default_month`): what a scorecard shows by default."""
        return default_month(self.months(), as_of)

    def for_month(self, month: str) -> list[Entry]:
        order = list(self.catalogue)
        return sorted((e for e in self.entries if e.month == month),
                      key=lambda e: (order.index(e.kpi) if e.kpi in order else len(order), e.kpi))

    def history(self, kpi: str) -> list[Entry]:
        return sorted((e for e in self.entries if e.kpi == kpi), key=lambda e: e.month)

    def kpis(self) -> list[str]:
        seen = {e.kpi for e in self.entries}
        return [k for k in self.catalogue if k in seen] + sorted(seen - set(self.catalogue))

    def trend(self, kpi: str, upto: str | None = None) -> str:
        """'improving', 'worsening' or 'flat' over the last three months, respecting direction."""
        h = [e for e in self.history(kpi) if upto is None or e.month <= upto][-TREND_MONTHS:]
        if len(h) < 2:
            return "flat"
        k = self.catalogue.get(kpi)
        first, last = h[0], h[-1]
        if k and k.direction == "band":
            better = abs(deviation(last.actual, last.target) or 0) < abs(deviation(first.actual, first.target) or 0)
            worse = abs(deviation(last.actual, last.target) or 0) > abs(deviation(first.actual, first.target) or 0)
        else:
            change = last.actual - first.actual
            scale = max(abs(first.actual), 1e-9)
            if abs(change) / scale < 0.02:
                return "flat"
            better = (change > 0) == (not k or k.direction == "higher")
            worse = not better
        return "improving" if better else "worsening" if worse else "flat"

    def missed_months(self, kpi: str) -> int:
        return sum(1 for e in self.history(kpi) if e.status == RED)

    def dives(self, month: str | None = None) -> list[Entry]:
        return [e for e in self.entries if e.deep_dive and (month is None or e.month == month)]


def row_target(k: Kpi, target) -> float | tuple[float, float]:
    """The target a KPI-month is judged against: the row's own target wins over the catalogue's.

    For a band KPI (occupancy 75-85 in the catalogue) a row's target is the middle of the band,
    and the band keeps the catalogue's width: occupancy with target 90 is judged against 85-95.
    Without a target in the row, the catalogue's target applies.
    """
    if target is None or target != target:
        return k.target
    t = float(target)
    if k.direction != "band":
        return t
    half = (k.target[1] - k.target[0]) / 2 if isinstance(k.target, tuple) else k.tolerance
    return (t - half, t + half)


def month_of(day) -> str:
    """'YYYY-MM' of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def default_month(months: Iterable[str], as_of) -> str | None:
    """The month a scorecard shows when none is asked for: the latest month up to ``as_of``'s month.

    ``as_of`` is the assessment (or review) date. Months after it (a typo such as 2099-12, or a
    forecast row) are never the default; None when every month is after it, or there are none.
    """
    upto = month_of(as_of)
    eligible = [m for m in months if m <= upto]
    return max(eligible) if eligible else None


def scorecard(rows: Iterable[dict], catalogue: dict[str, Kpi], threshold: float = 0.10) -> Scorecard:
    """rows: dicts with month, kpi, actual, target (optional: tolerance). Unknown KPIs are kept, scored 'higher'."""
    entries, unknown = [], []
    for r in rows:
        key = str(r["kpi"])
        k = catalogue.get(key)
        if k is None:
            unknown.append(key)
            k = Kpi(key, key, "", "", "higher", float(r["target"]), 0.0)
        target = row_target(k, r.get("target"))
        tol = r.get("tolerance")
        tol = k.tolerance if tol is None or tol != tol else float(tol)
        actual = float(r["actual"])
        status = rag(actual, target, tol, k.direction)
        dive = deep_dive(actual, target, threshold)
        entries.append(Entry(str(r["month"]), key, k.name, k.unit, actual, target, tol, status, dive,
                             dive_reason(k, actual, target, dive, threshold, tol) if dive else "", k.direction))
    return Scorecard(entries, catalogue, sorted(set(unknown)))
