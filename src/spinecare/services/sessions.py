"""Server-side sessions: every browser sign-in and every API token is a row that can die.

The client holds a random 256-bit secret; the server keeps only its SHA-256, so a copy of
the database holds no usable credential. A credential is valid while its row exists and
is neither idle too long nor past its absolute lifetime (OWASP ASVS 5.0 V7.3). Rows are
deleted at sign-out, password change or reset, account deletion (cascade) and an
administrator's revocation, so a copied cookie or a leaked token stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import AuthSession, utcnow
from spinecare.services import audit
from spinecare.services.actor import Actor
from spinecare.services.errors import NotFound, PermissionDenied
from spinecare.services.views import SessionView, UserView


@dataclass(frozen=True, slots=True)
class Lifetime:
    idle: timedelta
    absolute: timedelta


# A browser left alone for 30 minutes is signed out (a shared or clinic computer); no
# session lasts beyond 8 hours of use. API tokens (scripts, apps) live 12 hours and die
# after 2 idle hours. ASVS 5.0 V7.3.1/V7.3.2 leave the figures to a risk assessment.
LIFETIMES = {
    "browser": Lifetime(idle=timedelta(minutes=30), absolute=timedelta(hours=8)),
    "api": Lifetime(idle=timedelta(hours=2), absolute=timedelta(hours=12)),
    # A calendar app's feed key (services/reminders.py) opens only the exercise-plan feed;
    # calendar apps poll it every few hours. It ends like every other credential.
    "calendar": Lifetime(idle=timedelta(days=30), absolute=timedelta(days=365)),
}
# last_used_at is written at most this often: a write per request would queue every
# reader behind SQLite's single writer.
TOUCH_EVERY = timedelta(seconds=60)
TOKEN_PREFIX = "sc_"


def _alive(row: AuthSession, now: datetime) -> bool:
    """Neither past its absolute lifetime nor idle too long."""
    return row.expires_at > now and now - row.last_used_at < LIFETIMES[row.kind].idle


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Resolved:
    user: UserView
    session_id: int


class SessionService:
    def __init__(self, db: Database):
        self.db = db

    def start(self, user_id: int, kind: str, *, label: str = "") -> tuple[str, SessionView]:
        """A new credential for ``user_id``: (the secret to give the client, its record)."""
        lifetime = LIFETIMES[kind]
        secret = secrets.token_urlsafe(32)
        if kind == "api":
            secret = TOKEN_PREFIX + secret  # recognisable in a leak report or a log scanner
        now = utcnow()
        with self.db.unit_of_work() as repos:
            row = AuthSession(
                user_id=user_id, kind=kind, secret_hash=hash_secret(secret),
                label=label[:100], created_at=now, last_used_at=now,
                expires_at=now + lifetime.absolute,
            )
            repos.sessions.add(row)
            return secret, SessionView.of(row)

    def resolve(self, secret: str, kind: str) -> Resolved | None:
        """The user behind a live credential, or None (unknown, expired, idle or revoked)."""
        if not secret or len(secret) > 200:
            return None
        now = utcnow()
        with self.db.unit_of_work(write=False) as repos:
            found = repos.sessions.with_user(hash_secret(secret), kind)
            if found is None:
                return None
            row, user = found
            alive = _alive(row, now)
            view = SessionView.of(row)
            user_view = UserView.of(user)
        if not alive:
            self.end(view.id)
            return None
        if now - view.last_used_at >= TOUCH_EVERY:
            with self.db.unit_of_work() as repos:
                repos.sessions.touch(view.id, now)
        return Resolved(user_view, view.id)

    def end(self, session_id: int) -> None:
        with self.db.unit_of_work() as repos:
            repos.sessions.delete(session_id)

    def end_all(self, user_id: int, *, keep: int | None = None) -> int:
        """End every credential of ``user_id`` except ``keep``; returns how many ended."""
        with self.db.unit_of_work() as repos:
            return repos.sessions.delete_for_user(user_id, keep=keep)

    def list_for(self, actor: Actor) -> list[SessionView]:
        """The caller's own live sign-ins and tokens, newest first."""
        with self.db.unit_of_work(write=False) as repos:
            rows = repos.sessions.for_user(actor.user_id or 0)
            now = utcnow()
            return [SessionView.of(r) for r in rows if _alive(r, now)]

    def revoke_own(self, actor: Actor, session_id: int) -> None:
        """A person ends one of their own sign-ins or tokens. Someone else's is 'not found'."""
        with self.db.unit_of_work() as repos:
            row = repos.sessions.get(session_id)
            if row is None or row.user_id != actor.user_id:
                raise NotFound(f"You have no sign-in or token with id {session_id}.")
            repos.sessions.delete(session_id)

    def revoke_all_for(self, actor: Actor, user_id: int) -> int:
        """An administrator (or the host's CLI) signs a person out everywhere."""
        if not actor.administers:
            raise PermissionDenied("Only an administrator can sign other people out.")
        with self.db.unit_of_work() as repos:
            user = repos.users.get(user_id)
            if user is None:
                raise NotFound(f"No account with id {user_id}.")
            ended = repos.sessions.delete_for_user(user_id)
            audit.record(repos, actor, "update", "account", resource_id=user_id,
                         patient_id=None, detail="signed out everywhere by an administrator")
            return ended
