"""Accounts: sign up, sign in, sign out, my account, download my data, delete my account."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinecare.entrypoints.web.auth import (
    SignedIn,
    optional_user,
    require_patient,
    require_user,
    sign_in,
    sign_out,
    verify_csrf,
)
from spinecare.entrypoints.web.downloads import download
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._interview import COOKIE as INTERVIEW_COOKIE
from spinecare.entrypoints.web.pages._render import render
from spinecare.services.errors import InvalidInput, RateLimited, ServiceError
from spinecare.services.passwords import MIN_LENGTH

router = APIRouter(tags=["pages: account"], dependencies=[Depends(optional_user)])

_FIELD_LABELS = {"email": "E-mail", "password": "Password", "name": "Name", "role": "Account type"}


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect a person to another site after sign-in.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _field_errors(problems: dict[str, str]) -> dict[str, str]:
    out = {}
    for field, message in problems.items():
        label = _FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
        out[field] = message if message[:1].isupper() else f"{label} {message}"
    return out


@router.get("/signup")
def signup_form(request: Request) -> Response:
    return render(request, "signup.html", errors={}, form={"role": "patient"},
                  password_min=MIN_LENGTH)


@router.post("/signup", dependencies=[Depends(verify_csrf)])
async def signup(request: Request) -> Response:
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("name", "email", "password", "role")}
    services = _auth.services(request)
    try:
        message = await run_in_threadpool(
            services.credentials.register,
            values["email"], values["password"], values["name"], values["role"] or "patient",
            ip=_auth.client_ip(request),
        )
    except InvalidInput as exc:
        return render(request, "signup.html", status_code=422,
                      errors=_field_errors(exc.problems), form=values, password_min=MIN_LENGTH)
    except RateLimited as exc:
        return _rate_limited(request, "signup.html", exc, form=values, password_min=MIN_LENGTH)
    # The same page whether or not the address already had an account (finding 11).
    return render(request, "check_email.html", status_code=202, message=message)


def _rate_limited(request: Request, template: str, exc: RateLimited, **context: object) -> Response:
    response = render(request, template, status_code=429, errors={"email": exc.message},
                      **context)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def forget_interview(response: Response) -> Response:
    """The interview cookie goes at sign-in and sign-out: the next person at a shared
    computer must never see the previous person's answers (security review, finding 6)."""
    response.delete_cookie(INTERVIEW_COOKIE, path="/check")
    return response


_SIGNIN_NOTICES = {
    "confirmed": "Your e-mail address is confirmed. You can sign in now.",
    "reset": "Your new password is saved and you were signed out everywhere. Sign in with it.",
}


@router.get("/signin")
def signin_form(request: Request, next: str = "/", notice: str = "") -> Response:
    return render(request, "signin.html", errors={}, form={}, next=_safe_next(next),
                  notice=_SIGNIN_NOTICES.get(notice, ""))


@router.post("/signin", dependencies=[Depends(verify_csrf)])
async def signin(request: Request) -> Response:
    form = await request.form()
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "/")))
    services = _auth.services(request)
    try:
        user = await run_in_threadpool(
            services.accounts.authenticate, email, password, ip=_auth.client_ip(request)
        )
    except RateLimited as exc:
        return _rate_limited(request, "signin.html", exc, form={"email": email}, next=target)
    except ServiceError as exc:
        return render(request, "signin.html", status_code=401,
                      errors={"email": exc.message}, form={"email": email}, next=target)
    await sign_in(request, user)
    return forget_interview(RedirectResponse(target, status_code=303))


@router.post("/signout", dependencies=[Depends(verify_csrf)])
async def signout(request: Request) -> Response:
    await sign_out(request)
    return forget_interview(RedirectResponse("/", status_code=303))


@router.get("/account")
def account(request: Request, who: SignedIn = Depends(require_user)) -> Response:
    return render(request, "account.html")


@router.get("/account/export.json")
def export_json(request: Request, who: SignedIn = Depends(require_user)) -> Response:
    data = _auth.services(request).data_rights.export(who.actor, who.user.id)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return download(data, f"spinecare-my-data-{stamp}.json")


@router.get("/account/export.fhir.json")
def export_fhir(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    bundle = _auth.services(request).data_rights.export_fhir(who.actor, who.user.id)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return download(bundle, f"spinecare-fhir-{stamp}.json", "application/fhir+json")


@router.get("/account/delete")
def delete_form(request: Request, who: SignedIn = Depends(require_user)) -> Response:
    return render(request, "account_delete.html", errors={})


@router.post("/account/delete")
async def delete(request: Request, who: SignedIn = Depends(require_user)) -> Response:
    form = await request.form()
    if form.get("confirm") != "yes":
        message = "Tick the box to confirm that you want to delete everything."
        return render(request, "account_delete.html", status_code=422,
                      errors={"confirm": message})
    try:
        await run_in_threadpool(
            _auth.services(request).accounts.delete_account,
            who.actor, who.user.id, password=str(form.get("password", "")),
        )
    except InvalidInput as exc:
        return render(request, "account_delete.html", status_code=422,
                      errors=_field_errors(exc.problems))
    request.session.clear()  # the session row went with the account
    return forget_interview(RedirectResponse("/account/deleted", status_code=303))


@router.get("/account/deleted")
def deleted(request: Request) -> Response:
    return render(request, "account_deleted.html")
