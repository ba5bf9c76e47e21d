"""The search use case: one index, the articles, the references and the JSON contract."""

from __future__ import annotations

import pytest

from spinecare.adapters.intake import extract_findings
from spinecare.adapters.library.references import load_references
from spinecare.adapters.library.search_index import build_index
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.services.search import MAX_LIMIT, QueryError, SearchService

INDEX = build_index()


@pytest.fixture(scope="module")
def search() -> SearchService:
    engine = TriageEngine(BUILTIN_KNOWLEDGE)
    return SearchService(INDEX, engine=lambda: engine, references=load_references,
                         extract=extract_findings, country="US")


def test_articles_come_from_the_index_the_service_holds(search: SearchService) -> None:
    assert search.articles() == INDEX.articles
    first = INDEX.articles[0]
    assert search.article(first.id) is first
    assert search.article("no-such-article") is None


def test_the_answer_is_the_public_json_with_cited_references(search: SearchService) -> None:
    response = search.search("legs suddenly weak and can't pee", limit=3)
    data = response.to_dict()
    assert set(data) == {"query", "emergency", "results"} and data["emergency"] is True
    assert response.screen.advice is not None
    assert response.screen.advice.emergency_number == "911"  # the service's country
    assert 1 <= len(data["results"]) <= 3
    for result in data["results"]:
        article = search.article(result["article_id"])
        assert article is not None
        assert result["references"] == search.reference_dicts(article.references)


@pytest.mark.parametrize("limit", [0, MAX_LIMIT + 1])
def test_a_limit_out_of_range_is_a_query_error(search: SearchService, limit: int) -> None:
    with pytest.raises(QueryError, match="limit must be between"):
        search.search("back pain", limit=limit)
