"""The diary core's two shared rules: an open warning sign (DIARY-OPEN-SIGN: 14 days, both
sources, a diary check dated by its diary day, nothing listed twice) and the pain chart's
reference lines (DIARY-PAIN-LINES: 2 points or 30 %, whichever is nearer, from the first
week), used alike by the diary page and the doctor's report; and one exercise credit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from spinecare.adapters.exercise_files import load_library
from spinecare.adapters.library.references import load_references
from spinecare.clinical.diary.analytics import summarise
from spinecare.clinical.diary.model import DayRecord
from spinecare.clinical.diary.open_signs import CheckRecord, open_signs, warning_items
from spinecare.clinical.diary.pain_lines import important_change, pain_lines
from spinecare.clinical.exercise import SessionRecord as ExerciseSession
from spinecare.clinical.exercise import programme_for, progress, trial_credit
from spinecare.clinical.report import ReportData, SessionRecord, build_report
from spinecare.clinical.report.build import pain_chart

TODAY = date(2026, 6, 30)


@pytest.mark.parametrize(("days_ago", "is_open"), [(0, True), (13, True), (14, False)])
def test_a_diary_sign_is_open_for_14_days(days_ago: int, is_open: bool) -> None:
    day = DayRecord(TODAY - timedelta(days=days_ago), warning_signs=("fever",))
    assert bool(open_signs([day], [], TODAY)) is is_open


def test_checks_at_urgent_or_emergency_are_open_and_routine_ones_are_not() -> None:
    checks = [CheckRecord(TODAY, "urgent"), CheckRecord(TODAY, "routine"),
              CheckRecord(TODAY - timedelta(days=20), "emergency")]
    assert [i.label for i in open_signs([], checks, TODAY)] == \
        ["Symptom check: urgent care advised"]


def test_a_diary_check_counts_from_its_diary_day_not_the_day_it_ran() -> None:
    old = TODAY - timedelta(days=1000)
    imported = CheckRecord(TODAY, "emergency", "diary", diary_day=old)
    day = DayRecord(old, warning_signs=("saddle_anaesthesia",))
    assert open_signs([day], [imported], TODAY) == ()
    # In a period around the old day it is listed once, as the diary's sign.
    items = warning_items([day], [imported], old, old)
    assert [(i.day, i.sign, i.source) for i in items] == [(old, "saddle_anaesthesia", "diary")]
    # With no diary day linked any more, the day it was saved counts (never "no sign").
    unlinked = CheckRecord(TODAY, "emergency", "diary")
    assert [i.label for i in open_signs([], [unlinked], TODAY)] == \
        ["Check from the diary: emergency care advised"]


def test_a_diary_check_its_notes_alone_escalated_is_listed() -> None:
    day = DayRecord(TODAY - timedelta(days=1))  # no box ticked
    check = CheckRecord(TODAY, "urgent", "diary", diary_day=day.day)
    items = open_signs([day], [check], TODAY)
    assert [(i.day, i.source) for i in items] == [(day.day, "diary")]


def test_the_smallest_important_change_is_2_points_or_30_percent_whichever_is_nearer() -> None:
    assert important_change(8) == 2.0
    assert important_change(4) == pytest.approx(1.2)
    assert important_change(0) == 2.0


def _week(start: date, n: int, **fields: int) -> list[DayRecord]:
    return [DayRecord(start + timedelta(days=k), **fields) for k in range(n)]  # type: ignore[arg-type]


def test_pain_lines_from_the_first_week_inside_0_to_10() -> None:
    start = TODAY - timedelta(days=20)
    days = _week(start, 7, leg_pain=9, back_pain=4)
    lines = {(ln.site, ln.direction): round(ln.value, 2) for ln in pain_lines(days, start)}
    assert lines == {("leg", "better"): 7.0, ("back", "better"): 2.8, ("back", "worse"): 5.2}
    assert pain_lines(_week(start, 2, leg_pain=5), start) == ()  # 2 days: no baseline


def test_the_report_draws_the_cores_lines() -> None:
    start = TODAY - timedelta(days=27)
    days = tuple(_week(start, 28, leg_pain=6, back_pain=8))
    data = ReportData(name="P", age=None, start=start, end=TODAY, days=days,
                      walking_tests=(), diary=summarise(days, [], today=TODAY,
                                                        period_start=start))
    drawn = [(t.value, t.label) for t in pain_chart(data).thresholds]
    assert drawn == [(ln.value, ln.label) for ln in pain_lines(days, start)]
    # Leg 6: 30 % (1.8) is nearer than 2 points; back 8: 2 points is nearer than 30 %.
    assert [round(v, 2) for v, _ in drawn] == [4.2, 7.8, 6.0, 10.0]


def test_the_plan_and_the_report_count_the_same_credit_capped_at_12() -> None:
    first = TODAY - timedelta(days=40)
    logged = [ExerciseSession(first + timedelta(days=k), "done") for k in range(12)]
    logged.append(ExerciseSession(first + timedelta(days=13), "partly"))
    assert trial_credit(logged) == 12.0
    library, _ = load_library(load_references())
    programme = programme_for("lumbar_spinal_stenosis", open_warning_sign=False,
                              library=library)
    plan_credit = progress(programme, logged, [], TODAY).sessions_credit
    sessions = tuple(SessionRecord(s.day, s.kind, s.status) for s in logged)
    data = ReportData(name="P", age=None, start=first, end=TODAY, days=(), walking_tests=(),
                      diary=summarise([], [], today=TODAY, period_start=first),
                      sessions=sessions, programme_started=first)
    assert plan_credit == build_report(data).exercise.credit == 12.0
