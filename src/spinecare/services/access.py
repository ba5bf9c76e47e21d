"""Who may see whose health data. The one place the rule lives; every service calls it.

The patient, and a clinician they granted access to (while the clinician is approved).
Nobody else: not an administrator (least privilege; security review finding 3).
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from spinecare.adapters.storage.models import User
from spinecare.adapters.storage.repositories import Repositories
from spinecare.services import audit
from spinecare.services.actor import Actor
from spinecare.services.errors import NotFound, PermissionDenied

_NOT_ALLOWED = "You do not have access to this person's data."


def can_read_patient(repos: Repositories, actor: Actor, patient_id: int) -> bool:
    if actor.user_id is None:
        return False
    if actor.role == "patient":
        return actor.user_id == patient_id
    if actor.role == "clinician":
        # An unapproved clinician sees no one, even with a grant.
        return actor.approved and repos.grants.active(patient_id, actor.user_id) is not None
    # Administrators manage accounts, not care: no health data without a grant, and they
    # cannot hold one (grants go to clinicians). The sharing page tells patients so.
    return False


def require_patient_readable(repos: Repositories, actor: Actor, patient_id: int) -> User:
    """The patient row if ``actor`` may read their data; else PermissionDenied / NotFound."""
    if not can_read_patient(repos, actor, patient_id):
        raise PermissionDenied(_NOT_ALLOWED)
    patient = repos.users.get(patient_id)
    if patient is None or patient.role != "patient":
        raise NotFound("No such patient.")
    return patient


class _PatientRecord(Protocol):
    id: Any
    patient_id: Any


RecordT = TypeVar("RecordT", bound=_PatientRecord)


def read_record(
    repos: Repositories, actor: Actor, row: RecordT | None, resource: str, missing: str
) -> RecordT:
    """One stored record of a patient's health data, for an actor allowed to read it, with
    the read audited. Someone else's record answers like one that does not exist, so ids
    of other people's data are never confirmed."""
    if row is None:
        raise NotFound(missing)
    try:
        require_patient_readable(repos, actor, row.patient_id)
    except PermissionDenied as exc:
        raise NotFound(missing) from exc
    audit.record(repos, actor, "read", resource, resource_id=row.id, patient_id=row.patient_id)
    return row


def require_self_patient(actor: Actor) -> int:
    """Writes of health data: only the patient themself."""
    if not actor.is_patient or actor.user_id is None:
        raise PermissionDenied("Only a signed-in patient can do this for their own record.")
    return actor.user_id
