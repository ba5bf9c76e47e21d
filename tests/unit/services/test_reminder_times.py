"""When a reminder is due: the person's local time, summer time, midnight, the late limit."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from spinecare.services.errors import InvalidInput
from spinecare.services.reminders import ReminderSettings, due_reminders, validate


def _settings(zone: str = "Europe/London", *, diary: str = "20:00", exercise: str = "10:00",
              days: list[int] | None = None) -> ReminderSettings:
    return ReminderSettings(zone, True, diary, days is not None, exercise, days or [], True,
                            None)


def _due(settings: ReminderSettings, now: datetime) -> list[tuple[str, date]]:
    return [(d.kind, d.due_on) for d in due_reminders(1, settings, now)]


def test_not_before_the_local_time_and_not_more_than_12_hours_late() -> None:
    s = _settings("Europe/London")  # GMT in January
    assert _due(s, datetime(2026, 1, 5, 19, 59, tzinfo=UTC)) == []
    assert _due(s, datetime(2026, 1, 5, 20, 0, tzinfo=UTC)) == [("diary", date(2026, 1, 5))]
    assert _due(s, datetime(2026, 1, 6, 7, 59, tzinfo=UTC)) == [("diary", date(2026, 1, 5))]
    assert _due(s, datetime(2026, 1, 6, 8, 0, tzinfo=UTC)) == []


def test_summer_time_moves_the_utc_moment_not_the_local_time() -> None:
    s = _settings("Europe/London")  # BST (UTC+1) in July: 20:00 local is 19:00 UTC
    assert _due(s, datetime(2026, 7, 6, 19, 0, tzinfo=UTC)) == [("diary", date(2026, 7, 6))]
    assert _due(s, datetime(2026, 7, 6, 18, 59, tzinfo=UTC)) == []


def test_the_local_date_is_the_persons_not_utcs() -> None:
    s = _settings("Pacific/Auckland", diary="08:00")  # UTC+13 in January
    now = datetime(2026, 1, 5, 19, 30, tzinfo=UTC)  # 08:30 on 6 January in Auckland
    assert _due(s, now) == [("diary", date(2026, 1, 6))]


def test_a_late_evening_time_is_not_lost_when_the_next_run_is_after_midnight() -> None:
    s = _settings("UTC", diary="23:58")
    assert _due(s, datetime(2026, 1, 6, 0, 3, tzinfo=UTC)) == [("diary", date(2026, 1, 5))]


def test_exercise_only_on_the_chosen_weekdays() -> None:
    s = _settings("UTC", days=[0, 3])  # Monday, Thursday
    monday = datetime(2026, 1, 5, 10, 30, tzinfo=UTC)
    tuesday = datetime(2026, 1, 6, 10, 30, tzinfo=UTC)
    assert ("exercise", date(2026, 1, 5)) in _due(s, monday)
    assert [k for k, _ in _due(s, tuesday)] == []  # the diary is at 20:00, not yet


@pytest.mark.parametrize("field, kwargs", [
    ("timezone", {"timezone": "Not/A_Zone"}),
    ("timezone", {"timezone": "../../etc/passwd"}),
    ("diary_time", {"diary_time": "8pm"}),
    ("exercise_time", {"exercise_time": "24:00"}),
    ("exercise_days", {"exercise_days": [7]}),
    ("exercise_days", {"exercise_enabled": True, "exercise_days": []}),
])
def test_validation_names_the_field_to_fix(field: str, kwargs: dict) -> None:
    values = {"timezone": "Europe/Paris", "diary_enabled": True, "diary_time": "20:00",
              "exercise_enabled": False, "exercise_time": "10:00", "exercise_days": [],
              **kwargs}
    with pytest.raises(InvalidInput) as caught:
        validate(**values)
    assert field in caught.value.problems


def test_an_empty_time_zone_is_utc() -> None:
    assert validate("", True, "20:00", True, "10:00", [3, 0, 3]) == ("UTC", [0, 3])
