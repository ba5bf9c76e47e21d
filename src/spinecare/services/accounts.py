"""Accounts: register, sign in, approve clinicians, list users, delete accounts."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy.exc import IntegrityError

from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import User, utcnow
from spinecare.services import audit
from spinecare.services.actor import Actor
from spinecare.services.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
)
from spinecare.services.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from spinecare.services.rate_limit import AccountThrottle
from spinecare.services.views import UserView

# Deliberately simple: one @, something on each side, a dot in the domain, no spaces or
# control characters. Written without \s so that Python, pydantic (Rust) and the OpenAPI
# (ECMAScript) regex engines agree on every string: the API schema uses the same patterns.
EMAIL_PATTERN = r"^[^@\x00-\x20\x7f]+@[^@\x00-\x20\x7f]+\.[^@\x00-\x20\x7f]+$"
NOT_BLANK_PATTERN = r"[^ \t\n\r\f\v]"
BLANK = " \t\n\r\f\v"
_EMAIL = re.compile(EMAIL_PATTERN)
SELF_SERVICE_ROLES = ("patient", "clinician")


def normalise_email(email: str) -> str:
    # NFKC: a fullwidth "ａｎａ@…" is the same address (and account) as "ana@…".
    return unicodedata.normalize("NFKC", email).strip(BLANK).lower()


def validate_registration(email: str, password: str, name: str, role: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not _EMAIL.match(normalise_email(email)) or len(email) > 254:
        problems["email"] = "must be an e-mail address like name@example.org"
    if (problem := password_problem(password, email=email, name=name)) is not None:
        problems["password"] = problem
    if not name.strip(BLANK):
        problems["name"] = "must not be empty: the name your clinician will see"
    elif len(name) > 200:
        problems["name"] = "must be at most 200 characters long"
    elif any("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in name):
        # Bidi controls make a name display as something else in a clinician's list.
        problems["name"] = "must not contain characters that change the text direction"
    elif all(unicodedata.category(c) in ("Cc", "Cf", "Mn", "Zs", "Zl", "Zp")
             or c in "\u115f\u1160\u2800\u3164\uffa0" for c in name):
        problems["name"] = "must contain letters someone can see, not only blank characters"
    if role not in SELF_SERVICE_ROLES:
        problems["role"] = "must be 'patient' or 'clinician'"
    return problems


class AccountService:
    def __init__(
        self,
        db: Database,
        sign_in_throttle: AccountThrottle | None = None,
        confirm_throttle: AccountThrottle | None = None,
    ):
        self.db = db
        # Growing delays by address, by (e-mail, address) and by e-mail (capped at 60 s),
        # never a hard lock of the owner: see AccountThrottle (OWASP ASVS 5.0 V6).
        self.sign_in_throttle = sign_in_throttle or AccountThrottle()
        # The same for re-typing one's password to confirm a sensitive action (delete the
        # account, change the password), keyed by account id (security review, finding 19).
        self.confirm_throttle = confirm_throttle or AccountThrottle()

    def create(
        self, email: str, password: str, name: str, role: str, *, ip: str = "cli",
        verified: bool = True,
    ) -> UserView:
        """Create a patient or clinician account directly: for the host's tools (CLI, demo,
        tests). People sign up through ``CredentialService.register``, which confirms the
        address by e-mail and never says whether it was taken. Clinicians still wait for an
        administrator's approval."""
        problems = validate_registration(email, password, name, role)
        if problems:
            raise InvalidInput(problems)
        return self._create(normalise_email(email), password, name.strip(BLANK), role, ip=ip,
                            verified=verified)

    def create_admin(self, email: str, password: str, name: str) -> UserView:
        """For the host's CLI only: there is no self-service way to become an admin."""
        problems = validate_registration(email, password, name, "patient")
        if problems:
            raise InvalidInput(problems)
        return self._create(normalise_email(email), password, name.strip(BLANK), "admin",
                            ip="cli", verified=True)

    def _create(
        self, email: str, password: str, name: str, role: str, *, ip: str, verified: bool
    ) -> UserView:
        password_hash = hash_password(password)  # slow: outside the transaction
        try:
            with self.db.unit_of_work() as repos:
                if repos.users.by_email(email) is not None:
                    raise Conflict("An account with this e-mail already exists. Sign in instead.")
                user = repos.users.add(
                    User(
                        email=email,
                        name=name,
                        role=role,
                        password_hash=password_hash,
                        approved=role != "clinician",
                        email_verified_at=utcnow() if verified else None,
                    )
                )
                actor = Actor(user.id, role, ip, user.approved)
                audit.record(
                    repos, actor, "create", "account", resource_id=user.id,
                    patient_id=user.id if role == "patient" else None,
                )
                return UserView.of(user)
        except IntegrityError as exc:  # two registrations racing for one e-mail
            raise Conflict("An account with this e-mail already exists. Sign in instead.") from exc

    def authenticate(self, email: str, password: str, *, ip: str = "") -> UserView:
        """The user if the password is right; InvalidCredentials (same message) otherwise."""
        email = normalise_email(email)
        # A refused attempt is not verified and records nothing: a blocked client can
        # neither guess nor grow the throttle's memory (security review, finding 14). An
        # allowed one counts as a failure until the password proves right.
        if wait := self.sign_in_throttle.attempt(email, ip):
            raise RateLimited(wait)
        with self.db.unit_of_work(write=False) as repos:
            user = repos.users.by_email(email)
            stored = user.password_hash if user else None
        # An unconfirmed address cannot sign in, with the same message: otherwise signing
        # up as someone else and then signing in would tell whether they had an account.
        if not verify_password(stored, password) or user is None or not user.email_verified_at:
            raise InvalidCredentials()
        self.sign_in_throttle.succeeded(email, ip)
        if needs_rehash(user.password_hash):
            new_hash = hash_password(password)
            with self.db.unit_of_work() as repos:
                row = repos.users.get(user.id)
                if row is not None:
                    row.password_hash = new_hash
        return UserView.of(user)

    def check_password_confirmation(
        self, user_id: int, password: str, *, ip: str = "", field: str = "password"
    ) -> None:
        """Check the password a signed-in person re-types to confirm a sensitive action.

        Throttled like sign-in (growing delays per account, per address and per both), so a
        stolen session cannot be used to guess the password: RateLimited while waiting,
        InvalidInput on ``field`` if it is wrong, None if right. The argon2 check runs
        outside any transaction; call this before the action's own transaction.
        """
        key = f"user:{user_id}"
        if wait := self.confirm_throttle.attempt(key, ip):
            raise RateLimited(wait)
        with self.db.unit_of_work(write=False) as repos:
            user = repos.users.get(user_id)
            stored = user.password_hash if user else None
        if not verify_password(stored, password):
            raise InvalidInput({field: "is not correct: type your current password"})
        self.confirm_throttle.succeeded(key, ip)

    def get(self, user_id: int) -> UserView | None:
        with self.db.unit_of_work(write=False) as repos:
            user = repos.users.get(user_id)
            return UserView.of(user) if user else None

    def by_email(self, email: str) -> UserView | None:
        with self.db.unit_of_work(write=False) as repos:
            user = repos.users.by_email(normalise_email(email))
            return UserView.of(user) if user else None

    def list_users(self, actor: Actor, role: str | None = None) -> list[UserView]:
        if not actor.administers:
            raise PermissionDenied("Only an administrator can list accounts.")
        with self.db.unit_of_work(write=False) as repos:
            return [UserView.of(u) for u in repos.users.list(role)]

    def list_clinicians(self) -> list[UserView]:
        """Approved clinicians a patient can choose from (names and e-mails only)."""
        with self.db.unit_of_work(write=False) as repos:
            users = repos.users.list("clinician")
            return [UserView.of(u) for u in users if u.approved]

    def set_approved(self, actor: Actor, user_id: int, approved: bool = True) -> UserView:
        if not actor.administers:
            raise PermissionDenied("Only an administrator can approve clinicians.")
        with self.db.unit_of_work() as repos:
            user = repos.users.get(user_id)
            if user is None:
                raise NotFound(f"No account with id {user_id}.")
            if user.role != "clinician":
                raise Conflict(f"{user.email} is a {user.role}, not a clinician: nothing to do.")
            if approved and user.email_verified_at is None:
                raise Conflict(
                    f"{user.email} has not confirmed the e-mail address yet: approve the "
                    "account once they have opened the link we sent them."
                )
            user.approved = approved
            audit.record(
                repos, actor, "update", "account", resource_id=user.id, patient_id=None,
                detail="approved" if approved else "approval withdrawn",
            )
            return UserView.of(user)

    def delete_account(self, actor: Actor, user_id: int, *, password: str | None = None) -> None:
        """Erase an account and all its health data (one transaction).

        A person deleting their own account confirms with their password; an admin (or the
        host's CLI) can delete any account except their own through this path. The password
        check is throttled, so a stolen session cannot guess it (finding 19), and runs before
        the transaction (argon2 is slow; SQLite would hold its write lock meanwhile).
        """
        if actor.user_id == user_id:
            self.check_password_confirmation(user_id, password or "", ip=actor.ip)
        with self.db.unit_of_work() as repos:
            user = repos.users.get(user_id)
            if user is None:
                raise NotFound(f"No account with id {user_id}.")
            if actor.user_id != user_id and not actor.administers:
                raise PermissionDenied("You can only delete your own account.")
            audit.record(
                repos, actor, "delete", "account", resource_id=user.id, patient_id=None,
                detail=f"{user.role} account erased with all its data",
            )
            audit.forget_person(repos, user.id)  # no address or detail of theirs survives
            repos.users.delete(user)
