"""Accounts for API clients: sign up, confirm the address, log in and out, passwords, tokens.

Registration and "forgot your password?" answer the same whether or not the e-mail has an
account (the owner of the address learns the difference by e-mail). Tokens are opaque
secrets backed by a server-side row: ``POST /auth/logout`` ends the one in use, and
``/me/sessions`` lists and ends the caller's sign-ins and tokens.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from spinecare.entrypoints.web.api._account_schemas import (
    AcceptedMessage,
    EndedSessions,
    PasswordChanged,
    PasswordChangeRequest,
    ResetConfirmRequest,
    ResetRequest,
    SessionOut,
    VerifyRequest,
)
from spinecare.entrypoints.web.api._schemas import (
    LoginRequest,
    Message,
    RegisterRequest,
    RowId,
    TokenResponse,
    errors,
)
from spinecare.entrypoints.web.auth import (
    TOKEN_MAX_AGE,
    SignedIn,
    client_ip,
    get_services,
    issue_token,
    require_admin,
    require_user,
)
from spinecare.services.views import UserView

router = APIRouter(prefix="/api/v1", tags=["accounts"])

RATE_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {"model": Message, "description": "Too many attempts: wait (Retry-After)."}
}


@router.post(
    "/auth/register",
    status_code=202,
    response_model=AcceptedMessage,
    responses={**errors(422), **RATE_LIMITED},
)
async def register(body: RegisterRequest, request: Request) -> dict:
    """Ask for a patient or clinician account. We e-mail a link to confirm the address;
    the account can sign in once it is confirmed. A clinician also waits for an
    administrator's approval (``spinecare users approve EMAIL``). The answer is the same
    if the address already has an account: its owner gets an e-mail saying so."""
    message = await run_in_threadpool(
        get_services(request).credentials.register,
        body.email, body.password, body.name, body.role, ip=client_ip(request),
    )
    return {"message": message}


@router.post("/auth/verify", response_model=UserView, responses=errors(422))
async def verify(body: VerifyRequest, request: Request) -> dict:
    """Confirm an e-mail address with the token from the sign-up e-mail (single use)."""
    user = await run_in_threadpool(get_services(request).credentials.verify_email, body.token)
    return user.to_dict()


@router.post(
    "/auth/login",
    response_model=TokenResponse,
    responses={
        401: {"model": Message,
              "description": "Wrong e-mail or password, or the address is not confirmed yet "
                             "(one message)."},
        **RATE_LIMITED,
        **errors(422),
    },
)
async def login(body: LoginRequest, request: Request) -> dict:
    """A bearer token for ``Authorization: Bearer <access_token>``: valid 12 hours, ended
    sooner by 2 idle hours, ``POST /auth/logout``, a password change or deleting it in
    ``/me/sessions``."""
    services = get_services(request)
    user = await run_in_threadpool(
        services.accounts.authenticate, body.email, body.password, ip=client_ip(request)
    )
    agent = request.headers.get("user-agent", "")[:60]
    return {
        "access_token": await issue_token(request, user, f"API token ({agent or 'client'})"),
        "token_type": "bearer",
        "expires_in": TOKEN_MAX_AGE,
    }


@router.post("/auth/logout", status_code=204, responses=errors(401))
async def logout(request: Request, who: SignedIn = Depends(require_user)) -> Response:
    """End the token (or browser session) that made this request."""
    await run_in_threadpool(get_services(request).sessions.end, who.session_id)
    if who.method == "cookie":
        request.session.clear()
    return Response(status_code=204)


@router.post(
    "/auth/password-reset",
    status_code=202,
    response_model=AcceptedMessage,
    responses={**errors(422), **RATE_LIMITED},
)
async def password_reset(body: ResetRequest, request: Request) -> dict:
    """E-mail a single-use link (30 minutes) to choose a new password. The same answer
    whether or not the address has an account."""
    message = await run_in_threadpool(
        get_services(request).credentials.request_password_reset, body.email,
        ip=client_ip(request),
    )
    return {"message": message}


@router.post("/auth/password-reset/confirm", response_model=UserView, responses=errors(422))
async def password_reset_confirm(body: ResetConfirmRequest, request: Request) -> dict:
    """Choose a new password with the token from the e-mail. Every sign-in and token of
    the account ends; sign in again with the new password."""
    user = await run_in_threadpool(
        get_services(request).credentials.reset_password, body.token, body.new_password
    )
    return user.to_dict()


@router.get("/me", response_model=UserView, responses=errors(401))
def me(who: SignedIn = Depends(require_user)) -> dict:
    """The signed-in account."""
    return who.user.to_dict()


@router.post(
    "/me/password",
    response_model=PasswordChanged,
    responses={**errors(401, 422), **RATE_LIMITED},
)
async def change_password(
    body: PasswordChangeRequest, request: Request, who: SignedIn = Depends(require_user)
) -> dict:
    """Change your password (the current one is needed). Every other sign-in and token
    ends; this one stays."""
    ended = await run_in_threadpool(
        get_services(request).credentials.change_password, who.actor,
        body.current_password, body.new_password, keep_session=who.session_id,
    )
    return {"ended_sessions": ended}


@router.get("/me/sessions", response_model=list[SessionOut], responses=errors(401))
def my_sessions(request: Request, who: SignedIn = Depends(require_user)) -> list[SessionOut]:
    """Where you are signed in: browsers and API tokens, most recently used first."""
    views = get_services(request).sessions.list_for(who.actor)
    return [SessionOut.seen_by(v, who.session_id) for v in views]


@router.delete("/me/sessions/{session_id}", status_code=204, responses=errors(401, 404))
def end_my_session(
    session_id: RowId, request: Request, who: SignedIn = Depends(require_user)
) -> Response:
    """Sign out one browser or revoke one token (yours only)."""
    get_services(request).sessions.revoke_own(who.actor, session_id)
    return Response(status_code=204)


@router.post("/auth/logout-others", response_model=EndedSessions, responses=errors(401))
def end_other_sessions(request: Request, who: SignedIn = Depends(require_user)) -> dict:
    """Sign out everywhere else: every other browser and token ends; this one stays."""
    ended = get_services(request).sessions.end_all(who.user.id, keep=who.session_id)
    return {"ended_sessions": ended}


@router.delete(
    "/admin/users/{user_id}/sessions",
    response_model=EndedSessions,
    responses=errors(401, 403, 404),
    tags=["administration"],
)
def admin_end_sessions(
    user_id: RowId, request: Request, who: SignedIn = Depends(require_admin)
) -> dict:
    """Sign a person out everywhere (a lost phone, a leaked token). Audited."""
    ended = get_services(request).sessions.revoke_all_for(who.actor, user_id)
    return {"ended_sessions": ended}
