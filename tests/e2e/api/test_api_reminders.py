"""Reminders through the real doors: the API and the page store the same settings, and the
calendar feed's key is a credential that opens the feed and nothing else, and dies like
every other sign-in."""

from __future__ import annotations

import json
import re
from base64 import b64encode

import itsdangerous
from icalendar import Calendar

from spinecare.adapters.storage.models import AuditEvent
from spinecare.entrypoints.web.auth import SESSION_COOKIE
from web_fixtures import API_PASSWORD, TEST_SECRET, api_user

SETTINGS = {"timezone": "America/New_York", "diary_enabled": True, "diary_time": "20:30",
            "exercise_enabled": True, "exercise_time": "07:15", "exercise_days": [0, 2, 4]}


def _csrf(client, path: str) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def _web_sign_in(client, email: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/signin", data={"email": email, "password": API_PASSWORD,
                                            "csrf_token": _csrf(client, "/signin")},
                           follow_redirects=False)
    assert response.status_code == 303


def test_settings_round_trip_and_bad_input_says_what_to_fix(client) -> None:
    ana = api_user(client, "ana-rem@example.org")
    empty = client.get("/api/v1/me/reminders", headers=ana["headers"])
    assert empty.status_code == 200
    assert empty.json()["saved"] is False and empty.json()["diary_enabled"] is False
    saved = client.put("/api/v1/me/reminders", headers=ana["headers"], json=SETTINGS)
    assert saved.status_code == 200, saved.text
    got = client.get("/api/v1/me/reminders", headers=ana["headers"]).json()
    assert {k: got[k] for k in SETTINGS} == SETTINGS and got["saved"] is True
    bad_zone = client.put("/api/v1/me/reminders", headers=ana["headers"],
                          json={**SETTINGS, "timezone": "Mars/Olympus_Mons"})
    assert bad_zone.status_code == 422
    assert "Europe/London" in bad_zone.json()["errors"]["timezone"]
    no_days = client.put("/api/v1/me/reminders", headers=ana["headers"],
                         json={**SETTINGS, "exercise_days": []})
    assert no_days.status_code == 422 and "exercise_days" in no_days.json()["errors"]
    bad_time = client.put("/api/v1/me/reminders", headers=ana["headers"],
                          json={**SETTINGS, "diary_time": "25:00"})
    assert bad_time.status_code == 422
    doc = api_user(client, "doc-rem@example.org", role="clinician")
    assert client.get("/api/v1/me/reminders", headers=doc["headers"]).status_code == 403


def test_the_page_and_the_api_store_the_same_settings(client, services) -> None:
    api = api_user(client, "api-door@example.org")
    page = api_user(client, "page-door@example.org")
    client.put("/api/v1/me/reminders", headers=api["headers"], json=SETTINGS)
    _web_sign_in(client, "page-door@example.org")
    form = client.get("/reminders")
    assert form.status_code == 200 and 'data-fill-from-browser="yes"' in form.text
    posted = client.post("/reminders", data={
        "csrf_token": _csrf(client, "/reminders"), "timezone": "America/New_York",
        "diary_enabled": "yes", "diary_time": "20:30", "exercise_enabled": "yes",
        "exercise_time": "07:15", "exercise_days": ["0", "2", "4"]}, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"] == "/reminders?saved=1"
    from_api = client.get("/api/v1/me/reminders", headers=api["headers"]).json()
    from_page = client.get("/api/v1/me/reminders", headers=page["headers"]).json()
    for key in SETTINGS:
        assert from_api[key] == from_page[key]
    again = client.get("/reminders?saved=1")
    assert "Your reminders are saved." in again.text and 'value="America/New_York"' in again.text
    wrong = client.post("/reminders", data={
        "csrf_token": _csrf(client, "/reminders"), "timezone": "Nowhere/Land",
        "diary_time": "20:30", "exercise_time": "07:15"})
    assert wrong.status_code == 422 and "There is a problem" in wrong.text
    with services.db.unit_of_work(write=False) as repos:
        actions = [e.action for e in repos.session.query(AuditEvent).filter_by(
            patient_id=page["id"], resource="reminder_preferences")]
    assert "update" in actions and "read" in actions


def _calendar_key(client, headers) -> str:  # type: ignore[no-untyped-def]
    made = client.post("/api/v1/me/reminders/calendar", headers=headers)
    assert made.status_code == 201, made.text
    match = re.fullmatch(r"http://127\.0\.0\.1/reminders/calendar/([A-Za-z0-9_\-]+)\.ics",
                         made.json()["url"])
    assert match, made.json()
    return match.group(1)


def _cookie_with_sid(secret: str) -> str:
    """A correctly signed session cookie carrying ``secret`` as its sign-in (what a thief
    holding the app's key and a calendar key could forge at best)."""
    data = b64encode(json.dumps({"sid": secret, "csrf": "x"}).encode())
    return itsdangerous.TimestampSigner(TEST_SECRET).sign(data).decode()


def test_the_calendar_feed_is_weekly_in_the_persons_time_zone(client, services) -> None:
    ana = api_user(client, "ana-cal@example.org")
    client.put("/api/v1/me/reminders", headers=ana["headers"], json=SETTINGS)
    key = _calendar_key(client, ana["headers"])
    client.cookies.clear()
    feed = client.get(f"/reminders/calendar/{key}.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    events = list(calendar.walk("VEVENT"))
    assert sorted(e["RRULE"]["BYDAY"][0] for e in events) == ["FR", "MO", "WE"]
    for event in events:
        start = event.decoded("DTSTART")
        assert str(start.tzinfo) == "America/New_York"
        assert (start.hour, start.minute) == (7, 15)
        assert event["RRULE"]["FREQ"] == ["WEEKLY"]
        assert "/exercise" in str(event["DESCRIPTION"])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    with services.db.unit_of_work(write=False) as repos:
        reads = repos.session.query(AuditEvent).filter_by(
            patient_id=ana["id"], resource="exercise_plan", action="read").count()
    assert reads >= 1


def test_a_calendar_key_opens_only_the_feed(client, services) -> None:
    ana = api_user(client, "ana-key@example.org")
    client.put("/api/v1/me/reminders", headers=ana["headers"], json=SETTINGS)
    key = _calendar_key(client, ana["headers"])
    client.cookies.clear()
    as_bearer = {"Authorization": f"Bearer {key}"}
    for path in ("/api/v1/me", "/api/v1/me/reminders", "/api/v1/me/triage",
                 "/api/v1/me/export", "/api/v1/me/sessions"):
        assert client.get(path, headers=as_bearer).status_code == 401, path
    browser_secret, _ = services.sessions.start(ana["id"], "browser")
    client.cookies.set(SESSION_COOKIE, _cookie_with_sid(browser_secret))
    assert client.get("/api/v1/me").status_code == 200  # the forged cookie itself works
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, _cookie_with_sid(key))
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/account", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/signin")
    client.cookies.clear()
    # ... nor is a sign-in's secret a calendar key.
    token = ana["headers"]["Authorization"].removeprefix("Bearer ")
    assert client.get(f"/reminders/calendar/{token}.ics").status_code == 404
    assert client.get(f"/reminders/calendar/{key}.ics").status_code == 200


def test_a_calendar_key_is_listed_and_ends_like_a_sign_in(client) -> None:
    ana = api_user(client, "ana-end@example.org")
    key = _calendar_key(client, ana["headers"])
    listed = client.get("/api/v1/me/sessions", headers=ana["headers"]).json()
    feed_row = next(s for s in listed if s["kind"] == "calendar")
    assert feed_row["label"] == "Calendar feed (exercise plan)"
    # A new link ends the old one.
    newer = _calendar_key(client, ana["headers"])
    assert client.get(f"/reminders/calendar/{key}.ics").status_code == 404
    assert client.get(f"/reminders/calendar/{newer}.ics").status_code == 200
    # Ended from the sessions list.
    row = next(s for s in client.get("/api/v1/me/sessions", headers=ana["headers"]).json()
               if s["kind"] == "calendar")
    assert client.delete(f"/api/v1/me/sessions/{row['id']}",
                         headers=ana["headers"]).status_code == 204
    gone = client.get(f"/reminders/calendar/{newer}.ics")
    assert gone.status_code == 404 and "not valid any more" in gone.text
    # A password change ends it too.
    third = _calendar_key(client, ana["headers"])
    changed = client.post("/api/v1/me/password", headers=ana["headers"], json={
        "current_password": API_PASSWORD, "new_password": "a brand new passphrase 42"})
    assert changed.status_code == 200
    assert client.get(f"/reminders/calendar/{third}.ics").status_code == 404
