"""What `spinecare serve` checks before it serves (security review findings 16 and 19): a
weak secret key stops it with a clear message; the published demo accounts are warned
about."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from web_fixtures import SPINECARE_BIN, free_port, start_server, stop_server

WARNING = "the demo accounts exist"


def run(data_dir: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SPINECARE_DATA_DIR": str(data_dir), **(env or {})}
    environment.pop("SPINECARE_DATABASE_URL", None)
    return subprocess.run([str(SPINECARE_BIN), *args], env=environment, capture_output=True,
                          text=True, timeout=120)


def test_serve_refuses_a_short_secret_key_and_says_how_to_make_one(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").returncode == 0
    result = run(tmp_path, "serve", "--port", str(free_port()),
                 env={"SPINECARE_SECRET_KEY": "tooshort"})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "SPINECARE_SECRET_KEY is too short" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr and "Traceback" not in result.stderr
    assert "tooshort" not in result.stdout + result.stderr


def _serve_output(data_dir: Path) -> str:
    server = start_server(data_dir)
    stop_server(server)
    assert server.process.stdout is not None
    return server.process.stdout.read().decode()


def test_serve_warns_when_the_published_demo_accounts_exist(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").returncode == 0
    assert WARNING not in _serve_output(tmp_path)
    assert run(tmp_path, "demo", "load").returncode == 0
    output = _serve_output(tmp_path)
    assert WARNING in output and "admin@spinecare.test" in output, output
    assert "demo-manager-pass" not in output  # names the accounts, never their passwords
