"""The exercise pages over HTTP, as a browser would use them: the public library, choosing a
condition, the plan (this week, home routine, avoid list, progress), logging a session
(stored like the API's) and a wrong form answered with messages, not a stored row."""

from __future__ import annotations

import re
from datetime import date

from web_fixtures import API_PASSWORD, api_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(client, path: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return CSRF.search(page.text).group(1)  # type: ignore[union-attr]


def _sign_in(client, email: str) -> None:  # type: ignore[no-untyped-def]
    done = client.post("/signin", data={"email": email, "password": API_PASSWORD,
                                        "csrf_token": _csrf(client, "/signin")},
                       follow_redirects=False)
    assert done.status_code == 303, done.text


def test_the_library_is_public_and_shows_drawings(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/exercise/library")
    assert page.status_code == 200
    assert page.text.count('role="img"') >= 14 and "Knee to chest" in page.text
    one = client.get("/exercise/library/childs_pose")
    assert one.status_code == 200 and "Stop if" in one.text and "How to do it" in one.text
    assert client.get("/exercise/library/nothing").status_code == 404


def test_plan_page_choose_log_and_see_progress(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org")
    _sign_in(client, "ana@example.org")
    first = client.get("/exercise")
    assert first.status_code == 200 and "Choose which condition" in first.text
    chosen = client.post("/exercise/programme", follow_redirects=False, data={
        "condition": "lumbar_spinal_stenosis", "csrf_token": _csrf(client, "/exercise")})
    assert chosen.status_code == 303
    plan = client.get("/exercise").text
    for text in ("Your 2 sessions this week", "Today's home routine", "What to avoid",
                 "cobra", "0 of the 12 sessions", "Log a session"):
        assert text in plan, text
    saved = client.post("/exercise/log", follow_redirects=False, data={
        "csrf_token": _csrf(client, "/exercise"), "day": date.today().isoformat(),
        "kind": "programme", "status": "done", "pain_before": "3", "pain_after": "4",
        "effort": "just_right", "exercises": ["pelvic_tilt", "childs_pose"],
        "conditioning_minutes": "10", "notes": "fine"})
    assert saved.status_code == 303, saved.text
    assert "1 of the 12 sessions" in client.get("/exercise").text
    [row] = client.get("/api/v1/me/exercise/sessions", headers=ana["headers"]).json()
    assert row["exercises"] == ["pelvic_tilt", "childs_pose"] and row["pain_after"] == 4


def test_a_wrong_log_form_shows_messages_and_stores_nothing(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org")
    _sign_in(client, "ana@example.org")
    client.post("/exercise/programme", data={
        "condition": "lumbar_spinal_stenosis", "csrf_token": _csrf(client, "/exercise")})
    bad = client.post("/exercise/log", data={
        "csrf_token": _csrf(client, "/exercise"), "day": "2999-01-01", "pain_before": "ten"})
    assert bad.status_code == 422
    assert "There is a problem" in bad.text
    assert "number from 0 to 10" in bad.text
    assert client.get("/api/v1/me/exercise/sessions", headers=ana["headers"]).json() == []


def test_the_plan_page_needs_a_signed_in_patient(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/exercise", follow_redirects=False)
    assert page.status_code in (303, 401) or "/signin" in page.headers.get("location", "")
