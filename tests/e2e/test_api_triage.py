"""The public triage contract: POST /api/v1/triage and GET /api/v1/health."""

from __future__ import annotations

from sqlalchemy import func, select

from spinecare.storage.models import AuditEvent, TriageSession
from web_fixtures import api_user

CAUDA_EQUINA = {"bladder_dysfunction": True, "saddle_anaesthesia": True, "back_pain": True}


def _checks(client) -> int:  # type: ignore[no-untyped-def]
    with client.app.state.services.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(TriageSession))


def test_health_is_exactly_ok_and_needs_no_database(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from spinecare.bootstrap import build_services
    from spinecare.settings import Settings
    from spinecare.web.app import create_app

    # A database that was never migrated: any query would fail.
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/none.sqlite3",
                        secret_key="k" * 40)
    with TestClient(create_app(settings, build_services(settings))) as client:
        response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_anonymous_triage_returns_the_engines_result_and_stores_nothing(client) -> None:
    response = client.post("/api/v1/triage",
                           json={"age": 71, "sex": "male", "findings": CAUDA_EQUINA})
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == "emergency"
    assert {"level", "conditions", "reasons", "open_questions", "knowledge_version"} <= set(body)
    assert all({"id", "score"} <= set(c) for c in body["conditions"])
    assert body["reasons"] and body["saved_check_id"] is None
    assert _checks(client) == 0
    with client.app.state.services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_a_signed_in_patients_check_goes_to_their_history(client) -> None:
    ana = api_user(client, "ana@example.org")
    response = client.post("/api/v1/triage", headers=ana["headers"],
                           json={"age": 71, "sex": "male", "findings": CAUDA_EQUINA})
    saved = response.json()["saved_check_id"]
    assert isinstance(saved, int)
    history = client.get("/api/v1/me/triage", headers=ana["headers"]).json()
    assert [h["id"] for h in history] == [saved]
    assert history[0]["level"] == "emergency"
    assert history[0]["findings"]["age"] == 71


def test_a_clinicians_check_is_not_saved(client) -> None:
    doc = api_user(client, "doc@example.org", role="clinician")
    response = client.post("/api/v1/triage", headers=doc["headers"], json={"findings": {}})
    assert response.status_code == 200 and response.json()["saved_check_id"] is None
    assert _checks(client) == 0


def test_unknown_finding_keys_are_named_with_a_suggestion(client) -> None:
    response = client.post("/api/v1/triage", json={"findings": {"bladder": True}})
    assert response.status_code == 422
    message = response.json()["errors"]["findings.bladder"]
    assert "not a known finding" in message and "bladder_dysfunction" in message


def test_lax_coercion_is_refused_with_a_message_per_field(client) -> None:
    response = client.post("/api/v1/triage", json={
        "age": "71", "sex": "man", "findings": {"leg_pain": "yes"}, "extra": 1})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["age"] == "must be a whole number of years, got '71'"
    assert "'female'" in errors["sex"] and "'man'" in errors["sex"]
    assert "remove it" in errors["extra"]
    assert client.post("/api/v1/triage", json={"age": True}).status_code == 422
    assert client.post("/api/v1/triage", json={"age": 121}).status_code == 422
    half = client.post("/api/v1/triage", json={"age": 70.5})
    assert half.json()["errors"]["age"] == "must be a whole number of years, got 70.5"
    assert client.post("/api/v1/triage", json={"age": 71.0}).status_code == 200


def test_out_of_range_and_wrong_type_findings_say_the_allowed_values(client) -> None:
    response = client.post("/api/v1/triage", json={"findings": {
        "leg_pain": 3, "walking_distance_m": -5}})
    errors = response.json()["errors"]
    assert "true, false" in errors["findings.leg_pain"]
    assert "out of range" in errors["findings.walking_distance_m"]


def test_invalid_json_is_a_422_not_a_traceback(client) -> None:
    response = client.post("/api/v1/triage", content=b"{not json",
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "Traceback" not in response.text and response.json()["errors"]


def test_an_empty_body_is_a_422_that_asks_for_the_body(client) -> None:
    response = client.post("/api/v1/triage")
    assert response.status_code == 422 and response.json()["errors"] == {"body": "is required"}
    assert client.post("/api/v1/triage", json={}).status_code == 200  # nothing known yet


def test_not_sure_is_never_read_as_no(client) -> None:
    base = {"age": 60, "sex": "male", "findings": {"back_pain": True}}
    unsure = client.post("/api/v1/triage", json={**base, "unsure": ["saddle_anaesthesia"]})
    body = unsure.json()
    assert unsure.status_code == 200 and body["unsure"] == ["saddle_anaesthesia"]
    assert body["level"] in ("urgent", "emergency")
    assert "RF-UNSURE-EMERGENCY-SIGN" in {r["rule_id"] for r in body["reasons"]}
    wrong = client.post("/api/v1/triage", json={**base, "unsure": ["saddle", "back_pain"]})
    errors = wrong.json()["errors"]
    assert "saddle_anaesthesia" in errors["unsure.saddle"]
    assert "give one or the other" in errors["unsure.back_pain"]


def test_a_patients_unsure_answers_are_kept_in_the_history(client) -> None:
    ana = api_user(client, "ana@example.org")
    client.post("/api/v1/triage", headers=ana["headers"], json={
        "findings": {"back_pain": True}, "unsure": ["bladder_dysfunction"]})
    history = client.get("/api/v1/me/triage", headers=ana["headers"]).json()
    assert history[0]["result"]["unsure"] == ["bladder_dysfunction"]
