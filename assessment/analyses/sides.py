"""Both sides' part: which missed KPIs the client's own weak practices explain, and which are the provider's. Pure.

Two pieces of data, both in ``assessment/data``:

* **Whose practice each checklist item is**: ``side: client | provider | joint`` on each item of the
  checklist (``checklist.yaml``), with ``weak:``, a short client-facing phrase for the practice when it
  is weak ("late forecasts and campaign plans"). The checklist is the one source: :func:`load_sides`
  (:func:`sides_of`) reads them from it; a firm's checklist without ``side`` still works (its items
  are on no side). :func:`parse_sides` reads the same facts from a mapping ``{items: {ID: {side, weak}}}``.
* **What drives each KPI** (``drivers:`` in ``kpis.yaml``): the checklist items whose practice moves
  the KPI, on either side (forecast error <- forecasts and launch calendar shared). Read by
  :func:`load_drivers`.

:func:`both_sides` puts them together with the item scores and the KPIs missed in the month. A
driver is **weak** when its as-is score is at most ``weak_at`` (1, "ad hoc", by default). For each
missed KPI:

* its **client part**: weak drivers that are the client's own practice;
* its **joint part**: weak drivers neither side can fix alone;
* its **provider part**: weak drivers that are the provider's practice;
* its **owner**: ``client`` when the client part is not empty and the provider part is;
  ``shared`` when both are, or when only joint drivers are weak; ``provider`` when no client or
  joint driver is weak (the provider delivers the KPI, and nothing on the client's side explains
  the miss).

A KPI is **explained by the client** when its client part is not empty: changing provider would
not fix that miss. The summary counts them ("7 of the 9 missed KPIs have a driver that Kestrel
itself scores 1 or lower: ...; changing provider would not fix these.").

Inputs are plain values (mappings and small dataclasses); :func:`missed_kpis` adapts a
:class:`assessment.analyses.kpis.Scorecard`.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..errors import InvalidInput, Problem, show

CLIENT, PROVIDER, JOINT = "client", "provider", "joint"
SIDES: tuple[str, ...] = (CLIENT, PROVIDER, JOINT)
OWNER_CLIENT, OWNER_SHARED, OWNER_PROVIDER = "client", "shared", "provider"
WEAK_AT = 1   # a driver scoring this or lower is weak ("ad hoc": depends on individuals)
_ID = re.compile(r"^[A-Z]{2,5}-\d{2,3}$")


# --------------------------------------------------------------------------- the data
@dataclass(frozen=True)
class Practice:
    """Whose practice one checklist item is, and how it reads when weak."""

    item: str
    side: str     # client | provider | joint
    weak: str     # "late forecasts and campaign plans"


def parse_sides(data: Any, source: str) -> dict[str, Practice]:
    """``{items: {ID: {side, weak}}}`` -> ``{ID: Practice}``. Raises InvalidInput with every problem."""
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, dict) or not items:
        raise InvalidInput([Problem(source, "items", "a mapping of checklist item ids to {side, weak}",
                                    show(type(items).__name__ if items is not None else None))])
    out, problems = {}, []
    for iid, spec in items.items():
        if not isinstance(iid, str) or not _ID.match(iid):
            problems.append(Problem(source, f"items.{iid}", "a checklist item id such as PEO-01", show(iid)))
            continue
        if not isinstance(spec, dict):
            problems.append(Problem(source, f"items.{iid}", "a mapping {side: ..., weak: ...}", show(spec)))
            continue
        side, weak = spec.get("side"), spec.get("weak", "")
        if side not in SIDES:
            problems.append(Problem(source, f"items.{iid}.side", " | ".join(SIDES), show(side)))
            continue
        if not isinstance(weak, str):
            problems.append(Problem(source, f"items.{iid}.weak", "text", show(weak)))
            continue
        out[iid] = Practice(iid, side, weak.strip())
    if problems:
        raise InvalidInput(problems)
    return out


def sides_of(checklist: Any) -> dict[str, Practice]:
    """``{ID: Practice}`` for every item of a :class:`assessment.checklist.Checklist` that has a ``side``."""
    return {i.id: Practice(i.id, i.side, (getattr(i, "weak", "") or "").strip())
            for i in checklist.items if getattr(i, "side", None) in SIDES}


def load_sides(checklist: Any = None) -> dict[str, Practice]:
    """Whose practice each item is, read from the checklist: the built-in one (None), a checklist file
    (a path) or a loaded :class:`assessment.checklist.Checklist`."""
    from ..checklist import load_checklist

    if checklist is None or isinstance(checklist, (str, Path)):
        checklist = load_checklist(checklist or None)
    return sides_of(checklist)


def parse_drivers(catalogue: Any, source: str) -> dict[str, tuple[str, ...]]:
    """``drivers:`` of each KPI of a catalogue mapping (kpis.yaml) -> ``{kpi: (item ids)}``.

    A KPI without drivers maps to ``()``. Raises InvalidInput when drivers is not a list of item ids.
    """
    if not isinstance(catalogue, dict):
        raise InvalidInput([Problem(source, "(file)", "a mapping of KPI keys to definitions", show(catalogue))])
    out, problems = {}, []
    for key, spec in catalogue.items():
        raw = spec.get("drivers", []) if isinstance(spec, dict) else []
        if raw is None:
            raw = []
        if not isinstance(raw, list) or not all(isinstance(i, str) and _ID.match(i) for i in raw):
            problems.append(Problem(source, f"{key}.drivers", "a list of checklist item ids such as [PRC-12, PEO-02]",
                                    show(raw)))
            continue
        out[str(key)] = tuple(dict.fromkeys(raw))
    if problems:
        raise InvalidInput(problems)
    return out


def load_drivers(path: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """Drivers of the built-in catalogue, overridden KPI by KPI by a firm's own catalogue file."""
    from ..yamlio import read_packaged_yaml, read_yaml, to_plain

    builtin = Path(str(resources.files("assessment.data").joinpath("kpis.yaml")))
    data, _ = read_packaged_yaml(builtin)
    out = parse_drivers(to_plain(data), str(builtin))
    if path:
        extra, _ = read_yaml(path)
        plain = to_plain(extra)
        out.update({k: v for k, v in parse_drivers(plain, str(path)).items()
                    if isinstance(plain.get(k), dict) and "drivers" in plain[k]})
    return out


def consistency(sides: Mapping[str, Practice], drivers: Mapping[str, Sequence[str]], item_ids: Iterable[str],
                source: str = "sides") -> list[Problem]:
    """Every checklist item has a side; every side and driver names an item of the checklist."""
    ids = list(item_ids)
    known = set(ids)
    out = [Problem(source, f"items.{i}", "a side for every checklist item (client, provider or joint)", "nothing")
           for i in ids if i not in sides]
    out += [Problem(source, f"items.{i}", "an item id of the checklist", show(i)) for i in sides if i not in known]
    out += [Problem(source, f"{k}.drivers", "item ids of the checklist", show(i))
            for k, items in drivers.items() for i in items if i not in known]
    return out


# --------------------------------------------------------------------------- the findings
@dataclass(frozen=True)
class MissedKpi:
    """A KPI missed in the month: plain values (see :func:`missed_kpis` for a scorecard)."""

    key: str
    name: str
    unit: str
    actual: float
    target: float | tuple[float, float]
    months_missed: int = 1   # months missed in the history
    months: int = 1          # months reported
    run: int = 1             # consecutive months missed up to and including this one


@dataclass(frozen=True)
class Driver:
    item: str
    title: str
    side: str            # client | provider | joint | "" (no side recorded)
    score: int | None    # as-is; None when n/a or not scored
    weak: bool           # score <= weak_at
    phrase: str          # how the practice reads when weak
    note: str = ""       # the consultant's note on the item


@dataclass(frozen=True)
class KpiFinding:
    kpi: str
    name: str
    unit: str
    actual: float
    target: float | tuple[float, float]
    months_missed: int
    months: int
    run: int
    drivers: tuple[Driver, ...]        # every driver, in catalogue order
    client_part: tuple[Driver, ...]    # weak drivers that are the client's practice
    joint_part: tuple[Driver, ...]
    provider_part: tuple[Driver, ...]
    owner: str                         # client | shared | provider
    sentence: str

    @property
    def explained_by_client(self) -> bool:
        return bool(self.client_part)


@dataclass(frozen=True)
class BothSides:
    """What :func:`both_sides` returns; :meth:`to_dict` for JSON."""

    client: str
    provider: str
    weak_at: int
    findings: tuple[KpiFinding, ...]
    client_explained: int              # missed KPIs with a weak client driver
    total: int                         # missed KPIs
    client_practices: tuple[Driver, ...]   # the client's weak drivers, most KPIs driven first
    provider_kpis: tuple[str, ...]     # KPI keys that are the provider's to fix
    shared_kpis: tuple[str, ...]       # KPI keys explained only by joint practices
    summary: str                       # the client's part, one sentence ("" when nothing is missed)
    provider_summary: str              # the provider's part, one sentence ("" when it has none)
    side_scores: Mapping[str, float | None]   # mean as-is per side over the items scored

    @property
    def client_share(self) -> float:
        return self.client_explained / self.total if self.total else 0.0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["side_scores"] = dict(self.side_scores)
        d["client_share"] = self.client_share
        return d


def _score(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 5 else None


def side_scores(scores: Mapping[str, Any], sides: Mapping[str, Practice]) -> dict[str, float | None]:
    """Mean as-is score of each side's items (n/a and unscored left out); None for a side with none scored."""
    out = {}
    for side in SIDES:
        vals = [s for i, p in sides.items() if p.side == side and (s := _score(scores.get(i))) is not None]
        out[side] = round(sum(vals) / len(vals), 4) if vals else None
    return out


def _num(v: float, unit: str = "") -> str:
    text = f"{v:,.1f}".rstrip("0").rstrip(".")
    return f"{text}{unit}" if unit in ("%", "") or unit.startswith(" ") else f"{text} {unit}"


def target_text(target: float | tuple[float, float], unit: str) -> str:
    if isinstance(target, tuple):
        return f"{_num(target[0])}–{_num(target[1], unit)}"
    return _num(target, unit)


def _list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def possessive(name: str) -> str:
    """"Kestrel's", "Apex Outsource Partners'"."""
    return name + ("'" if name.endswith("s") else "'s")


def _lower_first(name: str) -> str:
    """"Agent attrition" -> "agent attrition" inside a sentence; "ASA" stays."""
    return name[:1].lower() + name[1:] if len(name) > 1 and name[1:2].islower() else name


def _drivers_text(part: Sequence[Driver]) -> str:
    return "; ".join(f"{d.phrase or d.title} ({d.item}, {d.score})" for d in part)


def both_sides(missed: Sequence[MissedKpi], scores: Mapping[str, Any], sides: Mapping[str, Practice],
               drivers: Mapping[str, Sequence[str]], titles: Mapping[str, str] | None = None,
               notes: Mapping[str, str] | None = None, client: str = "the client",
               provider: str = "the provider", weak_at: int = WEAK_AT) -> BothSides:
    """Each missed KPI with both sides' part in it.

    ``missed``: the KPIs missed in the month. ``scores``: item id -> as-is (0-5, "n/a" or None).
    ``sides``: :func:`load_sides`. ``drivers``: :func:`load_drivers`. ``titles`` / ``notes``: item id ->
    checklist title / the consultant's note (optional, carried into each :class:`Driver`).
    ``client`` / ``provider``: names for the sentences. ``weak_at``: the highest weak score.
    """
    titles, notes = titles or {}, notes or {}
    findings: list[KpiFinding] = []
    for m in missed:
        ds = []
        for iid in drivers.get(m.key, ()):
            p = sides.get(iid)
            s = _score(scores.get(iid))
            ds.append(Driver(iid, titles.get(iid, iid), p.side if p else "", s, s is not None and s <= weak_at,
                             (p.weak if p and p.weak else titles.get(iid, iid)), notes.get(iid, "")))
        weak = [d for d in ds if d.weak]
        cp = tuple(d for d in weak if d.side == CLIENT)
        jp = tuple(d for d in weak if d.side == JOINT)
        pp = tuple(d for d in weak if d.side == PROVIDER)
        owner = (OWNER_SHARED if cp and pp else OWNER_CLIENT if cp else OWNER_SHARED if jp else OWNER_PROVIDER)
        head = (f"{m.name} {_num(m.actual, m.unit)} against {target_text(m.target, m.unit)} "
                f"(missed {m.months_missed} of {m.months} months)")
        parts = []
        if cp:
            parts.append(f"{possessive(client)} part: {_drivers_text(cp)}")
        if jp:
            parts.append(f"joint: {_drivers_text(jp)}")
        if pp:
            parts.append(f"{possessive(provider)} part: {_drivers_text(pp)}")
        if not parts:
            parts.append(f"no driver scores {weak_at} or lower on either side: {possessive(provider)} to fix")
        elif not cp:
            parts.append(f"nothing on {possessive(client)} side explains it")
        findings.append(KpiFinding(m.key, m.name, m.unit, m.actual, m.target, m.months_missed, m.months, m.run,
                                   tuple(ds), cp, jp, pp, owner, head + ": " + "; ".join(parts) + "."))
    explained = [f for f in findings if f.client_part]
    count: dict[str, int] = {}
    first: dict[str, Driver] = {}
    for f in explained:
        for d in f.client_part:
            count[d.item] = count.get(d.item, 0) + 1
            first.setdefault(d.item, d)
    practices = tuple(sorted(first.values(), key=lambda d: (-count[d.item], d.score if d.score is not None else 9,
                                                             d.item)))
    provider_kpis = tuple(f.kpi for f in findings if f.owner == OWNER_PROVIDER)
    shared_kpis = tuple(f.kpi for f in findings if f.owner == OWNER_SHARED and not f.client_part)
    summary = ""
    if findings:
        if explained:
            one = len(explained) == 1
            summary = (f"{len(explained)} of the {len(findings)} missed KPIs {'has' if one else 'have'} a driver that "
                       f"{client} itself scores {weak_at} or lower: {_list([d.phrase for d in practices])}; changing "
                       f"provider would not fix {'it' if one else 'these'}.")
        elif len(findings) == 1:
            summary = f"The missed KPI has no driver that {client} itself scores {weak_at} or lower."
        else:
            summary = (f"None of the {len(findings)} missed KPIs has a driver that {client} itself scores "
                       f"{weak_at} or lower.")
    names = {f.kpi: f.name for f in findings}
    provider_summary = ""
    if provider_kpis:
        verb = "is" if len(provider_kpis) == 1 else "are"
        listed = [names[k] if n == 0 else _lower_first(names[k]) for n, k in enumerate(provider_kpis)]
        provider_summary = (f"{_list(listed)} {verb} {possessive(provider)} to fix: no driver that {client} or both "
                            f"sides own scores {weak_at} or lower.")
    return BothSides(client, provider, weak_at, tuple(findings), len(explained), len(findings), practices,
                     provider_kpis, shared_kpis, summary, provider_summary, side_scores(scores, sides))


# --------------------------------------------------------------------------- adapter
def missed_kpis(scorecard: Any, month: str, missed_status: str = "red") -> tuple[MissedKpi, ...]:
    """The KPIs missed in ``month`` of a :class:`assessment.analyses.kpis.Scorecard` (status ``red``),
    in catalogue order, with months missed, months reported and the run of consecutive misses."""
    out = []
    for e in scorecard.for_month(month):
        if e.status != missed_status:
            continue
        history = [h for h in scorecard.history(e.kpi) if h.month <= month]
        run = 0
        for h in reversed(history):
            if h.status != missed_status:
                break
            run += 1
        out.append(MissedKpi(e.kpi, e.name, e.unit, e.actual, e.target,
                             sum(1 for h in history if h.status == missed_status), len(history), run))
    return tuple(out)
