"""Accounts for API clients: register, and log in for a bearer token."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from spinecare.web.api._schemas import (
    LoginRequest,
    Message,
    RegisterRequest,
    TokenResponse,
    UserOut,
    errors,
)
from spinecare.web.auth import (
    TOKEN_MAX_AGE,
    SignedIn,
    client_ip,
    get_services,
    issue_token,
    require_user,
)

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.post(
    "/auth/register",
    status_code=201,
    response_model=UserOut,
    responses={409: {"model": Message, "description": "The e-mail is taken."}, **errors(422)},
)
def register(body: RegisterRequest, request: Request) -> dict:
    """Create a patient or clinician account. A clinician sees no one until an
    administrator approves the account (``spinecare users approve EMAIL``)."""
    user = get_services(request).accounts.register(
        body.email, body.password, body.name, body.role, ip=client_ip(request)
    )
    return user.to_dict()


@router.post(
    "/auth/login",
    response_model=TokenResponse,
    responses={
        401: {"model": Message, "description": "Wrong e-mail or password (one message)."},
        429: {"model": Message, "description": "Too many failed attempts: wait."},
        **errors(422),
    },
)
async def login(body: LoginRequest, request: Request) -> dict:
    """A bearer token for ``Authorization: Bearer <access_token>`` (valid 12 hours)."""
    services = get_services(request)
    user = await run_in_threadpool(
        services.accounts.authenticate, body.email, body.password, ip=client_ip(request)
    )
    return {
        "access_token": issue_token(request, user),
        "token_type": "bearer",
        "expires_in": TOKEN_MAX_AGE,
    }


@router.get("/me", response_model=UserOut, responses=errors(401))
def me(who: SignedIn = Depends(require_user)) -> dict:
    """The signed-in account."""
    return who.user.to_dict()
