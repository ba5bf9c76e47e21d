"""Accounts: sign up, sign in, sign out, my account, download my data, delete my account."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinecare.services.errors import Conflict, InvalidInput, RateLimited, ServiceError
from spinecare.services.passwords import MIN_LENGTH
from spinecare.web.auth import (
    SignedIn,
    optional_user,
    require_patient,
    require_user,
    sign_in,
    sign_out,
    verify_csrf,
)
from spinecare.web.pages import _auth
from spinecare.web.pages._render import render

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
        user = await run_in_threadpool(
            services.accounts.register,
            values["email"], values["password"], values["name"], values["role"] or "patient",
            ip=_auth.client_ip(request),
        )
    except InvalidInput as exc:
        return render(request, "signup.html", status_code=422,
                      errors=_field_errors(exc.problems), form=values, password_min=MIN_LENGTH)
    except Conflict as exc:
        return render(request, "signup.html", status_code=409,
                      errors={"email": exc.message}, form=values, password_min=MIN_LENGTH)
    sign_in(request, user)
    return RedirectResponse("/", status_code=303)


@router.get("/signin")
def signin_form(request: Request, next: str = "/") -> Response:
    return render(request, "signin.html", errors={}, form={}, next=_safe_next(next))


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
        response = render(request, "signin.html", status_code=429,
                          errors={"email": exc.message}, form={"email": email}, next=target)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except ServiceError as exc:
        return render(request, "signin.html", status_code=401,
                      errors={"email": exc.message}, form={"email": email}, next=target)
    sign_in(request, user)
    return RedirectResponse(target, status_code=303)


@router.post("/signout", dependencies=[Depends(verify_csrf)])
def signout(request: Request) -> Response:
    sign_out(request)
    return RedirectResponse("/", status_code=303)


@router.get("/account")
def account(request: Request, who: SignedIn = Depends(require_user)) -> Response:
    return render(request, "account.html")


@router.get("/account/export.json")
def export_json(request: Request, who: SignedIn = Depends(require_user)) -> Response:
    data = _auth.services(request).data_rights.export(who.actor, who.user.id)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="spinecare-my-data-{stamp}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/account/export.fhir.json")
def export_fhir(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    bundle = _auth.fhir_bundle(request, who)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return Response(
        json.dumps(bundle, indent=2, ensure_ascii=False),
        media_type="application/fhir+json",
        headers={
            "Content-Disposition": f'attachment; filename="spinecare-fhir-{stamp}.json"',
            "Cache-Control": "no-store",
        },
    )


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
    sign_out(request)
    return RedirectResponse("/account/deleted", status_code=303)


@router.get("/account/deleted")
def deleted(request: Request) -> Response:
    return render(request, "account_deleted.html")
