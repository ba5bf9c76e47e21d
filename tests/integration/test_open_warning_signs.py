"""One open-warning-sign rule (DIARY-OPEN-SIGN) on SQLite and PostgreSQL: the clinician's
list, the exercise programme's pause and the doctor's report read the same items (diary
signs and saved checks at urgent or emergency, the last 14 UTC days); a check the diary ran
counts from its diary day, so importing a years-old sign pauses nothing today; and the
report always shows the signs open now, whatever period was chosen (the PDF too)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from spinecare.adapters.reports.doctor_report import render_pdf
from spinecare.services.actor import Actor
from spinecare.services.diary import open_warning_signs, today_utc
from spinecare.services.diary_csv import write_csv
from spinecare.services.diary_fields import EntryFields
from spinecare.services.triage import build_findings

PASSWORD = "correct horse battery"
SADDLE = "Numbness between your legs, around your bottom or genitals, or on the inner thighs"


@pytest.fixture
def ana(services) -> Actor:  # type: ignore[no-untyped-def]
    user = services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    actor = Actor(user.id, "patient", "192.0.2.7")
    services.exercise.choose_condition(actor, "lumbar_spinal_stenosis",
                                       today=today_utc() - timedelta(days=30))
    return actor


@pytest.fixture
def doctor(services, ana) -> Actor:  # type: ignore[no-untyped-def]
    user = services.accounts.create("doc@example.org", PASSWORD, "Dr Doc", "clinician")
    services.accounts.set_approved(Actor.system(), user.id)
    with services.db.unit_of_work() as repos:
        repos.grants.add(ana.user_id, user.id)
    return Actor(user.id, "clinician", "192.0.2.8")


def _open(services, patient_id: int):  # type: ignore[no-untyped-def]
    with services.db.unit_of_work(write=False) as repos:
        return open_warning_signs(repos, patient_id)


def test_importing_a_years_old_sign_pauses_nothing_today(services, ana, doctor) -> None:  # type: ignore[no-untyped-def]
    old_day = today_utc() - timedelta(days=3 * 365)
    text = write_csv([(old_day, EntryFields(leg_pain=6,
                                            warning_signs=("saddle_anaesthesia",)))])
    imported = services.diary.import_csv(ana, ana.user_id, text)
    # The import ran the check today (a saved check at emergency, source "diary") ...
    assert [c.result.level.value for c in imported.warning_checks] == ["emergency"]
    # ... but the sign is three years old: nothing is open, the plan is not paused.
    assert _open(services, ana.user_id) == []
    plan = services.exercise.plan(ana, ana.user_id)
    assert plan.warning_sign_open is False
    assert plan.programme.status.value != "paused_warning_sign"
    assert services.care_team.my_patients(doctor)[0].open_signs == []
    # The old day's report lists it in its period, dated by the diary day.
    report = services.report.build(ana, ana.user_id, start=old_day - timedelta(days=5),
                                   end=old_day + timedelta(days=5))
    assert [(w.day, w.sign) for w in report.warnings] == [(old_day, "saddle_anaesthesia")]
    assert report.open_now == ()


def test_the_list_the_pause_and_the_report_read_the_same_signs(services, ana, doctor) -> None:  # type: ignore[no-untyped-def]
    today = today_utc()
    services.diary.save_entry(ana, today - timedelta(days=2),
                              {"leg_pain": 6, "warning_signs": ["saddle_anaesthesia"]})
    # A symptom check (not from the diary) that advised emergency care.
    services.triage.save(ana, build_findings({"back_pain": True, "bladder_dysfunction": True,
                                              "saddle_anaesthesia": True},
                                             age=60, sex="female"))
    items = _open(services, ana.user_id)
    assert [(i.day, i.source) for i in items] == [(today, "check"),
                                                 (today - timedelta(days=2), "diary")]
    assert items[0].label == "Symptom check: emergency care advised"
    assert items[1].label == SADDLE  # the diary's own check is not listed twice
    listed = services.care_team.my_patients(doctor)[0]
    assert listed.open_signs == items
    assert listed.open_warning_signs == [i.label for i in items]
    assert services.exercise.plan(ana, ana.user_id).warning_sign_open is True
    report = services.report.build(ana, ana.user_id)
    assert list(report.open_now) == items


def test_a_check_alone_is_on_the_clinicians_list(services, ana, doctor) -> None:  # type: ignore[no-untyped-def]
    services.triage.save(ana, build_findings({"back_pain": True, "bladder_dysfunction": True,
                                              "saddle_anaesthesia": True},
                                             age=60, sex="female"))
    listed = services.care_team.my_patients(doctor)[0]
    assert listed.open_warning_signs == ["Symptom check: emergency care advised"]


def test_the_report_shows_signs_open_now_whatever_the_period(services, ana, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    today = today_utc()
    services.diary.save_entry(ana, today, {"leg_pain": 6,
                                           "warning_signs": ["saddle_anaesthesia"]})
    last_month_end = today.replace(day=1) - timedelta(days=1)
    report = services.report.build(ana, ana.user_id, start=last_month_end - timedelta(days=27),
                                   end=last_month_end)
    assert report.warnings == ()  # nothing logged in the chosen period ...
    assert [(w.day, w.sign) for w in report.open_now] == [(today, "saddle_anaesthesia")]
    assert report.to_dict()["open_now"][0]["label"] == SADDLE  # ... but open now
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(report))
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Warning signs open now (1)" in text
    assert "Numbness between your legs" in text
    assert "none logged in the diary or symptom checks in this period" in text
