"""The storage CLI as a user runs it: db upgrade, demo load (twice), users approve, serve."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from web_fixtures import SPINECARE_BIN, start_server, stop_server


def run(data_dir: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SPINECARE_DATA_DIR": str(data_dir), **(env or {})}
    environment.pop("SPINECARE_DATABASE_URL", None)
    environment.update({k: v for k, v in (env or {}).items()})
    return subprocess.run([str(SPINECARE_BIN), *args], env=environment, capture_output=True,
                          text=True, timeout=120)


def test_make_run_steps_are_idempotent(tmp_path: Path) -> None:
    first = run(tmp_path, "db", "upgrade")
    assert first.returncode == 0 and "upgraded from empty" in first.stdout
    again = run(tmp_path, "db", "upgrade")
    assert again.returncode == 0 and "up to date" in again.stdout
    loaded = run(tmp_path, "demo", "load")
    assert loaded.returncode == 0, loaded.stderr
    assert "clinician@spinecare.test" in loaded.stdout and "password:" in loaded.stdout
    reloaded = run(tmp_path, "demo", "load")
    assert reloaded.returncode == 0 and "already there" in reloaded.stdout
    users = run(tmp_path, "users", "list", "--json")
    assert users.stdout.count('"email"') == 4  # no duplicates after the second load


def test_demo_clinician_sees_both_demo_patients(tmp_path: Path) -> None:
    import httpx

    run(tmp_path, "db", "upgrade")
    run(tmp_path, "demo", "load")
    server = start_server(tmp_path)
    try:
        token = httpx.post(f"{server.url}/api/v1/auth/login", json={
            "email": "clinician@spinecare.test", "password": "demo-doctor-pass"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        patients = httpx.get(f"{server.url}/api/v1/clinician/patients", headers=headers).json()
        assert sorted(p["name"] for p in patients) == ["Ana Ribeiro", "Ben Hartley"]
        assert all(p["checks"] >= 3 and p["latest_level"] for p in patients)
    finally:
        stop_server(server)


def test_demo_load_before_upgrade_says_what_to_do(tmp_path: Path) -> None:
    result = run(tmp_path, "demo", "load")
    assert result.returncode == 2
    assert "spinecare db upgrade" in result.stderr and "Traceback" not in result.stderr


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = run(tmp_path, "serve", "--port", "8999")
    assert result.returncode == 2 and "db upgrade" in result.stderr


def test_an_unreachable_postgresql_is_a_clear_error_without_the_password(tmp_path: Path) -> None:
    url = "postgresql://spinecare:s3cret-pw@127.0.0.1:1/nowhere"
    result = run(tmp_path, "db", "upgrade", env={"SPINECARE_DATABASE_URL": url})
    assert result.returncode == 2
    assert "cannot use the database" in result.stderr
    assert "s3cret-pw" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_users_approve_lets_a_clinician_in(tmp_path: Path) -> None:
    run(tmp_path, "db", "upgrade")
    from spinecare.bootstrap import bootstrap
    from spinecare.settings import Settings

    services = bootstrap(Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'spinecare.sqlite3'}")).services
    services.accounts.create("doc@example.org", "a long password", "Dr Doc", "clinician")
    services.db.dispose()
    approved = run(tmp_path, "users", "approve", "DOC@example.org")
    assert approved.returncode == 0 and "is approved" in approved.stdout
    missing = run(tmp_path, "users", "approve", "nobody@example.org")
    assert missing.returncode == 2 and "no account" in missing.stderr


@pytest.mark.slow
def test_several_workers_share_one_secret_key(tmp_path: Path, mailbox) -> None:  # type: ignore[no-untyped-def]
    """Two workers must sign with the same key, or a cookie set by one fails on the other;
    and a token issued by one is a session row the other finds."""
    import httpx

    server = start_server(tmp_path, workers=2, mailbox=mailbox)
    try:
        body = {"email": "ana@example.org", "password": "a long enough password",
                "name": "Ana", "role": "patient"}
        httpx.post(f"{server.url}/api/v1/auth/register", json=body)
        httpx.post(f"{server.url}/api/v1/auth/verify",
                   json={"token": mailbox.token("ana@example.org")})
        token = httpx.post(f"{server.url}/api/v1/auth/login", json={
            "email": body["email"], "password": body["password"]}).json()["access_token"]
        # New connections spread over both workers; every one must accept the token.
        statuses = {
            httpx.get(f"{server.url}/api/v1/me",
                      headers={"Authorization": f"Bearer {token}"}).status_code
            for _ in range(20)
        }
        assert statuses == {200}
    finally:
        stop_server(server)


def test_create_admin_takes_the_password_from_the_environment_and_never_prints_it(
    tmp_path: Path,
) -> None:
    run(tmp_path, "db", "upgrade")
    secret = "an admin password 42"
    created = run(tmp_path, "users", "create-admin", "--email", "root@example.org",
                  env={"SPINECARE_ADMIN_PASSWORD": secret})
    assert created.returncode == 0 and "Administrator" in created.stdout
    assert secret not in created.stdout + created.stderr
    short = run(tmp_path, "users", "create-admin", "--email", "r2@example.org",
                env={"SPINECARE_ADMIN_PASSWORD": "short"})
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    listed = run(tmp_path, "users", "list", "--role", "admin", "--json")
    assert '"root@example.org"' in listed.stdout and "r2@" not in listed.stdout
