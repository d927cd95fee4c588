"""Scoring against hand-worked numbers (mini checklist weights: PEO 1,3; PRC 2,2; PRD 1,1; TEC 2,1)."""
from __future__ import annotations

import pytest

from assessment.analyses.scoring import (IMPROVE, KEEP_DOING, NOT_APPLICABLE, NOT_SCORED, ON_TRACK, THRESHOLDS,
                                         classify, ranked, score)
from assessment.model import ItemAnswer


def answers(**kw):
    return {k.replace("_", "-"): ItemAnswer(as_is=v[0], to_be=v[1]) for k, v in kw.items()}


def test_hand_worked_dimension_and_overall(mini):
    s = score(mini, answers(PEO_01=(1, 4), PEO_02=(3, 4), PRC_01=(2, 2), PRC_02=(4, 5),
                            PRD_01=("n/a", "n/a"), PRD_02=(5, 5), TEC_01=(0, 3)))
    # people: as-is (1*1 + 3*3)/4 = 2.5; to-be (4*1 + 4*3)/4 = 4.0; gap 1.5
    p = s.dimensions["people"]
    assert (p.as_is, p.to_be, p.gap, p.items_scored, p.items_total) == (2.5, 4.0, 1.5, 2, 2)
    # process: as-is (2*2 + 4*2)/4 = 3.0; to-be (2*2 + 5*2)/4 = 3.5
    assert (s.dimensions["process"].as_is, s.dimensions["process"].to_be) == (3.0, 3.5)
    # product: PRD-01 n/a is excluded -> 5 and 5; it still counts as answered
    d = s.dimensions["product"]
    assert (d.as_is, d.to_be, d.items_scored, d.items_na) == (5.0, 5.0, 2, 1)
    # technology: only TEC-01 scored: 0 -> 3; TEC-02 unscored
    t = s.dimensions["technology"]
    assert (t.as_is, t.to_be, t.items_scored, t.items_total) == (0.0, 3.0, 1, 2)
    # overall: mean of dimensions, as-is (2.5 + 3 + 5 + 0)/4 = 2.625, to-be (4 + 3.5 + 5 + 3)/4 = 3.875
    assert s.overall == {"as_is": 2.625, "to_be": 3.875, "gap": 1.25}


def test_items_gap_priority_and_class(mini):
    s = score(mini, answers(PEO_02=(2, 4), PRC_01=(4, 4), PRC_02=(2, 2), PRD_01=("n/a", 3)))
    by = {i.id: i for i in s.items}
    assert (by["PEO-02"].gap, by["PEO-02"].priority, by["PEO-02"].classification) == (2, 6.0, IMPROVE)
    assert by["PRC-01"].classification == KEEP_DOING and by["PRC-01"].priority == 0
    assert by["PRC-02"].classification == ON_TRACK
    assert by["PRD-01"].classification == NOT_APPLICABLE and by["PRD-01"].gap is None
    assert by["PEO-01"].classification == NOT_SCORED


@pytest.mark.parametrize("as_is,to_be,expected", [
    (3, 3, KEEP_DOING), (5, 4, KEEP_DOING), (2, 2, ON_TRACK), (2, 3, IMPROVE), (4, 5, IMPROVE), (0, 0, ON_TRACK),
])
def test_classification_boundaries(as_is, to_be, expected):
    assert THRESHOLDS.keep_doing_min == 3 and THRESHOLDS.improve_gap == 1
    assert classify(as_is, to_be) == expected


def test_na_does_not_change_other_averages(mini):
    base = answers(PEO_01=(1, 4), PEO_02=(3, 4))
    with_na = dict(base, **answers(PRD_01=("n/a", "n/a")))
    assert score(mini, base).dimensions["people"] == score(mini, with_na).dimensions["people"]


def test_ranked_orders_by_priority(mini):
    s = score(mini, answers(PEO_01=(1, 4), PEO_02=(3, 4), TEC_01=(1, 3)))
    # priorities: PEO-01 3*1=3, PEO-02 1*3=3, TEC-01 2*2=4
    assert [i.id for i in ranked(s.items, IMPROVE)] == ["TEC-01", "PEO-01", "PEO-02"]


def test_json_shape(mini):
    d = score(mini, answers(PEO_01=(1, 4))).to_dict()
    assert set(d) >= {"overall", "dimensions", "items"}
    assert set(d["dimensions"]) == {"people", "process", "product", "technology"}
    assert set(d["dimensions"]["people"]) >= {"as_is", "to_be", "gap", "items_scored", "items_total"}
    assert set(d["items"][0]) >= {"id", "dimension", "as_is", "to_be", "gap", "priority", "classification"}
