"""The access log never holds the secret of a calendar feed or a stop-reminders link (review
of issue 11): anyone reading the log could otherwise read a person's exercise plan or stop
their reminders. A real ``spinecare serve``, its log read as written."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import httpx

from spinecare.entrypoints.web.server import redact_secrets
from web_fixtures import API_PASSWORD, Mailbox, start_server, stop_server

STOP_SECRET = "s3cretStopToken_0123456789abcdefXYZ"


def test_reminder_secrets_are_redacted_in_the_access_log(tmp_path: Path,
                                                         mailbox: Mailbox) -> None:
    server = start_server(tmp_path / "data", mailbox=mailbox, extra_env={
        "SPINECARE_ACCESS_LOG": "1", "SPINECARE_LOG_LEVEL": "info"})
    base = server.url
    try:
        email = "cal@example.org"
        assert httpx.post(f"{base}/api/v1/auth/register", timeout=30, json={
            "email": email, "password": API_PASSWORD, "name": "Cal", "role": "patient"}
            ).status_code == 202
        assert httpx.post(f"{base}/api/v1/auth/verify", timeout=30,
                          json={"token": mailbox.token(email)}).status_code == 200
        token = httpx.post(f"{base}/api/v1/auth/login", timeout=30, json={
            "email": email, "password": API_PASSWORD}).json()["access_token"]
        link = httpx.post(f"{base}/api/v1/me/reminders/calendar", timeout=30,
                          headers={"Authorization": f"Bearer {token}"})
        assert link.status_code == 201, link.text
        feed_path = urlsplit(link.json()["url"]).path
        key = feed_path.rsplit("/", 1)[1].removesuffix(".ics")
        assert feed_path == f"/reminders/calendar/{key}.ics" and len(key) >= 16
        feed = httpx.get(f"{base}{feed_path}", timeout=30)
        stop_page = httpx.get(f"{base}/reminders/stop/{STOP_SECRET}", timeout=30)
        stop_post = httpx.post(f"{base}/reminders/stop/{STOP_SECRET}", timeout=30)
    finally:
        stop_server(server)
    assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
    assert stop_page.status_code == 404 and stop_post.status_code in (403, 404)
    assert server.process.stdout is not None
    log = server.process.stdout.read().decode()
    assert '"GET /reminders/calendar/[redacted].ics HTTP/1.1" 200' in log, log
    assert '"GET /reminders/stop/[redacted] HTTP/1.1" 404' in log, log
    assert "POST /reminders/stop/[redacted] HTTP/1.1" in log, log
    assert key not in log and key[:12] not in log, log
    assert STOP_SECRET not in log and STOP_SECRET[:12] not in log, log
    # Other paths are logged as before.
    assert '"POST /api/v1/me/reminders/calendar HTTP/1.1" 201' in log, log


def test_only_the_secret_paths_are_rewritten() -> None:
    assert redact_secrets("/reminders/calendar/abc.ics") == "/reminders/calendar/[redacted].ics"
    assert redact_secrets("/reminders/calendar/abc") == "/reminders/calendar/[redacted]"
    assert redact_secrets("/reminders/stop/abc") == "/reminders/stop/[redacted]"
    assert redact_secrets("/reminders/stop/abc/more") == "/reminders/stop/[redacted]"
    for path in ("/reminders", "/reminders/calendar", "/api/v1/me/reminders/calendar",
                 "/search", "/reminders/stop/"):
        assert redact_secrets(path) == path
