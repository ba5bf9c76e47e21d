"""POST /api/v1/me/questionnaires: a total from a paper form (the ``paper`` body), and a
blank form refused with 422, nothing stored."""

from __future__ import annotations

from web_fixtures import api_user

URL = "/api/v1/me/questionnaires"


def _mine(client, user) -> list:  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/patients/{user['id']}/questionnaires",
                      headers=user["headers"]).json()


def test_a_paper_total_is_scored_and_trended(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org", name="Ana")
    first = client.post(URL, headers=ana["headers"], json={
        "instrument_id": "odi", "paper": {"total": 30, "completed_on": "2025-01-15"}})
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["answers"]["_entered_as"] == "total"
    assert (body["score"]["score"], body["score"]["band"]) == (60, "severe")
    assert body["created_at"].startswith("2025-01-15")
    later = client.post(URL, headers=ana["headers"], json={
        "instrument_id": "odi", "paper": {"total": 18, "answered": 9}})
    assert later.status_code == 201 and later.json()["score"]["score"] == 40
    assert [r["id"] for r in _mine(client, ana)] == [later.json()["id"], body["id"]]
    zcq = client.post(URL, headers=ana["headers"], json={
        "instrument_id": "zcq",
        "paper": {"subscales": {"symptom_severity": 2.71, "physical_function": 2}}})
    assert zcq.status_code == 201, zcq.text
    assert zcq.json()["score"]["subscales"]["symptom_severity"] == 2.71


def test_a_total_out_of_range_says_the_range(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org", name="Ana")
    refused = client.post(URL, headers=ana["headers"], json={
        "instrument_id": "ndi", "paper": {"total": 51}})
    assert refused.status_code == 422
    assert "a whole number from 0 to 50" in refused.json()["errors"]["total"]
    future = client.post(URL, headers=ana["headers"], json={
        "instrument_id": "ndi", "paper": {"total": 10, "completed_on": "2999-01-01"}})
    assert future.status_code == 422 and "future" in future.json()["errors"]["completed_on"]
    both = client.post(URL, headers=ana["headers"], json={
        "instrument_id": "ndi", "answers": {"lifting": 1}, "paper": {"total": 10}})
    assert both.status_code == 422
    assert _mine(client, ana) == []


def test_a_patient_cannot_record_a_paper_mjoa_but_a_granted_clinician_can(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org", name="Ana")
    doc = api_user(client, "doc@example.org", role="clinician", name="Dr Doc")
    mjoa = {"instrument_id": "mjoa", "paper": {"total": 13}}
    assert client.post(URL, headers=ana["headers"], json=mjoa).status_code == 403
    client.post("/api/v1/me/care-team", headers=ana["headers"],
                json={"clinician_email": doc["email"]})
    recorded = client.post(f"/api/v1/patients/{ana['id']}/questionnaires",
                           headers=doc["headers"], json=mjoa)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["score"]["band"] == "moderate"


def test_a_blank_form_is_refused_with_422_and_nothing_is_stored(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org", name="Ana")
    for answers in ({}, {"back": None, "leg": None, "neck": None, "arm": None}):
        refused = client.post(URL, headers=ana["headers"],
                              json={"instrument_id": "nrs", "answers": answers})
        assert refused.status_code == 422, refused.text
        assert "No answers were given" in refused.json()["errors"]["answers"]
    assert _mine(client, ana) == []


def test_the_schema_documents_the_paper_variant(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/openapi.json").json()
    text = str(schema)
    assert "a total from a paper form" in text
