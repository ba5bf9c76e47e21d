"""Many requests writing at once (threads, as the server's threadpool does): every write
lands exactly once, nothing fails with a lock error, and grants stay unique."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from spinecare.adapters.storage.models import AuditEvent, CareTeamGrant, TriageSession
from spinecare.services.actor import Actor
from spinecare.services.errors import Conflict
from spinecare.services.triage import build_findings

PASSWORD = "correct horse battery"
THREADS = 8
ROUNDS = 15


def _count(services, model, *where) -> int:  # type: ignore[no-untyped-def]
    with services.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_concurrent_checks_and_grants_all_land(services) -> None:
    doc = services.accounts.create("doc@example.org", PASSWORD, "Doc", "clinician")
    services.accounts.set_approved(Actor.system(), doc.id)
    patients = [
        Actor(services.accounts.create(f"p{i}@example.org", PASSWORD, f"P{i}", "patient").id,
              "patient")
        for i in range(THREADS)
    ]
    findings = build_findings({"back_pain": True}, age=50, sex="female")
    errors: list[str] = []

    def work(actor: Actor) -> None:
        try:
            for _ in range(ROUNDS):
                services.triage.check(actor, findings)
                services.care_team.grant(actor, "doc@example.org")
                services.triage.history(Actor(doc.id, "clinician", approved=True),
                                        actor.user_id)
                services.care_team.revoke(actor, doc.id)
        except Exception as exc:  # collected and reported by the assertion below
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=work, args=(p,)) for p in patients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _count(services, TriageSession) == THREADS * ROUNDS
    assert _count(services, CareTeamGrant) == THREADS * ROUNDS
    assert _count(services, CareTeamGrant, CareTeamGrant.revoked_at.is_(None)) == 0
    # Each round: check + grant + history read + revoke, each audited exactly once.
    resources = ("triage_session", "care_team_grant", "triage_history")
    assert _count(services, AuditEvent, AuditEvent.resource.in_(resources)) == (
        THREADS * ROUNDS * 4)


def test_two_grants_racing_for_one_pair_leave_one(services) -> None:
    doc = services.accounts.create("doc@example.org", PASSWORD, "Doc", "clinician")
    ana = Actor(services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient").id,
                "patient")
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def grant() -> None:
        barrier.wait()
        try:
            services.care_team.grant(ana, "doc@example.org")
            outcomes.append("granted")
        except Conflict:
            outcomes.append("conflict")
        except Exception as exc:  # an IntegrityError from the unique index is fine too
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=grant) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("granted") == 1
    assert set(outcomes) <= {"granted", "conflict", "IntegrityError"}
    assert _count(services, CareTeamGrant, CareTeamGrant.clinician_id == doc.id) == 1
