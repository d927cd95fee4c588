"""Charts for the relationship in numbers: KPI trends, the coverage profile, the contract timeline.

Pure like :mod:`charts`: values in, a matplotlib Figure out, same style and colours.
Every coloured mark carries a label or number next to it.
"""
from __future__ import annotations

import datetime as dt

from matplotlib.figure import Figure

from ..rules import PALETTE, RAG_LABEL, RAG_ORDER
from .charts import GRID, HAND_OFF, INK, MAX_HEIGHT, MUTED, RENEWAL, TO_BE, WIDTH, _empty, _figure, _rc

RAG = {c: PALETTE[c] for c in RAG_ORDER}   # the pills' colours (assessment.rules)


def kpi_trends(series: dict[str, dict], per_row: int = 3) -> Figure:
    """Small multiples: one panel per KPI, actual by month against its target band.

    ``series``: name -> {"months": [...], "actual": [...], "target": float, "tolerance": float,
    "unit": str, "status": [...'green'|'amber'|'red'], "band": (lo, hi) | None, "label": the last
    value as printed in the table (optional; else the value with its unit)}.
    """
    if not series:
        return _empty("No KPI data to chart.")
    names = list(series)
    rows = (len(names) + per_row - 1) // per_row
    with _rc():
        fig = _grid(WIDTH, 1.55 * rows + 0.3, top=0.2, bottom=0.45, left=0.3, right=0.3, hspace=0.55, wspace=0.45)
        axes = fig.subplots(rows, per_row, squeeze=False)
        for k, ax in enumerate(axes.flat):
            if k >= len(names):
                ax.axis("off")
                continue
            s = series[names[k]]
            xs = list(range(len(s["months"])))
            lo, hi = s.get("band") or (s["target"], s["target"])
            if s.get("band"):
                ax.axhspan(lo, hi, color="#e6f0fa", zorder=0)
            else:
                ax.axhline(s["target"], color=TO_BE, linewidth=1, linestyle="--", zorder=1)
            # the limits below hold every point, so nothing needs clipping (a clip path per marker
            # is what makes a chart slow to print)
            ax.plot(xs, s["actual"], color=INK, linewidth=1.1, zorder=2, clip_on=False)
            ax.scatter(xs, s["actual"], s=14, c=[RAG.get(st, MUTED) for st in s["status"]], zorder=3, clip_on=False)
            vals = list(s["actual"]) + [lo, hi]
            span = (max(vals) - min(vals)) or 1
            ax.set_ylim(min(vals) - 0.12 * span, max(vals) + 0.12 * span)
            last = s["actual"][-1]
            ax.annotate(s.get("label") or f"{last:g}{s.get('unit', '')}", (xs[-1], last), xytext=(3, 0), textcoords="offset points",
                        fontsize=6.5, va="center", color=INK)
            ax.set_title(names[k], fontsize=7.5, loc="left")
            ax.set_xticks([xs[0], xs[-1]])
            ax.set_xticklabels([s["months"][0], s["months"][-1]], fontsize=6)
            ax.tick_params(axis="y", labelsize=6)
            ax.tick_params(bottom=False, left=False)  # labels and grid lines suffice in a small panel
            ax.grid(axis="y", color=GRID, linewidth=0.5)
            ax.set_xlim(-0.5, len(xs) - 0.5 + 1.2)
        fig.legend(handles=[_dot(RAG[c], RAG_LABEL[c]) for c in RAG] + [_line(TO_BE, "Target")],
                   loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=4, fontsize=7)
        return fig


def _grid(width: float, height: float, top: float, bottom: float, left: float, right: float,
          hspace: float, wspace: float) -> Figure:
    """A figure whose panel margins are fixed in inches, for small multiples.

    Constrained layout measures every tick label of every panel on each draw; panels in a
    regular grid with short labels do not need it, and the chart renders in half the time.
    """
    width, height = min(width, WIDTH), min(height, MAX_HEIGHT)
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(top=1 - top / height, bottom=bottom / height, left=left / width, right=1 - right / width,
                        hspace=hspace, wspace=wspace)
    return fig


def _dot(colour: str, label: str):
    from matplotlib.lines import Line2D

    return Line2D([], [], marker="o", color="white", markerfacecolor=colour, markersize=6, label=label)


def _line(colour: str, label: str):
    from matplotlib.lines import Line2D

    return Line2D([], [], color=colour, linestyle="--", label=label)


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def coverage_profile(profile: list[list[float]], windows: list[tuple[float, float] | None]) -> Figure:
    """Average contacts offered per hour, weekday by weekday, with the opening window shaded.

    ``profile``: 7 rows (Mon..Sun) of 24 hourly averages; ``windows``: (open, close) hours or None.
    """
    if not profile or not any(any(v for v in row) for row in profile):
        return _empty("No contact volume to chart.")
    top = max(max(row) for row in profile) * 1.15 or 1
    with _rc():
        fig = _grid(WIDTH, 3.0, top=0.22, bottom=0.55, left=0.62, right=0.1, hspace=0.2, wspace=0.15)
        axes = fig.subplots(1, 7, sharey=True)
        for d, ax in enumerate(axes):
            win = windows[d]
            if win:
                ax.axvspan(win[0], win[1], color="#e6f0fa", zorder=0)
            inside = [v if win and win[0] <= h < win[1] else 0 for h, v in enumerate(profile[d])]
            outside = [v - i for v, i in zip(profile[d], inside)]
            # one filled outline per colour, not 24 bars: same picture, a tenth of the shapes
            ax.stairs(inside, range(25), fill=True, color=TO_BE, linewidth=0, zorder=2, clip_on=False)
            ax.stairs(outside, range(25), fill=True, color=HAND_OFF, linewidth=0, zorder=2, clip_on=False)
            ax.set_title(DAYS[d] + ("" if win else " (closed)"), fontsize=7)
            ax.set_xlim(0, 24)
            ax.set_ylim(0, top)
            ax.set_xticks([6, 12, 18])
            ax.set_xticklabels(["6", "12", "18"], fontsize=6)
            ax.tick_params(bottom=False, left=False)
            ax.grid(axis="y", color=GRID, linewidth=0.5)
        axes[0].set_ylabel("Contacts offered per hour (average)")
        fig.legend(handles=[_bar(TO_BE, "Inside the coverage window"), _bar(HAND_OFF, "Outside: attempts missed")],
                   loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=2, fontsize=7)
        return fig


def _bar(colour: str, label: str):
    from matplotlib.patches import Patch

    return Patch(color=colour, label=label)


def timeline(milestones: list[tuple[dt.date, str, str]], as_of: dt.date) -> Figure:
    """Contract milestones on one line: (date, label, kind) with kind in assessment|hand-off|notice|renewal|start."""
    from matplotlib.dates import DateFormatter, date2num

    if not milestones:
        return _empty("No contract dates recorded.")
    colours = {"notice": RENEWAL, "hand-off": HAND_OFF, "assessment": INK, "renewal": TO_BE, "start": MUTED}
    dates = [m[0] for m in milestones] + [as_of]
    lo, hi = min(dates), max(dates)
    pad = max((hi - lo).days * 0.08, 20)
    with _rc():
        fig = _figure(WIDTH, 2.2)
        ax = fig.add_subplot()
        ax.axhline(0, color=GRID, linewidth=2, zorder=1)
        for k, (when, label, kind) in enumerate(sorted(milestones)):
            x = date2num(when)
            up = (0.5, -0.5, 1.25, -1.25)[k % 4]       # four heights, so close dates do not collide
            ax.plot([x, x], [0, up], color=colours.get(kind, MUTED), linewidth=1, zorder=2)
            ax.scatter([x], [0], s=30, color=colours.get(kind, MUTED), zorder=3)
            ax.text(x, up + (0.07 if up > 0 else -0.07), f"{label}\n{when:%-d %b %Y}", ha="center",
                    va="bottom" if up > 0 else "top", fontsize=6.5, color=colours.get(kind, INK), zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})  # the dotted line passes behind
        ax.axvline(date2num(as_of), color=MUTED, linestyle=":", linewidth=0.8)
        ax.set_ylim(-2.3, 2.3)
        ax.set_xlim(date2num(lo - dt.timedelta(days=pad)), date2num(hi + dt.timedelta(days=pad)))
        ax.xaxis.set_major_formatter(DateFormatter("%b %Y"))
        ax.tick_params(axis="x", labelsize=6.5)
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        return fig
