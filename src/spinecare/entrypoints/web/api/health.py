"""Liveness: answers without touching the database (for load balancers and the benchmark)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(prefix="/api/v1", tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/health", response_model=Health)
async def health() -> dict[str, str]:
    return {"status": "ok"}
