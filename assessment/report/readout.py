"""What the readout says: one section template per notebook cell, rendered from the facts.

The notebook ``notebooks/readout.ipynb`` is a list of ``r.section(name)`` calls, each one call and
one display. Every number comes from :mod:`assessment.facts` (computed once, rounded once); every
sentence is in ``templates/readout/sections/``, autoescaped; this module only draws the charts a
section shows and hands both to its template. The wording adapts to the data (a dimension with no
gaps gets no boilerplate opportunities; an empty section says why it is empty).
"""
from __future__ import annotations

import datetime as dt

from .. import facts as facts_
from ..analyses import scoring
from ..checklist import DIMENSIONS
from ..rules import stance  # noqa: F401  (the stance rule, where callers have always found it)
from ..deck.model_map import model_map_svg
from . import charts
from .branding import Branding
from .markup import Html, render, warm
from .numbers import numbers_section

SECTIONS = [
    ("executive-summary", "Executive summary"),
    ("decisions", "The decisions"),
    ("progress", None),   # "Progress since <label>", only when a wave was closed
    ("scope-and-method", "Scope and method"),
    ("as-is-to-be", "As-is and to-be"),
    *[(f"dimension-{d}", None) for d in DIMENSIONS],
    ("perception", "How each side sees it"),
    ("numbers", "The relationship in numbers"),
    ("business-case", "The business case in money"),
    ("prioritisation", "Prioritisation"),
    ("roadmap", "Roadmap"),
    ("governance", "Governance and next steps"),
    ("business-case-appendix", "Appendix: how the business case was computed"),
    ("appendix", "Appendix: the full checklist"),
]
#: The notebook's cells, in order: ``r.section(name)`` for each.
SECTION_NAMES = ("cover", "contents", "executive_summary", "decisions", "scope_and_method", "model_overview",
                 "dimension", "numbers", "business_case", "prioritisation", "roadmap", "governance",
                 "business_case_appendix", "appendix", "perception", "progress")


def is_draft(scores) -> bool:
    """The readout is a draft (:func:`assessment.analyses.scoring.is_draft` on its completeness)."""
    return scoring.is_draft(scores.completeness)


def draft_note(scores) -> str:
    """Why the readout is a draft, in one sentence ("" when it is not)."""
    return scoring.draft_note(scores.completeness)


class Readout:
    """A client's readout: its facts, and a way to render each section of them."""

    def __init__(self, facts: facts_.Facts) -> None:
        self.facts = facts

    @classmethod
    def load(cls, engagement: str, checklist: str = "", branding: str = "", as_of: str = "",
             month: str = "") -> "Readout":
        return cls(facts_.load(engagement, checklist, branding, as_of, month))

    # ------------------------------------------------------------------ the facts, by the names callers use
    @property
    def scores(self):
        return self.facts.scores

    @property
    def client(self) -> str:
        return self.facts.client.name

    @property
    def outsourcer(self) -> str:
        return self.facts.outsourcer.name

    @property
    def as_of(self) -> dt.date:
        return self.facts.as_of

    @property
    def branding(self) -> Branding:
        b = self.facts.branding
        return Branding(b.firm, b.primary, b.accent, b.logo_data_uri)

    def glue(self) -> facts_.Glue:
        """The facts as an ``application/json`` output, for the build to read back (:func:`facts_from_notebook`)."""
        return facts_.Glue(self.facts)

    # ------------------------------------------------------------------ sections
    def section(self, name: str, key: str | None = None) -> Html:
        """One section as HTML: ``cover``, ``contents``, ``executive_summary``, ..., ``dimension`` (with ``key``)."""
        if name not in SECTION_NAMES:
            raise ValueError(f"no section {name!r}; the sections are {', '.join(SECTION_NAMES)}")
        if name == "numbers":
            return numbers_section(self.facts)
        extra = getattr(self, f"_{name}_charts", None)
        return render(f"{name}.html.j2", facts=self.facts, key=key, **(extra() if extra else {}))

    def _contents_charts(self) -> dict:
        dims = self.facts.scores.dimensions
        wave = self.facts.progress
        return {"sections": [(k, t or (f"Progress since {wave.label}" if k == "progress" else
                                       dims[k.removeprefix("dimension-")].title))
                             for k, t in SECTIONS if k != "progress" or wave is not None]}

    def _perception_charts(self) -> dict:
        from .charts_sides import perception_context

        return perception_context(self.facts)

    def _progress_charts(self) -> dict:
        from .charts_sides import progress_context

        return progress_context(self.facts)

    def _model_overview_charts(self) -> dict:
        s = self.facts.scores
        return {"operating_map": charts.svg_data_uri(model_map_svg(facts_.to_plain(self.facts))),
                "dumbbell": charts.svg_uri(charts.dumbbell(s)),
                "heat_rows": charts.heat_rows(s), "heat_columns": list(charts.HEAT_COLUMNS)}

    def _prioritisation_charts(self) -> dict:
        plan = self.facts.roadmap
        return {"chart": charts.svg_uri(charts.impact_effort(plan)) if plan.actions else ""}

    def _roadmap_charts(self) -> dict:
        plan = self.facts.roadmap
        lanes = {w.id: w.name for w in self.facts.workstreams} or None
        return {"chart": charts.svg_uri(charts.gantt(plan, hand_off=plan.hand_off, renewal_notice=plan.renewal_notice,
                                                     lanes_by=lanes))
                if plan.actions else ""}

    # the notebook's cells before sections took a name, and the tests' way in
    def cover(self) -> Html:
        return self.section("cover")

    def contents(self) -> Html:
        return self.section("contents")

    def executive_summary(self) -> Html:
        return self.section("executive_summary")

    def decisions(self) -> Html:
        return self.section("decisions")

    def business_case(self) -> Html:
        return self.section("business_case")

    def business_case_appendix(self) -> Html:
        return self.section("business_case_appendix")

    def scope_and_method(self) -> Html:
        return self.section("scope_and_method")

    def model_overview(self) -> Html:
        return self.section("model_overview")

    def dimension(self, key: str) -> Html:
        return self.section("dimension", key)

    def numbers(self) -> Html:
        return self.section("numbers")

    def prioritisation(self) -> Html:
        return self.section("prioritisation")

    def roadmap_section(self) -> Html:
        return self.section("roadmap")

    def governance(self) -> Html:
        return self.section("governance")

    def appendix(self) -> Html:
        return self.section("appendix")


warm()   # compile the section templates at import: in a build, while the kernel boots
