"""The shipped articles are valid, cover the issue's topics, and bad files fail clearly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from spinecare.adapters.library.articles import (
    TOOLS,
    ArticleError,
    load_articles,
    load_articles_from,
    markdown_to_text,
    parse_article,
)
from spinecare.adapters.library.references import load_references
from spinecare.clinical.evidence import EVIDENCE_LEVELS

ARTICLES = load_articles()
BY_ID = {a.id: a for a in ARTICLES}

# Every topic the issue lists -> the article that covers it.
TOPICS = {
    "what stenosis is and the anatomy": "what-is-spinal-stenosis",
    "lumbar vs cervical": "lumbar-vs-cervical-stenosis",
    "who gets it and why": "who-gets-stenosis",
    "symptoms": "symptoms-of-lumbar-stenosis",
    "day-to-day variation": "symptoms-day-to-day",
    "diagnosis: history and examination": "how-stenosis-is-diagnosed",
    "diagnosis: MRI, CT, X-ray": "scans-mri-ct-xray",
    "diagnosis: nerve studies": "nerve-tests-emg",
    "conservative care": "conservative-care",
    "medications": "medications-for-stenosis",
    "epidural injections": "epidural-steroid-injections",
    "surgery: when and outcomes": "when-is-surgery-considered",
    "discectomy": "discectomy",
    "laminectomy": "laminectomy",
    "laminotomy": "laminotomy",
    "foraminotomy": "foraminotomy",
    "fusion": "spinal-fusion",
    "fusion: mobility and recovery": "life-after-fusion",
    "minimally invasive surgery": "minimally-invasive-surgery",
    "stem-cell therapy": "stem-cell-therapy",
    "exercises": "exercises-for-stenosis",
    "what to avoid": "exercises-to-avoid",
    "when to see a doctor": "when-to-see-a-doctor",
    "emergencies": "emergency-warning-signs",
    "living well": "living-well-with-stenosis",
    "stenosis vs herniated disc": "stenosis-vs-herniated-disc",
    "walking": "walking-with-stenosis",
}

GOOD = """---
id: sample
title: A sample
summary: One line.
audience: patients
references: [suri-2010]
evidence_level: 1
last_reviewed: 2026-01-31
related_tools: [check]
---
Intro text.

## First part

Body.
"""


def test_at_least_25_articles_ship() -> None:
    assert len(ARTICLES) >= 25


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_issue_topic_has_an_article(topic: str) -> None:
    article = BY_ID.get(TOPICS[topic])
    assert article is not None, f"no article for {topic!r}"
    assert len(article.sections) >= 2


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_article_has_existing_references_review_date_and_evidence_level(article) -> None:
    registry = load_references()
    assert article.references, "an article needs at least one reference"
    assert registry.missing(article.references) == []
    assert article.evidence_level in EVIDENCE_LEVELS
    assert isinstance(article.last_reviewed, dt.date)
    assert article.last_reviewed <= dt.date.today()
    assert article.related_tools and set(article.related_tools) <= set(TOOLS)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_article_is_short_and_cites_more_than_source_pages(article) -> None:
    words = len(markdown_to_text(article.body).split())
    assert 150 <= words <= 800, f"{article.id} has {words} words"
    registry = load_references()
    kinds = {registry[r].type for r in article.references}
    assert kinds != {"source_page"}, "seed pages alone are not evidence"


def test_overstated_seed_claims_are_corrected_not_repeated() -> None:
    care = BY_ID["conservative-care"].body
    assert "60 to 80%" in care and "do not repeat it" in care
    surgery = BY_ID["when-is-surgery-considered"].body
    assert "80 to 90%" in surgery and "more modest" in surgery
    stem = BY_ID["stem-cell-therapy"]
    assert "investigational" in stem.summary.lower()
    assert stem.evidence_level >= 4
    esi = BY_ID["epidural-steroid-injections"].body
    assert "NICE advises not to offer epidural injections for neurogenic claudication" in esi


def _write(tmp_path: Path, text: str, name: str = "sample.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_article_parses_into_sections(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    article = parse_article(GOOD, path, load_references())
    assert [s.heading for s in article.sections] == ["Overview", "First part"]
    assert article.last_reviewed == dt.date(2026, 1, 31)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (("references: [suri-2010]", "references: [suri-2010, no-such-ref]"), "references",
         "no-such-ref"),
        (("evidence_level: 1", "evidence_level: 7"), "evidence_level", "1-5"),
        (("evidence_level: 1", "evidence_level: high"), "evidence_level", "1-5"),
        (("last_reviewed: 2026-01-31", "last_reviewed: last spring"), "last_reviewed",
         "YYYY-MM-DD"),
        (("related_tools: [check]", "related_tools: [teleport]"), "related_tools", "check"),
        (("summary: One line.\n", ""), "summary", "missing"),
        (("id: sample", "id: other"), "id", "file name"),
        (("title: A sample", "title: A: sample: bad"), "front matter", "YAML"),
        (("audience: patients\n", "audience: patients\ncolour: blue\n"), "colour", "known"),
    ],
)
def test_bad_front_matter_names_the_file_and_field(
    tmp_path: Path, change: tuple[str, str], field: str, words: str
) -> None:
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ArticleError) as info:
        load_articles_from([path], load_references())
    assert info.value.field == field
    message = str(info.value)
    assert message.startswith("sample.md: field ")
    assert words in message


def test_evidence_level_cannot_be_stronger_than_the_cited_references(tmp_path: Path) -> None:
    text = GOOD.replace("references: [suri-2010]", "references: [seed-stenosis-guide]")
    with pytest.raises(ArticleError, match="stronger than any cited reference"):
        load_articles_from([_write(tmp_path, text)], load_references())


def test_missing_front_matter_and_duplicate_ids_fail(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="must start with a '---' line"):
        load_articles_from([_write(tmp_path, "# Just a heading\n")], load_references())
    first = _write(tmp_path, GOOD)
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    second = _write(other_dir, GOOD)
    with pytest.raises(ArticleError, match="already used"):
        load_articles_from([first, second], load_references())
