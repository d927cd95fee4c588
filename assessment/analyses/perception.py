"""How each side sees it: the client's respondents against the provider's, item by item. Pure.

Inputs are plain values: the checklist, the respondents' answers (:class:`assessment.responses.Response`)
and the consultant's consensus scores (the engagement file's as-is per item). For each item:

* each side's **view** is the median of its respondents' as-is scores (n/a and unscored answers left
  out; the median of two is their mean, so a view may end in .5);
* the **gap** is client view minus provider view; the items with ``|gap| >= gap_at`` (2 by default)
  are where the sides differ most;
* a **blind spot** of the client is a practice that is the client's own (or joint, or of no recorded
  side) which the client's respondents rate ``high_at`` (4) or more and the provider's ``low_at`` (2) or
  less; a blind spot of the provider is the reverse, on the provider's own (or joint) practice;
* a side's **spread** is its highest minus its lowest as-is; a spread of ``spread_at`` (3) or more
  among one side's own respondents is a finding too.

Per dimension, the three views are compared on the same items: those both sides scored and the
consultant scored 0-5; each view is the weight-weighted mean of those items' values (item weights
from the checklist), rounded to one decimal.

Respondents are named by :func:`assessment.responses.display_names` (their role, unless the
engagement allows names): nothing here carries a name otherwise.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Mapping, Sequence

from ..checklist import DIMENSIONS, Checklist
from ..model import is_numeric

SIDES = ("client", "provider")


@dataclass(frozen=True)
class Rules:
    gap_at: float = 2
    spread_at: int = 3
    high_at: float = 4
    low_at: float = 2


RULES = Rules()


@dataclass(frozen=True)
class RespondentInfo:
    label: str                 # the role (or "name, role" when the engagement allows names)
    side: str
    items: int                 # items this respondent scored 0-5


@dataclass(frozen=True)
class Said:
    """What one respondent said about one item."""
    label: str
    side: str
    as_is: int | None
    to_be: int | None
    notes: str = ""


@dataclass(frozen=True)
class ItemView:
    id: str
    title: str
    dimension: str
    practice: str | None       # whose practice the item is: client | provider | joint | None
    client: float | None       # median as-is of the client's respondents
    provider: float | None
    consensus: int | None      # the consultant's as-is in the engagement file
    gap: float | None          # client - provider
    client_spread: int | None  # highest minus lowest as-is among the client's respondents
    provider_spread: int | None
    said: tuple[Said, ...]


@dataclass(frozen=True)
class DimensionView:
    dimension: str
    title: str
    client: float | None
    provider: float | None
    consensus: float | None
    items: int                 # items compared: both sides and the consultant scored them


@dataclass(frozen=True)
class Spread:
    item: str
    title: str
    side: str
    low: int
    high: int
    spread: int
    said: tuple[Said, ...]     # that side's answers, lowest first


@dataclass(frozen=True)
class Perception:
    respondents: tuple[RespondentInfo, ...]
    counts: Mapping[str, int]                 # respondents per side
    dimensions: tuple[DimensionView, ...]
    items: tuple[ItemView, ...]               # every item at least one respondent scored
    gaps: tuple[ItemView, ...]                # |gap| >= gap_at, widest first
    blind_spots_client: tuple[ItemView, ...]  # the client rates its own practice high, the provider low
    blind_spots_provider: tuple[ItemView, ...]
    spreads: tuple[Spread, ...]
    gap_at: float
    spread_at: int
    high_at: float
    low_at: float
    derived: tuple[str, ...] = ()             # items whose consensus `assessment consensus` derived from responses
    named: bool = False                       # labels carry names (the engagement allows it), not only roles

    @property
    def empty(self) -> bool:
        return not self.respondents

    @property
    def both_sides(self) -> bool:
        return all(self.counts.get(s, 0) for s in SIDES)


def _whole(v) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 5 else None


def _median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    total = sum(w for _, w in pairs)
    return round(sum(v * w for v, w in pairs) / total, 1) if total else None


def perception(checklist: Checklist, responses: Sequence, labels: Sequence[str],
               consensus: Mapping[str, object], rules: Rules = RULES, named: bool = False) -> Perception:
    """Compare the sides. ``responses``: :class:`~assessment.responses.Response` s; ``labels``: how each
    is shown (same order); ``consensus``: item id -> the engagement's answer (an ItemAnswer or mapping)."""
    said: dict[str, list[Said]] = {}
    infos = []
    for response, label in zip(responses, labels):
        side = response.respondent.side
        n = 0
        for iid, a in response.checklist.items():
            if iid not in checklist:
                continue   # validation reports it; the comparison goes on without it
            as_is = _whole(getattr(a, "as_is", None)) if not getattr(a, "is_na", False) else None
            to_be = _whole(getattr(a, "to_be", None)) if not getattr(a, "is_na", False) else None
            if as_is is None:
                continue
            n += 1
            said.setdefault(iid, []).append(Said(label, side, as_is, to_be, getattr(a, "notes", "") or ""))
        infos.append(RespondentInfo(label, side, n))

    views: list[ItemView] = []
    spreads: list[Spread] = []
    for item in checklist.items:
        answers = said.get(item.id)
        if not answers:
            continue
        per = {s: [x.as_is for x in answers if x.side == s] for s in SIDES}
        client, provider = _median(per["client"]), _median(per["provider"])
        answer = consensus.get(item.id)
        cons = _whole(getattr(answer, "as_is", None) if not isinstance(answer, Mapping) else answer.get("as_is")) \
            if answer is not None and is_numeric(answer) else None
        spread = {s: (max(v) - min(v)) if len(v) >= 2 else None for s, v in per.items()}
        ordered = tuple(sorted(answers, key=lambda x: (SIDES.index(x.side) if x.side in SIDES else 9, x.as_is)))
        view = ItemView(item.id, item.title, item.dimension, item.side, client, provider, cons,
                        None if client is None or provider is None else client - provider,
                        spread["client"], spread["provider"], ordered)
        views.append(view)
        for s in SIDES:
            if spread[s] is not None and spread[s] >= rules.spread_at:
                mine = tuple(x for x in ordered if x.side == s)
                spreads.append(Spread(item.id, item.title, s, min(per[s]), max(per[s]), spread[s], mine))

    dims = []
    for d in DIMENSIONS:
        items = [v for v in views if v.dimension == d and v.gap is not None and v.consensus is not None]
        weight = {i.id: i.weight for i in checklist.in_dimension(d)}
        if not checklist.in_dimension(d):
            continue
        dims.append(DimensionView(d, checklist.title_of(d),
                                  _mean([(v.client, weight[v.id]) for v in items]),
                                  _mean([(v.provider, weight[v.id]) for v in items]),
                                  _mean([(v.consensus, weight[v.id]) for v in items]), len(items)))

    gaps = sorted((v for v in views if v.gap is not None and abs(v.gap) >= rules.gap_at),
                  key=lambda v: (-abs(v.gap), v.id))
    blind_client = tuple(v for v in views if v.gap is not None and v.practice in ("client", "joint", None)
                         and v.client >= rules.high_at and v.provider <= rules.low_at)
    blind_provider = tuple(v for v in views if v.gap is not None and v.practice in ("provider", "joint", None)
                           and v.provider >= rules.high_at and v.client <= rules.low_at)
    counts = {s: sum(1 for r in responses if r.respondent.side == s) for s in SIDES}
    spreads.sort(key=lambda s: (-s.spread, s.item, s.side))
    derived = tuple(i.id for i in checklist.items if _derived(consensus.get(i.id)))
    return Perception(tuple(infos), counts, tuple(dims), tuple(views), tuple(gaps), blind_client, blind_provider,
                      tuple(spreads), rules.gap_at, rules.spread_at, rules.high_at, rules.low_at, derived, named)


def _derived(answer) -> bool:
    v = answer.get("derived") if isinstance(answer, Mapping) else getattr(answer, "derived", None)
    return v == "consensus"


# --------------------------------------------------------------------------- consensus for unscored items
def proposed_consensus(checklist: Checklist, responses: Sequence, answers: Mapping[str, object]
                       ) -> dict[str, tuple[int, int]]:
    """(as_is, to_be) proposed for each item the engagement has not scored (or only derived), from the responses.

    Median per side, then the median across the sides that answered (the mean of the two sides'
    medians), rounded half up to a whole score; a to-be below the proposed as-is is raised to it.
    Items no respondent scored 0-5 get nothing.
    """
    out: dict[str, tuple[int, int]] = {}
    for item in checklist.items:
        answer = answers.get(item.id)
        if answer is not None and not _derived(answer) and (
                is_numeric(answer) or getattr(answer, "is_na", False)
                or (isinstance(answer, Mapping) and "n/a" in (answer.get("as_is"), answer.get("to_be")))):
            continue   # the consultants' own answer; a derived one is derived again from today's responses
        sides_as, sides_to = [], []
        for s in SIDES:
            mine = [r.checklist.get(item.id) for r in responses if r.respondent.side == s]
            mine = [a for a in mine if a is not None and is_numeric(a)]
            if mine:
                sides_as.append(statistics.median([a.as_is for a in mine]))
                sides_to.append(statistics.median([a.to_be for a in mine]))
        if not sides_as:
            continue
        as_is = half_up(statistics.median(sides_as))
        to_be = max(half_up(statistics.median(sides_to)), as_is)
        out[item.id] = (as_is, to_be)
    return out


def half_up(v: float) -> int:
    """2.5 -> 3, 2.25 -> 2 (not Python's round-half-even)."""
    import math

    return int(math.floor(v + 0.5))
