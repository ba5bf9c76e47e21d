"""Knowledge search: recall on lay questions, synonyms, snippets, bad queries."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from repo_paths import TEST_DATA
from spinecare.adapters.library.articles import articles_by_id
from spinecare.adapters.library.search_index import (
    MAX_QUERY_CHARS,
    QueryError,
    SynonymMap,
    Tokenizer,
    build_index,
    make_snippet,
)

DATA = TEST_DATA
INDEX = build_index()  # once for the module, as the search service holds it
QUESTIONS = yaml.safe_load((DATA / "search_questions.yaml").read_text(encoding="utf-8"))


def test_question_set_is_big_enough_and_points_at_real_articles() -> None:
    assert len(QUESTIONS) >= 40
    known = articles_by_id()
    for item in QUESTIONS:
        assert item["answers"], item["q"]
        assert set(item["answers"]) <= set(known), item


def test_recall_at_3_is_at_least_0_9() -> None:
    index = INDEX
    found = 0
    misses = []
    for item in QUESTIONS:
        ids = [h.article.id for h in index.search(item["q"], k=3)]
        if set(ids) & set(item["answers"]):
            found += 1
        else:
            misses.append((item["q"], ids))
    recall = found / len(QUESTIONS)
    assert recall >= 0.9, f"recall@3 {recall:.2f}; misses: {misses}"


def test_the_search_service_builds_its_index_once_and_reuses_it() -> None:
    from spinecare.services.search import SearchService

    built: list[object] = []

    def build():  # type: ignore[no-untyped-def]
        built.append(INDEX)
        return INDEX

    service = SearchService(build, engine=lambda: pytest.fail("no search ran"),
                            references=lambda: pytest.fail("no search ran"),
                            extract=lambda text: pytest.fail("no search ran"))
    assert built == []  # nothing is built until a search needs it
    assert service.index is service.index is INDEX
    assert [a.id for a in service.articles()] == [a.id for a in INDEX.articles]
    assert len(built) == 1


def test_lay_words_find_clinical_text_through_synonyms() -> None:
    tokenizer = Tokenizer()
    synonyms = SynonymMap.load(tokenizer)
    query = "pins and needles"
    added = {t for group in synonyms.expand(tokenizer.all_stems(query), tokenizer.tokens(query))
             for t in group}
    assert {"paraesthesia", "tingl"} <= added
    query = "back surgery"
    added = {t for group in synonyms.expand(tokenizer.all_stems(query), tokenizer.tokens(query))
             for t in group}
    assert {"laminectomi", "fusion"} <= added


def test_synonym_phrases_match_with_filler_words_between() -> None:
    tokenizer = Tokenizer()
    synonyms = SynonymMap.load(tokenizer)
    q = "how many bones are there in the back"
    concepts = {g.concept for g in synonyms.matched(tokenizer.all_stems(q), tokenizer.tokens(q))}
    assert "vertebrae" in concepts


def test_a_word_that_is_only_in_the_synonym_map_still_finds_the_article() -> None:
    # "waterworks" appears in no article; the synonym map links it to bladder and urine.
    hits = INDEX.search("problems with my waterworks and back pain", k=3)
    assert "emergency-warning-signs" in [h.article.id for h in hits]


def test_results_are_one_passage_per_article_ranked_by_score() -> None:
    hits = INDEX.search("what is laminectomy surgery", k=8)
    ids = [h.article.id for h in hits]
    assert len(ids) == len(set(ids))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert ids[0] == "laminectomy"


def test_snippet_highlights_the_matched_words() -> None:
    hit = INDEX.search("slipped disc", k=1)[0]
    marked = [t.lower() for t, on in hit.snippet if on]
    assert "disc" in marked
    assert "slipped" in marked
    assert "**disc**" in hit.snippet_text()


def test_snippet_is_a_window_around_the_matches() -> None:
    tokenizer = Tokenizer()
    text = " ".join(["filler"] * 100 + ["cycling", "helps"] + ["filler"] * 100)
    segments = make_snippet(text, {"cycl"}, tokenizer, size=10)
    joined = "".join(t for t, _ in segments)
    assert joined.startswith("… ") and joined.endswith(" …")
    assert ("cycling", True) in segments
    assert len(joined.split()) <= 12


def test_a_query_matching_nothing_returns_no_results() -> None:
    assert INDEX.search("xylophone quasar zebra", k=5) == []


@pytest.mark.parametrize("query", ["", "   ", None])
def test_empty_query_is_a_clear_error(query: object) -> None:
    with pytest.raises(QueryError, match="empty"):
        INDEX.search(query, k=3)  # type: ignore[arg-type]


def test_overlong_query_is_a_clear_error() -> None:
    with pytest.raises(QueryError, match=str(MAX_QUERY_CHARS)):
        INDEX.search("back " * 200, k=3)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=MAX_QUERY_CHARS))
def test_any_text_either_searches_or_is_a_query_error(text: str) -> None:
    try:
        hits = INDEX.search(text, k=5)
    except QueryError:
        assert not text.strip()
        return
    assert len(hits) <= 5
    assert all(h.score > 0 for h in hits)
