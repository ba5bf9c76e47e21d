"""A JSON-ready description of an instrument: what a screen (CLI or web) needs to render it.

Generated from the one definition, so the terminal walk-through, the web pages and
``spinecare instruments show --json`` never drift apart.
"""

from __future__ import annotations

from typing import Any

from spinecare.clinical.instruments.model import InstrumentDefinition, Mcid
from spinecare.clinical.instruments.result import number


def licence_missing_message(d: InstrumentDefinition) -> str:
    """What a screen says instead of a broken form when the wording is licensed out."""
    lic = d.licence
    via = f" through {lic.distributor}" if lic.distributor else ""
    return (
        f"The {d.short_name} wording is licensed by {lic.holder}{via} and is not "
        f"installed, so the questionnaire cannot be shown. {lic.terms}"
    )


def rule_text(d: InstrumentDefinition) -> str | None:
    rule = d.rule
    if rule.kind.value != "startback":
        return None
    return (
        f"total <= {rule.low_max_total}: low risk; otherwise psychosocial >= "
        f"{rule.high_min_psychosocial}: high risk; otherwise medium risk"
    )


def _mcid(m: Mcid | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "absolute": number(m.absolute),
        "relative_percent": number(m.relative_percent),
        "references": list(m.references),
        "note": m.note,
    }


def describe(d: InstrumentDefinition) -> dict[str, Any]:
    """Everything a screen or a clinician needs about one instrument."""
    return {
        "id": d.id,
        "name": d.name,
        "short_name": d.short_name,
        "version": d.version,
        "description": d.description,
        "instructions": d.instructions,
        "respondent": d.respondent,
        "recall_period": d.recall_period,
        "answer_format": d.answer_format,
        "has_text": d.has_text,
        "licence_missing_message": None if d.has_text else licence_missing_message(d),
        "scoring_rule": d.rule.kind.value,
        "missing_rule": d.rule.missing_rule_note.strip(),
        "rule_text": rule_text(d),
        "items": [
            {
                "id": i.id,
                "label": i.label,
                "text": i.text or None,
                "help": i.help or None,
                "kind": i.kind.value,
                "subscale": i.subscale or None,
                "allowed_values": list(i.allowed_values()),
                "options": [
                    {"value": o.value, "score": o.score, "display": o.display} for o in i.options
                ],
                "min": i.min_value,
                "max": i.max_value,
                "enable_when": [{"item": q, "value": v} for q, v in i.enable_when],
            }
            for i in d.items
        ],
        "score": (
            {
                "label": d.score.label,
                "unit": d.score.unit,
                "min": number(d.score.min),
                "max": number(d.score.max),
                "direction": d.score.direction.value,
            }
            if d.score
            else None
        ),
        "bands": (
            [{"id": b.id, "label": b.label, "upper": number(b.upper)} for b in d.bands.bands]
            if d.bands
            else None
        ),
        "bands_apply_to": d.bands.applies_to if d.bands else None,
        "subscales": [
            {
                "id": s.id,
                "label": s.label,
                "items": list(s.items),
                "min_answered": s.min_answered,
                "min": number(s.score_min),
                "max": number(s.score_max),
                "direction": s.direction.value,
                "optional": s.optional,
                "mcid": _mcid(s.mcid),
                "bands": [
                    {"id": b.id, "label": b.label, "upper": number(b.upper)} for b in s.bands.bands
                ]
                if s.bands
                else None,
            }
            for s in d.subscales
        ],
        "mcid": _mcid(d.mcid),
        "licence": {
            "text_included": d.has_text,
            "holder": d.licence.holder,
            "distributor": d.licence.distributor or None,
            "terms": d.licence.terms,
            "decision": d.licence.decision,
            "notice": d.licence.notice or None,
            "url": d.licence.url or None,
            "imported_from": d.licence.imported_from or None,
        },
        "references": list(d.references),
        "knowledge_version": d.knowledge_version,
    }
