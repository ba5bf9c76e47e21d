"""Search the knowledge base: BM25 (bm25s) over article sections, with lay-term synonyms.

Every ``## `` section of every article is one passage. The index is built once per
process (``build_index``, held by ``services.search.SearchService``) and reused: building
takes milliseconds, a query well under one. A query is stemmed (PyStemmer, English) and
expanded with the synonym groups of ``content/synonyms.yaml`` ("pins and needles" ->
paraesthesia, tingling); the expansion terms score with a lower weight than the person's
own words so that they widen recall without drowning the question. Results are the best
passage of each article, ranked, with a highlighted snippet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
import yaml

from spinecare.adapters.artefact_cache import ArtefactCache, file_parts
from spinecare.adapters.library import articles as _articles_module
from spinecare.adapters.library import references as _references_module
from spinecare.adapters.library.articles import ARTICLES_DIR, Article, Section, load_articles

# The query's own checks live apart from the index (no bm25s to import them); named here too.
from spinecare.adapters.library.query import MAX_QUERY_CHARS as MAX_QUERY_CHARS
from spinecare.adapters.library.query import QueryError as QueryError
from spinecare.adapters.library.query import validate_query
from spinecare.clinical import evidence as _evidence_module
from spinecare.paths import CONTENT_DIR

SYNONYMS_PATH = CONTENT_DIR / "synonyms.yaml"
# A matched synonym group scores like one query word (its best-matching term); tuned on
# tests/data/search_questions.yaml (0.5, 0.7, 1.0, 1.3 tried; 1.0 best).
EXPANSION_WEIGHT = 1.0
SNIPPET_WORDS = 32

# bm25s's English list (33 words) misses the filler of spoken questions.
_STOPWORD_TEXT = """a about after again all am an and any are as at be been before being but by can
could did do does doing for from had has have having he her here hers him his how i
if in into is it its just me might more most much my myself of off on once only or
other our ours out over own really same she should so some such than that the their
them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours
get got getting im ive id thing things lot also still ever bit many cant dont actually
basically doesnt wont isnt arent"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[a-z0-9]+(?:['&][a-z0-9]+)*")


def _normalise(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


class Tokenizer:
    """Lower-case, split into words, stem; optionally drop stopwords."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("english")

    # The stemmer is a C object that does not pickle; an index read back from the artefact
    # cache makes a new one.
    def __getstate__(self) -> dict[str, object]:
        return {}

    def __setstate__(self, state: dict[str, object]) -> None:
        self._stemmer = Stemmer.Stemmer("english")

    def words(self, text: str) -> list[str]:
        return _WORD.findall(_normalise(text))

    def stems(self, words: Sequence[str]) -> list[str]:
        return self._stemmer.stemWords(list(words))

    def tokens(self, text: str) -> list[str]:
        """Stemmed content words (what BM25 scores)."""
        return [s for w, s in self._pairs(text) if w not in STOPWORDS]

    def all_stems(self, text: str) -> list[str]:
        """Stemmed words including stopwords (for matching multi-word phrases)."""
        return [s for _, s in self._pairs(text)]

    def _pairs(self, text: str) -> list[tuple[str, str]]:
        words = [w.replace("'", "") for w in self.words(text)]
        return list(zip(words, self.stems(words), strict=True))


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    concept: str
    phrases: tuple[tuple[str, ...], ...]   # each term as its stemmed word sequence
    # Terms of two or more content words also match with filler between them
    # ("bones are there in the back" ~ "bones in the back").
    content_phrases: tuple[tuple[str, ...], ...]
    tokens: frozenset[str]                 # all content stems of the group


class SynonymMap:
    """Lay <-> clinical term groups; ``expand`` adds the other terms of matched groups."""

    def __init__(self, groups: Iterable[SynonymGroup]):
        self.groups = tuple(groups)
        # Phrases indexed by their first stem, so matching costs one lookup per query word.
        self._by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self._content_by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for i, group in enumerate(self.groups):
            for phrase in group.phrases:
                if phrase:
                    self._by_first.setdefault(phrase[0], []).append((phrase, i))
            for phrase in group.content_phrases:
                self._content_by_first.setdefault(phrase[0], []).append((phrase, i))

    @classmethod
    def from_records(cls, records: object, tokenizer: Tokenizer, source: str = "") -> SynonymMap:
        where = f"{source}: " if source else ""
        if not isinstance(records, list):
            raise ValueError(f"{where}expected a list of {{concept, terms}} groups")
        groups = []
        for i, rec in enumerate(records, 1):
            if not isinstance(rec, dict) or not isinstance(rec.get("terms"), list):
                raise ValueError(f"{where}group {i} needs 'concept' and a list of 'terms'")
            terms = [str(t) for t in rec["terms"]]
            phrases = tuple(tuple(tokenizer.all_stems(t)) for t in terms if t.strip())
            content = tuple(
                c for c in (tuple(tokenizer.tokens(t)) for t in terms) if len(c) >= 2
            )
            tokens = frozenset(s for t in terms for s in tokenizer.tokens(t))
            concept = str(rec.get("concept", terms[0]))
            groups.append(SynonymGroup(concept, phrases, content, tokens))
        return cls(groups)

    @classmethod
    def load(cls, tokenizer: Tokenizer, path: Path = SYNONYMS_PATH) -> SynonymMap:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls.from_records(data, tokenizer, path.name)

    def matched(self, stems: Sequence[str], content: Sequence[str]) -> list[SynonymGroup]:
        """Groups with a term in the text (``stems``: all words; ``content``: no stopwords)."""
        hit: set[int] = set()
        for words, table in ((stems, self._by_first), (content, self._content_by_first)):
            for pos, word in enumerate(words):
                for phrase, group in table.get(word, ()):
                    if tuple(words[pos : pos + len(phrase)]) == phrase:
                        hit.add(group)
        return [self.groups[i] for i in sorted(hit)]

    def expand(
        self, stems: Sequence[str], content: Sequence[str], already: Iterable[str] = ()
    ) -> list[tuple[str, ...]]:
        """For each group the text mentions, its other stems (those not already present)."""
        seen = set(already) | set(content)
        extra: list[tuple[str, ...]] = []
        for group in self.matched(stems, content):
            others = tuple(sorted(group.tokens - seen))
            if others:
                extra.append(others)
        return extra


@dataclass(frozen=True, slots=True)
class Passage:
    article: Article
    section: Section
    text: str            # plain text of the section (what snippets are cut from)
    words: tuple[str, ...]   # the text split at whitespace, as shown in snippets
    stems: tuple[tuple[str, ...], ...]   # each word's content stems ("stem-cell": 2)


@dataclass(frozen=True, slots=True)
class Hit:
    article: Article
    section: Section
    score: float
    snippet: tuple[tuple[str, bool], ...]   # (text, highlighted) segments

    def snippet_text(self, before: str = "**", after: str = "**") -> str:
        return "".join(f"{before}{t}{after}" if hit else t for t, hit in self.snippet)


class SearchIndex:
    """BM25 over article sections; build once, query many times (thread-safe reads)."""

    def __init__(self, articles: Sequence[Article], synonyms: SynonymMap, tokenizer: Tokenizer):
        self.articles = tuple(articles)
        self.synonyms = synonyms
        self.tokenizer = tokenizer
        self.passages: list[Passage] = []
        corpus: list[list[str]] = []
        for article in self.articles:
            for i, section in enumerate(article.sections):
                text = section.text
                words, stems = snippet_words(text, tokenizer)
                self.passages.append(Passage(article, section, text, words, stems))
                # The title and heading say what the passage is about; the first
                # section also carries the summary, which is written as an answer.
                head = f"{article.title}. {section.heading}."
                if i == 0:
                    head += f" {article.summary}"
                corpus.append(tokenizer.tokens(f"{head} {text}") or ["__empty__"])
        self._retriever = bm25s.BM25()
        self._retriever.index(corpus, show_progress=False)
        self._vocab: dict[str, int] = self._retriever.vocab_dict
        self._article_of = np.array(
            [self.articles.index(p.article) for p in self.passages], dtype=np.int32
        )

    def _scores(self, tokens: Sequence[str]) -> np.ndarray:
        ids = [self._vocab[t] for t in tokens if t in self._vocab]
        if not ids:
            return np.zeros(len(self.passages), dtype=np.float32)
        return self._retriever.get_scores_from_ids(ids)

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """The best passage of each of the ``k`` best-matching articles."""
        query = validate_query(query)
        tokens = list(dict.fromkeys(self.tokenizer.tokens(query)))
        expansion = self.synonyms.expand(self.tokenizer.all_stems(query), tokens)
        scores = self._scores(tokens)
        for group in expansion:
            # A group counts once, by its best-matching term, so a long list of
            # synonyms cannot outweigh the person's own words.
            per_term = [self._scores([t]) for t in group if t in self._vocab]
            if per_term:
                scores = scores + EXPANSION_WEIGHT * np.max(per_term, axis=0)
        order = np.argsort(-scores, kind="stable")
        hits: list[Hit] = []
        seen: set[int] = set()
        wanted = set(tokens).union(*expansion)
        for idx in order:
            score = float(scores[idx])
            if score <= 0 or len(hits) >= k:
                break
            article_idx = int(self._article_of[idx])
            if article_idx in seen:
                continue
            seen.add(article_idx)
            passage = self.passages[idx]
            snippet = cut_snippet(passage.words, passage.stems, wanted)
            hits.append(Hit(passage.article, passage.section, round(score, 3), snippet))
        return hits


def snippet_words(
    text: str, tokenizer: Tokenizer
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Split text for snippets: the words as written, and the stems each one matches on."""
    words = tuple(text.split())
    stems = tuple(tuple(tokenizer.tokens(w)) for w in words)
    return words, stems


def make_snippet(
    text: str, wanted: set[str], tokenizer: Tokenizer, size: int = SNIPPET_WORDS
) -> tuple[tuple[str, bool], ...]:
    """The ``size``-word window with the most distinct matched words, matches marked."""
    words, stems = snippet_words(text, tokenizer)
    return cut_snippet(words, stems, wanted, size)


def cut_snippet(
    words: Sequence[str],
    stems: Sequence[tuple[str, ...]],
    wanted: set[str],
    size: int = SNIPPET_WORDS,
) -> tuple[tuple[str, bool], ...]:
    marked = [i for i, ws in enumerate(stems) if not wanted.isdisjoint(ws)]
    best_start, best_score = 0, 0
    for first in marked:
        # Start a little before the first match so the snippet reads as a sentence.
        start = max(0, min(first - 3, len(words) - size))
        score = len({stems[j] for j in marked if start <= j < start + size})
        if score > best_score:
            best_start, best_score = start, score
    end = min(len(words), best_start + size)
    marked_set = set(marked)
    segments: list[tuple[str, bool]] = []
    if best_start > 0:
        segments.append(("… ", False))
    for j in range(best_start, end):
        word = words[j]
        if j in marked_set:
            core = re.match(r"^(\W*)(.*?)(\W*)$", word)
            assert core is not None
            lead, middle, trail = core.groups()
            if lead:
                segments.append((lead, False))
            segments.append((middle, True))
            if trail:
                segments.append((trail, False))
        else:
            segments.append((word, False))
        if j < end - 1:
            segments.append((" ", False))
    if end < len(words):
        segments.append((" …", False))
    return tuple(_merge(segments))


def _merge(segments: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    merged: list[tuple[str, bool]] = []
    for text, hit in segments:
        if merged and merged[-1][1] == hit and not hit:
            merged[-1] = (merged[-1][0] + text, hit)
        else:
            merged.append((text, hit))
    return merged


def build_index(articles: Sequence[Article] | None = None) -> SearchIndex:
    """An index over ``articles`` (default: the shipped ones). Builds each time it is
    called: hold the result."""
    tokenizer = Tokenizer()
    return SearchIndex(
        load_articles() if articles is None else articles, SynonymMap.load(tokenizer), tokenizer)


def load_index(cache: ArtefactCache | None = None) -> SearchIndex:
    """The index over the shipped articles; with a ``cache``, built once and read back by
    later processes (a few milliseconds instead of loading, parsing and indexing the articles).
    The key covers every article, the synonyms, the references the articles are checked
    against, the code that builds the index and the versions of bm25s and NumPy."""
    if cache is None:
        return build_index()
    sources = [
        *sorted(ARTICLES_DIR.glob("*.md")), SYNONYMS_PATH,
        *sorted(_references_module.REFERENCES_DIR.glob("*.yaml")),
        Path(__file__), Path(_articles_module.__file__ or ""),
        Path(_references_module.__file__ or ""), Path(_evidence_module.__file__ or ""),
    ]
    parts = [bm25s.__version__, np.__version__, *file_parts(sources)]
    return cache.load_or_build("search-index", parts, build_index, SearchIndex)
