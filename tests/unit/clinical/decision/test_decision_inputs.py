"""Input validation for the decision aid: clear errors, all at once, never a crash."""

from __future__ import annotations

import pytest

from spinecare.clinical.decision import (
    WARNING_SIGNS,
    Benefit,
    DecisionInputError,
    Deficit,
    parse_decision_input,
)

VALID = {"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20,
         "benefit": "none", "deficit": "none",
         "warning_signs": {k: False for k in WARNING_SIGNS}}


def problems(raw):
    with pytest.raises(DecisionInputError) as info:
        parse_decision_input(raw)
    return {p.field: p.message for p in info.value.problems}


def test_valid_input_is_parsed_with_defaults():
    inp = parse_decision_input({**VALID, "benefit": "NONE ", "odi": "46"})
    assert inp.benefit is Benefit.NONE and inp.deficit is Deficit.NONE
    assert inp.odi == 46.0 and inp.injections_12m == 0 and inp.red_flags == ()


def test_required_fields_are_named_with_how_to_fix():
    found = problems({})
    assert set(found) == {"condition", "conservative_weeks", "deficit", "warning_signs"}
    assert "lumbar_spinal_stenosis" in found["condition"]
    assert "0 if none" in found["conservative_weeks"]


def test_benefit_is_required_once_care_has_been_tried():
    assert "benefit" in problems({**VALID, "benefit": None})
    assert parse_decision_input({**VALID, "conservative_weeks": 0, "benefit": None}).benefit is None


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("conservative_weeks", -1, "out of range"),
        ("conservative_weeks", 9999, "0 to 520"),
        ("conservative_weeks", True, "must be a number"),
        ("odi", 101, "0 to 100"),
        ("odi", float("nan"), "out of range"),
        ("pain_nrs", 11, "0 to 10"),
        ("zcq_symptom", 0.5, "1 to 5"),
        ("zcq_function", 4.5, "1 to 4"),
        ("walking_distance_m", -5, "out of range"),
        ("injections_12m", 1.5, "whole number"),
        ("benefit", "great", "none, some, good"),
        ("deficit", "worse", "none, stable, progressive"),
        ("severe_deficit", "yes", "true or false"),
        ("red_flags", "fever", "list"),
        ("red_flags", ["fevr"], "unknown warning sign"),
        ("warning_signs", ["fever"], "must be an object"),
        ("warning_signs", {"fevr": False}, "unknown warning sign 'fevr'"),
        ("warning_signs.fever", "maybe", 'false (no) or "not_sure"'),
    ],
)
def test_bad_values_get_a_clear_message(field, value, fragment):
    if field.startswith("warning_signs."):
        raw = {**VALID, "warning_signs": {**VALID["warning_signs"], "fever": value}}
    elif field == "warning_signs" and isinstance(value, dict):
        raw = {**VALID, "warning_signs": {**VALID["warning_signs"], **value}}
    else:
        raw = {**VALID, field: value}
    assert fragment in problems(raw)[field]


def test_all_problems_are_reported_together():
    found = problems({**VALID, "odi": 200, "pain_nrs": -1, "typo_field": 1})
    assert set(found) == {"odi", "pain_nrs", "typo_field"}


def test_conditions_outside_the_aid_are_redirected_not_accepted():
    assert "emergency" in problems({**VALID, "condition": "cauda_equina_syndrome"})["condition"]
    assert "vascular" in problems({**VALID, "condition": "vascular_claudication"})["condition"]
    assert "unknown condition" in problems({**VALID, "condition": "stenosis"})["condition"]


def test_values_answers_are_checked_against_the_questions():
    known = {"walk_further": ("a_lot", "somewhat", "not_much")}
    ok = parse_decision_input({**VALID, "values": {"walk_further": "a_lot"}}, value_questions=known)
    assert ok.values == {"walk_further": "a_lot"}
    with pytest.raises(DecisionInputError, match="answer must be one of"):
        parse_decision_input({**VALID, "values": {"walk_further": "yes"}}, value_questions=known)
    with pytest.raises(DecisionInputError, match="unknown question"):
        parse_decision_input({**VALID, "values": {"nope": "a_lot"}}, value_questions=known)


def test_not_a_mapping():
    with pytest.raises(DecisionInputError, match="object"):
        parse_decision_input(["condition"])  # type: ignore[arg-type]


def test_red_flags_survive_other_invalid_fields():
    from spinecare.clinical.decision.inputs import signs_only

    inp = signs_only({"red_flags": ["Saddle_Anaesthesia ", "nonsense"], "odi": 900})
    assert inp is not None and inp.red_flags == ("saddle_anaesthesia",)
    assert signs_only({"red_flags": [], "odi": 900}) is None
    assert signs_only({"red_flags": "fever"}) is None


def test_unanswered_warning_signs_are_named_never_read_as_no():
    answers = dict(VALID["warning_signs"])
    del answers["bowel_dysfunction"], answers["fever"]
    message = problems({**VALID, "warning_signs": answers})["warning_signs"]
    assert "bowel_dysfunction, fever" in message and "never read as 'no'" in message
    # null is "not answered yet", exactly like an absent key.
    nulls = problems({**VALID, "warning_signs": {**answers, "fever": None}})["warning_signs"]
    assert "fever" in nulls


@pytest.mark.parametrize(("given", "expected"), [
    (True, "yes"), (False, "no"), ("not_sure", "not_sure"), ("Not sure", "not_sure"),
    ("yes", "yes"), ("no", "no"),
])
def test_sign_answers_are_normalised(given, expected):
    inp = parse_decision_input({**VALID, "warning_signs": {**VALID["warning_signs"],
                                                           "fever": given}})
    assert inp.warning_signs["fever"].value == expected
    assert ("fever" in inp.red_flags) is (expected == "yes")


def test_an_old_red_flags_id_is_a_yes_that_wins_over_a_no():
    inp = parse_decision_input({**VALID, "red_flags": ["fever"]})
    assert inp.warning_signs["fever"].value == "yes" and inp.red_flags == ("fever",)


@pytest.mark.parametrize("value", [10**4000, -(10**4000), 10**400])
def test_an_integer_too_large_for_a_float_is_out_of_range_not_a_crash(value):
    """json.loads accepts integers of up to 4,300 digits; math.isfinite on one raised
    OverflowError (a 500 on /decide/summary)."""
    found = problems({**VALID, "conservative_weeks": value, "odi": value})
    assert found["conservative_weeks"] == (
        "a number of more than 20 digits is out of range: must be a number from 0 to 520 weeks")
    assert "out of range" in found["odi"]
