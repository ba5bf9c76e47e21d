"""A spaCy component that marks the lexicon's phrases as target spans for ConText.

medspaCy's TargetMatcher can take regular expressions too, but it rebuilds the
document text once per pattern (about 6 ms a document with this lexicon); this
component compiles every pattern once and scans the text once per pattern. Spans
may overlap ("both legs are weak" is weakness and both legs), so they go into a span
group, which ConText reads with ``input_span_type="group"``.
"""

# No "from __future__ import annotations" here: spaCy resolves the factory's type hints.
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from spinecare.adapters.intake.lexicon import load_lexicon, phrase_regexes

SPAN_GROUP = "medspacy_spans"


class PhraseMarker:
    """Marks every match of the (entry id, compiled pattern) list it is given with ``use``
    (``pipeline.build_nlp`` gives it the lexicon's, compiled or read from the cache)."""

    def __init__(self, patterns: list[tuple[str, re.Pattern[str]]] | None = None):
        self.patterns = patterns

    def use(self, patterns: list[tuple[str, re.Pattern[str]]]) -> None:
        self.patterns = patterns

    def __call__(self, doc: Doc) -> Doc:
        if self.patterns is None:
            # A marker without phrases would find no red flag at all: never run one.
            raise RuntimeError("the intake phrase marker has no patterns; build the "
                               "pipeline with spinecare.adapters.intake.pipeline.build_nlp")
        text = doc.text
        seen: set[tuple[str, int, int]] = set()
        spans: list[Span] = []
        for label, regex in self.patterns:
            marked = "span" in regex.groupindex
            for m in regex.finditer(text):
                # A pattern may name the part that is the finding: (?P<span>…); the rest
                # is context that must be there ("numbness … it's in my bottom").
                start, end = m.span("span") if marked else m.span()
                if start < 0:
                    continue
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                if span is None or not len(span):
                    continue
                key = (label, span.start, span.end)
                if key not in seen:
                    seen.add(key)
                    spans.append(span)
        spans.sort(key=lambda s: (s.start, s.end))
        doc.spans[SPAN_GROUP] = spans
        return doc


@Language.factory("spinecare_intake_phrases", default_config={"lexicon_path": ""})
def make_phrase_marker(nlp: Language, name: str, lexicon_path: str) -> PhraseMarker:
    """With a path, the marker reads that lexicon; without one it waits for ``use`` (so the
    pipeline does not parse the lexicon a second time)."""
    if lexicon_path:
        return PhraseMarker(phrase_regexes(load_lexicon(Path(lexicon_path))))
    return PhraseMarker()
