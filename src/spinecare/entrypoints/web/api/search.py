"""GET /api/v1/search?q=: the knowledge base search, same JSON as ``spinecare search --json``.

Public (no account needed) and read-only: nothing about the query is stored.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from spinecare.entrypoints.web.api._schemas import NOT_BLANK_QUERY_PATTERN, errors
from spinecare.entrypoints.web.auth import get_services
from spinecare.services.errors import InvalidInput
from spinecare.services.search import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    QueryError,
    ScreenUnavailable,
)

router = APIRouter(prefix="/api/v1", tags=["knowledge base"])


class ReferenceOut(BaseModel):
    id: str
    citation: str
    evidence_level: int = Field(description="OCEBM 2011 level: 1 best … 5 expert opinion.")


class SearchResult(BaseModel):
    article_id: str
    title: str
    snippet: str = Field(description="The best-matching passage; matched words in **bold**.")
    score: float = Field(description="BM25 score (higher = better match); not a probability.")
    references: list[ReferenceOut]


class SearchResponse(BaseModel):
    query: str
    emergency: bool = Field(
        description="True when the query describes emergency warning signs (for example new "
        "bladder problems or numbness between the legs): show emergency advice first."
    )
    results: list[SearchResult]


@router.get(
    "/search",
    response_model=SearchResponse,
    summary="Search the knowledge base in your own words",
    responses={**errors(422), 503: {"description": "The emergency warning-sign check failed; "
                                    "the query was not answered rather than guess."}},
)
async def search(
    request: Request,
    q: str = Query(..., max_length=MAX_QUERY_CHARS, pattern=NOT_BLANK_QUERY_PATTERN,
                   description="The question, e.g. 'pins and needles in my legs when I walk'."),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Articles to return."),
) -> dict[str, object]:
    search = get_services(request).search  # the /search page's use case too
    try:
        response = await run_in_threadpool(search.search, q, limit=limit)
    except QueryError as exc:
        raise InvalidInput({"q": str(exc)}) from exc
    try:
        return response.to_dict()
    except ScreenUnavailable as exc:
        # Never answer "emergency": false for a query that was not checked.
        raise HTTPException(status_code=503, detail=str(exc)) from exc
