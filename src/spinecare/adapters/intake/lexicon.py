"""Load and check the intake lexicon (content/intake/lexicon.yaml).

The lexicon is data: lay phrases as regular expressions with the findings they set,
the ConText rules for negation and uncertainty, the red-flag keys and the clause
grammar. Every problem is reported with the entry id so a bad edit is easy to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from spinecare.adapters.artefact_cache import ArtefactCache, compile_regexes, file_parts
from spinecare.clinical import findings as _findings_module
from spinecare.clinical import vocabulary as _vocabulary_module
from spinecare.clinical.findings import FindingsError, parse_findings
from spinecare.clinical.vocabulary import VOCABULARY
from spinecare.paths import CONTENT_DIR

LEXICON_PATH = CONTENT_DIR / "intake" / "lexicon.yaml"
# What a parsed lexicon depends on besides its file: the parser and the vocabulary it checks
# keys against (the artefact cache's key, so an edit to either is never served stale).
_PARSED_BY = (Path(__file__), Path(_findings_module.__file__ or ""),
              Path(_vocabulary_module.__file__ or ""))
_MACRO = re.compile(r"\{([A-Z][A-Z_]*)\}")
# A wildcard word in a phrase never swallows a negation: otherwise "have no history of
# cancer" would match "have … cancer" and, holding its own "no", escape ConText.
_NEGATION_WORD = (r"(?:no|not|never|nothing|none|nor|neither|without|nobody|dont|cant|wont|"
                  r"havent|hasnt|hadnt|didnt|doesnt|isnt|arent|wasnt|werent|couldnt|wouldnt)\b")
_SAFE_WORD = rf"(?:(?!{_NEGATION_WORD})\w+)"
_SAFE_WORD_APOS = rf"(?:(?![\w']*n'?t\b)(?!{_NEGATION_WORD})[\w']+)"
CATEGORIES = {"NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HYPOTHETICAL", "FAMILY",
              "HISTORICAL", "PAST", "PSEUDO", "TERMINATE"}
DIRECTIONS = {"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"}


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the entry and the fix."""


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    id: str
    keys: tuple[str, ...]
    value: bool | None
    patterns: tuple[str, ...]   # expanded regular expressions
    negate_all: bool = False
    # For a bare mention (value None): the value it sets when negated ("no numbness").
    if_negated: bool | None = None
    # Entry ids whose overlapping match cancels this one ("numb between my legs" is saddle
    # numbness, not numb legs).
    suppressed_by: tuple[str, ...] = ()
    # False for phrases a negation says nothing about: a negated match is dropped
    # ("no weakness in my legs" says nothing about how many legs).
    negatable: bool = True
    # A hint, not a statement ("I feel hot", "I use heroin"): the key is reported as
    # uncertain so the interview asks it. Only for value: null entries.
    ask: bool = False
    # What the phrase means when told as the past ("I used to smoke"): these keys and
    # values replace the entry's own (a history key keeps its value without this).
    if_past: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class ContextSpec:
    literal: str
    category: str
    direction: str
    pattern: list[dict[str, Any]] | None = None
    max_scope: int | None = None


@dataclass(frozen=True, slots=True)
class Implication:
    when: dict[str, bool]
    then: dict[str, bool]


@dataclass(frozen=True, slots=True)
class ScopeGrammar:
    joiners: frozenset[str]
    list_glue: frozenset[str]
    clause_glue: frozenset[str]
    predicate_words: frozenset[str]


@dataclass(frozen=True, slots=True)
class Coordination:
    """Where a head ("can't", "unable to", "lost") carries over a list (reading.py)."""
    head: re.Pattern[str]
    stop: re.Pattern[str]
    determiners: frozenset[str]
    subjects: frozenset[str]
    predicates: frozenset[str]


@dataclass(frozen=True, slots=True)
class Lexicon:
    version: int
    entries: dict[str, LexiconEntry]
    context: tuple[ContextSpec, ...]
    red_flag_keys: frozenset[str]
    true_wins: frozenset[str]
    implications: tuple[Implication, ...]
    scope: ScopeGrammar
    # Keys about the person's past: a past-tense telling keeps them ("had cancer years ago").
    history_keys: frozenset[str] = frozenset()
    # Keys a relative's mention is about ("my mum had cancer"); other findings under a
    # relative's name are kept: a carer tells the story of the person they care for.
    family_keys: frozenset[str] = frozenset()
    coordination: Coordination | None = None
    # Lay words the lexicon spells out, for the spelling repair (reading.py).
    words: frozenset[str] = frozenset()
    # Words that keep a PAST-dated finding current ("years ago … and it's still bad").
    present_markers: re.Pattern[str] | None = None


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in macros:
            raise LexiconError(f"{where}: unknown macro {{{name}}}; define it under 'macros'")
        return macros[name]

    expanded = _MACRO.sub(sub, pattern)
    # A space in a phrase matches any run of whitespace (people type double spaces, newlines).
    # People often type without apostrophes ("cant", "dont", "Im", "ive").
    expanded = expanded.replace("n't", "n'?t").replace("I'm", "I'?m").replace("I've", "I'?ve")
    expanded = expanded.replace("[\\w']+", _SAFE_WORD_APOS).replace("\\w+", _SAFE_WORD)
    expanded = expanded.replace(" ?", r"\s*").replace(" ", r"\s+")
    # Whole words only: a phrase never matches inside a longer word.
    expanded = rf"(?<![\w']){expanded}(?![\w])"
    try:
        re.compile(expanded, re.IGNORECASE)
    except re.error as exc:
        raise LexiconError(f"{where}: invalid regular expression ({exc}): {pattern!r}") from exc
    return expanded


def _check_keys(keys: list[str], where: str) -> None:
    for key in keys:
        if key not in VOCABULARY:
            raise LexiconError(f"{where}: {key!r} is not a findings key (see FINDINGS.md)")


def _bool_map(raw: Any, where: str) -> dict[str, bool]:
    if not isinstance(raw, dict):
        raise LexiconError(f"{where}: expected a mapping of finding key: true/false")
    try:
        parse_findings(raw)
    except FindingsError as exc:
        raise LexiconError(f"{where}: {exc}") from exc
    return {str(k): bool(v) for k, v in raw.items()}


_GROUP = re.compile(r"([a-z]*)\(\?:([a-z |'-]+)\)(\??)")
_PLURAL = re.compile(r"([a-z]+)s\?")


def pattern_words(source: str) -> set[str]:
    """The plain words a pattern spells out ("tingl(?:e|ing)" gives tingle, tingling)."""
    words: set[str] = set()
    text = re.sub(r"\\[a-zA-Z]", " ", source.lower())
    for m in _GROUP.finditer(text):
        stem, alts, optional = m.groups()
        for alt in alts.split("|"):
            words.update(_WORD_RUN.findall(stem + alt))
        if optional:
            words.update(_WORD_RUN.findall(stem))
    for m in _PLURAL.finditer(text):
        words.update((m.group(1), m.group(1) + "s"))
    words.update(_WORD_RUN.findall(text))
    return {w for w in words if len(w) >= 4}


_WORD_RUN = re.compile(r"[a-z]{4,}")


def _classes(data: Any) -> dict[str, str]:
    """Word classes (lists of lay words) as macros: {NAME} matches any of them."""
    out: dict[str, str] = {}
    for name, words in (data.get("classes") or {}).items():
        if not isinstance(words, list) or not words:
            raise LexiconError(f"classes.{name}: expected a non-empty list of words")
        alts = sorted((str(w) for w in words), key=len, reverse=True)
        out[str(name)] = "(?:" + "|".join(alts) + ")"
    return out


def _coordination(raw: Any) -> Coordination | None:
    if not raw:
        return None
    try:
        head = re.compile(r"(?<![\w'])(?:" + "|".join(raw["heads"]) + r")(?![\w'])",
                          re.IGNORECASE)
        stop = re.compile(r"\b(?:" + "|".join(raw["stops"]) + r")\b", re.IGNORECASE)
    except (KeyError, TypeError, re.error) as exc:
        raise LexiconError(f"coordination: needs 'heads' and 'stops' as lists of regular "
                           f"expressions ({exc})") from exc
    return Coordination(head, stop,
                        frozenset(str(w).lower() for w in raw.get("determiners") or []),
                        frozenset(str(w).lower() for w in raw.get("subjects") or []),
                        frozenset(str(w).lower() for w in raw.get("predicates") or []))


def _present(raw: Any) -> re.Pattern[str] | None:
    if not raw:
        return None
    words = sorted((re.escape(str(w)) for w in raw), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


def parse_lexicon(data: Any) -> Lexicon:
    if not isinstance(data, dict):
        raise LexiconError("lexicon: expected a mapping at the top level")
    classes = _classes(data)
    macros = dict(classes)
    for k, v in (data.get("macros") or {}).items():
        macros[str(k)] = _MACRO.sub(lambda m: classes.get(m.group(1), m.group(0)), str(v))
    negate_all = set(data.get("negate_all") or [])
    entries: dict[str, LexiconEntry] = {}
    for i, raw in enumerate(data.get("findings") or []):
        where = f"findings[{i}] ({raw.get('id', '?') if isinstance(raw, dict) else '?'})"
        if not isinstance(raw, dict) or not raw.get("id"):
            raise LexiconError(f"{where}: each entry needs an 'id'")
        entry_id = str(raw["id"])
        if entry_id in entries:
            raise LexiconError(f"{where}: duplicate id {entry_id!r}; ids must be unique")
        keys = raw.get("keys") or ([raw["key"]] if raw.get("key") else [])
        if not keys:
            raise LexiconError(f"{where}: give 'key' or 'keys'")
        _check_keys(keys, where)
        value = raw.get("value", True)
        if value is not None and not isinstance(value, bool):
            raise LexiconError(f"{where}: value must be true, false or null, got {value!r}")
        for key in keys:
            if value is not None and VOCABULARY[key].type.value != "bool":
                raise LexiconError(f"{where}: {key!r} is not a yes/no finding")
        if_negated = raw.get("if_negated")
        if if_negated is not None and (value is not None or not isinstance(if_negated, bool)):
            raise LexiconError(f"{where}: if_negated (true/false) is only for value: null entries")
        if_past = raw.get("if_past") or {}
        if if_past:
            _check_keys(list(if_past), where)
            if_past = _bool_map(if_past, f"{where} if_past")
        if raw.get("ask") and value is not None:
            raise LexiconError(f"{where}: ask: true is only for value: null entries")
        patterns = raw.get("patterns") or []
        if not patterns:
            raise LexiconError(f"{where}: 'patterns' is empty")
        entries[entry_id] = LexiconEntry(
            entry_id, tuple(keys), value,
            tuple(_expand(str(p), macros, f"{where} pattern {j}") for j, p in enumerate(patterns)),
            negate_all=entry_id in negate_all,
            if_negated=if_negated,
            suppressed_by=tuple(str(x) for x in raw.get("suppressed_by") or []),
            negatable=bool(raw.get("negatable", True)),
            ask=bool(raw.get("ask", False)),
            if_past=tuple(if_past.items()),
        )
    for entry in entries.values():
        missing = [x for x in entry.suppressed_by if x not in entries]
        if missing:
            raise LexiconError(f"{entry.id}: suppressed_by names unknown entry ids {missing}")
    unknown_negate = negate_all - entries.keys()
    if unknown_negate:
        raise LexiconError(f"negate_all: unknown entry ids {sorted(unknown_negate)}")

    context: list[ContextSpec] = []
    for i, raw in enumerate(data.get("context") or []):
        where = f"context[{i}] ({raw.get('literal', '?')})"
        category = str(raw.get("category", "")).upper()
        direction = str(raw.get("direction", "")).upper()
        if category not in CATEGORIES:
            raise LexiconError(f"{where}: category must be one of {sorted(CATEGORIES)}")
        if direction not in DIRECTIONS:
            raise LexiconError(f"{where}: direction must be one of {sorted(DIRECTIONS)}")
        context.append(ContextSpec(str(raw["literal"]), category, direction,
                                   raw.get("pattern"), raw.get("max_scope")))

    red = list(data.get("red_flag_keys") or [])
    _check_keys(red, "red_flag_keys")
    true_wins = list(data.get("true_wins") or [])
    _check_keys(true_wins, "true_wins")
    implications = []
    for i, raw in enumerate(data.get("implies") or []):
        implications.append(Implication(_bool_map(raw.get("if"), f"implies[{i}].if"),
                                        _bool_map(raw.get("then"), f"implies[{i}].then")))
    scope = data.get("scope") or {}
    grammar = ScopeGrammar(
        frozenset(str(w).lower() for w in scope.get("joiners") or []),
        frozenset(str(w).lower() for w in scope.get("list_glue") or []),
        frozenset(str(w).lower() for w in scope.get("clause_glue") or []),
        frozenset(str(w).lower() for w in scope.get("predicate_words") or []),
    )
    history = list(data.get("history_keys") or [])
    _check_keys(history, "history_keys")
    family = list(data.get("family_keys") or [])
    _check_keys(family, "family_keys")
    words: set[str] = set()
    for value in macros.values():
        words |= pattern_words(value)
    for raw in data.get("findings") or []:
        for p in raw.get("patterns") or []:
            words |= pattern_words(_MACRO.sub("", str(p)))
    return Lexicon(int(data.get("version", 1)), entries, tuple(context), frozenset(red),
                   frozenset(true_wins), tuple(implications), grammar, frozenset(history),
                   frozenset(family), _coordination(data.get("coordination")),
                   frozenset(words), _present(data.get("present_markers")))


def read_lexicon(path: Path = LEXICON_PATH, cache: ArtefactCache | None = None) -> Lexicon:
    """The lexicon at ``path``, parsed and checked; with a ``cache``, parsed once and read
    back by later processes (the YAML and the ~800 checks take about half a second)."""

    def build() -> Lexicon:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise LexiconError(f"cannot read the intake lexicon {path}: {exc}") from exc
        return parse_lexicon(data)

    if cache is None:
        return build()
    return cache.load_or_build("intake-lexicon", file_parts([path, *_PARSED_BY]), build, Lexicon)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon, parsed once per process (for scripts and tests; the application holds
    the one its text extractor was built with)."""
    return read_lexicon(path)


def phrase_regexes(
    lexicon: Lexicon, cache: ArtefactCache | None = None
) -> list[tuple[str, re.Pattern[str]]]:
    """(entry id, compiled pattern) for every phrase pattern, in lexicon order; with a
    ``cache``, the compiled programs are stored and read back instead of compiled again."""
    labelled = [(entry.id, p) for entry in lexicon.entries.values() for p in entry.patterns]
    compiled = compile_regexes([p for _, p in labelled], re.IGNORECASE, cache, "intake-phrases")
    return [(label, regex) for (label, _), regex in zip(labelled, compiled, strict=True)]
