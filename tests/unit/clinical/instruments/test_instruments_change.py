"""Change between administrations: absolute and relative MCID reported separately."""

from __future__ import annotations

import pytest

from spinecare.clinical.instruments import ChangeError
from spinecare.services.instruments import InstrumentService

score_change = InstrumentService().change



def test_odi_criteria_can_disagree() -> None:
    out = score_change("odi", 50, 38).to_dict()
    assert out["change"] == -12 and out["percent_change"] == -24
    assert out["mcid_absolute_met"] is True and out["mcid_relative_met"] is False


def test_relative_only_improvement() -> None:
    out = score_change("odi", 20, 12).to_dict()  # 8 points (< 10) but 40 % (>= 30 %)
    assert out["mcid_absolute_met"] is False and out["mcid_relative_met"] is True


def test_worsening_is_flagged_not_hidden() -> None:
    out = score_change("rmdq", 6, 14).to_dict()
    assert out["trend"] == "worsened"
    assert out["mcid_absolute_met"] is False
    assert out["worsening_absolute_met"] is True
    assert "worsening" in out["interpretation"]


def test_baseline_zero_has_no_percent_and_no_relative_verdict() -> None:
    out = score_change("nrs", 0, 3, subscale="back").to_dict()
    assert out["percent_change"] is None and out["mcid_relative_met"] is None


def test_mjoa_higher_is_better_and_has_no_relative_mcid() -> None:
    up = score_change("mjoa", 11, 13).to_dict()
    assert up["trend"] == "improved" and up["mcid_absolute_met"] is True
    assert up["mcid_relative_met"] is None
    down = score_change("mjoa", 14, 12).to_dict()
    assert down["mcid_absolute_met"] is False and down["worsening_absolute_met"] is True
    assert "prompt review" in down["advice"] and "fehlings-2017" in down["references"]
    assert score_change("mjoa", 14, 13).to_dict()["advice"] is None
    assert score_change("mjoa", 14, 11).to_dict()["percent_change"] == -21.43


def test_ndi_mcid_is_5_raw_points_on_the_percent_scale() -> None:
    assert score_change("ndi", 40, 30).to_dict()["mcid_absolute_met"] is True  # 5 raw
    assert score_change("ndi", 40, 32).to_dict()["mcid_absolute_met"] is False  # 4 raw


def test_mcid_overrides() -> None:
    assert score_change("ndi", 40, 30, mcid_absolute=15).to_dict()["mcid_absolute_met"] is False
    assert score_change("zcq", 3.0, 2.7, subscale="symptom_severity").mcid_absolute_met is False
    assert (
        score_change(
            "zcq", 3.0, 2.7, subscale="symptom_severity", mcid_absolute=0.3
        ).mcid_absolute_met
        is True
    )


def test_zcq_needs_a_subscale_and_checks_its_range() -> None:
    with pytest.raises(ChangeError, match="name the subscale"):
        score_change("zcq", 3, 2)
    with pytest.raises(ChangeError, match="outside"):
        score_change("zcq", 4.5, 2, subscale="physical_function")


def test_out_of_range_scores_are_refused() -> None:
    with pytest.raises(ChangeError, match="outside the ODI range 0-100"):
        score_change("odi", 120, 30)
    with pytest.raises(ChangeError, match="must be a number"):
        score_change("odi", "a lot", 30)
