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
LEVEL_KEYS: tuple[int, ...] = (0, 1, 3, 5)
LEAD_TIMES: tuple[str, ...] = ("telecom", "hiring", "training", "crm")
SIDES: tuple[str, ...] = ("client", "provider", "joint")   # whose practice an item is (analyses.sides)
ITEMS_PER_DIMENSION = (1, 40)  # a custom checklist may be small; the built-in one has 8-15
_ID = re.compile(r"^[A-Z]{2,5}-\d{2,3}$")
_KPI_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
KPI_LINKS_EXPECTED = f"a list of {', '.join(LINK_NAMES)} or KPI keys such as service_level"


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


@dataclass(frozen=True)
class Checklist:
    version: str
    name: str
    dimensions: dict[str, dict]  # key -> {"title", "summary"}
    themes: dict[str, str]
    items: tuple[Item, ...]
    source: str = "built-in"
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
        if not isinstance(levels, dict) or sorted(k for k in levels if isinstance(k, int)) != list(LEVEL_KEYS):
            bad(f"{label}.levels", "descriptors for levels 0, 1, 3 and 5", levels, at + ("levels",))
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
        items.append(
            Item(
                id=str(iid), dimension=str(dim), title=str(raw.get("title", "")).strip(),
                question=str(raw.get("question", "")).strip(), evidence=str(raw.get("evidence", "")).strip(),
                weight=float(weight), effort=str(effort), theme=str(theme),
                levels={int(k): str(v).strip() for k, v in levels.items() if isinstance(k, int)},
                lead_time=lead, depends_on=tuple(str(d) for d in deps), kpi_links=tuple(dict.fromkeys(links)),
                side=side, weak=weak.strip(),
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
        items=tuple(items), source=source,
    )
