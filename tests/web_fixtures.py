"""Fixtures for storage, API and browser tests: real databases, the real app, a real server.

Imported by tests/integration/conftest.py and tests/e2e/conftest.py. The ``database_url``
fixture runs each test on SQLite and, when ``SPINECARE_TEST_DATABASE_URL`` is set, on
PostgreSQL too, in a schema of its own that is dropped afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from mail_support import Mailbox, start_mail_server
from spinecare.adapters.storage import migrate
from spinecare.adapters.storage.database import normalise_url
from spinecare.bootstrap import Spinecare, bootstrap, text_extractor, triage_engine
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.entrypoints.web.app import create_app
from spinecare.services import Services
from spinecare.settings import Settings

PG_ENV = "SPINECARE_TEST_DATABASE_URL"
TEST_SECRET = "test-secret-key-not-for-production-0123456789"
REPO_ROOT = Path(__file__).resolve().parent.parent
SPINECARE_BIN = Path(sys.executable).with_name("spinecare")


def _pg_base_url() -> str | None:
    url = os.environ.get(PG_ENV, "").strip()
    return normalise_url(url) if url else None


@dataclass
class PgSchema:
    """A throwaway PostgreSQL schema; ``url`` makes it the only one on the search path."""

    base_url: str
    name: str

    @property
    def url(self) -> str:
        sep = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{sep}options=-csearch_path%3D{self.name}"

    def create(self) -> None:
        engine = create_engine(self.base_url)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        engine.dispose()

    def drop(self) -> None:
        engine = create_engine(self.base_url)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        engine.dispose()


def _backends() -> list[str]:
    return ["sqlite", "postgresql"]


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema (skipped without the env)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'spinecare.sqlite3'}"
        return
    base = _pg_base_url()
    if base is None:
        pytest.skip(f"PostgreSQL: set {PG_ENV} to run this test against it too")
    schema = PgSchema(base, f"spinecare_test_{uuid.uuid4().hex[:12]}")
    schema.create()
    try:
        yield schema.url
    finally:
        schema.drop()


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1 for the whole run; the app's e-mails land here."""
    box, controller = start_mail_server()
    yield box
    controller.stop()


@pytest.fixture
def settings(tmp_path: Path, database_url: str, mailbox: Mailbox) -> Settings:
    return Settings(
        data_dir=tmp_path, database_url=database_url, country="GB", secret_key=TEST_SECRET,
        smtp_host=mailbox.host, smtp_port=mailbox.port, smtp_tls="none",
        base_url="http://127.0.0.1",
    )


@pytest.fixture(scope="session")
def shared_engine() -> TriageEngine:
    """One triage engine for the whole run, handed to every test's application object as
    a test may hand in any piece (it is stateless; compiling it takes a tenth of a second)."""
    return triage_engine()


class SharedExtractor:
    """The real text extractor (spaCy + the intake lexicon), built once for the whole run
    on first use: building it takes seconds, and it holds no one's data, so every test's
    application object may share it (as any piece may be handed to ``bootstrap``)."""

    _built = None

    def extract(self, text: str):  # type: ignore[no-untyped-def]
        if SharedExtractor._built is None:
            SharedExtractor._built = text_extractor()
        return SharedExtractor._built.extract(text)


@pytest.fixture
def spinecare_app(settings: Settings, shared_engine: TriageEngine) -> Iterator[Spinecare]:
    """The application object over a migrated, empty database (as the web app and CLI hold)."""
    built = bootstrap(settings, engine=shared_engine,
                      extractor=SharedExtractor())  # type: ignore[arg-type]
    migrate.upgrade(built.database)
    yield built
    built.close()


@pytest.fixture
def services(spinecare_app: Spinecare) -> Services:
    """All use cases of ``spinecare_app``."""
    return spinecare_app.services


@pytest.fixture
def web_app(spinecare_app: Spinecare, mailbox: Mailbox):  # type: ignore[no-untyped-def]
    app = create_app(spinecare_app)
    app.state.test_mailbox = mailbox  # for api_user(): read the confirmation link
    return app


@pytest.fixture
def client(web_app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(web_app, base_url="http://127.0.0.1") as test_client:
        yield test_client


# --- a real server ----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    mailbox: Mailbox | None = None


def start_server(
    data_dir: Path, *, database_url: str = "", workers: int = 1, extra_env: dict | None = None,
    mailbox: Mailbox | None = None,
) -> LiveServer:
    """``spinecare db upgrade`` then ``spinecare serve`` on a free port; waits for /health.
    With a ``mailbox``, the server's e-mails go to that SMTP server on 127.0.0.1."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    mail_env = {} if mailbox is None else {
        "SPINECARE_SMTP_HOST": mailbox.host, "SPINECARE_SMTP_PORT": str(mailbox.port),
        "SPINECARE_SMTP_TLS": "none",
    }
    env = {
        **os.environ,
        "SPINECARE_DATA_DIR": str(data_dir),
        "SPINECARE_ACCESS_LOG": "0",
        "SPINECARE_LOG_LEVEL": "warning",
        "SPINECARE_BASE_URL": url,
        **mail_env,
        **(extra_env or {}),
    }
    env.pop("SPINECARE_DATABASE_URL", None)
    if database_url:
        env["SPINECARE_DATABASE_URL"] = database_url
    subprocess.run([str(SPINECARE_BIN), "db", "upgrade"], env=env, check=True,
                   capture_output=True)
    process = subprocess.Popen(
        [str(SPINECARE_BIN), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"spinecare serve exited early:\n{output}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return LiveServer(url, data_dir, process, env, mailbox)
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("spinecare serve did not answer /api/v1/health within 30 s")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture
def live_server(tmp_path: Path, mailbox: Mailbox) -> Iterator[LiveServer]:
    """A real uvicorn process on 127.0.0.1 with a fresh SQLite database in a temp dir; its
    e-mails reach ``mailbox``."""
    server = start_server(tmp_path / "data", mailbox=mailbox)
    yield server
    stop_server(server)


# --- accounts through the API -------------------------------------------------------------

API_PASSWORD = "correct horse battery staple"


def api_user(client, email: str, role: str = "patient", name: str = "") -> dict:  # type: ignore[no-untyped-def]
    """Sign up through the API, confirm the address from the e-mail (approving clinicians)
    and log in: {id, email, headers}."""
    response = client.post("/api/v1/auth/register", json={
        "email": email, "password": API_PASSWORD, "name": name or email.split("@")[0],
        "role": role})
    assert response.status_code == 202, response.text
    mailbox = client.app.state.test_mailbox
    confirmed = client.post("/api/v1/auth/verify", json={"token": mailbox.token(email)})
    assert confirmed.status_code == 200, confirmed.text
    user = confirmed.json()
    if role == "clinician":
        from spinecare.services.actor import Actor

        client.app.state.spinecare.services.accounts.set_approved(Actor.system(), user["id"])
    token = client.post("/api/v1/auth/login", json={
        "email": email, "password": API_PASSWORD}).json()["access_token"]
    return {"id": user["id"], "email": email, "headers": {"Authorization": f"Bearer {token}"}}
