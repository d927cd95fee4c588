"""Workshop forms: fill in one dimension of the checklist live, in JupyterLab, without ever losing a keystroke.

* :class:`Form` shows each item's question, evidence to look for and level descriptors,
  with widgets for as-is, to-be, confidence, notes and evidence, pre-filled from the file.
  A completeness bar and a chart update as scores change.
* **Save** validates, refuses when the file changed on disk since it was loaded (showing
  what differs, with a Reload button), keeps a timestamped backup and writes atomically,
  preserving comments and key order.
* :func:`pack` renders the same content as a printable workshop pack (used when the
  notebook runs headless under papermill, and by ``assessment workshop-pack``).
* :func:`export_sheet` / :func:`import_sheet` exchange a dimension as Excel or CSV with a
  client who wants to pre-fill it. Text cells are always written as text (:mod:`.cells`),
  so a note such as ``=HYPERLINK(...)`` never runs and reads back unchanged. An import
  matches columns by name (any case or spacing), leaves the answers of a column the sheet
  does not carry alone, reports every problem (merged cells, formulas, repeated or
  unknown ids, bad scores) with its row and column before anything is written, refuses a
  sheet over :data:`MAX_SHEET_ROWS` rows before loading it, and goes through the same
  validation as a save. :func:`merge_sheet` also says how many items changed.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .analyses.scoring import is_answered
from .cells import csv_row, from_csv_text, set_xlsx_cell
from .checklist import DIMENSIONS, Checklist, load_checklist
from .engagement import engagement_file, save
from .errors import InvalidInput, Problem, SaveConflict, show
from .model import CONFIDENCE_LEVELS, NA, SCORE_EXPECTED
from .model import _score as _check_score
from .report.markup import Html, esc
from .yamlio import dump_text, read_yaml, read_yaml_bytes

SCORE_OPTIONS = [("–", None), *[(str(n), n) for n in range(6)], ("n/a", NA)]
CONF_OPTIONS = [("–", None), *[(c, c) for c in CONFIDENCE_LEVELS]]
SHEET_COLUMNS = ["id", "title", "question", "as_is", "to_be", "confidence", "notes", "evidence"]


def _answers(document, item_id: str) -> dict:
    checklist = document.get("checklist") if isinstance(document, dict) else None
    entry = checklist.get(item_id) if isinstance(checklist, dict) else None
    return entry if isinstance(entry, dict) else {}


# --------------------------------------------------------------------------- the printable pack
MINUTES_PER_ITEM = 5          # scoring one item together: read, discuss, agree as-is and to-be
WELCOME_MINUTES = 15
BREAK_MINUTES = 15
WRAP_UP_MINUTES = 20


@dataclass(frozen=True)
class Slot:
    """One line of the workshop agenda."""

    start: str                    # "09:15"
    minutes: int
    session: str
    items: int = 0                # checklist items in the session (0 for welcome, break, wrap-up)


def agenda(counts: list[tuple[str, int]], start: str = "09:00") -> list[Slot]:
    """The workshop's timetable from (dimension title, number of items): pure.

    Welcome 15 minutes, each dimension 5 minutes an item, a 15-minute break after half the
    dimensions, 20 minutes to read back the decisions and agree next steps. Four dimensions
    of 11, 12, 11 and 11 items from 09:00: people 09:15-10:10, process 10:10-11:10, break,
    product 11:25-12:20, technology 12:20-13:15, wrap-up 13:15-13:35.
    """
    hours, minutes = (int(x) for x in start.split(":"))
    clock = hours * 60 + minutes
    out: list[Slot] = []

    def add(length: int, session: str, items: int = 0):
        nonlocal clock
        out.append(Slot(f"{clock // 60:02d}:{clock % 60:02d}", length, session, items))
        clock += length

    add(WELCOME_MINUTES, "Welcome, purpose of the day, how we score")
    half = (len(counts) + 1) // 2
    for n, (title, items) in enumerate(counts):
        if n == half and len(counts) > 2:
            add(BREAK_MINUTES, "Break")
        add(items * MINUTES_PER_ITEM, title, items)
    add(WRAP_UP_MINUTES, "Read back the decisions; owners and dates; next steps")
    return out


def end_of(slots: list[Slot]) -> str:
    last = slots[-1]
    hours, minutes = (int(x) for x in last.start.split(":"))
    clock = hours * 60 + minutes + last.minutes
    return f"{clock // 60:02d}:{clock % 60:02d}"


def pack(engagement: str | Path, dimension: str, checklist: str | Path | None = None, blank: bool = False) -> Html:
    """The dimension as a printable worksheet: question, evidence to look for, the six levels, boxes to fill in.

    The boxes are the form's fields: as-is, to-be, confidence, evidence seen, notes. Unless
    ``blank``, each item also shows the answer on file (a blank pack prints no scores: printed
    scores anchor participants).
    """
    from .report.markup import render

    cl = load_checklist(checklist)
    doc, _ = read_yaml(engagement)
    items = []
    for item in cl.in_dimension(dimension):
        a = _answers(doc, item.id)
        current = None
        if not blank and any(a.get(k) not in (None, "") for k in _ANSWER_COLUMNS):
            current = {"as_is": _show(a.get("as_is")), "to_be": _show(a.get("to_be")),
                       "confidence": _show(a.get("confidence")), "notes": str(a.get("notes") or ""),
                       "evidence": str(a.get("evidence") or "")}
        items.append({"item": item, "levels": sorted(item.levels.items()), "current": current})
    return render("worksheet.html.j2", dimension=dimension, title=cl.title_of(dimension),
                  summary=cl.dimensions.get(dimension, {}).get("summary", ""), items=items, blank=blank,
                  confidence_levels=CONFIDENCE_LEVELS)


def _show(v) -> str:
    return "–" if v is None or v == "" else str(v)


# --------------------------------------------------------------------------- Excel / CSV exchange
# A worksheet holds one row per checklist item: a dimension has about a dozen, the whole
# checklist under fifty. These bounds refuse a runaway sheet before it is loaded whole.
MAX_SHEET_ROWS = 2000                    # rows of the sheet, header and blank rows included
MAX_SHEET_COLUMNS = 40
MAX_SHEET_BYTES = 20 * 1024 * 1024       # the file on disk
MAX_XLSX_UNPACKED = 50 * 1024 * 1024     # an .xlsx is a zip: what it holds once unpacked
_ANSWER_COLUMNS = ("as_is", "to_be", "confidence", "notes", "evidence")
_TEXT_COLUMNS = ("notes", "evidence")


def sheet_rows(engagement: str | Path, dimension: str, checklist: str | Path | None = None) -> list[dict]:
    cl = load_checklist(checklist)
    doc, _ = read_yaml(engagement)
    rows = []
    for item in cl.in_dimension(dimension):
        a = _answers(doc, item.id)
        rows.append({"id": item.id, "title": item.title, "question": item.question,
                     "as_is": _cell(a.get("as_is")), "to_be": _cell(a.get("to_be")),
                     "confidence": a.get("confidence") or "", "notes": a.get("notes") or "",
                     "evidence": a.get("evidence") or ""})
    return rows


def _cell(v):
    return "" if v is None else v


def export_sheet(engagement: str | Path, dimension: str, target: str | Path,
                 checklist: str | Path | None = None) -> Path:
    """Write the dimension's worksheet to .xlsx or .csv (atomically).

    Every text cell goes through :mod:`assessment.cells`: a note such as ``=HYPERLINK(...)``
    is stored as text, never as a formula, and :func:`import_sheet` reads it back unchanged.
    """
    return _write_sheet(sheet_rows(engagement, dimension, checklist), Path(target), str(engagement), dimension)


def _write_sheet(rows: list[dict], target: Path, source: str, title: str) -> Path:
    """Rows of :data:`SHEET_COLUMNS` to .xlsx or .csv, atomically, every text cell formula-safe."""
    from .fileio import atomic_write_bytes, atomic_write_text

    if target.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.utils.exceptions import IllegalCharacterError

        wb = Workbook()
        ws = wb.active
        ws.title = title[:31]
        for col, name in enumerate(SHEET_COLUMNS, start=1):
            set_xlsx_cell(ws.cell(row=1, column=col), name)
        problems = []
        for line, r in enumerate(rows, start=2):
            for col, name in enumerate(SHEET_COLUMNS, start=1):
                try:
                    set_xlsx_cell(ws.cell(row=line, column=col), r[name])
                except IllegalCharacterError:
                    problems.append(Problem(source, f"checklist.{r['id']}.{name}",
                                            "text without control characters (an .xlsx cell cannot hold them; "
                                            "export as .csv, or remove them)", show(r[name])))
        if problems:
            raise InvalidInput(problems)
        for col, width in zip("ABCDEFGH", (9, 32, 60, 8, 8, 12, 50, 40)):
            ws.column_dimensions[col].width = width
        buf = io.BytesIO()
        wb.save(buf)
        return atomic_write_bytes(target, buf.getvalue())
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=SHEET_COLUMNS, lineterminator="\r\n")   # RFC 4180: a CR in a note gets quoted
    w.writeheader()
    w.writerows(csv_row(r) for r in rows)
    return atomic_write_text(target, buf.getvalue())


@dataclass(frozen=True)
class SheetImport:
    """What :func:`merge_sheet` did: the items whose answers changed, and where the old file was kept."""

    sheet: Path
    changed: tuple[str, ...]
    backup: Path | None = None

    @property
    def count(self) -> int:
        return len(self.changed)

    def __str__(self) -> str:
        if not self.changed:
            return f"{self.sheet.name}: no item changed (nothing written)"
        s = "" if self.count == 1 else "s"
        return f"{self.sheet.name}: {self.count} item{s} changed ({', '.join(self.changed)})"

    def _repr_html_(self) -> str:
        return f"<p>{esc(str(self))}</p>"


@dataclass
class _Table:
    """A sheet's rows as plain values, before any meaning is given to them."""

    source: str                                   # the file, and for a workbook the sheet's name
    rows: list[tuple[int, list]]                  # (row number as a spreadsheet shows it, values)
    flagged: list[tuple[int, int, str, str]] = field(default_factory=list)  # (row, column index, expected, found)


def _refuse(source: str, expected: str, found: str, line: int | None = None) -> InvalidInput:
    return InvalidInput([Problem(source, "(file)", expected, found, line)])


def _too_many_rows(source: str, found: str) -> InvalidInput:
    return _refuse(source, f"a worksheet of at most {MAX_SHEET_ROWS} rows (one per checklist item)",
                   f"{found} rows; delete the rows below the table")


def _too_many_columns(source: str, found: int) -> InvalidInput:
    return _refuse(source, f"a worksheet of at most {MAX_SHEET_COLUMNS} columns ({', '.join(SHEET_COLUMNS)})",
                   f"{found} columns")


def _check_size(path: Path, source: str) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _refuse(source, "an existing file", "no such file") from None
    except OSError as exc:
        raise _refuse(source, "a readable file", exc.strerror or str(exc)) from None
    if not path.is_file():
        raise _refuse(source, "a worksheet file (.xlsx or .csv)", "a directory or special file")
    if size > MAX_SHEET_BYTES:
        raise _refuse(source, f"a file of at most {MAX_SHEET_BYTES // 1024 // 1024} MB",
                      f"{size / 1024 / 1024:.1f} MB")


def _read_sheet(path: Path) -> _Table:
    """The sheet's rows, its size checked before anything is loaded whole. Raises InvalidInput, nothing else."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        raise _refuse(source, "an .xlsx workbook or a .csv file", f"a {suffix} file (save it as .xlsx)")
    _check_size(path, source)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    return _read_csv(path)


def _read_csv(path: Path) -> _Table:
    source = str(path)
    try:
        with path.open("rb") as fh:
            if fh.read(4) == b"PK\x03\x04":
                raise _refuse(source, "a CSV text file", "an Excel workbook (rename it .xlsx)")
        rows = []
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh, strict=True)   # an unclosed quote is an error, not one huge note
            try:
                for number, record in enumerate(reader, start=1):   # streamed: stops at the limit
                    if number > MAX_SHEET_ROWS:
                        raise _too_many_rows(source, "more than " + str(MAX_SHEET_ROWS))
                    if len(record) > MAX_SHEET_COLUMNS:
                        raise _too_many_columns(source, len(record))
                    rows.append((number, [from_csv_text(v) for v in record]))
            except csv.Error as exc:
                raise _refuse(source, "a well-formed CSV file", str(exc), reader.line_num or None) from None
    except UnicodeDecodeError as exc:
        raise _refuse(source, "UTF-8 text (save the sheet as 'CSV UTF-8')",
                      f"byte 0x{exc.object[exc.start]:02x} that is not UTF-8") from None
    except OSError as exc:
        raise _refuse(source, "a readable file", exc.strerror or str(exc)) from None
    return _Table(source, rows)


def _read_xlsx(path: Path) -> _Table:
    import zipfile

    from openpyxl.cell.cell import MergedCell

    source = str(path)
    not_a_workbook = "an Excel workbook (.xlsx)"
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile:
        raise _refuse(source, not_a_workbook, "a file that is not a workbook (a CSV file renamed .xlsx?)") from None
    except OSError as exc:
        raise _refuse(source, "a readable file", exc.strerror or str(exc)) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise _refuse(source, f"a workbook of at most {MAX_XLSX_UNPACKED // 1024 // 1024} MB unpacked",
                      f"{unpacked / 1024 / 1024:.0f} MB")
    _count_rows(path, source)
    ws = _open_xlsx(path, source, read_only=False)
    source = f"{path} (sheet {ws.title!r})"
    table = _Table(source, [])
    for rng in ws.merged_cells.ranges:
        table.flagged.append((rng.min_row, rng.min_col - 1, "one value in each cell, no merged cells",
                              f"cells {rng.coord} merged"))
    for row in ws.iter_rows():
        values = []
        for cell in row:
            value = None if isinstance(cell, MergedCell) else cell.value
            if cell.data_type == "f":
                table.flagged.append((cell.row, cell.column - 1,
                                      "a typed value, not a formula (type the result, or start the cell with ')",
                                      show(str(value))))
                value = None
            elif cell.data_type == "e":
                table.flagged.append((cell.row, cell.column - 1, "a value", f"the error {value}"))
                value = None
            values.append(value)
        if row:
            table.rows.append((row[0].row, values))
    return table


def _open_xlsx(path: Path, source: str, read_only: bool):
    from openpyxl import load_workbook
    from openpyxl.worksheet.worksheet import Worksheet

    try:
        wb = load_workbook(path, read_only=read_only, data_only=False)
        ws = wb.active
    except Exception as exc:   # openpyxl raises KeyError, ValueError, InvalidFileException, lxml errors...
        raise _refuse(source, "an Excel workbook (.xlsx) openpyxl can read",
                      f"{type(exc).__name__}: {show(str(exc), 120)}") from None
    if ws is None or (not read_only and not isinstance(ws, Worksheet)):
        raise _refuse(source, "a workbook whose active sheet is a worksheet", "no worksheet (a chart sheet?)")
    return ws


def _count_rows(path: Path, source: str) -> None:
    """Refuse an over-long sheet from its declared size, then by streaming (read-only), never loading it whole."""
    ws = _open_xlsx(path, source, read_only=True)
    try:
        declared_rows, declared_cols = ws.max_row, ws.max_column
        if declared_rows and declared_rows > MAX_SHEET_ROWS:
            raise _too_many_rows(source, str(declared_rows))
        if declared_cols and declared_cols > MAX_SHEET_COLUMNS:
            raise _too_many_columns(source, declared_cols)
        ws.reset_dimensions()               # the declared size can be wrong: count what is there
        for number, row in enumerate(ws.iter_rows(), start=1):
            if number > MAX_SHEET_ROWS:
                raise _too_many_rows(source, "more than " + str(MAX_SHEET_ROWS))
            if len(row) > MAX_SHEET_COLUMNS:
                raise _too_many_columns(source, len(row))
    except InvalidInput:
        raise
    except Exception as exc:
        raise _refuse(source, "an Excel workbook (.xlsx) openpyxl can read",
                      f"{type(exc).__name__}: {show(str(exc), 120)}") from None
    finally:
        ws.parent.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_key(header) -> str:
    """``" As-Is "``, ``"AS IS"`` and ``"as_is"`` all name the column ``as_is``."""
    return re.sub(r"[\s_\-]+", "_", str(header).strip().lower()).strip("_")


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _score_cell(v):
    """A score as typed: a whole number, "n/a" or blank; anything else is returned for the check to report."""
    if isinstance(v, str):
        v = v.strip()
        if not v:
            return None
        if v.lower() == NA:
            return NA
        if v.isascii() and v.isdigit():
            return int(v)
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if v is None or (isinstance(v, int) and not isinstance(v, bool)):
        return v
    return str(v)           # a date, a boolean, a fraction: reported, not guessed at


def _answer_value(key: str, v):
    if key in ("as_is", "to_be"):
        return _score_cell(v)
    if key == "confidence":
        text = "" if v is None else str(v).strip()
        return (text.lower() if text.lower() in CONFIDENCE_LEVELS else text) or None
    return "" if v is None else str(v)


def _same(key: str, old, new) -> bool:
    if key in _TEXT_COLUMNS:
        return (old or "") == (new or "")
    return old == new and isinstance(old, bool) == isinstance(new, bool)   # True == 1, but not as a score


def _sheet_answers(table: _Table, cl: Checklist) -> tuple[dict[str, dict], list[Problem]]:
    """{item id: {column: value}} for the columns the sheet carries, and every problem found."""
    src = table.source
    rows = [(n, values) for n, values in table.rows if not all(_blank(v) for v in values)]   # blank rows ignored
    names: dict[int, str] = {}

    def where(index: int) -> str:
        name = names.get(index)
        return f"column {_letter(index)}" + (f" ({name})" if name else "")

    problems: list[Problem] = []
    if not rows:
        problems.append(Problem(src, "(file)", "a header row and one row per item", "no rows"))
    else:
        header_line, header = rows[0]
        rows = rows[1:]
        columns: dict[str, int] = {}
        for index, raw in enumerate(header):
            if _blank(raw):
                used = next((n for n, values in rows if index < len(values) and not _blank(values[index])), None)
                if used is not None:
                    problems.append(Problem(src, where(index), "a column name in the header row",
                                            f"an empty header above values (first on row {used})", header_line))
                continue
            key = _column_key(raw)
            names[index] = str(raw).strip()
            if key not in SHEET_COLUMNS:
                problems.append(Problem(src, where(index), "one of the columns " + ", ".join(SHEET_COLUMNS),
                                        show(raw), header_line))
            elif key in columns:
                problems.append(Problem(src, where(index), "each column once",
                                        f"{show(raw)} again (first in column {_letter(columns[key])})", header_line))
            else:
                columns[key] = index
        if "id" not in columns:
            problems.append(Problem(src, "id", "a column named id", "no such column (header: " +
                                    ", ".join(str(h) for h in header if not _blank(h)) + ")", header_line))
        if not any(k in columns for k in _ANSWER_COLUMNS):
            problems.append(Problem(src, "as_is, to_be, confidence, notes, evidence",
                                    "at least one answer column", "none of them", header_line))
    for line, index, expected, found in table.flagged:
        problems.append(Problem(src, where(index), expected, found, line))
    if problems:
        return {}, problems

    answers: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    carried = [k for k in _ANSWER_COLUMNS if k in columns]
    for line, values in rows:
        cells = {key: values[index] if index < len(values) else None for key, index in columns.items()}
        raw_id = cells["id"]
        item_id = "" if raw_id is None else str(raw_id).strip()
        if item_id not in cl and item_id.upper() in cl:
            item_id = item_id.upper()
        if not item_id:
            problems.append(Problem(src, where(columns["id"]), "an item id of the checklist", "an empty cell", line))
            continue
        if item_id not in cl:
            problems.append(Problem(src, where(columns["id"]), "an item id of the checklist", show(raw_id), line))
            continue
        if item_id in first_row:
            problems.append(Problem(src, where(columns["id"]), "one row per item",
                                    f"{item_id} again (first on row {first_row[item_id]})", line))
            continue
        first_row[item_id] = line
        entry = {}
        for key in carried:
            raw = cells[key]
            v = entry[key] = _answer_value(key, raw)
            label = f"{item_id}.{key} (column {_letter(columns[key])})"
            if key in ("as_is", "to_be"):
                try:
                    _check_score(v)
                except ValueError:
                    problems.append(Problem(src, label, SCORE_EXPECTED, show(raw), line))
            elif key == "confidence" and v is not None and v not in CONFIDENCE_LEVELS:
                problems.append(Problem(src, label, " | ".join(CONFIDENCE_LEVELS) + " or blank", show(raw), line))
        answers[item_id] = entry
    return answers, problems


def merge_sheet(engagement: str | Path, sheet: str | Path, checklist: str | Path | None = None) -> SheetImport:
    """Merge a filled worksheet into the engagement and say what changed.

    Columns are matched by name, whatever their case and spacing; a column the sheet does
    not carry leaves that answer as it is. Every problem (unknown or repeated columns,
    merged cells, formulas, repeated or unknown ids, scores out of range) is collected
    and raised once as :class:`InvalidInput`, and then nothing is written. Blank rows are
    ignored. The merged file is validated, the previous version backed up, and the file
    written atomically, only when an item changed.
    """
    engagement, sheet = Path(engagement), Path(sheet)
    cl = load_checklist(checklist)
    answers, problems = _sheet_answers(_read_sheet(sheet), cl)
    if problems:
        raise InvalidInput(problems)
    from .validate import check_text

    def valid(text: str) -> None:
        report = check_text(text, str(engagement), cl)
        if not report.ok:
            raise InvalidInput(report.problems)

    return _merge(engagement, sheet, answers, valid, skip_blank=False)


def import_sheet(engagement: str | Path, sheet: str | Path, checklist: str | Path | None = None) -> Path | None:
    """Merge a filled worksheet into the engagement; returns the backup of the previous version.

    None when there was no previous file or no item changed (then nothing is written).
    :func:`merge_sheet` does the same and also says which items changed.
    """
    return merge_sheet(engagement, sheet, checklist).backup


# --------------------------------------------------------------------------- one respondent's worksheet
def respondent_sheet_rows(engagement: str | Path, respondent: str | Path, checklist: str | Path | None = None,
                          dimension: str | None = None) -> list[dict]:
    """Every item (or one dimension's) with what this respondent has answered so far."""
    cl = load_checklist(checklist)
    doc, _ = read_yaml(respondent_file(engagement, respondent))
    items = cl.in_dimension(dimension) if dimension else cl.items
    rows = []
    for item in items:
        a = _answers(doc, item.id)
        rows.append({"id": item.id, "title": item.title, "question": item.question,
                     "as_is": _cell(a.get("as_is")), "to_be": _cell(a.get("to_be")),
                     "confidence": a.get("confidence") or "", "notes": a.get("notes") or "",
                     "evidence": a.get("evidence") or ""})
    return rows


def export_respondent_sheet(engagement: str | Path, respondent: str | Path, target: str | Path,
                            checklist: str | Path | None = None, dimension: str | None = None) -> Path:
    """A respondent's worksheet (.xlsx or .csv) to send by e-mail: every item, or one dimension's.

    The sheet carries no name and no other respondent's answers: only the questions and this
    respondent's own answers so far. Text cells are formula-safe (:mod:`.cells`).
    """
    path = respondent_file(engagement, respondent)
    rows = respondent_sheet_rows(engagement, path, checklist, dimension)
    return _write_sheet(rows, Path(target), str(path), dimension or "checklist")


def merge_respondent_sheet(engagement: str | Path, respondent: str | Path, sheet: str | Path,
                           checklist: str | Path | None = None) -> SheetImport:
    """Merge a respondent's filled worksheet into their file in ``responses/`` and say what changed.

    The same standard as :func:`merge_sheet`: every problem of the sheet at once and nothing written;
    rows left blank add nothing (a respondent answers a subset); the merged file is validated as a
    response (:func:`assessment.responses.check_response_text`), the previous version backed up, the
    write atomic, and refused if the file changed on disk while merging.
    """
    from .responses import check_response_text

    path = respondent_file(engagement, respondent)
    sheet = Path(sheet)
    cl = load_checklist(checklist)
    answers, problems = _sheet_answers(_read_sheet(sheet), cl)
    if problems:
        raise InvalidInput(problems)

    def valid(text: str) -> None:
        errors = [p for p in check_response_text(text, str(path), cl)[1] if p.is_error]
        if errors:
            raise InvalidInput(errors)

    return _merge(path, sheet, answers, valid, skip_blank=True)


def _merge(path: Path, sheet: Path, answers: dict[str, dict], valid, skip_blank: bool) -> SheetImport:
    """Merge sheet answers into a round-trip YAML file: one read (its bytes fingerprinted), validate, save."""
    from ruamel.yaml.comments import CommentedMap

    doc, _, raw = read_yaml_bytes(path)
    expected = _digest(raw)
    target = doc.get("checklist") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or not isinstance(target, (dict, type(None))):
        raise InvalidInput([Problem(str(path), "checklist", "a mapping of item answers",
                                    "something else (check the file with `assessment validate`)")])
    if not target:                              # missing, null or `{}` (a new respondent's file)
        target = doc["checklist"] = CommentedMap()
    changed = []
    for item_id, new in answers.items():
        entry = target.get(item_id)
        old = entry if isinstance(entry, dict) else {}
        if skip_blank and not old and all(v in (None, "") for v in new.values()):
            continue
        diff = {k: v for k, v in new.items() if not _same(k, old.get(k), v)}
        if not diff:
            continue
        if not isinstance(entry, dict):
            entry = CommentedMap()
            if skip_blank:
                entry.fa.set_flow_style()       # a response file keeps one line per item
            target[item_id] = entry
        entry.update(diff)
        changed.append(item_id)
    if not changed:
        return SheetImport(sheet, ())
    valid(dump_text(doc))
    kept = save(path, doc, None, expected=expected)
    return SheetImport(sheet, tuple(changed), kept)


# --------------------------------------------------------------------------- the live form
def _digest(raw: bytes) -> str:
    """The fingerprint of bytes in hand (what :func:`engagement.fingerprint` gives for a file holding them)."""
    import hashlib

    return hashlib.sha256(raw).hexdigest()


def respondent_file(engagement: str | Path, respondent: str | Path) -> Path:
    """A respondent's file: a path as given, or a bare name (with or without .yaml) in ``responses/``."""
    from .responses import responses_folder

    given = Path(respondent)
    candidates = [given] if given.parent != Path(".") or given.exists() else []
    folder = responses_folder(engagement_file(engagement))
    candidates += [folder / given.name, folder / f"{given.name}.yaml"]
    for path in candidates:
        if path.is_file():
            return path.resolve()
    raise InvalidInput([Problem(str(respondent), "--respondent", f"a respondent's file in {folder}",
                                "no such file")])


class Form:
    """ipywidgets form for one dimension of one engagement file, or of one respondent's file.

    With ``respondent`` (a file in ``responses/``, see :func:`respondent_file`) the form reads and
    writes that respondent's answers; without it, the consultants' consensus in ``engagement.yaml``.
    Either way a save validates, refuses when the file changed on disk, backs up and writes atomically.
    """

    def __init__(self, engagement: str | Path, dimension: str, checklist: str | Path | None = None,
                 respondent: str | Path | None = None):
        if dimension not in DIMENSIONS:
            raise InvalidInput([Problem("dimension", "dimension", " | ".join(DIMENSIONS), dimension)])
        self.engagement = engagement_file(engagement)
        self.respondent = respondent_file(self.engagement, respondent) if respondent else None
        self.path = self.respondent or self.engagement
        self.dimension = dimension
        self.checklist: Checklist = load_checklist(checklist)
        self._checklist_arg = checklist
        self.items = self.checklist.in_dimension(dimension)
        self.rows: dict[str, dict] = {}
        self._build()
        self.reload()

    # ---------------------------------------------------------------- loading
    def reload(self, *_):
        # One read: the fingerprint is of the very bytes parsed. Fingerprinting a second read
        # let an edit landing between the two be overwritten by the next save.
        self.document, _, raw = read_yaml_bytes(self.path)
        self.loaded_fingerprint = _digest(raw)
        self._filling = True
        try:
            for item in self.items:
                a = _answers(self.document, item.id)
                w = self.rows[item.id]
                w["as_is"].value = a.get("as_is") if a.get("as_is") in dict(SCORE_OPTIONS).values() else None
                w["to_be"].value = a.get("to_be") if a.get("to_be") in dict(SCORE_OPTIONS).values() else None
                w["confidence"].value = a.get("confidence") if a.get("confidence") in CONFIDENCE_LEVELS else None
                w["notes"].value = str(a.get("notes") or "")
                w["evidence"].value = str(a.get("evidence") or "")
        finally:
            self._filling = False
        self.reload_button.layout.display = "none"
        self._set_status(f"Loaded {self.label}.", "info")
        self._refresh()

    # ---------------------------------------------------------------- widgets
    def _build(self):
        import ipywidgets as w

        self.widgets = w
        self.label = "the agreed consensus"    # on the client's screen: never the file's name
        if self.respondent:
            try:
                doc, _ = read_yaml(self.respondent)
                r = doc.get("respondent") or {}
                role = str(r.get("role") or "respondent")
                self.label = f"the answers of the {role}"
                whose = f"<div class='wk-whose'>Answers of the {esc(role)} ({esc(r.get('side', ''))} side)</div>"
            except (InvalidInput, AttributeError):
                self.label = "the respondent's answers"
                whose = "<div class='wk-whose'>A respondent's answers</div>"
        else:
            whose = "<div class='wk-whose'>The agreed consensus</div>"
        header = w.HTML(f"<h2 style='margin:0'>{esc(self.checklist.title_of(self.dimension))}</h2>{whose}"
                        f"<div style='color:#616e7c'>{esc(self.checklist.dimensions[self.dimension].get('summary', ''))}"
                        "</div>")
        self.progress = w.IntProgress(min=0, max=len(self.items), description="Answered", bar_style="info")
        self.progress_label = w.Label()
        self.chart = w.Output(layout=w.Layout(min_height="200px"))
        self.status = w.HTML()
        self.save_button = w.Button(description="Save", button_style="primary", icon="save",
                                    tooltip="Validate, back up the previous version and save")
        self.reload_button = w.Button(description="Reload from disk", button_style="warning", icon="refresh")
        self.save_button.on_click(self.save)
        self.reload_button.on_click(self.reload)
        self.diff = w.Output()
        cards = []
        for item in self.items:
            levels = "".join(f"<li><b>{lvl}</b> {esc(t)}</li>" for lvl, t in sorted(item.levels.items()))
            info = w.HTML(f"<div class='wk-item'><b>{esc(item.id)} · {esc(item.title)}</b>"
                          f"<div style='margin:2px 0'>{esc(item.question)}</div>"
                          f"<div style='color:#616e7c;font-size:90%'>Evidence: {esc(item.evidence)}</div>"
                          f"<ul style='margin:4px 0 0 0;padding-left:18px;font-size:90%'>{levels}</ul></div>")
            row = {
                "as_is": w.Dropdown(options=SCORE_OPTIONS, description="As-is", layout=w.Layout(width="150px")),
                "to_be": w.Dropdown(options=SCORE_OPTIONS, description="To-be", layout=w.Layout(width="150px")),
                "confidence": w.Dropdown(options=CONF_OPTIONS, description="Confidence",
                                         layout=w.Layout(width="230px")),
                "notes": w.Textarea(placeholder="Notes from the workshop", layout=w.Layout(width="98%", height="56px")),
                "evidence": w.Text(placeholder="Evidence seen (document, system, visit)", layout=w.Layout(width="98%")),
            }
            for name, widget in row.items():
                widget.observe(self._changed, names="value")
                widget.add_class(f"wk-{item.id}-{name}")
            self.rows[item.id] = row
            cards.append(w.VBox([info, w.HBox([row["as_is"], row["to_be"], row["confidence"]]), row["notes"],
                                 row["evidence"]], layout=w.Layout(border="1px solid #e4e7eb", padding="6px",
                                                                   margin="4px 0")))
        self.box = w.VBox([header, w.HBox([self.progress, self.progress_label]), self.chart,
                           w.HBox([self.save_button, self.reload_button]), self.status, self.diff, *cards,
                           w.HBox([self.save_button])])

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)

    # ---------------------------------------------------------------- state
    def values(self) -> dict[str, dict]:
        return {iid: {k: wdg.value for k, wdg in row.items()} for iid, row in self.rows.items()}

    def _changed(self, _change):
        if not self._filling:
            self._set_status("Unsaved changes.", "warn")
            self._refresh()

    def _refresh(self):
        vals = self.values()
        done = sum(1 for v in vals.values() if is_answered(v))
        self.progress.value = done
        self.progress.bar_style = "success" if done == len(self.items) else "info"
        self.progress_label.value = f"{done} of {len(self.items)} items answered"
        self._draw(vals)

    def _draw(self, vals):
        from IPython.display import SVG, display

        from .report.charts import AS_IS, TO_BE, _figure, to_svg

        fig = _figure(6.4, 1.8)
        ax = fig.add_subplot()
        ids = list(vals)
        xs = range(len(ids))
        a = [v["as_is"] if isinstance(v["as_is"], int) else 0 for v in vals.values()]
        b = [v["to_be"] if isinstance(v["to_be"], int) else 0 for v in vals.values()]
        ax.bar([x - 0.2 for x in xs], a, width=0.4, color=AS_IS, label="As-is")
        ax.bar([x + 0.2 for x in xs], b, width=0.4, color=TO_BE, label="To-be")
        ax.set_xticks(list(xs))
        ax.set_xticklabels(ids, fontsize=7)
        ax.set_ylim(0, 6.2)                      # room above level 5 for the legend
        ax.set_yticks(range(6))
        ax.legend(fontsize=7, frameon=False, ncol=2, loc="upper left")
        self.chart.clear_output(wait=True)
        with self.chart:
            display(SVG(to_svg(fig)))

    def _set_status(self, text: str, kind: str):
        colour = {"ok": "#2f855a", "warn": "#b7791f", "error": "#c53030", "info": "#616e7c"}[kind]
        self.status.value = f"<span style='color:{colour}'>{esc(text)}</span>"

    # ---------------------------------------------------------------- saving
    def apply(self):
        """Copy the widget values into the round-trip document (comments and key order kept)."""
        from ruamel.yaml.comments import CommentedMap

        target = self.document.get("checklist")
        if not isinstance(target, dict):       # missing, or `checklist: {}` / null in a new response file
            target = self.document["checklist"] = CommentedMap()
        for iid, v in self.values().items():
            entry = target.get(iid)
            if self.respondent and not isinstance(entry, dict) and not is_answered(v) \
                    and not any(v[k] for k in ("confidence", "notes", "evidence")):
                continue                       # a respondent answers a subset: no empty entries
            if not isinstance(entry, dict):
                entry = CommentedMap()
                entry.fa.set_flow_style()          # one line per item, as the files are written
                target[iid] = entry
            for key in ("as_is", "to_be", "confidence", "notes", "evidence"):
                old = entry.get(key)
                new = v[key]
                if key in ("notes", "evidence") and not new and old in (None, ""):
                    continue
                if old != new:
                    entry[key] = new

    def save(self, *_):
        self.apply()
        self.diff.clear_output()
        text = dump_text(self.document)
        try:
            if self.respondent:
                from .responses import check_response_text

                problems = [p for p in check_response_text(text, str(self.path), self.checklist)[1] if p.is_error]
                if problems:
                    raise InvalidInput(problems)
                kept = save(self.path, self.document, None, expected=self.loaded_fingerprint)
            else:
                kept = save(self.path, self.document, self.checklist, expected=self.loaded_fingerprint)
        except SaveConflict as exc:
            self._set_status(str(exc), "error")
            self.reload_button.layout.display = None
            with self.diff:
                print(exc.diff or "(no textual difference)")
            return False
        except InvalidInput as exc:
            self._set_status("Not saved: " + "; ".join(str(p) for p in exc.errors[:5]), "error")
            return False
        # What this save wrote (save dumps the same document to the same text, under its lock).
        # Fingerprinting the file again after the lock is released would adopt an edit made
        # in between as "loaded", and the next save would overwrite it.
        self.loaded_fingerprint = _digest(text.encode("utf-8"))
        where = " The previous version is kept." if kept else ""    # on the client's screen: no file names
        self._set_status(f"Saved {self.label}.{where}", "ok")
        return True


def export_all(engagement: str | Path, folder: str | Path, fmt: str = "xlsx") -> list[Path]:
    return [export_sheet(engagement, d, Path(folder) / f"{d}.{fmt}") for d in DIMENSIONS]


# --------------------------------------------------------------------------- the app (JupyterLab or Voilà)
CONSENSUS = "consensus"


def respondent_choices(engagement: str | Path) -> list[tuple[str, str]]:
    """(label, file) for the selector: the consensus first, then each respondent by side and role.

    Names are shown only when the engagement says so (``confidentiality.show_respondent_names``):
    the app is on a screen in front of the client, and interviews are confidential.
    """
    from .responses import SIDE_TITLE, response_files, show_names

    path = engagement_file(engagement)
    try:
        doc, _ = read_yaml(path)
    except InvalidInput:
        doc = {}
    names = show_names(doc)
    out = [("Agreed consensus", CONSENSUS)]
    for f in response_files(path):
        try:
            r, _ = read_yaml(f)
            r = r.get("respondent") or {}
            who = str(r.get("name") if names and r.get("name") else r.get("role") or f.stem)
            out.append((f"{SIDE_TITLE.get(r.get('side'), str(r.get('side') or '?'))} · {who}", str(f)))
        except (InvalidInput, AttributeError):
            out.append((f"{f.name} (cannot be read: run assessment validate)", str(f)))
    return out


class App:
    """The workshop on one screen: whose answers (consensus or one respondent), which dimension, the form.

    Each (respondent, dimension) keeps its own :class:`Form`, so switching back and forth keeps what
    was typed and not yet saved. Saves go to ``engagement.yaml`` for the consensus and to the
    respondent's own file otherwise, with the same safe save.
    """

    def __init__(self, engagement: str | Path, dimension: str = "people", checklist: str | Path | None = None,
                 respondent: str | Path | None = None):
        import ipywidgets as w

        self.engagement = engagement_file(engagement)
        self.checklist = checklist
        cl = load_checklist(checklist)
        start = str(respondent_file(self.engagement, respondent)) if respondent else CONSENSUS
        choices = respondent_choices(self.engagement)
        if start not in [v for _, v in choices]:
            choices.append((Path(start).name, start))
        doc, _ = read_yaml(self.engagement)
        client = str((doc.get("client") or {}).get("name", "")) if isinstance(doc, dict) else ""
        self.forms: dict[tuple[str, str], Form] = {}
        self.who = w.Dropdown(options=choices, value=start, description="Answers of",
                              layout=w.Layout(width="460px"), style={"description_width": "80px"})
        self.who.add_class("wk-who")
        self.dimension = w.ToggleButtons(options=[(cl.title_of(d), d) for d in DIMENSIONS], value=dimension,
                                         style={"button_width": "auto"})
        self.dimension.add_class("wk-dimension")
        self.holder = w.VBox()
        title = w.HTML(f"<div class='wk-title'>Workshop · {esc(client)}</div>")
        style = w.HTML("<style>.wk-title{font-size:20px;font-weight:600;color:#1f2933;margin:4px 0}"
                       ".wk-whose{color:#3e4c59;font-weight:600;margin:2px 0}"
                       ".wk-dimension .widget-toggle-button.mod-active{background:#1f4e79;color:#fff}"
                       ".jupyter-widgets textarea{font-family:inherit}</style>")
        self.who.observe(self._switch, names="value")
        self.dimension.observe(self._switch, names="value")
        self.box = w.VBox([style, title, w.HBox([self.who]), self.dimension, self.holder])
        self._switch()

    @property
    def form(self) -> Form:
        return self.forms[(self.who.value, self.dimension.value)]

    def _switch(self, *_):
        key = (self.who.value, self.dimension.value)
        if key not in self.forms:
            who = None if key[0] == CONSENSUS else key[0]
            self.forms[key] = Form(self.engagement, key[1], self.checklist, respondent=who)
        self.holder.children = [self.forms[key].box]

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)
