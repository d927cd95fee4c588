"""Charts for the sourcing options evaluation. Pure: values in, a matplotlib ``Figure`` out.

Same style, fonts and SVG rendering as the readout's charts (:mod:`assessment.report.charts`).
"""
from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..analyses.options import Evaluation, criterion_name
from .charts import GRID, INK, MUTED, WIDTH, _rc, truncate

SQ = "#8a8f98"         # the status quo: grey
ALT = "#1f5fa8"        # an alternative: blue
BEST = "#2A9D8F"       # the best alternative: teal
LOSS = "#C62828"
GAIN = "#2E7D32"
CRITERIA_SHORT = {"cost": "Cost", "quality": "Quality", "control": "Control", "customer_connection": "Connection",
                  "customer_risk": "Customer risk", "flexibility": "Flexibility", "focus": "Focus"}
CRIT_COLOURS = ("#1f5fa8", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#d55e00", "#8a8f98", "#f0e442")


def _short(v: float) -> str:
    a = abs(v)
    sign = "−" if v < 0 else ""
    if a >= 1e6:
        return f"{sign}{a / 1e6:.1f}m"
    if a >= 1e3:
        return f"{sign}{a / 1e3:.0f}k"
    return f"{sign}{a:.0f}"


def _colour(ev: Evaluation, oid: str) -> str:
    if oid == ev.status_quo.id:
        return SQ
    return BEST if oid == ev.recommendation.best else ALT


def annual_cost(ev: Evaluation, symbol: str = "") -> Figure:
    """Cost per year (run cost plus governance) per option, with the transition cost in year 0."""
    results = ev.results
    years = ev.inputs.horizon_years
    with _rc():
        fig = Figure(figsize=(WIDTH, 2.5), layout="constrained")
        ax = fig.add_subplot()
        n = len(results)
        width = 0.8 / n
        labels = ["Transition"] + [f"Year {y}" for y in range(1, years + 1)]
        for i, r in enumerate(results):
            values = [r.option.transition_cost] + [y.total for y in r.years]
            xs = [x + (i - (n - 1) / 2) * width for x in range(len(values))]
            ax.bar(xs, values, width * 0.92, color=_colour(ev, r.id), label=truncate(r.option.label, 34),
                   hatch="//" if r.option.status_quo else None, edgecolor="white", linewidth=0.5)
        ax.set_xticks(range(len(labels)), labels)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: symbol + _short(v)))
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_ylabel("Cost (undiscounted)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7.5)
        return fig


def tornado(ev: Evaluation, symbol: str = "") -> Figure:
    """NPV savings of the best alternative with each input at −20 % and +20 % (largest swing on top)."""
    swings = ev.sensitivity
    base = ev.best.savings
    with _rc():
        fig = Figure(figsize=(WIDTH, 0.55 + 0.42 * len(swings)), layout="constrained")
        ax = fig.add_subplot()
        lo = min(min(s.savings_low, s.savings_high, base) for s in swings)
        hi = max(max(s.savings_low, s.savings_high, base) for s in swings)
        span = (hi - lo) or abs(base) or 1
        for i, s in enumerate(reversed(swings)):
            for value, tag in ((s.savings_low, "−20 %"), (s.savings_high, "+20 %")):
                ax.barh(i, value - base, left=base, color=GAIN if value >= base else LOSS, height=0.6, alpha=0.85)
            # labels outside the bar: the lower value on the left, the higher on the right
            (v_lo, t_lo), (v_hi, t_hi) = sorted(((s.savings_low, "−20 %"), (s.savings_high, "+20 %")))
            ax.text(min(v_lo, base) - 0.01 * span, i, f"{t_lo}: {symbol}{_short(v_lo)}", va="center", ha="right",
                    fontsize=6.8, color=INK)
            ax.text(max(v_hi, base) + 0.01 * span, i, f"{t_hi}: {symbol}{_short(v_hi)}", va="center", ha="left",
                    fontsize=6.8, color=INK)
        ax.set_yticks(range(len(swings)), [s.name for s in reversed(swings)])
        ax.axvline(base, color=INK, linewidth=0.9)
        ax.axvline(0, color=LOSS, linewidth=0.8, linestyle="--")
        pad = span * 0.3
        ax.set_xlim(min(lo, 0) - pad, max(hi, 0) + pad)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: symbol + _short(v)))
        ax.set_xlabel(f"NPV savings against the status quo (solid line: the base case, {symbol}{_short(base)}; "
                      "dashed: no savings)")
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        return fig


def criteria(ev: Evaluation) -> Figure:
    """Each option's weighted total as a stacked bar of weight × score per criterion (out of 5)."""
    weights = ev.inputs.criteria
    total_w = sum(weights.values()) or 1
    results = ev.results
    with _rc():
        fig = Figure(figsize=(WIDTH, 0.8 + (0.45 if len(results) <= 3 else 0.32) * len(results)), layout="constrained")
        ax = fig.add_subplot()
        for i, r in enumerate(reversed(results)):
            left = 0.0
            for j, (c, w) in enumerate(weights.items()):
                part = w * r.scores[c] / total_w
                ax.barh(i, part, left=left, color=CRIT_COLOURS[j % len(CRIT_COLOURS)], height=0.6,
                        edgecolor="white", linewidth=0.6, label=CRITERIA_SHORT.get(c, criterion_name(c)) if i == 0 else None)
                left += part
            ax.text(left + 0.05, i, f"{r.weighted_total:.2f}", va="center", fontsize=8, fontweight="bold",
                    color=INK)
        sq = ev.status_quo.weighted_total
        ax.axvline(sq + ev.inputs.band, color=MUTED, linewidth=0.8, linestyle="--")
        ax.set_yticks(range(len(results)), [truncate(r.option.label, 38) for r in reversed(results)])
        ax.set_xlim(0, 5.4)
        ax.set_xlabel(f"Weighted total (out of 5); dashed: the status quo plus the {ev.inputs.band:g}-point band")
        ax.tick_params(axis="y", length=0)
        ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.28), ncol=min(7, len(weights)), fontsize=6.8,
                  handlelength=1.2, columnspacing=1.0)
        return fig
