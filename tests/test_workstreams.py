"""Workstreams: the checklist's grouping, and the facts a readout shows for each (pure, hand-worked)."""
from __future__ import annotations

import pytest
import yaml

from assessment.checklist import builtin_path, load_checklist, parse_checklist
from assessment.errors import InvalidInput


def _builtin_data():
    return yaml.safe_load(builtin_path().read_text(encoding="utf-8"))


def test_every_builtin_item_names_a_defined_workstream_and_has_an_action():
    cl = load_checklist()
    assert 4 <= len(cl.workstreams) <= 10
    for item in cl.items:
        assert item.workstream in cl.workstreams, item.id
        assert item.action and item.action[0].isupper() and item.action != item.title, item.id
    for ws in cl.workstreams.values():
        assert any(i.workstream == ws.id for i in cl.items), ws.id
        assert list(ws.raci) == ["client_sponsor", "client_operations", "provider_account_lead", "provider_operations"]
        assert "A" in ws.raci.values() and ws.objective.endswith(".")
    prefixes = [w.prefix for w in cl.workstreams.values()]
    assert len(set(prefixes)) == len(prefixes)


def test_an_item_naming_an_unknown_workstream_is_a_clear_error():
    data = _builtin_data()
    data["items"][0]["workstream"] = "governence"
    data["workstreams"]["governance"]["raci"] = {"client_sponsor": "R"}
    with pytest.raises(InvalidInput) as exc:
        parse_checklist(data, "firm.yaml")
    fields = {p.field: p for p in exc.value.problems}
    assert "governance" in fields["PEO-01.workstream"].expected and fields["PEO-01.workstream"].found == "'governence'"
    assert "workstreams.governance.raci" in fields


def test_a_firm_checklist_without_workstreams_groups_by_dimension():
    data = _builtin_data()
    data.pop("workstreams")
    for item in data["items"]:
        item.pop("workstream")
    cl = parse_checklist(data, "firm.yaml")
    assert list(cl.workstreams) == ["people", "process", "product", "technology"]
    assert cl["PRC-02"].workstream == "process" and cl.workstreams["process"].prefix == "PRC"


# --------------------------------------------------------------------------- the examples' plans
import datetime as dt  # noqa: E402

from conftest import ROOT  # noqa: E402


@pytest.fixture(scope="module")
def examples():
    from assessment.facts import load

    return {s: load(ROOT / "examples" / "engagements" / s)
            for s in ("kestrel-insurance", "harbour-lane-bank", "alpenrose-telecom")}


def test_each_example_has_4_to_10_workstreams_with_owners_raci_measures_and_dates(examples):
    for slug, f in examples.items():
        assert 4 <= len(f.workstreams) <= 10, slug
        refs = {a.ref for a in f.roadmap.actions}
        for w in f.workstreams:
            assert w.owner and len(w.raci) == 4 and w.measures and w.start and w.end, (slug, w.id)
            assert set(w.actions) <= refs and w.start <= w.end
            assert w.measures[0].source == "checklist" and w.measures[0].by == w.end
        assert len(refs) == len(f.roadmap.actions)          # every action id is unique


def test_no_evidence_for_the_renewal_decision_is_scheduled_after_the_notice_deadline(examples):
    from assessment.checklist import load_checklist

    cl = load_checklist()
    for slug in ("kestrel-insurance", "alpenrose-telecom"):
        f = examples[slug]
        notice = f.contract.renewal.deadline
        evidence = [a for a in f.roadmap.items if cl[a.id].decision]
        assert evidence, slug
        for a in evidence:
            assert a.end < notice, (slug, a.ref, a.end, notice)
        decision = next(a for a in f.roadmap.actions if a.kind == "decision")
        assert decision.end == notice - dt.timedelta(days=7)   # served a week ahead, so it is received in time
    # Alpenrose: notice on 15 Dec 2026, 35 days after the assessment; the evidence lands on 1 Dec
    alp = examples["alpenrose-telecom"]
    assert {a.end for a in alp.roadmap.items if cl[a.id].decision} == {dt.date(2026, 12, 1)}


def test_harbour_lane_has_a_gate_before_the_hand_off_hypercare_after_it_and_a_fallback(examples):
    f = examples["harbour-lane-bank"]
    hand_off = f.contract.hand_off_date
    gate = next(a for a in f.roadmap.actions if a.kind == "gate")
    care = next(a for a in f.roadmap.actions if a.kind == "hypercare")
    assert gate.start == hand_off - dt.timedelta(days=7) and care.start == hand_off
    assert care.end == hand_off + dt.timedelta(days=30)
    assert "the hand-off moves" in f.roadmap.fallback
    ready = [a for a in f.roadmap.items if a.lead_time or a.workstream == "transition"]
    assert ready and all(a.end <= gate.start for a in ready)
    training = next(a for a in f.roadmap.items if a.lead_time == "training")
    hiring = next(a for a in f.roadmap.items if a.lead_time == "hiring")
    assert training.start >= hiring.end
    # the opening hours and the service levels the hand-off is staffed for are decided before the gate
    for iid in ("PRC-04", "PRC-01"):
        item = next(a for a in f.roadmap.items if a.id == iid)
        assert item.end <= gate.start and item.start <= f.roadmap.as_of + dt.timedelta(days=21), iid


def test_kestrels_portal_capacity_work_finishes_before_its_storm_season(examples):
    f = examples["kestrel-insurance"]
    portal = next(a for a in f.roadmap.items if a.id == "TEC-06")      # IT capacity sized to demand
    assert portal.due_by == dt.date(2027, 11, 17) and portal.end <= dt.date(2027, 12, 1)
    assert any("Winter storm season 2026-27" in w and "interim cover" in w for w in f.roadmap.warnings)
    assert any("storm season" in r.title.lower() for r in f.risks)
    # the hand-off was in 2024: product training does not wait behind hiring
    training = next(a for a in f.roadmap.items if a.id == "PRD-01")
    assert training.depends_on == () and training.end < dt.date(2027, 9, 1)
    # nor is hiring planned back from that hand-off: it is ready for the next storm season it can meet
    hiring = next(a for a in f.roadmap.items if a.id == "PEO-07")
    assert "hand-off" not in hiring.action and "Winter storm season 2027-28" in hiring.action
    assert hiring.end <= dt.date(2027, 11, 17) and "is past" in hiring.reason
    ready = next(w for w in f.workstreams if w.id == "transition")
    assert "hand-off is done" in ready.objective and "go / no-go" not in ready.objective


def test_validate_reports_a_dependency_cycle_in_a_firm_checklist(tmp_path):
    import subprocess
    import sys

    data = _builtin_data()
    item = next(i for i in data["items"] if i["id"] == "TEC-05")
    item["depends_on"] = ["TEC-06"]                      # TEC-06 already waits for TEC-05
    path = tmp_path / "firm.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "assessment", "validate",
                          str(ROOT / "examples" / "engagements" / "kestrel-insurance"), "--checklist", str(path)],
                         capture_output=True, text=True)
    assert run.returncode != 0 and "Traceback" not in run.stderr + run.stdout
    assert "TEC-05 → TEC-06 → TEC-05" in run.stderr + run.stdout


def test_risks_name_blocked_and_late_actions_of_the_clients_plan():
    from assessment.analyses import roadmap as rm
    from assessment.analyses import workstreams as wsm

    plan = rm.Roadmap(dt.date(2026, 11, 18), [])
    rows = [wsm.PlanAction("CAP-4", "capacity", "Size systems", "client", "IT service owner", None, None, "blocked",
                           "", "Waits for CAP-3"),
            wsm.PlanAction("GOV-1", "governance", "Open the agenda item", "joint", "", dt.date(2026, 10, 1),
                           dt.date(2026, 11, 1), "in progress", "", ""),
            wsm.PlanAction("GOV-2", "governance", "Done already", "joint", "", dt.date(2026, 10, 1),
                           dt.date(2026, 11, 1), "done", "", "")]
    out = wsm.risks(plan, "Kestrel", "Apex", rows)
    assert [r.title for r in out] == ["CAP-4 is blocked: Size systems",
                                      "GOV-1 is past its due date (1 Nov 2026): Open the agenda item"]
    assert out[0].owner == "IT service owner" and out[0].mitigation.startswith("Waits for CAP-3. ")
    assert out[1].owner == "Joint"
