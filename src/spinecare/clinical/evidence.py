"""The evidence registry: every rule, score, threshold and article cites references by id.

Evidence levels follow the Oxford Centre for Evidence-Based Medicine 2011 table
(OCEBM Levels of Evidence Working Group): 1 = systematic review of high-quality
studies, 2 = a single high-quality study, 3 = cohort / non-consecutive studies,
4 = case series / case-control / poor reference standard, 5 = mechanism-based
reasoning or expert opinion. Clinical guidelines are typed ``guideline`` and carry
the level of the evidence that the recommendation spinecare relies on rests on (not
level 1 because they are guidelines); each guideline's ``note`` says what that is.

Graded guidelines map to OCEBM at the weaker end of what the grade allows
(``NASS_GRADE_TO_LEVEL``): NASS grade A (good evidence, level I studies) → 1, B (fair:
level II or III) → 3, C (poor: level IV or V) → 5, I (insufficient) and work-group
consensus → 5; GRADE-style "moderate" quality → 2 or 3 by study design, "low" → 4,
consensus or good-practice statements → 5.

A weight or threshold that no cited reference contains is marked ``TEAM_CHOICE``
(older notes say "this product's choice"; both count), so nothing the team chose is
presented as published evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# The marker for a weight or threshold chosen by the team (no cited source contains it).
TEAM_CHOICE = "team's choice"
TEAM_CHOICE_MARKERS: tuple[str, ...] = (TEAM_CHOICE, "this product's choice")

# NASS grades of recommendation → OCEBM 2011 level (the weaker end of each grade).
NASS_GRADE_TO_LEVEL: dict[str, int] = {"A": 1, "B": 3, "C": 5, "I": 5, "consensus": 5}


def is_team_choice(text: str) -> bool:
    """True when a basis or note marks a value as the team's choice."""
    low = text.lower()
    return any(m in low for m in TEAM_CHOICE_MARKERS)


class ReferenceType(StrEnum):
    GUIDELINE = "guideline"
    SYSTEMATIC_REVIEW = "systematic_review"
    RCT = "rct"
    COHORT = "cohort"
    DIAGNOSTIC_ACCURACY = "diagnostic_accuracy"
    CONSENSUS = "consensus"
    NARRATIVE_REVIEW = "narrative_review"
    REGULATORY = "regulatory"
    INSTRUMENT = "instrument"
    SOURCE_PAGE = "source_page"


EVIDENCE_LEVELS: dict[int, str] = {
    1: "systematic review or guideline built on one",
    2: "a single high-quality study (randomised trial or prospective cohort)",
    3: "cohort or non-consecutive study",
    4: "case series, case-control or poor reference standard",
    5: "expert opinion or mechanism-based reasoning",
}


@dataclass(frozen=True, slots=True)
class Reference:
    id: str
    citation: str
    year: int
    type: ReferenceType
    evidence_level: int
    url: str = ""
    note: str = ""

    @property
    def short(self) -> str:
        return self.citation.split(".")[0]


class ReferenceError_(ValueError):
    pass


class ReferenceRegistry:
    def __init__(self, references: Iterable[Reference]):
        self._refs: dict[str, Reference] = {}
        for ref in references:
            if ref.id in self._refs:
                raise ReferenceError_(f"duplicate reference id '{ref.id}'")
            self._refs[ref.id] = ref

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> ReferenceRegistry:
        refs = []
        for rec in records:
            try:
                level = int(rec["evidence_level"])
                if level not in EVIDENCE_LEVELS:
                    raise ValueError(f"evidence_level must be 1-5, got {level}")
                refs.append(
                    Reference(
                        id=str(rec["id"]),
                        citation=str(rec["citation"]),
                        year=int(rec["year"]),
                        type=ReferenceType(rec["type"]),
                        evidence_level=level,
                        url=str(rec.get("url", "")),
                        note=str(rec.get("note", "")),
                    )
                )
            except (KeyError, ValueError) as exc:
                raise ReferenceError_(f"reference {rec.get('id', '?')!r}: {exc}") from exc
        return cls(refs)

    def __contains__(self, ref_id: object) -> bool:
        return ref_id in self._refs

    def __getitem__(self, ref_id: str) -> Reference:
        return self._refs[ref_id]

    def __iter__(self) -> Iterator[Reference]:
        return iter(self._refs.values())

    def __len__(self) -> int:
        return len(self._refs)

    def get(self, ref_id: str) -> Reference | None:
        return self._refs.get(ref_id)

    def missing(self, ref_ids: Iterable[str]) -> list[str]:
        return sorted({r for r in ref_ids if r not in self._refs})


@dataclass(frozen=True, slots=True)
class CitedRule:
    """A rule written as data: its id, what it says in one or two sentences, and the
    references behind it (the decision aid's, the diary's and the report's rules)."""

    id: str
    summary: str
    references: tuple[str, ...]


def references_of_rules(rules: Mapping[str, CitedRule], rule_ids: Iterable[str]
                        ) -> tuple[str, ...]:
    """The references behind some rules, in order, each once."""
    seen: dict[str, None] = {}
    for rid in rule_ids:
        for ref in rules[rid].references:
            seen.setdefault(ref, None)
    return tuple(seen)
