"""The command line: exit codes, help with examples, new/validate/score end to end."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import DATA, VALID_HEAD

from assessment.cli import main


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "assessment", *args], capture_output=True, text=True, cwd=cwd)


def test_python_m_and_main_agree(write, capsys):
    path = write(VALID_HEAD + "checklist:\n  PEO-01: {as_is: 9, to_be: 4}\n")
    proc = run("validate", str(path), "--checklist", str(DATA / "mini-checklist.yaml"))
    assert proc.returncode == 1
    code = main(["validate", str(path), "--checklist", str(DATA / "mini-checklist.yaml")])
    assert code == 1
    assert capsys.readouterr().out == proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("command", ["new", "validate", "score", "readout", "scorecard", "batch"])
def test_every_command_has_help_with_example(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "example:" in capsys.readouterr().out


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2
    assert main([]) == 2


def test_new_then_validate_then_score(tmp_path, capsys, builtin):
    assert main(["new", "Crème Brûlée & Co", "--root", str(tmp_path), "--consultant", "Zoë A."]) == 0
    path = tmp_path / "creme-brulee-co" / "engagement.yaml"
    text = path.read_text(encoding="utf-8")
    for item in builtin.items:
        assert f"  {item.id}: {{as_is: null" in text
        assert f"# {item.id} " in text  # the question as a comment above it
    assert 'name: "Crème Brûlée & Co"' in text
    # an unscored new file fails only on the outsourcer name the consultant has not typed yet
    capsys.readouterr()
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "outsourcer.name" in out and f"0/{len(builtin)} items scored" in out
    assert main(["new", "Crème Brûlée & Co", "--root", str(tmp_path)]) == 1  # never overwrites


def test_score_json(write, capsys):
    path = write(VALID_HEAD + "checklist:\n  PEO-01: {as_is: 1, to_be: 4}\n  PEO-02: {as_is: 3, to_be: 4}\n")
    assert main(["score", str(path), "--json", "--checklist", str(DATA / "mini-checklist.yaml")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dimensions"]["people"]["as_is"] == 2.5
    assert data["dimensions"]["people"]["items_scored"] == 2
    assert data["overall"]["as_is"] == 2.5  # only one dimension has scores


def test_score_table_and_invalid_file(write, capsys):
    path = write(VALID_HEAD + "checklist:\n  PEO-01: {as_is: 1, to_be: 4}\n")
    assert main(["score", str(path), "--checklist", str(DATA / "mini-checklist.yaml")]) == 0
    out = capsys.readouterr().out
    assert "People / structure" in out and "PEO-01" in out and "improve" in out
    bad = write("client: {name: X}\n", "bad.yaml")
    assert main(["score", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "assessment.date" in err or "assessment:" in err
    assert "Traceback" not in err


def test_bad_custom_checklist_is_reported(write, capsys):
    cl = write("items: []\n", "cl.yaml")
    assert main(["validate", str(cl), "--checklist", str(cl)]) == 1
    assert "items: expected a non-empty list" in capsys.readouterr().err
