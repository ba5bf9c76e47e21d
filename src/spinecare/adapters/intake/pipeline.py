"""Build the spaCy + medspaCy pipeline once and reuse it.

A blank English pipeline (no model download is needed):

1. spaCy's rule-based ``sentencizer``: lay text ends its sentences with . ! ?; the
   medspaCy default, PyRuSH, is tuned for clinical notes and took ~2.5 ms a document
   here against ~0.05 ms (sentence ends matter only as the outer limit of a ConText
   scope; clause limits are in scope.py);
2. ``spinecare_intake_phrases``: the lexicon's lay phrases as target spans (phrases.py);
3. medspaCy ConText with the lexicon's own rules for lay speech instead of the
   clinical-note defaults, each negation/uncertainty rule limited by scope.py.

Given an artefact cache (``spinecare.adapters.artefact_cache``), the phrases' ~800
compiled regular expressions are read back from it instead of compiled again (about a
third of a second per process); importing spaCy and medspaCy remains the bulk of the cost.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any, cast

import spacy
from loguru import logger
from medspacy.context import ConTextRule
from spacy.language import Language

from spinecare.adapters.artefact_cache import ArtefactCache
from spinecare.adapters.intake import phrases
from spinecare.adapters.intake.lexicon import Lexicon, load_lexicon, phrase_regexes
from spinecare.adapters.intake.scope import SPAN_GROUP, make_scope_check

# medspaCy imports PyRuSH, which logs a DEBUG line through loguru for every document.
logger.disable("PyRuSH")
logger.disable("medspacy")

_lock = threading.Lock()


def build_nlp(lexicon: Lexicon, cache: ArtefactCache | None = None) -> Language:
    """The pipeline over ``lexicon`` (its phrases' compiled patterns from ``cache`` if any)."""
    import medspacy  # noqa: F401  (registers the medspacy_context factory)

    assert phrases.SPAN_GROUP == SPAN_GROUP
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    marker = cast(phrases.PhraseMarker, nlp.add_pipe("spinecare_intake_phrases"))
    marker.use(phrase_regexes(lexicon, cache))
    context: Any = nlp.add_pipe(  # medspaCy's ConText (untyped)
        "medspacy_context",
        config={"rules": None, "input_span_type": "group", "span_group_name": SPAN_GROUP},
    )
    context.add([
        ConTextRule(
            spec.literal, spec.category, pattern=spec.pattern, direction=spec.direction,
            max_scope=spec.max_scope,
            on_modifies=(None if spec.direction in ("TERMINATE", "PSEUDO")
                         else make_scope_check(lexicon.scope, spec.category)),
        )
        for spec in lexicon.context
    ])
    return nlp


@lru_cache(maxsize=1)
def _default_nlp() -> Language:
    return build_nlp(load_lexicon())


def get_nlp() -> Language:
    """The shared pipeline (built on first use, well under a second)."""
    with _lock:
        return _default_nlp()
