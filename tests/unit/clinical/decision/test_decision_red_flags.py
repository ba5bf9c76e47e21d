"""One red-flag table: the decision aid's warning signs agree with the triage's.

The aid asks finding keys the triage rules read, with the vocabulary's questions, and
the triage engine decides what the answers lead to. These tests compare the two
sides independently: the engine on a plain stenosis presentation against the aid's
answer for the same facts.
"""

from __future__ import annotations

import itertools

import pytest

from spinecare.clinical.decision import (
    WARNING_SIGNS,
    DecisionInputError,
    Stage,
    Urgency,
    evaluate,
    parse_decision_input,
)
from spinecare.clinical.decision.red_flags import DEFICIT_KEYS
from spinecare.clinical.findings import Findings
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.clinical.triage.knowledge.red_flags import (
    RED_FLAG_KEYS,
    RULES,
    TRUE_RED_FLAG_KEYS,
    UNSURE_ESCALATING_KEYS,
)
from spinecare.clinical.vocabulary import VOCABULARY, FindingType

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)
RULE_IDS = {r.id for r in RULES}
# A plain neurogenic-claudication presentation, written here (not taken from the aid).
STENOSIS = {"back_pain": True, "leg_pain": True, "leg_symptoms_walking": True,
            "relief_sitting_or_flexion": True}
# Red-flag findings a person can answer (examination signs need a clinician).
ASKABLE = sorted(k for k in RED_FLAG_KEYS
                 if VOCABULARY[k].type is FindingType.BOOL and not VOCABULARY[k].clinician_only)
# FINDINGS.md keys added for issue 9 that the triage rules read as red flags but that
# are not (yet) listed in TRUE_RED_FLAG_KEYS.
NEWER_KEYS = {"known_aortic_aneurysm", "urinary_hesitancy_new"}
# Timing words the aid asks as "getting worse" in its deficit question.
TIMING = {"onset_sudden", "recent_worsening"}


def triage_level(findings: dict[str, bool]) -> Level | None:
    result = ENGINE.evaluate(Findings({**STENOSIS, **findings}))
    return max((r.level for r in result.reasons if r.rule_id in RULE_IDS), default=None)


def aid(condition: str = "lumbar_spinal_stenosis", deficit: str = "none", severe: bool = False,
        **answers: object):
    signs: dict[str, object] = {k: False for k in WARNING_SIGNS}
    signs.update(answers)
    raw = {"condition": condition, "conservative_weeks": 20, "benefit": "none",
           "deficit": deficit, "severe_deficit": severe, "warning_signs": signs}
    return evaluate(parse_decision_input(raw), ENGINE, emergency_number="999")


def told_to_the_aid(keys: tuple[str, ...]) -> dict[str, object] | None:
    """The aid's answers that say ``keys`` are present, or None if it has no way to."""
    answers: dict[str, object] = {}
    deficit, severe = "none", False
    for key in keys:
        if key in WARNING_SIGNS:
            answers[key] = True
        elif key in DEFICIT_KEYS or key in TIMING:
            deficit = "progressive" if key in TIMING or "progress" in key else \
                max(deficit, "stable")
            severe = severe or key in ("weakness_severe", "foot_drop")
        elif key not in STENOSIS:
            return None
    return {"deficit": deficit, "severe": severe, **answers}


def test_every_warning_sign_is_a_triage_red_flag_with_the_vocabulary_question():
    for key, sign in WARNING_SIGNS.items():
        # A key the triage rules read as a red flag; a sign that stops the aid on its
        # own is one of the red flags proper (or a newer key of FINDINGS.md).
        assert key in RED_FLAG_KEYS, key
        if sign.urgency(ENGINE) is not Urgency.COMBINATION:
            assert key in TRUE_RED_FLAG_KEYS or key in NEWER_KEYS, key
        assert sign.question == VOCABULARY[key].question and sign.question, key
        assert not VOCABULARY[key].clinician_only, key
        assert sign.references, key  # the triage rules that read it


def test_the_level_each_sign_alone_leads_to_is_the_triage_level():
    for key, sign in WARNING_SIGNS.items():
        expected = triage_level({key: True})
        wanted = {Level.EMERGENCY: Urgency.EMERGENCY, Level.URGENT: Urgency.URGENT}.get(
            expected, Urgency.COMBINATION)  # type: ignore[arg-type]
        assert sign.urgency(ENGINE) is wanted, key


EMERGENCY_ALONE = [k for k in ASKABLE if triage_level({k: True}) is Level.EMERGENCY]


def test_the_cauda_equina_and_aneurysm_signs_are_emergencies_alone():
    assert {"saddle_anaesthesia", "bladder_dysfunction", "bowel_dysfunction",
            "sudden_severe_tearing_pain"} <= set(EMERGENCY_ALONE)


@pytest.mark.parametrize("key", EMERGENCY_ALONE)
def test_every_sign_that_alone_is_an_emergency_for_stenosis_is_asked(key):
    answers = told_to_the_aid((key,))
    assert answers is not None, f"the aid does not ask {key}"
    assert aid(**answers).stage is Stage.EMERGENCY, key  # type: ignore[arg-type]


def test_every_pair_that_is_an_emergency_for_stenosis_can_be_told_to_the_aid():
    checked = 0
    for a, b in itertools.combinations(ASKABLE, 2):
        if a in EMERGENCY_ALONE or b in EMERGENCY_ALONE:
            continue  # the single-sign test covers it
        if triage_level({a: True, b: True}) is not Level.EMERGENCY:
            continue
        checked += 1
        answers = told_to_the_aid((a, b))
        assert answers is not None, f"the aid cannot be told {a} + {b}"
        result = aid(**answers)  # type: ignore[arg-type]
        assert result.stage is Stage.EMERGENCY, (a, b)
    assert checked > 20  # the comparison really ran (cauda equina, infection, cancer...)


@pytest.mark.parametrize("key", sorted(WARNING_SIGNS))
def test_not_sure_about_a_serious_sign_stops_the_comparison(key):
    result = aid(**{key: "not_sure"})
    if WARNING_SIGNS[key].urgency(ENGINE) is Urgency.COMBINATION:
        assert not result.bypassed  # weak alone in triage too: options are shown
        return
    assert result.stage is Stage.URGENT_REVIEW and result.options == ()
    assert result.advice is not None and "Not sure is not the same as no" in result.advice.text


def test_the_triage_unsure_rule_is_applied_to_its_own_keys():
    for key in UNSURE_ESCALATING_KEYS & set(WARNING_SIGNS):
        reasons = aid(**{key: "not_sure"}).stage_reasons
        assert reasons[0].rule_id in ("DA-RF-URGENT", "DA-RF-UNSURE"), key


def test_unanswered_signs_are_refused_not_read_as_no():
    signs = {k: False for k in WARNING_SIGNS}
    del signs["saddle_anaesthesia"]
    raw = {"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20,
           "benefit": "none", "deficit": "none", "warning_signs": signs}
    with pytest.raises(DecisionInputError, match="saddle_anaesthesia"):
        parse_decision_input(raw)


def test_combinations_follow_triage_cancer_with_a_deficit_is_an_emergency():
    assert aid(history_of_cancer=True).stage is Stage.URGENT_REVIEW
    # NICE NG234 via the triage rule RF-MAL-MSCC: a nerve deficit with a cancer history.
    result = aid(history_of_cancer=True, deficit="stable")
    assert result.stage is Stage.EMERGENCY
    assert "nice-ng234" in result.stage_reasons[0].references


def test_a_weak_sign_alone_is_noted_not_a_stop():
    result = aid(night_sweats=True)
    assert not result.bypassed
    assert [n.rule_id for n in result.notes] == ["DA-RF-TELL-DOCTOR"]
    assert aid(night_sweats=True, fever=True).bypassed
