"""What the intake understood, as plain data for any front end (CLI table, web page).

Shared by ``spinecare check --text`` and the web check so both show the same thing:
each finding in plain words, its value, and the person's own words behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from spinecare.clinical.findings import FindingsError, parse_findings
from spinecare.clinical.vocabulary import VOCABULARY, answer_text

# Quoted words are shown back to the person; keep them short (they travel in a cookie on the web).
MAX_QUOTE_CHARS = 120
MAX_QUOTES_PER_FINDING = 3


@dataclass(frozen=True, slots=True)
class Understood:
    key: str
    value: Any
    meaning: str              # the finding in plain words (VOCABULARY meaning)
    question: str             # the interview's question for it
    answer: str               # the value in words: "yes", "no", "200 m"
    quotes: tuple[str, ...]   # the person's words behind it, each already in quotes


def quoted_words(findings: Mapping[str, Any], spans: Iterable[Any] | None,
                 negated_mark: str = " (negated)") -> dict[str, list[str]]:
    """For each finding, the distinct pieces of text that set it, quoted; words that were
    negated in the text ("no fever") are marked with ``negated_mark``."""
    words: dict[str, list[str]] = {}
    for span in spans or ():
        key, text = getattr(span, "key", None), getattr(span, "text", None)
        if key in findings and isinstance(text, str) and getattr(span, "value", None) is not None:
            text = text if len(text) <= MAX_QUOTE_CHARS else text[: MAX_QUOTE_CHARS - 1] + "…"
            quoted = f"“{text}”{negated_mark}" if getattr(span, "negated", False) else f"“{text}”"
            found = words.setdefault(str(key), [])
            if quoted not in found and len(found) < MAX_QUOTES_PER_FINDING:
                found.append(quoted)
    return words


def understood(findings: Mapping[str, Any],
               quotes: Mapping[str, Iterable[str]] | None = None) -> list[Understood]:
    """One row per finding, in the order given."""
    rows = []
    for key, value in findings.items():
        defn = VOCABULARY.get(key)
        meaning = defn.meaning if defn is not None else key.replace("_", " ")
        question = (defn.question or meaning) if defn is not None else meaning
        rows.append(Understood(key, value, meaning, question, answer_text(key, value),
                               tuple((quotes or {}).get(key, ()))))
    return rows


def valid_findings(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The extracted findings that pass the vocabulary's checks; an invalid one is left out
    (it stays unknown, so the interview asks it) rather than failing the whole text."""
    try:
        return dict(parse_findings(raw).as_dict())
    except FindingsError as exc:
        bad = {p.key for p in exc.problems}
        kept = {k: v for k, v in raw.items() if k not in bad}
        return dict(parse_findings(kept).as_dict()) if kept else {}
