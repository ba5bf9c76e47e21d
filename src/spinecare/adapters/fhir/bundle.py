"""Everything for one person as a FHIR Bundle: Patient, responses, score Observations.

Pure over its inputs (the definitions are passed in): no storage here. IDs are
deterministic (UUID v5 of the person and administration), so exporting twice gives the
same Bundle and references resolve inside it through ``urn:uuid:`` full URLs.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from spinecare.adapters.fhir.codes import code_problems
from spinecare.adapters.fhir.constants import CANONICAL_BASE, PERSON_ID_SYSTEM
from spinecare.adapters.fhir.observation import observations_for
from spinecare.adapters.fhir.response import questionnaire_response
from spinecare.clinical.instruments import InstrumentDefinition, ScoreResult, score_answers

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, CANONICAL_BASE)


class FhirExportError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str = ""
    birth_date: date | None = None
    gender: str = "unknown"  # male | female | other | unknown


@dataclass(frozen=True, slots=True)
class Administration:
    instrument: str
    answers: Any  # list in item order or mapping by item id
    authored: datetime
    id: str = ""  # a stable id from storage, when there is one
    clinician_name: str = ""  # for clinician-rated instruments (mJOA)
    # The answers' score when the caller already has it (the data export scores each
    # stored response once); without it the bundle scores the answers itself.
    result: ScoreResult | None = None


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def patient_resource(person: Person, resource_id: str) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": resource_id,
        "identifier": [{"system": PERSON_ID_SYSTEM, "value": person.id}],
        "gender": person.gender,
    }
    if person.name:
        patient["name"] = [{"text": person.name}]
    if person.birth_date:
        patient["birthDate"] = person.birth_date.isoformat()
    return patient


def bundle_for_person(
    person: Person,
    administrations: Sequence[Administration],
    definitions: Mapping[str, InstrumentDefinition],
    *,
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """A ``collection`` Bundle: Patient, then per administration its response and scores."""
    patient_id = _uid("patient", person.id)
    patient_ref = f"urn:uuid:{patient_id}"
    entries = [{"fullUrl": patient_ref, "resource": patient_resource(person, patient_id)}]
    for n, adm in enumerate(administrations):
        if adm.instrument not in definitions:
            raise FhirExportError(
                f"unknown instrument '{adm.instrument}' in administration {n + 1}"
            )
        d = definitions[adm.instrument]
        authored = adm.authored if adm.authored.tzinfo else adm.authored.replace(tzinfo=UTC)
        key = adm.id or f"{adm.instrument}@{authored.isoformat()}#{n}"
        result = adm.result if adm.result is not None else score_answers(d, adm.answers)
        performer_ref = None
        if d.respondent == "clinician":
            prac_id = _uid("practitioner", person.id, key)
            performer_ref = f"urn:uuid:{prac_id}"
            practitioner: dict[str, Any] = {"resourceType": "Practitioner", "id": prac_id}
            if adm.clinician_name:
                practitioner["name"] = [{"text": adm.clinician_name}]
            entries.append({"fullUrl": performer_ref, "resource": practitioner})
        qr_id = _uid("response", person.id, key)
        qr_ref = f"urn:uuid:{qr_id}"
        qr = questionnaire_response(
            d,
            result,
            response_id=qr_id,
            subject_ref=patient_ref,
            authored=authored,
            author_ref=performer_ref,
        )
        entries.append({"fullUrl": qr_ref, "resource": qr})
        for obs in observations_for(
            d,
            result,
            id_prefix=_uid("observation", person.id, key),
            subject_ref=patient_ref,
            response_ref=qr_ref,
            effective=authored,
            performer_ref=performer_ref,
        ):
            # Observation ids must be valid FHIR ids (<= 64 chars): hash the suffix in.
            obs["id"] = _uid(obs["id"])
            entries.append({"fullUrl": f"urn:uuid:{obs['id']}", "resource": obs})
    bundle = {
        "resourceType": "Bundle",
        "id": _uid("bundle", person.id),
        "type": "collection",
        "timestamp": (timestamp or datetime.now(UTC)).isoformat(),
        "entry": entries,
    }
    problems = code_problems(bundle)
    if problems:
        raise FhirExportError("; ".join(problems))
    return bundle
