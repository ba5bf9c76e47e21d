"""A clinician-rated instrument (mJOA) cannot be recorded by the patient; a clinician the
patient shared their record with can. The service holds the rule; each door says why."""

from __future__ import annotations

import re

from web_fixtures import API_PASSWORD, api_user

MJOA = {"instrument_id": "mjoa",
        "answers": {"ue_motor": 4, "le_motor": 5, "ue_sensory": 2, "sphincter": 3}}
NRS = {"instrument_id": "nrs", "answers": {"back": 4, "leg": 6}}


def _share(client, patient: dict, clinician: dict) -> None:  # type: ignore[no-untyped-def]
    grant = client.post("/api/v1/me/care-team", headers=patient["headers"],
                        json={"clinician_email": clinician["email"]})
    assert grant.status_code == 201, grant.text


def test_a_patient_cannot_submit_the_mjoa_through_the_api(client) -> None:
    ana = api_user(client, "ana@example.org", name="Ana")
    refused = client.post("/api/v1/me/questionnaires", headers=ana["headers"], json=MJOA)
    assert refused.status_code == 403
    assert "rated by a clinician who examines you" in refused.json()["detail"]
    assert "Ask your clinician to record it" in refused.json()["detail"]
    # Patient-reported instruments still work, and nothing was stored for the mJOA.
    assert client.post("/api/v1/me/questionnaires", headers=ana["headers"],
                       json=NRS).status_code == 201
    mine = client.get(f"/api/v1/patients/{ana['id']}/questionnaires",
                      headers=ana["headers"]).json()
    assert [r["instrument_id"] for r in mine] == ["nrs"]
    # Nor through the clinician's route, for themself.
    assert client.post(f"/api/v1/patients/{ana['id']}/questionnaires",
                       headers=ana["headers"], json=MJOA).status_code == 403


def test_a_clinician_with_a_grant_records_the_mjoa(client) -> None:
    ana = api_user(client, "ana@example.org", name="Ana")
    doc = api_user(client, "doc@example.org", role="clinician", name="Dr Doc")
    url = f"/api/v1/patients/{ana['id']}/questionnaires"
    assert client.post(url, headers=doc["headers"], json=MJOA).status_code == 403  # no grant
    _share(client, ana, doc)
    recorded = client.post(url, headers=doc["headers"], json=MJOA)
    assert recorded.status_code == 201, recorded.text
    body = recorded.json()
    assert body["instrument_id"] == "mjoa" and body["score"]["score"] == 14
    # It is in the patient's own record, and the patient sees it.
    seen = client.get(url, headers=ana["headers"]).json()
    assert [r["instrument_id"] for r in seen] == ["mjoa"]
    # A clinician does not fill in the patient's own questionnaires.
    nrs = client.post(url, headers=doc["headers"], json=NRS)
    assert nrs.status_code == 403
    # The patient's access log names who recorded it.
    log = client.get("/api/v1/me/access-log", headers=ana["headers"]).json()
    assert any(e["actor_name"] == "Dr Doc" and e["action"] == "create" for e in log)


def test_a_clinician_without_a_grant_or_another_patient_is_refused(client) -> None:
    ana = api_user(client, "ana@example.org", name="Ana")
    ben = api_user(client, "ben@example.org", name="Ben")
    doc = api_user(client, "doc@example.org", role="clinician", name="Dr Doc")
    _share(client, ana, doc)
    other = client.post(f"/api/v1/patients/{ben['id']}/questionnaires", headers=doc["headers"],
                        json=MJOA)
    assert other.status_code == 403
    assert client.get(f"/api/v1/patients/{ben['id']}/questionnaires",
                      headers=ben["headers"]).json() == []


def _web_sign_in(client, email: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/signin")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    signed_in = client.post("/signin", data={"email": email, "password": API_PASSWORD,
                                             "csrf_token": csrf}, follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text


def test_the_page_hides_the_mjoa_from_patients_and_explains_a_direct_link(client) -> None:
    api_user(client, "ana@example.org", name="Ana")
    _web_sign_in(client, "ana@example.org")
    listing = client.get("/questionnaires").text
    assert "/questionnaires/nrs" in listing and "/questionnaires/mjoa" not in listing
    form = client.get("/questionnaires/mjoa")
    assert form.status_code == 403
    assert "Your clinician fills this in" in form.text
    assert "rated by a clinician who examines you" in form.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/questionnaires/nrs")
                     .text).group(1)
    posted = client.post("/questionnaires/mjoa", data={
        "item-ue_motor": "4", "item-le_motor": "5", "item-ue_sensory": "2",
        "item-sphincter": "3", "csrf_token": csrf})
    assert posted.status_code == 403 and "Your clinician fills this in" in posted.text
