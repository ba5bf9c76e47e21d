"""The one search use case shared by the CLI, the JSON API and the web page.

``search_knowledge`` screens the query for an emergency and ranks passages; the
``to_dict`` shape is the public JSON contract:
``{"query", "emergency": bool, "results": [{"article_id", "title", "snippet", "score",
"references"}]}``. Snippets mark matched words with ``**``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spinecare.adapters.library.emergency_screen import EmergencyScreen, screen_query
from spinecare.adapters.library.references import load_references
from spinecare.adapters.library.search_index import Hit, QueryError, get_index, validate_query

DEFAULT_LIMIT = 5
SCREEN_UNAVAILABLE = (
    "the emergency warning-sign check is not working right now, so this search cannot say "
    "whether your words describe an emergency. If you have new numbness between your legs, "
    "new problems controlling your bladder or bowels, or weakness that is quickly getting "
    "worse, call your emergency number now."
)


class ScreenUnavailable(RuntimeError):
    """The emergency screen failed; a JSON answer would have to guess ``emergency``."""
MAX_LIMIT = 20


@dataclass(frozen=True, slots=True)
class SearchResponse:
    query: str
    screen: EmergencyScreen
    hits: tuple[Hit, ...]

    @property
    def emergency(self) -> bool:
        return self.screen.emergency

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract. Raises ``ScreenUnavailable`` rather than claim "no emergency"
        for a query that could not be checked."""
        if self.screen.unavailable:
            raise ScreenUnavailable(SCREEN_UNAVAILABLE)
        return {
            "query": self.query,
            "emergency": self.emergency,
            "results": [hit_to_dict(h) for h in self.hits],
        }


def reference_dicts(ref_ids: tuple[str, ...]) -> list[dict[str, Any]]:
    registry = load_references()
    out = []
    for ref_id in ref_ids:
        ref = registry[ref_id]
        out.append({"id": ref.id, "citation": ref.citation, "evidence_level": ref.evidence_level})
    return out


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    return {
        "article_id": hit.article.id,
        "title": hit.article.title,
        "snippet": hit.snippet_text(),
        "score": hit.score,
        "references": reference_dicts(hit.article.references),
    }


def search_knowledge(
    query: str, *, limit: int = DEFAULT_LIMIT, country: str = "",
    extract: Callable[[str], Any] | None = None,
) -> SearchResponse:
    """Screen for an emergency, then rank passages. Raises ``QueryError`` for a bad query."""
    query = validate_query(query)
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    hits = tuple(get_index().search(query, k=limit))
    return SearchResponse(query, screen_query(query, country=country, extract=extract), hits)
