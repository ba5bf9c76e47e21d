"""The triage engine: red flags first, then an explained differential, then advice.

The knowledge (``spinecare.clinical.knowledge``) is compiled once, when the engine
is built, into plain Python functions; ``evaluate`` then costs a few hundred
dictionary lookups. The engine is stateless and safe to share between threads.

How the level is decided:
1. every red-flag rule that fires demands at least its level;
2. each condition that is at least "possible" contributes the level of its first
   matching level rule (or its default);
3. a stable neurological deficit demands at least ``routine``;
4. when no condition is even "possible", ``routine`` (self-care is never the
   fallback for an unrecognised pattern).
The result is the most urgent of these. Unanswered red-flag questions that apply
are listed in ``open_questions`` and make the result incomplete.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from spinecare.clinical.findings import Findings
from spinecare.clinical.knowledge import KNOWLEDGE_VERSION
from spinecare.clinical.knowledge import advice as advice_data
from spinecare.clinical.knowledge.clinical_scores import SCORES, ScoreDef
from spinecare.clinical.knowledge.conditions import (
    CONDITIONS,
    DEFICIT_RULE,
    INSUFFICIENT_RULE,
    LIKELY,
    POSSIBLE,
    ConditionDef,
    LevelRule,
)
from spinecare.clinical.knowledge.emergency_numbers import emergency_contact
from spinecare.clinical.knowledge.red_flags import LUMBAR_OR_LEG, RULES, SPINAL_PAIN, RedFlagRule
from spinecare.clinical.knowledge.screening import SCREEN
from spinecare.clinical.triage.levels import Level
from spinecare.clinical.triage.result import (
    Advice,
    ClinicalScore,
    ConditionScore,
    OpenQuestion,
    Reason,
    TriageResult,
)
from spinecare.clinical.vocabulary import VOCABULARY

# A fired red-flag rule adds this to the score of the condition it points to, so the
# condition that drove the level is ranked where the person will see it.
RULE_BONUS = 4.0

Fn = Callable[[Mapping[str, Any]], bool]


@dataclass(slots=True)
class _CompiledRule:
    rule: RedFlagRule
    fn: Fn
    reason: Reason
    keys: tuple[str, ...]


@dataclass(slots=True)
class _CompiledCondition:
    cond: ConditionDef
    index: int
    labels: tuple[str, ...]
    weights: tuple[float, ...]
    level_rules: tuple[tuple[LevelRule, Fn, Reason], ...]
    default_reason: Reason


def _score_function(conditions: tuple[ConditionDef, ...]) -> Callable[[Mapping[str, Any]], list]:
    """Generate one function that scores every condition and records which features fired."""
    lines = ["def _score_all(f):", "    out = []"]
    for cond in conditions:
        lines.append("    s = 0.0; hits = []")
        for i, feat in enumerate(cond.features):
            lines.append(f"    if {feat.when.source()}: s += {feat.weight!r}; hits.append({i})")
        lines.append("    out.append((s, hits))")
    lines.append("    return out")
    namespace: dict[str, Any] = {"inf": float("inf")}
    exec("\n".join(lines), namespace)
    return namespace["_score_all"]


class TriageEngine:
    """Maps findings to a ``TriageResult``. Build once, call ``evaluate`` many times."""

    def __init__(self) -> None:
        self.knowledge_version = KNOWLEDGE_VERSION
        self._rules = tuple(
            _CompiledRule(
                r, r.when.compile(),
                Reason(r.id, r.level, r.reason, r.references),
                tuple(sorted(r.when.keys())),
            )
            for r in RULES
        )
        self._conditions = tuple(
            _CompiledCondition(
                c, i,
                tuple(feat.label for feat in c.features),
                tuple(feat.weight for feat in c.features),
                tuple((lr, lr.when.compile(), Reason(lr.id, lr.level, lr.reason, lr.references))
                      for lr in c.level_rules),
                Reason(f"DX-{c.id}", c.default_level, c.default_reason, c.references),
            )
            for i, c in enumerate(CONDITIONS)
        )
        self._cond_index = {c.id: i for i, c in enumerate(CONDITIONS)}
        self._score_all = _score_function(CONDITIONS)
        self._deficit = (DEFICIT_RULE.when.compile(),
                         Reason(DEFICIT_RULE.id, DEFICIT_RULE.level, DEFICIT_RULE.reason,
                                DEFICIT_RULE.references))
        self._insufficient = Reason(INSUFFICIENT_RULE.id, INSUFFICIENT_RULE.level,
                                    INSUFFICIENT_RULE.reason, INSUFFICIENT_RULE.references)
        self._screen = tuple(
            (q, q.applies.compile(),
             OpenQuestion(q.finding, VOCABULARY[q.finding].question, q.why, q.rule_ids))
            for q in SCREEN
        )
        self._any_symptom = SPINAL_PAIN.compile()
        self._lumbar_or_leg = LUMBAR_OR_LEG.compile()
        self._scores = tuple(
            (s, s.applies.compile(),
             tuple((item, tuple((p.compile(), pts) for p, pts in item.options))
                   for item in s.items))
            for s in SCORES
        )
        self._advice_cache: dict[tuple[Level, str, str | None], Advice] = {}

    # -- public API ------------------------------------------------------------------
    def evaluate(self, findings: Findings, *, country: str = "") -> TriageResult:
        f = findings.data
        reasons: list[Reason] = []
        level = Level.SELF_CARE

        # 1. Red flags first.
        bonus: dict[int, float] = {}
        for cr in self._rules:
            if cr.fn(f):
                reasons.append(
                    Reason(cr.reason.rule_id, cr.reason.level, cr.reason.text,
                           cr.reason.references, cr.rule.when.witnesses(f))
                )
                if cr.rule.level > level:
                    level = cr.rule.level
                if cr.rule.condition is not None:
                    idx = self._cond_index[cr.rule.condition]
                    bonus[idx] = RULE_BONUS
        reasons.sort(key=lambda r: -r.level.rank)

        # 2. The differential.
        raw = self._score_all(f)
        ranked = sorted(
            ((s + bonus.get(i, 0.0), i, hits) for i, (s, hits) in enumerate(raw)),
            key=lambda t: (-t[0], t[1]),
        )
        conditions: list[ConditionScore] = []
        dx_level: Level | None = None
        dx_reasons: list[Reason] = []
        for score, i, hits in ranked:
            if score <= 0 and conditions:
                break
            cc = self._conditions[i]
            if score >= POSSIBLE:
                lvl, why = self._condition_level(cc, f)
                if dx_level is None or lvl > dx_level:
                    dx_level, dx_reasons = lvl, [why]
                elif lvl == dx_level and why not in dx_reasons:
                    dx_reasons.append(why)
            conditions.append(self._condition_score(cc, score, hits))
        if dx_level is None:
            dx_level, dx_reasons = Level.ROUTINE, [self._insufficient]
        if dx_level > level:
            level = dx_level
        if dx_level == level:
            reasons.extend(dx_reasons)

        # 3. A deficit that is not progressing still needs an examination.
        deficit_fn, deficit_reason = self._deficit
        if deficit_fn(f):
            if level < Level.ROUTINE:
                level = Level.ROUTINE
            if level == Level.ROUTINE:
                reasons.append(deficit_reason)

        open_questions = self._open_questions(f)
        top = conditions[0].id if conditions else None
        return TriageResult(
            level=level,
            # At emergency nothing can raise the level further; questions stay listed.
            complete=not open_questions or level is Level.EMERGENCY,
            reasons=tuple(reasons),
            conditions=tuple(conditions),
            open_questions=open_questions,
            advice=self._advice(level, country, top),
            knowledge_version=self.knowledge_version,
            scores=self._clinical_scores(f),
        )

    def open_questions(self, findings: Findings) -> tuple[OpenQuestion, ...]:
        return self._open_questions(findings.data)

    def condition_scores(self, f: Mapping[str, Any]) -> list[float]:
        """Raw differential points per condition, in ``CONDITIONS`` order (no rule bonus)."""
        return [s for s, _ in self._score_all(f)]

    # -- parts -----------------------------------------------------------------------
    def _condition_level(
        self, cc: _CompiledCondition, f: Mapping[str, Any]
    ) -> tuple[Level, Reason]:
        for lr, fn, reason in cc.level_rules:
            if fn(f):
                return lr.level, reason
        return cc.cond.default_level, cc.default_reason

    def _condition_score(self, cc: _CompiledCondition, score: float,
                         hits: list[int]) -> ConditionScore:
        weights, labels = cc.weights, cc.labels
        supporting = tuple(labels[h] for h in hits if weights[h] > 0)
        against = tuple(labels[h] for h in hits if weights[h] < 0)
        likelihood = "likely" if score >= LIKELY else "possible" if score >= POSSIBLE else \
            "unlikely"
        return ConditionScore(cc.cond.id, cc.cond.name, score, likelihood, supporting, against,
                              cc.cond.references, cc.cond.summary)

    def _open_questions(self, f: Mapping[str, Any]) -> tuple[OpenQuestion, ...]:
        # Before any symptom location is known, the core screen applies to everyone.
        no_location = not self._any_symptom(f) and not self._lumbar_or_leg(f)
        return tuple(
            oq for q, applies, oq in self._screen
            if q.finding not in f and ((q.core and no_location) or applies(f))
        )

    def _advice(self, level: Level, country: str, top: str | None) -> Advice:
        key = (level, country, top if level <= Level.ROUTINE else None)
        cached = self._advice_cache.get(key)
        if cached is not None:
            return cached
        contact = emergency_contact(country)
        number = contact.number

        def fill(text: str) -> str:
            return text.replace("{number}", number)

        do_now = [fill(t) for t in advice_data.DO_NOW[level]]
        if key[2] is not None:
            do_now.extend(advice_data.CONDITION_TIPS.get(key[2], ()))
        watch = (*advice_data.WATCH_FOR, fill(advice_data.WATCH_FOR_ACTION))
        advice = Advice(level, fill(advice_data.HEADLINES[level]), tuple(do_now), watch,
                        number, contact.note)
        if len(self._advice_cache) < 4096:
            self._advice_cache[key] = advice
        return advice

    def _clinical_scores(self, f: Mapping[str, Any]) -> tuple[ClinicalScore, ...]:
        out = []
        for sdef, applies, items in self._scores:
            if applies(f):
                out.append(_compute_score(sdef, items, f))
        return tuple(out)


def _compute_score(sdef: ScoreDef, items: tuple, f: Mapping[str, Any]) -> ClinicalScore:
    points = 0.0
    low = high = 0.0
    missing: list[str] = []
    for item, options in items:
        for fn, pts in options:
            if fn(f):
                points += pts
                break
        else:
            missing.append(item.id)
            low += min(item.possible_points)
            high += max(item.possible_points)
    if points + low >= sdef.cutoff:
        positive: bool | None = True
    elif points + high < sdef.cutoff:
        positive = False
    else:
        positive = None
    note = sdef.interpretation
    if missing:
        note += f" Missing items: {', '.join(missing)} (never assumed normal)."
    return ClinicalScore(sdef.id, sdef.name, points, points + high, sdef.cutoff, positive,
                         tuple(missing), sdef.references, note)
