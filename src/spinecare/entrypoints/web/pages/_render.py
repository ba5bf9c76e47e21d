"""The Jinja2 environment of the pages and ``render``, which adds what every page needs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from spinecare.entrypoints.web.auth import get_spinecare
from spinecare.entrypoints.web.pages._auth import csrf_token_for, page_user
from spinecare.entrypoints.web.pages._emergency import emergency_for_country, tel_number
from spinecare.entrypoints.web.pages._result_view import LEVEL_LABEL, top_condition_name
from spinecare.settings import Settings

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


def _lower_first(text: str) -> str:
    # "Lumbar spinal stenosis" -> "lumbar spinal stenosis", but keep acronyms ("ASAS").
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _datetime(value: datetime | str | None) -> str:
    """'21 Nov 2026, 05:45 UTC': unambiguous in every country (no 11/21 vs 21/11)."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")


def _round_num(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


templates.env.filters["level_label"] = lambda level: LEVEL_LABEL.get(str(level), str(level))
templates.env.filters["lower_first"] = _lower_first
templates.env.filters["round_num"] = _round_num
templates.env.filters["top_condition_name"] = top_condition_name
templates.env.filters["datetime"] = _datetime
templates.env.filters["tel"] = tel_number


def app_settings(request: Request) -> Settings:
    return get_spinecare(request).settings


def emergency_contact(request: Request) -> tuple[str, str]:
    """(number, note) for the configured country, from the same table the triage advice uses."""
    return emergency_for_country(app_settings(request).country)


def render(
    request: Request, name: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    number, note = emergency_contact(request)
    base: dict[str, Any] = {
        "user": page_user(request),
        "csrf_token": csrf_token_for(request),
        "emergency_number": number,
        "emergency_note": note,
    }
    base.update(context)
    response = templates.TemplateResponse(request, name, base, status_code=status_code)
    # Health data: never keep a rendered page in a shared cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def render_error(request: Request, status_code: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status_code, title=title, message=message)


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    """For ``app.state.error_page``: the app's error handler renders page errors with this."""
    titles = {403: "You cannot see this page", 404: "Page not found", 429: "Please wait"}
    return render_error(request, status_code, titles.get(status_code, "Something went wrong"),
                        message)
