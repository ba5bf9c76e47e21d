"""A stored triage result reads back as the same object: ``from_dict(to_dict(r)) == r``, and
writing it out again gives the same JSON, for every dev vignette and for any result
Hypothesis can build."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repo_paths import SHARED_DIR
from spinecare.clinical.findings import parse_findings
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.clinical.triage.result import (
    Advice,
    ClinicalScore,
    ConditionScore,
    OpenQuestion,
    Reason,
    TriageResult,
)

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)
VIGNETTES = SHARED_DIR / "eval" / "dev_vignettes.jsonl"


def _through_json(result: TriageResult) -> tuple[TriageResult, str, str]:
    """As storage does it: to JSON text and back; the object read, the JSON before and after."""
    text = json.dumps(result.to_dict())
    read = TriageResult.from_dict(json.loads(text))
    return read, text, json.dumps(read.to_dict())


def _vignette_findings() -> list[tuple[str, dict[str, object]]]:
    rows = [json.loads(line) for line in VIGNETTES.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [(row["id"], {**row["findings"], "age": row["age"], "sex": row["sex"]})
            for row in rows]


@pytest.mark.parametrize(("vid", "raw"), _vignette_findings(),
                         ids=[vid for vid, _ in _vignette_findings()])
def test_every_dev_vignettes_result_reads_back_equal_with_identical_json(vid, raw) -> None:
    result = ENGINE.evaluate(parse_findings(raw), country="GB")
    read, before, after = _through_json(result)
    assert read == result
    assert after == before


def test_unsure_keys_are_kept_with_the_result_and_read_back() -> None:
    findings = parse_findings({"age": 50, "back_pain": True})
    result = ENGINE.evaluate(findings, unsure=["saddle_anaesthesia", "bladder_dysfunction",
                                                "saddle_anaesthesia"])
    assert result.unsure == ("bladder_dysfunction", "saddle_anaesthesia")
    assert result.to_dict()["unsure"] == ["bladder_dysfunction", "saddle_anaesthesia"]
    read, before, after = _through_json(result)
    assert read == result and after == before


def test_a_child_result_round_trips_too() -> None:
    result = ENGINE.evaluate(parse_findings({"age": 12, "back_pain": True}),
                             unsure=["fever"])
    assert result.unsure == ("fever",)
    read, before, after = _through_json(result)
    assert read == result and after == before


def test_an_older_saved_check_without_the_newer_keys_reads_back_with_their_defaults() -> None:
    result = ENGINE.evaluate(parse_findings({"age": 71, "sex": "male", "leg_pain": True,
                                             "leg_symptoms_walking": True}))
    stored = result.to_dict()
    for key in ("scores", "disclaimer", "unsure"):
        del stored[key]
    for reason in stored["reasons"]:
        del reason["findings"]
    read = TriageResult.from_dict(stored)
    assert read.level is result.level and read.scores == () and read.unsure == ()
    assert read.disclaimer == result.disclaimer
    assert all(r.findings == () for r in read.reasons)


def test_keys_a_door_adds_are_ignored_and_a_missing_required_key_is_named() -> None:
    data = ENGINE.evaluate(parse_findings({"age": 40, "back_pain": True})).to_dict()
    with_extras = {**data, "provisional": True, "saved_check_id": 7}
    assert TriageResult.from_dict(with_extras) == TriageResult.from_dict(data)
    del data["advice"]
    with pytest.raises(KeyError, match="advice"):
        TriageResult.from_dict(data)


# --- any result -----------------------------------------------------------------------

_text = st.text(max_size=12)
_texts = st.lists(_text, max_size=3).map(tuple)
_levels = st.sampled_from(list(Level))
# JSON has no NaN or infinity; the engine never makes them.
_numbers = st.floats(allow_nan=False, allow_infinity=False)

reasons = st.builds(Reason, rule_id=_text, level=_levels, text=_text, references=_texts,
                    findings=_texts)
conditions = st.builds(ConditionScore, id=_text, name=_text, score=_numbers,
                       likelihood=st.sampled_from(["likely", "possible", "unlikely"]),
                       supporting=_texts, against=_texts, references=_texts,
                       explanation=_text)
questions = st.builds(OpenQuestion, finding=_text, question=_text, why=_text,
                      rule_ids=_texts)
advice = st.builds(Advice, level=_levels, headline=_text, do_now=_texts, watch_for=_texts,
                   emergency_number=_text, emergency_note=_text)
scores = st.builds(ClinicalScore, id=_text, name=_text, points=_numbers,
                   max_possible=_numbers, cutoff=st.none() | _numbers,
                   positive=st.none() | st.booleans(), missing_items=_texts,
                   references=_texts, note=_text)


def _tuples(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(strategy, max_size=3).map(tuple)


results = st.builds(
    TriageResult, level=_levels, complete=st.booleans(), reasons=_tuples(reasons),
    conditions=_tuples(conditions), open_questions=_tuples(questions), advice=advice,
    knowledge_version=_text, scores=_tuples(scores), disclaimer=_text,
    unsure=_texts,
)


@given(results)
def test_any_result_reads_back_equal_with_identical_json(result: TriageResult) -> None:
    read, before, after = _through_json(result)
    assert read == result
    assert after == before
