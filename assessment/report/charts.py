"""Charts for the readout. Pure: values in, a matplotlib Figure out; no files, no pyplot.

Figures are rendered to SVG (vector, crisp at any zoom) with text drawn as paths, so the
PDF looks the same on every machine. Widths stay within the 170 mm text column.
"""
from __future__ import annotations

import datetime as dt
import io
import re

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..analyses.roadmap import HORIZONS, Roadmap
from ..analyses.scoring import IMPROVE, NOT_APPLICABLE, THRESHOLDS, Scores
from ..checklist import DIMENSIONS

AS_IS, TO_BE, GAP, INK, MUTED, GRID = "#8a8f98", "#1f5fa8", "#d9822b", "#1f2933", "#616e7c", "#e4e7eb"
DIM_COLOURS = {"people": "#1f5fa8", "process": "#2f855a", "product": "#b7791f", "technology": "#805ad5"}
WIDTH = 6.6  # inches: the 170 mm text column
STYLE = {
    "font.family": ["DejaVu Sans", "Noto Sans CJK JP"], "font.size": 8, "axes.titlesize": 9,
    "axes.edgecolor": MUTED, "axes.labelcolor": INK, "xtick.color": MUTED, "ytick.color": MUTED,
    "text.color": INK, "svg.fonttype": "path", "svg.hashsalt": "outsourcing-readout", "axes.spines.top": False,
    "axes.spines.right": False,
}
DIM_SHORT = {"people": "People", "process": "Process", "product": "Product", "technology": "Technology"}


def _fig(w: float, h: float) -> Figure:
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(w, h), layout="constrained")


def _empty(message: str) -> Figure:
    with matplotlib.rc_context(STYLE):
        fig = _fig(WIDTH, 0.8)
        ax = fig.add_subplot()
        ax.axis("off")
        ax.text(0.5, 0.5, message, ha="center", va="center", color=MUTED, fontsize=9)
        return fig


def _label(item_id: str, title: str, width: int = 44) -> str:
    title = title if len(title) <= width else title[: width - 1].rstrip() + "…"
    return f"{item_id}  {title}"


# --------------------------------------------------------------------------- the model
def radar(scores: Scores) -> Figure:
    """As-is against to-be for the four dimensions, on the 0-5 scale."""
    import numpy as np

    with matplotlib.rc_context(STYLE):
        dims = list(scores.dimensions.values())
        labels = [f"{d.title}\n{_num(d.as_is, 2)} → {_num(d.to_be, 2)}" for d in dims]
        angles = np.linspace(0, 2 * np.pi, len(dims), endpoint=False).tolist()
        fig = _fig(WIDTH, 3.6)
        ax = fig.add_subplot(projection="polar")
        ax.set_theta_offset(np.pi / 2)
        ax.set_theta_direction(-1)
        for values, colour, name, fill in ((lambda d: d.to_be, TO_BE, "To-be", 0.10),
                                           (lambda d: d.as_is, AS_IS, "As-is", 0.25)):
            v = [values(d) or 0 for d in dims]
            ax.plot(angles + angles[:1], v + v[:1], color=colour, linewidth=2, label=name, marker="o", markersize=3)
            ax.fill(angles + angles[:1], v + v[:1], color=colour, alpha=fill)
        ax.set_ylim(0, 5)
        ax.set_yticks([1, 2, 3, 4, 5])
        ax.set_yticklabels(["1", "2", "3", "4", "5"], color=MUTED, fontsize=7)
        ax.set_xticks(angles)
        ax.set_xticklabels(labels, fontsize=8)
        ax.tick_params(axis="x", pad=14)
        ax.grid(color=GRID)
        ax.legend(loc="upper right", bbox_to_anchor=(1.45, 1.1), frameon=False)
        return fig


def dumbbell(scores: Scores, limit: int = 10) -> Figure:
    """The items with the largest priority: a dot at as-is, a dot at to-be, a line between."""
    items = sorted((i for i in scores.items if i.classification == IMPROVE),
                   key=lambda i: (-(i.priority or 0), i.id))[:limit]
    if not items:
        return _empty("No gaps to show: every scored item is at or above its target.")
    with matplotlib.rc_context(STYLE):
        fig = _fig(WIDTH, 0.9 + 0.28 * len(items))
        ax = fig.add_subplot()
        ys = list(range(len(items)))[::-1]
        for y, i in zip(ys, items):
            ax.plot([i.as_is, i.to_be], [y, y], color=GRID, linewidth=4, solid_capstyle="round", zorder=1)
            ax.scatter([i.as_is], [y], color=AS_IS, s=36, zorder=2)
            ax.scatter([i.to_be], [y], color=TO_BE, s=36, zorder=2)
            ax.text(5.35, y, f"gap {i.gap:+d} × w{_num(i.weight)} = {_num(i.priority)}", va="center", fontsize=7,
                    color=MUTED)
        ax.set_yticks(ys)
        ax.set_yticklabels([_label(i.id, i.title) for i in items])
        ax.set_xlim(-0.2, 6.6)
        ax.set_xticks(range(6))
        ax.set_ylim(-0.7, len(items) - 0.3)
        ax.grid(axis="x", color=GRID)
        ax.set_xlabel("Score (0–5)")
        ax.legend(handles=[Patch(color=AS_IS, label="As-is"), Patch(color=TO_BE, label="To-be")],
                  loc="lower center", bbox_to_anchor=(0.4, 1.0), ncol=2, frameon=False)
        return fig


def heatmap(scores: Scores) -> Figure:
    """Every item x (as-is, to-be, gap), each cell with its number printed."""
    import numpy as np
    from matplotlib.colors import LinearSegmentedColormap

    items = [i for d in DIMENSIONS for i in scores.items if i.dimension == d]
    if not items:
        return _empty("No items to show.")
    n = len(items)
    row_h = min(0.2, 9.0 / max(n, 1))
    font = 7 if row_h >= 0.17 else 6
    with matplotlib.rc_context(STYLE):
        fig = _fig(WIDTH, min(9.6, 0.8 + row_h * n))
        axes = fig.subplots(1, 3, sharey=True, gridspec_kw={"width_ratios": [1, 1, 1]})
        blues = LinearSegmentedColormap.from_list("score", ["#f5f7fa", TO_BE])
        ambers = LinearSegmentedColormap.from_list("gap", ["#fbf3ea", GAP])
        cols = (("As-is", lambda i: i.as_is, blues, (0, 5)), ("To-be", lambda i: i.to_be, blues, (0, 5)),
                ("Gap", lambda i: i.gap, ambers, (0, 5)))
        for ax, (title, get, cmap, (lo, hi)) in zip(axes, cols):
            vals = np.array([[get(i) if get(i) is not None else np.nan] for i in items], dtype=float)
            ax.imshow(np.clip(vals, lo, hi), aspect="auto", cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
            for y, i in enumerate(items):
                v = get(i)
                text = "n/a" if i.classification == NOT_APPLICABLE else ("–" if v is None else
                                                                        (f"{v:+d}" if title == "Gap" else str(v)))
                dark = v is not None and v >= (3 if title != "Gap" else 3)
                ax.text(0, y, text, ha="center", va="center", fontsize=font, color="white" if dark else INK)
            ax.set_title(title, fontsize=8)
            ax.set_xticks([])
            ax.tick_params(axis="y", length=0)
            for s in ax.spines.values():
                s.set_visible(False)
        axes[0].set_yticks(range(n))
        axes[0].set_yticklabels([_label(i.id, i.title, 40) for i in items], fontsize=font)
        axes[0].tick_params(axis="y", length=0)
        # a rule between dimensions
        starts = [k for k in range(1, n) if items[k].dimension != items[k - 1].dimension]
        for ax in axes:
            for k in starts:
                ax.axhline(k - 0.5, color="white", linewidth=2.5)
        return fig


# --------------------------------------------------------------------------- prioritisation and roadmap
EFFORT_X = {"low": 0, "medium": 1, "high": 2}


def impact_effort(roadmap: Roadmap) -> Figure:
    """The 2x2: effort across, impact (gap x weight) up; quick wins top left."""
    acts = roadmap.actions
    if not acts:
        return _empty("Nothing to prioritise: there are no gaps.")
    with matplotlib.rc_context(STYLE):
        fig = _fig(WIDTH, 4.0)
        ax = fig.add_subplot()
        top = max(max(a.priority for a in acts) * 1.15, THRESHOLDS.high_priority * 2)
        split = THRESHOLDS.high_priority
        ax.axhspan(split, top, xmin=0, xmax=0.5, color="#e6f0fa", zorder=0)
        ax.axhline(split, color=MUTED, linewidth=0.8, linestyle="--")
        ax.axvline(0.75, color=MUTED, linewidth=0.8, linestyle="--")
        for text, x, y in (("Quick wins", -0.45, top * 0.97), ("Major projects", 2.45, top * 0.97),
                           ("Fill-ins", -0.45, split * 0.06), ("Thankless tasks", 2.45, split * 0.06)):
            ax.text(x, y, text, ha="left" if x < 0 else "right", va="top" if y > split else "bottom",
                    fontsize=9, fontweight="bold", color=MUTED)
        # spread points that share a cell so their labels stay readable (deterministic)
        seen: dict[tuple[int, float], int] = {}
        for a in sorted(acts, key=lambda a: (-a.priority, a.id)):
            key = (EFFORT_X.get(a.effort, 1), round(a.priority, 1))
            k = seen.get(key, 0)
            seen[key] = k + 1
            x = EFFORT_X.get(a.effort, 1) - 0.36 + (k % 4) * 0.24
            y = a.priority + (k // 4) * top * 0.055
            ax.scatter([x], [y], s=26, color=DIM_COLOURS.get(a.dimension, TO_BE), zorder=3)
            ax.annotate(a.id, (x, y), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=6)
        ax.set_xlim(-0.5, 2.5)
        ax.set_ylim(0, top)
        ax.set_xticks([0, 1, 2])
        ax.set_xticklabels(["Low effort", "Medium effort", "High effort"])
        ax.set_ylabel("Impact (gap × weight)")
        ax.legend(handles=[Patch(color=DIM_COLOURS[d], label=DIM_SHORT[d]) for d in DIMENSIONS],
                  loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, frameon=False)
        return fig


def gantt(plan: Roadmap, hand_off: dt.date | None = None, renewal_notice: dt.date | None = None) -> Figure:
    """One swimlane per dimension; hatched bars carry a lead time before the hand-off."""
    from matplotlib.dates import DateFormatter, MonthLocator, date2num

    acts = plan.actions
    if not acts:
        return _empty("No roadmap: there are no gaps to close.")
    lanes = [d for d in DIMENSIONS if any(a.dimension == d for a in acts)]
    rows: list[tuple[str, object]] = []
    for d in lanes:
        for a in sorted((a for a in acts if a.dimension == d), key=lambda a: (a.start, a.id)):
            rows.append((d, a))
    with matplotlib.rc_context(STYLE):
        fig = _fig(WIDTH, min(9.4, 1.2 + 0.2 * len(rows)))
        ax = fig.add_subplot()
        n = len(rows)
        for y, (d, a) in enumerate(rows):
            yy = n - 1 - y
            ax.barh(yy, date2num(a.end) - date2num(a.start), left=date2num(a.start), height=0.62,
                    color=DIM_COLOURS[d], alpha=0.85, hatch="////" if a.lead_time else None,
                    edgecolor="white" if a.lead_time else DIM_COLOURS[d], linewidth=0.5)
            ax.text(date2num(a.end) + 2, yy, a.id, va="center", fontsize=6.5, color=INK)
        # swimlane separators and labels
        y = n
        for d in lanes:
            count = sum(1 for dd, _ in rows if dd == d)
            ax.axhline(y - count - 0.5, color=GRID, linewidth=0.8)
            ax.text(-0.01, y - count / 2 - 0.5, DIM_SHORT[d], transform=ax.get_yaxis_transform(), ha="right",
                    va="center", fontsize=8, fontweight="bold", color=DIM_COLOURS[d])
            y -= count
        start = plan.as_of
        end = max(a.end for a in acts)
        for name, lo, hi in HORIZONS:
            x0 = date2num(start + dt.timedelta(days=lo))
            if lo:
                ax.axvline(x0, color=MUTED, linewidth=0.6, linestyle=":")
            ax.text(x0 + 2, n - 0.2, name, fontsize=7, color=MUTED, va="bottom")
        for when, label, colour in ((hand_off, "Hand-off", "#c53030"), (renewal_notice, "Renewal notice", "#6b46c1")):
            if when and start - dt.timedelta(days=15) <= when <= end + dt.timedelta(days=30):
                ax.axvline(date2num(when), color=colour, linewidth=1.2, linestyle="--")
                ax.text(date2num(when), -1.1, f"{label} {when:%-d %b}", color=colour, fontsize=7, ha="center",
                        va="top")
        ax.set_yticks([])
        ax.set_ylim(-1.6 if (hand_off or renewal_notice) else -0.8, n + 0.6)
        ax.set_xlim(date2num(start - dt.timedelta(days=7)), date2num(max(end, start + dt.timedelta(days=365)) +
                                                                     dt.timedelta(days=20)))
        ax.xaxis.set_major_locator(MonthLocator())
        ax.xaxis.set_major_formatter(DateFormatter("%b\n%Y"))
        ax.tick_params(axis="x", labelsize=7)
        ax.spines["left"].set_visible(False)
        ax.grid(axis="x", color=GRID, linewidth=0.5)
        return fig


# --------------------------------------------------------------------------- output
def _num(v, digits: int = 1) -> str:
    if v is None:
        return "–"
    if isinstance(v, float) and v != int(v):
        return f"{v:.{digits}f}"
    return str(int(v)) if isinstance(v, (int, float)) else str(v)


_META = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


def to_svg(fig: Figure) -> str:
    """SVG text without the XML prolog, deterministic for the same figure."""
    buf = io.StringIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = _META.sub("", svg)
    return svg


def to_png(fig: Figure, dpi: int = 200) -> bytes:
    buf = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
