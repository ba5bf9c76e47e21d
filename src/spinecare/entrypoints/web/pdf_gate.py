"""One limit on PDF rendering for every PDF door (the check summary, the decision aid's
summary, the report for the doctor, pages and API alike).

A PDF (WeasyPrint) takes about a second of CPU. At most ``PDF_CONCURRENCY`` render at once
in the process, whichever door asked (more get a 503 "try again in a few seconds" with
``Retry-After: 5``, never a queue: a waiting render would hold a worker thread others
need), and at most ``PDF_PER_ADDRESS`` PDFs per client address in ``PDF_WINDOW_SECONDS``
(then a 429 with ``Retry-After``). Documented in docs/deployment.md ("Request limits").

``make_pdf`` runs the render in the calling thread: call it from a plain ``def`` route (the
threadpool); ``make_pdf_async`` moves the render to the threadpool for ``async`` routes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from spinecare.entrypoints.web.auth import client_ip
from spinecare.entrypoints.web.errors import is_api
from spinecare.entrypoints.web.pages._render import render
from spinecare.services.errors import in_minutes
from spinecare.services.rate_limit import FailureLimiter, address_key

PDF_CONCURRENCY = 2
PDF_PER_ADDRESS = 20
PDF_WINDOW_SECONDS = 600.0
BUSY_RETRY_SECONDS = 5
# Process-wide: every app in the process shares the CPU, so they share the render slots.
SLOTS = threading.BoundedSemaphore(PDF_CONCURRENCY)
_LIMITER_LOCK = threading.Lock()


def limiter(request: Request) -> FailureLimiter:
    """The app's count of PDFs made per address (one per app; created under a lock, since
    plain ``def`` routes ask from several threads at once)."""
    found: FailureLimiter | None = getattr(request.app.state, "pdf_limiter", None)
    if found is None:
        with _LIMITER_LOCK:
            found = getattr(request.app.state, "pdf_limiter", None)
            if found is None:
                found = FailureLimiter(max_failures=PDF_PER_ADDRESS,
                                       window_seconds=PDF_WINDOW_SECONDS)
                request.app.state.pdf_limiter = found
    return found


def _refusal(request: Request, status: int, wait: int, message: str) -> Response:
    headers = {"Retry-After": str(wait)}
    if is_api(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    response = render(request, "error.html", status_code=status,
                      title="Please wait a moment", message=message)
    response.headers.update(headers)
    return response


def _admit(request: Request, instead: str) -> tuple[Response | None, str]:
    """A refusal, or None with a render slot taken (the caller releases it)."""
    address = address_key(client_ip(request))  # IPv6 per /64, like the other limits
    wait = limiter(request).retry_after(address)
    if wait:
        return _refusal(request, 429, wait, (
            f"You have made {PDF_PER_ADDRESS} PDFs in the last "
            f"{PDF_WINDOW_SECONDS // 60:.0f} minutes. Please try again in "
            f"{in_minutes(wait)}{', or ' + instead if instead else ''}.")), address
    if not SLOTS.acquire(blocking=False):
        return _refusal(request, 503, BUSY_RETRY_SECONDS, (
            "Other PDFs are being made right now. Please try again in a few "
            "seconds.")), address
    return None, address


def make_pdf(request: Request, render_pdf: Callable[[], bytes | None], *,
             instead: str = "") -> bytes | None | Response:
    """``render_pdf()`` within the limits (from a plain ``def`` route): its bytes (None if
    it made nothing), or the 429/503 refusal. ``instead`` ends the 429's message with what
    else the person can do (e.g. "print the page instead")."""
    refused, address = _admit(request, instead)
    if refused is not None:
        return refused
    try:
        body = render_pdf()
    finally:
        SLOTS.release()
    if body is not None:
        limiter(request).fail(address)  # counts PDFs made
    return body


async def make_pdf_async(request: Request, render_pdf: Callable[[], bytes | None], *,
                         instead: str = "") -> bytes | None | Response:
    """As ``make_pdf``, for ``async`` routes: the render runs in the threadpool."""
    refused, address = _admit(request, instead)
    if refused is not None:
        return refused
    try:
        body = await run_in_threadpool(render_pdf)
    finally:
        SLOTS.release()
    if body is not None:
        limiter(request).fail(address)
    return body
