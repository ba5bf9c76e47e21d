"""The report for the doctor as pages: the patient's date-range form (/report) with "Open
report" and "Download PDF", and the clinician's view of a patient who shared their record.

Only reads: GET forms, no CSRF needed. The PDF is rendered in the threadpool (plain ``def``
routes), WeasyPrint imported only then (``adapters/reports/doctor_report.render_pdf``).
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from spinecare.adapters.reports.doctor_report import render_html, render_pdf
from spinecare.clinical.report import DoctorReport
from spinecare.entrypoints.web import pdf_gate
from spinecare.entrypoints.web.auth import SignedIn, require_clinician, require_patient
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render, render_error
from spinecare.services.errors import InvalidInput, NotFound, PermissionDenied
from spinecare.services.report import default_period, today_utc

router = APIRouter(tags=["pages: report for the doctor"])

FIELD_NAMES = {"start": "From", "end": "To"}


def _parse(raw: str | None, name: str, errors: dict[str, str]) -> date | None:
    if raw is None or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        errors[name] = f"Enter the date as year-month-day, for example {today_utc():%Y-%m-%d}."
        return None


def pdf_response(request: Request, report: DoctorReport) -> Response:
    """The report as a PDF download, within the limits every PDF door shares
    (``pdf_gate``: a 503 or 429 with Retry-After beyond them). From plain ``def`` routes."""
    body = pdf_gate.make_pdf(request, lambda: render_pdf(report),
                             instead="open the report and print it")
    if isinstance(body, Response):
        return body
    name = f"report-{report.start.isoformat()}-to-{report.end.isoformat()}.pdf"
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


def html_response(report: DoctorReport) -> HTMLResponse:
    return HTMLResponse(render_html(report), headers={"Cache-Control": "no-store"})


def _build(request: Request, who: SignedIn, patient_id: int, start: str | None,
           end: str | None) -> DoctorReport | dict[str, str]:
    """The report, or the form's errors (field -> how to fix it)."""
    errors: dict[str, str] = {}
    first, last = _parse(start, "start", errors), _parse(end, "end", errors)
    if errors:
        return errors
    today = today_utc()
    if first is None and last is not None:
        first = default_period(last)[0]
    try:
        return _auth.services(request).report.build(who.actor, patient_id, first, last, today)
    except InvalidInput as exc:
        return {k: v[:1].upper() + v[1:] + "." for k, v in exc.problems.items()}


@router.get("/report")
def report_form(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    start, end = default_period(today_utc())
    return render(request, "report.html", errors={}, start=start.isoformat(),
                  end=end.isoformat())


def _patient_report(request: Request, who: SignedIn, start: str | None, end: str | None,
                    pdf: bool) -> Response:
    built = _build(request, who, who.user.id, start, end)
    if isinstance(built, dict):
        first, last = default_period(today_utc())
        return render(request, "report.html", status_code=422, errors=built,
                      start=(start or first.isoformat())[:10],
                      end=(end or last.isoformat())[:10])
    return pdf_response(request, built) if pdf else html_response(built)


@router.get("/report/view")
def report_view(request: Request, start: str | None = None, end: str | None = None,
                who: SignedIn = Depends(require_patient)) -> Response:
    return _patient_report(request, who, start, end, pdf=False)


@router.get("/report.pdf")
def report_pdf(request: Request, start: str | None = None, end: str | None = None,
               who: SignedIn = Depends(require_patient)) -> Response:
    return _patient_report(request, who, start, end, pdf=True)


def _clinician_report(request: Request, who: SignedIn, patient_id: int, start: str | None,
                      end: str | None, pdf: bool) -> Response:
    try:
        built = _build(request, who, patient_id, start, end)
    except (PermissionDenied, NotFound):
        # Same page whether the patient exists or not: ids are not confirmed to outsiders.
        return render_error(request, 404, "Patient not found",
                            "This patient does not exist or has not shared their data with you.")
    if isinstance(built, dict):
        message = " ".join(f"{FIELD_NAMES.get(k, k)}: {v}" for k, v in built.items())
        return render_error(request, 422, "Check the dates", message)
    return pdf_response(request, built) if pdf else html_response(built)


@router.get("/clinician/patients/{patient_id}/report")
def clinician_report(request: Request, patient_id: int, start: str | None = None,
                     end: str | None = None,
                     who: SignedIn = Depends(require_clinician)) -> Response:
    return _clinician_report(request, who, patient_id, start, end, pdf=False)


@router.get("/clinician/patients/{patient_id}/report.pdf")
def clinician_report_pdf(request: Request, patient_id: int, start: str | None = None,
                         end: str | None = None,
                         who: SignedIn = Depends(require_clinician)) -> Response:
    return _clinician_report(request, who, patient_id, start, end, pdf=True)
