"""Diary days and walking tests as FHIR R4 Observations: valid for the R4B models, our codes
checked (LOINC check digits, verified list, UCUM), nothing emitted for what was not recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime

from spinecare.adapters.fhir import code_problems, validate_resource
from spinecare.adapters.fhir.constants import LOINC
from spinecare.adapters.fhir.diary import (
    CONCEPTS,
    DIARY_SYSTEM,
    day_observations,
    diary_observations,
    walking_test_observation,
)
from spinecare.clinical.diary.model import (
    RELIEF_CHOICES,
    STOP_REASONS,
    DayRecord,
    WalkingTestRecord,
)

DAY = DayRecord(date(2026, 3, 1), back_pain=4, leg_pain=7, walking_minutes=12.5,
                standing_minutes=6, flare=True, sitting_hours=7, sleep_quality=2,
                epidural_injection=False)
TEST = WalkingTestRecord(datetime(2026, 3, 2, 10, tzinfo=UTC), 612, "symptoms", 240, 500,
                         "bend_forward", 5)


def test_every_observation_validates_and_uses_only_checked_codes() -> None:
    resources = diary_observations([DAY], [("7", TEST)], person_id="1",
                                   subject_ref="urn:uuid:patient")
    # 2 pains, walking + standing + sitting, sleep, flare, epidural, the test
    assert len(resources) == 2 + 3 + 1 + 1 + 1 + 1
    for resource in resources:
        validate_resource(resource, "Observation")
        assert code_problems(resource) == []


def test_pain_uses_loinc_72514_3_with_the_site() -> None:
    pains = [o for o in day_observations(DAY, person_id="1", subject_ref="urn:uuid:p")
             if o["code"]["coding"][0]["system"] == LOINC]
    assert [o["code"]["coding"][0]["code"] for o in pains] == ["72514-3", "72514-3"]
    assert [o["bodySite"]["coding"][0]["code"] for o in pains] == ["site-back", "site-leg"]
    assert [o["valueQuantity"]["value"] for o in pains] == [4, 7]
    assert pains[0]["effectiveDateTime"] == "2026-03-01"


def test_unknown_is_left_out_not_sent_as_zero() -> None:
    empty = day_observations(DayRecord(date(2026, 3, 1)), person_id="1", subject_ref="x")
    assert empty == []


def test_walking_test_components() -> None:
    obs = walking_test_observation(TEST, test_id="7", person_id="1", subject_ref="x")
    assert obs["code"]["coding"][0] == {"system": DIARY_SYSTEM, "code": "self-paced-walking-test",
                                        "display": CONCEPTS["self-paced-walking-test"]}
    assert obs["valueQuantity"]["value"] == 10.2 and obs["valueQuantity"]["code"] == "min"
    codes = {c["code"]["coding"][0]["code"]: c for c in obs["component"]}
    assert codes["55411-3"]["valueQuantity"]["value"] == 10.2  # LOINC exercise duration
    assert codes["walking-test-first-symptom"]["valueQuantity"]["value"] == 4
    assert codes["walking-test-distance"]["valueQuantity"] == {
        "value": 500, "unit": "m", "system": "http://unitsofmeasure.org", "code": "m"}
    assert codes["walking-test-relief"]["valueCodeableConcept"]["coding"][0]["code"] == \
        "relief-bend_forward"
    # 55430-3 is a pedometer distance: never claimed for a person's estimate.
    assert "55430-3" not in str(obs)


def test_every_stop_reason_and_relief_has_a_concept() -> None:
    for key in STOP_REASONS:
        assert f"stop-{key}" in CONCEPTS
    for key in RELIEF_CHOICES:
        assert f"relief-{key}" in CONCEPTS
