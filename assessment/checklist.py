"""The integration checklist: four dimensions of items, each with level descriptors.

The built-in checklist is package data (``assessment/data/checklist.yaml``). A firm
can point the tool at its own file with ``--checklist PATH``; it is validated the
same way, and every problem is reported at once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import InvalidInput, Problem, show
from .rules import LINK_NAMES

DIMENSIONS: tuple[str, ...] = ("people", "process", "product", "technology")
PREFIX = {"people": "PEO", "process": "PRC", "product": "PRD", "technology": "TEC"}
EFFORTS: tuple[str, ...] = ("low", "medium", "high")
LEVEL_KEYS: tuple[int, ...] = (0, 1, 2, 3, 4, 5)   # the built-in checklist describes all six
REQUIRED_LEVELS: tuple[int, ...] = (0, 1, 3, 5)     # a firm's own checklist may leave 2 and 4 between them
LEAD_TIMES: tuple[str, ...] = ("telecom", "hiring", "training", "crm")
SIDES: tuple[str, ...] = ("client", "provider", "joint")   # whose practice an item is (analyses.sides)
ITEMS_PER_DIMENSION = (1, 40)  # a custom checklist may be small; the built-in one has 8-15
_ID = re.compile(r"^[A-Z]{2,5}-\d{2,3}$")
_KPI_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
KPI_LINKS_EXPECTED = f"a list of {', '.join(LINK_NAMES)} or KPI keys such as service_level"
ROLES: tuple[str, ...] = ("client_sponsor", "client_operations", "provider_account_lead", "provider_operations")
ROLE_LABELS = {"client_sponsor": "Client sponsor", "client_operations": "Client operations",
               "provider_account_lead": "Provider account lead", "provider_operations": "Provider operations"}
RACI_LETTERS: tuple[str, ...] = ("R", "A", "C", "I")
DECISIONS: tuple[str, ...] = ("evidence", "deadline")   # for the renewal decision (analyses.workstreams)
MONEY_KEYS: tuple[str, ...] = ("under_staffing", "under_delivery", "service_credits", "over_delivery", "coverage")
DEFAULT_RACI = {"client_sponsor": "A", "client_operations": "R", "provider_account_lead": "C",
                "provider_operations": "R"}
_WS_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_WS_PREFIX = re.compile(r"^[A-Z]{2,6}$")


@dataclass(frozen=True)
class Workstream:
    """A group of items the roadmap runs as one piece of work, with its owners and measures."""

    id: str
    name: str
    prefix: str                   # action ids are prefix-number: GOV-1
    objective: str
    kpis: tuple[str, ...] = ()    # KPI keys of the catalogue that measure its success
    owner_side: str = "joint"     # client | provider | joint
    raci: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_RACI))
    money: tuple[str, ...] = ()   # business-case amounts it puts at stake
    renewal: bool = False         # it prepares the renewal decision
    hand_off: bool = False        # it prepares the hand-off (go / no-go gate, hypercare)


@dataclass(frozen=True)
class Item:
    id: str
    dimension: str
    title: str
    question: str
    evidence: str
    weight: float
    effort: str
    theme: str
    levels: dict[int, str]
    lead_time: str | None = None
    depends_on: tuple[str, ...] = ()
    kpi_links: tuple[str, ...] = ()   # the numbers that bear on this item (assessment.rules: LINK_*)
    side: str | None = None           # whose practice it is: client | provider | joint (None: not recorded)
    weak: str = ""                    # how the practice reads when weak ("late forecasts and campaign plans")
    workstream: str = ""              # the workstream it belongs to (Checklist.workstreams)
    action: str = ""                  # the action that closes its gap, in the imperative ("" -> the title)
    decision: str | None = None       # evidence | deadline: it serves the renewal decision
    peak: bool = False                # capacity or coverage work to finish before a peak season


@dataclass(frozen=True)
class Checklist:
    version: str
    name: str
    dimensions: dict[str, dict]  # key -> {"title", "summary"}
    themes: dict[str, str]
    items: tuple[Item, ...]
    source: str = "built-in"
    workstreams: dict[str, Workstream] = field(default_factory=dict)
    _by_id: dict[str, Item] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({i.id: i for i in self.items})

    def __getitem__(self, item_id: str) -> Item:
        return self._by_id[item_id]

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._by_id

    def __len__(self) -> int:
        return len(self.items)

    def in_dimension(self, dimension: str) -> list[Item]:
        return [i for i in self.items if i.dimension == dimension]

    def title_of(self, dimension: str) -> str:
        return self.dimensions.get(dimension, {}).get("title", dimension.title())


def _dimension_workstreams(dims: dict) -> dict[str, Workstream]:
    """One workstream per dimension: the grouping of a firm's checklist that defines none."""
    return {d: Workstream(d, str((dims.get(d) or {}).get("title") or d.title()), PREFIX[d],
                          str((dims.get(d) or {}).get("summary") or "").strip()) for d in DIMENSIONS}


def _parse_workstreams(raw: object, bad) -> dict[str, Workstream]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw:
        bad("workstreams", "a mapping of workstream id to its name, prefix and objective", raw, ("workstreams",))
        return {}
    out: dict[str, Workstream] = {}
    prefixes: dict[str, str] = {}
    for wid, spec in raw.items():
        at = ("workstreams", wid)
        name = f"workstreams.{wid}"
        if not isinstance(wid, str) or not _WS_ID.match(wid):
            bad(name, "a workstream id in lower case such as governance", wid, at)
            continue
        if not isinstance(spec, dict):
            bad(name, "a mapping with name, prefix and objective", spec, at)
            continue
        ok = True
        for key in ("name", "objective"):
            if not isinstance(spec.get(key), str) or not spec.get(key, "").strip():
                bad(f"{name}.{key}", "non-empty text", spec.get(key), at + (key,))
                ok = False
        prefix = spec.get("prefix")
        if not isinstance(prefix, str) or not _WS_PREFIX.match(prefix):
            bad(f"{name}.prefix", "2-6 capital letters such as GOV (action ids are GOV-1, GOV-2)", prefix, at + ("prefix",))
            ok = False
        elif prefix in prefixes:
            bad(f"{name}.prefix", f"a prefix no other workstream uses (workstreams.{prefixes[prefix]} has it)",
                prefix, at + ("prefix",))
            ok = False
        else:
            prefixes[prefix] = wid
        kpis = spec.get("kpis") or []
        if not isinstance(kpis, list) or not all(isinstance(k, str) and _KPI_KEY.match(k) for k in kpis):
            bad(f"{name}.kpis", "a list of KPI keys such as service_level", kpis, at + ("kpis",))
            kpis = []
        side = spec.get("owner_side", "joint")
        if side not in SIDES:
            bad(f"{name}.owner_side", " | ".join(SIDES), side, at + ("owner_side",))
            side = "joint"
        raci = spec.get("raci") or dict(DEFAULT_RACI)
        if (not isinstance(raci, dict) or set(raci) != set(ROLES)
                or not all(isinstance(v, str) and v and set(v) <= set(RACI_LETTERS) for v in raci.values())
                or "A" not in "".join(raci.values())):
            bad(f"{name}.raci", f"R, A, C or I for each of {', '.join(ROLES)}, one of them A", raci, at + ("raci",))
            raci = dict(DEFAULT_RACI)
        money = spec.get("money") or []
        if not isinstance(money, list) or not all(m in MONEY_KEYS for m in money):
            bad(f"{name}.money", f"a list of {', '.join(MONEY_KEYS)}", money, at + ("money",))
            money = []
        if ok:
            out[wid] = Workstream(wid, spec["name"].strip(), prefix, spec["objective"].strip(), tuple(kpis), side,
                                  {r: raci[r] for r in ROLES}, tuple(money), spec.get("renewal") is True,
                                  spec.get("hand_off") is True)
    return out


def dependencies(items) -> dict[str, list[str]]:
    """Item id -> the ids it waits for: its ``depends_on`` and, for a training item, every hiring item.

    The roadmap schedules with exactly these edges (training precedes go-live, so it waits for hiring).
    """
    known = {i.id for i in items}
    hiring = [i.id for i in items if i.lead_time == "hiring"]
    out: dict[str, list[str]] = {}
    for i in items:
        deps = [d for d in i.depends_on if d in known]
        if i.lead_time == "training":
            deps += [h for h in hiring if h not in deps]
        out[i.id] = deps
    return out


def dependency_cycles(items) -> list[list[str]]:
    """One cycle per knot of items that wait for each other, as ids ending where they start (A, B, A).

    Iterative (Tarjan's strongly connected components), so a long chain cannot exhaust the stack.
    """
    graph = dependencies(items)
    order = list(graph)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    knots: list[list[str]] = []
    counter = 0
    for root in order:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            deps = graph.get(node, [])
            if i < len(deps):
                work.append((node, i + 1))
                nxt = deps[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                knot = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    knot.append(top)
                    if top == node:
                        break
                if len(knot) > 1 or node in graph.get(node, []):
                    knots.append(knot)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    cycles = []
    for knot in knots:
        members = set(knot)
        start = min(knot, key=order.index)
        # the shortest way back to the start, inside the knot (breadth first)
        back = {start: None}
        queue = [start]
        path = None
        while queue and path is None:
            nxt_queue = []
            for node in queue:
                for dep in graph[node]:
                    if dep == start:
                        path = [node]
                        while back[path[-1]] is not None:
                            path.append(back[path[-1]])
                        break
                    if dep in members and dep not in back:
                        back[dep] = node
                        nxt_queue.append(dep)
                if path is not None:
                    break
            queue = nxt_queue
        cycles.append(list(reversed(path)) + [start])
    return cycles


BUILTIN = "assessment.data"


def builtin_path() -> Path:
    return Path(str(resources.files(BUILTIN).joinpath("checklist.yaml")))


def load_checklist(path: str | Path | None = None) -> Checklist:
    """Load and validate a checklist file (the built-in one when ``path`` is None)."""
    from .yamlio import read_packaged_yaml, read_yaml  # local import: yamlio imports nothing of ours at load time

    src = Path(path) if path else builtin_path()
    data, lines = read_yaml(src) if path else read_packaged_yaml(src)
    return parse_checklist(data, str(src) if path else "built-in checklist", lines)


def parse_checklist(data: object, source: str, lines=None) -> Checklist:
    """Turn loaded YAML into a :class:`Checklist`, collecting every problem first."""
    lines = lines or (lambda _path: None)
    problems: list[Problem] = []

    def bad(field_: str, expected: str, found: object, path=()) -> None:
        problems.append(Problem(source, field_, expected, show(found), lines(path)))

    if not isinstance(data, dict):
        bad("(top level)", "a mapping with 'dimensions', 'themes' and 'items'", type(data).__name__)
        raise InvalidInput(problems)
    dims = data.get("dimensions")
    if not isinstance(dims, dict) or not dims:
        bad("dimensions", f"a mapping of {', '.join(DIMENSIONS)}", dims, ("dimensions",))
        dims = {d: {"title": d.title()} for d in DIMENSIONS}
    else:
        for key in dims:
            if key not in DIMENSIONS:
                bad(f"dimensions.{key}", f"one of {', '.join(DIMENSIONS)}", key, ("dimensions", key))
        for key in DIMENSIONS:
            if key not in dims:
                bad(f"dimensions.{key}", "the dimension to be defined", "nothing", ("dimensions",))
    themes = data.get("themes") or {}
    if not isinstance(themes, dict):
        bad("themes", "a mapping of theme key to label", themes, ("themes",))
        themes = {}
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        bad("items", "a non-empty list of items", raw_items, ("items",))
        raise InvalidInput(problems)

    declared = _parse_workstreams(data.get("workstreams"), bad)
    workstreams = declared or ({} if data.get("workstreams") is not None else _dimension_workstreams(dims))
    items: list[Item] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(raw_items):
        at = ("items", n)
        if not isinstance(raw, dict):
            bad(f"items[{n}]", "a mapping", raw, at)
            continue
        iid = raw.get("id")
        label = f"items[{n}]" if not isinstance(iid, str) else iid
        if not isinstance(iid, str) or not _ID.match(iid):
            bad(f"{label}.id", "an id like PEO-01", iid, at + ("id",))
        elif iid in seen:
            bad(f"{label}.id", f"a unique id (already used by items[{seen[iid]}])", iid, at + ("id",))
        else:
            seen[iid] = n
        dim = raw.get("dimension")
        if dim not in DIMENSIONS:
            bad(f"{label}.dimension", f"one of {', '.join(DIMENSIONS)}", dim, at + ("dimension",))
        for key in ("title", "question", "evidence"):
            if not isinstance(raw.get(key), str) or not raw.get(key, "").strip():
                bad(f"{label}.{key}", "non-empty text", raw.get(key), at + (key,))
        weight = raw.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 10:
            bad(f"{label}.weight", "a number above 0 and at most 10", weight, at + ("weight",))
            weight = 1
        effort = raw.get("effort")
        if effort not in EFFORTS:
            bad(f"{label}.effort", "low, medium or high", effort, at + ("effort",))
        theme = raw.get("theme")
        if themes and theme not in themes:
            bad(f"{label}.theme", "one of the keys under 'themes'", theme, at + ("theme",))
        levels = raw.get("levels")
        keys = sorted(k for k in levels if isinstance(k, int)) if isinstance(levels, dict) else []
        if not isinstance(levels, dict) or keys not in (list(LEVEL_KEYS), list(REQUIRED_LEVELS)) \
                or len(keys) != len(levels):
            bad(f"{label}.levels", "descriptors for levels 0 to 5 (or at least 0, 1, 3 and 5)", levels,
                at + ("levels",))
            levels = {}
        lead = raw.get("lead_time")
        if lead is not None and lead not in LEAD_TIMES:
            bad(f"{label}.lead_time", f"one of {', '.join(LEAD_TIMES)}", lead, at + ("lead_time",))
        deps = raw.get("depends_on") or []
        if not isinstance(deps, list):
            bad(f"{label}.depends_on", "a list of item ids", deps, at + ("depends_on",))
            deps = []
        links = raw.get("kpi_links") or []
        if not isinstance(links, list) or not all(isinstance(k, str) and _KPI_KEY.match(k) for k in links):
            bad(f"{label}.kpi_links", KPI_LINKS_EXPECTED, links, at + ("kpi_links",))
            links = []
        side = raw.get("side")
        if side is not None and side not in SIDES:
            bad(f"{label}.side", " | ".join(SIDES), side, at + ("side",))
            side = None
        weak = raw.get("weak", "")
        if weak is None:
            weak = ""
        if not isinstance(weak, str):
            bad(f"{label}.weak", "text", weak, at + ("weak",))
            weak = ""
        ws = raw.get("workstream")
        if data.get("workstreams") is None:
            ws = ws if isinstance(ws, str) and ws in workstreams else str(dim)
        elif not isinstance(ws, str) or ws not in workstreams:
            bad(f"{label}.workstream", f"a workstream defined under 'workstreams' ({', '.join(workstreams) or 'none valid'})",
                ws, at + ("workstream",))
            ws = ""
        action = raw.get("action", "")
        if action is None:
            action = ""
        if not isinstance(action, str):
            bad(f"{label}.action", "text", action, at + ("action",))
            action = ""
        decision = raw.get("decision")
        if decision is not None and decision not in DECISIONS:
            bad(f"{label}.decision", " | ".join(DECISIONS), decision, at + ("decision",))
            decision = None
        peak = raw.get("peak", False)
        if not isinstance(peak, bool):
            bad(f"{label}.peak", "true or false", peak, at + ("peak",))
            peak = False
        items.append(
            Item(
                id=str(iid), dimension=str(dim), title=str(raw.get("title", "")).strip(),
                question=str(raw.get("question", "")).strip(), evidence=str(raw.get("evidence", "")).strip(),
                weight=float(weight), effort=str(effort), theme=str(theme),
                levels={int(k): str(v).strip() for k, v in levels.items() if isinstance(k, int)},
                lead_time=lead, depends_on=tuple(str(d) for d in deps), kpi_links=tuple(dict.fromkeys(links)),
                side=side, weak=weak.strip(), workstream=ws, action=action.strip(), decision=decision, peak=peak,
            )
        )
    index = {item.id: n for n, item in enumerate(items)}
    for item in items:
        for dep in item.depends_on:
            if dep not in seen:
                bad(f"{item.id}.depends_on", "ids of items in this checklist", dep,
                    ("items", index.get(item.id, 0), "depends_on"))
    for cycle in dependency_cycles(items):
        first = cycle[0]
        problems.append(Problem(source, f"{first}.depends_on",
                                "dependencies without a cycle (an item cannot wait for itself; training always "
                                "waits for hiring)", " → ".join(cycle),
                                lines(("items", index.get(first, 0), "depends_on"))))
    for dim in DIMENSIONS:
        count = sum(1 for i in items if i.dimension == dim)
        lo, hi = ITEMS_PER_DIMENSION
        if not lo <= count <= hi:
            bad(f"items (dimension {dim})", f"{lo}-{hi} items", f"{count}")
    if problems:
        raise InvalidInput(problems)
    return Checklist(
        version=str(data.get("version", "unversioned")), name=str(data.get("name", "Checklist")),
        dimensions={k: dict(v or {}) for k, v in dims.items()}, themes=dict(themes),
        items=tuple(items), source=source, workstreams=workstreams,
    )
