"""Charts for the readout. Pure: values in, a matplotlib ``Figure`` out; no files, no pyplot.

The readout draws them from its facts (:mod:`assessment.facts`), whose item, dimension and
action facts carry the same attributes as the analyses' ``ItemScore``, ``DimensionScore`` and
``Action``: a chart takes either.

Every chart is built with the object-oriented API (``matplotlib.figure.Figure``), so there
is no global figure registry and no GUI backend: safe in parallel processes. Styling is
applied with ``matplotlib.rc_context`` around building *and* rendering; the global
rcParams are never changed.

Figures are rendered to SVG with text drawn as paths, so the PDF looks the same on every
machine, and the SVG is deterministic (fixed hash salt, no date, no version stamp).
Widths stay within the 170 mm text column; the tallest chart fits an A4 page.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import re
import warnings
from functools import lru_cache
from typing import Iterable

import matplotlib
from matplotlib import dates as mdates
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from ..analyses.roadmap import HORIZONS, Action, Roadmap
from ..analyses.scoring import IMPROVE, NOT_APPLICABLE, THRESHOLDS, DimensionScore, ItemScore, Scores, ranked
from ..checklist import DIMENSIONS

# --------------------------------------------------------------------------- style
AS_IS = "#8a8f98"      # grey: where the partnership stands
TO_BE = "#1f5fa8"      # strong blue: where the client wants it
GAP = "#d9822b"        # amber: the distance between the two
INK = "#1d2733"
MUTED = "#5f6b7a"
GRID = "#e4e7eb"
WASH = "#f3f6f9"
HAND_OFF = "#c62828"
RENEWAL = "#6a3d9a"
# Okabe-Ito colours (colour-blind safe), each with its own marker so colour is never the only cue.
DIM_COLOURS = {"people": "#0072b2", "process": "#009e73", "product": "#e69f00", "technology": "#cc79a7"}
DIM_MARKERS = {"people": "o", "process": "s", "product": "D", "technology": "^"}
DIM_NAMES = {"people": "People", "process": "Process", "product": "Product", "technology": "Technology"}
PALETTE = {"as_is": AS_IS, "to_be": TO_BE, "gap": GAP, "ink": INK, "muted": MUTED, "grid": GRID,
           "hand_off": HAND_OFF, "renewal": RENEWAL, **DIM_COLOURS}

WIDTH = 6.6           # inches: the 170 mm text column
MAX_HEIGHT = 9.3      # inches: an A4 page (255 mm of content) less the caption and margins
LABEL_CHARS = 45      # item titles are cut to this many characters
SVG_SALT = "outsourcing-readout"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # not locale-bound
CJK_FALLBACK = "Noto Sans CJK JP"


@lru_cache(maxsize=1)
def _font_family() -> tuple[str, ...]:
    """DejaVu Sans, with a CJK fallback when the machine has one (no 'font not found' noise)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return ("DejaVu Sans", CJK_FALLBACK) if CJK_FALLBACK in installed else ("DejaVu Sans",)


def style() -> dict:
    """The rcParams every chart is built and rendered with."""
    return {
        "font.family": list(_font_family()), "font.size": 8, "axes.titlesize": 9, "axes.labelsize": 8,
        "xtick.labelsize": 7.5, "ytick.labelsize": 7.5, "legend.fontsize": 7.5, "legend.frameon": False,
        "axes.edgecolor": MUTED, "axes.labelcolor": INK, "axes.linewidth": 0.6, "text.color": INK,
        "xtick.color": MUTED, "ytick.color": MUTED, "xtick.labelcolor": INK, "ytick.labelcolor": INK,
        "xtick.major.width": 0.6, "ytick.major.width": 0.6, "axes.spines.top": False, "axes.spines.right": False,
        "figure.facecolor": "white", "savefig.facecolor": "white", "hatch.linewidth": 0.8,
        "svg.fonttype": "none", "svg.hashsalt": SVG_SALT,
    }


def _rc():
    return matplotlib.rc_context(style())


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(min(width, WIDTH), min(height, MAX_HEIGHT)), layout="constrained")


def _empty(message: str, detail: str = "") -> Figure:
    """A small figure that says plainly there is nothing to draw."""
    with _rc():
        fig = Figure(figsize=(WIDTH, 0.9 if detail else 0.7))
        fig.text(0.5, 0.62 if detail else 0.5, message, ha="center", va="center", fontsize=9, color=MUTED,
                 fontweight="bold")
        if detail:
            fig.text(0.5, 0.3, detail, ha="center", va="center", fontsize=8, color=MUTED)
        return fig


def truncate(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def item_label(item_id: str, title: str, limit: int = LABEL_CHARS) -> str:
    """'PEO-03  Two-way disclosure of challenges…'"""
    return f"{item_id}  {truncate(title, limit)}"


def _num(v: float | None, digits: int = 1) -> str:
    if v is None:
        return "–"
    return f"{v:.{digits}f}" if float(v) != int(v) else str(int(v))


def _dim_name(key: str) -> str:
    return DIM_NAMES.get(key, key.replace("_", " ").title())


def _dim_order(keys: Iterable[str]) -> list[str]:
    """The checklist's dimension order, then any others in the order first seen."""
    keys = list(dict.fromkeys(keys))
    return [d for d in DIMENSIONS if d in keys] + [k for k in keys if k not in DIMENSIONS]


def _blend(light: str, dark: str, t: float) -> tuple[float, float, float]:
    t = min(max(t, 0.0), 1.0)
    a, b = to_rgb(light), to_rgb(dark)
    return tuple(x + (y - x) * t for x, y in zip(a, b))


def _is_dark(rgb) -> bool:
    r, g, b = to_rgb(rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5


# --------------------------------------------------------------------------- the model
def radar(scores: Scores) -> Figure:
    """As-is against to-be for each dimension, on the 0-5 scale.

    A dimension without scores is drawn at 0, its label says "not scored" and a note
    under the chart says so, so a hole in the data never reads as a score of 0.
    """
    import math

    dims: list[DimensionScore] = [scores.dimensions[k] for k in _dim_order(scores.dimensions)]
    if not dims:
        return _empty("No dimensions to show.")
    with _rc():
        fig = _figure(WIDTH, 3.6)
        ax = fig.add_subplot(projection="polar")
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        n = len(dims)
        angles = [2 * math.pi * k / n for k in range(n)]
        loop = angles + angles[:1]
        for field, colour, name, alpha, z in (("to_be", TO_BE, "To-be", 0.12, 2), ("as_is", AS_IS, "As-is", 0.35, 4)):
            values = [getattr(d, field) if getattr(d, field) is not None else 0.0 for d in dims]
            ax.fill(loop, values + values[:1], color=colour, alpha=alpha, linewidth=0, zorder=z)
            ax.plot(loop, values + values[:1], color=colour, linewidth=1.8, marker="o", markersize=3.5,
                    label=name, zorder=z + 1)
        ax.set_ylim(0, 5)
        ax.set_yticks([1, 2, 3, 4, 5])
        ax.set_yticklabels(["1", "2", "3", "4", "5"], fontsize=6.5, color=MUTED)
        for label in ax.get_yticklabels():
            label.set_bbox(dict(facecolor="white", alpha=0.7, edgecolor="none", pad=0.6))
            label.set_zorder(10)
        ax.set_rlabel_position(180 / n)
        ax.set_xticks(angles)
        missing = [d for d in dims if d.as_is is None or d.to_be is None]
        labels = [f"{d.title}\nnot scored" if d in missing else f"{d.title}\n{d.as_is:.1f} → {d.to_be:.1f}"
                  for d in dims]
        ax.set_xticklabels(labels, fontsize=8)
        for angle, text in zip(angles, ax.get_xticklabels()):
            side = math.sin(angle)
            text.set_horizontalalignment("left" if side > 0.1 else "right" if side < -0.1 else "center")
        ax.tick_params(axis="x", pad=8)
        ax.grid(color=GRID, linewidth=0.6)
        ax.spines["polar"].set_color(GRID)
        ax.legend(loc="upper left", bbox_to_anchor=(1.15, 1.0))
        if missing:
            ax.annotate("Not scored, drawn at 0: " + ", ".join(d.title for d in missing) + ".",
                        xy=(0.5, 0), xycoords="axes fraction", xytext=(0, -32), textcoords="offset points",
                        ha="center", va="top", fontsize=7, color=MUTED, style="italic")
        return fig


def dumbbell(scores: Scores, limit: int = 10) -> Figure:
    """The 'improve' items with the largest priority: a dot at as-is, a dot at to-be, a line between."""
    chosen = [i for i in ranked(scores.items, IMPROVE) if i.as_is is not None and i.to_be is not None]
    items = chosen[: max(limit, 0)]
    if not items:
        return _empty("No gaps to show", f"No item has a gap of {THRESHOLDS.improve_gap} or more.")
    with _rc():
        n = len(items)
        fig = _figure(WIDTH, 0.85 + 0.27 * n)
        ax = fig.add_subplot()
        for y, i in enumerate(items):
            ax.plot([i.as_is, i.to_be], [y, y], color=GAP, alpha=0.45, linewidth=3, solid_capstyle="round", zorder=1)
            ax.scatter([i.as_is], [y], s=38, color=AS_IS, edgecolors="white", linewidths=0.6, zorder=3)
            ax.scatter([i.to_be], [y], s=38, color=TO_BE, edgecolors="white", linewidths=0.6, zorder=3)
            ax.text(1.03, y, f"{i.gap:+d} × {_num(i.weight)} = {_num(i.priority)}", transform=ax.get_yaxis_transform(),
                    ha="left", va="center", fontsize=7, color=INK)
        ax.text(1.03, -0.75, "Gap × weight = priority", transform=ax.get_yaxis_transform(), ha="left", va="bottom",
                fontsize=7, color=MUTED)
        ax.set_yticks(range(n))
        ax.set_yticklabels([item_label(i.id, i.title) for i in items])
        ax.set_ylim(n - 0.5, -0.75)
        ax.set_xlim(-0.3, 5.3)
        ax.set_xticks(range(6))
        ax.set_xlabel("Score (0–5)")
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        handles = [Line2D([], [], marker="o", linestyle="", color=AS_IS, label="As-is"),
                   Line2D([], [], marker="o", linestyle="", color=TO_BE, label="To-be"),
                   Line2D([], [], color=GAP, alpha=0.45, linewidth=3, label="Gap")]
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, borderaxespad=0.2)
        return fig


def _heat_colour(column: str, v: int | None) -> tuple[float, float, float] | str:
    if v is None:
        return "white"
    if column == "Gap":
        return _blend("#fbeee0", GAP, v / 4) if v > 0 else to_rgb("#eceff2")
    return _blend("#e6edf6", TO_BE, v / 5)


HEAT_COLUMNS = ("As-is", "To-be", "Gap")


def _by_dimension(scores: Scores) -> list[tuple[str, str, list[ItemScore]]]:
    """(dimension key, title, items) in the checklist's dimension order."""
    return [(d, scores.dimensions[d].title if d in scores.dimensions else _dim_name(d),
             [i for i in scores.items if i.dimension == d])
            for d in _dim_order(i.dimension for i in scores.items)]


def heat_rows(scores: Scores) -> list[tuple[str, str, list[tuple[str, str, list[tuple[str, str, str]]]]]]:
    """The heatmap as data, for a table: one (title, colour, items) group per dimension.

    Each item is (id, title, cells) and each cell (text, fill, text colour) as hex: the same
    colours :func:`heatmap` draws, the dimension's colour from :data:`DIM_COLOURS`.
    """
    from matplotlib.colors import to_hex

    groups = []
    for d, title, items in _by_dimension(scores):
        rows = []
        for i in items:
            cells = [_heat_cell(i, column, v) for column, v in zip(HEAT_COLUMNS, (i.as_is, i.to_be, i.gap))]
            rows.append((i.id, i.title, [(text, to_hex(fill), ink) for text, fill, ink in cells]))
        groups.append((title, DIM_COLOURS.get(d, INK), rows))
    return groups


def _heat_cell(item: ItemScore, column: str, v: int | None) -> tuple[str, object, str]:
    """One heatmap cell: its text, its fill and the text colour that reads on that fill."""
    fill = _heat_colour(column, v)
    if item.classification == NOT_APPLICABLE:
        text = "n/a"
    elif v is None:
        text = "–"
    else:
        text = f"{v:+d}" if column == "Gap" and v else str(v)
    ink = "#ffffff" if v is not None and _is_dark(fill) else (MUTED if v is None else INK)
    return text, fill, ink


def heatmap(scores: Scores) -> Figure:
    """Every item (grouped by dimension, checklist order) x as-is, to-be and gap; every cell has its number."""
    groups = _by_dimension(scores)
    titles = {d: title for d, title, _ in groups}
    rows: list[ItemScore | str] = []   # a str is a dimension header row
    for d, _, items in groups:
        rows += [d, *items]
    if not scores.items:
        return _empty("No items to show.")
    n = len(rows)
    row_h = min(0.2, (MAX_HEIGHT - 0.55) / n)
    font = max(4.5, min(7.5, row_h * 72 * 0.52))
    columns = (("As-is", lambda i: i.as_is), ("To-be", lambda i: i.to_be), ("Gap", lambda i: i.gap))
    with _rc():
        fig = _figure(6.2, 0.55 + row_h * n)
        ax = fig.add_subplot()
        for y, row in enumerate(rows):
            if isinstance(row, str):
                continue
            for x, (column, get) in enumerate(columns):
                text, fill, ink = _heat_cell(row, column, get(row))
                ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=fill, edgecolor="white", linewidth=1.2))
                ax.text(x, y, text, ha="center", va="center", fontsize=font, color=ink)
        ax.set_xlim(-0.5, len(columns) - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        ax.xaxis.tick_top()
        ax.set_xticks(range(len(columns)))
        ax.set_xticklabels([c for c, _ in columns], fontsize=font + 0.5, fontweight="bold")
        ax.set_yticks(range(n))
        ax.set_yticklabels([titles[r] if isinstance(r, str) else item_label(r.id, r.title) for r in rows],
                           fontsize=font)
        for r, label in zip(rows, ax.get_yticklabels()):
            if isinstance(r, str):
                label.set_fontweight("bold")
                label.set_color(DIM_COLOURS.get(r, INK))
        ax.tick_params(length=0, pad=3)
        for spine in ax.spines.values():
            spine.set_visible(False)
        return fig


# --------------------------------------------------------------------------- prioritisation and roadmap
QUADRANT_LABELS = ("Quick wins", "Major projects", "Fill-ins", "Thankless tasks")


def _group_label(refs: list[str]) -> str:
    return ", ".join(refs[:2]) + (f" +{len(refs) - 2}" if len(refs) > 2 else "")


def _threshold_line(values: list[float], high: float, step: float) -> float:
    """Where to draw a "high from" line: halfway between the lowest high value and the highest value below it,
    so no point sits on it; above every value when none is high."""
    below = [v for v in values if v < high]
    above = [v for v in values if v >= high]
    if not above:
        return max(values) + step / 2
    if not below:
        return min(above) - step / 2
    return (max(below) + min(above)) / 2


_LABEL_DIRECTIONS = ((1, 0, "left", "center"), (-1, 0, "right", "center"), (0, 1, "center", "bottom"),
                     (0, -1, "center", "top"), (1, 1, "left", "bottom"), (-1, 1, "right", "bottom"),
                     (1, -1, "left", "top"), (-1, -1, "right", "top"))
_LABEL_DISTANCES = (4.5, 8.0, 12.0, 17.0, 23.0, 30.0)   # points from the marker


def _label_box(px: float, py: float, w: float, h: float, dx: float, dy: float, ha: str, va: str):
    x0 = px + dx - (w if ha == "right" else w / 2 if ha == "center" else 0)
    y0 = py + dy - (h if va == "top" else h / 2 if va == "center" else 0)
    return (x0, y0, x0 + w, y0 + h)


def _overlaps(a, b, pad: float = 1.0) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def impact_effort(roadmap: Roadmap) -> Figure:
    """The 2x2: effort across, impact (gap x weight) up; quick wins top left.

    Points sit at their true values; actions at the same values share one point (larger) and one label.
    "High" on each axis is the roadmap's relative threshold (the top third of this client's items), drawn between
    the values on either side so no point sits on a line. Labels are placed where they overlap no other label,
    point or line (the nearest free spot around the point); ``fig.unlabelled`` lists any point left without one.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from ..analyses.roadmap import effort_score, thresholds

    acts = [a for a in roadmap.actions if getattr(a, "kind", "item") == "item"]
    if not acts:
        return _empty("No actions to prioritise", "No item has a gap, so there is nothing to place on the matrix.")
    xs = {a.id: (getattr(a, "effort_score", 0) or effort_score(a.effort, 1)) for a in acts}
    ys = {a.id: float(a.priority) for a in acts}
    hi_y, hi_x = getattr(roadmap, "high_impact", 0), getattr(roadmap, "high_effort", 0)
    if not hi_y or not hi_x:
        hi_y, hi_x = thresholds(list(ys.values()), list(xs.values()))
    y_line = _threshold_line(list(ys.values()), hi_y, 1.0)
    x_line = _threshold_line(list(xs.values()), hi_x, 0.2)
    groups: dict[tuple[float, float], list] = {}
    for a in sorted(acts, key=lambda a: (-a.priority, getattr(a, "ref", "") or a.id)):
        groups.setdefault((xs[a.id], ys[a.id]), []).append(a)
    with _rc():
        fig = Figure(figsize=(WIDTH, 4.6))
        FigureCanvasAgg(fig)
        fig.subplots_adjust(left=0.085, right=0.985, bottom=0.1, top=0.9)
        ax = fig.add_subplot()
        left = min(min(xs.values()), x_line) - 0.35
        right = max(max(xs.values()), x_line) + 0.75
        top = max(max(ys.values()), y_line) * 1.12 + 1.2
        bottom = -0.9
        ax.set_xlim(left, right)
        ax.set_ylim(bottom, top)
        ax.add_patch(Rectangle((left, y_line), x_line - left, top - y_line, facecolor="#e8f0f9", linewidth=0,
                               zorder=0))
        ax.axhline(y_line, color=MUTED, linewidth=0.8, linestyle="--", zorder=1)
        ax.axvline(x_line, color=MUTED, linewidth=0.8, linestyle="--", zorder=1)
        corner = dict(fontsize=8.5, fontweight="bold", color=MUTED, zorder=2, transform=ax.transAxes)
        corners = [ax.text(0.01, 0.985, QUADRANT_LABELS[0], ha="left", va="top", **corner),
                   ax.text(0.99, 0.985, QUADRANT_LABELS[1], ha="right", va="top", **corner),
                   ax.text(0.01, 0.015, QUADRANT_LABELS[2], ha="left", va="bottom", **corner),
                   ax.text(0.99, 0.015, QUADRANT_LABELS[3], ha="right", va="bottom", **corner)]
        ax.set_xlabel(f"Effort: effort class (low 1, medium 2, high 3) refined by the gap; high from {hi_x:g}")
        ax.set_ylabel(f"Impact: gap × weight (high from {hi_y:g})")
        ax.tick_params(axis="both", labelsize=7)
        renderer = fig.canvas.get_renderer()
        to_px = ax.transData.transform
        frame = ax.get_window_extent(renderer)
        taken = [tuple(t.get_window_extent(renderer).extents) for t in corners]
        marker_r = {}
        for (x, y), members in groups.items():
            size = 26 + 16 * (len(members) - 1)
            ax.scatter([x], [y], s=min(size, 110), marker="o", color=TO_BE, edgecolors="white", linewidths=0.6,
                       zorder=4)
            r = (min(size, 110) ** 0.5) / 2 * fig.dpi / 72
            px, py = to_px((x, y))
            marker_r[(x, y)] = r
            taken.append((px - r, py - r, px + r, py + r))
        lx, ly = to_px((x_line, y_line))
        unlabelled = []
        scale = fig.dpi / 72
        for (x, y), members in sorted(groups.items(), key=lambda g: (-g[0][1], g[0][0])):
            label = _group_label([getattr(a, "ref", "") or a.id for a in members])
            probe = ax.text(0, 0, label, fontsize=6.5)
            ext = probe.get_window_extent(renderer)
            probe.remove()
            w, h = ext.width, ext.height
            px, py = to_px((x, y))
            r = marker_r[(x, y)]
            spot = None
            for d in _LABEL_DISTANCES:
                for ux, uy, ha, va in _LABEL_DIRECTIONS:
                    dx, dy = ux * (d * scale + r), uy * (d * scale + r)
                    box = _label_box(px, py, w, h, dx, dy, ha, va)
                    if not (frame.x0 + 1 <= box[0] and box[2] <= frame.x1 - 1 and frame.y0 + 1 <= box[1]
                            and box[3] <= frame.y1 - 1):
                        continue
                    if box[0] - 1 <= lx <= box[2] + 1 or box[1] - 1 <= ly <= box[3] + 1:
                        continue
                    if any(_overlaps(box, t) for t in taken):
                        continue
                    spot = (dx, dy, ha, va, box, d)
                    break
                if spot:
                    break
            if spot is None:
                unlabelled.append(label)
                continue
            dx, dy, ha, va, box, d = spot
            taken.append(box)
            far = d >= _LABEL_DISTANCES[2]
            ax.annotate(label, (x, y), xytext=(dx / scale, dy / scale), textcoords="offset points", ha=ha, va=va,
                        fontsize=6.5, color=INK, zorder=5, gid="point-label",
                        arrowprops=dict(arrowstyle="-", color=MUTED, linewidth=0.5, shrinkA=0, shrinkB=r / scale)
                        if far else None)
        handles = [Line2D([], [], linestyle="", marker="o", color=TO_BE, markersize=4.5, label="One action"),
                   Line2D([], [], linestyle="", marker="o", color=TO_BE, markersize=8,
                          label="Several actions with the same impact and effort")]
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, borderaxespad=0.2,
                  fontsize=7)
        fig.unlabelled = unlabelled
        fig.thresholds = (x_line, y_line)
        return fig


def _month_label(x: float, pos: int | None) -> str:
    d = mdates.num2date(x)
    return f"{MONTHS[d.month - 1]}\n{d.year}" if d.month == 1 or pos == 0 else MONTHS[d.month - 1]


def _pack(actions: list[Action], label_days: float) -> list[list[Action]]:
    """First-fit rows: an action shares a row with earlier ones that end (label included) before it starts."""
    rows: list[list[Action]] = []
    free_from: list[float] = []
    for a in sorted(actions, key=lambda a: (a.start, -a.priority, a.id)):
        start = a.start.toordinal()
        for k, t in enumerate(free_from):
            if start >= t:
                rows[k].append(a)
                free_from[k] = a.end.toordinal() + label_days
                break
        else:
            rows.append([a])
            free_from.append(a.end.toordinal() + label_days)
    return rows


WS_COLOURS = ("#0072b2", "#009e73", "#d55e00", "#cc79a7", "#e69f00", "#56b4e9", "#7a5195", "#8c6d31", "#4d4d4d",
              "#1b9e77")   # Okabe-Ito first, then darker tones: one per workstream lane


def gantt(plan: Roadmap, hand_off: dt.date | None = None, renewal_notice: dt.date | None = None,
          lanes_by: dict[str, str] | None = None) -> Figure:
    """One swimlane per dimension (or per workstream: ``lanes_by`` maps workstream id -> name, in lane order);
    hatched bars carry a lead time before the hand-off; a one-day step (the go / no-go gate) is a diamond."""
    import textwrap

    acts = list(plan.actions)
    lane_of = (lambda a: getattr(a, "workstream", "")) if lanes_by else (lambda a: a.dimension)
    label_of = lambda a: getattr(a, "ref", "") or a.id   # noqa: E731
    if not acts:
        return _empty("No roadmap to show", "No item has a gap, so there are no actions to schedule.")
    first = min([plan.as_of] + [a.start for a in acts]) - dt.timedelta(days=7)
    last = max([plan.as_of + dt.timedelta(days=HORIZONS[-1][2])] + [a.end for a in acts])
    markers = []
    for when, name, colour, dash in ((hand_off, "Hand-off", HAND_OFF, "--"),
                                     (renewal_notice, "Renewal notice deadline", RENEWAL, "-.")):
        if when is None:
            continue
        near = first - dt.timedelta(days=30) <= when <= last + dt.timedelta(days=90)
        if near:
            first, last = min(first, when - dt.timedelta(days=7)), max(last, when)
        markers.append((when, name, colour, dash, near))
    span = (last - first).days + 40
    axes_in = WIDTH - 1.3
    label_days = 6 * 0.62 * 6.5 / 72 * span / axes_in + 8     # an id at 6.5 pt, in days
    last = last + dt.timedelta(days=int(label_days))
    if lanes_by:
        lanes = [w for w in lanes_by if any(lane_of(a) == w for a in acts)]
        lanes += [w for w in dict.fromkeys(lane_of(a) for a in acts) if w not in lanes]
        lane_colour = {w: WS_COLOURS[k % len(WS_COLOURS)] for k, w in enumerate(lanes)}
        lane_name = {w: textwrap.fill(lanes_by.get(w, w), 20) for w in lanes}
    else:
        lanes = _dim_order(a.dimension for a in acts)
        lane_colour = {d: DIM_COLOURS.get(d, TO_BE) for d in lanes}
        lane_name = {d: _dim_name(d) for d in lanes}
    packed = {d: _pack([a for a in acts if lane_of(a) == d], label_days) for d in lanes}
    gap = 0.7
    n_rows = sum(len(r) for r in packed.values())
    height = 1.25 + 0.24 * n_rows + 0.17 * len(lanes)
    bar_h = 0.64
    with _rc():
        fig = _figure(WIDTH, height)
        ax = fig.add_subplot()
        # horizons: light shading, a dotted boundary and the name along the top
        for k, (name, lo, hi) in enumerate(HORIZONS):
            x0 = mdates.date2num(plan.as_of + dt.timedelta(days=lo))
            x1 = mdates.date2num(plan.as_of + dt.timedelta(days=hi))
            if k % 2 == 1:
                ax.axvspan(x0, x1, color=WASH, linewidth=0, zorder=0)
            if lo:
                ax.axvline(x0, color=MUTED, linewidth=0.6, linestyle=":", zorder=1)
            ax.text(x0 + 2, 1.005, name.replace("-", "–"), transform=ax.get_xaxis_transform(), ha="left",
                    va="bottom", fontsize=7, color=MUTED)
        y = 0.0
        centres, bounds = [], []
        for d in lanes:
            colour = lane_colour[d]
            top = y
            for row in packed[d]:
                for a in row:
                    x0, x1 = mdates.date2num(a.start), mdates.date2num(a.end)
                    if x1 - x0 < 1:
                        ax.scatter([x0], [y], marker="D", s=30, color=colour, edgecolors="white", linewidths=0.6,
                                   zorder=4)
                        x1 = x0 + 3
                    else:
                        ax.barh(y, x1 - x0, left=x0, height=bar_h, color=colour, edgecolor="white",
                                linewidth=0.0, hatch="////" if a.lead_time else None, zorder=3)
                    ax.text(x1 + 2, y, label_of(a), ha="left", va="center", fontsize=6.5, color=INK, zorder=6,
                            bbox=dict(facecolor="white", alpha=0.8, edgecolor="none", pad=0.4))
                y += 1
            centres.append((top + y - 1) / 2)
            bounds.append((top - gap / 2, y - 1 + gap / 2))
            y += gap
        for k, (lo, hi) in enumerate(bounds):
            if k:
                ax.axhline(lo, color=GRID, linewidth=0.8, zorder=1)
        handles = []
        lo_x, hi_x = mdates.date2num(first), mdates.date2num(last)
        for peak in getattr(plan, "peaks", ()) or ():
            x0, x1 = max(mdates.date2num(peak.start), lo_x), min(mdates.date2num(peak.end), hi_x)
            if x1 > x0:
                handles.append(ax.axvspan(x0, x1, facecolor="none", edgecolor=HAND_OFF, hatch="..", linewidth=0,
                                          alpha=0.35, zorder=1, label=f"{peak.name} (peak)"))
        for when, name, colour, dash, near in markers:
            label = f"{name} {when.day} {MONTHS[when.month - 1]} {when.year}"
            if near:
                handles.append(ax.axvline(mdates.date2num(when), color=colour, linewidth=1.3, linestyle=dash,
                                          zorder=5, label=label))
            else:
                handles.append(Line2D([], [], color=colour, linewidth=1.3, linestyle=dash,
                                      label=f"{label} (outside the chart)"))
        if any(a.lead_time for a in acts):
            handles.append(Patch(facecolor=MUTED, edgecolor="white", hatch="////", linewidth=0,
                                 label="Lead time before the hand-off"))
        ax.set_yticks(centres)
        ax.set_yticklabels([lane_name[d] for d in lanes], fontsize=7 if lanes_by else 8, fontweight="bold")
        for d, label in zip(lanes, ax.get_yticklabels()):
            label.set_color(lane_colour.get(d, INK))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_ylim(y - gap + 0.35, -0.55)
        ax.set_xlim(mdates.date2num(first), mdates.date2num(last))
        months = span / 30.4
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonthday=1, interval=1 if months <= 16 else 2 if months <= 30
                                                       else 3))
        ax.xaxis.set_major_formatter(FuncFormatter(_month_label))
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", color=GRID, linewidth=0.5)
        ax.set_axisbelow(True)
        if handles:
            chars = sum(len(h.get_label()) + 6 for h in handles)
            fig.legend(handles=handles, loc="outside lower center", ncol=len(handles) if chars <= 95 else 2)
        return fig


# --------------------------------------------------------------------------- output
_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_COMMENT = re.compile(r"\s*<!--.*?-->", re.S)
_GROUP_TAG = re.compile(r'<g(?:\s+id="[^"]*")?\s*>|<g\b[^>]*?/>|<g\b[^>]*>|</g>')
_PLAIN_GROUP = re.compile(r'<g(?:\s+id="[^"]*")?\s*>\Z')


def flatten_groups(svg: str) -> str:
    """Drop ``<g>`` wrappers that carry nothing but an id (matplotlib writes one per artist).

    They do not change a pixel, but every node costs the PDF renderer a style cascade;
    a chart loses about half its nodes. Groups with a transform, style or clip path stay.
    """
    out, stack, pos = [], [], 0
    for m in _GROUP_TAG.finditer(svg):
        tag = m.group(0)
        out.append(svg[pos:m.start()])
        pos = m.end()
        if tag == "</g>":
            if not stack.pop():
                out.append(tag)
        elif tag.endswith("/>"):
            out.append(tag)
        else:
            plain = bool(_PLAIN_GROUP.match(tag))
            stack.append(plain)
            if not plain:
                out.append(tag)
    out.append(svg[pos:])
    return "".join(out)


def _free(fig: Figure) -> None:
    """Detach every axes and artist so the figure's memory can go (there is no pyplot registry to close).

    ``fig.clear()`` would do it by resetting each axes to a fresh state first, which costs as
    much as drawing a small chart; detaching is enough for the garbage collector.
    """
    for ax in list(fig.axes):
        fig.delaxes(ax)
    for artists in (fig.texts, fig.legends, fig.lines, fig.patches, fig.images, fig.artists):
        artists.clear()


def _save(fig: Figure, buf, **kwargs) -> None:
    with _rc(), warnings.catch_warnings():
        # a glyph missing from every installed font is drawn as a box, never an error
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from", category=UserWarning)
        fig.savefig(buf, **kwargs)


def to_svg(fig: Figure, close: bool = True) -> str:
    """SVG text starting at ``<svg`` (no prolog, metadata or version comment): same figure, same bytes.

    The figure is freed afterwards unless ``close=False``.
    """
    buf = io.StringIO()
    _save(fig, buf, format="svg", metadata={"Date": None, "Creator": None})
    if close:
        _free(fig)
    svg = _PROLOG.sub("", buf.getvalue(), count=1)
    svg = _METADATA.sub("", svg, count=1)
    return flatten_groups(_COMMENT.sub("", svg))


def svg_uri(fig: Figure) -> str:
    """The figure as a ``data:`` URI of its SVG (:func:`to_svg`): what a template puts in an ``<img>``."""
    return svg_data_uri(to_svg(fig))


def svg_data_uri(svg: str) -> str:
    """An SVG string as a ``data:`` URI for an ``<img>`` (the renderer fetches nothing)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def to_png(fig: Figure, dpi: int = 200, close: bool = True) -> bytes:
    """PNG bytes (no software stamp). The figure is freed afterwards unless ``close=False``."""
    buf = io.BytesIO()
    _save(fig, buf, format="png", dpi=dpi, metadata={"Software": None})
    if close:
        _free(fig)
    return buf.getvalue()
