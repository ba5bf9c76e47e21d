"""The health library over HTTP: /api/v1/search, /search, /articles, /articles/{id}."""

from __future__ import annotations

import re

from fastapi.routing import iter_route_contexts

from spinecare.adapters.library.articles import load_articles


def test_api_search_returns_the_cli_json_shape(client) -> None:  # type: ignore[no-untyped-def]
    res = client.get("/api/v1/search", params={"q": "pins and needles in my legs when I walk"})
    assert res.status_code == 200
    data = res.json()
    assert set(data) == {"query", "emergency", "results"}
    assert data["emergency"] is False
    assert data["results"][0]["article_id"] == "symptoms-of-lumbar-stenosis"
    assert set(data["results"][0]) == {"article_id", "title", "snippet", "score", "references"}
    assert "**pins**" in data["results"][0]["snippet"]


def test_api_search_flags_emergencies(client) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/v1/search", params={"q": "numb between my legs"}).json()
    assert data["emergency"] is True
    assert data["results"][0]["article_id"] == "emergency-warning-signs"


def test_api_search_rejects_bad_queries_clearly(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/search").status_code == 422
    res = client.get("/api/v1/search", params={"q": "   "})
    assert res.status_code == 422
    assert "not only spaces" in res.json()["errors"]["q"]
    assert client.get("/api/v1/search", params={"q": "back", "limit": 0}).status_code == 422
    assert client.get("/api/v1/search", params={"q": "x" * 501}).status_code == 422


def test_search_page_shows_emergency_advice_above_results(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/search", params={"q": "legs suddenly weak and can't pee"}).text
    assert "This may be an emergency" in html
    assert html.index("This may be an emergency") < html.index('class="search-results"')
    assert 'href="tel:' in html


def test_search_page_highlights_and_links_to_the_section(client) -> None:  # type: ignore[no-untyped-def]
    res = client.get("/search", params={"q": "slipped disc"})
    assert res.status_code == 200
    html = res.text
    assert "This may be an emergency" not in html
    assert "<mark>disc</mark>" in html
    assert 'href="/articles/stenosis-vs-herniated-disc#a-herniated-disc"' in html
    assert 'value="slipped disc"' in html  # the header search box keeps the query


def test_search_page_escapes_the_query(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/search", params={"q": "<script>alert(1)</script> disc"}).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_articles_list_links_every_article(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/articles").text
    for article in load_articles():
        assert f'href="/articles/{article.id}"' in html


def test_article_page_has_body_sources_review_date_and_tools(client) -> None:  # type: ignore[no-untyped-def]
    res = client.get("/articles/epidural-steroid-injections")
    assert res.status_code == 200
    html = res.text
    assert "<h1 id=\"article-title\">Epidural steroid injections</h1>" in html
    assert 'id="what-the-evidence-shows-for-stenosis"' in html  # section anchor for search links
    assert "last reviewed 2026-11-21" in html
    assert 'id="ref-friedly-2014"' in html
    assert 'href="/decide"' in html


def test_article_page_links_only_tools_this_server_has(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/articles/exercises-for-stenosis").text
    routes = {c.path for c in iter_route_contexts(client.app.routes)}
    if "/exercise" not in routes:
        assert 'href="/exercise"' not in html
        assert "spinecare exercise plan" in html
    assert 'href="/check"' in html


def test_unknown_article_is_a_friendly_404(client) -> None:  # type: ignore[no-untyped-def]
    res = client.get("/articles/no-such-thing")
    assert res.status_code == 404
    assert "could not find that article" in res.text
    assert re.search(r'href="/articles"', res.text)


def test_search_page_asks_about_an_unsure_red_flag_first(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/search", params={"q": "not sure about my bladder"}).text
    assert "This may be an emergency" not in html
    assert "Check this first" in html
    assert html.index("Check this first") < html.index("Ask in your own words")
    assert 'href="/check"' in html
