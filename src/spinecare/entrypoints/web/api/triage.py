"""POST /api/v1/triage: anyone may ask; a signed-in patient's check is saved to their history.

POST /api/v1/triage/next-question runs the shared interview (``Conversation``, the same as
the web pages, the CLI and the evaluator): the next question, and — with ``answer`` — the
person's typed answer read by the same parser, returning the state to send back next.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import TypeAdapter, ValidationError
from pydantic_core import to_json
from starlette.concurrency import run_in_threadpool

from spinecare.clinical.findings import Findings, suggest_key
from spinecare.clinical.triage.conversation import AnswerProblem, Conversation, question_about
from spinecare.clinical.vocabulary import VOCABULARY
from spinecare.entrypoints.web.api._schemas import (
    NextQuestionRequest,
    NextQuestionResponse,
    TriageRequest,
    TriageResponse,
    errors,
)
from spinecare.entrypoints.web.auth import current_actor, get_services
from spinecare.services import Services
from spinecare.services.actor import Actor
from spinecare.services.errors import InvalidInput
from spinecare.services.triage import TriageOutcome, build_findings, validate_unsure

router = APIRouter(prefix="/api/v1", tags=["triage"])

# The declared response model is also the serialiser (pydantic-core, from the dataclass):
# faster than to_dict() plus a JSON dump (benchmarks/serialisation.py), and the body cannot
# drift from the schema OpenAPI shows.
_TRIAGE_JSON = TypeAdapter(TriageResponse)


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
    age = None if body.age is None else int(body.age)  # whole years (WholeYears checked it)
    findings = build_findings(body.findings, age=age, sex=body.sex)
    return findings, validate_unsure(body.unsure, findings)


def _known_keys(keys: Iterable[str], field: str) -> list[str]:
    """``keys`` (the intake's uncertain list) when every one is a known finding; else 422."""
    unique = list(dict.fromkeys(keys))
    problems: dict[str, str] = {}
    for key in unique:
        if key not in VOCABULARY:
            suggestion = suggest_key(key) if len(problems) < 3 else None
            hint = f" Did you mean '{suggestion}'?" if suggestion else ""
            problems[f"{field}.{key}"] = f"is not a known finding.{hint}"
    if problems:
        raise InvalidInput(problems)
    return unique


def _unsure_with_unclear(body: TriageRequest, findings: Findings,
                         unsure: frozenset[str]) -> frozenset[str]:
    """An emergency sign the person's words left unclear, not answered, counts as "not
    sure": the shared interview's own rule (Conversation.unsure_for_result)."""
    given = [*findings.items(), *((k, None) for k in sorted(unsure))]
    unclear = _known_keys(body.uncertain, "uncertain")
    return Conversation.start(given, unclear).unsure_for_result()


def _run_triage(body: TriageRequest, actor: Actor, services: Services) -> TriageOutcome:
    findings, unsure = _validated(body)
    return services.triage.check(actor, findings, _unsure_with_unclear(body, findings, unsure))


def _cheap(body: TriageRequest, actor: Actor) -> bool:
    """Anonymous, and every key known: nothing to store and no spelling suggestions, so
    the whole check is bounded tiny work (at most one key per finding, about 20 µs of
    rules) and runs inline. Anything else (a save, unknown keys) goes to a worker thread.
    A thread hop per request more than doubled the server's CPU per triage."""
    return (actor.user_id is None and all(k in VOCABULARY for k in body.findings)
            and all(k in VOCABULARY for k in body.unsure)
            and all(k in VOCABULARY for k in body.uncertain))


@router.post(
    "/triage",
    # Declared for OpenAPI (and the contract test); the body is built by the same
    # adapter below and sent as raw bytes, so FastAPI does not validate it a second time.
    response_model=TriageResponse,
    responses=errors(401, 422),
    summary="Triage a set of findings",
    openapi_extra={
        "requestBody": {
            "required": True,
            # Written out here: no route declares TriageRequest as its body parameter any
            # more (next-question takes NextQuestionRequest), so it is not a component.
            "content": {"application/json": {"schema": TriageRequest.model_json_schema()}},
        }
    },
)
async def triage(request: Request) -> Response:
    """The level (emergency, urgent, routine, self_care), the reasons, likely conditions
    and the red-flag questions still open. Anonymous use stores nothing; a signed-in
    patient's check is saved to their history (``saved_check_id``)."""
    actor = await current_actor(request)
    # At most the body limit (entrypoints/web/body_limit.py), parsed by pydantic's Rust parser.
    body = _parse_body(await request.body())
    services = get_services(request)
    if _cheap(body, actor):
        outcome = _run_triage(body, actor, services)
    else:
        outcome = await run_in_threadpool(_run_triage, body, actor, services)
    return Response(_TRIAGE_JSON.dump_json(TriageResponse.of(outcome)),
                    media_type="application/json")


@router.post(
    "/triage/next-question",
    response_model=NextQuestionResponse,
    responses=errors(401, 422),
    summary="The next question of the adaptive interview (and read a typed answer)",
)
async def next_question_endpoint(request: Request, body: NextQuestionRequest,
                                 actor: Actor = Depends(current_actor)) -> Response:
    """Given what is known so far, the most useful next question (age and sex, then what
    the person's words left unclear, then the red-flag screen), or ``null`` when the
    interview is over (an emergency stops it at once). With ``answer``, the typed answer is
    read first ("about 200 m", "not sure" …) by the same parser as the web and the CLI.
    ``state`` is what is known afterwards: send it back with the next answer, or to
    POST /api/v1/triage for the result. Stores nothing."""
    triage = get_services(request).triage

    def run() -> dict[str, Any]:
        findings, unsure = _validated(body)
        unclear = _known_keys(body.uncertain, "uncertain")
        given = [*findings.items(), *((k, None) for k in sorted(unsure))]
        state = Conversation.start(given, unclear)
        read = None
        if body.answer is not None:
            key = _known_keys([body.answer.finding], "answer.finding")[0]
            after = state.answer(question_about(key), body.answer.text)
            if isinstance(after, AnswerProblem):
                raise InvalidInput({"answer.text": after.message})
            state = after
            read = {"finding": key, "value": state.latest()[key]}
        question = triage.next_question(state)
        return {"question": asdict(question) if question else None, "answer": read,
                "state": _state_out(state)}

    return _json(await run_in_threadpool(run))


def _state_out(state: Conversation) -> dict[str, Any]:
    known = state.latest()
    return {
        "age": known.get("age"), "sex": known.get("sex"),
        "findings": {k: v for k, v in known.items()
                     if v is not None and k not in ("age", "sex")},
        "unsure": sorted(k for k, v in known.items() if v is None),
        "uncertain": list(state.pending_unclear()),
    }
