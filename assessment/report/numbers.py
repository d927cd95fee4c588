"""The relationship in numbers: KPI scorecard, coverage hours, contract dates, SLA alignment.

``collect`` gathers the facts (reading the optional CSVs beside the engagement file);
the ``*_html`` functions turn them into readout sections; the scorecard notebook uses
the same pieces. Analyses whose inputs are missing are listed as skipped, with why.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..analyses import contract as ct
from ..analyses import coverage as cov
from ..analyses import kpis as kp
from ..analyses import slas as sl
from ..inputs import find_inputs, load_contacts, load_kpis
from . import numbers_charts as nc
from .charts import to_svg
from .markup import esc, figure, pill, plural, table

TREND_ARROW = {"improving": "↗ improving", "worsening": "↘ worsening", "flat": "→ flat"}
PILL = {"green": "green", "amber": "amber", "red": "red"}


@dataclass
class Numbers:
    scorecard: kp.Scorecard | None = None
    month: str | None = None
    coverage: cov.CoverageFacts | None = None
    busiest: list = field(default_factory=list)
    slas: list[sl.Finding] = field(default_factory=list)
    handoff: list[ct.LeadTimeCheck] = field(default_factory=list)
    milestones: list[ct.Milestone] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def collect(path: Path, engagement, as_of: dt.date, month: str = "", catalogue: str | None = None) -> Numbers:
    """Read kpis.csv / contacts.csv beside ``path`` (if present) and run every analysis. Raises InvalidInput."""
    n = Numbers()
    found = find_inputs(path.parent)
    cat = kp.load_catalogue(catalogue)
    if found["kpis"]:
        rows, warnings = load_kpis(found["kpis"], cat, as_of=as_of)
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
    else:
        n.skipped.append("KPI scorecard: there is no kpis.csv beside the engagement file "
                         "(columns month, kpi, actual, target, optional tolerance).")
    if found["contacts"] and engagement.coverage is not None:
        df, warnings = load_contacts(found["contacts"], timezone=engagement.coverage.timezone)
        n.warnings += [str(w) for w in warnings]
        if len(df):
            n.coverage = cov.analyse(df, engagement.coverage)
            n.busiest = cov.busiest_intervals(df, 3)
        else:
            n.skipped.append("Hours of coverage: contacts.csv has no rows.")
    elif not found["contacts"]:
        n.skipped.append("Hours of coverage: there is no contacts.csv (interval volumes exported from the ACD).")
    else:
        n.skipped.append("Hours of coverage: the engagement file has no coverage block (opening hours per weekday).")
    if engagement.slas.business:
        n.slas = sl.align(engagement.slas)
    else:
        n.skipped.append("SLA alignment: the engagement file lists no business SLAs (slas.business).")
    n.handoff = ct.handoff_feasibility(as_of, engagement.contract.hand_off_date, engagement.lead_times)
    n.milestones = ct.timeline(engagement.contract, engagement.assessment.date)
    return n


def _chart(fig, caption: str) -> str:
    return figure(svg=to_svg(fig), caption=caption)


# --------------------------------------------------------------------------- KPI scorecard
def kpi_table(n: Numbers) -> str:
    sc, m = n.scorecard, n.month
    rows = []
    months = sc.months()
    for e in sc.for_month(m):
        rows.append([esc(e.name), esc(e.target_text), esc(e.actual_text), pill(e.label, PILL[e.status]),
                     esc(TREND_ARROW[sc.trend(e.kpi, m)]),
                     esc(f"{sc.missed_months(e.kpi)} of {len(sc.history(e.kpi))}"),
                     esc({"over": "over target", "under": "under target"}.get(e.deep_dive, "–"))])
    del months
    return table(["KPI", "Target", m, "Status", "Trend (3 months)", "Months missed", "Deep dive"], rows,
                 ["24%", "12%", "11%", "17%", "14%", "11%", "11%"])


def kpi_chart(n: Numbers, caption: str) -> str:
    sc = n.scorecard
    series = {}
    for key in sc.kpis():
        h = sc.history(key)
        if not h:
            continue
        target = h[-1].target
        series[h[-1].name] = {"months": [e.month for e in h], "actual": [e.actual for e in h],
                              "target": target if not isinstance(target, tuple) else sum(target) / 2,
                              "band": target if isinstance(target, tuple) else None,
                              "status": [e.status for e in h], "unit": h[-1].unit.strip() if h[-1].unit != "%" else "%"}
    return _chart(nc.kpi_trends(series), caption)


def dives_html(n: Numbers) -> str:
    dives = n.scorecard.dives(n.month)
    if not dives:
        return (f"<p>No KPI is more than {_pct(n)} from its target in {esc(n.month)}: no deep dive is due.</p>")
    return ("<p>Deep dives due: these KPIs are dramatically off target (more than " + _pct(n) + ").</p>"
            '<ul class="findings">' + "".join(f"<li>{esc(e.reason)}</li>" for e in dives) + "</ul>")


def _pct(n: Numbers) -> str:
    return "±10 %" if n.scorecard is None else "the deep-dive threshold"


def checklist_evidence(n: Numbers, answers) -> list[str]:
    """What the numbers say about checklist items, citing the numbers."""
    out = []

    def score(item_id):
        a = answers.get(item_id)
        return a.as_is if a is not None and isinstance(a.as_is, int) else None

    if n.scorecard is not None:
        sc = n.scorecard
        hist = sc.history("service_level")
        missed = sc.missed_months("service_level")
        dives = [e for e in hist if e.deep_dive]
        prc03 = score("PRC-03")
        if hist and dives and prc03 is not None and prc03 <= 3:
            last = hist[-1]
            kind = "missed" if missed else "over-achieved"
            months = missed if missed else len(dives)
            out.append(f"Service level was {kind} in {months} of the last {len(hist)} months "
                       f"({last.actual_text} against {last.target_text} in {last.month}) with a deep dive due each "
                       f"time; PRC-03 (monthly review with deep dives) is scored {prc03}. The numbers support "
                       "that score: the review is not acting on them.")
        red = [e for e in sc.for_month(n.month) if e.status == "red"]
        prc02 = score("PRC-02")
        if len(red) >= 3 and prc02 is not None:
            out.append(f"{len(red)} KPIs missed target in {n.month} ({', '.join(e.name for e in red[:4])}); the "
                       f"balanced scorecard (PRC-02, scored {prc02}) should make this visible every month.")
    if n.coverage is not None and n.coverage.action != "keep":
        prc04 = score("PRC-04")
        if prc04 is not None:
            out.append(f"The coverage data recommends to {n.coverage.action} the opening hours "
                       f"({n.coverage.off_hours_share:.1%} of attempts fell outside the window); PRC-04 (hours of "
                       f"coverage checked against volume) is scored {prc04}.")
    bad = [f for f in n.slas if not f.ok]
    tec05 = score("TEC-05")
    if bad and tec05 is not None:
        out.append(f"{plural(len(bad), 'SLA finding')} below (unbacked, under-capacity or availability) bear on "
                   f"TEC-05 (IT SLAs back business SLAs), scored {tec05}.")
    return out


# --------------------------------------------------------------------------- coverage
def coverage_html(n: Numbers) -> str:
    c = n.coverage
    facts = (f"<p>Over {plural(c.days, 'day')} of interval data, {c.attempts:,} contacts were attempted; "
             f"{c.off_hours:,} ({c.off_hours_share:.1%}) arrived while the service was closed. The first hour of "
             f"the window carries {c.first_hour_share:.1%} of the in-window volume and the last hour "
             f"{c.last_hour_share:.1%}.</p>")
    verdict = {"extend": "Extend the window", "trim": "Trim the window", "keep": "Keep the window"}[c.action]
    recs = f"<h4>{esc(verdict)}</h4><ul class='findings'>" + "".join(
        f"<li>{esc(r)}</li>" for r in c.recommendations) + "</ul>"
    chart = _chart(nc.coverage_profile(c.profile, c.windows),
                   "Contacts offered per hour, average by weekday; shaded: the coverage window.")
    return facts + recs + chart + erlang_html(n)


def erlang_html(n: Numbers) -> str:
    if not n.busiest:
        return ""
    top = n.busiest[0]
    rows = [[str(r.agents), f"{r.p_wait:.1%}", f"{r.service_level:.1%}", f"{r.asa:.1f} s" if r.asa != float('inf')
             else "∞", f"{r.occupancy:.1%}"] for r in top.table]
    busy = ", ".join(f"{b.timestamp} ({b.offered} offered, {b.agents_needed} agents)" for b in n.busiest)
    return (f"<h4>Staffing the busiest intervals (Erlang C, 80 % in 20 s)</h4><p>The busiest intervals: "
            f"{esc(busy)}. For the busiest, {top.offered} contacts with an average handle time of "
            f"{top.aht_s:.0f} s:</p>"
            + table(["Agents", "Probability of waiting", "Service level (20 s)", "Average speed of answer",
                     "Occupancy"], rows, ["14%", "24%", "22%", "22%", "18%"], num={0, 1, 2, 3, 4}))


# --------------------------------------------------------------------------- contract and SLAs
def contract_html(n: Numbers, engagement, as_of: dt.date) -> str:
    c = engagement.contract
    out = []
    if c.renewal_date:
        deadline = ct.renewal_notice_deadline(c.renewal_date, c.notice_days)
        left = ct.days_left(deadline, as_of)
        level = ct.renewal_alert(deadline, as_of)
        when = f"{plural(left, 'day')} after the assessment" if left >= 0 else f"{plural(-left, 'day')} ago"
        out.append(f"<p>The agreement renews on {esc(c.renewal_date.isoformat())}"
                   f"{' automatically' if c.auto_renewal else ''}; notice of non-renewal is due {c.notice_days} days "
                   f"ahead, by <strong>{esc(deadline.isoformat())}</strong> ({esc(when)}). "
                   f"{pill(level, {'overdue': 'red', 'urgent': 'red', 'soon': 'amber'}.get(level, 'green'))}</p>")
    else:
        out.append("<p class='empty'>No renewal date is recorded, so no notice deadline can be tracked.</p>")
    if n.handoff:
        rows = [[esc(ct.LEAD_NAMES[h.kind]), esc(f"{h.lo}–{h.hi} days"), esc(h.latest_start.isoformat()),
                 pill(h.status, {"ok": "green", "tight": "amber", "too late": "red"}[h.status])] for h in n.handoff]
        late = [h for h in n.handoff if h.status != "ok"]
        out.append(f"<h4>Hand-off feasibility ({esc(c.hand_off_date.isoformat())})</h4>"
                   + table(["Integration priority", "Lead time", "Latest start", "Status"], rows,
                           ["40%", "20%", "20%", "20%"]))
        if late:
            out.append("<ul class='findings'>" + "".join(f"<li>{esc(h.sentence)}</li>" for h in late) + "</ul>")
    elif c.hand_off_date:
        out.append(f"<p>The hand-off took place on {esc(c.hand_off_date.isoformat())}.</p>")
    if n.milestones:
        out.append(_chart(nc.timeline([(m.date, m.label, m.kind) for m in n.milestones], as_of),
                          "Contract timeline; dotted: the date of this readout."))
    return "".join(out)


def slas_html(n: Numbers) -> str:
    if not n.slas:
        return ""
    colour = {"ok": "green", "unbacked": "red", "under-capacity": "red", "availability": "amber",
              "unit-mismatch": "amber", "unknown-it-sla": "amber"}
    rows = [[esc(f.business_id), pill(f.kind, colour.get(f.kind, "grey")), esc(f.sentence)] for f in n.slas]
    return table(["SLA", "Finding", "Detail"], rows, ["10%", "18%", "72%"])


# --------------------------------------------------------------------------- the readout section
def numbers_section(r) -> str:
    try:
        n = collect(r.path, r.engagement, r.as_of, getattr(r, "month", ""))
    except Exception as exc:  # a CSV problem: say so in the report rather than dropping the section silently
        from ..errors import InvalidInput

        if not isinstance(exc, InvalidInput):
            raise
        return ("<p class='empty'>The relationship's numbers could not be analysed: "
                + esc("; ".join(str(p) for p in exc.errors[:5])) + "</p>")
    out = ["<p>The contract is managed with measures. This section reads the relationship's own data: the KPIs "
           "against a balanced scorecard, contact volume against the hours of coverage, the contract dates, and "
           "whether IT service levels back the business service levels.</p>"]
    if n.skipped:
        out.append("<div class='callout'><strong>Skipped analyses.</strong><ul>" + "".join(
            f"<li>{esc(s)}</li>" for s in n.skipped) + "</ul></div>")
    evidence = checklist_evidence(n, r.engagement.checklist)
    if evidence:
        out.append("<h3>What the numbers say about the checklist</h3><ul class='findings gaps'>" + "".join(
            f"<li>{esc(s)}</li>" for s in evidence) + "</ul>")
    if n.scorecard is not None:
        out.append(f"<h3>Balanced scorecard, {esc(n.month)}</h3>")
        out.append(kpi_table(n))
        out.append(dives_html(n))
        out.append(kpi_chart(n, "KPIs by month against target; each point is coloured Met, Within tolerance or "
                                "Missed (labels in the table above)."))
    if n.coverage is not None:
        out.append("<h3>Hours of coverage</h3>" + coverage_html(n))
    out.append("<h3>Contract dates</h3>" + contract_html(n, r.engagement, r.as_of))
    if n.slas:
        out.append("<h3>Do IT service levels back the business?</h3>" + slas_html(n))
    return "".join(out)
