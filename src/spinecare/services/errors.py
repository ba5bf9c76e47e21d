"""Errors the use cases raise. They say what went wrong, never how to answer it: the web layer
maps each type to one HTTP status (``entrypoints/web/errors.py``), the CLI to ``fail()``."""

from __future__ import annotations


class ServiceError(Exception):
    """Base: ``message`` is safe to show to the person who made the request."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class InvalidInput(ServiceError):
    """One message per field, each saying how to fix it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


class NotAuthenticated(ServiceError):
    """Nobody is signed in, or the sign-in is no longer valid."""


class InvalidCredentials(NotAuthenticated):
    # One message whether or not the e-mail exists: no account enumeration at login.
    def __init__(self) -> None:
        super().__init__(
            "The e-mail or password is not correct, or the address is not confirmed yet "
            "(open the link in the e-mail we sent when you signed up)."
        )


class PermissionDenied(ServiceError):
    """Signed in, but this is not theirs to see or do."""


class NotFound(ServiceError):
    """No such record (or one the person may not know exists)."""


class Conflict(ServiceError):
    """The request clashes with what is stored (an e-mail already in use, say)."""


def in_minutes(seconds: int) -> str:
    """A wait in words people read at a glance: "under a minute", "1 minute", "2 hours"."""
    if seconds < 60:
        return "under a minute"
    minutes = -(-seconds // 60)  # rounded up: never promise less than the real wait
    if minutes < 120:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    return f"{-(-minutes // 60)} hours"


class RateLimited(ServiceError):
    """Too many attempts; ``retry_after`` stays in seconds for the Retry-After header."""

    def __init__(self, retry_after: int, what: str = "attempts") -> None:
        self.retry_after = retry_after
        super().__init__(f"Too many {what}. Try again in {in_minutes(retry_after)}.")
