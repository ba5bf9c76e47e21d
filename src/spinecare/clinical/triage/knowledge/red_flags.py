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

from spinecare.clinical.rules.levels import Level
from spinecare.clinical.rules.predicates import (
    Pred,
    all_of,
    any_of,
    at_least,
    below,
    count_at_least,
    no,
    not_,
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
# Band-like pain circling the trunk is thoracic (root or cord level) pain: NICE NG234.
SPINAL_PAIN = any_of("back_pain", "neck_pain", "thoracic_pain", "buttock_pain", "leg_pain",
                     "arm_pain", "band_like_trunk_pain")
LUMBAR_OR_LEG = any_of("back_pain", "leg_pain", "buttock_pain", "leg_symptoms_bilateral",
                       "leg_weakness", "numbness_tingling_legs", "leg_symptoms_walking")
# Cord level (neck or chest): a sphincter change here is cord compression (issue 9 §4).
CORD_LEVEL = any_of("neck_pain", "thoracic_pain", "arm_pain", "numbness_tingling_arms_hands",
                    "band_like_trunk_pain", "hand_clumsiness")
# New hesitancy, poor stream or straining counts as a bladder change (GIRFT 2023: "any
# new bladder disturbance"; clinical-evidence.md §1 CES row lists hesitancy).
SPHINCTER = any_of("bladder_dysfunction", "bowel_dysfunction", "urinary_hesitancy_new")
SADDLE_OR_SPHINCTER = any_of(SPHINCTER, "saddle_anaesthesia")
# Gait disturbance: unsteady walking, or recent falls (Davies 2018 lists falls).
GAIT = any_of("balance_problems", "falls_recent")
# Neurology in legs or arms (arm and hand symptoms count: cervical cord, issue 9 §4).
NEURO_DEFICIT = any_of("leg_weakness", "arm_weakness", "leg_weakness_bilateral", "foot_drop",
                       "numbness_tingling_legs", "numbness_tingling_arms_hands",
                       "hand_clumsiness", "balance_problems", "bladder_dysfunction",
                       "bowel_dysfunction", "urinary_hesitancy_new", "saddle_anaesthesia",
                       "unable_to_walk_or_stand")
MOTOR_DEFICIT = any_of("leg_weakness", "arm_weakness", "leg_weakness_bilateral", "foot_drop")
# Risks that make a spinal infection likely enough to act on without fever (IDSA 2015).
HIGH_RISK_INFECTION = any_of("iv_drug_use", "immunosuppressed", "recent_spinal_procedure",
                             "recent_infection")
# Diabetes is a risk factor too (clinical-evidence.md §1 infection row), weighed with fever
# only: on its own with constant pain it would send every diabetic with back pain urgently.
INFECTION_RISK = any_of(HIGH_RISK_INFECTION, "diabetes")
MYELOPATHY_SIGNS = any_of(
    all_of("hand_clumsiness", any_of(GAIT, "numbness_tingling_arms_hands")),
    # No neck pain needed: DCM is often painless (Davies 2018).
    all_of("balance_problems", "numbness_tingling_arms_hands"),
    all_of(any_of("hoffmann_sign", "babinski_sign"),
           any_of("neck_pain", "arm_pain", "numbness_tingling_arms_hands", "hand_clumsiness",
                  GAIT)),
    # Cook 2010 cluster: >= 3 of 5 (inverted supinator sign is not in the vocabulary,
    # so it can only count as absent): LR+ 30.9. Gait deviation includes falls.
    count_at_least(3, GAIT, "hoffmann_sign", "babinski_sign", at_least("age", 46)),
)
FRACTURE_TRIGGER = any_of("minor_trauma_or_strain", "falls_recent")
ANY_INJURY = any_of("trauma_recent", "minor_trauma_or_strain", "falls_recent")
FRAGILITY = any_of("osteoporosis", "long_term_steroids")
# Deyo 1988: failure to improve after a month of care.
FAILED_MONTH = all_of(at_least("duration_weeks", 4), no("symptoms_improving"))
MECHANICAL_ONSET = any_of("onset_after_lifting_or_twisting", "minor_trauma_or_strain",
                          "falls_recent", "trauma_recent")
AORTIC_PAIN = any_of("back_pain", "abdominal_or_flank_pain", "thoracic_pain")
SEVERE_PAIN = any_of(at_least("pain_score", 7), at_least("back_pain_score", 7))
# NICE CKS AAA: risk rises with age over 65, smoking (past or present) and vascular disease.
AORTIC_RISK = any_of(at_least("age", 65), "known_aortic_aneurysm",
                     all_of(at_least("age", 50),
                            any_of("smoker", "former_smoker", "vascular_disease_history")))
# Signs of a suspected cancer without a known history (Downie 2013; Deyo 1988).
SUSPECTED_MALIGNANCY = any_of(
    "history_of_cancer",
    all_of("unexplained_weight_loss",
           any_of(at_least("age", 50), "night_pain_unrelenting", FAILED_MONTH, "thoracic_pain",
                  "night_sweats", "band_like_trunk_pain")),
)
# Known to be long-standing (12 weeks or more) and not getting worse; unknown is not stable.
LONG_STABLE = all_of(at_least("duration_weeks", 12), not_("recent_worsening"),
                     not_("weakness_progressive"))
# Bilateral sciatica: leg pain in both legs that is not the walking-and-sitting pattern of
# stenosis, and is new (under 6 weeks, the acute window of NICE CKS sciatica; the 6 weeks
# is this product's choice) or getting worse ("one-sided becoming two-sided").
BILATERAL_SCIATICA = all_of(
    "leg_symptoms_bilateral", any_of("leg_pain_below_knee", "leg_pain"),
    not_(all_of("leg_symptoms_walking", "relief_sitting_or_flexion")),
    any_of("recent_worsening", below("duration_weeks", 6)),
)

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
        "A new problem with bladder or bowel control, or new difficulty starting to pass "
        "urine, together with back or leg symptoms can be a sign of cauda equina syndrome, "
        "including its early 'incomplete' form. This needs an emergency scan the same day.",
        "cauda_equina_syndrome", ("bass-ces-2018", "girft-ces-2023", "finucane-2020"),
        "Incomplete CES (altered urinary sensation, hesitancy or poor stream without "
        "retention) is still an emergency (GIRFT 2023).",
    ),
    RedFlagRule(
        "RF-CES-BILATERAL-SCIATICA", E, BILATERAL_SCIATICA,
        "Sciatica in both legs, or sciatica that has spread from one leg to both, can be the "
        "first sign of cauda equina syndrome. It needs an emergency assessment and scan the "
        "same day, even while bladder and bowel still work normally.",
        "cauda_equina_syndrome", ("girft-ces-2023", "bass-ces-2018"),
        "BASS 2018 and GIRFT 2023 list bilateral radicular pain as a CES warning sign "
        "(sensitivity 0.60, specificity 0.70: a conference abstract, ≈ secondary, not "
        "verified in either guideline). Stenosis-pattern claudication (walking "
        "brings it on, sitting eases it) is excluded; 'new' = under 6 weeks or getting "
        "worse (the 6 weeks is this product's choice).",
    ),
    RedFlagRule(
        "RF-CORD-SPHINCTER", E, all_of(SADDLE_OR_SPHINCTER, CORD_LEVEL),
        "New bladder, bowel or saddle changes with neck or mid-back symptoms can mean the "
        "spinal cord itself is being squeezed. This needs emergency assessment.",
        "cervical_myelopathy", ("davies-2018", "nice-ng234", "finucane-2020"),
        "A sphincter change at cord level (neck or chest) is cord compression until proved "
        "otherwise (clinical-evidence.md §1, DCM and malignancy rows).",
    ),
    RedFlagRule(
        "RF-CES-SEXUAL", E,
        all_of("sexual_dysfunction_new", any_of("back_pain", "leg_pain", "buttock_pain")),
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
        "RF-NEURO-RAPID", E,
        all_of(any_of("foot_drop", "weakness_severe"), "weakness_progressive",
               "recent_worsening"),
        "Severe weakness such as a foot that cannot be lifted, getting worse day by day, "
        "needs emergency assessment so the nerve can be freed in time.",
        None, ("chou-2007", "nice-cks-sciatica", "finucane-2020"),
        "'Rapid' progression (weakness getting worse and a recent worsening) takes a severe "
        "one-root deficit from urgent to emergency (clinical-evidence.md §1).",
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
               any_of(SPHINCTER, "leg_weakness_bilateral", "weakness_progressive",
                      "recent_worsening", "unable_to_walk_or_stand")),
        "Clumsy hands and unsteady walking that are getting worse, or that come with new "
        "bladder or bowel problems, can mean the spinal cord in the neck is being "
        "compressed. This needs emergency assessment.",
        "cervical_myelopathy", ("fehlings-2017", "davies-2018", "cook-2010"),
        "Rapid progression is flagged by either worsening finding (issue 9 §4). Age 46 or "
        "over is Cook 2010's cluster item 'age > 45'.",
    ),
    RedFlagRule(
        "RF-DCM", U, MYELOPATHY_SIGNS,
        "Clumsy hands, numb hands or unsteady walking together can be signs of pressure on "
        "the spinal cord in the neck (degenerative cervical myelopathy). It is often missed; "
        "a specialist should assess it soon.",
        "cervical_myelopathy", ("fehlings-2017", "davies-2018", "cook-2010"),
        "Davies 2018: diagnosis is often delayed; Cook 2010 cluster >= 3 of 5: LR+ 30.9 "
        "(its item 'age > 45' is age 46 or over here).",
    ),
    RedFlagRule(
        "RF-GAIT-NEW", U, all_of("balance_problems", any_of(SPINAL_PAIN, NEURO_DEFICIT)),
        "Unsteady walking that is new can come from pressure on the spinal cord; a doctor "
        "should examine you within 24-48 hours rather than wait.",
        "cervical_myelopathy", ("davies-2018", "fehlings-2017"),
        "New gait disturbance is never read as a stable deficit (Davies 2018: DCM is often "
        "missed; gait disturbance is one of its commonest first signs).",
    ),
    # Spinal infection ------------------------------------------------------------
    RedFlagRule(
        "RF-INF-NEURO", E,
        all_of(NEURO_DEFICIT,
               any_of("fever",
                      all_of(HIGH_RISK_INFECTION,
                             any_of("night_pain_unrelenting", "no_improvement_with_rest",
                                    "recent_worsening", "night_sweats")))),
        "Spinal pain with signs of infection and any nerve symptom (weakness, numbness, bladder "
        "change, in the legs or the arms) can be a spinal abscess pressing on nerves. This is "
        "an emergency.",
        "spinal_infection", ("idsa-2015", "davis-2004", "finucane-2020"),
        "Classic triad in only ~10%; arm symptoms count (cervical abscess).",
    ),
    RedFlagRule(
        "RF-INF-PROCEDURE", E,
        all_of("recent_spinal_procedure", any_of(NEURO_DEFICIT, "recent_worsening")),
        "New nerve symptoms, or pain that is getting worse, after a recent spinal injection "
        "or operation can be an abscess or a bleed pressing on nerves, even without a fever. "
        "This needs emergency assessment.",
        "spinal_infection", ("davis-2004", "idsa-2015", "finucane-2020"),
        "clinical-evidence.md §4.2 item 7 (fever or neurological change after an epidural "
        "injection: infection pathway); issue 9 decides emergency without fever because "
        "delay worsens outcome (Davis 2004: residual weakness 45% vs 13%).",
    ),
    RedFlagRule(
        "RF-INF-FEVER-RISK", E, all_of(SPINAL_PAIN, "fever", INFECTION_RISK),
        "Spinal pain with fever in someone at higher risk of infection (injecting drugs, a "
        "weakened immune system, diabetes, a recent infection or spinal procedure) can be a "
        "spinal infection. Delay causes lasting harm, so it needs assessment today.",
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
               any_of("night_pain_unrelenting", "no_improvement_with_rest", "night_sweats",
                      "recent_worsening")),
        "Constant spinal pain that rest does not ease, after a recent infection or spinal "
        "procedure or with a weakened immune system, can be a spinal infection even without "
        "fever.",
        "spinal_infection", ("idsa-2015", "finucane-2020"),
        "IDSA 2015: consider vertebral osteomyelitis in new or worsening back pain with "
        "bloodstream infection risk, even without fever.",
    ),
    # Malignancy --------------------------------------------------------------------
    RedFlagRule(
        "RF-MAL-MSCC", E,
        any_of(all_of(SUSPECTED_MALIGNANCY, NEURO_DEFICIT,
                      any_of(SPINAL_PAIN, not_(LONG_STABLE))),
               # NG234 counts radicular pain, such as a band round the chest, as a
               # neurological symptom of cord compression.
               all_of(SUSPECTED_MALIGNANCY, "band_like_trunk_pain")),
        "Nerve symptoms (weakness, numbness, unsteady walking, bladder changes) in someone "
        "who has had cancer, or who may have it, can be cancer pressing on the spinal cord. "
        "This is an emergency.",
        "spinal_malignancy", ("nice-ng234", "downie-2013"),
        "NICE NG234: neurological symptoms suggesting MSCC in a person with cancer need "
        "immediate contact; no named pain site is needed, and cervical-cord signs count. "
        "Without spinal pain, nerve symptoms known to be long-standing and unchanged "
        "(12 weeks or more, not worsening: e.g. chemotherapy neuropathy) are outside NG234; "
        "the 12 weeks is this product's choice. Suspected cancer without a history: weight "
        "loss with age 50 or over or 4 weeks (a month) without improvement follows Deyo 1988 "
        "(Downie 2013). NG234 lists radicular pain (a band round the trunk) among the "
        "neurological symptoms of MSCC.",
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
        all_of(SPINAL_PAIN, "unexplained_weight_loss",
               any_of(at_least("age", 50), "night_pain_unrelenting", FAILED_MONTH,
                      "thoracic_pain", "night_sweats", "band_like_trunk_pain")),
        "Unexplained weight loss together with another warning sign (age over 50, constant "
        "or night pain, mid-back pain, no improvement after a month) needs a doctor's "
        "assessment within 24-48 hours.",
        "spinal_malignancy", ("deyo-1988", "downie-2013", "finucane-2020"),
        "Single weak flags shift probability little (Downie 2013); weight loss with another "
        "flag counts. Age 50 or over and 4 weeks (a month) of care without improvement are "
        "Deyo 1988's items.",
    ),
    RedFlagRule(
        "RF-WEAK-FLAGS", Level.ROUTINE,
        all_of(SPINAL_PAIN,
               count_at_least(2, at_least("age", 50), "night_pain_unrelenting",
                              all_of(FAILED_MONTH, below("duration_weeks", 52)),
                              "night_sweats")),
        "Some signs together (age over 50, constant pain at night or at rest, no "
        "improvement after a month) mean a GP should see you and may arrange blood tests. "
        "They are not an emergency on their own.",
        "spinal_malignancy", ("downie-2013", "deyo-1988", "finucane-2020"),
        "Weak flags in combination mean routine with tests, not urgent (Finucane 2020; "
        "Downie 2013: single flags such as age shift probability little). Deyo's 'no "
        "improvement after a month' describes a new episode, so it does not count for pain "
        "of a year or more (52 weeks: this product's choice). Age 50 or over and 4 weeks (a "
        "month) without improvement are Deyo 1988's items.",
    ),
    # Fracture ----------------------------------------------------------------------
    RedFlagRule(
        "RF-FX-TRAUMA", E, all_of("trauma_recent", any_of(SPINAL_PAIN, NEURO_DEFICIT)),
        "Spinal pain or nerve symptoms after a serious accident or fall can be a broken bone "
        "in the spine. Keep still and get emergency help.",
        "vertebral_fracture", ("nice-ng41", "downie-2013", "finucane-2020"),
        "Trauma with neurology counts without a named pain site (issue 9 §4).",
    ),
    RedFlagRule(
        "RF-FX-RIGID-SPINE", E,
        all_of("rigid_spine_condition", ANY_INJURY, any_of(SPINAL_PAIN, NEURO_DEFICIT)),
        "With a stiff, fused spine (ankylosing spondylitis or DISH) even a small fall or "
        "knock can break the spine, and the break is often unstable. Keep still and get "
        "emergency help.",
        "vertebral_fracture", ("nice-ng41", "finucane-2020"),
        "NICE NG41 treats ankylosing spondylitis and similar rigid-spine conditions as high "
        "risk after any injury (a consensus recommendation, level 5, unlike NG41's use of the "
        "Canadian C-spine rule).",
    ),
    RedFlagRule(
        "RF-FX-OLDER-INJURY", E,
        any_of(all_of("neck_pain", ANY_INJURY, at_least("age", 65)),
               all_of("neck_pain", ANY_INJURY, "numbness_tingling_arms_hands"),
               # "new" neurology: with spinal pain, or begun suddenly or within 2 weeks
               all_of(FRACTURE_TRIGGER, NEURO_DEFICIT, at_least("age", 65),
                      any_of(SPINAL_PAIN, "onset_sudden", below("duration_weeks", 2)))),
        "Neck pain after a fall or knock at 65 or over, tingling in the arms after a neck "
        "injury, or new nerve symptoms after a minor fall at 65 or over, needs an emergency "
        "scan to rule out a broken neck or back.",
        "vertebral_fracture", ("nice-ng41", "stiell-2001", "finucane-2020"),
        "Canadian C-spine rule high-risk factors (age 65 or over, paraesthesia in the "
        "extremities) mean imaging; NICE NG41: within 1 hour. 'New' nerve symptoms after a "
        "minor fall: with spinal pain, sudden, or under 2 weeks old (the 2 weeks is this "
        "product's choice).",
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
               all_of(SPINAL_PAIN, FRACTURE_TRIGGER, "onset_sudden", at_least("age", 70)),
               all_of(SPINAL_PAIN, "onset_sudden", at_least("age", 80))),
        "Sudden spinal pain after a minor fall or strain in someone with thin bones, long-term "
        "steroid use or older age, or sudden pain without any fall in someone very old, can "
        "be a fragility fracture; it needs an X-ray and a doctor's review within 24-48 hours.",
        "vertebral_fracture", ("downie-2013", "finucane-2020"),
        "Downie 2013: prolonged corticosteroids 33%, older age 9%, several flags together 90%. "
        "The ages 70 (with a trigger) and 80 (without one) are this product's choice.",
    ),
    # Abdominal aortic aneurysm ----------------------------------------------------
    RedFlagRule(
        "RF-AAA", E,
        any_of("sudden_severe_tearing_pain",
               all_of("pulsatile_abdominal_mass", AORTIC_PAIN),
               all_of("collapse_or_faintness", AORTIC_PAIN),
               all_of("abdominal_or_flank_pain", "onset_sudden", at_least("age", 60))),
        "Sudden severe back, belly or side pain with fainting, or a pulsing lump in the "
        "belly, can be a leaking aortic aneurysm. Call the emergency number now.",
        "abdominal_aortic_aneurysm", ("nice-ng156", "assar-2009"),
        "The classic triad is present in only 25-50% of ruptures; rupture mortality ~90%. "
        "Sudden belly or flank pain at age 60 or over: this product's choice (the cited "
        "sources give no age cut-off for this presentation).",
    ),
    RedFlagRule(
        "RF-AAA-KNOWN", E, all_of("known_aortic_aneurysm", AORTIC_PAIN),
        "New back, belly or side pain in someone who has an aortic aneurysm can mean it is "
        "leaking or about to. Call the emergency number now.",
        "abdominal_aortic_aneurysm", ("nice-ng156", "nice-cks-aaa"),
        "Symptomatic aneurysms need urgent repair whatever their size (NICE NG156).",
    ),
    RedFlagRule(
        "RF-AAA-SUDDEN-OLDER", E,
        all_of("back_pain", "onset_sudden", SEVERE_PAIN, AORTIC_RISK, not_(MECHANICAL_ONSET)),
        "Sudden, severe new back pain in someone older or with a raised risk of an aortic "
        "aneurysm (smoking, arterial disease) can be a leaking aneurysm, even without other "
        "signs. Call the emergency number now.",
        "abdominal_aortic_aneurysm", ("nice-cks-aaa", "assar-2009"),
        "NICE CKS: suspect a ruptured AAA in sudden severe back, flank or abdominal pain in an "
        "older person, especially with risk factors; renal colic and lumbago are the "
        "commonest misdiagnoses. Severe = 7/10 or more (this product's choice). Older = 65 or "
        "over (Assar 2009: AAA in 5-9% of people over 65), or 50 or over with smoking or "
        "arterial disease (this product's choice). Pain that "
        "began with a lift, twist, strain or fall is left to the fracture and strain rules; "
        "a tearing quality or faintness still fires RF-AAA whatever the trigger.",
    ),
    # Vascular mimic: limb ischaemia -----------------------------------------------
    RedFlagRule(
        "RF-VASC-ACUTE", E,
        all_of("cold_pale_feet_or_skin_changes",
               any_of("onset_sudden", "numbness_tingling_legs", "leg_weakness", "foot_drop")),
        "A foot that has suddenly become cold, pale or painful, or a cold foot that has gone "
        "numb or weak, may have lost its blood supply. This is an emergency.",
        "vascular_claudication", ("esvs-ali-2020", "nice-cg147"),
        "ESVS 2020: sensory or motor loss means a threatened limb, whatever the stated onset.",
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
    "buttock_pain", "leg_pain", "arm_pain", "abdominal_or_flank_pain", "leg_pain_below_knee",
    "leg_symptoms_walking", "relief_sitting_or_flexion", "pain_score", "back_pain_score",
    "smoker", "former_smoker", "vascular_disease_history", "diabetes",
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
    "foot_pain_at_rest", "urinary_hesitancy_new", "known_aortic_aneurysm",
    "rigid_spine_condition", "band_like_trunk_pain",
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
    "saddle_anaesthesia", "bladder_dysfunction", "bowel_dysfunction", "urinary_hesitancy_new",
    "sudden_severe_tearing_pain", "collapse_or_faintness",
})
