"""Free text -> findings: run the pipeline, read ConText's verdicts, combine safely."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from spinecare.adapters.intake import numbers
from spinecare.adapters.intake.lexicon import Lexicon, load_lexicon
from spinecare.adapters.intake.pipeline import get_nlp
from spinecare.adapters.intake.reading import Reading, Speller, read
from spinecare.adapters.intake.result import FindingSpan, IntakeResult, Value
from spinecare.adapters.intake.scope import SPAN_GROUP
from spinecare.clinical.findings import parse_findings

MAX_CHARS = 20_000
# ConText compares every trigger with every other in a document, so a long run of
# triggers ("no no no …") costs quadratic time. Text is processed in pieces of whole
# sentences up to this size; a single longer "sentence" is cut at a comma (or a space).
CHUNK_CHARS = 1500
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")
UNCERTAIN = {"POSSIBLE_EXISTENCE", "HYPOTHETICAL"}
# A phrase that holds its own negation ("not even lying down", "my back doesn't hurt") is
# not negated again by a trigger outside it.
NEGATION_WORDS = {"no", "not", "n't", "never", "nothing", "without", "none", "nor"}
# A hedge inside a matched phrase ("my legs might be a bit weaker") is not seen by ConText,
# which only looks outside the phrase, so it is checked here: the finding stays unknown.
HEDGE_WORDS = {"might", "may", "maybe", "perhaps", "possibly", "mite"}


def _normalise(text: str) -> str:
    # Same length, so character offsets still point into the original text.
    return text.translate(str.maketrans("’‘`´", "''''"))


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering the text in whole sentences of bounded size."""
    start = 0
    pieces: list[tuple[int, int]] = []
    for m in _SENTENCE_END.finditer(text):
        pieces.append((start, m.start()))
        start = m.end()
    pieces.append((start, len(text)))
    chunk_start, chunk_end = pieces[0]
    for piece_start, piece_end in pieces[1:]:
        if piece_end - chunk_start <= CHUNK_CHARS:
            chunk_end = piece_end
            continue
        yield from _cut(text, chunk_start, chunk_end)
        chunk_start, chunk_end = piece_start, piece_end
    yield from _cut(text, chunk_start, chunk_end)


def _cut(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    while end - start > CHUNK_CHARS:
        cut = text.rfind(", ", start, start + CHUNK_CHARS) + 1
        if cut <= start:
            cut = text.rfind(" ", start, start + CHUNK_CHARS)
        cut = cut if cut > start else start + CHUNK_CHARS
        yield start, text[start:cut]
        start = cut
    if end > start:
        yield start, text[start:end]


@lru_cache(maxsize=4)
def _speller(words: frozenset[str]) -> Speller:
    """One speller per lexicon vocabulary (keyed by the words, not by an object id that a
    later lexicon could reuse)."""
    return Speller(words)


def _lexicon_spans(text: str, lexicon: Lexicon, nlp: Language) -> list[FindingSpan]:
    spans: list[FindingSpan] = []
    reading = read(_normalise(text), lexicon, _speller(lexicon.words))
    chunks = list(_chunks(reading.text))
    for (offset, _), doc in zip(chunks, nlp.pipe(c for _, c in chunks), strict=True):
        spans.extend(_doc_spans(doc, offset, text, lexicon, reading))
    return spans


def _key_values(entry_keys: tuple[str, ...], value: bool | None, historical: bool,
                if_past: tuple[tuple[str, bool], ...],
                lexicon: Lexicon) -> list[tuple[int, str, bool | None]]:
    """(position, key, value) pairs a match sets; told as the past, a current finding says
    nothing now ("I had sciatica years ago") while history stays history."""
    if not historical:
        return [(i, k, value) for i, k in enumerate(entry_keys)]
    if if_past and value is not None:
        return [(i, k, v) for i, (k, v) in enumerate(if_past)]
    # Told as the past, only history keys (or a hedge, which decides nothing) are kept.
    return [(i, k, value if k in lexicon.history_keys else None)
            for i, k in enumerate(entry_keys) if k in lexicon.history_keys or value is None]


_CONTRAST = re.compile(r"\b(?:but|though|although|however|whereas|yet)\b|;", re.IGNORECASE)


def _still_current(span: Span, lexicon: Lexicon) -> bool:
    """"Hurt my back years ago and it's still bad": a present word in the same part of the
    sentence (not across "but") keeps a PAST-dated finding current."""
    if lexicon.present_markers is None:
        return False
    sent = span.sent
    text = sent.text
    at = span.start_char - sent.start_char
    cuts = [0] + [m.end() for m in _CONTRAST.finditer(text)] + [len(text)]
    left = max(c for c in cuts if c <= at)
    right = min((c for c in cuts if c > at), default=len(text))
    return lexicon.present_markers.search(text, left, right) is not None


def _doc_spans(doc: Doc, offset: int, text: str, lexicon: Lexicon,
               reading: Reading) -> list[FindingSpan]:
    matches = list(doc.spans.get(SPAN_GROUP, []))
    spans: list[FindingSpan] = []
    for span in matches:
        entry = lexicon.entries[span.label_]
        if any(other.label_ in entry.suppressed_by and other.start < span.end
               and span.start < other.end for other in matches):
            continue
        categories = {m.category for m in span._.modifiers}
        if "FAMILY" in categories and (not lexicon.family_keys
                                       or set(entry.keys) & lexicon.family_keys):
            continue  # someone else's history ("my mum had breast cancer")
        self_polar = entry.value is False or any(t.lower_ in NEGATION_WORDS for t in span)
        negated = "NEGATED_EXISTENCE" in categories and not self_polar
        if negated and not entry.negatable:
            continue  # "no weakness in my legs" says nothing about how many legs
        uncertain = (bool(categories & UNCERTAIN) or (entry.ask and not negated)
                     or any(t.lower_ in HEDGE_WORDS for t in span))
        if entry.value is None:
            # A bare word ("no numbness") sets a finding only when negated, and only when
            # no longer phrase around it says more ("no numbness down below").
            inside_other = any(
                o is not span and lexicon.entries[o.label_].value is not None
                and o.start <= span.start and span.end <= o.end for o in matches)
            value = entry.if_negated if negated and not inside_other else None
        else:
            value = (not entry.value) if negated else entry.value
        past = "PAST" in categories and not _still_current(span, lexicon)
        historical = ("HISTORICAL" in categories or past) and not negated
        for i, key, key_value in _key_values(entry.keys, value, historical, entry.if_past,
                                             lexicon):
            if negated and i > 0 and not entry.negate_all:
                continue  # "no weakness in both legs" says nothing about both legs
            start, end = reading.span(offset + span.start_char, offset + span.end_char)
            spans.append(FindingSpan(key, key_value, text[start:end], start, end, negated,
                                     uncertain, entry.id))
    return spans


def _resolve(spans: list[FindingSpan], lexicon: Lexicon) -> tuple[dict[str, Value], list[str]]:
    values: dict[str, set[Value]] = defaultdict(set)
    unsure: set[str] = set()
    for s in spans:
        if s.uncertain:
            unsure.add(s.key)
        elif s.value is not None:
            values[s.key].add(s.value)
    findings: dict[str, Value] = {}
    for key, seen in values.items():
        if key in lexicon.red_flag_keys or key in lexicon.true_wins:
            if True in seen:
                findings[key] = True       # a present red flag always wins
            elif key not in unsure:
                findings[key] = False
        elif len(seen) == 1:
            findings[key] = next(iter(seen))
        else:
            unsure.add(key)                # the story says both: ask
    uncertain = sorted(k for k in unsure if k not in findings)
    return findings, uncertain


def _apply_implications(findings: dict[str, Value], spans: list[FindingSpan],
                        lexicon: Lexicon, uncertain: list[str]) -> None:
    changed = True
    while changed:
        changed = False
        for rule in lexicon.implications:
            if not all(findings.get(k) == v for k, v in rule.when.items()):
                continue
            source = next((s for s in spans if s.key in rule.when), None)
            for key, value in rule.then.items():
                if key in findings or key in uncertain:
                    continue
                findings[key] = value
                changed = True
                if source is not None:
                    spans.append(FindingSpan(key, value, source.text, source.start, source.end,
                                             source.negated, False, f"{source.rule}+implies"))


class TextExtractor:
    """Free text -> findings over one pipeline. The application object holds one, built by
    ``spinecare.bootstrap`` on first use (loading spaCy takes about a second)."""

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.nlp = nlp
        self.lexicon = lexicon

    def extract(self, text: str) -> IntakeResult:
        """Turn a person's own words into findings; anything unsure stays unknown."""
        return _extract(text, self.lexicon, self.nlp)


def extract_findings(text: str) -> IntakeResult:
    """``TextExtractor.extract`` over the module's shared pipeline, for scripts and the
    intake's own tests; the application uses ``Spinecare.extractor``."""
    return _extract(text, load_lexicon(), get_nlp())


def _extract(text: str, lexicon: Lexicon, nlp: Language) -> IntakeResult:
    if not isinstance(text, str):
        raise TypeError(f"extract_findings needs text (a string), got {type(text).__name__}")
    text = text[:MAX_CHARS]
    spans = _lexicon_spans(text, lexicon, nlp)
    findings, uncertain = _resolve(spans, lexicon)
    regions = {k for k in ("back_pain", "leg_pain", "neck_pain", "arm_pain", "thoracic_pain")
               if findings.get(k) is True}
    for extra in (numbers.walking_distance(text), numbers.duration(text),
                  numbers.pain_scores(text, regions), numbers.age_and_sex(text),
                  numbers.care_weeks(text)):
        for s in extra:
            if s.key not in findings:
                findings[s.key] = s.value  # type: ignore[assignment]
                spans.append(s)
    _apply_implications(findings, spans, lexicon, uncertain)
    parse_findings(findings)  # the contract: every key and value is valid
    spans.sort(key=lambda s: (s.start, s.key))
    # Keep the spans that explain a finding or an uncertainty; drop bare mentions.
    spans = [s for s in spans if s.value is not None or (s.uncertain and s.key in uncertain)]
    return IntakeResult(findings=dict(sorted(findings.items())), spans=spans,
                        uncertain=uncertain)
