"""Register, log in, bearer tokens, one sign-in error, rate limiting, account deletion."""

from __future__ import annotations

from web_fixtures import API_PASSWORD, api_user


def test_register_answers_202_e_mails_a_link_and_never_echoes_the_password(
    client, mailbox
) -> None:
    response = client.post("/api/v1/auth/register", json={
        "email": "Ana@Example.org", "password": API_PASSWORD, "name": "Ana", "role": "patient"})
    assert response.status_code == 202
    assert "ana@example.org" in response.json()["message"]
    assert "password" not in response.text and "hash" not in response.text
    mail = mailbox.last_to("ana@example.org")
    assert mail.subject == "Confirm your e-mail address for spinecare"
    assert mailbox.link("ana@example.org").startswith("http://127.0.0.1/verify?token=")


def test_an_unconfirmed_account_cannot_sign_in_until_the_link_is_opened(client, mailbox) -> None:
    client.post("/api/v1/auth/register", json={
        "email": "ana@example.org", "password": API_PASSWORD, "name": "Ana"})
    login = {"email": "ana@example.org", "password": API_PASSWORD}
    early = client.post("/api/v1/auth/login", json=login)
    unknown = client.post("/api/v1/auth/login",
                          json={"email": "nobody@example.org", "password": API_PASSWORD})
    assert early.status_code == unknown.status_code == 401
    assert early.json() == unknown.json()  # no oracle: "unconfirmed" reads like "wrong"
    token = mailbox.token("ana@example.org")
    confirmed = client.post("/api/v1/auth/verify", json={"token": token})
    assert confirmed.status_code == 200 and confirmed.json()["email_verified"] is True
    assert client.post("/api/v1/auth/login", json=login).status_code == 200
    again = client.post("/api/v1/auth/verify", json={"token": token})
    assert again.status_code == 422 and "not valid any more" in again.json()["errors"]["token"]


def test_register_problems_come_one_per_field(client) -> None:
    response = client.post("/api/v1/auth/register", json={
        "email": "nope", "password": "short", "name": "", "role": "patient"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"email", "password", "name"}
    admin = client.post("/api/v1/auth/register", json={
        "email": "x@example.org", "password": API_PASSWORD, "name": "X", "role": "admin"})
    assert admin.status_code == 422 and "role" in admin.json()["errors"]


def test_registering_a_taken_address_answers_the_same_and_tells_only_its_owner(
    client, mailbox
) -> None:
    """Security review finding 11: registration must not reveal who has an account."""
    fresh = client.post("/api/v1/auth/register", json={
        "email": "ben@example.org", "password": API_PASSWORD, "name": "Ben", "role": "patient"})
    api_user(client, "ana@example.org")
    taken = client.post("/api/v1/auth/register", json={
        "email": "ana@example.org", "password": "another long passphrase 77", "name": "Mallory",
        "role": "patient"})
    assert fresh.status_code == taken.status_code == 202
    assert fresh.json()["message"].replace("ben@", "X@") == taken.json()["message"].replace(
        "ana@", "X@")
    owner_mail = mailbox.last_to("ana@example.org")
    assert owner_mail.subject == "You already have a spinecare account"
    assert "/forgot" in owner_mail.text and "token=" not in owner_mail.text
    # Nothing about the account changed: the old password still works, the new one not.
    assert client.post("/api/v1/auth/login", json={
        "email": "ana@example.org", "password": API_PASSWORD}).status_code == 200
    assert client.post("/api/v1/auth/login", json={
        "email": "ana@example.org", "password": "another long passphrase 77"}).status_code == 401


def test_login_gives_a_bearer_token_for_the_api(client) -> None:
    ana = api_user(client, "ana@example.org")
    me = client.get("/api/v1/me", headers=ana["headers"])
    assert me.status_code == 200 and me.json()["email"] == "ana@example.org"
    login = client.post("/api/v1/auth/login",
                        json={"email": "ana@example.org", "password": API_PASSWORD}).json()
    assert login["token_type"] == "bearer" and login["access_token"]


def test_wrong_credentials_get_one_message_whether_or_not_the_email_exists(client) -> None:
    api_user(client, "ana@example.org")
    wrong_password = client.post("/api/v1/auth/login",
                                 json={"email": "ana@example.org", "password": "not it at all"})
    unknown_email = client.post("/api/v1/auth/login",
                                json={"email": "nobody@example.org", "password": "not it at all"})
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()


def test_repeated_failed_logins_are_rate_limited(client) -> None:
    from spinecare.services.rate_limit import AccountThrottle

    api_user(client, "ana@example.org")
    # A stopped clock: the growing delays (1 s after 3 failures from one address) never
    # run out during the test, however slow the machine.
    accounts = client.app.state.spinecare.services.accounts
    accounts.sign_in_throttle = AccountThrottle(clock=lambda: 1e4)
    statuses = [
        client.post("/api/v1/auth/login",
                    json={"email": "ana@example.org", "password": "guess number x"}).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 3 + [429] * 3
    blocked = client.post("/api/v1/auth/login",
                          json={"email": "ana@example.org", "password": API_PASSWORD})
    assert blocked.status_code == 429 and blocked.headers["retry-after"] == "1"
    assert blocked.json()["detail"] == "Too many attempts. Try again in under a minute."


def test_a_forged_or_malformed_token_is_401(client) -> None:
    ana = api_user(client, "ana@example.org")
    token = ana["headers"]["Authorization"].split()[1]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for header in (f"Bearer {forged}", "Basic abc", "Bearer "):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["www-authenticate"] == "Bearer"


def test_deleting_my_account_needs_the_password_and_ends_access(client) -> None:
    ana = api_user(client, "ana@example.org")
    client.post("/api/v1/triage", headers=ana["headers"], json={"findings": {"back_pain": True}})
    wrong = client.post("/api/v1/me/delete", headers=ana["headers"],
                        json={"password": "not my password"})
    assert wrong.status_code == 422 and "password" in wrong.json()["errors"]
    assert client.post("/api/v1/me/delete", headers=ana["headers"],
                       json={"password": API_PASSWORD}).status_code == 204
    assert client.get("/api/v1/me", headers=ana["headers"]).status_code == 401
    relogin = client.post("/api/v1/auth/login",
                          json={"email": "ana@example.org", "password": API_PASSWORD})
    assert relogin.status_code == 401


def test_export_is_a_json_download_of_my_data(client) -> None:
    ana = api_user(client, "ana@example.org")
    client.post("/api/v1/triage", headers=ana["headers"], json={"findings": {"back_pain": True}})
    response = client.get("/api/v1/me/export", headers=ana["headers"])
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["account"]["email"] == "ana@example.org"
    assert len(data["triage_sessions"]) == 1
