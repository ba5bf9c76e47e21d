"""Migration 0002 on a database that already holds people and health data (finding 1)."""

from __future__ import annotations

from sqlalchemy import text

from spinecare.adapters.storage import migrate
from spinecare.adapters.storage.database import Database


def _seed_0001(db: Database) -> None:
    """An 0001 database where the newest account (id 3) was deleted, and the audit trail
    names an account id (7) deleted even earlier."""
    with db.engine.begin() as c:
        for i in (1, 2, 3):
            c.execute(text(
                "INSERT INTO users (email, name, role, password_hash, approved, created_at) "
                "VALUES (:e, 'N', 'patient', 'h', true, '2026-01-01 00:00:00+00:00')"),
                {"e": f"u{i}@example.org"})
        c.execute(text(
            "INSERT INTO triage_sessions (patient_id, created_at, findings, level, complete, "
            "result, knowledge_version) VALUES (2, '2026-01-02 00:00:00+00:00', '{}', "
            "'routine', true, '{}', 'v1')"))
        c.execute(text(
            "INSERT INTO care_team_grants (patient_id, clinician_id, granted_at) "
            "VALUES (2, 1, '2026-01-02 00:00:00+00:00')"))
        c.execute(text(
            "INSERT INTO audit_events (at, actor_role, action, resource, resource_id, ip, "
            "detail) VALUES ('2026-01-01 00:00:00+00:00', 'system', 'delete', 'account', '7', "
            "'', '')"))
        c.execute(text("DELETE FROM users WHERE id = 3"))


def test_upgrading_keeps_every_row_and_never_reuses_a_deleted_id(database_url: str) -> None:
    db = Database(database_url)
    try:
        migrate.upgrade(db, "0001")
        _seed_0001(db)
        before, after = migrate.upgrade(db)
        assert (before, after) == ("0001", migrate.head_revision())
        with db.engine.begin() as c:
            assert c.execute(text("SELECT COUNT(*) FROM users")).scalar() == 2
            assert c.execute(text("SELECT COUNT(*) FROM triage_sessions")).scalar() == 1
            assert c.execute(text("SELECT COUNT(*) FROM care_team_grants")).scalar() == 1
            # Accounts made before confirmation existed count as confirmed.
            assert c.execute(text(
                "SELECT COUNT(*) FROM users WHERE email_verified_at IS NULL")).scalar() == 0
            new_id = c.execute(text(
                "INSERT INTO users (email, name, role, password_hash, approved, created_at) "
                "VALUES ('new@example.org', 'New', 'patient', 'h', true, "
                "'2026-02-01 00:00:00+00:00') RETURNING id")).scalar()
        if db.dialect == "sqlite":
            assert new_id > 7  # above every id the audit trail ever named
            with db.engine.connect() as c:
                assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert c.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
                ddl = c.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                    "'sqlite_%' AND name != 'alembic_version'").scalars().all()
                assert ddl and all("AUTOINCREMENT" in sql for sql in ddl)
                partial = c.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE name = 'uq_care_team_active'").scalar()
                assert "WHERE revoked_at IS NULL" in partial
        else:
            assert new_id > 3
    finally:
        db.dispose()
