"""What the diary analytics read: one day of the diary and one walking test, as plain values.

The storage rows are mapped to these by the diary service; the analytics never see a
database. ``None`` always means "not recorded" — never zero, never "no".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

PAIN_SITES = ("back", "leg", "neck", "arm")

# Relief that comes from sitting or bending forward is the neurogenic-claudication
# picture; relief from standing still is the vascular one (NASS 2011 diagnosis statements;
# clinical-evidence.md).
RELIEF_CHOICES = ("sit", "bend_forward", "stand_still", "none")
STOP_REASONS = ("symptoms", "time_limit", "tired", "other")
# The explicit answer "no activities from the list today": a day known to be without each
# activity. A day with no activity ticked and no note is unknown (never counted as "no").
NO_ACTIVITIES = "none"


@dataclass(frozen=True, slots=True)
class DayRecord:
    """One diary day."""

    day: date
    back_pain: int | None = None  # NRS 0-10
    leg_pain: int | None = None
    neck_pain: int | None = None
    arm_pain: int | None = None
    walking_minutes: float | None = None  # before symptoms force a stop
    walking_metres: float | None = None
    standing_minutes: float | None = None
    flare: bool | None = None  # the person's own answer to "am I in a flare?"
    activities: tuple[str, ...] = ()  # () = not recorded; (NO_ACTIVITIES,) = none of them
    activity_note: str = ""  # anything else done (not from the list)
    sitting_hours: float | None = None
    sleep_quality: int | None = None  # 1 very poor .. 5 very good
    medicines: tuple[str, ...] = ()
    epidural_injection: bool | None = None
    warning_signs: tuple[str, ...] = ()

    def pain(self, site: str) -> int | None:
        """The rating for one of PAIN_SITES."""
        if site == "back":
            return self.back_pain
        if site == "leg":
            return self.leg_pain
        if site == "neck":
            return self.neck_pain
        if site == "arm":
            return self.arm_pain
        raise ValueError(f"unknown pain site '{site}'; choose from {', '.join(PAIN_SITES)}")

    @property
    def activities_known(self) -> bool:
        """Whether the day says what was done: an activity ticked, "none of these", or a
        note of something else. Otherwise every activity is unknown that day."""
        return bool(self.activities) or bool(self.activity_note.strip())


@dataclass(frozen=True, slots=True)
class WalkingTestRecord:
    """One guided self-paced walking test (Tomkins-Lane 2009)."""

    performed_at: datetime
    duration_seconds: float
    stopped_because: str  # one of STOP_REASONS
    first_symptom_seconds: float | None = None
    distance_m: float | None = None
    relief: str | None = None  # one of RELIEF_CHOICES
    recovery_minutes: float | None = None
