"""The clinician's pages: my patients (red flags first) and one patient's record."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spinecare.entrypoints.web.auth import SignedIn, get_spinecare, require_clinician
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render, render_error
from spinecare.entrypoints.web.pages._result_view import build_result_view
from spinecare.entrypoints.web.pages.questionnaires import change_lines, score_lines_for
from spinecare.services.errors import NotFound, PermissionDenied

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
    return render(request, "clinician_patient.html", patient=patient, checks=checks,
                  responses=responses, latest=latest, latest_record=checks[0] if checks else None,
                  score_lines=score_lines_for(request), trends=trends)
