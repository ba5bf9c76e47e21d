"""The option grid as validated data (pure: the caller reads the YAML).

IPDAS asks that each option show what it involves, the chance of benefit and
harm with figures, and how good the evidence is; investigational options must
also say what is not known. ``parse_grid`` refuses a grid that misses any of it.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from typing import Any

KINDS = ("conservative", "injection", "surgery", "investigational")
TEXT_FIELDS = (
    "name", "what_it_involves", "chance_of_benefit", "risks", "recovery", "durability",
    "evidence_note", "cost_notes",
)


class GridError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class TreatmentOption:
    id: str
    name: str
    kind: str
    investigational: bool
    what_it_involves: str
    chance_of_benefit: str
    risks: str
    recovery: str
    durability: str
    evidence_level: int
    evidence_note: str
    cost_notes: str
    what_is_not_known: tuple[str, ...]
    references: tuple[str, ...]
    condition_notes: Mapping[str, str]
    uncertain: tuple[str, ...]

    def note_for(self, condition: str) -> str:
        return self.condition_notes.get(condition, "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "investigational": self.investigational,
            "what_it_involves": self.what_it_involves,
            "chance_of_benefit": self.chance_of_benefit,
            "risks": self.risks,
            "recovery": self.recovery,
            "durability": self.durability,
            "evidence_level": self.evidence_level,
            "evidence_note": self.evidence_note,
            "cost_notes": self.cost_notes,
            "what_is_not_known": list(self.what_is_not_known),
            "references": list(self.references),
            "condition_notes": dict(self.condition_notes),
            "uncertain": list(self.uncertain),
        }


@dataclass(frozen=True, slots=True)
class ValueQuestion:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class OptionGrid:
    version: str
    options: tuple[TreatmentOption, ...]
    values: tuple[ValueQuestion, ...]
    scale: tuple[tuple[str, str], ...]          # (answer id, label)
    surgeon_questions: tuple[str, ...]

    def get(self, option_id: str) -> TreatmentOption:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    def value_answers(self) -> dict[str, tuple[str, ...]]:
        """Question id -> allowed answer ids (for validating a person's answers)."""
        answers = tuple(a for a, _ in self.scale)
        return {q.id: answers for q in self.values}

    def scale_label(self, answer_id: str) -> str:
        return dict(self.scale).get(answer_id, answer_id)


def _text(rec: Mapping[str, Any], key: str, where: str) -> str:
    value = rec.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GridError(f"{where}: '{key}' must be non-empty text")
    return " ".join(value.split())


def _option(rec: Any, known_refs: Container[str]) -> TreatmentOption:
    if not isinstance(rec, Mapping) or not isinstance(rec.get("id"), str):
        raise GridError(f"each option needs an 'id': {rec!r}")
    where = f"option {rec['id']!r}"
    texts = {k: _text(rec, k, where) for k in TEXT_FIELDS}
    kind = rec.get("kind")
    if kind not in KINDS:
        raise GridError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    level = rec.get("evidence_level")
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
        raise GridError(f"{where}: 'evidence_level' must be an OCEBM level 1-5")
    refs = tuple(rec.get("references") or ())
    if not refs:
        raise GridError(f"{where}: needs at least one reference")
    missing = sorted(r for r in refs if r not in known_refs)
    if missing:
        raise GridError(f"{where}: unknown reference ids {', '.join(missing)}")
    investigational = rec.get("investigational")
    if not isinstance(investigational, bool):
        raise GridError(f"{where}: 'investigational' must be true or false")
    if (kind == "investigational") != investigational:
        raise GridError(f"{where}: kind 'investigational' and investigational: true go together")
    not_known = tuple(" ".join(str(x).split()) for x in rec.get("what_is_not_known") or ())
    if investigational and not not_known:
        raise GridError(f"{where}: an investigational option must list what is not known")
    notes = rec.get("condition_notes") or {}
    if not isinstance(notes, Mapping):
        raise GridError(f"{where}: 'condition_notes' must map condition id -> text")
    return TreatmentOption(
        id=rec["id"],
        kind=kind,
        investigational=investigational,
        evidence_level=level,
        what_is_not_known=not_known,
        references=refs,
        condition_notes={str(k): " ".join(str(v).split()) for k, v in notes.items()},
        uncertain=tuple(str(u) for u in rec.get("uncertain") or ()),
        **texts,
    )


def parse_grid(
    options_doc: Mapping[str, Any], questions_doc: Mapping[str, Any], known_refs: Container[str]
) -> OptionGrid:
    """Validate the two content documents; raise ``GridError`` on the first problem."""
    records = options_doc.get("options")
    if not isinstance(records, list) or not records:
        raise GridError("options: expected a non-empty list")
    options = tuple(_option(rec, known_refs) for rec in records)
    ids = [o.id for o in options]
    if len(set(ids)) != len(ids):
        raise GridError(f"options: duplicate ids in {ids}")
    scale = tuple((str(s["id"]), str(s["label"])) for s in questions_doc.get("scale") or ())
    if not scale:
        raise GridError("questions: 'scale' must list the answer choices")
    values = []
    for q in questions_doc.get("values") or ():
        if not isinstance(q, Mapping) or not q.get("id") or not q.get("text"):
            raise GridError(f"value question needs an id and a text: {q!r}")
        values.append(ValueQuestion(str(q["id"]), " ".join(str(q["text"]).split())))
    surgeon = tuple(str(s) for s in questions_doc.get("surgeon_questions") or ())
    if not values or not surgeon:
        raise GridError("questions: needs values questions and surgeon questions")
    return OptionGrid(
        version=str(options_doc.get("version", "")),
        options=options,
        values=tuple(values),
        scale=scale,
        surgeon_questions=surgeon,
    )
