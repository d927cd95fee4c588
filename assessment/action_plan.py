"""The action plan as a spreadsheet: written beside the readout, edited by the client, read back into the file.

* :func:`export_xlsx` writes ``<name>-action-plan.xlsx`` from the readout's facts: one row per action (id,
  workstream, action, owner side, owner, start, due, status, success measure, notes) on the first sheet, with
  drop-down lists for owner side and status; one summary sheet per workstream (objective, owner, RACI,
  milestones, measures, money at stake); a sheet that says how to use it. Text cells are always text
  (:mod:`assessment.cells`): a note such as ``=HYPERLINK(...)`` never runs.
* :func:`merge_actions` reads the first sheet back into the ``actions:`` block of ``engagement.yaml`` with the
  standard of :func:`assessment.workshop.merge_sheet`: every problem (sheet, row, column, expected, found)
  reported at once and nothing written; a blank cell never blanks a value the file holds (it is kept, and the
  summary says so); the whole file validated, the previous version backed up, the file written atomically,
  and a summary of what changed.

The parse and validation of each row are :func:`assessment.actions.parse_action`, the same as ``validate``'s.
This module is an edge (files); :mod:`assessment.actions` stays pure, so ``validate`` can import it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .actions import FIELDS, OWNER_SIDES, STATUSES, parse_action
from .cells import set_xlsx_cell
from .errors import InvalidInput, Problem, show
from .fileio import atomic_write_bytes

SHEET = "Action plan"
HEADERS = ("Id", "Workstream", "Action", "Owner side", "Owner", "Start", "Due", "Status", "Success measure", "Notes")
WIDTHS = (9, 14, 48, 11, 18, 12, 12, 13, 44, 30)
MAX_ROWS = 600
HEADER_FILL = "1F3A5F"


def file_name(slug: str) -> str:
    return f"{slug}-action-plan.xlsx"


def _plain(facts: Any) -> dict:
    if isinstance(facts, dict):
        return facts
    from .facts import to_plain

    return to_plain(facts)


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v)) if v else None
    except ValueError:
        return None


def _sheet_title(prefix: str, name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", f"{prefix} {name}").strip()
    if len(title) > 31:       # Excel's limit: cut at the last word boundary that fits, never mid-word
        words = title[:32].split(" ")[:-1]
        while len(words) > 2 and words[-1].rstrip(",;").lower() in ("and", "or", "of", "the", "a", "for", "to"):
            words.pop()     # "LKT Launches, knowledge", not "... knowledge and"
        cut = " ".join(words).rstrip(" ,;-")
        title = cut if len(cut) >= 12 else title[:31].strip()
    while title.lower() in used:
        title = title[:28] + f" {len(used)}"
    used.add(title.lower())
    return title


def export_xlsx(facts: Any, target: str | Path) -> Path:
    """Write the action plan workbook from the readout's facts (the object or its JSON as a dict)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    data = _plain(facts)
    plan = data.get("roadmap") or {}
    actions = [a for a in plan.get("actions") or [] if isinstance(a, dict)]
    workstreams = [w for w in data.get("workstreams") or [] if isinstance(w, dict)]
    client = (data.get("client") or {}).get("name", "")
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    bold, white = Font(bold=True), Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for col, (head, width) in enumerate(zip(HEADERS, WIDTHS), start=1):
        cell = ws.cell(row=1, column=col)
        set_xlsx_cell(cell, head)
        cell.font, cell.fill = white, fill
        ws.column_dimensions[cell.column_letter].width = width
    titles = {w.get("id"): w.get("name") for w in workstreams if w.get("id") and w.get("name")}
    ordered = sorted(actions, key=lambda a: (a.get("workstream", ""), _ref_key(a.get("ref") or a.get("id", ""))))
    for row, a in enumerate(ordered, start=2):
        ws_key = a.get("workstream", "")
        values = (a.get("ref") or a.get("id"), titles.get(ws_key, ws_key), a.get("action") or a.get("title", ""),
                  a.get("owner_side") or "joint", a.get("owner", ""), _date(a.get("start")), _date(a.get("end")),
                  a.get("status") or "not started", a.get("success_measure", ""), a.get("notes", ""))
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col)
            set_xlsx_cell(cell, value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(vertical="top", wrap_text=col in (3, 9, 10))
    last = max(2, len(ordered) + 1)
    for col, choices in ((4, OWNER_SIDES), (8, STATUSES)):
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                            error=f"One of: {', '.join(choices)}", errorTitle="Not in the list", showErrorMessage=True)
        letter = ws.cell(row=1, column=col).column_letter
        dv.add(f"{letter}2:{letter}{last + 200}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:J{last}"

    used = {SHEET.lower(), "how to use"}
    for w in workstreams:
        sheet = wb.create_sheet(_sheet_title(w.get("prefix", ""), w.get("name", ""), used))
        rows: list[tuple] = [(w.get("name", ""),), (),
                             ("Objective", w.get("objective", "")), ("Owner", w.get("owner", "")),
                             ("Start", _date(w.get("start"))), ("End", _date(w.get("end"))),
                             ("Actions", ", ".join(w.get("actions") or [])), (), ("RACI",)]
        rows += [tuple(r) for r in w.get("raci") or []]
        if w.get("milestones"):
            rows += [(), ("Milestones",)] + [(m.get("label", ""), _date(m.get("date"))) for m in w["milestones"]]
        if w.get("measures"):
            rows += [(), ("Success measure", "Baseline", "Target", "By")]
            rows += [(m.get("name", ""), m.get("baseline", ""), m.get("target", ""), _date(m.get("by")))
                     for m in w["measures"]]
        if w.get("money"):
            rows += [(), ("Money at stake (see the readout's business case)",)]
            rows += [(m.get("label", ""), " ".join(x for x in (m.get("text", ""), m.get("period", "")) if x))
                     for m in w["money"]]
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                cell = sheet.cell(row=r, column=c)
                set_xlsx_cell(cell, value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                if c == 1 and (r == 1 or value in ("RACI", "Milestones", "Success measure", "Objective", "Owner",
                                                   "Start", "End", "Actions")
                               or str(value).startswith("Money at stake")):
                    cell.font = bold
                cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet["A1"].font = Font(bold=True, size=13)
        for letter, width in zip("ABCD", (34, 60, 22, 14)):
            sheet.column_dimensions[letter].width = width
    guide = wb.create_sheet("How to use")
    lines = [f"Action plan for {client}", "",
             f"The sheet '{SHEET}' holds one row per action of the readout's roadmap. Edit the owner (a person's "
             "name), the dates, the status and the notes there; keep the Id column as it is.",
             f"Owner side: {', '.join(OWNER_SIDES)}. Status: {', '.join(STATUSES)}.",
             "Dates are YYYY-MM-DD. A blank cell keeps what the engagement file already holds.",
             "The other sheets summarise each workstream and are not read back.", "",
             "Read it back into the engagement file with:",
             "assessment actions import ENGAGEMENT_FOLDER THIS_FILE.xlsx",
             "Every problem is listed with its row and column before anything is written, and the previous "
             "engagement file is kept in .backups/."]
    for r, text in enumerate(lines, start=1):
        set_xlsx_cell(guide.cell(row=r, column=1), text)
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 110
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(target, buf.getvalue())


def _ref_key(ref: str) -> tuple:
    m = re.match(r"^([A-Z0-9]+)-(\d+)$", str(ref))
    return (m.group(1), int(m.group(2))) if m else (str(ref), 0)


# --------------------------------------------------------------------------- import
@dataclass
class ActionsImport:
    """What :func:`merge_actions` did."""

    sheet: Path
    changed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    kept_blank: tuple[str, ...] = ()      # "GOV-1 owner": values the sheet left blank and the file keeps
    not_in_sheet: tuple[str, ...] = ()    # actions of the file the sheet does not list (kept as they are)
    backup: Path | None = None

    @property
    def count(self) -> int:
        return len(self.changed) + len(self.added)

    def __str__(self) -> str:
        n = len(self.changed)
        parts = [f"{n} action{'s' if n != 1 else ''} changed" + (f" ({', '.join(self.changed)})" if n else "")]
        if self.added:
            parts.append(f"{len(self.added)} added to the engagement file")
        if self.kept_blank:
            parts.append(f"{len(self.kept_blank)} blank cell{'s' if len(self.kept_blank) != 1 else ''} left the "
                         f"file's value as it was ({', '.join(self.kept_blank[:5])}"
                         + (" …" if len(self.kept_blank) > 5 else "") + ")")
        if self.not_in_sheet:
            parts.append(f"{len(self.not_in_sheet)} action{'s' if len(self.not_in_sheet) != 1 else ''} of the "
                         f"file not in the sheet, kept ({', '.join(self.not_in_sheet[:5])})")
        if not self.count:
            parts.append("nothing written")
        elif self.backup:
            parts.append(f"previous file kept at {self.backup}")
        return f"{self.sheet.name}: " + "; ".join(parts)


@dataclass
class _Rows:
    source: str
    rows: list[tuple[int, list]]
    flagged: list[tuple[int, int, str, str]] = field(default_factory=list)


def _read_plan(path: Path) -> _Rows:
    """The action-plan sheet's rows (the sheet named 'Action plan', else the first), every cell checked for
    formulas, errors and merges. Raises InvalidInput, nothing else."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.cell.cell import MergedCell

    from .workshop import MAX_SHEET_BYTES, MAX_XLSX_UNPACKED

    source = str(path)

    def refuse(expected: str, found: str) -> InvalidInput:
        return InvalidInput([Problem(source, "(file)", expected, found)])

    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise refuse("the action plan workbook (.xlsx)", f"a {path.suffix or 'file without extension'} file")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise refuse("a workbook file", "a directory or special file")
        if size > MAX_SHEET_BYTES:
            raise refuse(f"a file of at most {MAX_SHEET_BYTES // 1024 // 1024} MB", f"{size / 1024 / 1024:.1f} MB")
        with zipfile.ZipFile(path) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_XLSX_UNPACKED:
                raise refuse(f"a workbook of at most {MAX_XLSX_UNPACKED // 1024 // 1024} MB unpacked", "more")
    except FileNotFoundError:
        raise refuse("an existing file", "no such file") from None
    except zipfile.BadZipFile:
        raise refuse("an Excel workbook (.xlsx)", "a file that is not a workbook") from None
    except OSError as exc:
        raise refuse("a readable file", exc.strerror or str(exc)) from None
    try:
        wb = load_workbook(path, data_only=False)
    except Exception as exc:   # openpyxl raises many kinds
        raise refuse("an Excel workbook (.xlsx) openpyxl can read", f"{type(exc).__name__}: {show(str(exc), 120)}") \
            from None
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0] if wb.worksheets else None
    if ws is None:
        raise refuse(f"a worksheet named {SHEET!r}", "no worksheet")
    if (ws.max_row or 0) > MAX_ROWS:
        raise refuse(f"a sheet of at most {MAX_ROWS} rows", f"{ws.max_row} rows; delete the rows below the table")
    table = _Rows(f"{path} (sheet {ws.title!r})", [])
    for rng in ws.merged_cells.ranges:
        table.flagged.append((rng.min_row, rng.min_col - 1, "one value in each cell, no merged cells",
                              f"cells {rng.coord} merged"))
    for row in ws.iter_rows(max_col=40):
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
    wb.close()
    return table


def _key(header: Any) -> str:
    return re.sub(r"[\s_\-]+", "_", str(header).strip().lower()).strip("_")


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def read_rows(table: _Rows, workstreams, titles: dict[str, str] | None = None
              ) -> tuple[list[tuple[int, dict, set[str]]], list[Problem]]:
    """[(row number, the row's values by key, the keys left blank)] and every problem, all at once.

    ``titles`` maps a workstream's title (lower case) to its id: the sheet shows titles, the file keeps ids.
    """
    by_title = {k.strip().lower(): v for k, v in (titles or {}).items()}
    src = table.source
    rows = [(n, v) for n, v in table.rows if not all(_blank(x) for x in v)]
    problems: list[Problem] = []
    names: dict[int, str] = {}

    def where(index: int) -> str:
        return f"column {_letter(index)}" + (f": {names[index]}" if index in names else "")

    if not rows:
        return [], [Problem(src, "(file)", "a header row and one row per action", "no rows")]
    header_line, header = rows[0]
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        if _blank(raw):
            continue
        key = _key(raw)
        names[index] = str(raw).strip()
        if key not in FIELDS:
            problems.append(Problem(src, where(index), "one of the columns " + ", ".join(HEADERS), show(raw),
                                    header_line))
        elif key in columns:
            problems.append(Problem(src, where(index), "each column once",
                                    f"{show(raw)} again (first in column {_letter(columns[key])})", header_line))
        else:
            columns[key] = index
    for need in ("id", "workstream", "action"):
        if need not in columns:
            problems.append(Problem(src, need, f"a column named {need.replace('_', ' ').capitalize()}",
                                    "no such column", header_line))
    if problems:          # without the columns no row can be read
        return [], problems
    for line, index, expected, found in table.flagged:   # formulas, errors, merges: reported with the rows' problems
        problems.append(Problem(src, where(index), expected, found, line))
    out = []
    seen: dict[str, int] = {}
    for line, values in rows[1:]:
        cells = {k: values[i] if i < len(values) else None for k, i in columns.items()}
        blank = {k for k, v in cells.items() if _blank(v)}
        raw = {k: (v.strip() if isinstance(v, str) else v) for k, v in cells.items() if k not in blank}
        for k in ("owner", "success_measure", "notes", "action"):
            if isinstance(raw.get(k), (int, float)) and not isinstance(raw.get(k), bool):
                raw[k] = str(raw[k])
        if isinstance(raw.get("workstream"), str) and raw["workstream"].lower() in by_title:
            raw["workstream"] = by_title[raw["workstream"].lower()]
        ref = str(raw.get("id", "")).strip()
        label = ref or f"row {line}"
        # a blank optional cell takes its default for the check; the merge keeps the file's value
        checked = {**{k: v for k, v in raw.items()}, **({} if "status" in raw else {"status": "not started"})}
        _, found = parse_action(checked, label, src, lambda _p: line, (), workstreams)
        for p in found:
            key = p.field.rsplit(".", 1)[-1]
            col = f" ({where(columns[key])})" if key in columns else ""
            problems.append(dataclasses.replace(p, field=p.field + col))
        if ref and ref in seen:
            problems.append(Problem(src, f"{label}.id ({where(columns['id'])})", "one row per action",
                                    f"{ref} again (first on row {seen[ref]})", line))
            continue
        if ref:
            seen[ref] = line
        if not found:
            out.append((line, raw, blank))
    return out, problems


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, dt.date) or isinstance(new, dt.date):
        return _date(old) == _date(new)
    return ("" if old is None else str(old)) == ("" if new is None else str(new))


def merge_actions(engagement: str | Path, sheet: str | Path, checklist: str | Path | None = None) -> ActionsImport:
    """Read the action plan workbook back into the engagement's ``actions:`` block; say what changed."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from .actions import normalise_status, parse_date
    from .checklist import load_checklist
    from .engagement import engagement_file, save
    from .workshop import _digest
    from .yamlio import read_yaml_bytes

    engagement, sheet = engagement_file(engagement), Path(sheet)
    cl = load_checklist(checklist)
    rows, problems = read_rows(_read_plan(sheet), tuple(cl.workstreams) or None,
                               {w.name: wid for wid, w in cl.workstreams.items() if w.name})
    if problems:
        raise InvalidInput(problems)
    doc, _, raw_bytes = read_yaml_bytes(engagement)
    expected = _digest(raw_bytes)
    block = doc.get("actions") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or not isinstance(block, (list, type(None))):
        raise InvalidInput([Problem(str(engagement), "actions", "a list of actions",
                                    "something else (check the file with `assessment validate`)")])
    if block is None:
        block = doc["actions"] = CommentedSeq()
    by_id = {str(e.get("id")).strip(): e for e in block if isinstance(e, dict) and e.get("id") is not None}
    changed, added, kept = [], [], []
    in_sheet = set()
    for _line, raw, blank in rows:
        ref = raw["id"]
        in_sheet.add(ref)
        values = {}
        for k in FIELDS:
            if k not in raw:
                continue
            v = raw[k]
            if k in ("start", "due"):
                v = parse_date(v)
            elif k == "status":
                v = normalise_status(v)
            elif k == "owner_side":
                v = str(v).strip().lower()
            values[k] = v
        entry = by_id.get(ref)
        if entry is None:
            entry = CommentedMap()
            for k in FIELDS:
                entry[k] = values.get(k, "" if k not in ("start", "due", "status", "owner_side") else
                                      {"status": "not started", "owner_side": "joint"}.get(k))
            block.append(entry)
            by_id[ref] = entry
            added.append(ref)
            continue
        diff = {k: v for k, v in values.items() if not _same(entry.get(k), v)}
        kept += [f"{ref} {k.replace('_', ' ')}" for k in FIELDS if k in blank and not _blank(entry.get(k))]
        if diff:
            entry.update(diff)
            changed.append(ref)
    missing = tuple(r for r in by_id if r not in in_sheet)
    result = ActionsImport(sheet, tuple(changed), tuple(added), tuple(kept), missing)
    if not result.count:
        return result
    result.backup = save(engagement, doc, cl, expected=expected)   # validates the whole file before writing
    return result
