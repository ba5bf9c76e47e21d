"""Credentials that die: server-side sessions and tokens, ids never reused, password change
and reset by e-mail, the interview cookie (security review findings 1, 4, 6, 11)."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from spinecare.adapters.storage.models import AccountToken, AuthSession, utcnow
from spinecare.entrypoints.web.auth import SESSION_COOKIE
from spinecare.services.actor import Actor
from spinecare.services.errors import Conflict
from web_fixtures import API_PASSWORD, api_user

NEW_PASSWORD = "a brand new passphrase for spring"


def _csrf(client, path: str = "/signin") -> str:  # type: ignore[no-untyped-def]
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def web_sign_in(client, email: str, password: str = API_PASSWORD) -> str:  # type: ignore[no-untyped-def]
    """Sign in through the real form; returns the session cookie's value."""
    response = client.post("/signin", data={
        "email": email, "password": password, "csrf_token": _csrf(client)},
        follow_redirects=False)
    assert response.status_code == 303, response.text
    return client.cookies[SESSION_COOKIE]


def _login(client, email: str, password: str = API_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/login", json={"email": email, "password": password})


# --- finding 1: a deleted account's credentials never become the next account -------------

def test_a_deleted_accounts_token_and_cookie_do_not_open_the_next_account(client) -> None:
    mallory = api_user(client, "mallory@example.org")
    cookie = web_sign_in(client, "mallory@example.org")
    assert client.post("/api/v1/me/delete", headers=mallory["headers"],
                       json={"password": API_PASSWORD}).status_code == 204
    victim = api_user(client, "victim@example.org", name="Victor Victim")
    client.post("/api/v1/triage", headers=victim["headers"],
                json={"findings": {"back_pain": True}})
    assert victim["id"] != mallory["id"]  # ids are never reused
    assert client.get("/api/v1/me", headers=mallory["headers"]).status_code == 401
    assert client.get("/api/v1/me/triage", headers=mallory["headers"]).status_code == 401
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/account", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/signin")


def test_ids_are_never_reused_after_the_newest_row_is_deleted(services) -> None:
    first = services.accounts.create("one@example.org", API_PASSWORD, "One", "patient")
    services.accounts.delete_account(Actor.system(), first.id)
    second = services.accounts.create("two@example.org", API_PASSWORD, "Two", "patient")
    assert second.id > first.id


# --- finding 4: signing out ends the session; tokens can be listed and revoked ----------

def test_a_copied_cookie_is_worthless_after_sign_out(client) -> None:
    api_user(client, "ana@example.org")
    cookie = web_sign_in(client, "ana@example.org")
    assert client.get("/api/v1/me").status_code == 200
    csrf = _csrf(client, "/account")
    response = client.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    client.cookies.set(SESSION_COOKIE, cookie)  # the copy taken before signing out
    assert client.get("/api/v1/me").status_code == 401


def test_the_session_cookie_lives_only_as_long_as_the_browser(client) -> None:
    api_user(client, "ana@example.org")
    client.get("/signin")
    response = client.post("/signin", data={
        "email": "ana@example.org", "password": API_PASSWORD, "csrf_token": _csrf(client)},
        follow_redirects=False)
    set_cookie = next(v for k, v in response.headers.multi_items()
                      if k == "set-cookie" and v.startswith(SESSION_COOKIE)).lower()
    assert "httponly" in set_cookie
    assert "max-age" not in set_cookie and "expires" not in set_cookie


def test_logout_revokes_the_bearer_token(client) -> None:
    ana = api_user(client, "ana@example.org")
    assert client.post("/api/v1/auth/logout", headers=ana["headers"]).status_code == 204
    response = client.get("/api/v1/me", headers=ana["headers"])
    assert response.status_code == 401 and "sign in again" in response.json()["detail"]


def test_people_list_and_revoke_their_own_tokens_only(client) -> None:
    ana = api_user(client, "ana@example.org")
    second = {"Authorization": f"Bearer {_login(client, 'ana@example.org').json()['access_token']}"}
    ben = api_user(client, "ben@example.org")
    listed = client.get("/api/v1/me/sessions", headers=ana["headers"]).json()
    assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
    assert all(s["kind"] == "api" for s in listed)
    other = next(s for s in listed if not s["current"])
    # Ben cannot end Ana's token, and learns nothing about it.
    assert client.delete(f"/api/v1/me/sessions/{other['id']}",
                         headers=ben["headers"]).status_code == 404
    assert client.get("/api/v1/me", headers=second).status_code == 200
    assert client.delete(f"/api/v1/me/sessions/{other['id']}",
                         headers=ana["headers"]).status_code == 204
    assert client.get("/api/v1/me", headers=second).status_code == 401
    assert client.get("/api/v1/me", headers=ana["headers"]).status_code == 200


def test_sign_out_everywhere_else_keeps_only_this_credential(client) -> None:
    ana = api_user(client, "ana@example.org")
    cookie = web_sign_in(client, "ana@example.org")
    ended = client.post("/api/v1/auth/logout-others", headers=ana["headers"])
    assert ended.status_code == 200 and ended.json()["ended_sessions"] == 1
    client.cookies.set(SESSION_COOKIE, cookie)
    assert client.get("/api/v1/me", headers=ana["headers"]).status_code == 200
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    assert client.get("/api/v1/me").status_code == 401


def test_an_admin_can_sign_a_person_out_everywhere(client, services) -> None:
    ana = api_user(client, "ana@example.org")
    services.accounts.create_admin("root@example.org", API_PASSWORD, "Root")
    admin = {"Authorization": f"Bearer {_login(client, 'root@example.org').json()['access_token']}"}
    response = client.delete(f"/api/v1/admin/users/{ana['id']}/sessions", headers=admin)
    assert response.status_code == 200 and response.json()["ended_sessions"] == 1
    assert client.get("/api/v1/me", headers=ana["headers"]).status_code == 401
    # A patient cannot do it to anyone.
    ben = api_user(client, "ben@example.org")
    assert client.delete(f"/api/v1/admin/users/{ana['id']}/sessions",
                         headers=ben["headers"]).status_code == 403


def test_idle_and_expired_tokens_stop_working(client, services) -> None:
    ana = api_user(client, "ana@example.org")
    with services.db.transaction() as session:
        session.execute(update(AuthSession).values(last_used_at=utcnow() - timedelta(hours=3)))
    assert client.get("/api/v1/me", headers=ana["headers"]).status_code == 401
    fresh = {"Authorization": f"Bearer {_login(client, 'ana@example.org').json()['access_token']}"}
    with services.db.transaction() as session:
        session.execute(update(AuthSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/api/v1/me", headers=fresh).status_code == 401


def test_tokens_are_opaque_and_only_their_hash_is_stored(client, services) -> None:
    ana = api_user(client, "ana@example.org")
    token = ana["headers"]["Authorization"].split()[1]
    second = _login(client, "ana@example.org").json()["access_token"]
    # Opaque: a prefix and 32 random bytes, nothing derived from the account or the session.
    for value in (token, second):
        assert re.fullmatch(r"sc_[A-Za-z0-9_-]{43}", value)
        assert not value[3:].startswith((f"{ana['id']}.", f"{ana['id']}:", f"{ana['id']}_"))
    assert token != second
    with services.db.transaction(write=False) as session:
        hashes = [row.secret_hash for row in session.query(AuthSession)]
    assert token not in hashes and len(hashes[0]) == 64


# --- password change -------------------------------------------------------------------------

def test_changing_the_password_needs_the_current_one_and_ends_every_other_sign_in(
    client, mailbox
) -> None:
    ana = api_user(client, "ana@example.org")
    other = {"Authorization": f"Bearer {_login(client, 'ana@example.org').json()['access_token']}"}
    wrong = client.post("/api/v1/me/password", headers=ana["headers"], json={
        "current_password": "not my password", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 422 and "current_password" in wrong.json()["errors"]
    weak = client.post("/api/v1/me/password", headers=ana["headers"], json={
        "current_password": API_PASSWORD, "new_password": "short"})
    assert weak.status_code == 422 and "new_password" in weak.json()["errors"]
    changed = client.post("/api/v1/me/password", headers=ana["headers"], json={
        "current_password": API_PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 200 and changed.json()["ended_sessions"] == 1
    assert client.get("/api/v1/me", headers=other).status_code == 401
    assert client.get("/api/v1/me", headers=ana["headers"]).status_code == 200
    assert _login(client, "ana@example.org").status_code == 401
    assert _login(client, "ana@example.org", NEW_PASSWORD).status_code == 200
    assert mailbox.last_to("ana@example.org").subject == "Your spinecare password was changed"


# --- forgot my password ------------------------------------------------------------------------

def test_a_reset_request_answers_the_same_for_unknown_addresses(client, mailbox) -> None:
    api_user(client, "ana@example.org")
    known = client.post("/api/v1/auth/password-reset", json={"email": "ana@example.org"})
    unknown = client.post("/api/v1/auth/password-reset", json={"email": "zed@example.org"})
    assert known.status_code == unknown.status_code == 202
    assert known.json()["message"].replace("ana@", "X@") == unknown.json()["message"].replace(
        "zed@", "X@")
    assert mailbox.token("ana@example.org", "reset")
    assert mailbox.to("zed@example.org") == []


def test_a_reset_link_works_once_and_signs_out_everywhere(client, mailbox) -> None:
    ana = api_user(client, "ana@example.org")
    client.post("/api/v1/auth/password-reset", json={"email": "ana@example.org"})
    token = mailbox.token("ana@example.org", "reset")
    weak = client.post("/api/v1/auth/password-reset/confirm",
                       json={"token": token, "new_password": "short"})
    assert weak.status_code == 422  # the link stays usable after a refused password
    done = client.post("/api/v1/auth/password-reset/confirm",
                       json={"token": token, "new_password": NEW_PASSWORD})
    assert done.status_code == 200
    assert client.get("/api/v1/me", headers=ana["headers"]).status_code == 401
    assert _login(client, "ana@example.org", NEW_PASSWORD).status_code == 200
    again = client.post("/api/v1/auth/password-reset/confirm",
                        json={"token": token, "new_password": "yet another passphrase 9"})
    assert again.status_code == 422


def test_an_expired_reset_link_is_refused(client, mailbox, services) -> None:
    api_user(client, "ana@example.org")
    client.post("/api/v1/auth/password-reset", json={"email": "ana@example.org"})
    token = mailbox.token("ana@example.org", "reset")
    with services.db.transaction() as session:
        session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = client.post("/api/v1/auth/password-reset/confirm",
                           json={"token": token, "new_password": NEW_PASSWORD})
    assert response.status_code == 422 and "30 minutes" in response.json()["errors"]["token"]


def test_a_reset_by_e_mail_also_confirms_the_address(client, mailbox) -> None:
    client.post("/api/v1/auth/register", json={
        "email": "ana@example.org", "password": API_PASSWORD, "name": "Ana"})
    client.post("/api/v1/auth/password-reset", json={"email": "ana@example.org"})
    client.post("/api/v1/auth/password-reset/confirm", json={
        "token": mailbox.token("ana@example.org", "reset"), "new_password": NEW_PASSWORD})
    assert _login(client, "ana@example.org", NEW_PASSWORD).status_code == 200


# --- e-mail confirmation gates approval and grants ------------------------------------------

def test_an_unconfirmed_clinician_can_be_neither_approved_nor_chosen(client, services) -> None:
    client.post("/api/v1/auth/register", json={
        "email": "doc@example.org", "password": API_PASSWORD, "name": "Doc",
        "role": "clinician"})
    doc = services.accounts.by_email("doc@example.org")
    assert doc is not None and not doc.email_verified
    with pytest.raises(Conflict, match="not confirmed"):
        services.accounts.set_approved(Actor.system(), doc.id)
    ana = api_user(client, "ana@example.org")
    unconfirmed = client.post("/api/v1/me/care-team", headers=ana["headers"],
                              json={"clinician_email": "doc@example.org"})
    unknown = client.post("/api/v1/me/care-team", headers=ana["headers"],
                          json={"clinician_email": "nobody@example.org"})
    assert unconfirmed.status_code == unknown.status_code == 404
    assert unconfirmed.json() == unknown.json()


# --- finding 6: the interview cookie ----------------------------------------------------------

def test_the_interview_cookie_is_encrypted_short_lived_and_gone_at_sign_out(client) -> None:
    api_user(client, "ana@example.org")
    web_sign_in(client, "ana@example.org")
    words = "I am 71 and my legs ache and go numb when I walk to the shops"
    started = client.post("/check/start", data={
        "description": words, "csrf_token": _csrf(client, "/check")}, follow_redirects=False)
    assert started.status_code == 303
    set_cookie = next(v for k, v in started.headers.multi_items()
                      if k == "set-cookie" and v.startswith("spinecare_check="))
    assert "max-age" not in set_cookie.lower() and "expires" not in set_cookie.lower()
    value = set_cookie.split(";")[0].split("=", 1)[1].strip('"')
    decoded = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    assert b"shops" not in decoded and b"numb" not in decoded and b"leg" not in decoded
    assert "go numb" in client.get("/check/understood").text
    signed_out = client.post("/signout", data={"csrf_token": _csrf(client, "/account")},
                             follow_redirects=False)
    cleared = [v for k, v in signed_out.headers.multi_items()
               if k == "set-cookie" and v.startswith("spinecare_check=")]
    assert cleared and ("max-age=0" in cleared[0].lower() or "expires" in cleared[0].lower())
    assert "go numb" not in client.get("/check/understood").text


# --- finding 19: forged session payloads and the unthrottled password re-check ----------------

def _forged_session_cookie(payload: object) -> str:
    """A session cookie signed with the app's real key, as Starlette makes them."""
    import json

    from itsdangerous import TimestampSigner

    from web_fixtures import TEST_SECRET

    data = base64.b64encode(json.dumps(payload).encode())
    return TimestampSigner(TEST_SECRET).sign(data).decode()


def test_forged_session_payloads_are_signed_out_never_a_500(client) -> None:
    ana = api_user(client, "ana@example.org")
    payloads = [{}, {"sid": None}, {"sid": ana["id"]}, {"sid": True}, {"sid": ["x"]},
                {"uid": ana["id"]}, {"sid": "x" * 5000}]
    for payload in payloads:
        client.cookies.clear()
        client.cookies.set(SESSION_COOKIE, _forged_session_cookie(payload))
        assert client.get("/api/v1/me").status_code == 401, payload
        page = client.get("/account", follow_redirects=False)
        assert page.status_code == 303 and "/signin" in page.headers["location"], payload


def test_re_typing_the_password_to_delete_the_account_is_throttled(client) -> None:
    ana = api_user(client, "ana@example.org")
    statuses = [
        client.post("/api/v1/me/delete", headers=ana["headers"],
                    json={"password": f"wrong guess {i}"}).status_code
        for i in range(12)
    ]
    assert statuses[0] == 422 and 429 in statuses
    blocked = client.post("/api/v1/me/delete", headers=ana["headers"],
                          json={"password": API_PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert client.get("/api/v1/me", headers=ana["headers"]).status_code == 200


def test_reset_requests_are_limited_per_address_and_mails_per_inbox(client, mailbox) -> None:
    api_user(client, "ana@example.org")
    before = len(mailbox.to("ana@example.org"))
    statuses = [client.post("/api/v1/auth/password-reset",
                            json={"email": "ana@example.org"}).status_code for _ in range(11)]
    assert statuses == [202] * 10 + [429]
    # At most three reset e-mails an hour reach one inbox, whatever the requests.
    assert len(mailbox.to("ana@example.org")) - before == 3
