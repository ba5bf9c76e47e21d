"""Throttled routes through the real app: sign-ups per address, waits said in minutes, the
Retry-After header in seconds, and the sign-up page's password advice."""

from __future__ import annotations

import re

from spinecare.services.rate_limit import AccountThrottle
from web_fixtures import API_PASSWORD


def _csrf(client, path: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(path).text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_sign_ups_from_one_address_are_limited(client) -> None:
    # Finding 8: 400 sign-ups from one address all succeeded, each with a 19 MiB hash.
    statuses = [
        client.post("/api/v1/auth/register", json={
            "email": f"p{i}@example.org", "password": API_PASSWORD, "name": f"P{i}",
            "role": "patient"}).status_code
        for i in range(21)
    ]
    assert statuses == [202] * 20 + [429]
    refused = client.post("/api/v1/auth/register", json={
        "email": "late@example.org", "password": API_PASSWORD, "name": "Late", "role": "patient"})
    assert refused.status_code == 429
    assert 3500 < int(refused.headers["retry-after"]) <= 3600  # seconds, for machines
    assert refused.json()["detail"] == (
        "Too many sign-ups from this address. Try again in 60 minutes.")  # minutes, for people


def test_the_sign_in_page_says_how_many_minutes_to_wait(client) -> None:
    # Finding 12: the page said "Wait 895 seconds".
    throttle = AccountThrottle(clock=lambda: 1e4)
    client.app.state.spinecare.services.accounts.sign_in_throttle = throttle
    for _ in range(40):  # one address guessing many accounts, without the clock moving
        throttle.failed(f"guess-{_}@example.org", "testclient")
    page = client.post("/signin", data={
        "csrf_token": _csrf(client, "/signin"), "email": "ana@example.org",
        "password": "not it at all"})
    assert page.status_code == 429
    assert "Too many attempts. Try again in 15 minutes." in page.text
    assert page.headers["retry-after"] == "900"
    assert "seconds" not in page.text


def test_weak_passwords_are_refused_with_advice_through_the_api(client) -> None:
    # Finding 13: "password12" and the account's own e-mail were accepted (201).
    for password in ("password12", "aaaaaaaaaa", "1234567890", "ana.ribeiro@example.org"):
        response = client.post("/api/v1/auth/register", json={
            "email": "ana.ribeiro@example.org", "password": password, "name": "Ana Ribeiro",
            "role": "patient"})
        assert response.status_code == 422, password
        assert set(response.json()["errors"]) == {"password"}


def test_the_sign_up_page_explains_the_password_rules(client) -> None:
    page = client.get("/signup").text
    assert "not a common password" in page and "nothing from your name or e-mail" in page
