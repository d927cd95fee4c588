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
    """One strength (keep doing) or opportunity (improve), ranked across the whole checklist."""
    kind: str
    rank: int
    id: str
    dimension: str


@dataclass(frozen=True)
class Evidence:
    documented: int
    observed: int
    interview: int
    unrecorded: int
    answered: int
    strength: str


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

    def in_horizon(self, name: str) -> tuple[ActionFact, ...]:
        return tuple(a for a in self.actions if a.horizon == name)

    def by_quadrant(self, name: str) -> tuple[ActionFact, ...]:
        return tuple(a for a in self.actions if a.quadrant == name)


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
    status: str
    colour: str
    sentence: str


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
    skipped: tuple[str, ...]
    warnings: tuple[str, ...]
    error: str                  # the CSVs could not be analysed (the build checks them first)
    cross_checks: tuple[CrossCheck, ...]


@dataclass(frozen=True)
class Governance:
    cadence: str
    deep_dive_threshold: float  # percent


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
    decisions: tuple = ()
    business_case: Mapping = field(default_factory=lambda: EMPTY)
    workstreams: tuple = ()
    risks: tuple = ()

    @property
    def month(self) -> str:
        return self.kpis.month if self.kpis is not None else ""

    def ranked(self, kind: str, dimension: str | None = None, limit: int | None = None) -> tuple[ItemFact, ...]:
        """The items of one kind of finding (keep doing, improve), most important first."""
        chosen = [self.scores.item(f.id) for f in self.findings
                  if f.kind == kind and (dimension is None or f.dimension == dimension)]
        return tuple(chosen[:limit] if limit else chosen)
