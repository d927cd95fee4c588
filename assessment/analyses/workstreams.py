"""Workstreams: the roadmap's actions grouped as the checklist says, with owners, measures and money. Pure.

Values in, values out: the schedule (:mod:`assessment.analyses.roadmap`), the checklist, the scores, the KPI
results the readout has (baselines), the business-case amounts (money at stake) and the client's own
``actions:`` block (:mod:`assessment.actions`), whose owners, dates and status win over the computed plan
wherever an id matches.

* An action's id is its workstream's prefix and the item's place among that workstream's items in the
  checklist (GOV-2 is always the same item, whatever else has a gap); the gate, hypercare and the renewal
  decision take the numbers after the items (+1, +2, +3).
* Only workstreams with an action appear.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

from ..actions import Action as ClientAction
from ..checklist import DEFAULT_RACI, ROLE_LABELS, ROLES, Checklist, Workstream
from . import roadmap as rm

SYNTHETIC_OFFSET = {rm.GATE: 1, rm.HYPERCARE: 2, rm.DECISION: 3}
SIDE_OF_KIND = {rm.GATE: "joint", rm.HYPERCARE: "joint", rm.DECISION: "client"}
MEASURE_OF_KIND = {
    rm.GATE: "Every gate criterion met and signed off by both sides, or the hand-off moved",
    rm.HYPERCARE: "Service level on target for two weeks running; no open severity-1 issue at the end",
    rm.DECISION: "The decision minuted, and notice served or not, before the deadline",
}
MAX_KPI_MEASURES = 3
# the hand-off workstream's objective once the hand-off is past: its work now serves the peaks ahead
PAST_HAND_OFF_OBJECTIVE = ("The hand-off is done: keep hiring and training ahead of demand, ready before each peak "
                           "season.")


@dataclass(frozen=True)
class PlanAction:
    """One row of the action plan: the computed action, with the client's edits applied."""

    ref: str                    # GOV-1: the id the client sees and the actions: block keeps
    workstream: str
    action: str
    owner_side: str             # client | provider | joint
    owner: str                  # a person's name, when the client has named one
    start: dt.date | None
    due: dt.date | None
    status: str
    success_measure: str
    notes: str
    item: str = ""              # the checklist item (or GATE, HYPERCARE, RENEWAL); "" for an action the client added
    kind: str = rm.ITEM         # item | gate | hypercare | decision | client
    reason: str = ""            # why it is dated so
    edited: bool = False        # the client's block changed it
    note: str = ""              # the plan's honest note (a tight lead time, compressed work); notes are the client's


@dataclass(frozen=True)
class Measure:
    name: str
    baseline: str
    target: str
    by: dt.date | None
    source: str                 # "checklist" | "kpis.csv" | "not measured yet"


@dataclass(frozen=True)
class Money:
    key: str
    label: str
    text: str                   # as the business case prints it
    period: str
    annual_text: str


@dataclass(frozen=True)
class Milestone:
    date: dt.date
    label: str


@dataclass(frozen=True)
class WorkstreamPlan:
    id: str
    name: str
    prefix: str
    objective: str
    owner_side: str
    owner: str                  # who owns it, in words: the client's name, the provider's, or "Joint"
    raci: tuple[tuple[str, str], ...]   # (role label, R/A/C/I) for the four roles
    actions: tuple[str, ...]    # refs, in date order
    items: tuple[str, ...]      # checklist item ids
    start: dt.date | None
    end: dt.date | None
    milestones: tuple[Milestone, ...]
    measures: tuple[Measure, ...]
    money: tuple[Money, ...]
    measure: str                # one sentence: the first measure, for a slide


def _workstreams(checklist: Checklist) -> dict[str, Workstream]:
    from ..checklist import PREFIX

    if checklist.workstreams:
        return dict(checklist.workstreams)
    return {d: Workstream(d, checklist.title_of(d), PREFIX[d], str(checklist.dimensions.get(d, {}).get("summary", "")))
            for d in PREFIX}


def refs(checklist: Checklist) -> dict[str, str]:
    """Item id (and GATE/HYPERCARE/RENEWAL per workstream key) -> action id, e.g. PRC-02 -> GOV-1."""
    ws = _workstreams(checklist)
    out: dict[str, str] = {}
    count: dict[str, int] = {}
    for item in checklist.items:
        w = item.workstream if item.workstream in ws else item.dimension
        count[w] = count.get(w, 0) + 1
        out[item.id] = f"{ws[w].prefix}-{count[w]}" if w in ws else item.id
    for w, spec in ws.items():
        for kind, k in SYNTHETIC_OFFSET.items():
            out[f"{kind}:{w}"] = f"{spec.prefix}-{count.get(w, 0) + k}"
    return out


def success_measure(item, to_be: int | None) -> str:
    """The level the item is to reach, in the checklist's own words."""
    if to_be is None or not item.levels:
        return ""
    level = max((k for k in item.levels if k <= to_be), default=min(item.levels))
    return f"Scores {to_be} of 5: {item.levels[level]}"


def owner_words(side: str, client: str, provider: str) -> str:
    return {"client": client, "provider": provider}.get(side, "Joint")


def _day(d: dt.date | None) -> str:
    return f"{d.day} {d.strftime('%b')} {d.year}" if d else ""


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def plan(roadmap: rm.Roadmap, checklist: Checklist, scores, client: str, provider: str,
         kpis: Iterable[Any] = (), kpi_names: Mapping[str, str] | None = None, amounts: Iterable[Any] = (),
         client_actions: Iterable[ClientAction] = (), targets: Mapping[str, str] | None = None) -> tuple[tuple[WorkstreamPlan, ...], tuple[PlanAction, ...]]:
    """The workstreams with actions, and every action of the plan (client edits applied), in date order.

    ``kpis``: entries with ``kpi``, ``name``, ``actual_text``, ``target_text``, ``month`` (the KPI results);
    ``amounts``: entries with ``key``, ``label``, ``text``, ``period``, ``annual_text`` (the business case);
    ``kpi_names`` and ``targets`` (KPI key -> "at least 80%"): the catalogue, for a KPI with no baseline yet.
    """
    ws = _workstreams(checklist)
    ref = refs(checklist)
    items = {i.id: i for i in scores.items}
    rows: list[PlanAction] = []
    for a in roadmap.actions:
        w = a.workstream if a.workstream in ws else next(iter(ws))
        if a.kind == rm.ITEM:
            spec = checklist[a.id]
            side = spec.side or ws[w].owner_side
            measure = success_measure(spec, items[a.id].to_be if a.id in items else None)
            r = ref[a.id]
        else:
            side = SIDE_OF_KIND.get(a.kind, "joint")
            measure = MEASURE_OF_KIND.get(a.kind, "")
            r = ref[f"{a.kind}:{w}"]
        rows.append(PlanAction(r, w, a.action or a.title, side, "", a.start, a.end, "not started", measure, "",
                               a.id, a.kind, a.reason, False, a.note))
    # the client's block wins where ids match; actions it adds join their workstream
    mine = {c.id: c for c in client_actions}
    merged: list[PlanAction] = []
    for row in rows:
        c = mine.pop(row.ref, None)
        if c is None:
            merged.append(row)
            continue
        new = replace(row, action=c.action or row.action, owner_side=c.owner_side, owner=c.owner,
                      start=c.start or row.start, due=c.due or row.due, status=c.status,
                      success_measure=c.success_measure or row.success_measure, notes=c.notes)
        merged.append(replace(new, edited=new != row))
    for c in mine.values():
        if c.workstream in ws:
            merged.append(PlanAction(c.id, c.workstream, c.action, c.owner_side, c.owner, c.start, c.due, c.status,
                                     c.success_measure, c.notes, "", "client", "added by the client", True))
    far = dt.date.max
    merged.sort(key=lambda r: (r.start or far, r.due or far, r.ref))
    kpi_by = {k.kpi: k for k in kpis}
    names = dict(kpi_names or {})
    money_left = list(amounts)
    out: list[WorkstreamPlan] = []
    for wid, spec in ws.items():
        mine_rows = [r for r in merged if r.workstream == wid]
        if not mine_rows:
            continue
        starts = [r.start for r in mine_rows if r.start]
        dues = [r.due for r in mine_rows if r.due]
        start, end = (min(starts) if starts else None), (max(dues) if dues else None)
        item_ids = tuple(r.item for r in mine_rows if r.kind == rm.ITEM)
        scored = [items[i] for i in item_ids if i in items and items[i].as_is is not None]
        measures = []
        a_is, t_be = _mean([float(i.as_is) for i in scored]), _mean([float(i.to_be) for i in scored])
        if a_is is not None and t_be is not None:
            measures.append(Measure(f"Checklist score of its {len(scored)} item{'s' if len(scored) != 1 else ''} "
                                    "(mean, 0-5)", f"{a_is:.1f}", f"{t_be:.1f}", end, "checklist"))
        unmeasured = []
        for k in spec.kpis:
            e = kpi_by.get(k)
            if e is not None and len(measures) <= MAX_KPI_MEASURES:
                measures.append(Measure(e.name, f"{e.actual_text} ({e.month})", e.target_text, end, "kpis.csv"))
            elif e is None and k in names:
                unmeasured.append(k)
        if unmeasured and len(measures) < 2:
            k = unmeasured[0]
            measures.append(Measure(names[k], "no baseline yet: measure it monthly from now",
                                    (targets or {}).get(k, "the catalogue's target"), end, "not measured yet"))
        money = []
        for key in spec.money:
            taken = [amt for amt in money_left
                     if amt.key == key or (key == "coverage" and str(amt.key).startswith("coverage"))]
            for amt in taken:
                money_left.remove(amt)
            if key == "coverage" and taken:
                changes = len({amt.label.split(": ", 1)[-1] for amt in taken})
                money.append(Money("coverage", f"{changes} change{'s' if changes != 1 else ''} of opening hours, "
                                   "each priced as staffing cost against contacts recovered", "", "", ""))
            else:
                money += [Money(amt.key, amt.label, amt.text, amt.period, amt.annual_text) for amt in taken]
        dated = {Milestone(r.due, _milestone_label(r)) for r in mine_rows
                 if r.due and r.kind in (rm.GATE, rm.HYPERCARE, rm.DECISION)}
        dated |= {Milestone(a.due_by, a.due_label[0].upper() + a.due_label[1:]) for a in roadmap.actions
                  if a.kind == rm.ITEM and a.id in item_ids and a.due_by and a.due_label}
        milestones = sorted(dated, key=lambda m: (m.date, m.label))
        raci_src = spec.raci or DEFAULT_RACI
        first = measures[0] if measures else None
        sentence = (f"{first.name}: {first.baseline} now, {first.target} by {_day(first.by)}." if first else "")
        out.append(WorkstreamPlan(
            wid, spec.name, spec.prefix,
            PAST_HAND_OFF_OBJECTIVE if spec.hand_off and roadmap.hand_off_past else spec.objective, spec.owner_side,
            owner_words(spec.owner_side, client, provider),
            tuple((ROLE_LABELS[r], raci_src.get(r, "I")) for r in ROLES),
            tuple(r.ref for r in mine_rows), item_ids, start, end, tuple(milestones), tuple(measures),
            tuple(money), sentence))
    out.sort(key=lambda w: (w.start or far, w.name))
    return tuple(out), tuple(merged)


def _milestone_label(row: PlanAction) -> str:
    return {rm.GATE: "Go / no-go gate", rm.HYPERCARE: "Hypercare ends", rm.DECISION: "Renewal decision"}.get(
        row.kind, row.action)


@dataclass(frozen=True)
class Risk:
    title: str
    likelihood: str             # high | medium | low
    impact: str
    mitigation: str
    owner: str                  # a role of the RACI


def risks(roadmap: rm.Roadmap, client: str, provider: str, rows: Iterable[PlanAction] = ()) -> tuple[Risk, ...]:
    """The risks the schedule itself shows: dates that cannot be met or have no slack, a gate that may fail; and,
    from the client's own plan (``rows``), actions blocked or past their due date."""
    out: list[Risk] = []
    for r in rows:
        who = r.owner or owner_words(r.owner_side, client, provider)
        if r.status == "blocked":
            out.append(Risk(f"{r.ref} is blocked: {r.action}", "high", "medium",
                            (r.notes.rstrip(".") + ". " if r.notes else "")
                            + "Name what unblocks it and by when at the next monthly review.", who))
        elif r.due and r.due < roadmap.as_of and r.status != "done":
            out.append(Risk(f"{r.ref} is past its due date ({_day(r.due)}): {r.action}", "high", "medium",
                            "Agree a new date, or what is dropped, at the next monthly review.", who))
    for w in roadmap.warnings:
        if w.startswith("Hand-off in"):
            late = "Move the hand-off date" in w
            need = w.split(". ")[0].split("; ")[-1]          # "telecom and data lines need 45–60 days"
            what = need.split(" need")[0]
            out.append(Risk(f"{what[0].upper() + what[1:]}: {'too late' if late else 'no slack'} before the hand-off", "high" if late else "medium", "high",
                            w.split(". ", 1)[-1] if late else "Start at once and track it weekly against the gate.",
                            "Client sponsor"))
        elif " too soon for " in w:
            peak = w.split(" starts on ")[0].split(" is under way")[0]
            out.append(Risk(f"{peak} arrives before the capacity work is ready", "high", "high",
                            f"Agree interim cover with {provider} now: overtime, overflow and extended hours, "
                            "with a daily read-out of service level through the peak.", "Client operations"))
        else:
            out.append(Risk(w.split(":")[0] + ": a date that cannot be met", "high", "high", w.split(": ", 1)[-1],
                            "Client sponsor"))
    compressed = [a for a in roadmap.actions if a.note.startswith("Compressed")]
    evidence = [a for a in compressed if a.due_label == "renewal evidence in hand"]
    if evidence:
        out.append(Risk("The renewal evidence is a first version only", "medium", "high",
                        f"{len(evidence)} piece{'s' if len(evidence) != 1 else ''} of evidence must be ready "
                        "in less than their usual time: agree now what the decision needs, and if the evidence is "
                        f"not enough, ask {provider} in writing to extend the notice period.", "Client sponsor"))
    rushed = [a for a in compressed if a not in evidence]
    if rushed:
        out.append(Risk(f"{len(rushed)} piece{'s' if len(rushed) != 1 else ''} of work compressed to meet a date",
                        "medium", "medium", "; ".join(f"{a.title}: {a.note}" for a in rushed[:3]),
                        "Client operations"))
    if roadmap.fallback:
        out.append(Risk("The go / no-go gate fails", "medium", "high", roadmap.fallback, "Client sponsor"))
    return tuple(out)
