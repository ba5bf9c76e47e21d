"""QuestionnaireResponse out (one administration) and in (score an imported response)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from spinecare.adapters.fhir.constants import (
    EXT_ITEM_WEIGHT,
    EXT_ORDINAL,
    SCORE_ITEM_PREFIX,
    questionnaire_url,
)
from spinecare.adapters.fhir.questionnaire import option_coding
from spinecare.clinical.instruments.answers import Answers
from spinecare.clinical.instruments.model import InstrumentDefinition, ItemKind
from spinecare.clinical.instruments.result import ScoreResult, number


class ResponseImportError(ValueError):
    """A QuestionnaireResponse that cannot be mapped onto the instrument; says what and where."""


def questionnaire_response(
    d: InstrumentDefinition,
    result: ScoreResult,
    *,
    response_id: str,
    subject_ref: str,
    authored: datetime,
    author_ref: str | None = None,
) -> dict[str, Any]:
    """The response to ``d`` for already-scored answers, with the computed scores as items."""
    items: list[dict[str, Any]] = []
    for item in d.items:
        value = result.answers.get(item.id)
        if value is None:
            continue  # unanswered: no answer at all, never a 0
        if item.kind is ItemKind.CHOICE:
            option = item.option_for(value)
            assert option is not None
            coding = option_coding(d, item, value)
            coding["extension"] = [{"url": EXT_ORDINAL, "valueDecimal": option.score}]
            answer: dict[str, Any] = {"valueCoding": coding}
        else:
            answer = {"valueInteger": value}
        items.append({"linkId": item.id, "text": item.text or item.label, "answer": [answer]})
    if result.score is not None:
        items.append(
            {
                "linkId": f"{SCORE_ITEM_PREFIX}total",
                "answer": [{"valueDecimal": number(result.score, result.decimals)}],
            }
        )
    for sub in result.subscales:
        if sub.score is not None and len(d.subscale(sub.id).items) > 1:
            items.append(
                {
                    "linkId": f"{SCORE_ITEM_PREFIX}{sub.id}",
                    "answer": [{"valueDecimal": number(sub.score, 3)}],
                }
            )
    if d.rule.kind.value == "startback" and result.band is not None:
        items.append(
            {"linkId": f"{SCORE_ITEM_PREFIX}risk", "answer": [{"valueString": result.band.id}]}
        )
    qr: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": questionnaire_url(d.id),
        "status": "completed",
        "subject": {"reference": subject_ref},
        "authored": authored.isoformat(),
        "item": items,
    }
    if author_ref:
        qr["author"] = {"reference": author_ref}
    return qr


def _flatten(items: Any) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for item in items or ():
        out.append(item)
        out.extend(_flatten(item.get("item")))
        for answer in item.get("answer") or ():
            out.extend(_flatten(answer.get("item")))
    return out


def _weight(coding: Mapping[str, Any]) -> Decimal | None:
    for ext in coding.get("extension") or ():
        if ext.get("url") in (EXT_ORDINAL, EXT_ITEM_WEIGHT) and "valueDecimal" in ext:
            return Decimal(str(ext["valueDecimal"]))
    return None


def _answer_value(
    d: InstrumentDefinition,
    item_id: str,
    answer: Mapping[str, Any],
    code_map: Mapping[tuple[str, str], int],
) -> Any:
    item = d.item(item_id)
    if "valueCoding" in answer:
        coding = answer["valueCoding"]
        code = str(coding.get("code", ""))
        if (item_id, code) in code_map:
            return code_map[(item_id, code)]
        if code.lstrip("-").isdigit() and int(code) in item.allowed_values():
            return int(code)
        weight = _weight(coding)
        if weight is not None:
            matches = [o.value for o in item.options if o.score == weight]
            if len(matches) == 1:
                return matches[0]
        allowed = ", ".join(str(v) for v in item.allowed_values())
        raise ResponseImportError(
            f"item {item_id}: answer code '{code}' is not one of this instrument's codes "
            f"({allowed})"
        )
    for key in ("valueInteger", "valueDecimal"):
        if key in answer:
            return answer[key]
    if "valueBoolean" in answer:
        return bool(answer["valueBoolean"])
    raise ResponseImportError(f"item {item_id}: unsupported answer type {sorted(answer)}")


def answers_from_response(
    d: InstrumentDefinition,
    qr: Mapping[str, Any],
    code_map: Mapping[tuple[str, str], int] | None = None,
) -> Answers | dict[str, Any]:
    """Map a response's answers onto ``d`` by linkId. Score items (``score-*``) are ignored:
    we recompute every score rather than trust the one in the file."""
    code_map = code_map or {}
    known = set(d.item_ids)
    answers: dict[str, Any] = {}
    for item in _flatten(qr.get("item")):
        link_id = str(item.get("linkId", ""))
        if link_id.startswith(SCORE_ITEM_PREFIX) or not item.get("answer"):
            continue
        if link_id not in known:
            raise ResponseImportError(
                f"linkId '{link_id}' is not an item of {d.short_name}; "
                f"expected one of: {', '.join(d.item_ids)}"
            )
        given = item["answer"]
        if len(given) != 1:
            raise ResponseImportError(f"item {link_id}: expected one answer, got {len(given)}")
        answers[link_id] = _answer_value(d, link_id, given[0], code_map)
    return answers


def validated_response(response: Any) -> None:
    """Check ``response`` against the R4B QuestionnaireResponse model; problems as
    ``FhirValidationError``, a file nested hundreds of levels deep as ``ResponseImportError``."""
    from spinecare.adapters.fhir.validate import validate_resource

    try:
        validate_resource(response, "QuestionnaireResponse")
    except RecursionError:
        raise ResponseImportError(
            "items or answers are nested too deeply (hundreds of levels); no real "
            "QuestionnaireResponse is"
        ) from None


def instrument_of_response(
    response: Mapping[str, Any],
    definitions: Mapping[str, InstrumentDefinition],
    licensed_urls: Mapping[str, str],
) -> str:
    """Which instrument a response answers: from ``questionnaire`` (our canonical URL or
    the URL of an imported licensed Questionnaire, ``licensed_urls`` by instrument id),
    else from the item linkIds when exactly one instrument has them all."""
    canonical = str(response.get("questionnaire") or "").split("|")[0]
    chosen = None
    for iid in definitions:
        if canonical and canonical in {questionnaire_url(iid), licensed_urls.get(iid, "")}:
            chosen = iid
    if chosen is not None:
        return chosen
    link_ids = {str(i.get("linkId")) for i in response.get("item") or ()}
    link_ids = {x for x in link_ids if not x.startswith(SCORE_ITEM_PREFIX)}
    matches = [iid for iid, d in definitions.items() if link_ids <= set(d.item_ids)]
    if len(matches) != 1:
        raise ResponseImportError(
            f"cannot tell which instrument this response is for (questionnaire "
            f"'{canonical or 'not given'}'); set QuestionnaireResponse.questionnaire to "
            f"the Questionnaire's URL"
        )
    return matches[0]
