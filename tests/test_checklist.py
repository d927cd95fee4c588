"""The built-in checklist: four dimensions, stable ids, level descriptors, every seed theme covered."""
from __future__ import annotations

import re

import pytest

from assessment.checklist import DIMENSIONS, PREFIX, load_checklist
from assessment.errors import InvalidInput

# The themes of the source articles (seeds 000-004) that the checklist must cover.
SEED_THEMES = {
    "full-disclosure", "training-split", "communication-site-visits", "needs-expectations", "balanced-scorecard",
    "equal-authority", "data-trust", "customer-feedback", "integration-priorities", "monthly-review",
    "coverage-hours", "agreement-renewal", "it-sla-backing", "as-is-to-be", "programme-management",
    "strategic-acceptance", "end-customer-education", "customer-driven-coaching",
}


def test_four_dimensions_with_8_to_15_items(builtin):
    assert list(builtin.dimensions) == list(DIMENSIONS)
    for dim in DIMENSIONS:
        items = builtin.in_dimension(dim)
        assert 8 <= len(items) <= 15, dim
        assert [i.id for i in items] == [f"{PREFIX[dim]}-{n:02d}" for n in range(1, len(items) + 1)]


def test_every_seed_theme_is_covered(builtin):
    assert set(builtin.themes) == SEED_THEMES
    covered = {i.theme for i in builtin.items}
    assert SEED_THEMES - covered == set()


def test_every_item_is_complete(builtin):
    for item in builtin.items:
        assert item.title and item.question.endswith("?"), item.id
        assert item.evidence and item.effort in ("low", "medium", "high")
        assert 1 <= item.weight <= 3
        assert sorted(item.levels) == [0, 1, 2, 3, 4, 5] and all(len(t) > 10 for t in item.levels.values()), item.id
        assert len(set(item.levels.values())) == 6, item.id                  # six different descriptions
        assert not re.search(r"eSCM|COPC", " ".join(item.levels.values())), "never claim certification"


def test_integration_priorities_carry_lead_times(builtin):
    leads = {i.lead_time for i in builtin.items if i.lead_time}
    assert leads == {"telecom", "hiring", "training", "crm"}


def test_custom_checklist_problems_collected(write):
    path = write("""\
        dimensions: {people: {title: P}, process: {title: R}, product: {title: D}, technology: {title: T}, finance: {}}
        themes: {a: A}
        items:
          - {id: PEO-01, dimension: people, title: t, question: q, evidence: e, weight: 1, effort: low, theme: a,
             levels: {0: a, 1: b, 3: c, 5: d}}
          - {id: PEO-01, dimension: people, title: t, question: q, evidence: e, weight: 1, effort: low, theme: a,
             levels: {0: a, 1: b, 3: c, 5: d}}
          - {id: FIN-01, dimension: finance, title: t, question: q, evidence: e, weight: 0, effort: huge, theme: zz,
             levels: {0: a, 5: d}}
    """, "custom.yaml")
    with pytest.raises(InvalidInput) as exc:
        load_checklist(path)
    text = str(exc.value)
    for needle in ["dimensions.finance", "PEO-01.id: expected a unique id", "FIN-01.dimension", "FIN-01.weight",
                   "FIN-01.effort", "FIN-01.theme", "FIN-01.levels", "items (dimension process)"]:
        assert needle in text, needle
    assert f"{path}:" in text
