"""The differential: the 14 conditions of FINDINGS.md, their features and their levels.

Scoring is additive points. Weights follow the published likelihood ratios where
they exist (roughly 1 point per doubling of the odds: LR 2 → +1, LR 4-6 → +2..+3,
LR ≥ 10 → +4..+5; LR 0.2 → -2..-3) and the published diagnostic items otherwise; each
feature names its reference. Most weights have no published figure: each feature's
``basis`` names the figure its points rest on, or says they are the team's choice
(``TEAM_CHOICE``, the default of ``F``). A condition is "likely" at ``LIKELY`` points or more and
"possible" at ``POSSIBLE`` or more.

Safety invariant (tested): red-flag findings (``red_flags.TRUE_RED_FLAG_KEYS``) never
carry a negative weight and never support a condition whose default level is
self-care, so learning of a red flag can never lower the level.

The level of the differential is the most urgent level among the conditions that
are at least "possible" (not only the top one), so a second serious-enough
possibility is never hidden behind a benign first guess. Serious conditions default
to ``routine`` when only their score suggests them: whether they need urgent or
emergency care is decided by the red-flag rules (``red_flags.py``), which encode the
published combinations.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinecare.clinical.evidence import TEAM_CHOICE
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.rules.predicates import (
    OnsetAgeBelow,
    Pred,
    all_of,
    any_of,
    at_least,
    below,
    is_,
    no,
    not_,
    yes,
)
from spinecare.clinical.triage.knowledge.red_flags import (
    AORTIC_PAIN,
    AORTIC_RISK,
    BILATERAL_SCIATICA,
    FRACTURE_TRIGGER,
    FRAGILITY,
    HIGH_RISK_INFECTION,
    LONG_STABLE,
    MECHANICAL_ONSET,
    MYELOPATHY_SIGNS,
    NEURO_DEFICIT,
    SEVERE_PAIN,
    SPINAL_PAIN,
    SUSPECTED_MALIGNANCY,
)

POSSIBLE = 4.0
LIKELY = 8.0

SC, RO, UR, EM = Level.SELF_CARE, Level.ROUTINE, Level.URGENT, Level.EMERGENCY


@dataclass(frozen=True, slots=True)
class Feature:
    when: Pred
    weight: float
    label: str                  # plain language, shown as "for" (weight > 0) or "against"
    references: tuple[str, ...]
    # Where the WEIGHT comes from: a figure a cited reference contains (e.g. "LR 6.3 (Suri
    # 2010)"), or TEAM_CHOICE. The references say the feature belongs to the condition;
    # the basis says whether its points are published or chosen by the team.
    basis: str = ""


@dataclass(frozen=True, slots=True)
class LevelRule:
    id: str
    when: Pred
    level: Level
    reason: str
    references: tuple[str, ...]
    # For clinicians (docs): where each threshold in ``when`` comes from, or TEAM_CHOICE.
    note: str = ""


@dataclass(frozen=True, slots=True)
class ConditionDef:
    id: str
    name: str
    lay_name: str
    summary: str                # "consistent with …" wording, never a diagnosis
    features: tuple[Feature, ...]
    default_level: Level
    default_reason: str
    level_rules: tuple[LevelRule, ...]   # first match wins, else default_level
    references: tuple[str, ...]
    # Serious conditions: the interview screens for them rather than trying to
    # "separate" them by weak features, and when possible they are at least urgent.
    serious: bool = False
    # The feature a condition cannot be "possible" without (issue 9 §5: radiculopathy
    # needs leg or arm pain). None: no single cardinal feature.
    cardinal: Pred | None = None


def F(when: Pred | str, weight: float, label: str, *refs: str,
      basis: str = TEAM_CHOICE) -> Feature:
    # A weight is the team's choice unless a published figure is named for it.
    return Feature(yes(when) if isinstance(when, str) else when, weight, label, refs, basis)


LSS_REFS = ("nass-lss-2013", "suri-2010", "konno-2007")

# Pain that has not settled and deserves a routine review (NICE NG59: review people whose
# pain persists; risk stratification and exercise programmes). Between 6 weeks and a year,
# "not improving" unless the person says it is; after a year, a long-standing pattern that
# is unchanged and self-managed is not a reason to be seen, but a recent worsening or care
# that has failed is. The 6-week and 1-year points are this product's choice (NG59 sets none).
PERSISTENT = any_of(
    all_of(at_least("duration_weeks", 6), below("duration_weeks", 52),
           not_("symptoms_improving")),
    all_of(at_least("duration_weeks", 52),
           any_of("recent_worsening",
                  all_of(at_least("conservative_care_weeks", 6), not_("symptoms_improving")))),
)
LEG_SYMPTOMS = any_of("leg_pain", "leg_pain_below_knee", "numbness_tingling_legs", "foot_drop",
                      "leg_weakness", "leg_symptoms_walking", "leg_symptoms_standing",
                      "buttock_pain", "leg_symptoms_bilateral")

CONDITIONS: tuple[ConditionDef, ...] = (
    ConditionDef(
        "lumbar_spinal_stenosis", "Lumbar spinal stenosis (neurogenic claudication)",
        "narrowing of the lower spinal canal",
        "Leg symptoms brought on by walking or standing and eased by sitting or bending "
        "forward are consistent with lumbar spinal stenosis.",
        (
            F("leg_symptoms_walking", 3, "leg symptoms brought on by walking", "suri-2010",
              "tomkins-lane-2016", basis="LR 3.7 for neurogenic claudication (Suri 2010)"),
            F(no("leg_symptoms_walking"), -3, "walking does not bring on leg symptoms",
              "suri-2010", basis="LR 0.23 without neurogenic claudication (Suri 2010)"),
            F("leg_symptoms_standing", 2, "leg symptoms brought on by standing still",
              "konno-2007", "nadeau-2013",
              basis="Konno 2007 item: worse on standing +2 (≈ reproduced weights)"),
            F(no("leg_symptoms_standing"), -2, "standing alone does not bring on symptoms",
              "nadeau-2013", basis="LR- 0.05 for neurogenic claudication (Nadeau 2013)"),
            F("relief_sitting_or_flexion", 4, "eased by sitting or bending forward",
              "suri-2010", "konno-2007",
              basis="LR 6.4 better bending forward, 7.4 no pain seated (Suri 2010)"),
            F(no("relief_sitting_or_flexion"), -2, "not eased by sitting or bending forward",
              "suri-2010"),
            F("shopping_cart_sign", 2, "can walk further leaning on a trolley",
              "tomkins-lane-2016", "nadeau-2013"),
            F("cycling_tolerated", 2, "cycling is comfortable although walking is not",
              "tomkins-lane-2016", "dyck-1977"),
            F("leg_symptoms_cycling", -2, "cycling brings on the same symptoms", "dyck-1977"),
            F("leg_symptoms_bilateral", 2, "both legs affected", "suri-2010", "cook-2011",
              basis="LR 6.3 for bilateral buttock or leg pain (Suri 2010)"),
            F("buttock_pain", 1, "buttock pain", "nass-lss-2013"),
            F("numbness_tingling_legs", 1, "numbness or tingling in the legs",
              "tomkins-lane-2016"),
            F(at_least("age", 70), 2, "age 70 or over", "suri-2010", "konno-2007",
              basis="LR 2.0 for age > 70 (Suri 2010); Konno 2007 item +2"),
            F(all_of(at_least("age", 60), below("age", 70)), 1, "age 60-69", "konno-2007",
              basis="Konno 2007 item: age 60-69 +1"),
            F(below("age", 60), -1, "under 60", "suri-2010",
              basis="LR 0.40 for age < 60 (Suri 2010)"),
            F("insidious_onset", 1, "came on gradually", "nass-lss-2013"),
            F(at_least("duration_weeks", 26), 1, "symptoms for more than 6 months",
              "sugioka-2008", basis="Sugioka 2008 item: over 6 months +1 (≈ adapted table)"),
            F("imaging_shows_stenosis", 1,
              "a scan shows narrowing (supportive only: narrowing is common without symptoms)",
              "brinjikji-2015", "nass-lss-2013"),
            F("relief_standing_still", -3, "eased just by standing still (points to the arteries)",
              "nadeau-2013", basis="LR+ 20 for vascular claudication (Nadeau 2013)"),
            F("calf_pain_predominant", -1, "mainly calf pain", "nadeau-2013"),
            F("pain_worse_sitting_or_bending", -2, "worse sitting or bending forward",
              "konno-2007"),
            F("straight_leg_raise_positive", -2, "positive straight-leg raise", "konno-2007",
              basis="Konno 2007 item: straight-leg raise positive -2"),
            F("reduced_foot_pulses", -2, "reduced foot pulses", "konno-2007", "nadeau-2013"),
            F(below("ankle_brachial_index", 0.9), -3, "ankle-brachial index below 0.9",
              "konno-2007"),
            F(at_least("ankle_brachial_index", 0.9), 1, "ankle-brachial index 0.9 or more",
              "konno-2007"),
            F("symptoms_constant_regardless_of_posture", -3,
              "the same whatever the posture", "nass-lss-2013"),
            F("burning_feet_stocking_distribution", -2, "burning feet in a sock pattern",
              "ada-2017"),
        ),
        RO,
        "Symptoms consistent with lumbar spinal stenosis deserve a routine assessment by a GP "
        "or physiotherapist to confirm it and plan treatment.",
        (
            LevelRule(
                "LSS-MILD", all_of(at_least("walking_distance_m", 1000),
                                   no("recent_worsening")),
                SC,
                "You can still walk a kilometre or more and nothing has got worse recently: "
                "mild stenosis often stays stable, and flexion exercise and cycling are the "
                "first step. See a doctor if walking gets shorter or any warning sign appears. "
                "(The 1 km threshold is this product's choice for 'mild'; there is no "
                "published cut-off.)",
                ("nass-lss-2013",),
                "walking_distance_m 1000 (1 km): team's choice for 'mild'; NASS 2013 gives no "
                "walking-distance cut-off.",
            ),
        ),
        LSS_REFS,
        cardinal=any_of("leg_symptoms_walking", "leg_symptoms_standing", "leg_pain",
                        "buttock_pain", "numbness_tingling_legs", "leg_symptoms_bilateral"),
    ),
    ConditionDef(
        "vascular_claudication", "Vascular (intermittent) claudication",
        "narrowed leg arteries",
        "Calf pain on walking that eases just by standing still is consistent with narrowed "
        "leg arteries (vascular claudication).",
        (
            F("leg_symptoms_walking", 2, "leg pain brought on by walking", "nice-cg147"),
            F("relief_standing_still", 4, "eased within minutes just by standing still",
              "nadeau-2013", basis="LR+ 20 for vascular claudication (Nadeau 2013)"),
            F("calf_pain_predominant", 2, "mainly in the calf", "nadeau-2013"),
            F("leg_symptoms_cycling", 2, "cycling brings it on too", "dyck-1977"),
            F("reduced_foot_pulses", 4, "weak or absent foot pulses", "nice-cg147"),
            F(no("reduced_foot_pulses"), -2, "normal foot pulses", "tomkins-lane-2016"),
            F(below("ankle_brachial_index", 0.9), 5, "ankle-brachial index below 0.9",
              "nice-cg147"),
            F(at_least("ankle_brachial_index", 1.0), -3, "normal ankle-brachial index",
              "nice-cg147"),
            F("smoker", 1, "smoking", "nice-cg147"),
            F("diabetes", 1, "diabetes", "nice-cg147"),
            F("vascular_disease_history", 2, "known arterial disease", "nice-cg147"),
            F("foot_pain_at_rest", 2, "foot pain at rest", "esvs-2019"),
            F("cold_pale_feet_or_skin_changes", 2, "cold or pale foot", "esvs-2019"),
            F("relief_sitting_or_flexion", -2, "needs to sit or bend to get relief",
              "nadeau-2013"),
            F("shopping_cart_sign", -2, "better leaning on a trolley", "nadeau-2013"),
            F("cycling_tolerated", -2, "cycling is comfortable", "dyck-1977"),
            F("leg_symptoms_standing", -2, "standing still alone brings it on", "nadeau-2013"),
        ),
        RO,
        "Symptoms consistent with narrowed leg arteries need a routine check of the leg "
        "pulses and ankle-brachial index, and of heart and circulation risks.",
        (),
        ("nice-cg147", "nadeau-2013"),
        cardinal=any_of("leg_symptoms_walking", "leg_pain", "calf_pain_predominant",
                        "foot_pain_at_rest", "cold_pale_feet_or_skin_changes"),
    ),
    ConditionDef(
        "lumbar_radiculopathy_disc_herniation", "Lumbar radiculopathy (sciatica) from a disc",
        "a trapped nerve in the lower back (sciatica)",
        "Leg pain below the knee that is worse sitting, bending or coughing is consistent "
        "with a nerve root irritated by a disc (sciatica).",
        (
            F("leg_pain", 1, "leg pain", "nass-ldh-2014"),
            F("leg_pain_below_knee", 3, "pain below the knee", "nass-ldh-2014", "nice-ng59"),
            F("leg_pain_worse_than_back", 2, "leg pain worse than back pain", "nass-ldh-2014"),
            F("pain_worse_sitting_or_bending", 2, "worse sitting or bending forward",
              "nass-ldh-2014", "konno-2007"),
            F("pain_worse_cough_sneeze", 2, "worse on coughing or sneezing", "nass-ldh-2014"),
            F("straight_leg_raise_positive", 3, "positive straight-leg raise", "nass-ldh-2014"),
            F("numbness_tingling_legs", 1, "numbness or tingling in the leg", "nass-ldh-2014"),
            F("leg_weakness", 1, "leg weakness", "nass-ldh-2014"),
            F("foot_drop", 1, "foot drop", "nass-ldh-2014"),
            F("ankle_reflex_reduced", 1, "reduced ankle reflex", "nass-ldh-2014"),
            F("onset_after_lifting_or_twisting", 1, "began with lifting or twisting",
              "nass-ldh-2014"),
            F(below("age", 50), 1, "under 50", "nass-ldh-2014"),
            F(at_least("age", 65), -1, "65 or over (stenosis more likely)", "suri-2010"),
            F("relief_sitting_or_flexion", -2, "eased by sitting or bending forward",
              "suri-2010"),
            F("shopping_cart_sign", -1, "better leaning on a trolley", "tomkins-lane-2016"),
        ),
        RO,
        "Sciatica that has lasted 6 weeks or more, or with any nerve deficit, deserves a "
        "routine review with a GP or physiotherapist.",
        (
            LevelRule(
                "RAD-EARLY",
                all_of(below("duration_weeks", 6), no("leg_weakness"),
                       not_(any_of(at_least("pain_score", 8), at_least("leg_pain_score", 8))),
                       not_("previous_spine_surgery")),
                SC,
                "Early sciatica without weakness usually settles: keep active, use simple "
                "pain relief, and see a doctor if it is not better in about 6 weeks or if "
                "weakness, numbness between the legs or bladder changes appear.",
                ("nice-ng59", "nice-cks-sciatica", "nass-ldh-2014"),
                "duration_weeks under 6 and pain_score / leg_pain_score under 8 (of 10): "
                "team's choice. The 6 weeks follows the 'about 6-8 weeks' before a persistent-"
                "sciatica review in clinical-evidence.md §4.2, which names no source; no cited "
                "guideline sets a pain cut-off.",
            ),
        ),
        ("nass-ldh-2014", "nice-ng59"),
        cardinal=any_of("leg_pain", "leg_pain_below_knee", "numbness_tingling_legs", "foot_drop",
                        "leg_weakness"),
    ),
    ConditionDef(
        "cervical_radiculopathy", "Cervical radiculopathy",
        "a trapped nerve in the neck",
        "Arm pain or tingling that changes with neck movement is consistent with an "
        "irritated nerve root in the neck (cervical radiculopathy).",
        (
            F("arm_pain", 2, "arm pain", "nass-crad-2011"),
            F("arm_pain_below_elbow", 2, "pain reaching the forearm or hand", "nass-crad-2011"),
            F("numbness_tingling_arms_hands", 1, "numbness or tingling in the arm or hand",
              "nass-crad-2011"),
            F("arm_symptoms_with_neck_movement", 3, "arm symptoms change with neck position",
              "wainner-2003", "nass-crad-2011"),
            F("neck_extension_worsens", 1, "worse looking up", "wainner-2003"),
            F("neck_pain", 1, "neck pain", "nass-crad-2011"),
            F("arm_weakness", 1, "arm weakness", "nass-crad-2011"),
        ),
        RO,
        "Arm symptoms from a neck nerve that have lasted 6 weeks or more, or with weakness, "
        "deserve a routine review with a GP or physiotherapist.",
        (
            LevelRule(
                "CRAD-EARLY",
                all_of(below("duration_weeks", 6), no("arm_weakness")),
                SC,
                "Early arm pain from a neck nerve without weakness usually settles over weeks: "
                "keep moving and use simple pain relief; see a doctor if it is not better in "
                "about 6 weeks or if weakness or clumsy hands appear.",
                ("nice-cks-neck", "nass-crad-2011"),
                "duration_weeks under 6: team's choice (the same review point as sciatica); "
                "NICE CKS and NASS 2011 give no number.",
            ),
        ),
        ("nass-crad-2011", "nice-cks-neck"),
        cardinal=any_of("arm_pain", "arm_pain_below_elbow", "numbness_tingling_arms_hands",
                        "arm_weakness"),
    ),
    ConditionDef(
        "cervical_myelopathy", "Degenerative cervical myelopathy",
        "pressure on the spinal cord in the neck",
        "Clumsy hands with unsteady walking are consistent with pressure on the spinal cord "
        "in the neck (degenerative cervical myelopathy).",
        (
            F("hand_clumsiness", 4, "clumsy hands", "davies-2018", "fehlings-2017"),
            F("balance_problems", 3, "unsteady walking", "cook-2010", "davies-2018"),
            F("numbness_tingling_arms_hands", 1, "numb or tingling hands", "davies-2018"),
            F("hoffmann_sign", 3, "positive Hoffmann sign", "cook-2010"),
            F("babinski_sign", 3, "positive Babinski sign", "cook-2010"),
            F(at_least("age", 46), 1, "over 45", "cook-2010"),
            F("neck_pain", 1, "neck pain", "davies-2018"),
            F("neck_extension_worsens", 1, "worse looking up", "davies-2018"),
            F("leg_weakness_bilateral", 1, "both legs weak", "davies-2018"),
            F("falls_recent", 1, "recent falls", "davies-2018"),
            F("bladder_dysfunction", 1, "bladder change (a late sign)", "davies-2018"),
        ),
        UR,
        "Your answers fit pressure on the spinal cord in the neck; a specialist should examine "
        "you (reflexes, hand function, walking) within 24-48 hours.",
        (),
        ("fehlings-2017", "davies-2018", "cook-2010"),
        serious=True,
        cardinal=MYELOPATHY_SIGNS,
    ),
    ConditionDef(
        "cauda_equina_syndrome", "Cauda equina syndrome",
        "squeezed nerves at the bottom of the spinal canal",
        "Saddle numbness or new bladder or bowel problems with back or leg pain are "
        "consistent with cauda equina syndrome, an emergency.",
        (
            F("saddle_anaesthesia", 6, "numbness in the saddle area", "bass-ces-2018"),
            F("urinary_hesitancy_new", 4, "new difficulty starting to pass urine",
              "girft-ces-2023"),
            F("bladder_dysfunction", 4, "new bladder problem", "bass-ces-2018"),
            F("bowel_dysfunction", 4, "new bowel problem", "bass-ces-2018"),
            F("sexual_dysfunction_new", 2, "new sexual dysfunction", "bass-ces-2018"),
            F("leg_weakness_bilateral", 2, "both legs weak", "bass-ces-2018"),
            F("leg_symptoms_bilateral", 1, "both legs affected", "bass-ces-2018"),
            F("back_pain", 1, "back pain", "bass-ces-2018"),
            F("leg_pain", 1, "leg pain (sciatica)", "bass-ces-2018"),
            F(no("saddle_anaesthesia"), -3, "no saddle numbness", "bass-ces-2018"),
            F(no("bladder_dysfunction"), -2, "no bladder change", "bass-ces-2018"),
        ),
        EM,
        "Your answers fit cauda equina syndrome: go to an emergency department now for an "
        "examination and a scan the same day.",
        (),
        ("bass-ces-2018", "girft-ces-2023"),
        serious=True,
        cardinal=any_of("saddle_anaesthesia", "bladder_dysfunction", "bowel_dysfunction",
                        "urinary_hesitancy_new", "sexual_dysfunction_new", BILATERAL_SCIATICA,
                        "leg_weakness_bilateral"),
    ),
    ConditionDef(
        "spinal_infection", "Spinal infection (discitis, osteomyelitis, epidural abscess)",
        "an infection in the spine",
        "Spinal pain with fever or infection risks is consistent with a spinal infection.",
        (
            F("fever", 4, "fever or chills", "idsa-2015"),
            F("iv_drug_use", 3, "injecting drugs", "idsa-2015"),
            F("immunosuppressed", 2, "weakened immune system", "idsa-2015"),
            F("recent_infection", 3, "a recent bacterial infection", "idsa-2015"),
            F("recent_spinal_procedure", 3, "a recent spinal injection or operation",
              "idsa-2015"),
            F("diabetes", 1, "diabetes", "idsa-2015"),
            F("night_pain_unrelenting", 2, "constant pain, not eased by rest", "finucane-2020"),
            F("no_improvement_with_rest", 1, "rest does not help", "finucane-2020"),
            F("night_sweats", 1, "night sweats", "finucane-2020"),
        ),
        UR,
        "Your answers fit a spinal infection; a doctor should see you within 24-48 hours for "
        "blood tests and, if needed, a scan.",
        (),
        ("idsa-2015", "finucane-2020"),
        serious=True,
        cardinal=any_of("fever", all_of(HIGH_RISK_INFECTION,
                                        any_of("night_pain_unrelenting",
                                               "no_improvement_with_rest", "night_sweats",
                                               "recent_worsening", NEURO_DEFICIT))),
    ),
    ConditionDef(
        "spinal_malignancy", "Spinal malignancy (metastasis or myeloma)",
        "cancer affecting the spine",
        "Spinal pain with a history of cancer or several warning signs is consistent with "
        "cancer affecting the spine and needs checking.",
        (
            F("history_of_cancer", 6, "a history of cancer", "downie-2013", "nice-ng234",
              basis="post-test probability 33% (Downie 2013)"),
            F("band_like_trunk_pain", 1, "band-like pain around the trunk", "nice-ng234"),
            F("unexplained_weight_loss", 3, "unexplained weight loss", "deyo-1988"),
            F("night_pain_unrelenting", 2, "constant or night pain", "finucane-2020"),
            F(at_least("age", 50), 1, "age 50 or over", "deyo-1988"),
            F("thoracic_pain", 1, "mid or upper back pain", "finucane-2020"),
            F("night_sweats", 1, "night sweats", "finucane-2020"),
            F(all_of(at_least("duration_weeks", 4), no("symptoms_improving")), 1,
              "not improving after a month", "deyo-1988"),
        ),
        UR,
        "Your answers include warning signs of cancer affecting the spine; a doctor should "
        "see you within 24-48 hours.",
        (),
        ("downie-2013", "nice-ng234", "deyo-1988"),
        serious=True,
        # Cancer (known or suspected) with spinal pain, or with nerve symptoms that are not
        # known to be long-standing and unchanged (the RF-MAL-MSCC scope).
        cardinal=all_of(SUSPECTED_MALIGNANCY,
                        any_of(SPINAL_PAIN, all_of(NEURO_DEFICIT, not_(LONG_STABLE)))),
    ),
    ConditionDef(
        "vertebral_fracture", "Vertebral fracture",
        "a broken bone in the spine",
        "Spinal pain after a fall or strain with thin bones, steroids or older age, or after "
        "serious trauma, is consistent with a fracture of a vertebra.",
        (
            F("trauma_recent", 6, "a serious accident or fall", "nice-ng41", "downie-2013",
              basis="post-test probability 11% after severe trauma (Downie 2013)"),
            F("rigid_spine_condition", 2, "a stiff, fused spine", "nice-ng41"),
            F("osteoporosis", 3, "osteoporosis", "downie-2013"),
            F("long_term_steroids", 3, "long-term steroid tablets", "downie-2013",
              basis="post-test probability 33% with prolonged corticosteroids (Downie 2013)"),
            F("falls_recent", 2, "a recent fall", "downie-2013"),
            F("minor_trauma_or_strain", 1, "a minor fall or strain", "downie-2013"),
            F(at_least("age", 70), 2, "age 70 or over", "downie-2013",
              basis="post-test probability 9% for older age (Downie 2013)"),
            F("onset_sudden", 1, "sudden onset", "finucane-2020"),
            F("thoracic_pain", 1, "mid-back pain", "finucane-2020"),
            F("unable_to_walk_or_stand", 1, "unable to walk or stand", "nice-ng41"),
        ),
        UR,
        "Your answers fit a broken bone in the spine; a doctor should see you within 24-48 "
        "hours and may arrange an X-ray.",
        (),
        ("downie-2013", "nice-ng41"),
        serious=True,
        cardinal=any_of("trauma_recent",
                        all_of(FRACTURE_TRIGGER, any_of(FRAGILITY, at_least("age", 70),
                                                        "rigid_spine_condition")),
                        all_of("onset_sudden", any_of(FRAGILITY, at_least("age", 80)))),
    ),
    ConditionDef(
        "abdominal_aortic_aneurysm", "Abdominal aortic aneurysm",
        "a swollen main artery in the belly",
        "Sudden severe back or belly pain with faintness or a pulsing lump is consistent "
        "with a leaking aortic aneurysm, an emergency.",
        (
            F("pulsatile_abdominal_mass", 6, "a pulsing lump in the belly", "nice-ng156"),
            F("sudden_severe_tearing_pain", 5, "sudden severe tearing pain", "assar-2009"),
            F("collapse_or_faintness", 3, "collapse or faintness", "assar-2009"),
            F("abdominal_or_flank_pain", 2, "belly or side pain", "assar-2009"),
            F(at_least("age", 65), 1, "age 65 or over", "assar-2009"),
            F(is_("sex", "male"), 1, "male", "assar-2009"),
            F("smoker", 1, "smoking", "nice-ng156"),
            F("former_smoker", 1, "smoked in the past", "nice-ng156"),
            F("vascular_disease_history", 1, "known arterial disease", "nice-ng156"),
            F("known_aortic_aneurysm", 6, "a known aortic aneurysm", "nice-ng156"),
            F("onset_sudden", 1, "sudden onset", "assar-2009"),
        ),
        EM,
        "Your answers fit a leaking aortic aneurysm: call the emergency number now.",
        (),
        ("nice-ng156", "assar-2009"),
        serious=True,
        cardinal=any_of("sudden_severe_tearing_pain", "pulsatile_abdominal_mass",
                        all_of(any_of("collapse_or_faintness", "known_aortic_aneurysm"),
                               AORTIC_PAIN),
                        all_of("abdominal_or_flank_pain", "onset_sudden", at_least("age", 60)),
                        all_of("back_pain", "onset_sudden", SEVERE_PAIN, AORTIC_RISK,
                               not_(MECHANICAL_ONSET))),
    ),
    ConditionDef(
        "inflammatory_back_pain", "Inflammatory back pain (possible axial spondyloarthritis)",
        "inflammation of the spine joints",
        "Long-standing back pain that started before 40, eases with exercise and wakes you "
        "late at night is consistent with inflammatory back pain.",
        (
            # ASAS 2009 items (each +2); the criteria apply only after 3 months.
            F(OnsetAgeBelow(40), 2, "started before age 40", "asas-2009"),
            F("insidious_onset", 2, "came on gradually", "asas-2009"),
            F("improves_with_exercise", 2, "better with exercise", "asas-2009"),
            F("no_improvement_with_rest", 2, "not better with rest", "asas-2009"),
            F("night_pain_eases_on_rising", 2, "night pain that eases on getting up",
              "asas-2009"),
            F("morning_stiffness_over_30_min", 1, "morning stiffness over 30 minutes",
              "nice-ng65"),
            F("alternating_buttock_pain", 2, "alternating buttock pain", "nice-ng65"),
            F("uveitis_history", 2, "previous uveitis", "nice-ng65"),
            F(below("duration_weeks", 12), -4,
              "less than 3 months (the criteria apply after 3 months)", "asas-2009"),
            F("pain_mechanical", -1, "pain changes with movement and position", "asas-2009"),
        ),
        RO,
        "Possible inflammatory back pain deserves a routine GP review and, if it fits, "
        "referral to a rheumatologist.",
        (),
        ("asas-2009", "nice-ng65"),
        cardinal=any_of("back_pain", "buttock_pain", "alternating_buttock_pain"),
    ),
    ConditionDef(
        "peripheral_neuropathy", "Peripheral neuropathy",
        "damaged nerves in the feet",
        "Constant burning or numbness in both feet, whatever the posture, is consistent with "
        "damage to the nerves of the feet (peripheral neuropathy).",
        (
            F("burning_feet_stocking_distribution", 5, "burning or numb feet in a sock pattern",
              "ada-2017"),
            F(no("burning_feet_stocking_distribution"), -2, "no sock-pattern symptoms",
              "ada-2017"),
            F("symptoms_constant_regardless_of_posture", 3, "the same whatever the posture",
              "ada-2017"),
            F(no("symptoms_constant_regardless_of_posture"), -2,
              "symptoms change with posture", "ada-2017"),
            F("diabetes", 2, "diabetes", "ada-2017"),
            F("numbness_tingling_legs", 1, "numbness or tingling", "ada-2017"),
            F("leg_symptoms_bilateral", 1, "both legs", "ada-2017"),
            F("relief_sitting_or_flexion", -2, "eased by sitting or bending", "suri-2010"),
        ),
        RO,
        "Possible neuropathy deserves a routine GP review (blood sugar, vitamin B12, foot "
        "check).",
        (),
        ("ada-2017",),
        cardinal=any_of("burning_feet_stocking_distribution", "numbness_tingling_legs"),
    ),
    ConditionDef(
        "muscle_spasm_strain", "Muscle spasm or strain",
        "a pulled or cramped back or neck muscle",
        "Sudden, tight, cramping pain after lifting, twisting or an awkward posture is "
        "consistent with a muscle strain or spasm.",
        (
            F("muscle_spasm", 4, "tight, cramping muscles", "acp-2017"),
            F(any_of("back_pain", "neck_pain", "thoracic_pain"), 1, "pain in the back or neck",
              "acp-2017", "nice-cks-neck"),
            F("onset_after_lifting_or_twisting", 2, "began with lifting or twisting",
              "acp-2017"),
            F(no("onset_after_lifting_or_twisting"), -1, "no lifting or twisting at the start",
              "acp-2017"),
            F("pain_mechanical", 1, "changes with movement", "nice-ng59"),
            F(below("duration_weeks", 6), 1, "less than 6 weeks", "acp-2017"),
            F("leg_pain_below_knee", -2, "pain below the knee (points to a nerve)",
              "nice-ng59"),
        ),
        SC,
        "A muscle strain or spasm usually settles within days to weeks: keep moving, use heat "
        "and simple pain relief.",
        (
            LevelRule(
                "STRAIN-PERSISTENT", PERSISTENT,
                RO,
                "Pain that has not settled after 6 weeks deserves a routine review.",
                ("nice-ng59", "acp-2017"),
                "PERSISTENT: duration_weeks 6 to under 52 (a year) and not improving, or 52 "
                "and over with a recent worsening or conservative_care_weeks 6 without "
                "improvement: team's choice; NICE NG59 asks for review of pain that persists "
                "but sets no time point.",
            ),
        ),
        ("acp-2017", "nice-ng59"),
        cardinal=any_of("back_pain", "neck_pain", "thoracic_pain", "muscle_spasm"),
    ),
    ConditionDef(
        "nonspecific_low_back_pain", "Non-specific low back pain",
        "common back pain without a serious cause",
        "Back pain that changes with movement, without nerve or warning signs, is consistent "
        "with non-specific low back pain, which is what 90-95 in 100 people with back pain "
        "have.",
        (
            F("back_pain", 2, "low back pain", "nice-ng59", "bardin-2017"),
            F("pain_mechanical", 2, "changes with movement and position", "nice-ng59"),
            F("previous_similar_episode", 1, "has had similar episodes", "nice-ng59"),
            F(no("leg_pain"), 1, "no pain down the leg", "nice-ng59"),
            F("leg_pain_below_knee", -1, "pain below the knee (points to a nerve)",
              "nice-ng59"),
        ),
        SC,
        "Non-specific back pain usually improves within weeks: stay active, use heat and "
        "simple pain relief, and see a doctor if it is not better in about 6 weeks.",
        (
            LevelRule(
                "NSLBP-PERSISTENT", PERSISTENT,
                RO,
                "Back pain for 6 weeks or more without clear improvement deserves a routine "
                "review (risk stratification, exercise and, if needed, a combined physical "
                "and psychological programme).",
                ("nice-ng59",),
                "PERSISTENT: duration_weeks 6 to under 52 (a year) and not improving, or 52 "
                "and over with a recent worsening or conservative_care_weeks 6 without "
                "improvement: team's choice; NICE NG59 asks for review of pain that persists "
                "but sets no time point.",
            ),
        ),
        ("nice-ng59", "acp-2017", "bardin-2017"),
        cardinal=yes("back_pain"),
    ),
)

CONDITION_IDS: tuple[str, ...] = tuple(c.id for c in CONDITIONS)

# When no condition reaches "possible" and the benign fallback does not hold, we cannot
# recommend self-care safely.
INSUFFICIENT_RULE = LevelRule(
    "DX-INSUFFICIENT", any_of(), Level.ROUTINE,
    "The answers so far do not match a pattern that is safe to manage at home, so a routine "
    "check with a GP or physiotherapist is the safe choice.",
    ("nice-ng59", "finucane-2020"),
)

# NICE NG59 (issue 9 §5): back or neck pain with no red flag, no nerve symptom and every
# applicable warning-sign question answered "no" is managed at home with a safety net,
# whether or not a specific benign label fits. Red flags and open questions are checked
# by the engine (they set the level above self-care); this is the rest of the test.
BENIGN_FALLBACK = LevelRule(
    "BENIGN-FALLBACK",
    all_of(any_of("back_pain", "neck_pain", "thoracic_pain"), not_(NEURO_DEFICIT),
           not_(PERSISTENT)),
    Level.SELF_CARE,
    "Back or neck pain without any warning sign or nerve symptom usually gets better on its "
    "own within a few weeks: keep moving, use heat and simple pain relief. See a GP if it is "
    "not improving after 6 weeks, and get help at once if any warning sign below appears.",
    ("nice-ng59", "finucane-2020"),
    "Not PERSISTENT (duration_weeks 6 to under 52, or 52 and over with a worsening or "
    "conservative_care_weeks 6 without improvement): team's choice; NICE NG59 sets no time "
    "point.",
)

# A neurological deficit that is not progressing still needs an examination.
DEFICIT_RULE = LevelRule(
    "NEURO-DEFICIT-STABLE",
    any_of("leg_weakness", "arm_weakness", "hand_clumsiness", "balance_problems"),
    Level.ROUTINE,
    "Weakness, clumsy hands or unsteady walking need a doctor's examination even when they "
    "are not getting worse.",
    ("nice-ng59", "chou-2007", "davies-2018"),
)

# The check is for adults (NICE NG59 covers over-16s); younger people see a doctor.
ADULT_AGE = 16
CHILD_RULE = LevelRule(
    "AGE-UNDER-16", any_of(), Level.URGENT,
    "This check is written for adults (16 and over). Back or neck pain in a child or young "
    "teenager is less common and needs a doctor: please see a GP or children's doctor "
    "within a day or two, and call the emergency number at once for any warning sign.",
    ("nice-ng59",),
    "Age 16: the scope of NICE NG59 (over 16s).",
)
# Safety gate: an unanswered warning-sign question never lets a result be self-care.
OPEN_SCREEN_RULE = LevelRule(
    "SCREEN-OPEN", any_of(), Level.ROUTINE,
    "Some emergency warning-sign questions are still unanswered, so this result is "
    "provisional and cannot be self-care yet. Answer them, or see a GP or physiotherapist.",
    ("nice-ng59", "finucane-2020"),
)
