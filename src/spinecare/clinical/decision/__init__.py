"""The treatment decision aid: stepped pathway placement and option statuses (pure core)."""

from spinecare.clinical.decision.grid import GridError, OptionGrid, TreatmentOption, parse_grid
from spinecare.clinical.decision.inputs import (
    SUPPORTED_CONDITIONS,
    Benefit,
    DecisionInput,
    DecisionInputError,
    Deficit,
    InputProblem,
    parse_decision_input,
)
from spinecare.clinical.decision.pathway import OPTION_IDS, evaluate
from spinecare.clinical.decision.red_flags import (
    RED_FLAGS,
    WARNING_SIGNS,
    Answer,
    Urgency,
    assess_signs,
)
from spinecare.clinical.decision.result import (
    STATUS_LABELS,
    DecisionResult,
    OptionAssessment,
    Reason,
    Stage,
    Status,
)
from spinecare.clinical.decision.rules import RULES, RULES_VERSION

__all__ = [
    "OPTION_IDS",
    "RED_FLAGS",
    "RULES",
    "RULES_VERSION",
    "STATUS_LABELS",
    "SUPPORTED_CONDITIONS",
    "WARNING_SIGNS",
    "Answer",
    "Benefit",
    "DecisionInput",
    "DecisionInputError",
    "DecisionResult",
    "Deficit",
    "GridError",
    "InputProblem",
    "OptionAssessment",
    "OptionGrid",
    "Reason",
    "Stage",
    "Status",
    "TreatmentOption",
    "Urgency",
    "assess_signs",
    "evaluate",
    "parse_decision_input",
    "parse_grid",
]
