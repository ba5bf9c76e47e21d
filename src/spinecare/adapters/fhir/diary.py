"""The symptom diary and the walking test as FHIR R4 Observations.

LOINC where a code exists and means what we record (docs/fhir.md):

- pain 0-10 per site: LOINC 72514-3 "Pain severity - 0-10 verbal numeric rating [Score] -
  Reported", the site in ``bodySite`` (our ``site-*`` codes with text);
- the walking test's total time: LOINC 55411-3 "Exercise duration" (minutes), on the
  test's ``duration`` component beside our own code.

Everything else has no LOINC code (the self-paced walking test, time to first symptom,
walking and standing tolerance, the person's own "am I in a flare?"): our code system
``DIARY_SYSTEM``, documented concept by concept in docs/fhir.md. LOINC 55430-3 "Walking
distance unspecified time Pedometer" is deliberately not used: its method is a pedometer,
and the distances here are the person's own estimate.

Pure over its inputs: ``DayRecord`` / ``WalkingTestRecord`` (the analytics' records) in,
dicts out; ids are deterministic (UUID v5), so exporting twice gives the same resources.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from spinecare.adapters.fhir.codes import code_problems
from spinecare.adapters.fhir.constants import (
    CANONICAL_BASE,
    LOINC,
    OBSERVATION_CATEGORY,
    UCUM,
    UCUM_UNITS,
    VERIFIED_LOINC,
)
from spinecare.clinical.diary.model import PAIN_SITES, DayRecord, WalkingTestRecord

DIARY_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/diary"
PAIN_NRS_LOINC = "72514-3"
EXERCISE_DURATION_LOINC = "55411-3"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, CANONICAL_BASE)

# Our concepts: code -> display. docs/fhir.md lists them with their definitions.
CONCEPTS: dict[str, str] = {
    "site-back": "Lower back",
    "site-leg": "Leg (buttock, thigh, calf or foot)",
    "site-neck": "Neck",
    "site-arm": "Arm (shoulder, arm or hand)",
    "walking-tolerance-minutes": "Walking before symptoms force a stop (minutes, diary)",
    "walking-tolerance-metres": "Walking before symptoms force a stop (metres, diary)",
    "standing-tolerance-minutes": "Standing before leg symptoms start (minutes, diary)",
    "flare-self-reported": "In a flare-up today (the person's own answer)",
    "sitting-hours": "Hours sitting today",
    "sleep-quality": "Sleep quality last night (1 very poor to 5 very good)",
    "epidural-injection": "Epidural steroid injection today",
    "self-paced-walking-test": "Self-paced walking test (own pace, level ground, until "
                               "symptoms force a stop or 30 minutes)",
    "walking-test-duration": "Self-paced walking test: total walking time",
    "walking-test-first-symptom": "Self-paced walking test: time to first symptoms",
    "walking-test-distance": "Self-paced walking test: distance (person's estimate)",
    "walking-test-stopped-because": "Self-paced walking test: what stopped the walk",
    "walking-test-relief": "Self-paced walking test: what eased the symptoms",
    "walking-test-recovery": "Self-paced walking test: minutes until symptoms settled",
    "stop-symptoms": "Symptoms forced a stop",
    "stop-time_limit": "Reached the 30-minute limit",
    "stop-tired": "Tired or out of breath",
    "stop-other": "Another reason",
    "relief-sit": "Sitting down",
    "relief-bend_forward": "Bending forward",
    "relief-stand_still": "Standing still",
    "relief-none": "Nothing eased it",
}

_SURVEY = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey",
                        "display": "Survey"}]}]
_ACTIVITY = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "activity",
                          "display": "Activity"}]}]


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _ours(code: str) -> dict[str, Any]:
    return {"system": DIARY_SYSTEM, "code": code, "display": CONCEPTS[code]}


def _concept(code: str) -> dict[str, Any]:
    return {"coding": [_ours(code)], "text": CONCEPTS[code]}


def _quantity(value: float, unit: str) -> dict[str, Any]:
    number: float | int = round(value, 2)
    if float(number).is_integer():
        number = int(number)
    return {"value": number, "unit": UCUM_UNITS[unit], "system": UCUM, "code": unit}


def _observation(obs_id: str, subject_ref: str, effective: str, code: dict[str, Any],
                 category: list[dict[str, Any]], **value: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": obs_id, "status": "final",
            "category": category, "code": code, "subject": {"reference": subject_ref},
            "effectiveDateTime": effective, **value}


def day_observations(day: DayRecord, *, person_id: str, subject_ref: str
                     ) -> list[dict[str, Any]]:
    """Observations for one diary day: pain per site, walking and standing tolerance,
    flare, sitting, sleep and an epidural injection, each only when recorded."""
    when = day.day.isoformat()
    out: list[dict[str, Any]] = []

    def add(key: str, code: dict[str, Any], category: list[dict[str, Any]],
            **value: Any) -> None:
        out.append(_observation(_uid("diary", person_id, when, key), subject_ref, when,
                                code, category, **value))

    for site in PAIN_SITES:
        pain = day.pain(site)
        if pain is None:
            continue
        code = {"coding": [{"system": LOINC, "code": PAIN_NRS_LOINC,
                            "display": VERIFIED_LOINC[PAIN_NRS_LOINC]}],
                "text": f"{CONCEPTS[f'site-{site}'].split(' (')[0]} pain, 0-10"}
        add(f"pain-{site}", code, _SURVEY, valueQuantity=_quantity(pain, "{score}"),
            bodySite=_concept(f"site-{site}"))
    for key, value, unit in (
        ("walking-tolerance-minutes", day.walking_minutes, "min"),
        ("walking-tolerance-metres", day.walking_metres, "m"),
        ("standing-tolerance-minutes", day.standing_minutes, "min"),
        ("sitting-hours", day.sitting_hours, "h"),
    ):
        if value is not None:
            add(key, _concept(key), _ACTIVITY if unit != "h" else _SURVEY,
                valueQuantity=_quantity(value, unit))
    if day.sleep_quality is not None:
        add("sleep-quality", _concept("sleep-quality"), _SURVEY,
            valueInteger=day.sleep_quality)
    if day.flare is not None:
        add("flare-self-reported", _concept("flare-self-reported"), _SURVEY,
            valueBoolean=day.flare)
    if day.epidural_injection is not None:
        add("epidural-injection", _concept("epidural-injection"), _SURVEY,
            valueBoolean=day.epidural_injection)
    return out


def walking_test_observation(test: WalkingTestRecord, *, test_id: str, person_id: str,
                             subject_ref: str) -> dict[str, Any]:
    """One Observation per walking test: the total time as its value (minutes) and the
    details as components (each only when recorded)."""
    performed = test.performed_at if test.performed_at.tzinfo else \
        test.performed_at.replace(tzinfo=UTC)
    minutes = test.duration_seconds / 60
    components: list[dict[str, Any]] = [{
        "code": {"coding": [{"system": LOINC, "code": EXERCISE_DURATION_LOINC,
                             "display": VERIFIED_LOINC[EXERCISE_DURATION_LOINC]},
                            _ours("walking-test-duration")],
                 "text": CONCEPTS["walking-test-duration"]},
        "valueQuantity": _quantity(minutes, "min"),
    }]
    if test.first_symptom_seconds is not None:
        components.append({"code": _concept("walking-test-first-symptom"),
                           "valueQuantity": _quantity(test.first_symptom_seconds / 60, "min")})
    if test.distance_m is not None:
        components.append({"code": _concept("walking-test-distance"),
                           "valueQuantity": _quantity(test.distance_m, "m")})
    components.append({"code": _concept("walking-test-stopped-because"),
                       "valueCodeableConcept": _concept(f"stop-{test.stopped_because}")})
    if test.relief is not None:
        components.append({"code": _concept("walking-test-relief"),
                           "valueCodeableConcept": _concept(f"relief-{test.relief}")})
    if test.recovery_minutes is not None:
        components.append({"code": _concept("walking-test-recovery"),
                           "valueQuantity": _quantity(test.recovery_minutes, "min")})
    return _observation(
        _uid("walking-test", person_id, test_id), subject_ref, performed.isoformat(),
        _concept("self-paced-walking-test"), _ACTIVITY,
        valueQuantity=_quantity(minutes, "min"), component=components)


def diary_observations(days: Sequence[DayRecord],
                       tests: Sequence[tuple[str, WalkingTestRecord]], *, person_id: str,
                       subject_ref: str) -> list[dict[str, Any]]:
    """Every diary day's and walking test's Observations (``tests``: (stored id, test))."""
    out: list[dict[str, Any]] = []
    for day in days:
        out.extend(day_observations(day, person_id=person_id, subject_ref=subject_ref))
    for test_id, test in tests:
        out.append(walking_test_observation(test, test_id=test_id, person_id=person_id,
                                            subject_ref=subject_ref))
    return out


class DiaryExportError(ValueError):
    pass


def add_diary_to_bundle(bundle: dict[str, Any], days: Sequence[DayRecord],
                        tests: Sequence[tuple[str, WalkingTestRecord]], *,
                        person_id: str) -> dict[str, Any]:
    """``bundle`` (``bundle_for_person``'s: the Patient first) with the diary's
    Observations added, each referring to that Patient; codes checked again."""
    entries = bundle.get("entry") or []
    if not entries or entries[0]["resource"].get("resourceType") != "Patient":
        raise DiaryExportError("the bundle must start with the Patient")
    subject_ref = entries[0]["fullUrl"]
    for obs in diary_observations(days, tests, person_id=person_id, subject_ref=subject_ref):
        entries.append({"fullUrl": f"urn:uuid:{obs['id']}", "resource": obs})
    bundle["entry"] = entries
    problems = code_problems(bundle)
    if problems:
        raise DiaryExportError("; ".join(problems))
    return bundle
