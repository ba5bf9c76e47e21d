"""One symptom interview for every door: the CLI, the web pages, the API and the evaluator.

A ``Conversation`` is an immutable value: what the person's words or the options gave
(``given``, correctable), the keys their words left unclear (``ask_first``) and the
answers so far, in order (``None`` is "not sure"). Every operation returns a new value,
so a door can keep it anywhere (a variable, an encrypted cookie, a JSON body):

* ``next_question(engine)``: age and sex first, then the unclear keys (emergency signs
  first), then the adaptive interview (``interview.next_question``). It stops at once
  when the answers so far are an emergency, and when the engine says the person is under
  16 (rule ``AGE-UNDER-16``: the check is for adults; no adult result is given).
* ``answer(question, raw_text)``: the typed words read in one place (``parse_answer``):
  yes / no / not sure with their everyday variants, choices by number or prefix, numbers
  with units and words ("about 200 m", "1,500 m", "half a mile", "3 months"); a problem
  comes back as ``AnswerProblem(message)`` that says how to fix it.
* ``back()``: undo the last answer.
* ``result(engine, country)``: the provisional or final ``TriageResult``. Every "not sure"
  is passed to the engine as ``unsure``; so is an emergency sign the person's words left
  unclear and that has not been answered yet (issue 9 §3: the intake's "uncertain" on an
  emergency key counts as "not sure" in every door, never as "no").

No I/O and no framework: the clinical core.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from spinecare.clinical.findings import Findings, Value, parse_findings
from spinecare.clinical.number_words import words_to_number
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage import interview
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.interview import Question, question_for
from spinecare.clinical.triage.knowledge.red_flags import (
    RED_FLAG_KEYS,
    TRUE_RED_FLAG_KEYS,
    UNSURE_ESCALATING_KEYS,
)
from spinecare.clinical.triage.result import TriageResult
from spinecare.clinical.vocabulary import VOCABULARY, FindingType

# The engine's result for a person under 16 (the rules owner's rule): no adult interview.
UNDER_16_RULE = "AGE-UNDER-16"

Answer = tuple[str, Value | None]

ASK_REASON = "You mentioned this in your own words, but it was not clear whether you have it."
_AGE_HELP = "Your age in whole years. Some warning signs only count from a certain age."
_SEX_HELP = "Some conditions are more common in one sex. Answer not sure if you prefer not to say."


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """An answer that could not be read; ``message`` says what is wrong and how to fix it."""

    message: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """A valid answer: a value for the finding, or None for "not sure" (stays unknown)."""

    value: Value | None


# --- questions ------------------------------------------------------------------------

def intro_question(key: str) -> Question:
    """Age and sex come first: they change which warning signs matter."""
    defn = VOCABULARY[key]
    if key == "age":
        return Question(
            finding="age", text=defn.question, kind="number", red_flag=False, help=_AGE_HELP,
            reason="asked first: age changes which warning signs matter",
            minimum=defn.minimum, maximum=defn.maximum, unit=defn.unit,
        )
    return Question(
        finding=key, text=defn.question, kind="choice", red_flag=False, help=_SEX_HELP,
        reason="asked first: some conditions are more common in one sex", choices=defn.choices,
    )


def is_warning_sign(key: str) -> bool:
    return key in RED_FLAG_KEYS or key in TRUE_RED_FLAG_KEYS


def question_about(key: str, reason: str = "") -> Question:
    """The question that sets ``key``, whoever asks it (a correction, an API answer …)."""
    if key in ("age", "sex"):
        return intro_question(key)
    return question_for(key, reason, red_flag=is_warning_sign(key))


def _ask_rank(key: str) -> int:
    # Emergency signs first, then the other warning signs, then the rest (stable order).
    if key in UNSURE_ESCALATING_KEYS:
        return 0
    return 1 if is_warning_sign(key) else 2


def _askable(key: str) -> bool:
    defn = VOCABULARY.get(key)
    return defn is not None and not defn.clinician_only and bool(defn.question)


# --- the state ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Conversation:
    given: tuple[Answer, ...] = ()       # from the person's words or options; None = not sure
    ask_first: tuple[str, ...] = ()      # keys the words left unclear: asked explicitly, first
    answers: tuple[Answer, ...] = ()     # the interview's answers, in the order asked

    @classmethod
    def start(cls, given: Mapping[str, Value | None] | Iterable[Answer] = (),
              ask_first: Iterable[str] = ()) -> Conversation:
        """A new interview. Unknown or unanswerable ``ask_first`` keys, and keys ``given``
        already answers, are dropped; the rest are ordered emergency signs first."""
        pairs = tuple(given.items() if isinstance(given, Mapping) else given)
        known = {k for k, _ in pairs}
        unclear = [k for k in dict.fromkeys(ask_first) if _askable(k) and k not in known]
        unclear.sort(key=_ask_rank)
        return cls(tuple((str(k), v) for k, v in pairs), tuple(unclear))

    # -- what is known -------------------------------------------------------------------
    def latest(self) -> dict[str, Value | None]:
        """Each key's latest answer (an interview answer overrides what the words said)."""
        return dict([*self.given, *self.answers])

    def findings(self) -> Findings:
        """The known values, validated (raises FindingsError for an invalid value)."""
        return parse_findings({k: v for k, v in self.latest().items() if v is not None})

    def unsure(self) -> frozenset[str]:
        """Keys answered "not sure"."""
        return frozenset(k for k, v in self.latest().items() if v is None)

    def pending_unclear(self) -> tuple[str, ...]:
        """Unclear keys from the person's words that nobody has answered yet."""
        done = self.latest()
        return tuple(k for k in self.ask_first if k not in done)

    def unsure_for_result(self) -> frozenset[str]:
        """What the result treats as "not sure": every skipped key, and every emergency sign
        the words left unclear that is still unanswered (never read as "no")."""
        pending = {k for k in self.pending_unclear() if k in UNSURE_ESCALATING_KEYS}
        return self.unsure() | pending

    @property
    def asked(self) -> int:
        """How many questions were answered in this interview."""
        return len(self.answers)

    # -- moving on ------------------------------------------------------------------------
    def next_question(self, engine: TriageEngine) -> Question | None:
        """The next question, or None when the interview is over."""
        findings = self.findings()
        known = engine.evaluate(findings)
        if known.level is Level.EMERGENCY:
            return None  # nothing more to ask: the person must act now
        if any(r.rule_id == UNDER_16_RULE for r in known.reasons):
            return None  # not an adult check: see a doctor soon, no adult result
        done = self.latest()
        for key in ("age", "sex"):
            if key not in done:
                return intro_question(key)
        for key in self.ask_first:
            if key not in done:
                return question_for(key, ASK_REASON, red_flag=is_warning_sign(key))
        question = interview.next_question(findings, engine=engine,
                                           skipped=frozenset(self.unsure()))
        if question is None or question.finding in done:
            return None  # a repeated question would loop for ever: the interview is over
        return question

    def answer(self, question: Question, raw: str) -> Conversation | AnswerProblem:
        """Read the typed ``raw`` answer to ``question``; a problem leaves the state as it was."""
        parsed = parse_answer(question, raw)
        if isinstance(parsed, AnswerProblem):
            return parsed
        return self.answered(question.finding, parsed.value)

    def answered(self, key: str, value: Value | None) -> Conversation:
        """The state with ``value`` (None: not sure) recorded for ``key``, already read.
        The value is validated against the vocabulary (ValueError if it is not allowed)."""
        if key not in VOCABULARY:
            raise ValueError(f"{key!r} is not a known finding")
        if value is not None:
            parse_findings({key: value})  # FindingsError (a ValueError) if not allowed
        return Conversation(self.given, self.ask_first, (*self.answers, (key, value)))

    def back(self) -> Conversation:
        """The state before the last answer (the same state when nothing was answered)."""
        return Conversation(self.given, self.ask_first, self.answers[:-1])

    def upto(self, count: int) -> Conversation:
        """The state after the first ``count`` answers (the web's screen ``count``)."""
        return Conversation(self.given, self.ask_first, self.answers[:max(0, count)])

    def with_given(self, given: Iterable[Answer]) -> Conversation:
        """The state after the person corrected what their words said: the questions start
        again from the corrected answers (what to ask next depends on them)."""
        return Conversation(tuple(given), self.ask_first, ())

    def corrected(self, key: str, value: Value | None) -> Conversation:
        """``given`` with one line changed (or added); the answers start again."""
        if value is not None:
            parse_findings({key: value})
        pairs = dict(self.given)
        pairs[key] = value
        return self.with_given(pairs.items())

    def result(self, engine: TriageEngine, country: str = "") -> TriageResult:
        """The result so far: final when nothing is open, otherwise provisional."""
        return engine.evaluate(self.findings(), country=country,
                               unsure=self.unsure_for_result())


# --- provisional results --------------------------------------------------------------

PROVISIONAL_HEADLINE = "Provisional: these questions are still open"


def provisional_fields(result: TriageResult | Mapping[str, Any]) -> dict[str, Any]:
    """``provisional`` and ``provisional_notice``, as every JSON door adds them."""
    notice = provisional_notice(result)
    return {"provisional": notice is not None, "provisional_notice": notice}


def provisional_notice(result: TriageResult | Mapping[str, Any]) -> str | None:
    """The plain sentence every door shows with a provisional result (None when final).

    A result is provisional while warning-sign questions that apply are still open
    (``complete`` False); it must never be presented as final.
    """
    complete = result.get("complete", True) if isinstance(result, Mapping) else result.complete
    if complete:
        return None
    questions = (result.get("open_questions") or () if isinstance(result, Mapping)
                 else result.open_questions)
    texts = [str(q.get("question") if isinstance(q, Mapping) else q.question) for q in questions]
    listed = " ".join(f"({i}) {t}" for i, t in enumerate(texts, start=1))
    return (f"{PROVISIONAL_HEADLINE}: {listed} " if listed else f"{PROVISIONAL_HEADLINE}. ") + (
        "This result is not final: if the answer to any of them is yes, or you do not know, "
        "get medical advice today.")


# --- reading answers ------------------------------------------------------------------

_YES = frozenset({"y", "yes", "yeah", "yea", "yep", "yup", "ya", "aye", "true", "correct",
                  "i do", "yes i do", "i have", "yes i have", "definitely", "absolutely"})
_NO = frozenset({"n", "no", "nope", "nah", "false", "none", "never", "not at all",
                 "no i don't", "no i do not", "i don't", "i do not", "not really", "no never"})
NOT_SURE_WORDS = frozenset({
    "?", "not sure", "notsure", "unsure", "ns", "dont know", "don't know", "do not know",
    "i don't know", "i dont know", "i do not know", "dunno", "idk", "dk", "no idea",
    "not certain", "can't say", "cant say", "maybe", "skip", "unknown", "i'm not sure",
    "im not sure", "i am not sure",
})
_SEX_WORDS = {"woman": "female", "lady": "female", "girl": "female", "w": "female",
              "man": "male", "guy": "male", "boy": "male"}


def _normal(raw: str) -> str:
    text = " ".join(raw.strip().lower().replace("\u2019", "'").split())
    return text.rstrip(".!")


def parse_answer(question: Question, raw: str) -> Parsed | AnswerProblem:
    """One typed answer, read the same way in every door."""
    text = _normal(raw)
    if not text:
        return AnswerProblem("Please type an answer, or say you are not sure.")
    if text in NOT_SURE_WORDS:
        return Parsed(None)
    if question.kind == "bool":
        return parse_yes_no(text)
    if question.kind == "choice":
        return _parse_choice(question, text)
    number = parse_number(question.finding, text)
    return number if isinstance(number, AnswerProblem) else Parsed(number)


def parse_yes_no(raw: str) -> Parsed | AnswerProblem:
    """A yes / no / not sure answer to any question (the decision aid's too)."""
    text = _normal(raw)
    if text in NOT_SURE_WORDS:
        return Parsed(None)
    if text in _YES:
        return Parsed(True)
    if text in _NO:
        return Parsed(False)
    return AnswerProblem("Please answer yes (y), no (n) or not sure (?).")


def _parse_choice(question: Question, text: str) -> Parsed | AnswerProblem:
    choices = question.choices
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return Parsed(choices[int(text) - 1])
    text = _SEX_WORDS.get(text, text) if question.finding == "sex" else text
    matches = [c for c in choices if c.lower() == text] or [
        c for c in choices if c.lower().startswith(text)]
    if len(matches) == 1:
        return Parsed(matches[0])
    listed = ", ".join(f"{i} ({c})" for i, c in enumerate(choices, start=1))
    return AnswerProblem(f"Please choose one of {listed}, or not sure (?).")


# Units each kind of number may be given in, and the factor to the vocabulary's unit.
_DISTANCE_UNITS: dict[str, float] = {
    **dict.fromkeys(("m", "metre", "metres", "meter", "meters", "mtr", "mtrs"), 1.0),
    **dict.fromkeys(("km", "kms", "k", "kilometre", "kilometres", "kilometer", "kilometers"),
                    1000.0),
    **dict.fromkeys(("mile", "miles", "mi"), 1609.344),
    **dict.fromkeys(("yard", "yards", "yd", "yds"), 0.9144),
    **dict.fromkeys(("foot", "feet", "ft"), 0.3048),
}
_WEEK_UNITS: dict[str, float] = {
    **dict.fromkeys(("hour", "hours", "hr", "hrs", "h"), 1 / 168),
    **dict.fromkeys(("day", "days", "d"), 1 / 7),
    **dict.fromkeys(("week", "weeks", "wk", "wks", "w"), 1.0),
    **dict.fromkeys(("fortnight", "fortnights"), 2.0),
    **dict.fromkeys(("month", "months", "mo", "mos", "mth", "mths"), 52 / 12),
    **dict.fromkeys(("year", "years", "yr", "yrs", "y"), 52.0),
}
_YEAR_UNITS: dict[str, float] = dict.fromkeys(
    ("year", "years", "yr", "yrs", "y", "yo", "y/o", "y.o", "years old", "year old", "yrs old",
     "old"), 1.0)
_UNIT_NAMES = {"m": "metres, kilometres, yards or miles",
               "weeks": "days, weeks, months or years", "years": "years"}
_SCALE_SUFFIX = re.compile(r"\s*(?:/|out of|over)\s*(?:10|ten)$")
_APPROX_BEFORE = re.compile(
    r"^(?:(?:(?:about|around|roughly|approximately|approx|maybe|perhaps|probably|nearly|"
    r"almost|only|just|over|under|less than|more than|at least|at most|up to|no more than|"
    r"a bit over|a bit under|a little over|a little under|circa|ca|c)\b\.?|~)\s*)+")
_APPROX_AFTER = re.compile(r"\s*(?:or so|or thereabouts|-?ish|roughly|approx\.?|"
                           r"approximately|tops|max|maximum|at most)$")
_DIGITS = re.compile(r"^(?P<n>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:[.,]\d+)?|[-+]?[.,]\d+)"
                     r"\s*(?P<rest>.*)$")
_NOT_A_NUMBER = re.compile(r"\b(?:nan|inf|infinity|infinite|forever)\b")
_AND_A_HALF = re.compile(r"^(?P<n>.+?) and a half\b\s*(?P<rest>.*)$")


def _number_part(text: str) -> tuple[float, str] | None:
    """(number, rest of the text) from digits or number words; None if there is none."""
    m = _DIGITS.match(text)
    if m:
        digits = m.group("n")
        if re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
            digits = digits.replace(",", "")  # "1,500" is fifteen hundred
        else:
            digits = digits.replace(",", ".")  # "250,5" is a decimal comma
        return float(digits), m.group("rest").strip()
    half = _AND_A_HALF.match(text)
    if half:
        whole = _number_part(half.group("n"))
        if whole is not None and not whole[1]:
            return whole[0] + 0.5, half.group("rest").strip()
    words = text.split()
    for cut in range(len(words), 0, -1):  # the longest run of number words
        value = words_to_number(" ".join(words[:cut]))
        if value is not None:
            return value, " ".join(words[cut:])
    return None


def _range_text(key: str) -> str:
    defn = VOCABULARY[key]
    unit = f" {defn.unit}" if defn.unit else ""
    return f"from {defn.minimum:g} to {defn.maximum:g}{unit}"


def parse_number(key: str, raw: str) -> float | int | AnswerProblem:
    """A number answer for ``key`` in the vocabulary's unit, range-checked.

    "about 200 m" → 200, "1,500 m" → 1500, "1.5 km" → 1500, "half a mile" → 805,
    "two hundred metres" → 200, "3 months" (a weeks key) → 13, "a year" → 52,
    "7/10" → 7. "nan" and "inf" are refused.
    """
    defn = VOCABULARY[key]
    allowed = _range_text(key)
    fix = f"Give a number {allowed} (for example {_example(key)}), or answer not sure (?)."
    text = _normal(raw)
    if _NOT_A_NUMBER.search(text):
        return AnswerProblem(f"'{raw.strip()}' is not a number that can be used here. {fix}")
    text = _APPROX_AFTER.sub("", _APPROX_BEFORE.sub("", text)).strip()
    if defn.maximum is not None and defn.maximum <= 10:
        text = _SCALE_SUFFIX.sub("", text)  # "7/10", "7 out of 10"
    found = _number_part(text)
    if found is None:
        return AnswerProblem(f"'{raw.strip()}' is not a number. {fix}")
    number, unit = found
    if unit.split(" ", 1)[0] in ("hundred", "thousand"):
        return AnswerProblem(f"'{raw.strip()}' is too vague to record. Give your best guess "
                             f"as one number {allowed}, or answer not sure (?).")
    factor = _unit_factor(defn.unit, unit)
    if factor is None:
        names = _UNIT_NAMES.get(defn.unit)
        how = f"give it in {names}" if names else "give just the number"
        return AnswerProblem(f"'{unit}' is not a unit I know here: {how} (for example "
                             f"{_example(key)}), or answer not sure (?).")
    value = number * factor
    if not math.isfinite(value):
        return AnswerProblem(f"'{raw.strip()}' is not a number that can be used here. {fix}")
    if defn.unit == "m":
        value = float(round(value))  # whole metres
    elif defn.unit == "weeks" and factor != 1.0:
        value = round(value, 1) if value < 10 else float(round(value))
    assert defn.minimum is not None and defn.maximum is not None
    if not defn.minimum <= value <= defn.maximum:
        return AnswerProblem(f"{value:g} is out of range: the answer must be {allowed}.")
    if defn.type is FindingType.INTEGER:
        if value != int(value):
            return AnswerProblem(f"Please give a whole number {allowed}.")
        return int(value)
    return int(value) if value == int(value) else value


def _unit_factor(vocabulary_unit: str, unit: str) -> float | None:
    if not unit:
        return 1.0
    table = {"m": _DISTANCE_UNITS, "weeks": _WEEK_UNITS, "years": _YEAR_UNITS}.get(
        vocabulary_unit, {})
    return table.get(unit.strip().rstrip("."))


def _example(key: str) -> str:
    return {"age": "45", "walking_distance_m": "200 m or 1.5 km",
            "duration_weeks": "6 weeks or 3 months",
            "conservative_care_weeks": "6 weeks or 3 months"}.get(key, "5")
