"""Scoring rules: missing-item limits, rescaling flags, subscale minimums, bands, errors."""

from __future__ import annotations

from fractions import Fraction

import pytest

from spinecare.clinical.instruments import AnswerError, round_half_up
from spinecare.services.instruments import InstrumentService, UnknownInstrument

score = InstrumentService().score


def test_odi_one_missing_section_shrinks_the_denominator_not_scored_as_zero() -> None:
    result = score("odi", [2, 2, 2, 2, 2, 2, 1, 1, 2, None])
    assert result.score == Fraction(16 * 100, 45)
    assert result.to_dict()["score"] == 35.56
    assert result.rescaled is True
    assert result.missing_items == ("travelling",)


def test_odi_three_missing_sections_gives_no_score_and_says_why() -> None:
    result = score("odi", [1, 1, 1, 1, 1, 1, 1, None, None, None])
    out = result.to_dict()
    assert out["score"] is None and out["band"] is None and out["scored"] is False
    assert "3 of 10 items are missing" in out["reason"]
    assert "at most 2" in out["reason"]


def test_odi_missing_limit_is_configurable() -> None:
    result = score("odi", [1, 1, 1, 1, 1, 1, 1, None, None, None], max_missing=3)
    assert result.score == Fraction(7 * 100, 35)
    assert score("odi", [1] * 9 + [None], max_missing=0).score is None


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (10, "minimal"),
        (11, "moderate"),
        (20, "moderate"),
        (21, "severe"),
        (30, "severe"),
        (31, "crippled"),
        (40, "crippled"),
        (41, "bed_bound"),
        (50, "bed_bound"),
    ],
)
def test_odi_band_boundaries(total: int, band: str) -> None:
    answers = [5] * (total // 5) + ([total % 5] if total % 5 else [])
    answers += [0] * (10 - len(answers))
    assert score("odi", answers).band.id == band  # type: ignore[union-attr]


def test_odi_band_of_a_non_integer_percent_uses_the_exact_value() -> None:
    # 9/45 = 20.0 exactly -> minimal; 10/45 = 22.2 -> moderate.
    assert score("odi", [5, 4, 0, 0, 0, 0, 0, 0, 0, None]).band.id == "minimal"  # type: ignore[union-attr]
    assert score("odi", [5, 5, 0, 0, 0, 0, 0, 0, 0, None]).band.id == "moderate"  # type: ignore[union-attr]


def test_ndi_bands_use_the_raw_score_and_raw_is_prorated_when_items_are_missing() -> None:
    full = score("ndi", [1, 1, 1, 1, 0, 0, 0, 0, 0, 0])  # raw 4 -> none, 8 %
    assert full.raw == 4 and full.score == 8 and full.band.id == "none"  # type: ignore[union-attr]
    missing = score("ndi", [2, 2, 2, 2, 2, 2, 2, 2, 2, None])  # 18 of 45 -> raw 20
    assert missing.raw == 20 and missing.score == 40 and missing.band.id == "moderate"  # type: ignore[union-attr]


def test_rmdq_accepts_true_false_and_rescales_with_a_flag() -> None:
    full = score("rmdq", [True] * 8 + [False] * 16)
    assert full.score == 8 and full.rescaled is False
    partial = score("rmdq", [1] * 8 + [0] * 14 + [None, None])
    assert partial.score == Fraction(8 * 24, 22) and partial.rescaled is True
    assert partial.raw == 8
    assert any("rescaled" in n for n in partial.notes)


def test_rmdq_with_too_many_unanswered_is_not_scored() -> None:
    assert score("rmdq", [1] * 20 + [None] * 4).scored is False


def test_zcq_balance_item_rejects_2_naming_item_and_allowed_values() -> None:
    with pytest.raises(AnswerError) as err:
        score("zcq", [2, 2, 3, 3, 2, 1, 2, 2, 2, 3, 1, 2])
    message = str(err.value)
    assert "item 7 (ss_balance)" in message
    assert "1, 3, 5" in message


def test_zcq_subscale_below_minimum_answered_is_not_scored() -> None:
    result = score("zcq", [2, 2, 3, None, None, None, 3, 2, 2, 3, 1, 2])
    out = result.to_dict()
    assert out["subscales"]["symptom_severity"] is None
    assert out["subscales"]["physical_function"] == 2
    assert out["scored"] is False
    assert "at least 5" in out["reason"]


def test_zcq_satisfaction_is_optional_and_banded() -> None:
    without = score("zcq", [2, 2, 3, 3, 2, 1, 3, 2, 2, 3, 1, 2]).to_dict()
    assert without["scored"] is True and without["subscales"]["satisfaction"] is None
    unhappy = score("zcq", [2, 2, 3, 3, 2, 1, 3, 2, 2, 3, 1, 2, 3, 3, 3, 2, 3, 3]).to_dict()
    assert unhappy["subscales"]["satisfaction"] == 2.833
    assert unhappy["subscale_bands"]["satisfaction"] == "not_satisfied"
    edge = score("zcq", [2, 2, 3, 3, 2, 1, 3, 2, 2, 3, 1, 2, 2, 3, 2, 3, 2, 3]).to_dict()
    assert edge["subscales"]["satisfaction"] == 2.5
    assert edge["subscale_bands"]["satisfaction"] == "satisfied"


@pytest.mark.parametrize(
    ("item9", "psych", "band"), [(2, 3, "medium"), (3, 4, "high"), (4, 4, "high")]
)
def test_startback_item_9_is_positive_only_for_very_much_or_extremely(
    item9: int, psych: int, band: str
) -> None:
    result = score("startback", [1, 1, 0, 0, 1, 1, 1, 0, item9])
    assert result.subscale("psychosocial").score == psych
    assert result.band.id == band  # type: ignore[union-attr]


def test_startback_total_of_3_is_low_even_with_high_psychosocial_items() -> None:
    assert score("startback", [0, 0, 0, 0, 1, 1, 1, 0, 0]).band.id == "low"  # type: ignore[union-attr]


def test_startback_with_a_missing_item_gives_no_risk_group() -> None:
    result = score("startback", [1, 1, 1, 1, 1, 1, 1, 1, None])
    assert result.scored is False and result.band is None
    assert "bothersomeness" in result.reason


@pytest.mark.parametrize(
    ("answers", "band"),
    [
        ([5, 7, 3, 3], "none"),
        ([5, 7, 3, 2], "mild"),
        ([5, 5, 3, 2], "mild"),
        ([5, 4, 3, 2], "moderate"),
        ([3, 4, 3, 2], "moderate"),
        ([3, 3, 3, 2], "severe"),
        ([0, 0, 0, 0], "severe"),
    ],
)
def test_mjoa_bands(answers: list[int], band: str) -> None:
    assert score("mjoa", answers).band.id == band  # type: ignore[union-attr]


def test_mjoa_accepts_an_object_keyed_by_domain_and_rejects_out_of_range() -> None:
    result = score("mjoa", {"ue_motor": 4, "le_motor": 5, "ue_sensory": 2, "sphincter": 3})
    assert result.score == 14
    with pytest.raises(AnswerError) as err:
        score("mjoa", [6, 7, 3, 3])
    assert "ue_motor" in str(err.value) and "0-5" in str(err.value)
    with pytest.raises(AnswerError) as err:
        score("mjoa", {"ue_motor": 4, "legs": 5})
    assert "unknown item id" in str(err.value)


def test_nrs_sites_are_separate_scores_and_unasked_sites_stay_empty() -> None:
    out = score("nrs", [7, 4, None, None]).to_dict()
    assert out["subscales"] == {"back": 7, "leg": 4, "neck": None, "arm": None}
    assert out["score"] is None and out["scored"] is True
    assert score("nrs", [None] * 4).scored is False


@pytest.mark.parametrize(
    "bad",
    [[1] * 9, "not a list", [1.5] + [0] * 9, ["2"] + [0] * 9, [True] + [0] * 9, [-1] + [0] * 9],
)
def test_invalid_odi_answers_raise_with_a_fix(bad: object) -> None:
    with pytest.raises(AnswerError) as err:
        score("odi", bad)
    assert err.value.problems


def test_unknown_instrument_lists_the_choices() -> None:
    with pytest.raises(UnknownInstrument) as err:
        score("oswestry", [1])
    assert "odi, ndi, rmdq, zcq, startback, mjoa, nrs" in str(err.value)


def test_rounding_is_half_up_on_the_exact_value() -> None:
    assert round_half_up(Fraction(1, 8), 2) == 0.13  # 0.125 -> 0.13 (banker's would give 0.12)
    assert round_half_up(Fraction(160, 45), 2) == 3.56
    assert round_half_up(Fraction(16 * 100, 45), 2) == 35.56
