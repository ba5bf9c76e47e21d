"""My exercise plan (``/exercise``), logging a session, and the public exercise library.

The plan and the stored session come from ``services.exercise`` (the same calls as
``GET /api/v1/me/exercise/plan`` and ``POST /api/v1/me/exercise/sessions``); this module
only turns the form into the service's arguments and shows the typed views.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from spinecare.clinical.evidence import EVIDENCE_LEVELS
from spinecare.clinical.exercise import RULES
from spinecare.entrypoints.web.auth import SignedIn, optional_user, require_patient
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render, render_error
from spinecare.services.errors import InvalidInput, NotFound
from spinecare.services.exercise import ExerciseService

router = APIRouter(tags=["pages: exercise"])

EFFORT_LABELS = {"easy": "Easy", "just_right": "Just right", "hard": "Hard",
                 "painful": "Painful"}
STATUS_LABELS = {"done": "I did it all", "partly": "I did some of it", "skipped": "I skipped it"}
KIND_LABELS = {"programme": "One of my 2 sessions this week", "home": "My daily home routine"}
FIELD_ORDER = ("day", "kind", "status", "pain_before", "pain_after", "effort", "exercises",
               "conditioning_minutes", "notes")


def _exercise(request: Request) -> ExerciseService:
    return _auth.services(request).exercise


def _plan_page(request: Request, who: SignedIn, status_code: int = 200,
               errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
               notice: str = "", today: date | None = None) -> Response:
    service = _exercise(request)
    plan = service.plan(who.actor, who.user.id, today)
    catalogue = service.catalogue
    refs = {r.id: {"number": i, "id": r.id, "citation": r.citation, "url": r.url,
                   "short": r.short, "evidence_level": r.evidence_level,
                   "evidence_text": EVIDENCE_LEVELS[r.evidence_level]}
            for i, r in enumerate(plan.references, 1)}
    return render(
        request, "exercise.html", status_code=status_code, plan=plan,
        svgs={e.id: catalogue.svg(e.id)
              for e in (*plan.programme.home, *plan.programme.conditioning)},
        conditions=catalogue.conditions(), refs=refs, errors=errors or {},
        values=values or {"day": plan.today.isoformat(), "kind": "programme"},
        notice=notice, effort_labels=EFFORT_LABELS, status_labels=STATUS_LABELS,
        kind_labels=KIND_LABELS, rule_sentences={k: r.sentence for k, r in RULES.items()})


@router.get("/exercise")
def my_plan(request: Request, done: str = "",
            who: SignedIn = Depends(require_patient)) -> Response:
    notice = {"logged": "Session saved.", "chosen": "Your plan is ready."}.get(done, "")
    return _plan_page(request, who, notice=notice)


@router.post("/exercise/programme")
async def choose(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    form = await request.form()
    condition = str(form.get("condition", ""))[:80]
    try:
        await run_in_threadpool(_exercise(request).choose_condition, who.actor, condition)
    except InvalidInput:
        return await run_in_threadpool(
            _plan_page, request, who, 422,
            {"condition": "Choose the condition your plan is for."})
    return RedirectResponse("/exercise?done=chosen", status_code=303)


def _number(form: FormData, name: str, errors: dict[str, str], message: str,
            *, whole: bool = True) -> Any:
    text = str(form.get(name, "")).strip()[:20]
    if not text:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        errors[name] = message
        return None


def session_from_form(form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """The service's keyword arguments from the log form, and the page's own messages for
    what is not even a number or a date."""
    errors: dict[str, str] = {}
    day_text = str(form.get("day", "")).strip()[:20]
    day: Any = None
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        errors["day"] = "Enter the date of the session, for example 2026-12-01."
    args = {
        "day": day,
        "kind": str(form.get("kind", "programme"))[:20],
        "status": str(form.get("status", ""))[:20] or None,
        "pain_before": _number(form, "pain_before", errors,
                               "Enter your pain before as a number from 0 to 10."),
        "pain_after": _number(form, "pain_after", errors,
                              "Enter your pain after as a number from 0 to 10."),
        "effort": str(form.get("effort", ""))[:20] or None,
        "exercises": [str(v)[:80] for v in form.getlist("exercises")][:30],
        "conditioning_minutes": _number(
            form, "conditioning_minutes", errors,
            "Enter the minutes of cycling or walking as a number.", whole=False),
        "notes": str(form.get("notes", ""))[:4000],
    }
    return args, errors


FRIENDLY = {
    "day": "Enter the date of the session: today or an earlier day.",
    "kind": "Say which session this was.",
    "status": "Say whether you did the session: all of it, some of it, or skipped it.",
    "pain_before": "Enter your pain before as a number from 0 to 10, or leave it empty.",
    "pain_after": "Enter your pain after as a number from 0 to 10, or leave it empty.",
    "effort": "Say how it felt, or leave it empty if you skipped the session.",
    "exercises": "Tick only exercises from your plan.",
    "conditioning_minutes": "Enter the minutes of cycling or walking, from 0 to 600.",
    "notes": "Keep your notes to 2000 characters.",
    "plan": "Your exercise plan is paused because of a recent warning sign, so sessions "
            "cannot be logged now. Follow the advice on this page.",
}


@router.post("/exercise/log")
async def log(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    form = await request.form()
    args, errors = session_from_form(form)
    if not errors:
        try:
            await run_in_threadpool(_exercise(request).log_session, who.actor, **args)
        except InvalidInput as exc:
            errors = {k: FRIENDLY.get(k, v) for k, v in exc.problems.items()}
    if errors:
        values = {k: form.get(k, "") for k in FIELD_ORDER if k != "exercises"}
        values["exercises"] = args["exercises"]
        ordered = {k: errors[k] for k in ("plan", *FIELD_ORDER) if k in errors}
        return await run_in_threadpool(_plan_page, request, who, 422, ordered, values)
    return RedirectResponse("/exercise?done=logged#log", status_code=303)


@router.get("/exercise/library", dependencies=[Depends(optional_user)])
def library(request: Request) -> Response:
    catalogue = _exercise(request).catalogue
    exercises = catalogue.exercises()
    return render(request, "exercise_library.html", exercises=exercises,
                  svgs={e.id: catalogue.svg(e.id) for e in exercises},
                  conditions=catalogue.conditions())


@router.get("/exercise/library/{exercise_id}", dependencies=[Depends(optional_user)])
def one_exercise(request: Request, exercise_id: str) -> Response:
    catalogue = _exercise(request).catalogue
    try:
        exercise = catalogue.exercise(exercise_id[:80])
    except NotFound as exc:
        return render_error(request, 404, "Exercise not found", exc.message)
    return render(request, "exercise_detail.html", e=exercise, svg=catalogue.svg(exercise.id),
                  conditions=catalogue.conditions())
