"""Build the spaCy + medspaCy pipeline once and reuse it.

A blank English pipeline (no model download is needed): PyRuSH sentence splitting,
the medspaCy target matcher loaded with the lexicon's phrases (regular expressions,
overlapping matches kept in a span group so "both legs are weak" can set several
findings), and ConText with the lexicon's own rules for lay speech instead of the
clinical-note defaults.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import spacy
from loguru import logger
from medspacy.context import ConTextRule
from medspacy.target_matcher import TargetRule
from spacy.language import Language

from spinecare.intake.lexicon import Lexicon, load_lexicon
from spinecare.intake.scope import SPAN_GROUP, make_scope_check

# PyRuSH logs a DEBUG line through loguru for every document.
logger.disable("PyRuSH")
logger.disable("medspacy")

_lock = threading.Lock()


def build_nlp(lexicon: Lexicon) -> Language:
    import medspacy  # noqa: F401  (registers the medspacy_* factories)

    nlp = spacy.blank("en")
    nlp.add_pipe("medspacy_pyrush")
    matcher = nlp.add_pipe(
        "medspacy_target_matcher",
        config={"result_type": "group", "span_group_name": SPAN_GROUP, "prune": False},
    )
    matcher.add([
        TargetRule(entry.id, entry.id, pattern=pattern)
        for entry in lexicon.entries.values()
        for pattern in entry.patterns
    ])
    context = nlp.add_pipe(
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
    """The shared pipeline (built on first use, about a second)."""
    with _lock:
        return _default_nlp()
