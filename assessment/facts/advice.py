"""The advice, as facts: the decisions, the business case in money, both sides' part, and the executive
summary that leads with the decision.

The analyses (:mod:`assessment.analyses.decisions`, :mod:`~assessment.analyses.business_case`,
:mod:`~assessment.analyses.sides`) are pure and return plain values; this module turns them into the
frozen facts the readout prints, money rounded once as printed and every source named in the client's
words (never a file or field name). :func:`summary` writes page one:

* the **headline decision** with the date that forces it and the money at stake;
* the **three findings** that drive it, each citing its numbers (up to two from the headline decision,
  the rest from the next decisions; a renewal whose deadline is close also states the deadline);
* the **root causes on each side**: the client's, the provider's and the joint practices that score low
  among those that bear on the decisions (the KPI drivers of :mod:`~assessment.analyses.sides`, the
  lead-time items for a hand-off, the items of the decision's themes), and the provider's measured
  results that nothing on the client's side explains;
* the **business case** in money;
* the **next three steps**, each with an owner (a role on the client's side, the provider's, or both)
  and a date;
* **flags**: a 'keep doing' practice that the numbers contradict (it drives a KPI missed in the month)
  is not praised; it is flagged.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, Mapping, Sequence

from ..analyses import business_case as bc
from ..analyses import decisions as de
from ..analyses import sides as sd
from ..analyses.sides import possessive
from ..rules import LEAD_TIME_LABEL, notice_by
from . import types as t

WEAK_SCORE = 2        # a practice related to a decision is a root cause when it scores this or lower ...
WEAK_GAP = 1          # ... and is at least this far below its target
MAX_CAUSES = {"client": 3, "provider": 3, "joint": 3}
THIS_WEEK = 7         # "now" in a next step: within a week of the readout
SUMMARY_FINDINGS = 3
SUMMARY_STEPS = 3

#: The checklist themes whose practices bear on each kind of decision (lead-time items count for a hand-off).
RELATED_THEMES = {
    de.RENEWAL: ("agreement-renewal", "balanced-scorecard", "monthly-review"),
    de.HAND_OFF: ("integration-priorities",),
    de.REMEDIATION: ("monthly-review", "balanced-scorecard"),
    de.CAPACITY: ("it-sla-backing",),
    de.COVERAGE: ("coverage-hours",),
}

#: Short labels of the business case's figures, for the summary's table.
SHORT_LABEL = {
    bc.OVER_DELIVERY: "Agent-hours beyond what the service level target needs",
    bc.UNDER_STAFFING: "Agent-hours the service level target still needs",
    bc.UNDER_DELIVERY: "Contacts abandoned in the queue (value at risk, upper bound)",
    bc.SERVICE_CREDITS: "Service credits due under the contract",
}


# --------------------------------------------------------------------------- small helpers
def day(d: dt.date) -> str:
    return de.day(d)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _list(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _whole(v: float | None) -> float | None:
    return None if v is None else float(round(v))


_FILE_WORDS = (("(kpis.csv)", "(the monthly KPI results)"), ("(contacts.csv)", "(the contact volumes)"),
               ("kpis.csv", "the monthly KPI results"), ("contacts.csv", "the contact volumes"),
               ("engagement.yaml", "the engagement record"))


def client_words(text: str) -> str:
    """A sentence of an analysis with any file name put in the client's words (a safety net: the analyses
    speak of data, the readout never of files)."""
    for raw, words in _FILE_WORDS:
        text = text.replace(raw, words)
    return text


def source_words(raw: str, client: str, provider: str) -> str:
    """Where a figure comes from, in the client's words: never a file or a field name."""
    if not raw:
        return ""
    words = []
    for part in (p.strip() for p in raw.split(",")):
        if part.startswith("engagement.yaml commercials") or part == "engagement.yaml":
            w = "the contract and its commercial terms"
        elif part.startswith("engagement.yaml slas"):
            w = "the service level agreements"
        elif part.startswith("engagement.yaml lead_times"):
            w = "the lead times of the hand-off"
        elif part.startswith("coverage.redial_factor"):
            w = "an assumption, not a measurement"
        elif part == "contacts.csv":
            w = "the contact volumes from the telephony platform"
        elif part == "kpis.csv":
            w = f"the monthly KPI results reported by {provider}"
        elif part == "kpis.csv or the staffing standard":
            w = "the service level target"
        elif part == "checklist":
            w = "the assessment workshops"
        elif part == "the coverage analysis":
            w = "the contact volumes against today's opening hours"
        else:
            w = part
        if w not in words:
            words.append(w)
    return _list(words)


# --------------------------------------------------------------------------- the business case
def value_text(value: float | str, unit: str, currency: str) -> str:
    """An input as printed: money with its symbol, a count with separators, at most two decimals."""
    if isinstance(value, str):
        return value
    if unit and unit == currency:
        return bc.money(value, currency, 2)
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{number} {unit}".strip() if unit not in ("%",) else f"{number}%"


def _input(v: bc.Value, client: str, provider: str, currency: str = "") -> t.Input:
    value = v.value
    if isinstance(value, float):
        value = round(value, 4)
    return t.Input(v.name, value, v.unit, source_words(v.source, client, provider), value_text(value, v.unit, currency))


def amount_facts(a: bc.Amount, client: str, provider: str) -> t.Amount:
    cur = a.currency or ""
    return t.Amount(a.key, a.label, _whole(a.value), cur, a.period, _whole(a.annual), bc.money(a.value, cur),
                    bc.money(a.annual, cur), a.formula, a.working,
                    tuple(_input(v, client, provider, cur) for v in a.inputs),
                    tuple(_input(v, client, provider, cur) for v in a.results), a.note)


def hours_sentence(c: bc.CoverageCase, currency: str) -> str:
    """What a change of hours costs or saves against the contacts it serves, in one sentence."""
    add = c.change.action == bc.ADD
    if c.staffing is None and c.contacts is None:
        return "Not priced: the commercial terms are missing."
    parts = []
    if c.staffing is not None:
        parts.append(f"{'costs' if add else 'saves'} about {bc.money(c.staffing.value, currency)} a month "
                     f"({c.agent_hours_month:,.1f} agent-hours)")
    if c.contacts is not None:
        parts.append(f"{'serves up to' if add else 'puts at risk up to'} {c.contacts_month:,.0f} "
                     f"{'customers' if add else 'contacts'} a month, worth {bc.money(c.contacts.value, currency)}")
    return _cap(_list(parts)) + "."


def business_case_facts(case: bc.BusinessCase, client: str, provider: str,
                        verdicts: Mapping[str, str] | None = None, abandonment_met: str = "") -> t.BusinessCase:
    """``abandonment_met``: the abandonment result as printed ("1.7% against 5%") when it meets its target; the
    contacts still abandoned are then priced as what they are worth, not as a shortfall."""
    verdicts = verdicts or {}
    cur = case.currency or ""
    hours = []
    for c in case.coverage:
        net = c.net_annual
        verdict = verdicts.get(c.change.label) or ("not priced" if net is None else "pays" if net >= 0
                                                  else "does not pay")
        ch = t.HourChange(c.change.label, c.change.action, tuple(c.change.weekdays), c.change.start, c.change.end)
        hours.append(t.HoursCase(ch, round(c.agent_hours_month, 1), round(c.contacts_month),
                                 amount_facts(c.staffing, client, provider) if c.staffing else None,
                                 amount_facts(c.contacts, client, provider) if c.contacts else None,
                                 _whole(net), verdict, hours_sentence(c, cur)))
    missing = tuple(t.MissingFigure(m.figure, tuple(m.needs), m.client_sentence or m.sentence, m.sentence)
                    for m in case.missing)
    amounts = []
    for a in case.amounts:
        f = amount_facts(a, client, provider)
        if a.key == bc.UNDER_DELIVERY and abandonment_met:
            f = replace(f, label="Contacts still abandoned in the queue (abandonment within target)",
                        note=f"Abandonment is within target ({abandonment_met}): this is what the contacts still lost "
                             "are worth, not a shortfall. " + f.note)
        amounts.append(f)
    return t.BusinessCase(case.currency, tuple(amounts), tuple(hours), missing)


def hours_verdicts(d: de.Decision | None, changes: Sequence[bc.HourChange]) -> dict[str, str]:
    """Each change of hours' verdict as the coverage decision gives it (``not now`` while service level inside
    today's hours is far below target)."""
    if d is None or not d.recommendation.startswith("Keep today's hours and fix"):
        return {}
    return {ch.label: "not now" for ch in changes if ch.action == bc.ADD}


# --------------------------------------------------------------------------- the decisions
def decision_facts(ds: de.Decisions, client: str, provider: str) -> tuple[t.Decision, ...]:
    out = []
    for d in ds.items:
        decide_by, left, headline, recommendation = d.decide_by, d.days_left, d.headline or d.title, d.recommendation
        if d.kind == de.RENEWAL and d.deadline and decide_by and left is not None and left >= 0:
            as_of = decide_by - dt.timedelta(days=left)
            if d.recommended in ("protective_notice", "exit"):    # the notice must be received by the deadline
                decide_by = notice_by(d.deadline, as_of)
                left = (decide_by - as_of).days
            headline = _notice_words(headline, d.deadline, as_of)
            recommendation = _notice_words(recommendation, d.deadline, as_of)
        if d.kind == de.CAPACITY and d.recommended == "interim" and decide_by and left == 0:
            decide_by, left = decide_by + dt.timedelta(days=THIS_WEEK), THIS_WEEK   # "now": the interim step's date
        out.append(t.Decision(
            d.rank, d.kind, d.scope, client_words(d.title), client_words(headline), d.deadline,
            d.deadline_label, decide_by, left, d.urgency, _whole(d.stakes), client_words(d.stakes_text),
            d.currency, tuple(t.Option(o.key, o.label, o.consequence) for o in d.options), d.recommended,
            d.option.label, client_words(recommendation),
            tuple(t.Reason(client_words(e.text), source_words(e.source, client, provider), e.side)
                  for e in d.evidence),
            tuple(d.client_part),
            tuple(t.PathStep(p.kind, p.work, p.start, p.ready_lo, p.ready_hi, p.slack_days, p.latest_start,
                             p.critical, p.after, p.note) for p in d.critical_path)))
    return tuple(out)


# --------------------------------------------------------------------------- both sides
def _practice(d: sd.Driver) -> t.Practice:
    return t.Practice(d.item, d.title, d.side, d.score, d.phrase, d.note)


def sides_facts(b: sd.BothSides | None, texts: Mapping[str, tuple[str, str]]) -> t.Sides | None:
    """``texts``: KPI key -> (actual, target) as printed in the scorecard."""
    if b is None:
        return None
    findings = []
    for f in b.findings:
        actual, target = texts.get(f.kpi, (sd._num(f.actual, f.unit), sd.target_text(f.target, f.unit)))
        findings.append(t.KpiSides(f.kpi, f.name, actual, target, f.months_missed, f.months, f.run, f.owner,
                                   tuple(_practice(x) for x in f.client_part), tuple(_practice(x) for x in f.joint_part),
                                   tuple(_practice(x) for x in f.provider_part), f.sentence))
    scores = {k: (None if v is None else round(v, 1)) for k, v in b.side_scores.items()}
    return t.Sides(b.weak_at, tuple(findings), b.client_explained, b.total,
                   tuple(_practice(x) for x in b.client_practices), tuple(b.provider_kpis), tuple(b.shared_kpis),
                   b.summary, b.provider_summary, t.frozen_map(scores))


# --------------------------------------------------------------------------- keep doing, contradicted
def contradictions(keep_ids: Sequence[str], drivers: Mapping[str, Sequence[str]],
                   missed: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """For each 'keep doing' item, the KPIs missed in the month that it drives (kpis.yaml ``drivers``)."""
    out = {}
    for item in keep_ids:
        kpis = tuple(k for k, items in drivers.items() if item in items and k in missed)
        if kpis:
            out[item] = kpis
    return out


def flag_sentence(item: t.ItemFact, kpis: Sequence[Any], month: str) -> str:
    """``kpis``: the scorecard's :class:`assessment.facts.types.KpiEntry` of the month, missed."""
    shown = [f"{sd._lower_first(k.name)} ({k.actual_text} against {k.target_text})" for k in kpis[:3]]
    if len(kpis) > 3:
        shown.append(_list([sd._lower_first(k.name) for k in kpis[3:]]))
    named = _list(shown)
    verb = "was" if len(kpis) == 1 else "were"
    return (f"{item.title} ({item.id}) scores {item.as_is} and is at its target, yet {named}, which it drives, "
            f"{verb} missed in {de.month_name(month)}: not a strength until the results agree.")


# --------------------------------------------------------------------------- the executive summary
def _kpi_text(k: de.KpiStatus) -> str:
    return f"{de._num(k.actual, k.unit)} against {de._target(k.target, k.unit)}"


def _findings_of(d: de.Decision, s: de.Situation, top: bool) -> list[t.KeyFinding]:
    """The findings one decision rests on, each citing its numbers, most telling first."""
    c, p = s.client, s.provider
    out: list[t.KeyFinding] = []
    if d.kind == de.RENEWAL:
        sl = s.kpi("service_level")
        missed = [k for k in s.kpis if k.status == de.MISSED and not k.below_band]
        over = bool(sl and sl.deep_dive == "over" and not isinstance(sl.target, tuple) and sl.actual > sl.target)
        od = s.business_case.amount(bc.OVER_DELIVERY) if s.business_case else None
        if over:
            hours = next((v.value for v in od.results if v.name == "Agent-hours a month"), None) if od else None
            text = (f"{p} delivers a service level of {_kpi_text(sl)} in {de.month_name(s.kpi_month)}"
                    + (f": about {hours:,.1f} agent-hours a month beyond what the target needs, "
                       f"{s.money(od.annual)} a year paid by {c}" if od and hours is not None else "") + ".")
            out.append(t.KeyFinding(text, "KPI results and contact volumes", "provider"))
            for k in (k for k in s.kpis if k.below_band):
                out.append(t.KeyFinding(f"{k.name} {_kpi_text(k)}: paid agent time stands idle, below the band in "
                                        f"{k.months_missed} of {k.months} months.", "KPI results", "provider"))
        elif missed:
            count = (f"All {len(s.kpis)} KPIs" if len(missed) == len(s.kpis) else
                     f"{len(missed)} of the {len(s.kpis)} KPIs")
            text = f"{count} missed target in {de.month_name(s.kpi_month)}"
            if sl and sl.first_actual is not None and sl.first_month and sl.first_month != s.kpi_month:
                verb = "fell" if sl.actual < sl.first_actual else "moved"
                text += (f"; service level {verb} from {de._num(sl.first_actual, '%')} in "
                         f"{de.month_name(sl.first_month)} to {_kpi_text(sl)}")
            out.append(t.KeyFinding(text + ".", "KPI results", "provider"))
            if s.sides and s.sides.client_explained:
                b = s.sides
                one = b.client_explained == 1
                out.append(t.KeyFinding(f"{b.client_explained} of the {b.total} missed KPIs {'has' if one else 'have'} "
                                        f"a driver that {c} itself scores {b.weak_at} or lower (the root causes on "
                                        f"its side below): a new provider would inherit {'it' if one else 'them'}.",
                                        "the assessment and the KPI results", "client"))
        if top and d.urgency in (de.NOW, de.SOON, de.OVERDUE) and d.deadline:
            left = d.days_left or 0
            when = (f"{left} days after the assessment on {day(s.as_of)}" if left >= 0 else
                    f"{-left} days before the assessment")
            out.append(t.KeyFinding(f"The notice deadline for the {day(s.renewal_date)} renewal is "
                                    f"{day(d.deadline)}, {when}; without notice the agreement renews "
                                    f"{'on the same terms' if s.auto_renewal else 'only if new terms are signed'}.",
                                    "the contract", ""))
    elif d.kind == de.HAND_OFF:
        crit = [st for st in d.critical_path if st.critical]
        tight = [st for st in d.critical_path if not st.critical and st.slack_days <= 0]
        for st in crit[:1]:
            late = -st.slack_days
            text = (f"{st.work} is ready on {day(st.ready_hi)} at the longer lead times"
                    + (f", {late} days after the {day(s.hand_off)} hand-off" if late > 0 else ", on the day")
                    + (f"; it had to start by {day(st.latest_start)}" if st.latest_start < s.as_of else "") + ".")
            out.append(t.KeyFinding(text, "the lead times of the hand-off", "joint"))
        if tight:
            names = _list([de._lower(st.work) if n else st.work for n, st in enumerate(tight)])
            out.append(t.KeyFinding(f"{names} {'has' if len(tight) == 1 else 'have'} no slack: ready on "
                                    f"{day(max(st.ready_hi for st in tight))} at the longer lead times, the day "
                                    "itself; any delay moves the hand-off.", "the lead times of the hand-off",
                                    "joint"))
    elif d.kind == de.CAPACITY:
        ev = [e for e in d.evidence if e.side == "client"]
        if ev:
            text = ev[0].text
            peak = next((pk for pk in sorted(s.peaks, key=lambda x: x.start) if pk.end >= s.as_of), None)
            if peak:
                text += (f" {peak.name} {'is under way' if peak.start <= s.as_of else 'starts on ' + day(peak.start)}.")
            out.append(t.KeyFinding(text, "the service level agreements", "client"))
    elif d.kind == de.REMEDIATION:
        runs = [k for k in s.kpis if k.status == de.MISSED and k.run >= de.REMEDIATION_RUN and not k.below_band]
        longest = max(runs, key=lambda k: k.run)
        credits = s.business_case.amount(bc.SERVICE_CREDITS) if s.business_case else None
        out.append(t.KeyFinding(f"{len(runs)} KPI{'s have' if len(runs) != 1 else ' has'} been missed "
                                f"{de.REMEDIATION_RUN} months running or more ({longest.name.lower() if longest.name[1:2].islower() else longest.name} "
                                f"{longest.run} months)"
                                + (f"; {s.money(credits.value)} in service credits are due" if credits and credits.value
                                   else "") + ".", "KPI results", "provider"))
    elif d.kind == de.COVERAGE:
        ev = [e for e in d.evidence if e.side == "joint"]
        if d.recommendation.startswith("Keep today's hours and fix") and s.kpi("service_level"):
            sl = s.kpi("service_level")
            out.append(t.KeyFinding(f"Service level inside today's hours is {_kpi_text(sl)}: longer hours would "
                                    "spread the same agents thinner.", "KPI results", "provider"))
        elif s.business_case and s.business_case.coverage:
            cases = [c for c in s.business_case.coverage if c.change.label in d.recommendation]
            adds = [c for c in cases if c.change.action == bc.ADD]
            if d.recommended in ("extend", "reshape") and adds:
                served = sum(c.contacts_month for c in adds)
                cost = sum(c.staffing.value for c in adds if c.staffing)
                out.append(t.KeyFinding(
                    f"Up to {served:,.0f} customers a month find the line closed in the hours the volumes support "
                    f"adding ({_list([c.change.label for c in adds])}); staffing them costs about "
                    f"{s.money(cost)} a month" + (f", and the change nets about {s.money(d.stakes)} a year"
                                                  if d.stakes else "") + ".",
                    "the contact volumes and the commercial terms", "joint"))
            elif ev:
                out.append(t.KeyFinding(ev[0].text, "the contact volumes and the commercial terms", "joint"))
    return out


def key_findings(ds: de.Decisions, s: de.Situation) -> tuple[t.KeyFinding, ...]:
    if not ds.items:
        return ()
    found = _findings_of(ds.items[0], s, True)
    head = found[:2] + [f for f in found[2:] if f.source == "the contract"]
    out = head[:SUMMARY_FINDINGS]
    for d in ds.items[1:]:
        if len(out) >= SUMMARY_FINDINGS:
            break
        more = [f for f in _findings_of(d, s, False) if f.text not in {x.text for x in out}]
        out += more[:1]
    return tuple(out[:SUMMARY_FINDINGS])


def _related(kind: str, cl) -> list[Any]:
    themes = RELATED_THEMES.get(kind, ())
    return [i for i in cl.items if i.theme in themes or (kind == de.HAND_OFF and i.lead_time)]


def root_causes(ds: de.Decisions, s: de.Situation, cl, items: Mapping[str, t.ItemFact],
                both: sd.BothSides | None) -> tuple[t.Cause, ...]:
    """The weak practices on each side that bear on the decisions (most important decision first), and the
    provider's results that nothing on the client's side explains."""
    c, p = s.client, s.provider
    picked: dict[str, list[t.Cause]] = {"client": [], "provider": [], "joint": []}
    seen: set[str] = set()

    def add(side: str, item: t.ItemFact | None, phrase: str, text: str = "") -> None:
        if side not in picked or len(picked[side]) >= MAX_CAUSES[side]:
            return
        if item is not None:
            if item.id in seen:
                return
            seen.add(item.id)
            picked[side].append(t.Cause(side, _cap(phrase or item.title), item.id, item.as_is, item.notes))
        else:
            picked[side].append(t.Cause(side, text))

    kpi_led = {de.RENEWAL, de.REMEDIATION}
    for d in ds.items[:3]:
        if d.kind in kpi_led and both is not None and both.total:
            for drv in both.client_practices:
                add("client", items.get(drv.item), drv.phrase)
            for f in both.findings:
                for drv in f.joint_part + f.provider_part:
                    add(drv.side, items.get(drv.item), drv.phrase)
        for spec in _related(d.kind, cl):
            i = items.get(spec.id)
            if (i is None or i.as_is is None or i.to_be is None or i.as_is > WEAK_SCORE
                    or i.to_be - i.as_is < WEAK_GAP or spec.side not in picked):
                continue
            add(spec.side, i, spec.weak)
    # the provider's measured part
    sl = s.kpi("service_level")
    over = bool(sl and sl.deep_dive == "over" and not isinstance(sl.target, tuple) and sl.actual > sl.target)
    idle = [k for k in s.kpis if k.below_band]
    if both is not None:
        names = {f.kpi: f for f in both.findings}
        for key in both.provider_kpis:
            if over and any(k.key == key for k in idle):
                continue
            f = names[key]
            add("provider", None, "", f"{f.name} {sd._num(f.actual, f.unit)} against "
                                      f"{sd.target_text(f.target, f.unit)}, missed {f.months_missed} of {f.months} "
                                      f"months; no weak practice on {possessive(c)} side explains it.")
    if over:
        add("provider", None, "", f"{p} staffs for a service level of {de._num(sl.actual, '%')} against "
                                  f"{de._target(sl.target, '%')}"
                                  + (f", with occupancy at {_kpi_text(idle[0])}" if idle else "")
                                  + ": capacity beyond what the contract asks, billed to "
                                  + c + ".")
    out = []
    for side in ("client", "provider", "joint"):
        out += picked[side]
    return tuple(out)


def money_lines(case: t.BusinessCase | None, decisions: Sequence[t.Decision],
                abandonment_missed: bool = True) -> tuple[t.MoneyLine, ...]:
    """The business case's figures a year (the credits over the last 12 months), what a capacity gap puts at
    stake and what a recommended change of hours nets. Abandoned contacts count only while abandonment is
    missed (a service that meets its abandonment target has no under-delivery to price)."""
    out = []
    if case is not None:
        for a in case.amounts:
            if a.key == bc.UNDER_DELIVERY and not abandonment_missed:
                continue
            if a.value:
                yearly = a.key != bc.SERVICE_CREDITS
                out.append(t.MoneyLine(SHORT_LABEL.get(a.key, a.label), a.annual_text if yearly else a.text,
                                       "a year" if yearly else a.period.replace("over the ", ""), a.key))
    for d in decisions:
        if d.kind == de.CAPACITY and d.stakes:
            out.append(t.MoneyLine("Transactions IT cannot carry (value at risk, upper bound)",
                                   d.stakes_text.removeprefix("up to ").split(" in ")[0], "at stake", d.kind))
        if d.kind == de.COVERAGE and d.recommended in ("extend", "trim", "reshape") and d.stakes and d.currency:
            out.append(t.MoneyLine("Recommended change of opening hours, net of its staffing",
                                   bc.money(d.stakes, d.currency), "a year", d.kind))
    return tuple(out)


_MONEY_PHRASE = {
    bc.OVER_DELIVERY: "{text} a year of it pays for agent-hours beyond what the service level target needs",
    bc.SERVICE_CREDITS: "{text} in service credits are due for the last 12 months",
    bc.UNDER_DELIVERY: "contacts abandoned in the queue put up to {text} a year at risk",
    bc.UNDER_STAFFING: "meeting the service level target needs about {text} a year more in agent-hours",
    de.CAPACITY: "up to {text} of business is at stake where IT cannot carry the demand",
    de.COVERAGE: "opening hours that follow demand would net about {text} a year",
}
_MONEY_ORDER = (bc.OVER_DELIVERY, bc.SERVICE_CREDITS, bc.UNDER_DELIVERY, de.COVERAGE, de.CAPACITY,
                bc.UNDER_STAFFING)


def _money_sentence(top: de.Decision, s: de.Situation, lines: Sequence[t.MoneyLine]) -> str:
    """The money at stake in one sentence: the headline decision's stake, then the two largest figures that
    bear on it."""
    if top.kind == de.HAND_OFF and s.monthly_fee is not None:
        head = (f"From {day(s.hand_off)}, {s.provider} is paid {s.money(s.monthly_fee)} a month: a first month that "
                "fails is paid for all the same")
    elif top.kind == de.RENEWAL and s.monthly_fee is not None:
        head = f"The renewal commits {s.money(s.monthly_fee * 12)} a year"
    else:
        head = _cap(top.stakes_text)
    by = {ln.key: ln for ln in lines}
    extra = [_MONEY_PHRASE[k].format(text=by[k].text) for k in _MONEY_ORDER if k in by][:2]
    return head + ("; " + "; ".join(extra) if extra else "") + "."


def _owner(side: str, role: str, s: de.Situation) -> str:
    if side == "client":
        return f"{s.client} {role}"
    if side == "provider":
        return f"{s.provider} {role}"
    return role


def _notice_words(text: str, deadline: dt.date | None, as_of: dt.date) -> str:
    """A renewal decision's wording with the notice served a week before the deadline, not on it."""
    if not deadline:
        return text
    old, new = day(deadline), day(notice_by(deadline, as_of))
    for a, b in ((f"By {old}, serve", f"By {new}, with proof of receipt, serve"),
                 (f"by {old}, then", f"by {new}, with proof of receipt, then"),
                 (f"notice by {old}", f"notice by {new}, with proof of receipt,")):
        text = text.replace(a, b)
    return text


def _step(text: str, side: str, role: str, when: dt.date, s: de.Situation, kind: str) -> t.NextStep:
    return t.NextStep(text, _owner(side, role, s), side, max(when, s.as_of), kind)


def _gap_action(gap: str, provider: str) -> str:
    """A piece of negotiation evidence the renewal decision found missing, as something to do."""
    if gap.startswith("cost per contact"):
        return "put cost per contact on the scorecard (the fee over the contacts handled, month by month)"
    if gap.startswith("no KPI history"):
        return f"collect the monthly KPI results from {provider}"
    if gap.startswith("only"):
        return f"collect at least six months of KPI results from {provider} ({gap})"
    if gap.startswith("no commercial figures"):
        return "confirm the monthly fee and the service credits in the contract"
    return gap


def steps_for(d: de.Decision, s: de.Situation, cl, items: Mapping[str, t.ItemFact]) -> list[t.NextStep]:
    """The next steps one decision calls for, each with an owner and a date (never before the readout)."""
    c, p = s.client, s.provider
    week = s.as_of + dt.timedelta(days=THIS_WEEK)
    out: list[t.NextStep] = []
    if d.kind == de.RENEWAL:
        latest = (d.deadline or week) - dt.timedelta(days=de.EVIDENCE_DAYS)
        posture = d.posture
        if d.recommended == "protective_notice":
            out.append(_step(f"Serve protective notice of non-renewal on {p}, with proof of receipt"
                             + (" (or agree a short extension in writing)" if s.auto_renewal else ""),
                             "client", "procurement lead",
                             notice_by(d.deadline, s.as_of) or week, s, d.kind))
            what = ("the service-level target and the price, with the over-delivery priced in this readout as "
                    "evidence" if posture == "renegotiate" and "price" in d.headline else "new terms")
            gaps = [e.text.removeprefix("Evidence missing for the negotiation: ").rstrip(".") for e in d.evidence
                    if e.text.startswith("Evidence missing for the negotiation: ")]
            if gaps:
                gaps = [_gap_action(g, p) for g in gaps]
                out.append(_step("Before the notice goes out, " + _list(gaps),
                                 "client", "vendor manager", (notice_by(d.deadline, s.as_of) or week) - dt.timedelta(days=7), s,
                                 d.kind))
            out.append(_step(f"Open the renegotiation of {what}", "client", "vendor manager",
                             min((d.deadline or week) + dt.timedelta(days=30),
                                 s.renewal_date - dt.timedelta(days=30)), s, d.kind))
        elif d.recommended == "short_renewal":
            if d.client_part:
                out.append(_step(f"Agree a joint remediation plan with {p} at the next monthly review, with "
                                 f"{possessive(c)} own actions in it for the root causes on its side", "joint",
                                 "service owners of both sides", s.as_of + dt.timedelta(days=de.REVIEW_DAYS), s,
                                 d.kind))
            out.append(_step(f"Put the renewal terms to {p}: {de.SHORT_RENEWAL_MONTHS} months only, the remediation "
                             "plan written in and the service credits applied", "client", "procurement lead",
                             latest, s, d.kind))
        elif d.recommended == "exit":
            out.append(_step(f"Serve notice of non-renewal on {p}, with proof of receipt, and start the market test",
                             "client", "procurement lead", notice_by(d.deadline, s.as_of) or week, s, d.kind))
        elif d.recommended == "renegotiate":
            out.append(_step(f"Table the renegotiation with {p}: a formal remediation plan, credits that apply and "
                             "a right to exit", "client", "procurement lead", latest, s, d.kind))
        else:
            out.append(_step("Confirm the renewal and put the next notice deadline in the contract register",
                             "client", "vendor manager", d.deadline or week, s, d.kind))
    elif d.kind == de.HAND_OFF:
        opt = d.option.label
        out.append(_step(f"Hold the go / no-go meeting and agree the plan: {opt[:1].lower() + opt[1:]}", "joint",
                         "transition managers of both sides", week, s, d.kind))
        lead = {i.lead_time: i for i in cl.items if i.lead_time}
        crit = [st for st in d.critical_path if st.slack_days <= 0]
        for st in crit:
            for kind in ([st.kind, st.after] if st.after else [st.kind]):
                spec = lead.get(kind)
                if spec is None:
                    continue
                i = items.get(spec.id)
                note = (i.notes if i and i.notes else "")
                side = spec.side or "joint"
                role = {"client": "transition manager", "provider": "account director"}.get(
                    side, "transition managers of both sides")
                name = LEAD_TIME_LABEL.get(kind, spec.title)
                text = (f"Unblock {sd._lower_first(name)}, on the critical path"
                        + (f": {sd._lower_first(note).rstrip('.')}" if note else ""))
                out.append(_step(text, side, role, week, s, d.kind))
        out.append(_step(f"Plan hypercare and a fallback for the first month after {day(s.hand_off)}: daily "
                         "checkpoints, go / no-go gates and the in-house team on standby", "joint",
                         "transition managers of both sides", s.hand_off - dt.timedelta(days=14), s, d.kind))
    elif d.kind == de.REMEDIATION:
        credits = s.business_case.amount(bc.SERVICE_CREDITS) if s.business_case else None
        out.append(_step("Agree a formal remediation plan at the next monthly service review: a root cause, an "
                         "owner and dated actions for each KPI missed three months running"
                         + (f", and claim the {s.money(credits.value)} in service credits" if credits and credits.value
                            else ""), "joint", "service owners of both sides", d.decide_by or week, s, d.kind))
        if s.sides and s.sides.provider_kpis:
            names = {f.kpi: f.name for f in s.sides.findings}
            listed = _list([names[k] if n == 0 else sd._lower_first(names[k])
                            for n, k in enumerate(s.sides.provider_kpis)])
            out.append(_step(f"Bring {listed[:1].lower() + listed[1:] if listed[1:2].islower() else listed} back "
                             "within target with a staffing and retention plan", "provider", "account director",
                             d.decide_by or week, s, d.kind))
    elif d.kind == de.CAPACITY:
        gaps = _list([g.name for g in s.sla_gaps])
        if d.recommended == "interim":
            peaks = sorted((pk for pk in s.peaks if pk.end >= s.as_of), key=lambda pk: pk.start)
            out.append(_step(f"Agree interim measures for {peaks[0].name}: a fallback route for what IT cannot take "
                             "and customers told the waiting time", "client", "IT director", week, s, d.kind))
            if len(peaks) > 1:
                out.append(_step(f"Fund and test the IT capacity for {gaps} before {peaks[1].name}", "client",
                                 "IT director", peaks[1].start - dt.timedelta(days=90), s, d.kind))
        else:
            out.append(_step(f"Fund the IT capacity and service levels for {gaps}", "client", "IT director",
                             d.decide_by or s.as_of + dt.timedelta(days=90), s, d.kind))
    elif d.kind == de.COVERAGE:
        if d.recommendation.startswith("Keep today's hours and fix"):
            out.append(_step("Review the opening hours again once service level is back within tolerance",
                             "joint", "service owners of both sides", s.as_of + dt.timedelta(days=90), s, d.kind))
        elif d.recommended != "keep":
            when = d.decide_by or s.as_of + dt.timedelta(days=30)
            changes = d.headline.removeprefix("Change the opening hours: ")
            out.append(_step("Decide the opening hours" + (" before the hiring plan is fixed" if d.deadline else "")
                             + f": {changes}", "joint", "service owners of both sides",
                             when if when > s.as_of else week, s, d.kind))
    return out


def _per_decision(ds: de.Decisions, s: de.Situation, cl, items) -> list[list[t.NextStep]]:
    per = [steps_for(d, s, cl, items) for d in ds.items]
    joint_plan = any(d.kind == de.RENEWAL and d.recommended == "short_renewal" and d.client_part for d in ds.items)
    if joint_plan:   # the renewal's joint remediation plan is the remediation decision's plan: say it once
        per = [[x for x in steps if not (x.decision == de.REMEDIATION and x.side == "joint")] for steps in per]
    return per


def next_steps(ds: de.Decisions, s: de.Situation, cl, items: Mapping[str, t.ItemFact]) -> tuple[t.NextStep, ...]:
    """Three steps: the headline decision's first two (three for a hand-off due now), then the first of each next
    decision; by date."""
    if not ds.items:
        return ()
    per = _per_decision(ds, s, cl, items)
    first = 3 if ds.items[0].kind == de.HAND_OFF and ds.items[0].urgency in (de.NOW, de.OVERDUE) else 2
    chosen = per[0][:first]
    for more in per[1:]:
        if len(chosen) >= SUMMARY_STEPS:
            break
        chosen += [x for x in more if x.text not in {c.text for c in chosen}][:1]
    chosen += [x for x in per[0][2:] if x not in chosen][: max(0, SUMMARY_STEPS - len(chosen))]
    return tuple(sorted(chosen[:SUMMARY_STEPS], key=lambda x: x.date))


def all_steps(ds: de.Decisions, s: de.Situation, cl, items: Mapping[str, t.ItemFact]) -> tuple[t.NextStep, ...]:
    """Every decision's steps, by date: the governance section's plan."""
    seen, out = set(), []
    for steps in _per_decision(ds, s, cl, items):
        for x in steps:
            if x.text not in seen:
                seen.add(x.text)
                out.append(x)
    return tuple(sorted(out, key=lambda x: x.date))


#: How the summary names the other decisions, in a line.
SHORT_NAME = {de.RENEWAL: "the renewal", de.HAND_OFF: "the hand-off", de.REMEDIATION: "a formal remediation plan",
              de.CAPACITY: "the IT capacity the business service levels need", de.COVERAGE: "the opening hours"}


def summary(ds: de.Decisions, decisions: Sequence[t.Decision], s: de.Situation, cl,
            items: Mapping[str, t.ItemFact], both: sd.BothSides | None, case: t.BusinessCase | None,
            flags: Sequence[t.Flag]) -> t.Summary:
    ab = s.kpi("abandonment")
    lines = money_lines(case, decisions, ab is not None and ab.status == de.MISSED)
    if not ds.items:
        return t.Summary("", "", None, "", "", "", (), root_causes(ds, s, cl, items, both), lines, (), tuple(flags),
                         ())
    top = ds.items[0]
    date = top.decide_by if top.kind != de.HAND_OFF else top.deadline
    label = ("decide by the renewal notice deadline" if top.kind == de.RENEWAL else
             "the hand-off date" if top.kind == de.HAND_OFF else
             f"decide by {top.deadline_label}" if top.deadline_label else "decide by")
    headline, recommendation = top.headline or top.title, top.recommendation
    if top.kind == de.RENEWAL and top.deadline and top.deadline >= s.as_of:
        headline = _notice_words(headline, top.deadline, s.as_of)
        recommendation = _notice_words(recommendation, top.deadline, s.as_of)
        if top.recommended == "protective_notice":
            date, label = notice_by(top.deadline, s.as_of), "decide and serve notice by"
    others = tuple(_cap(SHORT_NAME.get(d.kind, d.title)) + (": now" if d.decide_by == s.as_of else
                                                            f": by {day(d.decide_by)}" if d.decide_by else
                                                            ": no fixed date")
                   for d in decisions[1:])
    return t.Summary(top.kind, client_words(headline), date, label, _money_sentence(top, s, lines),
                     client_words(recommendation), tuple(t.KeyFinding(client_words(f.text), f.source, f.side)
                                                             for f in key_findings(ds, s)), root_causes(ds, s, cl, items, both), lines,
                     next_steps(ds, s, cl, items), tuple(flags), others)
