"""Turn a TriageResult into what the result template shows.

Kept apart from the routes so the saved-check page, the anonymous result and the
clinician's patient page all word a result the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from spinecare.adapters.library.references import load_references
from spinecare.clinical.evidence import EVIDENCE_LEVELS, Reference
from spinecare.clinical.rules.levels import LEVEL_MEANING, Level
from spinecare.clinical.triage.conversation import PROVISIONAL_HEADLINE

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
    reasons: list[Any]
    likely: list[Any]
    possible: list[Any]
    open_questions: list[Any]
    scores: list[Any]
    advice: Any
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


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """Read a field from a result dataclass or from its stored JSON (dict) form."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _cite(ref_ids: Iterable[str], cited: dict[str, CitedReference]) -> None:
    registry = load_references()
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


def build_result_view(result: Any) -> ResultView:
    """Accept a ``TriageResult`` or its ``to_dict()`` form (as stored in the database)."""
    level = str(_get(result, "level"))
    advice = _get(result, "advice")
    conditions = list(_get(result, "conditions", ()) or ())
    reasons = list(_get(result, "reasons", ()) or ())
    scores = list(_get(result, "scores", ()) or ())
    cited: dict[str, CitedReference] = {}
    for item in (*reasons, *conditions, *scores):
        _cite(_get(item, "references", ()) or (), cited)
    try:
        meaning = LEVEL_MEANING[Level(level)]
    except ValueError:
        meaning = ""
    return ResultView(
        level=level,
        level_title=LEVEL_TITLE.get(level, level),
        level_meaning=meaning,
        complete=bool(_get(result, "complete", True)),
        reasons=reasons,
        likely=[c for c in conditions if _get(c, "likelihood") == "likely"],
        possible=[c for c in conditions if _get(c, "likelihood") == "possible"],
        open_questions=list(_get(result, "open_questions", ()) or ()),
        scores=scores,
        advice=advice,
        emergency_number=str(_get(advice, "emergency_number", "") or ""),
        emergency_note=str(_get(advice, "emergency_note", "") or ""),
        disclaimer=str(_get(result, "disclaimer", "") or ""),
        knowledge_version=str(_get(result, "knowledge_version", "") or ""),
        references=cited,
    )


def findings_rows(findings: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(plain-language finding, answer) pairs for showing what a result was based on."""
    from spinecare.clinical.vocabulary import VOCABULARY

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


def top_condition_name(result: Mapping[str, Any] | None) -> str:
    """The leading condition of a stored result, worded without claiming a diagnosis."""
    conditions = (result or {}).get("conditions") or []
    if not conditions:
        return "No particular condition stood out"
    first = conditions[0]
    name = str(first.get("name") or first.get("id", "")).replace("_", " ")
    return f"May be {name[:1].lower() + name[1:]}"
