"""The relationship in numbers: KPI scorecard, coverage hours, contract dates, SLA alignment."""
from __future__ import annotations

from .markup import esc


def numbers_section(r) -> str:
    return "<p class='empty'>" + esc("The relationship's numbers are not analysed yet.") + "</p>"
