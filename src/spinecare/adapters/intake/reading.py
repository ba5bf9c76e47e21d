"""The text the lexicon reads: the person's words with three general repairs.

1. **Spelling** ("numbess", "bladdder", "sciatia"): a word the lexicon does not know and
   English does not know is replaced by the one lexicon word within a small edit distance
   (rapidfuzz, optimal string alignment, so a swapped pair of letters is one edit).
   Guards against false matches: words under 5 letters are never changed; the first letter
   must agree; 1 edit up to 6 letters, 2 from 7; a tie between two lexicon words changes
   nothing; a capitalised word inside a sentence (a name: "Dr Bowles") is left alone; real
   English words (the frequency lists zxcvbn ships) are never "corrected".
2. **A carer's pronouns** ("he can't feel his feet"): he/she/his/her/him → I/my/me, so the
   lexicon's first-person phrases read a story told for someone else.
3. **Coordination** ("can't wee, control my back passage or stand up"): an inability head
   ("can't", "unable to", "hasn't been able to", "lost" …, listed in the lexicon) carries
   over every item of the list after it; the head is written again before each item. When
   the items are noun phrases ("can't feel my bottom, my privates or my feet") the verb goes
   with the head. An item that is a clause of its own ("… and my legs are weak") ends the
   list.

Every rewrite keeps a map from each character of the reading text to the original text,
so spans still quote the person's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from spinecare.adapters.intake.lexicon import Coordination, Lexicon

_WORD = re.compile(r"[A-Za-z]+")
MIN_FUZZY_LENGTH = 5


@dataclass(frozen=True, slots=True)
class Reading:
    text: str
    origin: tuple[int, ...]   # origin[i]: index in the original text of reading char i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) for a reading-text span."""
        if not self.origin:
            return start, end
        s = self.origin[min(start, len(self.origin) - 1)]
        e = self.origin[min(max(end - 1, start), len(self.origin) - 1)] + 1
        return s, max(e, s + 1)


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.origin: list[int] = []

    def keep(self, text: str, start: int) -> None:
        self.parts.append(text)
        self.origin.extend(range(start, start + len(text)))

    def put(self, text: str, start: int, length: int) -> None:
        """``text`` stands for the original ``length`` characters at ``start``."""
        self.parts.append(text)
        last = start + max(length, 1) - 1
        self.origin.extend(min(start + k, last) for k in range(len(text)))

    def build(self) -> tuple[str, list[int]]:
        return "".join(self.parts), self.origin


# --------------------------------------------------------------------------- spelling

@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    """Common English words (and so never misspellings): the word lists zxcvbn ships."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(w for name in ("english_wikipedia", "us_tv_and_film")
                     for w in FREQUENCY_LISTS[name] if w.isalpha())


class Speller:
    def __init__(self, words: Iterable[str]):
        self.words = frozenset(w for w in words if len(w) >= 4)
        self.by_initial: dict[str, list[str]] = {}
        for w in sorted(self.words):
            self.by_initial.setdefault(w[0], []).append(w)
        self._cache: dict[str, str | None] = {}

    def correct(self, word: str) -> str | None:
        """The lexicon word a misspelt ``word`` stands for, or None."""
        low = word.lower()
        if low in self._cache:
            return self._cache[low]
        found = self._correct(low)
        if len(self._cache) < 20_000:
            self._cache[low] = found
        return found

    def _correct(self, low: str) -> str | None:
        if len(low) < MIN_FUZZY_LENGTH or low in self.words or low in _english() \
                or _contraction(low):
            return None
        limit = 1 if len(low) <= 6 else 2
        choices = self.by_initial.get(low[0], [])
        best = process.extract(low, choices, scorer=OSA.distance, score_cutoff=limit, limit=3)
        if not best:
            return None
        top = best[0][1]
        tied = {w for w, d, _ in best if d == top}
        if len(tied) > 1:
            # "numbess": numbness and numbest? Only a plural/singular pair is one meaning.
            stems = {w.rstrip("s") for w in tied}
            if len(stems) > 1:
                return None
        return best[0][0]


_AUXILIARIES = {"do", "does", "did", "have", "has", "had", "is", "are", "was", "were", "could",
                "would", "should", "must", "ca", "wo", "need", "might", "sha"}
_NO_APOSTROPHE = {"youre", "theyre", "thats", "whats", "theres", "wheres", "youve", "theyve",
                  "weve", "youll", "theyll", "itll", "shes", "hes", "ive", "im"}


def _contraction(low: str) -> bool:
    """"havent", "couldnt", "youre": a contraction typed without its apostrophe."""
    return (low.endswith("nt") and low[:-2] in _AUXILIARIES) or low in _NO_APOSTROPHE


def _sentence_start(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t\"'(":
        j -= 1
    return j < 0 or text[j] in ".!?\n"


# --------------------------------------------------------------------------- pronouns

_PRONOUNS = {"he": "I", "she": "I", "his": "my", "her": "my", "him": "me",
             "himself": "myself", "herself": "myself", "hes": "I'm", "shes": "I'm"}
# "my leg's gone weak": the lexicon's phrases say "has gone"
_HAS = re.compile(r"(?<=\w)'s(?=\s+(?:gone|got|been|become|started|stopped|given)\b)",
                  re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|himself|herself)\b(?!')|\b(?:he|she)'s\b",
                      re.IGNORECASE)


# --------------------------------------------------------------------------- the reading

def _respell(text: str, speller: Speller) -> tuple[str, list[int]]:
    b = _Builder()
    pos = 0
    for m in _WORD.finditer(text):
        word = m.group()
        if word[0].isupper() and not word.isupper() and not _sentence_start(text, m.start()) \
                and word != "I":
            continue  # a name: "Dr Bowles" is not "bowels"
        fixed = speller.correct(word)
        if fixed is None or (m.start() > 0 and text[m.start() - 1] == "'"):
            continue
        b.keep(text[pos:m.start()], pos)
        b.put(fixed, m.start(), len(word))
        pos = m.end()
    b.keep(text[pos:], pos)
    return b.build()


def _repronoun(text: str) -> tuple[str, list[int]]:
    b = _Builder()
    pos = 0
    found = sorted([*_PRONOUN.finditer(text), *_HAS.finditer(text)], key=lambda m: m.start())
    for m in found:
        word = m.group().lower().replace("'", "")
        b.keep(text[pos:m.start()], pos)
        b.put(_PRONOUNS.get(word, " has"), m.start(), len(m.group()))
        pos = m.end()
    b.keep(text[pos:], pos)
    return b.build()


_CLAUSE_END = re.compile(r"[.;:!?\n()]")
_ITEM_SPLIT = re.compile(r"\s*(?:,\s*(?:and|or|nor)?|\s(?:and|or|nor|&))\s+", re.IGNORECASE)


def _items(rest: str) -> list[tuple[int, int]]:
    """(start, end) of each list item in ``rest`` (offsets into rest)."""
    items: list[tuple[int, int]] = []
    pos = 0
    for m in _ITEM_SPLIT.finditer(rest):
        items.append((pos, m.start()))
        pos = m.end()
    items.append((pos, len(rest)))
    return [(s, e) for s, e in items if e > s]


def _coordinate(text: str, grammar: Coordination) -> tuple[str, list[int]]:
    """The text, then one short sentence per later list item with the head written again:
    "I can't pee, hold in a poo or stand" + "I can't hold in a poo. I can't stand." The
    original stays as it was (its own phrases still match); each added sentence repeats
    the start of the person's sentence up to the head, so a hedge or a negation before the
    head ("I might not be able to …") still reaches every item."""
    b = _Builder()
    b.keep(text, 0)
    added = False
    for m in grammar.head.finditer(text):
        end = _CLAUSE_END.search(text, m.end())
        rest_end = end.start() if end else len(text)
        stop = grammar.stop.search(text, m.end(), rest_end)
        rest_end = stop.start() if stop else rest_end
        rest = text[m.end():rest_end]
        items = _items(rest)
        if len(items) < 2:
            continue
        first_words = rest[items[0][0]:items[0][1]].split()
        later = [rest[s:e].split() for s, e in items[1:]]
        verb: list[str] = []
        if all(w and w[0].lower() in grammar.determiners for w in later):
            # noun-phrase items: the verb of the first item goes with the head
            for w in first_words:
                if w.lower() in grammar.determiners:
                    break
                verb.append(w)
        sentence_start = max(text.rfind(c, 0, m.start()) for c in ".!?\n") + 1
        while sentence_start < m.start() and text[sentence_start].isspace():
            sentence_start += 1
        for (s, e), words in zip(items[1:], later, strict=True):
            lead = words[0].lower() if words else ""
            if lead in grammar.subjects or (
                    lead in grammar.determiners and any(
                        w.lower() in grammar.predicates for w in words[1:])):
                break  # "… and my legs are weak": a clause of its own, not an item
            if not added:
                if not re.search(r"[.!?]\s*$", text):
                    b.put(".", max(len(text) - 1, 0), 1)
                added = True
            b.put(" ", m.start(), 1)
            b.keep(text[sentence_start:m.end()], sentence_start)
            for w in verb:
                b.put(" " + w, m.end(), 1)
            b.put(" ", m.end() + s, 1)
            b.keep(text[m.end() + s:m.end() + e], m.end() + s)
            b.put(".", m.end() + e - 1, 1)
    return b.build()


def _chain(first: list[int], second: list[int]) -> list[int]:
    return [first[i] if i < len(first) else (first[-1] if first else i) for i in second]


def read(text: str, lexicon: Lexicon, speller: Speller | None = None) -> Reading:
    """The text the phrase lexicon reads, with a map back to the person's words."""
    origin = list(range(len(text)))
    current = text
    steps = []
    if speller is not None:
        steps.append(lambda t: _respell(t, speller))
    steps.append(_repronoun)
    if lexicon.coordination is not None:
        grammar = lexicon.coordination
        steps.append(lambda t: _coordinate(t, grammar))
    for step in steps:
        new, back = step(current)
        if new == current:
            continue
        origin = _chain(origin, back)
        current = new
    return Reading(current, tuple(origin))
