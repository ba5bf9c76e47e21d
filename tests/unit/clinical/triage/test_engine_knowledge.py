"""The engine, the interview and the decision aid run on the knowledge they are given.

``TriageEngine(knowledge)`` reads nothing else: an engine over changed rules (a test, a
clinic, a "what if") behaves by those rules, next to one over the built-in knowledge.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from spinecare.clinical.decision.red_flags import Urgency, sign_urgencies
from spinecare.clinical.findings import parse_findings
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.interview import next_question
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE

BUILTIN = TriageEngine(BUILTIN_KNOWLEDGE)
# Without the rule that makes "cannot walk or stand" urgent on its own.
CHANGED = TriageEngine(replace(
    BUILTIN_KNOWLEDGE, version="test-changed",
    rules=tuple(r for r in BUILTIN_KNOWLEDGE.rules if r.id != "RF-NEURO-CANNOT-WALK")))
CANNOT_WALK = parse_findings({"age": 40, "sex": "female", "back_pain": True,
                              "unable_to_walk_or_stand": True})


def test_an_engine_follows_its_own_rules_and_says_which_knowledge_it_used() -> None:
    builtin, changed = BUILTIN.evaluate(CANNOT_WALK), CHANGED.evaluate(CANNOT_WALK)
    assert [r.rule_id for r in builtin.reasons] == ["RF-NEURO-CANNOT-WALK"]
    assert builtin.level is Level.URGENT
    assert "RF-NEURO-CANNOT-WALK" not in {r.rule_id for r in changed.reasons}
    assert changed.level is Level.ROUTINE
    assert (builtin.knowledge_version, changed.knowledge_version) == (
        BUILTIN_KNOWLEDGE.version, "test-changed")
    # The other engine was not touched by building this one.
    assert BUILTIN.evaluate(CANNOT_WALK) == builtin


def test_the_decision_aid_asks_the_engine_it_is_given() -> None:
    builtin, changed = sign_urgencies(BUILTIN), sign_urgencies(CHANGED)
    assert builtin["unable_to_walk_or_stand"] is Urgency.URGENT
    assert changed["unable_to_walk_or_stand"] is Urgency.COMBINATION
    assert {k for k in builtin if builtin[k] is not changed[k]} == {"unable_to_walk_or_stand"}


def test_the_interview_asks_from_the_engine_s_knowledge() -> None:
    neck_first = TriageEngine(replace(
        BUILTIN_KNOWLEDGE, location_keys=("neck_pain", *BUILTIN_KNOWLEDGE.location_keys)))
    known = parse_findings({"age": 40, "sex": "male"})
    builtin_q, changed_q = next_question(known, BUILTIN), next_question(known, neck_first)
    assert builtin_q is not None and builtin_q.finding == BUILTIN_KNOWLEDGE.location_keys[0]
    assert changed_q is not None and changed_q.finding == "neck_pain"


def test_two_predicates_with_one_name_are_refused() -> None:
    twice = BUILTIN_KNOWLEDGE.rules[0]
    with pytest.raises(ValueError, match=twice.id):
        TriageEngine(replace(BUILTIN_KNOWLEDGE, rules=(*BUILTIN_KNOWLEDGE.rules, twice)))
