"""The iCalendar feed builder: valid RFC 5545 that icalendar reads back, weekly rules,
local times with their VTIMEZONE, escaped text."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar

from spinecare.adapters.calendar import WeeklyEvent, first_on_or_after, weekly_calendar


def test_first_on_or_after() -> None:
    wednesday = date(2026, 1, 7)
    assert first_on_or_after(wednesday, 2) == wednesday
    assert first_on_or_after(wednesday, 0) == date(2026, 1, 12)


def test_weekly_events_in_a_time_zone_read_back() -> None:
    events = [WeeklyEvent(f"e-{d}@test", "Exercise session", "Bridges; 10 times, twice\nEnd",
                          d, time(18, 30), timedelta(minutes=30)) for d in (1, 5)]
    body = weekly_calendar("Mine", "Australia/Sydney", events, today=date(2026, 1, 7),
                           stamp=datetime(2026, 1, 7, tzinfo=UTC))
    calendar = Calendar.from_ical(body)
    parsed = list(calendar.walk("VEVENT"))
    assert [str(e["UID"]) for e in parsed] == ["e-1@test", "e-5@test"]
    starts = [e.decoded("DTSTART") for e in parsed]
    assert [s.date() for s in starts] == [date(2026, 1, 13), date(2026, 1, 10)]
    assert all(s.time() == time(18, 30) and str(s.tzinfo) == "Australia/Sydney"
               for s in starts)
    assert [e["RRULE"]["BYDAY"] for e in parsed] == [["TU"], ["SA"]]
    assert str(parsed[0]["DESCRIPTION"]) == "Bridges; 10 times, twice\nEnd"
    assert b"DESCRIPTION:Bridges\\; 10 times\\, twice\\nEnd" in body
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Australia/Sydney"]


def test_no_days_is_an_empty_but_valid_calendar() -> None:
    body = weekly_calendar("Mine", "UTC", [], today=date(2026, 1, 7),
                           stamp=datetime(2026, 1, 7, tzinfo=UTC))
    assert list(Calendar.from_ical(body).walk("VEVENT")) == []
    assert body.startswith(b"BEGIN:VCALENDAR")
