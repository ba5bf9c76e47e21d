"""Who sees health data, and what the audit log keeps (security review findings 3 and 17).

An administrator manages accounts, not care: without a grant (and admins cannot hold one)
every health-data route answers them exactly as it answers a clinician without a grant.
"""

from __future__ import annotations

import re

from spinecare.entrypoints.web.auth import SESSION_COOKIE
from web_fixtures import API_PASSWORD, api_user

EMERGENCY = {"bladder_dysfunction": True, "saddle_anaesthesia": True, "back_pain": True}


def _admin(client) -> dict:  # type: ignore[no-untyped-def]
    services = client.app.state.spinecare.services
    admin = services.accounts.create_admin("root@example.org", API_PASSWORD, "Root")
    token = client.post("/api/v1/auth/login", json={
        "email": "root@example.org", "password": API_PASSWORD}).json()["access_token"]
    return {"id": admin.id, "headers": {"Authorization": f"Bearer {token}"}}


def _patient_with_data(client) -> tuple[dict, int, int]:  # type: ignore[no-untyped-def]
    """Ana, with one saved emergency check and one questionnaire; shared with nobody."""
    ana = api_user(client, "ana@example.org", name="Ana")
    check = client.post("/api/v1/triage", headers=ana["headers"],
                        json={"age": 70, "sex": "female", "findings": EMERGENCY}).json()
    saved = client.post("/api/v1/me/questionnaires", headers=ana["headers"],
                        json={"instrument_id": "nrs", "answers": {"back": 4, "leg": 6}})
    return ana, check["saved_check_id"], saved.json()["id"]


def _web_sign_in(client, email: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/signin")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, page.text[:300]
    signed_in = client.post("/signin", data={
        "email": email, "password": API_PASSWORD, "csrf_token": csrf.group(1)},
        follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text
    assert SESSION_COOKIE in client.cookies


def test_an_admin_reads_no_health_data_without_a_grant(client) -> None:
    ana, check_id, response_id = _patient_with_data(client)
    admin = _admin(client)
    stranger = api_user(client, "doc@example.org", role="clinician")  # approved, no grant
    api_routes = [
        f"/api/v1/patients/{ana['id']}/triage",
        f"/api/v1/patients/{ana['id']}/questionnaires",
        f"/api/v1/triage/checks/{check_id}",
        f"/api/v1/questionnaires/responses/{response_id}",
    ]
    for url in api_routes:
        as_admin = client.get(url, headers=admin["headers"])
        as_stranger = client.get(url, headers=stranger["headers"])
        assert as_admin.status_code in (403, 404), (url, as_admin.status_code)
        assert (as_admin.status_code, as_admin.json()) == (
            as_stranger.status_code, as_stranger.json()), url
        assert "emergency" not in as_admin.text
    # The pages, signed in on the web as the admin: "not found", no data.
    client.cookies.clear()
    _web_sign_in(client, "root@example.org")
    for url in (f"/history/{check_id}", f"/questionnaires/responses/{response_id}"):
        page = client.get(url)
        assert page.status_code == 404, (url, page.status_code)
        assert "not found" in page.text and "Ana" not in page.text
    # Nothing was read, so the patient's access log shows no admin.
    log = client.get("/api/v1/me/access-log", headers=ana["headers"]).json()
    assert [e for e in log if e["actor_role"] == "admin"] == []


def test_the_sharing_page_tells_patients_administrators_cannot_see(client) -> None:
    api_user(client, "ana@example.org", name="Ana")
    client.cookies.clear()
    _web_sign_in(client, "ana@example.org")
    page = client.get("/sharing")
    assert page.status_code == 200
    assert "administrators manage accounts: they cannot see your health data" in page.text
    assert "Nobody. Your data is private to you." in page.text


def test_the_admin_audit_log_holds_no_triage_level(client) -> None:
    _patient_with_data(client)
    admin = _admin(client)
    events = client.get("/api/v1/admin/audit", headers=admin["headers"]).json()
    saved = [e for e in events if e["resource"] == "triage_session" and e["action"] == "create"]
    assert len(saved) == 1 and saved[0]["resource_id"]
    for event in events:
        for level in ("emergency", "urgent", "routine", "self_care"):
            assert level not in event["detail"], event
