"""Native PowerPoint charts with their data embedded, drawn from the facts as they are.

Every chart is a python-pptx chart (``add_chart``) whose embedded workbook holds the very values of
the facts file, so the client can edit the data in PowerPoint. The workbook writes every text cell as
text (XlsxWriter's ``strings_to_formulas`` / ``strings_to_urls`` off): a category named
``=HYPERLINK(...)`` stays a string in Excel, never a formula or a link.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
from contextlib import contextmanager
from typing import Sequence

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Pt
from xlsxwriter import Workbook

from ..rules import RAG_LABEL, RAG_ORDER
from .fit import clean
from .look import Look, Rect

_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
EXCEL_EPOCH = dt.date(1899, 12, 30)


class _TextWorkbookWriter(CategoryWorkbookWriter):
    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class ChartData(CategoryChartData):
    """CategoryChartData whose embedded workbook writes text as text."""

    @functools.cached_property
    def _workbook_writer(self):
        return _TextWorkbookWriter(self)


def excel_date(iso: str) -> int:
    """An ISO date as an Excel serial day number (what a date axis plots)."""
    return (dt.date.fromisoformat(iso) - EXCEL_EPOCH).days


def from_excel(serial: float) -> dt.date:
    return EXCEL_EPOCH + dt.timedelta(days=int(round(serial)))


def _font(chart, look: Look, size: float = 10) -> None:
    chart.font.size = Pt(size)
    if look.run_font:
        chart.font.name = look.run_font
    look.palette.apply(chart.font.color, "ink")


def _sub(parent, tag: str, **attrs):
    el = parent.find(f"{{{_C}}}{tag}")
    if el is None:
        el = etree.SubElement(parent, f"{{{_C}}}{tag}")
    for k, v in attrs.items():
        el.set(k, v)
    return el


def _tick_skip(axis, every: int) -> None:
    """Label every n-th category (``c:tickLblSkip``; python-pptx has no property for it)."""
    ax = axis._element
    for tag in ("tickLblSkip", "tickMarkSkip"):
        old = ax.find(f"{{{_C}}}{tag}")
        if old is not None:
            ax.remove(old)
    skip = etree.SubElement(ax, f"{{{_C}}}tickLblSkip")
    skip.set("val", str(every))
    # schema order: tickLblSkip comes after lblOffset / lblAlgn; move it before noMultiLvlLbl when present
    nm = ax.find(f"{{{_C}}}noMultiLvlLbl")
    if nm is not None:
        nm.addprevious(skip)


def bars_by_dimension(slide, rect: Rect, look: Look, categories: Sequence[str], as_is: Sequence[float | None],
                      to_be: Sequence[float | None]):
    """Clustered bars, as-is against to-be, on the 0-5 scale."""
    data = ChartData()
    data.categories = [clean(c) for c in categories]
    data.add_series("As-is (today)", list(as_is), number_format="0.0")
    data.add_series("To-be (target)", list(to_be), number_format="0.0")
    gf = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, rect.left, rect.top, rect.width, rect.height, data)
    chart = gf.chart
    _font(chart, look, 12)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    va = chart.value_axis
    va.minimum_scale, va.maximum_scale, va.major_unit = 0, 5, 1
    va.has_major_gridlines = True
    look.palette.apply(va.major_gridlines.format.line.color, "rule")
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.overlap = -10
    plot.has_data_labels = True
    plot.data_labels.number_format = "0.0"
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.font.size = Pt(12)
    for series, role in zip(plot.series, ("muted", "primary")):
        series.format.fill.solid()
        look.palette.apply(series.format.fill.fore_color, role)
    return gf


def nice_bounds(values: Sequence[float | None], zero_floor: bool = True) -> tuple[float, float, float] | None:
    """Axis minimum, maximum and step around ``values`` (about four steps, a little room either side)."""
    vals = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not vals:
        return None
    lo, hi = min(vals), max(vals)
    span = hi - lo or abs(hi) * 0.2 or 1.0
    raw = span * 1.3 / 4
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    bottom = math.floor((lo - span * 0.15) / step) * step
    if zero_floor and lo >= 0 and bottom < 0:
        bottom = 0.0
    top = math.ceil((hi + span * 0.15) / step) * step
    return bottom, top, step


STATUS_SERIES = tuple((colour, RAG_LABEL[colour]) for colour in RAG_ORDER)   # the labels of record


def kpi_line(slide, rect: Rect, look: Look, months: Sequence[str], actual: Sequence[float | None],
             target: float | None, band: Sequence[float] | None, status: Sequence[str], rag: dict[str, str],
             unit: str = ""):
    """One KPI's months: the actual as a line, each month's status as a coloured marker (one marker-only
    series per status, labelled as rules.RAG_LABEL), against the target (a dashed line) or the two edges
    of its band."""
    data = ChartData()
    data.categories = [_month_label(m, short=len(months) <= 12) for m in months]
    fmt = "0.0"
    data.add_series("Actual", list(actual), number_format=fmt)
    refs = []
    if band:
        refs = [("Band low", band[0]), ("Band high", band[1])]
    elif target is not None:
        refs = [("Target", target)]
    for name, value in refs:
        data.add_series(name, [value] * len(months), number_format=fmt)
    marks = []
    for colour, name in STATUS_SERIES:
        values = [a if i < len(status) and status[i] == colour else None for i, a in enumerate(actual)]
        if any(v is not None for v in values):
            data.add_series(name, values, number_format=fmt)
            marks.append(colour)
    gf = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, rect.left, rect.top, rect.width, rect.height, data)
    chart = gf.chart
    _font(chart, look, 8)
    chart.has_legend = False
    chart.has_title = False
    ca = chart.category_axis
    ca.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    ca.has_major_gridlines = False
    if len(months) > 12:
        _tick_skip(ca, 3)
    va = chart.value_axis
    va.has_major_gridlines = True
    look.palette.apply(va.major_gridlines.format.line.color, "rule")
    va.tick_labels.font.size = Pt(8)
    bounds = nice_bounds(list(actual) + [v for _, v in refs])
    if bounds:
        va.minimum_scale, va.maximum_scale, va.major_unit = bounds
    series = list(chart.plots[0].series)
    s = series[0]
    s.smooth = False
    s.format.line.width = Pt(2)
    look.palette.apply(s.format.line.color, "primary")
    s.marker.style = XL_MARKER_STYLE.NONE
    for t in series[1:1 + len(refs)]:
        t.smooth = False
        t.marker.style = XL_MARKER_STYLE.NONE
        t.format.line.width = Pt(1.25)
        t.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        look.palette.apply(t.format.line.color, "ink")
    for t, colour in zip(series[1 + len(refs):], marks):
        t.smooth = False
        t.format.line.fill.background()
        t.marker.style = XL_MARKER_STYLE.CIRCLE
        t.marker.size = 6
        t.marker.format.fill.solid()
        look.palette.apply(t.marker.format.fill.fore_color, rag[colour])
        look.palette.apply(t.marker.format.line.color, rag[colour])
    return gf


def _month_label(month: str, short: bool = False) -> str:
    """"Nov 25", or "Nov" when the chart spans at most a year (its heading gives the years)."""
    try:
        d = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        return clean(month)
    return d.strftime("%b") if short else d.strftime("%b %y")


def hour_profile(slide, rect: Rect, look: Look, profile: Sequence[Sequence[float]], day_names: Sequence[str]):
    """Contacts by hour of day, one line per weekday (the coverage data, as in the facts)."""
    data = ChartData()
    data.categories = [f"{h:02d}" for h in range(len(profile[0]) if profile else 24)]
    for name, values in zip(day_names, profile):
        data.add_series(name, list(values), number_format="0.0")
    gf = slide.shapes.add_chart(XL_CHART_TYPE.LINE, rect.left, rect.top, rect.width, rect.height, data)
    chart = gf.chart
    _font(chart, look, 10)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    _tick_skip(chart.category_axis, 2)
    va = chart.value_axis
    va.has_major_gridlines = True
    look.palette.apply(va.major_gridlines.format.line.color, "rule")
    shades = ["primary", "primary", "primary", "primary", "primary", "accent", "accent"]
    for i, s in enumerate(chart.plots[0].series):
        s.smooth = False
        s.format.line.width = Pt(1.5 if i < 5 else 2)
        look.palette.apply(s.format.line.color, shades[i] if i < len(shades) else "muted")
        if 0 < i < 5:
            s.format.line.dash_style = MSO_LINE_DASH_STYLE.SOLID
    return gf


def gantt(slide, rect: Rect, look: Look, labels: Sequence[str], starts: Sequence[int], durations: Sequence[int],
          roles: Sequence[str], axis_min: int | None = None, axis_max: int | None = None):
    """A timeline as a stacked bar chart: an invisible bar up to each start date (Excel serial days) and a
    visible one for the duration in days; the value axis reads as dates. The first label is at the top."""
    data = ChartData()
    data.categories = [clean(x) for x in labels]
    data.add_series("Start", list(starts), number_format="d mmm yy")
    data.add_series("Days", list(durations), number_format="0")
    gf = slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED, rect.left, rect.top, rect.width, rect.height, data)
    chart = gf.chart
    _font(chart, look, 10)
    chart.has_legend = False
    chart.has_title = False
    ca = chart.category_axis
    ca.reverse_order = True
    ca.has_major_gridlines = False
    va = chart.value_axis
    if axis_min is not None:
        va.minimum_scale = axis_min
    if axis_max is not None:
        va.maximum_scale = axis_max
    va.major_unit = 30.4 * 2
    va.has_major_gridlines = True
    look.palette.apply(va.major_gridlines.format.line.color, "rule")
    va.tick_labels.number_format = "mmm yy"
    va.tick_labels.number_format_is_linked = False
    plot = chart.plots[0]
    plot.gap_width = 40
    plot.overlap = 100
    start, days = plot.series
    start.format.fill.background()
    start.format.line.fill.background()
    days.format.fill.solid()
    look.palette.apply(days.format.fill.fore_color, "primary")
    for i, role in enumerate(roles):
        if role != "primary":
            p = days.points[i]
            p.format.fill.solid()
            look.palette.apply(p.format.fill.fore_color, role)
    return gf


def amounts(slide, rect: Rect, look: Look, labels: Sequence[str], values: Sequence[float], currency: str,
            roles: Sequence[str]):
    """Money a year by figure, as horizontal bars (the business case)."""
    data = ChartData()
    data.categories = [clean(x) for x in labels]
    code = clean(currency)[:3]
    data.add_series(f"A year ({code})" if code else "A year", list(values), number_format="#,##0")
    gf = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, rect.left, rect.top, rect.width, rect.height, data)
    chart = gf.chart
    _font(chart, look, 11)
    chart.has_legend = False
    chart.has_title = False
    chart.category_axis.reverse_order = True
    va = chart.value_axis
    va.has_major_gridlines = True
    look.palette.apply(va.major_gridlines.format.line.color, "rule")
    va.tick_labels.number_format = "#,##0"
    va.tick_labels.number_format_is_linked = False
    plot = chart.plots[0]
    plot.gap_width = 50
    plot.has_data_labels = True
    plot.data_labels.number_format = "#,##0"
    plot.data_labels.number_format_is_linked = False
    s = plot.series[0]
    s.format.fill.solid()
    look.palette.apply(s.format.fill.fore_color, "primary")
    for i, role in enumerate(roles):
        if role != "primary":
            p = s.points[i]
            p.format.fill.solid()
            look.palette.apply(p.format.fill.fore_color, role)
    return gf


def chart_values(chart) -> dict[str, list]:
    """Series name -> values of a chart (for tests and checks)."""
    return {s.name: list(s.values) for plot in chart.plots for s in plot.series}


def chart_categories(chart) -> list[str]:
    return [str(c) for c in chart.plots[0].categories]
