"""The web application: ``create_app(spinecare)`` builds it around the application object.

The routers are listed below, in the order Starlette tries them: one greppable place that
says which modules serve HTTP.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from spinecare import __version__
from spinecare.app import Spinecare
from spinecare.bootstrap import bootstrap
from spinecare.entrypoints.web import body_limit, pages
from spinecare.entrypoints.web.api import admin as admin_api
from spinecare.entrypoints.web.api import auth as auth_api
from spinecare.entrypoints.web.api import decide as decide_api
from spinecare.entrypoints.web.api import diary as diary_api
from spinecare.entrypoints.web.api import exercise as exercise_api
from spinecare.entrypoints.web.api import health as health_api
from spinecare.entrypoints.web.api import intake as intake_api
from spinecare.entrypoints.web.api import patients as patients_api
from spinecare.entrypoints.web.api import reminders as reminders_api
from spinecare.entrypoints.web.api import report as report_api
from spinecare.entrypoints.web.api import search as search_api
from spinecare.entrypoints.web.api import triage as triage_api
from spinecare.entrypoints.web.auth import SESSION_COOKIE
from spinecare.entrypoints.web.errors import (
    on_http_exception,
    on_integrity_error,
    on_request_validation,
    on_service_error,
)
from spinecare.entrypoints.web.pages import account as account_pages
from spinecare.entrypoints.web.pages import check as check_pages
from spinecare.entrypoints.web.pages import clinician as clinician_pages
from spinecare.entrypoints.web.pages import credentials as credentials_pages
from spinecare.entrypoints.web.pages import decide as decide_pages
from spinecare.entrypoints.web.pages import diary as diary_pages
from spinecare.entrypoints.web.pages import exercise as exercise_pages
from spinecare.entrypoints.web.pages import history as history_pages
from spinecare.entrypoints.web.pages import knowledge as knowledge_pages
from spinecare.entrypoints.web.pages import public as public_pages
from spinecare.entrypoints.web.pages import questionnaires as questionnaires_pages
from spinecare.entrypoints.web.pages import reminders as reminders_pages
from spinecare.entrypoints.web.pages import report as report_pages
from spinecare.entrypoints.web.pages import sharing as sharing_pages
from spinecare.entrypoints.web.security_headers import SecurityHeaders
from spinecare.services.errors import ServiceError

STATIC_DIR = Path(__file__).with_name("static")

# Starlette matches routes in this order. The busiest API paths (health, triage) come
# first, so they do not pay for scanning every page route on each request.
ROUTERS: tuple[APIRouter, ...] = (
    health_api.router,
    triage_api.router,
    admin_api.router,
    auth_api.router,
    decide_api.router,
    diary_api.router,
    exercise_api.router,
    intake_api.router,
    patients_api.router,
    reminders_api.router,
    report_api.router,
    search_api.router,
    account_pages.router,
    check_pages.router,
    clinician_pages.router,
    credentials_pages.router,
    decide_pages.router,
    diary_pages.router,
    exercise_pages.router,
    history_pages.router,
    knowledge_pages.router,
    public_pages.router,
    questionnaires_pages.router,
    reminders_pages.router,
    report_pages.router,
    sharing_pages.router,
)


def create_app(spinecare: Spinecare | None = None) -> FastAPI:
    """Build the app around ``spinecare`` (from the environment when not given: uvicorn's
    factory). Tests pass ``bootstrap(their_settings)``."""
    spinecare = spinecare if spinecare is not None else bootstrap()
    settings = spinecare.settings
    app = FastAPI(
        title="spinecare API",
        version=__version__,
        summary="Spine-care triage with red flags, questionnaires and care-team sharing.",
        description=(
            "Decision support, not a diagnosis. If you have new problems controlling your "
            "bladder or bowels, numbness between your legs, or rapidly worsening weakness, "
            "call your emergency number now."
        ),
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.spinecare = spinecare  # read through entrypoints.web.auth.get_spinecare
    # Built now, not on the first request: a broken database URL or secret key stops the
    # start, and the first person in does not wait.
    spinecare.services  # noqa: B018  (built here, see above)
    app.add_exception_handler(ServiceError, on_service_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_request_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http_exception)  # type: ignore[arg-type]
    app.add_exception_handler(IntegrityError, on_integrity_error)
    for router in ROUTERS:
        app.include_router(router)
    pages.install(app)  # page errors (403, 404 …) render in the site layout
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Added last = outermost: headers go on every response, errors included.
    app.add_middleware(
        SessionMiddleware,
        secret_key=spinecare.secret_key,
        session_cookie=SESSION_COOKIE,
        # A browser-session cookie: it goes when the browser closes. How long the sign-in
        # lives is decided on the server (services/sessions.py), where it can be ended.
        max_age=None,
        same_site="lax",
        https_only=settings.https,
    )
    body_limit.install(app)  # body size, query controls, DataError -> 422
    app.add_middleware(SecurityHeaders, hsts=settings.https)
    return app


def app_from_env() -> FastAPI:
    """uvicorn's factory (``entrypoints/web/server.py``), run in each worker process: the
    application object from the environment (``Settings.from_env()``), the app around it."""
    return create_app(bootstrap())
