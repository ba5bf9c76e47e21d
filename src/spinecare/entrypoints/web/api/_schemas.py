"""Request and response models of the JSON API. Strict where lax coercion would be wrong:
``"71"`` is not an age and ``1`` is not ``true``.

Responses are not written out again here: a triage result is the clinical core's
``TriageResult`` and a saved record is the services' read model (``services/views.py``);
FastAPI derives their JSON Schema from those dataclasses with pydantic, so the contract has
one source. Only what a door adds around them is declared here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Path as FastAPIPath
from fastapi import Query
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    model_validator,
)

from spinecare.adapters.instrument_files import INSTRUMENT_IDS, load_definitions
from spinecare.clinical.instruments import InstrumentDefinition
from spinecare.clinical.instruments.describe import describe
from spinecare.clinical.instruments.totals import total_fields
from spinecare.clinical.triage.interview import Question
from spinecare.clinical.triage.result import TriageResult
from spinecare.clinical.vocabulary import VOCABULARY, FindingType
from spinecare.services.accounts import EMAIL_PATTERN
from spinecare.services.triage import MAX_FINDINGS, TriageOutcome, too_many


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# C0 control characters and DEL, except tab, line feed and carriage return: PostgreSQL
# cannot store NUL (a 500 before), and none of them belongs in a name, an e-mail or an id.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NO_CONTROL_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# "Not only spaces" and "no control characters" as one pattern (one per field in JSON Schema).
NOT_BLANK_TEXT_PATTERN = (
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^ \t\n\r\f\v\x00-\x1f\x7f]"
    r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
)
# The same with any Unicode space counting as blank (the search box: "\S" before).
NOT_BLANK_QUERY_PATTERN = (
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
)


def control_char_message(value: str) -> str | None:
    """What is wrong with ``value`` if it holds a control character, else None."""
    found = CONTROL_CHARS.search(value)
    if found is None:
        return None
    return (f"must not contain control characters; found {found.group()!r} at position "
            f"{found.start()}: remove it")


def _no_control_chars(value: Any) -> Any:
    message = control_char_message(value) if isinstance(value, str) else None
    if message:
        raise ValueError(message)
    return value


# Text from a client: checked before the field's own pattern, so the message says what
# is wrong. Fields give ``pattern=NO_CONTROL_PATTERN`` (or NOT_BLANK_TEXT_PATTERN) so the
# OpenAPI document states the rule too.
Text = Annotated[StrictStr, BeforeValidator(_no_control_chars)]


def _at_most_vocabulary(value: Any) -> Any:
    """Refuse an over-long findings object or unsure list before anything else is done
    with it (each unknown key would cost a spelling suggestion)."""
    if isinstance(value, dict) and len(value) > MAX_FINDINGS:
        raise ValueError(too_many(len(value)))
    if isinstance(value, list):
        unique = {item for item in value if isinstance(item, str)}
        if len(unique) > MAX_FINDINGS:
            raise ValueError(too_many(len(unique)))
    return value


FindingValue = StrictBool | StrictInt | float | StrictStr | None


def findings_json_schema() -> dict[str, Any]:
    """The findings object as JSON Schema, generated from the vocabulary (one source).

    Validation itself is ``parse_findings`` (its messages name the key and suggest the
    closest); this only documents the shape. Age and sex are top-level fields.
    """
    properties: dict[str, Any] = {}
    for key, definition in VOCABULARY.items():
        if key in ("age", "sex"):
            continue
        if definition.type is FindingType.BOOL:
            prop: dict[str, Any] = {"type": ["boolean", "null"]}
        elif definition.type is FindingType.CHOICE:
            prop = {"enum": [*definition.choices, None]}
        else:
            kind = "integer" if definition.type is FindingType.INTEGER else "number"
            prop = {"type": [kind, "null"], "minimum": definition.minimum,
                    "maximum": definition.maximum}
        unit = f" ({definition.unit})" if definition.unit else ""
        prop["description"] = definition.meaning + unit
        properties[key] = prop
    return {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "description": "Finding key → value; null or absent = unknown (never the same as false).",
        "examples": [{"bladder_dysfunction": False, "leg_pain": True,
                      "leg_symptoms_walking": True}],
    }


def _whole_years(value: float) -> int:
    if not float(value).is_integer():
        raise ValueError(f"must be a whole number of years, got {value!r}")
    return int(value)


# 71 and 71.0 are the same age (JSON does not tell them apart); "71" and true are not ages.
WholeYears = Annotated[
    float,
    Field(strict=True, ge=0, le=120),
    AfterValidator(_whole_years),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 120}),
]


class TriageRequest(Strict):
    age: WholeYears | None = Field(None, description="Age in whole years.")
    sex: Literal["female", "male"] | None = None
    findings: Annotated[
        dict[str, FindingValue],
        BeforeValidator(_at_most_vocabulary),
        WithJsonSchema(findings_json_schema()),
    ] = Field(default_factory=dict)
    unsure: Annotated[
        list[Text],
        BeforeValidator(_at_most_vocabulary),
        WithJsonSchema({"type": "array", "items": {"enum": sorted(VOCABULARY)}}),
    ] = Field(
        default_factory=list,
        description="Findings the person answered 'not sure' (never read as 'no': an "
        "unsure answer about an emergency sign raises the level). A finding is either "
        f"answered (in `findings`, or `age` / `sex`) or listed here, not both (422). At "
        f"most {MAX_FINDINGS} different keys.",
    )
    uncertain: Annotated[
        list[Text],
        BeforeValidator(_at_most_vocabulary),
        WithJsonSchema({"type": "array", "items": {"enum": sorted(VOCABULARY)}}),
    ] = Field(
        default_factory=list,
        description="Findings the person's own words left unclear: the `uncertain` list of "
        "POST /api/v1/intake. The interview asks them first; an emergency sign among them "
        "that is not answered in `findings` counts as 'not sure' (never as 'no'), exactly as "
        "on the web and in the CLI.",
    )


class AnswerIn(Strict):
    finding: Annotated[Text, WithJsonSchema({"enum": sorted(VOCABULARY)})] = Field(
        description="The finding the question sets (the `finding` of the question asked).")
    text: Text = Field(
        min_length=1, max_length=200, pattern=NO_CONTROL_PATTERN,
        description="The person's answer as typed: yes / no / not sure (and everyday "
        "variants), a choice, or a number with units or in words ('about 200 m', "
        "'1,500 m', '1.5 km', 'half a mile', '3 months').",
        examples=["about 200 m"])


class NextQuestionRequest(TriageRequest):
    answer: AnswerIn | None = Field(
        None, description="A raw answer to read and add before choosing the next question. "
        "Read by the same parser as the web and the CLI; an answer it cannot read is a 422 "
        "naming `answer.text` with how to fix it.")


@dataclass(slots=True)
class TriageResponse(TriageResult):
    """The body of POST /api/v1/triage: every field of the clinical core's ``TriageResult``
    (inherited, so its schema is derived from the dataclass), then what the door adds."""

    # Every field is always sent: required in the schema a client reads.
    __pydantic_config__ = ConfigDict(json_schema_serialization_defaults_required=True)

    provisional: Annotated[bool, Field(
        description="True while warning-sign questions that apply are still open: the "
        "result is provisional and must not be shown as final.")] = False
    provisional_notice: Annotated[str | None, Field(
        description="The sentence to show with a provisional result: 'Provisional: these "
        "questions are still open: …' with the open questions listed (null when final).")] = None
    saved_check_id: Annotated[int | None, Field(
        description="Id in your history when a signed-in patient ran the check.")] = None

    @classmethod
    def of(cls, outcome: TriageOutcome) -> TriageResponse:
        # Every field of the result by name, so a field added to TriageResult is sent too.
        result = {f.name: getattr(outcome.result, f.name) for f in fields(TriageResult)}
        return cls(
            **result, provisional=outcome.provisional,
            provisional_notice=outcome.provisional_notice,
            saved_check_id=outcome.saved_check_id,
        )


class AnswerRead(BaseModel):
    finding: str
    value: FindingValue = Field(description="The value read from the text; null is 'not sure'.")


class InterviewStateOut(BaseModel):
    """Everything known so far, in the request's shape: send it back (with the next
    ``answer``) to continue, or to POST /api/v1/triage for the result."""

    age: int | None = None
    sex: Literal["female", "male"] | None = None
    findings: dict[str, FindingValue] = {}
    unsure: list[str] = []
    uncertain: list[str] = Field([], description="Unclear keys not answered yet.")


class NextQuestionResponse(BaseModel):
    question: Question | None = Field(
        description="The next most useful question, or null when nothing more is needed."
    )
    answer: AnswerRead | None = Field(
        None, description="How the request's `answer` text was read (null without one).")
    state: InterviewStateOut | None = Field(
        None, description="The findings after the answer: the body of the next request.")


class RegisterRequest(Strict):
    email: Text = Field(max_length=254, pattern=EMAIL_PATTERN, examples=["ana@example.org"])
    password: Text = Field(
        min_length=10, max_length=256, pattern=NOT_BLANK_TEXT_PATTERN,
        description="10-256 characters.",
    )
    name: Text = Field(min_length=1, max_length=200, pattern=NOT_BLANK_TEXT_PATTERN)
    role: Literal["patient", "clinician"] = "patient"


class LoginRequest(Strict):
    email: Text = Field(max_length=254, pattern=NO_CONTROL_PATTERN)
    password: Text = Field(max_length=1024, pattern=NO_CONTROL_PATTERN)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


# Deliberately a subset of the services' ``UserView``, not derived from it: a patient
# choosing whom to share with is not shown a clinician's role, approval, verification or
# sign-up date (a field added to UserView must not reach this list by itself).
class ClinicianOut(BaseModel):
    id: int
    name: str
    email: str


class GrantRequest(Strict):
    clinician_email: Text = Field(max_length=254, pattern=NO_CONTROL_PATTERN)


PAPER_DATE_SCHEMA = {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
                     "description": "The day the paper form was filled in (default today)."}


def _paper_schema(definition: InstrumentDefinition) -> dict[str, Any]:
    """The ``paper`` object of one instrument: its total, number answered or subscale means,
    with the allowed ranges (from ``total_fields``, the rule the service checks)."""
    properties: dict[str, Any] = {"completed_on": PAPER_DATE_SCHEMA}
    required: list[str] = []
    subscales: dict[str, Any] = {}
    sub_required: list[str] = []
    for f in total_fields(definition):
        number: dict[str, Any] = {
            "type": "integer" if f.whole else "number",
            "minimum": float(f.min) if not f.whole else int(f.min),
            "maximum": float(f.max) if not f.whole else int(f.max),
            "description": f.label + (f". {f.hint}" if f.hint else ""),
        }
        if not f.required and not f.name.startswith("subscales."):
            number = {"anyOf": [{k: v for k, v in number.items() if k != "description"},
                                {"type": "null"}], "description": number["description"]}
        if f.name.startswith("subscales."):
            key = f.name.removeprefix("subscales.")
            subscales[key] = number
            if f.required:
                sub_required.append(key)
        else:
            properties[f.name] = number
            if f.required:
                required.append(f.name)
    if subscales:
        properties["subscales"] = {"type": "object", "properties": subscales,
                                   "required": sub_required, "additionalProperties": False}
        if sub_required:
            required.append("subscales")
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": False}


def questionnaire_submission_schema(
    shipped: dict[str, InstrumentDefinition],
) -> dict[str, Any]:
    """One alternative per instrument, with its item ids and allowed values (from the
    instrument definitions, so the documentation cannot drift from the scoring), and one
    per instrument for a total recorded from a paper form (``paper``)."""
    variants = []
    for instrument_id in INSTRUMENT_IDS:
        info = describe(shipped[instrument_id])
        items = {
            item["id"]: {"enum": [*item["allowed_values"], None],
                         "description": item.get("label") or item["id"]}
            for item in info["items"]
        }
        variants.append({
            "type": "object",
            "title": info["name"],
            "properties": {
                "instrument_id": {"const": instrument_id},
                "answers": {"type": "object", "properties": items,
                            "additionalProperties": False},
            },
            "required": ["instrument_id", "answers"],
            "additionalProperties": False,
        })
    for instrument_id in INSTRUMENT_IDS:
        definition = shipped[instrument_id]
        variants.append({
            "type": "object",
            "title": f"{definition.name}: a total from a paper form",
            "description": "The questionnaire was filled in on paper; give what it adds up "
                           "to. Scored, banded and trended like answers given item by item.",
            "properties": {
                "instrument_id": {"const": instrument_id},
                "paper": _paper_schema(definition),
            },
            "required": ["instrument_id", "paper"],
            "additionalProperties": False,
        })
    return {"oneOf": variants, "title": "QuestionnaireSubmission"}


class PaperTotal(Strict):
    """A questionnaire filled in on paper, entered as its total."""

    total: StrictInt | None = Field(
        default=None, description="What the form adds up to (ODI/NDI: the sum of the "
        "section scores; RMDQ: statements that apply; STarT Back, mJOA: the total).")
    answered: StrictInt | None = Field(
        default=None, description="ODI, NDI, RMDQ: items answered (default all).")
    subscales: dict[Text, StrictInt | StrictFloat] = Field(
        default_factory=dict, max_length=10,
        description="ZCQ: each part's mean; STarT Back: the psychosocial score.")
    completed_on: date | None = Field(
        default=None, strict=False, description="The day the form was filled in "
        "(YYYY-MM-DD; default today).")


class QuestionnaireSubmission(Strict):
    instrument_id: Text = Field(
        max_length=80, pattern=NO_CONTROL_PATTERN,
        description="odi, ndi, rmdq, zcq, startback, mjoa or nrs",
    )
    answers: dict[str, StrictInt | None] | None = Field(
        default=None,
        description="Item id → the chosen option's value (null = skipped).",
        examples=[{"pain_intensity": 2, "personal_care": 1}],
    )
    paper: PaperTotal | None = Field(
        default=None, description="Instead of answers: a total from a paper form.")

    @model_validator(mode="after")
    def _answers_or_paper(self) -> QuestionnaireSubmission:
        if (self.answers is None) == (self.paper is None):
            raise ValueError("give either answers (item by item) or paper (a total from a "
                             "paper form)")
        return self


# The OpenAPI schema is made once, when this module is imported, from the shipped
# definitions read once here (item ids and values: a clinic's licensed wording changes
# neither). Scoring uses the application's catalogue (InstrumentService), not this.
QUESTIONNAIRE_SUBMISSION_SCHEMA = questionnaire_submission_schema(load_definitions())
# The body of both questionnaire routes: validated by the model, documented per instrument.
QuestionnaireSubmissionBody = Annotated[
    QuestionnaireSubmission, WithJsonSchema(QUESTIONNAIRE_SUBMISSION_SCHEMA)
]


class DeleteAccountRequest(Strict):
    password: Text = Field(
        max_length=1024, pattern=NO_CONTROL_PATTERN,
        description="Your current password, to confirm.",
    )


class Message(BaseModel):
    detail: str


class ValidationProblem(BaseModel):
    detail: list[dict[str, Any]]
    errors: dict[str, str] = Field(description="One plain message per field.")


# Documented on every route: what a client may get back besides success.
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Message, "description": "Not signed in, or the token is invalid or expired."},
    403: {"model": Message, "description": "Signed in, but not allowed."},
    404: {"model": Message, "description": "Not found (or not yours to see)."},
    422: {"model": ValidationProblem, "description": "Invalid input: a message per field."},
}


# A row id in a path: positive and within PostgreSQL's INTEGER.
RowId = Annotated[int, FastAPIPath(ge=1, le=2_147_483_647)]
# An instrument id as a filter (?instrument_id=odi); no control characters (NUL was a 500
# on PostgreSQL; spinecare.entrypoints.web.body_limit refuses them in every query string).
InstrumentFilter = Annotated[
    str | None,
    Query(max_length=80, pattern=NO_CONTROL_PATTERN,
          description="Only this instrument's responses (odi, ndi, rmdq, zcq, startback, "
                      "mjoa or nrs)."),
]


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: ERRORS[code] for code in codes}
