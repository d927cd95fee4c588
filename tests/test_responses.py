"""Respondents' files: validated like the engagement file, loaded, saved with a backup, shown by role."""
from __future__ import annotations

import datetime as dt
import shutil

from conftest import EXAMPLES

from assessment.cli import main
from assessment.model import ItemAnswer
from assessment.responses import (Respondent, Response, display_name, display_names, load_response,
                                  load_responses, save_response)

GOOD = """\
respondent: {name: "J. Doe", role: "Head of Customer Operations", side: client, interviewed: 2026-10-20}
checklist:
  PEO-01: {as_is: 3, to_be: 4, notes: "We brief them once a year."}
  PRC-01: {as_is: "n/a", to_be: "n/a"}
"""

BAD = """\
respondent: {name: "", role: "Team lead", side: vendor, interviewed: 2026-02-30}
checklist:
  PEO-01: {as_is: 7, to_be: 4}
  XYZ-01: {as_is: 1, to_be: 2}
  PEO-02: {as_is: 4, to_be: 2}
"""


def test_a_good_file_loads_any_subset(write, builtin):
    path = write(GOOD, "responses/doe.yaml")
    r = load_response(path, builtin)
    assert r.respondent == Respondent("J. Doe", "Head of Customer Operations", "client", dt.date(2026, 10, 20))
    assert set(r.checklist) == {"PEO-01", "PRC-01"}
    assert r.checklist["PEO-01"].as_is == 3 and r.checklist["PEO-01"].notes == "We brief them once a year."
    assert r.checklist["PRC-01"].is_na


def test_every_problem_of_every_file_at_once_with_lines(write, builtin):
    write(GOOD, "responses/doe.yaml")
    bad = write(BAD, "responses/lead.yaml")
    responses, problems = load_responses(bad.parent.parent, builtin)
    assert [r.respondent.name for r in responses] == ["J. Doe"]   # the broken file is left out, reported
    text = [str(p) for p in problems]
    assert f"{bad}:1: error: respondent.name: expected non-empty text, found ''" in text
    assert f"{bad}:1: error: respondent.side: expected \"client\" or \"provider\", found 'vendor'" in text
    assert any(t.startswith(f"{bad}:1: error: respondent.interviewed: expected a real date") for t in text)
    assert f"{bad}:3: error: checklist.PEO-01.as_is: expected 0-5 or \"n/a\", found 7" in text
    assert any(t.startswith(f"{bad}:4: error: checklist.XYZ-01: expected an item id") for t in text)
    assert f"{bad}:5: warning: checklist.PEO-02.to_be: expected a target at or above as-is (4), found 2" in text


def test_broken_yaml_and_no_folder(write, builtin, tmp_path):
    assert load_responses(tmp_path, builtin) == ([], [])
    path = write("respondent: {name: x\nchecklist: [\n", "responses/broken.yaml")
    responses, problems = load_responses(tmp_path, builtin)
    assert responses == [] and problems and problems[0].file == str(path) and "valid YAML" in problems[0].expected


def test_same_person_twice_is_a_warning(write, builtin, tmp_path):
    write(GOOD, "responses/a.yaml")
    write(GOOD, "responses/b.yaml")
    responses, problems = load_responses(tmp_path, builtin)
    assert len(responses) == 2
    assert [p.severity for p in problems] == ["warning"] and "one file per respondent" in problems[0].expected


def test_save_round_trips_validates_and_backs_up(tmp_path, builtin):
    path = tmp_path / "responses" / "lead.yaml"
    r = Response(Respondent("Ana Sousa", "Team lead, Lisboa", "provider", dt.date(2026, 10, 21)),
                 {"PEO-01": ItemAnswer(as_is=2, to_be=4, notes='Said "rarely"'), "TEC-01": ItemAnswer(as_is="n/a", to_be="n/a")})
    assert save_response(path, r, builtin) is None
    again = load_response(path, builtin)
    assert again.respondent == r.respondent and again.checklist["PEO-01"].notes == 'Said "rarely"'
    r.checklist["PEO-01"] = ItemAnswer(as_is=3, to_be=4)
    kept = save_response(path, r, builtin)
    assert kept is not None and "as_is: 2" in kept.read_text() and "as_is: 3" in path.read_text()
    r.checklist["NOPE-01"] = ItemAnswer(as_is=3, to_be=4)
    before = path.read_text()
    try:
        save_response(path, r, builtin)
        raise AssertionError("an unknown item id was saved")
    except Exception as exc:   # InvalidInput, and nothing written
        assert "NOPE-01" in str(exc)
    assert path.read_text() == before


def test_display_name_is_the_role_unless_allowed():
    a = Respondent("J. Doe", "Team lead", "client")
    b = Respondent("K. Roe", "Team lead", "client")
    assert display_name(a) == "Team lead"
    assert display_name(a, show_names=True) == "J. Doe, Team lead"
    assert display_names([a, b]) == ["Team lead (1)", "Team lead (2)"]


def test_validate_command_checks_responses(tmp_path, capsys):
    folder = tmp_path / "e"
    shutil.copytree(EXAMPLES / "alpenrose-telecom", folder, ignore=shutil.ignore_patterns("waves"))
    shutil.rmtree(folder / "responses", ignore_errors=True)
    (folder / "responses").mkdir()
    (folder / "responses" / "x.yaml").write_text(BAD, encoding="utf-8")
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "responses/x.yaml:3: error: checklist.PEO-01.as_is" in out and "INVALID" in out
    (folder / "responses" / "x.yaml").write_text(GOOD, encoding="utf-8")
    assert main(["validate", str(folder)]) == 0


def test_engagement_switch_and_derived_marker_are_accepted(write, builtin):
    from conftest import VALID_HEAD

    from assessment.validate import check_file

    path = write(VALID_HEAD + "confidentiality: {show_respondent_names: true}\nchecklist:\n"
                 "  PEO-01: {as_is: 2, to_be: 4, derived: consensus}\n")
    report = check_file(path, builtin)
    assert report.ok, report.problems
    assert report.engagement.confidentiality.show_respondent_names is True
    assert report.engagement.checklist["PEO-01"].derived == "consensus"
    bad = write(VALID_HEAD + "checklist:\n  PEO-01: {as_is: 2, to_be: 4, derived: guess}\n", "b.yaml")
    assert [p.field for p in check_file(bad, builtin).errors] == ["checklist.PEO-01.derived"]


def test_consensus_command_writes_derived_scores_with_a_backup(tmp_path, capsys):
    # PEO-02: client medians as-is 5, to-be 5; provider 2 and 5; consensus = middle, half up:
    # as-is (5 + 2) / 2 = 3.5 -> 4, to-be 5.
    folder = tmp_path / "e"
    shutil.copytree(EXAMPLES / "alpenrose-telecom", folder, ignore=shutil.ignore_patterns("waves"))
    engagement = folder / "engagement.yaml"
    before = "".join(line for line in engagement.read_text(encoding="utf-8").splitlines(keepends=True)
                     if not line.startswith("  PEO-02:"))
    engagement.write_text(before, encoding="utf-8")
    assert main(["consensus", str(folder), "--dry-run"]) == 0
    assert engagement.read_text(encoding="utf-8") == before
    assert main(["consensus", str(folder)]) == 0
    assert "PEO-02: as-is 4, to-be 5" in capsys.readouterr().out
    after = engagement.read_text(encoding="utf-8")
    assert "PEO-02: {as_is: 4, to_be: 5, derived: consensus}" in after
    backups = list((folder / ".backups").iterdir())
    assert [b.read_text(encoding="utf-8") for b in backups] == [before]
    assert main(["consensus", str(folder)]) == 0          # a second run changes nothing
    assert engagement.read_text(encoding="utf-8") == after
