"""The decisions the client faces, derived from the analyses and ranked. Pure.

:func:`decide` takes a :class:`Situation` (plain values; :func:`situation` builds one from an
engagement and the other analyses' results) and returns the decisions ranked, each a
:class:`Decision` with a deadline, its options, the one recommended, the recommendation in a few
sentences and the evidence for it. The rules, each in one function:

* **Renewal** (:func:`renewal_decision`), when the notice deadline (renewal date − notice days) falls
  within the planning horizon (``horizon_days``, 365 by default) or has passed:
  - the provider over-delivers at the client's cost (service level more than the deep-dive
    threshold above target): *renegotiate* the service-level target and the price;
  - the provider misses targets (half the KPIs missed, or one missed ``REMEDIATION_RUN`` months
    running) while the client's own practices explain at least half of the misses
    (:mod:`assessment.analyses.sides`): a *short renewal* with a joint remediation plan, not a switch;
  - it misses targets and nothing on the client's side explains it: *exit* (go to market) when at
    least half the missed KPIs have been missed ``EXIT_RUN`` months running, else *renegotiate* with
    formal remediation and exit rights;
  - otherwise *renew*;
  - and when the evidence cannot be ready by the deadline (fewer than ``NEGOTIATION_DAYS`` left, or
    evidence missing and fewer than ``EVIDENCE_DAYS`` + ``NEGOTIATION_DAYS`` left), first *serve
    protective notice* to keep the options open (an agreement that renews automatically), or agree a
    short extension (one that does not).
* **Hand-off go / no-go** (:func:`handoff_decision`), for a hand-off ahead whose lead times leave no
  slack. Each piece of work starts today (training once hiring is done, as
  :func:`assessment.analyses.contract.handoff_feasibility` models it) and is ready between its
  shorter and longer lead time. Everything ready by the hand-off at the longer lead times, with no
  slack: *go* with gates. Ready only at the shorter ones: a *phased* go-live, full volume from the
  Monday after everything is ready at the longer ones. Not ready even at the shorter ones: a
  *new date*, that Monday. The critical path is spelled out step by step.
* **Remediation** (:func:`remediation_decision`): KPIs missed ``REMEDIATION_RUN`` (3) months running
  or more call for a formal remediation plan, agreed at the next monthly review (``REVIEW_DAYS``),
  with the service credits due. A band KPI missed *below* its band (idle capacity) is over-delivery,
  not a miss to remediate.
* **Capacity** (:func:`capacity_decision`): a business SLA that IT cannot back (short of capacity,
  of availability, or with no IT SLA at all): fund it before the next peak; when the peak is under way
  or starts within ``CAPACITY_DAYS``, interim measures now and the fix before the following peak.
* **Coverage** (:func:`coverage_decision`): extend, trim or keep the window, each change priced
  (:func:`assessment.analyses.business_case.coverage_change`). Never extend while the service level
  inside today's hours is far below target (missed by more than the deep-dive threshold): fix that
  first, and say so. A change is recommended only when it pays (contacts recovered above its staffing
  cost; a saving above the contacts put at risk) or cannot be priced.

**Ranking.** Decisions with a date within the horizon come first; among them the decisions about the
whole contract (renewal, hand-off) before those about part of the service; then by urgency (overdue,
within ``NOW_DAYS``, within ``SOON_DAYS``, within the horizon, no date); then by the money at stake a
year; then renewal, hand-off, remediation, capacity, coverage.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from .business_case import (OVER_DELIVERY, SERVICE_CREDITS, UNDER_DELIVERY, ADD, BusinessCase, CoverageCase,
                            HourChange, money)
from .contract import SOON_DAYS, URGENT_DAYS
from .sides import BothSides, possessive

HORIZON_DAYS = 365          # the planning horizon: a renewal notice deadline within it is a decision now
NEGOTIATION_DAYS = 60       # to negotiate and sign new terms before the notice deadline
EVIDENCE_DAYS = 30          # to gather evidence the readout found missing
REVIEW_DAYS = 30            # the next monthly service review
REMEDIATION_RUN = 3         # months missed running that call for a formal remediation plan
EXIT_RUN = 6                # months missed running that, with nothing on the client's side, point to exit
CAPACITY_DAYS = 30          # less than this before a peak: interim measures, not a build
CLIENT_SHARE = 0.5          # the client's practices explain at least this share of the misses: its part is large
SHORT_RENEWAL_MONTHS = 12
NOW_DAYS = URGENT_DAYS   # the renewal alert's bands, SOON_DAYS too (assessment.rules)
HISTORY_MONTHS = 6          # KPI months a renewal case needs

RENEWAL, HAND_OFF, REMEDIATION, CAPACITY, COVERAGE = "renewal", "hand_off", "remediation", "capacity", "coverage"
KINDS = (RENEWAL, HAND_OFF, REMEDIATION, CAPACITY, COVERAGE)
CONTRACT, SERVICE = "contract", "service"
OVERDUE, NOW, SOON, HORIZON, OPEN = "overdue", "now", "soon", "horizon", "open"
URGENCY = (OVERDUE, NOW, SOON, HORIZON, OPEN)
MET, WITHIN, MISSED = "met", "within", "missed"
SLA_GAPS = ("under-capacity", "availability", "unbacked")


def day(d: dt.date) -> str:
    """2 April 2027."""
    return f"{d.day} {d:%B %Y}"


def add_months(d: dt.date, months: int) -> dt.date:
    """``d`` plus whole months, on the same day or the month's last (31 January + 1 month = 28 February)."""
    import calendar

    i = d.year * 12 + d.month - 1 + months
    y, m = divmod(i, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _list(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def month_name(month: str | None) -> str:
    """"2026-10" -> "October 2026"."""
    if not month:
        return ""
    try:
        return dt.date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")
    except ValueError:
        return month


def _names(kpis: Sequence[Any], start: bool = True) -> str:
    """KPI names as a list inside a sentence: "Service level, average speed of answer and abandonment"."""
    return _list([k.name if start and n == 0 else _lower(k.name) for n, k in enumerate(kpis)])


def _num(v: float, unit: str = "", decimals: int = 1) -> str:
    text = f"{v:,.{decimals}f}".rstrip("0").rstrip(".")
    return f"{text}{unit}" if unit in ("%", "") or unit.startswith(" ") else f"{text} {unit}"


def _target(t: float | tuple[float, float], unit: str) -> str:
    return f"{_num(t[0])}–{_num(t[1], unit)}" if isinstance(t, tuple) else _num(t, unit)


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:] if len(name) > 1 and name[1:2].islower() else name


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class KpiStatus:
    """A KPI in the month the readout speaks of."""

    key: str
    name: str
    unit: str
    actual: float
    target: float | tuple[float, float]
    status: str                     # met | within | missed
    run: int = 0                    # consecutive months missed up to this month
    months_missed: int = 0
    months: int = 1
    deep_dive: str | None = None    # over | under (relative deviation beyond the threshold)
    direction: str = "higher"       # higher | lower | band
    first_actual: float | None = None
    first_month: str | None = None

    @property
    def below_band(self) -> bool:
        """A band KPI under its band (occupancy 67.8 % against 75-85 %): paid capacity idle."""
        return self.direction == "band" and isinstance(self.target, tuple) and self.actual < self.target[0]


@dataclass(frozen=True)
class SlaGap:
    business_id: str
    name: str
    kind: str                       # under-capacity | availability | unbacked
    required: float | None = None
    supported: float | None = None
    unit: str = ""
    sentence: str = ""
    demand: float | None = None     # what the business needs a day (for availability gaps, to price them)


@dataclass(frozen=True)
class LeadTime:
    kind: str                       # telecom | hiring | training | crm
    label: str                      # "Agent hiring"
    lo: int
    hi: int
    after: str = ""                 # the work it waits for ("hiring" for training)
    note: str = ""                  # the consultant's note on the checklist item of this lead time


@dataclass(frozen=True)
class PeakWindow:
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Situation:
    """Everything the decisions read, as plain values. Only ``as_of``, ``client`` and ``provider`` are required."""

    as_of: dt.date
    client: str
    provider: str
    horizon_days: int = HORIZON_DAYS
    deep_dive_threshold: float = 0.10
    currency: str | None = None
    monthly_fee: float | None = None
    value_per_lost_contact: float | None = None
    renewal_date: dt.date | None = None
    notice_days: int = 90
    auto_renewal: bool = True
    hand_off: dt.date | None = None
    lead_times: tuple[LeadTime, ...] = ()
    kpi_month: str | None = None
    kpis: tuple[KpiStatus, ...] = ()
    sla_gaps: tuple[SlaGap, ...] = ()
    peaks: tuple[PeakWindow, ...] = ()
    coverage_action: str | None = None          # extend | trim | keep (the coverage analysis)
    coverage_changes: tuple[HourChange, ...] = ()
    business_case: BusinessCase | None = None
    sides: BothSides | None = None

    def kpi(self, key: str) -> KpiStatus | None:
        return next((k for k in self.kpis if k.key == key), None)

    def money(self, v: float) -> str:
        return money(v, self.currency or "")


# --------------------------------------------------------------------------- outputs
@dataclass(frozen=True)
class Option:
    key: str
    label: str
    consequence: str


@dataclass(frozen=True)
class Evidence:
    text: str
    source: str = ""                # kpis.csv | contacts.csv | engagement.yaml | checklist | business case
    side: str = ""                  # client | provider | joint | "" (neither)


@dataclass(frozen=True)
class Step:
    """One piece of work on a hand-off's critical path."""

    kind: str
    work: str
    start: dt.date
    ready_lo: dt.date               # ready at the shorter lead time
    ready_hi: dt.date               # ready at the longer lead time
    slack_days: int                 # hand-off − ready_hi (negative: late)
    latest_start: dt.date           # the start that would have met the hand-off at the longer lead times
    critical: bool
    after: str = ""
    note: str = ""


@dataclass(frozen=True)
class Decision:
    kind: str                       # renewal | hand_off | remediation | capacity | coverage
    scope: str                      # contract | service
    title: str                      # the decision, as the summary heads it
    deadline: dt.date | None        # the date that forces it (notice deadline, hand-off, peak start)
    deadline_label: str             # "renewal notice deadline"
    decide_by: dt.date | None       # when the client should decide (ranking counts days to it)
    days_left: int | None           # decide_by − as_of
    urgency: str                    # overdue | now | soon | horizon | open
    stakes: float | None            # money a year at stake, in ``currency``
    stakes_text: str
    currency: str | None
    options: tuple[Option, ...]
    recommended: str                # an option key
    recommendation: str
    evidence: tuple[Evidence, ...]
    client_part: tuple[str, ...] = ()        # what the client must fix itself
    critical_path: tuple[Step, ...] = ()
    rank: int = 0
    headline: str = ""              # the answer in one sentence, as the summary leads with it
    posture: str = ""               # a renewal's stance behind a protective notice (renegotiate, short_renewal, ...)

    @property
    def option(self) -> Option:
        return next(o for o in self.options if o.key == self.recommended)

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("deadline", "decide_by"):
            d[k] = d[k].isoformat() if d[k] else None
        for s in d["critical_path"]:
            for k in ("start", "ready_lo", "ready_hi", "latest_start"):
                s[k] = s[k].isoformat()
        return d


@dataclass(frozen=True)
class Decisions:
    items: tuple[Decision, ...]

    @property
    def top(self) -> Decision | None:
        return self.items[0] if self.items else None

    def of(self, kind: str) -> Decision | None:
        return next((d for d in self.items if d.kind == kind), None)

    def to_dict(self) -> dict:
        return {"decisions": [d.to_dict() for d in self.items]}


def urgency(days_left: int | None, horizon: int = HORIZON_DAYS) -> str:
    if days_left is None or days_left > horizon:
        return OPEN
    if days_left < 0:
        return OVERDUE
    if days_left <= NOW_DAYS:
        return NOW
    if days_left <= SOON_DAYS:
        return SOON
    return HORIZON


def _decision(s: Situation, kind: str, title: str, deadline, label: str, decide_by, stakes, stakes_text, options,
              recommended, recommendation, evidence, client_part=(), path=(), headline="", posture="") -> Decision:
    left = (decide_by - s.as_of).days if decide_by else None
    return Decision(kind, CONTRACT if kind in (RENEWAL, HAND_OFF) else SERVICE, title, deadline, label, decide_by,
                    left, urgency(left, s.horizon_days), stakes, stakes_text, s.currency, tuple(options), recommended,
                    recommendation, tuple(evidence), tuple(client_part), tuple(path), 0, headline, posture)


def _amount(s: Situation, key: str):
    return s.business_case.amount(key) if s.business_case else None


# --------------------------------------------------------------------------- renewal
def renewal_decision(s: Situation) -> Decision | None:
    """Renew, renegotiate or exit, by the notice deadline (see the module's rules)."""
    if s.renewal_date is None:
        return None
    deadline = s.renewal_date - dt.timedelta(days=s.notice_days)
    left = (deadline - s.as_of).days
    if left > s.horizon_days:
        return None
    c, p = s.client, s.provider
    ev: list[Evidence] = [Evidence(f"Renewal on {day(s.renewal_date)} with {s.notice_days} days' notice: the notice "
                                   f"deadline is {day(deadline)}, "
                                   + (f"{left} days after {day(s.as_of)}." if left >= 0 else
                                      f"{-left} days before {day(s.as_of)}: it has passed."), "engagement.yaml")]
    missed = [k for k in s.kpis if k.status == MISSED and not k.below_band]
    sl = s.kpi("service_level")
    if s.kpis:
        count = (f"All {len(s.kpis)} KPIs" if len(missed) == len(s.kpis) else
                 f"{len(missed)} of the {len(s.kpis)} KPIs" if missed else "No KPI")
        idle_now = [k for k in s.kpis if k.below_band]
        if missed or not idle_now:
            text = f"{count} missed in {month_name(s.kpi_month)}" + (f": {_names(missed, False)}." if missed else ".")
        else:
            text = (f"No KPI fell short of target in {month_name(s.kpi_month)}; {_names(idle_now, False)} missed "
                    f"{'its' if len(idle_now) == 1 else 'their'} band from below, which is idle capacity, not a "
                    "shortfall.")
        ev.append(Evidence(text, "kpis.csv", "provider"))
    if sl and sl.first_actual is not None and sl.first_month and sl.first_month != s.kpi_month:
        ev.append(Evidence(f"Service level {_num(sl.first_actual, '%')} in {month_name(sl.first_month)}, "
                           f"{_num(sl.actual, '%')} in {month_name(s.kpi_month)}, against {_target(sl.target, '%')}.",
                           "kpis.csv", "provider"))
    over = bool(sl and sl.deep_dive == "over" and not isinstance(sl.target, tuple) and sl.actual > sl.target)
    idle = [k for k in s.kpis if k.below_band]
    od = _amount(s, OVER_DELIVERY)
    if over:
        text = f"Service level {_num(sl.actual, '%')} against a {_target(sl.target, '%')} target"
        if od:
            hours = next((v.value for v in od.results if v.name == "Agent-hours a month"), None)
            text += (f": about {_num(hours)} agent-hours a month beyond what the target needs, "
                     f"{s.money(od.annual)} a year" if hours is not None else f": {s.money(od.annual)} a year")
        ev.append(Evidence(text + ".", "kpis.csv, contacts.csv", "provider"))
    for k in idle:
        ev.append(Evidence(f"{k.name} {_num(k.actual, k.unit)} against {_target(k.target, k.unit)}: paid capacity "
                           f"idle, {k.months_missed} of {k.months} months below the band.", "kpis.csv", "provider"))
    runs = [k for k in missed if k.run >= REMEDIATION_RUN]
    provider_missing = bool(missed) and (2 * len(missed) >= len(s.kpis) or bool(runs))
    sides = s.sides
    client_weak = bool(sides and sides.total and sides.client_share >= CLIENT_SHARE)
    client_part: tuple[str, ...] = ()
    if sides and sides.total and provider_missing:
        if sides.summary:
            ev.append(Evidence(sides.summary, "checklist, kpis.csv", "client"))
        if sides.provider_summary:
            ev.append(Evidence(sides.provider_summary, "checklist, kpis.csv", "provider"))
        client_part = tuple(d.phrase for d in sides.client_practices)
    credits = _amount(s, SERVICE_CREDITS)
    if credits and credits.value > 0:
        ev.append(Evidence(f"Service credits due for the last 12 months: {s.money(credits.value)}.",
                           "kpis.csv, engagement.yaml", "provider"))

    gaps = []
    if not s.kpis:
        gaps.append("no KPI history (kpis.csv)")
    elif sl is not None and sl.months < HISTORY_MONTHS:
        gaps.append(f"only {sl.months} months of KPI history")
    if s.monthly_fee is None:
        gaps.append("no commercial figures (the monthly fee)")
    if over and s.kpis and s.kpi("cost_per_contact") is None:
        gaps.append("cost per contact is not on the scorecard")
    for g in gaps:
        ev.append(Evidence(f"Evidence missing for the negotiation: {g}.", "", ""))

    # the posture, then whether the evidence can be ready in time
    short_until = add_months(s.renewal_date, SHORT_RENEWAL_MONTHS)
    if over:
        posture = "renegotiate"
        text = (f"renegotiate the service-level target and the price: {p} delivers "
                f"{_num(sl.actual, '%')} against {_target(sl.target, '%')}"
                + (f", about {s.money(od.annual)} a year of agent-hours beyond what the target needs" if od else "")
                + ", paid for by " + c + ".")
    elif provider_missing and client_weak:
        posture = "short_renewal"
        text = (f"renew for {SHORT_RENEWAL_MONTHS} months only (to {day(short_until)}), with a joint remediation "
                f"plan, not a switch: {sides.client_explained} of the {sides.total} missed KPIs have a driver that "
                f"{c} itself scores {sides.weak_at} or lower, which a new provider would inherit. Fix {possessive(c)} "
                f"own practices first ({_list(list(client_part))}), hold {p} to "
                + (_names([x for x in missed if x.key in sides.provider_kpis], False) or "its targets")
                + (f" and claim the {s.money(credits.value)} in service credits due." if credits and credits.value
                   else "."))
    elif provider_missing:
        long_runs = [k for k in missed if k.run >= EXIT_RUN]
        if 2 * len(long_runs) >= len(missed):
            posture = "exit"
            text = (f"prepare to exit: serve notice and test the market. {len(long_runs)} of the {len(missed)} missed "
                    f"KPIs have been missed {EXIT_RUN} months running or more, and nothing on {possessive(c)} side "
                    "explains them.")
        else:
            posture = "renegotiate"
            text = (f"renegotiate with a formal remediation plan, service credits that apply and a right to exit if "
                    f"{p} does not recover; nothing on {possessive(c)} side explains the misses.")
    else:
        posture = "renew"
        text = (f"renew: {p} meets its targets." if s.kpis else
                f"renew, unless the evidence gathered says otherwise: there is no KPI history yet to judge {p} by.")

    protective = False
    why = ""
    if left >= 0:
        if left < NEGOTIATION_DAYS:
            protective, why = True, (f"{left} days are too few to prepare, negotiate and sign new terms "
                                     f"(about {NEGOTIATION_DAYS})")
        elif gaps and left < NEGOTIATION_DAYS + EVIDENCE_DAYS:
            protective, why = True, (f"the evidence ({_list(gaps)}) cannot be ready and negotiated in the {left} "
                                     "days left")
    if left < 0:
        passed = f"The notice deadline passed on {day(deadline)}"
        if not s.auto_renewal:
            recommended = posture
            recommendation = (f"{passed}, and the agreement does not renew by itself: it ends on "
                              f"{day(s.renewal_date)} unless new terms are signed. " + text[:1].upper() + text[1:])
        elif posture == "renew":
            recommended = "renew"
            recommendation = (f"{passed}: the agreement renews on {day(s.renewal_date)}, which the performance "
                              "supports. Put the next notice deadline in the contract register.")
        else:
            recommended = "renegotiate"
            recommendation = (f"{passed}: the agreement renews on {day(s.renewal_date)}. Open a mid-term "
                              f"renegotiation now and {text} Put the next notice deadline in the contract register.")
    elif protective:
        recommended = "protective_notice"
        first = ("serve protective notice of non-renewal (or agree a short extension in writing)" if s.auto_renewal
                 else "agree a short extension in writing")
        recommendation = f"By {day(deadline)}, {first} to keep every option open: {why}. Then {text}"
    else:
        recommended = posture
        latest = deadline - dt.timedelta(days=EVIDENCE_DAYS)
        recommendation = text[:1].upper() + text[1:]
        if s.auto_renewal:
            recommendation += (f" If the terms are not agreed by {day(latest)}, serve protective notice by "
                               f"{day(deadline)} to keep the options open.")
    fee = s.monthly_fee
    options = (
        Option("renew", "Renew as is", "Another term on today's targets and price."),
        Option("renegotiate", "Renegotiate target and price",
               "New targets, price or terms before the deadline; needs the evidence ready."),
        Option("short_renewal", f"Short renewal ({SHORT_RENEWAL_MONTHS} months) with a joint remediation plan",
               "Keeps the service stable while both sides fix their part; the decision comes back in a year."),
        Option("exit", "Exit: serve notice and go to market",
               "A transition to a new provider, which inherits whatever the client's own practices cause."),
        Option("protective_notice", "Serve protective notice",
               "Keeps every option open; the agreement ends unless new terms are signed before the renewal."),
    )
    title = (f"Renew, renegotiate or exit the agreement with {p} by {day(deadline)}" if left >= 0
             else f"Renegotiate the agreement with {p}: the notice deadline of {day(deadline)} has passed")
    stance = {
        "renegotiate": (f"renegotiate the service-level target and the price with {p}" if over else
                        f"renegotiate with {p}: a formal remediation plan, credits that apply and a right to exit"),
        "short_renewal": (f"renegotiate the renewal with {p}: {SHORT_RENEWAL_MONTHS} months only, tied to a joint "
                          f"remediation plan, and fix {possessive(c)} own practices first"),
        "exit": f"prepare to exit: serve notice to {p} and test the market",
        "renew": f"renew the agreement with {p}",
    }[posture]
    if recommended == "protective_notice":
        first = "serve protective notice" if s.auto_renewal else "agree a short extension in writing"
        headline = (f"{first[:1].upper() + first[1:]} by {day(deadline)}, then "
                    + (stance.replace(f" with {p}", "", 1) if posture != "renew" else "agree the renewal terms"))
    elif left < 0:
        headline = (f"The notice deadline has passed: {stance}" if posture != "renew" else
                    f"Let the agreement with {p} renew on {day(s.renewal_date)}")
    else:
        headline = stance[:1].upper() + stance[1:]
    return _decision(s, RENEWAL, title, deadline, "renewal notice deadline", deadline,
                     fee * 12 if fee is not None else None,
                     f"the renewal commits {s.money(fee * 12)} a year" if fee is not None else
                     "the whole agreement (no fee recorded)",
                     options, recommended, recommendation, ev, client_part if posture == "short_renewal" else (),
                     (), headline, posture)


# --------------------------------------------------------------------------- hand-off
def _monday_on_or_after(d: dt.date) -> dt.date:
    return d + dt.timedelta(days=(7 - d.weekday()) % 7)


def critical_path(as_of: dt.date, hand_off: dt.date, lead_times: Sequence[LeadTime]) -> tuple[Step, ...]:
    """Each piece of work from today: ready between its shorter and longer lead time (after what it waits for).
    Latest first; the critical steps are those ready last at the longer lead times."""
    by = {lt.kind: lt for lt in lead_times}
    steps = []
    for lt in lead_times:
        before = by.get(lt.after)
        lo_wait, hi_wait = (before.lo, before.hi) if before else (0, 0)
        start = as_of + dt.timedelta(days=hi_wait)
        ready_lo = as_of + dt.timedelta(days=lo_wait + lt.lo)
        ready_hi = as_of + dt.timedelta(days=hi_wait + lt.hi)
        latest = hand_off - dt.timedelta(days=hi_wait + lt.hi)
        work = f"{before.label} then {_lower(lt.label)}" if before else lt.label
        steps.append(Step(lt.kind, work, as_of if before else start, ready_lo, ready_hi,
                          (hand_off - ready_hi).days, latest, False, lt.after, lt.note))
    last = max((st.ready_hi for st in steps), default=None)
    steps = [Step(**{**asdict(st), "critical": st.ready_hi == last}) for st in steps]
    return tuple(sorted(steps, key=lambda st: (st.ready_hi, st.ready_lo), reverse=True))


def handoff_decision(s: Situation) -> Decision | None:
    """Go / no-go on a pending hand-off whose lead times leave no slack."""
    if s.hand_off is None or s.hand_off <= s.as_of or not s.lead_times:
        return None
    path = critical_path(s.as_of, s.hand_off, s.lead_times)
    ready_hi = max(st.ready_hi for st in path)
    ready_lo = max(st.ready_lo for st in path)
    if ready_hi < s.hand_off:
        return None                       # slack on every piece of work: no decision to make
    h = day(s.hand_off)
    new = _monday_on_or_after(ready_hi)
    crit = [st for st in path if st.critical]
    late = max(0, (ready_hi - s.hand_off).days)
    ev = []
    for st in path:
        span = (f"ready {day(st.ready_lo)}" if st.ready_lo == st.ready_hi
                else f"ready between {day(st.ready_lo)} and {day(st.ready_hi)}")
        slack = (f"{st.slack_days} days before the hand-off" if st.slack_days > 0 else "no slack" if st.slack_days == 0
                 else f"{-st.slack_days} days after the hand-off")
        started = (f"; it had to start by {day(st.latest_start)}" if st.latest_start < s.as_of else "")
        ev.append(Evidence(f"{st.work}: started {day(s.as_of)}, {span} ({slack}){started}."
                           + (f" {st.note}" if st.note else ""), "engagement.yaml lead_times, checklist", "joint"))
    names = _list([_lower(st.work) if n else st.work for n, st in enumerate(crit)])
    tight = [st for st in path if not st.critical and st.slack_days <= 0]
    also = (f"; {_list([_lower(st.work) for st in tight])} {'has' if len(tight) == 1 else 'have'} no slack"
            if tight else "")
    if ready_hi <= s.hand_off:
        recommended = "go_with_gates"
        recommendation = (f"Go on {h}, with no slack: {names} {'is' if len(crit) == 1 else 'are'} ready on the day "
                          "at the longer lead times. Start every piece of work now and hold a go / no-go gate each "
                          "week, with the in-house team kept as fallback for the first month.")
    elif ready_lo <= s.hand_off:
        recommended = "phased"
        recommendation = (f"No-go for a full hand-off on {h}: at the longer lead times {_lower(names)} "
                          f"{'is' if len(crit) == 1 else 'are'} ready on {day(ready_hi)}, {late} days late{also}. "
                          "Go live "
                          f"in phases: a first wave on {h} with the agents trained and the lines working by then, "
                          f"the in-house team as fallback, full volume from {day(new)}, with go / no-go gates and "
                          "hypercare through the first month.")
    else:
        recommended = "new_date"
        recommendation = (f"No-go on {h}: even at the shorter lead times {_lower(names)} "
                          f"{'is' if len(crit) == 1 else 'are'} not ready until {day(ready_lo)}. Move the hand-off to "
                          f"{day(new)}, when everything is ready at the longer lead times, and set go / no-go gates "
                          "before it.")
    options = (Option("go", f"Go on {h} as planned", "Customers meet whatever is not ready on the day."),
               Option("go_with_gates", f"Go on {h} with weekly go / no-go gates",
                      "Holds the date; any slip is caught at a gate, with the in-house team as fallback."),
               Option("phased", f"Phased go-live from {h}, full volume from {day(new)}",
                      "A first wave on the date, the rest once ready; both teams run in parallel for a while."),
               Option("new_date", f"Move the hand-off to {day(new)}",
                      "Everything ready at the longer lead times; the in-house team runs longer."))
    decide_by = max(s.as_of, min(st.latest_start for st in crit))
    fee = s.monthly_fee
    headline = {"go_with_gates": f"Go on {h}, with a go / no-go gate every week and the in-house team as fallback",
                "phased": f"No-go for a full hand-off on {h}: go live in phases, full volume from {day(new)}",
                "new_date": f"No-go on {h}: move the hand-off to {day(new)}"}[recommended]
    return _decision(s, HAND_OFF, f"Go / no-go on the {h} hand-off to {s.provider}", s.hand_off, "hand-off date",
                     decide_by, fee, f"a month of the service ({s.money(fee)})" if fee is not None else
                     "the first month of the service", options, recommended, recommendation, ev, (), path, headline)


# --------------------------------------------------------------------------- remediation
def remediation_decision(s: Situation) -> Decision | None:
    """A formal remediation plan for KPIs missed REMEDIATION_RUN months running, with the credits due."""
    runs = [k for k in s.kpis if k.status == MISSED and k.run >= REMEDIATION_RUN and not k.below_band]
    if not runs:
        return None
    c, p = s.client, s.provider
    ev = [Evidence(f"{k.name} {_num(k.actual, k.unit)} against {_target(k.target, k.unit)}: missed {k.run} months "
                   f"running ({k.months_missed} of {k.months}).", "kpis.csv", "provider") for k in runs]
    credits = _amount(s, SERVICE_CREDITS)
    under = _amount(s, UNDER_DELIVERY)
    abandon = s.kpi("abandonment")
    stakes = None
    parts = []
    if credits is not None:
        stakes = credits.value
        parts.append(f"{s.money(credits.value)} in service credits due for the last 12 months")
        ev.append(Evidence(f"Service credits due: {credits.working}.", "kpis.csv, engagement.yaml", "provider"))
    if under is not None and abandon is not None and abandon.status == MISSED:
        stakes = (stakes or 0.0) + under.annual
        parts.append(f"{s.money(under.value)} a month in abandoned contacts")
        ev.append(Evidence(f"Abandoned contacts: {under.working}.", "contacts.csv, engagement.yaml", "provider"))
    names = _names(runs, False)
    text = (f"Put {p} on a formal remediation plan for the {len(runs)} KPI{'s' if len(runs) != 1 else ''} missed "
            f"{REMEDIATION_RUN} months running or more ({names}): a root cause, an owner, dated actions and a monthly "
            "checkpoint for each")
    text += f", and claim the {s.money(credits.value)} in service credits due." if credits and credits.value else "."
    client_part: tuple[str, ...] = ()
    sides = s.sides
    if sides and sides.client_explained:
        client_part = tuple(d.phrase for d in sides.client_practices)
        mine = [k for k in runs if any(f.kpi == k.key and f.client_part for f in sides.findings)]
        if mine:
            text += (f" Write {possessive(c)} own actions into the same plan: {len(mine)} of these misses have a "
                     f"driver {c} scores {sides.weak_at} or lower ({_list(list(client_part))}).")
            ev.append(Evidence(sides.summary, "checklist, kpis.csv", "client"))
    options = (Option("formal_plan", "Formal remediation plan, credits claimed",
                      "Root causes, owners and dates on both sides, checked every month; the credits are applied."),
               Option("monthly_review", "Raise it at the monthly review only", "What has been done so far."),
               Option("escalate", "Escalate towards exit", "Without a plan, an exit case rests on misses the client "
                                                           "may share."))
    review = s.as_of + dt.timedelta(days=REVIEW_DAYS)
    headline = (f"Put {p} on a formal remediation plan for "
                + (names if len(runs) <= 3 else f"the {len(runs)} KPIs missed {REMEDIATION_RUN} months running or more")
                + (f" and claim the {s.money(credits.value)} in service credits due" if credits and credits.value else ""))
    return _decision(s, REMEDIATION, f"Put {p} on a formal remediation plan", None, "next monthly service review",
                     review, stakes, _list(parts) if parts else "not priced (no commercials block)", options,
                     "formal_plan", text, ev, client_part, (), headline)


# --------------------------------------------------------------------------- capacity
def _per_day(unit: str) -> bool:
    return unit.replace(" ", "").lower().endswith(("/day", "perday", "aday"))


def capacity_decision(s: Situation) -> Decision | None:
    """Fund the capacity a business SLA needs before the next peak."""
    gaps = [g for g in s.sla_gaps if g.kind in SLA_GAPS]
    if not gaps:
        return None
    peaks = sorted((pk for pk in s.peaks if pk.end >= s.as_of), key=lambda pk: pk.start)
    peak = peaks[0] if peaks else None
    following = peaks[1] if len(peaks) > 1 else None
    v = s.value_per_lost_contact
    stakes = 0.0 if v is not None else None
    ev = []
    for g in gaps:
        ev.append(Evidence(g.sentence or f"{g.name}: {g.kind}.", "engagement.yaml slas", "client"))
        if v is None:
            continue
        if g.kind == "under-capacity" and g.required and g.supported is not None and peak and _per_day(g.unit):
            days = (peak.end - peak.start).days + 1
            lost = (g.required - g.supported) * days
            stakes += lost * v
            ev.append(Evidence(f"At stake over {peak.name} ({days} days): up to ({_num(g.required)} − "
                               f"{_num(g.supported)}) × {days} = {lost:,.0f} {g.unit.split('/')[0]} turned away × "
                               f"{s.money(v)} = {s.money(lost * v)}.", "engagement.yaml", ""))
        elif g.kind == "availability" and g.required and g.supported is not None and _per_day(g.unit or "/day"):
            demand = g.demand
            if demand is None:
                continue
            hours = (g.required - g.supported) / 100 * 365 * 24
            lost = hours * demand / 24
            stakes += lost * v
            ev.append(Evidence(f"At stake a year: ({_num(g.required, '%', 2)} − {_num(g.supported, '%', 2)}) × "
                               "8,760 h = "
                               f"{hours:,.1f} h more downtime × {_num(demand)} a day ÷ 24 = {lost:,.0f} transactions × "
                               f"{s.money(v)} = {s.money(lost * v)}.", "engagement.yaml", ""))
    what = _list([g.name for g in gaps])
    if peak is None:
        decide_by = None
        recommended = "fund"
        text = (f"Fund the IT capacity and service levels the business needs ({what}) in the next budget round; no "
                "peak season was given for this assessment, so there is no date by which it must be live.")
    else:
        left = (peak.start - s.as_of).days
        if left >= CAPACITY_DAYS:
            decide_by = peak.start
            recommended = "fund"
            text = (f"Fund it before the next peak, {peak.name}, from {day(peak.start)}: {what}. Each is a promise "
                    "to customers that IT does not back today.")
        else:
            decide_by = s.as_of
            recommended = "interim"
            when = ("is under way (until " + day(peak.end) + ")") if left <= 0 else f"starts in {left} days"
            nxt = f"before {following.name} starts on {day(following.start)}" if following else "before the next peak"
            text = (f"{peak.name} {when}: too close to build. Agree interim measures now (a fallback route for "
                    f"what IT cannot take, customers told the waiting time) and fund the fix {nxt}: {what}.")
    options = (Option("fund", "Fund the capacity before the peak", "The business service level holds on peak days."),
               Option("interim", "Interim measures now, the fix before the next peak",
                      "Customers still meet limits this peak, with a fallback."),
               Option("accept", "Accept the risk", "Customers turned away on peak days; complaints and lost business."))
    if peak is None:
        title = "Fund the capacity the business service levels need"
    elif recommended == "interim":
        title = (f"Bridge {peak.name} and fund the capacity the business service levels need before "
                 + (f"{following.name} ({day(following.start)})" if following else "the next peak"))
    else:
        title = f"Fund the capacity the business service levels need before {peak.name} ({day(peak.start)})"
    return _decision(s, CAPACITY, title, peak.start if peak else None, f"{peak.name} starts" if peak else "",
                     decide_by, stakes if stakes else None,
                     f"up to {s.money(stakes)} in transactions turned away" if stakes else "not priced",
                     options, recommended, text, ev, (), (), title)


# --------------------------------------------------------------------------- coverage
def coverage_decision(s: Situation) -> Decision | None:
    """Extend, trim or keep the window, priced; never extend while service level inside the hours is far below."""
    if not s.coverage_changes and s.coverage_action in (None, "keep"):
        return None
    cases: dict[str, CoverageCase] = {}
    if s.business_case:
        cases = {c.change.label: c for c in s.business_case.coverage}
    sl = s.kpi("service_level")
    far_below = bool(sl and sl.status == MISSED and sl.deep_dive == "under")
    adds = [ch for ch in s.coverage_changes if ch.action == ADD]
    removes = [ch for ch in s.coverage_changes if ch.action != ADD]
    ev = []
    for ch in s.coverage_changes:
        c = cases.get(ch.label)
        if c and c.staffing and c.contacts:
            verb = "costs" if ch.action == ADD else "saves"
            gain = "recovers up to" if ch.action == ADD else "puts at risk up to"
            ev.append(Evidence(f"{ch.label[:1].upper() + ch.label[1:]}: {verb} about {_num(c.agent_hours_month)} "
                               f"agent-hours a month ({s.money(c.staffing.value)}) and {gain} "
                               f"{c.contacts_month:,.0f} {'customers' if ch.action == ADD else 'contacts'} a month "
                               f"({s.money(c.contacts.value)}).",
                               "contacts.csv, engagement.yaml", "joint"))
        else:
            ev.append(Evidence(f"{ch.label[:1].upper() + ch.label[1:]}: not priced (the commercial terms are missing).",
                               "contacts.csv", "joint"))
    pays = {ch.label: (cases[ch.label].net_annual if ch.label in cases else None) for ch in s.coverage_changes}
    stakes = None
    chosen: list[HourChange] = []
    if far_below and adds:
        recommended = "keep"
        cost = sum(cases[ch.label].staffing.value for ch in adds if ch.label in cases and cases[ch.label].staffing)
        text = (f"Keep today's hours and fix the service level inside them first: {_num(sl.actual, '%')} against "
                f"{_target(sl.target, '%')} in {month_name(s.kpi_month)}. Extending now spreads the same agents over "
                "more hours"
                + (f"; the extension ({_list([ch.label for ch in adds])}) would cost about {s.money(cost)} a month in "
                   "agent-hours" if cost else "")
                + ". Revisit it once service level is back within tolerance.")
        ev.insert(0, Evidence(f"Service level {_num(sl.actual, '%')} against {_target(sl.target, '%')} in "
                              f"{month_name(s.kpi_month)}, inside today's hours.", "kpis.csv", "provider"))
        vals = [cases[ch.label].contacts.annual for ch in adds if ch.label in cases and cases[ch.label].contacts]
        stakes = sum(vals) if vals else None
    else:
        chosen = [ch for ch in s.coverage_changes if pays[ch.label] is None or pays[ch.label] >= 0]
        dropped = [ch for ch in s.coverage_changes if ch not in chosen]
        if not chosen:
            recommended = "keep"
            stakes = sum(cases[ch.label].staffing.annual for ch in dropped)
            text = "Keep today's hours: " + "; ".join(
                (f"{ch.label} would save {s.money(cases[ch.label].staffing.annual)} a year but put up to "
                 f"{s.money(cases[ch.label].contacts.annual)} a year of contacts at risk") if ch.action != ADD else
                (f"{ch.label} would cost {s.money(cases[ch.label].staffing.annual)} a year for up to "
                 f"{s.money(cases[ch.label].contacts.annual)} of contacts") for ch in dropped) + "."
        else:
            recommended = "extend" if any(ch.action == ADD for ch in chosen) else "trim"
            if any(ch.action == ADD for ch in chosen) and any(ch.action != ADD for ch in chosen):
                recommended = "reshape"
            parts = []
            for ch in chosen:
                c = cases.get(ch.label)
                if c and c.net_annual is not None:
                    parts.append(f"{ch.label} ({'net gain' if c.net_annual >= 0 else 'net cost'} about "
                                 f"{s.money(abs(c.net_annual))} a year)")
                else:
                    parts.append(ch.label)
            text = ("Change the hours: " + _list(parts) + ".")
            if dropped:
                text += " Keep the rest: " + _list([ch.label for ch in dropped]) + " would not pay for itself."
            if sl is None and adds:
                text += " Service level inside today's hours is not measured yet; check it before adding hours."
            nets = [pays[ch.label] for ch in chosen if pays[ch.label] is not None]
            stakes = sum(nets) if nets else None
    decide_by = None
    deadline = None
    label = ""
    if s.hand_off and s.hand_off > s.as_of and s.lead_times:
        hiring = next((lt for lt in s.lead_times if lt.kind == "hiring"), None)
        training = next((lt for lt in s.lead_times if lt.after == "hiring"), None)
        if hiring:
            wait = hiring.hi + (training.hi if training else 0)
            deadline = s.hand_off - dt.timedelta(days=wait)
            decide_by = max(s.as_of, deadline)
            label = "latest start of agent hiring"
            text += (f" Decide the hours before the hiring plan is fixed: hiring for the {day(s.hand_off)} "
                     f"hand-off {'had to start' if deadline < s.as_of else 'must start'} by {day(deadline)}.")
    options = (Option("extend", "Extend the hours", "More contacts answered, more agent-hours paid."),
               Option("trim", "Trim the hours", "Agent-hours saved; some customers call at other times or not at all."),
               Option("reshape", "Extend some hours, trim others", "Hours follow demand."),
               Option("keep", "Keep today's hours", "No change in cost or in contacts missed."))
    headline = ("Keep today's opening hours and fix the service level inside them first" if far_below and adds else
                "Keep today's opening hours: no change pays for itself" if recommended == "keep" else
                "Change the opening hours: " + _list([ch.label for ch in chosen]))
    return _decision(s, COVERAGE, "Extend, trim or keep the opening hours", deadline, label, decide_by,
                     abs(stakes) if stakes is not None else None,
                     f"about {s.money(abs(stakes))} a year" if stakes is not None and s.currency else "not priced",
                     options, recommended, text, ev, (), (), headline)


# --------------------------------------------------------------------------- all of them, ranked
RULES = (renewal_decision, handoff_decision, remediation_decision, capacity_decision, coverage_decision)


def _key(d: Decision, horizon: int):
    dated = d.days_left is not None and d.days_left <= horizon
    return (not dated, d.scope != CONTRACT, URGENCY.index(d.urgency), -(d.stakes or 0.0), KINDS.index(d.kind))


def decide(s: Situation) -> Decisions:
    """Every decision the situation calls for, ranked (rank 1 first)."""
    found = [d for rule in RULES if (d := rule(s)) is not None]
    ranked = sorted(found, key=lambda d: _key(d, s.horizon_days))
    return Decisions(tuple(Decision(**{**{f: getattr(d, f) for f in d.__dataclass_fields__}, "rank": n})
                           for n, d in enumerate(ranked, 1)))


# --------------------------------------------------------------------------- adapter
_STATUS = {"green": MET, "amber": WITHIN, "red": MISSED}


def kpi_statuses(scorecard: Any, month: str) -> tuple[KpiStatus, ...]:
    """The KPIs of ``month`` of a :class:`assessment.analyses.kpis.Scorecard`, with runs and history."""
    out = []
    for e in scorecard.for_month(month):
        h = [x for x in scorecard.history(e.kpi) if x.month <= month]
        run = 0
        for x in reversed(h):
            if x.status != "red":
                break
            run += 1
        direction = "band" if isinstance(e.target, tuple) else getattr(e, "direction", "higher")
        out.append(KpiStatus(e.kpi, e.name, e.unit, e.actual, e.target, _STATUS.get(e.status, MISSED), run,
                             sum(1 for x in h if x.status == "red"), len(h), e.deep_dive, direction,
                             h[0].actual if h else None, h[0].month if h else None))
    return tuple(out)


def situation(engagement: Any, as_of: dt.date, *, checklist: Any = None, scorecard: Any = None,
              month: str | None = None, coverage: Any = None, sla_findings: Sequence[Any] = (),
              lead_checks: Sequence[Any] = (), business_case: BusinessCase | None = None,
              sides: BothSides | None = None, horizon_days: int = HORIZON_DAYS) -> Situation:
    """A :class:`Situation` from the project's objects.

    ``engagement``: :class:`assessment.model.Engagement`. ``checklist``: the
    :class:`assessment.checklist.Checklist` (for the notes on its lead-time items). ``scorecard`` /
    ``month``: :func:`assessment.analyses.kpis.scorecard` and the month the readout speaks of.
    ``coverage``: :class:`assessment.analyses.coverage.CoverageFacts`. ``sla_findings``:
    :func:`assessment.analyses.slas.align`. ``lead_checks``:
    :func:`assessment.analyses.contract.handoff_feasibility`. ``business_case``:
    :func:`assessment.analyses.business_case.business_case`. ``sides``:
    :func:`assessment.analyses.sides.both_sides`.
    """
    from .business_case import changes_from_coverage
    from .contract import LEAD_NAMES

    eng = engagement
    com = eng.commercials
    notes: dict[str, str] = {}
    if checklist is not None:
        for item in checklist.items:
            if item.lead_time:
                note = eng.answer(item.id).notes
                if note:
                    notes[item.lead_time] = note
    leads = tuple(LeadTime(c.kind, LEAD_NAMES.get(c.kind, c.kind), c.lo, c.hi, getattr(c, "after", "") or "",
                           notes.get(c.kind, "")) for c in lead_checks)
    demand = {b.id: b.demand for b in eng.slas.business}
    gaps = tuple(SlaGap(f.business_id, f.business_name, f.kind, f.required, f.supported,
                        next((b.unit for b in eng.slas.business if b.id == f.business_id), ""), f.sentence,
                        demand.get(f.business_id))
                 for f in sla_findings if f.kind in SLA_GAPS)
    c = eng.contract
    return Situation(
        as_of=as_of, client=eng.client.name, provider=eng.outsourcer.name, horizon_days=horizon_days,
        deep_dive_threshold=eng.scorecard.deep_dive_threshold,
        currency=com.currency if com else None, monthly_fee=com.monthly_fee if com else None,
        value_per_lost_contact=com.value_per_lost_contact if com else None,
        renewal_date=c.renewal_date, notice_days=c.notice_days, auto_renewal=c.auto_renewal, hand_off=c.hand_off_date,
        lead_times=leads, kpi_month=month if scorecard is not None else None,
        kpis=kpi_statuses(scorecard, month) if scorecard is not None and month else (),
        sla_gaps=gaps, peaks=tuple(PeakWindow(p.name, p.start, p.end) for p in eng.peaks),
        coverage_action=coverage.action if coverage is not None else None,
        coverage_changes=changes_from_coverage(coverage) if coverage is not None else (),
        business_case=business_case, sides=sides)
