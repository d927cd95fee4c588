"""The monthly service review: 2-4 pages for the monthly meeting between client and provider.

``assessment scorecard PATH --month YYYY-MM`` runs ``notebooks/scorecard.ipynb``, whose cells call
:meth:`Scorecard.section`. The readout's facts (:func:`assessment.facts.load`, spoken from the review
date) give the KPIs and the contract; the month's own record (``reviews/YYYY-MM.yaml``, see
:mod:`assessment.reviews`), ``contacts.csv`` and the ``actions:`` block of the engagement file give the
rest, through the pure rules of :mod:`assessment.analyses.review`. This module is the edge that reads them.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import facts as facts_
from .. import reviews as rv
from ..analyses import business_case as bc
from ..analyses import review as ar
from ..rules import PALETTE, RENEWAL_COLOUR
from .branding import Branding
from .charts import svg_data_uri
from .markup import Html, render

PARTS = ("header", "summary", "kpis", "actions", "meeting")
SPARK_MONTHS = 6
STATE_COLOUR = {ar.DONE: "green", ar.LATE: "red", ar.AT_RISK: "amber", ar.IN_PROGRESS: "blue", ar.NOT_STARTED: "grey"}
DIVE_COLOUR = {ar.DONE: "green", ar.IN_PROGRESS: "blue", ar.NOT_STARTED: "grey", ar.BLOCKED: "red"}
#: What each renewal status asks of the monthly meeting (the status itself comes from rules.renewal_status).
MILESTONE_ASK = {
    "ok": "Time to prepare, not to relax: the evidence for the decision is built month by month in these reviews.",
    "soon": "The decision is due within three months: every review from now on tracks what must be ready.",
    "urgent": "The decision is due within a month: agree the position at this meeting.",
    "overdue": "The notice deadline has passed: the agreement runs for another term unless the contract allows "
               "otherwise; take legal advice on the options left.",
}


@dataclass(frozen=True)
class Money:
    currency: str
    fee: float
    cost: bc.Amount | None          # cost per contact answered
    credits: bc.Amount | None       # service credits due for the month
    credited: tuple[str, ...]       # KPI names with a service credit in the contract
    cost_missing: str = ""          # why there is no cost per contact, in the client's words


@dataclass(frozen=True)
class ServiceReview:
    """Everything the review of one month shows besides the readout's facts."""

    month: str
    month_name: str
    on: dt.date
    record: ar.Review | None
    kpi_data: bool                  # kpis.csv holds this month
    volume: ar.Volume | None
    contacts_file: bool
    money: Money | None
    money_missing: str
    dives: tuple[ar.Dive, ...]
    plan: ar.Progress | None
    milestone: ar.Milestone | None
    workstream_names: dict


def _volume_rows(df, coverage) -> list[tuple[dt.date, float, float, float, bool]]:
    """(local date, offered, answered, abandoned, inside the opening hours) per interval of contacts.csv."""
    from ..analyses.coverage import in_window, local_times

    d = local_times(df, coverage)
    out = []
    for ts, o, a, ab in zip(d["timestamp"], d["offered"], d["answered"], d["abandoned"]):
        is_open = in_window(coverage, ts.weekday(), ts.hour + ts.minute / 60) if coverage is not None else bool(a)
        out.append((ts.date(), float(o or 0), float(a or 0), float(ab or 0), bool(is_open)))
    return out


def _actions(eng) -> list[Any]:
    """The engagement's ``actions:`` block, read by the action plan's parser of record (the engagement has been
    validated, so every entry parses)."""
    from ..actions import parse_actions

    return parse_actions(getattr(eng, "actions", None))[0]


def _workstream_names(checklist) -> dict:
    """Workstream id -> its name in the checklist, where the checklist names its workstreams."""
    ws = getattr(checklist, "workstreams", None) or {}
    pairs = ws.items() if isinstance(ws, dict) else ((getattr(w, "id", None), w) for w in ws)
    names = {}
    for key, w in pairs:
        name = w.get("name") if isinstance(w, dict) else getattr(w, "name", None)
        if key and isinstance(name, str) and name:
            names[str(key)] = name
    return names


def short_reason(entry) -> str:
    """'18.3 points short of target (23% from target)': how far a KPI is from its target and what
    that asks, from its deep-dive reason (the KPI table beside it prints the actual and the target)."""
    m = re.search(r"\(([+-]?\d+(?:\.\d+)?)% relative\):\s*(.*)$", entry.reason or "", re.S)
    if not m:
        return entry.reason or ""
    what = m.group(2).split(";")[0].strip().rstrip(".")
    return f"{what[:1].upper()}{what[1:]} ({abs(float(m.group(1))):g}% from target)"


def _flagged_since(kpis, month: str) -> dict[str, str]:
    """KPI -> the first month of its current run beyond the deep-dive threshold (the rule of
    :func:`assessment.analyses.kpis.deep_dive`, against each month's printed series and the KPI's target)."""
    from ..analyses.kpis import deep_dive

    threshold = kpis.deep_dive_threshold / 100
    out = {}
    for s in kpis.series:
        target = tuple(s.band) if s.band else s.target
        flags = [(m, deep_dive(a, target, threshold) is not None) for m, a in zip(s.months, s.actual)]
        out[s.kpi] = ar.run_start(flags, month)
    return out


def service_review(path: Path, facts: facts_.Facts, month: str, record: ar.Review | None,
                   records: tuple[ar.Review, ...], on: dt.date, checklist: str = "") -> ServiceReview:
    from ..checklist import load_checklist
    from ..inputs import find_inputs, load_contacts
    from ..validate import load_engagement

    cl = load_checklist(checklist or None)
    eng = load_engagement(path, cl)
    kpis = facts.kpis if facts.kpis is not None and facts.kpis.month == month else None

    found = find_inputs(path.parent)
    volume = None
    if found["contacts"]:
        df, _warnings = load_contacts(found["contacts"], eng.coverage.timezone if eng.coverage else None)
        if len(df):
            volume = ar.month_volume(_volume_rows(df, eng.coverage), month)

    money, missing = None, ""
    c = eng.commercials
    if c is None or c.monthly_fee is None:
        missing = ("The monthly fee is not recorded, so the month's cost and the service credits due cannot be "
                   "stated: add the commercial terms (the monthly fee and the service credits per KPI).")
    else:
        names = {s.kpi: s.name for s in kpis.series} if kpis else {}
        months = ()
        if kpis:
            months = tuple(bc.KpiMonth(e.month, e.kpi, e.status == "red", e.actual) for e in kpis.entries)
        credits = ar.month_credits(months, c.service_credits, c.monthly_fee, month, c.currency, names) \
            if kpis else None
        live = eng.contract.hand_off_date
        before_live = live is not None and live > ar.month_bounds(month)[1]
        cost = ar.month_cost(volume, c.monthly_fee, c.currency) if volume and not before_live else None
        why = (f"The service moves to {eng.outsourcer.name} on {live.day} {live:%B %Y}: the cost per contact is "
               "stated from the first month it handles the contacts." if before_live
               else "Needs the month's contact volumes.")
        money = Money(c.currency, c.monthly_fee, cost, credits,
                      tuple(names.get(s.kpi, s.kpi) for s in c.service_credits), "" if cost else why)

    due_now = {e.kpi: short_reason(e) for e in kpis.entries if e.deep_dive} if kpis else {}
    catalogue = {s.kpi: s.name for s in (facts.kpis.series if facts.kpis else ())}
    from ..analyses.kpis import load_catalogue

    names = {k: v.name for k, v in load_catalogue().items()}
    names.update(catalogue)
    dives = ar.carry_dives(records, due_now, month, names, on, _flagged_since(kpis, month) if kpis else {})

    actions = _actions(eng)
    plan = ar.progress(actions, month) if actions else None
    r = facts.contract.renewal
    stone = ar.milestone(r.deadline, r.date, on, month, plan) if r is not None else None
    return ServiceReview(month, ar.month_name(month), on, record, kpis is not None, volume,
                         bool(found["contacts"]), money, missing, dives, plan, stone, _workstream_names(cl))


def sparkline(series, months: int = SPARK_MONTHS, upto: str = "") -> str:
    """A small trend line of a KPI's last ``months`` months up to ``upto``: dots in the status colours, the target
    dashed. Drawn from numbers only (no text from the inputs); a ``data:`` URI."""
    pts = [(m, a, s) for m, a, s in zip(series.months, series.actual, series.status) if not upto or m <= upto]
    pts = pts[-months:]
    w, h, pad = 120.0, 28.0, 4.0
    values = [a for _, a, _ in pts] + [series.target]
    if series.band:
        values += list(series.band)
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    step = (w - 2 * pad) / max(len(pts) - 1, 1)

    def y(v: float) -> float:
        return round(h - pad - (v - lo) / span * (h - 2 * pad), 2)

    points = [(round(pad + i * step, 2), y(a), PALETTE.get(st, PALETTE["grey"])) for i, (_, a, st) in enumerate(pts)]
    svg = render("review_spark.svg.j2", w=w, h=h, pad=pad, ty=y(series.target), points=points)
    return svg_data_uri(str(svg))


class ReviewGlue:
    def __init__(self, data: dict) -> None:
        self._data = data

    def _repr_json_(self):
        return self._data, {"schema": rv.SCHEMA_ID}

    def __repr__(self) -> str:
        return f"service review facts ({rv.SCHEMA_ID})"


class Scorecard:
    def __init__(self, facts: facts_.Facts, review: ServiceReview | None = None) -> None:
        self.facts = facts
        self.review = review

    @classmethod
    def load(cls, engagement: str, checklist: str = "", branding: str = "", month: str = "",
             as_of: str = "") -> "Scorecard":
        """``month``: the month reviewed (default: :func:`assessment.reviews.resolve_month`); ``as_of``: the date the review speaks
        from (default: the meeting date in ``reviews/YYYY-MM.yaml``, else the month's last day)."""
        from ..analyses.kpis import load_catalogue

        path = facts_.compute.engagement_path(engagement)
        month = rv.resolve_month(path, month)
        files = rv.load(path, month, {k: v.name for k, v in load_catalogue().items()})
        record = files.of(month)
        on = dt.date.fromisoformat(as_of) if as_of else ar.review_date(month, record.meeting if record else None)
        facts = facts_.load(path, checklist, branding, on, month)
        return cls(facts, service_review(path, facts, month, record, files.records, on, checklist))

    @property
    def branding(self) -> Branding:
        b = self.facts.branding
        return Branding(b.firm, b.primary, b.accent, b.logo_data_uri)

    @property
    def month_kpis(self):
        """The KPIs of the month reviewed (None when kpis.csv has no results for it)."""
        k = self.facts.kpis
        return k if k is not None and self.review is not None and k.month == self.review.month else None

    def sparklines(self) -> dict:
        k = self.month_kpis
        return {s.kpi: sparkline(s, upto=k.month) for s in k.series} if k else {}

    def section(self, part: str) -> Html:
        if part not in PARTS:
            raise ValueError(f"no scorecard part {part!r}; the parts are {', '.join(PARTS)}")
        return render("scorecard.html.j2", facts=self.facts, r=self.review, kpis=self.month_kpis, part=part,
                      spark=self.sparklines() if part == "kpis" else {}, state_colour=STATE_COLOUR,
                      dive_colour=DIVE_COLOUR, renewal_colour=RENEWAL_COLOUR, ask=MILESTONE_ASK,
                      states=ar.PROGRESS_STATES)

    def header(self) -> Html:
        return self.section("header")

    def facts_dict(self) -> dict:
        """The review's facts as JSON-ready data (``<slug>-service-review-YYYY-MM.json``): every number the pages
        print, with the formula and working of each amount."""
        from ..facts.serialise import to_plain

        r, f, k = self.review, self.facts, self.month_kpis
        v = r.volume
        plan = r.plan
        return to_plain({
            "schema": rv.SCHEMA_ID, "client": f.client.name, "provider": f.outsourcer.name, "month": r.month,
            "review_date": r.on, "meeting": r.record.meeting if r.record else None,
            "volume": None if v is None else {**to_plain(v), "abandoned_pct": round(v.abandoned_pct, 1),
                                               "complete": v.complete},
            "money": None if r.money is None else {"currency": r.money.currency, "monthly_fee": r.money.fee,
                                                   "cost_per_contact": r.money.cost.to_dict() if r.money.cost else None,
                                                   "cost_missing": r.money.cost_missing or None,
                                                   "service_credits": r.money.credits.to_dict() if r.money.credits
                                                   else None},
            "money_missing": r.money_missing or None,
            "kpis": [{"kpi": e.kpi, "name": e.name, "actual": e.actual_text, "target": e.target_text,
                      "status": e.label, "trend": e.trend, "months_missed": e.missed_months,
                      "months_reported": e.months_reported} for e in (k.entries if k else ())],
            "deep_dives": r.dives,
            "actions": None if plan is None else {
                "totals": plan.totals,
                "workstreams": [{"workstream": w.name, "name": r.workstream_names.get(w.name, w.name), "total": w.total,
                                 **w.counts} for w in plan.workstreams],
                "late_or_at_risk": plan.flagged()},
            "renewal_milestone": r.milestone,
            "commentary": r.record.paragraphs if r.record else [],
            "decisions": r.record.decisions if r.record else [],
        })

    def glue(self) -> "ReviewGlue":
        """The review's facts as one ``application/json`` output (a ``remove-cell`` cell; the build writes it)."""
        return ReviewGlue(self.facts_dict())

    def summary(self) -> Html:
        return self.section("summary")

    def kpis(self) -> Html:
        return self.section("kpis")

    def actions(self) -> Html:
        return self.section("actions")

    def meeting(self) -> Html:
        return self.section("meeting")
