"""Interview responses: one YAML file per respondent in ``responses/`` beside ``engagement.yaml``.

The key names are a contract::

    respondent: {name: "J. Doe", role: "Head of Customer Operations", side: client, interviewed: 2026-10-20}
    checklist:
      PEO-01: {as_is: 3, to_be: 4, notes: "We brief them once a year."}

A respondent answers any subset of the checklist; scores are 0-5 or "n/a" as in the engagement
file. Files are validated to the engagement file's standard (file:line, field, expected, found;
every problem at once) by :func:`check_response_data`, and the engagement file's own scores stay the
consultant's consensus. Respondents are shown by role unless the engagement's
``confidentiality.show_respondent_names`` is true (:func:`display_name`): interviews are confidential.

Parsing and checking are pure; :func:`load_response`, :func:`load_responses` and :func:`save_response`
are the edges that touch files (saves validate first, back up, write atomically).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, Sequence

from pydantic import Field

from .checklist import Checklist
from .errors import InvalidInput, Problem, show
from .model import NA, Date, ItemAnswer, _Model
from .yamlio import LineLookup, parse_text, read_yaml, to_plain

FOLDER = "responses"
SIDES: tuple[str, ...] = ("client", "provider")
SIDE_TITLE = {"client": "Client", "provider": "Provider"}
HOW_TO_COLLECT = ("Interview three or four people on each side and put one file per respondent in "
                  "responses/ beside engagement.yaml (see the README, \"Respondents, perception gaps and waves\").")


class RespondentModel(_Model):
    name: str = Field(min_length=1)
    role: str = Field(min_length=1)
    side: Literal["client", "provider"]
    interviewed: Date | None = None


class ResponseFile(_Model):
    respondent: RespondentModel
    checklist: dict[str, ItemAnswer] = Field(default_factory=dict)


@dataclass(frozen=True)
class Respondent:
    name: str
    role: str
    side: str                      # client | provider
    interviewed: dt.date | None = None


@dataclass
class Response:
    """One respondent's answers: item id -> :class:`ItemAnswer` (any subset of the checklist)."""

    respondent: Respondent
    checklist: dict[str, ItemAnswer] = field(default_factory=dict)
    path: str | None = None


# --------------------------------------------------------------------------- names, confidentially
def display_name(respondent: Respondent, show_names: bool = False) -> str:
    """How a respondent appears in anything a client reads: the role, or "name, role" when allowed."""
    return f"{respondent.name}, {respondent.role}" if show_names else respondent.role


def display_names(respondents: Sequence[Respondent], show_names: bool = False) -> list[str]:
    """:func:`display_name` for each, numbered where two would read the same ("Team lead (1)", "Team lead (2)")."""
    labels = [display_name(r, show_names) for r in respondents]
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        if counts[label] > 1:
            seen[label] = seen.get(label, 0) + 1
            out.append(f"{label} ({seen[label]})")
        else:
            out.append(label)
    return out


def show_names(engagement: Any) -> bool:
    """The engagement's switch ``confidentiality.show_respondent_names`` (default false)."""
    conf = getattr(engagement, "confidentiality", None)
    return bool(getattr(conf, "show_respondent_names", False))


# --------------------------------------------------------------------------- checking (pure)
def check_response_data(data: Any, source: str, lines: LineLookup, checklist: Checklist
                        ) -> tuple[Response | None, list[Problem]]:
    """Validate one parsed response file; the :class:`Response` only when there is no error."""
    from .validate import checklist_problems, model_problems

    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else show(data)
        return None, [Problem(source, "(top level)", "a mapping with respondent and checklist", kind, 1)]
    plain = to_plain(data)
    model, problems = model_problems(ResponseFile, plain, source, lines)
    items = plain.get("checklist")
    if isinstance(items, dict):
        problems += checklist_problems(items, source, lines, checklist)
    elif items is None and "checklist" not in plain:
        problems.append(Problem(source, "checklist", "the items this respondent scored, such as "
                                "{PEO-01: {as_is: 3, to_be: 4}}", "nothing", lines(()), severity="warning"))
    if model is None or any(p.is_error for p in problems):
        return None, problems
    r = model.respondent
    answers = {k: (v if v is not None else ItemAnswer()) for k, v in model.checklist.items()}
    return Response(Respondent(r.name, r.role, r.side, r.interviewed), answers, source), problems


def check_response_text(text: str, source: str, checklist: Checklist) -> tuple[Response | None, list[Problem]]:
    try:
        data, lines = parse_text(text, source)
    except InvalidInput as exc:
        return None, exc.problems
    return check_response_data(data, source, lines, checklist)


def duplicate_problems(responses: Sequence[Response]) -> list[Problem]:
    """The same person (name and side) interviewed in two files is counted twice: a warning."""
    out, seen = [], {}
    for r in responses:
        key = (r.respondent.name.casefold().strip(), r.respondent.side)
        if key in seen:
            out.append(Problem(r.path or "", "respondent.name", f"one file per respondent ({seen[key]} has the same "
                               "name and side)", show(r.respondent.name), severity="warning"))
        else:
            seen[key] = r.path or ""
    return out


# --------------------------------------------------------------------------- files (edges)
def responses_folder(engagement: str | Path) -> Path:
    """``responses/`` beside the engagement file (given the file or its folder)."""
    path = Path(engagement)
    folder = path.parent if path.suffix.lower() in (".yaml", ".yml") or path.is_file() else path
    return folder / FOLDER


def response_files(engagement: str | Path) -> list[Path]:
    folder = responses_folder(engagement)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file())


def load_response(path: str | Path, checklist: Checklist) -> Response:
    """Load one respondent's file, or raise :class:`InvalidInput` with every problem."""
    try:
        data, lines = read_yaml(path)
    except InvalidInput:
        raise
    response, problems = check_response_data(data, str(path), lines, checklist)
    if response is None:
        raise InvalidInput(problems)
    return response


def load_responses(engagement: str | Path, checklist: Checklist) -> tuple[list[Response], list[Problem]]:
    """Every valid response beside an engagement, and every problem (errors and warnings) of all of them.

    A file with an error is left out of the list and its problems reported; nothing raises.
    """
    responses: list[Response] = []
    problems: list[Problem] = []
    for path in response_files(engagement):
        try:
            data, lines = read_yaml(path)
        except InvalidInput as exc:
            problems += exc.problems
            continue
        response, found = check_response_data(data, str(path), lines, checklist)
        problems += found
        if response is not None:
            responses.append(response)
    problems += duplicate_problems(responses)
    return responses, problems


def check_responses(engagement: str | Path, checklist: Checklist) -> list[Problem]:
    """Problems of every response file beside an engagement (what ``assessment validate`` prints)."""
    return load_responses(engagement, checklist)[1]


def _q(text: str) -> str:
    return json.dumps(str(text), ensure_ascii=False)


def _scalar(v: Any) -> str:
    if v is None:
        return "null"
    if v == NA:
        return '"n/a"'
    return str(v)


def response_text(response: Response) -> str:
    """The YAML text of a response file (the contract's keys, one line per item)."""
    r = response.respondent
    head = [f"name: {_q(r.name)}", f"role: {_q(r.role)}", f"side: {r.side}"]
    if r.interviewed is not None:
        head.append(f"interviewed: {r.interviewed.isoformat()}")
    lines = ["# Interview responses for outsourcing-readout. Scores: as_is and to_be are 0-5 or \"n/a\".",
             "respondent: {" + ", ".join(head) + "}", "checklist:" + ("" if response.checklist else " {}")]
    for iid, a in response.checklist.items():
        parts = [f"as_is: {_scalar(a.as_is)}", f"to_be: {_scalar(a.to_be)}"]
        for key in ("confidence", "owner"):
            if getattr(a, key, None):
                parts.append(f"{key}: {_q(getattr(a, key))}")
        for key in ("notes", "evidence"):
            if getattr(a, key, ""):
                parts.append(f"{key}: {_q(getattr(a, key))}")
        lines.append(f"  {iid}: {{" + ", ".join(parts) + "}")
    return "\n".join(lines) + "\n"


def save_response(path: str | Path, response: Response, checklist: Checklist | None = None) -> Path | None:
    """Write a respondent's file: validate first, back up the previous version, write atomically.

    Returns the backup's path (None when there was no previous file). With ``checklist``, item ids
    are checked against it; an invalid response raises :class:`InvalidInput` and writes nothing.
    """
    from .fileio import atomic_write_text, backup

    path = Path(path)
    text = response_text(response)
    if checklist is not None:
        _, problems = check_response_text(text, str(path), checklist)
        if any(p.is_error for p in problems):
            raise InvalidInput(problems)
    kept = backup(path)
    atomic_write_text(path, text)
    return kept


def by_side(responses: Iterable[Response]) -> dict[str, list[Response]]:
    out: dict[str, list[Response]] = {s: [] for s in SIDES}
    for r in responses:
        out.setdefault(r.respondent.side, []).append(r)
    return out
