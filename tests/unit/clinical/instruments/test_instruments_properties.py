"""Property tests (hypothesis): range, monotonicity, and missing items never scored as 0."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from spinecare.services.instruments import InstrumentService

INSTRUMENTS = InstrumentService()
score = INSTRUMENTS.score



def _answers(iid: str, allow_missing: bool = True) -> st.SearchStrategy[list]:
    items = INSTRUMENTS.shipped[iid].items
    per_item = [st.sampled_from(list(i.allowed_values())) for i in items]
    if allow_missing:
        per_item = [st.one_of(st.none(), s) for s in per_item]
    return st.tuples(*per_item).map(list)


@settings(max_examples=100)
@given(st.data())
def test_every_score_stays_in_range(data: st.DataObject) -> None:
    for iid, d in INSTRUMENTS.shipped.items():
        result = score(iid, data.draw(_answers(iid), label=iid))
        if result.score is not None and d.score is not None:
            assert d.score.min <= result.score <= d.score.max
        for sub in result.subscales:
            if sub.score is not None:
                spec = d.subscale(sub.id)
                assert spec.score_min <= sub.score <= spec.score_max


def _raise_one(answers: list, index: int, iid: str) -> list | None:
    item = INSTRUMENTS.shipped[iid].items[index]
    allowed = list(item.allowed_values())
    value = answers[index]
    if value is None or value == allowed[-1]:
        return None
    worse = list(answers)
    worse[index] = allowed[allowed.index(value) + 1]
    return worse


@settings(max_examples=150)
@given(st.sampled_from(["odi", "ndi", "rmdq"]), st.data())
def test_more_disability_never_lowers_odi_ndi_rmdq(iid: str, data: st.DataObject) -> None:
    answers = data.draw(_answers(iid))
    index = data.draw(st.integers(0, len(answers) - 1))
    worse = _raise_one(answers, index, iid)
    assume(worse is not None)
    before, after = score(iid, answers), score(iid, worse)
    assert before.scored == after.scored
    if before.score is not None:
        assert after.score >= before.score  # type: ignore[operator]


@settings(max_examples=150)
@given(st.sampled_from(["odi", "ndi", "rmdq"]), st.data())
def test_missing_items_are_never_scored_as_zero(iid: str, data: st.DataObject) -> None:
    answers = data.draw(_answers(iid, allow_missing=False))
    index = data.draw(st.integers(0, len(answers) - 1))
    with_gap = list(answers)
    with_gap[index] = None
    as_zero = list(answers)
    as_zero[index] = 0
    result = score(iid, with_gap)
    assert result.rescaled is True and result.missing_items
    answered = [v for v in with_gap if v is not None]
    d = INSTRUMENTS.shipped[iid]
    max_per_item = d.items[0].max_score
    if iid == "rmdq":
        expected = Fraction(sum(answered) * len(answers), len(answered))
    else:
        expected = Fraction(sum(answered) * 100, max_per_item * len(answered))
    assert result.score == expected
    if sum(answered) > 0:
        assert result.score > score(iid, as_zero).score  # type: ignore[operator]


@settings(max_examples=100)
@given(st.data())
def test_zcq_and_nrs_missing_items_are_left_out_of_the_mean(data: st.DataObject) -> None:
    answers = data.draw(_answers("zcq", allow_missing=False))
    index = data.draw(st.integers(0, 6))  # a symptom-severity item
    with_gap = list(answers)
    with_gap[index] = None
    sub = score("zcq", with_gap).subscale("symptom_severity")
    remaining = [v for v in with_gap[:7] if v is not None]
    assert sub.score == Fraction(sum(remaining), len(remaining))
    assert score("nrs", [None, 5, None, None]).subscale("back").score is None
