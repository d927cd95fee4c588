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
    # the status is on the client's screen: plain words, no file or folder names
    assert "Saved the agreed consensus. The previous version is kept." in form.status.value
    assert ".yaml" not in form.status.value and ".backups" not in form.status.value
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


# ---- one respondent's worksheet, for respondents who pre-fill by e-mail -----------------------------------------
@pytest.fixture
def alpenrose(tmp_path):
    folder = tmp_path / "alpenrose"
    shutil.copytree(EXAMPLES / "alpenrose-telecom", folder, ignore=shutil.ignore_patterns("waves", ".backups"))
    return folder / "engagement.yaml"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_respondent_sheet_round_trip(alpenrose, tmp_path, suffix):
    from openpyxl import load_workbook

    from assessment.cells import csv_row, from_csv_text, set_xlsx_cell
    from assessment.checklist import load_checklist
    from assessment.responses import load_response

    sheet = tmp_path / f"keller{suffix}"
    workshop.export_respondent_sheet(alpenrose, "client-sabine-keller.yaml", sheet)
    rows = workshop.respondent_sheet_rows(alpenrose, "client-sabine-keller")
    assert len(rows) == 45 and rows[0]["id"] == "PEO-01" and rows[0]["as_is"] == 5
    assert not any("Sabine" in str(v) or "Keller" in str(v) for r in rows for v in r.values())   # no name in the sheet
    # the respondent opens the sheet, answers TEC-02 (new), changes PEO-03, types a formula-like note
    edits = {"TEC-02": {"as_is": 2, "to_be": 4, "confidence": "interview", "notes": "=HYPERLINK(\"http://x\")"},
             "PEO-03": {"as_is": 3}}
    if suffix == ".xlsx":
        wb = load_workbook(sheet)
        ws = wb.active
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            for key, value in edits.get(row[0].value, {}).items():
                set_xlsx_cell(row[header.index(key)], value)
        wb.save(sheet)
    else:
        with sheet.open(newline="", encoding="utf-8") as fh:
            rows = [{k: from_csv_text(v) for k, v in r.items()} for r in csv.DictReader(fh)]
        for r in rows:
            r.update(edits.get(r["id"], {}))
        with sheet.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=workshop.SHEET_COLUMNS)
            w.writeheader()
            w.writerows(csv_row(r) for r in rows)
    path = alpenrose.parent / "responses" / "client-sabine-keller.yaml"
    before = path.read_text(encoding="utf-8")
    result = workshop.merge_respondent_sheet(alpenrose, "client-sabine-keller.yaml", sheet)
    assert result.changed == ("PEO-03", "TEC-02") and "2 items changed" in str(result)
    assert result.backup is not None and result.backup.read_text(encoding="utf-8") == before
    after = path.read_text(encoding="utf-8")
    assert "  TEC-02: {as_is: 2, to_be: 4, confidence: interview, notes: " in after     # one line per item, as written
    assert "PRC-05" not in after                     # rows left blank add nothing: a respondent answers a subset
    response = load_response(path, load_checklist(None))
    assert response.checklist["PEO-03"].as_is == 3 and response.checklist["PEO-01"].as_is == 5
    assert response.checklist["TEC-02"].notes == "=HYPERLINK(\"http://x\")"
    assert response.respondent.name == "Sabine Keller"   # the respondent block is untouched
    assert workshop.merge_respondent_sheet(alpenrose, "client-sabine-keller.yaml", sheet).count == 0


def test_respondent_sheet_problems_all_at_once_and_nothing_written(alpenrose, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("id,as_is,to_be,confidence\nPEO-01,7,4,\nXXX-01,1,2,\nPEO-02,3,4,sure\n", encoding="utf-8")
    path = alpenrose.parent / "responses" / "client-sabine-keller.yaml"
    before = path.read_bytes()
    with pytest.raises(InvalidInput) as exc:
        workshop.merge_respondent_sheet(alpenrose, "client-sabine-keller", sheet)
    text = str(exc.value)
    assert f"{sheet}:2: error: PEO-01.as_is (column B)" in text and f"{sheet}:3: error: column A (id)" in text
    assert f"{sheet}:4: error: PEO-02.confidence (column D)" in text and "found 'sure'" in text
    assert path.read_bytes() == before and not (path.parent / ".backups").exists()
    with pytest.raises(InvalidInput) as exc:
        workshop.merge_respondent_sheet(alpenrose, "nobody.yaml", sheet)
    assert "--respondent" in str(exc.value) and "no such file" in str(exc.value)


def test_respondent_form_saves_into_their_file_and_refuses_edits_made_elsewhere(alpenrose):
    answers = alpenrose.parent / "responses" / "client-sabine-keller.yaml"
    eng_before = alpenrose.read_bytes()
    form = workshop.Form(alpenrose, "people", respondent="client-sabine-keller")
    assert form.rows["PEO-01"]["as_is"].value == 5 and form.rows["PEO-04"]["as_is"].value is None
    assert "Head of Customer Operations" in form.box.children[0].value and "Sabine" not in form.box.children[0].value
    form.rows["PEO-04"]["as_is"].value = 1
    form.rows["PEO-04"]["to_be"].value = 4
    assert form.save() is True and "Saved the answers of the Head of Customer Operations" in form.status.value
    text = answers.read_text(encoding="utf-8")
    assert "  PEO-04: {as_is: 1, to_be: 4}" in text and "PEO-05" not in text     # unanswered items stay out
    assert alpenrose.read_bytes() == eng_before                                  # the consensus is untouched
    answers.write_text(text.replace("PEO-01: {as_is: 5", "PEO-01: {as_is: 4"), encoding="utf-8")
    edited = answers.read_bytes()
    form.rows["PEO-04"]["notes"].value = "typed live"
    assert form.save() is False and "changed on disk" in form.status.value and answers.read_bytes() == edited
    form.reload()                                              # takes the edit made elsewhere
    assert form.rows["PEO-01"]["as_is"].value == 4
    form.rows["PEO-04"]["notes"].value = "typed again"
    assert form.save() is True
    text = answers.read_text(encoding="utf-8")
    assert "PEO-01: {as_is: 4" in text and "typed again" in text               # both kept
