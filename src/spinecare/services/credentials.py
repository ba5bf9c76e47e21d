"""Sign-up with a confirmed e-mail address, password reset by e-mail, password change.

Nothing here tells a stranger whether an address has an account (security review,
finding 11): registration and "forgot your password?" give the same answer either way and
the difference goes by e-mail to the address's owner. Links are single-use, short-lived
and stored only as hashes (OWASP Forgot Password Cheat Sheet; ASVS 5.0 V6.4). A new
password ends every other sign-in and token (ASVS 5.0 V7.4.3).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy.exc import IntegrityError

from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import AccountToken, User, utcnow
from spinecare.adapters.storage.repositories import Repositories
from spinecare.services import audit
from spinecare.services.accounts import (
    BLANK,
    AccountService,
    normalise_email,
    validate_registration,
)
from spinecare.services.actor import Actor
from spinecare.services.errors import InvalidInput, NotAuthenticated
from spinecare.services.mail import Mail, Mailer
from spinecare.services.passwords import hash_password, password_problem
from spinecare.services.rate_limit import FailureLimiter, address_key, signup_limiter
from spinecare.services.sessions import hash_secret
from spinecare.services.views import UserView

VERIFY_LIFETIME = timedelta(hours=48)
RESET_LIFETIME = timedelta(minutes=30)  # OWASP: short-lived reset tokens
SIGNUP_ANSWER = (
    "We have sent a message to {email}. Open the link in it to confirm your address, then "
    "sign in."
)
RESET_ANSWER = (
    "If {email} has a spinecare account, we have sent it a link to choose a new password. "
    "The link works once, for 30 minutes."
)
BAD_LINK = (
    "This link is not valid any more: it has been used, it is older than {hours}, or it was "
    "copied incompletely. Ask for a new one."
)


class CredentialService:
    def __init__(
        self,
        db: Database,
        accounts: AccountService,
        mailer: Mailer,
        base_url: str,
        *,
        reset_limiter: FailureLimiter | None = None,
        mail_limiter: FailureLimiter | None = None,
    ):
        self.db = db
        self.accounts = accounts
        self.mailer = mailer
        self.base_url = base_url.rstrip("/")
        # "Forgot your password?" requests per client address (429 is fine: it says
        # nothing about any account), and e-mails per address we send to (silently
        # capped, so nobody can flood an inbox and the answer stays the same).
        self.reset_limiter = reset_limiter or FailureLimiter(max_failures=10, window_seconds=3600)
        self.mail_limiter = mail_limiter or FailureLimiter(max_failures=3, window_seconds=3600)
        self.signup_limiter = signup_limiter()  # sign-ups per client address (finding 8)

    # --- sign-up ------------------------------------------------------------------------

    def register(self, email: str, password: str, name: str, role: str, *, ip: str = "") -> str:
        """Create an unconfirmed patient or clinician account and e-mail its confirmation
        link; if the address already has an account, e-mail its owner instead. Returns the
        message to show, the same in both cases."""
        self.signup_limiter.hit(address_key(ip), what="sign-ups from this address")
        problems = validate_registration(email, password, name, role)
        if problems:
            raise InvalidInput(problems)
        address = normalise_email(email)
        password_hash = hash_password(password)  # in both cases: the same time either way
        try:
            with self.db.unit_of_work() as repos:
                existing = repos.users.by_email(address)
                if existing is None:
                    user = repos.users.add(User(
                        email=address, name=name.strip(BLANK), role=role,
                        password_hash=password_hash, approved=role != "clinician",
                    ))
                    audit.record(
                        repos, Actor(user.id, role, ip, user.approved), "create", "account",
                        resource_id=user.id, patient_id=user.id if role == "patient" else None,
                    )
                    secret = self._new_token(repos, user.id, "verify", VERIFY_LIFETIME)
                    mail = self._verify_mail(user.name, address, secret)
                else:
                    mail = self._already_registered_mail(address)
        except IntegrityError:  # two sign-ups racing for one address: the other one won
            mail = self._already_registered_mail(address)
        self.mailer.send(mail)
        return SIGNUP_ANSWER.format(email=address)

    def verify_email(self, token: str) -> UserView:
        """Confirm the address behind a sign-up link (once)."""
        with self.db.unit_of_work() as repos:
            row = self._live_token(repos, token, "verify")
            if row is None:
                raise InvalidInput({"token": BAD_LINK.format(hours="48 hours")})
            now = utcnow()
            row.used_at = now
            user = repos.users.get(row.user_id)
            assert user is not None  # tokens go with their account (cascade)
            if user.email_verified_at is None:
                user.email_verified_at = now
                audit.record(repos, Actor(user.id, user.role, "", user.approved), "update",
                             "account", resource_id=user.id, patient_id=None,
                             detail="e-mail address confirmed")
            return UserView.of(user)

    # --- forgot your password? ------------------------------------------------------------

    def request_password_reset(self, email: str, *, ip: str = "") -> str:
        """E-mail a reset link if the address has an account. Same answer either way."""
        address = normalise_email(email)
        # Every request counts, found or not; checked and counted at once.
        self.reset_limiter.hit(address_key(ip), what="requests for a new password")
        mail = None
        if not self.mail_limiter.retry_after(address):
            with self.db.unit_of_work() as repos:
                user = repos.users.by_email(address)
                if user is not None:
                    secret = self._new_token(repos, user.id, "reset", RESET_LIFETIME)
                    mail = self._reset_mail(user.name, address, secret)
        if mail is not None:
            self.mail_limiter.fail(address)
            self.mailer.send(mail)
        return RESET_ANSWER.format(email=address)

    def reset_password(self, token: str, new_password: str) -> UserView:
        """Set a new password from a reset link (once). Ends every sign-in and token, and
        confirms the address (the link proves the person reads its mail)."""
        with self.db.unit_of_work(write=False) as repos:
            row = self._live_token(repos, token, "reset")
            user = repos.users.get(row.user_id) if row else None
            email, name = (user.email, user.name) if user else ("", "")
        if user is None:
            raise InvalidInput({"token": BAD_LINK.format(hours="30 minutes")})
        if (problem := password_problem(new_password, email=email, name=name)) is not None:
            raise InvalidInput({"password": problem})
        new_hash = hash_password(new_password)  # slow: outside the transaction
        with self.db.unit_of_work() as repos:
            row = self._live_token(repos, token, "reset")
            if row is None:  # used by a second click in the meantime
                raise InvalidInput({"token": BAD_LINK.format(hours="30 minutes")})
            user = repos.users.get(row.user_id)
            assert user is not None
            user.email_verified_at = user.email_verified_at or utcnow()
            _set_password(repos, user, new_hash, Actor(user.id, user.role, "", user.approved),
                          detail="password reset by e-mail; every sign-in ended")
            view = UserView.of(user)
        self.mailer.send(self._changed_mail(name, email))
        return view

    # --- change password (signed in) ------------------------------------------------------

    def change_password(
        self, actor: Actor, current: str, new: str, *, keep_session: int | None = None
    ) -> int:
        """Change the signed-in person's password; every other sign-in and token ends.
        Returns how many were ended."""
        if actor.user_id is None:
            raise NotAuthenticated("Sign in first.")
        # Throttled like sign-in: a stolen session cannot be used to guess the password.
        self.accounts.check_password_confirmation(
            actor.user_id, current, ip=actor.ip, field="current_password"
        )
        with self.db.unit_of_work(write=False) as repos:
            user = repos.users.get(actor.user_id)
            if user is None:
                raise NotAuthenticated("This account no longer exists.")
            email, name = user.email, user.name
        problem = password_problem(new, email=email, name=name)
        if problem is None and new == current:
            problem = "must be different from your current password"
        if problem is not None:
            raise InvalidInput({"new_password": problem})
        new_hash = hash_password(new)
        with self.db.unit_of_work() as repos:
            row = repos.users.get(actor.user_id)
            if row is None:
                raise NotAuthenticated("This account no longer exists.")
            ended = _set_password(repos, row, new_hash, actor, keep_session=keep_session,
                                  detail="password changed; other sign-ins ended")
        self.mailer.send(self._changed_mail(name, email))
        return ended

    # --- helpers ------------------------------------------------------------------------

    def _new_token(self, repos: Repositories, user_id: int, purpose: str,
                   lifetime: timedelta) -> str:
        secret = secrets.token_urlsafe(32)
        now = utcnow()
        repos.account_tokens.add(AccountToken(
            user_id=user_id, purpose=purpose, secret_hash=hash_secret(secret),
            created_at=now, expires_at=now + lifetime,
        ))
        return secret

    @staticmethod
    def _live_token(repos: Repositories, token: str, purpose: str) -> AccountToken | None:
        if not token or len(token) > 200:
            return None
        row = repos.account_tokens.by_hash(hash_secret(token), purpose)
        if row is None or row.used_at is not None or row.expires_at <= utcnow():
            return None
        return row

    def _link(self, path: str, token: str) -> str:
        return f"{self.base_url}{path}?{urlencode({'token': token})}"

    def _verify_mail(self, name: str, email: str, secret: str) -> Mail:
        return Mail(email, "Confirm your e-mail address for spinecare", (
            f"Hello {name},\n\nTo finish creating your spinecare account, open this link and "
            f"press \"Confirm my address\":\n\n{self._link('/verify', secret)}\n\n"
            "The link works once, for 48 hours.\n\nIf you did not create a spinecare "
            "account, you can ignore this e-mail: nothing more will happen.\n"
        ))

    def _already_registered_mail(self, email: str) -> Mail:
        return Mail(email, "You already have a spinecare account", (
            "Hello,\n\nSomeone, probably you, tried to create a spinecare account with this "
            "e-mail address. You already have one, so nothing was changed.\n\n"
            f"Sign in: {self.base_url}/signin\n"
            f"Forgotten your password? Choose a new one: {self.base_url}/forgot\n\n"
            "If this was not you, you can ignore this e-mail: your account is safe.\n"
        ))

    def _reset_mail(self, name: str, email: str, secret: str) -> Mail:
        return Mail(email, "Choose a new spinecare password", (
            f"Hello {name},\n\nTo choose a new password, open this link:\n\n"
            f"{self._link('/reset', secret)}\n\nThe link works once, for 30 minutes. "
            "Choosing a new password signs you out everywhere.\n\nIf you did not ask for "
            "this, ignore this e-mail: your password has not changed.\n"
        ))

    def _changed_mail(self, name: str, email: str) -> Mail:
        return Mail(email, "Your spinecare password was changed", (
            f"Hello {name},\n\nThe password of your spinecare account was just changed, and "
            "every other place where you were signed in was signed out.\n\n"
            "If you did not do this, choose a new password now and tell your clinic: "
            f"{self.base_url}/forgot\n"
        ))


def _set_password(
    repos: Repositories, user: User, new_hash: str, actor: Actor, *, detail: str,
    keep_session: int | None = None,
) -> int:
    """Store a new password hash: open reset links die and every sign-in and token but
    ``keep_session`` ends (ASVS 5.0 V7.4.3). Returns how many sign-ins ended."""
    user.password_hash = new_hash
    repos.account_tokens.use_all(user.id, "reset", utcnow())
    ended = repos.sessions.delete_for_user(user.id, keep=keep_session)
    audit.record(repos, actor, "update", "account", resource_id=user.id, patient_id=None,
                 detail=detail)
    return ended
