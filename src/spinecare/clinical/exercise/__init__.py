"""The exercise programme (pure core): library, programmes per condition, progression."""

from spinecare.clinical.exercise.library import (
    AvoidItem,
    Direction,
    Dose,
    Exercise,
    ExerciseLibrary,
    Kind,
    LibraryError,
    parse_library,
)
from spinecare.clinical.exercise.programme import (
    Programme,
    ProgrammeStatus,
    WeeklyPlan,
    programme_for,
    programme_week,
    suggested_days,
)
from spinecare.clinical.exercise.progress import (
    EFFORTS,
    KINDS,
    STATUSES,
    Change,
    Progress,
    SessionRecord,
    progress,
    trial_credit,
)
from spinecare.clinical.exercise.rules import RULES, RULES_VERSION, Rule
from spinecare.clinical.exercise.templates import TEMPLATES, Bias

__all__ = [
    "EFFORTS", "KINDS", "RULES", "RULES_VERSION", "STATUSES", "TEMPLATES", "AvoidItem", "Bias",
    "Change", "Direction", "Dose", "Exercise", "ExerciseLibrary", "Kind", "LibraryError",
    "Programme", "ProgrammeStatus", "Progress", "Rule", "SessionRecord", "WeeklyPlan",
    "parse_library", "programme_for", "programme_week", "progress", "suggested_days",
    "trial_credit",
]
