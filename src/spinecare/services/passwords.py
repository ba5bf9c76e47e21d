"""argon2id password hashing with the OWASP Password Storage Cheat Sheet parameters, and
the password policy.

m = 19 MiB, t = 2, p = 1 (OWASP's first argon2id option). The library default is the
RFC 9106 low-memory profile, so the parameters are passed explicitly; hashes made with
other parameters are upgraded at the next successful sign-in (``needs_rehash``).

Each hash or verification holds 19 MiB while it runs, so they run on a small pool of
``ARGON2_CONCURRENCY`` threads of their own, at most that many at once per process; the
rest wait their turn (security review, finding 8: 400 parallel sign-ups took the server
from 331 MB to 1.1 GB, and it stayed there). A pool rather than a semaphore because the C
allocator keeps each thread's 19 MiB arena after the hash is done: with only these threads
hashing, only their arenas hold it. More at once than cores buys no throughput, only memory.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import zxcvbn
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher(
    time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID
)
# Verified when the e-mail is unknown so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = HASHER.hash("not-a-real-password-only-for-timing")

MIN_LENGTH = 10
MAX_LENGTH = 256


# One per core, at most 4: 4 × 19 MiB = 76 MiB of argon2 memory per process at worst.
ARGON2_CONCURRENCY = max(1, min(4, os.cpu_count() or 1))
# Threads start on first use, not at import (nothing to inherit across a fork).
_ARGON2_POOL = ThreadPoolExecutor(ARGON2_CONCURRENCY, thread_name_prefix="argon2")


def hash_password(password: str) -> str:
    return _ARGON2_POOL.submit(HASHER.hash, password).result()


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        ok = _ARGON2_POOL.submit(HASHER.verify, password_hash or _DUMMY_HASH, password).result()
        return ok and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return HASHER.check_needs_rehash(password_hash)


# zxcvbn's score 3 means "safely unguessable" (about 10^8 guesses or more). With argon2id
# and sign-in back-off (about one guess a minute per account at best) that is out of reach
# of online guessing, while score 4 would turn away many memorable passphrases. NIST SP
# 800-63B 3.1.1.2 asks to check new passwords against commonly used, expected or
# compromised values and context-specific words (the service name, the user's name and
# e-mail): zxcvbn's frequency lists and the user inputs below do that, without composition
# rules (which 800-63B forbids).
MIN_SCORE = 3
# zxcvbn is slow on long strings (its default limit is 72); a longer password is judged by
# its first 72 characters, which is plenty to tell a passphrase from "password123…".
STRENGTH_CHECK_LENGTH = 72
# Words of the service itself: a password built from them is easy to guess here.
_SERVICE_WORDS = ("spinecare", "spine", "care", "back pain")
# zxcvbn keeps the user inputs in a module-global dictionary while it runs: one at a time.
_ZXCVBN_LOCK = threading.Lock()
_FALLBACK_ADVICE = "Add another word or two: a short sentence of unrelated words works well."


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """A fixable message if the password is unacceptable, else None.

    ``email`` and ``name`` (the account's) make passwords built from them fail.
    """
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters long (a short sentence works well)"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters long"
    if not password.strip(" \t\n\r\f\v"):
        return "must not be only spaces"
    if (problem := _personal_problem(password, email)) is not None:
        return problem
    return _strength_problem(password, [email, *email.split("@")[:1]], name.split())


def _personal_problem(password: str, email: str) -> str | None:
    """No password that is, or contains, the e-mail address or the name before its @."""
    email = email.strip(" \t\n\r\f\v").lower()
    if not email:
        return None
    lowered = password.strip(" \t\n\r\f\v").lower()
    local = email.split("@", 1)[0]
    # The name part only counts from 3 characters: "jo" or "p" would forbid half the words.
    if lowered in (email, local) or email in lowered or (len(local) >= 3 and local in lowered):
        return (f"must not contain your e-mail address or its first part (\"{local}\"): "
                "choose words that have nothing to do with you")
    return None


def _strength_problem(password: str, user_inputs: Iterable[str], names: list[str]) -> str | None:
    inputs = [word for word in (*user_inputs, *names) if word] + list(_SERVICE_WORDS)
    with _ZXCVBN_LOCK:
        result = zxcvbn.zxcvbn(password[:STRENGTH_CHECK_LENGTH], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result.get("feedback") or {}
    warning = str(feedback.get("warning") or "").strip()
    advice = " ".join(str(s).strip() for s in feedback.get("suggestions") or [] if s)
    if not warning and any(len(n) >= 3 and n.lower() in password.lower() for n in names):
        warning = "It contains your name."
    reason = f" ({warning[:1].lower()}{warning[1:].rstrip('.')})" if warning else ""
    return f"is too easy to guess{reason}. {advice or _FALLBACK_ADVICE}"
