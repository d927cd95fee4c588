"""The action plan's `actions:` block: parse and validate (pure), every problem at once."""
from __future__ import annotations

import datetime as dt

from assessment.actions import STATUSES, Action, parse_actions, to_block

GOOD = {"id": "GOV-1", "workstream": "governance", "action": "Agree the monthly balanced scorecard",
        "owner_side": "joint", "owner": "", "start": dt.date(2026, 12, 1), "due": dt.date(2027, 1, 31),
        "status": "not started", "success_measure": "Scorecard reviewed monthly", "notes": ""}


def test_a_good_block_parses_to_actions():
    actions, problems = parse_actions([GOOD, dict(GOOD, id="GOV-2", status="In-Progress", start="2026-12-05")],
                                      workstreams=["governance"])
    assert problems == []
    assert [a.id for a in actions] == ["GOV-1", "GOV-2"]
    assert actions[1].status == "in progress" and actions[1].start == dt.date(2026, 12, 5)
    assert isinstance(actions[0], Action) and STATUSES == ("not started", "in progress", "done", "blocked")


def test_absent_block_is_no_actions():
    assert parse_actions(None) == ([], [])


def test_every_problem_is_reported_at_once_with_field_and_line():
    raw = [dict(GOOD, id="gov 1", status="finished", owner_side="vendor"),
           dict(GOOD, id="GOV-2", workstream="unknown", due=dt.date(2026, 11, 1)),
           dict(GOOD, id="GOV-2", start="31/12/2026"),
           "not a mapping"]
    actions, problems = parse_actions(raw, "e.yaml", lambda path: 10 + len(path), workstreams=["governance"])
    fields = sorted(p.field for p in problems)
    assert fields == sorted(["actions[0].id", "actions[0].status", "actions[0].owner_side",
                             "actions[1].workstream", "actions[1].due", "actions[2].id", "actions[2].start",
                             "actions[3]"])
    due = next(p for p in problems if p.field == "actions[1].due")
    assert due.expected == "a date on or after start (2026-12-01)" and due.found == "2026-11-01"
    assert due.file == "e.yaml" and due.line == 13
    status = next(p for p in problems if p.field == "actions[0].status")
    assert "in progress" in status.expected and status.found == "'finished'"
    assert "already used by actions[1]" in next(p for p in problems if p.field == "actions[2].id").expected
    assert actions == []


def test_not_a_list_is_one_problem():
    actions, problems = parse_actions({"id": "GOV-1"})
    assert actions == [] and len(problems) == 1 and problems[0].field == "actions"


def test_blank_optional_fields_take_their_defaults_and_round_trip():
    actions, problems = parse_actions([{"id": "CAP-3", "workstream": "capacity", "action": "Size IT capacity",
                                        "owner": None, "status": None, "start": None}])
    assert problems == []
    a = actions[0]
    assert (a.owner_side, a.owner, a.status, a.start, a.due) == ("joint", "", "not started", None, None)
    again, problems = parse_actions(to_block(actions))
    assert problems == [] and again == actions


def test_late_means_past_due_and_not_done():
    a = Action("GOV-1", "governance", "x", due=dt.date(2026, 12, 1))
    assert a.late(dt.date(2026, 12, 2)) and not a.late(dt.date(2026, 12, 1))
    assert not Action("GOV-1", "governance", "x", due=dt.date(2026, 12, 1), status="done").late(dt.date(2027, 1, 1))


def test_validate_reports_a_bad_actions_block_on_its_line(tmp_path):
    from assessment.checklist import load_checklist
    from assessment.validate import check_text

    text = ("client: {name: Acme}\nassessment: {date: 2026-11-01}\noutsourcer: {name: P}\n"
            "actions:\n  - id: GOV-1\n    workstream: governance\n    action: Agree the scorecard\n"
            "    status: finished\n")
    report = check_text(text, "engagement.yaml", load_checklist())
    bad = [p for p in report.errors if p.field.startswith("actions")]
    assert [(p.field, p.line) for p in bad] == [("actions[0].status", 8)]
    assert not report.ok


# --------------------------------------------------------------------------- the spreadsheet, round trip
import shutil  # noqa: E402

import pytest  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from assessment.errors import InvalidInput  # noqa: E402


@pytest.fixture(scope="module")
def kestrel_facts():
    from conftest import ROOT

    from assessment.facts import load

    return load(ROOT / "examples" / "engagements" / "kestrel-insurance")


@pytest.fixture
def folder(tmp_path):
    from conftest import ROOT

    target = tmp_path / "kestrel"
    shutil.copytree(ROOT / "examples" / "engagements" / "kestrel-insurance", target)
    return target


def _export(facts, tmp_path):
    from assessment.action_plan import export_xlsx

    return export_xlsx(facts, tmp_path / "kestrel-insurance-action-plan.xlsx")


def _row(ws, ref):
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == ref)


def test_export_has_one_row_per_action_a_sheet_per_workstream_and_text_safe_cells(kestrel_facts, tmp_path):
    path = _export(kestrel_facts, tmp_path)
    wb = load_workbook(path)
    ws = wb["Action plan"]
    assert wb.sheetnames[0] == "Action plan" and wb.sheetnames[-1] == "How to use"
    assert [c.value for c in ws[1]] == ["Id", "Workstream", "Action", "Owner side", "Owner", "Start", "Due", "Status",
                                        "Success measure", "Notes"]
    assert ws.max_row - 1 == len(kestrel_facts.roadmap.actions)
    assert len(wb.sheetnames) == 2 + len(kestrel_facts.workstreams)
    r = _row(ws, "CON-6")                    # the renewal decision: served a week before the notice deadline
    assert ws.cell(row=r, column=7).value.date() == kestrel_facts.contract.renewal.deadline - dt.timedelta(days=7)
    assert ws.cell(row=r, column=8).value == "not started" and ws.cell(row=r, column=5).value is None
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    # the client sees workstream titles, not internal keys; sheet names fit Excel's 31 characters at a word
    names = {w.name for w in kestrel_facts.workstreams}
    shown = {ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)}
    assert shown <= names and "governance" not in shown
    assert ws.cell(row=_row(ws, "CON-6"), column=2).value == "Contract, service levels and renewal"
    for title in wb.sheetnames[1:-1]:
        assert len(title) <= 31
        prefix, rest = title.split(" ", 1)
        w = next(w for w in kestrel_facts.workstreams if w.prefix == prefix)
        assert w.name.startswith(rest) and (w.name == rest or w.name[len(rest)] in " ,"), title
        assert not rest.endswith((" and", " or", ","))
    assert "CON Contract, service levels" in wb.sheetnames


def test_edit_and_import_round_trip_with_backup_and_summary(kestrel_facts, folder, tmp_path):
    from assessment.action_plan import merge_actions
    from assessment.checklist import load_checklist
    from assessment.validate import load_engagement

    path = _export(kestrel_facts, tmp_path)
    first = merge_actions(folder, path)
    assert len(first.added) == len(kestrel_facts.roadmap.actions) - 4      # Kestrel's file already keeps 4
    assert first.backup is not None and first.backup.exists()
    wb = load_workbook(path)
    ws = wb["Action plan"]
    r = _row(ws, "GOV-5")
    ws.cell(row=r, column=5).value = "Dana Whitfield"
    ws.cell(row=r, column=8).value = "In progress"
    ws.cell(row=r, column=10).value = "=HYPERLINK(\"http://x\")"   # typed as text: stays text
    ws.cell(row=r, column=10).data_type = "s"
    ws.cell(row=_row(ws, "GOV-6"), column=9).value = None          # a blank cell keeps the file's value
    wb.save(path)
    second = merge_actions(folder, path)
    assert second.changed == ("GOV-5",) and not second.added
    assert "GOV-6 success measure" in second.kept_blank
    assert str(second).startswith("kestrel-insurance-action-plan.xlsx: 1 action changed (GOV-5)")
    eng = load_engagement(folder / "engagement.yaml", load_checklist())
    from assessment.actions import parse_actions

    acts = {a.id: a for a in parse_actions(eng.actions)[0]}
    assert (acts["GOV-5"].owner, acts["GOV-5"].status) == ("Dana Whitfield", "in progress")
    assert acts["GOV-5"].notes == "=HYPERLINK(\"http://x\")" and acts["GOV-6"].success_measure
    assert merge_actions(folder, path).count == 0                  # nothing changed: nothing written
    # the sheet shows titles; the file keeps the workstream ids they map back to (an id is still read)
    assert acts["GOV-5"].workstream == "governance" and acts["CON-6"].workstream == "contract"
    ws.cell(row=_row(ws, "GOV-5"), column=2).value = "governance"
    wb.save(path)
    assert merge_actions(folder, path).count == 0


def test_import_lists_every_problem_with_row_and_column_and_writes_nothing(kestrel_facts, folder, tmp_path):
    from assessment.action_plan import merge_actions

    path = _export(kestrel_facts, tmp_path)
    wb = load_workbook(path)
    ws = wb["Action plan"]
    ws.cell(row=2, column=8).value = "finished"
    ws.cell(row=3, column=2).value = "governence"
    ws.cell(row=4, column=6).value = "31/12/2026"
    ws.cell(row=5, column=1).value = ws.cell(row=6, column=1).value
    ws.cell(row=7, column=5).value = "=1+1"
    wb.save(path)
    before = (folder / "engagement.yaml").read_bytes()
    with pytest.raises(InvalidInput) as exc:
        merge_actions(folder, path)
    found = {(p.line, p.field.rsplit(": ", 1)[-1].rstrip(")")) for p in exc.value.problems}
    assert {(2, "Status"), (3, "Workstream"), (4, "Start"), (7, "Owner")} <= found
    assert any(p.line in (5, 6) and "one row per action" in p.expected for p in exc.value.problems)
    assert all("sheet 'Action plan'" in p.file for p in exc.value.problems)
    assert (folder / "engagement.yaml").read_bytes() == before


def test_readout_uses_the_clients_owner_status_and_dates(folder):
    from assessment.facts import load

    text = (folder / "engagement.yaml").read_text(encoding="utf-8").split("\nactions:\n")[0]   # the client's block
    text += ("\nactions:\n  - {id: GOV-5, workstream: governance, action: Agree the scorecard, owner_side: client,"
             " owner: Dana Whitfield, start: 2026-12-07, due: 2027-02-26, status: in progress}\n")
    (folder / "engagement.yaml").write_text(text, encoding="utf-8")
    a = load(folder).roadmap.action("GOV-5")
    assert (a.owner, a.status, a.start, a.end, a.action) == ("Dana Whitfield", "in progress", dt.date(2026, 12, 7),
                                                             dt.date(2027, 2, 26), "Agree the scorecard")


@pytest.mark.slow
def test_a_rebuild_keeps_an_action_plan_the_client_edited_in_the_output_folder(folder, tmp_path):
    # The action plan is the one output a client edits. Rebuilding the readout must not silently
    # replace an edited copy: it is kept in .backups/ and the build says where.
    from assessment.cli import main

    out = tmp_path / "out"
    assert main(["readout", str(folder), "--out", str(out), "--format", "xlsx"]) == 0
    plan = out / "kestrel" / "kestrel-action-plan.xlsx"    # named after the engagement folder
    assert main(["readout", str(folder), "--out", str(out), "--format", "xlsx"]) == 0   # untouched: no backup
    assert not (plan.parent / ".backups").exists()
    wb = load_workbook(plan)
    ws = wb["Action plan"]
    ws.cell(row=_row(ws, "CON-6"), column=5).value = "Dana Whitfield"
    wb.save(plan)
    edited = plan.read_bytes()
    assert main(["readout", str(folder), "--out", str(out), "--format", "xlsx"]) == 0
    kept = list((plan.parent / ".backups").iterdir())
    assert [k.read_bytes() for k in kept] == [edited]
    assert plan.read_bytes() != edited
