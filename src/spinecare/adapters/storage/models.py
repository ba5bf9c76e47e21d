"""The tables. Health data always hangs off a patient (``users.id``) and goes with them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, on every database.

    PostgreSQL keeps the offset; SQLite stores text without one and would hand back naive
    datetimes. Naive values are refused on the way in, so no local time slips through.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


# Stable constraint names so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, datetime: UTCDateTime()}  # noqa: RUF012


# SQLite hands a deleted row's rowid to the next insert unless the table says AUTOINCREMENT;
# a reused user id would make a deleted account's records (and any credential naming that
# id) point at the next person (security review, finding 1). PostgreSQL sequences never
# reuse ids. Every table gets it, so audit resource ids never name a different row.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class User(Base):
    __tablename__ = "users"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # patient | clinician | admin
    password_hash: Mapped[str] = mapped_column(String(255))
    # Clinicians start unapproved: they see no one until an admin approves them.
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the person opens the link we e-mailed (or resets their password by e-mail).
    # Unverified accounts cannot sign in, be approved as clinicians or receive grants.
    email_verified_at: Mapped[datetime | None] = mapped_column(default=None)


class CareTeamGrant(Base):
    """A patient lets a clinician see their data; revoking sets ``revoked_at``."""

    __tablename__ = "care_team_grants"
    __table_args__ = (
        # At most one active grant per pair (partial unique index, both dialects).
        Index(
            "uq_care_team_active",
            "patient_id",
            "clinician_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class TriageSession(Base):
    """One symptom check: the findings given and the engine's full result."""

    __tablename__ = "triage_sessions"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    findings: Mapped[dict[str, Any]]
    level: Mapped[str] = mapped_column(String(20))
    top_condition: Mapped[str | None] = mapped_column(String(80), default=None)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)
    result: Mapped[dict[str, Any]]
    knowledge_version: Mapped[str] = mapped_column(String(80))
    # Where the check came from: "check" (the symptom check) or "diary" (a warning sign
    # ticked in the diary), and the person's own words when they started from text.
    source: Mapped[str] = mapped_column(String(20), default="check", server_default="check")
    own_words: Mapped[str] = mapped_column(Text, default="", server_default="")


class QuestionnaireResponse(Base):
    """A completed questionnaire, stored generically: answers and score as JSON."""

    __tablename__ = "questionnaire_responses"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    instrument_id: Mapped[str] = mapped_column(String(80), index=True)
    definition_version: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    answers: Mapped[dict[str, Any]]
    score: Mapped[dict[str, Any]]


class AuditEvent(Base):
    """Who did what to whose health data, when and from where. Never holds the data itself."""

    __tablename__ = "audit_events"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Kept (as NULL) when the actor's account is deleted so the trail stays complete.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))  # read | create | update | delete
    resource: Mapped[str] = mapped_column(String(60))
    resource_id: Mapped[str | None] = mapped_column(String(80), default=None)
    # Whose data: the patient the event is about (NULL after their erasure; the trail stays).
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None, index=True
    )
    ip: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class AuthSession(Base):
    """A signed-in browser or an API token: the server-side half of every credential.

    The client holds a random secret; only its SHA-256 is stored, so a database leak gives
    no usable credential. Deleting the row ends the credential at once (sign-out, password
    change, account deletion, an admin's revocation). OWASP ASVS 5.0 V7.
    """

    __tablename__ = "auth_sessions"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # browser | api
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class AccountToken(Base):
    """A single-use, short-lived link we e-mail: confirm an address, or reset a password."""

    __tablename__ = "account_tokens"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))  # verify | reset
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)


# --- living with it (issue 11): the diary, walking tests, exercise, reminders -------------
# Each row hangs off its patient and goes with them (ON DELETE CASCADE).


class DiaryEntry(Base):
    """One day of the symptom diary (one per person per day; editing replaces it).

    Every answer may be missing: unknown is stored as NULL, never as 0 or "no".
    """

    __tablename__ = "diary_entries"
    __table_args__ = (UniqueConstraint("patient_id", "day"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    back_pain: Mapped[int | None] = mapped_column(Integer, default=None)  # NRS 0-10
    leg_pain: Mapped[int | None] = mapped_column(Integer, default=None)
    neck_pain: Mapped[int | None] = mapped_column(Integer, default=None)
    arm_pain: Mapped[int | None] = mapped_column(Integer, default=None)
    walking_minutes: Mapped[float | None] = mapped_column(Float, default=None)
    walking_metres: Mapped[float | None] = mapped_column(Float, default=None)
    standing_minutes: Mapped[float | None] = mapped_column(Float, default=None)
    flare: Mapped[bool | None] = mapped_column(Boolean, default=None)  # "am I in a flare?"
    activities: Mapped[list[str]] = mapped_column(JSON, default=list)
    activity_note: Mapped[str] = mapped_column(Text, default="")
    sitting_hours: Mapped[float | None] = mapped_column(Float, default=None)
    sleep_quality: Mapped[int | None] = mapped_column(Integer, default=None)  # 1 very poor-5
    medicines: Mapped[list[str]] = mapped_column(JSON, default=list)
    epidural_injection: Mapped[bool | None] = mapped_column(Boolean, default=None)
    # Finding ids of the warning signs ticked that day (bladder_dysfunction, fever ...).
    warning_signs: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    # The symptom check the warning signs started (its result names the sign).
    triage_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("triage_sessions.id", ondelete="SET NULL"), default=None
    )


class WalkingTest(Base):
    """A guided self-paced walking test (Tomkins-Lane 2009): own pace, level ground, until
    symptoms force a stop or 30 minutes."""

    __tablename__ = "walking_tests"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    performed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_seconds: Mapped[float] = mapped_column(Float)
    first_symptom_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    distance_m: Mapped[float | None] = mapped_column(Float, default=None)
    stopped_because: Mapped[str] = mapped_column(String(30))  # symptoms | time_limit | ...
    relief: Mapped[str | None] = mapped_column(String(30), default=None)  # sit | bend_forward ...
    recovery_minutes: Mapped[float | None] = mapped_column(Float, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


class ExerciseProfile(Base):
    """The person's exercise programme: which condition it is built for, since when."""

    __tablename__ = "exercise_profiles"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    condition: Mapped[str] = mapped_column(String(80))
    started_on: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExerciseSession(Base):
    """One logged exercise session: done / partly / skipped, pain before and after, effort."""

    __tablename__ = "exercise_sessions"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # programme | home
    status: Mapped[str] = mapped_column(String(10))  # done | partly | skipped
    pain_before: Mapped[int | None] = mapped_column(Integer, default=None)
    pain_after: Mapped[int | None] = mapped_column(Integer, default=None)
    effort: Mapped[str | None] = mapped_column(String(20), default=None)  # easy ... painful
    exercises: Mapped[list[str]] = mapped_column(JSON, default=list)
    conditioning_minutes: Mapped[float | None] = mapped_column(Float, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


class ReminderPreference(Base):
    """When to remind the person (diary, exercise), in their own time zone."""

    __tablename__ = "reminder_preferences"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    diary_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    diary_time: Mapped[str] = mapped_column(String(5), default="20:00")  # HH:MM local
    exercise_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    exercise_time: Mapped[str] = mapped_column(String(5), default="10:00")
    exercise_days: Mapped[list[int]] = mapped_column(JSON, default=list)  # 0 = Monday
    # SHA-256 of the one-click "stop these" secret (the e-mail holds the secret).
    stop_secret_hash: Mapped[str | None] = mapped_column(String(64), default=None, unique=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderDelivery(Base):
    """A reminder sent (or being sent): the unique key makes it go once, whatever the number
    of workers or timers racing for it, and survives a restart."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (UniqueConstraint("patient_id", "kind", "due_on"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # diary | exercise
    due_on: Mapped[date] = mapped_column(Date)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class VisitQuestion(Base):
    """A question the person wants to ask at their next appointment (printed on the report)."""

    __tablename__ = "visit_questions"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(default=None)
