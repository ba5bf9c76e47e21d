"""Conversation mode (FINDINGS.md): start from the words, then run the product's interview
to its end with a simulated person answering from the vignette.

The interview is ``spinecare.clinical.triage.conversation.Conversation``, the same state
machine the CLI, the web pages and the API use. The simulated person answers:

* a key present in the vignette's ``findings`` with its value (``null`` there: "not sure");
* a symptom or history key the vignette does not mention: "no" (a vignette describes
  everything the person has);
* an examination or measurement key (clinician-only, or any number such as
  ``ankle_brachial_index``) the vignette does not give: "not sure";
* age or sex that is ``null``: "not sure".

Each answer is written as a person would type it ("yes", "200 m", "0.5 weeks") and goes
through ``Conversation.answer`` — the same reading of typed answers every door uses — so
the evaluation exercises the parser too. If the parser ever reads a simulated answer as
something other than the vignette's value, that is reported as a problem for the case and
the value is recorded directly, so the triage figures stay about the interview.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from spinecare.clinical.findings import Value
from spinecare.clinical.triage.conversation import (
    AnswerProblem,
    Conversation,
)
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.result import TriageResult
from spinecare.clinical.vocabulary import VOCABULARY, FindingType, answer_text
from spinecare.tools.evaluation.vignettes import Vignette

# (findings the intake read, keys it was unsure about) for one free text.
Intake = Callable[[str], tuple[Mapping[str, Any], list[str]]]

# No real interview comes near this; a loop would otherwise never end.
MAX_QUESTIONS = 150


@dataclass(slots=True)
class Turn:
    finding: str
    question: str
    answer: str


@dataclass(slots=True)
class Transcript:
    understood: dict[str, Any]
    unclear: list[str]
    turns: list[Turn] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "understood": dict(self.understood),
            "unclear": list(self.unclear),
            "turns": [{"finding": t.finding, "question": t.question, "answer": t.answer}
                      for t in self.turns],
            "problems": list(self.problems),
        }


def simulated_value(case: Vignette, key: str) -> Value | None:
    """What the vignette's person answers to the question that sets ``key`` (None: not sure)."""
    if key == "age":
        return case.age
    if key == "sex":
        return case.sex
    stated = case.raw.get("findings") or {}
    if key in stated:
        # A validated value (the raw one may be 200 for 200.0); null stays "not sure".
        return case.findings.get(key) if case.findings is not None else None
    defn = VOCABULARY[key]
    if defn.clinician_only or defn.type is not FindingType.BOOL:
        return None  # an examination or a measurement the person cannot know
    return False


def converse(engine: TriageEngine, case: Vignette,
             intake: Intake) -> tuple[TriageResult, Transcript]:
    """Run one vignette's conversation to its end; returns the result and the transcript."""
    if case.findings is None:
        raise ValueError(f"{case.id}: conversation mode needs the structured 'findings' "
                         "to answer the questions")
    understood, unclear = intake(case.free_text)
    state = Conversation.start(dict(understood), unclear)
    record = Transcript(dict(understood), list(state.ask_first))
    for _ in range(MAX_QUESTIONS):
        question = state.next_question(engine)
        if question is None:
            break
        value = simulated_value(case, question.finding)
        typed = answer_text(question.finding, value)
        record.turns.append(Turn(question.finding, question.text, typed))
        after = state.answer(question, typed)
        read = after.message if isinstance(after, AnswerProblem) else after.latest()[
            question.finding]
        if isinstance(after, AnswerProblem) or read != value:
            record.problems.append(f"{question.finding}: {typed!r} was read as {read!r}")
            after = state.answered(question.finding, value)
        state = after
    else:
        record.problems.append(f"stopped after {MAX_QUESTIONS} questions")
    return state.result(engine), record
