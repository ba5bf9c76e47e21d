""""Who can see my data": grant and revoke a clinician's access, and the access log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinecare.entrypoints.web.auth import SignedIn, require_patient
from spinecare.entrypoints.web.errors import status_for
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render
from spinecare.services.errors import ServiceError

router = APIRouter(tags=["pages: sharing"])

_ACTIONS = {"read": "looked at", "create": "added", "update": "changed", "delete": "removed"}
_RESOURCES = {
    "triage_session": "a symptom check",
    "triage_history": "your list of symptom checks",
    "patient_summary": "your summary (in their patient list)",
    "export": "a download of all your data",
    "care_team_grant": "a sharing permission",
    "account": "your account",
    "questionnaire_response": "a questionnaire",
    "questionnaire_responses": "your questionnaires",
}


def describe_event(action: str, resource: str) -> str:
    what = _RESOURCES.get(resource, resource.replace("_", " "))
    return f"{_ACTIONS.get(action, action).capitalize()} {what}"


def _page(
    request: Request, who: SignedIn, status_code: int = 200,
    errors: dict[str, str] | None = None, notice: str = "", email: str = "",
) -> Response:
    services = _auth.services(request)
    user, actor = who.user, who.actor
    grants = services.care_team.grants_of(actor, user.id)
    events = services.audit.for_patient(actor, user.id)
    log = [
        {
            "at": e.at,
            "who": "You" if e.actor_id == user.id else e.actor_name,
            "role": e.actor_role,
            "what": describe_event(e.action, e.resource),
            "where": e.ip or "not recorded",
        }
        for e in events
    ]
    return render(
        request, "sharing.html", status_code=status_code,
        active=[g for g in grants if g.active], past=[g for g in grants if not g.active],
        log=log, errors=errors or {}, notice=notice, email=email,
    )


@router.get("/sharing")
def sharing(request: Request, done: str = "", who: SignedIn = Depends(require_patient)) -> Response:
    notice = {"granted": "Access granted.", "revoked": "Access removed."}.get(done, "")
    return _page(request, who, notice=notice)


@router.post("/sharing/grant")
async def grant(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    form = await request.form()
    email = str(form.get("email", "")).strip()
    # _page reads the database: in the thread pool, never on the event loop.
    if not email:
        return await run_in_threadpool(
            _page, request, who, 422, {"email": "Enter your clinician's e-mail address."})
    try:
        await run_in_threadpool(_auth.services(request).care_team.grant, who.actor, email)
    except ServiceError as exc:
        return await run_in_threadpool(
            _page, request, who, status_for(exc), {"email": exc.message}, email=email)
    return RedirectResponse("/sharing?done=granted", status_code=303)


@router.post("/sharing/revoke/{clinician_id}")
def revoke(
    request: Request, clinician_id: int, who: SignedIn = Depends(require_patient)
) -> Response:
    try:
        _auth.services(request).care_team.revoke(who.actor, clinician_id)
    except ServiceError as exc:
        return _page(request, who, status_for(exc), notice=exc.message)
    return RedirectResponse("/sharing?done=revoked", status_code=303)
