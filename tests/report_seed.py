"""Seeded report data for the report's tests: Ana's six months of demo diary (a real trend and
two flares), her monthly walking tests and questions, an ODI before and at the end of the
period, and exactly 7 programme sessions done (so the report says "7 of 12")."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from spinecare.adapters.storage.models import DiaryEntry, ExerciseSession
from spinecare.services.actor import Actor
from spinecare.services.demo_diary import ANA_STORY, diary_rows

ODI_MILD = {"pain_intensity": 2, "personal_care": 1, "lifting": 2, "walking": 2, "sitting": 1,
            "standing": 2, "sleeping": 1, "sex_life": 1, "social_life": 2, "travelling": 3}
ODI_WORSE = {**ODI_MILD, "walking": 4, "travelling": 4, "lifting": 3, "standing": 3,
             "pain_intensity": 3, "sleeping": 2}


def seed(services: Any, patient_id: int, today: date, *,
         saddle_days_ago: int | None = None) -> None:
    entries, tests, _, profile, questions = diary_rows(ANA_STORY, patient_id, today)
    if saddle_days_ago is not None:
        day = today - timedelta(days=saddle_days_ago)
        entries = [e for e in entries if e.day != day]
        entries.append(DiaryEntry(patient_id=patient_id, day=day, back_pain=5, leg_pain=7,
                                  warning_signs=["saddle_anaesthesia"], medicines=[],
                                  activities=[], notes=""))
    started = profile.started_on
    sessions = [ExerciseSession(patient_id=patient_id, day=started + timedelta(days=3 * k),
                                kind="programme", status="done", exercises=["pelvic_tilt"],
                                notes="") for k in range(7)]
    with services.db.unit_of_work() as repos:
        for row in (*entries, *tests, *sessions, profile, *questions):
            repos.session.add(row)
    actor = Actor(patient_id, "patient", "127.0.0.1")
    for days_ago, answers in ((100, ODI_MILD), (5, ODI_WORSE)):
        when = today - timedelta(days=days_ago)
        record = services.questionnaires.submit(actor, "odi", answers)
        with services.db.unit_of_work() as repos:
            row = repos.responses.get(record.id)
            row.created_at = datetime.combine(when, time(12), UTC)
