"""The composition root: wires settings, knowledge, storage and services together.

The web app, the CLI and the tests all build what they need here, so there is
exactly one place that decides which implementation backs which port.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from spinecare.settings import Settings

if TYPE_CHECKING:
    from spinecare.adapters.storage.database import Database
    from spinecare.services import Services

SECRET_KEY_FILE = "secret_key"
# Sessions, CSRF tokens and interview cookies are signed with the key: a short one can be
# guessed offline from a single signed value (security review finding 16).
MIN_SECRET_KEY_CHARS = 32
MAKE_A_KEY = 'python3 -c "import secrets; print(secrets.token_urlsafe(48))"'


class SecretKeyError(RuntimeError):
    """The configured or stored secret key cannot be used; the message says how to fix it."""


def private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents owner-only (0700): the data directory holds
    health data. A directory that already exists is left as its owner set it."""
    missing, probe = [], path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700, exist_ok=True)  # exist_ok: another worker may race us
        directory.chmod(0o700)  # whatever the umask
    return path


def _checked_key(key: str, where: str) -> str:
    if len(key.strip()) < MIN_SECRET_KEY_CHARS:
        raise SecretKeyError(
            f"{where} is too short ({len(key.strip())} characters): use at least "
            f"{MIN_SECRET_KEY_CHARS} random characters. Make one with: {MAKE_A_KEY}"
        )
    return key


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()


def secret_key(config: Settings) -> str:
    """SPINECARE_SECRET_KEY, or a key generated once into the data dir (mode 0600).

    Never logged or printed. Several workers read the same file, so it is created with
    O_EXCL: if two processes race, the loser reads the winner's key.
    """
    if config.secret_key:
        return _checked_key(config.secret_key, "SPINECARE_SECRET_KEY")
    path = Path(config.data_dir) / SECRET_KEY_FILE
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < MIN_SECRET_KEY_CHARS:
            raise SecretKeyError(
                f"{path} holds no usable secret key: delete it to generate a new one "
                "(everyone will be signed out) or set SPINECARE_SECRET_KEY"
            ) from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def triage_engine():  # type: ignore[no-untyped-def]
    """One engine per process: it compiles the knowledge once and is stateless."""
    from spinecare.clinical.triage.engine import shared_engine

    return shared_engine()


def database(config: Settings) -> Database:
    from spinecare.adapters.storage.database import Database

    return Database(config.database_url)


def build_services(config: Settings, db: Database | None = None) -> Services:
    """All use cases over one database. Tests pass their own Settings (and Database)."""
    from spinecare.services import Services
    from spinecare.services.accounts import AccountService
    from spinecare.services.audit import AuditService
    from spinecare.services.care_team import CareTeamService
    from spinecare.services.credentials import CredentialService
    from spinecare.services.data_rights import DataRightsService
    from spinecare.services.mail import build_mailer
    from spinecare.services.questionnaires import QuestionnaireService
    from spinecare.services.sessions import SessionService
    from spinecare.services.triage import TriageService

    db = db or database(config)
    accounts = AccountService(db)
    return Services(
        db=db,
        accounts=accounts,
        care_team=CareTeamService(db),
        triage=TriageService(db, triage_engine(), config.country),
        questionnaires=QuestionnaireService(db),
        audit=AuditService(db),
        data_rights=DataRightsService(db),
        sessions=SessionService(db),
        credentials=CredentialService(db, accounts, build_mailer(config), config.base_url),
    )
