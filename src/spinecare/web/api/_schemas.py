"""Request and response models of the JSON API. Strict where lax coercion would be wrong:
``"71"`` is not an age and ``1`` is not ``true``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path as FastAPIPath
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    WithJsonSchema,
)

from spinecare.clinical.vocabulary import VOCABULARY, FindingType
from spinecare.services.accounts import EMAIL_PATTERN, NOT_BLANK_PATTERN


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


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
        dict[str, FindingValue], WithJsonSchema(findings_json_schema())
    ] = Field(default_factory=dict)
    unsure: Annotated[
        list[StrictStr],
        WithJsonSchema({
            "type": "array",
            "items": {"enum": sorted(k for k in VOCABULARY if k not in ("age", "sex"))},
        }),
    ] = Field(
        default_factory=list,
        description="Findings the person answered 'not sure' (never read as 'no': an "
        "unsure answer about an emergency sign raises the level). A finding is either "
        "answered in `findings` or listed here, not both (422).",
    )


class TriageResponse(BaseModel):
    level: Literal["emergency", "urgent", "routine", "self_care"]
    complete: bool
    reasons: list[dict[str, Any]]
    conditions: list[dict[str, Any]]
    open_questions: list[dict[str, Any]]
    advice: dict[str, Any]
    knowledge_version: str
    scores: list[dict[str, Any]] = []
    disclaimer: str
    unsure: list[str] = []
    saved_check_id: int | None = Field(
        None, description="Id in your history when a signed-in patient ran the check."
    )


class QuestionOut(BaseModel):
    finding: str
    text: str
    help: str
    kind: str
    reason: str
    red_flag: bool
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    choices: list[str] = []


class NextQuestionResponse(BaseModel):
    question: QuestionOut | None = Field(
        description="The next most useful question, or null when nothing more is needed."
    )


class RegisterRequest(Strict):
    email: StrictStr = Field(max_length=254, pattern=EMAIL_PATTERN, examples=["ana@example.org"])
    password: StrictStr = Field(
        min_length=10, max_length=256, pattern=NOT_BLANK_PATTERN, description="10-256 characters."
    )
    name: StrictStr = Field(min_length=1, max_length=200, pattern=NOT_BLANK_PATTERN)
    role: Literal["patient", "clinician"] = "patient"


class LoginRequest(Strict):
    email: StrictStr = Field(max_length=254)
    password: StrictStr = Field(max_length=1024)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    approved: bool
    created_at: str


class ClinicianOut(BaseModel):
    id: int
    name: str
    email: str


class GrantRequest(Strict):
    clinician_email: StrictStr = Field(max_length=254)


class GrantOut(BaseModel):
    id: int
    patient_id: int
    patient_name: str
    clinician_id: int
    clinician_name: str
    clinician_email: str
    granted_at: str
    revoked_at: str | None
    active: bool


class TriageRecordOut(BaseModel):
    id: int
    patient_id: int
    created_at: str
    level: str
    top_condition: str | None
    complete: bool
    knowledge_version: str
    findings: dict[str, Any]
    result: dict[str, Any]


class ResponseRecordOut(BaseModel):
    id: int
    patient_id: int
    instrument_id: str
    definition_version: str
    created_at: str
    answers: dict[str, Any]
    score: dict[str, Any]


class AuditRecordOut(BaseModel):
    id: int
    at: str
    actor_id: int | None
    actor_name: str
    actor_role: str
    action: str
    resource: str
    resource_id: str | None
    patient_id: int | None
    ip: str
    detail: str


class PatientSummaryOut(BaseModel):
    id: int
    name: str
    email: str
    latest_level: str | None
    latest_check_at: str | None
    latest_top_condition: str | None
    checks: int
    latest_scores: dict[str, Any]


def questionnaire_submission_schema() -> dict[str, Any]:
    """One alternative per instrument, with its item ids and allowed values (from the
    instrument definitions, so the documentation cannot drift from the scoring)."""
    from spinecare.clinical.instruments.describe import describe
    from spinecare.instruments_loader import INSTRUMENT_IDS, get_definition

    variants = []
    for instrument_id in INSTRUMENT_IDS:
        info = describe(get_definition(instrument_id))
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
    return {"oneOf": variants, "title": "QuestionnaireSubmission"}


class QuestionnaireSubmission(Strict):
    instrument_id: StrictStr = Field(
        max_length=80, description="odi, ndi, rmdq, zcq, startback, mjoa or nrs"
    )
    answers: dict[str, StrictInt | None] = Field(
        description="Item id → the chosen option's value (null = skipped).",
        examples=[{"pain_intensity": 2, "personal_care": 1}],
    )


class DeleteAccountRequest(Strict):
    password: StrictStr = Field(max_length=1024, description="Your current password, to confirm.")


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


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: ERRORS[code] for code in codes}
