"""Published diagnostic scores as item tables: items, points, cut-offs, exactly.

Each item lists options (a predicate and its points), tried in order; when no option
matches, the item is missing. Missing items are never filled with defaults: the score
reports them, and says "positive" or "negative" only when no value of the missing
items could change the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinecare.clinical.rules.predicates import (
    OnsetAgeBelow,
    Pred,
    all_of,
    any_of,
    at_least,
    below,
    no,
    not_,
    yes,
)


@dataclass(frozen=True, slots=True)
class ScoreItem:
    id: str
    label: str
    options: tuple[tuple[Pred, float], ...]
    # Points the item can take when it is missing (for the undecided range).
    possible_points: tuple[float, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class ScoreDef:
    id: str
    name: str
    items: tuple[ScoreItem, ...]
    cutoff: float
    applies: Pred
    references: tuple[str, ...]
    interpretation: str
    note: str = ""


def _bool_item(id: str, label: str, key: str, points: float, note: str = "") -> ScoreItem:
    return ScoreItem(id, label, ((yes(key), points), (no(key), 0.0)), (0.0, points), note)


LEG_SYMPTOMS = any_of("leg_pain", "leg_symptoms_walking", "numbness_tingling_legs",
                      "leg_symptoms_bilateral", "buttock_pain")

# Konno et al. 2007 (Eur Spine J 16:1951): item weights per the faithful Japanese
# reproduction cited in clinical-evidence.md §2.1; range -3..16; cut-off >= 7
# (sensitivity 92.8%, specificity 72.0%).
KONNO = ScoreDef(
    "konno_2007", "Konno LSS diagnostic support tool",
    (
        ScoreItem("age", "Age (<60: 0, 60-69: 1, >=70: 2)",
                  ((at_least("age", 70), 2.0), (at_least("age", 60), 1.0),
                   (below("age", 60), 0.0)), (0.0, 1.0, 2.0)),
        ScoreItem("no_diabetes", "No diabetes (+1)",
                  ((no("diabetes"), 1.0), (yes("diabetes"), 0.0)), (0.0, 1.0)),
        _bool_item("intermittent_claudication", "Intermittent claudication (+3)",
                   "leg_symptoms_walking", 3.0),
        _bool_item("worse_standing", "Leg symptoms worse on standing (+2)",
                   "leg_symptoms_standing", 2.0),
        _bool_item("better_bending_forward", "Leg symptoms better bending forward (+3)",
                   "relief_sitting_or_flexion", 3.0),
        _bool_item("provoked_bending_forward", "Symptoms provoked by bending forward (-1)",
                   "pain_worse_sitting_or_bending", -1.0,
                   "An examination item; the person's report of pain on sitting or bending "
                   "forward stands in for it."),
        ScoreItem("provoked_bending_backward", "Symptoms provoked by bending backward (+1)",
                  (), (0.0, 1.0),
                  "An examination item with no finding in the vocabulary: always missing."),
        ScoreItem("abi", "Ankle-brachial index >= 0.9 (+3)",
                  ((at_least("ankle_brachial_index", 0.9), 3.0),
                   (below("ankle_brachial_index", 0.9), 0.0),
                   (no("reduced_foot_pulses"), 3.0),
                   (yes("reduced_foot_pulses"), 0.0)),
                  (0.0, 3.0),
                  "Measured ABI is used when known; otherwise normal foot pulses on "
                  "examination stand in for it (a proxy, not the published item)."),
        _bool_item("achilles_reflex_reduced", "Achilles tendon reflex reduced or absent (+1)",
                   "ankle_reflex_reduced", 1.0),
        _bool_item("slr_positive", "Straight-leg raise positive (-2)",
                   "straight_leg_raise_positive", -2.0),
    ),
    7.0, LEG_SYMPTOMS, ("konno-2007", "suri-2010"),
    ">= 7: lumbar spinal stenosis likely (sensitivity 92.8%, specificity 72.0% in the "
    "derivation study; lower specificity in outpatient validations).",
)

# Cook et al. 2011 (Physiother Res Int): 5 history/observation items; >= 4 positive:
# LR+ 4.6 (2.4-8.9); 0 positive: sensitivity 0.96, LR- 0.19.
COOK_LSS = ScoreDef(
    "cook_2011_lss_cluster", "Cook LSS history cluster",
    (
        _bool_item("bilateral", "Bilateral symptoms", "leg_symptoms_bilateral", 1.0),
        _bool_item("leg_worse_than_back", "Leg pain worse than back pain",
                   "leg_pain_worse_than_back", 1.0),
        ScoreItem("walking_standing", "Pain during walking or standing",
                  ((any_of("leg_symptoms_walking", "leg_symptoms_standing"), 1.0),
                   (all_of(no("leg_symptoms_walking"), no("leg_symptoms_standing")), 0.0)),
                  (0.0, 1.0)),
        _bool_item("relief_sitting", "Pain relieved by sitting", "relief_sitting_or_flexion",
                   1.0),
        ScoreItem("age_over_48", "Age over 48",
                  ((at_least("age", 49), 1.0), (below("age", 49), 0.0)), (0.0, 1.0)),
    ),
    4.0, LEG_SYMPTOMS, ("cook-2011",),
    ">= 4 of 5: LR+ 4.6 for lumbar spinal stenosis; 0 of 5: LR- 0.19.",
)

# ASAS 2009 (Sieper, Ann Rheum Dis 68:784): back pain > 3 months; >= 4 of 5.
ASAS_IBP = ScoreDef(
    "asas_2009_ibp", "ASAS inflammatory back pain criteria",
    (
        ScoreItem("onset_before_40", "Age at onset < 40",
                  ((OnsetAgeBelow(40), 1.0), (all_of(at_least("age", 0),
                                                    not_(OnsetAgeBelow(40))), 0.0)),
                  (0.0, 1.0)),
        _bool_item("insidious_onset", "Insidious onset", "insidious_onset", 1.0),
        _bool_item("improves_with_exercise", "Improvement with exercise",
                   "improves_with_exercise", 1.0),
        _bool_item("no_improvement_with_rest", "No improvement with rest",
                   "no_improvement_with_rest", 1.0),
        _bool_item("night_pain", "Pain at night (improves on getting up)",
                   "night_pain_eases_on_rising", 1.0),
    ),
    4.0, all_of("back_pain", any_of(at_least("duration_weeks", 12),
                                    not_(below("duration_weeks", 12)))),
    ("asas-2009",),
    ">= 4 of 5 in back pain lasting more than 3 months: inflammatory back pain "
    "(sensitivity 77.0%, specificity 91.7% in derivation).",
    "Applies only to back pain lasting more than 3 months.",
)

# Cook et al. 2010 (J Man Manip Ther 18:175): >= 3 of 5: LR+ 30.9; <= 1: LR- 0.18.
COOK_DCM = ScoreDef(
    "cook_2010_myelopathy_cluster", "Cook cervical myelopathy cluster",
    (
        _bool_item("gait_deviation", "Gait deviation", "balance_problems", 1.0,
                   "The person's report of unsteady walking stands in for observed gait "
                   "deviation."),
        _bool_item("hoffmann", "Positive Hoffmann sign", "hoffmann_sign", 1.0),
        ScoreItem("inverted_supinator", "Inverted supinator sign", (), (0.0, 1.0),
                  "Not in the vocabulary: always missing."),
        _bool_item("babinski", "Positive Babinski sign", "babinski_sign", 1.0),
        ScoreItem("age_over_45", "Age over 45",
                  ((at_least("age", 46), 1.0), (below("age", 46), 0.0)), (0.0, 1.0)),
    ),
    3.0,
    any_of("neck_pain", "arm_pain", "numbness_tingling_arms_hands", "hand_clumsiness",
           "balance_problems"),
    ("cook-2010",),
    ">= 3 of 5: LR+ 30.9 for cervical myelopathy; <= 1 of 5: LR- 0.18.",
)

SCORES: tuple[ScoreDef, ...] = (KONNO, COOK_LSS, ASAS_IBP, COOK_DCM)
