"""The monthly service review's own record: ``reviews/YYYY-MM.yaml`` beside the engagement file.

One file per month, written by the consultant (or the client's service owner) after the meeting::

    meeting: 2026-11-10            # the day of the review meeting (days to the notice deadline count from it)
    commentary: |                  # the partner's commentary, printed as entered (paragraphs on blank lines)
      Service level is still far below target ...
    deep_dives:                    # one per KPI under investigation; carried into later months until done
      - kpi: service_level         # a KPI of the catalogue (assessment/data/kpis.yaml)
        owner: "Apex: workforce planning lead"
        owner_side: provider       # client | provider | joint
        opened: 2026-09            # optional: the month it was opened (default: the first month it appears)
        due: 2026-11-20
        status: in progress        # not started | in progress | done | blocked
        finding: "..."             # optional: what it has found so far
    decisions:                     # the decisions of the meeting, as taken
      - decision: "Approve 14 more agents for the storm season"
        owner: "Kestrel: Head of Claims Operations"
        due: 2026-12-01            # optional

Every problem is reported at once, with file, line, field, expected and found (``InvalidInput``).
An edge module (it reads files); the rules of the review itself are pure, in
:mod:`assessment.analyses.review`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .analyses.review import DIVE_STATUSES, SIDES, Decision, DiveRecord, Review, default_month
from .errors import InvalidInput, Problem, show
from .model import YEAR_MAX, YEAR_MIN, year_ok
from .yamlio import read_yaml, to_plain

FOLDER = "reviews"
SCHEMA_ID = "outsourcing-readout/service-review@1"   # the review's facts, <slug>-service-review-YYYY-MM.json
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
TEXT_LIMIT = 4000          # characters of commentary; a page of the review holds about that much
ITEM_TEXT_LIMIT = 400      # a finding, a decision, an owner
MAX_ITEMS = 30             # deep dives or decisions in one month's file
TOP_KEYS = ("month", "meeting", "commentary", "deep_dives", "decisions")
DIVE_KEYS = ("kpi", "owner", "owner_side", "opened", "due", "status", "finding")
DECISION_KEYS = ("decision", "owner", "due")


@dataclass(frozen=True)
class ReviewFiles:
    """Every month's review record up to the month reviewed, oldest first (``records[-1]`` may be this month)."""

    records: tuple[Review, ...]

    def of(self, month: str) -> Review | None:
        return next((r for r in self.records if r.month == month), None)


def folder_of(engagement: str | Path) -> Path:
    p = Path(engagement)
    return (p if p.is_dir() else p.parent) / FOLDER


def _outside(root: Path, path: Path) -> bool:
    """True when ``path`` (or the reviews folder) leads outside the engagement folder ``root``."""
    real, base = path.resolve(), root.resolve()
    return base not in real.parents


def review_files(engagement: str | Path) -> dict[str, Path]:
    """Month -> file for every ``reviews/YYYY-MM.yaml`` beside the engagement file (other names are ignored;
    a file that is a link leading outside the engagement folder is left out: :func:`link_problems` names it)."""
    folder = folder_of(engagement)
    if not folder.is_dir():
        return {}
    out = {}
    for f in sorted(folder.glob("*.yaml")):
        if MONTH_RE.match(f.stem) and f.is_file() and not _outside(folder.parent, f):
            out[f.stem] = f
    return out


def link_problems(engagement: str | Path) -> list[Problem]:
    """A review file that is a link leading outside the engagement folder is refused, never read."""
    folder = folder_of(engagement)
    if not folder.is_dir():
        return []
    return [Problem(str(f), f"{FOLDER}/{f.name}", "a file inside the engagement folder", f"a link to {f.resolve()}")
            for f in sorted(folder.glob("*.yaml")) if MONTH_RE.match(f.stem) and _outside(folder.parent, f)]


def resolve_month(engagement: str | Path, month: str = "", today: dt.date | None = None) -> str:
    """The month to review: ``month`` when given, else :func:`assessment.analyses.review.default_month` over the
    months of kpis.csv beside the engagement (read as text; a broken file is reported by the build's checks)."""
    if month:
        return month
    import csv

    p = Path(engagement)
    path = (p if p.is_dir() else p.parent) / "kpis.csv"
    months: set[str] = set()
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                m = (row.get("month") or "").strip()
                if MONTH_RE.match(m):
                    months.add(m)
    except (OSError, UnicodeDecodeError, csv.Error):
        pass
    return default_month(months, today or dt.date.today())


def _month_ok(text: str) -> bool:
    m = MONTH_RE.match(text)
    return bool(m) and year_ok(int(m.group(1)))


def _date(problems: list[Problem], src: str, field: str, value: Any, line: int | None,
          required: bool = False) -> dt.date | None:
    if value is None or value == "":
        if required:
            problems.append(Problem(src, field, "a date YYYY-MM-DD", "nothing", line))
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date) and year_ok(value.year):
        return value
    problems.append(Problem(src, field, f"a date YYYY-MM-DD in the years {YEAR_MIN}-{YEAR_MAX}", show(value), line))
    return None


def _text(problems: list[Problem], src: str, field: str, value: Any, line: int | None, limit: int,
          required: bool = False) -> str:
    if value is None:
        if required:
            problems.append(Problem(src, field, "text (this field is required)", "nothing", line))
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        problems.append(Problem(src, field, "text", show(value), line))
        return ""
    text = str(value).strip()
    if required and not text:
        problems.append(Problem(src, field, "text (this field is required)", "an empty value", line))
    if len(text) > limit:
        problems.append(Problem(src, field, f"at most {limit:,} characters", f"{len(text):,} characters", line))
        return text[:limit]
    return text


def _unknown(problems: list[Problem], src: str, where: str, data: dict, allowed: tuple[str, ...], lines, path):
    for key in data:
        if key not in allowed:
            problems.append(Problem(src, f"{where}{key}", f"one of the keys {', '.join(allowed)}", show(key),
                                    lines((*path, key))))


def parse(data: Any, src: str, month: str, lines, kpis: dict[str, str]) -> tuple[Review | None, list[Problem]]:
    """One month's file, already read: (the review, problems). ``kpis``: KPI key -> name (the catalogue)."""
    problems: list[Problem] = []
    if data is None:
        return Review(month), problems
    if not isinstance(data, dict):
        return None, [Problem(src, "(file)", "a mapping with meeting, commentary, deep_dives, decisions",
                              show(data), lines(()))]
    _unknown(problems, src, "", data, TOP_KEYS, lines, ())
    stated = data.get("month")
    if stated is not None and str(stated) != month:
        problems.append(Problem(src, "month", f"the month of the file name ({month})", show(stated),
                                lines(("month",))))
    meeting = _date(problems, src, "meeting", data.get("meeting"), lines(("meeting",)))
    if meeting is not None and f"{meeting.year:04d}-{meeting.month:02d}" < month:
        problems.append(Problem(src, "meeting", f"a date on or after the first day of the month reviewed ({month}-01)",
                                meeting.isoformat(), lines(("meeting",))))
    commentary = _text(problems, src, "commentary", data.get("commentary"), lines(("commentary",)), TEXT_LIMIT)

    dives: list[DiveRecord] = []
    raw = data.get("deep_dives")
    if raw is not None and not isinstance(raw, list):
        problems.append(Problem(src, "deep_dives", "a list of deep dives (- kpi: ...)", show(raw),
                                lines(("deep_dives",))))
        raw = []
    if raw and len(raw) > MAX_ITEMS:
        problems.append(Problem(src, "deep_dives", f"at most {MAX_ITEMS} deep dives", str(len(raw)),
                                lines(("deep_dives",))))
    seen: dict[str, int] = {}
    for n, d in enumerate((raw or [])[:MAX_ITEMS]):
        at, where = ("deep_dives", n), f"deep_dives[{n}]."
        if not isinstance(d, dict):
            problems.append(Problem(src, f"deep_dives[{n}]", "a mapping with kpi, owner, due, status", show(d),
                                    lines(at)))
            continue
        _unknown(problems, src, where, d, DIVE_KEYS, lines, at)
        kpi = _text(problems, src, where + "kpi", d.get("kpi"), lines((*at, "kpi")), 60, required=True)
        if kpi and kpi not in kpis:
            problems.append(Problem(src, where + "kpi", f"a KPI of the catalogue ({', '.join(kpis)})", show(kpi),
                                    lines((*at, "kpi"))))
        elif kpi in seen:
            problems.append(Problem(src, where + "kpi", "each KPI once in a month's file",
                                    f"{kpi!r} again (first as deep_dives[{seen[kpi]}])", lines((*at, "kpi"))))
        seen.setdefault(kpi, n)
        owner = _text(problems, src, where + "owner", d.get("owner"), lines((*at, "owner")), ITEM_TEXT_LIMIT)
        side = d.get("owner_side")
        if side is not None and side not in SIDES:
            problems.append(Problem(src, where + "owner_side", " | ".join(SIDES), show(side),
                                    lines((*at, "owner_side"))))
            side = None
        opened = d.get("opened")
        if opened is not None:
            opened = str(opened) if not isinstance(opened, dt.date) else f"{opened.year:04d}-{opened.month:02d}"
            if not _month_ok(opened):
                problems.append(Problem(src, where + "opened", "a month YYYY-MM", show(d.get("opened")),
                                        lines((*at, "opened"))))
                opened = None
            elif opened > month:
                problems.append(Problem(src, where + "opened", f"a month up to the month of the file ({month})",
                                        opened, lines((*at, "opened"))))
                opened = None
        due = _date(problems, src, where + "due", d.get("due"), lines((*at, "due")))
        status = d.get("status", "not started")
        if status not in DIVE_STATUSES:
            problems.append(Problem(src, where + "status", " | ".join(DIVE_STATUSES), show(status),
                                    lines((*at, "status"))))
            status = "not started"
        finding = _text(problems, src, where + "finding", d.get("finding"), lines((*at, "finding")),
                        ITEM_TEXT_LIMIT)
        if kpi in kpis:
            dives.append(DiveRecord(kpi, month, owner, side or "", opened or "", due, status, finding))

    decisions: list[Decision] = []
    raw = data.get("decisions")
    if raw is not None and not isinstance(raw, list):
        problems.append(Problem(src, "decisions", "a list of decisions (- decision: ...)", show(raw),
                                lines(("decisions",))))
        raw = []
    if raw and len(raw) > MAX_ITEMS:
        problems.append(Problem(src, "decisions", f"at most {MAX_ITEMS} decisions", str(len(raw)),
                                lines(("decisions",))))
    for n, d in enumerate((raw or [])[:MAX_ITEMS]):
        at, where = ("decisions", n), f"decisions[{n}]."
        if isinstance(d, str):
            d = {"decision": d}
        if not isinstance(d, dict):
            problems.append(Problem(src, f"decisions[{n}]", "a mapping with decision, owner, due (or a sentence)",
                                    show(d), lines(at)))
            continue
        _unknown(problems, src, where, d, DECISION_KEYS, lines, at)
        text = _text(problems, src, where + "decision", d.get("decision"), lines((*at, "decision")),
                     ITEM_TEXT_LIMIT, required=True)
        owner = _text(problems, src, where + "owner", d.get("owner"), lines((*at, "owner")), ITEM_TEXT_LIMIT)
        due = _date(problems, src, where + "due", d.get("due"), lines((*at, "due")))
        if text:
            decisions.append(Decision(text, owner, due))
    return Review(month, meeting, commentary, tuple(dives), tuple(decisions)), problems


def load(engagement: str | Path, upto: str, kpis: dict[str, str]) -> ReviewFiles:
    """Every ``reviews/YYYY-MM.yaml`` up to the month ``upto`` (the month reviewed), checked; raises InvalidInput
    with every problem of every file at once. Later months' files are not read."""
    problems: list[Problem] = link_problems(engagement)
    records = []
    for month, path in review_files(engagement).items():
        if month > upto:
            continue
        try:
            if not path.read_bytes().strip():    # a file made ready for the meeting, not yet written
                records.append(Review(month))
                continue
            data, lines = read_yaml(path)
        except InvalidInput as exc:
            problems += exc.problems
            continue
        review, found = parse(to_plain(data), str(path), month, lines, kpis)
        problems += found
        if review is not None:
            records.append(review)
    if any(p.is_error for p in problems):
        raise InvalidInput(problems)
    return ReviewFiles(tuple(records))


def check(engagement: str | Path, kpis: dict[str, str] | None = None) -> list[Problem]:
    """Every problem in every review file beside the engagement (for ``validate`` and a build's checks)."""
    if kpis is None:
        from .analyses.kpis import load_catalogue

        kpis = {k: v.name for k, v in load_catalogue().items()}
    try:
        load(engagement, "9999-12", kpis)
    except InvalidInput as exc:
        return exc.problems
    return []


def from_notebook(nb: Any) -> dict | None:
    """The review's facts glued into an executed scorecard notebook (``Scorecard.glue``); None without them.
    Pure: it reads the outputs and computes nothing."""
    from .facts.serialise import glued

    return glued(nb, SCHEMA_ID)
