"""The sharing flow through the API: grant, the clinician sees, revoke, the clinician does not."""

from __future__ import annotations

from web_fixtures import api_user

EMERGENCY = {"bladder_dysfunction": True, "saddle_anaesthesia": True, "back_pain": True}


def test_grant_then_revoke_controls_what_the_clinician_sees(client) -> None:
    ana = api_user(client, "ana@example.org", name="Ana")
    doc = api_user(client, "doc@example.org", role="clinician", name="Dr Doc")
    client.post("/api/v1/triage", headers=ana["headers"],
                json={"age": 70, "sex": "female", "findings": EMERGENCY})
    history_url = f"/api/v1/patients/{ana['id']}/triage"
    assert client.get(history_url, headers=doc["headers"]).status_code == 403

    listed = client.get("/api/v1/clinicians", headers=ana["headers"]).json()
    assert [c["email"] for c in listed] == ["doc@example.org"]
    grant = client.post("/api/v1/me/care-team", headers=ana["headers"],
                        json={"clinician_email": "doc@example.org"})
    assert grant.status_code == 201 and grant.json()["active"] is True

    patients = client.get("/api/v1/clinician/patients", headers=doc["headers"]).json()
    assert [(p["name"], p["latest_level"]) for p in patients] == [("Ana", "emergency")]
    history = client.get(history_url, headers=doc["headers"])
    assert history.status_code == 200 and len(history.json()) == 1

    revoke = client.delete(f"/api/v1/me/care-team/{doc['id']}", headers=ana["headers"])
    assert revoke.status_code == 204
    assert client.get(history_url, headers=doc["headers"]).status_code == 403
    assert client.get("/api/v1/clinician/patients", headers=doc["headers"]).json() == []

    log = client.get("/api/v1/me/access-log", headers=ana["headers"]).json()
    doc_reads = [e for e in log if e["actor_name"] == "Dr Doc" and e["action"] == "read"]
    assert {e["resource"] for e in doc_reads} == {"patient_summary", "triage_history"}
    assert all(e["ip"] and e["at"] for e in doc_reads)


def test_an_unapproved_clinician_is_refused_with_a_reason(client) -> None:
    client.post("/api/v1/auth/register", json={
        "email": "new@example.org", "password": "correct horse battery", "name": "New",
        "role": "clinician"})
    mailbox = client.app.state.test_mailbox
    confirmed = client.post("/api/v1/auth/verify", json={"token": mailbox.token("new@example.org")})
    assert confirmed.json()["approved"] is False
    token = client.post("/api/v1/auth/login", json={
        "email": "new@example.org", "password": "correct horse battery"}).json()["access_token"]
    refused = client.get("/api/v1/clinician/patients",
                         headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403 and "approval" in refused.json()["detail"]


def test_an_admin_approves_clinicians_but_reads_no_health_data(client) -> None:
    from spinecare.services.actor import Actor

    services = client.app.state.spinecare.services
    admin = services.accounts.create_admin("root@example.org", "correct horse battery", "Root")
    token = client.post("/api/v1/auth/login", json={
        "email": "root@example.org", "password": "correct horse battery"}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    client.post("/api/v1/auth/register", json={
        "email": "new@example.org", "password": "correct horse battery", "name": "New",
        "role": "clinician"})
    mailbox = client.app.state.test_mailbox
    new = client.post("/api/v1/auth/verify",
                      json={"token": mailbox.token("new@example.org")}).json()
    approved = client.post(f"/api/v1/admin/users/{new['id']}/approve", headers=headers)
    assert approved.status_code == 200 and approved.json()["approved"] is True

    ana = api_user(client, "ana@example.org")
    # Least privilege (security review finding 3): accounts, not care.
    assert client.get(f"/api/v1/patients/{ana['id']}/triage", headers=headers).status_code == 403
    log = services.audit.for_patient(Actor(ana["id"], "patient"), ana["id"])
    assert [e for e in log if e.actor_id == admin.id] == []


def test_questionnaires_are_scored_stored_and_shared_with_the_care_team(client) -> None:
    ana = api_user(client, "ana@example.org", name="Ana")
    doc = api_user(client, "doc@example.org", role="clinician")
    answers = {"pain_intensity": 2, "personal_care": 1, "lifting": 3, "walking": 2, "sitting": 3,
               "standing": 2, "sleeping": 2, "sex_life": 1, "social_life": 2, "travelling": 3}
    saved = client.post("/api/v1/me/questionnaires", headers=ana["headers"],
                        json={"instrument_id": "odi", "answers": answers})
    assert saved.status_code == 201
    record = saved.json()
    # ODI: 21 points of 50 answered → 42 % (Fairbank 2000 scoring).
    assert record["score"]["score"] == 42 and record["definition_version"] == "2.1a"
    bad = client.post("/api/v1/me/questionnaires", headers=ana["headers"],
                      json={"instrument_id": "odi", "answers": {"lifting": 9, "bogus": 1}})
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"answers.lifting", "answers.bogus"}
    unknown = client.post("/api/v1/me/questionnaires", headers=ana["headers"],
                          json={"instrument_id": "xyz", "answers": {}})
    assert unknown.status_code == 422 and "odi" in unknown.json()["errors"]["instrument_id"]

    url = f"/api/v1/questionnaires/responses/{record['id']}"
    assert client.get(url, headers=doc["headers"]).status_code == 404
    client.post("/api/v1/me/care-team", headers=ana["headers"],
                json={"clinician_email": "doc@example.org"})
    assert client.get(url, headers=doc["headers"]).json()["score"]["score"] == 42
    patients = client.get("/api/v1/clinician/patients", headers=doc["headers"]).json()
    assert patients[0]["latest_scores"]["odi"]["score"]["score"] == 42


def test_my_questionnaires_download_as_a_fhir_bundle(client) -> None:
    from fhir.resources.R4B.bundle import Bundle

    ana = api_user(client, "ana@example.org", name="Ana")
    client.post("/api/v1/me/questionnaires", headers=ana["headers"],
                json={"instrument_id": "nrs", "answers": {"back": 4, "leg": 6}})
    response = client.get("/api/v1/me/export.fhir", headers=ana["headers"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    bundle = Bundle.model_validate(response.json())  # a valid R4 Bundle
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert "Patient" in kinds and "QuestionnaireResponse" in kinds
