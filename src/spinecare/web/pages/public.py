"""The home page: a start point for everyone, and a dashboard once signed in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from spinecare.web.pages._render import render

router = APIRouter(tags=["pages"])


@router.get("/")
def home(request: Request) -> Response:
    return render(request, "home.html")
