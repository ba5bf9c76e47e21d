"""Safety properties of the engine over random findings (hypothesis) and over its data."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spinecare.clinical.findings import Findings, parse_findings
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.rules.predicates import Is
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.clinical.triage.knowledge.conditions import CONDITIONS
from spinecare.clinical.triage.knowledge.red_flags import RULES, TRUE_RED_FLAG_KEYS
from spinecare.clinical.triage.knowledge.screening import SCREEN
from spinecare.clinical.vocabulary import VOCABULARY, FindingType

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)
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
    assert result.conditions or any(
        r.rule_id in {"DX-INSUFFICIENT", "BENIGN-FALLBACK", "SCREEN-OPEN", "AGE-UNDER-16"}
        or r.rule_id.startswith("RF-") for r in result.reasons)
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



# --- issue 9 §3: safety gates --------------------------------------------------------------

SERIOUS = {c.id for c in CONDITIONS if c.serious}
EMERGENCY_CONDITIONS = {"cauda_equina_syndrome", "abdominal_aortic_aneurysm"}
SCREEN_KEYS = sorted({q.finding for q in SCREEN})
EMERGENCY_RULES = {r.id for r in RULES if r.level is Level.EMERGENCY}
adult_findings = findings_strategy.map(
    lambda raw: {**raw, "age": max(16, raw["age"])} if "age" in raw else raw)


def test_no_serious_condition_carries_a_routine_or_self_care_default():
    for cond in CONDITIONS:
        if cond.serious:
            assert cond.default_level >= Level.URGENT, cond.id
            assert cond.cardinal is not None, cond.id
            for rule in cond.level_rules:
                assert rule.level >= Level.URGENT, (cond.id, rule.id)
    assert {c.id for c in CONDITIONS if c.default_level is Level.EMERGENCY} == \
        EMERGENCY_CONDITIONS


@settings(max_examples=500, deadline=None)
@given(adult_findings)
def test_a_serious_condition_rated_possible_is_at_least_urgent(raw):
    result = ENGINE.evaluate(parse_findings(raw))
    for cond in result.conditions:
        if cond.id in SERIOUS and cond.likelihood != "unlikely":
            assert result.level >= Level.URGENT, (cond.id, raw)
            if cond.id in EMERGENCY_CONDITIONS:
                assert result.level is Level.EMERGENCY, (cond.id, raw)


@settings(max_examples=500, deadline=None)
@given(adult_findings)
def test_self_care_only_when_no_open_screen_question_could_mean_emergency(raw):
    findings = parse_findings(raw)
    result = ENGINE.evaluate(findings)
    if result.level is not Level.SELF_CARE:
        return
    for key in SCREEN_KEYS:
        if key in raw:
            continue
        trial = ENGINE.evaluate(parse_findings({**raw, key: True}))
        fired = {r.rule_id for r in trial.reasons}
        assert not fired & EMERGENCY_RULES, (key, raw)


@settings(max_examples=300, deadline=None)
@given(adult_findings, st.sampled_from(["back_pain", "thoracic_pain", "neck_pain", "leg_pain",
                                        "arm_pain"]))
def test_sphincter_and_saddle_questions_apply_at_every_spinal_level(raw, site):
    raw = {**raw, site: True}
    open_keys = {q.finding for q in ENGINE.evaluate(parse_findings(raw)).open_questions}
    for key in ("saddle_anaesthesia", "bladder_dysfunction", "bowel_dysfunction",
                "urinary_hesitancy_new"):
        assert key in raw or key in open_keys, (key, raw)


@settings(max_examples=300, deadline=None)
@given(adult_findings, st.sampled_from(["back_pain", "abdominal_or_flank_pain",
                                        "thoracic_pain"]),
       st.integers(50, 110))
def test_aneurysm_questions_apply_to_back_or_flank_pain_from_fifty(raw, site, age):
    raw = {**raw, site: True, "age": age}
    result = ENGINE.evaluate(parse_findings(raw))
    if result.level is Level.EMERGENCY:
        return  # the interview stops: nothing more is asked
    open_keys = {q.finding for q in result.open_questions}
    for key in ("sudden_severe_tearing_pain", "collapse_or_faintness", "known_aortic_aneurysm"):
        assert key in raw or key in open_keys, (key, raw)


def test_an_unknown_location_asks_every_screen():
    result = ENGINE.evaluate(parse_findings({"age": 60}))
    open_keys = {q.finding for q in result.open_questions}
    assert {"saddle_anaesthesia", "bladder_dysfunction", "bowel_dysfunction",
            "urinary_hesitancy_new", "trauma_recent", "fever", "history_of_cancer",
            "sudden_severe_tearing_pain", "collapse_or_faintness",
            "known_aortic_aneurysm"} <= open_keys
    assert result.level is Level.ROUTINE and result.complete is False
