"""A patient's health data: their checks, questionnaires, care team, access log, export, erasure.

Access is decided in the services (``spinecare.services.access``), never here: a patient
sees their own data, a clinician the patients who granted access; an admin sees none.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spinecare.entrypoints.web.api._schemas import (
    ClinicianOut,
    DeleteAccountRequest,
    GrantRequest,
    InstrumentFilter,
    Message,
    QuestionnaireSubmission,
    QuestionnaireSubmissionBody,
    RowId,
    errors,
)
from spinecare.entrypoints.web.auth import (
    SignedIn,
    get_services,
    require_clinician,
    require_patient,
    require_user,
)
from spinecare.entrypoints.web.downloads import download
from spinecare.services.actor import Actor
from spinecare.services.questionnaires import QuestionnaireService
from spinecare.services.views import (
    AuditRecord,
    GrantView,
    PatientSummary,
    ResponseRecord,
    TriageRecord,
)

router = APIRouter(prefix="/api/v1", tags=["patient data"])


def _grant_dict(grant: GrantView) -> dict[str, Any]:
    return {**grant.to_dict(), "active": grant.active}


@router.get("/me/triage", response_model=list[TriageRecord], responses=errors(401, 403))
def my_checks(
    request: Request, who: SignedIn = Depends(require_patient)
) -> list[TriageRecord]:
    """My symptom checks, newest first."""
    # Sent as they are: TriageRecord computes ``provisional`` / ``provisional_notice``
    # (issue 9 §3: a stored result with open warning-sign questions is never served as if
    # final).
    return get_services(request).triage.history(who.actor, who.user.id)


@router.get(
    "/patients/{patient_id}/triage",
    response_model=list[TriageRecord],
    responses=errors(401, 403, 404),
)
def patient_checks(
    patient_id: RowId, request: Request, who: SignedIn = Depends(require_user)
) -> list[TriageRecord]:
    """A patient's symptom checks (the patient, or a clinician they chose)."""
    return get_services(request).triage.history(who.actor, patient_id)


@router.get(
    "/triage/checks/{check_id}", response_model=TriageRecord, responses=errors(401, 404)
)
def one_check(
    check_id: RowId, request: Request, who: SignedIn = Depends(require_user)
) -> TriageRecord:
    """One saved check with its full result."""
    return get_services(request).triage.get(who.actor, check_id)


@router.get(
    "/patients/{patient_id}/questionnaires",
    response_model=list[ResponseRecord],
    responses=errors(401, 403, 404),
)
def patient_questionnaires(
    patient_id: RowId,
    request: Request,
    instrument_id: InstrumentFilter = None,
    who: SignedIn = Depends(require_user),
) -> list[dict]:
    """A patient's questionnaire responses and scores, newest first."""
    records = get_services(request).questionnaires.list(who.actor, patient_id, instrument_id)
    return [r.to_dict() for r in records]


def _store(questionnaires: QuestionnaireService, actor: Actor, body: QuestionnaireSubmission,
           patient_id: int | None = None) -> ResponseRecord:
    """Answers item by item (``submit``) or a total from a paper form (``record_total``)."""
    if body.paper is not None:
        paper = body.paper
        return questionnaires.record_total(
            actor, body.instrument_id, total=paper.total, answered=paper.answered,
            subscales=paper.subscales, completed_on=paper.completed_on, patient_id=patient_id)
    assert body.answers is not None  # the model requires one of the two
    return questionnaires.submit(actor, body.instrument_id, body.answers, patient_id=patient_id)


@router.post(
    "/me/questionnaires",
    status_code=201,
    response_model=ResponseRecord,
    responses=errors(401, 403, 422),
)
def submit_questionnaire(
    body: QuestionnaireSubmissionBody,
    request: Request,
    who: SignedIn = Depends(require_patient),
) -> dict:
    """Score my answers with the instrument's published rules and keep them in my record.

    Either ``answers`` (item by item; at least one answered, else 422) or ``paper``: a
    questionnaire filled in on paper, entered as its total (ODI, NDI, RMDQ: the total and
    optionally the number of items answered; ZCQ: each part's mean; STarT Back: the total
    and the psychosocial score) and the day it was completed. Both are scored with the
    same published rules and read back alike.

    Patient-reported instruments only: a clinician-rated one (mJOA) is refused with 403
    and a message saying your clinician records it."""
    return _store(get_services(request).questionnaires, who.actor, body).to_dict()


@router.post(
    "/patients/{patient_id}/questionnaires",
    status_code=201,
    response_model=ResponseRecord,
    responses=errors(401, 403, 404, 422),
)
def record_clinician_rated(
    patient_id: RowId,
    body: QuestionnaireSubmissionBody,
    request: Request,
    who: SignedIn = Depends(require_clinician),
) -> dict:
    """A clinician records a clinician-rated instrument (mJOA) for a patient who shared
    their record with them (``answers``, or ``paper``: the total from a paper form).
    Patient-reported instruments are refused (403): the patient fills those in."""
    questionnaires = get_services(request).questionnaires
    return _store(questionnaires, who.actor, body, patient_id=patient_id).to_dict()


@router.get(
    "/questionnaires/responses/{response_id}",
    response_model=ResponseRecord,
    responses=errors(401, 404),
)
def one_response(
    response_id: RowId, request: Request, who: SignedIn = Depends(require_user)
) -> dict:
    """One stored questionnaire response with its score."""
    return get_services(request).questionnaires.get(who.actor, response_id).to_dict()


@router.get("/clinicians", response_model=list[ClinicianOut], responses=errors(401, 403))
def clinicians(request: Request, who: SignedIn = Depends(require_patient)) -> list[dict]:
    """Approved clinicians a patient can share their data with."""
    return [
        {"id": c.id, "name": c.name, "email": c.email}
        for c in get_services(request).accounts.list_clinicians()
    ]


@router.get("/me/care-team", response_model=list[GrantView], responses=errors(401, 403))
def my_care_team(request: Request, who: SignedIn = Depends(require_patient)) -> list[dict]:
    """Who can see my data (active grants) and who could (revoked ones)."""
    grants = get_services(request).care_team.grants_of(who.actor, who.user.id)
    return [_grant_dict(g) for g in grants]


@router.post(
    "/me/care-team",
    status_code=201,
    response_model=GrantView,
    responses={409: {"model": Message, "description": "Already granted."},
               **errors(401, 403, 404, 422)},
)
def grant_access(
    body: GrantRequest, request: Request, who: SignedIn = Depends(require_patient)
) -> dict:
    """Let a clinician (by their account e-mail) see my data."""
    return _grant_dict(get_services(request).care_team.grant(who.actor, body.clinician_email))


@router.delete(
    "/me/care-team/{clinician_id}", status_code=204, responses=errors(401, 403, 404)
)
def revoke_access(
    clinician_id: RowId, request: Request, who: SignedIn = Depends(require_patient)
) -> Response:
    """Stop a clinician from seeing my data (from now on)."""
    get_services(request).care_team.revoke(who.actor, clinician_id)
    return Response(status_code=204)


@router.get("/me/access-log", response_model=list[AuditRecord], responses=errors(401, 403))
def my_access_log(request: Request, who: SignedIn = Depends(require_patient)) -> list[dict]:
    """Every read and write of my health data: who, what, when, from where."""
    events = get_services(request).audit.for_patient(who.actor, who.user.id)
    return [e.to_dict() for e in events]


@router.get("/me/export", responses=errors(401))
def export_my_data(request: Request, who: SignedIn = Depends(require_user)) -> Response:
    """Everything stored about me, as one JSON document (a download)."""
    data = get_services(request).data_rights.export(who.actor, who.user.id)
    return download(data, "spinecare-my-data.json")


@router.get(
    "/me/export.fhir",
    response_class=Response,
    responses={
        200: {"description": "A FHIR R4 Bundle (a download).",
              "content": {"application/fhir+json": {"schema": {"type": "object"}}}},
        **errors(401, 403),
    },
)
def export_my_fhir_bundle(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    """My questionnaires as a FHIR R4 Bundle (for my clinic's record system)."""
    bundle = get_services(request).data_rights.export_fhir(who.actor, who.user.id)
    return download(bundle, "spinecare-fhir.json", "application/fhir+json")


@router.post("/me/delete", status_code=204, responses=errors(401, 422))
def delete_my_account(
    body: DeleteAccountRequest, request: Request, who: SignedIn = Depends(require_user)
) -> Response:
    """Erase my account and all my data, now. Confirm with the current password."""
    get_services(request).accounts.delete_account(who.actor, who.user.id, password=body.password)
    request.session.clear()
    return Response(status_code=204)


@router.get(
    "/clinician/patients", response_model=list[PatientSummary], responses=errors(401, 403)
)
def my_patients(request: Request, who: SignedIn = Depends(require_clinician)) -> list[dict]:
    """Patients who granted me access: red flags first, then the most recent check."""
    return [s.to_dict() for s in get_services(request).care_team.my_patients(who.actor)]
