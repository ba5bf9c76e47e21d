"""Red flags that stop the decision aid: a treatment comparison is the wrong tool then.

Keys are findings from shared/eval/FINDINGS.md. Emergency flags show emergency
advice and nothing else; urgent flags send the person to a doctor within 24-48
hours first. The grouping follows the triage evidence (cauda equina, aneurysm,
fracture: emergency; infection, cancer, limb ischaemia: urgent).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Urgency(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"


@dataclass(frozen=True, slots=True)
class RedFlag:
    key: str
    urgency: Urgency
    label: str        # what the person would recognise
    concern: str      # what it may point to ("may be", never a diagnosis)
    references: tuple[str, ...]


_CES = ("bass-ces-2018", "girft-ces-2023")
_FLAGS = (
    RedFlag("bladder_dysfunction", Urgency.EMERGENCY,
            "new trouble passing or holding urine, or not feeling it",
            "may be pressure on the nerves to the bladder (cauda equina syndrome)", _CES),
    RedFlag("bowel_dysfunction", Urgency.EMERGENCY,
            "new loss of bowel control",
            "may be pressure on the nerves to the bowel (cauda equina syndrome)", _CES),
    RedFlag("saddle_anaesthesia", Urgency.EMERGENCY,
            "numbness between the legs, around the back passage or genitals",
            "may be cauda equina syndrome", _CES),
    RedFlag("sexual_dysfunction_new", Urgency.EMERGENCY,
            "new loss of sexual function or feeling",
            "may be cauda equina syndrome", _CES),
    RedFlag("unable_to_walk_or_stand", Urgency.EMERGENCY,
            "suddenly unable to walk or stand",
            "may be severe nerve or spinal cord compression", ("bass-ces-2018", "fehlings-2017")),
    RedFlag("pulsatile_abdominal_mass", Urgency.EMERGENCY,
            "a throbbing lump in the tummy",
            "may be an aortic aneurysm", ("nice-ng156", "assar-2009")),
    RedFlag("sudden_severe_tearing_pain", Urgency.EMERGENCY,
            "sudden, severe, tearing back or tummy pain",
            "may be an aortic aneurysm", ("nice-ng156", "assar-2009")),
    RedFlag("collapse_or_faintness", Urgency.EMERGENCY,
            "collapse or fainting with the back pain",
            "may be an aortic aneurysm or another emergency", ("nice-ng156", "assar-2009")),
    RedFlag("trauma_recent", Urgency.EMERGENCY,
            "a serious fall, accident or blow to the spine",
            "may be a fracture", ("nice-ng41",)),
    RedFlag("fever", Urgency.URGENT,
            "fever, chills or shivering with the pain",
            "may be an infection of the spine", ("idsa-2015", "finucane-2020")),
    RedFlag("iv_drug_use", Urgency.URGENT,
            "injecting drugs",
            "raises the chance of a spinal infection", ("idsa-2015",)),
    RedFlag("unexplained_weight_loss", Urgency.URGENT,
            "weight loss you cannot explain",
            "needs checking for other causes, including cancer", ("downie-2013", "finucane-2020")),
    RedFlag("history_of_cancer", Urgency.URGENT,
            "cancer now or in the past, with new spinal pain",
            "needs checking for spread to the spine", ("downie-2013", "nice-ng234")),
    RedFlag("night_pain_unrelenting", Urgency.URGENT,
            "constant pain that rest or lying down does not ease",
            "needs checking for causes other than narrowing", ("finucane-2020",)),
    RedFlag("night_sweats", Urgency.URGENT,
            "drenching night sweats",
            "may be infection or another illness", ("finucane-2020",)),
    RedFlag("cold_pale_feet_or_skin_changes", Urgency.URGENT,
            "a cold, pale or discoloured foot or toes",
            "may be poor blood flow to the leg", ("esvs-2019", "nice-cg147")),
    RedFlag("foot_pain_at_rest", Urgency.URGENT,
            "foot pain at rest or at night, eased by hanging the leg down",
            "may be poor blood flow to the leg", ("esvs-2019", "nice-cg147")),
)

RED_FLAGS: dict[str, RedFlag] = {f.key: f for f in _FLAGS}
