"""The adaptive interview (interface; implementation lands with the engine)."""

from __future__ import annotations

from dataclasses import dataclass

from spinecare.clinical.findings import Findings


@dataclass(frozen=True, slots=True)
class Question:
    finding: str          # the FINDINGS.md key the answer sets
    text: str             # plain-language question
    help: str             # why we ask / how to answer
    kind: str             # "bool", "number" or "choice"
    reason: str           # why this question now (red-flag screen, separating conditions …)
    red_flag: bool        # part of the red-flag screen
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    choices: tuple[str, ...] = ()


def next_question(findings: Findings) -> Question | None:
    """The next most useful question, or None when the level and leading condition are settled."""
    raise NotImplementedError
