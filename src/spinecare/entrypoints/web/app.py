"""The web application: ``create_app()`` builds it for uvicorn, the tests and benchmarks.

Routers are discovered: every module in ``spinecare.entrypoints.web.api`` and
``spinecare.entrypoints.web.pages`` that defines ``router`` (a FastAPI ``APIRouter``) is
included, in module-name order.
Another area adds routes by adding a module; nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from spinecare import __version__, bootstrap
from spinecare.entrypoints.web import body_limit
from spinecare.entrypoints.web.auth import SESSION_COOKIE
from spinecare.entrypoints.web.errors import (
    on_http_exception,
    on_integrity_error,
    on_request_validation,
    on_service_error,
)
from spinecare.entrypoints.web.security_headers import SecurityHeaders
from spinecare.services import Services
from spinecare.services.errors import ServiceError
from spinecare.settings import Settings

ROUTER_PACKAGES = ("spinecare.entrypoints.web.api", "spinecare.entrypoints.web.pages")
STATIC_DIR = Path(__file__).with_name("static")


def discover_routers(packages: tuple[str, ...] = ROUTER_PACKAGES) -> list[APIRouter]:
    """Every ``router`` in the packages. A module may set ``ROUTER_PRIORITY`` (default 100):
    lower goes first. Starlette matches routes in order, so the hot API paths (health,
    triage) come first and do not pay for scanning every page route on each request."""
    found: list[tuple[int, int, APIRouter]] = []
    for package_name in packages:
        package = importlib.import_module(package_name)
        for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if module_info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{package_name}.{module_info.name}")
            router = getattr(module, "router", None)
            if isinstance(router, APIRouter):
                priority = getattr(module, "ROUTER_PRIORITY", 100)
                found.append((priority, len(found), router))
    return [router for _, _, router in sorted(found, key=lambda item: item[:2])]


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the app. Tests pass their own Settings (data dir, database URL) or Services."""
    settings = settings or bootstrap.settings()
    services = services or bootstrap.build_services(settings)
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
    app.state.settings = settings
    app.state.services = services
    app.state.secret_key = bootstrap.secret_key(settings)
    app.add_exception_handler(ServiceError, on_service_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_request_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http_exception)  # type: ignore[arg-type]
    app.add_exception_handler(IntegrityError, on_integrity_error)
    for router in discover_routers():
        app.include_router(router)
    for package_name in ROUTER_PACKAGES:
        # A router package may install extras (e.g. the pages' error page) with install(app).
        install = getattr(importlib.import_module(package_name), "install", None)
        if callable(install):
            install(app)
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Added last = outermost: headers go on every response, errors included.
    app.add_middleware(
        SessionMiddleware,
        secret_key=app.state.secret_key,
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
