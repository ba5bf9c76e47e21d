"""The clinician's pages: my patients (red flags first) and one patient's record, where the
clinician records a clinician-rated questionnaire (mJOA) through the same service door as
``POST /api/v1/patients/{id}/questionnaires``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinecare.entrypoints.web.auth import SignedIn, get_spinecare, require_clinician
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render, render_error
from spinecare.entrypoints.web.pages._result_view import build_result_view
from spinecare.entrypoints.web.pages.questionnaires import change_lines, score_lines_for
from spinecare.services.errors import InvalidInput, NotFound, PermissionDenied

router = APIRouter(tags=["pages: clinician"])

RED_FLAG_LEVELS = frozenset({"emergency", "urgent"})


@router.get("/clinician/patients")
def my_patients(request: Request, who: SignedIn = Depends(require_clinician)) -> Response:
    if not who.user.approved:
        return render(request, "clinician_patients.html", patients=[], waiting=True)
    patients = _auth.services(request).care_team.my_patients(who.actor)
    return render(request, "clinician_patients.html", patients=patients, waiting=False,
                  red_flag_levels=RED_FLAG_LEVELS, score_lines=score_lines_for(request))


@router.get("/clinician/patients/{patient_id}")
def patient_detail(
    request: Request, patient_id: int, who: SignedIn = Depends(require_clinician)
) -> Response:
    return _patient_page(request, patient_id, who)


def _rated(request: Request) -> list[Any]:
    """The clinician-rated instruments (mJOA), with a clinic's imported wording if any."""
    return [d for d in _auth.services(request).instruments.definitions().values()
            if d.respondent == "clinician"]


def _patient_page(request: Request, patient_id: int, who: SignedIn, *,
                  values: dict[str, dict[str, int]] | None = None,
                  errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    services = _auth.services(request)
    actor = who.actor
    try:
        checks = services.triage.history(actor, patient_id)
        responses = services.questionnaires.list(actor, patient_id)
    except (PermissionDenied, NotFound):
        # Same page whether the patient exists or not: ids are not confirmed to outsiders.
        return render_error(request, 404, "Patient not found",
                            "This patient does not exist or has not shared their data with you.")
    patient = services.accounts.get(patient_id)
    registry = get_spinecare(request).references
    latest = build_result_view(checks[0].result, registry) if checks else None
    # Change from the first to the latest response of each questionnaire (newest first).
    by_instrument: dict[str, list] = {}
    for response in responses:
        by_instrument.setdefault(response.instrument_id, []).append(response)
    trends = {
        iid: change_lines(services.instruments, iid, rows[-1].score, rows[0].score)
        for iid, rows in by_instrument.items() if len(rows) > 1
    }
    return render(request, "clinician_patient.html", status_code=status_code, patient=patient,
                  checks=checks, responses=responses, latest=latest,
                  latest_record=checks[0] if checks else None,
                  score_lines=score_lines_for(request), trends=trends, rated=_rated(request),
                  rated_values=values or {}, rated_errors=errors or {})


@router.post("/clinician/patients/{patient_id}/questionnaires/{instrument_id}")
async def record_rated(
    request: Request, patient_id: int, instrument_id: str,
    who: SignedIn = Depends(require_clinician),
) -> Response:
    """Record a clinician-rated questionnaire (mJOA) for a patient who shared their record:
    ``QuestionnaireService.submit``, the API's door, checks the grant and stores it."""
    rated = {d.id: d for d in await run_in_threadpool(_rated, request)}
    definition = rated.get(instrument_id)
    if definition is None:
        return render_error(request, 404, "Questionnaire not found",
                            "Only a clinician-rated questionnaire (the mJOA) is recorded here; "
                            "the patient fills in the others.")
    form = await request.form()
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in definition.items:
        text = str(form.get(f"{definition.id}-{item.id}", "")).strip()
        if not text:
            answers[item.id] = None
            # The published total needs every domain: nothing is stored without one.
            errors[f"{definition.id}-{item.id}"] = (
                f"{item.label}: choose a level. Every domain is needed for the "
                f"{definition.short_name} total.")
            continue
        try:
            answers[item.id] = int(text)
        except ValueError:
            errors[f"{definition.id}-{item.id}"] = f"{item.label}: choose a level."
    services = _auth.services(request)
    if not errors:
        try:
            record = await run_in_threadpool(
                services.questionnaires.submit, who.actor, definition.id, answers,
                patient_id=patient_id)
        except (PermissionDenied, NotFound):
            return render_error(request, 404, "Patient not found",
                                "This patient does not exist or has not shared their data "
                                "with you.")
        except InvalidInput as exc:
            labels = {item.id: item.label for item in definition.items}
            for field, message in exc.problems.items():
                item_id = field.removeprefix("answers.")
                if item_id in labels:
                    errors[f"{definition.id}-{item_id}"] = f"{labels[item_id]}: {message}"
                else:
                    errors[definition.id] = message
        else:
            return RedirectResponse(f"/questionnaires/responses/{record.id}", status_code=303)
    kept = {definition.id: {k: v for k, v in answers.items() if v is not None}}
    return await run_in_threadpool(
        lambda: _patient_page(request, patient_id, who, values=kept, errors=errors,
                              status_code=422))
