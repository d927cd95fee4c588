"""Charts for both sides and over time: each side's view per dimension, and the trend across waves.

Drawn like :mod:`assessment.report.charts` (same style, SVG through ``charts.svg_uri``); each series has
its own marker as well as its colour, so colour is never the only cue.
"""
from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .charts import (DIM_COLOURS, DIM_MARKERS, GRID, INK, MUTED, WIDTH, _dim_name, _empty, _figure, _num, _rc,
                     truncate)

CLIENT = "#0072b2"      # Okabe-Ito blue
PROVIDER = "#d55e00"    # Okabe-Ito vermillion
CONSENSUS = INK
SIDE_STYLE = {"client": (CLIENT, "o"), "provider": (PROVIDER, "D"), "consensus": (CONSENSUS, "|")}


def side_views(dimensions, client_name: str = "Client", provider_name: str = "Provider") -> Figure:
    """Per dimension: the client's view, the provider's view and the consensus on one 0-5 line.

    ``dimensions``: objects with title, client, provider, consensus, items (perception's DimensionView).
    """
    rows = [d for d in dimensions if d.items and d.client is not None and d.provider is not None]
    if not rows:
        return _empty("Nothing to compare yet", "No item was scored by both sides and the consultants.")
    with _rc():
        n = len(rows)
        fig = _figure(WIDTH, 0.9 + 0.36 * n)
        ax = fig.add_subplot()
        for y, d in enumerate(rows):
            lo, hi = min(d.client, d.provider), max(d.client, d.provider)
            ax.plot([lo, hi], [y, y], color="#b8c2cc", linewidth=3, solid_capstyle="round", zorder=1)
            ax.scatter([d.client], [y], s=44, marker="o", color=CLIENT, edgecolors="white", linewidths=0.6, zorder=3)
            ax.scatter([d.provider], [y], s=40, marker="D", color=PROVIDER, edgecolors="white", linewidths=0.6,
                       zorder=3)
            if d.consensus is not None:
                ax.scatter([d.consensus], [y], s=160, marker="|", color=CONSENSUS, linewidths=1.8, zorder=4)
        ax.set_yticks(range(n))
        ax.set_yticklabels([d.title for d in rows])
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_xlim(-0.2, 5.2)
        ax.set_xticks(range(6))
        ax.set_xlabel("As-is (0–5): median of each side's respondents, weighted by item")
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        handles = [Line2D([], [], marker="o", linestyle="", color=CLIENT, label=truncate(client_name, 32)),
                   Line2D([], [], marker="D", linestyle="", color=PROVIDER, label=truncate(provider_name, 32)),
                   Line2D([], [], marker="|", linestyle="", markersize=10, markeredgewidth=1.8, color=CONSENSUS,
                          label="Consensus (this readout)")]
        fig.legend(handles=handles, loc="outside lower center", ncol=3)
        return fig


def trend(points, dimensions) -> Figure:
    """Each dimension's as-is at every closed wave and now (``points``: progress TrendPoints, oldest first)."""
    points = list(points)
    keys = [d.dimension for d in dimensions]
    if len(points) < 2:
        return _empty("No trend yet", "A trend needs at least one closed wave.")
    with _rc():
        fig = _figure(WIDTH, 2.5)
        ax = fig.add_subplot()
        xs = list(range(len(points)))
        for key in keys:
            ys = [p.as_is.get(key) for p in points]
            pairs = [(x, y) for x, y in zip(xs, ys) if y is not None]
            if not pairs:
                continue
            ax.plot([x for x, _ in pairs], [y for _, y in pairs], color=DIM_COLOURS.get(key, INK),
                    marker=DIM_MARKERS.get(key, "o"), markersize=5, linewidth=1.6, label=_dim_name(key))
            x, y = pairs[-1]
            ax.annotate(_num(y), (x, y), xytext=(6, 0), textcoords="offset points", va="center", fontsize=7,
                        color=DIM_COLOURS.get(key, INK))
        ax.set_xticks(xs)
        ax.set_xticklabels([p.label if p.label != "now" else "Now" for p in points])
        lows = [v for p in points for v in p.as_is.values() if v is not None]
        bottom = max(0.0, min(lows) - 0.6) if lows else 0.0
        ax.set_ylim(bottom, 5.05)
        ax.set_xlim(-0.3, len(points) - 0.55)
        ax.set_ylabel("As-is (0–5)")
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=4, borderaxespad=0.2)
        return fig


# --------------------------------------------------------------------------- what the two sections' templates get
CHANGE_LABEL = {"better": "better", "worse": "worse", "same": "no change"}
SAME_LABEL = {"green": "met both times", "amber": "within tolerance both times", "red": "missed both times"}


def _month(key: str) -> str:
    from .charts import MONTHS

    try:
        year, month = key.split("-")
        return f"{MONTHS[int(month) - 1]} {year}"
    except (ValueError, IndexError):
        return key


def perception_context(facts) -> dict:
    """The chart and the blind-spot lines of "How each side sees it"."""
    from .charts import svg_uri
    from .markup import fmt

    p = facts.perception_gaps
    if p is None:
        return {"chart": "", "blind_client": [], "blind_provider": [], "dimension_rows": []}
    client, provider = facts.client.name, facts.outsourcer.name

    def line(v) -> str:
        return f"{v.title} ({v.id}): {client} {_num(v.client)}, {provider} {_num(v.provider)}."

    return {"chart": svg_uri(side_views(p.dimensions, client, provider)) if p.both_sides else "",
            "blind_client": [line(v) for v in p.blind_spots_client],
            "blind_provider": [line(v) for v in p.blind_spots_provider],
            "dimension_rows": [[d.title, fmt(d.client), fmt(d.provider), fmt(d.consensus), str(d.items)]
                               for d in p.dimensions if d.items]}


def progress_context(facts) -> dict:
    """The table rows, trend chart and labels of "Progress since <label>"."""
    from ..rules import RAG_LABEL
    from .charts import svg_uri
    from .markup import fmt

    g = facts.progress
    if g is None:
        return {"rows": [], "trend_chart": "", "month": _month, "rag": RAG_LABEL, "change": CHANGE_LABEL,
                "same": SAME_LABEL}
    rows = [[d.title, fmt(d.then), fmt(d.now), "–" if d.change is None else f"{d.change:+.1f}", fmt(d.target)]
            for d in g.dimensions]
    rows.append(["Overall", fmt(g.overall_then), fmt(g.overall_now),
                 "–" if g.overall_then is None or g.overall_now is None
                 else f"{round(g.overall_now - g.overall_then, 1):+.1f}", fmt(g.overall_target)])
    return {"rows": rows, "trend_chart": svg_uri(trend(g.trend, g.dimensions)) if len(g.trend) >= 2 else "",
            "month": _month, "rag": RAG_LABEL, "change": CHANGE_LABEL, "same": SAME_LABEL}
