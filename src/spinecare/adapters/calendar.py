"""iCalendar (RFC 5545) for a weekly plan: one recurring event per weekday, in the person's
own time zone, so a calendar app shows it at the same local time across summer time.

Built with the ``icalendar`` library (escaping, line folding, VTIMEZONE), never by hand.
Pure: takes plain values, returns bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # 0 = Monday, as date.weekday()
MEDIA_TYPE = "text/calendar; charset=utf-8"
# VTIMEZONE rules are written for this span around the feed's first event.
TIMEZONE_YEARS = 10


@dataclass(frozen=True, slots=True)
class WeeklyEvent:
    uid: str
    summary: str
    description: str
    weekday: int  # 0 = Monday
    start: time  # local wall-clock time in the calendar's time zone
    duration: timedelta
    url: str = ""


def first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def weekly_calendar(
    name: str, timezone: str, events: Sequence[WeeklyEvent], *, today: date, stamp: datetime
) -> bytes:
    """A VCALENDAR with one ``RRULE:FREQ=WEEKLY`` event per item, starting on the first
    matching day from ``today`` on; ``stamp`` (aware) is each event's DTSTAMP."""
    zone = ZoneInfo(timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//spinecare//exercise plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        first = first_on_or_after(today, item.weekday)
        event.add("dtstart", datetime.combine(first, item.start, tzinfo=zone))
        event.add("duration", item.duration)
        event.add("rrule", {"freq": "weekly", "byday": [WEEKDAY_CODES[item.weekday]]})
        event.add("summary", item.summary)
        event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    if events:
        calendar.add_missing_timezones(
            first_date=today.replace(month=1, day=1),
            last_date=today.replace(year=today.year + TIMEZONE_YEARS, month=1, day=1))
    return calendar.to_ical()
