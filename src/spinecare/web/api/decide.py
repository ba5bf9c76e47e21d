"""POST /api/v1/decide: the treatment decision aid. Anyone may ask; nothing is stored."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from spinecare.clinical.decision import DecisionInputError
from spinecare.services.actor import Actor
from spinecare.services.decision_aid import decide, load_grid
from spinecare.services.errors import InvalidInput
from spinecare.web.api._schemas import errors
from spinecare.web.auth import current_actor

router = APIRouter(prefix="/api/v1", tags=["decision aid"])


class DecideRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    condition: StrictStr = Field(
        description="lumbar_spinal_stenosis, lumbar_radiculopathy_disc_herniation, "
        "cervical_radiculopathy, cervical_myelopathy or nonspecific_low_back_pain.",
        examples=["lumbar_spinal_stenosis"],
    )
    conservative_weeks: float = Field(
        description="Weeks of physiotherapy, exercise or medicines so far (0 if none).",
        examples=[20],
    )
    benefit: Literal["none", "some", "good"] | None = Field(
        None, description="How much conservative care helped (required if weeks > 0)."
    )
    deficit: Literal["none", "stable", "progressive"] = Field(
        description="Weakness or numbness: none, stable, or getting worse."
    )
    severe_deficit: StrictBool = Field(False, description="A severe deficit such as foot drop.")
    red_flags: list[StrictStr] = Field(
        default_factory=list,
        description="Warning signs present now (finding keys, e.g. bladder_dysfunction, fever).",
    )
    odi: float | None = Field(None, description="Oswestry Disability Index, % (0-100).")
    zcq_symptom: float | None = Field(None, description="ZCQ symptom severity (1-5).")
    zcq_function: float | None = Field(None, description="ZCQ physical function (1-4).")
    pain_nrs: float | None = Field(None, description="Worst pain now, 0-10.")
    walking_distance_m: float | None = Field(None, description="Metres before having to stop.")
    injections_12m: StrictInt = Field(0, description="Epidural injections in the past 12 months.")
    values: dict[StrictStr, StrictStr] = Field(
        default_factory=dict,
        description="Values-clarification answers: question id -> a_lot / somewhat / not_much.",
        examples=[{"walk_further": "a_lot"}],
    )


class DecideResponse(BaseModel):
    input: dict[str, Any]
    bypassed: bool = Field(description="True when a red flag stopped the aid (see advice).")
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


def country_of(request: Request) -> str:
    settings = getattr(request.app.state, "settings", None)
    return getattr(settings, "country", "") or ""


def run_decision(raw: dict[str, Any], country: str) -> Any:
    """Validate and evaluate; invalid input becomes the API's 422 with one message per field."""
    try:
        return decide(raw, country=country)
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
async def decide_endpoint(
    body: DecideRequest, request: Request, actor: Actor = Depends(current_actor)
):
    """Where the person is on the stepped pathway (conservative care first; surgery
    discussed after about 3 months without enough benefit, sooner with a progressive or
    severe deficit; red flags bypass the aid with emergency or urgent advice), each
    option's status with rule ids and references, and the option grid. Stores nothing."""
    report = run_decision(body.model_dump(), country_of(request))
    return _json(report.to_dict())


@router.get(
    "/decide/options",
    response_model=OptionGridResponse,
    summary="The treatment option grid, values questions and questions for the surgeon",
)
async def option_grid(actor: Actor = Depends(current_actor)):
    """The content of the decision aid without any personal data."""
    grid = load_grid()
    return _json({
        "version": grid.version,
        "options": [o.to_dict() for o in grid.options],
        "values_questions": [
            {"id": q.id, "text": q.text, "leans_towards": list(q.leans_towards)}
            for q in grid.values
        ],
        "scale": [{"id": a, "label": label} for a, label in grid.scale],
        "surgeon_questions": list(grid.surgeon_questions),
    })
