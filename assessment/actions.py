"""The action plan: the ``actions:`` block of ``engagement.yaml``, and its spreadsheet.

The readout computes a plan (:mod:`assessment.analyses.workstreams`); the client then owns it:
names an owner, moves a date, marks progress. Those edits live in the engagement file as::

    actions:
      - id: GOV-1                 # stable id: workstream prefix + number, from the roadmap
        workstream: governance    # a workstream id from the checklist
        action: "Agree the monthly balanced scorecard and its deep-dive rule"
        owner_side: joint         # client | provider | joint
        owner: ""                 # a person's name, filled in by the client
        start: 2026-12-01
        due: 2027-01-31
        status: not started       # not started | in progress | done | blocked
        success_measure: "Scorecard reviewed in the monthly meeting"
        notes: ""

The parse and validation here are pure (values in, values and problems out); the spreadsheet
export and import at the bottom are the edges that touch files. Where an id of the block matches
an action of the computed plan, the client's owner, dates and status win.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable

from .errors import Problem, show
from .model import DATE_RANGE, year_ok

STATUSES: tuple[str, ...] = ("not started", "in progress", "done", "blocked")
OWNER_SIDES: tuple[str, ...] = ("client", "provider", "joint")
FIELDS: tuple[str, ...] = ("id", "workstream", "action", "owner_side", "owner", "start", "due", "status",
                           "success_measure", "notes")
REQUIRED: tuple[str, ...] = ("id", "workstream", "action")
TEXT_FIELDS: tuple[str, ...] = ("owner", "success_measure", "notes")
MAX_TEXT = 2000
MAX_ACTIONS = 500
ACTION_ID = re.compile(r"^[A-Z][A-Z0-9]{0,7}-\d{1,3}$")
ID_EXPECTED = "an action id such as GOV-1 (capital letters, a hyphen, a number)"
DATE_EXPECTED = f"a date YYYY-MM-DD ({DATE_RANGE})"


@dataclass(frozen=True)
class Action:
    """One action of the plan, as the client keeps it."""

    id: str
    workstream: str
    action: str
    owner_side: str = "joint"
    owner: str = ""
    start: dt.date | None = None
    due: dt.date | None = None
    status: str = "not started"
    success_measure: str = ""
    notes: str = ""

    @property
    def done(self) -> bool:
        return self.status == "done"

    def late(self, today: dt.date) -> bool:
        """Past its due date and not done."""
        return self.due is not None and self.due < today and not self.done

    def as_dict(self) -> dict[str, Any]:
        """The block entry, keys in contract order (dates stay dates)."""
        return {k: v for k, v in asdict(self).items()}


def _no_lines(_path: tuple) -> int | None:
    return None


def parse_date(value: Any) -> dt.date | None:
    """A date from YAML (a date), a spreadsheet (a datetime) or text (YYYY-MM-DD); None when it is not one."""
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return None
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            return None
    if isinstance(value, dt.date) and year_ok(value.year):
        return value
    return None


def normalise_status(value: Any) -> str | None:
    """``In Progress``, ``in-progress`` and ``in_progress`` all read as ``in progress``; None when unknown."""
    if not isinstance(value, str):
        return None
    text = re.sub(r"[\s_-]+", " ", value.strip().lower())
    return text if text in STATUSES else None


def parse_action(raw: Any, where: str, source: str, lines: Callable[[tuple], int | None] = _no_lines,
                 at: tuple = (), workstreams: Iterable[str] | None = None) -> tuple[Action | None, list[Problem]]:
    """One entry of the block: the :class:`Action`, or None and every problem with it.

    ``where`` names the entry in messages (``actions[3]``); ``at`` is its path for line look-ups.
    """
    problems: list[Problem] = []

    def bad(key: str, expected: str, found: str) -> None:
        problems.append(Problem(source, f"{where}.{key}" if key else where, expected, found,
                                lines(at + ((key,) if key else ()))))

    if not isinstance(raw, dict):
        bad("", "a mapping with id, workstream, action, owner_side, start, due, status", show(raw))
        return None, problems
    known_ws = tuple(workstreams) if workstreams is not None else None
    values: dict[str, Any] = {}
    for key in REQUIRED:
        v = raw.get(key)
        if not isinstance(v, str) or not v.strip():
            bad(key, "non-empty text" if key != "id" else ID_EXPECTED, "nothing" if v in (None, "") else show(v))
            continue
        values[key] = v.strip()
    if "id" in values and not ACTION_ID.match(values["id"]):
        bad("id", ID_EXPECTED, show(values["id"]))
        values.pop("id")
    if "workstream" in values and known_ws is not None and values["workstream"] not in known_ws:
        bad("workstream", f"a workstream of the checklist ({', '.join(known_ws)})", show(values["workstream"]))
    if "action" in values and len(values["action"]) > MAX_TEXT:
        bad("action", f"text of at most {MAX_TEXT} characters", f"{len(values['action'])} characters")
    side = raw.get("owner_side", "joint")
    side = side.strip().lower() if isinstance(side, str) else side
    if side in (None, ""):
        side = "joint"
    if side not in OWNER_SIDES:
        bad("owner_side", " | ".join(OWNER_SIDES), show(raw.get("owner_side")))
    values["owner_side"] = side
    status_raw = raw.get("status", "not started")
    status = "not started" if status_raw in (None, "") else normalise_status(status_raw)
    if status is None:
        bad("status", " | ".join(STATUSES), show(status_raw))
    values["status"] = status
    for key in TEXT_FIELDS:
        v = raw.get(key, "")
        if v is None:
            v = ""
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str):
            bad(key, "text", show(v))
            v = ""
        elif len(v) > MAX_TEXT:
            bad(key, f"text of at most {MAX_TEXT} characters", f"{len(v)} characters")
        values[key] = v.strip()
    for key in ("start", "due"):
        v = raw.get(key)
        if v in (None, ""):
            values[key] = None
            continue
        d = parse_date(v)
        if d is None:
            bad(key, DATE_EXPECTED, v.isoformat() if isinstance(v, dt.date) else show(v))
        values[key] = d
    if values.get("start") and values.get("due") and values["due"] < values["start"]:
        bad("due", f"a date on or after start ({values['start'].isoformat()})", values["due"].isoformat())
    if problems:
        return None, problems
    return Action(**values), problems


def parse_actions(raw: Any, source: str = "engagement.yaml", lines: Callable[[tuple], int | None] = _no_lines,
                  workstreams: Iterable[str] | None = None,
                  root: tuple = ("actions",)) -> tuple[list[Action], list[Problem]]:
    """The ``actions:`` block: every valid :class:`Action` and every problem, all at once.

    ``raw`` is the plain value under ``actions`` (None or absent: no actions). ``workstreams``,
    when given, are the ids an action may name (the checklist's). Ids must be unique.
    """
    if raw is None:
        return [], []
    name = ".".join(root)
    if not isinstance(raw, list):
        return [], [Problem(source, name, "a list of actions (- id: GOV-1 ...)", show(raw), lines(root))]
    if len(raw) > MAX_ACTIONS:
        return [], [Problem(source, name, f"at most {MAX_ACTIONS} actions", f"{len(raw)} actions", lines(root))]
    ws = tuple(workstreams) if workstreams is not None else None
    actions: list[Action] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for n, entry in enumerate(raw):
        where = f"{name}[{n}]"
        action, found = parse_action(entry, where, source, lines, root + (n,), ws)
        problems += found
        iid = entry.get("id") if isinstance(entry, dict) else None
        iid = iid.strip() if isinstance(iid, str) else iid
        if isinstance(iid, str) and iid in seen:
            problems.append(Problem(source, f"{where}.id", f"a unique id (already used by {name}[{seen[iid]}])",
                                    show(iid), lines(root + (n, "id"))))
            continue
        if isinstance(iid, str):
            seen[iid] = n
        if action is not None:
            actions.append(action)
    return actions, problems


def to_block(actions: Iterable[Action]) -> list[dict[str, Any]]:
    """The ``actions:`` block for the engagement file, in contract key order."""
    return [a.as_dict() for a in actions]
