"""ExerciseService over a real SQLite database: the 14-day warning-sign window at its
boundary, a flare in the diary stepping the plan back, the audit of every read and write
(with no health words in its detail), and who may log or read."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from spinecare.adapters.storage import migrate
from spinecare.adapters.storage.models import AuditEvent, DiaryEntry, User, utcnow
from spinecare.bootstrap import bootstrap
from spinecare.services.actor import Actor
from spinecare.services.errors import InvalidInput, PermissionDenied
from spinecare.settings import Settings

TODAY = date(2026, 3, 20)


@pytest.fixture
def world(tmp_path: Path):  # type: ignore[no-untyped-def]
    app = bootstrap(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/x.db",
                             secret_key="k" * 40))
    migrate.upgrade(app.services.db)
    with app.services.db.unit_of_work() as repos:
        pid = repos.users.add(User(email="p@example.org", name="P", role="patient",
                                   password_hash="x", approved=True,
                                   email_verified_at=utcnow())).id
    service = app.services.exercise
    service.choose_condition(Actor(pid, "patient"), "lumbar_spinal_stenosis",
                             today=TODAY - timedelta(days=20))
    yield app, service, Actor(pid, "patient")
    app.close()


def _diary(app, pid: int, day: date, **kw) -> None:  # type: ignore[no-untyped-def]
    with app.services.db.unit_of_work() as repos:
        repos.diary.add(DiaryEntry(patient_id=pid, day=day, **kw))


@pytest.mark.parametrize(("days_ago", "paused"), [(13, True), (14, False)])
def test_a_diary_warning_sign_pauses_the_plan_for_14_days(  # type: ignore[no-untyped-def]
        world, days_ago: int, paused: bool) -> None:
    app, service, me = world
    _diary(app, me.user_id, TODAY - timedelta(days=days_ago), warning_signs=["fever"])
    plan = service.plan(me, me.user_id, TODAY)
    assert plan.warning_sign_open is paused
    assert (plan.programme.status.value == "paused_warning_sign") is paused
    assert (plan.progress is None) is paused


def test_a_flare_in_the_diary_steps_the_minutes_back(world) -> None:  # type: ignore[no-untyped-def]
    app, service, me = world
    service.log_session(me, day=TODAY - timedelta(days=2), status="done", effort="easy",
                        today=TODAY)
    _diary(app, me.user_id, TODAY - timedelta(days=1), flare=True)
    plan = service.plan(me, me.user_id, TODAY)
    assert plan.progress is not None
    assert plan.progress.conditioning_minutes == 8
    assert plan.progress.last_change is not None
    assert plan.progress.last_change.rule_id == "EX-PROG-DOWN-FLARE"


def test_every_read_and_write_is_audited_without_health_words(world) -> None:  # type: ignore[no-untyped-def]
    app, service, me = world
    row = service.log_session(me, day=TODAY, status="done", pain_before=2, pain_after=3,
                              notes="sore knee", today=TODAY)
    service.plan(me, me.user_id, TODAY)
    service.sessions(me, me.user_id)
    service.delete_session(me, row.id)
    with app.services.db.unit_of_work() as repos:
        events = repos.session.query(AuditEvent).all()
    seen = [(e.action, e.resource) for e in events]
    assert ("create", "exercise_session") in seen and ("read", "exercise_plan") in seen
    assert ("read", "exercise_sessions") in seen and ("delete", "exercise_session") in seen
    assert ("update", "exercise_profile") in seen
    assert all("stenosis" not in e.detail and "knee" not in e.detail for e in events)


def test_only_the_patient_logs_and_bad_values_store_nothing(world) -> None:  # type: ignore[no-untyped-def]
    _app, service, me = world
    with pytest.raises(PermissionDenied):
        service.log_session(Actor(me.user_id, "clinician"), day=TODAY, status="done")
    with pytest.raises(InvalidInput) as exc:
        service.log_session(me, day=TODAY, status="maybe", pain_after=True, effort="meh",
                            today=TODAY)
    assert set(exc.value.problems) == {"status", "pain_after", "effort"}
    with pytest.raises(InvalidInput, match="skipped session has no effort"):
        service.log_session(me, day=TODAY, status="skipped", effort="easy", today=TODAY)
    assert service.sessions(me, me.user_id) == []
