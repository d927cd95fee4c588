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
