"""The optional CSV inputs beside engagement.yaml: kpis.csv and contacts.csv.

Every problem is collected before failing, each naming the file, the row (the CSV line,
header = line 1), the column, what was expected and what was found. What these checks
accept, every analysis of the readout can use: sizes are capped before parsing, every
number is finite and in range, every row has one cell per column, and contacts stay
within what Erlang C is computed for.

Two facts come from the engagement file: the coverage time zone (offset-carrying
timestamps are converted into it; naive ones are taken as local already) and the
assessment date (KPI months after it are a warning). Callers pass them; when they do
not, they are read from the ``engagement.yaml`` beside the CSV.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
from pathlib import Path

from .errors import InvalidInput, Problem
from .model import YEAR_MAX, YEAR_MIN, time_zone, year_ok

KPI_COLUMNS = ("month", "kpi", "actual", "target")
CONTACT_COLUMNS = ("timestamp", "offered", "answered", "abandoned")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

# Limits, checked before a file is parsed (bytes, then lines). Ten years of every catalogue KPI is
# 1,440 rows; two years of 15-minute intervals is 70,080 rows.
MAX_KPI_BYTES = 2 * 1024 * 1024
MAX_KPI_ROWS = 10_000
MAX_KPIS = 40                     # distinct KPIs in kpis.csv (the catalogue has 12)
MAX_MONTHS = 240                  # distinct months (20 years)
MAX_CONTACT_BYTES = 10 * 1024 * 1024
MAX_CONTACT_ROWS = 100_000
MAX_BYTES = MAX_CONTACT_BYTES     # the larger of the two (kept for callers of the old name)
MAX_VALUE = 1e9                   # |actual|, |target|, tolerance in kpis.csv
MAX_CONTACTS = 1_000_000          # contacts in one interval
MAX_AHT = 86_400                  # seconds (a day)


INPUT_NAMES = ("kpis", "contacts")


def _escapes(folder: Path, path: Path) -> bool:
    """True when ``path`` is a link that leads outside ``folder`` (the same guard as for engagement.yaml)."""
    if not path.is_symlink():
        return False
    real, root = path.resolve(), folder.resolve()
    return root not in real.parents


def find_inputs(folder: str | Path) -> dict[str, Path | None]:
    """kpis.csv and contacts.csv beside an engagement file; None for one that is absent or links outside the folder."""
    folder = Path(folder)
    found = {}
    for name in INPUT_NAMES:
        path = folder / f"{name}.csv"
        found[name] = path if path.is_file() and not _escapes(folder, path) else None
    return found


def link_problems(folder: str | Path) -> list[Problem]:
    """An input that is a link leading outside the engagement folder is refused, never read."""
    folder = Path(folder)
    return [Problem(str(folder / f"{name}.csv"), f"{name}.csv", "a file inside the engagement folder",
                    f"a link to {os.path.realpath(folder / f'{name}.csv')}")
            for name in INPUT_NAMES if _escapes(folder, folder / f"{name}.csv")]


def check_inputs(engagement_path: str | Path, checklist=None) -> list[Problem]:
    """Problems in the optional kpis.csv / contacts.csv, responses/*.yaml and reviews/YYYY-MM.yaml beside an
    engagement file.

    ``checklist`` (a :class:`~assessment.checklist.Checklist`, a path, or None for the built-in one) is
    what the respondents' item ids are checked against.
    """
    from .analyses.kpis import load_catalogue
    from .checklist import Checklist, load_checklist
    from .responses import check_responses, response_files

    folder = Path(engagement_path).parent
    found = find_inputs(folder)
    problems = link_problems(folder)
    for name, loader in (("kpis", lambda p: load_kpis(p, load_catalogue())), ("contacts", check_contacts)):
        if found[name]:
            try:
                _, warnings = loader(found[name])
                problems += warnings
            except InvalidInput as exc:
                problems += exc.problems
    if response_files(folder):
        cl = checklist if isinstance(checklist, Checklist) else load_checklist(checklist or None)
        problems += check_responses(folder, cl)
    from .reviews import check as check_reviews   # reviews/YYYY-MM.yaml: the monthly service review's record
    problems += check_reviews(engagement_path)
    return problems


# --------------------------------------------------------------------------- the engagement beside the CSVs
def engagement_context(folder: str | Path) -> tuple[str | None, dt.date | None]:
    """(coverage time zone, assessment date) from ``folder/engagement.yaml``; None for what is missing or invalid.

    A quick read (libyaml, no line tracking) for the two facts the CSV checks need when a caller
    does not pass them; the engagement file itself is validated by :mod:`assessment.validate`.
    """
    from .yamlio import MAX_BYTES as YAML_MAX_BYTES

    path = Path(folder) / "engagement.yaml"
    try:
        if not path.is_file() or path.stat().st_size > YAML_MAX_BYTES:
            return None, None
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_bytes(), Loader=loader)
    except Exception:  # unreadable or not YAML: validate reports it; the CSV checks go on without it
        return None, None
    if not isinstance(data, dict):
        return None, None
    coverage, info = data.get("coverage"), data.get("assessment")
    zone = coverage.get("timezone", "UTC") if isinstance(coverage, dict) else None
    zone = zone.strip() if isinstance(zone, str) else zone          # as the model reads it
    zone = zone if time_zone(zone) is not None else None
    day = info.get("date") if isinstance(info, dict) else None
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day.strip())                  # a quoted date is a date to the model too
        except ValueError:
            day = None
    if isinstance(day, dt.datetime):
        day = day.date()
    day = day if isinstance(day, dt.date) and year_ok(day.year) else None
    return zone, day


# --------------------------------------------------------------------------- reading
def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")


def _read(path: Path, required: tuple[str, ...], max_bytes: int = MAX_BYTES,
          max_rows: int = MAX_CONTACT_ROWS) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """(line, {column: text}) per data row. Size and line count are checked before parsing."""
    src = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return [], [Problem(src, "(file)", "a readable file", exc.strerror or str(exc))]
    if size > max_bytes:
        return [], [Problem(src, "(file)", f"a file of at most {_mb(max_bytes)}", _mb(size))]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [Problem(src, "(file)", "a readable file", exc.strerror or str(exc))]
    if b"\x00" in raw:
        return [], [Problem(src, "(file)", "a UTF-8 CSV file", "binary data (NUL bytes)")]
    breaks = raw.count(b"\n") + raw.count(b"\r") - raw.count(b"\r\n")   # LF, CRLF or a lone CR
    lines = breaks + (0 if raw.endswith((b"\n", b"\r")) else 1)
    if lines - 1 > max_rows:
        return [], [Problem(src, "(file)", f"at most {max_rows:,} data rows", f"{lines - 1:,} lines after the header")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(src, "(file)", "UTF-8 text", f"a byte that is not UTF-8 at offset {exc.start}",
                            raw[: exc.start].count(b"\n") + 1)]
    if not text.strip():
        return [], [Problem(src, "(file)", "a header row and data rows", "an empty file")]
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    rows: list[tuple[int, dict]] = []
    try:
        header = [h.strip() for h in next(reader)]
        missing = [c for c in required if c not in header]
        if missing:
            return [], [Problem(src, c, f"a column named {c!r}", "no such column (header: " + ", ".join(header) + ")", 1)
                        for c in missing]
        twice = sorted({h for h in header if h and header.count(h) > 1})
        if twice:
            return [], [Problem(src, c, "each column once in the header", f"{c!r} {header.count(c)} times", 1)
                        for c in twice]
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue   # a blank line, or a row of empty cells from a spreadsheet
            if len(cells) != len(header):
                problems.append(Problem(src, "(row)", f"{len(header)} cells, one per column ({', '.join(header)})",
                                        f"{len(cells)} cells", line))
                continue
            rows.append((line, {h: c.strip() for h, c in zip(header, cells) if h}))
    except csv.Error as exc:
        problems.append(Problem(src, "(file)", "well-formed CSV", str(exc), reader.line_num or None))
    return rows, problems


def _limit(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:g}"


def _number(problems, src, line, col, value, required=True, minimum=None, maximum=None):
    if value in ("", None):
        if required:
            problems.append(Problem(src, col, "a number", "an empty cell", line))
        return None
    try:
        v = float(value)
    except ValueError:
        problems.append(Problem(src, col, "a number", repr(value), line))
        return None
    if not math.isfinite(v):
        problems.append(Problem(src, col, "a finite number", repr(value), line))
        return None
    if minimum is not None and v < minimum:
        problems.append(Problem(src, col, f"a number of at least {_limit(minimum)}", f"{v:g}", line))
        return None
    if maximum is not None and v > maximum:
        problems.append(Problem(src, col, f"a number of at most {_limit(maximum)}", f"{v:g}", line))
        return None
    return v


def _raise_on_errors(problems: list[Problem]) -> None:
    if any(p.is_error for p in problems):
        raise InvalidInput(problems)


# --------------------------------------------------------------------------- kpis.csv
def load_kpis(path: str | Path, catalogue: dict, as_of: dt.date | None = None) -> tuple[list[dict], list[Problem]]:
    """Rows of month, kpi, actual, target, tolerance. Returns (rows, warnings); raises InvalidInput on errors.

    ``as_of``: the assessment date; months after it are a warning (and never a scorecard's default
    month). When not given, it is read from the engagement file beside the CSV.
    """
    path = Path(path)
    src = str(path)
    if as_of is None:
        as_of = engagement_context(path.parent)[1]
    rows, problems = _read(path, KPI_COLUMNS, MAX_KPI_BYTES, MAX_KPI_ROWS)
    out, seen, warned_months, warned_kpis = [], {}, set(), set()
    upto = f"{as_of.year:04d}-{as_of.month:02d}" if as_of else None
    for line, r in rows:
        month, kpi = r.get("month", ""), r.get("kpi", "")
        m = _MONTH.match(month)
        if not m:
            problems.append(Problem(src, "month", "a month as YYYY-MM", repr(month), line))
        elif not year_ok(int(m.group(1))):
            problems.append(Problem(src, "month", f"a month in the years {YEAR_MIN}-{YEAR_MAX}", month, line))
        elif upto and month > upto and month not in warned_months:
            warned_months.add(month)   # once per month, at its first row
            problems.append(Problem(src, "month", f"a month up to the assessment date ({upto}); later months are "
                                    "never the scorecard's default month", month, line, severity="warning"))
        if not kpi:
            problems.append(Problem(src, "kpi", "a KPI key", "an empty cell", line))
        elif kpi not in catalogue and kpi not in warned_kpis:
            warned_kpis.add(kpi)     # once per KPI, at its first row
            problems.append(Problem(src, "kpi", "a KPI of the catalogue (" + ", ".join(catalogue) + ")", repr(kpi),
                                    line, severity="warning"))
        actual = _number(problems, src, line, "actual", r.get("actual"), minimum=-MAX_VALUE, maximum=MAX_VALUE)
        target = _number(problems, src, line, "target", r.get("target"), minimum=-MAX_VALUE, maximum=MAX_VALUE)
        tol = _number(problems, src, line, "tolerance", r.get("tolerance"), required=False, minimum=0,
                      maximum=MAX_VALUE)
        key = (month, kpi)
        if key in seen:
            problems.append(Problem(src, "month/kpi", "one row per month and KPI",
                                    f"{month} {kpi} again (first on line {seen[key]})", line))
        seen.setdefault(key, line)
        out.append({"month": month, "kpi": kpi, "actual": actual, "target": target, "tolerance": tol})
    kpis = {r["kpi"] for r in out if r["kpi"]}
    if len(kpis) > MAX_KPIS:
        problems.append(Problem(src, "kpi", f"at most {MAX_KPIS} different KPIs", f"{len(kpis)}"))
    months = {r["month"] for r in out if _MONTH.match(r["month"])}
    if len(months) > MAX_MONTHS:
        problems.append(Problem(src, "month", f"at most {MAX_MONTHS} different months", f"{len(months)}"))
    _raise_on_errors(problems)
    return out, problems


# --------------------------------------------------------------------------- contacts.csv
def _repeated_hour(local: dt.datetime, zone) -> bool:
    """True when the local time occurs twice in ``zone`` (the hour the clocks go back)."""
    first = local.replace(tzinfo=zone, fold=0).utcoffset()
    second = local.replace(tzinfo=zone, fold=1).utcoffset()
    return first is not None and second is not None and first > second


def check_contacts(path: str | Path, timezone: str | None = None) -> tuple[list[dict], list[Problem]]:
    """Parse and check contacts.csv without pandas. Returns (rows, warnings); raises InvalidInput on errors.

    ``timezone``: the coverage time zone (``coverage.timezone``). A timestamp with an offset
    (``+01:00``, ``Z``) is converted into it; a naive one is taken as local time already. The
    rows' timestamps are naive local times. When not given, the zone is read from the
    engagement file beside the CSV (UTC when it has none).
    """
    path = Path(path)
    src = str(path)
    if timezone is None:
        timezone = engagement_context(path.parent)[0]
    zone = time_zone(timezone or "UTC")
    if zone is None:
        from .model import ZONE_EXPECTED

        raise InvalidInput([Problem(src, "timezone", ZONE_EXPECTED, repr(timezone))])
    rows, problems = _read(path, CONTACT_COLUMNS, MAX_CONTACT_BYTES, MAX_CONTACT_ROWS)
    data, lines = [], []
    instants: dict[dt.datetime, int] = {}        # offset-carrying rows, by instant
    naive: dict[dt.datetime, list[int]] = {}     # naive rows, by local time
    for line, r in rows:
        raw_ts = r.get("timestamp", "")
        try:
            ts = dt.datetime.fromisoformat(raw_ts)
        except ValueError:
            problems.append(Problem(src, "timestamp", "an ISO date and time, e.g. 2026-10-05T08:30", repr(raw_ts),
                                    line))
            ts = None
        if ts is not None and not year_ok(ts.year):
            problems.append(Problem(src, "timestamp", f"a date and time in the years {YEAR_MIN}-{YEAR_MAX}",
                                    repr(raw_ts), line))
            ts = None
        if ts is not None:
            converted = ts.tzinfo is not None
            if converted:
                instant = ts.astimezone(dt.timezone.utc)
                if instant in instants:
                    problems.append(Problem(src, "timestamp", "one row per interval",
                                            f"{raw_ts} again (first on line {instants[instant]})", line))
                instants.setdefault(instant, line)
                ts = ts.astimezone(zone).replace(tzinfo=None, fold=0)   # the local clock of the coverage window
            else:
                naive.setdefault(ts, []).append(line)
            if ts.second or ts.microsecond or ts.minute % 15:
                problems.append(Problem(src, "timestamp", "the start of a 15-, 30- or 60-minute interval"
                                        + (f" once converted to {timezone or 'UTC'}" if converted else ""),
                                        raw_ts, line))
        nums = {c: _number(problems, src, line, c, r.get(c), minimum=0, maximum=MAX_CONTACTS)
                for c in ("offered", "answered", "abandoned")}
        aht = _number(problems, src, line, "aht_seconds", r.get("aht_seconds"), required=False, minimum=0,
                      maximum=MAX_AHT)
        if aht == 0:
            if nums["answered"]:
                problems.append(Problem(src, "aht_seconds", "a handle time above 0 seconds for the contacts answered "
                                        "(leave the cell empty when it is not known)", "0", line))
            aht = None   # nothing answered: no handle time to speak of
        if all(v is not None for v in nums.values()) and nums["answered"] + nums["abandoned"] > nums["offered"]:
            problems.append(Problem(src, "answered+abandoned", "at most the contacts offered",
                                    f"{nums['answered']:g} + {nums['abandoned']:g} > {nums['offered']:g}", line,
                                    severity="warning"))
        data.append({"timestamp": ts, **nums, "aht_seconds": aht})
        lines.append(line)
    for local, at in naive.items():
        if len(at) > 1 and not (len(at) == 2 and _repeated_hour(local, zone)):
            for line in at[1:]:
                problems.append(Problem(src, "timestamp", "one row per interval",
                                        f"{local.isoformat()} again (first on line {at[0]})", line))
    from .analyses.coverage import interval_seconds
    from .analyses.erlang import DEFAULT_AHT, MAX_AGENTS, MAX_LOAD

    step = interval_seconds(r["timestamp"] for r in data if r["timestamp"] is not None)
    if step not in (900, 1800, 3600):
        if not any(p.is_error and p.field == "timestamp" for p in problems):
            problems.append(Problem(src, "timestamp", "intervals of 15, 30 or 60 minutes",
                                    f"a step of {step / 60:g} minutes"))
        raise InvalidInput(problems)
    for line, r in zip(lines, data):
        if r["offered"] is None:
            continue
        aht = r["aht_seconds"] or DEFAULT_AHT
        erlangs = r["offered"] * aht / step
        if erlangs > MAX_LOAD:
            problems.append(Problem(
                src, "offered", f"an offered load of at most {MAX_LOAD:,.0f} Erlangs in one interval (offered × "
                f"handle time ÷ {step / 60:g} minutes; staffing is computed for up to {MAX_AGENTS:,} agents)",
                f"{erlangs:,.0f} Erlangs ({r['offered']:g} contacts × {aht:g} s"
                + (", the default handle time" if not r["aht_seconds"] else "") + ")", line))
    _raise_on_errors(problems)
    return data, problems


def load_contacts(path: str | Path, timezone: str | None = None):
    """Interval rows as a pandas DataFrame (naive local timestamps). Returns (df, warnings); raises InvalidInput."""
    import pandas as pd

    data, problems = check_contacts(path, timezone)
    df = pd.DataFrame(data, columns=["timestamp", "offered", "answered", "abandoned", "aht_seconds"])
    if not df.empty:
        df["timestamp"] = pd.to_datetime(df["timestamp"])
    return df, problems
