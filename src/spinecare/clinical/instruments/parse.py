"""Build an ``InstrumentDefinition`` from a plain mapping (parsed YAML), checking it.

A definition error names the instrument and the field, so a broken content file
fails loudly at load time instead of scoring wrongly later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from spinecare.clinical.instruments.model import (
    Band,
    Bands,
    Codes,
    Direction,
    InstrumentDefinition,
    Item,
    ItemKind,
    Licence,
    Mcid,
    Option,
    RuleKind,
    ScoreSpec,
    ScoringRule,
    Subscale,
)


class DefinitionError(ValueError):
    pass


def _frac(value: Any) -> Fraction:
    # Through str() so that 2.5 in YAML becomes exactly 5/2, not a binary float.
    return Fraction(str(value))


def _refs(data: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(r) for r in data.get("references", ()) or ())


def _options(raw: Any, where: str) -> tuple[Option, ...]:
    if isinstance(raw, Mapping) and "values" in raw:
        # Shorthand: values whose score equals the value.
        return tuple(Option(value=int(v), score=int(v)) for v in raw["values"])
    if not isinstance(raw, Sequence) or not raw:
        raise DefinitionError(f"{where}: options must be a non-empty list")
    options = []
    for opt in raw:
        value = int(opt["value"])
        options.append(
            Option(
                value=value,
                score=int(opt.get("score", value)),
                text=str(opt.get("text", "")),
                label=str(opt.get("label", "")),
            )
        )
    values = [o.value for o in options]
    if len(set(values)) != len(values):
        raise DefinitionError(f"{where}: option values must be unique, got {values}")
    return tuple(options)


_ITEM_KEYS = {
    "id",
    "label",
    "kind",
    "options",
    "min",
    "max",
    "text",
    "help",
    "subscale",
    "required",
    "enable_when",
}


def _item(raw: Mapping[str, Any], shared_options: Any, where: str) -> Item:
    item_id = str(raw["id"])
    kind = ItemKind(raw.get("kind", "choice"))
    here = f"{where} item {item_id}"
    unknown = sorted(set(raw) - _ITEM_KEYS)
    if unknown:
        # Catches YAML slips such as an unquoted comma splitting a label into a new key.
        raise DefinitionError(f"{here}: unknown keys {unknown}")
    enable_when = tuple((str(k), int(v)) for k, v in (raw.get("enable_when") or {}).items())
    if kind is ItemKind.INTEGER:
        lo, hi = int(raw["min"]), int(raw["max"])
        if lo >= hi:
            raise DefinitionError(f"{here}: min must be below max")
        return Item(
            id=item_id,
            label=str(raw["label"]),
            kind=kind,
            min_value=lo,
            max_value=hi,
            text=str(raw.get("text", "")),
            help=str(raw.get("help", "")),
            subscale=str(raw.get("subscale", "")),
            required=bool(raw.get("required", False)),
            enable_when=enable_when,
        )
    options = _options(raw.get("options", shared_options), here)
    return Item(
        id=item_id,
        label=str(raw["label"]),
        kind=kind,
        options=options,
        text=str(raw.get("text", "")),
        help=str(raw.get("help", "")),
        subscale=str(raw.get("subscale", "")),
        required=bool(raw.get("required", False)),
        enable_when=enable_when,
    )


def _bands(raw: Mapping[str, Any] | None, where: str) -> Bands | None:
    if not raw:
        return None
    bands = tuple(
        Band(
            id=str(b["id"]),
            label=str(b["label"]),
            upper=None if b.get("upper") is None else _frac(b["upper"]),
        )
        for b in raw["bands"]
    )
    uppers = [b.upper for b in bands]
    if any(u is None for u in uppers[:-1]):
        raise DefinitionError(f"{where}: only the last band may be open-ended")
    closed = [u for u in uppers if u is not None]
    if closed != sorted(closed):
        raise DefinitionError(f"{where}: band upper limits must increase")
    refs = _refs(raw)
    if not refs:
        raise DefinitionError(f"{where}: bands need references")
    return Bands(applies_to=str(raw.get("applies_to", "score")), bands=bands, references=refs)


def _mcid(raw: Mapping[str, Any] | None, where: str) -> Mcid | None:
    if not raw:
        return None
    refs = _refs(raw)
    if not refs:
        raise DefinitionError(f"{where}: MCID needs references")
    return Mcid(
        absolute=None if raw.get("absolute") is None else _frac(raw["absolute"]),
        relative_percent=None
        if raw.get("relative_percent") is None
        else _frac(raw["relative_percent"]),
        references=refs,
        note=str(raw.get("note", "")),
    )


def parse_definition(data: Mapping[str, Any]) -> InstrumentDefinition:
    """Turn one instrument's mapping into a checked ``InstrumentDefinition``."""
    try:
        iid = str(data["id"])
    except KeyError as exc:
        raise DefinitionError("instrument definition without an id") from exc
    try:
        return _parse(iid, data)
    except DefinitionError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise DefinitionError(f"instrument {iid}: {exc!r}") from exc


def _parse(iid: str, data: Mapping[str, Any]) -> InstrumentDefinition:
    shared_options = data.get("options")
    items = tuple(_item(raw, shared_options, iid) for raw in data["items"])
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise DefinitionError(f"instrument {iid}: duplicate item ids")

    rule_raw = data["scoring"]
    rule = ScoringRule(
        kind=RuleKind(rule_raw["rule"]),
        max_missing=int(rule_raw.get("max_missing", 0)),
        raw_max=None if rule_raw.get("raw_max") is None else int(rule_raw["raw_max"]),
        total_items=tuple(rule_raw.get("total_items", ())),
        psychosocial_items=tuple(rule_raw.get("psychosocial_items", ())),
        low_max_total=int(rule_raw.get("low_max_total", 3)),
        high_min_psychosocial=int(rule_raw.get("high_min_psychosocial", 4)),
        references=_refs(rule_raw),
        missing_rule_note=str(rule_raw.get("missing_rule_note", "")),
    )
    if not rule.references:
        raise DefinitionError(f"instrument {iid}: the scoring rule needs references")
    for ref_item in (*rule.total_items, *rule.psychosocial_items):
        if ref_item not in ids:
            raise DefinitionError(f"instrument {iid}: scoring names unknown item {ref_item}")

    score = None
    if data.get("score"):
        s = data["score"]
        score = ScoreSpec(
            label=str(s["label"]),
            unit=str(s["unit"]),
            min=_frac(s["min"]),
            max=_frac(s["max"]),
            direction=Direction(s["direction"]),
            decimals=int(s.get("decimals", 2)),
        )

    subscales = []
    for raw in data.get("subscales", ()) or ():
        where = f"instrument {iid} subscale {raw['id']}"
        members = tuple(str(i) for i in raw["items"])
        unknown = [m for m in members if m not in ids]
        if unknown:
            raise DefinitionError(f"{where}: unknown items {unknown}")
        subscales.append(
            Subscale(
                id=str(raw["id"]),
                label=str(raw["label"]),
                items=members,
                min_answered=int(raw.get("min_answered", len(members))),
                score_min=_frac(raw["min"]),
                score_max=_frac(raw["max"]),
                direction=Direction(raw["direction"]),
                bands=_bands(raw.get("bands"), where),
                mcid=_mcid(raw.get("mcid"), where),
                optional=bool(raw.get("optional", False)),
            )
        )

    lic = data["licence"]
    licence = Licence(
        text_included=bool(lic["text_included"]),
        holder=str(lic["holder"]),
        terms=str(lic["terms"]).strip(),
        decision=str(lic["decision"]).strip(),
        notice=str(lic.get("notice", "")).strip(),
        distributor=str(lic.get("distributor", "")),
        url=str(lic.get("url", "")),
        references=_refs(lic),
    )
    if not licence.text_included and any(i.text or any(o.text for o in i.options) for i in items):
        raise DefinitionError(f"instrument {iid}: wording is licensed out but an item carries text")

    codes_raw = data.get("codes") or {}
    codes = Codes(
        panel_loinc=str(codes_raw.get("panel_loinc", "")),
        score_loinc=str(codes_raw.get("score_loinc", "")),
        item_loinc={str(k): str(v) for k, v in (codes_raw.get("item_loinc") or {}).items()},
    )
    definition = InstrumentDefinition(
        id=iid,
        name=str(data["name"]),
        short_name=str(data["short_name"]),
        version=str(data["version"]),
        description=str(data["description"]).strip(),
        respondent=str(data["respondent"]),
        recall_period=str(data["recall_period"]),
        instructions=str(data.get("instructions", "")).strip(),
        items=items,
        rule=rule,
        score=score,
        subscales=tuple(subscales),
        bands=_bands(data.get("bands"), f"instrument {iid} bands"),
        mcid=_mcid(data.get("mcid"), f"instrument {iid} mcid"),
        licence=licence,
        references=_refs(data),
        codes=codes,
        answer_format=str(data.get("answer_format", "")).strip(),
        worsening_advice=str((data.get("worsening") or {}).get("advice", "")).strip(),
        worsening_references=_refs(data.get("worsening") or {}),
        knowledge_version=str(data.get("knowledge_version", "1")),
    )
    if definition.respondent not in {"patient", "clinician"}:
        raise DefinitionError(f"instrument {iid}: respondent must be patient or clinician")
    if not definition.references:
        raise DefinitionError(f"instrument {iid}: needs references")
    return definition
