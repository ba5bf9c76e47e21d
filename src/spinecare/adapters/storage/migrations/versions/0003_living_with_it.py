"""living with it: diary entries, walking tests, exercise programme and sessions, reminders,
questions for the doctor; where a saved check came from and the person's own words

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

New tables only, plus two columns with server defaults on ``triage_sessions`` (existing
checks came from the symptom check and kept no words). Every table is created with
AUTOINCREMENT on SQLite, so ids are never reused (see 0002).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_AUTO = {"sqlite_autoincrement": True}


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _patient(table: str, *, unique: bool = False) -> sa.Column:
    return sa.Column(
        "patient_id", sa.Integer(),
        sa.ForeignKey("users.id", ondelete="CASCADE",
                      name=f"fk_{table}_patient_id_users"),
        nullable=False, index=not unique, unique=unique,
    )


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("triage_sessions") as batch:
        batch.add_column(sa.Column("source", sa.String(length=20), nullable=False,
                                   server_default="check"))
        batch.add_column(sa.Column("own_words", sa.Text(), nullable=False, server_default=""))

    op.create_table(
        "diary_entries",
        _id(), _patient("diary_entries"),
        sa.Column("day", sa.Date(), nullable=False),
        _at("created_at"), _at("updated_at"),
        *(sa.Column(name, sa.Integer(), nullable=True)
          for name in ("back_pain", "leg_pain", "neck_pain", "arm_pain")),
        *(sa.Column(name, sa.Float(), nullable=True)
          for name in ("walking_minutes", "walking_metres", "standing_minutes")),
        sa.Column("flare", sa.Boolean(), nullable=True),
        sa.Column("activities", sa.JSON(), nullable=False),
        sa.Column("activity_note", sa.Text(), nullable=False),
        sa.Column("sitting_hours", sa.Float(), nullable=True),
        sa.Column("sleep_quality", sa.Integer(), nullable=True),
        sa.Column("medicines", sa.JSON(), nullable=False),
        sa.Column("epidural_injection", sa.Boolean(), nullable=True),
        sa.Column("warning_signs", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("triage_session_id", sa.Integer(),
                  sa.ForeignKey("triage_sessions.id", ondelete="SET NULL",
                                name="fk_diary_entries_triage_session_id_triage_sessions"),
                  nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_diary_entries"),
        sa.UniqueConstraint("patient_id", "day", name="uq_diary_entries_patient_id"),
        **_AUTO,
    )
    op.create_table(
        "walking_tests",
        _id(), _patient("walking_tests"),
        _at("performed_at"), _at("created_at"),
        sa.Column("duration_seconds", sa.Float(), nullable=False),
        sa.Column("first_symptom_seconds", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("stopped_because", sa.String(length=30), nullable=False),
        sa.Column("relief", sa.String(length=30), nullable=True),
        sa.Column("recovery_minutes", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_walking_tests"),
        **_AUTO,
    )
    op.create_index("ix_walking_tests_performed_at", "walking_tests", ["performed_at"])
    op.create_table(
        "exercise_profiles",
        _id(), _patient("exercise_profiles", unique=True),
        sa.Column("condition", sa.String(length=80), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_exercise_profiles"),
        **_AUTO,
    )
    op.create_table(
        "exercise_sessions",
        _id(), _patient("exercise_sessions"),
        sa.Column("day", sa.Date(), nullable=False, index=True),
        _at("created_at"),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("pain_before", sa.Integer(), nullable=True),
        sa.Column("pain_after", sa.Integer(), nullable=True),
        sa.Column("effort", sa.String(length=20), nullable=True),
        sa.Column("exercises", sa.JSON(), nullable=False),
        sa.Column("conditioning_minutes", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_exercise_sessions"),
        **_AUTO,
    )
    op.create_table(
        "reminder_preferences",
        _id(), _patient("reminder_preferences", unique=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("diary_enabled", sa.Boolean(), nullable=False),
        sa.Column("diary_time", sa.String(length=5), nullable=False),
        sa.Column("exercise_enabled", sa.Boolean(), nullable=False),
        sa.Column("exercise_time", sa.String(length=5), nullable=False),
        sa.Column("exercise_days", sa.JSON(), nullable=False),
        sa.Column("stop_secret_hash", sa.String(length=64), nullable=True),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_reminder_preferences"),
        sa.UniqueConstraint("stop_secret_hash",
                            name="uq_reminder_preferences_stop_secret_hash"),
        **_AUTO,
    )
    op.create_table(
        "reminder_deliveries",
        _id(), _patient("reminder_deliveries"),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        _at("claimed_at"), _at("sent_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reminder_deliveries"),
        sa.UniqueConstraint("patient_id", "kind", "due_on",
                            name="uq_reminder_deliveries_patient_id"),
        **_AUTO,
    )
    op.create_table(
        "visit_questions",
        _id(), _patient("visit_questions"),
        sa.Column("text", sa.Text(), nullable=False),
        _at("created_at"), _at("done_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_visit_questions"),
        **_AUTO,
    )


def downgrade() -> None:
    for table in ("visit_questions", "reminder_deliveries", "reminder_preferences",
                  "exercise_sessions", "exercise_profiles", "walking_tests", "diary_entries"):
        op.drop_table(table)
    with op.batch_alter_table("triage_sessions") as batch:
        batch.drop_column("own_words")
        batch.drop_column("source")
