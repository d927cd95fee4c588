"""The sourcing options evaluation: should the client outsource, and to whom? Pure: values in, values out.

The cost model (issue #18), for each option and year y = 1..H:

* contacts_y = annual_contacts × (1 + growth)^(y−1); the handle-time factor f is ``year1_aht_factor``
  in year 1 (the year-one productivity dip of a new team) and ``aht_factor`` after;
* workload hours = contacts_y × aht_seconds × f ÷ 3600;
* **occupancy method** (no interval profile): paid hours = workload ÷ occupancy ÷ (1 − shrinkage);
* **Erlang C method** (an interval profile from contacts.csv): every interval of the sample is staffed
  by Erlang C to the service target, with the interval's share of the year's contacts and the handle
  time aht_seconds × f; the agent hours of the sample are scaled to a year (365 ÷ days in the sample)
  and paid hours = agent hours ÷ (1 − shrinkage);
* FTE = paid hours ÷ paid_hours_per_fte; run cost = paid hours × cost_per_paid_hour;
  governance = governance_pct × run cost;
* cost (NPV) = transition_cost + Σ_y (run cost_y + governance_y) ÷ (1 + discount_rate)^y.

Per option: savings against the status quo = NPV(status quo) − NPV(option); the payback month (the first
month in which cumulative undiscounted savings cover the extra transition cost); the break-even price per
paid hour (the price at which the option's NPV equals the status quo's: NPV is linear in the price).

Sensitivity swings one input at a time by ±``SWING`` (20 %): the option's price per paid hour, its
handle-time factors, its transition cost, the volume (both sides) and its governance share. The
pessimistic savings are the lowest savings of any swing.

Weighted criteria: cost is scored from the NPV (lowest 5, highest 1, linear between; all equal: 3);
the other criteria are the consultant's 1–5 scores; the total is the weighted mean.

The verdict: outsource to the best option (highest weighted total) only when its total beats the status
quo's by more than ``BAND`` (0.3 points) **and** its pessimistic savings stay positive; otherwise
"not convinced: don't outsource yet", with what would change the answer.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..model import LeadTimes
from ..rules import LEAD_TIME_LABEL
from . import erlang

SWING = 0.20                 # sensitivity: each input ±20 %
FLIP_RANGE = (0.05, 3.0)     # where the break-even value of an input is looked for (times the input)
BAND = 0.3                   # weighted-total points the best option must beat the status quo by
COST = "cost"                # the criterion scored from the NPV
OUTSOURCE = "outsource"
NOT_CONVINCED = "not convinced: don't outsource yet"
TELECOM_DAYS = tuple(LeadTimes().telecom)   # telecom and data lines: 45-60 days to install (the articles)
DAYS_PER_YEAR = 365.0
OCCUPANCY_METHOD = "occupancy"
ERLANG_METHOD = "erlang"

CRITERIA_NAMES = {
    "cost": "Cost (from the NPV)", "quality": "Quality of service", "control": "Control",
    "customer_connection": "Connection with customers", "customer_risk": "Risk to already agitated customers",
    "flexibility": "Flexibility (seasonal and global cover)", "focus": "Focus on core competencies",
}
# what each criterion asks, for the report (the articles' reasons for and costs of outsourcing)
CRITERIA_QUESTIONS = {
    "cost": "Lowest cost over the horizon scores 5, highest 1",
    "quality": "Will customers be served as well or better (leave the work to professionals)?",
    "control": "How much control over the service does the client keep?",
    "customer_connection": "Does the client stay connected with its customers and their voice?",
    "customer_risk": "How safe are customers who call already agitated (5 = safest)?",
    "flexibility": "Can the option flex for seasonal peaks and wider hours?",
    "focus": "Does it free the client to focus on its core competencies?",
}


def criterion_name(key: str) -> str:
    return CRITERIA_NAMES.get(key, key.replace("_", " ").capitalize())


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class Option:
    id: str
    label: str
    cost_per_paid_hour: float
    status_quo: bool = False
    aht_factor: float = 1.0
    year1_aht_factor: float = 1.0
    transition_cost: float = 0.0
    governance_pct: float = 0.0
    lead_time_days: int = 0


@dataclass(frozen=True)
class Profile:
    """The shape of demand from contacts.csv: contacts offered per interval over ``days`` days."""

    volumes: tuple[float, ...]
    interval_s: float
    days: float

    @property
    def total(self) -> float:
        return sum(self.volumes)


@dataclass(frozen=True)
class Inputs:
    horizon_years: int
    discount_rate: float
    annual_contacts: float
    aht_seconds: float
    growth: float
    sl_percent: float
    sl_seconds: float
    shrinkage: float
    paid_hours_per_fte: float
    occupancy: float
    options: tuple[Option, ...]
    criteria: dict            # criterion -> weight (sums to 100)
    scores: dict              # option id -> criterion -> 1..5 (cost excluded)
    end_customer_gain: str = ""
    band: float = BAND

    @property
    def status_quo(self) -> Option:
        return next(o for o in self.options if o.status_quo)

    def option(self, oid: str) -> Option:
        return next(o for o in self.options if o.id == oid)


# --------------------------------------------------------------------------- the cost model
@dataclass(frozen=True)
class Year:
    year: int
    contacts: float
    aht_factor: float
    workload_hours: float
    paid_hours: float
    fte: float
    run_cost: float
    governance: float
    discount_factor: float

    @property
    def total(self) -> float:
        return self.run_cost + self.governance

    @property
    def present_value(self) -> float:
        return self.total * self.discount_factor


@lru_cache(maxsize=200_000)
def _agents(calls: float, aht_s: float, interval_s: float, target: float, t_s: float) -> int:
    if calls <= 0:
        return 0
    return erlang.agents_for(target, t_s, calls, aht_s, interval_s)


def erlang_agent_hours(profile: Profile, contacts: float, aht_s: float, target: float, t_s: float) -> float:
    """Agent hours in a year for ``contacts``, each interval of the profile staffed by Erlang C to the target.

    The profile's volumes are scaled so that the sample, repeated 365 ÷ days times, carries ``contacts``.
    """
    reps = DAYS_PER_YEAR / profile.days
    scale = contacts / (profile.total * reps) if profile.total else 0.0
    hours = sum(_agents(round(v * scale, 3), aht_s, profile.interval_s, target, t_s) for v in profile.volumes)
    return hours * profile.interval_s / 3600 * reps


def years(inp: Inputs, opt: Option, profile: Profile | None = None) -> list[Year]:
    """The option's cost year by year (see the module docstring for the formulas)."""
    rows = []
    for y in range(1, inp.horizon_years + 1):
        contacts = inp.annual_contacts * (1 + inp.growth) ** (y - 1)
        f = opt.year1_aht_factor if y == 1 else opt.aht_factor
        workload = contacts * inp.aht_seconds * f / 3600
        if profile is None:
            paid = workload / inp.occupancy / (1 - inp.shrinkage)
        else:
            agent_h = erlang_agent_hours(profile, contacts, inp.aht_seconds * f, inp.sl_percent / 100,
                                         inp.sl_seconds)
            paid = agent_h / (1 - inp.shrinkage)
        run = paid * opt.cost_per_paid_hour
        rows.append(Year(y, contacts, f, workload, paid, paid / inp.paid_hours_per_fte, run,
                         opt.governance_pct * run, 1 / (1 + inp.discount_rate) ** y))
    return rows


def npv(opt: Option, rows: list[Year]) -> float:
    return opt.transition_cost + sum(r.present_value for r in rows)


def payback_month(opt: Option, rows: list[Year], sq: Option, sq_rows: list[Year]) -> int | None:
    """The first month (0 = at once) in which cumulative undiscounted savings cover the extra transition cost.

    Each year's cost is spread evenly over its twelve months. None when it does not pay back in the horizon.
    """
    cumulative = sq.transition_cost - opt.transition_cost
    if cumulative >= 0 and (not rows or sq_rows[0].total >= rows[0].total):
        return 0
    for r, s in zip(rows, sq_rows):
        monthly = (s.total - r.total) / 12
        for m in range(12):
            cumulative += monthly
            if cumulative >= -1e-9:
                return (r.year - 1) * 12 + m + 1
    return None


def break_even_price(opt: Option, rows: list[Year], sq_npv: float) -> float | None:
    """The price per paid hour at which the option costs what the status quo does over the horizon.

    NPV = transition + price × Σ paid hours_y × (1 + governance) × discount_y, so
    price* = (NPV_status quo − transition) ÷ Σ paid hours_y × (1 + governance) × discount_y.
    """
    per_price = sum(r.paid_hours * (1 + opt.governance_pct) * r.discount_factor for r in rows)
    return (sq_npv - opt.transition_cost) / per_price if per_price else None


# --------------------------------------------------------------------------- sensitivity
# The inputs swung, how each is applied, and what its value is for the report.
SENSITIVITY_INPUTS = ("price", "aht", "transition", "volume", "governance")
SENSITIVITY_NAMES = {"price": "Price per paid hour", "aht": "Handle-time factors",
                     "transition": "Transition cost", "volume": "Contact volume", "governance": "Governance share"}


def _swung(inp: Inputs, oid: str, key: str, m: float) -> Inputs:
    """``inp`` with one input of option ``oid`` (or the volume, for both) multiplied by ``m``."""
    if key == "volume":
        return replace(inp, annual_contacts=inp.annual_contacts * m)
    opt = inp.option(oid)
    if key == "price":
        new = replace(opt, cost_per_paid_hour=opt.cost_per_paid_hour * m)
    elif key == "aht":
        new = replace(opt, aht_factor=opt.aht_factor * m, year1_aht_factor=opt.year1_aht_factor * m)
    elif key == "transition":
        new = replace(opt, transition_cost=opt.transition_cost * m)
    elif key == "governance":
        new = replace(opt, governance_pct=opt.governance_pct * m)
    else:
        raise ValueError(f"no sensitivity input {key!r}")
    return replace(inp, options=tuple(new if o.id == oid else o for o in inp.options))


def savings(inp: Inputs, oid: str, profile: Profile | None = None) -> float:
    """NPV(status quo) − NPV(option ``oid``)."""
    sq, opt = inp.status_quo, inp.option(oid)
    return npv(sq, years(inp, sq, profile)) - npv(opt, years(inp, opt, profile))


def input_value(inp: Inputs, oid: str, key: str, m: float = 1.0) -> float:
    """The value of the swung input at multiplier ``m`` (for the report: "£34.80 per paid hour")."""
    opt = inp.option(oid)
    return {"price": opt.cost_per_paid_hour, "aht": opt.aht_factor, "transition": opt.transition_cost,
            "volume": inp.annual_contacts, "governance": opt.governance_pct}[key] * m


@dataclass(frozen=True)
class Swing:
    key: str
    name: str
    low_value: float          # the input at −20 %
    high_value: float         # the input at +20 %
    savings_low: float        # savings with the input at −20 %
    savings_high: float       # savings with the input at +20 %
    flip_multiplier: float | None   # where the savings cross zero (None: not within FLIP_RANGE times the input)
    flip_value: float | None
    flips: bool               # the savings change sign within ±20 %

    @property
    def spread(self) -> float:
        return abs(self.savings_high - self.savings_low)

    @property
    def worst(self) -> float:
        return min(self.savings_low, self.savings_high)


def _flip(inp: Inputs, oid: str, key: str, profile: Profile | None, lo: float = FLIP_RANGE[0],
          hi: float = FLIP_RANGE[1], steps: int = 40) -> float | None:
    """The multiplier of input ``key`` at which the savings are zero, by bisection (savings are monotone in it).

    None when the savings keep their sign from ``lo`` to ``hi`` times the input (or staffing them is
    beyond Erlang C's limits)."""
    try:
        return _bisect(inp, oid, key, profile, lo, hi, steps)
    except erlang.ErlangLimit:
        return None


LINEAR_INPUTS = ("transition", "governance")   # the savings are a straight line in these inputs


def _flip_linear(inp: Inputs, oid: str, key: str, profile: Profile | None) -> float | None:
    """The exact multiplier at which the savings are zero, for an input the savings are linear in.

    Transition cost is paid undiscounted up front, so the savings reach zero at transition cost + savings;
    governance is a share of the run cost, so at share + savings ÷ the run cost's present value.
    None when no non-negative value of the input makes the savings zero."""
    try:
        s1 = savings(inp, oid, profile)
        s2 = savings(_swung(inp, oid, key, 2.0), oid, profile)
    except erlang.ErlangLimit:
        return None
    if s1 == 0:
        return 1.0
    if s2 == s1:
        return None
    m = 1 - s1 / (s2 - s1)
    return m if m >= 0 else None


def _bisect(inp: Inputs, oid: str, key: str, profile: Profile | None, lo: float, hi: float, steps: int):
    f_lo, f_hi = savings(_swung(inp, oid, key, lo), oid, profile), savings(_swung(inp, oid, key, hi), oid, profile)
    if f_lo == 0:
        return lo
    if (f_lo > 0) == (f_hi > 0):
        return None
    for _ in range(steps):
        mid = (lo + hi) / 2
        f_mid = savings(_swung(inp, oid, key, mid), oid, profile)
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
        if hi - lo < 1e-5:
            break
    return (lo + hi) / 2


def sensitivity(inp: Inputs, oid: str, profile: Profile | None = None, swing: float = SWING) -> list[Swing]:
    """Each input swung ±``swing`` for option ``oid``, largest effect on the savings first."""
    out = []
    for key in SENSITIVITY_INPUTS:
        s_low = savings(_swung(inp, oid, key, 1 - swing), oid, profile)
        s_high = savings(_swung(inp, oid, key, 1 + swing), oid, profile)
        base_value = input_value(inp, oid, key)
        flip_m = (_flip_linear(inp, oid, key, profile) if key in LINEAR_INPUTS else _flip(inp, oid, key, profile)) \
            if base_value else None
        out.append(Swing(key, SENSITIVITY_NAMES[key], base_value * (1 - swing), base_value * (1 + swing), s_low,
                         s_high, flip_m, None if flip_m is None else base_value * flip_m,
                         (s_low > 0) != (s_high > 0)))
    return sorted(out, key=lambda s: -s.spread)


# --------------------------------------------------------------------------- weighted criteria
def cost_scores(npvs: dict[str, float]) -> dict[str, float]:
    """Lowest NPV scores 5, highest 1, linear between; when all are equal, 3 each."""
    lo, hi = min(npvs.values()), max(npvs.values())
    if math.isclose(lo, hi, rel_tol=0, abs_tol=1e-6):
        return {k: 3.0 for k in npvs}
    return {k: 5 - 4 * (v - lo) / (hi - lo) for k, v in npvs.items()}


def weighted_total(weights: dict[str, float], scores: dict[str, float]) -> float:
    """Σ weight × score ÷ Σ weight."""
    total_w = sum(weights.values())
    return sum(w * scores[c] for c, w in weights.items()) / total_w if total_w else 0.0


# --------------------------------------------------------------------------- the evaluation
@dataclass(frozen=True)
class OptionResult:
    option: Option
    years: tuple[Year, ...]
    npv: float
    savings: float                    # against the status quo (0 for the status quo)
    payback_month: int | None
    break_even_price: float | None
    scores: dict                      # criterion -> score, cost included
    weighted_total: float

    @property
    def id(self) -> str:
        return self.option.id


@dataclass(frozen=True)
class Prerequisites:
    option_id: str
    decided: dt.date
    earliest_hand_off: dt.date
    lead_time_days: int
    steps: tuple[tuple[str, str], ...]     # (prerequisite, what it takes)


@dataclass(frozen=True)
class Recommendation:
    verdict: str                      # OUTSOURCE or NOT_CONVINCED
    option: str                       # the option recommended (the status quo when not convinced)
    best: str                         # the best alternative to the status quo, by weighted total
    margin: float                     # best's weighted total − status quo's
    band: float
    pessimistic_savings: float        # the best option's lowest savings in the sensitivity
    pessimistic_input: str            # the swing that gives them
    reasons: tuple[str, ...]          # why, in plain words (numbers formatted by the caller's money)
    would_change: tuple[str, ...]     # what would change the answer

    @property
    def outsource(self) -> bool:
        return self.verdict == OUTSOURCE


@dataclass
class Evaluation:
    inputs: Inputs
    method: str                       # OCCUPANCY_METHOD or ERLANG_METHOD
    results: list[OptionResult]
    sensitivity: list[Swing]          # for the best alternative
    recommendation: Recommendation
    prerequisites: Prerequisites | None
    profile_days: float | None = None
    notes: list[str] = field(default_factory=list)

    def result(self, oid: str) -> OptionResult:
        return next(r for r in self.results if r.id == oid)

    @property
    def status_quo(self) -> OptionResult:
        return next(r for r in self.results if r.option.status_quo)

    @property
    def best(self) -> OptionResult:
        return self.result(self.recommendation.best)


def _fmt_money(v: float) -> str:
    return f"{v:,.0f}"


def evaluate(inp: Inputs, profile: Profile | None = None, decided: dt.date | None = None,
             money=_fmt_money) -> Evaluation:
    """Cost, sensitivity, weighted criteria and the verdict for every option. ``money`` formats amounts."""
    rows = {o.id: years(inp, o, profile) for o in inp.options}
    npvs = {o.id: npv(o, rows[o.id]) for o in inp.options}
    sq = inp.status_quo
    cscores = cost_scores(npvs)
    results = []
    for o in inp.options:
        crit = {c: (cscores[o.id] if c == COST else float(inp.scores[o.id][c])) for c in inp.criteria}
        results.append(OptionResult(
            o, tuple(rows[o.id]), npvs[o.id], npvs[sq.id] - npvs[o.id],
            None if o.status_quo else payback_month(o, rows[o.id], sq, rows[sq.id]),
            None if o.status_quo else break_even_price(o, rows[o.id], npvs[sq.id]),
            crit, weighted_total(inp.criteria, crit)))
    by_id = {r.id: r for r in results}
    alternatives = [r for r in results if not r.option.status_quo]
    best = max(alternatives, key=lambda r: (round(r.weighted_total, 9), -r.npv))
    swings = sensitivity(inp, best.id, profile)
    worst = min(swings, key=lambda s: s.worst)
    pessimistic = min(best.savings, worst.worst)
    sq_r = by_id[sq.id]
    margin = best.weighted_total - sq_r.weighted_total
    beats = margin > inp.band
    safe = pessimistic > 0
    verdict = OUTSOURCE if beats and safe else NOT_CONVINCED
    reasons, change = [], []
    name = best.option.label
    if beats:
        reasons.append(f"{name} scores {best.weighted_total:.2f} against {sq_r.weighted_total:.2f} for "
                       f"{sq.label}: {_signed(margin)} points, more than the {inp.band:g}-point uncertainty band.")
    else:
        reasons.append(f"{name} scores {best.weighted_total:.2f} against {sq_r.weighted_total:.2f} for "
                       f"{sq.label}: {_signed(margin)} points, not more than the {inp.band:g}-point uncertainty band.")
        change.append(_score_change(inp, best, inp.band - margin))
    if best.savings > 0:
        reasons.append(f"It saves {money(best.savings)} over {inp.horizon_years} years in today's money "
                       f"(NPV), {'paying back in month ' + str(best.payback_month) if best.payback_month else 'paying back at once' if best.payback_month == 0 else 'but does not pay back within the horizon'}.")
    else:
        reasons.append(f"It costs {money(-best.savings)} more than {sq.label} over {inp.horizon_years} years "
                       "in today's money (NPV).")
    cheapest = min(alternatives, key=lambda r: r.npv)
    if cheapest.id != best.id and cheapest.savings > best.savings:
        reasons.append(f"{cheapest.option.label} is cheaper still (it saves {money(cheapest.savings)}) but scores "
                       f"only {cheapest.weighted_total:.2f}: cost is not the whole case.")
    if safe:
        reasons.append(f"At the pessimistic end of the sensitivity ({worst.name.lower()} "
                       f"{'−' if worst.savings_low < worst.savings_high else '+'}{SWING * 100:.0f} %) it still saves "
                       f"{money(pessimistic)}.")
    else:
        reasons.append(f"At the pessimistic end of the sensitivity ({worst.name.lower()} "
                       f"{'−' if worst.savings_low < worst.savings_high else '+'}{SWING * 100:.0f} %) "
                       + (f"it costs {money(-pessimistic)} more than {sq.label}" if pessimistic < 0
                          else f"the savings are {money(pessimistic)}")
                       + ": the case does not survive a 20 % swing.")
        if best.break_even_price is not None and best.break_even_price > 0:
            target = best.break_even_price / (1 + SWING) if worst.key == "price" else None
            change.append(f"A price of at most {money_2(money, target or best.break_even_price)} per paid hour, so "
                          f"that the savings survive a 20 % overrun (the break-even price is "
                          f"{money_2(money, best.break_even_price)}; {name} quotes "
                          f"{money_2(money, best.option.cost_per_paid_hour)}).")
        flip = worst.flip_value
        if worst.key != "price" and flip is not None:
            change.append(f"{worst.name} of {_value_text(worst.key, flip, money)} or better (the savings turn "
                          f"negative there).")
    prereq = None
    target_opt = best.option
    if decided is not None:
        prereq = prerequisites(target_opt, decided)
    return Evaluation(inp, ERLANG_METHOD if profile else OCCUPANCY_METHOD, results, swings,
                      Recommendation(verdict, best.id if verdict == OUTSOURCE else sq.id, best.id, margin, inp.band,
                                     pessimistic, worst.key, tuple(reasons), tuple(change)),
                      prereq, profile.days if profile else None)


def _signed(v: float) -> str:
    """A signed score difference with a true minus sign: "+0.91", "−0.02"."""
    return f"{v:+.2f}".replace("-", "\u2212")


def money_2(money, v: float) -> str:
    try:
        return money(v, 2)
    except TypeError:
        return f"{v:,.2f}"


def _value_text(key: str, v: float, money) -> str:
    if key == "price":
        return money_2(money, v) + " per paid hour"
    if key == "aht":
        return f"{v:.2f}× the in-house handle time"
    if key == "transition":
        return money(v)
    if key == "volume":
        return f"{v:,.0f} contacts a year"
    return f"{v:.1%} of run cost"


def _score_change(inp: Inputs, best: OptionResult, needed: float) -> str:
    """What it would take on the criteria: the points needed and the criterion that moves the total most."""
    total_w = sum(inp.criteria.values())
    movable = [(w, c) for c, w in inp.criteria.items() if c != COST and best.scores[c] < 5]
    if not movable:
        return f"A weighted total more than {needed:.2f} points higher for {best.option.label}."
    w, c = max(movable)
    per_point = w / total_w
    points = math.floor(needed / per_point) + 1 if per_point else 0
    return (f"A weighted total more than {needed:.2f} points higher for {best.option.label}: for example "
            f"{criterion_name(c).lower()} from {best.scores[c]:g} to {min(5, best.scores[c] + points):g} "
            f"(each point there adds {per_point:.2f}), shown in a pilot or a site visit.")


def prerequisites(opt: Option, decided: dt.date) -> Prerequisites:
    """The integration prerequisites (source article 2) and the earliest realistic hand-off.

    The lines take 45–60 days to install, and hiring comes before training, so the hand-off is no
    earlier than the decision plus the option's lead time, and never less than the 60 days of the lines.
    """
    lead = max(int(opt.lead_time_days), TELECOM_DAYS[1])
    steps = (
        ("Hand-off date", f"agreed with {opt.label} and planned back from: every other step is dated against it"),
        (LEAD_TIME_LABEL["telecom"], f"ordered on the day of the decision: typically {TELECOM_DAYS[0]}–{TELECOM_DAYS[1]} "
                                   "days to install, sooner only with facilities, credit and field engineers "
                                   "available"),
        ("Agent hiring, then training", "hiring first (the longest step), then contact-centre skills from the "
                                        "partner and product, culture and brand training from the client"),
        ("CRM", "what each contact must record, defined before training; access for the partner's agents"),
    )
    return Prerequisites(opt.id, decided, decided + dt.timedelta(days=lead), lead, steps)
