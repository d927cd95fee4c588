"""Both sides' part: whose practice each item is, what drives each KPI, and which misses the client explains."""
from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES

from assessment.analyses import sides as sd
from assessment.errors import InvalidInput


@pytest.fixture(scope="module")
def sides():
    return sd.load_sides()


@pytest.fixture(scope="module")
def drivers():
    return sd.load_drivers()


# --------------------------------------------------------------------------- the data
def test_every_built_in_item_has_a_side_and_every_driver_is_an_item(builtin, sides, drivers):
    ids = [i.id for i in builtin.items]
    assert len(ids) == 45 and set(sides) == set(ids)
    assert sd.consistency(sides, drivers, ids) == []
    assert {p.side for p in sides.values()} == set(sd.SIDES)
    assert all(p.weak for p in sides.values())


def test_the_proposed_sides(sides):
    by_side = {s: sorted(i for i, p in sides.items() if p.side == s) for s in sd.SIDES}
    assert by_side["provider"] == ["PEO-07", "PRD-02", "PRD-10", "TEC-04", "TEC-09"]
    # the practices the articles put on the client: disclosure, training on product, authority, timely data
    for item in ("PEO-01", "PEO-02", "PRC-12", "PRD-01", "PRD-07", "TEC-03", "TEC-08"):
        assert sides[item].side == "client", item


def test_every_kpi_of_the_catalogue_has_drivers(drivers):
    from assessment.analyses.kpis import load_catalogue

    assert set(drivers) == set(load_catalogue())
    assert all(drivers.values())
    assert drivers["forecast_accuracy"] == ("PRC-12", "PEO-02", "TEC-09")   # forecasts and the launch calendar
    for kpi in ("fcr", "aht"):   # product training, authority, timely data, system access
        assert {"PRD-01", "PRD-07", "TEC-03", "TEC-08"} <= set(drivers[kpi]), kpi


def test_consistency_names_what_is_missing_or_unknown(sides):
    problems = sd.consistency({"PEO-01": sides["PEO-01"], "XYZ-01": sides["PEO-02"]},
                              {"fcr": ("PEO-01", "ABC-99")}, ["PEO-01", "PEO-02"])
    assert [(p.field, p.found) for p in problems] == [("items.PEO-02", "nothing"), ("items.XYZ-01", "'XYZ-01'"),
                                                      ("fcr.drivers", "'ABC-99'")]


def test_parse_sides_reports_every_problem():
    with pytest.raises(InvalidInput) as exc:
        sd.parse_sides({"items": {"PEO-01": {"side": "vendor"}, "peo-2": {"side": "client"}, "PEO-03": "client",
                                  "PEO-04": {"side": "joint", "weak": 3}}}, "sides.yaml")
    assert [(p.field, p.expected) for p in exc.value.problems] == [
        ("items.PEO-01.side", "client | provider | joint"), ("items.peo-2", "a checklist item id such as PEO-01"),
        ("items.PEO-03", "a mapping {side: ..., weak: ...}"), ("items.PEO-04.weak", "text")]
    with pytest.raises(InvalidInput):
        sd.parse_sides({"items": {}}, "sides.yaml")


def test_parse_drivers_reports_bad_lists():
    assert sd.parse_drivers({"fcr": {"drivers": ["PRD-07", "PRD-07"]}, "nps": {"name": "NPS"}}, "k.yaml") == {
        "fcr": ("PRD-07",), "nps": ()}
    with pytest.raises(InvalidInput) as exc:
        sd.parse_drivers({"fcr": {"drivers": "PRD-07"}, "csat": {"drivers": ["prd 7"]}}, "k.yaml")
    assert [p.field for p in exc.value.problems] == ["fcr.drivers", "csat.drivers"]


def test_a_firms_catalogue_overrides_drivers_kpi_by_kpi(tmp_path):
    own = tmp_path / "kpis.yaml"
    own.write_text("fcr:\n  name: FCR\n  definition: d\n  direction: higher\n  target: 70\n  drivers: [PRD-02]\n"
                   "csat:\n  name: CSAT\n  definition: d\n  direction: higher\n  target: 80\n", encoding="utf-8")
    d = sd.load_drivers(own)
    assert d["fcr"] == ("PRD-02",) and d["csat"] == sd.load_drivers()["csat"]


# --------------------------------------------------------------------------- the findings, by hand
PRACTICES = {
    "C-01": sd.Practice("C-01", "client", "late forecasts"),
    "C-02": sd.Practice("C-02", "client", "agents who cannot waive a fee"),
    "P-01": sd.Practice("P-01", "provider", "no coaching"),
    "J-01": sd.Practice("J-01", "joint", "no monthly review"),
}
DRIVERS = {"fcr": ("C-02", "P-01"), "forecast_accuracy": ("C-01",), "csat": ("J-01", "C-01"),
           "attrition": ("P-01",), "asa": ("C-01", "J-01")}
SCORES = {"C-01": 2, "C-02": 1, "P-01": 0, "J-01": 1}
# weak (<= 1): C-02 (client), P-01 (provider), J-01 (joint). C-01 scores 2: not weak.
#   fcr:      client C-02 and provider P-01 weak       -> shared, explained by the client
#   forecast: only C-01 (2), nothing weak              -> provider
#   csat:     joint J-01 weak, C-01 not                -> shared, not explained by the client
#   attrition: provider P-01 weak                      -> provider
MISSED = (sd.MissedKpi("fcr", "First-contact resolution", "%", 58.8, 75, 12, 12, 12),
          sd.MissedKpi("forecast_accuracy", "Forecast error (WAPE)", "%", 18.2, 10, 12, 12, 12),
          sd.MissedKpi("csat", "Customer satisfaction", "%", 71.1, 85, 3, 12, 2),
          sd.MissedKpi("attrition", "Agent attrition", "%", 63.8, 45, 9, 12, 9))


def test_both_sides_by_hand():
    r = sd.both_sides(MISSED, SCORES, PRACTICES, DRIVERS, client="Kestrel", provider="Apex Partners")
    owners = {f.kpi: f.owner for f in r.findings}
    assert owners == {"fcr": "shared", "forecast_accuracy": "provider", "csat": "shared", "attrition": "provider"}
    assert (r.client_explained, r.total, r.client_share) == (1, 4, 0.25)
    assert [d.item for d in r.client_practices] == ["C-02"]
    assert r.provider_kpis == ("forecast_accuracy", "attrition") and r.shared_kpis == ("csat",)
    assert r.summary == ("1 of the 4 missed KPIs has a driver that Kestrel itself scores 1 or lower: agents who "
                         "cannot waive a fee; changing provider would not fix it.")
    assert r.provider_summary == ("Forecast error (WAPE) and agent attrition are Apex Partners' to fix: no driver "
                                  "that Kestrel or both sides own scores 1 or lower.")
    fcr = r.findings[0]
    assert fcr.sentence == ("First-contact resolution 58.8% against 75% (missed 12 of 12 months): Kestrel's part: "
                            "agents who cannot waive a fee (C-02, 1); Apex Partners' part: no coaching (P-01, 0).")
    assert [d.weak for d in fcr.drivers] == [True, True] and fcr.explained_by_client
    assert r.findings[2].sentence.endswith("joint: no monthly review (J-01, 1); nothing on Kestrel's side explains it.")
    # side scores: client (2 + 1) / 2 = 1.5, provider 0, joint 1
    assert dict(r.side_scores) == {"client": 1.5, "provider": 0.0, "joint": 1.0}
    assert json.loads(json.dumps(r.to_dict()))["client_share"] == 0.25


def test_a_higher_weak_threshold_and_na_scores():
    r = sd.both_sides(MISSED[1:2], {"C-01": 2}, PRACTICES, DRIVERS, client="Kestrel", weak_at=2)
    assert r.client_explained == 1 and r.findings[0].owner == "client"
    na = sd.both_sides(MISSED[1:2], {"C-01": "n/a"}, PRACTICES, DRIVERS, weak_at=5)
    assert na.client_explained == 0 and na.findings[0].drivers[0].score is None
    assert na.summary == "The missed KPI has no driver that the client itself scores 5 or lower."


def test_nothing_missed_says_nothing():
    r = sd.both_sides((), SCORES, PRACTICES, DRIVERS)
    assert (r.total, r.summary, r.provider_summary, r.client_share) == (0, "", "", 0.0)


def test_possessive():
    assert sd.possessive("Kestrel Insurance") == "Kestrel Insurance's"
    assert sd.possessive("Apex Outsource Partners") == "Apex Outsource Partners'"


# --------------------------------------------------------------------------- Kestrel
def test_kestrel_both_sides(builtin, sides, drivers):
    from assessment.analyses.kpis import load_catalogue, scorecard
    from assessment.inputs import load_kpis
    from assessment.validate import load_engagement

    folder = EXAMPLES / "kestrel-insurance"
    eng = load_engagement(folder / "engagement.yaml", builtin)
    rows, _ = load_kpis(folder / "kpis.csv", load_catalogue(), as_of=eng.assessment.date)
    missed = sd.missed_kpis(scorecard(rows, load_catalogue()), "2026-10")
    # service level: missed 11 of 12 months, the last 10 running (2025-12 was within tolerance)
    sl = missed[0]
    assert (sl.key, sl.actual, sl.months_missed, sl.months, sl.run) == ("service_level", 61.7, 11, 12, 10)
    r = sd.both_sides(missed, {k: v.as_is for k, v in eng.checklist.items()}, sides, drivers,
                      {i.id: i.title for i in builtin.items}, {k: v.notes for k, v in eng.checklist.items()},
                      "Kestrel", "Apex")
    # Kestrel scores 1 or lower: PEO-02 launch calendar (0), PRD-07 authority (1), TEC-03 data (1), TEC-08 access (1).
    #   PEO-02 drives service level, ASA, abandonment and forecast error; PRD-07 and TEC-03 drive FCR, CSAT and AHT;
    #   TEC-08 drives FCR and AHT. Occupancy (PRC-12 2, PEO-07 2, TEC-09 2) and attrition (PEO-07 2, PRD-02 3,
    #   PRD-10 2, PEO-06 2) have no driver at 1 or lower: Apex's to fix.
    assert (r.client_explained, r.total) == (7, 9)
    assert r.provider_kpis == ("occupancy", "attrition")
    assert [d.item for d in r.client_practices] == ["PEO-02", "PRD-07", "TEC-03", "TEC-08"]
    assert r.summary.startswith("7 of the 9 missed KPIs have a driver that Kestrel itself scores 1 or lower: "
                                "launches the partner is not told about in advance, ")
    assert r.summary.endswith("changing provider would not fix these.")
    authority = next(d for d in r.client_practices if d.item == "PRD-07")
    assert "£15 admin fee" in authority.note


def test_sides_are_read_from_the_checklist_one_source(builtin):
    """side and weak live on each item of checklist.yaml; there is no second file."""
    from importlib import resources

    assert not resources.files("assessment.data").joinpath("sides.yaml").is_file()
    from_checklist = sd.sides_of(builtin)
    assert from_checklist == sd.load_sides() == sd.load_sides(builtin)
    assert (builtin["PRC-12"].side, builtin["PRC-12"].weak) == ("client", "late forecasts and campaign plans")
    assert from_checklist["PRD-02"] == sd.Practice("PRD-02", "provider",
                                                   "contact-centre skills training without a curriculum")
