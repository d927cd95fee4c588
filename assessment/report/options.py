"""The sourcing options report: "Should we outsource?", 3-6 pages, from options.yaml.

The notebook ``notebooks/options.ipynb`` calls :meth:`OptionsReport.load` and displays one section per
cell; :meth:`OptionsReport.glue` hands the build the ``<name>-options.json`` contents. The section
templates live in ``templates/options/sections/`` and reuse the readout's macros and CSS.
"""
from __future__ import annotations

import functools
from pathlib import Path

from .. import options as options_file
from ..analyses import options as model
from ..analyses.business_case import money as _money
from ..resources import TEMPLATES
from . import charts, charts_options
from .branding import Branding, load_branding
from .markup import Html, environment


def _signed_money(value: float, currency: str, decimals: int = 0) -> str:
    """Money with a true minus sign for a loss ("−£2,298,231"), the one form used in text and tables."""
    text = _money(value, currency, decimals)
    return "\u2212" + text[1:] if text.startswith("-") else text


SCHEMA_ID = "outsourcing-options-1"
SECTIONS = ("cover", "summary", "costs", "sensitivity", "criteria", "appendix")
_SYMBOL = {"GBP": "£", "EUR": "€", "USD": "$"}


@functools.lru_cache(maxsize=1)
def _env():
    """The readout's Jinja environment (autoescape, filters, macros) with the options sections in front."""
    import jinja2

    base = environment()
    return base.overlay(loader=jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(TEMPLATES / "options" / "sections")), base.loader]))


def render(template: str, **context) -> Html:
    return Html(_env().get_template(template).render(**context))


class Glue:
    """The options JSON as one ``application/json`` display output, read back by the build."""

    def __init__(self, data: dict) -> None:
        self._data = data

    def _repr_json_(self):
        return self._data, {"schema": SCHEMA_ID}

    def __repr__(self) -> str:
        return f"OptionsGlue(schema={SCHEMA_ID!r})"


def from_notebook(nb) -> dict | None:
    """The options JSON glued into an executed options notebook (None when absent)."""
    from ..facts.serialise import glued

    return glued(nb, SCHEMA_ID)


class OptionsReport:
    def __init__(self, file: options_file.OptionsFile, evaluation: model.Evaluation, branding: Branding,
                 warnings: list | None = None) -> None:
        self.file, self.ev, self.branding = file, evaluation, branding
        self.warnings = list(warnings or [])

    @classmethod
    def load(cls, options: str, branding: str = "") -> "OptionsReport":
        f = options_file.load(options)
        profile, warnings = options_file.profile_for(f.path) if f.interval_profile else (None, [])
        ev = model.evaluate(f.inputs, profile, f.decided, money=lambda v, d=0: _signed_money(v, f.currency, d))
        return cls(f, ev, load_branding(branding or None), f.warnings + warnings)

    # ------------------------------------------------------------------ formatting
    def money(self, value, decimals: int = 0) -> str:
        return "–" if value is None else _signed_money(float(value), self.file.currency, decimals)

    @property
    def symbol(self) -> str:
        return _SYMBOL.get(self.file.currency, self.file.currency + " ")

    # ------------------------------------------------------------------ sections
    def section(self, name: str) -> Html:
        if name not in SECTIONS:
            raise ValueError(f"no options section {name!r}; the sections are {', '.join(SECTIONS)}")
        extra = getattr(self, f"_{name}_charts", None)
        return render(f"options_{name}.html.j2", r=self, f=self.file, ev=self.ev, inp=self.ev.inputs,
                      rec=self.ev.recommendation, m=model, money=self.money, firm=self.branding.firm,
                      logo=self.branding.logo_data_uri, **(extra() if extra else {}))

    def _costs_charts(self) -> dict:
        return {"annual_chart": charts.svg_uri(charts_options.annual_cost(self.ev, self.symbol))}

    def _sensitivity_charts(self) -> dict:
        return {"tornado_chart": charts.svg_uri(charts_options.tornado(self.ev, self.symbol))}

    def _criteria_charts(self) -> dict:
        return {"criteria_chart": charts.svg_uri(charts_options.criteria(self.ev))}

    def method_text(self) -> str:
        inp = self.ev.inputs
        if self.ev.method == model.ERLANG_METHOD:
            return (f"Erlang C, interval by interval: the client's telephony data ({self.ev.profile_days:g} days) give the "
                    f"shape of demand through the day and week; each interval is staffed to answer "
                    f"{inp.sl_percent:g} % of contacts in {inp.sl_seconds:g} seconds, with the year's contacts "
                    f"spread in the same shape, and the agent hours scaled to a year (365 ÷ "
                    f"{self.ev.profile_days:g} days).")
        why = ("the client's telephony data describe another line, so they are not used here"
               if not self.file.interval_profile else "there is no interval-by-interval telephony data for this line")
        return f"occupancy: agents are paid for the handling time ÷ {inp.occupancy:.0%} occupancy ({why})."

    # ------------------------------------------------------------------ the JSON
    def to_dict(self) -> dict:
        ev, inp = self.ev, self.ev.inputs
        rec = ev.recommendation
        out = {
            "schema": SCHEMA_ID, "client": self.file.client, "question": self.file.question,
            "currency": self.file.currency, "horizon_years": inp.horizon_years, "discount_rate": inp.discount_rate,
            "method": ev.method, "decision_date": self.file.decided.isoformat(),
            "options": [{
                "id": r.id, "label": r.option.label, "status_quo": r.option.status_quo,
                "npv": round(r.npv, 2), "annual_cost": [round(y.total, 2) for y in r.years],
                "fte": [round(y.fte, 2) for y in r.years], "paid_hours": [round(y.paid_hours, 1) for y in r.years],
                "transition_cost": r.option.transition_cost,
                "savings_vs_status_quo": round(r.savings, 2), "payback_month": r.payback_month,
                "break_even_price_per_paid_hour": None if r.break_even_price is None else round(r.break_even_price, 2),
                "scores": {k: round(v, 3) for k, v in r.scores.items()},
                "weighted_total": round(r.weighted_total, 3)} for r in ev.results],
            "criteria": dict(inp.criteria),
            "sensitivity": {"option": rec.best, "swing": model.SWING, "inputs": [{
                "input": s.key, "name": s.name, "low_value": s.low_value, "high_value": s.high_value,
                "savings_low": round(s.savings_low, 2), "savings_high": round(s.savings_high, 2),
                "flips_within_swing": s.flips,
                "break_even_value": None if s.flip_value is None else round(s.flip_value, 4)} for s in ev.sensitivity]},
            "recommendation": {
                "option": rec.option, "verdict": rec.verdict, "best_alternative": rec.best,
                "margin": round(rec.margin, 3), "uncertainty_band": rec.band,
                "pessimistic_savings": round(rec.pessimistic_savings, 2), "reasons": list(rec.reasons),
                "would_change": list(rec.would_change), "end_customer_gain": inp.end_customer_gain or None},
        }
        if ev.prerequisites:
            p = ev.prerequisites
            out["recommendation"]["earliest_hand_off"] = p.earliest_hand_off.isoformat()
            out["recommendation"]["prerequisites"] = [name for name, _ in p.steps]
        return out

    def glue(self) -> Glue:
        return Glue(self.to_dict())


def write_json(data: dict, path: Path) -> Path:
    import json

    from ..fileio import atomic_write_text

    return atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
