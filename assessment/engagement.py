"""Engagement files on disk: where they live, how a new one is started, how one is saved.

``engagements/<slug>/engagement.yaml`` holds one client. Saving keeps comments and
key order (ruamel round-trip), validates first, backs up the previous version and
writes atomically.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import fcntl
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from .checklist import DIMENSIONS, Checklist
from .errors import InvalidInput, Problem, SaveConflict
from .fileio import atomic_write_text, backup
from .outputs import slugify  # noqa: F401  (one slug rule, re-exported for callers)
from .yamlio import dump_text

FILENAME = "engagement.yaml"


def _q(text: str) -> str:
    """Quote a string for YAML, double-quoted with escapes (JSON's escapes are YAML's too)."""
    return json.dumps(str(text), ensure_ascii=False)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _name_problems(field: str, value: str) -> list[Problem]:
    if _CONTROL.search(value):
        return [Problem("assessment new", field, "printable text (no control characters or line breaks)",
                        repr(value)[:60])]
    if not value.strip():
        return [Problem("assessment new", field, "non-empty text", repr(value))]
    return []


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def new_engagement_text(client: str, checklist: Checklist, today: dt.date | None = None,
                        consultants: list[str] | None = None) -> str:
    """The text of a fresh engagement file: every item listed, unscored, its question as a comment."""
    today = today or dt.date.today()
    cons = ", ".join(_q(c) for c in (consultants or []))
    lines = [
        f"# Engagement file for {_comment(client)}, started {today.isoformat()} with outsourcing-readout.",
        "# Scores: as_is and to_be are 0-5 or \"n/a\" (see the scale in the README).",
        "# confidence: documented | observed | interview.   Check it with: assessment validate <this file>",
        f"client: {{name: {_q(client)}, industry: \"\"}}",
        f"assessment: {{date: {today.isoformat()}, consultants: [{cons}]}}",
        "outsourcer: {name: \"\", services: [], sites: []}",
        "contract: {start_date: null, renewal_date: null, notice_days: 90, hand_off_date: null}",
        "checklist:",
    ]
    for dim in DIMENSIONS:
        items = checklist.in_dimension(dim)
        if not items:
            continue
        lines.append(f"  # ---- {checklist.title_of(dim)} " + "-" * max(0, 60 - len(checklist.title_of(dim))))
        for item in items:
            lines.append(f"  # {item.id} {_comment(item.title)}: {_comment(item.question)}")
            lines.append(f"  {item.id}: {{as_is: null, to_be: null, confidence: null, notes: \"\", evidence: \"\"}}")
    return "\n".join(lines) + "\n"


def create(root: str | Path, client: str, checklist: Checklist, today: dt.date | None = None,
           consultants: list[str] | None = None, slug: str | None = None) -> Path:
    """Write ``root/<slug>/engagement.yaml``; refuses to overwrite an existing engagement.

    The folder is ``slug`` when given, else the client's name transliterated and slugged;
    the folder name then decides where the client's outputs go (see :mod:`assessment.outputs`).
    """
    problems = _name_problems("client", client)
    for c in consultants or []:
        problems += _name_problems("--consultant", c)
    if slug is not None and (slugify(slug) != slug):
        problems.append(Problem("assessment new", "--slug", "lower-case letters, digits and single hyphens "
                                f"(for example {slugify(slug)!r})", repr(slug)))
    if problems:
        raise InvalidInput(problems)
    path = Path(root) / (slug or slugify(client)) / FILENAME
    if path.exists():
        raise InvalidInput([Problem(str(path), "(file)", "no existing engagement at this path",
                                    "a file already there (choose another name or edit that file)")])
    atomic_write_text(path, new_engagement_text(client, checklist, today, consultants))
    return path


def fingerprint(path: str | Path) -> str:
    """sha256 of the file as it is on disk now ('' when it does not exist)."""
    path = Path(path)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def save(path: str | Path, document: Any, validate_with: Checklist | None = None,
         expected: str | None = None) -> Path | None:
    """Save a round-trip document: validate, lock, check for edits on disk, back up, write atomically.

    ``expected`` is the :func:`fingerprint` taken when the document was loaded; if the
    file changed since (an editor, another notebook), the save is refused with a diff
    and nothing is written. Two saves at once: one wins, the other gets SaveConflict.
    Returns the backup path (None when there was no previous file).
    """
    from .validate import check_text

    path = Path(path)
    text = dump_text(document)
    if validate_with is not None:
        report = check_text(text, str(path), validate_with)
        if not report.ok:
            raise InvalidInput(report.problems)
    with _locked(path):
        if expected is not None and fingerprint(path) != expected:
            current = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
            diff = "".join(difflib.unified_diff(current.splitlines(True), text.splitlines(True),
                                                "on disk now", "your unsaved version"))
            raise SaveConflict(str(path), "the file changed on disk since it was loaded "
                                          "(reload it, or copy your changes across)", diff)
        kept = backup(path)
        atomic_write_text(path, text)
    return kept


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive, non-blocking lock beside the file; a second saver is told, not queued."""
    lock = path.parent / f".{path.name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SaveConflict(str(path), "another save of this file is in progress; try again") from None
        yield
    finally:
        os.close(fd)


def engagement_file(path: str | Path) -> Path:
    """The engagement file a command was pointed at: the path itself, or ``engagement.yaml`` in that folder."""
    path = Path(path).resolve()
    return path / FILENAME if path.is_dir() else path


def load(path: str | Path, checklist: Checklist | str | Path | None = None):
    """THE loader of an engagement: resolve the folder or file, load the checklist, validate, return the model.

    Raises :class:`InvalidInput` with every problem. The optional CSVs beside it are checked by
    :func:`assessment.inputs.check_inputs`.
    """
    from .checklist import load_checklist
    from .validate import load_engagement

    cl = checklist if isinstance(checklist, Checklist) else load_checklist(checklist or None)
    return load_engagement(engagement_file(path), cl)


def find(root: str | Path) -> list[Path]:
    """Every ``*/engagement.yaml`` directly under ``root``, sorted."""
    return sorted(Path(root).glob(f"*/{FILENAME}"))
