"""The relationship in numbers, as facts: the KPI scorecard, the hours of coverage, the SLAs, and what
they say about the checklist (through each item's ``kpi_links``).

:func:`collect` runs the analyses on the CSVs beside the engagement file; the ``*_facts``
functions round what they print once and return frozen facts.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analyses import coverage as cov
from ..analyses import kpis as kp
from ..analyses import slas as sl
from ..inputs import find_inputs, load_contacts, load_kpis
from ..rules import (DEEP_DIVE_LABEL, LINK_COVERAGE, LINK_KPI_MAX_SCORE, LINK_MISSED_KPIS, LINK_NAMES, LINK_SCORECARD,
                     LINK_SLAS, RAG_ORDER, SLA_COLOUR, TREND_LABEL, percent, round_toward)
from . import types as t

STAFFING_TARGET = 0.80   # Erlang C staffing: 80 % of contacts answered ...
STAFFING_ANSWER_S = 20   # ... within 20 seconds


@dataclass
class Numbers:
    """What the analyses return for the numbers section (before rounding for print)."""

    scorecard: kp.Scorecard | None = None
    month: str | None = None
    coverage: cov.CoverageFacts | None = None
    busiest: list = field(default_factory=list)
    slas: list[sl.Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    to_collect: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    contacts: Any = None              # the contacts.csv frame (local times), for the business case
    catalogue: dict = field(default_factory=dict)
    redial_factor: float = cov.REDIAL_FACTOR


def redial_factor(coverage, warnings: list[str]) -> float:
    """``coverage.redial_factor`` from the engagement file (attempts per customer while closed), or the default.
    A value that is not a number from 1 to 5 is reported as a warning and the default is used."""
    raw = getattr(coverage, "redial_factor", None) if coverage is not None else None
    if raw is None:
        return cov.REDIAL_FACTOR
    lo, hi = cov.REDIAL_RANGE
    ok = isinstance(raw, (int, float)) and not isinstance(raw, bool) and lo <= float(raw) <= hi
    if not ok:
        warnings.append(f"coverage.redial_factor: expected a number from {lo:g} to {hi:g} (attempts per customer), "
                        f"found {raw!r}; {cov.REDIAL_FACTOR:g} is used.")
        return cov.REDIAL_FACTOR
    return float(raw)


def unique_callers(path: Path, rows: int, warnings: list[str]) -> list[float | None] | None:
    """The optional ``unique_callers`` column of contacts.csv, row by row (None when the file has none).

    Rows are read the way :func:`assessment.inputs.load_contacts` reads them (same order, blank lines skipped),
    so they line up with its frame; a column that does not is left out, with a warning."""
    from ..inputs import _read

    found, _ = _read(path, ("timestamp",))
    if not found or cov.CALLERS_COLUMN not in found[0][1]:
        return None
    out: list[float | None] = []
    for line, r in found:
        text = r.get(cov.CALLERS_COLUMN, "").strip()
        if not text:
            out.append(None)
            continue
        try:
            v = float(text)
        except ValueError:
            v = -1.0
        if not (0 <= v < 1e7):
            warnings.append(f"contacts.csv line {line}: {cov.CALLERS_COLUMN} expected a count of callers, found "
                            f"{text!r}; the column is not used.")
            return None
        out.append(v)
    if len(out) != rows or all(v is None for v in out):
        return None
    return out


_VOLUMES = ("Four weeks of contact volumes by half-hour from the telephony platform (offered, answered, abandoned "
            "and handle time, with distinct callers if it can count them): they show whether the opening hours fit "
            "demand and how many agents each hour needs.")


def collect(path: Path, engagement, as_of: dt.date, month: str = "", catalogue: str | None = None) -> Numbers:
    """Read kpis.csv / contacts.csv beside ``path`` (if present) and run every analysis. Raises InvalidInput."""
    n = Numbers()
    found = find_inputs(Path(path).parent)
    cat = kp.load_catalogue(catalogue)
    n.catalogue = cat
    who, when = engagement.outsourcer.name, engagement.contract.hand_off_date
    live = f" from go-live on {when.day} {when:%B %Y}" if when and when > as_of else ""
    if found["kpis"]:
        rows, warnings = load_kpis(found["kpis"], cat, as_of=as_of)
        n.files["kpis"] = found["kpis"]
        n.warnings += [str(w) for w in warnings]
        n.scorecard = kp.scorecard(rows, cat, engagement.scorecard.deep_dive_threshold)
        months = n.scorecard.months()
        default = n.scorecard.default_month(as_of)
        n.month = month if month in months else (default or "")
        if month and month not in months and default:
            n.warnings.append(f"kpis.csv has no data for {month}; showing {n.month} instead.")
        if not n.month:
            n.scorecard = None
            n.skipped.append(f"KPI scorecard: kpis.csv has no month up to {as_of.strftime('%B %Y')}, the date this "
                             "readout speaks from; every month it holds is later.")
            n.to_collect.append(f"Monthly KPI results up to {as_of.strftime('%B %Y')}: the results received so far all "
                                "fall after the date of this readout, so none can be judged yet.")
    else:
        n.skipped.append("KPI scorecard: there is no kpis.csv beside the engagement file "
                         "(columns month, kpi, actual, target, optional tolerance).")
        n.to_collect.append(f"Monthly KPI results from {who}{live}: service level, speed of answer, abandonment, "
                            "first-contact resolution, satisfaction, handle time, occupancy, attrition and forecast "
                            "accuracy, each against its target. Without them the monthly review has no baseline, no "
                            "service credit can be counted and over- or under-staffing cannot be priced; until then, "
                            "today's own results are the baseline to hold the new service to.")
    if found["contacts"] and engagement.coverage is not None:
        df, warnings = load_contacts(found["contacts"], timezone=engagement.coverage.timezone)
        n.files["contacts"] = found["contacts"]
        n.warnings += [str(w) for w in warnings]
        n.redial_factor = redial_factor(engagement.coverage, n.warnings)
        callers = unique_callers(found["contacts"], len(df), n.warnings) if len(df) else None
        if callers is not None:
            df[cov.CALLERS_COLUMN] = [float("nan") if v is None else v for v in callers]
        n.contacts = df
        if len(df):
            n.coverage = cov.analyse(df, engagement.coverage)
            n.busiest = cov.busiest_intervals(df, 3, t_s=STAFFING_ANSWER_S, target_sl=STAFFING_TARGET)
        else:
            n.skipped.append("Hours of coverage: contacts.csv has no rows.")
            n.to_collect.append(_VOLUMES)
    elif not found["contacts"]:
        n.skipped.append("Hours of coverage: there is no contacts.csv (interval volumes exported from the ACD).")
        n.to_collect.append(_VOLUMES)
    else:
        n.skipped.append("Hours of coverage: the engagement file has no coverage block (opening hours per weekday).")
        n.to_collect.append("The opening hours of the service for each day of the week, to set the contact volumes "
                            "against them.")
    if engagement.slas.business:
        n.slas = sl.align(engagement.slas)
    else:
        n.skipped.append("SLA alignment: the engagement file lists no business SLAs (slas.business).")
        n.to_collect.append("The business service levels customers are promised (for example registrations or "
                            "payments a day) and the IT service levels behind each, to check that IT can carry "
                            "them.")
    return n


# --------------------------------------------------------------------------- the KPI scorecard
def kpi_facts(n: Numbers, threshold: float) -> t.Kpis | None:
    sc, m = n.scorecard, n.month
    if sc is None or not m:
        return None
    entries = []
    for e in sc.for_month(m):
        trend = sc.trend(e.kpi, m)
        entries.append(t.KpiEntry(e.kpi, e.name, e.unit, e.month, e.printed, e.actual_text, e.target_text, e.status,
                                  e.label, e.status, trend, TREND_LABEL[trend], sc.missed_months(e.kpi),
                                  len(sc.history(e.kpi)), e.deep_dive, DEEP_DIVE_LABEL.get(e.deep_dive, "–"),
                                  e.reason))
    series = []
    for key in sc.kpis():
        h = sc.history(key)
        if not h:
            continue
        target = h[-1].target
        series.append(t.KpiSeries(key, h[-1].name, h[-1].unit.strip() if h[-1].unit != "%" else "%",
                                  tuple(e.month for e in h), tuple(e.actual for e in h), tuple(e.status for e in h),
                                  sum(target) / 2 if isinstance(target, tuple) else target,
                                  target if isinstance(target, tuple) else None, h[-1].actual_text))
    counts = {s: sum(1 for e in entries if e.status == s) for s in RAG_ORDER}
    return t.Kpis(m, tuple(sc.months()), percent(threshold, 1), tuple(entries),
                  tuple(e.reason for e in sc.dives(m)), t.frozen_map(counts), tuple(series))


# --------------------------------------------------------------------------- the hours of coverage
def _hhmm(h: float) -> str:
    return f"{int(h):02d}:{int(round((h % 1) * 60)):02d}"


def _window(w) -> str:
    return "closed" if not w else f"{_hhmm(w[0])}–{_hhmm(w[1])}"


def _case_for(cases, label: str):
    return next((c for c in cases if c.change.label == label), None)


def coverage_recommendations(c: cov.CoverageFacts, cases=(), redial: float | None = cov.REDIAL_FACTOR
                             ) -> tuple[str, ...]:
    """Each change of hours the volumes suggest, on one denominator (the shares of one group of days), with its
    price when the business case has one (``cases``: :class:`assessment.facts.types.HoursCase`)."""
    out = []
    groups = {g.label: g for g in c.groups}
    months = c.months

    def customers(attempts: float, g) -> str:
        if g is not None and g.callers_off_hours is not None:
            return ""
        return f", about {attempts / months / (redial or 1):,.0f} customers" if redial and redial != 1 else ""

    for e in c.edges:
        days = e.days
        g = groups.get(days)
        hours = f"{_hhmm(e.hour)} to {_hhmm(e.hour - 1 if (e.side == 'opening') == (e.share >= cov.EXTEND_SHARE) else e.hour + 1)}"
        if e.share >= cov.EXTEND_SHARE:
            pct = percent(e.share, 1, [cov.EXTEND_SHARE])
            where = "before opening" if e.side == "opening" else "after closing"
            text = (f"Extend {days} {e.side} from {hours}: {pct:.1f}% of the {days} attempts "
                    f"({e.contacts_per_month:,.0f} a month{customers(e.contacts_per_month * months, g)}) arrive in the "
                    f"hour {where}.")
            label = f"{days} {e.side} {_hhmm(e.hour)} → {_hhmm(e.hour - 1 if e.side == 'opening' else e.hour + 1)}"
        else:
            pct = percent(e.share, 1, [cov.TRIM_SHARE])
            which = "first" if e.side == "opening" else "last"
            text = (f"Trim {days} {e.side} from {hours}: the {which} hour carries only {pct:.1f}% of the {days} "
                    f"in-window volume ({e.contacts_per_month:,.0f} contacts a month).")
            label = f"{days} {e.side} {_hhmm(e.hour)} → {_hhmm(e.hour + 1 if e.side == 'opening' else e.hour - 1)}"
        case = _case_for(cases, label)
        if case is not None:
            text += " " + case.sentence
        out.append(text)
    for g in c.closed_candidates():
        w = cov.opening_for(g, c.windows)
        if not w:
            continue
        label = f"{g.label} opening {_hhmm(w[0])}–{_hhmm(w[1])}"
        share = percent(g.attempts / c.attempts, 1) if c.attempts else 0.0
        text = (f"Open {'at the weekend' if g.label == 'weekend' else 'on ' + g.label} {_window(w)}: closed today, "
                f"yet {g.attempts / months:,.0f} attempts a month arrive ({share:.1f}% of all attempts"
                f"{customers(g.attempts, g)}).")
        case = _case_for(cases, label)
        if case is not None:
            text += " " + case.sentence
        out.append(text)
    if not out:
        first, last = percent(c.first_hour_share, 1, [cov.TRIM_SHARE]), percent(c.last_hour_share, 1, [cov.TRIM_SHARE])
        out.append(f"Keep the window: the first and last hours carry {first:.1f}% and {last:.1f}% of the in-window "
                   f"volume, and {c.off_hours:,} attempts ({percent(c.off_hours_share):.1f}% of all attempts) fell "
                   "outside it.")
    return tuple(out)


def group_facts(c: cov.CoverageFacts, redial: float) -> tuple[t.CoverageGroup, ...]:
    out = []
    m = c.months
    for g in c.groups:
        customers = g.callers_off_hours if g.callers_off_hours is not None else g.off_hours / redial
        is_open = not g.closed
        out.append(t.CoverageGroup(
            g.label, _window(g.window), round(g.attempts / m), round(g.in_window / m), round(g.off_hours / m),
            percent(g.share(g.off_hours)),
            percent(g.share(g.before_open)) if is_open else None, percent(g.share(g.after_close)) if is_open else None,
            percent(g.share_in_window(g.first_hour)) if is_open else None,
            percent(g.share_in_window(g.last_hour)) if is_open else None, round(customers / m)))
    return tuple(out)


def coverage_facts(n: Numbers, business: t.BusinessCase | None = None) -> t.Coverage | None:
    c = n.coverage
    if c is None:
        return None
    staffing = None
    if n.busiest:
        top = n.busiest[0]
        target = STAFFING_TARGET * 100
        rows = tuple(t.StaffingRow(r.agents, percent(r.p_wait), percent(r.service_level, 1, [STAFFING_TARGET]),
                                   round(r.asa, 1) if r.asa != float("inf") else None, percent(r.occupancy))
                     for r in top.table)
        staffing = t.Staffing(target, STAFFING_ANSWER_S,
                              tuple(t.Busy(b.timestamp, b.offered, round(b.aht_s), b.agents_needed) for b in n.busiest),
                              rows)
    redial = None if c.has_callers else n.redial_factor
    customers = round(c.customers_off_hours(n.redial_factor))
    if c.has_callers:
        basis = (f"Customers are counted from the caller ids in the contact data: {customers:,} distinct callers "
                 f"found the line closed, against {c.off_hours:,} attempts.")
    else:
        basis = (f"Attempts are not customers: a customer who finds the line closed calls again. The contact data "
                 f"carries no caller ids, so we assume {n.redial_factor:g} attempts per customer: about {customers:,} "
                 f"customers behind the {c.off_hours:,} attempts made while closed.")
    cases = business.coverage if business is not None else ()
    return t.Coverage(c.days, c.attempts, c.in_window, c.off_hours, percent(c.off_hours_share),
                      percent(c.first_hour_share, 1, [cov.TRIM_SHARE]), percent(c.last_hour_share, 1, [cov.TRIM_SHARE]),
                      c.action, coverage_recommendations(c, cases, redial), tuple(tuple(row) for row in c.profile),
                      tuple(c.windows), staffing, group_facts(c, n.redial_factor), customers, redial, basis)


# --------------------------------------------------------------------------- SLA alignment
def sla_facts(n: Numbers) -> tuple[t.Sla, ...]:
    out = []
    for f in n.slas:
        sentence = f.sentence
        if f.kind == sl.AVAILABILITY and f.required is not None and f.supported is not None:
            # below the requirement in print too (99.8999 % against 99.9 % is not "99.90 %")
            shown = round_toward(f.supported, 2, [f.required])
            shown = shown if shown < f.required else round(f.required - 0.01, 2)
            sentence = (f"{f.business_name} ({f.business_id}): the business needs {f.required:g} % availability; the "
                        f"IT chain ({', '.join(f.it_ids)}) delivers {shown:.2f} % at best.")
        out.append(t.Sla(f.business_id, f.business_name, f.kind, f.ok, SLA_COLOUR.get(f.kind, "grey"), tuple(f.it_ids),
                         sentence))
    return tuple(out)


# --------------------------------------------------------------------------- what the numbers say about the checklist
def _plural(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def cross_checks(n: Numbers, kpis: t.Kpis | None, coverage: t.Coverage | None, slas: tuple[t.Sla, ...],
                 checklist, items: dict[str, t.ItemFact], hours_decision=None) -> tuple[t.CrossCheck, ...]:
    """What the numbers say about each checklist item that links to them (``kpi_links``), citing the numbers."""
    out = []
    sc = n.scorecard if kpis is not None else None
    for spec in checklist.items:
        item = items[spec.id]
        score = item.as_is if item.classification not in ("n/a",) else None
        if score is None:
            continue
        named = f"{spec.id} ({spec.title})"
        for link in spec.kpi_links:
            text = ""
            if link == LINK_SCORECARD and kpis is not None:
                red = [e for e in kpis.entries if e.status == "red"]
                if len(red) >= LINK_MISSED_KPIS:
                    text = (f"{len(red)} KPIs missed target in {kpis.month} ({', '.join(e.name for e in red[:4])}); "
                            f"{named}, scored {score}, is where this should become visible every month.")
            elif link == LINK_COVERAGE and coverage is not None and coverage.action != "keep":
                verdict = (hours_decision.recommendation.split(": ")[0].split(". ")[0] if hours_decision is not None
                           else "")
                text = (f"About {coverage.customers_off_hours:,} customers found the line closed in "
                        f"{_plural(coverage.days, 'day')} of contact data; {named} is scored {score}."
                        + (f" Priced against their staffing cost, the answer is: {verdict[:1].lower() + verdict[1:]}."
                           if verdict else ""))
            elif link == LINK_SLAS:
                bad = [f for f in slas if not f.ok]
                if bad:
                    text = (f"{_plural(len(bad), 'SLA finding')} below (unbacked, under-capacity or availability) "
                            f"bear on {named}, scored {score}.")
            elif link not in LINK_NAMES and sc is not None and score <= LINK_KPI_MAX_SCORE:
                text = _kpi_check(sc, link, named, score)
            if text:
                out.append(t.CrossCheck(spec.id, link, score, text))
    return tuple(out)


def _kpi_check(sc: kp.Scorecard, key: str, named: str, score: int) -> str:
    hist = sc.history(key)
    dives = [e for e in hist if e.deep_dive]
    if not hist or not dives:
        return ""
    last = hist[-1]
    missed = sc.missed_months(key)
    good = all(e.direction != "band" and (e.deep_dive == "over") == (e.direction == "higher") for e in dives)
    if missed:
        what = f"missed in {missed} of the last {len(hist)} months"
    elif good:
        what = f"over-achieved in {len(dives)} of the last {len(hist)} months"
    else:
        what = f"far from target in {len(dives)} of the last {len(hist)} months"
    due = "every month" if len(dives) == len(hist) else f"in {len(dives)} of those {len(hist)} months"
    return (f"{last.name} was {what} ({last.actual_text} against {last.target_text} in {last.month}), and a deep "
            f"dive was due {due}; {named} is scored {score}. The numbers support that score: the deep dives are not "
            "being acted on.")
