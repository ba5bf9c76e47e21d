"""Import a clinic's licensed Questionnaire and lay its wording over a definition.

The Questionnaire is validated with the R4B models, then mapped onto the definition by
item id (``linkId``). Answer options map by position; where an option carries a score
(``ordinalValue`` or ``itemWeight``) it must equal ours, so licensed text can never
change how an instrument is scored. Every problem is reported with the linkId.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from spinecare.adapters.fhir.constants import EXT_ITEM_WEIGHT, EXT_ORDINAL, SCORE_ITEM_PREFIX
from spinecare.adapters.fhir.validate import FhirValidationError, validate_resource
from spinecare.clinical.instruments.model import InstrumentDefinition, ItemKind


class LicensedImportError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class LicensedText:
    instrument_id: str
    url: str
    item_text: dict[str, str]
    option_text: dict[tuple[str, int], str]
    code_map: dict[tuple[str, str], int]  # (linkId, their code) -> our option value
    notice: str


def _question_items(items: Any) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    if not isinstance(items, list):
        return out  # validation reports the wrong shape ("item": "zzz")
    for item in items:
        if not isinstance(item, Mapping):
            continue
        if item.get("type") == "group":
            out.extend(_question_items(item.get("item")))
        elif (
            item.get("type") == "display"
            or item.get("readOnly")
            or str(item.get("linkId", "")).startswith(SCORE_ITEM_PREFIX)
        ):
            continue
        else:
            out.append(item)
    return out


def _score_of(option: Mapping[str, Any]) -> Decimal | None:
    for holder in (option, option.get("valueCoding") or {}):
        for ext in holder.get("extension") or ():
            if ext.get("url") in (EXT_ORDINAL, EXT_ITEM_WEIGHT) and "valueDecimal" in ext:
                return Decimal(str(ext["valueDecimal"]))
    return None


def validate_questionnaire(q: Mapping[str, Any]) -> None:
    """FHIR structure first, so that nothing below meets a wrong shape; problems as
    ``LicensedImportError``."""
    try:
        validate_resource(q, "Questionnaire")
    except FhirValidationError as exc:
        raise LicensedImportError(exc.problems) from None
    except RecursionError:
        # The R4B models recurse per nesting level: a file nested hundreds of groups deep.
        raise LicensedImportError(
            ["items are nested too deeply (hundreds of levels); no real Questionnaire is"]
        ) from None


def guess_instrument(q: Mapping[str, Any], candidates: Mapping[str, InstrumentDefinition]) -> str:
    """The one instrument whose item ids match the Questionnaire's question linkIds."""
    link_ids = {str(i.get("linkId")) for i in _question_items(q.get("item"))}
    matches = [iid for iid, d in candidates.items() if set(d.item_ids) == link_ids]
    if len(matches) == 1:
        return matches[0]
    best = max(candidates.values(), key=lambda d: len(set(d.item_ids) & link_ids))
    missing = sorted(set(best.item_ids) - link_ids)
    extra = sorted(link_ids - set(best.item_ids))
    raise LicensedImportError(
        [
            "the Questionnaire's linkIds do not match any instrument's item ids "
            f"(closest: {best.id}; missing {missing or 'none'}; not recognised {extra or 'none'}). "
            "Give each question the item id from `spinecare instruments show INSTRUMENT`, "
            "or name the instrument with --instrument."
        ]
    )


def read_licensed_questionnaire(d: InstrumentDefinition, q: Mapping[str, Any]) -> LicensedText:
    """Validate ``q`` and map its wording onto ``d``; ``LicensedImportError`` if it misfits."""
    validate_questionnaire(q)
    problems: list[str] = []
    by_id = {str(i.get("linkId")): i for i in _question_items(q.get("item"))}
    for extra in sorted(set(by_id) - set(d.item_ids)):
        problems.append(
            f"linkId '{extra}' is not an item of {d.short_name}; "
            f"expected one of: {', '.join(d.item_ids)}"
        )
    item_text: dict[str, str] = {}
    option_text: dict[tuple[str, int], str] = {}
    code_map: dict[tuple[str, str], int] = {}
    for pos, item in enumerate(d.items, 1):
        theirs = by_id.get(item.id)
        if theirs is None:
            problems.append(
                f"item {pos} '{item.id}' ({item.label}) is missing from the Questionnaire"
            )
            continue
        text = str(theirs.get("text") or "").strip()
        if not text:
            problems.append(f"item '{item.id}': no text")
        item_text[item.id] = text
        if item.kind is ItemKind.INTEGER:
            if theirs.get("type") != "integer":
                problems.append(
                    f"item '{item.id}': type must be integer, got {theirs.get('type')!r}"
                )
            continue
        options = theirs.get("answerOption") or []
        if len(options) != len(item.options):
            problems.append(
                f"item '{item.id}': has {len(options)} answer options, the definition has "
                f"{len(item.options)} (scores {[o.score for o in item.options]})"
            )
            continue
        for n, (opt, ours) in enumerate(zip(options, item.options, strict=True), 1):
            score = _score_of(opt)
            if score is not None and score != ours.score:
                problems.append(
                    f"item '{item.id}' option {n}: score {score} does not match the "
                    f"definition's {ours.score}; options must be in scoring order"
                )
            coding = opt.get("valueCoding")
            display = (coding or {}).get("display") or opt.get("valueString") or ""
            if not str(display).strip():
                problems.append(f"item '{item.id}' option {n}: no display text")
            option_text[(item.id, ours.value)] = str(display).strip()
            if coding and coding.get("code") is not None:
                code_map[(item.id, str(coding["code"]))] = ours.value
    notice = str(q.get("copyright") or "").strip()
    if not notice:
        problems.append(
            "copyright is empty: keep the owner's copyright notice in "
            "Questionnaire.copyright, exactly as the licence requires"
        )
    if problems:
        raise LicensedImportError(problems)
    return LicensedText(d.id, str(q.get("url") or ""), item_text, option_text, code_map, notice)


def apply_licensed_questionnaire(
    d: InstrumentDefinition, q: Mapping[str, Any], source: str
) -> InstrumentDefinition:
    text = read_licensed_questionnaire(d, q)
    return d.with_licensed_text(text.item_text, text.option_text, text.notice, source)
