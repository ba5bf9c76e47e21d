"""The one search use case shared by the CLI, the JSON API and the web page.

``SearchService.search`` screens the query for an emergency and ranks passages; the
``to_dict`` shape is the public JSON contract:
``{"query", "emergency": bool, "results": [{"article_id", "title", "snippet", "score",
"references"}]}``. Snippets mark matched words with ``**``. The service holds the index
(built once, on first use) and is also where pages and the CLI read the articles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spinecare.adapters.library.emergency_screen import EmergencyScreen, Extract, screen_query

# The query's errors are the service's: the doors catch them from here, not the adapter.
from spinecare.adapters.library.query import MAX_QUERY_CHARS, QueryError, validate_query
from spinecare.clinical.evidence import ReferenceRegistry

# Types only: the index module imports bm25s and NumPy, which only a search needs (the
# application object builds the index, through bootstrap, on the first search).
if TYPE_CHECKING:
    from spinecare.adapters.library.articles import Article
    from spinecare.adapters.library.search_index import Hit, SearchIndex
    from spinecare.clinical.triage.engine import TriageEngine

__all__ = [
    "DEFAULT_LIMIT", "MAX_LIMIT", "MAX_QUERY_CHARS", "QueryError", "ScreenUnavailable",
    "SearchResponse", "SearchService",
]

DEFAULT_LIMIT = 5
MAX_LIMIT = 20
SCREEN_UNAVAILABLE = (
    "the emergency warning-sign check is not working right now, so this search cannot say "
    "whether your words describe an emergency. If you have new numbness between your legs, "
    "new problems controlling your bladder or bowels, or weakness that is quickly getting "
    "worse, call your emergency number now."
)

class ScreenUnavailable(RuntimeError):
    """The emergency screen failed; a JSON answer would have to guess ``emergency``."""


def reference_dicts(ref_ids: tuple[str, ...], registry: ReferenceRegistry) -> list[dict[str, Any]]:
    out = []
    for ref_id in ref_ids:
        ref = registry[ref_id]
        out.append({"id": ref.id, "citation": ref.citation, "evidence_level": ref.evidence_level})
    return out


def hit_to_dict(hit: Hit, registry: ReferenceRegistry) -> dict[str, Any]:
    return {
        "article_id": hit.article.id,
        "title": hit.article.title,
        "snippet": hit.snippet_text(),
        "score": hit.score,
        "references": reference_dicts(hit.article.references, registry),
    }


@dataclass(frozen=True, slots=True)
class SearchResponse:
    query: str
    screen: EmergencyScreen
    hits: tuple[Hit, ...]
    registry: ReferenceRegistry = field(repr=False, compare=False)

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
            "results": [hit_to_dict(h, self.registry) for h in self.hits],
        }


class SearchService:
    """The knowledge base: search (with the emergency screen) and the articles.

    Bootstrap wires every piece (``search_service``): ``index`` is a built index or a
    function that gives it on first use (the application object's lazy piece);
    ``engine`` gives the process's triage engine, which runs the emergency screen's
    red-flag rules; ``references`` gives the reference registry; ``country`` picks the
    emergency number in the screen's advice; ``extract`` reads findings from the query
    (None: the intake pipeline).
    """

    def __init__(
        self,
        index: SearchIndex | Callable[[], SearchIndex],
        *,
        engine: Callable[[], TriageEngine],
        references: Callable[[], ReferenceRegistry],
        extract: Extract,
        country: str = "",
    ) -> None:
        self._source = index
        self._index: SearchIndex | None = None if callable(index) else index
        self._engine = engine
        self._references = references
        self.country = country
        self.extract = extract

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            source = self._source
            assert callable(source)
            # A race asks twice at worst: the application object builds it once anyway.
            self._index = source()
        return self._index

    @property
    def references(self) -> ReferenceRegistry:
        return self._references()

    def search(
        self, query: str, *, limit: int = DEFAULT_LIMIT, country: str | None = None,
        extract: Extract | None = None,
    ) -> SearchResponse:
        """Screen for an emergency, then rank passages. Raises ``QueryError`` for a bad
        query or limit."""
        query = validate_query(query)
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
        hits = tuple(self.index.search(query, k=limit))
        screen = screen_query(
            query, self._engine(), country=self.country if country is None else country,
            extract=extract or self.extract)
        return SearchResponse(query, screen, hits, self.references)

    def reference_dicts(self, ref_ids: tuple[str, ...]) -> list[dict[str, Any]]:
        """Each reference's id, citation and evidence level (the JSON ``references``)."""
        return reference_dicts(ref_ids, self.references)

    def articles(self) -> tuple[Article, ...]:
        """Every article, in the library's order (the ones the index holds)."""
        return self.index.articles

    def article(self, article_id: str) -> Article | None:
        for article in self.index.articles:
            if article.id == article_id:
                return article
        return None
