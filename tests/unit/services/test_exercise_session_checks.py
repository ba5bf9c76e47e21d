"""Logging an exercise session (review of issue 11): only exercises of the patient's own
programme, and nothing while the plan is paused for an open warning sign. Over a real
SQLite database, through the service the page and the API both call."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from spinecare.adapters.storage import migrate
from spinecare.adapters.storage.models import DiaryEntry, User, utcnow
from spinecare.bootstrap import bootstrap
from spinecare.clinical.exercise.templates import TEMPLATES
from spinecare.services.actor import Actor
from spinecare.services.errors import InvalidInput
from spinecare.settings import Settings

TODAY = date(2026, 3, 20)
STENOSIS = TEMPLATES["lumbar_spinal_stenosis"]


@pytest.fixture
def world(tmp_path: Path):  # type: ignore[no-untyped-def]
    app = bootstrap(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/x.db",
                             secret_key="k" * 40))
    migrate.upgrade(app.services.db)
    with app.services.db.unit_of_work() as repos:
        pid = repos.users.add(User(email="p@example.org", name="P", role="patient",
                                   password_hash="x", approved=True,
                                   email_verified_at=utcnow())).id
    yield app, app.services.exercise, Actor(pid, "patient")
    app.close()


def _stored(service, me) -> int:  # type: ignore[no-untyped-def]
    return len(service.sessions(me, me.user_id))


def test_an_exercise_outside_the_patients_programme_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    _, service, me = world
    service.choose_condition(me, "lumbar_spinal_stenosis", today=TODAY - timedelta(days=10))
    assert "lower_trunk_rotation" not in STENOSIS.home + STENOSIS.conditioning
    with pytest.raises(InvalidInput) as refused:
        service.log_session(me, day=TODAY, status="done", today=TODAY,
                            exercises=["pelvic_tilt", "lower_trunk_rotation", "prone_lying"])
    message = refused.value.problems["exercises"]
    assert "not in your exercise plan: lower_trunk_rotation, prone_lying" in message
    for own in (*STENOSIS.home, *STENOSIS.conditioning):
        assert own in message  # the plan's ids are listed
    assert _stored(service, me) == 0
    # The plan's own exercises are logged.
    view = service.log_session(me, day=TODAY, status="done", today=TODAY,
                               exercises=["pelvic_tilt", "stationary_cycling"])
    assert view.exercises == ["pelvic_tilt", "stationary_cycling"]


def test_without_a_condition_no_exercise_can_be_logged(world) -> None:  # type: ignore[no-untyped-def]
    _, service, me = world
    with pytest.raises(InvalidInput) as refused:
        service.log_session(me, day=TODAY, status="done", today=TODAY, exercises=["walking"])
    assert "your plan has no exercises yet" in refused.value.problems["exercises"]
    assert "Choose which condition the plan is for" in refused.value.problems["exercises"]
    assert _stored(service, me) == 0


def test_no_session_is_logged_while_the_plan_is_paused(world) -> None:  # type: ignore[no-untyped-def]
    app, service, me = world
    service.choose_condition(me, "lumbar_spinal_stenosis", today=TODAY - timedelta(days=10))
    with app.services.db.unit_of_work() as repos:
        repos.diary.add(DiaryEntry(patient_id=me.user_id, day=TODAY - timedelta(days=1),
                                   warning_signs=["fever"]))
    for kind in ("programme", "home"):
        with pytest.raises(InvalidInput) as refused:
            service.log_session(me, day=TODAY, status="done", kind=kind, today=TODAY,
                                exercises=["pelvic_tilt"])
        message = refused.value.problems["plan"]
        assert "paused" in message and "warning sign" in message
        assert "new symptom check" in message  # what to do
    assert _stored(service, me) == 0
