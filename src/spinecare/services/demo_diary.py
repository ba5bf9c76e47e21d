"""Six months of a demo patient's daily life: diary days, walking tests, exercise sessions.

A seeded random process (the same rows on every load) with a real trend and a couple of
flares, so the diary's charts, the flare and association analyses and the doctor's report
mean something on first run. Invented people, invented numbers: for trying spinecare out.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from spinecare.adapters.storage.models import (
    DiaryEntry,
    ExerciseProfile,
    ExerciseSession,
    VisitQuestion,
    WalkingTest,
)
from spinecare.clinical.diary.model import NO_ACTIVITIES


@dataclass(frozen=True, slots=True)
class DiaryStory:
    """How one demo person's six months go: start and end of each measure, the flares."""

    seed: int
    days: int
    leg_pain: tuple[float, float]  # NRS at the start and at the end of the period
    back_pain: tuple[float, float]
    walking_minutes: tuple[float, float]  # tolerance before symptoms force a stop
    standing_minutes: tuple[float, float]
    flares: tuple[tuple[int, int], ...]  # (days ago the flare started, its length in days)
    condition: str
    programme_started_days_ago: int
    programme_sessions_done: int
    exercises: tuple[str, ...] = ()  # the exercise ids a session of theirs holds
    epidural_days_ago: tuple[int, ...] = ()
    questions: tuple[str, ...] = ()


# Ana: lumbar stenosis, walking tolerance falling over six months (as her checks show:
# 400 m -> 100 m), leg pain above back pain, two flares, an injection, an exercise
# programme started seven weeks ago.
ANA_STORY = DiaryStory(
    seed=20261203, days=182, leg_pain=(4.0, 6.2), back_pain=(3.5, 4.2),
    walking_minutes=(16.0, 7.0), standing_minutes=(14.0, 8.0),
    flares=((118, 4), (38, 5)), condition="lumbar_spinal_stenosis",
    programme_started_days_ago=49, programme_sessions_done=7, epidural_days_ago=(130,),
    exercises=("knee_to_chest_single", "pelvic_tilt", "cat_cow", "childs_pose",
               "stationary_cycling"),
    questions=("Is it time to think about surgery, now that I can walk less far?",
               "Could the injection be repeated, and how often is safe?"),
)
# Ben: sciatica after lifting, settling over three months.
BEN_STORY = DiaryStory(
    seed=20261204, days=90, leg_pain=(7.0, 2.0), back_pain=(5.0, 2.5),
    walking_minutes=(12.0, 40.0), standing_minutes=(15.0, 40.0),
    flares=((60, 3),), condition="lumbar_radiculopathy_disc_herniation",
    programme_started_days_ago=70, programme_sessions_done=12,
    exercises=("prone_lying", "pelvic_tilt", "walking"),  # his programme's (disc herniation)
)

ACTIVITIES = ("walking", "gardening", "housework", "shopping", "driving", "long_sitting")

def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def diary_rows(story: DiaryStory, patient_id: int, today: date
               ) -> tuple[list[DiaryEntry], list[WalkingTest], list[ExerciseSession],
                          ExerciseProfile, list[VisitQuestion]]:
    """The rows of ``story`` ending yesterday (today is left for the person to log)."""
    rng = random.Random(story.seed)
    flare_days = {days_ago - k for days_ago, length in story.flares for k in range(length)}
    entries: list[DiaryEntry] = []
    gardened_yesterday = False
    for days_ago in range(story.days, 0, -1):
        day = today - timedelta(days=days_ago)
        progress = 1 - days_ago / story.days  # 0 at the start, 1 at the end

        def along(span: tuple[float, float], p: float = progress) -> float:
            return span[0] + (span[1] - span[0]) * p

        if rng.random() < 0.08:  # a day not logged: gaps are real
            gardened_yesterday = False
            continue
        flare = days_ago in flare_days
        # Pain wanders around the trend; gardening the day before adds a little (so the
        # association analysis has something to find), a flare adds about three points.
        bump = (3.2 if flare else 0.0) + (0.9 if gardened_yesterday else 0.0)
        leg = round(_clamp(along(story.leg_pain) + bump + rng.gauss(0, 0.8), 0, 10))
        back = round(_clamp(along(story.back_pain) + bump * 0.6 + rng.gauss(0, 0.8), 0, 10))
        walking = _clamp(along(story.walking_minutes) * (0.55 if flare else 1.0)
                         + rng.gauss(0, 1.5), 1, 60)
        standing = _clamp(along(story.standing_minutes) * (0.6 if flare else 1.0)
                          + rng.gauss(0, 1.5), 1, 60)
        activities = [a for a in ACTIVITIES if rng.random() < (0.35 if a != "walking" else 0.8)]
        gardened_yesterday = "gardening" in activities
        activities = activities or [NO_ACTIVITIES]  # a known "none", not a blank
        entries.append(DiaryEntry(
            patient_id=patient_id, day=day,
            back_pain=back, leg_pain=leg,
            walking_minutes=round(walking, 1), standing_minutes=round(standing, 1),
            walking_metres=round(walking * 55, -1) if rng.random() < 0.3 else None,
            # Self-reported flares and pain-defined ones disagree (Costa 2021): the person
            # calls a few bad days flares that the numbers do not show, and misses one.
            flare=(flare and days_ago != story.flares[0][0]) or rng.random() < 0.03,
            activities=activities, activity_note="",
            sitting_hours=round(_clamp(rng.gauss(5.5, 1.6), 1, 12), 1),
            sleep_quality=int(_clamp(round(rng.gauss(2.5 if flare else 3.4, 0.8)), 1, 5)),
            medicines=["paracetamol"] + (["naproxen"] if flare else []),
            epidural_injection=days_ago in story.epidural_days_ago,
            warning_signs=[], notes="",
            created_at=datetime.combine(day, time(20, 30), tzinfo=UTC),
            updated_at=datetime.combine(day, time(20, 30), tzinfo=UTC),
        ))
    tests = []
    for days_ago in range(story.days - 2, 0, -30):  # a walking test a month
        progress = 1 - days_ago / story.days
        minutes = story.walking_minutes[0] + (
            story.walking_minutes[1] - story.walking_minutes[0]) * progress
        minutes = _clamp(minutes * (1 + rng.gauss(0, 0.06)), 1, 30)
        performed = datetime.combine(today - timedelta(days=days_ago), time(10, 0), tzinfo=UTC)
        tests.append(WalkingTest(
            patient_id=patient_id, performed_at=performed, created_at=performed,
            duration_seconds=round(minutes * 60), first_symptom_seconds=round(minutes * 36),
            distance_m=round(minutes * 62, -1),
            stopped_because="time_limit" if minutes >= 30 else "symptoms",
            relief="bend_forward" if story.condition == "lumbar_spinal_stenosis" else "sit",
            recovery_minutes=round(_clamp(rng.gauss(4, 1), 1, 10), 1), notes="",
        ))
    started = today - timedelta(days=story.programme_started_days_ago)
    profile = ExerciseProfile(patient_id=patient_id, condition=story.condition,
                              started_on=started,
                              updated_at=datetime.combine(started, time(9), tzinfo=UTC))
    # Two sessions a week (Monday and Thursday); ``programme_sessions_done`` of them done
    # (one or two only partly), the rest skipped, spread over the weeks.
    planned = [started + timedelta(days=k) for k in range((today - started).days)
               if (started + timedelta(days=k)).weekday() in (0, 3)]
    done_days = set(rng.sample(planned, min(story.programme_sessions_done, len(planned))))
    sessions = []
    for number, day in enumerate(planned):
        if day not in done_days:
            sessions.append(ExerciseSession(
                patient_id=patient_id, day=day, kind="programme", status="skipped",
                exercises=[], notes="", created_at=datetime.combine(day, time(18), tzinfo=UTC)))
            continue
        before = rng.randint(3, 6)
        sessions.append(ExerciseSession(
            patient_id=patient_id, day=day, kind="programme",
            status="partly" if rng.random() < 0.15 else "done",
            pain_before=before, pain_after=max(0, before + rng.choice((-1, 0, 0, 1))),
            effort=rng.choice(("easy", "just_right", "just_right", "hard")),
            exercises=list(story.exercises),
            conditioning_minutes=10.0 + math.floor(number / 4) * 2, notes="",
            created_at=datetime.combine(day, time(11), tzinfo=UTC),
        ))
    questions = [VisitQuestion(patient_id=patient_id, text=text,
                               created_at=datetime.combine(today - timedelta(days=2),
                                                           time(19), tzinfo=UTC))
                 for text in story.questions]
    return entries, tests, sessions, profile, questions
