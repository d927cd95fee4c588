"""Hardening 2: whatever `validate` accepts, the analyses complete; what they cannot use, validate rejects.

Each test names the input that used to crash or hang a readout (ZeroDivisionError, OverflowError,
RecursionError, an Erlang loop until the cell timeout) or gave a wrong number, with hand-worked values.
"""
from __future__ import annotations

import datetime as dt
import math
import time
from pathlib import Path

import pandas as pd
import pytest

from assessment.analyses import coverage as cov
from assessment.analyses import erlang
from assessment.analyses import kpis as kp
from assessment.analyses import roadmap as rm
from assessment.analyses.scoring import completeness, is_answered, score
from assessment.checklist import Checklist, Item, load_checklist
from assessment.cli import main
from assessment.errors import InvalidInput
from assessment.inputs import check_contacts, load_contacts, load_kpis
from assessment.model import Coverage, ItemAnswer
from assessment.validate import check_file
from conftest import DATA, VALID_HEAD

CONTACTS = "timestamp,offered,answered,abandoned,aht_seconds\n"
KPIS = "month,kpi,actual,target,tolerance\n"


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(exc_info) -> str:
    return str(exc_info.value)


# --------------------------------------------------------------------------- Erlang C: right and bounded
def test_erlang_c_textbook_100_calls_in_30_minutes():
    # A = 100 x 180 s / 1800 s = 10 Erlangs. Checked independently with exact fractions:
    # C(13) = 0.28527, SL(13) = 1 - C e^(-(13-10) 20/180) = 0.79559; C(14) = 0.17413, SL(14) = 0.88835,
    # ASA(14) = 0.17413 x 180 / 4 = 7.84 s. So 80/20 needs 14 agents.
    a = erlang.load(100, 180, 1800)
    assert a == 10
    assert round(erlang.service_level(13, a, 180, 20), 4) == 0.7956
    r = erlang.row(14, a, 180, 20)
    assert (round(r.p_wait, 4), round(r.service_level, 4), round(r.asa, 2)) == (0.1741, 0.8884, 7.84)
    assert erlang.agents_for(0.80, 20, 100, 180, 1800) == 14
    assert [s.agents for s in erlang.staffing_table(100, 180, 1800)] == [12, 13, 14, 15, 16]


def test_erlang_c_is_bounded_and_says_why():
    t = time.perf_counter()
    with pytest.raises(erlang.ErlangLimit, match="5,000 Erlangs"):
        erlang.agents_for(0.80, 20, 1e12, 300, 900)            # used to loop until the cell timeout
    with pytest.raises(erlang.ErlangLimit, match="5,000 Erlangs"):
        erlang.staffing_table(10, 1e9, 900)
    with pytest.raises(erlang.ErlangLimit, match="handle time above 0"):
        erlang.agents_for(0.80, 20, 10, 0, 900)                # used to divide by zero
    with pytest.raises(erlang.ErlangLimit, match="below 1"):
        erlang.agents_for(1.0, 20, 10, 300, 900)               # 100 % is never reached: used to loop for ever
    # the largest load we accept is staffed at once
    calls = erlang.MAX_LOAD * 900 / 300
    table = erlang.staffing_table(calls, 300, 900)
    assert erlang.MAX_LOAD < table[0].agents and table[-1].agents <= erlang.MAX_AGENTS
    assert time.perf_counter() - t < 5


# --------------------------------------------------------------------------- contacts.csv
def test_duplicated_interval_is_a_problem_and_never_a_zero_step(tmp_path):
    path = _csv(tmp_path, "contacts.csv", CONTACTS + "2026-10-05T09:00,10,9,1,200\n2026-10-05T09:00,10,9,1,200\n"
                                                  "2026-10-05T09:15,5,5,0,200\n")
    with pytest.raises(InvalidInput) as exc:
        check_contacts(path, timezone="Europe/London")
    assert f"{path}:3: error: timestamp: expected one row per interval, found 2026-10-05T09:00:00 again " \
           "(first on line 2)" in _problems(exc)
    # the analysis itself takes a repeated timestamp as no step at all (it used to divide by a step of 0)
    df = pd.DataFrame({"timestamp": pd.to_datetime(["2026-10-05 09:00", "2026-10-05 09:00", "2026-10-05 09:15"]),
                       "offered": [10, 10, 5], "answered": [9, 9, 5], "abandoned": [1, 1, 0],
                       "aht_seconds": [200.0, 200.0, 200.0]})
    busy = cov.busiest_intervals(df, 3)
    assert [b.agents_needed for b in busy][:1] == [erlang.agents_for(0.8, 20, 10, 200, 900)]


def test_dst_fall_back_hour_is_accepted_and_analysed(tmp_path):
    # Europe/Berlin goes back from 03:00 CEST to 02:00 CET on 25 Oct 2026: 02:00+02:00 and 02:00+01:00 are
    # an hour apart and both 02:00 on the local clock.
    path = _csv(tmp_path, "contacts.csv", CONTACTS + "2026-10-25T01:45+02:00,3,3,0,200\n"
                                                  "2026-10-25T02:00+02:00,4,4,0,200\n"
                                                  "2026-10-25T02:00+01:00,5,5,0,200\n"
                                                  "2026-10-25T02:15+01:00,6,6,0,200\n")
    df, warnings = load_contacts(path, timezone="Europe/Berlin")
    assert not [w for w in warnings if w.is_error]
    assert [t.strftime("%H:%M") for t in df["timestamp"]] == ["01:45", "02:00", "02:00", "02:15"]
    facts = cov.analyse(df, Coverage(timezone="Europe/Berlin", sun="08:00-20:00"))
    assert facts.attempts == 18 and facts.profile[6][2] == 15          # the repeated hour adds up
    assert cov.busiest_intervals(df, 3)[0].offered == 6
    # the same hour exported naive (local clock, as many ACDs do) is accepted twice on that night only
    naive = _csv(tmp_path, "naive.csv", CONTACTS + "2026-10-25T02:00,4,4,0,200\n2026-10-25T02:00,5,5,0,200\n"
                                                "2026-10-25T02:15,6,6,0,200\n")
    assert len(check_contacts(naive, timezone="Europe/Berlin")[0]) == 3
    with pytest.raises(InvalidInput, match="one row per interval"):
        check_contacts(naive, timezone="UTC")


def test_offsets_are_converted_into_the_coverage_zone(tmp_path):
    # The hand-worked Monday of test_numbers (window 09:00-17:00 London): 08:00 10 (before opening), 09:00 2,
    # 10-15:00 20 each, 16:00 8, 17:00 40 (after closing). London is UTC+1 in October, so the ACD's UTC export
    # says 07:00Z for 08:00 local. Both files must give the same facts: 180 attempts, 130 inside, 50 outside,
    # 10/180 = 5.6 % in the hour before opening. (Dropping the offset read 07:00Z as 07:00 local.)
    volumes = {8: 10, 9: 2, **{h: 20 for h in range(10, 16)}, 16: 8, 17: 40}
    local = _csv(tmp_path, "local.csv", CONTACTS + "".join(f"2026-10-05T{h:02d}:00,{v},{v},0,\n"
                                                         for h, v in volumes.items()))
    utc = _csv(tmp_path, "utc.csv", CONTACTS + "".join(f"2026-10-05T{h - 1:02d}:00Z,{v},{v},0,\n"
                                                     for h, v in volumes.items()))
    window = Coverage(timezone="Europe/London", mon="09:00-17:00")
    facts = [cov.analyse(load_contacts(p, timezone="Europe/London")[0], window) for p in (local, utc)]
    for f in facts:
        assert (f.attempts, f.in_window, f.off_hours) == (180, 130, 50)
        assert any("Extend Monday opening from 09:00 to 08:00: 5.6%" in r for r in f.recommendations), f
    assert facts[0].profile == facts[1].profile


def test_the_zone_comes_from_the_engagement_beside_the_csv(tmp_path, write):
    write(VALID_HEAD + 'coverage: {timezone: "America/New_York", mon: "09:00-17:00"}\n')
    path = _csv(tmp_path, "contacts.csv", CONTACTS + "2026-10-05T13:00Z,1,1,0,\n2026-10-05T13:15Z,1,1,0,\n")
    rows, _ = check_contacts(path)                     # what `assessment validate` and the readout call today
    assert rows[0]["timestamp"] == dt.datetime(2026, 10, 5, 9, 0)


def test_aht_zero(tmp_path):
    path = _csv(tmp_path, "contacts.csv", CONTACTS + "2026-10-05T09:00,10,9,1,0\n2026-10-05T09:15,0,0,0,0\n")
    with pytest.raises(InvalidInput) as exc:
        check_contacts(path, timezone="UTC")
    text = _problems(exc)
    assert f"{path}:2: error: aht_seconds: expected a handle time above 0 seconds" in text
    assert ":3:" not in text                           # nothing answered: 0 means "no handle time", not an error
    df = pd.DataFrame({"timestamp": pd.to_datetime(["2026-10-05 09:00", "2026-10-05 09:15"]), "offered": [10, 4],
                       "answered": [9, 4], "abandoned": [1, 0], "aht_seconds": [0.0, float("nan")]})
    assert cov.busiest_intervals(df)[0].aht_s == erlang.DEFAULT_AHT


def test_contacts_past_the_erlang_cap_are_rejected_with_the_cap(tmp_path):
    path = _csv(tmp_path, "contacts.csv", CONTACTS + "2026-10-05T09:00,1e12,9,1,200\n2026-10-05T09:15,5,5,0,1e9\n"
                                                  "2026-10-05T09:30,100000,9,1,600\n2026-10-05T09:45,20000,9,1,\n")
    with pytest.raises(InvalidInput) as exc:
        check_contacts(path, timezone="UTC")
    text = _problems(exc)
    assert f"{path}:2: error: offered: expected a number of at most 1,000,000, found 1e+12" in text
    assert f"{path}:3: error: aht_seconds: expected a number of at most 86,400, found 1e+09" in text
    # rows 4 and 5 are within the per-cell limits; their offered load is not:
    # 100,000 x 600 s / 900 s = 66,667 Erlangs; 20,000 x 300 s (default) / 900 s = 6,667 Erlangs
    assert f"{path}:4: error: offered: expected an offered load of at most 5,000 Erlangs" in text
    assert "found 66,667 Erlangs (100000 contacts × 600 s)" in text
    assert "found 6,667 Erlangs (20000 contacts × 300 s, the default handle time)" in text


@pytest.mark.parametrize("name, text, needle", [
    ("kpis.csv", KPIS + "2026-10,service_level,inf,80,5\n2026-10,asa,30,nan,5\n2026-10,aht,1e400,300,\n",
     ["2: error: actual: expected a finite number, found 'inf'", "3: error: target: expected a finite number",
      "4: error: actual: expected a finite number, found '1e400'"]),
    ("contacts.csv", CONTACTS + "2026-10-05T09:00,inf,1,0,\n2026-10-05T09:15,1,1,0,-inf\n",
     ["2: error: offered: expected a finite number, found 'inf'",
      "3: error: aht_seconds: expected a finite number, found '-inf'"]),
])
def test_non_finite_numbers_are_problems(tmp_path, name, text, needle):
    path = _csv(tmp_path, name, text)
    with pytest.raises(InvalidInput) as exc:
        load_kpis(path, kp.load_catalogue()) if name == "kpis.csv" else check_contacts(path, timezone="UTC")
    for n in needle:
        assert f"{path}:{n}" in _problems(exc), n


@pytest.mark.parametrize("name, text", [
    ("kpis.csv", KPIS + "2026-10,service_level,81,80,5,oops\n2026-10,asa,30,25\n2026-09,asa,30,25,5\n"),
    ("contacts.csv", CONTACTS + "2026-10-05T09:00,1,1,0,,\n2026-10-05T09:15,1,1,0\n2026-10-05T09:30,1,1,0,\n"),
])
def test_a_row_with_too_many_or_too_few_cells_is_a_problem(tmp_path, capsys, write, name, text):
    engagement = write(VALID_HEAD)
    path = _csv(tmp_path, name, text)
    assert main(["validate", str(engagement)]) == 1
    out = "".join(capsys.readouterr())
    assert "internal error" not in out and "Traceback" not in out
    assert f"{path}:2: error: (row): expected 5 cells, one per column" in out and "found 6 cells" in out
    assert f"{path}:3: error: (row): expected 5 cells" in out and "found 4 cells" in out
    assert f"{path}:4:" not in out


def test_csv_sizes_are_capped_before_parsing(tmp_path):
    from assessment import inputs

    rows = "".join(f"20{10 + i // 12 % 90}-{i % 12 + 1:02d},k{i % 7},1,2\n" for i in range(inputs.MAX_KPI_ROWS + 1))
    path = _csv(tmp_path, "kpis.csv", "month,kpi,actual,target\n" + rows)
    assert path.stat().st_size < inputs.MAX_KPI_BYTES
    t = time.perf_counter()
    with pytest.raises(InvalidInput) as exc:
        load_kpis(path, kp.load_catalogue())
    assert f"{path}: error: (file): expected at most 10,000 data rows, found 10,001 lines after the header" \
           in _problems(exc)
    # 500,000 rows (once a 148 MB notebook): refused on its size alone, at once
    with path.open("a") as fh:
        fh.write("2026-10,k,1,2\n" * 500_000)
    with pytest.raises(InvalidInput) as exc:
        load_kpis(path, kp.load_catalogue())
    assert "expected a file of at most 2 MB" in _problems(exc)
    big = _csv(tmp_path, "contacts.csv", CONTACTS + "2026-10-05T09:00,1,1,0,\n" * (inputs.MAX_CONTACT_ROWS + 1))
    with pytest.raises(InvalidInput, match="at most 100,000 data rows"):
        check_contacts(big, timezone="UTC")
    big.write_bytes(CONTACTS.replace("\n", "\r").encode() + b"2026-10-05T09:00,1,1,0,\r" * (inputs.MAX_CONTACT_ROWS + 1))
    with pytest.raises(InvalidInput, match="at most 100,000 data rows"):     # old Mac line ends count too
        check_contacts(big, timezone="UTC")
    assert time.perf_counter() - t < 5


def test_warnings_come_once_per_future_month_and_unknown_kpi(tmp_path):
    path = _csv(tmp_path, "kpis.csv", KPIS + "2099-12,service_level,81,80,5\n2099-12,asa,20,30,5\n"
                                          "2026-09,mystery,1,2,\n2026-10,mystery,1,2,\n")
    _, warnings = load_kpis(path, kp.load_catalogue(), as_of=dt.date(2026, 11, 2))
    assert [(w.line, w.field) for w in warnings] == [(2, "month"), (4, "kpi")]


def test_too_many_kpis_or_months(tmp_path):
    path = _csv(tmp_path, "kpis.csv", "month,kpi,actual,target\n" + "".join(f"2026-10,k{i},1,2\n" for i in range(41)))
    with pytest.raises(InvalidInput, match="at most 40 different KPIs"):
        load_kpis(path, kp.load_catalogue())


# --------------------------------------------------------------------------- KPI months and targets
def test_months_after_the_assessment_are_a_warning_and_never_the_default(tmp_path, write):
    path = _csv(tmp_path, "kpis.csv", KPIS + "2026-09,service_level,81,80,5\n2026-10,service_level,79,80,5\n"
                                          "2099-12,service_level,81,80,5\n1989-12,service_level,81,80,5\n")
    with pytest.raises(InvalidInput) as exc:
        load_kpis(path, kp.load_catalogue(), as_of=dt.date(2026, 11, 2))
    text = _problems(exc)
    assert f"{path}:5: error: month: expected a month in the years 1990-2100, found 1989-12" in text
    assert f"{path}:4: warning: month: expected a month up to the assessment date (2026-11)" in text
    path.write_text(KPIS + "2026-09,service_level,81,80,5\n2026-10,service_level,79,80,5\n"
                           "2099-12,service_level,81,80,5\n", encoding="utf-8")
    write(VALID_HEAD)                                   # assessment date 2026-11-02, read from beside the CSV
    rows, warnings = load_kpis(path, kp.load_catalogue())
    assert [(w.line, w.severity, w.found) for w in warnings] == [(4, "warning", "2099-12")]
    sc = kp.scorecard(rows, kp.load_catalogue())
    assert sc.latest_month() == "2099-12"
    assert sc.default_month(dt.date(2026, 11, 2)) == "2026-10"
    assert kp.default_month(sc.months(), dt.date(2026, 9, 30)) == "2026-09"
    assert kp.default_month(sc.months(), dt.date(2026, 8, 31)) is None
    assert kp.default_month([], dt.date(2026, 8, 31)) is None


def test_a_rows_own_target_wins_over_the_catalogue_band():
    cat = kp.load_catalogue()                          # occupancy: band 75-85, tolerance 3
    rows = [{"month": "2026-10", "kpi": "occupancy", "actual": 90.0, "target": 90.0, "tolerance": None},
            {"month": "2026-09", "kpi": "occupancy", "actual": 96.0, "target": 90.0, "tolerance": None},
            {"month": "2026-08", "kpi": "occupancy", "actual": 84.0, "target": 80.0, "tolerance": 5.0},
            {"month": "2026-07", "kpi": "occupancy", "actual": 90.0, "target": None, "tolerance": None}]
    by = {e.month: e for e in kp.scorecard(rows, cat).entries}
    assert (by["2026-10"].target, by["2026-10"].label) == ((85.0, 95.0), "Met")       # was Missed against 75-85
    assert (by["2026-09"].target, by["2026-09"].label) == ((85.0, 95.0), "Within tolerance")   # 1 above, tol 3
    assert (by["2026-08"].target, by["2026-08"].label) == ((75.0, 85.0), "Met")       # the examples: unchanged
    assert (by["2026-07"].target, by["2026-07"].label) == ((75.0, 85.0), "Missed")    # no row target: catalogue
    assert by["2026-10"].target_text == "85–95%"


# --------------------------------------------------------------------------- the engagement file
def test_dates_outside_1990_to_2100_are_problems(write, mini):
    path = write(VALID_HEAD.replace("2026-11-02", "1989-12-31").replace("2027-03-01", "9999-12-31")
                 .replace("2025-03-01", "0001-01-01"))
    report = check_file(path, mini)
    by = {p.field: p for p in report.errors}
    for field, found in (("assessment.date", "1989-12-31"), ("contract.renewal_date", "9999-12-31"),
                         ("contract.start_date", "0001-01-01")):
        assert by[field].expected == "a date in the years 1990-2100" and by[field].found == found, by[field]
    assert str(by["contract.renewal_date"]) == (f"{path}:4: error: contract.renewal_date: expected a date in the "
                                                "years 1990-2100, found 9999-12-31")


def test_time_zone_is_validated(write, mini):
    report = check_file(write(VALID_HEAD + 'coverage: {timezone: "Mars/Phobos", mon: "09:00-17:00"}\n'), mini)
    [p] = report.errors
    assert p.field == "coverage.timezone" and p.found == "'Mars/Phobos'" and "IANA time zone" in p.expected
    assert p.line == 5
    assert check_file(write(VALID_HEAD + 'coverage: {timezone: "Europe/Zurich"}\n'), mini).ok


def test_lead_times_and_sla_numbers_are_bounded(write, mini):
    report = check_file(write(VALID_HEAD + "lead_times: {telecom: [60, 45], hiring: 1000000000000000000, crm: -1}\n"
                              "slas: {business: [{id: B1, name: N, demand: .inf}], it: [{id: I1, name: M, "
                              "capacity: .nan}]}\n"), mini)
    fields = {p.field: p for p in report.errors}
    assert set(fields) == {"lead_times.telecom", "lead_times.hiring", "lead_times.crm", "slas.business[0].demand",
                           "slas.it[0].capacity"}
    assert "min at most max" in fields["lead_times.telecom"].expected
    assert fields["slas.business[0].demand"].expected == "a finite number"


# --------------------------------------------------------------------------- checklist dependencies
def _mini_with(tmp_path, **deps) -> Path:
    text = (DATA / "mini-checklist.yaml").read_text(encoding="utf-8")
    for item_id, extra in deps.items():
        key = f"{{id: {item_id.replace('_', '-')},"
        assert key in text, key
        text = text.replace(key, f"{key} {extra},")
    path = tmp_path / "checklist.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_dependency_cycle_is_named_at_checklist_load(tmp_path):
    path = _mini_with(tmp_path, PEO_01="depends_on: [PRC-01]", PRC_01="depends_on: [PRD-02]",
                      PRD_02="depends_on: [PEO-01]", PRD_01="depends_on: [PRD-01]")
    with pytest.raises(InvalidInput) as exc:
        load_checklist(path)
    text = _problems(exc)
    assert f"{path}:13: error: PEO-01.depends_on: expected dependencies without a cycle" in text
    assert "found PEO-01 → PRC-01 → PRD-02 → PEO-01" in text
    assert "found PRD-01 → PRD-01" in text


def test_hiring_that_waits_for_training_is_a_cycle(tmp_path):
    # training always waits for hiring (roadmap rule), so hiring must not wait for training
    path = _mini_with(tmp_path, PEO_01="lead_time: hiring, depends_on: [PEO-02]", PEO_02="lead_time: training")
    with pytest.raises(InvalidInput, match="PEO-01 → PEO-02 → PEO-01"):
        load_checklist(path)


def test_cli_reports_a_cyclic_checklist(tmp_path, capsys, write):
    path = _mini_with(tmp_path, PEO_01="depends_on: [PEO-02]", PEO_02="depends_on: [PEO-01]")
    assert main(["validate", str(write(VALID_HEAD)), "--checklist", str(path)]) == 1
    out = "".join(capsys.readouterr())
    assert "PEO-01 → PEO-02 → PEO-01" in out and "internal error" not in out


def test_roadmap_survives_a_cycle_in_a_checklist_built_in_code(mini):
    items = tuple(Item(**{**i.__dict__, "depends_on": ("PEO-02",) if i.id == "PEO-01" else
                          ("PEO-01",) if i.id == "PEO-02" else i.depends_on}) for i in mini.items)
    cyclic = Checklist(mini.version, mini.name, mini.dimensions, mini.themes, items)
    s = score(cyclic, {"PEO-01": ItemAnswer(as_is=1, to_be=4), "PEO-02": ItemAnswer(as_is=1, to_be=4)})
    plan = rm.build(s, cyclic, dt.date(2026, 11, 2))    # used to raise RecursionError
    assert {a.id for a in plan.actions} == {"PEO-01", "PEO-02"}


# --------------------------------------------------------------------------- "scored", defined once
def test_an_all_na_file_is_scored_but_has_nothing_to_average(write, mini):
    answers = "".join(f'  {i.id}: {{as_is: "n/a", to_be: "n/a"}}\n' for i in mini.items)
    report = check_file(write(VALID_HEAD + "checklist:\n" + answers), mini)
    assert report.ok
    c = report.completeness
    assert (report.scored, report.total) == (8, 8)
    assert (c.scored, c.not_applicable, c.numeric, c.applicable) == (8, 8, 0, 0)
    assert c.summary() == "8/8 items scored (0 of 0 applicable items scored 0-5; 8 n/a)"
    assert c.nothing_to_average and "marked n/a" in c.empty_reason()
    s = score(mini, report.engagement.checklist)
    assert s.completeness == c and s.items_scored == c.scored and s.overall["as_is"] is None


def test_scored_means_the_same_in_validate_and_in_scoring(write, mini):
    report = check_file(write(VALID_HEAD + 'checklist:\n  PEO-01: {as_is: 2, to_be: 4}\n  PEO-02: {as_is: "n/a"}\n'
                                           '  PRC-01: {as_is: 3}\n  PRC-02: {as_is: 2, to_be: "n/a"}\n'), mini)
    c = report.completeness
    assert (c.scored, c.not_applicable, c.numeric) == (3, 2, 1)       # half an answer (PRC-01) is not scored
    assert c.summary() == "3/8 items scored (1 of 6 applicable items scored 0-5; 2 n/a)"
    s = score(mini, report.engagement.checklist)
    assert s.completeness == c == completeness(mini, report.engagement.checklist)
    assert s.items_scored == report.scored == 3
    assert [is_answered(report.engagement.answer(i)) for i in ("PEO-01", "PEO-02", "PRC-01", "PRC-02")] == [
        True, True, False, True]
    assert report.engagement.answer("PRC-01").is_scored is False


def test_nothing_scored_reason():
    c = completeness(load_checklist(), {})
    assert c.scored == 0 and c.empty_reason() == "No checklist item has been scored yet."
    assert not math.isnan(c.total)
