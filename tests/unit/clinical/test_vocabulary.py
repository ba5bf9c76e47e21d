"""The vocabulary as the person meets it: every question is askable and distinct, and the
interview asks only findings that some rule reads (a key with no rule behind it, such as
the FINDINGS.md keys added before their rules, would only lengthen the interview)."""

from __future__ import annotations

import json

import pytest

from spinecare.clinical.findings import Findings
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.interview import next_question
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.clinical.triage.knowledge.clinical_scores import SCORES
from spinecare.clinical.triage.knowledge.conditions import (
    CONDITIONS,
    DEFICIT_RULE,
    INSUFFICIENT_RULE,
)
from spinecare.clinical.triage.knowledge.red_flags import RULES
from spinecare.clinical.triage.knowledge.screening import LOCATION_KEYS, SCREEN
from spinecare.clinical.vocabulary import VOCABULARY, FindingType

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)
VIGNETTE_FILES = ("dev_vignettes.jsonl", "dev_vignettes_atypical.jsonl")


def _keys_the_knowledge_reads() -> frozenset[str]:
    preds = [r.when for r in RULES] + [q.applies for q in SCREEN]
    preds += [DEFICIT_RULE.when, INSUFFICIENT_RULE.when]
    for c in CONDITIONS:
        preds += [f.when for f in c.features] + [lr.when for lr in c.level_rules]
    for s in SCORES:
        preds += [s.applies] + [pred for item in s.items for pred, _ in item.options]
    screened = {q.finding for q in SCREEN}
    return frozenset({"age", "sex", *LOCATION_KEYS, *screened}.union(*(p.keys() for p in preds)))


READ = _keys_the_knowledge_reads()


def test_every_patient_finding_has_its_own_question():
    patient = [d for d in VOCABULARY.values() if not d.clinician_only]
    for d in patient:
        assert d.question.endswith("?"), d.key
        assert not d.help or d.help.endswith("."), d.key
    questions = [d.question for d in patient]
    # The CLI and the tests map a question back to its key: no two may read the same.
    assert len(questions) == len(set(questions))


def test_the_knowledge_reads_only_vocabulary_keys():
    assert not READ - set(VOCABULARY), sorted(READ - set(VOCABULARY))


def _walk(truth: dict) -> list[str]:
    """The interview to its end, answered as FINDINGS.md's conversation mode describes:
    a stated finding with its value, any other yes/no symptom "no", the rest "not sure"."""
    findings: dict = {}
    skipped: set[str] = set()
    asked: list[str] = []
    for _ in range(120):
        q = next_question(Findings(findings), ENGINE, skipped)
        if q is None:
            return asked
        asked.append(q.finding)
        if truth.get(q.finding) is not None:
            findings[q.finding] = truth[q.finding]
        elif VOCABULARY[q.finding].type is FindingType.BOOL:
            findings[q.finding] = False
        else:
            skipped.add(q.finding)
    raise AssertionError(f"interview did not end: {asked}")


@pytest.mark.parametrize("name", VIGNETTE_FILES)
def test_the_interview_asks_only_findings_a_rule_reads(shared_dir, name):
    for line in (shared_dir / "eval" / name).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        truth = {**row.get("findings", {}), "age": row.get("age"), "sex": row.get("sex")}
        asked = _walk(truth)
        assert set(asked) <= READ, (row["id"], sorted(set(asked) - READ))
