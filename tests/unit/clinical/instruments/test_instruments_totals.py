"""A questionnaire recorded as a total from a paper form is scored like its items.

For every instrument, a set of item answers scored item by item and the same form entered
as its total (and number answered, or subscale means) give the same score, band,
subscales, raw and percent: the stored JSON has one shape, whichever way it came in.
"""

from __future__ import annotations

import pytest

from spinecare.adapters.instrument_files import load_definitions
from spinecare.clinical.instruments import score_answers
from spinecare.clinical.instruments.result import ScoreSummary
from spinecare.clinical.instruments.totals import (
    TotalError,
    score_total,
    total_fields,
)

DEFS = load_definitions()
SAME = ("score", "band", "band_label", "subscales", "subscale_bands", "scored", "unit",
        "range", "direction", "answered", "items", "rescaled", "raw", "percent",
        "instrument", "instrument_name", "version", "references")


def _same(by_items: dict, by_total: dict) -> None:
    for key in SAME:
        assert by_items.get(key) == by_total.get(key), key


@pytest.mark.parametrize(("answers", "total", "answered", "percent", "band"), [
    ([2] * 10, 20, None, 40, "moderate"),             # 20/50
    ([5] * 10, 50, 10, 100, "bed_bound"),
    ([1, 2, 3, 4, 5, 0, 1, 2, 3, None], 21, 9, 46.67, "severe"),  # 21/45, rescaled
    ([4, 4, 4, 4, 4, 4, 4, 4, None, None], 32, 8, 80, "crippled"),  # 32/40
])
def test_odi_total_is_fairbank_2000(answers: list, total: int, answered: int | None,
                                    percent: float, band: str) -> None:
    d = DEFS["odi"]
    by_items = score_answers(d, answers).to_dict()
    by_total = score_total(d, total, answered).to_dict()
    _same(by_items, by_total)
    assert (by_total["score"], by_total["band"]) == (percent, band)


def test_ndi_total_gives_the_raw_score_its_bands_use() -> None:
    d = DEFS["ndi"]
    by_items = score_answers(d, [3] * 9 + [None]).to_dict()
    by_total = score_total(d, 27, 9).to_dict()
    _same(by_items, by_total)
    assert by_total["raw"] == 30 and by_total["band"] == "severe"  # 25-34 raw: severe


def test_rmdq_count_and_rescaling() -> None:
    d = DEFS["rmdq"]
    answers = [1] * 10 + [0] * 12 + [None, None]
    _same(score_answers(d, answers).to_dict(), score_total(d, 10, 22).to_dict())
    _same(score_answers(d, [1] * 7 + [0] * 17).to_dict(), score_total(d, 7).to_dict())


@pytest.mark.parametrize(("answers", "total", "psych", "band"), [
    ([1, 1, 0, 0, 0, 0, 0, 0, 0], 2, 0, "low"),
    ([1, 1, 1, 1, 1, 1, 1, 0, 2], 7, 3, "medium"),
    ([0, 0, 0, 0, 1, 1, 1, 1, 4], 5, 5, "high"),
])
def test_startback_total_and_psychosocial(answers: list, total: int, psych: int,
                                          band: str) -> None:
    d = DEFS["startback"]
    by_total = score_total(d, total, subscales={"psychosocial": psych}).to_dict()
    _same(score_answers(d, answers).to_dict(), by_total)
    assert by_total["band"] == band


def test_zcq_subscale_means() -> None:
    d = DEFS["zcq"]
    answers = [3, 3, 2, 2, 3, 2, 3, 2, 2, 3, 1, 2]  # severity, then function
    by_items = score_answers(d, answers).to_dict()
    subs = by_items["subscales"]
    by_total = score_total(d, subscales={"symptom_severity": subs["symptom_severity"],
                                         "physical_function": subs["physical_function"]})
    _same(by_items, by_total.to_dict())
    with_sat = score_total(d, subscales={"symptom_severity": "2.5", "physical_function": 2,
                                         "satisfaction": 3}).to_dict()
    assert with_sat["subscale_bands"] == {"satisfaction": "not_satisfied"}


def test_mjoa_total() -> None:
    d = DEFS["mjoa"]
    _same(score_answers(d, [4, 5, 2, 3]).to_dict(), score_total(d, 14).to_dict())
    assert score_total(d, 10).band == "severe"


def test_the_summary_reads_back_and_says_it_came_from_paper() -> None:
    summary = score_total(DEFS["odi"], 20)
    assert ScoreSummary.from_dict(summary.to_dict()) == summary
    assert summary.notes[0].startswith("Entered as a total from a paper form")


@pytest.mark.parametrize(("iid", "kwargs", "field", "says"), [
    ("odi", {"total": 51}, "total", "a whole number from 0 to 50"),
    ("odi", {"total": -1}, "total", "a whole number from 0 to 50"),
    ("odi", {"total": "12.5"}, "total", "a whole number from 0 to 50"),
    ("odi", {"total": 20, "answered": 7}, "answered", "a whole number from 8 to 10"),
    ("odi", {"total": 41, "answered": 8}, "total", "at most 40"),
    ("odi", {}, "total", "enter a whole number from 0 to 50"),
    ("rmdq", {"total": 23, "answered": 22}, "total", "at most 22 can apply"),
    ("zcq", {"subscales": {"symptom_severity": 0.5, "physical_function": 2}},
     "subscales.symptom_severity", "a number from 1 to 5"),
    ("zcq", {"subscales": {"symptom_severity": 2}}, "subscales.physical_function",
     "a number from 1 to 4"),
    ("zcq", {"total": 3, "subscales": {"symptom_severity": 2, "physical_function": 2}},
     "total", "no single total"),
    ("startback", {"total": 2, "subscales": {"psychosocial": 3}}, "total",
     "must be from 3 to 7"),
    ("startback", {"total": 9, "subscales": {"psychosocial": 2}}, "total",
     "must be from 2 to 6"),
    ("mjoa", {"total": 19}, "total", "a whole number from 0 to 18"),
    ("mjoa", {"total": 12, "answered": 4}, "answered", "does not use"),
    ("nrs", {}, "subscales", "at least one"),
    ("odi", {"total": 10, "subscales": {"x": 1}}, "subscales.x", "no part 'x'"),
])
def test_a_total_outside_the_definition_says_the_allowed_range(
    iid: str, kwargs: dict, field: str, says: str
) -> None:
    with pytest.raises(TotalError) as raised:
        score_total(DEFS[iid], **kwargs)
    assert field in raised.value.problems, raised.value.problems
    assert says in raised.value.problems[field]


def test_every_instrument_has_fields_from_its_definition() -> None:
    for d in DEFS.values():
        fields = total_fields(d)
        assert fields, d.id
        for f in fields:
            assert f.min <= f.max and f.label
