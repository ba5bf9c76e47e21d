"""argon2id password hashing with the OWASP Password Storage Cheat Sheet parameters.

m = 19 MiB, t = 2, p = 1 (OWASP's first argon2id option). The library default is the
RFC 9106 low-memory profile, so the parameters are passed explicitly; hashes made with
other parameters are upgraded at the next successful sign-in (``needs_rehash``).
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher(
    time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID
)
# Verified when the e-mail is unknown so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = HASHER.hash("not-a-real-password-only-for-timing")

MIN_LENGTH = 10
MAX_LENGTH = 256


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return HASHER.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """A fixable message if the password is unacceptable, else None."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters long (a short sentence works well)"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters long"
    if not password.strip(" \t\n\r\f\v"):
        return "must not be only spaces"
    return None
