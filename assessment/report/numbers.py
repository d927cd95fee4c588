"""The relationship in numbers, drawn and rendered from the facts: the KPI scorecard, coverage hours,
contract dates and SLA alignment (``sections/numbers.html.j2`` and ``numbers_macros.html.j2``).

The analyses run once, in :mod:`assessment.facts`; the readout's numbers section and the monthly
scorecard render the same facts with the same macros. :func:`collect` is re-exported from there.
"""
from __future__ import annotations

import functools

from ..facts.numbers import Numbers, collect  # noqa: F401  (where it always was, for callers)
from . import numbers_charts as nc
from .charts import svg_uri
from .markup import Html, render


class Charts:
    """The numbers' charts as ``data:`` URIs, each drawn only when a template asks for it."""

    def __init__(self, facts) -> None:
        self.facts = facts

    @functools.cached_property
    def kpis(self) -> str:
        series = {s.name: {"months": list(s.months), "actual": list(s.actual), "target": s.target, "band": s.band,
                           "status": list(s.status), "unit": s.unit, "label": s.last_text}
                  for s in self.facts.kpis.series}
        return svg_uri(nc.kpi_trends(series))

    @functools.cached_property
    def coverage(self) -> str:
        c = self.facts.coverage
        return svg_uri(nc.coverage_profile([list(row) for row in c.profile], list(c.windows)))

    @functools.cached_property
    def timeline(self) -> str:
        return svg_uri(nc.timeline([(m.date, m.label, m.kind) for m in self.facts.contract.milestones],
                                   self.facts.as_of))


def numbers_section(facts) -> Html:
    """The readout's section "The relationship in numbers"."""
    return render("numbers.html.j2", facts=facts, charts=Charts(facts))
