"""The four triage levels of FINDINGS.md, ordered from least to most urgent."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    SELF_CARE = "self_care"
    ROUTINE = "routine"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return _RANK[self] >= _RANK[other]

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return _RANK[self] > _RANK[other]

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return _RANK[self] <= _RANK[other]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return _RANK[self] < _RANK[other]


_RANK = {Level.SELF_CARE: 0, Level.ROUTINE: 1, Level.URGENT: 2, Level.EMERGENCY: 3}

LEVEL_MEANING: dict[Level, str] = {
    Level.EMERGENCY: "Go to an emergency department now, or call the emergency number.",
    Level.URGENT: "See a doctor within 24–48 hours.",
    Level.ROUTINE: "Book an ordinary appointment (GP or physiotherapist) in the coming weeks.",
    Level.SELF_CARE: (
        "Manage at home with the advice below; see a doctor if you are not better within "
        "about 6 weeks or if anything changes."
    ),
}
