"""Canonical URLs, code systems and extension URLs used in everything we emit.

``CANONICAL_BASE`` is a placeholder under the reserved ``.example`` domain until the
project has its own; change it in this one place.
"""

from __future__ import annotations

CANONICAL_BASE = "https://spinecare.example/fhir"
SCORE_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/instrument-scores"
BAND_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/instrument-bands"
PERSON_ID_SYSTEM = f"{CANONICAL_BASE}/NamingSystem/person-id"


def answer_system(instrument_id: str) -> str:
    return f"{CANONICAL_BASE}/CodeSystem/{instrument_id}-answers"


def questionnaire_url(instrument_id: str) -> str:
    return f"{CANONICAL_BASE}/Questionnaire/{instrument_id}"


LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

EXT_ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
EXT_ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
EXT_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
EXT_MIN = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_CALCULATED = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)
EXT_VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"

# The only LOINC codes we emit: each verified in instruments-evidence.md (and its check
# digit is checked in codes.py).
VERIFIED_LOINC = {
    "97908-8": "Oswestry Disability Index panel",
    "97909-6": "Oswestry Disability Index score",
    "82226-2": "Neck Disability Index [NDI]",
    "82237-9": "Neck Disability Index total score",
    **{
        code: "Neck Disability Index item"
        for code in (
            "82227-0",
            "82228-8",
            "82229-6",
            "82230-4",
            "82231-2",
            "82232-0",
            "82233-8",
            "82234-6",
            "82235-3",
            "82236-1",
        )
    },
    # The symptom diary and the walking test (docs/fhir.md; living-with-it-evidence.md
    # Part 4, and the LOINC term pages).
    "72514-3": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    "55411-3": "Exercise duration",
}

UCUM_UNITS = {"%": "%", "{score}": "score", "min": "min", "m": "m", "h": "h"}

# Prefix of the read-only items that carry computed scores in our Questionnaires.
SCORE_ITEM_PREFIX = "score-"
