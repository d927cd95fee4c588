"""Re-assessment waves: the engagement's inputs frozen under ``waves/<label>/``, read-only.

``assessment wave close PATH --label 2026-H2`` copies the engagement file (scores, action plan),
the respondents' files, the monthly reviews and the CSVs beside it into ``waves/<label>/``, makes the copies read-only
and records the wave in ``waves/index.yaml``; work then goes on in the live files. The next readout
compares the live scores with every closed wave (:mod:`assessment.analyses.progress`).

Closing is atomic: the copy is assembled in a temporary folder and renamed into place, so a wave
is either complete or absent; an existing label is refused, never overwritten.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checklist import Checklist
from .errors import InvalidInput, Problem, show
from .fileio import atomic_write_text, backup, folder_lock, remove_stale_temp, temp_name
from .model import ItemAnswer
from .responses import FOLDER as RESPONSES, Response, load_responses

FOLDER = "waves"
INDEX = "index.yaml"
FROZEN_FOLDERS = (RESPONSES, "reviews")   # the respondents' files and the monthly service reviews
LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
LABEL_EXPECTED = "a label of letters, digits, '.', '_' or '-' (up to 40), such as 2026-H2"


@dataclass
class Wave:
    """A closed wave, read back: its scores (items of today's checklist), what no longer exists, its files."""

    label: str
    date: dt.date | None                      # the assessment date in the frozen engagement file
    closed: str                               # when it was closed (ISO timestamp), from the index
    folder: Path
    answers: dict[str, ItemAnswer] = field(default_factory=dict)
    unknown_items: tuple[str, ...] = ()       # item ids in the wave that today's checklist no longer has
    actions: list = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def engagement_folder(path: str | Path) -> Path:
    path = Path(path).resolve()
    return path if path.is_dir() else path.parent


def waves_folder(path: str | Path) -> Path:
    return engagement_folder(path) / FOLDER


def _frozen_files(folder: Path) -> list[Path]:
    """What a wave keeps: the engagement file, the CSVs beside it, the respondents' files and the monthly reviews."""
    out = [Path("engagement.yaml")]
    out += sorted(Path(p.name) for p in folder.glob("*.csv") if p.is_file() and not p.is_symlink())
    for sub in FROZEN_FOLDERS:
        if (folder / sub).is_dir():
            out += sorted(Path(sub) / p.name for p in (folder / sub).iterdir()
                          if p.suffix.lower() in (".yaml", ".yml") and p.is_file() and not p.is_symlink()
                          and not p.name.startswith("."))
    return out


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def close_wave(path: str | Path, label: str, checklist: Checklist, now: dt.datetime | None = None) -> Path:
    """Freeze the engagement's inputs into ``waves/<label>/`` read-only and record it; return the folder.

    Refuses (InvalidInput, nothing written) a bad or existing label and an engagement that does not
    validate: a wave is only worth keeping if a readout can be built from it.
    """
    from .inputs import check_inputs
    from .validate import check_file

    folder = engagement_folder(path)
    source = folder / "engagement.yaml"
    if not isinstance(label, str) or not LABEL.match(label):
        raise InvalidInput([Problem("assessment wave close", "--label", LABEL_EXPECTED, show(label))])
    report = check_file(source, checklist)
    errors = report.errors + [p for p in check_inputs(source, checklist) if p.is_error]
    if errors:
        raise InvalidInput(errors)
    root = folder / FOLDER
    target = root / label
    with folder_lock(root):
        if target.exists():
            raise InvalidInput([Problem(str(target), "--label", "a label not used before (a closed wave is never "
                                        "overwritten)", f"{label!r}, already closed")])
        remove_stale_temp([root])
        tmp = root / temp_name()
        files = _frozen_files(folder)
        try:
            for rel in files:
                dst = tmp / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(folder / rel, dst)
                os.chmod(dst, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.rename(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        for d in sorted({target / rel.parent for rel in files}, key=lambda p: -len(p.parts)):
            os.chmod(d, 0o555)
        when = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
        date = report.engagement.assessment.date if report.engagement else None
        entry = [f"  - label: {_q(label)}", f"    closed: {_q(when.isoformat())}",
                 f"    assessment_date: {date.isoformat() if date else 'null'}", "    files:"]
        entry += [f"      - {{path: {_q(rel.as_posix())}, sha256: {_sha(target / rel)}}}" for rel in files]
        index = root / INDEX
        old = index.read_text(encoding="utf-8") if index.exists() else \
            "# Closed assessment waves (assessment wave close). Each folder beside this file is read-only.\nwaves:\n"
        if old.rstrip().endswith("waves: []"):
            old = old.rstrip()[: -len("[]")].rstrip() + "\n"
        backup(index)
        atomic_write_text(index, old.rstrip("\n") + "\n" + "\n".join(entry) + "\n")
    return target


def _q(text: str) -> str:
    import json

    return json.dumps(str(text), ensure_ascii=False)


def _index(root: Path) -> dict[str, dict]:
    from .yamlio import read_yaml, to_plain

    path = root / INDEX
    if not path.is_file():
        return {}
    try:
        data = to_plain(read_yaml(path)[0])
    except InvalidInput:
        return {}
    entries = data.get("waves") if isinstance(data, dict) else None
    return {str(e.get("label")): e for e in entries or [] if isinstance(e, dict) and e.get("label")}


def load_wave(folder: Path, checklist: Checklist, closed: str = "") -> Wave:
    """Read a closed wave leniently: its scores for today's checklist; unknown ids reported, never fatal."""
    from pydantic import ValidationError

    from .yamlio import read_yaml, to_plain

    wave = Wave(folder.name, None, closed, folder)
    try:
        data = to_plain(read_yaml(folder / "engagement.yaml")[0])
    except InvalidInput as exc:
        wave.problems = exc.problems
        return wave
    if not isinstance(data, dict):
        return wave
    info = data.get("assessment")
    date = info.get("date") if isinstance(info, dict) else None
    wave.date = date if isinstance(date, dt.date) else None
    items = data.get("checklist") if isinstance(data.get("checklist"), dict) else {}
    unknown = []
    for iid, raw in items.items():
        if iid not in checklist:
            unknown.append(str(iid))
            continue
        try:
            wave.answers[iid] = ItemAnswer.model_validate(raw or {})
        except ValidationError:
            wave.problems.append(Problem(str(folder / "engagement.yaml"), f"checklist.{iid}",
                                        "an answer this version can read", show(raw)))
    wave.unknown_items = tuple(unknown)
    wave.actions = [a for a in data.get("actions") or [] if isinstance(a, dict)] \
        if isinstance(data.get("actions"), list) else []
    wave.responses, _ = load_responses(folder, checklist)
    return wave


def load_waves(path: str | Path, checklist: Checklist) -> list[Wave]:
    """Every closed wave of an engagement, oldest first (by assessment date, then closing time)."""
    root = waves_folder(path)
    if not root.is_dir():
        return []
    index = _index(root)
    waves = [load_wave(d, checklist, str((index.get(d.name) or {}).get("closed") or ""))
             for d in sorted(root.iterdir())
             if d.is_dir() and not d.name.startswith(".") and (d / "engagement.yaml").is_file()]
    return sorted(waves, key=lambda w: (w.date or dt.date.min, w.closed, w.label))


def wave_summary(folder: Path) -> dict[str, Any]:
    """What was frozen, for the command's message."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return {"files": len(files), "responses": sum(1 for p in files if p.parent.name == RESPONSES)}
