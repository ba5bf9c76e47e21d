"""What the pages need from ``spinecare.web.auth``, in one place.

Routes declare ``Depends(optional_user)`` (via the router) or ``Depends(require_patient)``
etc.; anonymous requests to protected pages are redirected to /signin by the app's
error handler, and every POST checks the CSRF token.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from spinecare.services import Services
from spinecare.services.actor import Actor
from spinecare.services.views import UserView
from spinecare.web.auth import client_ip, csrf_token, get_services

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
    return str(request.app.state.secret_key)


def fhir_bundle(request: Request, patient_id: int) -> dict[str, Any] | None:
    """The patient's data as a FHIR R4 Bundle, once the FHIR area provides one."""
    try:
        from spinecare.fhir import export as fhir_export  # type: ignore[attr-defined]
    except ImportError:
        return None
    builder = getattr(fhir_export, "patient_bundle", None)
    if builder is None:
        return None
    data = services(request).data_rights.export(page_actor(request), patient_id)
    return builder(data)


def fhir_export_available() -> bool:
    try:
        from spinecare.fhir import export as fhir_export  # type: ignore[attr-defined]
    except ImportError:
        return False
    return hasattr(fhir_export, "patient_bundle")
