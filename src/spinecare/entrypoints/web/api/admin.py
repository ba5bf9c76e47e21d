"""Administration: accounts and clinician approval. No health data, here or anywhere else:
an administrator gets the same 403/404 as anyone without a patient's grant on every health-data
route (least privilege; ``spinecare.services.access``). The audit log says who did what, when
and from where, never the health data itself."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spinecare.entrypoints.web.api._schemas import Message, RowId, errors
from spinecare.entrypoints.web.auth import SignedIn, get_services, require_admin
from spinecare.services.views import AuditRecord, UserView

router = APIRouter(prefix="/api/v1/admin", tags=["administration"])


@router.get("/users", response_model=list[UserView], responses=errors(401, 403))
def users(request: Request, who: SignedIn = Depends(require_admin)) -> list[dict]:
    """All accounts (no health data)."""
    return [u.to_dict() for u in get_services(request).accounts.list_users(who.actor)]


@router.post(
    "/users/{user_id}/approve",
    response_model=UserView,
    responses={409: {"model": Message, "description": "Not a clinician."},
               **errors(401, 403, 404)},
)
def approve(user_id: RowId, request: Request, who: SignedIn = Depends(require_admin)) -> dict:
    """Approve a clinician account so that patients' grants take effect."""
    return get_services(request).accounts.set_approved(who.actor, user_id, True).to_dict()


@router.delete("/users/{user_id}", status_code=204, responses=errors(401, 403, 404))
def delete_user(
    user_id: RowId, request: Request, who: SignedIn = Depends(require_admin)
) -> Response:
    """Erase an account and all its data (audited)."""
    get_services(request).accounts.delete_account(who.actor, user_id)
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditRecord], responses=errors(401, 403))
def audit_log(request: Request, who: SignedIn = Depends(require_admin)) -> list[dict]:
    """The most recent audit events across all accounts."""
    return [e.to_dict() for e in get_services(request).audit.recent(who.actor)]
