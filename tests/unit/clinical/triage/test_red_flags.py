"""Each red-flag rule fires on its published pattern, at the level it demands; weak single
flags alone do not escalate (Downie 2013, Finucane 2020)."""

from __future__ import annotations

import pytest

from spinecare.clinical.findings import parse_findings
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.clinical.triage.knowledge.red_flags import RULES

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)


def run(**findings):
    return ENGINE.evaluate(parse_findings(findings))


def fired(result) -> set[str]:
    return {r.rule_id for r in result.reasons}


# One minimal published pattern per rule: (rule id, findings, expected level).
PATTERNS = [
    ("RF-CES-SADDLE", {"back_pain": True, "saddle_anaesthesia": True}, Level.EMERGENCY),
    ("RF-CES-SPHINCTER", {"leg_pain": True, "bladder_dysfunction": True}, Level.EMERGENCY),
    ("RF-CES-SEXUAL", {"back_pain": True, "sexual_dysfunction_new": True}, Level.EMERGENCY),
    ("RF-NEURO-BILATERAL-PROGRESSIVE",
     {"back_pain": True, "leg_weakness": True, "leg_weakness_bilateral": True,
      "weakness_progressive": True}, Level.EMERGENCY),
    ("RF-NEURO-PROGRESSIVE",
     {"leg_pain": True, "leg_weakness": True, "weakness_progressive": True}, Level.URGENT),
    ("RF-NEURO-PROGRESSIVE", {"leg_pain": True, "foot_drop": True}, Level.URGENT),
    ("RF-NEURO-CANNOT-WALK", {"back_pain": True, "unable_to_walk_or_stand": True},
     Level.URGENT),
    ("RF-DCM", {"age": 60, "hand_clumsiness": True, "balance_problems": True}, Level.URGENT),
    ("RF-DCM-EMERGENCY",
     {"hand_clumsiness": True, "balance_problems": True, "bladder_dysfunction": True},
     Level.EMERGENCY),
    ("RF-INF-FEVER", {"back_pain": True, "fever": True}, Level.URGENT),
    ("RF-INF-FEVER-RISK", {"back_pain": True, "fever": True, "iv_drug_use": True},
     Level.EMERGENCY),
    ("RF-INF-NEURO",
     {"back_pain": True, "fever": True, "leg_weakness": True}, Level.EMERGENCY),
    ("RF-INF-RISK-PAIN",
     {"back_pain": True, "recent_spinal_procedure": True, "night_pain_unrelenting": True},
     Level.URGENT),
    ("RF-MAL-HISTORY", {"thoracic_pain": True, "history_of_cancer": True}, Level.URGENT),
    ("RF-MAL-MSCC",
     {"thoracic_pain": True, "history_of_cancer": True, "leg_weakness": True}, Level.EMERGENCY),
    ("RF-MAL-COMBINATION",
     {"age": 62, "back_pain": True, "unexplained_weight_loss": True}, Level.URGENT),
    ("RF-FX-TRAUMA", {"neck_pain": True, "trauma_recent": True}, Level.EMERGENCY),
    ("RF-FX-FRAGILITY",
     {"thoracic_pain": True, "minor_trauma_or_strain": True, "osteoporosis": True},
     Level.URGENT),
    ("RF-FX-FRAGILITY-NEURO",
     {"back_pain": True, "falls_recent": True, "long_term_steroids": True,
      "numbness_tingling_legs": True}, Level.EMERGENCY),
    ("RF-AAA", {"age": 74, "back_pain": True, "collapse_or_faintness": True}, Level.EMERGENCY),
    ("RF-AAA", {"sudden_severe_tearing_pain": True}, Level.EMERGENCY),
    ("RF-VASC-CLTI", {"leg_pain": True, "foot_pain_at_rest": True}, Level.URGENT),
    ("RF-VASC-ACUTE", {"cold_pale_feet_or_skin_changes": True, "onset_sudden": True},
     Level.EMERGENCY),
    # Issue 9 §4 branches.
    ("RF-CES-BILATERAL-SCIATICA",
     {"back_pain": True, "leg_pain": True, "leg_symptoms_bilateral": True,
      "duration_weeks": 1}, Level.EMERGENCY),
    ("RF-CES-SPHINCTER", {"leg_pain": True, "urinary_hesitancy_new": True}, Level.EMERGENCY),
    ("RF-CORD-SPHINCTER", {"neck_pain": True, "bowel_dysfunction": True}, Level.EMERGENCY),
    ("RF-CORD-SPHINCTER", {"thoracic_pain": True, "saddle_anaesthesia": True}, Level.EMERGENCY),
    ("RF-NEURO-RAPID",
     {"leg_pain": True, "foot_drop": True, "weakness_progressive": True,
      "recent_worsening": True}, Level.EMERGENCY),
    ("RF-GAIT-NEW", {"back_pain": True, "balance_problems": True}, Level.URGENT),
    ("RF-INF-PROCEDURE",
     {"back_pain": True, "recent_spinal_procedure": True, "recent_worsening": True},
     Level.EMERGENCY),
    ("RF-INF-PROCEDURE",
     {"back_pain": True, "recent_spinal_procedure": True, "leg_weakness": True},
     Level.EMERGENCY),
    ("RF-INF-FEVER-RISK", {"back_pain": True, "fever": True, "diabetes": True},
     Level.EMERGENCY),
    ("RF-INF-NEURO", {"neck_pain": True, "fever": True, "arm_weakness": True},
     Level.EMERGENCY),
    ("RF-MAL-MSCC", {"history_of_cancer": True, "balance_problems": True}, Level.EMERGENCY),
    ("RF-MAL-MSCC",
     {"age": 70, "back_pain": True, "unexplained_weight_loss": True, "leg_weakness": True},
     Level.EMERGENCY),
    ("RF-MAL-MSCC", {"band_like_trunk_pain": True, "history_of_cancer": True},
     Level.EMERGENCY),
    ("RF-WEAK-FLAGS",
     {"age": 58, "back_pain": True, "night_pain_unrelenting": True, "duration_weeks": 8,
      "symptoms_improving": False}, Level.ROUTINE),
    ("RF-FX-TRAUMA", {"trauma_recent": True, "leg_weakness": True}, Level.EMERGENCY),
    ("RF-FX-RIGID-SPINE",
     {"back_pain": True, "rigid_spine_condition": True, "minor_trauma_or_strain": True},
     Level.EMERGENCY),
    ("RF-FX-OLDER-INJURY", {"age": 70, "neck_pain": True, "falls_recent": True},
     Level.EMERGENCY),
    ("RF-FX-OLDER-INJURY",
     {"age": 66, "back_pain": True, "minor_trauma_or_strain": True,
      "numbness_tingling_legs": True}, Level.EMERGENCY),
    ("RF-FX-FRAGILITY", {"age": 88, "thoracic_pain": True, "onset_sudden": True},
     Level.URGENT),
    ("RF-AAA-KNOWN", {"age": 60, "back_pain": True, "known_aortic_aneurysm": True},
     Level.EMERGENCY),
    ("RF-AAA-SUDDEN-OLDER",
     {"age": 75, "back_pain": True, "onset_sudden": True, "back_pain_score": 9},
     Level.EMERGENCY),
    ("RF-VASC-ACUTE",
     {"leg_pain": True, "cold_pale_feet_or_skin_changes": True, "numbness_tingling_legs": True,
      "onset_sudden": False}, Level.EMERGENCY),
]


@pytest.mark.parametrize(("rule_id", "findings", "level"), PATTERNS,
                         ids=[f"{p[0]}-{i}" for i, p in enumerate(PATTERNS)])
def test_rule_fires_at_its_level(rule_id, findings, level):
    result = run(**findings)
    assert rule_id in fired(result)
    assert result.level is level
    reason = next(r for r in result.reasons if r.rule_id == rule_id)
    assert reason.references and reason.text
    assert set(reason.findings) <= set(findings)  # it explains itself with real findings


def test_every_rule_has_a_pattern_here():
    assert {r.id for r in RULES} == {p[0] for p in PATTERNS}


@pytest.mark.parametrize(
    "findings",
    [
        {"age": 78, "back_pain": True, "pain_mechanical": True},
        {"age": 45, "back_pain": True, "night_pain_unrelenting": True},
        {"age": 35, "back_pain": True, "unexplained_weight_loss": True},
        {"age": 67, "thoracic_pain": True, "pain_mechanical": True},
        {"age": 55, "back_pain": True, "diabetes": True},
        {"age": 40, "back_pain": True, "minor_trauma_or_strain": True, "onset_sudden": True},
    ],
)
def test_weak_single_flags_do_not_send_benign_pain_to_urgent_care(findings):
    assert run(**findings).level <= Level.ROUTINE


def test_known_stenosis_does_not_explain_new_sphincter_symptoms():
    # Acute-on-chronic: a long history of stenosis plus new bladder change is an emergency.
    result = run(age=72, duration_weeks=150, imaging_shows_stenosis=True, leg_pain=True,
                 leg_symptoms_walking=True, relief_sitting_or_flexion=True,
                 bladder_dysfunction=True)
    assert result.level is Level.EMERGENCY
    assert "RF-CES-SPHINCTER" in fired(result)


def test_emergency_advice_names_the_configured_number():
    result = ENGINE.evaluate(parse_findings({"back_pain": True, "saddle_anaesthesia": True}),
                             country="GB")
    assert result.advice.emergency_number == "999 or 112"
    assert "999" in result.advice.headline
    default = run(back_pain=True, saddle_anaesthesia=True)
    assert default.advice.emergency_number == "112"
    assert "another emergency number" in default.advice.emergency_note


def test_wording_never_claims_a_diagnosis():
    result = run(age=71, back_pain=True, leg_pain=True, leg_symptoms_walking=True,
                 relief_sitting_or_flexion=True)
    for cond in result.conditions:
        assert "consistent with" in cond.explanation or "may" in cond.explanation
    assert "not a diagnosis" in result.disclaimer


def test_to_dict_is_plain_json_with_every_field():
    import dataclasses
    import json

    result = run(age=71, back_pain=True, leg_pain=True, leg_symptoms_walking=True,
                 relief_sitting_or_flexion=True, fever=True)
    data = json.loads(json.dumps(result.to_dict()))
    assert {f.name for f in dataclasses.fields(result)} == set(data)
    assert data["level"] == result.level.value
    assert data["conditions"][0]["id"] == result.conditions[0].id
    assert set(data["conditions"][0]) == {f.name for f in dataclasses.fields(
        result.conditions[0])}
    assert set(data["advice"]) == {f.name for f in dataclasses.fields(result.advice)}
    assert set(data["scores"][0]) == {f.name for f in dataclasses.fields(result.scores[0])}
    assert data["reasons"][0]["findings"]


def test_conditions_supported_by_age_or_sex_alone_are_not_listed():
    result = run(age=75, sex="male", back_pain=True)
    listed = {c.id for c in result.conditions}
    assert "abdominal_aortic_aneurysm" not in listed and "vertebral_fracture" not in listed
    for cond in result.conditions:
        assert set(cond.supporting) - {"age 70 or over", "male", "age 65 or over"}


# --- issue 9 §5: over-triage that must go -------------------------------------------------

CES_CLEAR = {"saddle_anaesthesia": False, "bladder_dysfunction": False,
             "bowel_dysfunction": False, "urinary_hesitancy_new": False,
             "trauma_recent": False}
# The aneurysm screen for back pain from 50 (NICE CKS AAA).
AORTA_CLEAR = {"sudden_severe_tearing_pain": False, "collapse_or_faintness": False,
               "known_aortic_aneurysm": False, "abdominal_or_flank_pain": False,
               "pulsatile_abdominal_mass": False}


def test_weak_flags_together_mean_routine_with_tests_not_urgent():
    result = run(age=63, back_pain=True, night_pain_unrelenting=True, duration_weeks=6,
                 symptoms_improving=False, **CES_CLEAR)
    assert result.level is Level.ROUTINE
    assert "RF-WEAK-FLAGS" in fired(result)


def test_no_cliff_at_fifty_for_a_single_weak_flag():
    below = run(age=49, back_pain=True, pain_mechanical=True, duration_weeks=1, **CES_CLEAR)
    above = run(age=50, back_pain=True, pain_mechanical=True, duration_weeks=1, **CES_CLEAR,
                **AORTA_CLEAR)
    assert below.level is above.level is Level.SELF_CARE


def test_radiculopathy_needs_leg_pain():
    # Worse bending, lifting onset, under 50: 4 points of the sciatica pattern, no leg pain.
    result = run(age=45, back_pain=True, pain_worse_sitting_or_bending=True,
                 onset_after_lifting_or_twisting=True, leg_pain=False, duration_weeks=1,
                 **CES_CLEAR)
    sciatica = [c for c in result.conditions
                if c.id == "lumbar_radiculopathy_disc_herniation"]
    assert not sciatica or sciatica[0].likelihood == "unlikely"
    assert result.level is Level.SELF_CARE


def test_benign_back_pain_without_a_label_is_self_care_with_a_safety_net():
    result = run(age=44, back_pain=True, duration_weeks=2, numbness_tingling_legs=False,
                 leg_weakness=False, **CES_CLEAR)
    assert result.level is Level.SELF_CARE
    assert result.reasons[0].rule_id in {"BENIGN-FALLBACK", "DX-nonspecific_low_back_pain"}
    assert result.advice.watch_for  # the safety net


def test_long_standing_unchanged_pain_is_self_care_but_recent_worsening_is_routine():
    stable = run(age=70, back_pain=True, duration_weeks=400, recent_worsening=False,
                 **CES_CLEAR, **AORTA_CLEAR)
    worse = run(age=70, back_pain=True, duration_weeks=400, recent_worsening=True,
                **CES_CLEAR, **AORTA_CLEAR)
    assert stable.level is Level.SELF_CARE
    assert worse.level is Level.ROUTINE


def test_aneurysm_risk_factors_alone_are_not_a_triage_level():
    # NG156 screening advice is information: an older male ex-smoker's mechanical ache.
    result = run(age=70, sex="male", former_smoker=True, vascular_disease_history=True,
                 back_pain=True, pain_mechanical=True, duration_weeks=1, **CES_CLEAR,
                 **AORTA_CLEAR)
    assert result.level is Level.SELF_CARE
    aaa = [c for c in result.conditions if c.id == "abdominal_aortic_aneurysm"]
    assert not aaa or aaa[0].likelihood == "unlikely"


def test_young_person_neck_pain_after_a_low_speed_bump_is_not_an_emergency():
    # Canadian C-spine rule: no high-risk factor (under 65, no dangerous mechanism, no
    # tingling in the arms) means no imaging.
    result = run(age=30, neck_pain=True, minor_trauma_or_strain=True, trauma_recent=False,
                 numbness_tingling_arms_hands=False, arm_weakness=False,
                 saddle_anaesthesia=False, bladder_dysfunction=False, bowel_dysfunction=False,
                 urinary_hesitancy_new=False)
    assert result.level <= Level.ROUTINE
    older = run(age=67, neck_pain=True, minor_trauma_or_strain=True, trauma_recent=False)
    assert older.level is Level.EMERGENCY


def test_long_standing_chemotherapy_neuropathy_is_not_cord_compression():
    result = run(age=55, history_of_cancer=True, duration_weeks=156,
                 numbness_tingling_legs=True, burning_feet_stocking_distribution=True,
                 recent_worsening=False)
    assert result.level is Level.ROUTINE
    new = run(age=55, history_of_cancer=True, duration_weeks=2, numbness_tingling_legs=True)
    assert new.level is Level.EMERGENCY


def test_stenosis_claudication_in_both_legs_is_not_bilateral_sciatica():
    result = run(age=72, leg_pain=True, leg_symptoms_bilateral=True, leg_symptoms_walking=True,
                 relief_sitting_or_flexion=True, duration_weeks=2)
    assert "RF-CES-BILATERAL-SCIATICA" not in fired(result)


def test_under_16_gets_no_adult_result():
    result = run(age=14, back_pain=True, pain_mechanical=True, duration_weeks=1)
    assert result.level is Level.URGENT
    assert result.reasons[0].rule_id == "AGE-UNDER-16"
    assert result.conditions == ()
    assert "for adults" in result.advice.headline and "adults" in result.advice.do_now[0]
    emergency = run(age=15, back_pain=True, saddle_anaesthesia=True)
    assert emergency.level is Level.EMERGENCY
    assert emergency.reasons[0].rule_id == "AGE-UNDER-16"


def test_a_rigid_spine_asks_about_any_injury_and_infection_risk_asks_about_night_pain():
    rigid = run(age=55, neck_pain=True, rigid_spine_condition=True)
    assert {"minor_trauma_or_strain", "falls_recent"} <= {q.finding for q in rigid.open_questions}
    drugs = run(age=29, back_pain=True, iv_drug_use=True)
    assert "night_pain_unrelenting" in {q.finding for q in drugs.open_questions}


def test_falls_from_slow_myelopathy_are_not_a_fracture_emergency():
    # Six months of clumsy hands and falls without pain: myelopathy (urgent), not an injury.
    result = run(age=68, hand_clumsiness=True, balance_problems=True, falls_recent=True,
                 duration_weeks=26, neck_pain=False, back_pain=False)
    assert "RF-FX-OLDER-INJURY" not in fired(result)
    assert result.level is Level.URGENT
