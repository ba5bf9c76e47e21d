"""Red-flag rules: serious spinal pathology first, before any differential.

Each rule: id, the level it demands (the result is never below it), a condition in
the vocabulary of predicates, a plain-language reason, the condition it points to,
and references. Weak single flags (age, night pain, weight loss) only count in
combination, as Finucane 2020 and Downie 2013 recommend, so benign back pain is not
sent to urgent care.

Level mapping follows clinical-evidence.md §1 and §4.2. Where a guideline says
"urgent same day" we use ``emergency`` when delay itself causes harm (spinal
infection with high-risk features: Davis 2004 found residual weakness in 45% of
delayed vs 13% of prompt epidural-abscess diagnoses), because ``urgent`` here
means within 24-48 hours.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinecare.clinical.triage.levels import Level
from spinecare.clinical.triage.predicates import (
    Pred,
    all_of,
    any_of,
    at_least,
    count_at_least,
    no,
    yes,
)

E, U = Level.EMERGENCY, Level.URGENT


@dataclass(frozen=True, slots=True)
class RedFlagRule:
    id: str
    level: Level
    when: Pred
    reason: str
    condition: str | None
    references: tuple[str, ...]
    # Shown in docs: what the rule encodes and how certain the evidence is.
    note: str = ""


# Reusable groups -----------------------------------------------------------------
SPINAL_PAIN = any_of("back_pain", "neck_pain", "thoracic_pain", "buttock_pain", "leg_pain",
                     "arm_pain")
LUMBAR_OR_LEG = any_of("back_pain", "leg_pain", "buttock_pain", "leg_symptoms_bilateral",
                       "leg_weakness", "numbness_tingling_legs", "leg_symptoms_walking")
SPHINCTER = any_of("bladder_dysfunction", "bowel_dysfunction")
NEURO_DEFICIT = any_of("leg_weakness", "arm_weakness", "leg_weakness_bilateral", "foot_drop",
                       "numbness_tingling_legs", "balance_problems", "bladder_dysfunction",
                       "bowel_dysfunction", "saddle_anaesthesia", "unable_to_walk_or_stand")
MOTOR_DEFICIT = any_of("leg_weakness", "arm_weakness", "leg_weakness_bilateral", "foot_drop")
HIGH_RISK_INFECTION = any_of("iv_drug_use", "immunosuppressed", "recent_spinal_procedure",
                             "recent_infection")
MYELOPATHY_SIGNS = any_of(
    all_of("hand_clumsiness", any_of("balance_problems", "numbness_tingling_arms_hands")),
    all_of("balance_problems", "numbness_tingling_arms_hands",
           any_of("neck_pain", "neck_extension_worsens", "arm_pain")),
    all_of(any_of("hoffmann_sign", "babinski_sign"),
           any_of("neck_pain", "arm_pain", "numbness_tingling_arms_hands", "hand_clumsiness",
                  "balance_problems")),
    # Cook 2010 cluster: >= 3 of 5 (inverted supinator sign is not in the vocabulary,
    # so it can only count as absent): LR+ 30.9.
    count_at_least(3, "balance_problems", "hoffmann_sign", "babinski_sign", at_least("age", 46)),
)
FRACTURE_TRIGGER = any_of("minor_trauma_or_strain", "falls_recent")
FRAGILITY = any_of("osteoporosis", "long_term_steroids")
# Deyo 1988: failure to improve after a month of care.
FAILED_MONTH = all_of(at_least("duration_weeks", 4), no("symptoms_improving"))

RULES: tuple[RedFlagRule, ...] = (
    # Cauda equina syndrome -------------------------------------------------------
    RedFlagRule(
        "RF-CES-SADDLE", E, yes("saddle_anaesthesia"),
        "New numbness in the saddle area (groin, genitals, buttocks or inner thighs) can mean "
        "the nerves at the bottom of the spinal canal are being squeezed (possible cauda "
        "equina syndrome). This needs an emergency scan the same day.",
        "cauda_equina_syndrome", ("bass-ces-2018", "girft-ces-2023", "finucane-2020"),
        "Saddle sensory change alone is enough to suspect CES (BASS 2018, GIRFT 2023).",
    ),
    RedFlagRule(
        "RF-CES-SPHINCTER", E, all_of(SPHINCTER, LUMBAR_OR_LEG),
        "A new problem with bladder or bowel control together with back or leg symptoms can "
        "be a sign of cauda equina syndrome, including its early 'incomplete' form. This "
        "needs an emergency scan the same day.",
        "cauda_equina_syndrome", ("bass-ces-2018", "girft-ces-2023", "finucane-2020"),
        "Incomplete CES (altered urinary sensation without retention) is still an emergency.",
    ),
    RedFlagRule(
        "RF-CES-SEXUAL", E, all_of("sexual_dysfunction_new", any_of("back_pain", "leg_pain")),
        "New loss of sexual function or genital feeling with back or leg pain can be a sign "
        "of cauda equina syndrome.",
        "cauda_equina_syndrome", ("bass-ces-2018", "finucane-2020"),
    ),
    # Progressive or severe neurological deficit ---------------------------------
    RedFlagRule(
        "RF-NEURO-BILATERAL-PROGRESSIVE", E,
        all_of("leg_weakness_bilateral",
               any_of("weakness_progressive", "recent_worsening", "onset_sudden")),
        "Weakness in both legs that is new or getting worse can mean pressure on the spinal "
        "cord or cauda equina and needs emergency assessment.",
        None, ("chou-2007", "finucane-2020", "bass-ces-2018"),
        "Bilateral or rapidly progressive deficit: emergency (clinical-evidence.md §1).",
    ),
    RedFlagRule(
        "RF-NEURO-PROGRESSIVE", U,
        any_of(all_of(any_of("leg_weakness", "arm_weakness"),
                      any_of("weakness_progressive", "weakness_severe")),
               "foot_drop", "leg_weakness_bilateral"),
        "Weakness that is getting worse, severe weakness such as foot drop, or weakness in "
        "both legs needs a doctor's examination and usually a scan within 24-48 hours.",
        None, ("chou-2007", "nice-cks-sciatica", "nass-ldh-2014", "finucane-2020"),
        "One nerve root, no sphincter change: urgent (Chou 2007: severe or progressive "
        "deficit warrants prompt imaging).",
    ),
    RedFlagRule(
        "RF-NEURO-CANNOT-WALK", U, yes("unable_to_walk_or_stand"),
        "Being unable to walk or stand needs a doctor's assessment within 24-48 hours, or "
        "sooner if it came on with weakness or after an injury.",
        None, ("finucane-2020", "chou-2007"),
    ),
    # Degenerative cervical myelopathy -------------------------------------------
    RedFlagRule(
        "RF-DCM-EMERGENCY", E,
        all_of(MYELOPATHY_SIGNS,
               any_of("bladder_dysfunction", "bowel_dysfunction", "leg_weakness_bilateral",
                      all_of("weakness_progressive", "recent_worsening"))),
        "Clumsy hands and unsteady walking that are getting rapidly worse, or that come with "
        "new bladder or bowel problems, can mean the spinal cord in the neck is being "
        "compressed. This needs emergency assessment.",
        "cervical_myelopathy", ("fehlings-2017", "davies-2018", "cook-2010"),
    ),
    RedFlagRule(
        "RF-DCM", U, MYELOPATHY_SIGNS,
        "Clumsy hands, numb hands or unsteady walking together can be signs of pressure on "
        "the spinal cord in the neck (degenerative cervical myelopathy). It is often missed; "
        "a specialist should assess it soon.",
        "cervical_myelopathy", ("fehlings-2017", "davies-2018", "cook-2010"),
        "Davies 2018: diagnosis is often delayed; Cook 2010 cluster >= 3 of 5: LR+ 30.9.",
    ),
    # Spinal infection ------------------------------------------------------------
    RedFlagRule(
        "RF-INF-NEURO", E,
        all_of(SPINAL_PAIN, any_of("fever", HIGH_RISK_INFECTION), NEURO_DEFICIT,
               any_of("fever", "night_pain_unrelenting", "no_improvement_with_rest")),
        "Back pain with signs of infection and any nerve symptom (weakness, numbness, bladder "
        "change) can be a spinal abscess pressing on nerves. This is an emergency.",
        "spinal_infection", ("idsa-2015", "davis-2004", "finucane-2020"),
    ),
    RedFlagRule(
        "RF-INF-FEVER-RISK", E, all_of(SPINAL_PAIN, "fever", HIGH_RISK_INFECTION),
        "Spinal pain with fever in someone at higher risk of infection (injecting drugs, a "
        "weakened immune system, a recent infection or spinal procedure) can be a spinal "
        "infection. Delay causes lasting harm, so it needs assessment today.",
        "spinal_infection", ("idsa-2015", "davis-2004", "finucane-2020"),
        "Classic triad present in only ~10%; >70% had an earlier visit (clinical-evidence.md).",
    ),
    RedFlagRule(
        "RF-INF-FEVER", U, all_of(SPINAL_PAIN, "fever"),
        "Spinal pain with a fever needs a doctor's assessment within 24-48 hours to look for "
        "an infection.",
        "spinal_infection", ("idsa-2015", "finucane-2020", "nice-ng59"),
    ),
    RedFlagRule(
        "RF-INF-RISK-PAIN", U,
        all_of(SPINAL_PAIN, HIGH_RISK_INFECTION,
               any_of("night_pain_unrelenting", "no_improvement_with_rest", "night_sweats")),
        "Constant spinal pain that rest does not ease, after a recent infection or spinal "
        "procedure or with a weakened immune system, can be a spinal infection even without "
        "fever.",
        "spinal_infection", ("idsa-2015", "finucane-2020"),
        "IDSA 2015: consider vertebral osteomyelitis in new or worsening back pain with "
        "bloodstream infection risk, even without fever.",
    ),
    # Malignancy --------------------------------------------------------------------
    RedFlagRule(
        "RF-MAL-MSCC", E, all_of("history_of_cancer", SPINAL_PAIN, NEURO_DEFICIT),
        "Spinal pain with nerve symptoms in someone who has had cancer can be metastatic "
        "spinal cord compression, an emergency.",
        "spinal_malignancy", ("nice-ng234", "downie-2013"),
    ),
    RedFlagRule(
        "RF-MAL-HISTORY", U, all_of("history_of_cancer", SPINAL_PAIN),
        "A past cancer is the strongest warning sign for cancer in the spine (about 1 in 3 "
        "people with back pain and a cancer history in pooled studies). A doctor should "
        "assess it within 24-48 hours.",
        "spinal_malignancy", ("downie-2013", "henschke-2013", "nice-ng234"),
        "Downie 2013: post-test probability 33% (22-46%).",
    ),
    RedFlagRule(
        "RF-MAL-COMBINATION", U,
        any_of(
            all_of(SPINAL_PAIN, "unexplained_weight_loss",
                   any_of(at_least("age", 50), "night_pain_unrelenting", FAILED_MONTH,
                          "thoracic_pain", "night_sweats")),
            all_of(SPINAL_PAIN, at_least("age", 50), "night_pain_unrelenting", FAILED_MONTH),
        ),
        "Several warning signs together (unexplained weight loss, age over 50, constant or "
        "night pain, no improvement after a month) raise the chance of a serious cause and "
        "need a doctor's assessment within 24-48 hours.",
        "spinal_malignancy", ("deyo-1988", "downie-2013", "finucane-2020"),
        "Single weak flags shift probability little (Downie 2013); only combinations count.",
    ),
    # Fracture ----------------------------------------------------------------------
    RedFlagRule(
        "RF-FX-TRAUMA", E, all_of("trauma_recent", SPINAL_PAIN),
        "Spinal pain after a serious accident or fall can be a broken bone in the spine. Keep "
        "still and get emergency help.",
        "vertebral_fracture", ("nice-ng41", "downie-2013", "finucane-2020"),
    ),
    RedFlagRule(
        "RF-FX-FRAGILITY-NEURO", E,
        all_of(SPINAL_PAIN, FRACTURE_TRIGGER, FRAGILITY, NEURO_DEFICIT),
        "A possible fragility fracture of the spine with nerve symptoms needs emergency "
        "assessment.",
        "vertebral_fracture", ("downie-2013", "finucane-2020", "nice-ng41"),
    ),
    RedFlagRule(
        "RF-FX-FRAGILITY", U,
        any_of(all_of(SPINAL_PAIN, any_of(FRACTURE_TRIGGER, "onset_sudden"), FRAGILITY),
               all_of(SPINAL_PAIN, "falls_recent", "onset_sudden", at_least("age", 70))),
        "Sudden spinal pain after a minor fall or strain in someone with thin bones, long-term "
        "steroid use or older age can be a fragility fracture; it needs an X-ray and a "
        "doctor's review within 24-48 hours.",
        "vertebral_fracture", ("downie-2013", "finucane-2020"),
        "Downie 2013: prolonged corticosteroids 33%, older age 9%, several flags together 90%.",
    ),
    # Abdominal aortic aneurysm ----------------------------------------------------
    RedFlagRule(
        "RF-AAA", E,
        any_of("sudden_severe_tearing_pain",
               all_of("pulsatile_abdominal_mass",
                      any_of("back_pain", "abdominal_or_flank_pain", "thoracic_pain")),
               all_of("collapse_or_faintness",
                      any_of("back_pain", "abdominal_or_flank_pain", "thoracic_pain")),
               all_of("abdominal_or_flank_pain", "onset_sudden", at_least("age", 60))),
        "Sudden severe back, belly or side pain with fainting, or a pulsing lump in the "
        "belly, can be a leaking aortic aneurysm. Call the emergency number now.",
        "abdominal_aortic_aneurysm", ("nice-ng156", "assar-2009"),
        "The classic triad is present in only 25-50% of ruptures; rupture mortality ~90%.",
    ),
    # Vascular mimic: limb ischaemia -----------------------------------------------
    RedFlagRule(
        "RF-VASC-ACUTE", E, all_of("cold_pale_feet_or_skin_changes", "onset_sudden"),
        "A foot that has suddenly become cold, pale or painful may have lost its blood supply. "
        "This is an emergency.",
        "vascular_claudication", ("esvs-ali-2020", "nice-cg147"),
    ),
    RedFlagRule(
        "RF-VASC-CLTI", U, any_of("foot_pain_at_rest", "cold_pale_feet_or_skin_changes"),
        "Foot pain at rest or at night that eases when the leg hangs down, or a cold, pale or "
        "discoloured foot, can mean the leg's blood supply is critically reduced; see a doctor "
        "within 24-48 hours.",
        "vascular_claudication", ("esvs-2019", "nice-cg147"),
    ),
)

# Findings that, when present, can only raise concern (used by the property tests and
# by the interview to rank red-flag questions).
RED_FLAG_KEYS: frozenset[str] = frozenset().union(*(r.when.keys() for r in RULES)) - {
    "age", "duration_weeks", "symptoms_improving", "back_pain", "neck_pain", "thoracic_pain",
    "buttock_pain", "leg_pain", "arm_pain", "abdominal_or_flank_pain",
}

# The red flags proper (clinical-evidence.md §1): findings that on their own or in
# combination signal serious pathology. Invariant (tested): setting any of them to
# true can never lower the level, and they never support a self-care condition.
TRUE_RED_FLAG_KEYS: frozenset[str] = frozenset({
    "saddle_anaesthesia", "bladder_dysfunction", "bowel_dysfunction", "sexual_dysfunction_new",
    "leg_weakness", "leg_weakness_bilateral", "arm_weakness", "foot_drop",
    "weakness_progressive", "weakness_severe", "unable_to_walk_or_stand", "hand_clumsiness",
    "balance_problems", "hoffmann_sign", "babinski_sign", "fever", "night_sweats",
    "iv_drug_use", "immunosuppressed", "recent_infection", "recent_spinal_procedure",
    "history_of_cancer", "unexplained_weight_loss", "night_pain_unrelenting", "trauma_recent",
    "osteoporosis", "long_term_steroids", "pulsatile_abdominal_mass",
    "sudden_severe_tearing_pain", "collapse_or_faintness", "cold_pale_feet_or_skin_changes",
    "foot_pain_at_rest",
})


# "Not sure" to these questions cannot be read as "no": the person needs a check within
# 24-48 hours (sooner if it is new), because a true "yes" would be an emergency
# (BASS 2018 and GIRFT 2023: any suspicion of CES is assessed the same day).
UNSURE_ESCALATION = RedFlagRule(
    "RF-UNSURE-EMERGENCY-SIGN", U, any_of(),
    "You were not sure about a warning sign that would need emergency care if present. It "
    "cannot be ruled out without a check: see a doctor within 24-48 hours, and go to an "
    "emergency department at once if it is there or gets worse.",
    None, ("bass-ces-2018", "girft-ces-2023", "finucane-2020"),
    "Applies only to questions the person explicitly answered 'not sure' in the interview; "
    "questions never asked stay open without changing the level.",
)
UNSURE_ESCALATING_KEYS: frozenset[str] = frozenset({
    "saddle_anaesthesia", "bladder_dysfunction", "bowel_dysfunction",
    "sudden_severe_tearing_pain", "collapse_or_faintness",
})
