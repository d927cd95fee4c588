"""Check an engagement file and say exactly what is wrong, all at once.

Each problem names the file, the line (where it can be known), the field path,
what was expected and what was found. Errors make a file invalid; warnings
(to-be below as-is, say) are shown but do not.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .analyses.scoring import Completeness, completeness
from .checklist import Checklist
from .errors import InvalidInput, Problem, show
from .model import Engagement
from .yamlio import LineLookup, parse_text, read_yaml, to_plain

_EXPECTED = {
    "missing": "a value (this field is required)",
    "string_too_short": "non-empty text",
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD",
    "date_from_datetime_parsing": "a real date YYYY-MM-DD",
    "date_from_datetime_inexact": "a date YYYY-MM-DD",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "greater_than_equal": "a number at least {ge}",
    "less_than_equal": "a number at most {le}",
    "greater_than": "a number above {gt}",
    "tuple_type": "a number or [min, max]",
    "finite_number": "a finite number",
}


@dataclass
class Report:
    """The outcome of validating one file."""

    path: str
    engagement: Engagement | None
    problems: list[Problem] = field(default_factory=list)
    scored: int = 0
    total: int = 0
    completeness: Completeness | None = None   # scored = completeness.scored (scoring.is_answered)

    def __post_init__(self) -> None:
        if self.completeness is None:   # a file too broken to read: nothing of it is scored
            self.completeness = Completeness(self.total, 0, 0, 0)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def _expected(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "value_error":
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        return msg.removeprefix("must be ").removeprefix("expected ")
    if kind == "literal_error":
        return str(err.get("msg", "")).removeprefix("Input should be ").replace("'", '"')
    template = _EXPECTED.get(kind)
    if template:
        try:
            return template.format(**(err.get("ctx") or {}))
        except (KeyError, IndexError):
            return template
    return str(err.get("msg", "a valid value")).removeprefix("Input should be ")


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _found(err: dict, data: Any) -> str:
    if err.get("type") == "missing":
        return "nothing"
    value = err.get("input")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return show(value)


def check_data(data: Any, source: str, lines: LineLookup, checklist: Checklist) -> Report:
    """Validate already-parsed YAML. Pure: no file access."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else show(data)
        problems.append(Problem(source, "(top level)", "a mapping with client, assessment, outsourcer, checklist", kind, 1))
        return Report(source, None, problems, 0, len(checklist))
    plain = to_plain(data)
    engagement, problems = model_problems(Engagement, plain, source, lines)
    problems += _cross_checks(plain, source, lines, checklist)
    checklist_data = plain.get("checklist") if isinstance(plain.get("checklist"), dict) else {}
    done = completeness(checklist, {k: v for k, v in checklist_data.items() if isinstance(v, dict)})
    return Report(source, engagement if not any(p.is_error for p in problems) else None, problems, done.scored,
                  len(checklist), done)


def model_problems(model: type, plain: dict, source: str, lines: LineLookup) -> tuple[Any, list[Problem]]:
    """Validate plain data against a pydantic model: (the instance or None, one Problem per bad field)."""
    problems: list[Problem] = []
    try:
        return model.model_validate(plain), problems
    except ValidationError as exc:
        seen: set[tuple] = set()
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in ("int", "str", "tuple[int,int]"))))
            if loc in seen:
                continue
            seen.add(loc)
            problems.append(Problem(source, _dotted(loc), _expected(err), _found(err, plain), lines(loc)))
    return None, problems


def checklist_problems(items: dict, source: str, lines: LineLookup, checklist: Checklist) -> list[Problem]:
    """A ``checklist:`` block's item ids are the checklist's, each a mapping; a target below as-is is a warning."""
    out: list[Problem] = []
    known = ", ".join(sorted({i.id.split("-")[0] + "-nn" for i in checklist.items}))
    for iid, answer in items.items():
        if iid not in checklist:
            out.append(Problem(source, f"checklist.{iid}", f"an item id from the checklist ({known})",
                               show(iid), lines(("checklist", iid))))
            continue
        if answer is None:
            continue
        if not isinstance(answer, dict):
            out.append(Problem(source, f"checklist.{iid}", "a mapping such as {as_is: 2, to_be: 4}",
                               show(answer), lines(("checklist", iid))))
            continue
        a, b = _score(answer.get("as_is")), _score(answer.get("to_be"))
        if a is not None and b is not None and b < a:
            out.append(Problem(source, f"checklist.{iid}.to_be", f"a target at or above as-is ({a})", str(b),
                               lines(("checklist", iid, "to_be")), severity="warning"))
    return out


def _score(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 5 else None


def _date(v: Any) -> dt.date | None:
    return v if isinstance(v, dt.date) else None


def _cross_checks(plain: dict, source: str, lines: LineLookup, checklist: Checklist) -> list[Problem]:
    from .outputs import client_id_problem

    out: list[Problem] = []
    client = plain.get("client")
    if isinstance(client, dict):
        bad_id = client_id_problem(client.get("id"), source)
        if bad_id is not None:
            out.append(Problem(source, bad_id.field, bad_id.expected, bad_id.found, lines(("client", "id"))))
    items = plain.get("checklist")
    if isinstance(items, dict):
        out += checklist_problems(items, source, lines, checklist)
    contract = plain.get("contract")
    if isinstance(contract, dict):
        start, renew = _date(contract.get("start_date")), _date(contract.get("renewal_date"))
        if start and renew and renew <= start:
            out.append(Problem(source, "contract.renewal_date", f"a date after start_date ({start.isoformat()})",
                               renew.isoformat(), lines(("contract", "renewal_date"))))
        hand_off = _date(contract.get("hand_off_date"))
        if start and hand_off and hand_off < start:
            out.append(Problem(source, "contract.hand_off_date", f"a date on or after start_date ({start.isoformat()})",
                               hand_off.isoformat(), lines(("contract", "hand_off_date")), severity="warning"))
    slas = plain.get("slas")
    if isinstance(slas, dict):
        it_ids = {s.get("id") for s in slas.get("it") or [] if isinstance(s, dict)}
        for n, b in enumerate(slas.get("business") or []):
            if not isinstance(b, dict):
                continue
            for ref in b.get("backed_by") or []:
                if ref not in it_ids:
                    out.append(Problem(source, f"slas.business[{n}].backed_by", "ids of SLAs listed under slas.it",
                                       show(ref), lines(("slas", "business", n, "backed_by"))))
    out += _commercials_checks(plain, source, lines)
    out += _peak_checks(plain, source, lines)
    out += _actions_checks(plain, source, lines, checklist)
    return out


def _builtin_kpis() -> tuple[str, ...]:
    """The KPI keys of the built-in catalogue (what a service credit may name)."""
    from .analyses.kpis import load_catalogue

    return tuple(load_catalogue())


def _commercials_checks(plain: dict, source: str, lines: LineLookup) -> list[Problem]:
    """A service credit names a KPI of the catalogue, once."""
    block = plain.get("commercials")
    credits = block.get("service_credits") if isinstance(block, dict) else None
    if not isinstance(credits, list):
        return []
    out: list[Problem] = []
    known = _builtin_kpis()
    seen: set[str] = set()
    for n, credit in enumerate(credits):
        kpi = credit.get("kpi") if isinstance(credit, dict) else None
        if not isinstance(kpi, str) or not kpi.strip():
            continue   # the model reports a missing or empty kpi
        kpi = kpi.strip()
        at = ("commercials", "service_credits", n, "kpi")
        if kpi not in known:
            out.append(Problem(source, f"commercials.service_credits[{n}].kpi",
                               f"a KPI of the catalogue ({', '.join(known)})", show(kpi), lines(at)))
        elif kpi in seen:
            out.append(Problem(source, f"commercials.service_credits[{n}].kpi",
                               "each KPI once (its credits add up in one entry)", show(kpi), lines(at)))
        seen.add(kpi)
    return out


def _peak_checks(plain: dict, source: str, lines: LineLookup) -> list[Problem]:
    """A peak ends on or after the day it starts."""
    peaks = plain.get("peaks")
    if not isinstance(peaks, list):
        return []
    out: list[Problem] = []
    for n, peak in enumerate(peaks):
        if not isinstance(peak, dict):
            continue
        start, end = _date(peak.get("start")), _date(peak.get("end"))
        if start and end and end < start:
            out.append(Problem(source, f"peaks[{n}].end", f"a date on or after start ({start.isoformat()})",
                               end.isoformat(), lines(("peaks", n, "end"))))
    return out


def _actions_checks(plain: dict, source: str, lines: LineLookup, checklist: Checklist) -> list[Problem]:
    """The ``actions:`` block (the client's action plan), with the project's standard of messages."""
    from .actions import parse_actions

    known = tuple(getattr(checklist, "workstreams", None) or ()) or None
    return parse_actions(plain.get("actions"), source, lines, workstreams=known)[1]


def check_text(text: str, source: str, checklist: Checklist) -> Report:
    try:
        data, lines = parse_text(text, source)
    except InvalidInput as exc:
        return Report(source, None, exc.problems, 0, len(checklist))
    return check_data(data, source, lines, checklist)


def check_file(path: str | Path, checklist: Checklist) -> Report:
    """Validate one engagement file on disk. Never raises for bad input."""
    try:
        data, lines = read_yaml(path)
    except InvalidInput as exc:
        return Report(str(path), None, exc.problems, 0, len(checklist))
    return check_data(data, str(path), lines, checklist)


def load_engagement(path: str | Path, checklist: Checklist) -> Engagement:
    """Load a valid engagement or raise :class:`InvalidInput` with every problem."""
    report = check_file(path, checklist)
    if not report.ok or report.engagement is None:
        raise InvalidInput(report.problems)
    return report.engagement
