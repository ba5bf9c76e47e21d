"""Accounts: registration rules, argon2id, one sign-in error, rate limiting, erasure."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters
from sqlalchemy import select

from spinecare.services.actor import Actor
from spinecare.services.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    PermissionDenied,
    RateLimited,
)
from spinecare.services.rate_limit import FailureLimiter
from spinecare.storage.models import AuditEvent, TriageSession, User

PASSWORD = "correct horse battery"


def test_register_validates_every_field_with_a_fix(services) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.accounts.register("not-an-email", "short", " ", "admin")
    assert set(caught.value.problems) == {"email", "password", "name", "role"}
    assert "at least 10 characters" in caught.value.problems["password"]
    assert "name@example.org" in caught.value.problems["email"]


def test_password_is_hashed_with_owasp_argon2id_parameters(services) -> None:
    user = services.accounts.register("Ana@Example.org", PASSWORD, "Ana", "patient")
    assert user.email == "ana@example.org"
    with services.db.transaction() as session:
        stored = session.get(User, user.id).password_hash
    assert PASSWORD not in stored
    params = extract_parameters(stored)
    assert (params.type.name, params.memory_cost, params.time_cost, params.parallelism) == (
        "ID", 19456, 2, 1)


def test_duplicate_email_is_a_conflict(services) -> None:
    services.accounts.register("ana@example.org", PASSWORD, "Ana", "patient")
    with pytest.raises(Conflict):
        services.accounts.register("ANA@example.org", PASSWORD, "Ana again", "patient")


def test_clinicians_start_unapproved_until_an_admin_approves(services) -> None:
    clinician = services.accounts.register("doc@example.org", PASSWORD, "Doc", "clinician")
    assert clinician.approved is False
    patient = services.accounts.register("p@example.org", PASSWORD, "P", "patient")
    patient_actor = Actor(patient.id, "patient")
    with pytest.raises(PermissionDenied):
        services.accounts.set_approved(patient_actor, clinician.id)
    assert services.accounts.set_approved(Actor.system(), clinician.id).approved is True


def test_wrong_password_and_unknown_email_give_the_same_error(services) -> None:
    services.accounts.register("ana@example.org", PASSWORD, "Ana", "patient")
    with pytest.raises(InvalidCredentials) as wrong_password:
        services.accounts.authenticate("ana@example.org", "wrong password!")
    with pytest.raises(InvalidCredentials) as unknown_email:
        services.accounts.authenticate("nobody@example.org", "wrong password!")
    assert wrong_password.value.message == unknown_email.value.message
    assert services.accounts.authenticate(" ANA@example.org ", PASSWORD).email == "ana@example.org"


def test_sign_in_is_rate_limited_after_repeated_failures(services) -> None:
    now = [1000.0]
    services.accounts.limiter = FailureLimiter(max_failures=3, window_seconds=60,
                                               clock=lambda: now[0])
    services.accounts.register("ana@example.org", PASSWORD, "Ana", "patient")
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            services.accounts.authenticate("ana@example.org", "wrong password!", ip="10.0.0.1")
    # Even the right password is refused while the window is full, from anywhere …
    with pytest.raises(RateLimited) as caught:
        services.accounts.authenticate("ana@example.org", PASSWORD, ip="10.0.0.2")
    assert 0 < caught.value.retry_after <= 61
    # … and accepted once it has passed.
    now[0] += 61
    assert services.accounts.authenticate("ana@example.org", PASSWORD, ip="10.0.0.2").id


def test_deleting_my_account_needs_my_password_and_erases_my_data(services) -> None:
    user = services.accounts.register("ana@example.org", PASSWORD, "Ana", "patient")
    actor = Actor(user.id, "patient", "10.1.1.1")
    from spinecare.services.triage import build_findings

    services.triage.check(actor, build_findings({"leg_pain": True}, age=60, sex="female"))
    with pytest.raises(InvalidInput):
        services.accounts.delete_account(actor, user.id, password="not my password")
    services.accounts.delete_account(actor, user.id, password=PASSWORD)
    assert services.accounts.get(user.id) is None
    with services.db.transaction() as session:
        assert session.scalars(select(TriageSession)).all() == []
        events = session.scalars(select(AuditEvent)).all()
    # The trail stays, but points at no one any more.
    assert {e.action for e in events} >= {"create", "delete"}
    assert all(e.patient_id is None and e.actor_id is None for e in events)


def test_only_an_admin_deletes_someone_else(services) -> None:
    ana = services.accounts.register("ana@example.org", PASSWORD, "Ana", "patient")
    ben = services.accounts.register("ben@example.org", PASSWORD, "Ben", "patient")
    with pytest.raises(PermissionDenied):
        services.accounts.delete_account(Actor(ben.id, "patient"), ana.id)
    admin = services.accounts.create_admin("root@example.org", PASSWORD, "Root")
    services.accounts.delete_account(Actor(admin.id, "admin"), ana.id)
    assert services.accounts.get(ana.id) is None


def test_one_address_is_limited_across_accounts_too(services) -> None:
    services.accounts.ip_limiter = FailureLimiter(max_failures=2, window_seconds=60)
    services.accounts.register("ana@example.org", PASSWORD, "Ana", "patient")
    for email in ("x@example.org", "y@example.org"):
        with pytest.raises(InvalidCredentials):
            services.accounts.authenticate(email, "wrong password!", ip="10.9.9.9")
    with pytest.raises(RateLimited):
        services.accounts.authenticate("ana@example.org", PASSWORD, ip="10.9.9.9")
    assert services.accounts.authenticate("ana@example.org", PASSWORD, ip="10.9.9.8").id
