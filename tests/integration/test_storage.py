"""Storage: migrations, SQLite settings, foreign keys, one transaction per write."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from spinecare.adapters.storage import migrate
from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import TriageSession, User

TABLES = {"users", "care_team_grants", "triage_sessions", "questionnaire_responses",
          "audit_events", "alembic_version"}


def _user(email: str = "a@example.org") -> User:
    return User(email=email, name="A", role="patient", password_hash="x", approved=True)


def test_upgrade_creates_every_table_and_is_idempotent(database_url: str) -> None:
    db = Database(database_url)
    before, after = migrate.upgrade(db)
    assert before is None and after == migrate.head_revision()
    assert set(inspect(db.engine).get_table_names()) >= TABLES
    assert migrate.upgrade(db) == (after, after)
    assert migrate.is_up_to_date(db)
    db.dispose()


def test_sqlite_uses_wal_and_foreign_keys(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "x.sqlite3").stat().st_mode & 0o777 == 0o600
    db.dispose()


def test_foreign_keys_are_enforced(services) -> None:
    with pytest.raises(IntegrityError), services.db.transaction() as session:
        session.add(TriageSession(patient_id=999, findings={}, level="routine", result={},
                                  knowledge_version="t"))
        session.flush()


def test_a_failed_transaction_stores_nothing(services) -> None:
    with pytest.raises(RuntimeError), services.db.transaction() as session:
        session.add(_user())
        session.flush()  # the row reached the database inside the transaction …
        raise RuntimeError("the request fails half-way")
    with services.db.transaction() as session:  # … and was rolled back with it
        assert session.scalars(select(User)).all() == []


def test_deleting_a_user_cascades_to_their_health_data(services) -> None:
    with services.db.transaction() as session:
        user = _user()
        session.add(user)
        session.flush()
        session.add(TriageSession(patient_id=user.id, findings={"leg_pain": True},
                                  level="routine", result={}, knowledge_version="t"))
        user_id = user.id
    with services.db.transaction() as session:
        session.delete(session.get(User, user_id))
    with services.db.transaction() as session:
        assert session.scalars(select(TriageSession)).all() == []


def test_email_is_unique(services) -> None:
    with services.db.transaction() as session:
        session.add(_user())
    with pytest.raises(IntegrityError), services.db.transaction() as session:
        session.add(_user())


def test_the_migrations_match_the_models(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from spinecare.adapters.storage.models import Base

    db = Database(database_url)
    migrate.upgrade(db)
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    db.dispose()


def test_times_come_back_timezone_aware_utc(services) -> None:
    from datetime import UTC, datetime, timedelta, timezone

    local = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    with services.db.transaction() as session:
        user = _user()
        user.created_at = local
        session.add(user)
    with services.db.transaction() as session:
        stored = session.scalars(select(User)).one().created_at
    assert stored == local and stored.tzinfo is not None
    assert stored.utcoffset() == timedelta(0) and stored.astimezone(UTC).hour == 7
    with pytest.raises(Exception, match="naive"), services.db.transaction() as session:
        session.add(User(email="n@example.org", name="N", role="patient", password_hash="x",
                         created_at=datetime(2026, 1, 1)))
