"""The exercise programme: the public library, my plan and sessions, a patient's plan for
their clinician. Access and audit are decided in ``services.exercise``; plain ``def``
handlers run in the threadpool, off the event loop."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from spinecare.entrypoints.web.api._schemas import RowId, errors
from spinecare.entrypoints.web.auth import SignedIn, get_services, require_patient, require_user

router = APIRouter(prefix="/api/v1", tags=["exercise programme"])

ExerciseId = Annotated[str, Path(max_length=80, pattern=r"^[a-z0-9_]+$")]
Pain = Annotated[StrictInt, Field(ge=0, le=10)]


class ProgrammeChoice(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    condition: str = Field(max_length=80, examples=["lumbar_spinal_stenosis"],
                           description="A triage condition id (GET /api/v1/exercises lists "
                                       "the programmes' conditions).")


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date = Field(description="The day of the session (YYYY-MM-DD), today or earlier.")
    kind: Literal["programme", "home"] = Field(
        "programme", description="One of the two weekly sessions, or the daily home routine.")
    status: Literal["done", "partly", "skipped"]
    pain_before: Pain | None = Field(None, description="Pain before, 0-10.")
    pain_after: Pain | None = Field(None, description="Pain after, 0-10.")
    effort: Literal["easy", "just_right", "hard", "painful"] | None = None
    exercises: list[Annotated[str, Field(max_length=80)]] = Field(
        default_factory=list, max_length=30, description="Exercise ids done.")
    conditioning_minutes: float | None = Field(
        None, ge=0, le=600, allow_inf_nan=False, description="Minutes of cycling or walking.")
    notes: str = Field("", max_length=2000)


@router.get("/exercises", responses=errors())
def list_exercises(request: Request) -> dict[str, Any]:
    """Every exercise in the library (public), and the conditions with a programme."""
    catalogue = get_services(request).exercise.catalogue
    return {"exercises": [e.to_dict() for e in catalogue.exercises()],
            "conditions": catalogue.conditions()}


@router.get("/exercises/{exercise_id}", responses=errors(404))
def one_exercise(exercise_id: ExerciseId, request: Request) -> dict[str, Any]:
    """One exercise with its steps, dose, cautions, when to stop, and its drawing (SVG)."""
    catalogue = get_services(request).exercise.catalogue
    return {**catalogue.exercise(exercise_id).to_dict(), "svg": catalogue.svg(exercise_id)}


@router.get("/me/exercise/plan", responses=errors(401, 403))
def my_plan(request: Request, who: SignedIn = Depends(require_patient)) -> dict[str, Any]:
    """My programme (none while a warning sign is open, with what to do instead), this
    week, progress with the rule that set today's amount, and what to avoid."""
    return get_services(request).exercise.plan(who.actor, who.user.id).to_dict()


@router.put("/me/exercise/programme", responses=errors(401, 403, 422))
def choose_programme(body: ProgrammeChoice, request: Request,
                     who: SignedIn = Depends(require_patient)) -> dict[str, Any]:
    """Choose (or change) the condition my programme is for; a change starts it again."""
    return get_services(request).exercise.choose_condition(who.actor, body.condition).to_dict()


@router.post("/me/exercise/sessions", status_code=201, responses=errors(401, 403, 422))
def log_session(body: SessionIn, request: Request,
                who: SignedIn = Depends(require_patient)) -> dict[str, Any]:
    """Log a session: done, partly or skipped, pain before and after, how it felt."""
    view = get_services(request).exercise.log_session(who.actor, **body.model_dump())
    return view.to_dict()


@router.get("/me/exercise/sessions", responses=errors(401, 403, 422))
def my_sessions(request: Request, who: SignedIn = Depends(require_patient),
                start: Annotated[date | None, Query()] = None,
                end: Annotated[date | None, Query()] = None) -> list[dict[str, Any]]:
    """My logged sessions, oldest first (``start``/``end`` inclusive, optional)."""
    views = get_services(request).exercise.sessions(who.actor, who.user.id, start, end)
    return [v.to_dict() for v in views]


@router.delete("/me/exercise/sessions/{session_id}", status_code=204,
               responses=errors(401, 403, 404))
def delete_session(session_id: RowId, request: Request,
                   who: SignedIn = Depends(require_patient)) -> Response:
    """Delete one of my logged sessions."""
    get_services(request).exercise.delete_session(who.actor, session_id)
    return Response(status_code=204)


@router.get("/patients/{patient_id}/exercise/plan", responses=errors(401, 403, 404))
def patient_plan(patient_id: RowId, request: Request,
                 who: SignedIn = Depends(require_user)) -> dict[str, Any]:
    """A patient's exercise plan and progress (the patient, or a clinician they chose)."""
    return get_services(request).exercise.plan(who.actor, patient_id).to_dict()
