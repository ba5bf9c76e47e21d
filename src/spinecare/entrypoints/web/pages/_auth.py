"""What the pages need from ``spinecare.entrypoints.web.auth``, in one place.

Routes declare ``Depends(optional_user)`` (via the router) or ``Depends(require_patient)``
etc.; anonymous requests to protected pages are redirected to /signin by the app's
error handler, and every POST checks the CSRF token.
"""

from __future__ import annotations

from fastapi import Request

from spinecare.entrypoints.web.auth import client_ip, csrf_token, get_services, get_spinecare
from spinecare.services import Services
from spinecare.services.actor import Actor
from spinecare.services.views import UserView

__all__ = ["client_ip", "csrf_token_for", "page_user", "secret_key", "services"]


def services(request: Request) -> Services:
    return get_services(request)


def page_user(request: Request) -> UserView | None:
    who = getattr(request.state, "signed_in", None)
    return who.user if who else None


def page_actor(request: Request) -> Actor:
    who = getattr(request.state, "signed_in", None)
    return who.actor if who else Actor.anonymous(client_ip(request))


def csrf_token_for(request: Request) -> str:
    return csrf_token(request)


def secret_key(request: Request) -> str:
    return get_spinecare(request).secret_key

