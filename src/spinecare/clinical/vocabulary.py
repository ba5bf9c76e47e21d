"""The findings vocabulary of ``shared/eval/FINDINGS.md`` as data.

Each finding has a key, a type (bool, number, or a choice), an allowed range, a
plain-language meaning and the question the interview asks to set it. A finding
is true, false, a number or unknown (absent) — unknown is never the same as false.

New keys may be added; the ones from FINDINGS.md keep their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FindingType(StrEnum):
    BOOL = "bool"
    NUMBER = "number"
    INTEGER = "integer"
    CHOICE = "choice"


class Group(StrEnum):
    PERSON = "person_and_history"
    PAIN = "pain_and_pattern"
    NERVES = "nerves_and_red_flags"
    EXAM = "examination"


@dataclass(frozen=True, slots=True)
class FindingDef:
    key: str
    type: FindingType
    group: Group
    meaning: str
    question: str = ""
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    choices: tuple[str, ...] = ()
    # Examination findings need a clinician; the patient interview never asks them.
    clinician_only: bool = False

    def range_text(self) -> str:
        if self.type is FindingType.CHOICE:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.type is FindingType.BOOL:
            return "true, false or null (unknown)"
        unit = f" {self.unit}" if self.unit else ""
        kind = "a whole number" if self.type is FindingType.INTEGER else "a number"
        return f"{kind} from {self.minimum:g} to {self.maximum:g}{unit}"


B, N, INT, C = FindingType.BOOL, FindingType.NUMBER, FindingType.INTEGER, FindingType.CHOICE
P, PN, NR, EX = Group.PERSON, Group.PAIN, Group.NERVES, Group.EXAM


def _b(key: str, group: Group, meaning: str, question: str, help: str = "") -> FindingDef:
    return FindingDef(key, B, group, meaning, question, help)


def _n(
    key: str, group: Group, meaning: str, question: str, lo: float, hi: float, unit: str = "",
    help: str = "", integer: bool = False,
) -> FindingDef:
    return FindingDef(key, INT if integer else N, group, meaning, question, help, lo, hi, unit)


def _exam(key: str, meaning: str, help: str = "") -> FindingDef:
    return FindingDef(key, B, EX, meaning, help=help, clinician_only=True)


_DEFS: tuple[FindingDef, ...] = (
    # Person and history
    _n("age", P, "age in years", "How old are you?", 0, 120, "years", integer=True),
    FindingDef("sex", C, P, "sex", "What is your sex?", choices=("female", "male")),
    _n("duration_weeks", P, "how long the current symptoms have lasted",
       "How many weeks have you had these symptoms?", 0, 5200, "weeks",
       help="A few days is about 0.5 weeks; a year is 52 weeks."),
    _b("onset_sudden", P, "started suddenly (hours) rather than gradually",
       "Did it start suddenly, within hours?"),
    _b("insidious_onset", P, "crept up over months without a clear cause",
       "Did it creep up slowly over months, without a clear cause?"),
    _b("recent_worsening", P, "a new symptom, or a clear worsening, within the past week",
       "Has anything new appeared, or got clearly worse, in the past week?"),
    _b("symptoms_improving", P, "getting better day by day", "Is it getting better day by day?"),
    _b("previous_similar_episode", P, "has had the same kind of episode before",
       "Have you had an episode like this before?"),
    _b("onset_after_lifting_or_twisting", P,
       "began with lifting, twisting, an awkward posture or unusual exertion",
       "Did it start when you lifted, twisted, or did something unusually strenuous?"),
    _b("trauma_recent", P, "a significant (high-energy) fall, accident or blow",
       "Did it start after a serious accident, such as a car crash or a fall from a height?",
       "A fall from a ladder, stairs or a height, a road accident, or a hard blow to the back."),
    _b("minor_trauma_or_strain", P, "a minor fall, lift, bend or strain",
       "Did it start after a minor fall, lift, bend or strain?"),
    _b("falls_recent", P, "has fallen recently", "Have you fallen recently?"),
    _b("osteoporosis", P, "osteoporosis", "Have you been told you have osteoporosis (thin bones)?"),
    _b("long_term_steroids", P, "oral corticosteroids for months",
       "Have you taken steroid tablets (such as prednisolone) for several months?"),
    _b("history_of_cancer", P, "history of cancer", "Have you ever had cancer?",
       "Any cancer in the past, even if it was treated and you were told it had gone."),
    _b("unexplained_weight_loss", P, "unexplained weight loss",
       "Have you lost weight recently without trying?"),
    _b("fever", P, "measured or felt fever, chills or rigors",
       "Have you had a fever, chills or shivering fits with this pain?"),
    _b("night_sweats", P, "drenching night sweats", "Have you had drenching sweats at night?"),
    _b("iv_drug_use", P, "injects drugs", "Do you inject drugs?",
       "We ask because it changes the risk of a spinal infection; your answer stays private."),
    _b("immunosuppressed", P, "immunosuppressed",
       "Is your immune system weakened (for example chemotherapy, HIV, transplant drugs)?",
       "Kidney dialysis counts too: like a weakened immune system, it raises the risk of a "
       "spinal infection."),
    _b("recent_infection", P, "a bacterial infection in the past ~3 months",
       "Have you had a bacterial infection (urine, skin, chest…) in the past 3 months?"),
    _b("recent_spinal_procedure", P, "a spinal injection or operation in the past ~3 months",
       "Have you had a spinal injection or operation in the past 3 months?"),
    _b("diabetes", P, "diabetes", "Do you have diabetes?"),
    _b("smoker", P, "smokes now", "Do you smoke now?",
       "If you used to smoke and have stopped, answer no here: a separate question asks "
       "about that."),
    _b("vascular_disease_history", P,
       "known peripheral arterial disease, heart disease, stroke or aneurysm",
       "Have you been told you have narrowed leg arteries, heart disease, a stroke or an "
       "aneurysm?"),
    _b("previous_spine_surgery", P, "previous spine surgery", "Have you had spine surgery before?"),
    _b("uveitis_history", P, "previous anterior uveitis / iritis",
       "Have you had a painful red eye called uveitis or iritis?"),
    _b("imaging_shows_stenosis", P, "a scan report mentions narrowing of the spinal canal",
       "Has a scan report said your spinal canal is narrowed (stenosis)?"),
    _n("conservative_care_weeks", P, "weeks of physiotherapy/medication tried so far",
       "How many weeks of physiotherapy, exercise or medication have you tried for this?",
       0, 5200, "weeks"),
    # No triage rule reads the next four yet, so the interview never asks them (it asks
    # only keys that a red-flag rule, level rule or condition feature uses).
    _b("former_smoker", P, "smoked in the past and has stopped (smoker means smokes now)",
       "Did you use to smoke, but have now stopped?",
       "Answer yes even if you stopped many years ago."),
    _b("known_aortic_aneurysm", P,
       "has been told they have an aneurysm of the aorta (in the belly or chest)",
       "Has a doctor told you that you have an aneurysm (a swelling) of the aorta?",
       "The aorta is the main blood vessel. It runs from the heart down through the chest "
       "and belly. You may have been told after a scan or a screening test."),
    _b("anticoagulant_use", P,
       "takes a blood thinner (warfarin, a DOAC such as apixaban or rivaroxaban, heparin)",
       "Do you take a blood thinner, such as warfarin, apixaban, rivaroxaban or heparin "
       "injections?",
       "These medicines stop your blood from clotting. Others are edoxaban and dabigatran. "
       "Aspirin or clopidogrel on their own do not count here."),
    _b("rigid_spine_condition", P,
       "ankylosing spondylitis or DISH (a stiff, fused spine that breaks with little force)",
       "Have you been told you have ankylosing spondylitis or DISH?",
       "These are conditions where the bones of the spine grow together, so the back is "
       "stiff and can break after only a small fall. DISH is diffuse idiopathic skeletal "
       "hyperostosis."),
    # Pain and its pattern
    _b("back_pain", PN, "pain in the lower back", "Do you have pain in your lower back?"),
    _b("neck_pain", PN, "neck pain", "Do you have neck pain?"),
    _b("thoracic_pain", PN, "pain in the mid/upper back",
       "Do you have pain in the middle or upper back?"),
    _b("buttock_pain", PN, "buttock pain", "Do you have pain in the buttock?"),
    _b("leg_pain", PN, "pain spreading to the buttock or leg",
       "Does pain spread into your buttock or leg?"),
    _b("leg_pain_below_knee", PN, "leg pain below the knee",
       "Does the leg pain go below the knee?"),
    _b("leg_pain_worse_than_back", PN, "leg pain dominates back pain",
       "Is the leg pain worse than the back pain?"),
    _b("calf_pain_predominant", PN, "leg symptoms mainly in the calf",
       "Are the leg symptoms mainly in the calf?"),
    _b("leg_symptoms_bilateral", PN, "both legs", "Are both legs affected?"),
    _b("arm_pain", PN, "pain spreading into the arm", "Does pain spread into your arm?"),
    _b("arm_pain_below_elbow", PN, "reaches the forearm or hand",
       "Does the arm pain reach the forearm or hand?"),
    _b("abdominal_or_flank_pain", PN, "abdominal or flank pain with the back pain",
       "Do you also have pain in your belly or side?"),
    _n("back_pain_score", PN, "back pain rating", "How bad is the back pain, from 0 (none) to 10?",
       0, 10, integer=False),
    _n("leg_pain_score", PN, "leg pain rating", "How bad is the leg pain, from 0 (none) to 10?",
       0, 10),
    _n("pain_score", PN, "worst pain now, wherever it is",
       "How bad is your worst pain now, from 0 (none) to 10?", 0, 10),
    _b("leg_symptoms_walking", PN, "leg pain, heaviness or numbness brought on by walking",
       "Does walking bring on pain, heaviness or numbness in your legs?"),
    _b("leg_symptoms_standing", PN, "brought on by standing still for a while",
       "Does standing still for a while bring on the same leg symptoms?"),
    _b("relief_sitting_or_flexion", PN, "eased by sitting down or bending forward",
       "Do the leg symptoms ease when you sit down or bend forward?"),
    _b("relief_standing_still", PN,
       "eased within minutes by just stopping, without sitting or bending",
       "Do the leg symptoms ease within minutes if you just stop and stand still?"),
    _b("shopping_cart_sign", PN, "can walk further leaning on a trolley/walker",
       "Can you walk further when you lean on a shopping trolley or walker?"),
    _b("cycling_tolerated", PN, "cycling is comfortable although walking is not",
       "Can you cycle comfortably, even though walking is a problem?"),
    _b("leg_symptoms_cycling", PN, "cycling brings on the same leg symptoms",
       "Does cycling bring on the same leg symptoms as walking?"),
    _n("walking_distance_m", PN, "how far before symptoms force a stop",
       "About how far can you walk before the symptoms make you stop (in metres)?",
       0, 100000, "m", help="A supermarket aisle is about 50 m; a town block is about 100 m."),
    _b("pain_worse_sitting_or_bending", PN, "sitting or bending forward makes it worse",
       "Does sitting or bending forward make the pain worse?"),
    _b("pain_worse_cough_sneeze", PN, "worse on coughing or sneezing",
       "Does coughing or sneezing make the pain worse?"),
    _b("pain_mechanical", PN, "changes with movement and position",
       "Does the pain change with movement and position?"),
    _b("night_pain_unrelenting", PN,
       "constant pain at night or at rest, not eased by lying still or changing position",
       "Is the pain there all the time, even lying still at night, and not eased by changing "
       "position?",
       "Waking for a moment when you turn over in bed, then settling again, is not this: "
       "answer no."),
    _b("night_pain_eases_on_rising", PN,
       "wakes with pain in the second half of the night, eased by getting up",
       "Do you wake in the second half of the night with pain that eases when you get up?"),
    _b("morning_stiffness_over_30_min", PN, "morning stiffness over 30 minutes",
       "Is your back stiff for more than 30 minutes in the morning?"),
    _b("improves_with_exercise", PN, "improves with exercise", "Does exercise make it better?"),
    _b("no_improvement_with_rest", PN, "no improvement with rest", "Does rest fail to help?"),
    _b("alternating_buttock_pain", PN, "alternating buttock pain",
       "Does buttock pain switch from one side to the other?"),
    _b("muscle_spasm", PN, "tight, cramping back muscles",
       "Are your back or neck muscles tight and cramping?"),
    _b("symptoms_constant_regardless_of_posture", PN, "constant regardless of posture",
       "Are the symptoms the same whatever position you are in?"),
    _b("burning_feet_stocking_distribution", PN, "burning/numbness in both feet, like socks",
       "Do both feet burn or feel numb, like wearing socks?"),
    _b("neck_extension_worsens", PN, "looking up makes it worse",
       "Does looking up make it worse?"),
    _b("arm_symptoms_with_neck_movement", PN, "arm symptoms change with neck position",
       "Do your arm symptoms change when you move your neck?"),
    # Nerves and red flags
    _b("numbness_tingling_legs", NR, "numbness or tingling in the legs",
       "Do you have numbness or pins and needles in your legs?"),
    _b("numbness_tingling_arms_hands", NR, "numbness or tingling in the arms or hands",
       "Do you have numbness or pins and needles in your arms or hands?"),
    _b("leg_weakness", NR, "leg weakness", "Is either leg weak?"),
    _b("leg_weakness_bilateral", NR, "both legs weak", "Are both legs weak?"),
    _b("foot_drop", NR, "the foot slaps or catches when walking",
       "Does your foot slap down or catch on the ground when you walk?"),
    _b("arm_weakness", NR, "arm weakness", "Is either arm weak?"),
    _b("weakness_progressive", NR, "weakness getting worse over days/weeks",
       "Is the weakness getting worse over days or weeks?"),
    _b("weakness_severe", NR, "e.g. foot drop, cannot rise on toes/heels",
       "Is the weakness severe, for example you cannot stand on your toes or heels?"),
    _b("hand_clumsiness", NR, "trouble with buttons, writing, dropping things",
       "Have your hands become clumsy — trouble with buttons or writing, dropping things?"),
    _b("balance_problems", NR, "unsteady walking, stumbling",
       "Has your walking become unsteady, or do you stumble?"),
    _b("bladder_dysfunction", NR,
       "new retention, incontinence, or loss of feeling when passing urine",
       "Have you had any new problem with your bladder — not being able to pass urine, "
       "leaking, or not feeling it when you go?",
       "This matters a lot: new bladder problems with back or leg pain can mean nerves are "
       "being squeezed and need emergency care."),
    _b("bowel_dysfunction", NR, "new incontinence or loss of bowel control",
       "Have you had any new loss of control of your bowels?"),
    _b("saddle_anaesthesia", NR, "numbness in groin, genitals, buttocks or inner thighs",
       "Is there any numbness between your legs, around your bottom or genitals, or on the "
       "inner thighs (for example you cannot feel the toilet paper when you wipe)?"),
    _b("sexual_dysfunction_new", NR, "new sexual dysfunction",
       "Have you noticed any new loss of sexual function or genital sensation?"),
    # No triage rule reads the next two yet, so the interview never asks them.
    _b("urinary_hesitancy_new", NR,
       "new difficulty starting to pass urine, a weak stream, or straining to empty "
       "(not a long-standing prostate problem)",
       "Is it newly hard to start passing urine, is the flow weaker, or do you have to "
       "strain to empty your bladder?",
       "Only if this is new. A weak flow you have had for a long time, for example from a "
       "known prostate problem, does not count."),
    _b("band_like_trunk_pain", NR,
       "pain or numbness circling the chest or belly like a band, at one level",
       "Do you have pain or numbness that wraps around your chest or belly like a band?",
       "It goes round the body at one level, like a belt or a tight strap, on one or both "
       "sides."),
    _b("unable_to_walk_or_stand", NR, "unable to walk or stand",
       "Are you unable to walk or stand?"),
    _b("cold_pale_feet_or_skin_changes", NR, "cold, pale or discoloured foot or toes",
       "Is a foot or are toes cold, pale or discoloured?"),
    _b("foot_pain_at_rest", NR, "foot pain at rest or at night, eased by hanging the leg down",
       "Do you get foot pain at rest or at night that eases if you hang your leg down?"),
    _b("pulsatile_abdominal_mass", NR, "pulsatile abdominal mass",
       "Can you feel a pulsing lump in your belly?"),
    _b("sudden_severe_tearing_pain", NR, "sudden severe pain, worst within minutes",
       "Did a severe pain start suddenly and reach its worst within minutes?",
       "It may feel tearing or ripping, like nothing you have felt before."),
    _b("collapse_or_faintness", NR, "collapse or faintness",
       "Have you collapsed, fainted, or felt faint and sweaty?"),
    # Examination and measurements
    _exam("straight_leg_raise_positive", "leg pain reproduced by raising the straight leg"),
    _exam("reduced_foot_pulses", "weak or absent foot pulses"),
    _exam("ankle_reflex_reduced", "reduced or absent Achilles reflex"),
    _exam("hoffmann_sign", "positive Hoffmann sign"),
    _exam("babinski_sign", "extensor plantar response"),
    FindingDef("ankle_brachial_index", N, EX, "measured ankle-brachial index",
               minimum=0.0, maximum=2.5, clinician_only=True),
)

VOCABULARY: dict[str, FindingDef] = {d.key: d for d in _DEFS}


def answer_text(key: str, value: bool | float | int | str | None) -> str:
    """A finding's value as a person reads and types it: "yes", "no", "not sure", "200 m".
    The one wording of a value: the "what I understood" lines, the CLI and the evaluator's
    simulated answers (read back by the interview's parser) all use it."""
    if value is None:
        return "not sure"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    defn = VOCABULARY.get(key)
    unit = defn.unit if defn is not None else ""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{shown} {unit}" if unit else shown

