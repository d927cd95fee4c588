"""The business case in money: what over- and under-delivery, service credits and a change of hours cost. Pure.

Inputs are plain values: the ``commercials`` block of ``engagement.yaml``
(:class:`assessment.model.Commercials`: currency, agent_hour_cost, monthly_fee, service_credits,
value_per_lost_contact), interval volumes (:class:`ContactData`, see :func:`contact_data` for a
contacts.csv frame), KPI-months (:class:`KpiMonth`, see :func:`kpi_months` for a scorecard) and the
service level achieved and targeted. Every figure is an :class:`Amount` that carries its inputs, its
formula in words and the working with the numbers put in, so an appendix "How the business case was
computed" can show the client's finance team every step. Money is never rounded here; print it with
:func:`money`.

The formulas (``DAYS_PER_MONTH`` = 30.4, as the coverage analysis scales its data to a month):

* **Over-delivery** (:func:`staffing_gap`). For each interval inside opening hours with contacts:
  ``N_achieved`` = the fewest agents Erlang C needs to reach the service level achieved, ``N_target``
  = the fewest it needs to reach the target, both on the interval's volume and handle time. Agent-hours
  a month = Σ (N_achieved − N_target) × interval hours × 30.4 ÷ days of data; money a year =
  agent-hours a month × 12 × agent_hour_cost. When the service level achieved is below target the
  same sum is negative: the agent-hours the target still needs (key ``under_staffing``).
* **Under-delivery** (:func:`under_delivery`): contacts abandoned inside opening hours a month
  (Σ abandoned × 30.4 ÷ days) × value_per_lost_contact; a year = × 12.
* **Service credits** (:func:`service_credits`): for each ``{kpi, percent}`` of the contract, the
  months of the last 12 (ending with the latest KPI month) in which the KPI was Missed, × percent ÷ 100
  × monthly_fee.
* **A change of hours** (:func:`coverage_change`): for the hours added or removed, the agents Erlang C
  needs for the target in each interval (at least one while open), × interval hours, scaled to a month,
  × 12 × agent_hour_cost; against the contacts offered in those hours a month × 12 ×
  value_per_lost_contact (recovered when hours are added, at risk when they are removed). Hours
  added are closed today, so their attempts include the same customers calling again: customers
  are the distinct callers when the data has them (``Interval.callers``), else attempts ÷
  ``redial_factor`` (1.3 in a readout, ``coverage.redial_factor``; 1 here by default).

Without ``commercials`` (or without the data a figure needs) :func:`business_case` returns, for each
figure, what it needs in client-facing words (:class:`Missing`).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Iterable, Sequence

from . import erlang

DAYS_PER_MONTH = 30.4        # a month of interval data (coverage.py scales the same way)
MONTHS_PER_YEAR = 12
CREDIT_MONTHS = 12           # service credits are counted over the last 12 KPI months
MIN_AGENTS_OPEN = 1          # an interval that is open is staffed by at least one agent
SL_CAP = 0.999               # Erlang C answers targets below 100 %: an achieved 100 % counts as 99.9 %
SL_FLOOR = 0.01

OVER_DELIVERY, UNDER_STAFFING, UNDER_DELIVERY, SERVICE_CREDITS = (
    "over_delivery", "under_staffing", "under_delivery", "service_credits")
COVERAGE_STAFFING, COVERAGE_CONTACTS = "coverage_staffing", "coverage_contacts"
ADD, REMOVE = "add", "remove"

_SYMBOL = {"EUR": "€", "GBP": "£", "USD": "$"}


def money(value: float, currency: str, decimals: int = 0) -> str:
    """``£410,000``, ``€32.00``, ``CHF 1,250``: the symbol for EUR, GBP and USD, else the ISO code."""
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.{decimals}f}"
    sym = _SYMBOL.get(currency)
    return f"{sign}{sym}{text}" if sym else f"{sign}{currency} {text}"


def _n(v: float, decimals: int = 1) -> str:
    text = f"{v:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --------------------------------------------------------------------------- data types
@dataclass(frozen=True)
class Interval:
    """One interval of contacts.csv, in the coverage time zone."""

    weekday: int                 # 0 = Monday
    hour: float                  # start, local hours: 8.5 = 08:30
    offered: float
    abandoned: float = 0.0
    aht_s: float | None = None   # None (or 0) when the interval has no handle time
    open: bool = True            # inside the opening hours
    callers: float | None = None  # distinct callers in the interval (None: the data has no caller ids)


@dataclass(frozen=True)
class ContactData:
    """Interval volumes: ``days`` distinct days of data in ``interval_s``-second intervals."""

    intervals: tuple[Interval, ...]
    days: int
    interval_s: float = 1800.0

    @property
    def months(self) -> float:
        return self.days / DAYS_PER_MONTH

    @property
    def interval_h(self) -> float:
        return self.interval_s / 3600

    def mean_aht(self) -> float:
        """Handle time weighted by contacts offered over the intervals that have one; Erlang's default otherwise."""
        num = den = 0.0
        for i in self.intervals:
            if _aht_ok(i.aht_s) and i.offered > 0:
                num += i.aht_s * i.offered
                den += i.offered
        return num / den if den else erlang.DEFAULT_AHT

    def aht(self, interval: Interval) -> float:
        return float(interval.aht_s) if _aht_ok(interval.aht_s) else self.mean_aht()


def _aht_ok(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and 0 < v < math.inf


@dataclass(frozen=True)
class KpiMonth:
    """One KPI-month of the scorecard: was it Missed (red)?"""

    month: str          # YYYY-MM
    kpi: str
    missed: bool
    actual: float | None = None


@dataclass(frozen=True)
class HourChange:
    """Hours to add or remove: ``[start, end)`` local hours on ``weekdays``."""

    action: str                  # "add" | "remove"
    weekdays: tuple[int, ...]    # 0 = Monday
    start: float
    end: float
    label: str                   # "weekday closing 17:00 -> 18:00"


@dataclass(frozen=True)
class Value:
    """An input or an intermediate result, named for a finance reader, with where it comes from."""

    name: str
    value: float | str
    unit: str = ""
    source: str = ""


@dataclass(frozen=True)
class Amount:
    """One figure of the business case, with everything needed to check it."""

    key: str                     # over_delivery | under_staffing | under_delivery | service_credits | coverage_*
    label: str                   # client-facing name
    value: float                 # money in ``currency`` for ``period``
    currency: str
    period: str                  # "a year" | "a month" | "over the last 12 months"
    annual: float                # the same money over a year (to compare and rank)
    formula: str                 # in words and symbols
    working: str                 # the formula with the numbers put in
    inputs: tuple[Value, ...]
    results: tuple[Value, ...] = ()
    note: str = ""               # a caveat for the reader

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CoverageCase:
    """A change of hours: its staffing money against the contacts it recovers (or puts at risk)."""

    change: HourChange
    agent_hours_month: float
    contacts_month: float
    staffing: Amount | None      # a cost when hours are added, a saving when removed (None without agent_hour_cost)
    contacts: Amount | None      # recovered when added, at risk when removed (None without value_per_lost_contact)

    @property
    def net_annual(self) -> float | None:
        """Money a year in the client's favour: recovered − cost (add), saving − at risk (remove)."""
        if self.staffing is None or self.contacts is None:
            return None
        if self.change.action == ADD:
            return self.contacts.annual - self.staffing.annual
        return self.staffing.annual - self.contacts.annual

    def to_dict(self) -> dict:
        d = asdict(self)
        d["net_annual"] = self.net_annual
        return d


@dataclass(frozen=True)
class Missing:
    """A figure that cannot be computed, and what it needs: ``sentence`` names where it goes in the engagement
    file (for the consultant), ``client_sentence`` says it in the client's words (for the readout)."""

    figure: str
    needs: tuple[str, ...]
    sentence: str
    client_sentence: str = ""


@dataclass(frozen=True)
class BusinessCase:
    currency: str | None
    amounts: tuple[Amount, ...]
    coverage: tuple[CoverageCase, ...] = ()
    missing: tuple[Missing, ...] = ()

    def amount(self, key: str) -> Amount | None:
        return next((a for a in self.amounts if a.key == key), None)

    def all_amounts(self) -> tuple[Amount, ...]:
        """Every amount, the coverage changes' included, in the order an appendix shows them."""
        extra = [a for c in self.coverage for a in (c.staffing, c.contacts) if a is not None]
        return self.amounts + tuple(extra)

    def to_dict(self) -> dict:
        return {"currency": self.currency, "amounts": [a.to_dict() for a in self.amounts],
                "coverage": [c.to_dict() for c in self.coverage], "missing": [asdict(m) for m in self.missing]}


# --------------------------------------------------------------------------- the figures
def _sl(x: float) -> float:
    return min(max(x, SL_FLOOR), SL_CAP)


@lru_cache(maxsize=65536)
def _need(target: float, answer_s: float, offered: float, aht_s: float, interval_s: float) -> int | None:
    """Erlang C's fewest agents for ``target``; None past its bounds (a load ``inputs`` would not accept).
    Cached: interval data repeats the same volume and handle time often."""
    try:
        return erlang.agents_for(target, answer_s, offered, aht_s, interval_s)
    except erlang.ErlangLimit:
        return None


def staffing_gap(data: ContactData, achieved_sl: float, target_sl: float, answer_s: float, agent_hour_cost: float,
                 currency: str, sl_source: str = "kpis.csv") -> Amount:
    """The agents the service level achieved implies against those the target needs, in money a year.

    ``achieved_sl`` and ``target_sl`` are fractions (0.931, 0.80); ``answer_s`` the target's answer time.
    Key ``over_delivery`` (achieved at or above target: the cost of the extra agent-hours) or
    ``under_staffing`` (below target: the cost of the agent-hours the target still needs). ``value``
    is positive either way.
    """
    a, t = _sl(achieved_sl), _sl(target_sl)
    excess_h = 0.0
    counted = skipped = 0
    mean = data.mean_aht()
    for i in data.intervals:
        if not i.open or i.offered <= 0:
            continue
        aht = float(i.aht_s) if _aht_ok(i.aht_s) else mean
        n_a = _need(a, answer_s, i.offered, aht, data.interval_s)
        n_t = _need(t, answer_s, i.offered, aht, data.interval_s)
        if n_a is None or n_t is None:
            skipped += 1
            continue
        excess_h += (n_a - n_t) * data.interval_h
        counted += 1
    per_month = excess_h / data.months if data.days else 0.0
    per_year = per_month * MONTHS_PER_YEAR * agent_hour_cost
    over = achieved_sl >= target_sl
    key = OVER_DELIVERY if over else UNDER_STAFFING
    label = ("The cost of over-delivery: agents beyond what the target needs" if over
             else "The cost of meeting the target: agents the target still needs")
    word = "beyond" if over else "short of"
    formula = ("For each open interval with contacts: agents for the service level achieved − agents for the target, "
               f"each the fewest Erlang C needs to answer that share within {_n(answer_s, 0)} s on the interval's "
               "contacts and handle time; Σ × interval length = agent-hours in the data; × "
               f"{DAYS_PER_MONTH:g} ÷ days of data = agent-hours a month; × {MONTHS_PER_YEAR} × cost of an agent hour.")
    working = (f"Σ (N_achieved − N_target) × {_n(data.interval_h, 2)} h over {counted:,} intervals = "
               f"{_n(excess_h)} agent-hours in {data.days} days; × {DAYS_PER_MONTH:g} ÷ {data.days} = "
               f"{_n(per_month)} agent-hours a month; × {MONTHS_PER_YEAR} × {money(agent_hour_cost, currency, 2)} = "
               f"{money(per_year, currency)} a year")
    return Amount(key, label, abs(per_year), currency, "a year", abs(per_year), formula, working,
                  (Value("Service level achieved", round(achieved_sl * 100, 2), "%", sl_source),
                   Value("Service level target", round(target_sl * 100, 2), "%", sl_source),
                   Value("Answer time of the target", answer_s, "s", "the service level's definition"),
                   Value("Interval length", data.interval_s / 60, "min", "contacts.csv"),
                   Value("Days of interval data", data.days, "days", "contacts.csv"),
                   Value("Open intervals with contacts", counted, "intervals", "contacts.csv"),
                   Value("Cost of an agent hour", agent_hour_cost, currency,
                         "engagement.yaml commercials.agent_hour_cost")),
                  (Value("Agent-hours in the data", round(excess_h, 4), "h"),
                   Value("Agent-hours a month", round(abs(per_month), 4), "h"),),
                  f"Erlang C assumes no abandonment; it gives the agents {word} the target the service level "
                  "implies, not a headcount."
                  + (f" {skipped:,} interval{' is' if skipped == 1 else 's are'} beyond what Erlang C is computed "
                     f"for here and left out." if skipped else ""))


def under_delivery(data: ContactData, value_per_lost_contact: float, currency: str,
                   abandonment_target: float | None = None) -> Amount:
    """Contacts abandoned inside opening hours a month × the value of a lost contact (a month; annual × 12).

    ``abandonment_target``: a fraction (0.05) to also report how many of them are above the target.
    """
    abandoned = sum(i.abandoned for i in data.intervals if i.open)
    offered = sum(i.offered for i in data.intervals if i.open)
    per_month = abandoned / data.months if data.days else 0.0
    offered_month = offered / data.months if data.days else 0.0
    value = per_month * value_per_lost_contact
    results = [Value("Contacts abandoned in the data", abandoned, "contacts"),
               Value("Contacts abandoned a month", round(per_month, 4), "contacts"),
               Value("Abandonment rate", round(abandoned / offered * 100, 4) if offered else 0.0, "%")]
    note = "An abandoned contact may call back; the value at risk is an upper bound."
    if abandonment_target is not None:
        above = max(0.0, per_month - abandonment_target * offered_month)
        results.append(Value(f"Abandoned above the {_n(abandonment_target * 100)} % target a month", round(above, 4),
                             "contacts"))
        results.append(Value("Value of those above the target a month", round(above * value_per_lost_contact, 4),
                             currency))
    return Amount(UNDER_DELIVERY, "The cost of under-delivery: contacts abandoned in the queue", value, currency,
                  "a month", value * MONTHS_PER_YEAR,
                  f"Contacts abandoned inside opening hours × {DAYS_PER_MONTH:g} ÷ days of data = abandoned a month; "
                  "× value per lost contact.",
                  f"{abandoned:,.0f} abandoned in {data.days} days × {DAYS_PER_MONTH:g} ÷ {data.days} = "
                  f"{_n(per_month)} a month × {money(value_per_lost_contact, currency, 2)} = {money(value, currency)} "
                  f"a month ({money(value * MONTHS_PER_YEAR, currency)} a year)",
                  (Value("Days of interval data", data.days, "days", "contacts.csv"),
                   Value("Value per lost contact", value_per_lost_contact, currency,
                         "engagement.yaml commercials.value_per_lost_contact")),
                  tuple(results), note)


def _month_index(month: str) -> int:
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


def credit_window(upto_month: str, months: int = CREDIT_MONTHS) -> tuple[str, str]:
    """The first and last month of the ``months`` months ending with ``upto_month`` (both YYYY-MM)."""
    first = _month_index(upto_month) - months + 1
    return f"{first // 12:04d}-{first % 12 + 1:02d}", upto_month


def service_credits(kpi_months: Iterable[KpiMonth], credits: Sequence[Any], monthly_fee: float, upto_month: str,
                    currency: str, months: int = CREDIT_MONTHS, names: dict | None = None) -> Amount:
    """Credits due under the contract over the ``months`` months ending with ``upto_month``.

    ``credits``: ``{kpi, percent}`` entries (model objects, mappings or (kpi, percent) pairs); each
    Missed KPI-month of a credited KPI earns ``percent`` % of ``monthly_fee``. ``names``: KPI key -> the name to
    print (the key itself by default).
    """
    names = names or {}
    first, last = credit_window(upto_month, months)
    rows = [m for m in kpi_months if first <= m.month <= last]
    total = 0.0
    results, parts = [], []
    pairs = [_credit(c) for c in credits]
    for kpi, pct in pairs:
        missed = sorted({m.month for m in rows if m.kpi == kpi and m.missed})
        due = len(missed) * pct / 100 * monthly_fee
        total += due
        name = names.get(kpi, kpi)
        results.append(Value(f"{name}: months missed", len(missed), "months"))
        results.append(Value(f"{name}: credits due", round(due, 4), currency))
        parts.append(f"{name}: {len(missed)} × {_n(pct, 2)} % × {money(monthly_fee, currency)} = {money(due, currency)}")
    reported = len({m.month for m in rows})
    return Amount(SERVICE_CREDITS, "Service credits due under the contract", total, currency,
                  f"over the last {months} months", total,
                  "For each KPI with a service credit: months Missed in the last "
                  f"{months} months × credit percent ÷ 100 × monthly fee; summed.",
                  "; ".join(parts) + f"; total {money(total, currency)} ({first} to {last})" if parts
                  else f"no service credits in the contract; total {money(0, currency)}",
                  tuple(Value(f"Service credit for {names.get(k, k)}", p, "% of the monthly fee a month missed",
                              "engagement.yaml commercials.service_credits") for k, p in pairs)
                  + (Value("Monthly fee", monthly_fee, currency, "engagement.yaml commercials.monthly_fee"),
                     Value("Months with KPI data in the window", reported, "months", "kpis.csv")),
                  tuple(results),
                  "" if reported >= months else f"kpis.csv holds {reported} of the {months} months; credits for "
                                                "months without data are not counted.")


def _credit(c: Any) -> tuple[str, float]:
    if isinstance(c, (tuple, list)):
        return str(c[0]), float(c[1])
    if isinstance(c, dict):
        return str(c["kpi"]), float(c["percent"])
    return str(c.kpi), float(c.percent)


def coverage_change(data: ContactData, change: HourChange, target_sl: float, answer_s: float,
                    agent_hour_cost: float | None, value_per_lost_contact: float | None,
                    currency: str, redial_factor: float = 1.0) -> CoverageCase:
    """The staffing money of adding or removing hours, against the contacts those hours carry.

    Each interval of ``data`` on ``change.weekdays`` starting in ``[start, end)`` needs the fewest agents
    Erlang C gives for ``target_sl`` within ``answer_s`` (at least one: the line is open), on its volume
    and its handle time (the data's mean handle time where the interval has none, as off-hours
    intervals do). Hours added count customers, not attempts: an interval's distinct callers when
    it has them, else its attempts ÷ ``redial_factor``.
    """
    hours = 0.0
    contacts = 0.0
    attempts = 0.0
    by_callers = 0
    n = 0
    mean = data.mean_aht()
    for i in data.intervals:
        if i.weekday not in change.weekdays or not (change.start <= i.hour < change.end):
            continue
        n += 1
        agents = MIN_AGENTS_OPEN
        if i.offered > 0:
            aht = float(i.aht_s) if _aht_ok(i.aht_s) else mean
            need = _need(_sl(target_sl), answer_s, i.offered, aht, data.interval_s)
            if need is None:        # beyond Erlang C's bounds: a load inputs.check_contacts refuses
                n -= 1
                continue
            agents = max(agents, need)
        hours += agents * data.interval_h
        attempts += i.offered
        if change.action == ADD and i.callers is not None:
            contacts += i.callers
            by_callers += 1
        else:
            contacts += i.offered / (redial_factor if change.action == ADD else 1.0)
    h_month = hours / data.months if data.days else 0.0
    c_month = contacts / data.months if data.days else 0.0
    add = change.action == ADD
    scale = f"× {DAYS_PER_MONTH:g} ÷ {data.days}"
    common = (Value("Hours changed", change.label, "", "the coverage analysis"),
              Value("Service level target", round(target_sl * 100, 2), "%", "kpis.csv or the staffing standard"),
              Value("Answer time of the target", answer_s, "s", "the service level's definition"),
              Value("Days of interval data", data.days, "days", "contacts.csv"),
              Value("Intervals in the hours changed", n, "intervals", "contacts.csv"))
    staffing = None
    if agent_hour_cost is not None:
        cost = h_month * agent_hour_cost
        staffing = Amount(COVERAGE_STAFFING,
                          f"{'Staffing cost' if add else 'Staffing saved'}: {change.label}", cost, currency, "a month",
                          cost * MONTHS_PER_YEAR,
                          "For each interval in the hours changed: the fewest agents Erlang C needs for the target (at "
                          f"least {MIN_AGENTS_OPEN}) × interval length; summed, × {DAYS_PER_MONTH:g} ÷ days of data = "
                          "agent-hours a month; × cost of an agent hour.",
                          f"{_n(hours)} agent-hours in {data.days} days {scale} = {_n(h_month)} agent-hours a month × "
                          f"{money(agent_hour_cost, currency, 2)} = {money(cost, currency)} a month "
                          f"({money(cost * MONTHS_PER_YEAR, currency)} a year)",
                          common + (Value("Cost of an agent hour", agent_hour_cost, currency,
                                          "engagement.yaml commercials.agent_hour_cost"),),
                          (Value("Agent-hours a month", round(h_month, 4), "h"),))
    value = None
    redials = add and redial_factor != 1.0 and by_callers < n
    if add and by_callers:
        count = (f"{contacts:,.0f} distinct callers in {data.days} days (caller ids of the telephony data)")
        how = "Distinct callers in the hours changed"
        extra = (Value("Attempts in the hours changed", attempts, "attempts", "contacts.csv"),)
    elif redials:
        count = f"{attempts:,.0f} attempts ÷ {_n(redial_factor, 2)} attempts per customer = {contacts:,.0f} customers in {data.days} days"
        how = f"Attempts in the hours changed ÷ {_n(redial_factor, 2)} attempts per customer (redial factor)"
        extra = (Value("Attempts in the hours changed", attempts, "attempts", "contacts.csv"),
                 Value("Attempts per customer while closed (redial factor)", redial_factor, "",
                       "coverage.redial_factor in engagement.yaml (default 1.3)"))
    else:
        count = f"{contacts:,.0f} contacts in {data.days} days"
        how = "Contacts offered in the hours changed"
        extra = ()
    if value_per_lost_contact is not None:
        v = c_month * value_per_lost_contact
        value = Amount(COVERAGE_CONTACTS,
                       f"{'Contacts recovered' if add else 'Contacts at risk'}: {change.label}", v, currency, "a month",
                       v * MONTHS_PER_YEAR,
                       f"{how} × {DAYS_PER_MONTH:g} ÷ days of data = contacts a "
                       "month; × value per lost contact.",
                       f"{count} {scale} = {_n(c_month)} a month × "
                       f"{money(value_per_lost_contact, currency, 2)} = {money(v, currency)} a month "
                       f"({money(v * MONTHS_PER_YEAR, currency)} a year)",
                       common + extra + (Value("Value per lost contact", value_per_lost_contact, currency,
                                               "engagement.yaml commercials.value_per_lost_contact"),),
                       (Value("Contacts a month", round(c_month, 4), "contacts"),),
                       (("Counted from distinct callers; a customer who calls on two days counts twice, so the "
                         "contacts recovered are an upper bound." if by_callers else
                         f"Attempts while closed include repeat dials: {_n(redial_factor, 2)} attempts per customer is an "
                         "assumption, not a measurement." if redials else
                         "Attempts outside opening hours include repeat dials by the same customers; the contacts "
                         "recovered are an upper bound.") if add else
                        "Many of these customers would call in the hours that stay open; the value at risk is an "
                        "upper bound."))
    return CoverageCase(change, h_month, c_month, staffing, value)


# --------------------------------------------------------------------------- the whole case
_NEEDS = {
    "hour": "the loaded cost of one staffed agent hour (commercials.agent_hour_cost in engagement.yaml)",
    "fee": "the monthly fee paid to the provider (commercials.monthly_fee)",
    "credits": "the contract's service credits per KPI (commercials.service_credits)",
    "value": "what a lost contact is worth in revenue or cost (commercials.value_per_lost_contact)",
    "contacts": "interval volumes exported from the telephony platform (contacts.csv)",
    "kpis": "monthly KPI results (kpis.csv)",
    "sl": "the monthly service level against its target (service_level in kpis.csv)",
    "hours": "a recommended change of opening hours (coverage in engagement.yaml, checked against contacts.csv)",
}
#: The same needs in the client's words, with why each is asked for (no file or field names).
_CLIENT_NEEDS = {
    "hour": "the loaded cost of one staffed agent hour (from finance or the provider's rate card)",
    "fee": "the monthly fee paid to the provider",
    "credits": "the service credits the contract sets per KPI",
    "value": "what a lost contact is worth in revenue or cost (from finance or the product owners)",
    "contacts": "four weeks of contact volumes by half-hour from the telephony platform",
    "kpis": "the monthly KPI results the provider reports",
    "sl": "the monthly service level against its target",
    "hours": "a change of opening hours that the contact volumes support",
}
_FIGURES = {
    OVER_DELIVERY: "Pricing over- or under-staffing against the service level target",
    UNDER_DELIVERY: "Pricing the contacts abandoned in the queue",
    SERVICE_CREDITS: "Counting the service credits due under the contract",
    "coverage_change": "Pricing a change of opening hours",
}


#: What each figure needs (keys of _NEEDS), in the order a sentence lists them.
_REQUIRES = {
    OVER_DELIVERY: ("hour", "contacts", "sl"),
    UNDER_DELIVERY: ("value", "contacts"),
    SERVICE_CREDITS: ("fee", "credits", "kpis"),
    "coverage_change": ("hour", "value", "contacts", "hours"),
}


def _words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _missing(key: str, needs: list[str]) -> Missing:
    return Missing(key, tuple(needs), f"{_FIGURES[key]} needs {_words([_NEEDS[n] for n in needs])}.",
                   f"{_FIGURES[key]} needs {_words([_CLIENT_NEEDS[n] for n in needs])}.")


def business_case(commercials: Any | None, data: ContactData | None = None,
                  kpi_rows: Sequence[KpiMonth] | None = None, upto_month: str | None = None,
                  achieved_sl: float | None = None, target_sl: float | None = None, answer_s: float = 20.0,
                  changes: Sequence[HourChange] = (), abandonment_target: float | None = None,
                  staffing_target_sl: float = 0.80, redial_factor: float = 1.0,
                  kpi_names: dict | None = None) -> BusinessCase:
    """Every figure the data allows, and for the others what they need.

    ``commercials``: :class:`assessment.model.Commercials` or None. ``data``: interval volumes or None.
    ``kpi_rows`` / ``upto_month``: KPI-months and the latest month (for the credits) or None.
    ``achieved_sl`` / ``target_sl``: fractions, from the service level KPI (see :func:`service_level`).
    ``changes``: hours to add or remove (see :func:`changes_from_coverage`), costed at ``target_sl``
    (``staffing_target_sl`` when there is no service level KPI); ``redial_factor``: attempts per customer
    while closed, for hours added when the data has no caller ids.
    """
    c = commercials
    cur = getattr(c, "currency", None)
    hour = getattr(c, "agent_hour_cost", None)
    fee = getattr(c, "monthly_fee", None)
    credits = list(getattr(c, "service_credits", None) or [])
    value = getattr(c, "value_per_lost_contact", None)
    has_data = data is not None and data.days > 0 and bool(data.intervals)
    have = {k for k, ok in (("hour", hour is not None), ("fee", fee is not None), ("credits", bool(credits)),
                            ("value", value is not None), ("contacts", has_data),
                            ("kpis", bool(kpi_rows) and bool(upto_month)),
                            ("sl", achieved_sl is not None and target_sl is not None), ("hours", bool(changes)))
            if ok}
    amounts: list[Amount] = []
    missing: list[Missing] = []
    for key, needs in _REQUIRES.items():
        lacking = [n for n in needs if n not in have]
        if lacking:
            missing.append(_missing(key, lacking))
        elif key == OVER_DELIVERY:
            amounts.append(staffing_gap(data, achieved_sl, target_sl, answer_s, hour, cur))
        elif key == UNDER_DELIVERY:
            amounts.append(under_delivery(data, value, cur, abandonment_target))
        elif key == SERVICE_CREDITS:
            amounts.append(service_credits(kpi_rows, credits, fee, upto_month, cur, names=kpi_names))
    cases: list[CoverageCase] = []
    if c is not None and has_data and ("hour" in have or "value" in have):
        sl = target_sl if target_sl is not None else staffing_target_sl
        cases = [coverage_change(data, ch, sl, answer_s, hour, value, cur, redial_factor) for ch in changes]
    return BusinessCase(cur, tuple(amounts), tuple(cases), tuple(missing))


# --------------------------------------------------------------------------- adapters
def contact_data(df, coverage=None) -> ContactData:
    """contacts.csv as read by :func:`assessment.inputs.load_contacts` (timestamp, offered, abandoned,
    aht_seconds), with ``open`` from the coverage window (from ``answered > 0`` without coverage)."""
    from .coverage import in_window, interval_seconds, local_times

    if df is None or len(df) == 0:
        return ContactData((), 0, 3600.0)
    from .coverage import CALLERS_COLUMN

    d = local_times(df, coverage)
    ts = d["timestamp"]
    out = []
    callers = d[CALLERS_COLUMN] if CALLERS_COLUMN in d else [None] * len(d)
    for stamp, offered, abandoned, answered, aht, who in zip(
            ts, d["offered"], d["abandoned"], d["answered"],
            d["aht_seconds"] if "aht_seconds" in d else [None] * len(d), callers):
        hour = stamp.hour + stamp.minute / 60
        wd = stamp.weekday()
        is_open = in_window(coverage, wd, hour) if coverage is not None else bool(answered and answered > 0)
        known = who is not None and who == who
        out.append(Interval(int(wd), hour, _f(offered), _f(abandoned), _f(aht) or None, is_open,
                            _f(who) if known else None))
    return ContactData(tuple(out), int(ts.dt.date.nunique()), interval_seconds(ts.tolist()))


def _f(v: Any) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return 0.0
    return x if x == x and abs(x) < math.inf else 0.0


def kpi_months(scorecard: Any, missed_status: str = "red") -> tuple[KpiMonth, ...]:
    """The KPI-months of a :class:`assessment.analyses.kpis.Scorecard` (Missed = status ``red``)."""
    return tuple(KpiMonth(e.month, e.kpi, e.status == missed_status, e.actual) for e in scorecard.entries)


def service_level(scorecard: Any, month: str, key: str = "service_level",
                  months: int = 3) -> tuple[float, float] | None:
    """(achieved, target) as fractions: the mean service level of the last ``months`` months up to ``month``,
    and that month's target. None when the scorecard has no service level."""
    h = [e for e in scorecard.history(key) if e.month <= month][-months:]
    if not h or isinstance(h[-1].target, tuple):
        return None
    return sum(e.actual for e in h) / len(h) / 100, float(h[-1].target) / 100


def _hhmm(h: float) -> str:
    return f"{int(h):02d}:{int(round((h % 1) * 60)):02d}"


def weekdays_of(windows: Sequence[Any], label: str) -> tuple[int, ...]:
    """The weekdays a coverage label names ("weekday", "Saturday", "Mon/Tue"), grouped by shared window
    as :func:`assessment.analyses.coverage.analyse` names them."""
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    groups: dict[Any, list[int]] = {}
    for wd, w in enumerate(windows):
        if w and tuple(w) != (0.0, 24.0):
            groups.setdefault(tuple(w), []).append(wd)
    for wds in groups.values():
        name = ("weekday" if wds == [0, 1, 2, 3, 4] else names[wds[0]] if len(wds) == 1
                else "/".join(names[x][:3] for x in wds))
        if name == label:
            return tuple(wds)
    return ()


def changes_from_coverage(facts: Any, extend_share: float | None = None) -> tuple[HourChange, ...]:
    """The hour changes a :class:`assessment.analyses.coverage.CoverageFacts` screens, one per edge, and one per
    closed day (or weekend) that still draws the extend share of all attempts.

    An edge at or above the extend share adds the hour outside it; any other edge trims the hour inside. A
    closed day opens with the nearest open day's hours (:func:`assessment.analyses.coverage.opening_for`).
    """
    from .coverage import EXTEND_SHARE, opening_for

    share = EXTEND_SHARE if extend_share is None else extend_share
    out = []
    for e in facts.edges:
        wds = weekdays_of(facts.windows, e.days)
        if not wds:
            continue
        h = float(e.hour)
        if e.share >= share:
            lo, hi = (h - 1, h) if e.side == "opening" else (h, h + 1)
            new = lo if e.side == "opening" else hi
            out.append(HourChange(ADD, wds, lo, hi, f"{e.days} {e.side} {_hhmm(h)} → {_hhmm(new)}"))
        else:
            lo, hi = (h, h + 1) if e.side == "opening" else (h - 1, h)
            new = hi if e.side == "opening" else lo
            out.append(HourChange(REMOVE, wds, lo, hi, f"{e.days} {e.side} {_hhmm(h)} → {_hhmm(new)}"))
    for g in (facts.closed_candidates() if hasattr(facts, "closed_candidates") else ()):
        w = opening_for(g, facts.windows)
        if w:
            out.append(HourChange(ADD, tuple(g.weekdays), float(w[0]), float(w[1]),
                                  f"{g.label} opening {_hhmm(w[0])}–{_hhmm(w[1])}"))
    return tuple(out)
