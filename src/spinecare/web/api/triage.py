"""POST /api/v1/triage: anyone may ask; a signed-in patient's check is saved to their history."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import ValidationError
from pydantic_core import to_json
from starlette.concurrency import run_in_threadpool

from spinecare.clinical.findings import Findings
from spinecare.clinical.vocabulary import VOCABULARY
from spinecare.services import Services
from spinecare.services.actor import Actor
from spinecare.services.triage import build_findings, validate_unsure
from spinecare.web.api._schemas import (
    NextQuestionResponse,
    TriageRequest,
    TriageResponse,
    errors,
)
from spinecare.web.auth import current_actor, get_services

# Matched first: the busiest paths (see spinecare.web.app.discover_routers).
ROUTER_PRIORITY = 1
router = APIRouter(prefix="/api/v1", tags=["triage"])


def _json(data: object) -> Response:
    # pydantic-core's serializer (Rust): a third of json.dumps's time on the hot path.
    return Response(to_json(data), media_type="application/json")


def _parse_body(raw: bytes) -> TriageRequest:
    """Parse and validate in one step (pydantic's Rust JSON parser): the same rules and
    the same 422 as a declared body parameter, without FastAPI's generic body handling,
    which costs more than the validation itself on this, the busiest route."""
    if not raw:
        raise RequestValidationError(
            [{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}]
        )
    try:
        return TriageRequest.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None


def _validated(body: TriageRequest) -> tuple[Findings, frozenset[str]]:
    findings = build_findings(body.findings, age=body.age, sex=body.sex)
    return findings, validate_unsure(body.unsure, findings)


def _run_triage(
    body: TriageRequest, actor: Actor, services: Services
) -> tuple[dict[str, Any], int | None]:
    findings, unsure = _validated(body)
    return services.triage.check(actor, findings, unsure)


def _cheap(body: TriageRequest, actor: Actor) -> bool:
    """Anonymous, and every key known: nothing to store and no spelling suggestions, so
    the whole check is bounded tiny work (at most one key per finding, about 20 µs of
    rules) and runs inline. Anything else (a save, unknown keys) goes to a worker thread.
    A thread hop per request more than doubled the server's CPU per triage."""
    return (actor.user_id is None and all(k in VOCABULARY for k in body.findings)
            and all(k in VOCABULARY for k in body.unsure))


@router.post(
    "/triage",
    response_model=TriageResponse,
    responses=errors(401, 422),
    summary="Triage a set of findings",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/TriageRequest"}}
            },
        }
    },
)
async def triage(request: Request):
    """The level (emergency, urgent, routine, self_care), the reasons, likely conditions
    and the red-flag questions still open. Anonymous use stores nothing; a signed-in
    patient's check is saved to their history (``saved_check_id``)."""
    actor = await current_actor(request)
    # At most the body limit (spinecare.web.body_limit), parsed by pydantic's Rust parser.
    body = _parse_body(await request.body())
    services = get_services(request)
    if _cheap(body, actor):
        result, saved = _run_triage(body, actor, services)
    else:
        result, saved = await run_in_threadpool(_run_triage, body, actor, services)
    result["saved_check_id"] = saved
    return _json(result)


@router.post(
    "/triage/next-question",
    response_model=NextQuestionResponse,
    responses=errors(401, 422),
    summary="The next question of the adaptive interview",
)
async def next_question_endpoint(body: TriageRequest, actor: Actor = Depends(current_actor)):
    """Given what is known so far, the most useful next question (red-flag screen first),
    or ``null`` when the level and leading condition are settled. Stores nothing."""
    from spinecare.clinical.triage.interview import next_question

    def run() -> Any:
        findings, unsure = _validated(body)
        return next_question(findings, skipped=unsure)

    question = await run_in_threadpool(run)
    return _json({"question": asdict(question) if question else None})
