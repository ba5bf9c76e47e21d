"""The state of one symptom interview, carried between screens in a signed cookie.

The answers so far are an ordered list of (finding key, value); ``None`` is "not
sure". Screen *n* shows the question that follows the first *n* answers, so the
browser's back button (a GET of screen n-1) simply shows the earlier question with
its answer ticked, and answering it again drops everything after it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from spinecare.clinical.findings import Findings, FindingsError, parse_findings
from spinecare.clinical.triage import interview
from spinecare.clinical.vocabulary import VOCABULARY, FindingType

COOKIE = "spinecare_check"
MAX_AGE_SECONDS = 2 * 60 * 60  # an interview left for two hours starts again
_SALT = "spinecare.check.v1"
_PROCESS_SECRET = secrets.token_urlsafe(32)  # used only when no secret key is configured

Answer = tuple[str, Any]


@dataclass(slots=True)
class InterviewState:
    answers: list[Answer] = field(default_factory=list)

    def findings(self, upto: int | None = None) -> Findings:
        known = {k: v for k, v in self.answers[:upto] if v is not None}
        return parse_findings(known)

    def unsure(self, upto: int | None = None) -> set[str]:
        return {k for k, v in self.answers[:upto] if v is None}

    def answer_at(self, index: int) -> Answer | None:
        return self.answers[index] if 0 <= index < len(self.answers) else None

    def answered(self, index: int, key: str, value: Any) -> InterviewState:
        """The state after answering screen ``index``: later answers are dropped."""
        return InterviewState([*self.answers[:index], (key, value)])


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret or _PROCESS_SECRET, salt=_SALT)


def dump_state(state: InterviewState, secret: str) -> str:
    return _serializer(secret).dumps([[k, v] for k, v in state.answers])


def load_state(token: str | None, secret: str) -> InterviewState:
    """A tampered, expired or malformed cookie gives an empty interview, never an error."""
    if not token:
        return InterviewState()
    try:
        raw = _serializer(secret).loads(token, max_age=MAX_AGE_SECONDS)
        answers = [(str(k), v) for k, v in raw]
        state = InterviewState(answers)
        state.findings()  # re-validate: the vocabulary may have changed since it was signed
        return state
    except (BadSignature, FindingsError, TypeError, ValueError):
        return InterviewState()


def question_at(state: InterviewState, index: int) -> interview.Question | None:
    """The question shown on screen ``index`` (None: the interview is over).

    Questions answered "not sure" are passed as ``skipped``: they stay unknown (a red-flag
    one stays open in the result) and are not asked again.
    """
    return interview.next_question(state.findings(index), skipped=frozenset(state.unsure(index)))


def parse_answer(question: interview.Question, form: Any) -> tuple[Any, str | None]:
    """(value, None) or (None, message to show). ``answer=unsure`` is a valid "not sure"."""
    choice = str(form.get("answer", "")).strip()
    if choice == "unsure":
        return None, None
    defn = VOCABULARY[question.finding]
    if defn.type is FindingType.BOOL:
        if choice in {"yes", "no"}:
            return choice == "yes", None
        return None, "Choose yes, no or not sure."
    if defn.type is FindingType.CHOICE:
        if choice in defn.choices:
            return choice, None
        return None, "Choose one of the answers, or not sure."
    raw = str(form.get("value", "")).strip().replace(",", ".")
    if not raw:
        return None, "Enter a number, or choose “I’m not sure”."
    try:
        number: float | int = float(raw)
    except ValueError:
        return None, f"Enter a number, like 12. “{raw}” is not a number."
    lo, hi, unit = defn.minimum, defn.maximum, f" {defn.unit}" if defn.unit else ""
    if defn.type is FindingType.INTEGER:
        if number != int(number):
            return None, "Enter a whole number, like 45."
        number = int(number)
    elif number == int(number):
        number = int(number)
    if lo is not None and hi is not None and not lo <= number <= hi:
        return None, f"Enter a number from {lo:g} to {hi:g}{unit}."
    return number, None
