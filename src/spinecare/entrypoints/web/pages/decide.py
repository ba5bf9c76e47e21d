""""Compare treatments": the decision aid as a web page, and its printable summary.

One form (every warning sign first, each yes / no / not sure with no default; an
unanswered sign is never read as "no"), then the result: where the person is on the stepped
pathway, each option's status and why, the full option grid, values questions and
questions for the surgeon. Nothing is stored; the summary download re-runs the aid
from the submitted answers.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from spinecare.adapters.reports.decision_summary import render_html, render_markdown
from spinecare.clinical.decision import (
    SUPPORTED_CONDITIONS,
    WARNING_SIGNS,
    DecisionInputError,
    Urgency,
)
from spinecare.clinical.evidence import EVIDENCE_LEVELS
from spinecare.entrypoints.web import pdf_gate
from spinecare.entrypoints.web.auth import get_services, optional_user, verify_csrf
from spinecare.entrypoints.web.pages._render import render
from spinecare.services.decision_aid import DecisionAidService, DecisionReport

router = APIRouter(tags=["pages: decision aid"], dependencies=[Depends(optional_user)])

NUMBER_FIELDS = ("conservative_weeks", "odi", "zcq_symptom", "zcq_function", "pain_nrs",
                 "walking_distance_m", "injections_12m")
# What the page says for each field (the core's messages are written for the CLI/API).
FRIENDLY = {
    "condition": "Choose the condition your clinician said you have.",
    "conservative_weeks": "Enter the number of weeks you have tried treatment, from 0 to 520 "
                          "(0 if you have not started).",
    "benefit": "Say how much the treatment has helped.",
    "deficit": "Say whether you have weakness or numbness, and whether it is getting worse.",
    "severe_deficit": "Tick the box only if the weakness is severe.",
    "red_flags": "Answer only the warning signs in the list.",
    "warning_signs": "Answer every warning sign: yes, no or not sure.",
    "odi": "Enter your ODI as a number from 0 to 100, or leave it empty.",
    "zcq_symptom": "Enter the symptom severity score as a number from 1 to 5, or leave it empty.",
    "zcq_function": "Enter the physical function score as a number from 1 to 4, or leave it "
                    "empty.",
    "pain_nrs": "Enter your pain as a number from 0 to 10, or leave it empty.",
    "walking_distance_m": "Enter the distance in metres as a number, or leave it empty.",
    "injections_12m": "Enter the number of injections as a whole number from 0 to 52, or leave "
                      "it empty.",
}
SIGN_GROUP_TITLES = {
    Urgency.EMERGENCY: "Signs that need emergency care",
    Urgency.URGENT: "Signs that need a doctor soon",
    Urgency.COMBINATION: "Signs that matter together with others",
}
SIGN_ANSWERS = ("yes", "no", "not_sure")
# The summary's payload is the page's own JSON of the answers (well under 1 KiB).
MAX_PAYLOAD_CHARS = 16 * 1024
# PDFs are limited as every PDF door is (entrypoints/web/pdf_gate.py); HTML and Markdown
# cost little and are not limited.
SUMMARY_TYPES = {
    "pdf": ("application/pdf", "pdf"),
    "html": ("text/html; charset=utf-8", "html"),
    "md": ("text/markdown; charset=utf-8", "md"),
}


def _aid(request: Request) -> DecisionAidService:
    return get_services(request).decision_aid


def _form_context(
    aid: DecisionAidService, form: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    grid = aid.grid
    urgencies = aid.sign_urgencies()  # grouped by what each sign alone leads to
    return {
        "form": form,
        "errors": errors,
        "conditions": SUPPORTED_CONDITIONS,
        "sign_groups": [
            (title, [s for s in WARNING_SIGNS.values() if urgencies[s.key] is urgency])
            for urgency, title in SIGN_GROUP_TITLES.items()
        ],
        "grid": grid,
    }


def _raw_from_form(
    aid: DecisionAidService, form: FormData, errors: dict[str, str]
) -> dict[str, Any]:
    """Form strings -> the decision aid's fields (the core validates the values)."""
    raw: dict[str, Any] = {}
    for key in ("condition", "benefit", "deficit"):
        value = str(form.get(key, "")).strip()
        if value:
            raw[key] = value
    for key in NUMBER_FIELDS:
        value = str(form.get(key, "")).strip()[:20]
        if value:
            raw[key] = value
    raw["severe_deficit"] = form.get("severe_deficit") == "yes"
    signs = {}
    for key in WARNING_SIGNS:
        answer = str(form.get(f"sign_{key}", ""))
        if answer in SIGN_ANSWERS:
            signs[key] = answer
        else:
            errors[f"sign_{key}"] = (
                f"Answer yes, no or not sure: {WARNING_SIGNS[key].question}")
    raw["warning_signs"] = signs
    # Older links and scripts may still post ticked ``red_flags``: each counts as yes.
    flags = [str(f) for f in form.getlist("red_flags")]
    if flags:
        raw["red_flags"] = flags
    values = {}
    for q in aid.grid.values:
        answer = str(form.get(f"value_{q.id}", "")).strip()
        if answer:
            values[q.id] = answer
    raw["values"] = values
    return raw


# What a link may pre-fill (the check's result links here with what it knows): shown in
# the form for the person to confirm; the aid validates it when the form is sent. The
# warning signs are never pre-filled: each is answered on this page.
PREFILL_CHOICES = {"deficit": ("none", "stable", "progressive"), "severe_deficit": ("yes",)}


def _prefill(query: Any) -> dict[str, str]:
    form: dict[str, str] = {}
    condition = query.get("condition", "")
    if condition in SUPPORTED_CONDITIONS:
        form["condition"] = condition
    for key in NUMBER_FIELDS:
        value = str(query.get(key, "")).strip()[:20]
        if value:
            form[key] = value
    for key, allowed in PREFILL_CHOICES.items():
        if query.get(key) in allowed:
            form[key] = str(query.get(key))
    return form


@router.get("/decide")
def decide_form(request: Request) -> Response:
    # Articles may link to /decide?condition=<id> to preselect the condition; the check's
    # result adds what it knows (weeks of treatment, walking distance, pain, weakness).
    form = _prefill(request.query_params)
    return render(request, "decide/form.html", **_form_context(_aid(request), form, {}))


async def _posted_form(request: Request) -> FormData:
    # Reading the body is I/O: done here on the event loop, so that the handler can be a
    # plain ``def`` that FastAPI runs in its threadpool (the aid and the sign urgencies are
    # CPU work). Starlette caches the form, so verify_csrf reads the same one.
    return await request.form()


@router.post("/decide", dependencies=[Depends(verify_csrf)])
def decide_submit(
    request: Request, form: Annotated[FormData, Depends(_posted_form)]
) -> Response:
    aid = _aid(request)
    errors: dict[str, str] = {}
    raw = _raw_from_form(aid, form, errors)
    shown = {k: str(form.get(k, ""))[:40] for k in form if k != "csrf_token"}
    try:
        # The same use case as POST /api/v1/decide (emergency number from the settings).
        report = aid.decide(raw)
    except DecisionInputError as exc:
        for p in exc.problems:
            if p.field.startswith("values."):
                question = p.field.split(".", 1)[1]
                errors[f"value_{question}"] = "Choose one answer, or leave it empty."
            elif p.field.startswith("warning_signs"):
                # Each unanswered sign already has its own message next to it.
                if not any(k.startswith("sign_") for k in errors):
                    errors["warning_signs"] = FRIENDLY["warning_signs"]
            else:
                errors[p.field] = FRIENDLY.get(p.field, p.message)
    else:
        # A warning sign that stops the aid wins over every other problem on the form.
        if not errors or report.result.bypassed:
            return render(request, "decide/result.html", **_result_context(report))
    return render(request, "decide/form.html", status_code=422,
                  **_form_context(aid, shown, errors))


def _result_context(report: DecisionReport) -> dict[str, Any]:
    data = report.to_dict()
    refs = {}
    for number, ref in enumerate(report.references, 1):
        refs[ref.id] = {"number": number, "id": ref.id, "citation": ref.citation,
                        "evidence_level": ref.evidence_level, "url": ref.url,
                        "short": ref.short,
                        "evidence_text": _evidence_text(ref.evidence_level)}
    return {
        "d": data,
        "refs": refs,
        "condition_label": SUPPORTED_CONDITIONS.get(data["input"]["condition"], ""),
        "payload": json.dumps(data["input"], ensure_ascii=False),
    }


def _evidence_text(level: int) -> str:
    return EVIDENCE_LEVELS.get(level, "")


def _summary_report(payload: str, aid: DecisionAidService) -> DecisionReport | None:
    """The decision report for a summary's ``payload``, or None if it is not valid."""
    if len(payload) > MAX_PAYLOAD_CHARS:
        return None
    try:
        return aid.decide(json.loads(payload))
    except (ValueError, TypeError, RecursionError, DecisionInputError):
        # RecursionError: deeply nested JSON ("[" * 100000) was a 500 before.
        return None


def _render_summary(kind: str, payload: str, aid: DecisionAidService) -> bytes | str | None:
    """Validate and render in a worker thread (a PDF is about a second of CPU)."""
    report = _summary_report(payload, aid)
    if report is None:
        return None
    if kind == "pdf":
        from weasyprint import HTML

        return HTML(string=render_html(report)).write_pdf()
    if kind == "html":
        return render_html(report)
    return render_markdown(report)


def _pdf_summary(payload: str, aid: DecisionAidService) -> bytes | None:
    body = _render_summary("pdf", payload, aid)
    return body if body is None or isinstance(body, bytes) else body.encode()


@router.post("/decide/summary", dependencies=[Depends(verify_csrf)])
async def decide_summary(request: Request) -> Response:
    """The printable summary of the answers in ``payload`` (.pdf, .html or .md)."""
    form = await request.form()
    kind = str(form.get("format", "pdf"))
    if kind not in SUMMARY_TYPES:
        return render(request, "error.html", status_code=422, title="Unknown file type",
                      message="Choose a PDF, HTML or Markdown summary.")
    payload, aid = str(form.get("payload", "")), _aid(request)
    if kind != "pdf":
        body = await run_in_threadpool(_render_summary, kind, payload, aid)
    else:
        made = await pdf_gate.make_pdf_async(
            request, lambda: _pdf_summary(payload, aid),
            instead="download the HTML summary, which you can print too")
        if isinstance(made, Response):
            return made
        body = made
    if body is None:
        return render(request, "error.html", status_code=422, title="We could not make the summary",
                      message="The answers were missing or changed. Please fill in the form again.")
    media, suffix = SUMMARY_TYPES[kind]
    return Response(
        body, media_type=media,
        headers={"Content-Disposition": f'attachment; filename="treatment-options.{suffix}"',
                 "Cache-Control": "no-store"},
    )
