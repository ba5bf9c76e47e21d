"""The decision aid's JSON reads back as the same result: ``from_dict(to_dict(r)) == r`` and
the JSON written again is identical, over the pathway's conditions, stages and bypasses."""

from __future__ import annotations

import itertools
import json

import pytest

from spinecare.clinical.decision import (
    SUPPORTED_CONDITIONS,
    WARNING_SIGNS,
    DecisionResult,
    evaluate,
    parse_decision_input,
)
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)
NO_SIGNS = {k: "no" for k in WARNING_SIGNS}
FIRST_SIGN = next(iter(WARNING_SIGNS))

CARE = [
    {"conservative_weeks": 0, "deficit": "none"},
    {"conservative_weeks": 12, "benefit": "some", "deficit": "stable"},
    {"conservative_weeks": 30, "benefit": "none", "deficit": "progressive",
     "severe_deficit": True, "odi": 48, "pain_nrs": 7.5, "walking_distance_m": 150,
     "injections_12m": 2},
]
SIGNS = [NO_SIGNS, {**NO_SIGNS, FIRST_SIGN: "yes"}, {**NO_SIGNS, FIRST_SIGN: "not_sure"}]
CASES = list(itertools.product(sorted(SUPPORTED_CONDITIONS), range(len(CARE)),
                               range(len(SIGNS))))


@pytest.mark.parametrize(("condition", "care", "signs"), CASES)
def test_a_decision_result_reads_back_equal_with_identical_json(condition, care, signs):
    raw = {"condition": condition, **CARE[care], "warning_signs": SIGNS[signs]}
    result = evaluate(parse_decision_input(raw), ENGINE, emergency_number="999")
    text = json.dumps(result.to_dict())
    read = DecisionResult.from_dict(json.loads(text))
    assert read == result
    assert json.dumps(read.to_dict()) == text


def test_the_derived_keys_are_recomputed_not_read() -> None:
    raw = {"condition": "lumbar_spinal_stenosis", **CARE[1], "warning_signs": NO_SIGNS}
    original = evaluate(parse_decision_input(raw), ENGINE).to_dict()
    edited = {**original, "stage_title": "something else", "bypassed": not original["bypassed"],
              "rule_ids": []}
    assert DecisionResult.from_dict(edited).to_dict() == original
