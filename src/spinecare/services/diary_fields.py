"""What a diary entry and a walking test may hold, and the one validation every door uses.

The API (JSON: numbers, booleans, lists), the page (form text) and a CSV import (text,
lists separated by ";") hand their raw values to ``parse_entry`` / ``parse_walking_test``,
which give back typed values or raise ``InvalidInput`` with one message per field saying
how to fix it. Empty text and ``None`` mean "not recorded": never zero, never "no".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from spinecare.clinical.diary.model import NO_ACTIVITIES, RELIEF_CHOICES, STOP_REASONS
from spinecare.services.errors import InvalidInput

# Activities a person can tick; anything else goes in the free-text note.
ACTIVITIES: dict[str, str] = {
    "walking": "Walking",
    "cycling": "Cycling",
    "gardening": "Gardening",
    "housework": "Housework",
    "shopping": "Shopping",
    "driving": "Driving",
    "lifting": "Lifting",
    "long_sitting": "Long sitting",
    "standing": "Standing",
    "swimming": "Swimming",
    "exercise_programme": "Exercise programme",
    "work": "Work",
    # The explicit "none": the day is known to be without each activity above. Nothing
    # ticked (and no note) stays unknown, never "none".
    NO_ACTIVITIES: "No activities from the list today",
}
SLEEP_LABELS = {1: "Very poor", 2: "Poor", 3: "All right", 4: "Good", 5: "Very good"}
STOP_LABELS = {
    "symptoms": "My symptoms made me stop",
    "time_limit": "I reached 30 minutes",
    "tired": "I was tired or out of breath",
    "other": "Something else",
}
RELIEF_LABELS = {
    "sit": "Sitting down",
    "bend_forward": "Bending forward (or leaning on something)",
    "stand_still": "Just standing still",
    "none": "Nothing eased it",
}

EARLIEST_DAY = date(2000, 1, 1)
MAX_NOTES = 2_000
MAX_ACTIVITY_NOTE = 200
MAX_MEDICINES = 20
MAX_MEDICINE_CHARS = 80
# The test stops at 30 minutes; a little margin for pressing Stop late.
MAX_TEST_SECONDS = 35 * 60
MAX_TEST_DISTANCE_M = 10_000
MAX_RECOVERY_MINUTES = 240
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=10)

NUMBER_LIMITS: dict[str, tuple[float, float, str]] = {
    "walking_minutes": (0, 1440, "minutes"),
    "walking_metres": (0, 100_000, "metres"),
    "standing_minutes": (0, 1440, "minutes"),
    "sitting_hours": (0, 24, "hours"),
}
PAIN_FIELDS = ("back_pain", "leg_pain", "neck_pain", "arm_pain")
BOOL_FIELDS = ("flare", "epidural_injection")
LIST_FIELDS = ("activities", "medicines", "warning_signs")
TEXT_FIELDS = ("activity_note", "notes")
ENTRY_FIELDS = (*PAIN_FIELDS, *NUMBER_LIMITS, "flare", "activities", "activity_note",
                "sleep_quality", "medicines", "epidural_injection", "warning_signs", "notes")

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


@dataclass(frozen=True, slots=True)
class EntryFields:
    """One day's answers, validated. ``None`` / empty: not recorded."""

    back_pain: int | None = None
    leg_pain: int | None = None
    neck_pain: int | None = None
    arm_pain: int | None = None
    walking_minutes: float | None = None
    walking_metres: float | None = None
    standing_minutes: float | None = None
    flare: bool | None = None
    activities: tuple[str, ...] = ()
    activity_note: str = ""
    sitting_hours: float | None = None
    sleep_quality: int | None = None
    medicines: tuple[str, ...] = ()
    epidural_injection: bool | None = None
    warning_signs: tuple[str, ...] = ()
    notes: str = ""

    def columns(self) -> dict[str, Any]:
        """As the storage row's columns (lists for the JSON columns)."""
        data = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


@dataclass(frozen=True, slots=True)
class WalkingTestFields:
    performed_at: datetime
    duration_seconds: float
    stopped_because: str
    first_symptom_seconds: float | None = None
    distance_m: float | None = None
    relief: str | None = None
    recovery_minutes: float | None = None
    notes: str = ""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any) -> float | None:
    """A finite number from a JSON number or text; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _bool(value: Any) -> bool | None | str:
    """True / False / None (not recorded), or the text "bad"."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
    return "bad"


def _list(value: Any) -> list[str] | None:
    """A list of trimmed, non-empty strings from a list or ";"-separated text."""
    if _blank(value):
        return []
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, list | tuple):
        return None
    out = []
    for item in value:
        if not isinstance(item, str):
            return None
        if item.strip():
            out.append(item.strip())
    return out


def _whole(value: Any, low: int, high: int) -> int | None | str:
    if _blank(value):
        return None
    number = _number(value)
    if number is None or not number.is_integer() or not low <= number <= high:
        return "bad"
    return int(number)


def parse_day(value: Any, today: date, field: str = "day") -> date:
    """A diary day: ISO date text (or a date), not in the future, not before 2000."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidInput({field: "must be a date written as YYYY-MM-DD, such as "
                                       f"{today.isoformat()}"}) from None
    if day > today:
        raise InvalidInput({field: f"is in the future: {day.isoformat()} is after today "
                                   f"({today.isoformat()}). Enter a day up to today."})
    if day < EARLIEST_DAY:
        raise InvalidInput({field: "must be in 2000 or later"})
    return day


def parse_entry(raw: Mapping[str, Any], warning_sign_ids: Sequence[str]) -> EntryFields:
    """Validate one day's answers. Unknown fields are refused (a typo must not silently
    drop an answer). Raises ``InvalidInput`` naming every bad field."""
    problems: dict[str, str] = {}
    unknown = [k for k in raw if k not in ENTRY_FIELDS]
    for key in unknown[:10]:
        problems[str(key)[:80]] = ("is not a diary field. Known fields: "
                                   + ", ".join(ENTRY_FIELDS))
    values: dict[str, Any] = {}
    for name in PAIN_FIELDS:
        pain = _whole(raw.get(name), 0, 10)
        if pain == "bad":
            problems[name] = "must be a whole number from 0 (no pain) to 10 (worst pain)"
        else:
            values[name] = pain
    for name, (low, high, unit) in NUMBER_LIMITS.items():
        given = raw.get(name)
        if _blank(given):
            values[name] = None
            continue
        number = _number(given)
        if number is None or not low <= number <= high:
            problems[name] = f"must be a number of {unit} from {low:g} to {high:,.0f}"
        else:
            values[name] = number
    sleep = _whole(raw.get("sleep_quality"), 1, 5)
    if sleep == "bad":
        problems["sleep_quality"] = "must be a whole number from 1 (very poor) to 5 (very good)"
    else:
        values["sleep_quality"] = sleep
    for name in BOOL_FIELDS:
        answer = _bool(raw.get(name))
        if answer == "bad":
            problems[name] = "must be yes or no (or left empty if you do not know)"
        else:
            values[name] = answer
    activities = _list(raw.get("activities"))
    if activities is None:
        problems["activities"] = "must be a list of activities"
    else:
        bad = [a for a in activities if a not in ACTIVITIES]
        if bad:
            problems["activities"] = (f"{bad[0][:40]!r} is not one of the activities: "
                                      + ", ".join(ACTIVITIES)
                                      + ". Write anything else in activity_note.")
        elif NO_ACTIVITIES in activities and len(set(activities)) > 1:
            problems["activities"] = (f"choose either '{NO_ACTIVITIES}' (no activities from "
                                      "the list today) or the activities you did, not both")
        else:
            values["activities"] = tuple(dict.fromkeys(activities))
    medicines = _list(raw.get("medicines"))
    if medicines is None:
        problems["medicines"] = "must be a list of medicine names"
    elif len(medicines) > MAX_MEDICINES:
        problems["medicines"] = f"lists {len(medicines)}; at most {MAX_MEDICINES} a day"
    elif any(len(m) > MAX_MEDICINE_CHARS for m in medicines):
        problems["medicines"] = (f"each medicine must be at most {MAX_MEDICINE_CHARS} "
                                 "characters: give its name and dose only")
    else:
        values["medicines"] = tuple(medicines)
    signs = _list(raw.get("warning_signs"))
    if signs is None:
        problems["warning_signs"] = "must be a list of warning signs"
    else:
        bad = [s for s in signs if s not in warning_sign_ids]
        if bad:
            problems["warning_signs"] = (f"{bad[0][:60]!r} is not one of the diary's warning "
                                         "signs: " + ", ".join(warning_sign_ids))
        else:
            values["warning_signs"] = tuple(dict.fromkeys(signs))
    for name, limit in (("activity_note", MAX_ACTIVITY_NOTE), ("notes", MAX_NOTES)):
        text = raw.get(name)
        if _blank(text):
            values[name] = ""
        elif not isinstance(text, str):
            problems[name] = "must be text"
        elif len(text) > limit:
            problems[name] = f"is {len(text):,} characters; shorten it to {limit:,}"
        elif "\x00" in text:
            problems[name] = "must not contain NUL characters"
        else:
            values[name] = text.strip()
    if problems:
        raise InvalidInput(problems)
    return EntryFields(**values)


def parse_walking_test(raw: Mapping[str, Any], now: datetime) -> WalkingTestFields:
    """Validate a walking test: total time 1 second to 35 minutes (the test stops at 30),
    time to first symptoms within it, a known reason and relief, sensible distance and
    recovery; the time not in the future and not before 2000."""
    problems: dict[str, str] = {}
    performed_at = now
    given_at = raw.get("performed_at")
    if not _blank(given_at):
        try:
            performed_at = (given_at if isinstance(given_at, datetime)
                            else datetime.fromisoformat(str(given_at).strip()))
        except ValueError:
            problems["performed_at"] = ("must be a date and time such as "
                                        f"{now.replace(microsecond=0).isoformat()}")
        else:
            if performed_at.tzinfo is None:
                performed_at = performed_at.replace(tzinfo=UTC)
            if performed_at > now + CLOCK_SKEW:
                problems["performed_at"] = "is in the future: give the time you did the test"
            elif performed_at.date() < EARLIEST_DAY:
                problems["performed_at"] = "must be in 2000 or later"
    duration = _number(raw.get("duration_seconds"))
    if _blank(raw.get("duration_seconds")):
        problems["duration_seconds"] = "say how long you walked"
    elif duration is None or not 1 <= duration <= MAX_TEST_SECONDS:
        problems["duration_seconds"] = (f"must be from 1 second to {MAX_TEST_SECONDS // 60} "
                                        "minutes: the test stops at 30 minutes")
    first = None
    if not _blank(raw.get("first_symptom_seconds")):
        first = _number(raw.get("first_symptom_seconds"))
        if first is None or first < 0:
            problems["first_symptom_seconds"] = "must be a number of seconds, 0 or more"
        elif duration is not None and first > duration:
            problems["first_symptom_seconds"] = ("is after the end of the walk: the first "
                                                 "symptoms came before you stopped or not at all")
    distance = None
    if not _blank(raw.get("distance_m")):
        distance = _number(raw.get("distance_m"))
        if distance is None or not 0 <= distance <= MAX_TEST_DISTANCE_M:
            problems["distance_m"] = f"must be a number of metres from 0 to {MAX_TEST_DISTANCE_M:,}"
    stopped = str(raw.get("stopped_because") or "").strip()
    if stopped not in STOP_REASONS:
        problems["stopped_because"] = "choose what stopped you: " + ", ".join(STOP_REASONS)
    relief = None
    if not _blank(raw.get("relief")):
        relief = str(raw.get("relief")).strip()
        if relief not in RELIEF_CHOICES:
            problems["relief"] = "choose what eased it: " + ", ".join(RELIEF_CHOICES)
    recovery = None
    if not _blank(raw.get("recovery_minutes")):
        recovery = _number(raw.get("recovery_minutes"))
        if recovery is None or not 0 <= recovery <= MAX_RECOVERY_MINUTES:
            problems["recovery_minutes"] = (f"must be a number of minutes from 0 to "
                                            f"{MAX_RECOVERY_MINUTES}")
    notes = raw.get("notes")
    if _blank(notes):
        notes = ""
    elif not isinstance(notes, str) or len(notes) > MAX_NOTES or "\x00" in notes:
        problems["notes"] = f"must be text of at most {MAX_NOTES:,} characters"
    unknown = [k for k in raw if k not in {
        "performed_at", "duration_seconds", "first_symptom_seconds", "distance_m",
        "stopped_because", "relief", "recovery_minutes", "notes"}]
    for key in unknown[:10]:
        problems[str(key)[:80]] = "is not a walking test field"
    if problems:
        raise InvalidInput(problems)
    assert duration is not None
    return WalkingTestFields(performed_at=performed_at, duration_seconds=duration,
                             stopped_because=stopped, first_symptom_seconds=first,
                             distance_m=distance, relief=relief, recovery_minutes=recovery,
                             notes=str(notes).strip())
