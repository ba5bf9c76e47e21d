"""The demo's exercise sessions are ones its patients could log: every exercise in every
session is in that patient's own programme (review of issue 11: Ben's sessions held
lower_trunk_rotation, which his disc-herniation programme does not list)."""

from __future__ import annotations

from spinecare.services import demo
from spinecare.services.actor import Actor


def test_every_demo_session_is_valid_for_the_patients_programme(services) -> None:  # type: ignore[no-untyped-def]
    loaded, _ = demo.load(services)
    assert loaded
    checked = 0
    for account in (demo.PATIENT_ANA, demo.PATIENT_BEN):
        user = services.accounts.by_email(account.email)
        me = Actor(user.id, "patient")
        plan = services.exercise.plan(me, user.id)
        assert plan.condition_source == "chosen"
        programme = services.exercise.catalogue.programme(plan.condition)
        own = {e.id for e in (*programme.home, *programme.conditioning)}
        sessions = services.exercise.sessions(me, user.id)
        done = [s for s in sessions if s.status != "skipped"]
        assert done, account.email
        for session in sessions:
            outside = set(session.exercises) - own
            assert not outside, (account.email, session.day, sorted(outside), sorted(own))
        # The check the service makes when a person logs a session agrees.
        for session in done:
            services.exercise._check_in_plan(session.exercises, programme)
            checked += 1
    assert checked > 10
