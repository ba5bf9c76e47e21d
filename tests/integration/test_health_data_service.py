"""Triage history, questionnaire responses and the data export, through the services."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from spinecare.adapters.storage.models import AuditEvent, TriageSession
from spinecare.services.actor import Actor
from spinecare.services.errors import InvalidInput, NotFound, PermissionDenied
from spinecare.services.triage import build_findings

PASSWORD = "correct horse battery"
CAUDA_EQUINA = {"bladder_dysfunction": True, "saddle_anaesthesia": True, "back_pain": True}


def _count(services, model) -> int:  # type: ignore[no-untyped-def]
    with services.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def ana(services) -> Actor:
    user = services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    return Actor(user.id, "patient", "192.0.2.7")


def test_an_anonymous_check_stores_nothing(services) -> None:
    before = (_count(services, TriageSession), _count(services, AuditEvent))
    outcome = services.triage.check(
        Actor.anonymous("192.0.2.1"), build_findings(CAUDA_EQUINA, age=71, sex="male"))
    assert outcome.result.level == "emergency" and outcome.saved_check_id is None
    assert (_count(services, TriageSession), _count(services, AuditEvent)) == before


def test_a_patients_check_is_saved_with_its_knowledge_version(services, ana) -> None:
    findings = build_findings(CAUDA_EQUINA, age=71, sex="male")
    outcome = services.triage.check(ana, findings)
    record = services.triage.get(ana, outcome.saved_check_id)
    assert record.level == "emergency" == outcome.result.level
    assert record.findings == findings.as_dict()
    assert record.knowledge_version == outcome.result.knowledge_version != ""
    # What is stored reads back as the same result object, with the same JSON.
    assert record.result == outcome.result
    assert json.dumps(record.result.to_dict()) == json.dumps(outcome.result.to_dict())


def test_bad_findings_name_the_key_and_store_nothing(services, ana) -> None:
    with pytest.raises(InvalidInput) as caught:
        build_findings({"bladder": True, "leg_pain": 3}, age=71, sex="male")
    problems = caught.value.problems
    assert "bladder_dysfunction" in problems["findings.bladder"]
    assert "true, false" in problems["findings.leg_pain"]
    with pytest.raises(InvalidInput) as conflict:
        build_findings({"age": 50}, age=71)
    assert "findings.age" in conflict.value.problems
    assert _count(services, TriageSession) == 0


def test_someone_elses_check_looks_like_a_missing_one(services, ana) -> None:
    saved = services.triage.check(
        ana, build_findings(CAUDA_EQUINA, age=71, sex="male")).saved_check_id
    ben = services.accounts.create("ben@example.org", PASSWORD, "Ben", "patient")
    with pytest.raises(NotFound) as other:
        services.triage.get(Actor(ben.id, "patient"), saved)
    with pytest.raises(NotFound) as missing:
        services.triage.get(Actor(ben.id, "patient"), saved + 1000)
    assert str(other.value).replace(str(saved), "N") == str(missing.value).replace(
        str(saved + 1000), "N")


ODI = {"pain_intensity": 2, "personal_care": 1, "lifting": 3, "walking": 1, "sitting": 2,
       "standing": 2, "sleeping": 1, "sex_life": None, "social_life": 2, "travelling": 1}


def test_questionnaire_responses_are_scored_and_stored_with_their_versions(services, ana) -> None:
    saved = services.questionnaires.submit(ana, "odi", ODI)
    services.questionnaires.submit(ana, "nrs", {"back": 6})
    odi = services.questionnaires.list(ana, ana.user_id, "odi")
    assert [r.id for r in odi] == [saved.id]
    assert odi[0].answers == ODI and odi[0].definition_version == "2.1a"
    # 15 of 45 points -> 33.33 %, "moderate"; the knowledge version that scored it is kept.
    assert (odi[0].score["score"], odi[0].score["band"]) == (33.33, "moderate")
    assert odi[0].score["knowledge_version"] == "1"
    assert len(services.questionnaires.list(ana, ana.user_id)) == 2
    with pytest.raises(InvalidInput) as unknown:
        services.questionnaires.submit(ana, " ", {})
    assert "instrument_id" in unknown.value.problems
    with pytest.raises(InvalidInput) as bad:
        services.questionnaires.submit(ana, "odi", {**ODI, "lifting": 9})
    assert set(bad.value.problems) == {"answers.lifting"}
    with pytest.raises(PermissionDenied):
        services.questionnaires.submit(Actor(None, "anonymous"), "odi", ODI)
    assert not hasattr(services.questionnaires, "save"), "storing goes through submit only"


def test_export_holds_everything_about_me_and_nothing_about_others(services, ana) -> None:
    services.triage.check(ana, build_findings(CAUDA_EQUINA, age=71, sex="male"))
    services.questionnaires.submit(ana, "odi", ODI)
    ben = Actor(services.accounts.create("ben@example.org", PASSWORD, "Ben", "patient").id,
                "patient")
    services.triage.check(ben, build_findings({"back_pain": True}, age=30, sex="male"))
    data = services.data_rights.export(ana, ana.user_id)
    assert data["account"]["email"] == "ana@example.org"
    assert "password_hash" not in json.dumps(data)
    assert len(data["triage_sessions"]) == 1 and len(data["questionnaire_responses"]) == 1
    assert {s["patient_id"] for s in data["triage_sessions"]} == {ana.user_id}
    assert data["access_log"] and json.loads(json.dumps(data)) == data
    with pytest.raises(PermissionDenied):
        services.data_rights.export(ben, ana.user_id)


def test_ids_beyond_the_database_range_are_simply_not_found(services, ana) -> None:
    huge = 9_223_372_036_854_775_808  # > 64 bits: the driver would overflow
    with pytest.raises(NotFound):
        services.triage.get(ana, huge)
    with pytest.raises(NotFound):
        services.questionnaires.get(ana, 2**31)
    with pytest.raises(PermissionDenied):
        services.triage.history(ana, huge)
    doc = services.accounts.create("doc@example.org", PASSWORD, "Doc", "clinician")
    with pytest.raises(PermissionDenied):
        services.triage.history(Actor(doc.id, "clinician", approved=True), huge)


def test_a_write_for_an_account_deleted_meanwhile_stores_nothing(services, ana) -> None:
    from sqlalchemy.exc import IntegrityError

    services.accounts.delete_account(ana, ana.user_id, password=PASSWORD)
    events = _count(services, AuditEvent)
    # The request's actor was looked up before the deletion (a race): the foreign key
    # refuses the check, and its audit event is rolled back with it.
    with pytest.raises(IntegrityError):
        services.triage.check(ana, build_findings(CAUDA_EQUINA, age=71, sex="male"))
    assert (_count(services, TriageSession), _count(services, AuditEvent)) == (0, events)


def test_both_exports_of_an_account_that_does_not_exist_are_not_found(services) -> None:
    # Only one's own account is exported, and an account id that exists no more (or never
    # did) is not found by either export, JSON or FHIR: one check serves both.
    ghost = Actor(987_654, "patient")
    for export in (services.data_rights.export, services.data_rights.export_fhir):
        with pytest.raises(NotFound, match="No such account"):
            export(ghost, ghost.user_id)
        with pytest.raises(PermissionDenied, match="your own data"):
            export(ghost, ghost.user_id + 1)
