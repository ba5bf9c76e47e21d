"""The decision aid's input: what the person tells us, validated with clear errors.

A missing value is unknown, never "no". Questionnaire scores are optional (they
shape the wording and the printed summary); condition, weeks of conservative care,
its effect and the state of any nerve deficit are required, because the pathway
cannot be placed without them. So is an answer to every warning sign
(``warning_signs``: yes, no or not sure each): an unanswered sign is never read as
"no". The older ``red_flags`` list is still accepted; each id in it is a "yes".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from spinecare.clinical.decision.red_flags import WARNING_SIGNS, Answer


class Benefit(StrEnum):
    NONE = "none"
    SOME = "some"
    GOOD = "good"


class Deficit(StrEnum):
    NONE = "none"
    STABLE = "stable"
    PROGRESSIVE = "progressive"


# Conditions the option grid was written for (ids from shared/eval/FINDINGS.md).
SUPPORTED_CONDITIONS: dict[str, str] = {
    "lumbar_spinal_stenosis": "lumbar spinal stenosis",
    "lumbar_radiculopathy_disc_herniation": "sciatica from a disc herniation",
    "cervical_radiculopathy": "a trapped nerve in the neck (cervical radiculopathy)",
    "cervical_myelopathy": "pressure on the spinal cord in the neck (cervical myelopathy)",
    "nonspecific_low_back_pain": "non-specific low back pain",
}

# Conditions that need a doctor, not a treatment comparison, and why.
REDIRECTED_CONDITIONS: dict[str, str] = {
    "cauda_equina_syndrome": "is an emergency: call the emergency number now",
    "spinal_infection": "needs a doctor today, not a treatment comparison",
    "spinal_malignancy": "needs a doctor within 24-48 hours, not a treatment comparison",
    "vertebral_fracture": "needs a doctor promptly, not a treatment comparison",
    "abdominal_aortic_aneurysm": "is an emergency: call the emergency number now",
    "vascular_claudication": "is a problem of the leg arteries; see a doctor about vascular care",
    "peripheral_neuropathy": "is treated by finding its cause; see your doctor",
    "inflammatory_back_pain": "is treated by a rheumatologist; see your doctor",
    "muscle_spasm_strain": "usually settles with self-care within weeks; use the symptom check",
}

MAX_WEEKS = 520  # ten years: anything longer is almost certainly a typing error
MAX_INJECTIONS = 52
MAX_WALK_M = 100_000


@dataclass(frozen=True, slots=True)
class InputProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class DecisionInputError(ValueError):
    """One or more inputs are invalid; ``problems`` lists each with how to fix it."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class DecisionInput:
    condition: str
    conservative_weeks: float
    benefit: Benefit | None          # None only when no conservative care has been tried
    deficit: Deficit
    severe_deficit: bool = False
    red_flags: tuple[str, ...] = ()  # the warning signs answered "yes"
    odi: float | None = None         # Oswestry Disability Index, percent 0-100
    zcq_symptom: float | None = None  # ZCQ symptom severity, 1-5
    zcq_function: float | None = None  # ZCQ physical function, 1-4
    pain_nrs: float | None = None    # worst pain, 0-10
    walking_distance_m: float | None = None
    injections_12m: int = 0          # epidural injections in the past 12 months
    values: dict[str, str] = field(default_factory=dict)
    # Every answered warning sign: key -> Answer (absent = unanswered).
    warning_signs: dict[str, Answer] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "condition": self.condition,
            "conservative_weeks": self.conservative_weeks,
            "benefit": self.benefit.value if self.benefit else None,
            "deficit": self.deficit.value,
            "severe_deficit": self.severe_deficit,
            "red_flags": list(self.red_flags),
            "odi": self.odi,
            "zcq_symptom": self.zcq_symptom,
            "zcq_function": self.zcq_function,
            "pain_nrs": self.pain_nrs,
            "walking_distance_m": self.walking_distance_m,
            "injections_12m": self.injections_12m,
            "values": dict(self.values),
            "warning_signs": {k: a.value for k, a in self.warning_signs.items()},
        }


FIELDS = frozenset(DecisionInput.__slots__)


def _short(value: int) -> str:
    """An integer for a message: a huge one is described, not printed in full."""
    return str(value) if abs(value) < 10**20 else "a number of more than 20 digits"


def _number(
    raw: Mapping[str, Any], key: str, lo: float, hi: float, problems: list[InputProblem],
    *, integer: bool = False, unit: str = "",
) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    kind = "a whole number" if integer else "a number"
    what = f"{kind} from {lo:g} to {hi:g}{(' ' + unit) if unit else ''}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                problems.append(InputProblem(key, f"must be {what}, got {raw[key]!r}"))
                return None
        else:
            problems.append(InputProblem(key, f"must be {what}, got {value!r}"))
            return None
    if isinstance(value, int) and not lo <= value <= hi:
        # Compared as an int: a 4,000-digit integer cannot become a float (OverflowError).
        problems.append(InputProblem(key, f"{_short(value)} is out of range: must be {what}"))
        return None
    if not math.isfinite(value) or not lo <= value <= hi:
        problems.append(InputProblem(key, f"{raw[key]!r} is out of range: must be {what}"))
        return None
    if integer and float(value) != int(value):
        problems.append(InputProblem(key, f"must be {what}, got {raw[key]!r}"))
        return None
    return int(value) if integer else float(value)


def _choice(
    raw: Mapping[str, Any], key: str, enum: type[StrEnum], problems: list[InputProblem]
) -> Any:
    value = raw.get(key)
    if value is None:
        return None
    allowed = ", ".join(e.value for e in enum)
    if isinstance(value, str) and value.strip().lower() in {e.value for e in enum}:
        return enum(value.strip().lower())
    problems.append(InputProblem(key, f"must be one of {allowed}, got {value!r}"))
    return None


def _condition(raw: Mapping[str, Any], problems: list[InputProblem]) -> str | None:
    value = raw.get("condition")
    supported = ", ".join(SUPPORTED_CONDITIONS)
    if value is None or value == "":
        problems.append(InputProblem("condition", f"is required: one of {supported}"))
        return None
    if not isinstance(value, str):
        problems.append(InputProblem("condition", f"must be text, one of {supported}"))
        return None
    key = value.strip().lower()
    if key in SUPPORTED_CONDITIONS:
        return key
    if key in REDIRECTED_CONDITIONS:
        problems.append(InputProblem(
            "condition",
            f"the decision aid does not cover {key}: it {REDIRECTED_CONDITIONS[key]}",
        ))
        return None
    problems.append(
        InputProblem("condition", f"unknown condition {value!r}; use one of {supported}")
    )
    return None


_ANSWERS: dict[object, Answer] = {
    True: Answer.YES, False: Answer.NO, "yes": Answer.YES, "no": Answer.NO,
    "not_sure": Answer.NOT_SURE, "not sure": Answer.NOT_SURE, "unsure": Answer.NOT_SURE,
}
HOW_TO_ANSWER = 'answer each with true (yes), false (no) or "not_sure"'


def _warning_signs(raw: Mapping[str, Any], problems: list[InputProblem]) -> dict[str, Answer]:
    """Answers from ``warning_signs`` (key -> answer) and the older ``red_flags`` list
    (each id = yes). A "yes" in either wins over a "no" in the other: never under-triage."""
    answers: dict[str, Answer] = {}
    value = raw.get("warning_signs")
    if value is not None and not isinstance(value, Mapping):
        problems.append(InputProblem(
            "warning_signs", f"must be an object: warning sign -> answer; {HOW_TO_ANSWER}"))
    elif value is not None:
        unknown: list[str] = []
        for key, answer in value.items():
            if key not in WARNING_SIGNS:
                unknown.append(repr(key))
                continue
            if answer is None:
                continue  # null = not answered yet
            norm = answer.strip().lower() if isinstance(answer, str) else answer
            parsed = _ANSWERS.get(norm) if isinstance(norm, bool | str) else None
            if parsed is None:
                problems.append(InputProblem(
                    f"warning_signs.{key}", f"{HOW_TO_ANSWER}, got {answer!r}"))
            else:
                answers[key] = parsed
        _unknown_signs("warning_signs", unknown, problems)
    flags = raw.get("red_flags")
    if flags is not None:
        if isinstance(flags, str) or not isinstance(flags, list | tuple):
            problems.append(InputProblem("red_flags",
                                         "must be a list of warning-sign ids (may be empty)"))
        else:
            unknown = []
            for item in flags:
                key = item.strip().lower() if isinstance(item, str) else item
                if key in WARNING_SIGNS:
                    answers[key] = Answer.YES
                else:
                    unknown.append(repr(item))
            _unknown_signs("red_flags", unknown, problems)
    return answers


def _unknown_signs(field: str, unknown: list[str], problems: list[InputProblem]) -> None:
    if unknown:
        problems.append(InputProblem(
            field, f"unknown warning sign {', '.join(unknown)}; use any of "
                   f"{', '.join(WARNING_SIGNS)}"))


def unanswered_problem(unanswered: tuple[str, ...]) -> InputProblem:
    return InputProblem(
        "warning_signs",
        f"not answered: {', '.join(unanswered)}. Every warning sign needs an answer "
        f"(an unanswered sign is never read as 'no'): {HOW_TO_ANSWER}",
    )


def _values(
    raw: Mapping[str, Any], known: Mapping[str, tuple[str, ...]] | None,
    problems: list[InputProblem],
) -> dict[str, str]:
    value = raw.get("values")
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append(InputProblem("values", "must be an object: question id -> answer id"))
        return {}
    if known is None:
        return {str(k): str(v) for k, v in value.items()}
    answers: dict[str, str] = {}
    for qid, answer in value.items():
        if qid not in known:
            problems.append(
                InputProblem("values", f"unknown question {qid!r}; use {', '.join(known)}")
            )
        elif answer not in known[qid]:
            problems.append(InputProblem(
                f"values.{qid}", f"answer must be one of {', '.join(known[qid])}, got {answer!r}"
            ))
        else:
            answers[qid] = answer
    return answers


def parse_decision_input(
    raw: Mapping[str, Any], *, value_questions: Mapping[str, tuple[str, ...]] | None = None,
) -> DecisionInput:
    """Validate a mapping; raise ``DecisionInputError`` listing every problem at once.

    ``value_questions`` (question id -> allowed answer ids) checks the optional
    values-clarification answers when the caller has loaded them.
    """
    if not isinstance(raw, Mapping):
        raise DecisionInputError([InputProblem("input", "must be an object of field: value pairs")])
    problems: list[InputProblem] = []
    unknown = sorted(str(k) for k in raw if k not in FIELDS)
    for key in unknown:
        problems.append(InputProblem(
            key, f"is not a known field; known fields: {', '.join(sorted(FIELDS))}"
        ))

    condition = _condition(raw, problems)
    weeks = _number(raw, "conservative_weeks", 0, MAX_WEEKS, problems, unit="weeks")
    if raw.get("conservative_weeks") is None:
        problems.append(InputProblem(
            "conservative_weeks",
            "is required: weeks of physiotherapy, exercise or medicines so far (0 if none)",
        ))
    benefit = _choice(raw, "benefit", Benefit, problems)
    if weeks is not None and weeks > 0 and benefit is None and raw.get("benefit") is None:
        problems.append(InputProblem(
            "benefit", "is required when conservative care has been tried: none, some or good"
        ))
    deficit = _choice(raw, "deficit", Deficit, problems)
    if raw.get("deficit") is None:
        problems.append(InputProblem(
            "deficit",
            "is required: none, stable or progressive (weakness or numbness getting worse)",
        ))
    severe = raw.get("severe_deficit", False)
    if severe is None:
        severe = False
    if not isinstance(severe, bool):
        problems.append(InputProblem("severe_deficit", f"must be true or false, got {severe!r}"))
        severe = False

    signs = _warning_signs(raw, problems)
    unanswered = tuple(k for k in WARNING_SIGNS if k not in signs)
    wrong_type = raw.get("warning_signs") is not None and not isinstance(
        raw.get("warning_signs"), Mapping)
    if unanswered and not wrong_type:
        problems.append(unanswered_problem(unanswered))
    result = DecisionInput(
        condition=condition or "",
        conservative_weeks=weeks or 0.0,
        benefit=benefit,
        deficit=deficit or Deficit.NONE,
        severe_deficit=severe,
        red_flags=tuple(k for k in WARNING_SIGNS if signs.get(k) is Answer.YES),
        warning_signs=signs,
        odi=_number(raw, "odi", 0, 100, problems, unit="%"),
        zcq_symptom=_number(raw, "zcq_symptom", 1, 5, problems),
        zcq_function=_number(raw, "zcq_function", 1, 4, problems),
        pain_nrs=_number(raw, "pain_nrs", 0, 10, problems),
        walking_distance_m=_number(raw, "walking_distance_m", 0, MAX_WALK_M, problems, unit="m"),
        injections_12m=int(
            _number(raw, "injections_12m", 0, MAX_INJECTIONS, problems, integer=True) or 0
        ),
        values=_values(raw, value_questions, problems),
    )
    if problems:
        raise DecisionInputError(problems)
    return result


def signs_only(raw: Mapping[str, Any]) -> DecisionInput | None:
    """The warning-sign answers of an otherwise invalid input, or None when none were given.

    A warning sign must never be hidden behind a typo in another field: callers
    evaluate this input when full validation fails, and use its result if a sign
    stops the aid. Unknown sign names are ignored here; full validation reports them.
    """
    if not isinstance(raw, Mapping):
        return None
    signs = _warning_signs(raw, [])
    if not signs:
        return None
    condition = raw.get("condition")
    deficit = raw.get("deficit")
    severe = raw.get("severe_deficit")
    return DecisionInput(
        condition=condition if condition in SUPPORTED_CONDITIONS else "",
        conservative_weeks=0.0,
        benefit=None,
        # A deficit given in a valid form still counts (cancer or fever with a deficit).
        deficit=Deficit(deficit) if deficit in {d.value for d in Deficit} else Deficit.NONE,
        severe_deficit=severe is True,
        red_flags=tuple(k for k in WARNING_SIGNS if signs.get(k) is Answer.YES),
        warning_signs=signs,
    )
