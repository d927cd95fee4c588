"""The relationship in numbers: maths against hand-worked values, CSV problems, the scorecard PDF."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pandas as pd
import pytest
from pypdf import PdfReader

from assessment.analyses import contract as ct
from assessment.analyses import coverage as cov
from assessment.analyses import erlang
from assessment.analyses import kpis as kp
from assessment.analyses import slas as sl
from assessment.errors import InvalidInput
from assessment.inputs import load_contacts, load_kpis
from assessment.model import SLAs, Contract, Coverage, LeadTimes
from conftest import EXAMPLES


# --------------------------------------------------------------------------- Erlang C (domain brief table)
@pytest.mark.parametrize("agents, c, sl_, asa, occ", [(9, 0.6533, 39.9, 156.8, 88.9), (10, 0.4092, 65.4, 49.1, 80.0),
                                                      (11, 0.2450, 80.9, 19.6, 72.7), (12, 0.1398, 90.0, 8.4, 66.7)])
def test_erlang_c_hand_worked(agents, c, sl_, asa, occ):
    a = erlang.load(120, 240)          # 120 calls an hour x 240 s = 8 Erlangs
    assert a == 8
    r = erlang.row(agents, a, 240, 20)
    assert round(r.p_wait, 4) == c and round(r.service_level * 100, 1) == sl_
    assert round(r.asa, 1) == asa and round(r.occupancy * 100, 1) == occ


def test_erlang_edges():
    assert erlang.agents_for(0.80, 20, 120, 240) == 11
    assert erlang.service_level(8, 8, 240, 20) == 0 and erlang.asa(7, 8, 240) == float("inf")
    table = erlang.staffing_table(120, 240)
    assert [r.agents for r in table] == [9, 10, 11, 12, 13]


# --------------------------------------------------------------------------- RAG and deep dives
def test_rag_boundaries():
    assert kp.rag(80, 80, 5, "higher") == "green"          # exactly on target: met
    assert kp.rag(75, 80, 5, "higher") == "amber"          # exactly at target - tolerance: within
    assert kp.rag(74.9, 80, 5, "higher") == "red"
    assert kp.rag(35, 30, 5, "lower") == "amber" and kp.rag(35.1, 30, 5, "lower") == "red"
    assert kp.rag(85, (75, 85), 3, "band") == "green" and kp.rag(88, (75, 85), 3, "band") == "amber"
    assert kp.rag(71.9, (75, 85), 3, "band") == "red"


def test_deep_dive_threshold_is_strict():
    assert kp.deep_dive(88, 80) is None                    # exactly +10 %: not flagged
    assert kp.deep_dive(88.08, 80) == "over"               # +10.1 %
    assert kp.deep_dive(71.92, 80) == "under"
    assert kp.deep_dive(86, 80, threshold=0.05) == "over"  # configurable


def test_over_achieved_service_level_is_flagged_as_cost():
    cat = kp.load_catalogue()
    rows = [{"month": f"2026-{m:02d}", "kpi": "service_level", "actual": a, "target": 80, "tolerance": 5}
            for m, a in ((8, 90.0), (9, 92.0), (10, 93.0))]
    sc = kp.scorecard(rows, cat)
    e = sc.for_month("2026-10")[0]
    assert e.status == "green" and e.label == "Met" and e.deep_dive == "over"
    assert "over-staffing" in e.reason and "93%" in e.reason and "+16%" in e.reason
    assert sc.trend("service_level") == "improving" and sc.latest_month() == "2026-10"


def test_custom_catalogue_extends_and_is_validated(tmp_path):
    extra = tmp_path / "kpis.yaml"
    extra.write_text("retention_saves:\n  name: Saves\n  definition: Saved customers over save attempts.\n"
                     "  unit: '%'\n  direction: higher\n  target: 40\n  tolerance: 5\n", encoding="utf-8")
    assert "retention_saves" in kp.load_catalogue(extra)
    extra.write_text("bad: {name: B, definition: d, direction: sideways, target: x}\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        kp.load_catalogue(extra)
    assert "bad.direction" in str(exc.value) and "bad.target" in str(exc.value)


# --------------------------------------------------------------------------- contract dates
def test_renewal_deadline_across_year_end_and_leap_day():
    assert ct.renewal_notice_deadline(dt.date(2027, 1, 20), 90) == dt.date(2026, 10, 22)
    assert ct.renewal_notice_deadline(dt.date(2028, 3, 30), 30) == dt.date(2028, 2, 29)
    d = dt.date(2026, 12, 15)
    assert ct.renewal_alert(d, d - dt.timedelta(days=31)) == "soon"
    assert ct.renewal_alert(d, d - dt.timedelta(days=30)) == "urgent"
    assert ct.renewal_alert(d, d + dt.timedelta(days=1)) == "overdue"
    assert ct.renewal_alert(d, d - dt.timedelta(days=91)) == "ok"


def test_handoff_feasibility():
    checks = {c.kind: c for c in ct.handoff_feasibility(dt.date(2026, 11, 16), dt.date(2026, 12, 16), LeadTimes())}
    assert checks["telecom"].status == "too late"          # 30 days left, 45-60 needed
    assert checks["telecom"].latest_start == dt.date(2026, 10, 17)
    assert "30 days are left" in checks["telecom"].sentence
    assert checks["hiring"].status == "tight"               # 30 left, 30-45 needed
    assert checks["training"].status == "too late"          # after 45 days of hiring nothing is left
    milestones = ct.timeline(Contract(start_date=dt.date(2025, 1, 1), renewal_date=dt.date(2027, 1, 1)),
                             dt.date(2026, 11, 2))
    assert [m.kind for m in milestones] == ["start", "notice", "assessment", "renewal"]


# --------------------------------------------------------------------------- coverage on a hand-made day
def test_coverage_shares_on_a_small_day():
    # Monday 5 Oct 2026, window 09:00-17:00, hourly attempts:
    #   08:00 10 (before opening), 09:00 2, 10-15:00 20 each (120), 16:00 8, 17:00 40 (after closing)
    # in-window = 2 + 120 + 8 = 130; first hour 2/130 = 1.5 %; last hour 8/130 = 6.2 %
    # all = 180; off-hours = 50 (27.8 %); after closing 40/180 = 22 % >= 3 % -> extend closing;
    # before opening 10/180 = 5.6 % >= 3 % -> extend opening.
    volumes = {8: 10, 9: 2, **{h: 20 for h in range(10, 16)}, 16: 8, 17: 40}
    df = pd.DataFrame({"timestamp": [pd.Timestamp(2026, 10, 5, h) for h in volumes],
                       "offered": list(volumes.values())})
    f = cov.analyse(df, Coverage(mon="09:00-17:00"))
    assert (f.attempts, f.in_window, f.off_hours) == (180, 130, 50)
    assert round(f.first_hour_share, 4) == round(2 / 130, 4) and round(f.last_hour_share, 4) == round(8 / 130, 4)
    assert f.action == "extend"
    assert any("Extend Monday closing from 17:00 to 18:00: 22.2%" in r for r in f.recommendations), f.recommendations


def test_coverage_trim_when_the_edge_hour_is_empty():
    volumes = {9: 1, **{h: 50 for h in range(10, 17)}}
    df = pd.DataFrame({"timestamp": [pd.Timestamp(2026, 10, 5, h) for h in volumes],
                       "offered": list(volumes.values())})
    f = cov.analyse(df, Coverage(mon="09:00-17:00"))
    assert f.action == "trim" and f.recommendations[0].startswith("Trim Monday opening from 09:00 to 10:00")


# --------------------------------------------------------------------------- SLA alignment
def test_sla_under_capacity_unbacked_and_availability():
    slas = SLAs.model_validate({
        "business": [{"id": "B1", "name": "Registrations", "demand": 3000, "unit": "registrations/day",
                      "availability": 99.5, "backed_by": ["I1"]},
                     {"id": "B2", "name": "Payments", "demand": 10, "unit": "x", "backed_by": []},
                     {"id": "B3", "name": "Lookups", "demand": 10, "unit": "x", "availability": 99.95,
                      "backed_by": ["I2", "I3"]}],
        "it": [{"id": "I1", "name": "Portal", "capacity": 2500, "unit": "registrations/day", "availability": 99.9},
               {"id": "I2", "name": "A", "capacity": 100, "unit": "x", "availability": 99.95},
               {"id": "I3", "name": "B", "capacity": 100, "unit": "x", "availability": 99.95}]})
    found = {(f.business_id, f.kind): f for f in sl.align(slas)}
    under = found[("B1", "under-capacity")]
    assert (under.required, under.supported) == (3000, 2500)
    assert "3,000 registrations/day" in under.sentence and "2,500" in under.sentence and "500 (17%)" in under.sentence
    assert ("B2", "unbacked") in found
    assert found[("B3", "availability")].supported == 99.9    # 99.95 % x 99.95 % = 99.90 %


# --------------------------------------------------------------------------- CSV problems
def test_kpi_csv_problems_collected(tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text("month,kpi,actual,target\n2026-10,service_level,81,80\n2026-13,asa,fast,30\n"
                    "2026-10,service_level,82,80\n2026-10,mystery,1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_kpis(path, kp.load_catalogue())
    text = str(exc.value)
    assert f"{path}:3: error: month" in text and f"{path}:3: error: actual: expected a number, found 'fast'" in text
    assert f"{path}:4: error: month/kpi" in text and "first on line 2" in text
    assert f"{path}:5: warning: kpi" in text
    path.write_text("month,kpi,value\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_kpis(path, kp.load_catalogue())
    assert "'actual'" in str(exc.value) and "'target'" in str(exc.value)


def test_contacts_csv_problems_collected(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("timestamp,offered,answered,abandoned\n2026-10-05T08:00,10,9,1\n2026-10-05T08:07,5,5,0\n"
                    "2026-10-05T08:30,-3,0,0\nnext tuesday,1,1,0\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_contacts(path)
    text = str(exc.value)
    assert f"{path}:3: error: timestamp" in text and "15-, 30- or 60-minute" in text
    assert f"{path}:4: error: offered: expected a number of at least 0, found -3" in text
    assert f"{path}:5: error: timestamp" in text
    df, warnings = load_contacts(EXAMPLES / "kestrel-insurance" / "contacts.csv")
    assert len(df) == 28 * 48 and not [w for w in warnings if w.is_error]


def test_validate_command_checks_the_csvs(tmp_path, capsys):
    import shutil

    from assessment.cli import main

    d = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "kestrel-insurance", d)
    (d / "kpis.csv").write_text("month,kpi,actual,target\n2026-10,service_level,abc,80\n", encoding="utf-8")
    assert main(["validate", str(d / "engagement.yaml")]) == 1
    out = "".join(capsys.readouterr())
    assert "kpis.csv:2: error: actual: expected a number, found 'abc'" in out


# --------------------------------------------------------------------------- the monthly scorecard PDF
@pytest.mark.slow
def test_scorecard_pdf(tmp_path):
    r = subprocess.run([sys.executable, "-m", "assessment", "scorecard", str(EXAMPLES / "kestrel-insurance"),
                        "--month", "2026-09", "--out", str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "kestrel-insurance" / "kestrel-insurance-service-review-2026-09.pdf"   # the month in its name
    reader = PdfReader(str(pdf))
    assert 2 <= len(reader.pages) <= 4
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    for needle in ("Kestrel Insurance", "Monthly service review: September 2026", "KPIs against target", "Missed",
                   "Deep dives", "Apex: Head of Workforce Management", "Decision milestone", "2 April 2027",
                   "Partner commentary", "Decisions taken"):
        assert needle in text, needle
    assert "import " not in text


def test_a_deep_dive_says_how_far_short_in_the_kpis_own_unit():
    # Service level 61.7 % against 80 %: 18.3 points short (not only "-23 % relative").
    # Handle time 450.3 s against 400 s (lower is better): 50.3 s over.
    sl_ = kp.Kpi("service_level", "Service level", "", "%", "higher", 80.0, 5.0)
    aht = kp.Kpi("aht", "Average handle time", "", "s", "lower", 400.0, 20.0)
    assert "18.3 points short of target" in kp.dive_reason(sl_, 61.7, 80.0, "under")
    assert "(-23% relative)" in kp.dive_reason(sl_, 61.7, 80.0, "under")
    assert "50.3 s over target" in kp.dive_reason(aht, 450.3, 400.0, "over")
