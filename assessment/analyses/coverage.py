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

These shares only *screen* the candidates; whether a change is worth making is argued from its
staffing cost against the contacts it serves (:func:`assessment.analyses.business_case.coverage_change`).
A closed day that still draws at least ``EXTEND_SHARE`` of all attempts is a candidate too
(opening it with the nearest open day's hours).

**One denominator.** :class:`DayGroup` holds, for each group of days that share a window (and for
the closed days), the attempts, those inside and outside the window, the hour before opening and
after closing, and the first and last hour inside: every share printed of a group is a share of that
group's own attempts (or of its own in-window volume, and then it says so).

**Attempts are not customers.** A customer who finds the line closed calls again, so attempts
outside the hours overstate the customers missed. When contacts.csv has a ``unique_callers`` column
(distinct caller ids in each interval, from the telephony platform), customers are counted from it;
otherwise attempts are divided by a redial factor (``coverage.redial_factor`` in engagement.yaml,
``REDIAL_FACTOR`` = 1.3 attempts per customer by default) and the readout states that assumption.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import WEEKDAYS, Coverage
from . import erlang

EXTEND_SHARE = 0.03
TRIM_SHARE = 0.02
REDIAL_FACTOR = 1.3                  # attempts per customer while closed, when no caller ids are given
REDIAL_RANGE = (1.0, 5.0)            # a redial factor outside it is refused (the default is used)
CALLERS_COLUMN = "unique_callers"    # optional contacts.csv column: distinct caller ids per interval
WEEKEND = (5, 6)


@dataclass(frozen=True)
class Edge:
    days: str            # "weekdays", "Saturday", ...
    side: str            # "opening" | "closing"
    hour: float          # the window edge, e.g. 8.0
    share: float         # share of volume concerned
    contacts_per_month: float


@dataclass(frozen=True)
class DayGroup:
    """Days that share a window (or are closed), with every count on the same days. Counts are totals over
    the data; ``months`` scales them to a month."""

    label: str                               # "weekday", "Saturday", "weekend", "Mon/Tue"
    weekdays: tuple[int, ...]                # 0 = Monday
    window: tuple[float, float] | None       # None: closed all day
    attempts: float                          # every attempt on these days
    in_window: float
    off_hours: float
    before_open: float = 0.0                 # attempts in the hour before opening
    after_close: float = 0.0                 # attempts in the hour after closing
    first_hour: float = 0.0                  # contacts in the first hour inside the window
    last_hour: float = 0.0                   # contacts in the last hour inside the window
    callers_off_hours: float | None = None   # distinct callers while closed (None: no caller ids in the data)

    @property
    def closed(self) -> bool:
        return self.window is None

    def share(self, part: float) -> float:
        """``part`` as a share of this group's attempts."""
        return part / self.attempts if self.attempts else 0.0

    def share_in_window(self, part: float) -> float:
        """``part`` as a share of this group's in-window volume."""
        return part / self.in_window if self.in_window else 0.0


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
    groups: list[DayGroup] = field(default_factory=list)   # open groups first (as _groups names them), then closed
    callers_off_hours: float | None = None                 # distinct callers while closed, from the data

    @property
    def off_hours_share(self) -> float:
        return self.off_hours / self.attempts if self.attempts else 0.0

    @property
    def months(self) -> float:
        return max(self.days / 30.4, 1e-9)

    @property
    def has_callers(self) -> bool:
        return self.callers_off_hours is not None

    def customers_off_hours(self, redial_factor: float = REDIAL_FACTOR) -> float:
        """Customers who found the line closed: distinct callers when the data has them, else attempts ÷ factor."""
        return self.callers_off_hours if self.callers_off_hours is not None else self.off_hours / redial_factor

    def closed_candidates(self) -> list[DayGroup]:
        """Closed days that still draw at least EXTEND_SHARE of all attempts: candidates to open."""
        return [g for g in self.groups if g.closed and self.attempts and g.attempts / self.attempts >= EXTEND_SHARE]


def opening_for(group: DayGroup, windows) -> tuple[float, float] | None:
    """The hours a closed group would open with: Saturday's window for a weekend day when Saturday opens,
    else the window of the nearest open day before it (Monday's for a closed weekend)."""
    first = group.weekdays[0]
    order = ([5] if first == 6 else []) + [(first - k) % 7 for k in range(1, 7)]
    for wd in order:
        w = windows[wd]
        if w and tuple(w) != (0.0, 24.0):
            return tuple(w)
    return None


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
    groups = _day_groups(d, windows, groups)
    extend = any(r.startswith("Extend") for r in recs)
    trim = any(r.startswith("Trim") for r in recs)
    action = "extend" if extend else "trim" if trim else "keep"
    if action == "keep":
        recs.append(f"Keep the window: the first and last hours carry {first_share:.1%} and {last_share:.1%} of the "
                    f"volume, and {attempts - inside:,} attempts ({(attempts - inside) / max(attempts, 1):.1%}) "
                    "fell outside it.")
    callers = None
    if CALLERS_COLUMN in d and d[CALLERS_COLUMN].notna().any():
        callers = float(d.loc[~d["inside"], CALLERS_COLUMN].fillna(0).sum())
    return CoverageFacts(days, attempts, inside, attempts - inside, first_share, last_share, profile, windows,
                         action, recs, edges, groups, callers)


def _day_groups(d, windows, open_groups) -> list[DayGroup]:
    """Every group of days on one denominator: the open groups, then the closed days (weekend together)."""
    has_callers = CALLERS_COLUMN in d and d[CALLERS_COLUMN].notna().any()
    out = []

    def callers(sub):
        return float(sub.loc[~sub["inside"], CALLERS_COLUMN].fillna(0).sum()) if has_callers else None

    for label, wds, (open_h, close_h) in open_groups:
        sub = d[d["weekday"].isin(wds)]
        inside = sub["inside"]
        out.append(DayGroup(
            label, tuple(wds), (open_h, close_h), float(sub["offered"].sum()), float(sub.loc[inside, "offered"].sum()),
            float(sub.loc[~inside, "offered"].sum()),
            float(sub.loc[(sub["hour"] >= open_h - 1) & (sub["hour"] < open_h), "offered"].sum()),
            float(sub.loc[(sub["hour"] >= close_h) & (sub["hour"] < close_h + 1), "offered"].sum()),
            float(sub.loc[inside & (sub["hour"] < open_h + 1), "offered"].sum()),
            float(sub.loc[inside & (sub["hour"] >= close_h - 1), "offered"].sum()), callers(sub)))
    closed = [wd for wd in range(7) if not windows[wd]]
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    parts = [tuple(closed)] if tuple(closed) == WEEKEND else [(wd,) for wd in closed]
    for wds in parts:
        sub = d[d["weekday"].isin(wds)]
        if sub.empty:
            continue                         # a closed day the data does not cover says nothing
        total = float(sub["offered"].sum())
        label = "weekend" if wds == WEEKEND else names[wds[0]]
        out.append(DayGroup(label, wds, None, total, 0.0, total, callers_off_hours=callers(sub)))
    return out


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
