"""POST /api/v1/intake: a person's own words -> findings, each with the text behind it.

Public (the symptom check is open to everyone) and stores nothing. Findings the
person was unsure about are listed in ``uncertain`` and left unknown, so the
interview (or the caller) asks them.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from spinecare.entrypoints.web.api._schemas import NO_CONTROL_PATTERN, Text, errors
from spinecare.entrypoints.web.auth import get_spinecare

router = APIRouter(prefix="/api/v1", tags=["free-text intake"])

MAX_TEXT_CHARS = 5000


class IntakeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    text: Text = Field(
        min_length=1, max_length=MAX_TEXT_CHARS, pattern=NO_CONTROL_PATTERN,
        description="What the person wrote, in their own words.",
        examples=["my legs ache when I walk but not on my bike, no problems peeing"],
    )


class SpanOut(BaseModel):
    key: str = Field(description="Finding key (FINDINGS.md).")
    value: StrictBool | StrictInt | float | StrictStr | None = Field(
        description="The value this text gives the finding (null: an unsure mention).")
    text: str = Field(description="The words behind it, exactly as written.")
    start: int = Field(description="Character offset of the words in `text`.")
    end: int
    negated: bool
    uncertain: bool
    rule: str = Field(description="The lexicon entry (or number extractor) that matched.")


class IntakeResponse(BaseModel):
    findings: dict[str, StrictBool | StrictInt | float | StrictStr] = Field(
        description="Known findings only; anything unsure or unmentioned is absent (unknown).")
    spans: list[SpanOut]
    uncertain: list[str] = Field(
        description="Findings mentioned but left unknown because the person was unsure.")


@router.post(
    "/intake",
    response_model=IntakeResponse,
    summary="Turn free text into findings (negation and uncertainty aware)",
    responses=errors(422),
)
async def intake(request: Request, body: IntakeRequest) -> dict[str, object]:
    app = get_spinecare(request)
    # The app's one pipeline, loaded (about a second) by the first request that reads text:
    # in the worker thread, with the reading, never on the event loop.
    result = await run_in_threadpool(lambda: app.extractor.extract(body.text))
    return result.to_dict()
