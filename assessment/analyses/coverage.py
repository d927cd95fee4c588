"""Hours of coverage against contact volume. Pure: a DataFrame of intervals and the coverage in, facts out.

The article's test: look at the volume near the start and end of the window, and at
contacts attempted while closed. Little volume at an edge means hours can be trimmed
(money saved); many attempts just outside means hours should grow (customers missed).

Thresholds, in one place:

* **extend** an edge when attempts in the hour just outside it are at least
  ``EXTEND_SHARE`` (3 %) of all attempts on the days that edge applies to;
* **trim** an edge when its first or last hour inside the window carries less than
  ``TRIM_SHARE`` (2 %) of the in-window volume;
* otherwise **keep** the window.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import WEEKDAYS, Coverage
from . import erlang

EXTEND_SHARE = 0.03
TRIM_SHARE = 0.02


@dataclass(frozen=True)
class Edge:
    days: str            # "weekdays", "Saturday", ...
    side: str            # "opening" | "closing"
    hour: float          # the window edge, e.g. 8.0
    share: float         # share of volume concerned
    contacts_per_month: float


@dataclass
class CoverageFacts:
    days: int
    attempts: int
    in_window: int
    off_hours: int
    first_hour_share: float
    last_hour_share: float
    profile: list[list[float]]                 # 7 x 24 average offered per hour
    windows: list[tuple[float, float] | None]  # Mon..Sun
    action: str                                # extend | trim | keep
    recommendations: list[str] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    @property
    def off_hours_share(self) -> float:
        return self.off_hours / self.attempts if self.attempts else 0.0


def _hhmm(h: float) -> str:
    return f"{int(h):02d}:{int(round((h % 1) * 60)):02d}"


def in_window(coverage: Coverage, weekday: int, hour: float) -> bool:
    w = coverage.window(WEEKDAYS[weekday])
    return bool(w) and w[0] <= hour < w[1]


def local_times(df, coverage: Coverage | None = None):
    """``df`` with its timestamps as naive local times of the coverage time zone.

    :func:`assessment.inputs.load_contacts` already converts offset-carrying timestamps; a
    frame built another way with time-zone-aware timestamps is converted here, so the window
    and the volume are always compared in the same clock.
    """
    ts = df["timestamp"]
    if getattr(ts.dt, "tz", None) is None:
        return df
    d = df.copy()
    d["timestamp"] = ts.dt.tz_convert(coverage.timezone if coverage is not None else "UTC").dt.tz_localize(None)
    return d


def analyse(df, coverage: Coverage) -> CoverageFacts:
    """``df``: columns timestamp (datetime), offered; intervals of 15, 30 or 60 minutes.

    Timestamps are local times of ``coverage.timezone``; a repeated hour (the autumn DST change)
    simply adds its volume to that hour.
    """
    d = local_times(df, coverage).copy()
    d["weekday"] = d["timestamp"].dt.day_of_week
    d["hour"] = d["timestamp"].dt.hour + d["timestamp"].dt.minute / 60
    d["date"] = d["timestamp"].dt.date
    d["inside"] = [in_window(coverage, wd, h) for wd, h in zip(d["weekday"], d["hour"])]
    days = d["date"].nunique()
    attempts = int(d["offered"].sum())
    inside = int(d.loc[d["inside"], "offered"].sum())
    windows = [coverage.window(day) for day in WEEKDAYS]

    # average offered per weekday x hour (divide by the number of such weekdays in the data)
    per_day = d.groupby("weekday")["date"].nunique().to_dict()
    hourly = d.groupby(["weekday", d["timestamp"].dt.hour])["offered"].sum()
    profile = [[float(hourly.get((wd, h), 0)) / max(per_day.get(wd, 1), 1) for h in range(24)] for wd in range(7)]

    first = last = 0.0
    for wd in range(7):
        w = windows[wd]
        if not w:
            continue
        day = d[(d["weekday"] == wd) & d["inside"]]
        first += day.loc[day["hour"] < w[0] + 1, "offered"].sum()
        last += day.loc[day["hour"] >= w[1] - 1, "offered"].sum()
    first_share = first / inside if inside else 0.0
    last_share = last / inside if inside else 0.0

    months = max(days / 30.4, 1e-9)
    edges: list[Edge] = []
    recs: list[str] = []
    groups = _groups(windows)
    for label, wds, (open_h, close_h) in groups:
        sub = d[d["weekday"].isin(wds)]
        total = sub["offered"].sum()
        if not total:
            continue
        inside_sub = sub.loc[sub["inside"], "offered"].sum()
        before = sub.loc[(sub["hour"] >= open_h - 1) & (sub["hour"] < open_h), "offered"].sum()
        after = sub.loc[(sub["hour"] >= close_h) & (sub["hour"] < close_h + 1), "offered"].sum()
        head = sub.loc[sub["inside"] & (sub["hour"] < open_h + 1), "offered"].sum()
        tail = sub.loc[sub["inside"] & (sub["hour"] >= close_h - 1), "offered"].sum()
        if before / total >= EXTEND_SHARE:
            edges.append(Edge(label, "opening", open_h, before / total, before / months))
            recs.append(f"Extend {label} opening from {_hhmm(open_h)} to {_hhmm(open_h - 1)}: {before / total:.1%} "
                        f"of attempts ({before / months:,.0f} a month) arrive in the hour before opening.")
        elif inside_sub and head / inside_sub < TRIM_SHARE:
            edges.append(Edge(label, "opening", open_h, head / inside_sub, head / months))
            recs.append(f"Trim {label} opening from {_hhmm(open_h)} to {_hhmm(open_h + 1)}: the first hour carries "
                        f"only {head / inside_sub:.1%} of the volume ({head / months:,.0f} contacts a month).")
        if after / total >= EXTEND_SHARE:
            edges.append(Edge(label, "closing", close_h, after / total, after / months))
            recs.append(f"Extend {label} closing from {_hhmm(close_h)} to {_hhmm(close_h + 1)}: {after / total:.1%} "
                        f"of attempts ({after / months:,.0f} a month) arrive in the hour after closing.")
        elif inside_sub and tail / inside_sub < TRIM_SHARE:
            edges.append(Edge(label, "closing", close_h, tail / inside_sub, tail / months))
            recs.append(f"Trim {label} closing from {_hhmm(close_h)} to {_hhmm(close_h - 1)}: the last hour carries "
                        f"only {tail / inside_sub:.1%} of the volume ({tail / months:,.0f} contacts a month).")
    extend = any(r.startswith("Extend") for r in recs)
    trim = any(r.startswith("Trim") for r in recs)
    action = "extend" if extend else "trim" if trim else "keep"
    if action == "keep":
        recs.append(f"Keep the window: the first and last hours carry {first_share:.1%} and {last_share:.1%} of the "
                    f"volume, and {attempts - inside:,} attempts ({(attempts - inside) / max(attempts, 1):.1%}) "
                    "fell outside it.")
    return CoverageFacts(days, attempts, inside, attempts - inside, first_share, last_share, profile, windows,
                         action, recs, edges)


def _groups(windows) -> list[tuple[str, list[int], tuple[float, float]]]:
    """Weekdays that share a window, named as a consultant would: 'weekday', 'Saturday', 'Sunday'."""
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    out: dict[tuple[float, float], list[int]] = {}
    for wd, w in enumerate(windows):
        if w and w != (0.0, 24.0):
            out.setdefault(w, []).append(wd)
    result = []
    for w, wds in out.items():
        label = "weekday" if wds == [0, 1, 2, 3, 4] else (names[wds[0]] if len(wds) == 1 else
                                                          "/".join(names[x][:3] for x in wds))
        result.append((label, wds, w))
    return result


@dataclass(frozen=True)
class BusyInterval:
    timestamp: str
    offered: int
    aht_s: float
    agents_needed: int
    table: list[erlang.Staffing]


def busiest_intervals(df, n: int = 3, t_s: float = 20, target_sl: float = 0.80,
                      default_aht: float = erlang.DEFAULT_AHT, coverage: Coverage | None = None) -> list[BusyInterval]:
    """The ``n`` busiest intervals with an Erlang C staffing table for each (80/20 by default).

    An interval without a usable handle time (empty, 0 or not a number) is staffed at ``default_aht``.
    """
    if df.empty:
        return []
    df = local_times(df, coverage)
    interval_s = _interval_seconds(df)
    top = df.sort_values(["offered", "timestamp"], ascending=[False, True]).head(n)
    out = []
    for _, r in top.iterrows():
        aht = _aht(r.get("aht_seconds"), default_aht)
        if not r["offered"] or r["offered"] != r["offered"]:
            continue
        need = erlang.agents_for(target_sl, t_s, r["offered"], aht, interval_s)
        out.append(BusyInterval(r["timestamp"].strftime("%a %-d %b %H:%M"), int(r["offered"]), aht, need,
                                erlang.staffing_table(r["offered"], aht, interval_s, t_s, target_sl)))
    return out


def _aht(value, default: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return default
    return v if v == v and 0 < v < float("inf") else default


def interval_seconds(stamps) -> float:
    """The interval length: the smallest step between distinct timestamps (3600 with fewer than two).

    Repeated timestamps (a DST hour, or an interval exported twice) are not a step of 0.
    ``inputs.check_contacts`` measures the step the same way, from the same local times.
    """
    distinct = sorted(set(stamps))
    steps = [(b - a).total_seconds() for a, b in zip(distinct, distinct[1:])]
    return float(min(steps)) if steps else 3600.0


def _interval_seconds(df) -> float:
    return interval_seconds(df["timestamp"].tolist())
