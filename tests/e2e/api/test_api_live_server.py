"""A real uvicorn process on 127.0.0.1: the make-run path, the secret key, the JSON API."""

from __future__ import annotations

import stat

import httpx

from web_fixtures import LiveServer

CAUDA_EQUINA = {"bladder_dysfunction": True, "saddle_anaesthesia": True, "back_pain": True}


def test_a_real_server_answers_health_and_triage(live_server: LiveServer) -> None:
    health = httpx.get(f"{live_server.url}/api/v1/health")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert health.headers["x-content-type-options"] == "nosniff"
    assert "server" not in health.headers  # no version banner
    result = httpx.post(f"{live_server.url}/api/v1/triage",
                        json={"age": 71, "sex": "male", "findings": CAUDA_EQUINA})
    assert result.status_code == 200 and result.json()["level"] == "emergency"


def test_register_login_and_history_over_http(live_server: LiveServer) -> None:
    base = live_server.url
    body = {"email": "ana@example.org", "password": "a long enough password", "name": "Ana",
            "role": "patient"}
    assert httpx.post(f"{base}/api/v1/auth/register", json=body).status_code == 202
    assert live_server.mailbox is not None
    link = live_server.mailbox.link("ana@example.org")
    assert link.startswith(f"{base}/verify?token=")  # the configured base URL, not Host
    token = live_server.mailbox.token("ana@example.org")
    assert httpx.post(f"{base}/api/v1/auth/verify", json={"token": token}).status_code == 200
    token = httpx.post(f"{base}/api/v1/auth/login", json={
        "email": body["email"], "password": body["password"]}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    saved = httpx.post(f"{base}/api/v1/triage", headers=headers,
                       json={"age": 70, "sex": "female", "findings": CAUDA_EQUINA}).json()
    history = httpx.get(f"{base}/api/v1/me/triage", headers=headers).json()
    assert [h["id"] for h in history] == [saved["saved_check_id"]]


def test_the_generated_secret_key_is_private_and_never_printed(live_server: LiveServer) -> None:
    key_file = live_server.data_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 32
    live_server.process.terminate()
    output, _ = live_server.process.communicate(timeout=10)
    assert key not in output.decode()


def test_openapi_docs_are_served(live_server: LiveServer) -> None:
    spec = httpx.get(f"{live_server.url}/api/openapi.json").json()
    assert "/api/v1/triage" in spec["paths"] and "/api/v1/health" in spec["paths"]
    docs = httpx.get(f"{live_server.url}/api/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
