"""Which exercises each condition's programme uses, and its direction bias (data).

Condition ids are the triage engine's (``clinical/triage/knowledge/conditions.py``). A
condition missing here gets no self-guided programme (rule EX-NOT-COVERED): infections,
tumours, fractures, cauda equina and the aorta need a doctor first; vascular claudication
needs a supervised walking programme for the circulation (NICE CG147), not a spine plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Bias(StrEnum):
    """The programme's direction of movement for the lower back (or the neck)."""

    FLEXION = "flexion"
    DIRECTIONAL = "directional_preference"
    NEUTRAL = "neutral"
    NECK = "neck"


@dataclass(frozen=True, slots=True)
class Template:
    bias: Bias
    rule_id: str  # why this programme (rules.RULES)
    home: tuple[str, ...]  # the daily home routine, in order
    conditioning: tuple[str, ...]  # choose one per programme session
    supervised_only: bool = False


_LUMBAR_MOBILITY = Template(
    Bias.NEUTRAL, "EX-MOBILITY",
    home=("pelvic_tilt", "knee_to_chest_single", "lower_trunk_rotation", "cat_cow",
          "childs_pose"),
    conditioning=("walking", "water_walking", "stationary_cycling"),
)
_NECK = Template(
    Bias.NECK, "EX-NECK",
    home=("chin_tuck", "neck_rotation"),
    conditioning=("walking", "stationary_cycling"),
)

TEMPLATES: dict[str, Template] = {
    "lumbar_spinal_stenosis": Template(
        Bias.FLEXION, "EX-BIAS-FLEXION",
        home=("knee_to_chest_single", "knee_to_chest_double", "pelvic_tilt", "childs_pose",
              "cat_cow", "partial_crunch"),
        conditioning=("stationary_cycling", "supported_walking", "water_walking"),
    ),
    "lumbar_radiculopathy_disc_herniation": Template(
        Bias.DIRECTIONAL, "EX-BIAS-DIRECTION",
        home=("prone_lying", "pelvic_tilt", "walking"),
        conditioning=("walking", "water_walking"),
    ),
    "muscle_spasm_strain": _LUMBAR_MOBILITY,
    "nonspecific_low_back_pain": _LUMBAR_MOBILITY,
    "cervical_radiculopathy": _NECK,
    "cervical_myelopathy": Template(
        Bias.NECK, "EX-SUPERVISED",
        home=("chin_tuck", "neck_rotation"),
        conditioning=("walking", "stationary_cycling"),
        supervised_only=True,
    ),
}
