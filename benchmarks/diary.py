"""Diary speed: the analytics over ten years of daily entries (and, later, the report).

Usage:
    .venv/bin/python benchmarks/diary.py          # readable summary
    .venv/bin/python benchmarks/diary.py --json   # one JSON object

Method: ten years of daily diary days (seeded random: pain with slow drifts and flares,
walking and standing minutes, activities, sitting, sleep, a few injections, some days
missing) and one walking test a month are built once; ``summarise`` is timed over the
whole diary (median of 9 runs after one warm-up). Each measure is one function in
``MEASURES`` returning ``(key, value, human line)``: add a function to add a key.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta

from spinecare.clinical.diary.analytics import summarise
from spinecare.clinical.diary.model import DayRecord, WalkingTestRecord

TODAY = date(2026, 12, 1)
YEARS = 10
REPEATS = 9
ACTIVITIES = ("gardening", "housework", "long_drive", "swimming", "cycling", "shopping",
              "lifting", "yoga", "walking_group", "physio")


def ten_years(seed: int = 11) -> tuple[list[DayRecord], list[WalkingTestRecord]]:
    rng = random.Random(seed)
    start = TODAY - timedelta(days=365 * YEARS)
    days: list[DayRecord] = []
    tests: list[WalkingTestRecord] = []
    level = 5.0
    flare_left = 0
    for k in range((TODAY - start).days + 1):
        day = start + timedelta(days=k)
        level = min(8.0, max(1.0, level + rng.gauss(0, 0.15)))
        if flare_left == 0 and rng.random() < 0.02:
            flare_left = rng.randint(2, 6)
        bump = 3 if flare_left else 0
        flare_left = max(0, flare_left - 1)
        if rng.random() < 0.15:  # a day not logged
            continue

        def nrs(base: float, bump: int = bump) -> int | None:
            return None if rng.random() < 0.05 else max(0, min(10, round(base + bump +
                                                                          rng.gauss(0, 1))))

        days.append(DayRecord(
            day=day, back_pain=nrs(level - 1), leg_pain=nrs(level), neck_pain=nrs(2.0, 0),
            arm_pain=None if rng.random() < 0.5 else nrs(1.0, 0),
            walking_minutes=None if rng.random() < 0.1 else max(0.0, 20 - 2 * level
                                                                   + rng.gauss(0, 3)),
            standing_minutes=None if rng.random() < 0.1 else max(0.0, 15 - level
                                                                    + rng.gauss(0, 2)),
            flare=None if rng.random() < 0.1 else (bool(bump) or rng.random() < 0.05),
            activities=tuple(a for a in ACTIVITIES if rng.random() < 0.2),
            sitting_hours=None if rng.random() < 0.2 else round(rng.uniform(2, 10), 1),
            sleep_quality=None if rng.random() < 0.2 else rng.randint(1, 5),
            epidural_injection=rng.random() < 0.004,
        ))
        if day.day == 1:
            minutes = max(1.0, 25 - 2 * level + rng.gauss(0, 2))
            tests.append(WalkingTestRecord(
                performed_at=datetime(day.year, day.month, day.day, 10, 0),
                duration_seconds=min(1800.0, minutes * 60),
                stopped_because="time_limit" if minutes >= 30 else "symptoms",
                first_symptom_seconds=minutes * 40, distance_m=round(minutes * 70),
                relief=rng.choice(("sit", "bend_forward")), recovery_minutes=3.0))
    return days, tests


def _median_ms(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def analytics_10y() -> tuple[str, float, str]:
    days, tests = ten_years()
    ms = _median_ms(lambda: summarise(days, tests, today=TODAY))
    return ("analytics_10y_ms", round(ms, 2),
            f"summarise over {YEARS} years ({len(days)} days, {len(tests)} walking tests): "
            f"{ms:.1f} ms (median of {REPEATS}; target < 50 ms)")


PDF_REPEATS = 5


def report_1y() -> tuple[str, float, str]:
    """The doctor's report over one year as a PDF: read from a temporary SQLite database
    seeded with a year of diary (the demo's seeded process), walking tests and sessions,
    built and rendered (WeasyPrint), median of PDF_REPEATS runs after one warm-up."""
    import dataclasses
    import tempfile
    from pathlib import Path

    from spinecare.adapters.reports.doctor_report import render_pdf
    from spinecare.adapters.storage import migrate
    from spinecare.bootstrap import bootstrap
    from spinecare.services.actor import Actor
    from spinecare.services.demo_diary import ANA_STORY, diary_rows
    from spinecare.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/b.sqlite3",
                            secret_key="benchmark-secret-key-0123456789abcdef")
        app = bootstrap(settings)
        try:
            services = app.services
            migrate.upgrade(services.db)
            user = services.accounts.create("bench@example.org", "quiet harbour lantern 7",
                                            "Bench Patient", "patient")
            story = dataclasses.replace(ANA_STORY, days=365, programme_started_days_ago=300)
            entries, tests, sessions, profile, questions = diary_rows(story, user.id, TODAY)
            with services.db.unit_of_work() as repos:
                for row in (*entries, *tests, *sessions, profile, *questions):
                    repos.session.add(row)
            actor = Actor(user.id, "patient")
            start = TODAY - timedelta(days=364)

            def once() -> bytes:
                return render_pdf(services.report.build(actor, user.id, start, TODAY, TODAY))

            seconds = _median_ms(once, PDF_REPEATS) / 1000
        finally:
            app.close()
    return ("report_1y_s", round(seconds, 3),
            f"doctor's report PDF over 1 year ({len(entries)} days, {len(tests)} walking tests, "
            f"{len(sessions)} sessions) from SQLite: {seconds:.2f} s (median of {PDF_REPEATS})")


# Each measure returns (JSON key, value, human line). Add a function here to add a key.
MEASURES: list[Callable[[], tuple[str, float, str]]] = [analytics_10y, report_1y]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [measure() for measure in MEASURES]
    if args.json:
        print(json.dumps({key: value for key, value, _ in results}))
    else:
        for _, _, line in results:
            print(line)


if __name__ == "__main__":
    main()
