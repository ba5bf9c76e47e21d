"""Red-flag screening questions: which must be answered before a result is complete.

A question applies when its ``applies`` predicate is true (or, for the core screen,
when no symptom location is known yet). An applicable question whose finding is
unknown is listed in ``open_questions`` and the result says it is incomplete: an
unanswered red-flag question is never read as "no". The interview asks them first,
in this order (most time-critical first, clinical-evidence.md §4.2).
"""

from __future__ import annotations

from dataclasses import dataclass

from spinecare.clinical.rules.predicates import Pred, all_of, any_of, at_least, below, not_
from spinecare.clinical.triage.knowledge.red_flags import (
    ANY_INJURY,
    AORTIC_PAIN,
    HIGH_RISK_INFECTION,
    LUMBAR_OR_LEG,
    NEURO_DEFICIT,
    SPINAL_PAIN,
)


@dataclass(frozen=True, slots=True)
class ScreenQuestion:
    finding: str
    applies: Pred
    why: str
    rule_ids: tuple[str, ...]
    core: bool = False   # asked even before the symptom location is known


NECK_OR_ARM = any_of("neck_pain", "arm_pain", "numbness_tingling_arms_hands", "arm_weakness",
                     "hand_clumsiness")
# Sphincter and saddle questions apply to lumbar, thoracic and cervical presentations
# alike (issue 9 §3): at cord level the same change means cord compression.
ANY_SPINAL = any_of(SPINAL_PAIN, LUMBAR_OR_LEG, NECK_OR_ARM)
OLDER = at_least("age", 50)
# Age not yet known: a screen gated by age applies until the age says otherwise.
AGE_UNKNOWN = all_of(not_(at_least("age", 0)), not_(below("age", 0)))
# NICE CKS AAA: suspect an aneurysm in back, flank or belly pain from about 50, and at any
# adult age with a known aneurysm or arterial disease.
AORTIC_SCREEN = all_of(AORTIC_PAIN, any_of(OLDER, AGE_UNKNOWN, "known_aortic_aneurysm",
                                           "vascular_disease_history"))
VASCULAR_PATTERN = any_of("relief_standing_still", "calf_pain_predominant",
                          "reduced_foot_pulses", "vascular_disease_history")
INFECTION_CONTEXT = any_of("fever", "night_pain_unrelenting", "no_improvement_with_rest",
                           "night_sweats")

SCREEN: tuple[ScreenQuestion, ...] = (
    ScreenQuestion("saddle_anaesthesia", ANY_SPINAL,
                   "Saddle numbness is a sign of cauda equina syndrome.",
                   ("RF-CES-SADDLE",), core=True),
    ScreenQuestion("bladder_dysfunction", ANY_SPINAL,
                   "New bladder problems can mean nerves or the spinal cord are compressed.",
                   ("RF-CES-SPHINCTER", "RF-CORD-SPHINCTER", "RF-DCM-EMERGENCY"), core=True),
    ScreenQuestion("urinary_hesitancy_new", ANY_SPINAL,
                   "New difficulty starting to pass urine can be an early sign of squeezed "
                   "nerves.", ("RF-CES-SPHINCTER", "RF-CORD-SPHINCTER"), core=True),
    ScreenQuestion("bowel_dysfunction", ANY_SPINAL,
                   "New bowel problems can mean nerves or the spinal cord are compressed.",
                   ("RF-CES-SPHINCTER", "RF-CORD-SPHINCTER"), core=True),
    ScreenQuestion("sudden_severe_tearing_pain", AORTIC_SCREEN,
                   "Sudden severe pain can come from the aorta.", ("RF-AAA",)),
    ScreenQuestion("collapse_or_faintness", AORTIC_SCREEN,
                   "Fainting with back or belly pain can mean a leaking aneurysm.",
                   ("RF-AAA",)),
    ScreenQuestion("known_aortic_aneurysm", AORTIC_SCREEN,
                   "New pain with a known aneurysm needs emergency care.", ("RF-AAA-KNOWN",)),
    ScreenQuestion("abdominal_or_flank_pain", AORTIC_SCREEN,
                   "Belly or side pain with back pain can come from the aorta.", ("RF-AAA",)),
    ScreenQuestion("pulsatile_abdominal_mass", AORTIC_SCREEN,
                   "A pulsing lump in the belly can be an aneurysm.", ("RF-AAA",)),
    ScreenQuestion("leg_weakness",
                   any_of(SPINAL_PAIN, "leg_symptoms_walking", "numbness_tingling_legs",
                          "leg_symptoms_bilateral", "foot_drop"),
                   "Weakness changes how soon a nerve problem needs to be seen.",
                   ("RF-NEURO-PROGRESSIVE",), core=True),
    ScreenQuestion("weakness_progressive", any_of("leg_weakness", "arm_weakness"),
                   "Weakness that is getting worse needs prompt assessment.",
                   ("RF-NEURO-PROGRESSIVE", "RF-NEURO-BILATERAL-PROGRESSIVE")),
    ScreenQuestion("weakness_severe", any_of("leg_weakness", "arm_weakness"),
                   "Severe weakness (a foot or hand that will not lift or grip) needs prompt "
                   "assessment.", ("RF-NEURO-PROGRESSIVE", "RF-NEURO-RAPID")),
    ScreenQuestion("leg_weakness_bilateral", any_of("leg_weakness"),
                   "Weakness in both legs can mean pressure on the cord or cauda equina.",
                   ("RF-NEURO-BILATERAL-PROGRESSIVE",)),
    ScreenQuestion("hand_clumsiness", any_of(NECK_OR_ARM, "balance_problems"),
                   "Clumsy hands can be a sign of pressure on the spinal cord in the neck.",
                   ("RF-DCM",)),
    ScreenQuestion("balance_problems",
                   any_of(NECK_OR_ARM, "leg_weakness_bilateral",
                          all_of("history_of_cancer", SPINAL_PAIN)),
                   "Unsteady walking can be a sign of pressure on the spinal cord.",
                   ("RF-DCM",)),
    ScreenQuestion("arm_weakness", any_of("arm_pain", "numbness_tingling_arms_hands"),
                   "Arm weakness changes how soon a neck nerve problem needs to be seen.",
                   ("RF-NEURO-PROGRESSIVE",)),
    ScreenQuestion("trauma_recent", any_of(SPINAL_PAIN, NEURO_DEFICIT),
                   "Pain after a serious accident or fall can be a fracture.",
                   ("RF-FX-TRAUMA",), core=True),
    ScreenQuestion("fever", SPINAL_PAIN,
                   "Fever with spinal pain can be an infection.",
                   ("RF-INF-FEVER", "RF-INF-FEVER-RISK"), core=True),
    ScreenQuestion("history_of_cancer", any_of(SPINAL_PAIN, NEURO_DEFICIT),
                   "A past cancer is the strongest warning sign for cancer in the spine.",
                   ("RF-MAL-HISTORY", "RF-MAL-MSCC"), core=True),
    ScreenQuestion("numbness_tingling_legs",
                   all_of(SPINAL_PAIN, any_of("history_of_cancer", "fever", HIGH_RISK_INFECTION,
                                              "osteoporosis", "long_term_steroids")),
                   "Numbness with these risk factors can mean nerve compression.",
                   ("RF-MAL-MSCC", "RF-INF-NEURO", "RF-FX-FRAGILITY-NEURO")),
    ScreenQuestion("band_like_trunk_pain",
                   all_of("history_of_cancer", any_of("thoracic_pain", "back_pain")),
                   "Pain circling the chest or belly like a band can mean a nerve or the cord "
                   "is being pressed.", ("RF-MAL-MSCC",)),
    ScreenQuestion("iv_drug_use", all_of(SPINAL_PAIN, INFECTION_CONTEXT),
                   "Injecting drugs raises the risk of a spinal infection.",
                   ("RF-INF-FEVER-RISK", "RF-INF-RISK-PAIN")),
    ScreenQuestion("immunosuppressed", all_of(SPINAL_PAIN, INFECTION_CONTEXT),
                   "A weakened immune system raises the risk of a spinal infection.",
                   ("RF-INF-FEVER-RISK", "RF-INF-RISK-PAIN")),
    ScreenQuestion("recent_spinal_procedure",
                   all_of(SPINAL_PAIN, any_of(INFECTION_CONTEXT, NEURO_DEFICIT,
                                              "recent_worsening")),
                   "A recent spinal injection or operation raises the risk of infection.",
                   ("RF-INF-FEVER-RISK", "RF-INF-RISK-PAIN", "RF-INF-PROCEDURE")),
    ScreenQuestion("rigid_spine_condition", all_of(SPINAL_PAIN, ANY_INJURY),
                   "A stiff, fused spine breaks with little force.", ("RF-FX-RIGID-SPINE",)),
    ScreenQuestion("recent_infection", all_of(SPINAL_PAIN, INFECTION_CONTEXT),
                   "A recent infection can spread to the spine.",
                   ("RF-INF-FEVER-RISK", "RF-INF-RISK-PAIN")),
    ScreenQuestion("unexplained_weight_loss", all_of(SPINAL_PAIN, OLDER),
                   "Weight loss with other warning signs can point to a serious cause.",
                   ("RF-MAL-COMBINATION",)),
    ScreenQuestion("night_pain_unrelenting",
                   all_of(SPINAL_PAIN, any_of(OLDER, HIGH_RISK_INFECTION, "history_of_cancer")),
                   "Constant pain that rest does not ease can point to a serious cause.",
                   ("RF-MAL-COMBINATION", "RF-INF-RISK-PAIN")),
    ScreenQuestion("osteoporosis",
                   all_of(SPINAL_PAIN, any_of(OLDER, "minor_trauma_or_strain", "falls_recent")),
                   "Thin bones make a fracture after a minor fall or strain more likely.",
                   ("RF-FX-FRAGILITY",)),
    ScreenQuestion("long_term_steroids",
                   all_of(SPINAL_PAIN, any_of(OLDER, "minor_trauma_or_strain", "falls_recent")),
                   "Long-term steroid tablets thin the bones.", ("RF-FX-FRAGILITY",)),
    ScreenQuestion("minor_trauma_or_strain",
                   all_of(SPINAL_PAIN, any_of("osteoporosis", "long_term_steroids",
                                              at_least("age", 65), "rigid_spine_condition")),
                   "With fragile bones a minor fall or strain can break a vertebra.",
                   ("RF-FX-FRAGILITY",)),
    ScreenQuestion("falls_recent",
                   all_of(SPINAL_PAIN, any_of("osteoporosis", "long_term_steroids",
                                              at_least("age", 65), "rigid_spine_condition")),
                   "A recent fall matters when bones may be fragile.", ("RF-FX-FRAGILITY",)),
    ScreenQuestion("onset_sudden",
                   all_of(SPINAL_PAIN, any_of("osteoporosis", "long_term_steroids",
                                              at_least("age", 70))),
                   "Sudden pain with fragile bones can be a fracture.", ("RF-FX-FRAGILITY",)),
    ScreenQuestion("foot_pain_at_rest",
                   all_of(any_of("leg_symptoms_walking", "leg_pain"), VASCULAR_PATTERN),
                   "Foot pain at rest can mean the leg's blood supply is critically low.",
                   ("RF-VASC-CLTI",)),
    ScreenQuestion("cold_pale_feet_or_skin_changes",
                   all_of(any_of("leg_symptoms_walking", "leg_pain", "numbness_tingling_legs"),
                          any_of(VASCULAR_PATTERN, "foot_pain_at_rest")),
                   "A cold or pale foot can mean the leg's blood supply is critically low.",
                   ("RF-VASC-CLTI", "RF-VASC-ACUTE")),
)

# Where the symptoms are (pain or numbness): asked first; they decide which screens apply.
LOCATION_KEYS: tuple[str, ...] = ("back_pain", "leg_pain", "neck_pain", "arm_pain",
                                  "thoracic_pain", "numbness_tingling_legs",
                                  "numbness_tingling_arms_hands")
