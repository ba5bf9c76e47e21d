"""Validated questionnaires (PROMs): definitions as data, exact scoring, bands, MCID, change.

Pure: no I/O. Definitions are built from mappings by ``parse_definition``; loading the
YAML files and a clinic's imported licensed wording happens in
``spinecare.adapters.instrument_files``.
"""

from spinecare.clinical.instruments.answers import AnswerError, AnswerProblem, normalise_answers
from spinecare.clinical.instruments.change import ChangeError, ChangeResult, compute_change
from spinecare.clinical.instruments.model import InstrumentDefinition, Item, ItemKind, Option
from spinecare.clinical.instruments.parse import DefinitionError, parse_definition
from spinecare.clinical.instruments.result import ScoreResult, SubscaleScore, round_half_up
from spinecare.clinical.instruments.scoring import ScoringOptions, score_answers

__all__ = [
    "AnswerError",
    "AnswerProblem",
    "ChangeError",
    "ChangeResult",
    "DefinitionError",
    "InstrumentDefinition",
    "Item",
    "ItemKind",
    "Option",
    "ScoreResult",
    "ScoringOptions",
    "SubscaleScore",
    "compute_change",
    "normalise_answers",
    "parse_definition",
    "round_half_up",
    "score_answers",
]
