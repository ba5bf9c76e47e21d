"""POST /api/v1/decide: the treatment decision aid. Anyone may ask; nothing is stored."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, create_model

from spinecare.clinical.decision import (
    SUPPORTED_CONDITIONS,
    WARNING_SIGNS,
    DecisionInputError,
)
from spinecare.entrypoints.web.api._schemas import errors
from spinecare.entrypoints.web.auth import current_actor, get_services
from spinecare.services.actor import Actor
from spinecare.services.decision_aid import (
    VALUE_ANSWERS,
    DecisionAidService,
    DecisionReport,
    load_grid,
)
from spinecare.services.errors import InvalidInput

router = APIRouter(prefix="/api/v1", tags=["decision aid"])


ValueAnswer = Literal[VALUE_ANSWERS]  # type: ignore[valid-type]
# Values answers: one optional field per question of the content file. The OpenAPI schema
# is made once, when this module is imported, from the shipped grid read once here (the
# questions' ids and text); the answers themselves are judged by services.decision_aid,
# which loads (and checks) the grid once for the application.
SHIPPED_GRID = load_grid()
_VALUE_FIELDS: dict[str, Any] = {
    q.id: (ValueAnswer | None, Field(None, description=q.text)) for q in SHIPPED_GRID.values
}
ValuesAnswers = create_model(
    "ValuesAnswers", __config__=ConfigDict(extra="forbid", strict=True), **_VALUE_FIELDS
)
Condition = Literal[tuple(SUPPORTED_CONDITIONS)]  # type: ignore[valid-type]
RedFlag = Literal[tuple(WARNING_SIGNS)]  # type: ignore[valid-type]
SignAnswer = StrictBool | Literal["not_sure"]
# One field per warning sign (finding keys shared with the symptom check); each must be
# answered true, false or "not_sure" before the aid compares treatments. The service
# decides what is missing (services.decision_aid.decide), so that a sign already present
# gives its advice even when others are unanswered: one door, one rule.
_SIGN_FIELDS: dict[str, Any] = {
    k: (SignAnswer | None, Field(None, description=s.question)) for k, s in WARNING_SIGNS.items()
}
WarningSignAnswers = create_model(
    "WarningSignAnswers", __config__=ConfigDict(extra="forbid", strict=True), **_SIGN_FIELDS
)


def _num(lo: float, hi: float, description: str, default: Any = None) -> Any:
    return Field(default, ge=lo, le=hi, allow_inf_nan=False, description=description)


class DecideRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    condition: Condition = Field(examples=["lumbar_spinal_stenosis"])  # type: ignore[valid-type]
    conservative_weeks: float = Field(
        ge=0, le=520, allow_inf_nan=False, examples=[20],
        description="Weeks of physiotherapy, exercise or medicines so far (0 if none).",
    )
    benefit: Literal["none", "some", "good"] = Field(
        description="How much conservative care helped (ignored when conservative_weeks is 0)."
    )
    deficit: Literal["none", "stable", "progressive"] = Field(
        description="Weakness or numbness: none, stable, or getting worse."
    )
    severe_deficit: StrictBool = Field(False, description="A severe deficit such as foot drop.")
    warning_signs: WarningSignAnswers = Field(  # type: ignore[valid-type]
        default_factory=WarningSignAnswers,
        description=(
            "An answer to every warning sign: true (yes), false (no) or \"not_sure\". An "
            "unanswered sign is never read as no: a request missing any gets 422 naming "
            "each one, unless a sign already present needs emergency or urgent advice, "
            "which is then given. \"not_sure\" about a sign that is urgent or an "
            "emergency on its own stops the comparison and says to get checked."),
    )
    red_flags: list[RedFlag] = Field(  # type: ignore[valid-type]
        default_factory=list,
        description=("Older form, still accepted: warning signs present now (each id = a "
                     "true answer in warning_signs). The other signs still need answers."),
    )
    odi: float | None = _num(0, 100, "Oswestry Disability Index, %.")
    zcq_symptom: float | None = _num(1, 5, "ZCQ symptom severity (1-5).")
    zcq_function: float | None = _num(1, 4, "ZCQ physical function (1-4).")
    pain_nrs: float | None = _num(0, 10, "Worst pain now, 0-10.")
    walking_distance_m: float | None = _num(0, 100_000, "Metres before having to stop.")
    # A whole number; typed as number with multipleOf 1 so that 13.0 (valid JSON Schema
    # "integer") is accepted as well as 13.
    injections_12m: float = Field(
        0, ge=0, le=52, multiple_of=1, allow_inf_nan=False,
        description="Epidural injections in the past 12 months (a whole number).",
    )
    values: ValuesAnswers = Field(  # type: ignore[valid-type]
        default_factory=ValuesAnswers,
        description="Values-clarification answers (optional): question id -> answer.",
    )

    def to_raw(self) -> dict[str, Any]:
        raw = self.model_dump()
        raw["values"] = {k: v for k, v in raw["values"].items() if v is not None}
        raw["warning_signs"] = {k: v for k, v in raw["warning_signs"].items() if v is not None}
        raw["injections_12m"] = int(raw["injections_12m"])
        return raw


class DecideResponse(BaseModel):
    input: dict[str, Any]
    bypassed: bool = Field(description="True when a warning sign stopped the aid (see advice).")
    stage: Literal["emergency", "urgent_review", "conservative_first", "continue_conservative",
                   "surgical_discussion", "surgical_opinion_soon", "rehabilitation_review"]
    stage_title: str
    stage_reasons: list[dict[str, Any]]
    advice: dict[str, Any] | None
    options: list[dict[str, Any]] = Field(description="Status of each option, with reasons.")
    notes: list[dict[str, Any]]
    rule_ids: list[str]
    safety_net: str
    rules_version: str
    open_warning_signs: list[str] = Field(
        description="Warning signs left unanswered (only on emergency or urgent advice).")
    knowledge_version: str
    disclaimer: str
    option_grid: list[dict[str, Any]] = Field(description="The full IPDAS-style option grid.")
    values_questions: list[dict[str, Any]]
    surgeon_questions: list[str]
    references: list[dict[str, Any]]


class OptionGridResponse(BaseModel):
    version: str
    options: list[dict[str, Any]]
    values_questions: list[dict[str, Any]]
    scale: list[dict[str, str]]
    surgeon_questions: list[str]


def _json(data: object) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json")


def run_decision(aid: DecisionAidService, raw: dict[str, Any]) -> DecisionReport:
    """Validate and evaluate; invalid input becomes the API's 422 with one message per field."""
    try:
        return aid.decide(raw)
    except DecisionInputError as exc:
        problems: dict[str, str] = {}
        for p in exc.problems:
            problems[p.field] = f"{problems[p.field]}; {p.message}" if p.field in problems \
                else p.message
        raise InvalidInput(problems) from None


@router.post(
    "/decide",
    response_model=DecideResponse,
    responses=errors(401, 422),
    summary="Place a person on the stepped treatment pathway",
)
def decide_endpoint(
    body: DecideRequest, request: Request, actor: Actor = Depends(current_actor)
):
    """Where the person is on the stepped pathway (conservative care first; surgery
    discussed after about 3 months without enough benefit, sooner with a progressive or
    severe deficit), each option's status with rule ids and references, and the option
    grid. Every warning sign must be answered (``warning_signs``: true, false or
    "not_sure"; a missing one is a 422 naming it); the symptom check's red-flag rules
    decide what the answers lead to, and emergency or urgent advice (or "not sure" about
    a serious sign) replaces the comparison. Stores nothing."""
    # The same use case as the /decide page (emergency number from the settings). A plain
    # ``def`` like the page's handler: the aid runs in FastAPI's threadpool, off the loop.
    report = run_decision(get_services(request).decision_aid, body.to_raw())
    return _json(report.to_dict())


@router.get(
    "/decide/options",
    response_model=OptionGridResponse,
    summary="The treatment option grid, values questions and questions for the surgeon",
)
def option_grid(request: Request, actor: Actor = Depends(current_actor)):
    """The content of the decision aid without any personal data."""
    grid = get_services(request).decision_aid.grid
    return _json({
        "version": grid.version,
        "options": [o.to_dict() for o in grid.options],
        "values_questions": [{"id": q.id, "text": q.text} for q in grid.values],
        "scale": [{"id": a, "label": label} for a, label in grid.scale],
        "surgeon_questions": list(grid.surgeon_questions),
    })
