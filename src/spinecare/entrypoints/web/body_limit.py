"""Input limits checked before any route runs (pure ASGI, cheap on the hot API path).

- **Body size.** Every request body is limited: ``DEFAULT_BODY_LIMIT`` (64 KiB) unless
  ``ROUTE_BODY_LIMITS`` names a larger one for a path. A declared ``Content-Length`` over
  the limit is refused at once, before the body is read; a body sent without one (chunked)
  is counted as it streams and refused as soon as it passes the limit. Answer: 413 with a
  message that gives the limit (JSON under ``/api/``, plain text elsewhere).
- **Control characters in the query string.** NUL and the other C0 controls (tab, line
  feed and carriage return apart) are refused with a 422 that names the parameter:
  PostgreSQL cannot store NUL, and no parameter of this app needs any of them.

The limits are documented per route in docs/deployment.md ("Request limits"); keep the
two in step. ``install(app)`` adds the middleware, documents the 413 in the OpenAPI
document and maps database ``DataError`` (a value the database cannot store) to a 422.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spinecare.entrypoints.web.errors import on_data_error

KIB = 1024
# JSON bodies are a few hundred bytes (a full triage request with every finding is under
# 4 KiB); 64 KiB leaves room and keeps a hostile body cheap to refuse.
DEFAULT_BODY_LIMIT = 64 * KIB
# Larger only where a form needs it. /check/start takes up to 5,000 characters of free
# text; percent-encoded, 5,000 four-byte characters are 60,000 bytes, and a longer text
# should reach the page's own "shorten it to 5,000 characters" message, not a 413.
ROUTE_BODY_LIMITS: dict[str, int] = {"/check/start": 256 * KIB}
# A diary CSV import: up to 2 MiB of CSV (services/diary_csv.py), plus the form's envelope.
ROUTE_BODY_LIMITS["/api/v1/me/diary/import"] = 2 * 1024 * KIB
ROUTE_BODY_LIMITS["/diary/import"] = 2 * 1024 * KIB + 64 * KIB

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def body_limit_for(path: str) -> int:
    return ROUTE_BODY_LIMITS.get(path, DEFAULT_BODY_LIMIT)


def _size(n: int) -> str:
    return f"{n // KIB} KiB ({n:,} bytes)" if n % KIB == 0 else f"{n:,} bytes"


def too_large_message(limit: int, declared: int | None = None) -> str:
    given = f" is {declared:,} bytes;" if declared is not None else " is too large;"
    return (f"The request body{given} this address accepts at most {_size(limit)}. "
            "Send a smaller body.")


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit. An HTTPException,
    so FastAPI's body reading re-raises it as is (not as a 400 parsing error)."""

    def __init__(self, limit: int):
        super().__init__(status_code=413, detail=too_large_message(limit))
        self.limit = limit


def query_problem(query: bytes) -> tuple[str, str] | None:
    """(parameter, message) when a query parameter holds a control character, else None."""
    if b"%" not in query and not _CONTROL_BYTES.search(query):
        return None  # nothing percent-encoded: the server already refuses raw controls
    # latin-1 keeps one character per byte, and a control byte is never part of a UTF-8
    # sequence, so checking the bytes is exact.
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    for name, value in pairs:
        for text in (name, value):
            found = _CONTROL.search(text)
            if found:
                shown = name.encode("latin-1").decode("utf-8", "replace")
                return shown, (f"must not contain control characters; found "
                               f"{found.group()!r} at position {found.start()}: remove it")
    return None


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value
    return None


async def _answer(scope: Scope, send: Send, status: int, api: dict[str, Any], text: str) -> None:
    """JSON (``api``) under /api/, plain ``text`` for the pages."""
    if scope["path"].startswith("/api/"):
        payload, media = json.dumps(api).encode(), b"application/json"
    else:
        payload, media = text.encode(), b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", media), (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close"),
    ]})
    await send({"type": "http.response.body", "body": payload})


class RequestLimits:
    def __init__(self, app: ASGIApp, *, default: int = DEFAULT_BODY_LIMIT,
                 routes: Mapping[str, int] | None = None):
        self.app = app
        self.default = default
        self.routes = dict(ROUTE_BODY_LIMITS if routes is None else routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = query_problem(scope.get("query_string", b""))
        if problem is not None:
            name, message = problem
            await _answer(scope, send, 422, {
                "detail": [{"loc": ["query", name], "msg": message, "type": "value_error"}],
                "errors": {name: message},
            }, f"This address is not valid: the parameter {name} {message}.")
            return
        limit = self.routes.get(scope["path"], self.default)
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            message = too_large_message(limit, int(declared))
            await _answer(scope, send, 413, {"detail": message}, message)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:
            # Normally answered by the app's HTTPException handler; this is for a route
            # that read the body outside it.
            if started:
                raise
            await _answer(scope, send, 413, {"detail": exc.detail}, exc.detail)


TOO_LARGE_RESPONSE = {
    "description": "The request body is larger than this address accepts "
                   f"({DEFAULT_BODY_LIMIT // KIB} KiB unless docs/deployment.md says otherwise).",
    "content": {"application/json": {"schema": {
        "type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"],
    }}},
}


def _document(schema: dict[str, Any]) -> None:
    """Add the 413 to every operation that takes a body (the middleware may answer it)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault("413", TOO_LARGE_RESPONSE)


def install(app: FastAPI) -> None:
    """Add the limits to ``app``; call it just before SecurityHeaders is added, so that
    its answers carry the security headers too."""
    app.add_middleware(RequestLimits)
    # A value the database cannot store (NUL on PostgreSQL, a number out of range):
    # a 422 that says so, never a 500, whichever route missed the check.
    app.add_exception_handler(DataError, on_data_error)
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _document(build())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
