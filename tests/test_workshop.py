"""Workshop forms without a browser: pre-fill, save with comments kept, conflicts refused, sheets, the pack."""
from __future__ import annotations

import csv
import shutil

import pytest
from pypdf import PdfReader

from assessment import workshop
from assessment.errors import InvalidInput
from conftest import EXAMPLES

SRC = EXAMPLES / "harbour-lane-bank" / "engagement.yaml"


@pytest.fixture
def eng(tmp_path):
    path = tmp_path / "harbour" / "engagement.yaml"
    path.parent.mkdir()
    shutil.copy(SRC, path)
    return path


def test_form_prefills_and_saves_only_what_changed(eng):
    form = workshop.Form(eng, "people")
    assert len(form.rows) == 11
    assert form.rows["PEO-07"]["as_is"].value == 2 and form.rows["PEO-07"]["to_be"].value == 4
    assert form.progress.value == 11 and "11 of 11" in form.progress_label.value
    before = eng.read_text(encoding="utf-8").splitlines()
    form.rows["PEO-07"]["as_is"].value = 3
    form.rows["PEO-07"]["notes"].value = "Plan révisé — wave 2 dated ✓"
    assert "Unsaved" in form.status.value
    assert form.save() is True
    after = eng.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 1, changed
    assert changed[0][1].startswith("  PEO-07:") and "as_is: 3" in changed[0][1] and "Plan révisé" in changed[0][1]
    assert sum(1 for line in after if line.lstrip().startswith("#")) == sum(
        1 for line in before if line.lstrip().startswith("#"))            # comments kept
    backups = list((eng.parent / ".backups").iterdir())
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8").splitlines() == before


def test_form_refuses_to_overwrite_edits_made_elsewhere(eng):
    form = workshop.Form(eng, "process")
    eng.write_text(eng.read_text(encoding="utf-8").replace("Tom Okafor", "Tom O."), encoding="utf-8")
    edited = eng.read_bytes()
    form.rows["PRC-02"]["notes"].value = "typed live"
    assert form.save() is False
    assert "changed on disk" in form.status.value
    assert eng.read_bytes() == edited
    assert form.reload_button.layout.display is None          # the Reload button is offered
    form.reload()
    assert form.rows["PRC-02"]["notes"].value != "typed live"


def test_invalid_document_is_not_saved(eng):
    form = workshop.Form(eng, "people")
    form.document["client"]["name"] = ""                   # e.g. broken by another part of the notebook
    form.rows["PEO-02"]["notes"].value = "x"
    before = eng.read_bytes()
    assert form.save() is False
    assert "Not saved" in form.status.value and "client.name" in form.status.value
    assert eng.read_bytes() == before


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_sheet_export_and_import(eng, tmp_path, suffix):
    sheet = tmp_path / f"technology{suffix}"
    workshop.export_sheet(eng, "technology", sheet)
    rows = workshop.sheet_rows(eng, "technology")
    assert [r["id"] for r in rows][:2] == ["TEC-01", "TEC-02"] and rows[0]["as_is"] == 0
    if suffix == ".csv":
        text = sheet.read_text(encoding="utf-8")
        data = list(csv.DictReader(text.splitlines()))
        data[0]["as_is"] = "2"
        data[0]["notes"] = "Lines ordered 20 Nov"
        with sheet.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=workshop.SHEET_COLUMNS)
            w.writeheader()
            w.writerows(data)
    else:
        from openpyxl import load_workbook

        wb = load_workbook(sheet)
        wb.active["D2"] = 2
        wb.active["G2"] = "Lines ordered 20 Nov"
        wb.save(sheet)
    kept = workshop.import_sheet(eng, sheet)
    assert kept is not None and kept.exists()
    text = eng.read_text(encoding="utf-8")
    assert 'TEC-01: {as_is: 2, to_be: 4' in text and "Lines ordered 20 Nov" in text
    assert "# TEC-01 Telecom and data lines" in text


def test_bad_sheet_is_rejected_and_file_untouched(eng, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("id,as_is,to_be\nTEC-01,7,4\nXXX-01,1,2\n", encoding="utf-8")
    before = eng.read_bytes()
    with pytest.raises(InvalidInput) as exc:
        workshop.import_sheet(eng, sheet)
    assert "XXX-01" in str(exc.value)
    sheet.write_text("id,as_is,to_be\nTEC-01,7,4\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        workshop.import_sheet(eng, sheet)
    assert "TEC-01.as_is" in str(exc.value)
    assert eng.read_bytes() == before


@pytest.mark.slow
def test_workshop_pack_pdf(eng, tmp_path):
    from assessment.report.build import build_workshop_pack

    built = build_workshop_pack(eng, tmp_path / "out")
    reader = PdfReader(str(built.outputs["pdf"]))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "WORKSHOP PACK" in text.upper() and "Harbour Lane Bank" in text
    for heading in ("People and structure", "Process", "Product and service", "Technology"):
        assert heading in text
    assert "Evidence to look for" in text and "Carrier order for the Belfast lines" in text
    assert "import " not in text and "interactive" not in text
    first = reader.pages[0].extract_text()
    for heading in ("Agenda", "Attendees", "Decision log"):                 # the first page, as facilitators use it
        assert heading in first
    assert "09:15 55 People and structure 11" in first and "10:10 60 Process 12" in first and "13:35" in first
    worksheet = " ".join(reader.pages[1].extract_text().split())
    for box in ("As-is", "To-be", "Confidence", "documented", "observed", "interview", "Evidence seen", "Notes"):
        assert box in worksheet, box                                         # the form's fields, as boxes
    assert "On file: as-is 3" in worksheet                                   # PEO-01 as it stands in the file


def test_agenda_times_each_dimension_from_its_items():
    slots = workshop.agenda([("People", 11), ("Process", 12), ("Product", 11), ("Technology", 11)], "09:00")
    assert [(s.start, s.minutes, s.items) for s in slots] == [
        ("09:00", 15, 0), ("09:15", 55, 11), ("10:10", 60, 12), ("11:10", 15, 0),   # 5 minutes an item
        ("11:25", 55, 11), ("12:20", 55, 11), ("13:15", 20, 0)]
    assert slots[3].session == "Break" and workshop.end_of(slots) == "13:35"
    assert [s.start for s in workshop.agenda([("Process", 12)], "13:30")] == ["13:30", "13:45", "14:45"]


def test_blank_pack_prints_no_current_answers(eng):
    full = str(workshop.pack(eng, "people"))
    blank = str(workshop.pack(eng, "people", blank=True))
    assert "On file:" in full and "Strategy deck shared at kick-off" in full
    assert "On file:" not in blank and "Strategy deck shared at kick-off" not in blank
    assert blank.count("Evidence seen") == full.count("Evidence seen") == 11
