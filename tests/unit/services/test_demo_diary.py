"""The demo's six months of diary: the same rows every load, a real trend, real flares."""

from __future__ import annotations

from datetime import date, timedelta
from statistics import mean

from spinecare.services.demo_diary import ANA_STORY, BEN_STORY, diary_rows

TODAY = date(2026, 12, 3)


def test_the_same_rows_on_every_load() -> None:
    first = diary_rows(ANA_STORY, 7, TODAY)[0]
    second = diary_rows(ANA_STORY, 7, TODAY)[0]
    assert [(e.day, e.leg_pain, e.walking_minutes) for e in first] == [
        (e.day, e.leg_pain, e.walking_minutes) for e in second]


def test_six_months_ending_yesterday_with_gaps() -> None:
    entries = diary_rows(ANA_STORY, 7, TODAY)[0]
    days = [e.day for e in entries]
    assert days[-1] < TODAY  # today is left for the person to log
    assert days[0] >= TODAY - timedelta(days=182)
    assert 150 <= len(days) < 182  # some days not logged
    assert len(set(days)) == len(days)


def test_every_answer_is_one_the_diary_form_offers() -> None:
    from spinecare.services.diary_fields import ACTIVITIES

    for story in (ANA_STORY, BEN_STORY):
        for entry in diary_rows(story, 7, TODAY)[0]:
            assert entry.activities and set(entry.activities) <= set(ACTIVITIES)


def test_anas_walking_falls_and_leg_pain_rises() -> None:
    entries = diary_rows(ANA_STORY, 7, TODAY)[0]
    first, last = entries[:28], entries[-28:]
    assert mean(e.walking_minutes for e in last) < 0.7 * mean(e.walking_minutes for e in first)
    assert mean(e.leg_pain for e in last) > mean(e.leg_pain for e in first) + 1


def test_flares_show_in_pain_and_in_the_persons_answers() -> None:
    entries = {e.day: e for e in diary_rows(ANA_STORY, 7, TODAY)[0]}
    for days_ago, length in ANA_STORY.flares:
        inside = [entries[d] for k in range(length)
                  if (d := TODAY - timedelta(days=days_ago - k)) in entries]
        before = [entries[d] for k in range(16, 30)
                  if (d := TODAY - timedelta(days=days_ago + k)) in entries]
        assert mean(e.leg_pain for e in inside) >= mean(e.leg_pain for e in before) + 2
    assert sum(1 for e in entries.values() if e.flare) >= 5


def test_walking_tests_monthly_and_sessions_twice_weekly() -> None:
    _, tests, sessions, profile, questions = diary_rows(BEN_STORY, 7, TODAY)
    assert len(tests) == 3
    assert all(t.duration_seconds <= 30 * 60 for t in tests)
    assert tests[-1].duration_seconds > tests[0].duration_seconds  # Ben gets better
    assert {s.day.weekday() for s in sessions} == {0, 3}
    assert sum(1 for s in sessions if s.status in {"done", "partly"}) == 12
    assert profile.condition == BEN_STORY.condition
    assert questions == []
