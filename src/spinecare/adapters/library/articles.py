"""Load and validate the knowledge-base articles in ``spinecare/content/articles/*.md``.

An article is Markdown with YAML front matter between two ``---`` lines:

    id, title, summary, audience, references (registry ids), evidence_level (OCEBM 1-5),
    last_reviewed (YYYY-MM-DD), related_tools (check / exercise / decide)

A bad article is an error that names the file and the field, so a content editor
can fix it without reading code. The body is split into sections at ``## `` headings;
each section is one search passage.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from spinecare.adapters.library.references import load_references
from spinecare.clinical.evidence import EVIDENCE_LEVELS, ReferenceRegistry
from spinecare.paths import CONTENT_DIR

ARTICLES_DIR = CONTENT_DIR / "articles"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_FIELDS = (
    "id", "title", "summary", "audience", "references", "evidence_level", "last_reviewed",
    "related_tools",
)


@dataclass(frozen=True, slots=True)
class Tool:
    id: str
    label: str
    web_path: str
    cli: str
    description: str


# The tools an article can point to; keys are the values allowed in ``related_tools``.
TOOLS: dict[str, Tool] = {
    "check": Tool("check", "Check your symptoms", "/check", "spinecare check",
                  "A short interview that looks for warning signs and says how soon to be seen."),
    "exercise": Tool("exercise", "Your exercise plan", "/exercise", "spinecare exercise plan",
                     "Exercises suited to your condition, with doses and how to progress."),
    "decide": Tool("decide", "Compare treatment options", "/decide", "spinecare decide",
                   "A decision aid: where you are on the treatment pathway and the options now."),
}


class ArticleError(ValueError):
    """An article file is invalid; the message names the file and the field."""

    def __init__(self, path: Path | str, field: str, problem: str):
        self.path = Path(path)
        self.field = field
        self.problem = problem
        super().__init__(f"{self.path.name}: field '{field}': {problem}")


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    anchor: str
    markdown: str

    @property
    def text(self) -> str:
        return markdown_to_text(self.markdown)


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    summary: str
    audience: str
    references: tuple[str, ...]
    evidence_level: int
    last_reviewed: dt.date
    related_tools: tuple[str, ...]
    body: str
    sections: tuple[Section, ...]
    path: Path

    @property
    def tools(self) -> tuple[Tool, ...]:
        return tuple(TOOLS[t] for t in self.related_tools)

    @property
    def evidence_text(self) -> str:
        return f"Level {self.evidence_level}: {EVIDENCE_LEVELS[self.evidence_level]}"

    def summary_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "audience": self.audience,
            "evidence_level": self.evidence_level,
            "last_reviewed": self.last_reviewed.isoformat(),
            "references": list(self.references),
            "related_tools": list(self.related_tools),
        }


_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+", re.MULTILINE)
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$", re.MULTILINE)


def markdown_to_text(markdown: str) -> str:
    """Plain text for indexing and snippets (links keep their words, markup goes)."""
    text = _LINK.sub(r"\1", markdown)
    text = _TABLE_RULE.sub("", text)
    text = _LIST_MARK.sub("• ", text)
    text = _EMPHASIS.sub("", text)
    text = text.replace("|", " ").replace("#", " ")
    return re.sub(r"\s+", " ", text).strip()


def _anchor(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def split_sections(title: str, body: str) -> tuple[Section, ...]:
    """Split at ``## `` headings; text before the first heading is the overview."""
    sections: list[Section] = []
    heading, lines = "Overview", list[str]()
    for line in body.splitlines():
        if line.startswith("## "):
            if "".join(lines).strip():
                sections.append(Section(heading, _anchor(heading), "\n".join(lines).strip()))
            heading, lines = line[3:].strip(), []
        else:
            lines.append(line)
    if "".join(lines).strip():
        sections.append(Section(heading, _anchor(heading), "\n".join(lines).strip()))
    return tuple(sections)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)(.*)\Z", re.DOTALL)


def _split_front_matter(text: str, path: Path) -> tuple[Mapping[str, Any], str]:
    if not text.startswith("---"):
        raise ArticleError(path, "front matter", "the file must start with a '---' line")
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise ArticleError(path, "front matter", "no closing '---' line after the front matter")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ArticleError(path, "front matter", f"not valid YAML: {exc}") from exc
    if not isinstance(meta, Mapping):
        raise ArticleError(path, "front matter", "must be a YAML mapping of field: value")
    return meta, match.group(2)


def _text_field(meta: Mapping[str, Any], field: str, path: Path) -> str:
    value = meta[field]
    if not isinstance(value, str) or not value.strip():
        raise ArticleError(path, field, "must be a non-empty text")
    return value.strip()


def parse_article(text: str, path: Path, registry: ReferenceRegistry) -> Article:
    """Parse and validate one article; raise ``ArticleError`` naming the file and field."""
    meta, body = _split_front_matter(text, path)
    for field in REQUIRED_FIELDS:
        if field not in meta or meta[field] in (None, "", []):
            raise ArticleError(path, field, "is missing; every article needs it")
    unknown = sorted(set(meta) - set(REQUIRED_FIELDS))
    if unknown:
        known = ", ".join(REQUIRED_FIELDS)
        raise ArticleError(path, unknown[0], f"is not a known field (known: {known})")

    article_id = _text_field(meta, "id", path)
    if not ID_PATTERN.match(article_id):
        raise ArticleError(path, "id", f"{article_id!r} must be lower-case words joined by '-'")
    if article_id != path.stem:
        raise ArticleError(path, "id", f"{article_id!r} must match the file name {path.stem!r}")

    refs = meta["references"]
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise ArticleError(path, "references", "must be a list of reference ids")
    missing = registry.missing(refs)
    if missing:
        raise ArticleError(
            path, "references",
            f"unknown reference id(s) {', '.join(missing)}; add them to "
            "content/references/articles.yaml or use an existing id",
        )

    level = meta["evidence_level"]
    if isinstance(level, bool) or not isinstance(level, int) or level not in EVIDENCE_LEVELS:
        raise ArticleError(
            path, "evidence_level", f"must be a whole number 1-5 (OCEBM), got {level!r}"
        )
    best_cited = min(registry[r].evidence_level for r in refs)
    if level < best_cited:
        raise ArticleError(
            path, "evidence_level",
            f"level {level} is stronger than any cited reference (best is {best_cited})",
        )

    reviewed = meta["last_reviewed"]
    if isinstance(reviewed, str):
        try:
            reviewed = dt.date.fromisoformat(reviewed)
        except ValueError as exc:
            raise ArticleError(
                path, "last_reviewed", f"must be a date YYYY-MM-DD, got {reviewed!r}"
            ) from exc
    if not isinstance(reviewed, dt.date):
        raise ArticleError(path, "last_reviewed", f"must be a date YYYY-MM-DD, got {reviewed!r}")

    tools = meta["related_tools"]
    if not isinstance(tools, list) or not tools or any(t not in TOOLS for t in tools):
        raise ArticleError(
            path, "related_tools", f"must be a list drawn from {', '.join(TOOLS)}, got {tools!r}"
        )

    title = _text_field(meta, "title", path)
    sections = split_sections(title, body)
    if not sections:
        raise ArticleError(path, "body", "the article has no text after the front matter")
    return Article(
        id=article_id,
        title=title,
        summary=_text_field(meta, "summary", path),
        audience=_text_field(meta, "audience", path),
        references=tuple(refs),
        evidence_level=level,
        last_reviewed=reviewed,
        related_tools=tuple(tools),
        body=body.strip(),
        sections=sections,
        path=path,
    )


def load_articles_from(paths: Iterable[Path], registry: ReferenceRegistry) -> tuple[Article, ...]:
    articles = []
    seen: dict[str, Path] = {}
    for path in sorted(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ArticleError(path, "file", "is not UTF-8 text") from exc
        article = parse_article(text, path, registry)
        if article.id in seen:
            other = seen[article.id].name
            raise ArticleError(path, "id", f"{article.id!r} is already used by {other}")
        seen[article.id] = path
        articles.append(article)
    return tuple(articles)


def load_articles(directory: Path = ARTICLES_DIR) -> tuple[Article, ...]:
    """All articles, validated against the reference registry. Reads the files each time:
    the search index holds them (``services.search.SearchService.articles``)."""
    return load_articles_from(directory.glob("*.md"), load_references())


def articles_by_id(directory: Path = ARTICLES_DIR) -> dict[str, Article]:
    return {a.id: a for a in load_articles(directory)}
