"""A patient's history of symptom checks, one saved check in full, and its printable
summary for the doctor (``/history/{id}/print``, ``.pdf``)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spinecare.adapters.reports.check_summary import CheckSummary
from spinecare.entrypoints.web.auth import SignedIn, get_spinecare, require_patient, require_user
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render, render_error
from spinecare.entrypoints.web.pages._result_view import (
    answer_rows,
    build_result_view,
    check_summary,
    findings_rows,
    next_steps,
)
from spinecare.entrypoints.web.pages.check import pdf_download, printable
from spinecare.services.errors import NotFound, PermissionDenied
from spinecare.services.views import TriageRecord

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
    view = build_result_view(record.result, get_spinecare(request).references)
    return render(request, "history_detail.html", record=record, patient=patient,
                  view=view, findings=findings_rows(record.findings),
                  next_steps=next_steps(view, record.findings, f"/history/{record.id}/print",
                                        own=patient is None))


def _saved(request: Request, check_id: int, who: SignedIn) -> TriageRecord | Response:
    try:
        # The patient, or a clinician they granted (the service decides and audits).
        return _auth.services(request).triage.get(who.actor, check_id)
    except (NotFound, PermissionDenied) as exc:
        return render_error(request, 404, "Check not found", exc.message)


def _summary(request: Request, record: TriageRecord) -> CheckSummary:
    view = build_result_view(record.result, get_spinecare(request).references)
    return check_summary(view, answer_rows(record.findings.items()), record.created_at,
                         own_words=record.own_words,
                         links={"back": f"/history/{record.id}",
                                "pdf": f"/history/{record.id}/print.pdf"})


@router.get("/history/{check_id}/print")
def check_print(request: Request, check_id: int, who: SignedIn = Depends(require_user)
                ) -> Response:
    """A saved check as a printable page for the doctor."""
    record = _saved(request, check_id, who)
    if isinstance(record, Response):
        return record
    return printable(_summary(request, record))


@router.get("/history/{check_id}/print.pdf")
def check_print_pdf(request: Request, check_id: int, who: SignedIn = Depends(require_user)
                    ) -> Response:
    """The same as a PDF download."""
    record = _saved(request, check_id, who)
    if isinstance(record, Response):
        return record
    return pdf_download(request, _summary(request, record))
