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
    from spinecare.services import Services
    from spinecare.storage.database import Database

SECRET_KEY_FILE = "secret_key"


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()


def secret_key(config: Settings) -> str:
    """SPINECARE_SECRET_KEY, or a key generated once into the data dir (mode 0600).

    Never logged or printed. Several workers read the same file, so it is created with
    O_EXCL: if two processes race, the loser reads the winner's key.
    """
    if config.secret_key:
        return config.secret_key
    path = Path(config.data_dir) / SECRET_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise RuntimeError(
                f"{path} holds no usable secret key: delete it to generate a new one "
                "(everyone will be signed out) or set SPINECARE_SECRET_KEY"
            ) from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def triage_engine():  # type: ignore[no-untyped-def]
    """One engine per process: it compiles the knowledge once and is stateless."""
    from spinecare.clinical.triage.engine import TriageEngine

    return TriageEngine()


def database(config: Settings) -> Database:
    from spinecare.storage.database import Database

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
