"""Glue between the pages and the backend's sessions, CSRF and services (placeholder)."""

from __future__ import annotations

from typing import Any

from fastapi import Request


def page_user(request: Request) -> Any:
    return getattr(request.state, "user", None)


def csrf_token_for(request: Request) -> str:
    return ""


async def verify_csrf(request: Request) -> Any:
    return await request.form()


def secret_key(request: Request) -> str:
    from spinecare.web.pages._render import app_settings

    return app_settings(request).secret_key


def save_check_if_patient(request: Request, findings: Any, result: Any) -> int | None:
    return None
