"""Each flag rule at its boundary, and unknown data is "not checked", never clear."""

from __future__ import annotations

from datetime import timedelta

from report_inputs import END, START, data, days, walk_test

from spinecare.clinical.diary.model import DayRecord
from spinecare.clinical.report import (
    FLAG_RULES,
    ScorePoint,
    ScoreSeries,
    SessionRecord,
    WarningEvent,
    evaluate_flags,
)
from spinecare.clinical.report.flags import (
    epidural,
    leg_walk,
    no_nondrug,
    sphincter,
    walk_test_down,
    zcq_worse,
)


def test_every_flag_has_an_id_a_text_and_references() -> None:
    ids = [r.id for r in FLAG_RULES]
    assert len(ids) == len(set(ids)) == 6
    assert all(r.text and r.references and r.title for r in FLAG_RULES)


def test_leg_pain_at_least_back_pain_and_walking_under_ten_minutes() -> None:
    at_boundary = data(days(7, leg_pain=5, back_pain=5, walking_minutes=9.9))
    assert leg_walk(at_boundary).fired is True
    assert "leg 5, back 5, walking 9.9 min" in leg_walk(at_boundary).reason
    assert leg_walk(data(days(7, leg_pain=5, back_pain=5, walking_minutes=10))).fired is False
    assert leg_walk(data(days(7, leg_pain=4, back_pain=5, walking_minutes=5))).fired is False


def test_leg_walk_needs_three_recorded_days_of_each_in_the_last_week() -> None:
    two = data(days(2, leg_pain=8, back_pain=2, walking_minutes=3))
    assert leg_walk(two).fired is None and "fewer than 3 days" in leg_walk(two).reason
    three = data(days(3, leg_pain=8, back_pain=2, walking_minutes=3))
    assert leg_walk(three).fired is True
    # Days older than the last 7 do not count.
    old = data(days(3, end=END - timedelta(days=7), leg_pain=8, back_pain=2,
                    walking_minutes=3))
    assert leg_walk(old).fired is None


def test_no_non_drug_treatment_in_the_period() -> None:
    assert no_nondrug(data()).fired is True
    skipped = data(sessions=(SessionRecord(END, "programme", "skipped"),))
    assert no_nondrug(skipped).fired is True
    partly = data(sessions=(SessionRecord(START, "home", "partly"),))
    assert no_nondrug(partly).fired is False
    before = data(sessions=(SessionRecord(START - timedelta(days=1), "programme", "done"),))
    assert no_nondrug(before).fired is True


def test_a_new_bladder_bowel_or_saddle_sign_in_the_period() -> None:
    saddle = WarningEvent(END, "saddle_anaesthesia", "Numbness between your legs", "diary")
    assert sphincter(data(warning_events=(saddle,))).fired is True
    assert "Numbness between your legs" in sphincter(data(warning_events=(saddle,))).reason
    other = WarningEvent(END, "fever", "Fever", "diary")
    assert sphincter(data(warning_events=(other,))).fired is False
    earlier = WarningEvent(START - timedelta(days=1), "bladder_dysfunction", "Bladder", "check")
    assert sphincter(data(warning_events=(earlier,))).fired is False


def _zcq(*points: tuple[int, float]) -> ScoreSeries:
    return ScoreSeries("zcq.symptom_severity", "ZCQ symptom severity (1-5)", "higher_is_worse",
                       tuple(ScorePoint(END - timedelta(days=ago), v) for ago, v in points),
                       " points", 0.5)


def test_zcq_symptom_severity_worse_by_half_a_point_within_three_months() -> None:
    assert zcq_worse(data(scores=(_zcq((80, 2.5), (0, 3.0)),))).fired is True
    assert zcq_worse(data(scores=(_zcq((80, 2.5), (0, 2.99)),))).fired is False
    # The earliest score inside the 92 days is the comparison; older ones are not.
    assert zcq_worse(data(scores=(_zcq((93, 2.0), (0, 3.0)),))).fired is None
    assert zcq_worse(data(scores=(_zcq((92, 2.0), (0, 2.5)),))).fired is True
    assert zcq_worse(data()).fired is None
    assert zcq_worse(data(scores=(_zcq((0, 3.0)),))).fired is None


def test_epidural_injections_at_the_decision_aids_limit_in_twelve_months() -> None:
    def with_injections(*ago: int) -> bool | None:
        diary = [DayRecord(END - timedelta(days=a), epidural_injection=True) for a in ago]
        return epidural(data(sorted(diary, key=lambda d: d.day))).fired

    assert with_injections(10, 100) is False
    assert with_injections(10, 100, 300) is True
    assert with_injections(10, 100, 370) is False  # the third is more than a year ago


def test_walking_test_down_thirty_percent() -> None:
    def walked(first: float, last: float, metres: bool = True) -> bool | None:
        tests = [walk_test(START, 10, first if metres else None),
                 walk_test(END, 10 * last / first, last if metres else None)]
        return walk_test_down(data(tests=tests)).fired

    assert walked(600, 420) is True            # −30 %
    assert walked(600, 421) is False
    assert walked(10, 7, metres=False) is True  # time when there is no distance
    assert walk_test_down(data(tests=[walk_test(END, 10, 500)])).fired is None


def test_evaluate_flags_keeps_the_rule_text_and_references() -> None:
    flags = evaluate_flags(data())
    assert [f.id for f in flags] == [r.id for r in FLAG_RULES]
    unknown = {f.id for f in flags if f.fired is None}
    assert {"RPT-FLAG-LEG-WALK", "RPT-FLAG-ZCQ-WORSE", "RPT-FLAG-WALK-TEST-DOWN"} <= unknown
    assert all(f.references for f in flags)
