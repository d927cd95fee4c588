"""Validation reports every problem, one per line, with file, line, field, expected and found."""
from __future__ import annotations

from conftest import VALID_HEAD

from assessment.validate import check_file

TEN_MISTAKES = """\
client: {name: "", industry: Retail}
assessment: {date: 2026-02-30, consultants: ["A. Consultant"]}
outsourcer: {services: ["care"]}
contract: {start_date: 2025-03-01, renewal_date: 2024-03-01, notice_days: ninety}
checklist:
  PEO-01: {as_is: 7, to_be: 4, confidence: maybe}
  PEO-02: {as_is: "3", to_be: 3.5}
  PRC-01: {as_is: 4, to_be: 2}
  XYZ-99: {as_is: 1, to_be: 2}
  PRD-01: {as_is: true, to_be: 3}
"""


def _by_field(report):
    return {p.field: p for p in report.problems}


def test_ten_mistakes_all_reported_in_one_run(write, mini):
    report = check_file(write(TEN_MISTAKES), mini)
    fields = _by_field(report)
    expected_errors = {
        "client.name", "assessment.date", "outsourcer.name", "contract.notice_days", "contract.renewal_date",
        "checklist.PEO-01.as_is", "checklist.PEO-01.confidence", "checklist.PEO-02.as_is",
        "checklist.PEO-02.to_be", "checklist.XYZ-99", "checklist.PRD-01.as_is",
    }
    assert expected_errors <= {p.field for p in report.errors}
    assert fields["checklist.PRC-01.to_be"].severity == "warning"
    assert len(report.errors) == len(expected_errors)
    assert not report.ok


def test_problem_lines_name_file_line_field_expected_found(write, mini):
    path = write(TEN_MISTAKES)
    fields = _by_field(check_file(path, mini))
    assert str(fields["checklist.PEO-01.as_is"]) == (
        f'{path}:6: error: checklist.PEO-01.as_is: expected 0-5 or "n/a", found 7'
    )
    assert fields["assessment.date"].line == 2
    assert "real date" in fields["assessment.date"].expected and "2026-02-30" in fields["assessment.date"].found
    assert fields["contract.renewal_date"].expected == "a date after start_date (2025-03-01)"
    assert fields["contract.renewal_date"].line == 4
    assert fields["outsourcer.name"].found == "nothing"
    assert fields["checklist.XYZ-99"].line == 9
    assert fields["checklist.PRD-01.as_is"].found == "True"
    assert fields["checklist.PEO-01.confidence"].expected == '"documented", "observed" or "interview"'


def test_valid_file_reports_completeness(write, mini):
    report = check_file(write(VALID_HEAD + 'checklist:\n  PEO-01: {as_is: 2, to_be: 4}\n  PEO-02: {as_is: "n/a", to_be: "n/a"}\n'), mini)
    assert report.ok, report.problems
    assert (report.scored, report.total) == (2, 8)


def test_to_be_below_as_is_is_only_a_warning(write, mini):
    report = check_file(write(VALID_HEAD + "checklist:\n  PEO-01: {as_is: 4, to_be: 2}\n"), mini)
    assert report.ok
    [w] = report.warnings
    assert w.field == "checklist.PEO-01.to_be" and w.expected == "a target at or above as-is (4)" and w.found == "2"


def test_missing_client_name_and_wrong_types(write, mini):
    report = check_file(write("""\
        client: {industry: Retail}
        assessment: {date: "next week", consultants: "Ann"}
        outsourcer: {name: X}
        checklist: [PEO-01]
    """), mini)
    fields = _by_field(report)
    assert fields["client.name"].expected.startswith("a value")
    assert fields["assessment.date"].found == "'next week'"
    assert fields["assessment.consultants"].expected == "a list"
    assert fields["checklist"].expected == "a mapping of keys to values"
    assert [p.field for p in report.problems].count("checklist") == 1


def test_broken_yaml_is_one_clear_problem(write, mini):
    for text, needle in [("client: {name: 'x'\n", "valid YAML"), ("a: 1\na: 2\n", "'a' given twice"),
                         ("a:\n\tb: 1\n", "tab"), ("- 1\n- 2\n", "a list"), ("", "empty file")]:
        report = check_file(write(text), mini)
        assert not report.ok
        assert any(needle in str(p) for p in report.problems), (text, [str(p) for p in report.problems])


def test_missing_file(tmp_path, mini):
    report = check_file(tmp_path / "nope.yaml", mini)
    assert report.errors[0].found == "no such file"
