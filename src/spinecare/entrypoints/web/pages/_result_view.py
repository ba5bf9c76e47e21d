"""Turn a TriageResult into what the result template shows.

Kept apart from the routes so the saved-check page, the anonymous result and the
clinician's patient page all word a result the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from spinecare.adapters.reports.check_summary import CheckSummary
from spinecare.clinical.evidence import EVIDENCE_LEVELS, Reference, ReferenceRegistry
from spinecare.clinical.rules.levels import LEVEL_MEANING
from spinecare.clinical.triage.conversation import PROVISIONAL_HEADLINE
from spinecare.clinical.triage.result import (
    Advice,
    ClinicalScore,
    ConditionScore,
    OpenQuestion,
    Reason,
    TriageResult,
)
from spinecare.clinical.vocabulary import VOCABULARY, answer_text

LEVEL_LABEL: dict[str, str] = {
    "emergency": "Emergency",
    "urgent": "Urgent",
    "routine": "Routine appointment",
    "self_care": "Self-care",
}

LEVEL_TITLE: dict[str, str] = {
    "emergency": "Call the emergency number now",
    "urgent": "See a doctor within 24 to 48 hours",
    "routine": "Book an ordinary appointment",
    "self_care": "You can look after this at home for now",
}


@dataclass(frozen=True, slots=True)
class CitedReference:
    number: int
    id: str
    citation: str
    short: str
    evidence_level: int
    evidence_text: str
    url: str


@dataclass(slots=True)
class ResultView:
    level: str
    level_title: str
    level_meaning: str
    complete: bool
    reasons: list[Reason]
    likely: list[ConditionScore]
    possible: list[ConditionScore]
    open_questions: list[OpenQuestion]
    scores: list[ClinicalScore]
    advice: Advice
    emergency_number: str
    emergency_note: str
    disclaimer: str
    knowledge_version: str
    references: dict[str, CitedReference] = field(default_factory=dict)
    provisional_headline: str = PROVISIONAL_HEADLINE

    @property
    def provisional(self) -> bool:
        """Open warning-sign questions: the result must never be shown as if final."""
        return not self.complete and self.level != "emergency"


def _cite(
    ref_ids: Iterable[str], cited: dict[str, CitedReference], registry: ReferenceRegistry
) -> None:
    for rid in ref_ids:
        if rid in cited:
            continue
        ref: Reference | None = registry.get(rid)
        if ref is None:
            continue  # an unknown id is caught by the registry tests, not shown to patients
        cited[rid] = CitedReference(
            number=len(cited) + 1,
            id=ref.id,
            citation=ref.citation,
            short=ref.short,
            evidence_level=ref.evidence_level,
            evidence_text=EVIDENCE_LEVELS[ref.evidence_level],
            url=ref.url,
        )


def build_result_view(result: TriageResult, registry: ReferenceRegistry) -> ResultView:
    """The wording of a fresh result or a saved one (read back with ``from_dict``);
    ``registry`` is the app's (``Spinecare.references``)."""
    cited: dict[str, CitedReference] = {}
    for references in (*(r.references for r in result.reasons),
                       *(c.references for c in result.conditions),
                       *(s.references for s in result.scores)):
        _cite(references, cited, registry)
    level = result.level.value
    advice = result.advice
    return ResultView(
        level=level,
        level_title=LEVEL_TITLE.get(level, level),
        level_meaning=LEVEL_MEANING[result.level],
        complete=result.complete,
        reasons=list(result.reasons),
        likely=[c for c in result.conditions if c.likelihood == "likely"],
        possible=[c for c in result.conditions if c.likelihood == "possible"],
        open_questions=list(result.open_questions),
        scores=list(result.scores),
        advice=advice,
        emergency_number=advice.emergency_number,
        emergency_note=advice.emergency_note,
        disclaimer=result.disclaimer,
        knowledge_version=result.knowledge_version,
        references=cited,
    )


def findings_rows(findings: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(plain-language finding, answer) pairs for showing what a result was based on."""
    rows = []
    for key, value in findings.items():
        defn = VOCABULARY.get(key)
        label = defn.meaning if defn else key.replace("_", " ")
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif defn is not None and defn.unit:
            shown = f"{value:g} {defn.unit}" if isinstance(value, float) else f"{value} {defn.unit}"
        else:
            shown = str(value)
        rows.append((label[:1].upper() + label[1:], shown))
    return rows


def top_condition_name(result: TriageResult | None) -> str:
    """The leading condition of a saved result, worded without claiming a diagnosis."""
    if result is None or not result.conditions:
        return "No particular condition stood out"
    first = result.conditions[0]
    name = (first.name or first.id).replace("_", " ")
    return f"May be {name[:1].lower() + name[1:]}"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def answer_rows(pairs: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
    """(what was asked, the answer in the person's words: yes / no / not sure / 200 m), in
    the order given; a later answer to the same question replaces an earlier one."""
    rows = []
    for key, value in dict(pairs).items():
        defn = VOCABULARY.get(key)
        label = defn.meaning if defn else key.replace("_", " ")
        rows.append((_upper_first(label), answer_text(key, value)))
    return rows


def check_summary(view: ResultView, answers: list[tuple[str, str]], when: datetime, *,
                  own_words: str = "", links: dict[str, str] | None = None) -> CheckSummary:
    """The printable summary of a result as the result page words it."""
    advice = view.advice
    return CheckSummary(
        level=view.level,
        level_title=view.level_title,
        level_meaning=view.level_meaning,
        provisional=view.provisional,
        when=when.astimezone(UTC).strftime("%-d %B %Y, %H:%M UTC"),
        knowledge_version=view.knowledge_version,
        emergency_number=view.emergency_number,
        disclaimer=view.disclaimer,
        advice_headline=advice.headline if advice else "",
        do_now=tuple(advice.do_now) if advice else (),
        watch_for=tuple(advice.watch_for) if advice else (),
        reasons=tuple((r.text, r.rule_id) for r in view.reasons),
        conditions=(*(f"Consistent with {_lower_first(c.name)}." for c in view.likely),
                    *(f"May be {_lower_first(c.name)}." for c in view.possible)),
        open_questions=tuple(q.question for q in view.open_questions),
        answers=tuple(answers),
        own_words=own_words,
        links=dict(links or {}),
    )


# The article about each condition the check can name (content/articles); a condition with
# none links nowhere rather than to a guess.
CONDITION_ARTICLES: dict[str, str] = {
    "lumbar_spinal_stenosis": "what-is-spinal-stenosis",
    "vascular_claudication": "vascular-or-nerve-claudication",
    "lumbar_radiculopathy_disc_herniation": "sciatica-and-trapped-nerves",
    "cervical_radiculopathy": "neck-stenosis-and-myelopathy",
    "cervical_myelopathy": "neck-stenosis-and-myelopathy",
    "cauda_equina_syndrome": "emergency-warning-signs",
    "spinal_infection": "when-to-see-a-doctor",
    "spinal_malignancy": "when-to-see-a-doctor",
    "vertebral_fracture": "when-to-see-a-doctor",
    "abdominal_aortic_aneurysm": "emergency-warning-signs",
    "inflammatory_back_pain": "other-causes-of-back-pain",
    "peripheral_neuropathy": "other-causes-of-back-pain",
    "muscle_spasm_strain": "other-causes-of-back-pain",
    "nonspecific_low_back_pain": "other-causes-of-back-pain",
}
# Conditions the decision aid compares treatments for (clinical.decision.SUPPORTED_CONDITIONS).
DECIDE_CONDITIONS = frozenset({
    "lumbar_spinal_stenosis", "lumbar_radiculopathy_disc_herniation", "cervical_radiculopathy",
    "cervical_myelopathy", "nonspecific_low_back_pain",
})
# The check's findings that the decision aid's form asks for too.
DECIDE_NUMBERS = {"conservative_care_weeks": "conservative_weeks",
                  "walking_distance_m": "walking_distance_m", "pain_score": "pain_nrs"}


@dataclass(frozen=True, slots=True)
class NextStep:
    text: str
    url: str
    primary: bool = False


def decide_url(condition: str, findings: Mapping[str, Any]) -> str:
    """/decide pre-filled with the condition and what the check already knows (only
    answers given: an unknown stays empty, never "no")."""
    query: dict[str, str] = {"condition": condition}
    for key, field_name in DECIDE_NUMBERS.items():
        value = findings.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            query[field_name] = f"{value:g}"
    weak = [findings.get(k) for k in ("leg_weakness", "arm_weakness")]
    if any(w is True for w in weak):
        progressive = findings.get("weakness_progressive")
        if progressive is not None:
            query["deficit"] = "progressive" if progressive else "stable"
        if findings.get("weakness_severe") is True:
            query["severe_deficit"] = "yes"
    elif weak and all(w is False for w in weak):
        query["deficit"] = "none"
    return "/decide?" + urlencode(query)


def next_steps(view: ResultView, findings: Mapping[str, Any], print_url: str,
               *, own: bool = True) -> list[NextStep]:
    """Where the result page leads, the first one the clear next action. An emergency or
    urgent (or provisional) result keeps its urgent action first (the level box) and is
    not followed by exercise or treatment comparisons; every result can be printed for
    the doctor. ``own``: the person's own result (a clinician gets only the printout)."""
    steps: list[NextStep] = []
    conditions = [*view.likely, *view.possible]
    top = conditions[0] if conditions else None
    # "Lumbar spinal stenosis (neurogenic claudication)" -> "lumbar spinal stenosis"
    short = _lower_first(top.name.split(" (")[0]) if top is not None else ""
    calm = view.level in ("routine", "self_care") and not view.provisional
    if own and top is not None and top.id in CONDITION_ARTICLES:
        if calm:
            steps.append(NextStep(f"Read about {short}",
                                  f"/articles/{CONDITION_ARTICLES[top.id]}", primary=True))
        elif view.level != "emergency":
            steps.append(NextStep("Read about warning signs and when to get help",
                                  "/articles/when-to-see-a-doctor"))
    if own and calm and top is not None and top.id in DECIDE_CONDITIONS:
        steps.append(NextStep(f"Compare treatments for {short}",
                              decide_url(top.id, findings)))
    if own and calm:
        steps.append(NextStep("See your exercise plan", "/exercise"))
    steps.append(NextStep("Print or save this result for your doctor", print_url,
                          primary=not any(s.primary for s in steps) and calm))
    return steps
