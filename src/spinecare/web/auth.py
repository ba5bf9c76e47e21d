"""Who is making this request: session cookies (pages), bearer tokens (API clients), CSRF.

Dependencies for routes (pages and API alike)::

    from spinecare.web.auth import SignedIn, require_patient, optional_user

    @router.get("/me")
    def me(who: SignedIn = Depends(require_patient)): who.user, who.actor

``require_*`` reject the anonymous with 401 (API) or a redirect to ``/signin?next=…``
(pages, see web/errors.py), and the wrong role with 403. For unsafe methods (POST, PUT, PATCH,
DELETE) authenticated by the session cookie they also check the CSRF token: a form field
``csrf_token`` or an ``X-CSRF-Token`` header. Anonymous forms (sign in, sign up) add
``Depends(verify_csrf)`` themselves.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool

from spinecare.services import Services
from spinecare.services.actor import Actor
from spinecare.services.errors import NotAuthenticated, PermissionDenied
from spinecare.services.views import UserView

SESSION_COOKIE = "spinecare_session"
SESSION_MAX_AGE = 8 * 3600
TOKEN_MAX_AGE = 12 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: UserView
    actor: Actor
    method: str  # "cookie" or "bearer"


def get_services(request: Request) -> Services:
    return request.app.state.services


def client_ip(request: Request) -> str:
    # Behind a proxy, uvicorn --proxy-headers (with --forwarded-allow-ips) sets this.
    return request.client.host if request.client else ""


# --- bearer tokens -------------------------------------------------------------------

def _token_serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="spinecare-api-token")


def issue_token(request: Request, user: UserView) -> str:
    return _token_serializer(request).dumps({"uid": user.id})


def _token_user_id(request: Request, token: str) -> int:
    try:
        data = _token_serializer(request).loads(token, max_age=TOKEN_MAX_AGE)
    except SignatureExpired as exc:
        raise NotAuthenticated("The access token has expired: sign in again.") from exc
    except BadSignature as exc:
        raise NotAuthenticated("The access token is not valid: sign in again.") from exc
    return int(data["uid"])


# --- sessions and CSRF -----------------------------------------------------------------

def sign_in(request: Request, user: UserView) -> None:
    """Start a cookie session (a fresh one: nothing from before sign-in is kept)."""
    request.session.clear()
    request.session["uid"] = user.id
    request.session["csrf"] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    request.session.clear()


def csrf_token(request: Request) -> str:
    """The token to put in every form as ``<input type=hidden name=csrf_token>``."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def _submitted_csrf(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # cached by Starlette: Form() params still work
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def verify_csrf(request: Request) -> None:
    """Reject an unsafe request whose CSRF token does not match the session's."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = request.session.get("csrf", "")
    submitted = await _submitted_csrf(request)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise PermissionDenied(
            "This form has expired or did not come from this site. Reload the page and try again."
        )


# --- who is asking -------------------------------------------------------------------

async def optional_user(request: Request) -> SignedIn | None:
    """The signed-in user (bearer token first, then session cookie), or None."""
    if hasattr(request.state, "signed_in"):
        return request.state.signed_in
    method = ""
    user_id: int | None = None
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Use the header 'Authorization: Bearer <access_token>'.")
        user_id, method = _token_user_id(request, token.strip()), "bearer"
    elif "session" in request.scope and isinstance(request.session.get("uid"), int):
        user_id, method = request.session["uid"], "cookie"
    signed_in = None
    if user_id is not None:
        services = get_services(request)
        user = await run_in_threadpool(services.accounts.get, user_id)
        if user is None:  # account deleted since the cookie or token was issued
            if method == "cookie":
                request.session.clear()
            else:
                raise NotAuthenticated("This account no longer exists.")
        else:
            actor = Actor(user.id, user.role, client_ip(request), user.approved)
            signed_in = SignedIn(user, actor, method)
    request.state.signed_in = signed_in
    return signed_in


async def current_actor(request: Request) -> Actor:
    """An Actor for services, anonymous when nobody is signed in. A cookie-authenticated
    unsafe request must carry the CSRF token here too (it may write to the person's record)."""
    who = await optional_user(request)
    if who is None:
        return Actor.anonymous(client_ip(request))
    if who.method == "cookie":
        await verify_csrf(request)
    return who.actor


async def require_user(request: Request) -> SignedIn:
    who = await optional_user(request)
    if who is None:
        raise NotAuthenticated("Sign in first.")
    if who.method == "cookie":
        await verify_csrf(request)
    return who


def _require_role(*roles: str):  # type: ignore[no-untyped-def]
    async def dependency(request: Request) -> SignedIn:
        who = await require_user(request)
        if who.user.role not in roles:
            names = " or ".join(roles)
            raise PermissionDenied(f"This is only for {names} accounts.")
        return who

    dependency.__name__ = f"require_{'_or_'.join(roles)}"
    return dependency


require_patient = _require_role("patient")
require_clinician = _require_role("clinician")
require_admin = _require_role("admin")
require_clinician_or_admin = _require_role("clinician", "admin")
