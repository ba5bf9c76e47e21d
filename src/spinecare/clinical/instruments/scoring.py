"""The generic scoring rules. Each instrument picks one rule in its definition.

Missing items are never scored as 0: each rule either scores from the answered
items (with the published or documented limit on how many may be missing, and a
flag) or refuses with a reason that says what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from spinecare.clinical.instruments.answers import Answers, normalise_answers
from spinecare.clinical.instruments.model import InstrumentDefinition, RuleKind
from spinecare.clinical.instruments.result import ScoreResult, SubscaleScore


@dataclass(frozen=True, slots=True)
class ScoringOptions:
    """Per-call overrides of a definition's configurable limits."""

    max_missing: int | None = None  # SUM_PERCENT / COUNT: most items allowed missing


def score_answers(
    definition: InstrumentDefinition, raw_answers: Any, options: ScoringOptions | None = None
) -> ScoreResult:
    """Validate ``raw_answers`` (list in item order or mapping by id) and score them."""
    answers = normalise_answers(definition, raw_answers)
    return _RULES[definition.rule.kind](definition, answers, options or ScoringOptions())


def _given(answers: Answers, item_id: str) -> int:
    """An answer the caller has already checked is present (None never reaches a sum)."""
    value = answers[item_id]
    if value is None:
        raise ValueError(f"item {item_id} has no answer")
    return value


def _base(definition: InstrumentDefinition, answers: Answers, **kw: Any) -> ScoreResult:
    spec = definition.score
    fields: dict[str, Any] = {
        "instrument": definition.id,
        "instrument_name": definition.name,
        "version": definition.version,
        "score": None,
        "band": None,
        "subscales": (),
        "answers": answers,
        "missing_items": tuple(k for k, v in answers.items() if v is None),
        "scored": False,
        "reason": "",
        "unit": spec.unit if spec else "",
        "direction": spec.direction if spec else None,
        "score_range": (spec.min, spec.max) if spec else None,
        "references": definition.rule.references,
        "decimals": spec.decimals if spec else 2,
    }
    fields.update(kw)
    return ScoreResult(**fields)


def _limit(definition: InstrumentDefinition, options: ScoringOptions) -> int:
    return definition.rule.max_missing if options.max_missing is None else options.max_missing


def _missing_reason(definition: InstrumentDefinition, missing: int, limit: int) -> str:
    return (
        f"{missing} of {len(definition.items)} items are missing; {definition.short_name} is "
        f"scored with at most {limit} missing, so no score is given. Answer the missing items "
        "or, if your clinic has decided on a different limit, pass it as max_missing."
    )


def _sum_percent(d: InstrumentDefinition, answers: Answers, options: ScoringOptions) -> ScoreResult:
    """ODI / NDI: sum of answered items / (item maximum × answered items) × 100."""
    answered = [d.item(k) for k, v in answers.items() if v is not None]
    missing = len(answers) - len(answered)
    limit = _limit(d, options)
    if not answered or missing > limit:
        return _base(d, answers, reason=_missing_reason(d, missing, limit))
    total = sum(item.score_of(_given(answers, item.id)) for item in answered)
    possible = sum(item.max_score for item in answered)
    percent = Fraction(total * 100, possible)
    raw = percent * d.rule.raw_max / 100 if d.rule.raw_max else None
    notes = []
    if missing:
        notes.append(
            f"Scored from {len(answered)} of {len(answers)} items: the maximum possible score "
            f"shrinks by {d.items[0].max_score} per missing item "
            "(missing items are not counted as 0)."
        )
    band = None
    if d.bands:
        band = d.bands.classify(raw if d.bands.applies_to == "raw" and raw is not None else percent)
    return _base(
        d,
        answers,
        score=percent,
        raw=raw,
        band=band,
        scored=True,
        rescaled=bool(missing),
        notes=tuple(notes),
    )


def _count(d: InstrumentDefinition, answers: Answers, options: ScoringOptions) -> ScoreResult:
    """RMDQ: statements that apply; proportionally rescaled (and flagged) when items are missing."""
    answered = [d.item(k) for k, v in answers.items() if v is not None]
    n_items, n_answered = len(answers), len(answered)
    missing = n_items - n_answered
    limit = _limit(d, options)
    if not answered or missing > limit:
        return _base(d, answers, reason=_missing_reason(d, missing, limit))
    applies = sum(item.score_of(_given(answers, item.id)) for item in answered)
    percent = Fraction(applies * 100, n_answered)
    score = Fraction(applies * n_items, n_answered)
    notes = []
    if missing:
        notes.append(
            f"{missing} item(s) not answered: the count ({applies} of {n_answered} answered) is "
            f"rescaled proportionally to the {n_items}-item range (Kent & Lauridsen); "
            "flagged as rescaled."
        )
    return _base(
        d,
        answers,
        score=score,
        raw=Fraction(applies),
        percent=percent,
        scored=True,
        rescaled=bool(missing),
        notes=tuple(notes),
    )


def _subscale_means(
    d: InstrumentDefinition, answers: Answers, options: ScoringOptions
) -> ScoreResult:
    """ZCQ (and single-item NRS sites): each subscale is the mean of its answered items."""
    subs = []
    problems = []
    for sub in d.subscales:
        values = [d.item(i).score_of(answers[i]) for i in sub.items if answers[i] is not None]  # type: ignore[arg-type]
        if not values and sub.optional:
            subs.append(
                SubscaleScore(sub.id, sub.label, None, 0, len(sub.items), reason="not answered")
            )
            continue
        if len(values) < sub.min_answered:
            reason = (
                f"{len(values)} of {len(sub.items)} items answered; at least {sub.min_answered} "
                "are needed to score this subscale"
            )
            subs.append(
                SubscaleScore(sub.id, sub.label, None, len(values), len(sub.items), reason=reason)
            )
            if not sub.optional:
                problems.append(f"{sub.label}: {reason}")
            continue
        mean = Fraction(sum(values), len(values))
        band = sub.bands.classify(mean) if sub.bands else None
        subs.append(SubscaleScore(sub.id, sub.label, mean, len(values), len(sub.items), band=band))
    scored_any = any(s.score is not None for s in subs)
    scored = scored_any and not problems
    reason = "; ".join(problems)
    if not scored_any and not reason:
        reason = "no items answered"
    missing = any(s.score is not None and s.answered < s.item_count for s in subs)
    return _base(d, answers, subscales=tuple(subs), scored=scored, reason=reason, rescaled=missing)


def _require_all(d: InstrumentDefinition, answers: Answers) -> str:
    missing = [k for k, v in answers.items() if v is None]
    if not missing:
        return ""
    return (
        f"{d.short_name} has no published rule for missing items, so every item is needed; "
        f"missing: {', '.join(missing)}"
    )


def _startback(d: InstrumentDefinition, answers: Answers, options: ScoringOptions) -> ScoreResult:
    """Keele STarT Back (Hill 2008): total <= 3 low; else psychosocial >= 4 high; else medium."""
    reason = _require_all(d, answers)
    if reason:
        return _base(d, answers, reason=reason)
    r = d.rule
    total = sum(d.item(i).score_of(_given(answers, i)) for i in r.total_items)
    psych = sum(d.item(i).score_of(_given(answers, i)) for i in r.psychosocial_items)
    if total <= r.low_max_total:
        band_id = "low"
    elif psych >= r.high_min_psychosocial:
        band_id = "high"
    else:
        band_id = "medium"
    assert d.bands is not None
    sub = d.subscales[0]
    subs = (SubscaleScore(sub.id, sub.label, Fraction(psych), len(sub.items), len(sub.items)),)
    return _base(
        d, answers, score=Fraction(total), band=d.bands.by_id(band_id), subscales=subs, scored=True
    )


def _sum_all(d: InstrumentDefinition, answers: Answers, options: ScoringOptions) -> ScoreResult:
    """mJOA: the sum of all domains; every domain must be rated."""
    reason = _require_all(d, answers)
    if reason:
        return _base(d, answers, reason=reason)
    total = Fraction(sum(d.item(k).score_of(_given(answers, k)) for k in answers))
    band = d.bands.classify(total) if d.bands else None
    return _base(d, answers, score=total, band=band, scored=True)


_RULES: dict[RuleKind, Callable[[InstrumentDefinition, Answers, ScoringOptions], ScoreResult]] = {
    RuleKind.SUM_PERCENT: _sum_percent,
    RuleKind.COUNT: _count,
    RuleKind.SUBSCALE_MEANS: _subscale_means,
    RuleKind.STARTBACK: _startback,
    RuleKind.SUM_ALL: _sum_all,
}
