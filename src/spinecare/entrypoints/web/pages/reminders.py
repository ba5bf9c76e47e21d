"""Reminders: choose when we remind you about your diary and exercise sessions; stop them
from the e-mail in one click; the exercise plan as a calendar feed.

Everything goes through ``services.reminders`` (the same calls as ``/api/v1/me/reminders``).
The stop link and the calendar feed are opened by a secret in the address, not by a
sign-in: the stop link's GET only asks (mail scanners open links), its POST acts and
needs no CSRF token (RFC 8058: the mail provider posts it; the secret is the proof).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinecare.adapters.calendar import MEDIA_TYPE
from spinecare.entrypoints.web.auth import SignedIn, client_ip, require_patient
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render
from spinecare.services.errors import InvalidInput, NotFound
from spinecare.services.reminders import DAY_NAMES, ReminderService, ReminderSettings

router = APIRouter(tags=["pages: reminders"])


def _reminders(request: Request) -> ReminderService:
    return _auth.services(request).reminders


def _page(request: Request, settings: ReminderSettings | dict[str, Any], *,
          status_code: int = 200, errors: dict[str, str] | None = None, notice: str = "",
          calendar_url: str = "") -> Response:
    values = settings.to_dict() if isinstance(settings, ReminderSettings) else settings
    return render(request, "reminders.html", status_code=status_code, values=values,
                  errors=errors or {}, notice=notice, calendar_url=calendar_url,
                  day_names=DAY_NAMES)


@router.get("/reminders")
def reminders_page(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    notice = "Your reminders are saved." if request.query_params.get("saved") else ""
    return _page(request, _reminders(request).get(who.actor), notice=notice)


@router.post("/reminders")
async def reminders_save(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    form = await request.form()
    days: list[int] = []
    errors: dict[str, str] = {}
    for raw in form.getlist("exercise_days"):
        if isinstance(raw, str) and raw.isdigit() and 0 <= int(raw) <= 6:
            days.append(int(raw))
        else:
            errors["exercise_days"] = "Choose days from the list."
    values: dict[str, Any] = {
        "timezone": str(form.get("timezone", ""))[:100],
        "diary_enabled": form.get("diary_enabled") == "yes",
        "diary_time": str(form.get("diary_time", ""))[:10],
        "exercise_enabled": form.get("exercise_enabled") == "yes",
        "exercise_time": str(form.get("exercise_time", ""))[:10],
        "exercise_days": days,
    }
    if not errors:
        try:
            await run_in_threadpool(lambda: _reminders(request).save(who.actor, **values))
        except InvalidInput as exc:
            errors = {field: f"{_LABELS.get(field, field)} {message}"
                      for field, message in exc.problems.items()}
    if errors:
        return _page(request, {**values, "saved": True}, status_code=422, errors=errors)
    return RedirectResponse("/reminders?saved=1", status_code=303)


_LABELS = {"timezone": "Time zone", "diary_time": "Diary time",
           "exercise_time": "Exercise time", "exercise_days": "Exercise days"}


@router.post("/reminders/calendar")
def reminders_calendar_link(
    request: Request, who: SignedIn = Depends(require_patient)
) -> Response:
    reminders = _reminders(request)
    url = reminders.calendar_url(reminders.new_calendar_key(who.actor))
    return _page(request, reminders.get(who.actor), calendar_url=url)


@router.get("/reminders/calendar/{key}.ics")
def reminders_calendar_feed(request: Request, key: str) -> Response:
    """The exercise plan for a calendar app: the key in the address is the credential."""
    body = _reminders(request).calendar_feed(key, ip=client_ip(request))
    return Response(body, media_type=MEDIA_TYPE, headers={
        "Cache-Control": "no-store",
        "Content-Disposition": 'inline; filename="spinecare-exercise.ics"',
    })


@router.get("/reminders/stop/{secret}")
def reminders_stop_confirm(request: Request, secret: str) -> Response:
    valid = _reminders(request).stop_link_valid(secret)
    return render(request, "reminders_stop.html", status_code=200 if valid else 404,
                  state="confirm" if valid else "invalid", secret=secret)


@router.post("/reminders/stop/{secret}")
def reminders_stop(request: Request, secret: str) -> Response:
    try:
        _reminders(request).stop(secret, ip=client_ip(request))
    except NotFound:
        return render(request, "reminders_stop.html", status_code=404, state="invalid",
                      secret="")
    return render(request, "reminders_stop.html", state="stopped", secret="")
