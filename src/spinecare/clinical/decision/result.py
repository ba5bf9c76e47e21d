"""What the decision aid returns: the step on the pathway and each option's status.

``to_dict`` is the JSON the API, the CLI and the printed summary use; ``from_dict`` reads
it back into the same objects (``from_dict(r.to_dict()) == r``). The labels, titles,
``bypassed`` and ``rule_ids`` in the JSON are derived from the fields, so reading them back
would add nothing: they are recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from spinecare.clinical.decision.inputs import Benefit, DecisionInput, Deficit
from spinecare.clinical.decision.red_flags import Answer


class Status(StrEnum):
    REASONABLE_NOW = "reasonable_now"
    DISCUSS_WITH_SPECIALIST = "discuss_with_specialist"
    NOT_YET = "not_yet"
    NOT_NEEDED_NOW = "not_needed_now"
    NOT_RECOMMENDED = "not_recommended"
    INVESTIGATIONAL_ONLY = "investigational_only"


STATUS_LABELS: dict[Status, str] = {
    Status.REASONABLE_NOW: "Reasonable to consider now",
    Status.DISCUSS_WITH_SPECIALIST: "Reasonable to discuss with a specialist",
    Status.NOT_YET: "Not yet",
    Status.NOT_NEEDED_NOW: "Not needed now",
    Status.NOT_RECOMMENDED: "Not recommended for you",
    Status.INVESTIGATIONAL_ONLY: "Investigational: only in a clinical trial",
}


class Stage(StrEnum):
    EMERGENCY = "emergency"
    URGENT_REVIEW = "urgent_review"
    CONSERVATIVE_FIRST = "conservative_first"
    CONTINUE_CONSERVATIVE = "continue_conservative"
    SURGICAL_DISCUSSION = "surgical_discussion"
    SURGICAL_OPINION_SOON = "surgical_opinion_soon"
    REHABILITATION_REVIEW = "rehabilitation_review"


STAGE_TITLES: dict[Stage, str] = {
    Stage.EMERGENCY: "Emergency: get help now",
    Stage.URGENT_REVIEW: "See a doctor within 24-48 hours first",
    Stage.CONSERVATIVE_FIRST: "Step 1: conservative care first",
    Stage.CONTINUE_CONSERVATIVE: "Step 1: conservative care is helping - keep going",
    Stage.SURGICAL_DISCUSSION: "Step 2: a good time to discuss surgery with a specialist",
    Stage.SURGICAL_OPINION_SOON: "Sooner: ask for a specialist opinion on surgery now",
    Stage.REHABILITATION_REVIEW: "Step 2: review the non-surgical plan",
}


@dataclass(frozen=True, slots=True)
class Reason:
    rule_id: str
    text: str
    references: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "text": self.text, "references": list(self.references)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        return cls(data["rule_id"], data["text"], tuple(data["references"]))


@dataclass(frozen=True, slots=True)
class OptionAssessment:
    option_id: str
    status: Status
    reasons: tuple[Reason, ...]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for reason in self.reasons for r in reason.references))

    def to_dict(self) -> dict[str, Any]:
        return {
            "option_id": self.option_id,
            "status": self.status.value,
            "status_label": self.status_label,
            "reasons": [r.to_dict() for r in self.reasons],
            "references": list(self.references),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OptionAssessment:
        return cls(data["option_id"], Status(data["status"]),
                   tuple(Reason.from_dict(r) for r in data["reasons"]))


@dataclass(frozen=True, slots=True)
class Advice:
    level: str                  # "emergency" or "urgent"
    headline: str
    text: str
    emergency_number: str
    flags: tuple[str, ...]      # plain-language labels of the red flags that fired

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "headline": self.headline,
            "text": self.text,
            "emergency_number": self.emergency_number,
            "flags": list(self.flags),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Advice:
        return cls(data["level"], data["headline"], data["text"], data["emergency_number"],
                   tuple(data["flags"]))


DISCLAIMER = (
    "This decision aid does not make the decision and is not a diagnosis. It sets out "
    "options and evidence so that you can talk them through with your clinician."
)


@dataclass(frozen=True, slots=True)
class DecisionResult:
    input: DecisionInput
    stage: Stage
    stage_reasons: tuple[Reason, ...]
    options: tuple[OptionAssessment, ...]   # empty when the aid is bypassed
    notes: tuple[Reason, ...]
    advice: Advice | None
    safety_net: str
    rules_version: str
    # Warning signs left unanswered (only ever set on a bypass: a treatment comparison
    # needs every sign answered).
    open_warning_signs: tuple[str, ...] = ()
    disclaimer: str = field(default=DISCLAIMER)

    @property
    def bypassed(self) -> bool:
        return self.stage in (Stage.EMERGENCY, Stage.URGENT_REVIEW)

    @property
    def stage_title(self) -> str:
        return STAGE_TITLES[self.stage]

    def option(self, option_id: str) -> OptionAssessment:
        for assessment in self.options:
            if assessment.option_id == option_id:
                return assessment
        raise KeyError(option_id)

    def rule_ids(self) -> tuple[str, ...]:
        ids = [r.rule_id for r in self.stage_reasons]
        ids += [r.rule_id for o in self.options for r in o.reasons]
        ids += [r.rule_id for r in self.notes]
        return tuple(dict.fromkeys(ids))

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input.to_dict(),
            "bypassed": self.bypassed,
            "stage": self.stage.value,
            "stage_title": self.stage_title,
            "stage_reasons": [r.to_dict() for r in self.stage_reasons],
            "advice": self.advice.to_dict() if self.advice else None,
            "options": [o.to_dict() for o in self.options],
            "notes": [n.to_dict() for n in self.notes],
            "rule_ids": list(self.rule_ids()),
            "safety_net": self.safety_net,
            "rules_version": self.rules_version,
            "open_warning_signs": list(self.open_warning_signs),
            "disclaimer": self.disclaimer,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DecisionResult:
        """The result ``to_dict`` gave (the API's or the CLI's JSON). Keys a door adds
        around it (``option_grid``, ``references`` …) are ignored."""
        advice = data["advice"]
        return cls(
            input=_input_from_dict(data["input"]),
            stage=Stage(data["stage"]),
            stage_reasons=tuple(Reason.from_dict(r) for r in data["stage_reasons"]),
            options=tuple(OptionAssessment.from_dict(o) for o in data["options"]),
            notes=tuple(Reason.from_dict(n) for n in data["notes"]),
            advice=Advice.from_dict(advice) if advice is not None else None,
            safety_net=data["safety_net"],
            rules_version=data["rules_version"],
            open_warning_signs=tuple(data.get("open_warning_signs", ())),
            disclaimer=data.get("disclaimer", DISCLAIMER),
        )


def _input_from_dict(data: Mapping[str, Any]) -> DecisionInput:
    """``DecisionInput.to_dict`` read back. Not validation: the input was validated
    (``parse_decision_input``) before the result was made."""
    benefit = data["benefit"]
    return DecisionInput(
        condition=data["condition"],
        conservative_weeks=data["conservative_weeks"],
        benefit=Benefit(benefit) if benefit is not None else None,
        deficit=Deficit(data["deficit"]),
        severe_deficit=data["severe_deficit"],
        red_flags=tuple(data["red_flags"]),
        odi=data["odi"],
        zcq_symptom=data["zcq_symptom"],
        zcq_function=data["zcq_function"],
        pain_nrs=data["pain_nrs"],
        walking_distance_m=data["walking_distance_m"],
        injections_12m=data["injections_12m"],
        values=dict(data["values"]),
        warning_signs={k: Answer(v) for k, v in data["warning_signs"].items()},
    )
