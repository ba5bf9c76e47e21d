"""FHIRPath for the read-only score items, generated from the definition's scoring rule.

These mirror the Python rules (including the missing-item limits) so a FHIR client such
as LHC-Forms shows the same number; Python stays the source of truth and a browser test
proves the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinecare.adapters.fhir.constants import SCORE_ITEM_PREFIX
from spinecare.clinical.instruments.model import InstrumentDefinition, RuleKind


@dataclass(frozen=True, slots=True)
class CalculatedItem:
    link_id: str
    text: str
    type: str  # "decimal" or "string"
    variables: tuple[tuple[str, str], ...]
    expression: str
    unit: str = ""


def _scores(item_ids: tuple[str, ...]) -> str:
    ids = " | ".join(f"'{i}'" for i in item_ids)
    return f"%resource.item.where(linkId in ({ids})).answer.value.ordinal()"


def calculated_items(d: InstrumentDefinition) -> tuple[CalculatedItem, ...]:
    rule = d.rule
    all_ids = d.item_ids
    n = len(all_ids)
    unit = d.score.unit if d.score else ""
    label = d.score.label if d.score else ""
    total = f"{SCORE_ITEM_PREFIX}total"
    if rule.kind is RuleKind.SUM_PERCENT:
        item_max = d.items[0].max_score
        expr = (
            f"iif(%n >= {n - rule.max_missing} and %n > 0, "
            f"(%s.sum() * 100 / ({item_max} * %n)).round(2), {{}})"
        )
        variables: tuple[tuple[str, str], ...] = (("s", _scores(all_ids)), ("n", "%s.count()"))
        return (CalculatedItem(total, label, "decimal", variables, expr, unit),)
    if rule.kind is RuleKind.COUNT:
        expr = (
            f"iif(%n = {n}, %s.sum(), "
            f"iif(%n >= {n - rule.max_missing} and %n > 0, (%s.sum() * {n} / %n).round(2), {{}}))"
        )
        variables = (("s", _scores(all_ids)), ("n", "%s.count()"))
        return (CalculatedItem(total, label, "decimal", variables, expr, unit),)
    if rule.kind is RuleKind.SUM_ALL:
        expr = f"iif(%n = {n}, %s.sum(), {{}})"
        variables = (("s", _scores(all_ids)), ("n", "%s.count()"))
        return (CalculatedItem(total, label, "decimal", variables, expr, unit),)
    if rule.kind is RuleKind.STARTBACK:
        variables = (
            ("s", _scores(rule.total_items)),
            ("p", _scores(rule.psychosocial_items)),
            ("n", "%s.count()"),
        )
        psych = d.subscales[0]
        risk = (
            f"iif(%n = {len(rule.total_items)}, iif(%s.sum() <= {rule.low_max_total}, 'low', "
            f"iif(%p.sum() >= {rule.high_min_psychosocial}, 'high', 'medium')), {{}})"
        )
        return (
            CalculatedItem(
                total,
                label,
                "decimal",
                variables,
                f"iif(%n = {len(rule.total_items)}, %s.sum(), {{}})",
                unit,
            ),
            CalculatedItem(
                f"{SCORE_ITEM_PREFIX}{psych.id}",
                psych.label,
                "decimal",
                variables,
                f"iif(%n = {len(rule.total_items)}, %p.sum(), {{}})",
                "{score}",
            ),
            CalculatedItem(f"{SCORE_ITEM_PREFIX}risk", "Risk group", "string", variables, risk),
        )
    if rule.kind is RuleKind.SUBSCALE_MEANS:
        out = []
        for sub in d.subscales:
            if len(sub.items) == 1:
                continue  # a single-item subscale (NRS site) is its own answer
            variables = (("s", _scores(sub.items)), ("n", "%s.count()"))
            expr = f"iif(%n >= {sub.min_answered}, (%s.sum() / %n).round(3), {{}})"
            out.append(
                CalculatedItem(
                    f"{SCORE_ITEM_PREFIX}{sub.id}", sub.label, "decimal", variables, expr, "{score}"
                )
            )
        return tuple(out)
    raise ValueError(f"no FHIRPath for rule {rule.kind}")
