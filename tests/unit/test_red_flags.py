"""Each red-flag rule fires on its published pattern, at the level it demands; weak single
flags alone do not escalate (Downie 2013, Finucane 2020)."""

from __future__ import annotations

import pytest

from spinecare.clinical.findings import parse_findings
from spinecare.clinical.knowledge.red_flags import RULES
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.levels import Level

ENGINE = TriageEngine()


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
