"""Charts: pure functions from scores and roadmaps to matplotlib Figures, rendered to SVG/PNG.

Text in the SVG is drawn as paths, so the tests read the Figure's artists instead.
"""
from __future__ import annotations

from assessment.analyses import roadmap as rm

import datetime as dt
import io
import struct
import subprocess
import sys
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text

from assessment.analyses.roadmap import MAJOR_PROJECT, QUICK_WIN, THANKLESS, FILL_IN, Action, Roadmap
from assessment.analyses.scoring import (NOT_APPLICABLE, NOT_SCORED, DimensionScore, ItemScore, Scores,
                                         classify)
from assessment.report import charts

AS_OF = dt.date(2026, 11, 2)
TITLES = {"people": "People and structure", "process": "Process", "product": "Product and service",
          "technology": "Technology"}


# --------------------------------------------------------------------------- builders
def item(item_id: str, as_is: int | None, to_be: int | None, weight: float = 1.0, title: str = "",
         na: bool = False, effort: str = "low") -> ItemScore:
    dim = {"PEO": "people", "PRC": "process", "PRD": "product", "TEC": "technology"}[item_id[:3]]
    title = title or f"Title of {item_id}"
    if na:
        return ItemScore(item_id, dim, title, weight, effort, None, None, None, None, NOT_APPLICABLE)
    if as_is is None or to_be is None:
        return ItemScore(item_id, dim, title, weight, effort, as_is, to_be, None, None, NOT_SCORED)
    gap = to_be - as_is
    return ItemScore(item_id, dim, title, weight, effort, as_is, to_be, gap, max(gap, 0) * weight,
                     classify(as_is, to_be))


def dimension(key: str, as_is: float | None, to_be: float | None, title: str = "") -> DimensionScore:
    gap = None if as_is is None or to_be is None else to_be - as_is
    return DimensionScore(key, title or TITLES[key], as_is, to_be, gap, 3, 3, 0)


def make_scores(items: list[ItemScore] | None = None, dims: dict | None = None) -> Scores:
    items = items if items is not None else [
        item("PEO-01", 1, 4, 2), item("PEO-02", 2, 3), item("PEO-03", None, None, na=True),
        item("PRC-01", 3, 3), item("PRC-02", 0, 5, 1.5), item("PRD-01", 2, None),
        item("TEC-01", 4, 3), item("TEC-02", 1, 3, 3),
    ]
    dims = dims if dims is not None else {
        "people": dimension("people", 1.5, 3.5), "process": dimension("process", 1.5, 4.0),
        "product": dimension("product", 2.0, 2.0), "technology": dimension("technology", 2.5, 3.0)}
    return Scores({"as_is": 1.9, "to_be": 3.1, "gap": 1.2}, dims, items)


def action(item_id: str, start: int, days: int, priority: float = 6.0, effort: str = "low", quadrant: str = QUICK_WIN,
           lead_time: str | None = None, title: str = "") -> Action:
    dim = {"PEO": "people", "PRC": "process", "PRD": "product", "TEC": "technology"}[item_id[:3]]
    begin = AS_OF + dt.timedelta(days=start)
    return Action(item_id, title or f"Title of {item_id}", dim, priority, effort, quadrant, "0-90 days", begin,
                  begin + dt.timedelta(days=days), lead_time=lead_time)


def make_roadmap(actions: list[Action] | None = None) -> Roadmap:
    actions = actions if actions is not None else [
        action("PEO-01", 0, 30, 8.0, "low", QUICK_WIN),
        action("PEO-02", 0, 60, 4.0, "medium", QUICK_WIN),
        action("TEC-01", 0, 75, 9.0, "high", MAJOR_PROJECT, lead_time="telecom"),
        action("TEC-02", 90, 60, 2.0, "medium", FILL_IN),
        action("TEC-03", 182, 120, 3.0, "high", THANKLESS),
    ]
    return Roadmap(AS_OF, actions)


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def ytick_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


BUILDERS = {
    "radar": lambda: charts.radar(make_scores()),
    "dumbbell": lambda: charts.dumbbell(make_scores()),
    "heatmap": lambda: charts.heatmap(make_scores()),
    "impact_effort": lambda: charts.impact_effort(make_roadmap()),
    "gantt": lambda: charts.gantt(make_roadmap(), hand_off=AS_OF + dt.timedelta(days=70),
                                  renewal_notice=AS_OF + dt.timedelta(days=200)),
}


# --------------------------------------------------------------------------- output
@pytest.mark.parametrize("name", list(BUILDERS))
def test_svg_is_bare_and_deterministic(name):
    first, second = charts.to_svg(BUILDERS[name]()), charts.to_svg(BUILDERS[name]())
    assert first.startswith("<svg")
    assert first.rstrip().endswith("</svg>")
    for stamp in ("<?xml", "<!DOCTYPE", "<metadata", "<!--", "Matplotlib v", "dc:date"):
        assert stamp not in first, stamp
    assert first == second


@pytest.mark.parametrize("name", list(BUILDERS))
def test_figures_fit_the_text_column_and_a_page(name):
    width, height = BUILDERS[name]().get_size_inches()
    assert width <= 6.7 and height <= 9.5


def test_flatten_groups_drops_only_id_groups_and_keeps_every_shape():
    import xml.etree.ElementTree as ET

    raw = ('<svg xmlns="http://www.w3.org/2000/svg"><g id="figure_1"><g id="patch_1"><path d="M 0 0"/></g>'
           '<g clip-path="url(#c)"><g><use x="1"/></g><text>7</text></g><g transform="translate(1 2)"/></g></svg>')
    flat = charts.flatten_groups(raw)
    assert flat == ('<svg xmlns="http://www.w3.org/2000/svg"><path d="M 0 0"/><g clip-path="url(#c)"><use x="1"/>'
                    '<text>7</text></g><g transform="translate(1 2)"/></svg>')
    fig = charts.radar(make_scores())
    buf = io.StringIO()
    with charts._rc():
        fig.savefig(buf, format="svg")
    before = ET.fromstring(buf.getvalue()[buf.getvalue().index("<svg"):])
    after = ET.fromstring(charts.to_svg(fig))
    svg_ns = "{http://www.w3.org/2000/svg}"
    shapes = lambda root: [e.tag for e in root.iter()  # noqa: E731  (the metadata block is dropped on purpose)
                           if e.tag.startswith(svg_ns) and e.tag[len(svg_ns):] not in ("g", "metadata")]
    assert shapes(before) == shapes(after)
    assert sum(1 for _ in after.iter()) < 0.7 * sum(1 for _ in before.iter())


def test_to_svg_frees_the_figure_unless_asked_not_to():
    fig = charts.heatmap(make_scores())
    charts.to_svg(fig, close=False)
    assert fig.axes
    charts.to_svg(fig)
    assert fig.axes == []


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_bytes_scale_with_dpi_and_repeat():
    small = charts.to_png(charts.radar(make_scores()), dpi=50)
    large = charts.to_png(charts.radar(make_scores()), dpi=100)
    assert png_size(large)[0] == pytest.approx(2 * png_size(small)[0], abs=2)
    assert charts.to_png(charts.radar(make_scores()), dpi=50) == small
    assert b"Software" not in small


def test_global_rcparams_are_left_alone():
    before = dict(matplotlib.rcParams)
    for build in BUILDERS.values():
        charts.to_svg(build())
    charts.to_png(charts.radar(make_scores()), dpi=30)
    assert dict(matplotlib.rcParams) == before


def test_charts_never_import_pyplot():
    code = ("import sys, datetime as dt\n"
            "from assessment.report import charts\n"
            "from tests.test_charts import BUILDERS\n"
            "[charts.to_svg(b()) for b in BUILDERS.values()]\n"
            "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def test_non_ascii_labels_render_without_errors_or_warnings():
    titles = ["Qualité du service à la clientèle", "Überprüfung der Schnittstellen", "日本語のトレーニング計画"]
    items = [item("PEO-01", 1, 4, title=titles[0]), item("PRC-01", 0, 3, title=titles[1]),
             item("TEC-01", 2, 5, title=titles[2])]
    dims = {"people": dimension("people", 1.0, 4.0, "Personnes & équipe"),
            "process": dimension("process", 0.0, 3.0, "Prozesse"),
            "technology": dimension("technology", 2.0, 5.0, "技術")}
    plan = make_roadmap([action("PEO-01", 0, 30, title=titles[0]), action("TEC-01", 10, 40, title=titles[2])])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = make_scores(items, dims)
        figs = [charts.radar(scores), charts.dumbbell(scores), charts.heatmap(scores), charts.impact_effort(plan),
                charts.gantt(plan)]
        heat = figs[2]
        assert any(t.startswith("TEC-01  日本語") for t in ytick_texts(heat.axes[0]))
        for fig in figs:
            assert charts.to_svg(fig).startswith("<svg")
        assert charts.to_png(charts.heatmap(scores), dpi=40)[:4] == b"\x89PNG"


# --------------------------------------------------------------------------- radar
def test_radar_draws_as_is_inside_to_be_with_a_legend():
    fig = charts.radar(make_scores())
    ax = fig.axes[0]
    lines = {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
    assert lines["As-is"] == [1.5, 1.5, 2.0, 2.5, 1.5]    # closed polygon, checklist order
    assert lines["To-be"] == [3.5, 4.0, 2.0, 3.0, 3.5]
    assert ax.get_ylim() == (0, 5)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["To-be", "As-is"]
    assert "People and structure\n1.5 → 3.5" in texts(fig)


def test_radar_marks_an_unscored_dimension_instead_of_crashing():
    dims = {"people": dimension("people", 2.0, 4.0), "process": dimension("process", None, None),
            "product": dimension("product", 1.0, 2.0), "technology": dimension("technology", 3.0, 3.0)}
    fig = charts.radar(make_scores(dims=dims))
    found = texts(fig)
    assert "Process\nnot scored" in found
    assert any(t.startswith("Not scored, drawn at 0: Process") for t in found)
    assert charts.to_svg(fig).startswith("<svg")


# --------------------------------------------------------------------------- dumbbell
def test_dumbbell_shows_the_highest_priorities_first():
    items = [item("PEO-01", 1, 2), item("PEO-02", 0, 5, 2), item("PRC-01", 1, 4), item("PRC-02", 2, 4, 3),
             item("TEC-01", 3, 3), item("TEC-02", 1, 3, title="A title that is far too long to fit in one row of "
                                                               "the chart, so it is cut")]
    fig = charts.dumbbell(make_scores(items), limit=3)
    labels = ytick_texts(fig.axes[0])
    assert len(labels) == 3
    assert [label.split()[0] for label in labels] == ["PEO-02", "PRC-02", "PRC-01"]  # priorities 10, 6, 3
    full = ytick_texts(charts.dumbbell(make_scores(items)).axes[0])
    assert len(full) == 5 and not any(label.startswith("TEC-01") for label in full)   # TEC-01 has no gap
    long = next(label for label in full if label.startswith("TEC-02"))
    assert long.endswith("…") and len(long) <= len("TEC-02  ") + 45


@pytest.mark.parametrize("items", [[], [item("PEO-01", 3, 3), item("PRC-01", 4, 2), item("PRD-01", None, None,
                                                                                         na=True)]])
def test_dumbbell_without_gaps_says_so(items):
    fig = charts.dumbbell(make_scores(items))
    assert "No gaps to show" in texts(fig)
    assert fig.get_size_inches()[1] < 1.5
    assert charts.to_svg(fig).startswith("<svg")


# --------------------------------------------------------------------------- heatmap
def test_heatmap_prints_every_number_and_marks_missing_ones():
    fig = charts.heatmap(make_scores())
    cells = [t.get_text() for t in fig.axes[0].texts]
    assert len(cells) == 3 * 8
    assert "n/a" in cells and "2" in cells and "–" in cells
    assert "+3" in cells and "-1" in cells and "0" in cells        # gaps are signed; no gap is plain 0
    # PEO-03 is n/a in all three columns; PRD-01 has an as-is and no to-be
    assert cells.count("n/a") == 3
    assert cells.count("–") == 2


def test_heatmap_groups_items_by_dimension_in_checklist_order():
    items = [item("TEC-01", 1, 2), item("PEO-02", 1, 2), item("PRC-01", 1, 2), item("PEO-01", 1, 2)]
    labels = ytick_texts(charts.heatmap(make_scores(items)).axes[0])
    assert labels == ["People and structure", "PEO-02  Title of PEO-02", "PEO-01  Title of PEO-01", "Process",
                      "PRC-01  Title of PRC-01", "Technology", "TEC-01  Title of TEC-01"]


def test_heatmap_with_many_rows_fits_a_page_with_smaller_text():
    few = charts.heatmap(make_scores())
    many_items = [item(f"{p}-{k:02d}", k % 6, 5, title="A realistic checklist title of some length")
                  for p in ("PEO", "PRC", "PRD", "TEC") for k in range(1, 16)]
    many = charts.heatmap(make_scores(many_items))
    assert 9.0 <= many.get_size_inches()[1] <= 9.5
    assert few.get_size_inches()[1] < many.get_size_inches()[1]
    assert many.axes[0].texts[0].get_fontsize() < few.axes[0].texts[0].get_fontsize()
    assert len(many.axes[0].texts) == 3 * 60


def test_heatmap_without_items_says_so():
    assert "No items to show." in texts(charts.heatmap(make_scores([])))


# --------------------------------------------------------------------------- impact / effort
def points(fig) -> dict[str, tuple[float, float]]:
    return {t.get_text(): t.xy for t in fig.axes[0].texts if isinstance(t, Annotation)}


def dividers(fig) -> tuple[float, float]:
    """(x of the effort divider, y of the impact divider)."""
    xs, ys = set(), set()
    for line in fig.axes[0].get_lines():
        x, y = list(line.get_xdata()), list(line.get_ydata())
        if x[0] == x[-1]:
            xs.add(float(x[0]))
        if y[0] == y[-1]:
            ys.add(float(y[0]))
    assert len(xs) == 1 and len(ys) == 1
    return xs.pop(), ys.pop()


def test_impact_effort_places_every_action_at_its_true_values_on_the_right_side_of_the_lines():
    plan = make_roadmap()
    fig = charts.impact_effort(plan)
    found = texts(fig)
    for label in ("Quick wins", "Major projects", "Fill-ins", "Thankless tasks"):
        assert label in found
    x_split, y_split = dividers(fig)
    high_impact, high_effort = rm.thresholds([a.priority for a in plan.actions],
                                             [rm.effort_score(a.effort, 1) for a in plan.actions])
    where = points(fig)
    assert set(where) == {a.id for a in plan.actions}          # one action per point here: each labelled by its id
    for a in plan.actions:
        x, y = where[a.id]
        assert (x, y) == (rm.effort_score(a.effort, 1), a.priority), a.id      # true values, no jitter
        assert (x > x_split) == (x >= high_effort) and (y > y_split) == (y >= high_impact), a.id
        assert x != x_split and y != y_split


def test_impact_effort_shares_a_point_between_actions_with_the_same_values():
    crowd = [action(f"PRC-{k:02d}", 0, 30, 4.0, "medium", QUICK_WIN) for k in range(1, 8)]
    crowd += [action(f"PEO-{k:02d}", 0, 30, 2.0, "low", FILL_IN) for k in range(1, 7)]
    fig = charts.impact_effort(make_roadmap(crowd))
    labels = points(fig)
    assert sorted(labels) == ["PEO-01, PEO-02 +4", "PRC-01, PRC-02 +5"]
    assert labels == points(charts.impact_effort(make_roadmap(crowd)))      # the same every time


def test_impact_effort_without_actions_says_so():
    fig = charts.impact_effort(make_roadmap([]))
    assert "No actions to prioritise" in texts(fig)


# --------------------------------------------------------------------------- gantt
def legend_texts(fig) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def test_gantt_has_one_swimlane_per_dimension_with_actions():
    plan = make_roadmap([action("TEC-01", 0, 60), action("PEO-01", 30, 30), action("TEC-02", 10, 30),
                         action("PEO-02", 90, 60, lead_time="hiring")])
    fig = charts.gantt(plan)
    ax = fig.axes[0]
    assert ytick_texts(ax) == ["People", "Technology"]
    bars = [bar for container in ax.containers for bar in container]
    assert len(bars) == 4
    assert sum(1 for p in bars if p.get_hatch()) == 1                # the lead-time action
    assert {t.get_text() for t in ax.texts} >= {"TEC-01", "PEO-01", "TEC-02", "PEO-02", "0–90 days", "3–6 months"}
    assert not any(line.get_label().startswith("Hand-off") for line in ax.get_lines())


def test_gantt_marks_the_hand_off_and_the_renewal_notice_deadline():
    fig = charts.gantt(make_roadmap(), hand_off=dt.date(2027, 1, 15), renewal_notice=dt.date(2026, 12, 15))
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert "Hand-off 15 Jan 2027" in lines
    assert "Renewal notice deadline 15 Dec 2026" in lines
    assert lines["Hand-off 15 Jan 2027"].get_linestyle() == "--"
    assert "Lead time before the hand-off" in legend_texts(fig)


def test_gantt_names_a_far_away_date_without_stretching_the_chart():
    fig = charts.gantt(make_roadmap(), renewal_notice=dt.date(2030, 6, 1))
    assert not any(line.get_label().startswith("Renewal") for line in fig.axes[0].get_lines())
    assert "Renewal notice deadline 1 Jun 2030 (outside the chart)" in legend_texts(fig)
    right = matplotlib.dates.num2date(fig.axes[0].get_xlim()[1]).date()
    assert right < dt.date(2028, 6, 1)


def test_gantt_dates_are_month_abbreviations():
    fig = charts.gantt(make_roadmap())
    fig.draw_without_rendering()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert labels and all(label.split("\n")[0] in charts.MONTHS for label in labels)
    assert labels[0] == "Nov\n2026" and "Jan\n2027" in labels


def test_gantt_without_actions_says_so():
    assert "No roadmap to show" in texts(charts.gantt(make_roadmap([]), hand_off=AS_OF))
