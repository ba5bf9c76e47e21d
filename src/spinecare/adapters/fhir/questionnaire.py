"""Generate a FHIR R4 Questionnaire (SDC) from an instrument definition.

Each answer option carries its score as ``ordinalValue``; read-only items carry the
computed scores through ``calculatedExpression`` with a ``questionnaire-unit``. Where the
wording is licensed out, items show our short labels and the Questionnaire says which
licence is missing: it is a scoring template a clinic can fill with its licensed text.
"""

from __future__ import annotations

from typing import Any

from spinecare.adapters.fhir.constants import (
    EXT_CALCULATED,
    EXT_MAX,
    EXT_MIN,
    EXT_ORDINAL,
    EXT_UNIT,
    EXT_VARIABLE,
    LOINC,
    UCUM,
    UCUM_UNITS,
    VERIFIED_LOINC,
    answer_system,
    questionnaire_url,
)
from spinecare.adapters.fhir.expressions import calculated_items
from spinecare.clinical.instruments.model import InstrumentDefinition, Item, ItemKind


def _computable_name(d: InstrumentDefinition) -> str:
    return "Spinecare" + "".join(ch for ch in d.short_name.title() if ch.isalnum())


def licence_statement(d: InstrumentDefinition) -> str:
    lic = d.licence
    parts = [lic.notice] if lic.notice else []
    parts.append(lic.terms)
    if not d.has_text:
        parts.append(
            f"Item wording is not included: it is licensed by {lic.holder}"
            + (f" through {lic.distributor}" if lic.distributor else "")
            + ". Import the licensed wording with `spinecare instruments import FILE.json`."
        )
    return " ".join(parts)


def option_coding(d: InstrumentDefinition, item: Item, value: int) -> dict[str, Any]:
    option = item.option_for(value)
    assert option is not None
    return {"system": answer_system(d.id), "code": str(option.value), "display": option.display}


def _item(d: InstrumentDefinition, item: Item, position: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "linkId": item.id,
        "text": item.text or f"{position}. {item.label}",
        "type": "choice" if item.kind is ItemKind.CHOICE else "integer",
        "required": item.required,
    }
    loinc = d.codes.item_loinc.get(item.id)
    if loinc:
        out["code"] = [{"system": LOINC, "code": loinc, "display": VERIFIED_LOINC[loinc]}]
    if item.kind is ItemKind.CHOICE:
        out["answerOption"] = [
            {
                "extension": [{"url": EXT_ORDINAL, "valueDecimal": option.score}],
                "valueCoding": option_coding(d, item, option.value),
            }
            for option in item.options
        ]
    else:
        out["extension"] = [
            {"url": EXT_MIN, "valueInteger": item.min_value},
            {"url": EXT_MAX, "valueInteger": item.max_value},
        ]
    if item.enable_when:
        out["enableWhen"] = [
            {
                "question": qid,
                "operator": "=",
                "answerCoding": {"system": answer_system(d.id), "code": str(value)},
            }
            for qid, value in item.enable_when
        ]
    return out


def questionnaire_for(d: InstrumentDefinition) -> dict[str, Any]:
    """The FHIR R4 Questionnaire (as a JSON-ready dict) for one definition."""
    items = [_item(d, item, n) for n, item in enumerate(d.items, 1)]
    for calc in calculated_items(d):
        extensions: list[dict[str, Any]] = [
            {
                "url": EXT_VARIABLE,
                "valueExpression": {"name": name, "language": "text/fhirpath", "expression": expr},
            }
            for name, expr in calc.variables
        ]
        extensions.append(
            {
                "url": EXT_CALCULATED,
                "valueExpression": {"language": "text/fhirpath", "expression": calc.expression},
            }
        )
        if calc.unit:
            extensions.append(
                {
                    "url": EXT_UNIT,
                    "valueCoding": {
                        "system": UCUM,
                        "code": calc.unit,
                        "display": UCUM_UNITS[calc.unit],
                    },
                }
            )
        entry: dict[str, Any] = {
            "extension": extensions,
            "linkId": calc.link_id,
            "text": calc.text,
            "type": calc.type,
            "readOnly": True,
        }
        if calc.link_id.endswith("total") and d.codes.score_loinc:
            code = d.codes.score_loinc
            entry["code"] = [{"system": LOINC, "code": code, "display": VERIFIED_LOINC[code]}]
        items.append(entry)
    description = d.description
    if d.instructions:
        description += f" Instructions: {d.instructions}"
    description += f" Recall period: {d.recall_period}. Completed by: {d.respondent}."
    q: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"spinecare-{d.id}",
        "url": questionnaire_url(d.id),
        "version": f"{d.version} (spinecare knowledge {d.knowledge_version})",
        "name": _computable_name(d),
        "title": d.name,
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "spinecare",
        "description": description,
        "copyright": licence_statement(d),
        "item": items,
    }
    if d.codes.panel_loinc:
        code = d.codes.panel_loinc
        q["code"] = [{"system": LOINC, "code": code, "display": VERIFIED_LOINC[code]}]
    return q
