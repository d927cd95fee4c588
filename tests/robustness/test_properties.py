"""Property-based tests: scoring invariants, and validation that only ever raises our own error type."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.analyses.scoring import THRESHOLDS, classify, score
from assessment.checklist import load_checklist
from assessment.errors import AssessmentError
from assessment.model import NA, ItemAnswer
from assessment.validate import check_text

CHECKLIST = load_checklist()
IDS = [i.id for i in CHECKLIST.items]
score_value = st.one_of(st.integers(0, 5), st.just(NA), st.none())


@st.composite
def answers(draw):
    chosen = draw(st.lists(st.sampled_from(IDS), unique=True, max_size=len(IDS)))
    out = {}
    for item_id in chosen:
        a = draw(score_value)
        b = NA if a == NA else draw(st.one_of(st.integers(0, 5), st.none()))
        out[item_id] = ItemAnswer(as_is=a, to_be=b)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_scoring_invariants(ans):
    s = score(CHECKLIST, ans)
    for i in s.items:
        if i.as_is is not None and i.to_be is not None:
            assert i.gap == i.to_be - i.as_is
            assert i.priority == max(i.gap, 0) * i.weight
    for d in s.dimensions.values():
        for v in (d.as_is, d.to_be):
            assert v is None or 0 <= v <= 5
    # n/a never changes the other averages: dropping every n/a item leaves the scores as they were
    without_na = {k: v for k, v in ans.items() if not v.is_na}
    s2 = score(CHECKLIST, without_na)
    for key in s.dimensions:
        assert s.dimensions[key].as_is == s2.dimensions[key].as_is
        assert s.dimensions[key].to_be == s2.dimensions[key].to_be


@given(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5))
def test_priority_is_monotone_in_gap(a, b1, b2):
    item = CHECKLIST.items[0]
    lo, hi = sorted((b1, b2))
    p_lo = score(CHECKLIST, {item.id: ItemAnswer(as_is=a, to_be=lo)}).items[0].priority
    p_hi = score(CHECKLIST, {item.id: ItemAnswer(as_is=a, to_be=hi)}).items[0].priority
    assert p_lo <= p_hi


@given(st.integers(0, 5), st.integers(0, 5))
def test_classification_matches_the_thresholds(a, b):
    c = classify(a, b)
    if b - a >= THRESHOLDS.improve_gap:
        assert c == "improve"
    elif a >= THRESHOLDS.keep_doing_min:
        assert c == "keep doing"
    else:
        assert c == "on track"


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                         st.dates().map(str))
yaml_values = st.recursive(yaml_scalars, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                                st.dictionaries(st.text(max_size=10), kids, max_size=4)),
                           max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["client", "assessment", "outsourcer", "contract", "checklist", "coverage",
                                        "slas", "lead_times", "scorecard", "other"]), yaml_values, max_size=8))
def test_validation_never_raises_anything_else_on_structured_yaml(doc):
    from assessment.yamlio import dump_text

    try:
        text = dump_text(doc)
    except Exception:
        return   # not representable as YAML; not an input a consultant can write
    try:
        check_text(text, "generated.yaml", CHECKLIST)
    except AssessmentError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_validation_never_raises_anything_else_on_any_text(text):
    try:
        check_text(text, "random.yaml", CHECKLIST)
    except AssessmentError:
        pass
