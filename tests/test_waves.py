"""Re-assessment waves: closing one freezes the inputs read-only; the next readout shows progress since it."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import stat

import pytest
from conftest import EXAMPLES

from assessment.analyses.progress import Snapshot, actions_progress, kpi_changes, progress
from assessment.cli import main
from assessment.model import ItemAnswer
from assessment.waves import load_waves

ALPENROSE = EXAMPLES / "alpenrose-telecom"


@pytest.fixture
def folder(tmp_path):
    dst = tmp_path / "alpenrose"
    shutil.copytree(ALPENROSE, dst, ignore=shutil.ignore_patterns("waves"))
    return dst


def test_close_freezes_inputs_read_only_and_records_them(folder, capsys):
    assert main(["wave", "close", str(folder), "--label", "2026-H2"]) == 0
    wave = folder / "waves" / "2026-H2"
    frozen = sorted(p.relative_to(wave).as_posix() for p in wave.rglob("*") if p.is_file())
    assert frozen == ["contacts.csv", "engagement.yaml", "kpis.csv",
                      *sorted(f"responses/{p.name}" for p in (folder / "responses").iterdir())]
    assert (wave / "engagement.yaml").read_bytes() == (folder / "engagement.yaml").read_bytes()
    for p in wave.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), p
    index = (folder / "waves" / "index.yaml").read_text(encoding="utf-8")
    assert 'label: "2026-H2"' in index and "assessment_date: 2026-11-10" in index and index.count("sha256:") == 11
    assert "Closed wave 2026-H2" in capsys.readouterr().out
    assert not [p for p in (folder / "waves").iterdir() if p.name.startswith(".assessment-tmp")]


def test_an_existing_label_or_a_bad_one_is_refused(folder, capsys):
    assert main(["wave", "close", str(folder), "--label", "2026-H2"]) == 0
    index = (folder / "waves" / "index.yaml").read_text(encoding="utf-8")
    (folder / "engagement.yaml").write_text((folder / "engagement.yaml").read_text(encoding="utf-8") + "\n# later\n",
                                            encoding="utf-8")
    assert main(["wave", "close", str(folder), "--label", "2026-H2"]) == 1
    err = capsys.readouterr().err
    assert "--label: expected a label not used before" in err and "nothing was written" in err
    assert "# later" not in (folder / "waves" / "2026-H2" / "engagement.yaml").read_text(encoding="utf-8")
    assert (folder / "waves" / "index.yaml").read_text(encoding="utf-8") == index
    for bad in ("../x", "", "a b", "x" * 41):
        assert main(["wave", "close", str(folder), "--label", bad]) == 1
    assert sorted(p.name for p in (folder / "waves").iterdir() if not p.name.startswith(".")) == ["2026-H2", "index.yaml"]


def test_an_invalid_engagement_is_not_frozen(folder, capsys):
    path = folder / "engagement.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("PEO-01: {as_is: 5", "PEO-01: {as_is: 9"), encoding="utf-8")
    assert main(["wave", "close", str(folder), "--label", "2026-H2"]) == 1
    assert "checklist.PEO-01.as_is" in capsys.readouterr().err
    assert not (folder / "waves" / "2026-H2").exists()


def test_alpenrose_progress_since_h1_by_hand():
    from assessment.facts import load

    g = load(ALPENROSE).progress
    assert g.label == "2026-H1" and g.since == dt.date(2026, 5, 12)
    people = next(d for d in g.dimensions if d.dimension == "people")
    # People: 10 scored items, weights summing to 22; now 89 / 22 = 4.05 -> 4.0.
    # In 2026-H1 PEO-02 (weight 3) and PEO-09 (weight 2) were one lower: (89 - 3 - 2) / 22 = 3.82 -> 3.8.
    assert (people.then, people.now, people.change) == (3.8, 4.0, 0.2)
    assert [c.id for c in g.improved] == ["PEO-02", "PEO-09", "PRC-02", "PRC-07", "PRD-04", "TEC-02", "TEC-11"]
    assert [(c.id, c.then, c.now) for c in g.regressed] == [("PRC-12", 5, 4), ("TEC-03", 5, 4)]
    assert len(g.unchanged) == 43 - 9 and g.not_compared == 0 and g.unknown_items == ()
    assert [p.label for p in g.trend] == ["2026-H1", "now"]
    occupancy = next(k for k in g.kpis if k.kpi == "occupancy")
    assert (occupancy.then_month, occupancy.now_month, occupancy.then_status, occupancy.now_status, occupancy.change) \
        == ("2026-04", "2026-10", "amber", "red", "worse")


def test_an_item_the_checklist_no_longer_has_is_reported_not_fatal(folder, builtin):
    wave = folder / "waves" / "2025-H2"
    wave.mkdir(parents=True)
    text = (folder / "engagement.yaml").read_text(encoding="utf-8").replace("assessment: {date: 2026-11-10",
                                                                            "assessment: {date: 2025-11-10")
    text = text.replace("checklist:\n", "checklist:\n  OLD-07: {as_is: 1, to_be: 3}\n", 1)
    (wave / "engagement.yaml").write_text(text, encoding="utf-8")
    waves = load_waves(folder, builtin)
    assert [w.label for w in waves] == ["2025-H2"] and waves[0].unknown_items == ("OLD-07",)
    from assessment.facts import load

    g = load(folder).progress
    assert g.unknown_items == ("OLD-07",) and g.improved == () and g.regressed == ()
    from assessment.report.readout import Readout

    assert "OLD-07, which the checklist no longer has" in str(Readout(load(folder)).section("progress"))


def test_trend_orders_every_wave_and_counts_items_scored_once(builtin):
    w1 = Snapshot("2025-H2", dt.date(2025, 11, 1), {"PEO-01": ItemAnswer(as_is=1, to_be=4)})
    w2 = Snapshot("2026-H1", dt.date(2026, 5, 1), {"PEO-01": ItemAnswer(as_is=2, to_be=4),
                                                   "PEO-02": ItemAnswer(as_is=3, to_be=4)})
    now = Snapshot("now", dt.date(2026, 11, 1), {"PEO-01": ItemAnswer(as_is=4, to_be=4),
                                                 "PEO-03": ItemAnswer(as_is=1, to_be=3)})
    g = progress(builtin, [w1, w2], now)
    assert [(p.label, p.as_is["people"]) for p in g.trend] == [("2025-H2", 1.0), ("2026-H1", 2.5), ("now", 2.8)]
    # 2026-H1 people: (2*3 + 3*3) / 6 = 2.5; now: (4*3 + 1*2) / 5 = 2.8
    people = next(d for d in g.dimensions if d.dimension == "people")
    assert (people.then, people.now, people.change) == (2.5, 2.8, 0.3)
    assert [c.id for c in g.improved] == ["PEO-01"] and g.not_compared == 2
    assert progress(builtin, [], now) is None


def test_actions_due_and_done():
    today = dt.date(2026, 11, 10)
    actions = [{"id": "GOV-1", "due": dt.date(2026, 9, 30), "status": "done"},
               {"id": "GOV-2", "due": "2026-10-31", "status": "in progress"},
               {"id": "CAP-1", "due": dt.date(2027, 1, 31), "status": "done"},
               {"id": "CAP-2", "due": None, "status": "not started"}]
    a = actions_progress(actions, today)
    assert (a.total, a.due_by_now, a.done_of_due, a.done, a.overdue) == (4, 2, 1, 2, ("GOV-2",))
    assert actions_progress([], today) is None


def test_kpi_changes_by_status_then_direction():
    class E:
        def __init__(self, kpi, actual, status, month):
            self.kpi, self.name, self.actual, self.status, self.month = kpi, kpi, actual, status, month
            self.actual_text, self.target_text = str(actual), "t"

    then = [E("asa", 40, "red", "2026-04"), E("fcr", 70, "red", "2026-04"), E("csat", 80, "green", "2026-04")]
    now = [E("asa", 35, "red", "2026-10"), E("fcr", 72, "green", "2026-10"), E("csat", 85, "green", "2026-10"),
           E("aht", 300, "green", "2026-10")]
    got = {k.kpi: k.change for k in kpi_changes(then, now, {"asa": True, "fcr": False, "csat": False})}
    assert got == {"asa": "better", "fcr": "better", "csat": "same"}   # aht has no earlier month


def test_help_has_examples():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "assessment", "wave", "close", "--help"], capture_output=True,
                         text=True, env={**os.environ}).stdout
    assert "--label" in out and "assessment wave close engagements/acme-retail --label 2026-H2" in out


def test_a_tampered_wave_is_left_out_and_the_readout_still_builds(tmp_path):
    from assessment.facts import load
    from assessment.report.readout import Readout

    folder = tmp_path / "e"
    shutil.copytree(ALPENROSE, folder)
    (folder / "waves" / "broken").mkdir()
    (folder / "waves" / "broken" / "engagement.yaml").write_text("client: [\n", encoding="utf-8")
    (folder / "waves" / "index.yaml").write_text("waves: nope\n", encoding="utf-8")
    facts = load(folder)
    assert [p.label for p in facts.progress.trend] == ["2026-H1", "now"]
    assert "Progress since 2026-H1" in str(Readout(facts).section("progress"))


def test_the_monthly_reviews_are_frozen_too(folder):
    (folder / "reviews").mkdir()
    (folder / "reviews" / "2026-10.yaml").write_text("month: 2026-10\n", encoding="utf-8")
    assert main(["wave", "close", str(folder), "--label", "2026-H2"]) == 0
    assert (folder / "waves" / "2026-H2" / "reviews" / "2026-10.yaml").read_text(encoding="utf-8") == "month: 2026-10\n"
