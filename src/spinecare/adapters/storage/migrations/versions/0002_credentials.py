"""ids never reused; server-side sessions and API tokens; e-mail verification and reset links

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

SQLite gives a deleted row's id to the next insert unless the table was created with
AUTOINCREMENT, which only CREATE TABLE can say: every table is rebuilt (Alembic batch
mode), and each table's sequence starts above every id the audit trail has ever named, so
ids deleted before this migration are not reused either. Foreign keys must be off while a
referenced table is rebuilt (a DROP TABLE with them on would cascade-delete the health
data): ``storage.migrate.upgrade`` turns them off around the migrations and checks them
afterwards. PostgreSQL sequences never reuse ids, so there only the new columns and tables
are added.

Accounts that existed before e-mail verification are treated as verified (their creation
time is their verification time): they were made when nothing else was offered.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Table -> the audit resource names whose resource_id is one of its ids.
_TABLES = {
    "users": ("account",),
    "care_team_grants": ("care_team_grant",),
    "triage_sessions": ("triage_session",),
    "questionnaire_responses": ("questionnaire_response",),
    "audit_events": (),
}


def _max_named_id(bind: sa.Connection, table: str, resources: tuple[str, ...]) -> int:
    highest = bind.execute(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar() or 0
    if resources:
        names = ", ".join(f"'{name}'" for name in resources)
        rows = bind.execute(
            sa.text(f"SELECT resource_id FROM audit_events WHERE resource IN ({names})")
        )
        for (resource_id,) in rows:
            if resource_id and str(resource_id).isdigit():
                highest = max(highest, int(resource_id))
    if table == "users":
        for column in ("actor_id", "patient_id"):
            value = bind.execute(sa.text(f"SELECT MAX({column}) FROM audit_events")).scalar()
            highest = max(highest, value or 0)
    return int(highest)


def _rebuild_sqlite_tables_with_autoincrement() -> None:
    bind = op.get_bind()
    floors = {table: _max_named_id(bind, table, names) for table, names in _TABLES.items()}
    # The partial unique index is dropped and recreated by hand: batch mode's reflection
    # would not carry its WHERE clause.
    op.drop_index("uq_care_team_active", table_name="care_team_grants")
    for table in _TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
    op.create_index(
        "uq_care_team_active",
        "care_team_grants",
        ["patient_id", "clinician_id"],
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
    )
    for table, floor in floors.items():
        bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table})
        bind.execute(
            sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :seq)"),
            {"t": table, "seq": floor},
        )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _rebuild_sqlite_tables_with_autoincrement()
    table_kwargs = {"sqlite_autoincrement": True}

    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE users SET email_verified_at = created_at")

    op.create_table(
        "auth_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_auth_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_sessions")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_auth_sessions_secret_hash")),
        **table_kwargs,
    )
    op.create_index(op.f("ix_auth_sessions_user_id"), "auth_sessions", ["user_id"])

    op.create_table(
        "account_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_account_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_tokens")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_account_tokens_secret_hash")),
        **table_kwargs,
    )
    op.create_index(op.f("ix_account_tokens_user_id"), "account_tokens", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_account_tokens_user_id"), table_name="account_tokens")
    op.drop_table("account_tokens")
    op.drop_index(op.f("ix_auth_sessions_user_id"), table_name="auth_sessions")
    op.drop_table("auth_sessions")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("email_verified_at")
    # AUTOINCREMENT stays: ids that were never reused can stay that way.
