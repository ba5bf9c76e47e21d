"""CLI: ``spinecare search`` and ``spinecare articles list|show`` — the knowledge base.

``spinecare search "pins and needles in my legs when I walk"`` ranks article passages;
an emergency query ("can't feel when I wipe") shows the emergency advice first.
``--json`` prints ``{"query", "emergency", "results": [...]}``.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

import typer
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from spinecare.entrypoints.cli.common import console, fail, print_json, spinecare_app

if TYPE_CHECKING:
    from spinecare.adapters.library.emergency_screen import EmergencyScreen
    from spinecare.services.search import SearchService

articles_app = typer.Typer(
    help="Read the knowledge-base articles.", no_args_is_help=True, add_completion=False
)


def _search() -> SearchService:
    """The search use case of this run (the country's emergency number from the settings);
    no database is opened."""
    from spinecare.bootstrap import search_service

    return search_service(spinecare_app())


def search(
    query: str = typer.Argument(..., help="Your question in your own words, in quotes."),
    limit: int = typer.Option(5, "--limit", "-n", help="How many articles to show (1-20)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a list."),
) -> None:
    """Search the knowledge base, e.g. spinecare search "pins and needles when I walk"."""
    from spinecare.services.search import SCREEN_UNAVAILABLE, QueryError, ScreenUnavailable

    try:
        response = _search().search(query, limit=limit)
    except QueryError as exc:
        fail(str(exc), 'Example: spinecare search "pins and needles in my legs when I walk"')
    if as_json:
        try:
            print_json(response.to_dict())
        except ScreenUnavailable as exc:
            fail(str(exc), "Run the search again without --json to read the articles.")
        return
    if response.screen.unavailable:
        console.print(Panel(escape(SCREEN_UNAVAILABLE[0].upper() + SCREEN_UNAVAILABLE[1:]),
                            title="[bold]Warning signs not checked[/]", border_style="bold red"))
        console.print()
    if response.emergency:
        _print_emergency(response.screen)
    elif response.screen.unsure:
        _print_unsure(response.screen)
    if not response.hits:
        console.print(
            f"No articles match [bold]{escape(response.query)}[/]. Try other words, or "
            "run [bold]spinecare articles list[/] to browse."
        )
        return
    console.print(f"[bold]Results for[/] “{escape(response.query)}”\n")
    for rank, hit in enumerate(response.hits, 1):
        snippet = "".join(
            f"[bold yellow]{escape(t)}[/]" if marked else escape(t) for t, marked in hit.snippet
        )
        refs = ", ".join(hit.article.references)
        console.print(f"[bold]{rank}. {escape(hit.article.title)}[/]")
        console.print(
            f"   [dim]{escape(hit.section.heading)} · score {hit.score:.2f}[/]", highlight=False
        )
        console.print(f"   {snippet}", highlight=False)
        console.print(
            f"   [dim]Evidence level {hit.article.evidence_level} · references: {refs}[/]",
            highlight=False,
        )
        console.print(f"   [dim]Read it: spinecare articles show {hit.article.id}[/]\n")
    console.print(
        "[dim]General information, not a diagnosis. To check your own symptoms and how soon "
        "to be seen: spinecare check[/]"
    )


def _print_emergency(screen: EmergencyScreen) -> None:
    advice = screen.advice
    lines = [f"[bold]{escape(advice.headline)}[/]"] if advice else []
    if advice:
        lines += [f"• {escape(step)}" for step in advice.do_now]
    lines += [f"[dim]{escape(reason)}[/]" for reason in screen.reasons]
    if advice and advice.emergency_note:
        lines.append(f"[dim]{escape(advice.emergency_note)}[/]")
    console.print(
        Panel(
            "\n".join(lines),
            title="[bold]This may be an emergency[/]",
            border_style="bold red",
        )
    )
    console.print()


def _print_unsure(screen: EmergencyScreen) -> None:
    lines = ["Some symptoms you mention can be an emergency when they are new:"]
    lines += [f"• {escape(q)}" for q in screen.unsure_questions()]
    lines.append("If the answer is yes, call your emergency number or go to an emergency "
                 "department now. Not sure? Run [bold]spinecare check[/].")
    console.print(Panel("\n".join(lines), title="[bold]Check this first[/]",
                        border_style="yellow"))
    console.print()


@articles_app.command("list")
def list_articles(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List every article with its id, evidence level and review date."""
    articles = _search().articles()
    if as_json:
        print_json([a.summary_dict() for a in articles])
        return
    table = Table(title=f"Knowledge base ({len(articles)} articles)", show_lines=False)
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("title")
    table.add_column("evidence", justify="center")
    table.add_column("reviewed", no_wrap=True)
    for a in articles:
        table.add_row(a.id, a.title, str(a.evidence_level), a.last_reviewed.isoformat())
    console.print(table)
    console.print("[dim]Read one: spinecare articles show ID · search: spinecare search \"…\"[/]")


@articles_app.command("show")
def show_article(
    article_id: str = typer.Argument(..., metavar="ID", help="Article id from 'articles list'."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with the Markdown body)."),
) -> None:
    """Show one article, its references and the tools that act on it."""
    search = _search()
    articles = {a.id: a for a in search.articles()}
    article = articles.get(article_id.strip().lower())
    if article is None:
        close = difflib.get_close_matches(article_id, articles, n=1, cutoff=0.5)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        fail(f"no article with id '{article_id}'", f"{hint}Run 'spinecare articles list'.")
    refs = search.reference_dicts(article.references)
    tools = [
        {"id": t.id, "label": t.label, "web": t.web_path, "cli": t.cli} for t in article.tools
    ]
    if as_json:
        print_json({**article.summary_dict(), "body": article.body, "references": refs,
                    "tools": tools})
        return
    console.print(Panel(f"[bold]{escape(article.title)}[/]\n{escape(article.summary)}",
                        border_style="cyan"))
    console.print(Markdown(article.body))
    console.print()
    console.print("[bold]What you can do next[/]")
    for tool in article.tools:
        console.print(f"  • {escape(tool.label)}: [bold]{tool.cli}[/] (web: {tool.web_path})",
                      highlight=False)
    console.print()
    console.print(
        f"[bold]Evidence[/] {escape(article.evidence_text)} · "
        f"last reviewed {article.last_reviewed.isoformat()} · for {escape(article.audience)}",
        highlight=False,
    )
    console.print("[bold]References[/]")
    for ref in refs:
        console.print(f"  {escape('[' + ref['id'] + ']')} {escape(ref['citation'])}",
                      highlight=False)
    console.print(
        "\n[dim]General information, not a diagnosis. If you have new numbness between your "
        "legs or new bladder or bowel problems, call your emergency number now.[/]"
    )


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("search")(search)
    app.add_typer(articles_app, name="articles")
