"""The triage engine: red flags first, then an explained differential, then advice.

``TriageEngine(knowledge)`` compiles the knowledge it is given (a ``TriageKnowledge``;
the built-in one is ``spinecare.clinical.triage.knowledge.BUILTIN_KNOWLEDGE``) once,
when the engine is built, into plain Python functions (``clinical/rules/codegen.py``;
``generated_source()`` shows them); ``evaluate`` then costs a few hundred dictionary
lookups. The engine reads nothing but its knowledge and is safe to share between
threads. The process builds one (``spinecare.bootstrap``) and hands it to whoever
needs it: nothing in ``clinical/`` keeps an engine of its own.

How the level is decided:
0. under 16: the check is for adults; the person is told to see a doctor soon
   (at least ``urgent``, ``emergency`` if an emergency rule fires) with no adult result;
1. every red-flag rule that fires demands at least its level;
2. each condition that is at least "possible" contributes the level of its first
   matching level rule (or its default). A condition is "possible" only with its
   cardinal feature; a serious one is then at least urgent (issue 9 §3 gate);
3. a stable neurological deficit demands at least ``routine``;
4. when no condition is even "possible": self-care if the benign fallback holds (back
   or neck pain, no nerve symptom, not persistent: NICE NG59), otherwise ``routine``;
5. safety gate: self-care only when every applicable warning-sign question has been
   answered; otherwise the result is provisional and at least ``routine``.
The result is the most urgent of these. Unanswered red-flag questions that apply
are listed in ``open_questions`` and make the result incomplete (provisional).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spinecare.clinical.findings import Findings
from spinecare.clinical.rules.codegen import (
    CompiledPredicates,
    compile_predicate,
    compile_predicates,
    identifier,
    sources,
)
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.rules.predicates import Is, Not, Pred
from spinecare.clinical.triage.knowledge import TriageKnowledge
from spinecare.clinical.triage.knowledge.clinical_scores import ScoreDef, ScoreItem
from spinecare.clinical.triage.knowledge.conditions import ConditionDef, LevelRule
from spinecare.clinical.triage.knowledge.red_flags import RedFlagRule
from spinecare.clinical.triage.result import (
    Advice,
    ClinicalScore,
    ConditionScore,
    OpenQuestion,
    Reason,
    TriageResult,
)

# Location keys set to "yes" when no location is known: every screen then applies.
_ALL_LOCATIONS = {k: True for k in ("back_pain", "neck_pain", "thoracic_pain", "leg_pain",
                                    "arm_pain")}

# A fired red-flag rule adds this to the score of the condition it points to, so the
# condition that drove the level is ranked where the person will see it.
RULE_BONUS = 4.0
# Conditions listed in a result: every 'possible' one, and at least the top few.
MAX_CONDITIONS = 6
# Bound on each cache of shared result parts (memory stays small whatever the input).
_CACHE_LIMIT = 20_000

Fn = Callable[[Mapping[str, Any]], bool]


@dataclass(slots=True)
class _CompiledRule:
    rule: RedFlagRule
    reason: Reason
    # (key, leaf test) pairs: the known findings behind a fired rule, for its explanation.
    atoms: tuple[tuple[str, Fn], ...]


def _atoms(pred: Pred, leaf_tests: dict[Pred, Fn]) -> tuple[tuple[str, Fn], ...]:
    """The leaves of ``pred`` with a test each; ``leaf_tests`` shares the tests of equal
    leaves between rules while the engine is built."""
    out = []
    for atom in pred.atoms():
        if isinstance(atom, Not):
            continue  # "not" blocks a downgrade; it never explains a concern
        test = leaf_tests.get(atom)
        if test is None:
            test = leaf_tests[atom] = compile_predicate(atom, f"leaf {atom.describe()}")
        for key in sorted(atom.keys()):
            out.append((key, test))
    return tuple(out)


def _reason(rule: LevelRule | RedFlagRule) -> Reason:
    return Reason(rule.id, rule.level, rule.reason, rule.references)


class _Named(dict[str, Pred]):
    """The predicates of one generated pass, by name; a name can be given only once."""

    def add(self, name: str, pred: Pred) -> str:
        if name in self:
            raise ValueError(f"two predicates named {name!r} in the triage knowledge")
        self[name] = pred
        return name


def _witnesses(atoms: tuple[tuple[str, Fn], ...], f: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for key, fn in atoms if fn(f)))


# Findings that only set the scene: a condition supported by these alone is not listed
# (every older man would otherwise "have" an aneurysm score).
_CONTEXT_KEYS = frozenset({"age", "sex"})
_LOCATION_KEYS = frozenset({"back_pain", "neck_pain", "thoracic_pain", "buttock_pain",
                            "leg_pain", "arm_pain"})


def _is_evidence(cond: ConditionDef, feature_keys: frozenset[str], weight: float) -> bool:
    context = _CONTEXT_KEYS | (_LOCATION_KEYS if cond.serious else frozenset())
    return weight > 0 and not feature_keys <= context


@dataclass(slots=True)
class _CompiledCondition:
    cond: ConditionDef
    index: int
    labels: tuple[str, ...]
    weights: tuple[float, ...]
    evidence: frozenset[int]   # features that count as real support for listing
    level_rules: tuple[tuple[LevelRule, Fn, Reason], ...]
    default_reason: Reason


class _Scorer:
    """Scores every condition. Simple features (one finding equal to a value) are looked
    up from the findings that are known, so the cost grows with what the person told us,
    not with the size of the knowledge; compound features come from the engine's single
    generated pass (added to ``named``), whose results are passed in."""

    def __init__(self, conditions: tuple[ConditionDef, ...], possible: float,
                 named: _Named) -> None:
        self.n = len(conditions)
        self.possible = possible
        # Conditions with a cardinal feature: (condition index, name of the cardinal test).
        self._cardinal_names: list[tuple[int, str]] = []
        self.index: dict[tuple[str, Any], list[tuple[int, int, float]]] = {}
        self._compound_names: list[tuple[int, int, float, str]] = []
        for i, cond in enumerate(conditions):
            if cond.cardinal is not None:
                self._cardinal_names.append(
                    (i, named.add(f"{cond.id} cardinal", cond.cardinal)))
            for j, feat in enumerate(cond.features):
                if isinstance(feat.when, Is):
                    self.index.setdefault((feat.when.key, feat.when.value), []).append(
                        (i, j, feat.weight))
                else:
                    name = named.add(f"{cond.id} feature {j}: {feat.label}", feat.when)
                    self._compound_names.append((i, j, feat.weight, name))
        # Where each result sits in the generated pass (``bind``, once it is compiled).
        self.cardinal: tuple[tuple[int, int], ...] = ()
        self.compound: tuple[tuple[int, int, float, int], ...] = ()

    def bind(self, index: Mapping[str, int]) -> None:
        self.cardinal = tuple((i, index[name]) for i, name in self._cardinal_names)
        self.compound = tuple((i, j, w, index[name])
                              for i, j, w, name in self._compound_names)

    def __call__(self, f: Mapping[str, Any], tests: Sequence[bool]
                 ) -> list[tuple[float, list[int]]]:
        scores = [0.0] * self.n
        hits: list[list[int]] = [[] for _ in range(self.n)]
        index = self.index
        for item in f.items():
            entries = index.get(item)
            if entries:
                for i, j, w in entries:
                    scores[i] += w
                    hits[i].append(j)
        for i, j, w, at in self.compound:
            if tests[at]:
                scores[i] += w
                hits[i].append(j)
        # Without its cardinal feature a condition is at most "unlikely" (issue 9 §5).
        possible = self.possible
        for i, at in self.cardinal:
            if not tests[at] and scores[i] >= possible:
                scores[i] = possible - 0.5
        return list(zip(scores, hits, strict=True))


@dataclass(slots=True)
class _CompiledScore:
    sdef: ScoreDef
    applies_at: int
    item_tests: Callable[[Mapping[str, Any]], tuple[bool, ...]]
    # Per item: the positions of its options' results in ``item_tests``, with their points.
    items: tuple[tuple[ScoreItem, tuple[tuple[int, float], ...]], ...]


class TriageEngine:
    """Maps findings to a ``TriageResult``. Build once, call ``evaluate`` many times."""

    def __init__(self, knowledge: TriageKnowledge) -> None:
        k = self.knowledge = knowledge
        self.knowledge_version = k.version
        self._conditions = tuple(
            _CompiledCondition(
                c, i,
                tuple(feat.label for feat in c.features),
                tuple(feat.weight for feat in c.features),
                frozenset(j for j, feat in enumerate(c.features)
                          if _is_evidence(c, feat.when.keys(), feat.weight)),
                tuple((lr, compile_predicate(lr.when, lr.id), _reason(lr))
                      for lr in c.level_rules),
                Reason(f"DX-{c.id}", c.default_level, c.default_reason, c.references),
            )
            for i, c in enumerate(k.conditions)
        )
        self._cond_index = {c.id: i for i, c in enumerate(k.conditions)}
        self._insufficient = _reason(k.insufficient_rule)
        self._deficit_reason = _reason(k.deficit_rule)
        self._fallback_reason = _reason(k.benign_fallback)
        self._open_reason = _reason(k.open_screen_rule)
        self._child_reason = _reason(k.child_rule)
        self._advice_cache: dict[tuple[Level, str, str | None], Advice] = {}
        # Results are immutable, so identical parts are built once and shared.
        self._condition_cache: dict[tuple[int, float, tuple[int, ...]], ConditionScore] = {}
        self._score_cache: dict[tuple[int, tuple[bool, ...]], ClinicalScore] = {}

        # Everything that is a yes/no test of the findings is evaluated in one generated
        # pass (shared groups computed once); each result is found by its name.
        leaf_tests: dict[Pred, Fn] = {}
        self._rules = tuple(
            _CompiledRule(r, _reason(r), _atoms(r.when, leaf_tests)) for r in k.rules)
        named = _Named()
        rule_names = [named.add(r.id, r.when) for r in k.rules]
        self._screen = tuple(
            (q.finding, q.core,
             OpenQuestion(q.finding, k.vocabulary[q.finding].question, q.why, q.rule_ids))
            for q in k.screen
        )
        screen_names = [named.add(f"screen {q.finding}", q.applies) for q in k.screen]
        deficit = named.add(k.deficit_rule.id, k.deficit_rule.when)
        spinal = named.add("location known: spinal pain", k.spinal_pain)
        lumbar_or_leg = named.add("location known: lumbar or leg", k.lumbar_or_leg)
        fallback = named.add(k.benign_fallback.id, k.benign_fallback.when)
        self._score_all = _Scorer(k.conditions, k.possible, named)
        # Published scores: applicability in the main pass; their items in a pass of their
        # own, run only when the score applies.
        score_items: list[tuple[ScoreDef, str, _Named]] = []
        for sdef in k.scores:
            item_preds = _Named()
            for item in sdef.items:
                for n, (option, _) in enumerate(item.options):
                    item_preds.add(f"{item.id} option {n}", option)
            score_items.append((sdef, named.add(f"{sdef.id} applies", sdef.applies),
                                item_preds))

        main = compile_predicates(named, "triage_tests", group_names=k.group_names,
                                  title=f"Triage knowledge {k.version}: every test, one pass")
        self._tests = main.evaluate
        self._rule_results = main.picker(rule_names)
        self._screen_results = main.picker(screen_names)
        self._deficit_at = main.index[deficit]
        self._spinal_at = main.index[spinal]
        self._lumbar_or_leg_at = main.index[lumbar_or_leg]
        self._fallback_at = main.index[fallback]
        self._score_all.bind(main.index)
        self._compiled: list[CompiledPredicates] = [main]

        self._scores: list[_CompiledScore] = []
        for sdef, applies, item_preds in score_items:
            item_pass = compile_predicates(
                item_preds, f"{identifier(sdef.id)}_items", group_names=k.group_names,
                title=f"{sdef.name}: its items, run when the score applies")
            self._compiled.append(item_pass)
            at = item_pass.index
            items = tuple(
                (item, tuple((at[f"{item.id} option {n}"], points)
                             for n, (_, points) in enumerate(item.options)))
                for item in sdef.items)
            self._scores.append(
                _CompiledScore(sdef, main.index[applies], item_pass.evaluate, items))

        # Screening applicability alone, for the "no location yet" case (ask everything).
        screen_only = compile_predicates(
            {name: named[name] for name in screen_names}, "screen_tests",
            group_names=k.group_names,
            title="Which warning-sign questions apply when no location is known yet")
        self._screen_tests = screen_only.evaluate
        self._screen_alone_results = screen_only.picker(screen_names)
        # The safety gate's question "would a yes make this an emergency?" needs only the
        # emergency rules: compiled on their own, and only for keys they read.
        emergency_rules = {r.id: r.when for r in k.rules if r.level is Level.EMERGENCY}
        self._emergency_keys = frozenset().union(*(p.keys() for p in emergency_rules.values()))
        emergency = compile_predicates(
            emergency_rules, "emergency_tests", group_names=k.group_names,
            title="The emergency rules alone: would a yes to an open question be one?")
        self._emergency_tests = emergency.evaluate
        self._compiled += [screen_only, emergency]

    def generated_source(self) -> str:
        """The Python the knowledge was compiled to (``spinecare rules --source``); the
        one-predicate tests of level rules and explanations are left out."""
        return sources(self._compiled)

    # -- public API ------------------------------------------------------------------
    def evaluate(
        self, findings: Findings, *, country: str = "", unsure: Collection[str] = ()
    ) -> TriageResult:
        """Triage ``findings``. ``unsure`` lists findings the person explicitly answered
        "not sure" (interactive use): for emergency signs that is never read as "no"."""
        f = findings.data
        tests = self._tests(f)
        reasons: list[Reason] = []
        level = Level.SELF_CARE

        # 1. Red flags first.
        # Conditions a fired rule points to rank first, most urgent rule first.
        flagged: dict[int, int] = {}
        for cr, fired in zip(self._rules, self._rule_results(tests), strict=True):
            if fired:
                rule = cr.rule
                reasons.append(Reason(rule.id, rule.level, rule.reason, rule.references,
                                      _witnesses(cr.atoms, f)))
                if rule.level > level:
                    level = rule.level
                if rule.condition is not None:
                    idx = self._cond_index[rule.condition]
                    flagged[idx] = max(flagged.get(idx, 0), rule.level.rank + 1)
        if unsure:
            escalating = self.knowledge.unsure_escalating_keys
            doubtful = tuple(k for k in unsure if k in escalating and k not in f)
            if doubtful:
                rule = self.knowledge.unsure_escalation
                reasons.append(Reason(rule.id, rule.level, rule.reason, rule.references,
                                      doubtful))
                if rule.level > level:
                    level = rule.level
        if len(reasons) > 1:
            reasons.sort(key=_by_urgency)

        # 2. The differential.
        # Only conditions something speaks for (or a rule points to) can be listed.
        ranked = sorted([
            (-flagged.get(i, 0), -(s + (RULE_BONUS if i in flagged else 0.0)), i, hits, s)
            for i, (s, hits) in enumerate(self._score_all(f, tests)) if s > 0 or i in flagged
        ])
        conditions: list[ConditionScore] = []
        possible = self.knowledge.possible
        dx_level: Level | None = None
        dx_reasons: list[Reason] = []
        for neg_flag, neg_score, i, hits, raw in ranked:
            score = -neg_score
            if conditions and not neg_flag and (
                    score <= 0 or (len(conditions) >= MAX_CONDITIONS and score < possible)):
                break
            cc = self._conditions[i]
            if not neg_flag and cc.evidence.isdisjoint(hits):
                continue  # supported by age, sex or location only: not worth listing
            # The level comes from the condition's own points: a rule's ranking bonus
            # must not turn a routine rule into a serious condition's urgent default.
            if raw >= possible:
                lvl, why = self._condition_level(cc, f)
                if dx_level is None or lvl > dx_level:
                    dx_level, dx_reasons = lvl, [why]
                elif lvl == dx_level and why not in dx_reasons:
                    dx_reasons.append(why)
            conditions.append(self._condition_score(cc, raw, hits))
        if dx_level is None:
            if tests[self._fallback_at]:
                dx_level, dx_reasons = Level.SELF_CARE, [self._fallback_reason]
            else:
                dx_level, dx_reasons = Level.ROUTINE, [self._insufficient]
        if dx_level > level:
            level = dx_level
        # The differential explains the level only when no red flag already does.
        if dx_level == level and not any(r.level is level for r in reasons):
            reasons.extend(dx_reasons)

        # 3. A deficit that is not progressing still needs an examination.
        if tests[self._deficit_at]:
            if level < Level.ROUTINE:
                level = Level.ROUTINE
            if level == Level.ROUTINE:
                reasons.append(self._deficit_reason)

        open_questions = self._open_questions(f, tests)
        # 4. Safety gate: self-care needs every applicable emergency screening question
        # (one whose "yes" would make this an emergency) answered "no".
        if level is Level.SELF_CARE and any(
                self._emergency_if_yes(f, oq.finding) for oq in open_questions):
            level = Level.ROUTINE
            reasons = [self._open_reason, *reasons]
        age = f.get("age")
        # Kept with the result (sorted) so a saved check can be reproduced.
        unsure_keys = tuple(sorted(set(unsure))) if unsure else ()
        if isinstance(age, int | float) and age < self.knowledge.adult_age:
            return self._child_result(level, reasons, open_questions, country, unsure_keys)
        return TriageResult(
            level=level,
            # At emergency nothing can raise the level further; questions stay listed.
            complete=not open_questions or level is Level.EMERGENCY,
            reasons=tuple(reasons),
            conditions=tuple(conditions),
            open_questions=open_questions,
            advice=self._advice(level, country, conditions[0].id if conditions else None),
            knowledge_version=self.knowledge_version,
            scores=self._clinical_scores(f, tests),
            unsure=unsure_keys,
        )

    def _emergency_if_yes(self, f: Mapping[str, Any], key: str) -> bool:
        """Would a "yes" to this unanswered question make the result an emergency?"""
        if key not in self._emergency_keys:
            return False
        return any(self._emergency_tests({**f, key: True}))

    def _child_result(self, level: Level, reasons: list[Reason],
                      open_questions: tuple[OpenQuestion, ...], country: str,
                      unsure: tuple[str, ...] = ()) -> TriageResult:
        """Under 16: no adult differential or advice; see a doctor soon, or now if an
        emergency rule fired."""
        if level is Level.EMERGENCY:
            kept = [self._child_reason, *(r for r in reasons if r.level is Level.EMERGENCY)]
        else:
            level, kept = Level.URGENT, [self._child_reason]
        adult = self._advice(level, country, None)
        # The first thing a young person reads says plainly why there is no adult result.
        text = self.knowledge.advice
        advice = adult if level is Level.EMERGENCY else Advice(
            level, text.child_headline, (text.child_do_now, *adult.do_now[1:]),
            adult.watch_for, adult.emergency_number, adult.emergency_note)
        return TriageResult(
            level=level, complete=True, reasons=tuple(kept), conditions=(),
            open_questions=open_questions, advice=advice,
            knowledge_version=self.knowledge_version, scores=(), unsure=unsure,
        )

    def condition_scores(self, f: Mapping[str, Any]) -> list[float]:
        """Raw differential points per condition, in the knowledge's order (no rule bonus)."""
        return [s for s, _ in self._score_all(f, self._tests(f))]

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
        key = (cc.index, score, tuple(hits))
        cached = self._condition_cache.get(key)
        if cached is not None:
            return cached
        weights, labels = cc.weights, cc.labels
        supporting = tuple([labels[h] for h in hits if weights[h] > 0])
        against = tuple([labels[h] for h in hits if weights[h] < 0])
        k = self.knowledge
        likelihood = "likely" if score >= k.likely else "possible" if score >= k.possible \
            else "unlikely"
        made = ConditionScore(cc.cond.id, cc.cond.name, score, likelihood, supporting, against,
                              cc.cond.references, cc.cond.summary)
        if len(self._condition_cache) < _CACHE_LIMIT:
            self._condition_cache[key] = made
        return made

    def _open_questions(self, f: Mapping[str, Any], tests: Sequence[bool]
                        ) -> tuple[OpenQuestion, ...]:
        # Before any symptom location is known, every screen applies as if the pain could
        # be anywhere (issue 9 §3: an unknown location asks everything).
        no_location = not tests[self._spinal_at] and not tests[self._lumbar_or_leg_at]
        applies_all = (
            self._screen_alone_results(self._screen_tests({**_ALL_LOCATIONS, **f}))
            if no_location else self._screen_results(tests))
        return tuple([
            oq for (finding, core, oq), applies in zip(self._screen, applies_all, strict=True)
            if finding not in f and (applies or (core and no_location))
        ])

    def _advice(self, level: Level, country: str, top: str | None) -> Advice:
        key = (level, country, top if level <= Level.ROUTINE else None)
        cached = self._advice_cache.get(key)
        if cached is not None:
            return cached
        text = self.knowledge.advice
        contact = self.knowledge.emergency_contact(country)
        number = contact.number

        def fill(words: str) -> str:
            return words.replace("{number}", number)

        do_now = [fill(t) for t in text.do_now[level]]
        if key[2] is not None:
            do_now.extend(text.condition_tips.get(key[2], ()))
        watch = (*text.watch_for, fill(text.watch_for_action))
        advice = Advice(level, fill(text.headlines[level]), tuple(do_now), watch,
                        number, contact.note)
        if len(self._advice_cache) < 4096:
            self._advice_cache[key] = advice
        return advice

    def _clinical_scores(self, f: Mapping[str, Any], tests: Sequence[bool]
                         ) -> tuple[ClinicalScore, ...]:
        out = []
        for n, cs in enumerate(self._scores):
            if not tests[cs.applies_at]:
                continue
            key = (n, cs.item_tests(f))
            made = self._score_cache.get(key)
            if made is None:
                made = _compute_score(cs.sdef, cs.items, key[1])
                if len(self._score_cache) < _CACHE_LIMIT:
                    self._score_cache[key] = made
            out.append(made)
        return tuple(out)


def _by_urgency(reason: Reason) -> int:
    return -reason.level.rank


def _compute_score(sdef: ScoreDef,
                   items: tuple[tuple[ScoreItem, tuple[tuple[int, float], ...]], ...],
                   tests: tuple[bool, ...]) -> ClinicalScore:
    points = 0.0
    low = high = 0.0
    missing: list[str] = []
    for item, options in items:
        for at, pts in options:
            if tests[at]:
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
