"""The home page: a start point for everyone, and a dashboard once signed in."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spinecare.entrypoints.web.auth import SignedIn, optional_user
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render

router = APIRouter(tags=["pages"])


@router.get("/")
def home(request: Request, who: SignedIn | None = Depends(optional_user)) -> Response:
    latest = None
    if who is not None and who.user.role == "patient":
        checks = _auth.services(request).triage.history(who.actor, who.user.id)
        latest = checks[0] if checks else None
    return render(request, "home.html", latest=latest)
