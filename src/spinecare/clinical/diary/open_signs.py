"""The one definition of a warning sign, dated, and of one still "open" (rule DIARY-OPEN-SIGN).

A warning sign is either a sign ticked (or written) in the diary, or a saved symptom check
that advised urgent or emergency care, including the checks the diary runs for its own
signs (source "diary"). It is dated by the day it happened: a diary sign and a check the
diary ran by the diary day it belongs to (importing a years-old day runs its check today,
but the sign is years old); any other check by the UTC day it was saved. A sign is open
for ``OPEN_SIGN_DAYS`` days, the day itself included (spinecare-defined).

The exercise programme's pause, the clinician's list and the doctor's report all use
``warning_items`` / ``open_signs``: pure functions of plain records and ``today``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spinecare.clinical.diary.model import DayRecord
from spinecare.clinical.diary.rules import OPEN_SIGN_DAYS
from spinecare.clinical.diary.warning_signs import WARNING_SIGNS_BY_ID

RULE_ID = "DIARY-OPEN-SIGN"
OPEN_LEVELS = ("emergency", "urgent")
LEVEL_WORDS = {"emergency": "emergency care advised", "urgent": "urgent care advised"}
DIARY = "diary"
CHECK = "check"


@dataclass(frozen=True, slots=True)
class WarningItem:
    """One warning sign with the day it counts for. ``sign`` is a finding id of a diary
    sign, or ``check_urgent`` / ``check_emergency`` for a check's level."""

    day: date
    sign: str
    label: str
    source: str  # "diary" (the diary's signs and the checks it ran) | "check"

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "sign": self.sign, "label": self.label,
                "source": self.source}


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """A saved symptom check as the rule reads it: the UTC day it was saved, its level,
    its source, and for a check the diary ran, the diary day it is linked to (None when
    no diary day links to it any more: then the saved day is used, never "no sign")."""

    saved_on: date
    level: str
    source: str = "web"
    diary_day: date | None = None


def sign_label(sign: str) -> str:
    known = WARNING_SIGNS_BY_ID.get(sign)
    return known.label if known else sign.replace("_", " ").capitalize()


def open_window(today: date) -> tuple[date, date]:
    """The days a sign is open on ``today``: the last ``OPEN_SIGN_DAYS`` days, inclusive."""
    return today - timedelta(days=OPEN_SIGN_DAYS - 1), today


def check_day(check: CheckRecord) -> date:
    """The day a check's warning counts for (a diary check: its diary day)."""
    if check.source == DIARY and check.diary_day is not None:
        return check.diary_day
    return check.saved_on


def warning_items(days: Iterable[DayRecord], checks: Iterable[CheckRecord], start: date,
                  end: date) -> tuple[WarningItem, ...]:
    """Every warning sign dated ``start``..``end``, newest first. A check the diary ran for
    a day whose signs are listed is not listed twice; a diary check with no listed sign
    (its notes alone escalated it) is listed as the check."""
    items: list[WarningItem] = []
    days_with_signs: set[date] = set()
    for rec in days:
        if rec.warning_signs:
            days_with_signs.add(rec.day)
        if start <= rec.day <= end:
            for sign in dict.fromkeys(rec.warning_signs):
                items.append(WarningItem(rec.day, sign, sign_label(sign), DIARY))
    for check in checks:
        if check.level not in OPEN_LEVELS:
            continue
        day = check_day(check)
        if not start <= day <= end:
            continue
        if check.source == DIARY and check.diary_day is not None \
                and check.diary_day in days_with_signs:
            continue
        who = "Check from the diary" if check.source == DIARY else "Symptom check"
        items.append(WarningItem(day, f"check_{check.level}",
                                 f"{who}: {LEVEL_WORDS[check.level]}",
                                 DIARY if check.source == DIARY else CHECK))
    unique = dict.fromkeys(items)
    return tuple(sorted(unique, key=lambda i: (-i.day.toordinal(), i.label)))


def open_signs(days: Iterable[DayRecord], checks: Iterable[CheckRecord], today: date
               ) -> tuple[WarningItem, ...]:
    """The warning signs open on ``today`` (newest first)."""
    return warning_items(days, checks, *open_window(today))
