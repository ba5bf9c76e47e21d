"""The generated code and the tree-walking interpreter (``Pred.holds``) always agree.

The engine runs generated Python (``clinical/rules/codegen.py``): fast, but a bug in the
generator (a shared local computed from the wrong sub-tree, an operator written the wrong
way round) would silently change every triage. ``holds`` walks the same trees with no
code generation at all; hypothesis checks, on random findings, that both give the same
truth value for every predicate of the built-in knowledge, with the knowledge's shared
groups compiled once as the engine compiles them. Numbers are drawn around every
threshold the knowledge uses, so each comparison is tried on both sides of its edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from spinecare.clinical.rules.codegen import compile_predicate, compile_predicates
from spinecare.clinical.rules.predicates import AtLeast, Below, OnsetAgeBelow, Pred
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE, TriageKnowledge
from spinecare.clinical.vocabulary import VOCABULARY, FindingType


def knowledge_predicates(k: TriageKnowledge) -> dict[str, Pred]:
    """Every predicate the knowledge holds, each under a name of its own."""
    named: dict[str, Pred] = {}
    for r in (*k.rules, k.unsure_escalation):
        named[f"rule {r.id}"] = r.when
    for q in k.screen:
        named[f"screen {q.finding}"] = q.applies
    for c in k.conditions:
        if c.cardinal is not None:
            named[f"{c.id} cardinal"] = c.cardinal
        for j, feat in enumerate(c.features):
            named[f"{c.id} feature {j}"] = feat.when
        for lr in c.level_rules:
            named[f"{c.id} level rule {lr.id}"] = lr.when
    for lr in (k.insufficient_rule, k.benign_fallback, k.deficit_rule, k.child_rule,
               k.open_screen_rule):
        named[f"rule {lr.id}"] = lr.when
    named["spinal pain"] = k.spinal_pain
    named["lumbar or leg"] = k.lumbar_or_leg
    named["persistent"] = k.persistent
    for s in k.scores:
        named[f"{s.id} applies"] = s.applies
        for item in s.items:
            for n, (option, _) in enumerate(item.options):
                named[f"{s.id} {item.id} option {n}"] = option
    for group, name in k.group_names.items():
        named[f"group {name}"] = group
    return named


def _nodes(pred: Pred) -> list[Pred]:
    return [pred, *(n for child in pred.children() for n in _nodes(child))]


KNOWLEDGE = knowledge_predicates(BUILTIN_KNOWLEDGE)
# Every distinct sub-tree too, so a wrong part is caught where it is, not only through
# the rule around it.
PARTS = list(dict.fromkeys(n for p in KNOWLEDGE.values() for n in _nodes(p)))
PREDICATES = {**KNOWLEDGE, **{f"part {i}: {p.describe()}": p for i, p in enumerate(PARTS)}}
# One pass over everything, shared groups named as the engine names them ...
ALL_AT_ONCE = compile_predicates(PREDICATES, "knowledge_tests",
                                 group_names=BUILTIN_KNOWLEDGE.group_names)
# ... and each predicate on its own (the path level rules and explanations take).
ONE_BY_ONE = {name: compile_predicate(pred, name) for name, pred in PREDICATES.items()}


def _thresholds(preds: Mapping[str, Pred]) -> dict[str, set[float]]:
    """Every number a comparison in the knowledge uses, by finding key."""
    found: dict[str, set[float]] = {}
    todo = list(preds.values())
    while todo:
        pred = todo.pop()
        todo.extend(pred.children())
        if isinstance(pred, AtLeast | Below):
            found.setdefault(pred.key, set()).add(pred.threshold)
        elif isinstance(pred, OnsetAgeBelow):
            found.setdefault("age", set()).add(pred.threshold)
    return found


THRESHOLDS = _thresholds(PREDICATES)


def _value(key: str) -> st.SearchStrategy[Any]:
    d = VOCABULARY[key]
    if d.type is FindingType.BOOL:
        return st.booleans()
    if d.type is FindingType.CHOICE:
        return st.sampled_from(d.choices)
    assert d.minimum is not None and d.maximum is not None
    lo, hi = d.minimum, d.maximum
    edges = sorted({x for t in THRESHOLDS.get(key, ()) for x in (t - 1, t - 0.5, t, t + 0.5)
                    if lo <= x <= hi})
    if d.type is FindingType.INTEGER:
        near = [int(x) for x in edges if x == int(x)]
        anywhere: st.SearchStrategy[Any] = st.integers(int(lo), int(hi))
    else:
        near = edges
        anywhere = st.floats(lo, hi, allow_nan=False)
    return st.one_of(st.sampled_from(near), anywhere) if near else anywhere


def _about(pred: Pred) -> st.SearchStrategy[dict[str, Any]]:
    """Findings over the keys one predicate reads, each present or absent (unknown)."""
    return st.fixed_dictionaries({}, optional={k: _value(k) for k in sorted(pred.keys())})


# The sub-trees by kind: each kind is the focus equally often, however rare it is in the
# knowledge (a handful of "at least n of" among hundreds of "any of").
BY_KIND: dict[str, list[Pred]] = {}
for part in PARTS:
    BY_KIND.setdefault(type(part).__name__, []).append(part)

# Findings centred on one sub-tree (so its edges are reached: "exactly 2 of 4", every
# threshold), on top of a few findings from anywhere in the vocabulary.
findings_strategy = st.tuples(
    st.sampled_from(sorted(BY_KIND)).flatmap(
        lambda kind: st.sampled_from(BY_KIND[kind])).flatmap(_about),
    st.lists(st.sampled_from(sorted(VOCABULARY)), max_size=12, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({k: _value(k) for k in keys})),
).map(lambda parts: {**parts[1], **parts[0]})


def test_every_kind_of_predicate_is_checked() -> None:
    assert set(BY_KIND) == {"Is", "AtLeast", "Below", "OnsetAgeBelow", "AnyOf", "AllOf",
                            "CountAtLeast", "Not"}
    # The one-pass function really shares groups, under the knowledge's names.
    assert "    spinal_pain = " in ALL_AT_ONCE.source
    assert len(KNOWLEDGE) > 300


@settings(max_examples=300, deadline=None)
@given(findings_strategy)
def test_generated_code_and_interpreter_agree_on_every_predicate(f: dict[str, Any]) -> None:
    generated = ALL_AT_ONCE.by_name(f)
    for name, pred in PREDICATES.items():
        expected = pred.holds(f)
        assert type(generated[name]) is bool, name
        assert generated[name] is expected, (name, pred.describe(), f)
        assert ONE_BY_ONE[name](f) is expected, (name, pred.describe(), f)
