"""Security headers, the session cookie's flags, and CSRF on cookie-authenticated writes."""

from __future__ import annotations

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from spinecare.entrypoints.web.auth import SESSION_COOKIE, csrf_token, sign_in
from web_fixtures import api_user


def _add_test_sign_in(app) -> None:  # type: ignore[no-untyped-def]
    """A route that starts a session the way the sign-in page does (real middleware)."""

    @app.post("/_test/sign-in/{user_id}")
    async def _sign_in(user_id: int, request: Request) -> dict:
        user = request.app.state.spinecare.services.accounts.get(user_id)
        await sign_in(request, user)
        return {"csrf": csrf_token(request)}


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/does-not-exist", "/"])
def test_every_response_carries_the_security_headers(client, path) -> None:
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


def test_the_session_cookie_is_signed_httponly_and_samesite_lax(client) -> None:
    ana = api_user(client, "ana@example.org")
    _add_test_sign_in(client.app)
    response = client.post(f"/_test/sign-in/{ana['id']}")
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith(SESSION_COOKIE + "=")
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert client.get("/api/v1/me").json()["email"] == "ana@example.org"
    # A cookie whose signature does not match is ignored: anonymous again.
    value = client.cookies.get(SESSION_COOKIE)
    client.cookies.set(SESSION_COOKIE, value[:-3] + "abc")
    assert client.get("/api/v1/me").status_code == 401


def test_the_cookie_is_secure_behind_https(settings, services, mailbox) -> None:
    from dataclasses import replace

    from spinecare.bootstrap import bootstrap
    from spinecare.entrypoints.web.app import create_app

    app = create_app(bootstrap(replace(settings, https=True), database=services.db))
    app.state.test_mailbox = mailbox
    _add_test_sign_in(app)
    with TestClient(app, base_url="https://127.0.0.1") as client:
        ana = api_user(client, "ana@example.org")
        cookie = client.post(f"/_test/sign-in/{ana['id']}").headers["set-cookie"].lower()
        assert "; secure" in cookie
        assert "strict-transport-security" in client.get("/api/v1/health").headers


def test_cookie_authenticated_writes_need_the_csrf_token(client) -> None:
    ana = api_user(client, "ana@example.org")
    api_user(client, "doc@example.org", role="clinician")
    _add_test_sign_in(client.app)
    token = client.post(f"/_test/sign-in/{ana['id']}").json()["csrf"]
    body = {"clinician_email": "doc@example.org"}
    assert client.post("/api/v1/me/care-team", json=body).status_code == 403
    wrong = client.post("/api/v1/me/care-team", json=body, headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403 and "reload the page" in wrong.json()["detail"].lower()
    assert client.get("/api/v1/me/care-team").json() == []  # nothing was stored
    ok = client.post("/api/v1/me/care-team", json=body, headers={"X-CSRF-Token": token})
    assert ok.status_code == 201


def test_bearer_writes_need_no_csrf_token(client) -> None:
    ana = api_user(client, "ana@example.org")
    api_user(client, "doc@example.org", role="clinician")
    response = client.post("/api/v1/me/care-team", headers=ana["headers"],
                           json={"clinician_email": "doc@example.org"})
    assert response.status_code == 201


def test_a_lost_write_race_is_a_409_not_a_500(client) -> None:
    from spinecare.adapters.storage.models import TriageSession

    @client.app.post("/api/v1/_test/race")
    def _race(request: Request) -> dict:
        # A real foreign-key violation, as when an account is deleted mid-request.
        with request.app.state.spinecare.services.db.transaction() as session:
            session.add(TriageSession(patient_id=424242, findings={}, level="routine",
                                      result={}, knowledge_version="t"))
        return {}

    response = client.post("/api/v1/_test/race")
    assert response.status_code == 409 and "nothing was saved" in response.json()["detail"]


def test_a_cookie_session_cannot_be_used_to_save_a_check_without_the_token(client) -> None:
    ana = api_user(client, "ana@example.org")
    _add_test_sign_in(client.app)
    token = client.post(f"/_test/sign-in/{ana['id']}").json()["csrf"]
    body = {"findings": {"back_pain": True}}
    assert client.post("/api/v1/triage", json=body).status_code == 403
    assert client.get("/api/v1/me/triage").json() == []
    saved = client.post("/api/v1/triage", json=body, headers={"X-CSRF-Token": token})
    assert saved.status_code == 200 and saved.json()["saved_check_id"]
