"""The symptom diary, walking tests and questions for the next visit, as JSON.

Every route calls ``DiaryService`` (``services/diary.py``), the same methods the pages
call; the service decides who may read or write and audits it. Routes with a fixed last
segment (``summary``, ``export.csv``, ``import``) come before ``/me/diary/{day}``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from spinecare.entrypoints.web import path_types  # noqa: F401  (the {day:isoday} type)
from spinecare.entrypoints.web.api._schemas import RowId, errors
from spinecare.entrypoints.web.auth import (
    SignedIn,
    get_services,
    require_patient,
    require_user,
)
from spinecare.services.diary_csv import MAX_CSV_BYTES
from spinecare.services.diary_fields import (
    ACTIVITIES,
    MAX_ACTIVITY_NOTE,
    MAX_MEDICINE_CHARS,
    MAX_MEDICINES,
    MAX_NOTES,
    MAX_RECOVERY_MINUTES,
    MAX_TEST_DISTANCE_M,
    MAX_TEST_SECONDS,
)
from spinecare.services.errors import InvalidInput

router = APIRouter(prefix="/api/v1", tags=["diary"])

Pain = Annotated[int | None, Field(ge=0, le=10, description="0 (no pain) to 10 (worst).")]
Minutes = Annotated[float | None, Field(ge=0, le=1440)]
Text = Annotated[str, Field(max_length=MAX_NOTES)]


class DiaryEntryIn(BaseModel):
    """One day's answers. Leave out (or send null) what you did not record: it is stored
    as "not recorded", never as 0 or "no". Saving a day again replaces its entry."""

    model_config = ConfigDict(extra="forbid")

    back_pain: Pain = None
    leg_pain: Pain = None
    neck_pain: Pain = None
    arm_pain: Pain = None
    walking_minutes: Minutes = Field(None, description="Walking before symptoms force a stop.")
    walking_metres: Annotated[float | None, Field(ge=0, le=100_000)] = None
    standing_minutes: Minutes = Field(None, description="Standing before leg symptoms.")
    flare: bool | None = Field(None, description="Am I in a flare-up today?")
    activities: list[str] = Field(default_factory=list, max_length=len(ACTIVITIES),
                                  description="Of: " + ", ".join(ACTIVITIES))
    activity_note: Annotated[str, Field(max_length=MAX_ACTIVITY_NOTE)] = ""
    sitting_hours: Annotated[float | None, Field(ge=0, le=24)] = None
    sleep_quality: Annotated[int | None, Field(ge=1, le=5)] = None
    medicines: list[Annotated[str, Field(max_length=MAX_MEDICINE_CHARS)]] = Field(
        default_factory=list, max_length=MAX_MEDICINES)
    epidural_injection: bool | None = None
    warning_signs: list[str] = Field(
        default_factory=list, max_length=20,
        description="Ids from GET /api/v1/diary/warning-signs; any one runs the symptom "
                    "check at once and the answer gives its advice (warning_check).")
    notes: Text = ""


class WalkingTestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    performed_at: str | None = Field(None, max_length=40,
                                     description="ISO date and time; default: now.")
    duration_seconds: float = Field(ge=1, le=MAX_TEST_SECONDS)
    first_symptom_seconds: Annotated[float | None, Field(ge=0, le=MAX_TEST_SECONDS)] = None
    distance_m: Annotated[float | None, Field(ge=0, le=MAX_TEST_DISTANCE_M)] = None
    stopped_because: str = Field(max_length=30,
                                 description="symptoms, time_limit, tired or other")
    relief: str | None = Field(None, max_length=30,
                               description="sit, bend_forward, stand_still or none")
    recovery_minutes: Annotated[float | None, Field(ge=0, le=MAX_RECOVERY_MINUTES)] = None
    notes: Text = ""


class VisitQuestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=500)


class VisitQuestionDone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    done: bool = True


DateQuery = Annotated[date | None, Query(description="YYYY-MM-DD")]


@router.get("/diary/warning-signs", responses=errors())
def warning_signs(request: Request) -> dict[str, str]:
    """The diary's warning signs: id -> the words shown to people."""
    return get_services(request).diary.warning_signs()


@router.get("/me/diary/summary", responses=errors(401, 403, 422))
def my_summary(request: Request, start: DateQuery = None,
               who: SignedIn = Depends(require_patient)) -> dict[str, Any]:
    """My diary summarised: 7/28-day means, trends, both kinds of flare, walking tests,
    associations, injections in the last 12 months, completeness."""
    return get_services(request).diary.summary(who.actor, who.user.id, start=start).to_dict()


@router.get("/patients/{patient_id}/diary/summary", responses=errors(401, 403, 404, 422))
def patient_summary(patient_id: RowId, request: Request, start: DateQuery = None,
                    who: SignedIn = Depends(require_user)) -> dict[str, Any]:
    """A patient's diary summary (the patient, or a clinician they shared it with)."""
    return get_services(request).diary.summary(who.actor, patient_id, start=start).to_dict()


@router.get("/me/diary/export.csv", response_class=Response, responses={
    **errors(401, 403), 200: {"content": {"text/csv": {}}, "description": "The diary as CSV."}})
def export_csv(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    """My whole diary as CSV (docs/diary-csv.md)."""
    text = get_services(request).diary.export_csv(who.actor, who.user.id)
    return Response(text, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="spinecare-diary.csv"',
        "Cache-Control": "no-store"})


@router.post("/me/diary/import", responses=errors(401, 403, 422), openapi_extra={
    "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}})
async def import_csv(request: Request, who: SignedIn = Depends(require_patient)
                     ) -> dict[str, Any]:
    """Import diary days from CSV (docs/diary-csv.md). Every row is checked first; if any
    is bad, nothing is stored and the answer lists each bad line. A day already in the
    diary is replaced by the file's row (``replaced_days`` says which)."""
    body = await request.body()
    if len(body) > MAX_CSV_BYTES:
        raise InvalidInput({"file": "is larger than 2 MB: split it into smaller files"})
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput({"file": "is not UTF-8 text: save it as CSV UTF-8"}) from None
    service = get_services(request).diary
    result = await run_in_threadpool(service.import_csv, who.actor, who.user.id, text)
    return result.to_dict()


@router.get("/me/diary", responses=errors(401, 403, 422))
def my_entries(request: Request, start: DateQuery = None, end: DateQuery = None,
               who: SignedIn = Depends(require_patient)) -> list[dict[str, Any]]:
    """My diary days, oldest first (``start``..``end`` inclusive)."""
    rows = get_services(request).diary.entries(who.actor, who.user.id, start, end)
    return [r.to_dict() for r in rows]


@router.get("/me/diary/{day:isoday}", responses=errors(401, 403, 404, 422))
def my_entry(day: date, request: Request,
             who: SignedIn = Depends(require_patient)) -> dict[str, Any]:
    """One day of my diary."""
    return get_services(request).diary.entry(who.actor, who.user.id, day).to_dict()


@router.put("/me/diary/{day:isoday}", responses=errors(401, 403, 404, 422))
def save_entry(day: date, body: DiaryEntryIn, request: Request,
               who: SignedIn = Depends(require_patient)) -> dict[str, Any]:
    """Save (or replace) my entry for ``day``. If a warning sign is ticked, the symptom
    check runs at once: ``warning_check`` holds its result and advice (show it first)."""
    saved = get_services(request).diary.save_entry(who.actor, day, body.model_dump())
    return saved.to_dict()


@router.delete("/me/diary/{day:isoday}", status_code=204, responses=errors(401, 403, 404, 422))
def delete_entry(day: date, request: Request,
                 who: SignedIn = Depends(require_patient)) -> Response:
    get_services(request).diary.delete_entry(who.actor, day)
    return Response(status_code=204)


@router.get("/me/walking-tests", responses=errors(401, 403))
def my_walking_tests(request: Request,
                     who: SignedIn = Depends(require_patient)) -> list[dict[str, Any]]:
    """My self-paced walking tests, oldest first."""
    return [t.to_dict() for t in
            get_services(request).diary.walking_tests(who.actor, who.user.id)]


@router.post("/me/walking-tests", status_code=201, responses=errors(401, 403, 422))
def add_walking_test(body: WalkingTestIn, request: Request,
                     who: SignedIn = Depends(require_patient)) -> dict[str, Any]:
    """Record a self-paced walking test (own pace, level ground, until symptoms force a
    stop or 30 minutes)."""
    raw = body.model_dump()
    return get_services(request).diary.add_walking_test(who.actor, raw).to_dict()


@router.delete("/me/walking-tests/{test_id}", status_code=204,
               responses=errors(401, 403, 404))
def delete_walking_test(test_id: RowId, request: Request,
                        who: SignedIn = Depends(require_patient)) -> Response:
    get_services(request).diary.delete_walking_test(who.actor, test_id)
    return Response(status_code=204)


@router.get("/me/visit-questions", responses=errors(401, 403))
def my_visit_questions(request: Request, include_done: bool = False,
                       who: SignedIn = Depends(require_patient)) -> list[dict[str, Any]]:
    """The questions I want to ask at my next appointment (open ones unless
    ``include_done``)."""
    rows = get_services(request).diary.visit_questions(who.actor, who.user.id,
                                                       include_done=include_done)
    return [q.to_dict() for q in rows]


@router.post("/me/visit-questions", status_code=201, responses=errors(401, 403, 422))
def add_visit_question(body: VisitQuestionIn, request: Request,
                       who: SignedIn = Depends(require_patient)) -> dict[str, Any]:
    return get_services(request).diary.add_visit_question(who.actor, body.text).to_dict()


@router.patch("/me/visit-questions/{question_id}", responses=errors(401, 403, 404, 422))
def mark_visit_question(question_id: RowId, body: VisitQuestionDone, request: Request,
                        who: SignedIn = Depends(require_patient)) -> dict[str, Any]:
    """Mark a question as asked (``done: true``) or open again."""
    service = get_services(request).diary
    return service.mark_visit_question_done(who.actor, question_id, body.done).to_dict()


@router.delete("/me/visit-questions/{question_id}", status_code=204,
               responses=errors(401, 403, 404))
def delete_visit_question(question_id: RowId, request: Request,
                          who: SignedIn = Depends(require_patient)) -> Response:
    get_services(request).diary.delete_visit_question(who.actor, question_id)
    return Response(status_code=204)
