"""The report for the doctor over the API: the typed report as JSON, and the PDF.

    GET /api/v1/me/report.pdf                  the signed-in patient's own
    GET /api/v1/patients/{patient_id}/report   JSON (the patient, or a clinician they granted)
    GET /api/v1/patients/{patient_id}/report.pdf

``start`` and ``end`` (YYYY-MM-DD) choose the period; the default is the last 90 days. Plain
``def`` handlers: the report and the PDF (WeasyPrint) are built in the threadpool.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from spinecare.clinical.report import DoctorReport
from spinecare.entrypoints.web.api._schemas import RowId, errors
from spinecare.entrypoints.web.auth import SignedIn, get_services, require_patient, require_user
from spinecare.entrypoints.web.pages.report import pdf_response
from spinecare.services.report import default_period, today_utc

router = APIRouter(prefix="/api/v1", tags=["report for the doctor"])

START = Query(None, description="First day of the period, YYYY-MM-DD (default: 89 days "
                                "before the end).")
END = Query(None, description="Last day of the period, YYYY-MM-DD (default: today; a day "
                              "after today is read as today).")
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The report as PDF (A4)."}}


def _report(request: Request, who: SignedIn, patient_id: int, start: date | None,
            end: date | None) -> DoctorReport:
    today = today_utc()
    if start is None and end is not None:
        start = default_period(min(end, today))[0]
    return get_services(request).report.build(who.actor, patient_id, start, end, today)


@router.get("/me/report.pdf", response_class=Response,
            responses={**PDF, **errors(401, 403, 422)})
def my_report_pdf(request: Request, start: date | None = START, end: date | None = END,
                  who: SignedIn = Depends(require_patient)) -> Response:
    """My report for the doctor as a PDF."""
    return pdf_response(request, _report(request, who, who.user.id, start, end))


@router.get("/patients/{patient_id}/report", response_model=dict[str, Any],
            responses=errors(401, 403, 404, 422))
def patient_report(patient_id: RowId, request: Request, start: date | None = START,
                   end: date | None = END,
                   who: SignedIn = Depends(require_user)) -> JSONResponse:
    """A patient's report for the doctor as JSON: warning signs, scores with their change
    verdicts, chart series with threshold lines, flares, exercise, medicines and injections,
    own words, questions, flags (with reasons and references) and data completeness."""
    report = _report(request, who, patient_id, start, end)
    return JSONResponse(report.to_dict(), headers={"Cache-Control": "no-store"})


@router.get("/patients/{patient_id}/report.pdf", response_class=Response,
            responses={**PDF, **errors(401, 403, 404, 422)})
def patient_report_pdf(patient_id: RowId, request: Request, start: date | None = START,
                       end: date | None = END,
                       who: SignedIn = Depends(require_user)) -> Response:
    """A patient's report for the doctor as a PDF (the patient, or a clinician they granted)."""
    return pdf_response(request, _report(request, who, patient_id, start, end))
