"""The symptom diary pages: today's entry first, then the trends; one day's edit; the
guided walking test; CSV export and import; questions for the next visit.

Every page calls ``DiaryService`` (the same methods as ``api/diary.py``). A day with a
warning sign shows the saved check's advice first (the check result's own template,
``_result.html``). Fixed paths (``walking-test``, ``export.csv``, ``import``,
``questions``) are declared before ``/diary/{day}``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from spinecare.adapters.reports.charts import (
    HIGHER_IS_BETTER,
    HIGHER_IS_WORSE,
    Series,
    Threshold,
    data_table,
    line_chart,
)
from spinecare.clinical.diary.analytics import DiarySummary
from spinecare.clinical.diary.model import RELIEF_CHOICES, STOP_REASONS
from spinecare.clinical.diary.pain_lines import pain_lines
from spinecare.entrypoints.web import path_types  # noqa: F401  (the {day:isoday} type)
from spinecare.entrypoints.web.auth import SignedIn, get_spinecare, require_patient
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render, render_error
from spinecare.entrypoints.web.pages._result_view import ResultView, build_result_view
from spinecare.services.diary import DiaryEntryView, today_utc
from spinecare.services.diary_csv import MAX_CSV_BYTES, MAX_CSV_ROWS
from spinecare.services.diary_fields import (
    ACTIVITIES,
    RELIEF_LABELS,
    SLEEP_LABELS,
    STOP_LABELS,
    EntryFields,
    parse_day,
)
from spinecare.services.errors import InvalidInput, NotFound, PermissionDenied

router = APIRouter(tags=["pages: diary"])

PERIODS = {"28": 28, "90": 90, "365": 365}
PAIN_LABELS = {"back_pain": "Back pain", "leg_pain": "Leg pain", "neck_pain": "Neck pain",
               "arm_pain": "Arm pain"}
MEASURE_LABELS = {"back": "Back pain", "leg": "Leg pain", "neck": "Neck pain",
                  "arm": "Arm pain", "walking_minutes": "Walking minutes",
                  "standing_minutes": "Standing minutes"}


# --- form <-> fields --------------------------------------------------------------------

def _form_fields(form: Any) -> dict[str, Any]:
    """The entry form's values as the service's raw fields (text; lists as lists)."""
    raw: dict[str, Any] = {}
    for name in ("back_pain", "leg_pain", "neck_pain", "arm_pain", "walking_minutes",
                 "walking_metres", "standing_minutes", "sitting_hours", "sleep_quality",
                 "flare", "epidural_injection", "activity_note", "notes"):
        value = form.get(name)
        raw[name] = value if isinstance(value, str) else ""
    raw["activities"] = [v for v in form.getlist("activities") if isinstance(v, str)]
    raw["warning_signs"] = [v for v in form.getlist("warning_signs") if isinstance(v, str)]
    medicines = form.get("medicines")
    text = medicines if isinstance(medicines, str) else ""
    raw["medicines"] = [m.strip() for m in text.replace(";", "\n").splitlines() if m.strip()]
    return raw


def _values(fields: EntryFields | None) -> dict[str, Any]:
    """An entry's answers as the form shows them."""
    if fields is None:
        return {"activities": [], "warning_signs": [], "medicines": ""}
    data = fields.columns()
    for name in ("walking_minutes", "walking_metres", "standing_minutes", "sitting_hours"):
        if data[name] is not None:
            data[name] = f"{data[name]:g}"
    for name in ("flare", "epidural_injection"):
        data[name] = {True: "yes", False: "no"}.get(data[name], "")
    data["medicines"] = "\n".join(data["medicines"])
    return data


def _form_errors(problems: dict[str, str]) -> dict[str, str]:
    labels = {**PAIN_LABELS, "walking_minutes": "Walking time", "walking_metres":
              "Walking distance", "standing_minutes": "Standing time", "sitting_hours":
              "Hours sitting", "sleep_quality": "Sleep", "flare": "Flare-up",
              "epidural_injection": "Epidural injection", "activities": "Activities",
              "activity_note": "Other activities", "medicines": "Medicines",
              "warning_signs": "Warning signs", "notes": "Notes", "day": "Date"}
    return {field: f"{labels.get(field, field)}: {message}"
            for field, message in problems.items()}


# --- what the pages show ----------------------------------------------------------------

def _warning_view(request: Request, who: SignedIn,
                  entry: DiaryEntryView | None) -> ResultView | None:
    """The saved check a day's warning signs started, worded as the check result is."""
    if entry is None or entry.triage_session_id is None:
        return None
    try:
        record = _auth.services(request).triage.get(who.actor, entry.triage_session_id)
    except NotFound:
        return None
    return build_result_view(record.result, get_spinecare(request).references)


def _charts(entries: list[DiaryEntryView], summary: DiarySummary, start: date,
            today: date) -> list[dict[str, Any]]:
    days = [start + timedelta(days=n) for n in range((today - start).days + 1)]
    by_day = {e.day: e.fields for e in entries}

    def points(name: str) -> list[tuple[date, float | None]]:
        return [(d, getattr(by_day[d], name) if d in by_day else None) for d in days]

    pain = [Series("Back pain", points("back_pain")), Series("Leg pain", points("leg_pain"))]
    # The core's rule (DIARY-PAIN-LINES), the same lines as the doctor's report.
    thresholds = [Threshold(line.value, line.label) for line in
                  pain_lines([e.record() for e in entries], start, ("back", "leg"))]
    walk = [Series("Walking minutes", points("walking_minutes")),
            Series("Standing minutes", points("standing_minutes"))]
    walk_thresholds = []
    for tolerance, label in zip(summary.walking.tolerance, ("Walking", "Standing"),
                                strict=False):
        if tolerance.first_mean:
            walk_thresholds.append(Threshold(
                tolerance.first_mean * (1 + summary.walking.threshold_percent / 100),
                f"{label}: 30 % more"))
    top = max([v for s in walk for _, v in s.points if v is not None]
              + [t.value for t in walk_thresholds] + [10.0])
    y_max = float(((int(top) // 10) + 1) * 10)
    return [
        _chart("pain-chart", pain, thresholds, days_recorded=set(by_day), start=start,
               end=today, y_max=10.0, title="Back and leg pain, 0 to 10",
               y_label="Pain (0-10)", direction=HIGHER_IS_WORSE),
        _chart("tolerance-chart", walk, walk_thresholds, days_recorded=set(by_day),
               start=start, end=today, y_max=y_max,
               title="Walking and standing before symptoms", y_label="Minutes",
               direction=HIGHER_IS_BETTER),
    ]


def _chart(chart_id: str, series: list[Series], lines: list[Threshold], *,
           days_recorded: set[date], start: date, end: date, y_max: float, title: str,
           y_label: str, direction: str) -> dict[str, Any]:
    recorded = [Series(s.label, [(d, v) for d, v in s.points if d in days_recorded])
                for s in series]
    return {
        "id": chart_id,
        "title": title,
        "note": "Higher is worse." if direction == HIGHER_IS_WORSE else "Higher is better.",
        "svg": line_chart(series, y_min=0.0, y_max=y_max, title=title, y_label=y_label,
                          thresholds=lines, direction=direction, start=start, end=end,
                          chart_id=chart_id),
        "table": data_table(recorded, caption=f"{title}: the numbers"),
    }


def _diary_context(request: Request, who: SignedIn, period: str) -> dict[str, Any]:
    services = _auth.services(request)
    today = today_utc()
    days_back = PERIODS.get(period, 28)
    everything = services.diary.entries(who.actor, who.user.id)
    tests = services.diary.walking_tests(who.actor, who.user.id)
    recorded = [e.day for e in everything] + [t.performed_at.date() for t in tests]
    window = today - timedelta(days=days_back - 1)
    start = max(window, min(recorded)) if recorded else window
    start = min(start, today)
    summary = services.diary.summary(who.actor, who.user.id, today=today, start=start)
    in_window = [e for e in everything if e.day >= start]
    by_day = {e.day: e for e in everything}
    return {
        "today": today, "start": start, "period": str(days_back), "summary": summary,
        "entries": list(reversed(in_window)), "tests": list(reversed(tests)),
        "charts": _charts(in_window, summary, start, today) if in_window else [],
        "today_entry": by_day.get(today), "yesterday_entry": by_day.get(today - timedelta(1)),
        "questions": services.diary.visit_questions(who.actor, who.user.id),
    }


def _form_context(request: Request) -> dict[str, Any]:
    return {"activities": ACTIVITIES, "sleep_labels": SLEEP_LABELS,
            "pain_labels": PAIN_LABELS,
            "warning_signs": _auth.services(request).diary.warning_signs(),
            "stop_labels": STOP_LABELS, "relief_labels": RELIEF_LABELS,
            "measure_labels": MEASURE_LABELS}


# --- the diary --------------------------------------------------------------------------

@router.get("/diary")
def diary(request: Request, period: str = "28", copy: str = "",
          who: SignedIn = Depends(require_patient)) -> Response:
    context = _diary_context(request, who, period)
    entry: DiaryEntryView | None = context["today_entry"]
    source = entry
    copied = False
    if copy == "yesterday" and context["yesterday_entry"] is not None:
        source, copied = context["yesterday_entry"], True
    values = _values(source.fields if source else None)
    if copied:
        values["warning_signs"] = []  # a warning sign is never copied forward
    return render(request, "diary.html", **context, **_form_context(request),
                  day=context["today"], values=values, errors={}, copied=copied,
                  entry=entry, warning=_warning_view(request, who, entry),
                  saved=request.query_params.get("saved") == "1",
                  test_saved=request.query_params.get("test_saved") == "1")


@router.get("/diary/walking-test")
def walking_test_page(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    return render(request, "walking_test.html", **_form_context(request), values={},
                  errors={}, stop_reasons=STOP_REASONS, relief_choices=RELIEF_CHOICES)


@router.post("/diary/walking-test")
async def walking_test_submit(request: Request,
                              who: SignedIn = Depends(require_patient)) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    raw: dict[str, Any] = {k: values.get(k, "") for k in (
        "first_symptom_seconds", "distance_m", "stopped_because", "relief",
        "recovery_minutes", "notes")}
    # Timed in the browser (seconds), or typed by hand (minutes) when JavaScript is off.
    seconds = values.get("duration_seconds", "").strip()
    minutes = values.get("duration_minutes", "").strip()
    raw["duration_seconds"] = seconds
    errors: dict[str, str] = {}
    if not seconds and minutes:
        try:
            raw["duration_seconds"] = str(float(minutes.replace(",", ".")) * 60)
        except ValueError:
            errors["duration_minutes"] = "How long you walked: give a number of minutes"
    first_minutes = values.get("first_symptom_minutes", "").strip()
    if not raw["first_symptom_seconds"] and first_minutes:
        try:
            raw["first_symptom_seconds"] = str(float(first_minutes.replace(",", ".")) * 60)
        except ValueError:
            errors["first_symptom_minutes"] = "First symptoms: give a number of minutes"
    if not errors:
        try:
            await run_in_threadpool(_auth.services(request).diary.add_walking_test,
                                    who.actor, raw)
        except InvalidInput as exc:
            names = {"duration_seconds": "duration_minutes",
                     "first_symptom_seconds": "first_symptom_minutes"}
            labels = {"duration_minutes": "How long you walked", "first_symptom_minutes":
                      "First symptoms", "distance_m": "Distance", "stopped_because":
                      "What stopped you", "relief": "What eased it", "recovery_minutes":
                      "Recovery", "notes": "Notes", "performed_at": "When"}
            for field, message in exc.problems.items():
                name = names.get(field, field)
                errors[name] = f"{labels.get(name, name)}: {message}"
    if errors:
        return render(request, "walking_test.html", status_code=422,
                      **_form_context(request), values=values, errors=errors,
                      stop_reasons=STOP_REASONS, relief_choices=RELIEF_CHOICES)
    return RedirectResponse("/diary?test_saved=1#walking-tests", status_code=303)


@router.post("/diary/walking-test/{test_id}/delete")
def walking_test_delete(request: Request, test_id: int,
                        who: SignedIn = Depends(require_patient)) -> Response:
    try:
        _auth.services(request).diary.delete_walking_test(who.actor, test_id)
    except NotFound as exc:
        return render_error(request, 404, "Walking test not found", exc.message)
    return RedirectResponse("/diary#walking-tests", status_code=303)


@router.get("/diary/export.csv")
def export_csv(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    text = _auth.services(request).diary.export_csv(who.actor, who.user.id)
    return Response(text, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="spinecare-diary.csv"',
        "Cache-Control": "no-store"})


@router.get("/diary/import")
def import_page(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    return render(request, "diary_import.html", errors={}, result=None,
                  max_mb=MAX_CSV_BYTES // (1024 * 1024), max_rows=MAX_CSV_ROWS)


@router.post("/diary/import")
async def import_submit(request: Request, who: SignedIn = Depends(require_patient)
                        ) -> Response:
    form = await request.form()
    upload = form.get("file")
    errors: dict[str, str] = {}
    result = None
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = "Choose a CSV file to import"
    else:
        data = await upload.read(MAX_CSV_BYTES + 1)
        if len(data) > MAX_CSV_BYTES:
            errors["file"] = "The file is larger than 2 MB: split it into smaller files"
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                errors["file"] = "The file is not UTF-8 text: save it as \"CSV UTF-8\""
            else:
                try:
                    result = await run_in_threadpool(
                        _auth.services(request).diary.import_csv, who.actor, who.user.id,
                        text)
                except InvalidInput as exc:
                    errors = dict(exc.problems)
    status = 422 if errors else 200
    return render(request, "diary_import.html", status_code=status, errors=errors,
                  result=result, max_mb=MAX_CSV_BYTES // (1024 * 1024),
                  max_rows=MAX_CSV_ROWS)


@router.post("/diary/questions")
async def question_add(request: Request, who: SignedIn = Depends(require_patient)
                       ) -> Response:
    form = await request.form()
    text = form.get("text")
    try:
        await run_in_threadpool(_auth.services(request).diary.add_visit_question, who.actor,
                                text if isinstance(text, str) else "")
    except InvalidInput as exc:
        return render_error(request, 422, "The question was not saved",
                            f"Your question {exc.problems.get('text', '')}. Go back and try "
                            "again.")
    return RedirectResponse("/diary#questions", status_code=303)


@router.post("/diary/questions/{question_id}/done")
def question_done(request: Request, question_id: int,
                  who: SignedIn = Depends(require_patient)) -> Response:
    try:
        _auth.services(request).diary.mark_visit_question_done(who.actor, question_id)
    except NotFound as exc:
        return render_error(request, 404, "Question not found", exc.message)
    return RedirectResponse("/diary#questions", status_code=303)


# --- one day ----------------------------------------------------------------------------

def _day_or_none(day: str) -> date | None:
    try:
        return parse_day(day, today_utc())
    except InvalidInput:
        return None


@router.get("/diary/{day:isoday}")
def day_page(request: Request, day: str, who: SignedIn = Depends(require_patient)
             ) -> Response:
    the_day = _day_or_none(day)
    if the_day is None:
        return render_error(request, 404, "No such diary day",
                            "The address must end with a date up to today, such as "
                            f"/diary/{today_utc().isoformat()}.")
    try:
        entry = _auth.services(request).diary.entry(who.actor, who.user.id, the_day)
    except NotFound:
        entry = None
    return render(request, "diary_day.html", **_form_context(request), day=the_day,
                  today=today_utc(), entry=entry,
                  values=_values(entry.fields if entry else None), errors={},
                  warning=_warning_view(request, who, entry),
                  saved=request.query_params.get("saved") == "1")


@router.post("/diary/{day:isoday}")
async def day_submit(request: Request, day: str, who: SignedIn = Depends(require_patient)
                     ) -> Response:
    form = await request.form()
    raw = _form_fields(form)
    try:
        saved = await run_in_threadpool(_auth.services(request).diary.save_entry, who.actor,
                                        day, raw)
    except InvalidInput as exc:
        values = {**raw, "medicines": "\n".join(raw["medicines"])}
        the_day = _day_or_none(day) or today_utc()
        return render(request, "diary_day.html", status_code=422, **_form_context(request),
                      day=the_day, today=today_utc(), entry=None, values=values,
                      errors=_form_errors(exc.problems), warning=None, saved=False)
    target = "/diary" if saved.entry.day == today_utc() else f"/diary/{saved.entry.day}"
    return RedirectResponse(f"{target}?saved=1", status_code=303)


@router.post("/diary/{day:isoday}/delete")
def day_delete(request: Request, day: str, who: SignedIn = Depends(require_patient)
               ) -> Response:
    try:
        _auth.services(request).diary.delete_entry(who.actor, day)
    except (NotFound, InvalidInput, PermissionDenied) as exc:
        return render_error(request, 404, "Nothing to delete", exc.message)
    return RedirectResponse("/diary", status_code=303)
