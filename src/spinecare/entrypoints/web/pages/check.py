""""Check my symptoms": the adaptive interview, one question per screen, and its result.

Anonymous use stores nothing on the server (the answers live in a signed cookie on
the person's own browser). A signed-in patient's finished check is saved to their
history. After every answer the engine runs: an emergency stops the interview at once.

The person may start by describing it in their own words: the free-text intake (the same
one as ``spinecare check --text``) pre-fills the answers, the "what we understood" screen
shows them with the words behind each and lets the person correct them, and the interview
then asks only what is still missing (keys the text was unsure about are asked explicitly).

The interview is the shared ``Conversation`` (spinecare.clinical.triage.conversation), the
same as the CLI, the API and the evaluator: the pages only show it one screen at a time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinecare.adapters.intake.understood import quoted_words, valid_findings
from spinecare.adapters.reports.check_summary import CheckSummary, render_html, render_pdf
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.conversation import question_about
from spinecare.clinical.triage.interview import Question
from spinecare.clinical.triage.result import TriageResult
from spinecare.clinical.vocabulary import answer_text
from spinecare.entrypoints.web import pdf_gate
from spinecare.entrypoints.web.auth import get_spinecare, optional_user, verify_csrf
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._interview import (
    COOKIE,
    InterviewState,
    dump_state,
    from_text,
    load_state,
    parse_answer,
)
from spinecare.entrypoints.web.pages._render import app_settings, render
from spinecare.entrypoints.web.pages._result_view import (
    answer_rows,
    build_result_view,
    check_summary,
    next_steps,
)

router = APIRouter(tags=["pages: symptom check"], dependencies=[Depends(optional_user)])


def _state(request: Request) -> InterviewState:
    return load_state(request.cookies.get(COOKIE), _auth.secret_key(request))


def _with_state(response: Response, request: Request, state: InterviewState) -> Response:
    response.set_cookie(
        COOKIE,
        dump_state(state, _auth.secret_key(request)),
        # No Max-Age: a browser-session cookie; the 30-minute limit is inside the value.
        httponly=True,
        samesite="lax",
        secure=app_settings(request).https,
        path="/check",
    )
    return response


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _evaluate(request: Request, state: InterviewState) -> TriageResult:
    # The triage service, as for the API and the saved checks. "Not sure" to an
    # emergency sign — or one the person's words left unclear and not yet answered — is
    # never read as "no" (RF-UNSURE-EMERGENCY-SIGN).
    return _auth.services(request).triage.result_of(state.conversation())


def _question(request: Request, state: InterviewState, index: int) -> Question | None:
    """The question on screen ``index``: the shared interview's next question after the
    first ``index`` answers (None: the interview is over)."""
    return _auth.services(request).triage.next_question(state.conversation(index))


# The same limit as POST /api/v1/intake.
MAX_TEXT_CHARS = 5000
TEXT_FIELD = "description"


@router.get("/check")
def check_start(request: Request) -> Response:
    return _start_page(request, _state(request))


def _start_page(request: Request, state: InterviewState, *, text: str = "",
                error: str | None = None, status_code: int = 200) -> Response:
    resume = f"/check/step/{len(state.answers)}"
    if state.from_text and not state.answers:
        resume = "/check/understood"
    return render(request, "check_start.html", status_code=status_code,
                  in_progress=bool(state.answers) or state.from_text, resume_url=resume,
                  text=text, error=error, max_chars=MAX_TEXT_CHARS, field=TEXT_FIELD)


@router.post("/check/start", dependencies=[Depends(verify_csrf)])
async def check_begin(request: Request) -> Response:
    form = await request.form()
    # Browsers send a line break as two characters; count it as one, as the textarea does.
    text = str(form.get(TEXT_FIELD, "")).replace("\r\n", "\n")
    if len(text) > MAX_TEXT_CHARS:
        error = (f"Your description is {len(text):,} characters long. Shorten it to "
                 f"{MAX_TEXT_CHARS:,} characters or fewer; the questions will ask the rest.")
        return _start_page(request, _state(request), text=text, error=error, status_code=422)
    if not text.strip():
        return _with_state(_redirect("/check/step/0"), request, InterviewState())
    app = get_spinecare(request)
    # The app's one pipeline (loaded by the first use) is CPU work: kept off the event loop.
    extraction = await run_in_threadpool(lambda: app.extractor.extract(text))
    given = valid_findings(extraction.findings)
    # The words travel with the interview (at most 2,000 characters) to be saved with a
    # signed-in person's check and printed on the result.
    state = from_text(given, list(extraction.uncertain),
                      quoted_words(given, extraction.spans, negated_mark=" (you said no)"),
                      words=text.strip())
    if _evaluate(request, state).level is Level.EMERGENCY:
        return await _finish(request, state)  # the words alone are an emergency: say so now
    return _with_state(_redirect("/check/understood"), request, state)


async def _finish(request: Request, state: InterviewState) -> Response:
    """The interview is over: save a signed-in patient's check, or show the anonymous result."""
    user = _auth.page_user(request)
    if user is not None and user.role == "patient":
        outcome = await run_in_threadpool(
            lambda: _auth.services(request).triage.save(
                _auth.page_actor(request), state.findings(), state.unsure_for_result(),
                own_words=state.words),
        )
        response = _redirect(f"/history/{outcome.saved_check_id}")
        response.delete_cookie(COOKIE, path="/check")
        return response
    return _with_state(_redirect("/check/result"), request, state)


def _understood_rows(state: InterviewState, form: Any = None) -> list[dict[str, Any]]:
    """One row per finding the text gave: plain words, the answer, the person's words."""
    rows = []
    for key, value in state.given:
        if form is not None:
            selected = str(form.get(f"answer-{key}", ""))
            typed = str(form.get(f"value-{key}", ""))[:40]
        else:
            selected = _as_form_value(value)
            typed = "" if value is None else selected
        rows.append({
            "key": key, "question": question_about(key), "quotes": state.quotes.get(key, []),
            "answer": answer_text(key, value),
            "selected": selected, "typed": typed,
        })
    return rows


def _understood_page(request: Request, state: InterviewState, rows: list[dict[str, Any]],
                     errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    asking = [question_about(k) for k in state.ask]
    return render(request, "check_understood.html", status_code=status_code, rows=rows,
                  asking=asking, errors=errors or {})


@router.get("/check/understood")
def check_understood(request: Request) -> Response:
    state = _state(request)
    if not state.from_text:
        return _redirect("/check")
    return _understood_page(request, state, _understood_rows(state))


@router.post("/check/understood", dependencies=[Depends(verify_csrf)])
async def check_understood_correct(request: Request) -> Response:
    """The person's corrections to what the text said; then the questions still missing."""
    form = await request.form()
    state = _state(request)
    if not state.from_text:
        return _redirect("/check")
    given: list[tuple[str, Any]] = []
    errors: dict[str, str] = {}
    for key, old in state.given:
        if f"answer-{key}" not in form and f"value-{key}" not in form:
            given.append((key, old))  # not on this form (an older screen): keep it
            continue
        question = question_about(key)
        fields: dict[str, str]
        if question.kind == "number":
            typed = str(form.get(f"value-{key}", "")).strip()
            fields = {"answer": "" if typed else "unsure", "value": typed}  # empty: not sure
        else:
            fields = {"answer": str(form.get(f"answer-{key}", ""))}
        value, error = parse_answer(question, fields)
        if error:
            errors[key] = error
        given.append((key, value))
    if errors:
        return _understood_page(request, state, _understood_rows(state, form), errors, 422)
    state = state.corrected(given)
    # The interview's next question is engine work: off the event loop, like _finish.
    if await run_in_threadpool(_question, request, state, 0) is None:  # emergency, or done
        return await _finish(request, state)
    return _with_state(_redirect("/check/step/0"), request, state)


@router.get("/check/step/{index}")
def check_step(request: Request, index: int) -> Response:
    state = _state(request)
    if index < 0 or index > len(state.answers):
        # A stale bookmark or an expired interview: go to the first unanswered screen.
        if state.answers:
            return _redirect(f"/check/step/{len(state.answers)}")
        return _redirect("/check/understood" if state.from_text else "/check")
    question = _question(request, state, index)
    if question is None:
        return _redirect("/check/result")
    previous = state.answer_at(index)
    selected = previous[1] if previous and previous[0] == question.finding else ...
    return render(request, "check_question.html", question=question, index=index,
                  selected=_as_form_value(selected), error=None, typed="",
                  **_screen_context(state, question))


def _screen_context(state: InterviewState, question: Question) -> dict[str, Any]:
    return {"first_back": "/check/understood" if state.from_text else "/check",
            "unsure_in_text": question.finding in state.ask}


def _as_form_value(value: Any) -> str:
    if value is ...:
        return ""
    if value is None:
        return "unsure"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float):
        return f"{value:g}"  # 200.0 -> "200", as the person would type it
    return str(value)


@router.post("/check/step/{index}", dependencies=[Depends(verify_csrf)])
async def check_answer(request: Request, index: int) -> Response:
    form = await request.form()
    state = _state(request)
    if index < 0 or index > len(state.answers):
        return _redirect("/check")
    question = await run_in_threadpool(_question, request, state, index)
    if question is None or form.get("finding") != question.finding:
        # The form is from an older screen (another tab, or an expired interview).
        return _redirect(f"/check/step/{min(index, len(state.answers))}")
    value, error = parse_answer(question, form)
    if error:
        return render(request, "check_question.html", status_code=422, question=question,
                      index=index, selected=str(form.get("answer", "")), error=error,
                      typed=str(form.get("value", ""))[:40], **_screen_context(state, question))
    state = state.answered(index, question.finding, value)
    # The shared interview stops at once on an emergency (and for a person under 16).
    finished = await run_in_threadpool(_question, request, state, index + 1) is None
    if not finished:
        return _with_state(_redirect(f"/check/step/{index + 1}"), request, state)
    return await _finish(request, state)


def _finished_state(request: Request) -> tuple[InterviewState, Response | None]:
    """The interview in the cookie, or where to go instead (not started, not finished)."""
    state = _state(request)
    if not state.answers and not state.from_text:
        return state, _redirect("/check")
    if _question(request, state, len(state.answers)) is not None:
        return state, _redirect(f"/check/step/{len(state.answers)}")  # not finished yet
    return state, None


@router.get("/check/result")
def check_result(request: Request) -> Response:
    state, elsewhere = _finished_state(request)
    if elsewhere is not None:
        return elsewhere
    result = _evaluate(request, state)
    change = f"/check/step/{len(state.answers) - 1}" if state.answers else "/check/understood"
    view = build_result_view(result, get_spinecare(request).references)
    return render(request, "check_result.html", view=view,
                  answers=len(state.answers), saved=False, change_url=change,
                  from_text=state.from_text,
                  next_steps=next_steps(view, state.findings().as_dict(), PRINT_URL))


# --- "Print or save this result for your doctor" --------------------------------------------

PRINT_URL = "/check/result/print"
# PDFs are limited as every PDF door is (entrypoints/web/pdf_gate.py).


def printable(summary: CheckSummary) -> Response:
    """The summary as a printable page (nothing cached: it is health data)."""
    return HTMLResponse(render_html(summary, web=True), headers={"Cache-Control": "no-store"})


def pdf_download(request: Request, summary: CheckSummary) -> Response:
    """The summary as a PDF download. Called from plain ``def`` routes (the threadpool)."""
    body = pdf_gate.make_pdf(request, lambda: render_pdf(summary),
                             instead="print the page instead")
    if isinstance(body, Response):
        return body
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="symptom-check.pdf"',
        "Cache-Control": "no-store"})


def _anonymous_summary(request: Request, state: InterviewState) -> CheckSummary:
    # Rendered from the interview in the browser's cookie: nothing is stored.
    view = build_result_view(_evaluate(request, state), get_spinecare(request).references)
    answers = answer_rows([*state.given, *state.answers])
    return check_summary(view, answers, datetime.now(UTC), own_words=state.words,
                         links={"back": "/check/result", "pdf": PRINT_URL + ".pdf"})


@router.get(PRINT_URL)
def check_result_print(request: Request) -> Response:
    state, elsewhere = _finished_state(request)
    if elsewhere is not None:
        return elsewhere
    return printable(_anonymous_summary(request, state))


@router.get(PRINT_URL + ".pdf")
def check_result_pdf(request: Request) -> Response:
    state, elsewhere = _finished_state(request)
    if elsewhere is not None:
        return elsewhere
    return pdf_download(request, _anonymous_summary(request, state))
