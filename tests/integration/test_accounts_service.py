"""Accounts: registration rules, argon2id, one sign-in error, rate limiting, erasure."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters
from sqlalchemy import select

from spinecare.adapters.storage.models import AuditEvent, TriageSession, User
from spinecare.services.actor import Actor
from spinecare.services.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    PermissionDenied,
    RateLimited,
)
from spinecare.services.rate_limit import AccountThrottle, BackoffLimiter

PASSWORD = "correct horse battery"


class Clock:
    """A clock the test moves by hand: no test waits for real time to pass."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_register_validates_every_field_with_a_fix(services) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.accounts.create("not-an-email", "short", " ", "admin")
    assert set(caught.value.problems) == {"email", "password", "name", "role"}
    assert "at least 10 characters" in caught.value.problems["password"]
    assert "name@example.org" in caught.value.problems["email"]


def test_password_is_hashed_with_owasp_argon2id_parameters(services) -> None:
    user = services.accounts.create("Ana@Example.org", PASSWORD, "Ana", "patient")
    assert user.email == "ana@example.org"
    with services.db.transaction() as session:
        stored = session.get(User, user.id).password_hash
    assert PASSWORD not in stored
    params = extract_parameters(stored)
    assert (params.type.name, params.memory_cost, params.time_cost, params.parallelism) == (
        "ID", 19456, 2, 1)


def test_duplicate_email_is_a_conflict(services) -> None:
    services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    with pytest.raises(Conflict):
        services.accounts.create("ANA@example.org", PASSWORD, "Ana again", "patient")


def test_clinicians_start_unapproved_until_an_admin_approves(services) -> None:
    clinician = services.accounts.create("doc@example.org", PASSWORD, "Doc", "clinician")
    assert clinician.approved is False
    patient = services.accounts.create("p@example.org", PASSWORD, "P", "patient")
    patient_actor = Actor(patient.id, "patient")
    with pytest.raises(PermissionDenied):
        services.accounts.set_approved(patient_actor, clinician.id)
    assert services.accounts.set_approved(Actor.system(), clinician.id).approved is True


def test_wrong_password_and_unknown_email_give_the_same_error(services) -> None:
    services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    with pytest.raises(InvalidCredentials) as wrong_password:
        services.accounts.authenticate("ana@example.org", "wrong password!")
    with pytest.raises(InvalidCredentials) as unknown_email:
        services.accounts.authenticate("nobody@example.org", "wrong password!")
    assert wrong_password.value.message == unknown_email.value.message
    assert services.accounts.authenticate(" ANA@example.org ", PASSWORD).email == "ana@example.org"


def test_sign_in_is_rate_limited_after_repeated_failures(services) -> None:
    clock = Clock()
    services.accounts.sign_in_throttle = AccountThrottle(clock=clock)
    services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            services.accounts.authenticate("ana@example.org", "wrong password!", ip="10.0.0.1")
    # From that address the next try waits, even with the right password …
    with pytest.raises(RateLimited) as caught:
        services.accounts.authenticate("ana@example.org", PASSWORD, ip="10.0.0.1")
    assert caught.value.retry_after == 1
    # … and each further failure doubles the wait.
    clock.now += 1
    with pytest.raises(InvalidCredentials):
        services.accounts.authenticate("ana@example.org", "wrong password!", ip="10.0.0.1")
    with pytest.raises(RateLimited) as caught:
        services.accounts.authenticate("ana@example.org", PASSWORD, ip="10.0.0.1")
    assert caught.value.retry_after == 2
    clock.now += 2
    assert services.accounts.authenticate("ana@example.org", PASSWORD, ip="10.0.0.1").id


def test_deleting_my_account_needs_my_password_and_erases_my_data(services) -> None:
    user = services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
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
    ana = services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    ben = services.accounts.create("ben@example.org", PASSWORD, "Ben", "patient")
    with pytest.raises(PermissionDenied):
        services.accounts.delete_account(Actor(ben.id, "patient"), ana.id)
    admin = services.accounts.create_admin("root@example.org", PASSWORD, "Root")
    services.accounts.delete_account(Actor(admin.id, "admin"), ana.id)
    assert services.accounts.get(ana.id) is None


def test_one_address_is_limited_across_accounts_too(services) -> None:
    clock = Clock()
    services.accounts.sign_in_throttle = AccountThrottle(
        by_address=BackoffLimiter(free_failures=2, max_delay=60, forget_after=900, clock=clock),
        clock=clock)
    services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    for email in ("x@example.org", "y@example.org"):
        with pytest.raises(InvalidCredentials):
            services.accounts.authenticate(email, "wrong password!", ip="10.9.9.9")
    with pytest.raises(RateLimited):
        services.accounts.authenticate("ana@example.org", PASSWORD, ip="10.9.9.9")
    assert services.accounts.authenticate("ana@example.org", PASSWORD, ip="10.9.9.8").id


# --- passwords and throttling (security review, findings 8, 12, 13, 14 and 19) ------------

def test_nobody_can_lock_the_owner_out_with_wrong_passwords(services) -> None:
    # Finding 12: five wrong passwords from anywhere locked Ben out for 900 seconds.
    clock = Clock()
    services.accounts.sign_in_throttle = AccountThrottle(clock=clock)
    services.accounts.create("ben@example.org", PASSWORD, "Ben", "patient")
    for i in range(12):  # an attacker rotating addresses, as fast as allowed
        clock.now += services.accounts.sign_in_throttle.retry_after(
            "ben@example.org", f"198.51.100.{i}")
        with pytest.raises(InvalidCredentials):
            services.accounts.authenticate("ben@example.org", "wrong password!",
                                           ip=f"198.51.100.{i}")
    with pytest.raises(RateLimited) as caught:
        services.accounts.authenticate("ben@example.org", PASSWORD, ip="192.0.2.10")
    # Guessing stays slow (a minute a try), but the owner waits at most a minute.
    assert caught.value.retry_after == 60
    assert caught.value.message == "Too many attempts. Try again in 1 minute."
    clock.now += 60
    assert services.accounts.authenticate("ben@example.org", PASSWORD, ip="192.0.2.10").id


def test_a_blocked_address_trying_new_e_mails_keeps_the_throttle_small(services) -> None:
    # Finding 14: 60,000 refused attempts with new e-mails added 51 MB, never freed.
    throttle = AccountThrottle(
        by_address=BackoffLimiter(free_failures=1, max_delay=900, clock=lambda: 1e4),
        clock=lambda: 1e4)
    services.accounts.sign_in_throttle = throttle
    with pytest.raises(InvalidCredentials):
        services.accounts.authenticate("first@example.org", "wrong password!", ip="10.6.6.6")
    size = throttle.size()
    for i in range(100_000):
        with pytest.raises(RateLimited):
            services.accounts.authenticate(f"new-{i}@example.org", "x", ip="10.6.6.6")
    assert throttle.size() == size == 3  # the address, the pair and the e-mail of the first


def test_confirming_a_password_is_throttled_like_sign_in(services) -> None:
    # Finding 19: /api/v1/me/delete re-checked the password with no limit (30 tries, all 422).
    clock = Clock()
    services.accounts.confirm_throttle = AccountThrottle(clock=clock)
    ana = services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    for _ in range(3):
        with pytest.raises(InvalidInput) as wrong:
            services.accounts.check_password_confirmation(ana.id, "a stolen guess", ip="10.0.0.9")
        assert "password" in wrong.value.problems
    with pytest.raises(RateLimited):
        services.accounts.check_password_confirmation(ana.id, PASSWORD, ip="10.0.0.9")
    clock.now += 1
    assert services.accounts.check_password_confirmation(ana.id, PASSWORD, ip="10.0.0.9") is None


def test_sign_ups_are_limited_per_address(services) -> None:
    # Finding 8: 400 sign-ups from one address all succeeded (RSS 331 MB -> 1.1 GB).
    for i in range(20):
        services.credentials.register(f"p{i}@example.org", PASSWORD, f"P{i}", "patient",
                                      ip="203.0.113.5")
    with pytest.raises(RateLimited) as caught:
        services.credentials.register("p20@example.org", PASSWORD, "P20", "patient",
                                      ip="203.0.113.5")
    assert caught.value.message == "Too many sign-ups from this address. Try again in 60 minutes."
    assert services.accounts.by_email("p20@example.org") is None
    services.credentials.register("q@example.org", PASSWORD, "Q", "patient", ip="203.0.113.6")
    assert services.accounts.by_email("q@example.org") is not None


@pytest.mark.parametrize(("email", "password", "expected"), [
    ("ana@example.org", "password12", "is too easy to guess"),
    ("ana@example.org", "1234567890", "is too easy to guess"),
    ("ana@example.org", "ana@example.org", "e-mail address"),
    ("maya@example.org", "maya-okafor-1980", "e-mail address"),
])
def test_registration_refuses_common_and_personal_passwords(
    services, email: str, password: str, expected: str
) -> None:
    # Finding 13: "password12", "1234567890" and the account's own e-mail were accepted.
    with pytest.raises(InvalidInput) as caught:
        services.accounts.create(email, password, "Maya Okafor", "patient")
    assert expected in caught.value.problems["password"]
