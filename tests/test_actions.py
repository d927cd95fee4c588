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
