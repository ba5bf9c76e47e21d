"""The health library: /search?q= results, /articles and /articles/{id}.

Public pages (no account needed), GET only. An emergency query shows the emergency
advice above the results. Article bodies are our own Markdown, rendered once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import markdown
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.routing import iter_route_contexts
from markupsafe import Markup, escape

from spinecare.adapters.library.articles import Article
from spinecare.adapters.library.search_index import Hit
from spinecare.clinical.evidence import EVIDENCE_LEVELS
from spinecare.entrypoints.web.auth import get_services, optional_user
from spinecare.entrypoints.web.pages._render import render
from spinecare.services.search import QueryError, SearchService

router = APIRouter(tags=["pages: health library"], dependencies=[Depends(optional_user)])


def _search(request: Request) -> SearchService:
    return get_services(request).search


@lru_cache(maxsize=64)
def _article_html(body: str) -> Markup:
    # Keyed by the Markdown itself, so a cached page can never outlive its text.
    # Our own reviewed content (no user input): safe to mark as HTML after rendering.
    html = markdown.markdown(body, extensions=["tables", "toc"], output_format="html")
    html = html.replace("<table>", '<div class="table-wrap"><table>').replace(
        "</table>", "</table></div>"
    )
    return Markup(html)


def _snippet_html(hit: Hit) -> Markup:
    return Markup("").join(
        Markup("<mark>{}</mark>").format(text) if marked else escape(text)
        for text, marked in hit.snippet
    )


def short_label(citation: str, year: int) -> str:
    """'Suri P, Rainville J, …' -> 'Suri 2010'; an organisation keeps its name."""
    head = re.split(r"[,.]", citation, maxsplit=1)[0].strip()
    words = head.split()
    if len(words) == 2 and words[1].isupper():   # "Surname AB": a person
        head = words[0]
    elif len(head) > 48:
        head = head[:45].rsplit(" ", 1)[0] + "…"
    return f"{head} {year}"


def _refs(search: SearchService, article: Article) -> dict[str, dict[str, Any]]:
    registry = search.references
    out = {}
    for n, ref_id in enumerate(article.references, 1):
        ref = registry[ref_id]
        out[ref_id] = {
            "id": ref.id, "number": n, "citation": ref.citation, "url": ref.url,
            "evidence_level": ref.evidence_level, "short": ref.short,
            "label": short_label(ref.citation, ref.year),
            "evidence_text": EVIDENCE_LEVELS[ref.evidence_level],
        }
    return out


def _page_paths(app: FastAPI) -> set[str]:
    # Routers are included lazily in FastAPI >= 0.16x; iter_route_contexts flattens them.
    return {str(c.path) for c in iter_route_contexts(app.routes) if getattr(c, "path", None)}


def _tools(request: Request, article: Article) -> list[dict[str, Any]]:
    """The article's tools; linked only when this server has the page (exercise may not)."""
    paths = _page_paths(request.app)
    return [
        {"label": t.label, "href": t.web_path if t.web_path in paths else "",
         "cli": t.cli, "description": t.description}
        for t in article.tools
    ]


# Plain ``def`` handlers: FastAPI runs them in its threadpool, so building the search index
# (bm25s) on the first visit, ranking and the emergency screen never hold the event loop.
@router.get("/search", response_class=HTMLResponse, summary="Search results page")
def search_page(request: Request, q: str = "") -> HTMLResponse:
    search = _search(request)
    query = q.strip()
    if not query:
        return render(request, "knowledge/search.html", search_query="", response=None,
                      error="", results=[], articles=search.articles())
    try:
        # The same use case as GET /api/v1/search (the page shows 8 results).
        response = search.search(query[:500], limit=8)
    except QueryError as exc:
        return render(request, "knowledge/search.html", status_code=422, search_query=query,
                      response=None, error=str(exc), results=[], articles=search.articles())
    results = [
        {"hit": h, "snippet": _snippet_html(h), "refs": _refs(search, h.article)}
        for h in response.hits
    ]
    return render(request, "knowledge/search.html", search_query=query, response=response,
                  error="", results=results, articles=[])


@router.get("/articles", response_class=HTMLResponse, summary="All articles")
def articles_page(request: Request) -> HTMLResponse:
    return render(request, "knowledge/list.html", articles=_search(request).articles())


@router.get("/articles/{article_id}", response_class=HTMLResponse, summary="One article")
def article_page(request: Request, article_id: str) -> HTMLResponse:
    search = _search(request)
    article = search.article(article_id)
    if article is None:
        return render(request, "knowledge/missing.html", status_code=404, article_id=article_id)
    return render(
        request, "knowledge/article.html", article=article, body=_article_html(article.body),
        refs=_refs(search, article), tools=_tools(request, article),
        evidence_text=EVIDENCE_LEVELS[article.evidence_level],
    )
