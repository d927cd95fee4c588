"""The engagement file as typed data (pydantic models).

The top-level keys of ``engagement.yaml`` are a contract: files written today must
keep loading, so every model allows extra keys and new keys only ever get defaults.
Cross-field rules (renewal after start, known item ids, to-be below as-is) live in
:mod:`assessment.validate`, which can report them even when other fields are broken.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, Mapping, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, field_validator
from typing_extensions import Annotated

NA = "n/a"
Confidence = Literal["documented", "observed", "interview"]
CONFIDENCE_LEVELS: tuple[str, ...] = ("documented", "observed", "interview")
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SCORE_EXPECTED = '0-5 or "n/a"'


def _score(v):
    """A score is a whole number 0-5, the string "n/a", or absent (not scored yet)."""
    if v is None or v == NA:
        return v
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 5:
        return v
    raise ValueError(f"must be {SCORE_EXPECTED}")


Score = Annotated[Union[int, str, None], BeforeValidator(_score)]

# Every date a consultant types (and every month and timestamp in the CSVs) lies in these years: the
# analyses add and subtract days and months, which near year 1 or 9999 leaves Python's calendar.
YEAR_MIN, YEAR_MAX = 1990, 2100
DATE_RANGE = f"a date in the years {YEAR_MIN}-{YEAR_MAX}"


def year_ok(year: int) -> bool:
    return YEAR_MIN <= year <= YEAR_MAX


def _in_range(v: dt.date) -> dt.date:
    if not year_ok(v.year):
        raise ValueError(f"must be {DATE_RANGE}")
    return v


Date = Annotated[dt.date, AfterValidator(_in_range)]

ZONE_EXPECTED = "an IANA time zone such as Europe/London or America/New_York"


def time_zone(name: object):
    """The :class:`zoneinfo.ZoneInfo` for ``name``, or None when it is not a time zone of the tz database."""
    from zoneinfo import ZoneInfo

    if not isinstance(name, str) or not name or name != name.strip() or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError (a path), IsADirectoryError ("Europe")
        return None


MAX_LEAD_DAYS = 3650
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True, allow_inf_nan=False)


class Client(_Model):
    name: str = Field(min_length=1)
    industry: str | None = None


class AssessmentInfo(_Model):
    date: Date
    consultants: list[str] = Field(default_factory=list)


class Outsourcer(_Model):
    name: str = Field(min_length=1)
    services: list[str] = Field(default_factory=list)
    sites: list[str] = Field(default_factory=list)


class Contract(_Model):
    start_date: Date | None = None
    renewal_date: Date | None = None
    notice_days: int = Field(default=90, ge=0, le=3650)
    hand_off_date: Date | None = None
    auto_renewal: bool = True


class ItemAnswer(_Model):
    as_is: Score = None
    to_be: Score = None
    notes: str = ""
    evidence: str = ""
    confidence: Confidence | None = None
    owner: str | None = None
    derived: Literal["consensus"] | None = None   # proposed by `assessment consensus` from the responses

    @field_validator("notes", "evidence", mode="before")
    @classmethod
    def _none_is_empty(cls, v):
        return "" if v is None else v

    @property
    def is_na(self) -> bool:
        return self.as_is == NA or self.to_be == NA

    @property
    def is_scored(self) -> bool:
        """Answered, as :func:`is_answered` defines it (the one definition)."""
        return is_answered(self)


class Coverage(_Model):
    """Opening hours per weekday, e.g. ``mon: "08:00-20:00"`` or ``sun: closed``."""

    timezone: str = "UTC"
    mon: str = "closed"
    tue: str = "closed"
    wed: str = "closed"
    thu: str = "closed"
    fri: str = "closed"
    sat: str = "closed"
    sun: str = "closed"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        if time_zone(v) is None:
            raise ValueError(f"expected {ZONE_EXPECTED}")
        return v

    @field_validator(*WEEKDAYS)
    @classmethod
    def _hours(cls, v: str) -> str:
        v = str(v).strip().lower()
        if v in ("closed", "24h", "00:00-24:00"):
            return "00:00-24:00" if v == "24h" else v
        m = _HOURS.match(v)
        if not m or (m.group(1), m.group(2)) >= (m.group(3), m.group(4)):
            raise ValueError('expected "HH:MM-HH:MM" with open before close, or "closed"')
        return v

    def window(self, day: str) -> tuple[float, float] | None:
        """Opening window of a weekday as (open_hour, close_hour) floats, or None when closed."""
        v = getattr(self, day)
        if v == "closed":
            return None
        a, b = v.split("-")
        h1, m1 = (int(x) for x in a.split(":"))
        h2, m2 = (int(x) for x in b.split(":"))
        return h1 + m1 / 60, h2 + m2 / 60


class BusinessSLA(_Model):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    demand: float = Field(ge=0)
    unit: str = ""
    availability: float | None = Field(default=None, ge=0, le=100)  # percent the business needs
    backed_by: list[str] = Field(default_factory=list)


class ITSLA(_Model):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    capacity: float = Field(ge=0)
    unit: str = ""
    availability: float | None = Field(default=None, ge=0, le=100)  # percent promised


class SLAs(_Model):
    business: list[BusinessSLA] = Field(default_factory=list)
    it: list[ITSLA] = Field(default_factory=list)


LeadTime = Union[StrictInt, tuple[StrictInt, StrictInt]]


class LeadTimes(_Model):
    """Lead times in days before the hand-off date: a number, or [min, max]."""

    telecom: LeadTime = (45, 60)   # the articles: telecom and data lines take 45-60 days
    hiring: LeadTime = (30, 45)
    training: LeadTime = (14, 21)
    crm: LeadTime = (30, 60)

    @field_validator("telecom", "hiring", "training", "crm")
    @classmethod
    def _days(cls, v):
        lo, hi = (v, v) if isinstance(v, int) else v
        if not (0 <= lo <= hi <= MAX_LEAD_DAYS):
            raise ValueError(f"expected days from 0 to {MAX_LEAD_DAYS}, or [min, max] with min at most max")
        return v

    def days(self, name: str) -> tuple[int, int]:
        v = getattr(self, name)
        return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


class ScorecardSettings(_Model):
    deep_dive_threshold: float = Field(default=0.10, gt=0, le=10)  # relative deviation from target
    review_cadence: str = "monthly"


# --------------------------------------------------------------------------- the business case in money
CURRENCY_EXPECTED = "a three-letter ISO 4217 currency code such as EUR, GBP or CHF"
MAX_HOUR_COST = 100_000.0        # per agent hour: beyond it is a typo, not a rate
MAX_MONTHLY_FEE = 1e10
MAX_CONTACT_VALUE = 1_000_000.0  # per lost contact


class ServiceCredit(_Model):
    """A contractual service credit: ``percent`` of the monthly fee for each month ``kpi`` is missed."""

    kpi: str = Field(min_length=1)
    percent: float = Field(ge=0, le=100)


class Commercials(_Model):
    """What the service costs and what a lost contact is worth (optional; the business case needs it).

    Every amount is in ``currency``. Each figure of :mod:`assessment.analyses.business_case` says which of
    these keys it needs; the others may be left out.
    """

    currency: str
    agent_hour_cost: float | None = Field(default=None, ge=0, le=MAX_HOUR_COST)   # loaded cost of a staffed agent hour
    monthly_fee: float | None = Field(default=None, ge=0, le=MAX_MONTHLY_FEE)     # paid to the provider per month
    service_credits: list[ServiceCredit] = Field(default_factory=list)
    value_per_lost_contact: float | None = Field(default=None, ge=0, le=MAX_CONTACT_VALUE)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, v):
        if isinstance(v, str) and re.fullmatch(r"\s*[A-Za-z]{3}\s*", v):
            return v.strip().upper()
        raise ValueError(f"expected {CURRENCY_EXPECTED}")


class Peak(_Model):
    """A season of peak demand (storm season, Black Friday, tax deadline): capacity must be ready before it."""

    name: str = Field(min_length=1)
    start: Date
    end: Date


class Confidentiality(_Model):
    """Who may be named in a deliverable: respondents appear by role unless this says otherwise."""

    show_respondent_names: bool = False


class PerceptionSettings(_Model):
    """When the two sides' views make a finding (assessment.analyses.perception): the defaults of the readout."""

    gap_at: float = Field(default=2, ge=0.5, le=5)     # |client - provider| at least this: the sides differ
    spread_at: int = Field(default=3, ge=1, le=5)      # highest - lowest within one side at least this
    high_at: float = Field(default=4, ge=0, le=5)      # a blind spot: one side rates its practice this or more
    low_at: float = Field(default=2, ge=0, le=5)       # ... and the other side this or less


class Engagement(_Model):
    client: Client
    assessment: AssessmentInfo
    outsourcer: Outsourcer
    contract: Contract = Field(default_factory=Contract)
    checklist: dict[str, ItemAnswer] = Field(default_factory=dict)
    coverage: Coverage | None = None
    slas: SLAs = Field(default_factory=SLAs)
    lead_times: LeadTimes = Field(default_factory=LeadTimes)
    scorecard: ScorecardSettings = Field(default_factory=ScorecardSettings)
    commercials: Commercials | None = None
    peaks: list[Peak] = Field(default_factory=list)
    actions: Any = None   # the client's action plan; parsed and checked by assessment.actions
    confidentiality: Confidentiality = Field(default_factory=Confidentiality)
    perception: PerceptionSettings = Field(default_factory=PerceptionSettings)

    def answer(self, item_id: str) -> ItemAnswer:
        return self.checklist.get(item_id) or ItemAnswer()


# --------------------------------------------------------------------------- what "scored" means, once
def _value(answer: Any, key: str) -> Any:
    if answer is None:
        return None
    if isinstance(answer, Mapping):
        return answer.get(key)
    return getattr(answer, key, None)


def _whole(v: Any) -> int | None:
    """A score of 0-5 (bool is not a number here), else None."""
    return v if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 5 else None


def is_not_applicable(answer: Any) -> bool:
    """The item does not apply: "n/a" as-is or to-be (an item that does not apply has no target)."""
    return _value(answer, "as_is") == NA or _value(answer, "to_be") == NA


def is_numeric(answer: Any) -> bool:
    """Both as-is and to-be are whole numbers 0-5: the item counts in the averages."""
    return (not is_not_applicable(answer) and _whole(_value(answer, "as_is")) is not None
            and _whole(_value(answer, "to_be")) is not None)


def is_answered(answer: Any) -> bool:
    """THE definition of a scored ("answered") item, used by validate, score, the readout and the workshops.

    An item is scored when the consultant has said all there is to say about it: it is n/a
    (either field; it then needs no target), or both as-is and to-be are 0-5. Half an answer
    (as-is without to-be) is not scored. ``answer`` is an :class:`ItemAnswer`, the plain
    mapping read from the YAML file, or None.
    """
    return is_not_applicable(answer) or is_numeric(answer)
