"""The monthly governance scorecard: 2-4 pages for the monthly service review.

Same engagement file, same facts, same templates and macros as the readout's numbers section
(``sections/scorecard.html.j2`` uses ``numbers_macros.html.j2``); only the sections differ.
"""
from __future__ import annotations

import datetime as dt

from .. import facts as facts_
from .branding import Branding
from .markup import Html, render
from .numbers import Charts

PARTS = ("header", "summary", "kpis", "coverage", "contract")


class Scorecard:
    def __init__(self, facts: facts_.Facts) -> None:
        self.facts = facts
        self._charts = Charts(facts)

    @classmethod
    def load(cls, engagement: str, checklist: str = "", branding: str = "", month: str = "",
             as_of: str = "") -> "Scorecard":
        """``as_of``: the date the scorecard speaks from (default: today)."""
        return cls(facts_.load(engagement, checklist, branding, as_of or dt.date.today(), month))

    @property
    def branding(self) -> Branding:
        b = self.facts.branding
        return Branding(b.firm, b.primary, b.accent, b.logo_data_uri)

    def section(self, part: str) -> Html:
        if part not in PARTS:
            raise ValueError(f"no scorecard part {part!r}; the parts are {', '.join(PARTS)}")
        return render("scorecard.html.j2", facts=self.facts, charts=self._charts, part=part)

    def header(self) -> Html:
        return self.section("header")

    def summary(self) -> Html:
        return self.section("summary")

    def kpis(self) -> Html:
        return self.section("kpis")

    def coverage(self) -> Html:
        return self.section("coverage")

    def contract(self) -> Html:
        return self.section("contract")
