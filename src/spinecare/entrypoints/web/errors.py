"""Errors as responses: JSON for /api, a redirect to sign-in or a short page for the rest.

Every 422 has the same shape: ``detail`` (FastAPI's list of {loc, msg, type}) and
``errors``, one plain message per field, e.g. {"age": "must be a whole number …"}.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from spinecare.services.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServiceError,
)

LOGIN_PATH = "/signin"

# The one place a use case's error becomes an HTTP status. A subclass answers as its
# nearest listed ancestor (InvalidCredentials is a NotAuthenticated: 401).
STATUS_BY_ERROR: dict[type[ServiceError], int] = {
    InvalidInput: 422,
    NotAuthenticated: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
    RateLimited: 429,
    ServiceError: 400,
}


def status_for(exc: ServiceError) -> int:
    """The HTTP status for a service error, from ``STATUS_BY_ERROR``."""
    for kind in type(exc).__mro__:
        status = STATUS_BY_ERROR.get(kind)
        if status is not None:
            return status
    return 400  # unreachable: every ServiceError has ServiceError in its MRO

_TYPE_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "string": "text in quotes",
    "bool": "true or false",
    "dict": "an object of key: value pairs",
    "model": "an object of key: value pairs",
    "list": "a list",
}


_FIELD_TYPE_WORDS = {"age": "a whole number of years"}
_PATTERN_HINTS = {
    "email": "must be an e-mail address like name@example.org",
    "name": "must contain letters, not only spaces",
    "password": "must contain more than spaces",
    "q": "must contain a question, not only spaces (e.g. pins and needles)",
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "body"


def friendly(error: dict[str, Any]) -> str:
    """A message a person can act on, from one pydantic error."""
    kind = error.get("type", "")
    loc = error.get("loc") or ()
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not an accepted field: remove it"
    if kind == "literal_error":
        return f"must be {ctx.get('expected', 'one of the allowed values')}, got {given!r}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{error.get('msg', '').lower()}, got {given!r}"
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return "must not be empty"
        return f"must be at least {ctx.get('min_length')} characters long"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters long"
    if kind == "string_pattern_mismatch":
        return _PATTERN_HINTS.get(str(loc[-1]) if loc else "", "has the wrong format")
    if kind in ("too_short", "too_long"):
        return error.get("msg", "has the wrong length").lower()
    if kind == "json_invalid":
        return f"the request body is not valid JSON: {ctx.get('error', '')}".rstrip(": ")
    if kind == "value_error":
        return str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    field = str(loc[-1]) if loc else ""
    if field in _FIELD_TYPE_WORDS and (kind.endswith("_type") or kind.endswith("_parsing")):
        return f"must be {_FIELD_TYPE_WORDS[field]}, got {given!r}"
    for word, text in _TYPE_WORDS.items():
        if kind.startswith(word) or kind == f"{word}_type":
            return f"must be {text}, got {given!r}"
    return str(error.get("msg", "is not valid"))


def _validation_response(problems: dict[str, str], detail: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": detail, "errors": problems})


async def on_request_validation(request: Request, exc: RequestValidationError) -> Response:
    problems: dict[str, str] = {}
    detail = []
    for error in exc.errors():
        name = field_name(error.get("loc", ()))
        message = friendly(error)
        problems.setdefault(name, message)
        detail.append({"loc": list(error.get("loc", ())), "msg": message, "type": error["type"]})
    if not is_api(request):
        return _page(request, 422, "; ".join(f"{k}: {v}" for k, v in problems.items()))
    return _validation_response(problems, detail)


async def on_service_error(request: Request, exc: ServiceError) -> Response:
    if isinstance(exc, NotAuthenticated) and not is_api(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{LOGIN_PATH}?next={quote(target)}", status_code=303)
    if not is_api(request):
        page = _page(request, status_for(exc), exc.message)
        if isinstance(exc, RateLimited):  # the words say minutes, the header seconds
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    headers = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, InvalidInput):
        detail = [
            {"loc": ["body", *name.split(".")], "msg": msg, "type": "value_error"}
            for name, msg in exc.problems.items()
        ]
        return _validation_response(exc.problems, detail)
    return JSONResponse(
        status_code=status_for(exc), content={"detail": exc.message}, headers=headers
    )


def _page(request: Request, status: int, message: str) -> Response:
    """A minimal error page; the pages package may install a nicer one (app.state.error_page)."""
    renderer = getattr(request.app.state, "error_page", None)
    if renderer is not None:
        return renderer(request, status, message)
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>spinecare</title>"
        f"<main><h1>Something needs your attention</h1><p>{html.escape(message)}</p>"
        '<p><a href="/">Back to the start</a></p></main></html>'
    )
    return HTMLResponse(body, status_code=status)


async def on_http_exception(request: Request, exc: StarletteHTTPException) -> Response:
    """FastAPI answers an undecodable body with a bare 400; make it the usual 422 shape."""
    if exc.status_code == 400 and is_api(request) and "parsing the body" in str(exc.detail):
        message = "the request body is not valid JSON (send UTF-8 encoded JSON)"
        return _validation_response(
            {"body": message}, [{"loc": ["body"], "msg": message, "type": "json_invalid"}]
        )
    if exc.status_code in (401, 403, 404, 405, 413) and not is_api(request):
        return _page(request, exc.status_code, _PAGE_MESSAGES.get(exc.status_code, str(exc.detail)))
    return await http_exception_handler(request, exc)


_PAGE_MESSAGES = {
    404: "There is no page at this address. Check the link, or start again from the home page.",
    405: "This page cannot be used that way. Start again from the home page.",
}


async def on_integrity_error(request: Request, exc: Exception) -> Response:
    """A write lost a race (the account was deleted, the same grant made twice at once):
    the transaction was rolled back, so nothing was stored; say so instead of a 500."""
    message = (
        "This change clashed with another one made at the same moment (for example the "
        "account was just deleted), so nothing was saved. Reload and try again."
    )
    if not is_api(request):
        return _page(request, 409, message)
    return JSONResponse(status_code=409, content={"detail": message})


DATA_ERROR_MESSAGE = (
    "A value could not be stored: it holds a character or a number the database does not "
    "accept (for example a NUL character, or a number far out of range). Correct it and "
    "try again; nothing was saved."
)


async def on_data_error(request: Request, exc: Exception) -> Response:
    """The database refused a value (psycopg's DataError, e.g. NUL in text on PostgreSQL).
    Input checks refuse such values first; this is the safety net: a 422, never a 500."""
    if not is_api(request):
        return _page(request, 422, DATA_ERROR_MESSAGE)
    return _validation_response(
        {"body": DATA_ERROR_MESSAGE},
        [{"loc": ["body"], "msg": DATA_ERROR_MESSAGE, "type": "value_error"}],
    )
