"""The exercise library: exercises and the "avoid" list, parsed and checked (pure).

The adapter (``adapters/exercise_files.py``) reads the YAML files and hands the records
here; this module says what a valid exercise is. Every reference id must be in the
registry, every condition a triage condition id, every direction flexion, extension or
neutral, and every dose complete, so that a broken file fails loudly at load.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from spinecare.clinical.evidence import ReferenceRegistry
from spinecare.clinical.exercise.templates import TEMPLATES, Bias
from spinecare.clinical.triage.knowledge.conditions import CONDITION_IDS


class LibraryError(ValueError):
    """A library file is wrong; the message names the file's id and the field."""


class Direction(StrEnum):
    """Which way the exercise moves the spine."""

    FLEXION = "flexion"
    EXTENSION = "extension"
    NEUTRAL = "neutral"


class Kind(StrEnum):
    MOBILITY = "mobility"
    STRENGTH = "strength"
    CONDITIONING = "conditioning"
    NECK = "neck"


@dataclass(frozen=True, slots=True)
class Dose:
    """How much: sets x reps (each held ``hold_seconds``), or ``minutes``; ``per_day`` times."""

    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    per_day: int = 1

    def text(self) -> str:
        parts = []
        if self.minutes is not None:
            parts.append(f"{self.minutes} minutes")
        if self.reps is not None:
            parts.append(f"{self.sets} sets of {self.reps}" if self.sets and self.sets > 1
                         else f"{self.reps} times")
        if self.hold_seconds:
            parts.append(f"hold each for {self.hold_seconds} seconds")
        if self.per_day > 1:
            parts.append(f"{self.per_day} times a day")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"sets": self.sets, "reps": self.reps, "hold_seconds": self.hold_seconds,
                "minutes": self.minutes, "per_day": self.per_day, "text": self.text()}


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    title: str
    purpose: str
    steps: tuple[str, ...]
    dose: Dose
    cautions: tuple[str, ...]
    stop_if: tuple[str, ...]
    conditions: tuple[str, ...]
    direction: Direction
    kind: Kind
    references: tuple[str, ...]
    evidence_note: str
    condition_notes: Mapping[str, str]
    illustration: str  # the file name of its SVG
    image_description: str

    def note_for(self, condition: str | None) -> str:
        return self.condition_notes.get(condition or "", "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "purpose": self.purpose,
            "steps": list(self.steps), "dose": self.dose.to_dict(),
            "cautions": list(self.cautions), "stop_if": list(self.stop_if),
            "conditions": list(self.conditions), "direction": self.direction.value,
            "kind": self.kind.value, "references": list(self.references),
            "evidence_note": self.evidence_note,
            "condition_notes": dict(self.condition_notes),
            "illustration": self.illustration, "image_description": self.image_description,
        }


@dataclass(frozen=True, slots=True)
class AvoidItem:
    """A movement to avoid or change for some conditions, and why."""

    id: str
    title: str
    why: str
    instead: str
    conditions: tuple[str, ...]
    references: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "why": self.why, "instead": self.instead,
                "conditions": list(self.conditions), "references": list(self.references)}


@dataclass(frozen=True, slots=True)
class ExerciseLibrary:
    exercises: tuple[Exercise, ...]
    avoid: tuple[AvoidItem, ...]

    def get(self, exercise_id: str) -> Exercise | None:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        return None

    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.exercises)

    def avoid_for(self, condition: str) -> tuple[AvoidItem, ...]:
        return tuple(a for a in self.avoid if condition in a.conditions)


def _text(rec: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = rec.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise LibraryError(f"{where}: '{key}' must be a non-empty text")
    return " ".join(value.split())


def _texts(rec: Mapping[str, Any], key: str, where: str, *, required: bool = True
           ) -> tuple[str, ...]:
    value = rec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LibraryError(f"{where}: '{key}' must be a list of texts")
    if required and not value:
        raise LibraryError(f"{where}: '{key}' must list at least one")
    return tuple(" ".join(v.split()) for v in value)


def _positive(value: Any, key: str, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LibraryError(f"{where}: dose '{key}' must be a whole number of 1 or more")
    return value


def _dose(raw: Any, where: str) -> Dose:
    if not isinstance(raw, Mapping):
        raise LibraryError(f"{where}: 'dose' must be a mapping")
    unknown = set(raw) - {"sets", "reps", "hold_seconds", "minutes", "per_day"}
    if unknown:
        raise LibraryError(f"{where}: dose has unknown fields {sorted(unknown)}")
    dose = Dose(
        sets=_positive(raw.get("sets"), "sets", where),
        reps=_positive(raw.get("reps"), "reps", where),
        hold_seconds=_positive(raw.get("hold_seconds"), "hold_seconds", where),
        minutes=_positive(raw.get("minutes"), "minutes", where),
        per_day=_positive(raw.get("per_day", 1), "per_day", where) or 1,
    )
    if dose.reps is None and dose.minutes is None:
        raise LibraryError(f"{where}: dose needs 'reps' or 'minutes'")
    return dose


def _conditions(rec: Mapping[str, Any], where: str) -> tuple[str, ...]:
    conditions = _texts(rec, "conditions", where)
    unknown = [c for c in conditions if c not in CONDITION_IDS]
    if unknown:
        raise LibraryError(f"{where}: unknown condition ids {unknown} (use the triage "
                           "engine's condition ids)")
    return conditions


def _references(rec: Mapping[str, Any], where: str, registry: ReferenceRegistry
                ) -> tuple[str, ...]:
    refs = _texts(rec, "references", where)
    missing = registry.missing(refs)
    if missing:
        raise LibraryError(f"{where}: references not in the registry: {missing}")
    return refs


def parse_exercise(rec: Mapping[str, Any], registry: ReferenceRegistry) -> Exercise:
    where = f"exercise {rec.get('id', '?')!r}"
    ex_id = _text(rec, "id", where)
    if not ex_id.replace("_", "").isalnum() or ex_id != ex_id.lower():
        raise LibraryError(f"{where}: 'id' must be lower_snake_case")
    try:
        direction = Direction(str(rec.get("direction")))
        kind = Kind(str(rec.get("kind")))
    except ValueError as exc:
        raise LibraryError(f"{where}: {exc}") from None
    conditions = _conditions(rec, where)
    notes = rec.get("condition_notes", {}) or {}
    if not isinstance(notes, Mapping) or not all(
            k in CONDITION_IDS and isinstance(v, str) for k, v in notes.items()):
        raise LibraryError(f"{where}: 'condition_notes' maps condition ids to texts")
    illustration = _text(rec, "illustration", where)
    if illustration != f"{ex_id}.svg":
        raise LibraryError(f"{where}: 'illustration' must be '{ex_id}.svg'")
    return Exercise(
        id=ex_id, title=_text(rec, "title", where), purpose=_text(rec, "purpose", where),
        steps=_texts(rec, "steps", where), dose=_dose(rec.get("dose"), where),
        cautions=_texts(rec, "cautions", where, required=False),
        stop_if=_texts(rec, "stop_if", where), conditions=conditions,
        direction=direction, kind=kind, references=_references(rec, where, registry),
        evidence_note=_text(rec, "evidence_note", where),
        condition_notes={k: " ".join(v.split()) for k, v in notes.items()},
        illustration=illustration,
        image_description=_text(rec, "image_description", where),
    )


def parse_avoid(rec: Mapping[str, Any], registry: ReferenceRegistry) -> AvoidItem:
    where = f"avoid item {rec.get('id', '?')!r}"
    return AvoidItem(
        id=_text(rec, "id", where), title=_text(rec, "title", where),
        why=_text(rec, "why", where), instead=_text(rec, "instead", where),
        conditions=_conditions(rec, where), references=_references(rec, where, registry),
    )


def parse_library(exercises: Iterable[Mapping[str, Any]], avoid: Iterable[Mapping[str, Any]],
                  registry: ReferenceRegistry) -> ExerciseLibrary:
    """Check and build the library; raises ``LibraryError``. The programmes' exercise ids
    are checked too (``check_library``), so a plan never names a missing one."""
    parsed = tuple(parse_exercise(rec, registry) for rec in exercises)
    ids = [e.id for e in parsed]
    if len(ids) != len(set(ids)):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise LibraryError(f"duplicate exercise ids: {twice}")
    items = tuple(parse_avoid(rec, registry) for rec in avoid)
    library = ExerciseLibrary(parsed, items)
    check_library(library)
    return library


def check_library(library: ExerciseLibrary) -> None:
    """Every exercise a programme template names exists and suits that condition; a
    flexion-biased programme holds no extension exercise; every exercise named in an
    avoid list's condition is absent from that condition's programme."""
    for condition, template in TEMPLATES.items():
        for ex_id in (*template.home, *template.conditioning):
            exercise = library.get(ex_id)
            if exercise is None:
                raise LibraryError(f"programme '{condition}': no exercise '{ex_id}' in the "
                                   "library")
            if condition not in exercise.conditions:
                raise LibraryError(f"programme '{condition}': exercise '{ex_id}' does not "
                                   "list the condition")
            if template.bias is Bias.FLEXION and exercise.direction is Direction.EXTENSION:
                raise LibraryError(f"programme '{condition}': '{ex_id}' is an extension "
                                   "exercise in a flexion-biased programme")
