"""Reminders: when to remind me about my diary and exercise sessions, and my calendar link.

The same service calls as the ``/reminders`` page (``services/reminders.py``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import Field, StrictBool, StrictInt

from spinecare.entrypoints.web.api._schemas import Strict, errors
from spinecare.entrypoints.web.auth import SignedIn, get_services, require_patient
from spinecare.services.reminders import ReminderSettings

router = APIRouter(prefix="/api/v1", tags=["reminders"])

Clock = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["20:00"],
                             description="Local time, 24-hour clock (HH:MM).")]


class ReminderSettingsIn(Strict):
    timezone: Annotated[str, Field(
        max_length=64, examples=["Europe/London"],
        description="IANA time-zone name (empty: UTC). The times are local to it.")] = ""
    diary_enabled: StrictBool = False
    diary_time: Clock = "20:00"
    exercise_enabled: StrictBool = False
    exercise_time: Clock = "10:00"
    exercise_days: list[Annotated[StrictInt, Field(ge=0, le=6)]] = Field(
        default_factory=list, max_length=7,
        description="Weekdays of the exercise sessions: 0 = Monday … 6 = Sunday.")


class CalendarLink(Strict):
    url: str = Field(description="The feed's address, shown once: anyone holding it can read "
                                 "the exercise plan. It ends like a sign-in (sessions list).")


@router.get("/me/reminders", response_model=ReminderSettings, responses=errors(401, 403))
def my_reminders(request: Request, who: SignedIn = Depends(require_patient)) -> ReminderSettings:
    """My reminder settings (all off until saved)."""
    return get_services(request).reminders.get(who.actor)


@router.put("/me/reminders", response_model=ReminderSettings, responses=errors(401, 403, 422))
def save_my_reminders(
    body: ReminderSettingsIn, request: Request, who: SignedIn = Depends(require_patient)
) -> ReminderSettings:
    """Set my reminders. Saving makes the stop link in earlier e-mails stop working."""
    return get_services(request).reminders.save(
        who.actor, timezone=body.timezone, diary_enabled=body.diary_enabled,
        diary_time=body.diary_time, exercise_enabled=body.exercise_enabled,
        exercise_time=body.exercise_time, exercise_days=body.exercise_days,
    )


@router.post("/me/reminders/calendar", response_model=CalendarLink, status_code=201,
             responses=errors(401, 403))
def new_calendar_link(request: Request, who: SignedIn = Depends(require_patient)) -> CalendarLink:
    """A new calendar (iCalendar) link for my exercise sessions; an earlier one ends."""
    reminders = get_services(request).reminders
    return CalendarLink(url=reminders.calendar_url(reminders.new_calendar_key(who.actor)))
