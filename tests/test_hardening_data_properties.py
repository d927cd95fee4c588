"""Property: whatever `validate` accepts, every analysis of the readout completes, in bounded time.

Hypothesis writes engagement folders (engagement.yaml, kpis.csv, contacts.csv and sometimes a
custom checklist). Each starts sane and has up to three fields swapped for an edge value (year 1
or 9999, a DST hour, inf, a cycle in depends_on, an extra cell, a load past the Erlang cap ...).
When the checks `assessment validate` runs accept the folder, every analysis the readout and the
scorecard call must return, each folder within a few seconds; when they reject it, only with
``InvalidInput``. Derandomized, so every run tries the same folders.
"""
from __future__ import annotations

import datetime as dt
import signal
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.analyses import contract as ct
from assessment.analyses import coverage as cov
from assessment.analyses import erlang
from assessment.analyses import kpis as kp
from assessment.analyses import roadmap as rm
from assessment.analyses import slas as sl
from assessment.analyses.scoring import IMPROVE, KEEP_DOING, completeness, ranked, score
from assessment.checklist import load_checklist
from assessment.errors import InvalidInput
from assessment.inputs import check_contacts, find_inputs, load_contacts, load_kpis
from assessment.validate import check_file
from conftest import DATA

BUILTIN = load_checklist()
CATALOGUE = kp.load_catalogue()
MINI_TEXT = (DATA / "mini-checklist.yaml").read_text(encoding="utf-8")
MINI_IDS = ["PEO-01", "PEO-02", "PRC-01", "PRC-02", "PRD-01", "PRD-02", "TEC-01", "TEC-02"]
PER_FOLDER_S = 8          # one folder, validate and every analysis
ZONES = ["UTC", "Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe"]


def pick(sane: list, edge: list, key: str, faults: frozenset):
    """A sane value, or an edge value when this field is one of the example's faults."""
    return st.sampled_from(edge if key in faults else sane)


@st.composite
def folders(draw):
    faults = frozenset(draw(st.sets(st.sampled_from([
        "date", "renewal", "start", "hand_off", "notice", "zone", "window", "lead", "sla", "threshold", "answers",
        "deps", "kpi_month", "kpi_value", "kpi_cells", "ts", "ts_dup", "volume", "aht", "contact_cells"]),
        max_size=3)))
    f = {"faults": faults}

    # ---------------------------------------------------------------- engagement.yaml
    day = draw(pick(["2026-11-02", "2026-11-18", "1990-01-01", "2100-12-31", "2026-10-25"],
                    ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01", "2026-02-30"], "date", faults))
    start = draw(pick(["2024-07-01", "1990-01-01", "null"], ["0001-01-01", "9999-12-31"], "start", faults))
    renewal = draw(pick(["2027-07-01", "2026-12-01", "2100-12-31", "null"], ["9999-12-31", "0001-01-02"],
                        "renewal", faults))
    hand_off = draw(pick(["2026-12-15", "2027-03-01", "2024-09-02", "2100-12-31", "null"],
                         ["9999-12-31", "0001-01-01"], "hand_off", faults))
    notice = draw(pick([90, 0, 3650], [-1, 3651, 10**18], "notice", faults))
    zone = draw(pick(ZONES, ["Mars/Phobos", "", "Europe", "../etc/passwd", "Europe/Berlin "], "zone", faults))
    windows = ["08:00-20:00", "09:00-17:00", "closed", "24h", "00:00-24:00", "00:00-01:00", "23:00-24:00",
               "09:15-17:45"]
    week = {d: draw(pick(windows, ["25:00-26:00", "17:00-09:00", "nine to five"], "window", faults))
            for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    lead = {k: draw(pick(["45", "[45, 60]", "0", "[0, 3650]", "3650"], ["[60, 45]", "-1", "1000000000000000000",
                                                                          "[1, 99999999]", "1.5"], "lead", faults))
            for k in ("telecom", "hiring", "training", "crm")}
    demand = draw(pick(["3000", "0", "1e12", "2500.5"], [".inf", ".nan", "-1", "1e308"], "sla", faults))
    avail = draw(pick(["99.5", "100", "0", "null"], ["101", ".nan", "-0.1"], "sla", faults))
    threshold = draw(pick(["0.1", "10", "0.000001"], ["0", "11", ".inf"], "threshold", faults))
    custom = "deps" in faults or draw(st.booleans())
    ids = MINI_IDS if custom else [i.id for i in BUILTIN.items]
    scores = [0, 1, 2, 3, 4, 5, '"n/a"', "null"]
    answers = []
    for iid in ids:
        if draw(st.integers(0, 9)) == 0:
            continue
        a = draw(pick(scores, scores + [6, -1, '"3"', "true", "2.5"], "answers", faults))
        b = draw(pick(scores, scores + [6, '"n/a "'], "answers", faults))
        answers.append(f"  {iid}: {{as_is: {a}, to_be: {b}}}")
    f["engagement"] = "\n".join([
        'client: {name: "Acme"}', f"assessment: {{date: {day}}}", 'outsourcer: {name: "Contoso"}',
        f"contract: {{start_date: {start}, renewal_date: {renewal}, notice_days: {notice}, hand_off_date: {hand_off}}}",
        f'coverage: {{timezone: "{zone}", ' + ", ".join(f'{d}: "{w}"' for d, w in week.items()) + "}",
        "lead_times: {" + ", ".join(f"{k}: {v}" for k, v in lead.items()) + "}",
        f"slas: {{business: [{{id: B1, name: Registrations, demand: {demand}, unit: r, availability: {avail}, "
        f"backed_by: [I1, I2]}}], it: [{{id: I1, name: Portal, capacity: 2500, unit: r, availability: 99.9}}, "
        f"{{id: I2, name: CRM, capacity: 1e12, unit: r, availability: {avail}}}]}}",
        f"scorecard: {{deep_dive_threshold: {threshold}}}",
        "checklist:" + ("\n" + "\n".join(answers) if answers else " {}"),
    ]) + "\n"

    # ---------------------------------------------------------------- a custom checklist (dependencies)
    if custom:
        text = MINI_TEXT
        for iid in MINI_IDS:
            deps = draw(st.lists(st.sampled_from(MINI_IDS), max_size=2 if "deps" in faults else 1, unique=True))
            if "deps" not in faults:
                deps = [d for d in deps if MINI_IDS.index(d) < MINI_IDS.index(iid)]   # acyclic: only earlier items
            lead_time = draw(st.sampled_from([None, None, "telecom", "hiring", "training", "crm"]))
            extra = (f" depends_on: [{', '.join(deps)}]," if deps else "") + (
                f" lead_time: {lead_time}," if lead_time else "")
            text = text.replace(f"{{id: {iid},", f"{{id: {iid},{extra}", 1).replace(
                "     lead_time: telecom, ", "     ").replace("     depends_on: [TEC-01], ", "     ")
        f["checklist"] = text
    else:
        f["checklist"] = None

    # ---------------------------------------------------------------- kpis.csv
    if draw(st.booleans()):
        rows = ["month,kpi,actual,target,tolerance"]
        for n in range(draw(st.integers(0, 14))):
            month = draw(pick(["2025-11", "2026-06", "2026-09", "2026-10", "1990-01"],
                              ["2099-12", "1989-12", "2026-13", "0000-01", "2100-12", "2026-10 "], "kpi_month", faults))
            kpi = draw(st.sampled_from(list(CATALOGUE) + ["mystery"]))
            vals = [draw(pick(["80", "0", "-5", "90", "1e9", "0.001", "75.5"],
                              ["inf", "nan", "", "abc", "1e10", "-1e400", "1e-320"], "kpi_value", faults))
                    for _ in range(2)]
            tol = draw(pick(["", "0", "5", "1e9"], ["-1", "inf"], "kpi_value", faults))
            cells = [month, kpi, *vals, tol]
            if "kpi_cells" in faults and draw(st.booleans()):
                cells = cells + ["extra"] if draw(st.booleans()) else cells[:-2]
            rows.append(",".join(cells))
        f["kpis"] = "\n".join(rows) + "\n"
    else:
        f["kpis"] = None

    # ---------------------------------------------------------------- contacts.csv
    if draw(st.booleans()):
        step = draw(st.sampled_from([15, 30, 60]))
        origin = draw(st.sampled_from([dt.datetime(2026, 10, 24, 22, 0, tzinfo=dt.timezone.utc),   # Europe's fall-back
                                       dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.timezone.utc),     # America's fall-back
                                       dt.datetime(2026, 3, 29, 0, 0, tzinfo=dt.timezone.utc),     # Europe's spring
                                       dt.datetime(2026, 10, 5, 6, 0, tzinfo=dt.timezone.utc)]))
        style = draw(st.sampled_from(["naive-local", "utc", "offset", "naive-utc"]))
        from zoneinfo import ZoneInfo

        local_zone = ZoneInfo(zone if zone in ZONES else "UTC")
        rows = ["timestamp,offered,answered,abandoned,aht_seconds"]
        for n in range(draw(st.integers(0, 30))):
            instant = origin + dt.timedelta(minutes=step * n)
            if style == "naive-local":
                ts = instant.astimezone(local_zone).replace(tzinfo=None).isoformat(timespec="minutes")
            elif style == "utc":
                ts = instant.strftime("%Y-%m-%dT%H:%MZ")
            elif style == "offset":
                ts = instant.astimezone(local_zone).isoformat(timespec="minutes")
            else:
                ts = instant.replace(tzinfo=None).isoformat(timespec="minutes")
            ts = draw(pick([ts], [ts, ts[:14] + "07" + ts[16:], "0001" + ts[4:], "9999" + ts[4:], "next tuesday",
                                  ts + "+14:00"], "ts", faults))
            offered = draw(pick(["0", "1", "10", "250", "14000", "2.5"], ["1e6", "1e12", "inf", "-1", "", "1e400"],
                                "volume", faults))
            answered = draw(st.sampled_from(["0", "1", "10", "240"]))
            # sane: within the Erlang cap even at 14,000 contacts in 15 minutes (14,000 x 320 s / 900 s = 4,978 E)
            aht = draw(pick(["", "180", "300", "320", "1"], ["0", "1e9", "inf", "nan", "-5", "86400"], "aht", faults))
            cells = [ts, offered, answered, "0", aht]
            if "contact_cells" in faults and draw(st.booleans()):
                cells = cells + [""] if draw(st.booleans()) else cells[:3]
            rows.append(",".join(cells))
            if "ts_dup" in faults and draw(st.booleans()):
                rows.append(rows[-1])
        f["contacts"] = "\n".join(rows) + "\n"
    else:
        f["contacts"] = None
    return f


class _Slow(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Slow(f"a folder took over {PER_FOLDER_S} s")


def _write(folder: Path, f: dict) -> None:
    (folder / "engagement.yaml").write_text(f["engagement"], encoding="utf-8")
    for name in ("kpis", "contacts"):
        if f[name] is not None:
            (folder / f"{name}.csv").write_text(f[name], encoding="utf-8")
    if f["checklist"] is not None:
        (folder / "checklist.yaml").write_text(f["checklist"], encoding="utf-8")


def _validate(folder: Path):
    """What `assessment validate` (and a build, before its notebook) checks. None when rejected."""
    path = folder / "engagement.yaml"
    try:
        checklist = load_checklist(folder / "checklist.yaml") if (folder / "checklist.yaml").exists() else BUILTIN
    except InvalidInput:
        return None
    report = check_file(path, checklist)
    found = find_inputs(folder)
    problems = []
    for name, check in (("kpis", lambda p: load_kpis(p, CATALOGUE)), ("contacts", check_contacts)):
        if found[name]:
            try:
                problems += check(found[name])[1]
            except InvalidInput as exc:
                problems += exc.problems
    if report.errors or any(p.is_error for p in problems):
        return None
    return checklist, report


def _analyse(folder: Path, checklist, report) -> None:
    """Every analysis the readout and the scorecard call, as they call them (Readout.load, numbers.collect)."""
    eng = report.engagement
    as_of = eng.assessment.date
    # Readout.load, the dimension sections, the roadmap
    s = score(checklist, eng.checklist)
    assert s.completeness == report.completeness == completeness(checklist, eng.checklist)
    ranked(s.items, IMPROVE, 4), ranked(s.items, KEEP_DOING, 3)
    plan = rm.build(s, checklist, as_of, eng.contract.hand_off_date, eng.lead_times)
    for name, _, _ in rm.HORIZONS:
        plan.in_horizon(name)
    # contract dates and hand-off (governance, numbers)
    c = eng.contract
    if c.renewal_date:
        deadline = ct.renewal_notice_deadline(c.renewal_date, c.notice_days)
        ct.renewal_alert(deadline, as_of), ct.days_left(deadline, as_of)
    ct.handoff_feasibility(as_of, c.hand_off_date, eng.lead_times)
    ct.timeline(c, as_of)
    sl.align(eng.slas)
    # numbers.collect: the KPI scorecard ...
    found = find_inputs(folder)
    if found["kpis"]:
        rows, _ = load_kpis(found["kpis"], CATALOGUE)
        sc = kp.scorecard(rows, CATALOGUE, eng.scorecard.deep_dive_threshold)
        month = sc.default_month(as_of) or sc.latest_month()
        for e in sc.for_month(month):
            e.label, e.target_text, e.actual_text
            sc.trend(e.kpi, month), sc.missed_months(e.kpi), sc.history(e.kpi)
        sc.dives(month), sc.kpis()
    # ... and the hours of coverage with Erlang C for every interval, not only the busiest three
    if found["contacts"] and eng.coverage is not None:
        for df in (load_contacts(found["contacts"])[0],
                   load_contacts(found["contacts"], timezone=eng.coverage.timezone)[0]):
            if len(df):
                cov.analyse(df, eng.coverage)
                cov.busiest_intervals(df, 3)
                interval = cov.interval_seconds(df["timestamp"].tolist())
                for offered, aht in zip(df["offered"], df["aht_seconds"]):
                    if offered:
                        erlang.staffing_table(offered, aht if aht == aht and aht else erlang.DEFAULT_AHT, interval)


@settings(max_examples=70, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(folders())
def test_whatever_validate_accepts_every_analysis_completes(f):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(PER_FOLDER_S)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            _write(folder, f)
            accepted = _validate(folder)     # raises nothing but InvalidInput, and that only for a checklist
            if accepted is not None:
                _analyse(folder, *accepted)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert time.perf_counter() - started < PER_FOLDER_S


def test_the_generator_reaches_both_sides():
    """The property is not vacuous: the derandomized folders include accepted and rejected ones."""
    seen = {"accepted": 0, "rejected": 0, "contacts": 0, "kpis": 0}

    @settings(max_examples=40, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(folders())
    def count(f):
        with tempfile.TemporaryDirectory() as tmp:
            _write(Path(tmp), f)
            ok = _validate(Path(tmp)) is not None
        seen["accepted" if ok else "rejected"] += 1
        if ok:
            seen["contacts"] += f["contacts"] is not None and f["contacts"].count("\n") > 1
            seen["kpis"] += f["kpis"] is not None and f["kpis"].count("\n") > 1

    count()
    assert seen["accepted"] >= 8 and seen["rejected"] >= 8, seen
    assert seen["contacts"] >= 2 and seen["kpis"] >= 2, seen


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
