"""Negation and uncertainty: the "and" leak of medspaCy's default ConText, and our fix.

The leak is shown on medspaCy's own default rules first, so this file would notice
if a medspaCy upgrade changed the behaviour we work around.
"""

from __future__ import annotations

import pytest
from loguru import logger

from spinecare.adapters.intake import extract_findings

logger.disable("PyRuSH")


def _default_context_negates_weakness(text: str) -> bool:
    import medspacy
    from medspacy.target_matcher import TargetRule

    nlp = medspacy.load()
    nlp.get_pipe("medspacy_target_matcher").add([
        TargetRule("fever", "SYMPTOM"),
        TargetRule("legs are weak", "LEG_WEAKNESS",
                   pattern=[{"LOWER": "legs"}, {"LOWER": "are"}, {"LOWER": "weak"}]),
    ])
    doc = nlp(text)
    return next(e for e in doc.ents if e.label_ == "LEG_WEAKNESS")._.is_negated


@pytest.mark.parametrize("text", [
    "I can't feel when I wipe and my legs are weak",
    "no fever and no chills, my legs are weak",
])
def test_medspacy_default_rules_leak_negation_and_ours_do_not(text):
    assert _default_context_negates_weakness(text) is True   # the known pitfall
    findings = extract_findings(text).findings
    assert findings["leg_weakness"] is True                  # fixed here


# A present red flag must never come out false or unknown because of a negation elsewhere.
PRESENT = [
    ("I can't feel when I wipe and my legs are weak",
     {"saddle_anaesthesia": True, "leg_weakness": True}),
    ("no fever and no chills, my legs are weak", {"fever": False, "leg_weakness": True}),
    ("No fever, but I've wet myself twice", {"fever": False, "bladder_dysfunction": True}),
    ("I don't smoke and my bum has gone numb", {"smoker": False, "saddle_anaesthesia": True}),
    ("there's no pain in my back and I keep wetting myself",
     {"back_pain": False, "bladder_dysfunction": True}),
    ("No numbness, and my legs have gone really weak", {"leg_weakness": True}),
    ("Without any warning my legs went weak and I couldn't pee",
     {"leg_weakness": True, "bladder_dysfunction": True}),
    ("no leg pain, though my legs are going numb",
     {"leg_pain": False, "numbness_tingling_legs": True}),
    ("I never used to have trouble peeing", {"bladder_dysfunction": True}),
    ("No injury and no fever; my bladder has stopped working properly",
     {"trauma_recent": False, "fever": False, "bladder_dysfunction": True}),
    ("Haven't fallen, but both my legs keep giving way",
     {"falls_recent": False, "leg_weakness": True, "leg_weakness_bilateral": True}),
    ("I'm not diabetic but my feet are numb", {"diabetes": False,
                                                "numbness_tingling_legs": True}),
    ("No weight loss and no night sweats but I did have cancer in my kidney",
     {"unexplained_weight_loss": False, "night_sweats": False, "history_of_cancer": True}),
    ("I didn't fall, I was hit by a car", {"falls_recent": False, "trauma_recent": True}),
    ("I can't bend forward without pain in my back", {"back_pain": True}),
    ("Can't walk to the end of the street anymore without my legs going numb",
     {"numbness_tingling_legs": True}),
    ("I have no history of cancer and no weight loss and my legs feel weaker every day",
     {"history_of_cancer": False, "unexplained_weight_loss": False, "leg_weakness": True,
      "weakness_progressive": True}),
    ("No incontinence; I've noticed I can't feel when I'm going though",
     {"bladder_dysfunction": True}),
    ("There is no numbness in my legs, it's in my bottom and between my legs",
     {"numbness_tingling_legs": False, "saddle_anaesthesia": True}),
    ("No tingling in my arms and hands, but they feel weak",
     {"numbness_tingling_arms_hands": False, "arm_weakness": True}),
    ("Not only is my back killing me but I've also wet myself",
     {"back_pain": True, "bladder_dysfunction": True}),
    ("no one told me that numbness in the groin was serious", {"saddle_anaesthesia": True}),
    ("no idea why but I've wet myself twice", {"bladder_dysfunction": True}),
    ("not a lot of back pain. numbness round my bum though",
     {"back_pain": True, "saddle_anaesthesia": True}),
    ("there's nothing wrong with my legs except they've gone weak", {"leg_weakness": True}),
]


@pytest.mark.parametrize(("text", "expected"), PRESENT)
def test_negation_stops_at_the_clause_boundary(text, expected):
    findings = extract_findings(text).findings
    for key, value in expected.items():
        assert findings.get(key) is value, (key, findings)


@pytest.mark.parametrize(("text", "expected"), [
    ("no fever, chills or night sweats", {"fever": False, "night_sweats": False}),
    ("No numbness, tingling or weakness in my legs",
     {"numbness_tingling_legs": False, "leg_weakness": False}),
    ("No problems with my bladder or bowels",
     {"bladder_dysfunction": False, "bowel_dysfunction": False}),
    ("nothing down my legs, no tingling, bladder and bowels normal",
     {"leg_pain": False, "numbness_tingling_legs": False, "bladder_dysfunction": False,
      "bowel_dysfunction": False}),
    ("I don't have any weakness", {"leg_weakness": False}),
])
def test_negation_still_covers_a_plain_list(text, expected):
    findings = extract_findings(text).findings
    for key, value in expected.items():
        assert findings.get(key) is value, (key, findings)


@pytest.mark.parametrize(("text", "key"), [
    ("not sure about my bladder", "bladder_dysfunction"),
    ("I'm not sure if I can feel the paper when I wipe", "saddle_anaesthesia"),
    ("maybe my bladder is a bit weaker than it was", "bladder_dysfunction"),
    ("I think my waterworks are ok but I'm not certain", "bladder_dysfunction"),
    ("My bladder is OK, I think", "bladder_dysfunction"),
    ("I don't think I've got a temperature", "fever"),
    ("I'm scared my legs are getting weaker", "leg_weakness"),
    ("I might have had a temperature last night, I'm not sure", "fever"),
])
def test_uncertain_red_flags_stay_unknown_for_the_interview(text, key):
    result = extract_findings(text)
    assert key not in result.findings
    assert key in result.uncertain


def test_uncertainty_does_not_spread_to_the_next_clause():
    result = extract_findings("I'm not sure about my bladder, and my legs are weak")
    assert result.uncertain == ["bladder_dysfunction"]
    assert result.findings["leg_weakness"] is True


def test_a_present_red_flag_beats_an_earlier_normal_statement():
    # The story says both; the safe reading is that the red flag is there.
    findings = extract_findings("My bladder was fine last week. Now I've wet myself.").findings
    assert findings["bladder_dysfunction"] is True


def test_a_wildcard_in_a_phrase_never_swallows_a_negation():
    # "have … cancer" must not match across "no" and so escape negation.
    assert extract_findings("I have no history of cancer").findings == {
        "history_of_cancer": False}
    assert extract_findings("I wouldn't say my legs are weak").findings["leg_weakness"] is False


def test_a_normal_statement_answering_no_is_not_flipped():
    assert extract_findings("No, my bladder is fine.").findings == {"bladder_dysfunction": False}


def test_family_history_is_ignored():
    findings = extract_findings("My mum had breast cancer but I've never had it").findings
    assert findings.get("history_of_cancer") is not True
