"""Change verdicts state the minimal important change and usual variation, on hand examples."""

from __future__ import annotations

from datetime import date

from spinecare.clinical.report import verdict
from spinecare.clinical.report.verdicts import NOISE

B, L = date(2026, 1, 5), date(2026, 4, 5)


def _odi(before: float, after: float):  # type: ignore[no-untyped-def]
    return verdict("odi", "ODI (0-100)", "higher_is_worse", (B, before), (L, after),
                   unit=" points", mcid_absolute=10, mcid_relative_percent=30,
                   references=("ostelo-2008",))


def test_odi_minus_twelve_is_beyond_the_mcid_and_beyond_usual_variation() -> None:
    v = _odi(50, 38)
    assert v.better_or_worse == "better" and v.mcid_met is True and v.noise_met is True
    assert v.sentence.startswith("ODI 50 → 38 (−12 points, −24 %, better): beyond the minimal "
                                 "important change (10 points or 30 %) and beyond usual "
                                 "variation")
    assert v.references == ("ostelo-2008", "hatakka-2025")


def test_a_change_under_the_odi_noise_is_within_usual_variation() -> None:
    v = _odi(40, 31)  # 9 points: under 9.17, and under the 10-point MCID (22.5 %)
    assert v.mcid_met is False and v.noise_met is False
    assert "within the minimal important change" in v.sentence
    assert "within usual variation" in v.sentence


def test_ten_points_meet_the_mcid_and_pass_the_noise() -> None:
    v = _odi(40, 50)
    assert v.better_or_worse == "worse" and v.mcid_met is True and v.noise_met is True


def test_relative_mcid_alone_counts() -> None:
    v = _odi(20, 14)  # 6 points (< 10) but 30 %
    assert v.mcid_met is True and v.noise_met is False


def test_usual_variation_unknown_is_said_so() -> None:
    v = verdict("zcq.symptom_severity", "ZCQ symptom severity (1-5)", "higher_is_worse",
                (B, 2.5), (L, 3.0), unit=" points", mcid_absolute=0.5)
    assert v.mcid_met is True and v.noise_met is None
    assert "usual variation not known" in v.sentence
    assert v.sentence.startswith("ZCQ symptom severity 2.5 → 3 (+0.5 points, +20 %, worse)")


def test_higher_is_better_scores_read_the_other_way() -> None:
    v = verdict("mjoa", "mJOA (0-18)", "higher_is_better", (B, 12), (L, 15), unit=" points",
                mcid_absolute=2)
    assert v.better_or_worse == "better" and v.mcid_met is True


def test_walking_distance_noise_is_one_walks_sem() -> None:
    assert NOISE["walk_test.distance"].amount == 58.3
    v = verdict("walk_test.distance", "Walking test distance", "higher_is_better",
                (B, 600), (L, 550), unit=" m", mcid_relative_percent=30)
    assert v.mcid_met is False and v.noise_met is False
    assert "−50 m, −8 %, worse" in v.sentence


def test_no_change_says_unchanged() -> None:
    v = _odi(30, 30)
    assert v.better_or_worse == "unchanged"
    assert v.sentence == "ODI 30 → 30 (±0 points, ±0 %, unchanged)."
