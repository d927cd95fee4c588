"""The optional CSV inputs beside engagement.yaml: kpis.csv and contacts.csv.

Every problem is collected before failing, each naming the file, the row (the CSV line,
header = line 1), the column, what was expected and what was found.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from .errors import InvalidInput, Problem

MAX_BYTES = 50 * 1024 * 1024
KPI_COLUMNS = ("month", "kpi", "actual", "target")
CONTACT_COLUMNS = ("timestamp", "offered", "answered", "abandoned")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def find_inputs(folder: str | Path) -> dict[str, Path | None]:
    folder = Path(folder)
    return {name: (folder / f"{name}.csv") if (folder / f"{name}.csv").is_file() else None
            for name in ("kpis", "contacts")}


def _read(path: Path, required: tuple[str, ...]) -> tuple[list[tuple[int, dict]], list[Problem]]:
    src = str(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        return [], [Problem(src, "(file)", f"at most {MAX_BYTES // (1024 * 1024)} MB", f"{size / 1024 / 1024:.0f} MB")]
    raw = path.read_bytes()
    if b"\x00" in raw:
        return [], [Problem(src, "(file)", "a UTF-8 CSV file", "binary data (NUL bytes)")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(src, "(file)", "UTF-8 text", f"a byte that is not UTF-8 at offset {exc.start}")]
    if not text.strip():
        return [], [Problem(src, "(file)", "a header row and data rows", "an empty file")]
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        return [], [Problem(src, c, f"a column named {c!r}", "no such column (header: " + ", ".join(header) + ")", 1)
                    for c in missing]
    rows = [(reader.line_num, {(k or "").strip(): (v or "").strip() for k, v in r.items()}) for r in reader]
    return rows, []


def _number(problems, src, line, col, value, required=True, minimum=None):
    if value in ("", None):
        if required:
            problems.append(Problem(src, col, "a number", "an empty cell", line))
        return None
    try:
        v = float(value)
    except ValueError:
        problems.append(Problem(src, col, "a number", repr(value), line))
        return None
    if v != v:
        problems.append(Problem(src, col, "a number", "NaN", line))
        return None
    if minimum is not None and v < minimum:
        problems.append(Problem(src, col, f"a number of at least {minimum:g}", f"{v:g}", line))
        return None
    return v


def load_kpis(path: str | Path, catalogue: dict) -> tuple[list[dict], list[Problem]]:
    """Rows of month, kpi, actual, target, tolerance. Returns (rows, warnings); raises InvalidInput on errors."""
    path = Path(path)
    src = str(path)
    rows, problems = _read(path, KPI_COLUMNS)
    out, seen = [], {}
    for line, r in rows:
        month, kpi = r.get("month", ""), r.get("kpi", "")
        if not _MONTH.match(month):
            problems.append(Problem(src, "month", "a month as YYYY-MM", repr(month), line))
        if not kpi:
            problems.append(Problem(src, "kpi", "a KPI key", "an empty cell", line))
        elif kpi not in catalogue:
            problems.append(Problem(src, "kpi", "a KPI of the catalogue (" + ", ".join(catalogue) + ")", repr(kpi),
                                    line, severity="warning"))
        actual = _number(problems, src, line, "actual", r.get("actual"))
        target = _number(problems, src, line, "target", r.get("target"))
        tol = _number(problems, src, line, "tolerance", r.get("tolerance"), required=False, minimum=0)
        key = (month, kpi)
        if key in seen:
            problems.append(Problem(src, "month/kpi", "one row per month and KPI",
                                    f"{month} {kpi} again (first on line {seen[key]})", line))
        seen.setdefault(key, line)
        out.append({"month": month, "kpi": kpi, "actual": actual, "target": target, "tolerance": tol})
    errors = [p for p in problems if p.is_error]
    if errors:
        raise InvalidInput(problems)
    return out, problems


def check_contacts(path: str | Path) -> tuple[list[dict], list[Problem]]:
    """Parse and check contacts.csv without pandas. Returns (rows, warnings); raises InvalidInput on errors."""
    path = Path(path)
    src = str(path)
    rows, problems = _read(path, CONTACT_COLUMNS)
    data = []
    for line, r in rows:
        raw_ts = r.get("timestamp", "")
        try:
            ts = dt.datetime.fromisoformat(raw_ts)
        except ValueError:
            problems.append(Problem(src, "timestamp", "an ISO date and time, e.g. 2026-10-05T08:30", repr(raw_ts),
                                    line))
            ts = None
        if ts is not None:
            if ts.tzinfo is not None:
                ts = ts.replace(tzinfo=None)   # local time of the coverage window, as exported by the ACD
            if ts.second or ts.microsecond or ts.minute % 15:
                problems.append(Problem(src, "timestamp", "the start of a 15-, 30- or 60-minute interval",
                                        raw_ts, line))
        nums = {c: _number(problems, src, line, c, r.get(c), minimum=0) for c in ("offered", "answered", "abandoned")}
        aht = _number(problems, src, line, "aht_seconds", r.get("aht_seconds"), required=False, minimum=0)
        if all(v is not None for v in nums.values()) and nums["answered"] + nums["abandoned"] > nums["offered"]:
            problems.append(Problem(src, "answered+abandoned", "at most the contacts offered",
                                    f"{nums['answered']:g} + {nums['abandoned']:g} > {nums['offered']:g}", line,
                                    severity="warning"))
        data.append({"timestamp": ts, **nums, "aht_seconds": aht})
    errors = [p for p in problems if p.is_error]
    if errors:
        raise InvalidInput(problems)
    stamps = sorted({r["timestamp"] for r in data})
    steps = [(b - a).total_seconds() for a, b in zip(stamps, stamps[1:])]
    step = min(steps) if steps else 3600
    if step not in (900, 1800, 3600):
        raise InvalidInput(problems + [Problem(src, "timestamp", "intervals of 15, 30 or 60 minutes",
                                               f"a step of {step / 60:g} minutes")])
    return data, problems


def load_contacts(path: str | Path):
    """Interval rows as a pandas DataFrame. Returns (df, warnings); raises InvalidInput on errors."""
    import pandas as pd

    data, problems = check_contacts(path)
    df = pd.DataFrame(data, columns=["timestamp", "offered", "answered", "abandoned", "aht_seconds"])
    if not df.empty:
        df["timestamp"] = pd.to_datetime(df["timestamp"])
    return df, problems
