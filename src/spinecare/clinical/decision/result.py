"""What the decision aid returns: the step on the pathway and each option's status."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from spinecare.clinical.decision.inputs import DecisionInput


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
    disclaimer: str = field(default=(
        "This decision aid does not make the decision and is not a diagnosis. It sets out "
        "options and evidence so that you can talk them through with your clinician."
    ))

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
