"""Scoring: as-is, to-be and gap per item, per dimension and overall. Pure functions.

Conventions (domain brief):
* "n/a" items are left out of every average; unscored items are counted but not averaged.
* A dimension's score is the weighted mean of its items; gap = to-be - as-is.
* Overall is the mean of the dimensions that have scored items, each counting equally,
  so a dimension with many items does not drown the others.
* Priority = gap x weight.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Mapping

from ..checklist import DIMENSIONS, Checklist
from ..model import NA, ItemAnswer


@dataclass(frozen=True)
class Thresholds:
    """Every classification boundary, in one place."""

    keep_doing_min: int = 3     # an as-is at least this strong, already at target: keep doing
    improve_gap: int = 1        # a gap of at least this: an opportunity to improve
    high_priority: float = 4.0  # priority (gap x weight) at or above this is high impact


THRESHOLDS = Thresholds()

KEEP_DOING, IMPROVE, ON_TRACK, NOT_APPLICABLE, NOT_SCORED = "keep doing", "improve", "on track", "n/a", "not scored"

SCALE: dict[int, tuple[str, str]] = {
    0: ("Absent", "Not done; no awareness of the need."),
    1: ("Ad hoc", "Occasional and dependent on individuals; the provider is treated as a separate vendor."),
    2: ("Repeatable", "A basic practice, often written into the contract, done consistently but one-sided."),
    3: ("Defined & integrated", "Documented and jointly owned; the provider works as an extension of the team."),
    4: ("Measured", "Managed to targets on a balanced scorecard; deviations are root-caused; benefits are tracked."),
    5: ("Optimising partnership", "Continuous joint improvement, customer-driven and benchmarked."),
}


@dataclass(frozen=True)
class ItemScore:
    id: str
    dimension: str
    title: str
    weight: float
    effort: str
    as_is: int | None
    to_be: int | None
    gap: int | None
    priority: float | None
    classification: str
    confidence: str | None = None
    notes: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    title: str
    as_is: float | None
    to_be: float | None
    gap: float | None
    items_scored: int
    items_total: int
    items_na: int


@dataclass(frozen=True)
class Scores:
    overall: dict[str, float | None]
    dimensions: dict[str, DimensionScore]
    items: list[ItemScore]

    @property
    def items_scored(self) -> int:
        return sum(d.items_scored for d in self.dimensions.values())

    @property
    def items_total(self) -> int:
        return sum(d.items_total for d in self.dimensions.values())

    @property
    def completeness(self) -> Completeness:
        """The same counts as :func:`completeness` on the answers (items_scored == completeness.scored)."""
        return Completeness(len(self.items), sum(1 for i in self.items if i.classification != NOT_SCORED),
                            sum(1 for i in self.items if i.classification == NOT_APPLICABLE),
                            sum(1 for i in self.items if i.gap is not None))

    def by_class(self, classification: str) -> list[ItemScore]:
        return [i for i in self.items if i.classification == classification]

    def to_dict(self) -> dict:
        """The JSON shape of ``assessment score --json``."""
        return {
            "overall": dict(self.overall),
            "dimensions": {
                k: {"as_is": d.as_is, "to_be": d.to_be, "gap": d.gap, "items_scored": d.items_scored,
                    "items_total": d.items_total, "items_na": d.items_na, "title": d.title}
                for k, d in self.dimensions.items()
            },
            "items": [
                {k: v for k, v in asdict(i).items() if k not in ("notes", "evidence")}
                for i in self.items
            ],
        }


# --------------------------------------------------------------------------- what "scored" means, once
# Defined with the model (what an answer is) and used here, by validate, the readout and the workshops.
from ..model import _whole, is_answered, is_not_applicable, is_numeric  # noqa: E402,F401


@dataclass(frozen=True)
class Completeness:
    """How far the checklist has been filled in: scored (answered), of which n/a and of which 0-5."""

    total: int
    scored: int            # is_answered: numeric or n/a
    not_applicable: int    # is_not_applicable
    numeric: int           # is_numeric: averaged in the scores

    @property
    def applicable(self) -> int:
        """Items that apply (every item not marked n/a), scored or not."""
        return self.total - self.not_applicable

    @property
    def nothing_to_average(self) -> bool:
        """No item carries a 0-5 score (none answered, or every answer n/a)."""
        return self.numeric == 0

    def summary(self) -> str:
        """e.g. '45/45 items scored (0 of 0 applicable items scored 0-5; 45 n/a)'."""
        return (f"{self.scored}/{self.total} items scored ({self.numeric} of {self.applicable} applicable items "
                f"scored 0-5; {self.not_applicable} n/a)")

    def empty_reason(self) -> str:
        """Why there is no score to show, in a consultant's words ('' when there is one)."""
        if self.numeric:
            return ""
        if self.scored == 0:
            return "No checklist item has been scored yet."
        if self.not_applicable == self.total:
            return f"Every one of the {self.total} items is marked n/a, so there is no score to average."
        return (f"{self.scored} of {self.total} items are scored, all of them n/a, so there is no score to average "
                "yet.")


DRAFT_SHARE = 0.5   # a readout is a draft while fewer than this share of the applicable items are scored 0-5


def is_draft(c: Completeness) -> bool:
    """THE draft rule: fewer than half the applicable (not n/a) items scored 0-5, as-is and to-be, or none at all.

    A draft readout prints a DRAFT watermark on every page and says why on its cover; the CLI warns.
    """
    return c.numeric == 0 or c.numeric < DRAFT_SHARE * c.applicable


def draft_note(c: Completeness) -> str:
    """One plain sentence on why a readout is a draft; "" when it is not."""
    if not is_draft(c):
        return ""
    if c.numeric == 0:
        reason = c.empty_reason() or "No checklist item has been scored yet."
        return f"Draft: the assessment is not yet scored. {reason} This readout has no findings yet."
    return (f"Draft: the assessment is not yet scored. Only {c.numeric} of {c.applicable} applicable items have "
            "an as-is and a to-be score, so the scores and findings are provisional.")


def completeness(checklist: Checklist, answers: Mapping[str, Any] | None) -> Completeness:
    """Count the checklist's items by :func:`is_answered` (answers: item id -> ItemAnswer or plain mapping)."""
    answers = answers or {}
    got = [answers.get(item.id) for item in checklist.items]
    return Completeness(len(got), sum(1 for a in got if is_answered(a)), sum(1 for a in got if is_not_applicable(a)),
                        sum(1 for a in got if is_numeric(a)))


def classify(as_is: int | None, to_be: int | None, t: Thresholds = THRESHOLDS) -> str:
    """Keep doing, improve or on track, from one item's two scores."""
    if as_is is None or to_be is None:
        return NOT_SCORED
    gap = to_be - as_is
    if gap >= t.improve_gap:
        return IMPROVE
    if as_is >= t.keep_doing_min and gap <= 0:
        return KEEP_DOING
    return ON_TRACK


def score_item(item, answer: ItemAnswer | None, t: Thresholds = THRESHOLDS) -> ItemScore:
    answer = answer or ItemAnswer()
    common = dict(id=item.id, dimension=item.dimension, title=item.title, weight=item.weight, effort=item.effort,
                  confidence=answer.confidence, notes=answer.notes or "", evidence=answer.evidence or "")
    if is_not_applicable(answer):
        return ItemScore(as_is=None, to_be=None, gap=None, priority=None, classification=NOT_APPLICABLE, **common)
    a, b = _whole(answer.as_is), _whole(answer.to_be)
    if not is_numeric(answer):
        return ItemScore(as_is=a, to_be=b, gap=None, priority=None, classification=NOT_SCORED, **common)
    gap = b - a
    return ItemScore(as_is=a, to_be=b, gap=gap, priority=round(max(gap, 0) * item.weight, 4),
                     classification=classify(a, b, t), **common)


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Mean of (value, weight) pairs; None when there is nothing to average."""
    total = sum(w for _, w in pairs)
    return round(sum(v * w for v, w in pairs) / total, 4) if total else None


def score_dimension(dimension: str, title: str, items: list[ItemScore]) -> DimensionScore:
    scored = [i for i in items if i.gap is not None]
    as_is = weighted_mean([(i.as_is, i.weight) for i in scored])
    to_be = weighted_mean([(i.to_be, i.weight) for i in scored])
    gap = round(to_be - as_is, 4) if as_is is not None and to_be is not None else None
    na = sum(1 for i in items if i.classification == NOT_APPLICABLE)
    return DimensionScore(dimension, title, as_is, to_be, gap, len(scored) + na, len(items), na)


def score(checklist: Checklist, answers: Mapping[str, ItemAnswer], t: Thresholds = THRESHOLDS) -> Scores:
    """Score every checklist item against the consultant's answers."""
    items = [score_item(item, answers.get(item.id), t) for item in checklist.items]
    dims = {d: score_dimension(d, checklist.title_of(d), [i for i in items if i.dimension == d]) for d in DIMENSIONS}
    present = [d for d in dims.values() if d.as_is is not None]
    overall_as_is = round(sum(d.as_is for d in present) / len(present), 4) if present else None
    overall_to_be = round(sum(d.to_be for d in present) / len(present), 4) if present else None
    gap = round(overall_to_be - overall_as_is, 4) if present else None
    return Scores({"as_is": overall_as_is, "to_be": overall_to_be, "gap": gap}, dims, items)


def ranked(items: list[ItemScore], classification: str, limit: int | None = None) -> list[ItemScore]:
    """Items of one class, most important first (priority for gaps; as-is x weight for strengths)."""
    chosen = [i for i in items if i.classification == classification]
    if classification == IMPROVE:
        chosen.sort(key=lambda i: (-(i.priority or 0), -(i.gap or 0), i.id))
    else:
        chosen.sort(key=lambda i: (-((i.as_is or 0) * i.weight), i.id))
    return chosen[:limit] if limit else chosen
