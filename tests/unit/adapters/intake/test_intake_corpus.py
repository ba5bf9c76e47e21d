"""The intake test corpus: lay sentences with the findings a careful reader takes from them.

Red flags come first: for every sentence, a red flag the person describes must come
out true; a red flag must never come out false unless the sentence says so (no
negation leak); a red flag the person is unsure about must stay unknown, so the
interview asks. A red flag the sentence denies may stay unknown (the interview asks
again) but must not come out true. Overall precision and recall must stay high;
``benchmarks/intake.py --per-key`` prints the per-key figures.
"""

from __future__ import annotations

import json

import pytest

from repo_paths import TEST_DATA
from spinecare.adapters.intake import extract_findings
from spinecare.adapters.intake.evaluation import Score, values_match
from spinecare.adapters.intake.lexicon import load_lexicon
from spinecare.clinical.findings import parse_findings

CORPUS_PATH = TEST_DATA / "intake_corpus.jsonl"
CORPUS = [json.loads(line) for line in CORPUS_PATH.read_text(encoding="utf-8").splitlines()
          if line.strip()]
RED = load_lexicon().red_flag_keys


def test_corpus_is_big_enough_and_red_flags_come_first():
    assert len(CORPUS) >= 100
    with_red_flags = [c for c in CORPUS if set(c["findings"]) & RED or set(c["uncertain"]) & RED]
    assert len(with_red_flags) >= 70
    negated = [c for c in CORPUS if any(c["findings"].get(k) is False for k in RED)]
    uncertain = [c for c in CORPUS if set(c["uncertain"]) & RED]
    mixed = [c for c in CORPUS if "coordination" in c.get("tags", [])]
    assert len(negated) >= 25 and len(uncertain) >= 8 and len(mixed) >= 20


def test_corpus_expectations_are_valid_findings():
    ids = set()
    for case in CORPUS:
        assert case["id"] not in ids
        ids.add(case["id"])
        parse_findings(case["findings"])
        assert not set(case["uncertain"]) & set(case["findings"]), case["id"]


@pytest.mark.parametrize("case", CORPUS, ids=[c["id"] for c in CORPUS])
def test_red_flags_are_never_lost_or_leaked(case):
    result = extract_findings(case["text"])
    got, expected = result.findings, case["findings"]
    for key in RED:
        want = expected.get(key)
        if want is True:
            assert got.get(key) is True, f"present red flag {key} not found in {case['text']!r}"
        elif want is False:
            assert got.get(key) is not True, f"{key} came out true in {case['text']!r}"
        else:
            assert got.get(key) is not False, f"{key} leaked to false in {case['text']!r}"
    for key in case["uncertain"]:
        assert key not in got, f"unsure {key} was decided in {case['text']!r}"
        assert key in result.uncertain


def test_overall_precision_and_recall():
    score = Score()
    exact_red = total_red = 0
    for case in CORPUS:
        got = extract_findings(case["text"]).findings
        score.add(case["id"], case["findings"], got, RED)
        for key, value in case["findings"].items():
            if key in RED:
                total_red += 1
                exact_red += key in got and values_match(value, got[key])
    total = score.total()
    report = (f"corpus {len(CORPUS)} sentences: precision {total.precision:.3f}, "
              f"recall {total.recall:.3f}; red-flag expectations exactly right "
              f"{exact_red}/{total_red}")
    print(report)
    assert score.red_flag_opposite == [], report
    assert total.precision >= 0.95, report
    assert total.recall >= 0.95, report
    assert exact_red / total_red >= 0.97, report


# Whole stories, written like the development vignettes' free text. They list the
# findings that matter, not every one, so extra findings are not counted against
# precision; red-flag safety is checked the same way.
STORIES_PATH = CORPUS_PATH.with_name("intake_stories.jsonl")
STORIES = [json.loads(line) for line in STORIES_PATH.read_text(encoding="utf-8").splitlines()
           if line.strip()]


@pytest.mark.parametrize("story", STORIES, ids=[s["id"] for s in STORIES])
def test_stories_keep_red_flags_safe(story):
    result = extract_findings(story["text"])
    got, expected = result.findings, story["findings"]
    for key in RED:
        if expected.get(key) is True:
            assert got.get(key) is True, key
        elif expected.get(key) is None:
            assert got.get(key) is not False, f"{key} leaked to false"
    for key in story["uncertain"]:
        assert key not in got and key in result.uncertain, key


def test_stories_precision_and_recall():
    score = Score()
    for story in STORIES:
        score.add(story["id"], story["findings"], extract_findings(story["text"]).findings, RED,
                  strict_extra=False)
    total = score.total()
    report = f"stories: precision {total.precision:.3f}, recall {total.recall:.3f}"
    print(report)
    assert score.red_flag_opposite == [], report
    assert total.precision >= 0.95 and total.recall >= 0.9, report
