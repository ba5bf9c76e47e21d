"""Reminders: a daily "time for your diary" and exercise-session e-mails, at the person's own
local time, and their exercise plan as a calendar feed.

A diary only works if it is kept: Manage My Pain prompts at a fixed 8 pm; here the person
chooses the time, their time zone and the exercise days (``/reminders``,
``GET/PUT /api/v1/me/reminders``).

Sending is one command, ``spinecare reminders send``, run by a systemd timer or cron every
five minutes (docs/reminders.md); the web server sends nothing by itself. Each reminder is
claimed first (``ReminderRepository.claim``: a unique key on person, kind and local date),
so it goes once however many timers race and across restarts; a failed send gives the
claim back and the next run tries again. A crash between claim and send loses that one
reminder rather than sending it twice.

E-mails carry no health words beyond "time for your diary" / "exercise session" and a link
(services/mail.py), and a one-click stop link (RFC 8058 ``List-Unsubscribe``). The stop
secret is an HMAC of the person and their last save under the app's secret key, so it
changes whenever they save; only its SHA-256 is stored (``stop_secret_hash``).

The calendar feed's key is an ``AuthSession`` of kind ``calendar``: it opens only the feed,
shows on "Where I'm signed in", and ends with a new password, "sign out everywhere" and
the account.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from spinecare.adapters.calendar import WEEKDAY_CODES, WeeklyEvent, weekly_calendar
from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import ReminderPreference, User, utcnow
from spinecare.adapters.storage.repositories import Repositories
from spinecare.services import audit
from spinecare.services.actor import Actor
from spinecare.services.errors import InvalidInput, NotFound, PermissionDenied, ServiceError
from spinecare.services.mail import Mail, MailNotSent, SmtpMailer
from spinecare.services.sessions import SessionService, hash_secret
from spinecare.services.views import Timestamp, _AsDict

if TYPE_CHECKING:
    from spinecare.services.exercise import ExerciseService, PlanView

log = logging.getLogger("spinecare.reminders")

KINDS = ("diary", "exercise")
# A reminder found later than this after its time (the timer was down) is not sent.
LATE_LIMIT = timedelta(hours=12)
DEFAULT_TIMEZONE = "UTC"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SESSION_LENGTH = timedelta(minutes=30)
CALENDAR_LABEL = "Calendar feed (exercise plan)"
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*")
MAX_SECRET = 200
BAD_STOP_LINK = (
    "This link is not valid any more: it is from an e-mail sent before you last changed "
    "your reminders, or it was copied incompletely. Sign in and open Reminders to turn "
    "them off."
)
BAD_CALENDAR_LINK = (
    "This calendar link is not valid any more (ended, replaced by a new one, or the "
    "password was changed). Make a new one on the Reminders page."
)
NO_SMTP = (
    "no SMTP server is configured (SPINECARE_SMTP_HOST), so reminders cannot be sent. "
    "Set the SPINECARE_SMTP_* settings, or use --dry-run to see who is due."
)


class MailNotConfigured(ServiceError):
    """Reminders are real e-mails: without an SMTP server nothing can be sent."""


@dataclass(frozen=True, slots=True)
class ReminderSettings(_AsDict):
    """A person's reminder choices (defaults until they save: everything off)."""

    timezone: str
    diary_enabled: bool
    diary_time: str
    exercise_enabled: bool
    exercise_time: str
    exercise_days: list[int]
    saved: bool  # False: never saved (the page fills the time zone from the browser)
    updated_at: Timestamp | None

    @classmethod
    def of(cls, row: ReminderPreference | None) -> ReminderSettings:
        if row is None:
            return cls(DEFAULT_TIMEZONE, False, "20:00", False, "10:00", [], False, None)
        return cls(row.timezone, row.diary_enabled, row.diary_time, row.exercise_enabled,
                   row.exercise_time, sorted(row.exercise_days or []), True, row.updated_at)


@dataclass(frozen=True, slots=True)
class Due:
    """One reminder whose time has come: (person, kind, their local date)."""

    patient_id: int
    kind: str
    due_on: date
    scheduled_at: datetime  # aware, UTC


@dataclass
class SendReport:
    """What one run did; counts only, no addresses (it may be logged)."""

    dry_run: bool
    due: list[Due] = field(default_factory=list)
    sent: list[Due] = field(default_factory=list)
    already: list[Due] = field(default_factory=list)  # another run or worker has it
    skipped: list[Due] = field(default_factory=list)  # today's diary already written
    failed: list[Due] = field(default_factory=list)  # mail server refused: retried next run

    def to_dict(self) -> dict[str, object]:
        def rows(items: list[Due]) -> list[dict[str, object]]:
            return [{"patient_id": d.patient_id, "kind": d.kind, "due_on": d.due_on.isoformat()}
                    for d in items]

        return {"dry_run": self.dry_run, "due": rows(self.due), "sent": rows(self.sent),
                "already_sent": rows(self.already), "skipped": rows(self.skipped),
                "failed": rows(self.failed)}


# --- validation -----------------------------------------------------------------------------

def valid_timezone(name: str) -> str | None:
    """The IANA zone name if zoneinfo knows it, else None."""
    name = name.strip()
    if not name or len(name) > 64 or not _ZONE.fullmatch(name):
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # a zone removed from tzdata
        return ZoneInfo(DEFAULT_TIMEZONE)


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def validate(
    timezone: str, diary_enabled: bool, diary_time: str, exercise_enabled: bool,
    exercise_time: str, exercise_days: Sequence[int],
) -> tuple[str, list[int]]:
    """(the time zone to store, the sorted weekdays), or InvalidInput saying what to fix."""
    problems: dict[str, str] = {}
    zone = valid_timezone(timezone) if timezone.strip() else DEFAULT_TIMEZONE
    if zone is None:
        problems["timezone"] = (
            "is not a time zone we know: use a name like Europe/London or America/New_York"
        )
    for name, value in (("diary_time", diary_time), ("exercise_time", exercise_time)):
        if not _TIME.fullmatch(value or ""):
            problems[name] = "must be a time like 08:30 or 20:00 (24-hour clock)"
    if any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6
           for d in exercise_days):
        problems["exercise_days"] = "must be weekdays from 0 (Monday) to 6 (Sunday)"
    elif exercise_enabled and not exercise_days:
        problems["exercise_days"] = "choose at least one day for your exercise sessions"
    if problems:
        raise InvalidInput(problems)
    return zone or DEFAULT_TIMEZONE, sorted(set(exercise_days))


def due_reminders(
    patient_id: int, settings: ReminderSettings, now: datetime
) -> list[Due]:
    """The person's reminders whose local time has passed, at most ``LATE_LIMIT`` ago.

    Yesterday's time counts too, so a reminder set for 23:58 is not lost when the timer's
    next run falls after midnight. Pure: the caller decides what was already sent.
    """
    zone = _zone(settings.timezone)
    local_today = now.astimezone(zone).date()
    out = []
    for kind in KINDS:
        if kind == "diary" and not settings.diary_enabled:
            continue
        if kind == "exercise" and not settings.exercise_enabled:
            continue
        at = _clock(settings.diary_time if kind == "diary" else settings.exercise_time)
        for day in (local_today - timedelta(days=1), local_today):
            if kind == "exercise" and day.weekday() not in settings.exercise_days:
                continue
            scheduled = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
            if scheduled <= now < scheduled + LATE_LIMIT:
                out.append(Due(patient_id, kind, day, scheduled))
    return out


# --- the service ------------------------------------------------------------------------------

class ReminderService:
    def __init__(
        self,
        db: Database,
        sessions: SessionService,
        mailer: SmtpMailer | None,
        base_url: str,
        secret_key: Callable[[], str],
        exercise: Callable[[], ExerciseService] | None = None,
    ):
        self.db = db
        self.exercise = exercise  # the plan's exercises for the feed's description
        self.sessions = sessions
        self.mailer = mailer  # None: no SMTP server configured
        self.base_url = base_url.rstrip("/")
        self.secret_key = secret_key

    # --- preferences -------------------------------------------------------------------

    @staticmethod
    def _own(actor: Actor) -> int:
        if not actor.is_patient or actor.user_id is None:
            raise PermissionDenied("Reminders are for patient accounts.")
        return actor.user_id

    def get(self, actor: Actor) -> ReminderSettings:
        patient_id = self._own(actor)
        with self.db.unit_of_work() as repos:
            view = ReminderSettings.of(repos.reminders.preference(patient_id))
            audit.record(repos, actor, "read", "reminder_preferences", patient_id=patient_id,
                         resource_id=patient_id)
            return view

    def save(
        self, actor: Actor, *, timezone: str, diary_enabled: bool, diary_time: str,
        exercise_enabled: bool, exercise_time: str, exercise_days: Sequence[int],
    ) -> ReminderSettings:
        """Store the person's choices; the stop link of earlier e-mails stops working."""
        patient_id = self._own(actor)
        zone, days = validate(timezone, diary_enabled, diary_time, exercise_enabled,
                              exercise_time, exercise_days)
        with self.db.unit_of_work() as repos:
            row = repos.reminders.preference(patient_id) or ReminderPreference(
                patient_id=patient_id)
            row.timezone = zone
            row.diary_enabled = bool(diary_enabled)
            row.diary_time = diary_time
            row.exercise_enabled = bool(exercise_enabled)
            row.exercise_time = exercise_time
            row.exercise_days = days
            row.updated_at = utcnow().replace(microsecond=0)
            row.stop_secret_hash = hash_secret(self._stop_secret(patient_id, row.updated_at))
            repos.reminders.save(row)
            audit.record(repos, actor, "update", "reminder_preferences", patient_id=patient_id,
                         resource_id=patient_id)
            return ReminderSettings.of(row)

    # --- the one-click stop link ---------------------------------------------------------

    def _stop_secret(self, patient_id: int, saved_at: datetime) -> str:
        message = f"reminders-stop\x00{patient_id}\x00{int(saved_at.timestamp())}".encode()
        digest = hmac.new(self.secret_key().encode(), message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def stop_url(self, secret: str) -> str:
        return f"{self.base_url}/reminders/stop/{secret}"

    @staticmethod
    def _by_stop_secret(repos: Repositories, secret: str) -> ReminderPreference | None:
        if not secret or len(secret) > MAX_SECRET:
            return None
        return repos.reminders.by_stop_hash(hash_secret(secret))

    def stop_link_valid(self, secret: str) -> bool:
        """For the confirm page (GET changes nothing: mail scanners open links)."""
        with self.db.unit_of_work(write=False) as repos:
            return self._by_stop_secret(repos, secret) is not None

    def stop(self, secret: str, *, ip: str = "") -> None:
        """Turn every reminder of the link's owner off (POST; RFC 8058 one-click)."""
        with self.db.unit_of_work() as repos:
            row = self._by_stop_secret(repos, secret)
            if row is None:
                raise NotFound(BAD_STOP_LINK)
            row.diary_enabled = False
            row.exercise_enabled = False
            audit.record(repos, Actor(row.patient_id, "patient", ip), "update",
                         "reminder_preferences", patient_id=row.patient_id,
                         resource_id=row.patient_id,
                         detail="all reminders stopped from the e-mail link")

    # --- sending ---------------------------------------------------------------------------

    def due(self, now: datetime | None = None) -> list[Due]:
        """Every reminder due now that no run has claimed, and that is still wanted (the
        diary reminder is dropped once that day's diary is written)."""
        return self._plan(now or utcnow())[0]

    def _plan(self, now: datetime) -> tuple[list[Due], list[Due]]:
        wanted, skipped = [], []
        with self.db.unit_of_work(write=False) as repos:
            for row, _user in repos.reminders.enabled_with_user():
                for item in due_reminders(row.patient_id, ReminderSettings.of(row), now):
                    if repos.reminders.delivered(item.patient_id, item.kind, item.due_on):
                        continue
                    if item.kind == "diary" and repos.diary.on_day(item.patient_id,
                                                                   item.due_on):
                        skipped.append(item)
                        continue
                    wanted.append(item)
        return wanted, skipped

    def send_due(self, now: datetime | None = None, *, dry_run: bool = False) -> SendReport:
        """Send every reminder that is due (see the module docstring). ``now`` (aware) is
        for tests and catching up; ``dry_run`` claims and sends nothing."""
        moment = (now or utcnow()).astimezone(UTC)
        if not dry_run and self.mailer is None:
            raise MailNotConfigured(NO_SMTP)
        wanted, skipped = self._plan(moment)
        report = SendReport(dry_run=dry_run, due=list(wanted), skipped=skipped)
        if dry_run:
            return report
        for item in wanted:
            claimed = self._claim(item)
            if claimed is None:
                report.already.append(item)
                continue
            delivery_id, mail = claimed
            if mail is None:  # the diary was written meanwhile, or the person stopped them
                report.skipped.append(item)
                continue
            try:
                assert self.mailer is not None
                self.mailer.deliver(mail)
            except MailNotSent:
                with self.db.unit_of_work() as repos:
                    repos.reminders.release(delivery_id)
                report.failed.append(item)
                continue
            with self.db.unit_of_work() as repos:
                repos.reminders.mark_sent(delivery_id, utcnow())
            report.sent.append(item)
        if report.failed:
            log.warning("%d reminder(s) could not be sent; the next run tries again",
                        len(report.failed))
        return report

    def _claim(self, item: Due) -> tuple[int, Mail | None] | None:
        """Claim ``item`` (committed before sending, so a racing run sees it): (the
        delivery id, the e-mail), or None when another run has it. The e-mail is None (and
        nothing is claimed) when it is no longer wanted."""
        with self.db.unit_of_work() as repos:
            row = repos.reminders.preference(item.patient_id)
            user = repos.users.get(item.patient_id)
            still_wanted = (
                row is not None and user is not None and user.role == "patient"
                and user.email_verified_at is not None
                and (row.diary_enabled if item.kind == "diary" else row.exercise_enabled)
                and not (item.kind == "diary"
                         and repos.diary.on_day(item.patient_id, item.due_on))
            )
            if not still_wanted:
                return 0, None
            claimed = repos.reminders.claim(item.patient_id, item.kind, item.due_on)
            if claimed is None:
                return None
            assert row is not None and user is not None
            secret = self._stop_secret(row.patient_id, row.updated_at)
            if row.stop_secret_hash != hash_secret(secret):  # e.g. the secret key changed
                row.stop_secret_hash = hash_secret(secret)
            return claimed.id, self._mail(user, item.kind, secret)

    def _mail(self, user: User, kind: str, secret: str) -> Mail:
        stop = self.stop_url(secret)
        if kind == "diary":
            subject = "Time for your diary"
            line = f"It is time for your diary. It takes a minute:\n\n{self.base_url}/diary"
        else:
            subject = "Time for your exercise session"
            line = f"It is time for your exercise session:\n\n{self.base_url}/exercise"
        text = (
            f"Hello {user.name},\n\n{line}\n\n"
            f"Change when we remind you: {self.base_url}/reminders\n"
            f"Stop these reminders: {stop}\n"
        )
        headers = (("List-Unsubscribe", f"<{stop}>"),
                   ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
        return Mail(user.email, subject, text, headers)

    # --- the calendar feed -----------------------------------------------------------------

    def new_calendar_key(self, actor: Actor) -> str:
        """A new feed key for the person's exercise plan (earlier ones end). The secret is
        shown once; only its hash is stored."""
        patient_id = self._own(actor)
        with self.db.unit_of_work() as repos:
            for old in repos.sessions.for_user(patient_id):
                if old.kind == "calendar":
                    repos.sessions.delete(old.id)
            audit.record(repos, actor, "create", "calendar_feed", patient_id=patient_id,
                         resource_id=patient_id)
        secret, _ = self.sessions.start(patient_id, "calendar", label=CALENDAR_LABEL)
        return secret

    def calendar_url(self, key: str) -> str:
        return f"{self.base_url}/reminders/calendar/{key}.ics"

    def calendar_feed(self, key: str, *, ip: str = "") -> bytes:
        """The exercise plan as iCalendar for the owner of ``key`` (a calendar app)."""
        resolved = self.sessions.resolve(key, "calendar")
        if resolved is None or resolved.user.role != "patient":
            raise NotFound(BAD_CALENDAR_LINK)
        patient_id = resolved.user.id
        actor = Actor(patient_id, "patient", ip)
        with self.db.unit_of_work() as repos:
            settings = ReminderSettings.of(repos.reminders.preference(patient_id))
            audit.record(repos, actor, "read", "exercise_plan", patient_id=patient_id,
                         resource_id=patient_id, detail="calendar feed")
        now = utcnow().replace(microsecond=0)
        today = now.astimezone(_zone(settings.timezone)).date()
        plan = self.exercise().plan(actor, patient_id, today) if self.exercise else None
        description = self._session_description(plan)
        events = [
            WeeklyEvent(
                uid=f"exercise-{patient_id}-{WEEKDAY_CODES[day].lower()}@spinecare",
                summary="Exercise session", description=description, weekday=day,
                start=_clock(settings.exercise_time), duration=SESSION_LENGTH,
                url=f"{self.base_url}/exercise",
            )
            for day in settings.exercise_days
        ]
        return weekly_calendar("spinecare exercise sessions", _zone_name(settings.timezone),
                               events, today=today, stamp=now)

    def _session_description(self, plan: PlanView | None) -> str:
        """The plan's exercises with their doses (ExerciseService), else a link only."""
        lines = []
        programme = plan.programme if plan is not None else None
        if programme is not None and programme.has_exercises:
            lines.append("Your exercises:")
            lines += [f"- {e.title}: {e.dose.text()}" if e.dose.text() else f"- {e.title}"
                      for e in (*programme.home, *programme.conditioning)]
        elif programme is not None and programme.advice:
            lines.append(programme.advice)
        else:
            lines.append("Your exercise session from spinecare.")
        lines += ["", f"Open your exercises: {self.base_url}/exercise",
                  f"Change the days or time: {self.base_url}/reminders"]
        return "\n".join(lines)


def _zone_name(name: str) -> str:
    return name if valid_timezone(name) else DEFAULT_TIMEZONE
