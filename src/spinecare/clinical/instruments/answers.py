"""Check and normalise answers before scoring.

Answers come as a list in item order (``None`` for a missing item) or as a mapping
keyed by item id. Every problem is reported with the item's position, id and the
allowed values, so the person can fix the input; nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spinecare.clinical.instruments.model import InstrumentDefinition, Item

Answers = dict[str, int | None]


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    item_id: str
    position: int | None  # 1-based position in the item order, when known
    message: str
    allowed: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()  # option labels, same order as ``allowed``, when known

    def __str__(self) -> str:
        where = f"item {self.position} ({self.item_id})" if self.position else self.item_id
        allowed = ""
        if self.allowed:
            allowed = f"; allowed values: {_describe(self.allowed, self.labels)}"
        return f"{where}: {self.message}{allowed}"


class AnswerError(ValueError):
    """The answers do not fit the instrument; ``problems`` says what and how to fix it."""

    def __init__(self, instrument_id: str, problems: list[AnswerProblem]):
        self.instrument_id = instrument_id
        self.problems = problems
        super().__init__(f"{instrument_id}: " + "; ".join(str(p) for p in problems))


def _describe(values: tuple[int, ...], labels: tuple[str, ...] = ()) -> str:
    if labels and all(labels) and len(labels) == len(values):
        named = ", ".join(f"{v} = {label}" for v, label in zip(values, labels, strict=True))
        return f"{named}, or null if not answered"
    if len(values) > 4 and list(values) == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}-{values[-1]} (whole numbers), or null if not answered"
    return ", ".join(str(v) for v in values) + ", or null if not answered"


def accepted_lengths(definition: InstrumentDefinition) -> tuple[int, ...]:
    """List lengths accepted: all items, or all but trailing optional subscales (ZCQ)."""
    n = len(definition.items)
    lengths = [n]
    optional_items = {i for s in definition.subscales if s.optional for i in s.items}
    trailing = 0
    for item in reversed(definition.items):
        if item.id not in optional_items:
            break
        trailing += 1
    if trailing:
        lengths.append(n - trailing)
    return tuple(sorted(lengths))


def _coerce(item: Item, position: int, raw: Any) -> tuple[int | None, AnswerProblem | None]:
    allowed = item.allowed_values()
    labels = tuple(o.label for o in item.options)

    def problem(message: str) -> tuple[None, AnswerProblem]:
        return None, AnswerProblem(item.id, position, message, allowed, labels)

    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return (int(raw), None) if set(allowed) == {0, 1} else problem(f"{raw!r} is not allowed")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if not isinstance(raw, int):
        return problem(f"{raw!r} is not a whole number")
    if raw not in allowed:
        return problem(f"{raw} is not allowed")
    return raw, None


def normalise_answers(definition: InstrumentDefinition, raw: Any) -> Answers:
    """Return ``{item_id: value or None}`` for every item, or raise ``AnswerError``."""
    items = definition.items
    problems: list[AnswerProblem] = []
    values: Answers = {item.id: None for item in items}
    if isinstance(raw, Mapping):
        unknown = [str(k) for k in raw if k not in values]
        for key in unknown:
            problems.append(
                AnswerProblem(key, None, f"unknown item id; known ids: {', '.join(values)}")
            )
        pairs = [(pos, item, raw.get(item.id)) for pos, item in enumerate(items, 1)]
    elif isinstance(raw, Sequence) and not isinstance(raw, str | bytes):
        lengths = accepted_lengths(definition)
        if len(raw) not in lengths:
            wanted = " or ".join(str(n) for n in lengths)
            raise AnswerError(
                definition.id,
                [
                    AnswerProblem(
                        "answers",
                        None,
                        f"expected {wanted} answers in item order, got {len(raw)} "
                        "(use null for an item that was not answered)",
                    )
                ],
            )
        pairs = [
            (pos, item, raw[pos - 1] if pos <= len(raw) else None)
            for pos, item in enumerate(items, 1)
        ]
    else:
        raise AnswerError(
            definition.id,
            [
                AnswerProblem(
                    "answers",
                    None,
                    "answers must be a JSON list in item order or an object keyed by item id",
                )
            ],
        )
    for pos, item, value in pairs:
        coerced, problem = _coerce(item, pos, value)
        if problem:
            problems.append(problem)
        else:
            values[item.id] = coerced
    if problems:
        raise AnswerError(definition.id, problems)
    return values
