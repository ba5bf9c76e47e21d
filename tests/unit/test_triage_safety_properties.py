"""Safety properties of the engine over random findings (hypothesis) and over its data."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spinecare.clinical.findings import Findings, parse_findings
from spinecare.clinical.knowledge.conditions import CONDITIONS
from spinecare.clinical.knowledge.red_flags import TRUE_RED_FLAG_KEYS
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.levels import Level
from spinecare.clinical.triage.predicates import Is
from spinecare.clinical.vocabulary import VOCABULARY, FindingType

ENGINE = TriageEngine()
RED_FLAGS = sorted(TRUE_RED_FLAG_KEYS)


def _value(key: str) -> st.SearchStrategy:
    d = VOCABULARY[key]
    if d.type is FindingType.BOOL:
        return st.booleans()
    if d.type is FindingType.CHOICE:
        return st.sampled_from(d.choices)
    if d.type is FindingType.INTEGER:
        return st.integers(int(d.minimum), int(d.maximum))
    return st.floats(d.minimum, d.maximum, allow_nan=False)


findings_strategy = st.dictionaries(
    st.sampled_from(sorted(VOCABULARY)), st.none(), max_size=25
).flatmap(lambda keys: st.fixed_dictionaries({k: _value(k) for k in keys}))


@settings(max_examples=400, deadline=None)
@given(findings_strategy, st.sampled_from(RED_FLAGS))
def test_adding_a_red_flag_never_lowers_the_level(raw, flag):
    before = ENGINE.evaluate(parse_findings({k: v for k, v in raw.items() if k != flag}))
    after = ENGINE.evaluate(parse_findings({**raw, flag: True}))
    assert after.level >= before.level, (flag, raw, before.level, after.level)


@settings(max_examples=300, deadline=None)
@given(findings_strategy, st.sampled_from(RED_FLAGS))
def test_turning_a_red_flag_from_no_to_yes_never_lowers_the_level(raw, flag):
    before = ENGINE.evaluate(parse_findings({**raw, flag: False}))
    after = ENGINE.evaluate(parse_findings({**raw, flag: True}))
    assert after.level >= before.level


@settings(max_examples=300, deadline=None)
@given(findings_strategy)
def test_every_result_explains_itself(raw):
    result = ENGINE.evaluate(parse_findings(raw))
    assert result.reasons, "a level without a reason"
    assert any(r.level is result.level for r in result.reasons)
    assert all(r.references for r in result.reasons)
    # No condition listed only when nothing beyond age, sex or location supports one.
    assert result.conditions or any(r.rule_id == "DX-INSUFFICIENT" or r.rule_id.startswith("RF-")
                                    for r in result.reasons)
    assert result.knowledge_version
    for oq in result.open_questions:
        assert oq.finding not in raw  # an answered question is never "open"


def test_red_flags_never_carry_negative_weight_or_support_self_care_conditions():
    for cond in CONDITIONS:
        for feat in cond.features:
            keys = feat.when.keys() & TRUE_RED_FLAG_KEYS
            if not keys:
                continue
            if isinstance(feat.when, Is) and feat.when.value is False:
                continue  # a known "no" may count against a condition
            assert feat.weight > 0, (cond.id, feat.label)
            assert cond.default_level is not Level.SELF_CARE, (cond.id, feat.label)


def test_unanswered_red_flag_question_is_open_and_result_incomplete():
    result = ENGINE.evaluate(parse_findings({"age": 50, "back_pain": True, "leg_pain": True}))
    open_keys = {q.finding for q in result.open_questions}
    assert {"saddle_anaesthesia", "bladder_dysfunction", "bowel_dysfunction"} <= open_keys
    assert result.complete is False
    answered = ENGINE.evaluate(Findings({**{"age": 50, "back_pain": True, "leg_pain": True},
                                         **{k: False for k in open_keys}}))
    assert not answered.open_questions and answered.complete is True


def test_no_information_is_never_self_care():
    result = ENGINE.evaluate(parse_findings({}))
    assert result.level is Level.ROUTINE
    assert result.complete is False
