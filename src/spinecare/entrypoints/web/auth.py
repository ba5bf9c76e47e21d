"""Who is making this request: session cookies (pages), bearer tokens (API clients), CSRF.

Dependencies for routes (pages and API alike)::

    from spinecare.entrypoints.web.auth import SignedIn, require_patient, optional_user

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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from spinecare.app import Spinecare
from spinecare.services import Services
from spinecare.services.actor import Actor
from spinecare.services.errors import NotAuthenticated, PermissionDenied
from spinecare.services.sessions import LIFETIMES
from spinecare.services.views import UserView

SESSION_COOKIE = "spinecare_session"
# The cookie itself is a browser-session cookie (no Max-Age): closing the browser drops
# it. The server-side row decides how long it really lives (services/sessions.py).
TOKEN_MAX_AGE = int(LIFETIMES["api"].absolute.total_seconds())
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: UserView
    actor: Actor
    method: str  # "cookie" or "bearer"
    session_id: int = 0  # the server-side session or token row behind this request


def get_spinecare(request: Request) -> Spinecare:
    """The application object ``create_app`` was given: settings, engine, services …"""
    spinecare: Spinecare = request.app.state.spinecare
    return spinecare


def get_services(request: Request) -> Services:
    return get_spinecare(request).services


def client_ip(request: Request) -> str:
    # Behind a proxy, uvicorn --proxy-headers (with --forwarded-allow-ips) sets this.
    return request.client.host if request.client else ""


# --- bearer tokens -------------------------------------------------------------------
# A token is a random secret whose hash is a row in auth_sessions: it names no user id, so
# it cannot come to mean another account, and deleting the row revokes it at once.

async def issue_token(request: Request, user: UserView, label: str = "") -> str:
    secret, _ = await run_in_threadpool(
        get_services(request).sessions.start, user.id, "api", label=label or "API token"
    )
    return secret


# --- sessions and CSRF -----------------------------------------------------------------
# The session cookie (signed by Starlette) carries the secret of a server-side session row
# and the CSRF token. Signing out deletes the row, so a copy of the cookie is worthless.

def _browser_label(request: Request) -> str:
    agent = request.headers.get("user-agent", "")
    for name in ("Edg", "Firefox", "Chrome", "Safari"):
        if name in agent:
            browser = {"Edg": "Edge"}.get(name, name)
            break
    else:
        browser = "A browser"
    for system in ("Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"):
        if system in agent:
            return f"{browser} on {system.replace('Mac OS', 'a Mac')}"
    return browser


async def sign_in(request: Request, user: UserView) -> None:
    """Start a cookie session (a fresh one: nothing from before sign-in is kept)."""
    secret, _ = await run_in_threadpool(
        get_services(request).sessions.start, user.id, "browser", label=_browser_label(request)
    )
    request.session.clear()
    request.session["sid"] = secret
    request.session["csrf"] = secrets.token_urlsafe(32)
    request.state.signed_in = None


async def sign_out(request: Request) -> None:
    """End this browser's session on the server, then forget the cookie."""
    who = await optional_user(request)
    if who is not None and who.method == "cookie":
        await run_in_threadpool(get_services(request).sessions.end, who.session_id)
    request.session.clear()
    request.state.signed_in = None


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
    if (not isinstance(expected, str) or not expected or not submitted
            or not hmac.compare_digest(expected.encode(), submitted.encode())):
        raise PermissionDenied(
            "This form has expired or did not come from this site. Reload the page and try again."
        )


# --- who is asking -------------------------------------------------------------------

async def optional_user(request: Request) -> SignedIn | None:
    """The signed-in user (bearer token first, then session cookie), or None."""
    if getattr(request.state, "signed_in", None) is not None:
        return request.state.signed_in
    services = get_services(request)
    signed_in = None
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Use the header 'Authorization: Bearer <access_token>'.")
        resolved = await run_in_threadpool(services.sessions.resolve, token.strip(), "api")
        if resolved is None:
            raise NotAuthenticated(
                "The access token is not valid any more (expired, revoked or signed out): "
                "sign in again."
            )
        signed_in = _signed_in(request, resolved.user, "bearer", resolved.session_id)
    elif "session" in request.scope and "sid" in request.session:
        secret = request.session["sid"]
        resolved = None
        if isinstance(secret, str):
            resolved = await run_in_threadpool(services.sessions.resolve, secret, "browser")
        if resolved is None:  # signed out elsewhere, expired, or the account is gone
            request.session.clear()
        else:
            signed_in = _signed_in(request, resolved.user, "cookie", resolved.session_id)
    request.state.signed_in = signed_in
    return signed_in


def _signed_in(request: Request, user: UserView, method: str, session_id: int) -> SignedIn:
    actor = Actor(user.id, user.role, client_ip(request), user.approved)
    return SignedIn(user, actor, method, session_id)


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


def _require_role(*roles: str) -> Callable[[Request], Awaitable[SignedIn]]:
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
