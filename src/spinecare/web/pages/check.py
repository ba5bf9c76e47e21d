""""Check my symptoms": the adaptive interview, one question per screen, and its result.

Anonymous use stores nothing on the server (the answers live in a signed cookie on
the person's own browser). A signed-in patient's finished check is saved to their
history. After every answer the engine runs: an emergency stops the interview at once.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinecare.clinical.triage.levels import Level
from spinecare.web.auth import optional_user, verify_csrf
from spinecare.web.pages import _auth
from spinecare.web.pages._interview import (
    COOKIE,
    MAX_AGE_SECONDS,
    InterviewState,
    dump_state,
    load_state,
    parse_answer,
    question_at,
)
from spinecare.web.pages._render import app_settings, render
from spinecare.web.pages._result_view import build_result_view

router = APIRouter(tags=["pages: symptom check"], dependencies=[Depends(optional_user)])


def _state(request: Request) -> InterviewState:
    return load_state(request.cookies.get(COOKIE), _auth.secret_key(request))


def _with_state(response: Response, request: Request, state: InterviewState) -> Response:
    response.set_cookie(
        COOKIE,
        dump_state(state, _auth.secret_key(request)),
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=app_settings(request).https,
        path="/check",
    )
    return response


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _evaluate(request: Request, state: InterviewState) -> Any:
    # The same engine and country as the API and the saved checks.
    # "Not sure" to an emergency sign is never read as "no" (RF-UNSURE-EMERGENCY-SIGN).
    triage = _auth.services(request).triage
    return triage.engine.evaluate(state.findings(), country=triage.country,
                                  unsure=frozenset(state.unsure()))


@router.get("/check")
def check_start(request: Request) -> Response:
    state = _state(request)
    return render(request, "check_start.html", in_progress=bool(state.answers),
                  resume_step=len(state.answers))


@router.post("/check/start", dependencies=[Depends(verify_csrf)])
def check_begin(request: Request) -> Response:
    return _with_state(_redirect("/check/step/0"), request, InterviewState())


@router.get("/check/step/{index}")
def check_step(request: Request, index: int) -> Response:
    state = _state(request)
    if index < 0 or index > len(state.answers):
        # A stale bookmark or an expired interview: go to the first unanswered screen.
        return _redirect(f"/check/step/{len(state.answers)}" if state.answers else "/check")
    question = question_at(state, index)
    if question is None:
        return _redirect("/check/result")
    previous = state.answer_at(index)
    selected = previous[1] if previous and previous[0] == question.finding else ...
    return render(request, "check_question.html", question=question, index=index,
                  selected=_as_form_value(selected), error=None, typed="")


def _as_form_value(value: Any) -> str:
    if value is ...:
        return ""
    if value is None:
        return "unsure"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


@router.post("/check/step/{index}", dependencies=[Depends(verify_csrf)])
async def check_answer(request: Request, index: int) -> Response:
    form = await request.form()
    state = _state(request)
    if index < 0 or index > len(state.answers):
        return _redirect("/check")
    question = question_at(state, index)
    if question is None or form.get("finding") != question.finding:
        # The form is from an older screen (another tab, or an expired interview).
        return _redirect(f"/check/step/{min(index, len(state.answers))}")
    value, error = parse_answer(question, form)
    if error:
        return render(request, "check_question.html", status_code=422, question=question,
                      index=index, selected=str(form.get("answer", "")), error=error,
                      typed=str(form.get("value", ""))[:40])
    state = state.answered(index, question.finding, value)
    result = _evaluate(request, state)
    finished = result.level is Level.EMERGENCY or question_at(state, index + 1) is None
    if not finished:
        return _with_state(_redirect(f"/check/step/{index + 1}"), request, state)
    user = _auth.page_user(request)
    if user is not None and user.role == "patient":
        _, check_id = await run_in_threadpool(
            _auth.services(request).triage.save, _auth.page_actor(request), state.findings(),
            frozenset(state.unsure()),
        )
        response = _redirect(f"/history/{check_id}")
        response.delete_cookie(COOKIE, path="/check")
        return response
    return _with_state(_redirect("/check/result"), request, state)


@router.get("/check/result")
def check_result(request: Request) -> Response:
    state = _state(request)
    if not state.answers:
        return _redirect("/check")
    result = _evaluate(request, state)
    if result.level is not Level.EMERGENCY and question_at(state, len(state.answers)) is not None:
        return _redirect(f"/check/step/{len(state.answers)}")  # not finished yet
    return render(request, "check_result.html", view=build_result_view(result),
                  answers=len(state.answers), saved=False)
