"""The report's pieces: weekly means with gaps, exercise against the trials' 12, charts with
threshold lines and a stated direction, the data line, and references both ways."""

from __future__ import annotations

from datetime import timedelta

import yaml
from report_inputs import END, START, data, days, walk_test

from spinecare.adapters.library.references import REFERENCES_DIR, load_references
from spinecare.clinical.diary.model import DayRecord
from spinecare.clinical.evidence import is_team_choice
from spinecare.clinical.report import (
    OwnWords,
    ScorePoint,
    ScoreSeries,
    SessionRecord,
    build_report,
)
from spinecare.clinical.report.build import weekly_means
from spinecare.clinical.report.rules import RULES

REGISTRY = load_references()


def test_every_report_rule_reference_exists_and_every_report_reference_is_used() -> None:
    assert {rid: REGISTRY.missing(r.references) for rid, r in RULES.items()
            if REGISTRY.missing(r.references)} == {}
    own = {r["id"] for r in yaml.safe_load((REFERENCES_DIR / "report.yaml").read_text())}
    assert own - {ref for r in RULES.values() for ref in r.references} == set()


def test_thresholds_the_team_chose_say_so() -> None:
    assert is_team_choice(RULES["RPT-FLAG-LEG-WALK"].summary)


def test_weekly_means_end_on_the_last_day_and_leave_gaps_for_thin_weeks() -> None:
    diary = days(14, leg_pain=4)
    diary = [d for d in diary if not (END - timedelta(days=13) <= d.day
                                      <= END - timedelta(days=9))]  # 2 days left in week 1
    points = weekly_means(diary, "leg_pain", END - timedelta(days=13), END)
    assert points == ((END - timedelta(days=7), None), (END, 4.0))


def test_exercise_counts_towards_the_trials_twelve() -> None:
    sessions = tuple(SessionRecord(START + timedelta(days=k), "programme", "done")
                     for k in range(7))
    sessions += (SessionRecord(END, "programme", "skipped"),
                 SessionRecord(END, "home", "done"))
    report = build_report(data(sessions=sessions, programme_started=START))
    assert report.exercise.line == "7 of 12 sessions"
    assert (report.exercise.done, report.exercise.skipped, report.exercise.in_period_done) == \
        (7, 1, 8)
    partly = build_report(data(sessions=(SessionRecord(END, "programme", "partly"),)))
    assert partly.exercise.line == "0.5 of 12 sessions"


def test_a_whole_report_from_hand_made_data() -> None:
    diary = days(90, leg_pain=6, back_pain=4, walking_minutes=8.0, medicines=("paracetamol",))
    diary[-5] = DayRecord(diary[-5].day, leg_pain=6, back_pain=4, walking_minutes=8.0,
                          epidural_injection=True)
    odi = ScoreSeries("odi", "ODI (0-100)", "higher_is_worse",
                      (ScorePoint(START - timedelta(days=3), 34, "moderate disability"),
                       ScorePoint(END, 50, "severe disability")),
                      " points", 10, 30, ("ostelo-2008",))
    report = build_report(
        data(diary, [walk_test(START, 10, 600), walk_test(END, 6, 400)], scores=(odi,),
             own_words=OwnWords(END, "My legs   give way " + "word " * 200),
             questions=("Is it time for surgery?", "  ")),
        {"ostelo-2008": "Ostelo 2008 citation"})
    assert report.scores[0].verdict is not None
    assert report.scores[0].verdict.sentence.startswith("ODI 34 → 50 (+16 points")
    assert report.walking_test is not None and report.walking_test.key == "walk_test.distance"
    fired = {f.id for f in report.fired_flags}
    assert {"RPT-FLAG-LEG-WALK", "RPT-FLAG-WALK-TEST-DOWN", "RPT-FLAG-NO-NONDRUG"} <= fired
    assert report.treatments.medicines[0].name == "paracetamol"
    assert report.treatments.epidurals_12m == 1
    assert report.own_words is not None and report.own_words.text.startswith("My legs give way")
    assert len(report.own_words.text) <= 602 and report.own_words.text.endswith("…")
    assert report.questions == ("Is it time for surgery?",)
    assert report.completeness.days_logged == 90 and report.completeness.never == ("ZCQ",)
    assert report.pain_chart.direction_words == "Higher is worse."
    assert report.walking_chart.direction_words == "Higher is better."
    assert [round(t.value, 1) for t in report.walking_chart.thresholds] == [13.0, 7.0]
    # DIARY-PAIN-LINES: leg 6 and back 4 in the first week; 30 % is nearer than 2 points
    assert [round(t.value, 2) for t in report.pain_chart.thresholds] == [4.2, 7.8, 2.8, 5.2]
    refs = {r.id: r.citation for r in report.references}
    assert refs["ostelo-2008"] == "Ostelo 2008 citation" and "hatakka-2025" in refs
    assert report.to_dict()["exercise"]["line"] == "0 of 12 sessions"


def test_stale_questionnaires_are_named() -> None:
    odi = ScoreSeries("odi", "ODI (0-100)", "higher_is_worse",
                      (ScorePoint(END - timedelta(days=91), 30),), " points", 10, 30)
    report = build_report(data(scores=(odi,)))
    assert report.scores[0].stale and report.completeness.stale[0].startswith("ODI (0-100): last")
    fresh = ScoreSeries("odi", "ODI (0-100)", "higher_is_worse",
                        (ScorePoint(END - timedelta(days=90), 30),), " points", 10, 30)
    assert not build_report(data(scores=(fresh,))).scores[0].stale
