"""A stored questionnaire score reads back as the same object: ``ScoreSummary.from_dict`` of
the stored JSON equals ``ScoreResult.summary()``, and writing it out again gives the same
JSON, for every instrument and any answers (missing ones included)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecare.clinical.instruments.result import ScoreSummary
from spinecare.services.instruments import InstrumentService

INSTRUMENTS = InstrumentService()


def _answers(iid: str) -> st.SearchStrategy[list[int | None]]:
    items = INSTRUMENTS.shipped[iid].items
    return st.tuples(*[st.none() | st.sampled_from(list(i.allowed_values()))
                       for i in items]).map(list)


@settings(max_examples=60)
@given(st.data())
def test_every_instruments_score_reads_back_equal_with_identical_json(data) -> None:
    for iid in INSTRUMENTS.shipped:
        result = INSTRUMENTS.score(iid, data.draw(_answers(iid), label=iid))
        stored = json.dumps(result.to_dict())  # what the questionnaire service stores
        read = ScoreSummary.from_dict(json.loads(stored))
        assert read == result.summary()
        assert json.dumps(read.to_dict()) == stored


def test_the_knowledge_version_is_written_only_when_known_and_read_back() -> None:
    result = INSTRUMENTS.score("nrs", {"back": 6, "leg": 2})
    assert "knowledge_version" not in result.to_dict()
    stored = result.summary(knowledge_version="3").to_dict()
    assert list(stored)[-1] == "knowledge_version" and stored["knowledge_version"] == "3"
    assert ScoreSummary.from_dict(stored).to_dict() == stored


def test_optional_keys_stay_absent_when_empty_and_a_missing_required_key_is_named() -> None:
    data = INSTRUMENTS.score("odi", [2] * 10).to_dict()
    assert not {"raw", "percent", "subscale_reasons"} & set(data)
    assert set(ScoreSummary.from_dict(data).to_dict()) == set(data)
    del data["band"]
    with pytest.raises(KeyError, match="band"):
        ScoreSummary.from_dict(data)
