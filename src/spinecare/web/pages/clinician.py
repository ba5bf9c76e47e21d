"""The clinician's pages: my patients (red flags first) and one patient's record."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spinecare.services.errors import NotFound, PermissionDenied
from spinecare.web.auth import SignedIn, require_clinician
from spinecare.web.pages import _auth
from spinecare.web.pages._render import render, render_error
from spinecare.web.pages._result_view import build_result_view

router = APIRouter(tags=["pages: clinician"])

RED_FLAG_LEVELS = frozenset({"emergency", "urgent"})


def score_text(score: Any) -> str:
    """One line for a stored questionnaire score, whatever instrument produced it."""
    if not isinstance(score, dict):
        return str(score)
    for key in ("display", "summary"):
        if isinstance(score.get(key), str):
            return score[key]
    value = next((score[k] for k in ("total", "score", "percent", "value") if k in score), None)
    if value is None:
        return "scored"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    if "max" in score:
        text += f" of {score['max']}"
    elif score.get("unit") == "%" or "percent" in score:
        text += "%"
    band = score.get("band") or score.get("interpretation")
    if isinstance(band, dict):
        band = band.get("label") or band.get("name")
    return f"{text} ({band})" if band else text


@router.get("/clinician/patients")
def my_patients(request: Request, who: SignedIn = Depends(require_clinician)) -> Response:
    if not who.user.approved:
        return render(request, "clinician_patients.html", patients=[], waiting=True)
    patients = _auth.services(request).care_team.my_patients(who.actor)
    return render(request, "clinician_patients.html", patients=patients, waiting=False,
                  red_flag_levels=RED_FLAG_LEVELS, score_text=score_text)


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
    latest = build_result_view(checks[0].result) if checks else None
    return render(request, "clinician_patient.html", patient=patient, checks=checks,
                  responses=responses, latest=latest, latest_record=checks[0] if checks else None,
                  score_text=score_text)
