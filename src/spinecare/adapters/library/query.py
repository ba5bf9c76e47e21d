"""What a search query must be, apart from the index: checked before any search, and light
enough (no bm25s or NumPy) for the service layer and the doors to import at the top."""

from __future__ import annotations

MAX_QUERY_CHARS = 500


class QueryError(ValueError):
    """The query cannot be searched; the message says how to fix it."""


def validate_query(query: object) -> str:
    if not isinstance(query, str) or not query.strip():
        raise QueryError("the search query is empty; type a question, e.g. 'pins and needles'")
    query = " ".join(query.split())
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the search query is {len(query)} characters long; keep it under "
            f"{MAX_QUERY_CHARS} characters"
        )
    return query
