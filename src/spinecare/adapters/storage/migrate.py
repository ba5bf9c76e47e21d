"""Apply the Alembic migrations shipped inside the package (``spinecare db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from spinecare.adapters.storage.database import Database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


class MigrationError(RuntimeError):
    """A migration left the database inconsistent; it was rolled back."""


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade to ``revision``; returns (revision before, revision after). Idempotent.

    On SQLite, foreign keys are off while migrations run: rebuilding a referenced table
    (the only way to change a column or add AUTOINCREMENT) drops it, and a DROP TABLE with
    foreign keys on would first cascade-delete every row that refers to it. Before the
    commit, ``PRAGMA foreign_key_check`` must find nothing, or everything is rolled back.
    """
    before = current_revision(db)
    config = _config()
    sqlite = db.dialect == "sqlite"
    with db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        if sqlite and raw is not None:
            # On the driver connection, before any transaction (the pragma is a no-op inside one).
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(
                            f"the migration would leave {len(broken)} rows pointing at rows "
                            "that do not exist; nothing was changed"
                        )
        finally:
            if sqlite and raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
    return before, current_revision(db) or ""


def is_up_to_date(db: Database) -> bool:
    return current_revision(db) == head_revision()
