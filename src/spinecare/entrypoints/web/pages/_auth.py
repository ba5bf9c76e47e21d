"""What the pages need from ``spinecare.entrypoints.web.auth``, in one place.

Routes declare ``Depends(optional_user)`` (via the router) or ``Depends(require_patient)``
etc.; anonymous requests to protected pages are redirected to /signin by the app's
error handler, and every POST checks the CSRF token.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from spinecare.entrypoints.web.auth import client_ip, csrf_token, get_services
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
    return str(request.app.state.secret_key)


def fhir_bundle(request: Request, who: Any) -> dict[str, Any]:
    """The patient's questionnaires as a FHIR R4 Bundle (Patient, QuestionnaireResponse,
    Observation), built from the same export as the JSON download (so it is audited)."""
    from datetime import datetime

    from spinecare.adapters.fhir.bundle import Administration, Person, bundle_for_person
    from spinecare.adapters.instrument_files import builtin_definitions
    from spinecare.clinical.instruments import AnswerError, normalise_answers

    data = services(request).data_rights.export(who.actor, who.user.id)
    known = builtin_definitions()
    administrations = []
    for r in data["questionnaire_responses"]:
        definition = known.get(r["instrument_id"])
        if definition is None:
            continue  # not a questionnaire spinecare defines: only in the JSON download
        try:
            normalise_answers(definition, r["answers"])
        except AnswerError:
            continue
        administrations.append(Administration(
            instrument=r["instrument_id"],
            answers=r["answers"],
            authored=datetime.fromisoformat(r["created_at"]),
            id=str(r["id"]),
        ))
    person = Person(id=str(who.user.id), name=who.user.name)
    return bundle_for_person(person, administrations)
