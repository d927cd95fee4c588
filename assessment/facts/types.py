"""The shape of a readout's facts: frozen dataclasses of tuples, read-only mappings and plain values.

Every number in here is the number the reader sees, rounded once (see :mod:`assessment.rules`):
a dimension's gap is the difference of its printed to-be and as-is, a percentage that misses a
threshold is never rounded onto it. Item, dimension and action facts carry the attribute names of
the analyses' own types (``ItemScore``, ``DimensionScore``, ``Action``), so the charts draw them as
they are. A field marked ``json=False`` stays out of the JSON (the logo's bytes).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from ..analyses.perception import Perception
from ..analyses.progress import Progress
from ..analyses.scoring import Completeness

SCHEMA_ID = "outsourcing-readout/facts@1"
EMPTY: Mapping = MappingProxyType({})


def frozen_map(data: dict) -> Mapping:
    return MappingProxyType(dict(data))


# --------------------------------------------------------------------------- who and when
@dataclass(frozen=True)
class Party:
    name: str
    industry: str | None = None
    services: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    date: dt.date
    consultants: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistInfo:
    name: str
    version: str
    source: str
    items: int


@dataclass(frozen=True)
class BrandingInfo:
    firm: str
    primary: str
    accent: str
    has_logo: bool
    logo_data_uri: str | None = field(default=None, metadata={"json": False})


# --------------------------------------------------------------------------- scores and findings
@dataclass(frozen=True)
class ItemFact:
    id: str
    dimension: str
    title: str
    theme: str
    weight: float
    effort: str
    as_is: int | None
    to_be: int | None
    gap: int | None
    priority: float | None      # gap x weight, printed as it stands here
    classification: str
    colour: str                 # the classification's pill colour
    confidence: str | None
    confidence_label: str
    notes: str
    evidence: str
    target_level: int | None = None   # the level descriptor shown for the target: to-be's, or the nearest
    target_text: str = ""


@dataclass(frozen=True)
class DimensionFact:
    dimension: str
    title: str
    summary: str
    as_is: float | None         # one decimal, as printed
    to_be: float | None
    gap: float | None           # printed to-be minus printed as-is
    items_scored: int
    items_total: int
    items_na: int


@dataclass(frozen=True)
class Overall:
    as_is: float | None
    to_be: float | None
    gap: float | None
    stance: str


@dataclass(frozen=True)
class Standout:
    """Which dimension stands out, only when something distinguishes it (as printed).

    case: ``none`` (nothing scored, or no gap), ``only`` (one dimension scored), ``same`` (all equal),
    ``tied`` (a shared first place) or ``single``."""
    case: str
    value: float | None = None
    dimensions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scores:
    overall: Overall
    dimensions: Mapping[str, DimensionFact]
    items: tuple[ItemFact, ...]
    completeness: Completeness
    draft: bool
    draft_note: str
    strongest: Standout
    widest: Standout

    @property
    def items_scored(self) -> int:
        return sum(d.items_scored for d in self.dimensions.values())

    @property
    def items_total(self) -> int:
        return sum(d.items_total for d in self.dimensions.values())

    def item(self, item_id: str) -> ItemFact:
        return next(i for i in self.items if i.id == item_id)

    def in_dimension(self, dimension: str, classification: str | None = None) -> tuple[ItemFact, ...]:
        return tuple(i for i in self.items if i.dimension == dimension
                     and (classification is None or i.classification == classification))


@dataclass(frozen=True)
class Finding:
    """One strength (keep doing) or opportunity (improve), ranked across the whole checklist, with whose
    practice it is (the checklist's ``side``: client, provider, joint; None when the checklist has none)
    and, for a strength, the missed KPIs it drives that contradict it (then it is flagged, not praised)."""
    kind: str
    rank: int
    id: str
    dimension: str
    side: str | None = None
    contradicted_by: tuple[str, ...] = ()     # KPI keys missed in the month that this practice drives


@dataclass(frozen=True)
class Evidence:
    documented: int
    observed: int
    interview: int
    unrecorded: int
    answered: int
    strength: str               # strong only when most items are documented or observed with the evidence named
    named: int = 0              # documented or observed, with the document or observation named
    unnamed: int = 0            # documented or observed, but naming no document or observation


@dataclass(frozen=True)
class Method:
    scale: tuple[tuple[int, str, str], ...]
    keep_doing_min: int
    improve_gap: int
    high_priority: float


# --------------------------------------------------------------------------- roadmap
@dataclass(frozen=True)
class ActionFact:
    id: str
    title: str
    dimension: str
    dimension_title: str
    priority: float
    effort: str
    quadrant: str
    horizon: str
    start: dt.date
    end: dt.date
    depends_on: tuple[str, ...] = ()
    lead_time: str | None = None
    note: str = ""              # the hand-off feasibility sentence for a lead-time action
    # the action plan (assessment.analyses.workstreams): the client's actions: block wins where ids match
    ref: str = ""               # GOV-1: the action's id in the plan and the spreadsheet
    workstream: str = ""
    action: str = ""            # what to do, in the imperative
    effort_score: float = 0.0   # the 2x2's horizontal axis (roadmap.effort_score)
    due_by: dt.date | None = None   # the date it must finish by, when a decision waits for it
    reason: str = ""            # why it is dated so
    kind: str = "item"          # item | gate | hypercare | decision | client
    owner_side: str = ""
    owner: str = ""
    status: str = "not started"
    success_measure: str = ""
    notes: str = ""             # the client's notes


@dataclass(frozen=True)
class PeakFact:
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Group:
    name: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Roadmap:
    as_of: dt.date
    actions: tuple[ActionFact, ...]
    horizons: tuple[Group, ...]
    quadrants: tuple[Group, ...]
    hand_off: dt.date | None          # drawn on the Gantt chart: a hand-off still ahead
    renewal_notice: dt.date | None
    high_impact: float = 0.0          # relative thresholds of the 2x2 (roadmap.thresholds)
    high_effort: float = 0.0
    warnings: tuple[str, ...] = ()    # dates that cannot be met or have no slack, said plainly
    fallback: str = ""                # what happens when the go / no-go gate fails
    peaks: tuple[PeakFact, ...] = ()  # seasons of peak demand (engagement peaks:), shaded on the Gantt chart

    @property
    def items(self) -> tuple[ActionFact, ...]:
        """The checklist items' actions (the 2x2), without the gate, hypercare and decision steps."""
        return tuple(a for a in self.actions if a.kind == "item")

    def action(self, ref: str) -> ActionFact | None:
        return next((a for a in self.actions if a.ref == ref), None)

    def in_horizon(self, name: str) -> tuple[ActionFact, ...]:
        return tuple(a for a in self.actions if a.horizon == name)

    def by_quadrant(self, name: str) -> tuple[ActionFact, ...]:
        return tuple(a for a in self.actions if a.quadrant == name and a.kind == "item")


# --------------------------------------------------------------------------- contract
@dataclass(frozen=True)
class Renewal:
    date: dt.date
    auto_renewal: bool
    notice_days: int
    deadline: dt.date
    days_left: int
    status: str
    colour: str
    alert: bool


@dataclass(frozen=True)
class LeadTime:
    kind: str
    label: str
    lo: int
    hi: int
    need: str
    days_available: int
    after: str
    latest_start: dt.date
    status: str                 # this work alone against its lead time
    colour: str
    sentence: str
    then: str = ""              # the work that waits for this one (training for hiring)
    chain_latest_start: dt.date | None = None   # early enough for what waits for it too (latest_start otherwise)
    chain_status: str = ""      # this work and what waits for it, together (status otherwise)
    chain_colour: str = ""


@dataclass(frozen=True)
class Milestone:
    date: dt.date
    label: str
    kind: str


@dataclass(frozen=True)
class Contract:
    start_date: dt.date | None
    hand_off_date: dt.date | None
    hand_off_days: int | None         # days from the as-of date to the hand-off (negative: past)
    hand_off_pending: bool
    renewal: Renewal | None
    handoff: tuple[LeadTime, ...]     # the one hand-off feasibility model, for a hand-off still ahead
    milestones: tuple[Milestone, ...]

    @property
    def handoff_risks(self) -> tuple[LeadTime, ...]:
        return tuple(h for h in self.handoff if h.status != "ok")


# --------------------------------------------------------------------------- the numbers
@dataclass(frozen=True)
class KpiEntry:
    kpi: str
    name: str
    unit: str
    month: str
    actual: float               # as printed
    actual_text: str
    target_text: str
    status: str
    label: str
    colour: str
    trend: str
    trend_label: str
    missed_months: int
    months_reported: int
    deep_dive: str | None
    deep_dive_label: str
    reason: str


@dataclass(frozen=True)
class KpiSeries:
    kpi: str
    name: str
    unit: str
    months: tuple[str, ...]
    actual: tuple[float, ...]
    status: tuple[str, ...]
    target: float
    band: tuple[float, float] | None
    last_text: str


@dataclass(frozen=True)
class Kpis:
    month: str
    months: tuple[str, ...]
    deep_dive_threshold: float        # percent
    entries: tuple[KpiEntry, ...]
    dives: tuple[str, ...]
    counts: Mapping[str, int]
    series: tuple[KpiSeries, ...]


@dataclass(frozen=True)
class StaffingRow:
    agents: int
    p_wait: float               # percent
    service_level: float        # percent, never rounded onto the target
    asa: float | None           # seconds; None: the queue never clears
    occupancy: float            # percent


@dataclass(frozen=True)
class Busy:
    timestamp: str
    offered: int
    aht_s: float
    agents_needed: int


@dataclass(frozen=True)
class Staffing:
    target: float               # percent answered within answer_s
    answer_s: int
    busiest: tuple[Busy, ...]
    rows: tuple[StaffingRow, ...]


@dataclass(frozen=True)
class CoverageGroup:
    """Days that share a window (or are closed), every share on their own denominator, volumes a month."""
    label: str                  # "weekday", "Saturday", "weekend"
    window: str                 # "09:00–17:00" or "closed"
    attempts_month: int
    in_window_month: int
    off_hours_month: int
    off_hours_pct: float        # of this group's attempts
    before_open_pct: float | None   # of this group's attempts (None: closed all day)
    after_close_pct: float | None   # of this group's attempts
    first_hour_pct: float | None    # of this group's in-window volume
    last_hour_pct: float | None     # of this group's in-window volume
    customers_off_hours_month: int  # distinct callers, or attempts ÷ the redial factor


@dataclass(frozen=True)
class Coverage:
    days: int
    attempts: int
    in_window: int
    off_hours: int
    off_hours_pct: float        # of all attempts
    first_hour_pct: float       # of the in-window volume
    last_hour_pct: float        # of the in-window volume
    action: str                 # extend | trim | keep
    recommendations: tuple[str, ...]
    profile: tuple[tuple[float, ...], ...]
    windows: tuple[tuple[float, float] | None, ...]
    staffing: Staffing | None
    groups: tuple[CoverageGroup, ...] = ()
    customers_off_hours: int = 0           # customers who found the line closed in the data
    redial_factor: float | None = None     # attempts per customer assumed (None: distinct callers counted)
    customer_basis: str = ""               # how customers were counted, in one sentence


@dataclass(frozen=True)
class Sla:
    business_id: str
    business_name: str
    kind: str
    ok: bool
    colour: str
    it_ids: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class CrossCheck:
    """What the numbers say about a checklist item (through its ``kpi_links``)."""
    item: str
    link: str
    score: int
    sentence: str


@dataclass(frozen=True)
class Numbers:
    skipped: tuple[str, ...]    # for the consultant: which analysis was skipped and the file it lacked
    warnings: tuple[str, ...]
    error: str                  # the CSVs could not be analysed (the build checks them first)
    cross_checks: tuple[CrossCheck, ...]
    to_collect: tuple[str, ...] = ()   # for the client: what to collect and why (the readout prints these)


@dataclass(frozen=True)
class Governance:
    cadence: str
    deep_dive_threshold: float  # percent
    steps: tuple = ()           # every decision's next steps (NextStep), by date


@dataclass(frozen=True)
class InputFile:
    role: str
    name: str
    sha256: str


@dataclass(frozen=True)
class Provenance:
    engagement_sha256: str
    tool: str
    version: str
    generated: dt.datetime
    checklist: ChecklistInfo
    inputs: tuple[InputFile, ...]


# --------------------------------------------------------------------------- the business case
@dataclass(frozen=True)
class Input:
    """An input or intermediate result of a figure, named for a finance reader, with where it comes from."""
    name: str
    value: float | str
    unit: str = ""
    source: str = ""            # in the client's words ("the commercial terms", "four weeks of contact volumes")
    text: str = ""              # as printed: "£26.00", "80 %", "2,888.8 contacts"


@dataclass(frozen=True)
class Amount:
    """One figure of the business case (:class:`assessment.analyses.business_case.Amount`), money rounded as
    printed, with its formula, working and every input."""
    key: str
    label: str
    value: float                # in ``currency`` for ``period``, whole units as printed
    currency: str
    period: str
    annual: float
    text: str                   # "£61,050"
    annual_text: str
    formula: str
    working: str
    inputs: tuple[Input, ...]
    results: tuple[Input, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class HourChange:
    label: str                  # "weekday closing 17:00 → 18:00"
    action: str                 # add | remove
    weekdays: tuple[int, ...]
    start: float
    end: float


@dataclass(frozen=True)
class HoursCase:
    """A change of opening hours, priced: its staffing against the contacts it serves."""
    change: HourChange
    agent_hours_month: float
    contacts_month: float
    staffing: Amount | None
    contacts: Amount | None
    net_annual: float | None    # money a year in the client's favour (None: not priced)
    verdict: str                # pays | does not pay | not priced | not now
    sentence: str


@dataclass(frozen=True)
class MissingFigure:
    figure: str
    needs: tuple[str, ...]
    sentence: str               # in the client's words: what to collect, for which figure
    consultant_note: str = ""   # where it goes in the engagement file


@dataclass(frozen=True)
class BusinessCase:
    currency: str | None
    amounts: tuple[Amount, ...]
    coverage: tuple[HoursCase, ...] = ()
    missing: tuple[MissingFigure, ...] = ()

    def amount(self, key: str) -> Amount | None:
        return next((a for a in self.amounts if a.key == key), None)

    def all_amounts(self) -> tuple[Amount, ...]:
        return self.amounts + tuple(a for c in self.coverage for a in (c.staffing, c.contacts) if a is not None)


# --------------------------------------------------------------------------- the decisions
@dataclass(frozen=True)
class Option:
    key: str
    label: str
    consequence: str


@dataclass(frozen=True)
class Reason:
    """One piece of evidence for a decision, with the side it speaks about (client, provider, joint or "")."""
    text: str
    source: str = ""
    side: str = ""


@dataclass(frozen=True)
class PathStep:
    kind: str
    work: str
    start: dt.date
    ready_lo: dt.date
    ready_hi: dt.date
    slack_days: int
    latest_start: dt.date
    critical: bool
    after: str = ""
    note: str = ""


@dataclass(frozen=True)
class Decision:
    """A decision the client faces (:mod:`assessment.analyses.decisions`), ranked; ``headline`` is the answer
    in one sentence, ``title`` the question."""
    rank: int
    kind: str                   # renewal | hand_off | remediation | capacity | coverage
    scope: str                  # contract | service
    title: str
    headline: str
    deadline: dt.date | None
    deadline_label: str
    decide_by: dt.date | None
    days_left: int | None
    urgency: str
    stakes: float | None        # money a year at stake, whole units
    stakes_text: str
    currency: str | None
    options: tuple[Option, ...]
    recommended: str
    recommended_label: str
    recommendation: str
    evidence: tuple[Reason, ...]
    client_part: tuple[str, ...] = ()
    critical_path: tuple[PathStep, ...] = ()


# --------------------------------------------------------------------------- both sides' part
@dataclass(frozen=True)
class Practice:
    """A checklist item as a driver of a KPI: whose practice, its score, how it reads when weak."""
    item: str
    title: str
    side: str
    score: int | None
    phrase: str
    note: str = ""


@dataclass(frozen=True)
class KpiSides:
    kpi: str
    name: str
    actual_text: str
    target_text: str
    months_missed: int
    months: int
    run: int
    owner: str                  # client | shared | provider
    client_part: tuple[Practice, ...]
    joint_part: tuple[Practice, ...]
    provider_part: tuple[Practice, ...]
    sentence: str


@dataclass(frozen=True)
class Sides:
    """Which missed KPIs the client's own weak practices explain and which are the provider's
    (:func:`assessment.analyses.sides.both_sides`)."""
    weak_at: int
    findings: tuple[KpiSides, ...]
    client_explained: int
    total: int
    client_practices: tuple[Practice, ...]
    provider_kpis: tuple[str, ...]
    shared_kpis: tuple[str, ...]
    summary: str
    provider_summary: str
    side_scores: Mapping[str, float | None]   # mean as-is of each side's items, one decimal


# --------------------------------------------------------------------------- the executive summary
@dataclass(frozen=True)
class KeyFinding:
    """One of the findings that drive the decision, citing its numbers."""
    text: str
    source: str = ""
    side: str = ""


@dataclass(frozen=True)
class Cause:
    """A root cause on one side: a weak practice (with its checklist item and score) or a measured result."""
    side: str                   # client | provider | joint
    text: str
    item: str | None = None
    score: int | None = None
    note: str = ""


@dataclass(frozen=True)
class MoneyLine:
    label: str
    text: str                   # "£61,050"
    period: str                 # "over the last 12 months", "a year"
    key: str = ""               # the business case figure or the decision it comes from


@dataclass(frozen=True)
class NextStep:
    text: str
    owner: str                  # a role: "Kestrel Insurance vendor manager"
    side: str                   # client | provider | joint
    date: dt.date
    decision: str = ""          # the kind of decision it serves


@dataclass(frozen=True)
class Flag:
    """A strength the numbers contradict: a 'keep doing' practice whose KPIs are missed."""
    item: str
    title: str
    score: int | None
    kpis: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class Summary:
    """The executive summary, decision first: everything page one says, as printed."""
    kind: str                   # the headline decision's kind ("" when there is nothing to decide)
    headline: str
    date: dt.date | None
    date_label: str
    money: str
    recommendation: str
    findings: tuple[KeyFinding, ...]
    causes: tuple[Cause, ...]
    money_lines: tuple[MoneyLine, ...]
    steps: tuple[NextStep, ...]
    flags: tuple[Flag, ...]
    others: tuple[str, ...]     # the other decisions, one line each


# --------------------------------------------------------------------------- everything
@dataclass(frozen=True)
class Facts:
    """Every number, finding and table a readout shows, computed once (:func:`assessment.facts.load`)."""
    schema: str
    client: Party
    outsourcer: Party
    assessment: Assessment
    as_of: dt.date
    checklist: ChecklistInfo
    branding: BrandingInfo
    scores: Scores
    findings: tuple[Finding, ...]
    evidence: Evidence
    method: Method
    roadmap: Roadmap
    contract: Contract
    kpis: Kpis | None
    coverage: Coverage | None
    slas: tuple[Sla, ...]
    numbers: Numbers
    governance: Governance
    provenance: Provenance
    decisions: tuple[Decision, ...] = ()
    business_case: BusinessCase | None = None
    workstreams: tuple = ()     # analyses.workstreams.WorkstreamPlan: the roadmap as workstreams
    risks: tuple = ()           # analyses.workstreams.Risk: what the schedule itself puts at risk
    sides: Sides | None = None
    summary: Summary | None = None
    perception_gaps: Perception | None = None   # how each side sees it (respondents by role); None: no responses
    progress: Progress | None = None            # since the last closed wave; None: no wave closed

    @property
    def month(self) -> str:
        return self.kpis.month if self.kpis is not None else ""

    def ranked(self, kind: str, dimension: str | None = None, limit: int | None = None,
               contradicted: bool | None = None) -> tuple[ItemFact, ...]:
        """The items of one kind of finding (keep doing, improve), most important first. ``contradicted``:
        True for the strengths the numbers contradict only, False for the others, None for all."""
        chosen = [self.scores.item(f.id) for f in self.findings
                  if f.kind == kind and (dimension is None or f.dimension == dimension)
                  and (contradicted is None or bool(f.contradicted_by) == contradicted)]
        return tuple(chosen[:limit] if limit else chosen)

    def finding(self, item_id: str) -> Finding | None:
        return next((f for f in self.findings if f.id == item_id), None)

    def decision(self, kind: str) -> Decision | None:
        return next((d for d in self.decisions if d.kind == kind), None)

    def flag(self, item_id: str) -> Flag | None:
        return next((f for f in (self.summary.flags if self.summary else ()) if f.item == item_id), None)
