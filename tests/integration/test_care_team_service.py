"""Care team: grant, revoke, who sees whom, red flags first, and the audit trail."""

from __future__ import annotations

import pytest

from spinecare.services.actor import Actor
from spinecare.services.errors import Conflict, NotFound, PermissionDenied
from spinecare.services.triage import build_findings

PASSWORD = "correct horse battery"
EMERGENCY = {"bladder_dysfunction": True, "saddle_anaesthesia": True, "back_pain": True}
MILD = {"back_pain": True, "pain_mechanical": True, "duration_weeks": 1, "fever": False,
        "bladder_dysfunction": False, "saddle_anaesthesia": False, "bowel_dysfunction": False,
        "history_of_cancer": False, "trauma_recent": False, "unexplained_weight_loss": False}


@pytest.fixture
def people(services):  # type: ignore[no-untyped-def]
    def patient(email: str) -> Actor:
        user = services.accounts.create(email, PASSWORD, email.split("@")[0], "patient")
        return Actor(user.id, "patient", "10.0.0.5")

    doc = services.accounts.create("doc@example.org", PASSWORD, "Dr Doc", "clinician")
    services.accounts.set_approved(Actor.system(), doc.id)
    return {
        "ana": patient("ana@example.org"),
        "ben": patient("ben@example.org"),
        "doc": Actor(doc.id, "clinician", "10.0.0.9", approved=True),
    }


def test_a_clinician_sees_a_patient_only_while_access_is_granted(services, people) -> None:
    ana, doc = people["ana"], people["doc"]
    services.triage.check(ana, build_findings(MILD, age=40, sex="female"))
    with pytest.raises(PermissionDenied):
        services.triage.history(doc, ana.user_id)
    services.care_team.grant(ana, "DOC@example.org")
    assert len(services.triage.history(doc, ana.user_id)) == 1
    assert [p.id for p in services.care_team.my_patients(doc)] == [ana.user_id]
    services.care_team.revoke(ana, doc.user_id)
    with pytest.raises(PermissionDenied):
        services.triage.history(doc, ana.user_id)
    assert services.care_team.my_patients(doc) == []
    grants = services.care_team.grants_of(ana, ana.user_id)
    assert len(grants) == 1 and grants[0].revoked_at is not None


def test_a_grant_covers_only_the_patient_who_gave_it(services, people) -> None:
    services.care_team.grant(people["ana"], "doc@example.org")
    services.triage.check(people["ben"], build_findings(MILD, age=40, sex="male"))
    with pytest.raises(PermissionDenied):
        services.triage.history(people["doc"], people["ben"].user_id)
    with pytest.raises(PermissionDenied):
        services.triage.history(people["ben"], people["ana"].user_id)


def test_an_unapproved_clinician_sees_no_one_even_with_a_grant(services, people) -> None:
    new = services.accounts.create("new@example.org", PASSWORD, "New", "clinician")
    services.care_team.grant(people["ana"], "new@example.org")
    unapproved = Actor(new.id, "clinician", approved=False)
    with pytest.raises(PermissionDenied):
        services.triage.history(unapproved, people["ana"].user_id)
    with pytest.raises(PermissionDenied):
        services.care_team.my_patients(unapproved)


def test_grant_errors_say_what_to_do(services, people) -> None:
    with pytest.raises(NotFound, match="Check the spelling"):
        services.care_team.grant(people["ana"], "nobody@example.org")
    with pytest.raises(NotFound):  # a patient is not a clinician
        services.care_team.grant(people["ana"], "ben@example.org")
    services.care_team.grant(people["ana"], "doc@example.org")
    with pytest.raises(Conflict):
        services.care_team.grant(people["ana"], "doc@example.org")
    with pytest.raises(PermissionDenied):
        services.care_team.grant(people["doc"], "doc@example.org")


def test_patients_with_red_flags_come_first(services, people) -> None:
    ana, ben, doc = people["ana"], people["ben"], people["doc"]
    services.triage.check(ben, build_findings(MILD, age=40, sex="male"))
    services.triage.check(ana, build_findings(EMERGENCY, age=60, sex="female"))
    services.triage.check(ben, build_findings(MILD, age=40, sex="male"))  # Ben is more recent
    for patient in (ben, ana):
        services.care_team.grant(patient, "doc@example.org")
    summaries = services.care_team.my_patients(doc)
    assert [s.id for s in summaries] == [ana.user_id, ben.user_id]
    assert summaries[0].latest_level == "emergency"
    assert summaries[1].checks == 2


def test_every_read_and_write_is_in_the_patients_access_log(services, people) -> None:
    ana, doc = people["ana"], people["doc"]
    check_id = services.triage.check(ana, build_findings(MILD, age=40, sex="female")).saved_check_id
    services.care_team.grant(ana, "doc@example.org")
    services.triage.get(doc, check_id)
    log = services.audit.for_patient(ana, ana.user_id)
    newest = log[0]
    assert (newest.actor_name, newest.actor_role, newest.action, newest.resource) == (
        "Dr Doc", "clinician", "read", "triage_session")
    assert newest.resource_id == str(check_id) and newest.ip == "10.0.0.9"
    assert {(e.action, e.resource) for e in log} >= {
        ("create", "triage_session"), ("create", "care_team_grant"), ("create", "account")}
    with pytest.raises(PermissionDenied):
        services.audit.for_patient(doc, ana.user_id)
