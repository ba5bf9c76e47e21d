"""The generated code can be read and debugged: named locals, a rule id on every result,
its own file name in tracebacks (registered with linecache, so pdb shows it too)."""

from __future__ import annotations

import linecache
import re
import traceback

import pytest

from spinecare.clinical.findings import Findings
from spinecare.clinical.rules.codegen import compile_predicate, compile_predicates, identifier
from spinecare.clinical.rules.predicates import (
    AllOf,
    AnyOf,
    CountAtLeast,
    Is,
    Not,
    all_of,
    any_of,
    at_least,
    count_at_least,
    not_,
    yes,
)
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)
PAIN = any_of("back_pain", "leg_pain")


def test_the_source_is_kept_on_the_function_and_names_every_result() -> None:
    compiled = compile_predicates(
        {"RF-ONE": all_of(PAIN, "fever"), "RF-TWO": all_of(PAIN, at_least("age", 50))},
        "two_rules", group_names={PAIN: "PAIN"})
    source = compiled.evaluate.__source__  # type: ignore[attr-defined]
    assert source == compiled.source
    lines = source.splitlines()
    assert lines[:2] == ["def two_rules(f):", "    g = f.get"]
    # The shared group is computed once, under the knowledge's name for it ...
    assert "    pain = ((g('back_pain') is True) or (g('leg_pain') is True))" in lines
    # ... and every value returned says which predicate it is.
    assert "        (pain and (g('fever') is True)),  # RF-ONE" in lines
    assert "        (pain and (g('age', -inf) >= 50)),  # RF-TWO" in lines
    assert compiled.index == {"RF-ONE": 0, "RF-TWO": 1}
    assert compiled.by_name({"leg_pain": True, "age": 70}) == {"RF-ONE": False, "RF-TWO": True}
    assert compiled.picker(["RF-TWO", "RF-ONE"])((False, True)) == (True, False)
    assert compiled.picker(["RF-TWO"])((False, True)) == (True,)


def test_an_unnamed_shared_group_is_named_after_its_parts() -> None:
    fever_and_pain = all_of(PAIN, "fever")  # shared by both rules, named by nobody
    compiled = compile_predicates(
        {"a": any_of(fever_and_pain, "night_sweats"), "b": not_(fever_and_pain)}, "parts",
        group_names={PAIN: "pain"})
    # PAIN is used once (inside the shared part), so it is written out, not a local; the
    # shared part's name still uses the group's name.
    assert ("    pain_and_fever = (((g('back_pain') is True) or (g('leg_pain') is True)) "
            "and (g('fever') is True))") in compiled.source.splitlines()
    assert "        (not pain_and_fever),  # b" in compiled.source.splitlines()


def test_equal_sub_trees_built_apart_are_computed_once() -> None:
    # Predicates are values: two equal trees are one shared local, not two.
    compiled = compile_predicates({"a": all_of(any_of("fever", "night_sweats"), "back_pain"),
                                   "b": all_of(any_of("fever", "night_sweats"), "leg_pain")})
    assert compiled.source.count("(g('fever') is True)") == 1


def test_local_and_function_names_are_safe_identifiers() -> None:
    assert identifier("RF-CES 1") == "rf_ces_1"
    assert identifier("not") == "not_"
    assert identifier("inf") == "inf_"  # the generated code's own name for infinity
    assert identifier("2 of x") == "p_2_of_x"
    assert identifier("spinal pain and age 50 or minor trauma", 25) == "spinal_pain_and_age_50"
    assert identifier("a" * 50, 40) == "a" * 40
    groups = {any_of("fever", "night_sweats"): "f", all_of("fever", "back_pain"): "g"}
    compiled = compile_predicates(
        {"x": all_of(*groups, "leg_pain"), "y": any_of(*groups)}, group_names=groups)
    # Names that would shadow the findings (f) or their get (g) are changed.
    assert compiled.by_name({"fever": True, "back_pain": True, "leg_pain": True}) == {
        "x": True, "y": True}
    with pytest.raises(ValueError, match="function name"):
        compile_predicates({"x": PAIN}, "not a name")


def test_children_replace_duck_typing() -> None:
    leaf = yes("fever")
    assert leaf.children() == ()
    assert AnyOf((leaf, PAIN)).children() == (leaf, PAIN)
    assert AllOf((leaf,)).children() == (leaf,)
    assert CountAtLeast(1, (leaf, PAIN)).children() == (leaf, PAIN)
    assert Not(PAIN).children() == (PAIN,)
    # An empty group compiles to a truth value, as the interpreter reads it.
    empty = compile_predicates({"any": any_of(), "all": all_of(), "count": count_at_least(0)})
    assert empty.by_name({}) == {"any": False, "all": True, "count": True}
    assert (any_of().holds({}), all_of().holds({}), count_at_least(0).holds({})) == (
        False, True, True)


def test_a_traceback_through_generated_code_shows_the_generated_line() -> None:
    compiled = compile_predicates({"RF-OLD": all_of(PAIN, at_least("age", 50))}, "old_enough")
    with pytest.raises(TypeError) as caught:
        compiled.evaluate({"back_pain": True, "age": "fifty"})  # a value parse_findings refuses
    frame = traceback.extract_tb(caught.value.__traceback__)[-1]
    assert frame.filename == compiled.filename and frame.filename.startswith("<spinecare-rules")
    assert frame.name == "old_enough"
    # The line that failed, with the rule it computes (traceback strips the indent).
    assert frame.line is not None and frame.line.endswith("(g('age', -inf) >= 50)),  # RF-OLD")
    # pdb reads the same lines; an ordinary cache check keeps them (no file to re-read).
    linecache.checkcache()
    assert linecache.getlines(compiled.filename) == compiled.source.splitlines(keepends=True)
    assert "RF-OLD" in "".join(traceback.format_exception(caught.value))


def test_the_engine_s_own_traceback_names_the_rule_being_computed() -> None:
    # Findings() is the trusted constructor: a wrong type gets past it into the engine.
    with pytest.raises(TypeError) as caught:
        ENGINE.evaluate(Findings({"back_pain": True, "age": "fifty"}))
    frame = traceback.extract_tb(caught.value.__traceback__)[-1]
    assert frame.filename.startswith("<spinecare-rules triage_tests ")
    assert "g('age'" in (frame.line or "")


def test_one_predicate_compiles_the_same_way() -> None:
    fn = compile_predicate(all_of(PAIN, "fever"), "RF-FEVER")
    assert fn({"leg_pain": True, "fever": True}) is True
    assert fn({"fever": True}) is False
    assert fn.__source__.splitlines()[0] == "def rf_fever(f):"  # type: ignore[attr-defined]


def test_the_engine_s_generated_source_names_every_rule_and_compiles() -> None:
    source = ENGINE.generated_source()
    compile(source, "<test>", "exec")
    for rule in BUILTIN_KNOWLEDGE.rules:
        # Each rule's value is one line of the returned tuple, with its id as a comment.
        assert re.search(rf"^        .+,  # {re.escape(rule.id)}$", source, re.MULTILINE), rule.id
    for group in ("spinal_pain", "neuro_deficit", "suspected_malignancy"):
        assert f"\n    {group} = " in source
    assert "_s0" not in source
    assert Is("fever", True).source() == "(g('fever') is True)"
