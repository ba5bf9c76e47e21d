"""Pages: confirm my e-mail, forgot my password, choose a new one, change it, where I'm
signed in. The same services as ``/api/v1/auth/*`` and ``/api/v1/me/sessions``.

Links from e-mails open a page with a button rather than acting on the GET: mail scanners
fetch links, and must not spend a single-use token or confirm an address on their own.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinecare.entrypoints.web.auth import SignedIn, optional_user, require_user, verify_csrf
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render
from spinecare.services.errors import InvalidInput, RateLimited
from spinecare.services.passwords import MIN_LENGTH

router = APIRouter(tags=["pages: account"], dependencies=[Depends(optional_user)])

_LINK_PROBLEM = (
    "This link is incomplete. Copy the whole link from the e-mail, or ask for a new one."
)


def _token(value: object) -> str:
    return value if isinstance(value, str) and 0 < len(value) <= 200 else ""


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


# --- confirm my e-mail address --------------------------------------------------------

@router.get("/verify", include_in_schema=False)
def verify_form(request: Request, token: str = "") -> Response:
    errors = {} if _token(token) else {"token": _LINK_PROBLEM}
    return render(request, "verify.html", errors=errors, token=_token(token))


@router.post("/verify", dependencies=[Depends(verify_csrf)], include_in_schema=False)
async def verify(request: Request) -> Response:
    token = _token((await _form(request)).get("token"))
    try:
        await run_in_threadpool(_auth.services(request).credentials.verify_email, token)
    except InvalidInput as exc:
        return render(request, "verify.html", status_code=422,
                      errors={"token": exc.problems.get("token", _LINK_PROBLEM)}, token="")
    return RedirectResponse("/signin?notice=confirmed", status_code=303)


# --- forgot my password -----------------------------------------------------------------

@router.get("/forgot", include_in_schema=False)
def forgot_form(request: Request) -> Response:
    return render(request, "forgot.html", errors={}, form={})


@router.post("/forgot", dependencies=[Depends(verify_csrf)], include_in_schema=False)
async def forgot(request: Request) -> Response:
    email = (await _form(request)).get("email", "")
    if "@" not in email or len(email) > 254:
        return render(request, "forgot.html", status_code=422, form={"email": email[:254]},
                      errors={"email": "Enter the e-mail address you signed up with, "
                                       "like name@example.org"})
    try:
        message = await run_in_threadpool(
            _auth.services(request).credentials.request_password_reset, email,
            ip=_auth.client_ip(request),
        )
    except RateLimited as exc:
        response = render(request, "forgot.html", status_code=429, form={"email": email},
                          errors={"email": exc.message})
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    return render(request, "check_email.html", status_code=202, message=message)


@router.get("/reset", include_in_schema=False)
def reset_form(request: Request, token: str = "") -> Response:
    errors = {} if _token(token) else {"token": _LINK_PROBLEM}
    return render(request, "reset.html", errors=errors, token=_token(token),
                  password_min=MIN_LENGTH)


@router.post("/reset", dependencies=[Depends(verify_csrf)], include_in_schema=False)
async def reset(request: Request) -> Response:
    form = await _form(request)
    token = _token(form.get("token"))
    try:
        await run_in_threadpool(
            _auth.services(request).credentials.reset_password, token, form.get("password", "")
        )
    except InvalidInput as exc:
        errors = {k if k == "token" else "password": v for k, v in exc.problems.items()}
        if "password" in errors:
            errors["password"] = f"Password {errors['password']}"
        return render(request, "reset.html", status_code=422, errors=errors,
                      token=token if "token" not in errors else "", password_min=MIN_LENGTH)
    return RedirectResponse("/signin?notice=reset", status_code=303)


# --- change my password (signed in) --------------------------------------------------------

@router.get("/account/password", include_in_schema=False)
def password_form(request: Request, who: SignedIn = Depends(require_user)) -> Response:
    return render(request, "account_password.html", errors={}, password_min=MIN_LENGTH)


@router.post("/account/password", include_in_schema=False)
async def change_password(request: Request, who: SignedIn = Depends(require_user)) -> Response:
    form = await _form(request)
    try:
        await run_in_threadpool(
            _auth.services(request).credentials.change_password, who.actor,
            form.get("current_password", ""), form.get("new_password", ""),
            keep_session=who.session_id,
        )
    except InvalidInput as exc:
        labels = {"current_password": "Current password", "new_password": "New password"}
        errors = {k: f"{labels.get(k, k)} {v}" for k, v in exc.problems.items()}
        return render(request, "account_password.html", status_code=422, errors=errors,
                      password_min=MIN_LENGTH)
    except RateLimited as exc:
        response = render(request, "account_password.html", status_code=429,
                          errors={"current_password": exc.message}, password_min=MIN_LENGTH)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    return RedirectResponse("/account/sessions?notice=password", status_code=303)


# --- where I'm signed in --------------------------------------------------------------------

_NOTICES = {
    "password": "Your password is changed. You have been signed out everywhere else.",
    "ended": "That sign-in has ended.",
    "others": "You are now signed out everywhere else.",
}


@router.get("/account/sessions", include_in_schema=False)
def sessions_page(
    request: Request, notice: str = "", who: SignedIn = Depends(require_user)
) -> Response:
    sessions = _auth.services(request).sessions.list_for(who.actor)
    return render(request, "account_sessions.html", sessions=sessions,
                  current=who.session_id, notice=_NOTICES.get(notice, ""))


@router.post("/account/sessions/end-others", include_in_schema=False)
def end_others(request: Request, who: SignedIn = Depends(require_user)) -> Response:
    _auth.services(request).sessions.end_all(who.user.id, keep=who.session_id)
    return RedirectResponse("/account/sessions?notice=others", status_code=303)


@router.post("/account/sessions/{session_id}/end", include_in_schema=False)
def end_one(session_id: int, request: Request, who: SignedIn = Depends(require_user)) -> Response:
    _auth.services(request).sessions.revoke_own(who.actor, session_id)  # else 404
    if session_id == who.session_id:
        request.session.clear()
        return RedirectResponse("/", status_code=303)
    return RedirectResponse("/account/sessions?notice=ended", status_code=303)
