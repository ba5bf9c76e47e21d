"""A patient's history of symptom checks, and one saved check in full."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spinecare.entrypoints.web.auth import SignedIn, get_spinecare, require_patient, require_user
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render, render_error
from spinecare.entrypoints.web.pages._result_view import build_result_view, findings_rows
from spinecare.services.errors import NotFound, PermissionDenied

router = APIRouter(tags=["pages: history"])


@router.get("/history")
def history(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    checks = _auth.services(request).triage.history(who.actor, who.user.id)
    return render(request, "history.html", checks=checks)


@router.get("/history/{check_id}")
def check_detail(
    request: Request, check_id: int, who: SignedIn = Depends(require_user)
) -> Response:
    # Patients see their own checks, and clinicians they granted access see them too
    # (the service decides, and audits the read).
    try:
        record = _auth.services(request).triage.get(who.actor, check_id)
    except (NotFound, PermissionDenied) as exc:
        return render_error(request, 404, "Check not found", exc.message)
    patient = None
    if who.user.id != record.patient_id:
        patient = _auth.services(request).accounts.get(record.patient_id)
    return render(request, "history_detail.html", record=record, patient=patient,
                  view=build_result_view(record.result, get_spinecare(request).references),
                  findings=findings_rows(record.findings))
