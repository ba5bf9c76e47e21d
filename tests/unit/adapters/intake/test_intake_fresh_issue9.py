"""Issue 9 §7: the fresh batch of people's own words, written before the intake was tuned.

``tests/data/intake_fresh_issue9.jsonl`` (178 sentences) was committed and measured once
before any change (docs/evaluation/intake-issue9-fresh-batch.md: red-flag recall 0.49,
11 findings the wrong way round). The intake was then changed by general mechanisms
(spelling repair, coordination, word classes, history against now …). These tests keep
what was reached: red-flag recall at least the figure reached less a small margin, and
no finding read the wrong way round, no hedge turned into "no".
"""

from __future__ import annotations

import json

import pytest

from repo_paths import TEST_DATA
from spinecare.adapters.intake import extract_findings
from spinecare.adapters.intake.evaluation import ISSUE9_WARNING_KEYS, BatchScore
from spinecare.adapters.intake.lexicon import load_lexicon
from spinecare.clinical.findings import parse_findings
from spinecare.clinical.triage.knowledge.red_flags import TRUE_RED_FLAG_KEYS
from spinecare.clinical.vocabulary import VOCABULARY

PATH = TEST_DATA / "intake_fresh_issue9.jsonl"
CASES = [json.loads(line) for line in PATH.read_text(encoding="utf-8").splitlines()
         if line.strip()]
WARNING = load_lexicon().red_flag_keys | TRUE_RED_FLAG_KEYS | ISSUE9_WARNING_KEYS
# Reached after the changes: 0.968 (179 of 185). The margin allows a few sentences to move
# when the lexicon changes for other reasons; a real loss of a mechanism fails.
RECALL_FLOOR = 0.94


def test_fresh_batch_is_well_formed_and_covers_every_warning_key():
    assert len(CASES) >= 120
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    for case in CASES:
        parse_findings(case["findings"])
        for key in [*case["uncertain"], *case.get("must_not", [])]:
            assert key in VOCABULARY, (case["id"], key)
        assert not set(case["uncertain"]) & set(case["findings"]), case["id"]
    present = {k for c in CASES for k, v in c["findings"].items() if v is True}
    assert present >= WARNING, sorted(WARNING - present)


def _score() -> BatchScore:
    score = BatchScore()
    for case in CASES:
        result = extract_findings(case["text"])
        score.add(case, result.findings, result.uncertain, WARNING)
    return score


def test_fresh_batch_red_flag_recall_and_nothing_the_wrong_way_round():
    score = _score()
    report = (f"red-flag recall {score.red_recall:.3f} ({score.red_found}/{score.red_expected}), "
              f"precision {score.precision:.3f}, wrong way {score.wrong_way}, "
              f"missed {score.missed_red}")
    assert score.wrong_way == [], report
    assert score.red_recall >= RECALL_FLOOR, report
    assert score.red_precision >= 0.9, report


@pytest.mark.parametrize("case", [c for c in CASES if c["uncertain"]],
                         ids=[c["id"] for c in CASES if c["uncertain"]])
def test_hedged_red_flags_stay_uncertain_never_no(case):
    result = extract_findings(case["text"])
    for key in case["uncertain"]:
        assert result.findings.get(key) is not False, f"hedged {key} read as no: {case['text']!r}"
        assert key in result.uncertain, f"hedged {key} not listed as uncertain: {case['text']!r}"


@pytest.mark.parametrize("text, key, value", [
    ("I gave up smoking ten years ago", "former_smoker", True),
    ("I gave up smoking ten years ago", "smoker", False),
    ("I had bowel cancer years ago, all clear now", "history_of_cancer", True),
    ("I'm on apixaban since my stroke", "anticoagulant_use", True),
    ("I can't pee, hold in a poo or put any weight on my legs", "bowel_dysfunction", True),
    ("I can't pee, hold in a poo or put any weight on my legs", "unable_to_walk_or_stand", True),
    ("numbess in my groin and bum", "saddle_anaesthesia", True),
    ("lost controll of my bowles", "bowel_dysfunction", True),
])
def test_mechanisms_read_the_finding(text, key, value):
    assert extract_findings(text).findings.get(key) is value


@pytest.mark.parametrize("text, key", [
    ("I fell asleep on the sofa and woke up with a stiff neck", "falls_recent"),
    ("I am 71 and my back aches every morning", "walking_distance_m"),
    ("Had a number two in my pants and didn't even know", "bladder_dysfunction"),
    ("I gave up smoking ten years ago", "duration_weeks"),
    ("years ago I had sciatica in my right leg, it settled. Now my lower back hurts", "leg_pain"),
    ("My legs feel heavy when I walk any distance but they're strong otherwise", "leg_weakness"),
    # a name is not a misspelling: "Dr Bowles" is not the bowels
    ("Dr Bowles says my back is just strained", "bowel_dysfunction"),
    # a contraction typed without its apostrophe is not corrected into another word
    ("i havent got a fever", "fever"),
])
def test_mechanisms_do_not_read_what_is_not_there(text, key):
    assert extract_findings(text).findings.get(key) in (None, False)


def test_age_now_not_the_age_in_the_past():
    assert extract_findings("I was 45 when it first started and I'm now 52").findings["age"] == 52


def test_coordination_keeps_a_hedge_before_the_head():
    # The repeated head carries the start of the sentence, so the hedge reaches every item.
    result = extract_findings("I might not be able to pee or hold my bowels")
    assert result.findings.get("bowel_dysfunction") is not True
    assert result.findings.get("bladder_dysfunction") is not True


# Batch C (tests/data/intake_fresh_issue9_c.jsonl, 50 sentences): written and committed
# before the third round of changes, measured once after them (the honest estimate:
# red-flag recall 0.650, 52 of 80; old intake 0.613). The floor is that figure less 0.05.
PATH_C = PATH.with_name("intake_fresh_issue9_c.jsonl")
CASES_C = [json.loads(line) for line in PATH_C.read_text(encoding="utf-8").splitlines()
           if line.strip()]
RECALL_FLOOR_C = 0.60


def test_batch_c_is_well_formed():
    assert len(CASES_C) == 50
    assert len({c["id"] for c in CASES_C}) == 50
    for case in CASES_C:
        parse_findings(case["findings"])
        for key in [*case["uncertain"], *case.get("must_not", [])]:
            assert key in VOCABULARY, (case["id"], key)


def test_batch_c_red_flag_recall_and_nothing_the_wrong_way_round():
    score = BatchScore()
    for case in CASES_C:
        result = extract_findings(case["text"])
        score.add(case, result.findings, result.uncertain, WARNING)
    report = (f"red-flag recall {score.red_recall:.3f} ({score.red_found}/{score.red_expected}), "
              f"wrong way {score.wrong_way}")
    assert score.wrong_way == [], report
    assert score.red_recall >= RECALL_FLOOR_C, report
