"""What to do now and what to watch for, by level, plus condition-specific self-help.

Plain language, never a diagnosis. ``{number}`` is replaced by the emergency number.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinecare.clinical.rules.levels import Level

HEADLINES: dict[Level, str] = {
    Level.EMERGENCY: "Call {number} or go to the nearest emergency department now.",
    Level.URGENT: "See a doctor within 24-48 hours.",
    Level.ROUTINE: "Book an appointment with a GP or physiotherapist in the coming weeks.",
    Level.SELF_CARE: "You can look after this at home for now.",
}

DO_NOW: dict[Level, tuple[str, ...]] = {
    Level.EMERGENCY: (
        "Call {number} or have someone take you to an emergency department now; do not drive "
        "yourself.",
        "Tell them which warning signs you have (for example 'new numbness between my legs "
        "and trouble passing urine').",
        "Do not wait to see whether it settles, and do not wait for a routine appointment.",
    ),
    Level.URGENT: (
        "Contact your GP surgery today and ask for an appointment within 24-48 hours; if you "
        "cannot get one, use your local urgent care or out-of-hours service.",
        "Take this summary with you.",
    ),
    Level.ROUTINE: (
        "Book an ordinary appointment with your GP or a physiotherapist.",
        "Keep as active as you comfortably can; simple pain relief may help.",
        "Keep a short symptom diary (pain, walking distance, what helps) to take along.",
    ),
    Level.SELF_CARE: (
        "Stay active and keep up your usual activities as far as pain allows; bed rest slows "
        "recovery.",
        "Heat and, if suitable for you, an anti-inflammatory such as ibuprofen can ease pain "
        "(check with a pharmacist if you have stomach, kidney or heart problems).",
        "See a GP if you are not clearly better within about 6 weeks.",
    ),
}

WATCH_FOR: tuple[str, ...] = (
    "New numbness between your legs, around your bottom or genitals.",
    "New difficulty passing urine, leaking, or loss of bowel control.",
    "Weakness in one or both legs that is getting worse, or a foot that slaps or catches.",
    "Clumsy hands together with unsteady walking.",
    "Fever, feeling very unwell, or unexplained weight loss with the pain.",
)
WATCH_FOR_ACTION = "If any of these happen, call {number} or go to an emergency department."

CONDITION_TIPS: dict[str, tuple[str, ...]] = {
    "lumbar_spinal_stenosis": (
        "Bending forward opens the spinal canal: exercises such as knee-to-chest and pelvic "
        "tilts, and cycling, are usually easier than walking upright.",
        "Walking with support (a trolley, walker or poles) and short rests let you walk "
        "further; build up distance gradually.",
    ),
    "lumbar_radiculopathy_disc_herniation": (
        "Keep moving within comfort; short walks are better than long sitting.",
        "Most sciatica from a disc improves over weeks to a few months without surgery.",
    ),
    "cervical_radiculopathy": (
        "Keep the neck moving gently; avoid long periods looking up or down.",
    ),
    "nonspecific_low_back_pain": (
        "Most back pain improves within a few weeks; gentle movement and walking help.",
    ),
    "muscle_spasm_strain": (
        "Heat, gentle stretching and keeping moving help a muscle spasm settle.",
    ),
    "vascular_claudication": (
        "Stopping smoking and a supervised walking programme improve walking distance in "
        "narrowed leg arteries.",
    ),
    "peripheral_neuropathy": (
        "Check your feet daily for cuts or sores you may not feel, especially with diabetes.",
    ),
    "inflammatory_back_pain": (
        "Regular exercise helps inflammatory back pain; a doctor can arrange blood tests and "
        "a rheumatology referral.",
    ),
}

# Under 16 (AGE-UNDER-16): said first and plainly, in place of the adult advice.
CHILD_HEADLINE = "This check is for adults: see a doctor within a day or two"
CHILD_DO_NOW = ("This check is written for adults (16 and over), so it gives no result for "
                "you. Ask a parent or carer to book a GP appointment within a day or two.")


@dataclass(frozen=True, slots=True)
class AdviceText:
    """The advice texts the engine fills in (``{number}``: the emergency number)."""

    headlines: dict[Level, str]
    do_now: dict[Level, tuple[str, ...]]
    watch_for: tuple[str, ...]
    watch_for_action: str
    condition_tips: dict[str, tuple[str, ...]]
    child_headline: str
    child_do_now: str


ADVICE = AdviceText(HEADLINES, DO_NOW, WATCH_FOR, WATCH_FOR_ACTION, CONDITION_TIPS,
                    CHILD_HEADLINE, CHILD_DO_NOW)
