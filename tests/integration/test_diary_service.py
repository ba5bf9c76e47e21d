"""The diary service on SQLite and PostgreSQL: one entry a day (saving again replaces it),
warning signs run the check in the same transaction, who may read and write, audit, the
summary, CSV import all-or-nothing, walking tests and visit questions, exports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from spinecare.adapters.fhir import validate_resource
from spinecare.adapters.storage.models import DiaryEntry, TriageSession
from spinecare.services.actor import Actor
from spinecare.services.diary import today_utc
from spinecare.services.errors import InvalidInput, NotFound, PermissionDenied

PASSWORD = "correct horse battery"


def _count(services, model) -> int:  # type: ignore[no-untyped-def]
    with services.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def ana(services) -> Actor:
    user = services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    return Actor(user.id, "patient", "192.0.2.7")


@pytest.fixture
def doctor(services, ana) -> Actor:
    user = services.accounts.create("doc@example.org", PASSWORD, "Dr Doc", "clinician")
    services.accounts.set_approved(Actor.system(), user.id)
    with services.db.unit_of_work() as repos:
        repos.grants.add(ana.user_id, user.id)
    return Actor(user.id, "clinician", "192.0.2.8")


def test_saving_a_day_twice_replaces_it_and_both_are_audited(services, ana) -> None:
    today = today_utc()
    first = services.diary.save_entry(ana, today, {"back_pain": 3, "leg_pain": 5})
    again = services.diary.save_entry(ana, today.isoformat(), {"back_pain": 6})
    assert (first.replaced, again.replaced) == (False, True)
    assert again.entry.id == first.entry.id
    stored = services.diary.entry(ana, ana.user_id, today)
    assert stored.fields.back_pain == 6 and stored.fields.leg_pain is None  # replaced whole
    assert _count(services, DiaryEntry) == 1
    with services.db.unit_of_work(write=False) as repos:
        actions = [(e.action, e.resource) for e in repos.audit.about_patient(ana.user_id)]
    assert ("create", "diary_entry") in actions and ("update", "diary_entry") in actions
    assert ("read", "diary_entry") in actions


def test_a_warning_sign_runs_the_check_and_links_it_in_one_go(services, ana) -> None:
    saved = services.diary.save_entry(ana, today_utc(), {
        "leg_pain": 7, "warning_signs": ["saddle_anaesthesia"]})
    check = saved.warning_check
    assert check is not None and check.result.level.value == "emergency"
    assert saved.entry.triage_session_id == check.saved_check_id
    record = services.triage.get(ana, check.saved_check_id)
    assert record.level == "emergency" and record.findings["saddle_anaesthesia"] is True
    assert record.findings["leg_pain_score"] == 7  # the day's own rating, nothing invented
    assert "age" not in record.findings and "sex" not in record.findings
    with services.db.transaction() as session:
        assert session.scalar(select(TriageSession.source)) == "diary"
    # Saving the same signs again does not start a second check.
    same = services.diary.save_entry(ana, today_utc(), {
        "leg_pain": 6, "warning_signs": ["saddle_anaesthesia"]})
    assert same.warning_check is None and same.entry.triage_session_id == check.saved_check_id
    assert _count(services, TriageSession) == 1


def test_a_bad_entry_stores_nothing(services, ana) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.diary.save_entry(ana, today_utc(), {"back_pain": 11,
                                                     "warning_signs": ["fever"]})
    assert "back_pain" in caught.value.problems
    with pytest.raises(InvalidInput):
        services.diary.save_entry(ana, today_utc() + timedelta(days=1), {"back_pain": 1})
    assert (_count(services, DiaryEntry), _count(services, TriageSession)) == (0, 0)


def test_only_the_patient_writes_a_granted_clinician_reads(services, ana, doctor) -> None:
    services.diary.save_entry(ana, today_utc(), {"back_pain": 4})
    with pytest.raises(PermissionDenied):
        services.diary.save_entry(doctor, today_utc(), {"back_pain": 1})
    assert services.diary.summary(doctor, ana.user_id).mean("back").n_7d == 1
    assert [e.fields.back_pain for e in services.diary.entries(doctor, ana.user_id)] == [4]
    ben = services.accounts.create("ben@example.org", PASSWORD, "Ben", "patient")
    with pytest.raises(PermissionDenied):
        services.diary.entries(Actor(ben.id, "patient"), ana.user_id)
    with pytest.raises(NotFound):
        services.diary.delete_entry(Actor(ben.id, "patient"), today_utc())


def test_the_summary_maps_rows_to_the_core(services, ana) -> None:
    today = today_utc()
    for n in range(10):
        services.diary.save_entry(ana, today - timedelta(days=n), {
            "back_pain": 4, "leg_pain": 6, "epidural_injection": n in (1, 4, 7, 9)})
    services.diary.add_walking_test(ana, {"duration_seconds": 600, "stopped_because": "symptoms",
                                          "distance_m": 400})
    summary = services.diary.summary(ana, ana.user_id, today=today)
    assert summary.mean("leg").mean_7d == 6
    assert summary.epidural.injections_12m == 4 and summary.epidural.caution
    assert summary.walking.tests[0].metres == 400
    assert summary.to_dict()["completeness"]["days_logged"] == 10


def test_csv_import_is_all_or_nothing_and_replaces_days(services, ana) -> None:
    today = today_utc()
    services.diary.save_entry(ana, today - timedelta(days=2), {"back_pain": 9})
    good = ("date,back_pain,leg_pain\n"
            f"{(today - timedelta(days=2)).isoformat()},2,3\n"
            f"{(today - timedelta(days=1)).isoformat()},4,5\n")
    bad = good + "2020-02-30,1,1\n"
    with pytest.raises(InvalidInput) as caught:
        services.diary.import_csv(ana, ana.user_id, bad)
    assert "line 4" in caught.value.problems
    assert [e.fields.back_pain for e in services.diary.entries(ana, ana.user_id)] == [9]
    result = services.diary.import_csv(ana, ana.user_id, good)
    assert (result.added, result.replaced) == (1, 1)
    assert [e.fields.back_pain for e in services.diary.entries(ana, ana.user_id)] == [2, 4]
    exported = services.diary.export_csv(ana, ana.user_id)
    assert exported.splitlines()[1].startswith(f"{(today - timedelta(days=2)).isoformat()},2,3,")
    with pytest.raises(PermissionDenied):
        services.diary.export_csv(Actor(ana.user_id + 99, "patient"), ana.user_id)
    assert "2,3" in services.diary.export_csv(Actor.system(), ana.user_id)


def test_walking_tests_and_visit_questions(services, ana) -> None:
    when = datetime.now(UTC) - timedelta(hours=1)
    test = services.diary.add_walking_test(ana, {
        "performed_at": when.isoformat(), "duration_seconds": "754.2",
        "first_symptom_seconds": 200, "stopped_because": "symptoms", "relief": "sit",
        "recovery_minutes": 3})
    assert [t.id for t in services.diary.walking_tests(ana, ana.user_id)] == [test.id]
    question = services.diary.add_visit_question(ana, "  Can I keep cycling?  ")
    assert question.text == "Can I keep cycling?"
    services.diary.mark_visit_question_done(ana, question.id)
    assert services.diary.visit_questions(ana, ana.user_id) == []
    assert len(services.diary.visit_questions(ana, ana.user_id, include_done=True)) == 1
    services.diary.delete_walking_test(ana, test.id)
    with pytest.raises(NotFound):
        services.diary.delete_walking_test(ana, test.id)


def test_exports_include_the_diary(services, ana) -> None:
    services.diary.save_entry(ana, date(2026, 1, 5), {"back_pain": 5, "flare": True})
    services.diary.add_walking_test(ana, {"duration_seconds": 300, "stopped_because": "tired"})
    services.diary.add_visit_question(ana, "What about surgery?")
    data = services.data_rights.export(ana, ana.user_id)
    assert data["diary_entries"][0]["back_pain"] == 5
    assert data["walking_tests"][0]["stopped_because"] == "tired"
    assert data["visit_questions"][0]["text"] == "What about surgery?"
    bundle = services.data_rights.export_fhir(ana, ana.user_id)
    validate_resource(bundle, "Bundle")
    codes = [c["code"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
             for c in e["resource"]["code"]["coding"]]
    assert "72514-3" in codes and "self-paced-walking-test" in codes


def test_clinician_list_puts_an_open_diary_warning_sign_first(services, ana, doctor) -> None:
    other = services.accounts.create("cara@example.org", PASSWORD, "Cara", "patient")
    with services.db.unit_of_work() as repos:
        repos.grants.add(other.id, doctor.user_id)
    services.diary.save_entry(ana, today_utc() - timedelta(days=3),
                              {"warning_signs": ["fever"]})
    patients = services.care_team.my_patients(doctor)
    assert [p.name for p in patients] == ["Ana", "Cara"]
    assert patients[0].open_warning_signs == ["Fever, chills or shivering with your back pain"]
    assert patients[1].open_warning_signs == []
    with services.db.unit_of_work(write=False) as repos:
        details = [e.detail for e in repos.audit.recent(200)]
    assert not any("saddle" in d or "fever" in d.lower() for d in details)
