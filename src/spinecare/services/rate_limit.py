"""Throttles for sign-in, registration and password confirmation, with bounded memory.

Two shapes, one interface (``retry_after(*keys)``, ``fail(*keys)``, ``reset(*keys)``):

- ``FailureLimiter``: at most ``max_failures`` events per key in a sliding window
  (registration per address, a render limit, ...).
- ``BackoffLimiter``: each failure beyond a free allowance doubles the wait before the next
  attempt, up to a cap (sign-in). Growing delays instead of a hard lock follow OWASP ASVS 5.0
  V6 (authentication: anti-automation that does not let an attacker lock the owner out) and
  the OWASP Authentication Cheat Sheet ("Protect against automated attacks": lockout
  duration and exponential back-off).

Memory: reading never creates an entry, an entry is dropped once it no longer limits
anything, and each limiter keeps at most ``max_keys`` keys (least recently failed evicted
first), so a flood of new e-mails or addresses cannot grow it without bound.

In memory, per process: with several workers each keeps its own counts, so the effective
limits are ``workers ×`` these (documented in docs/deployment.md).
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from spinecare.services.errors import RateLimited

# About 200-600 bytes per key (the key itself plus bookkeeping): a few MB at most.
DEFAULT_MAX_KEYS = 10_000


def address_key(ip: str) -> str:
    """The unit an address limit applies to: the address, or its /64 for IPv6.

    One IPv6 host usually owns a whole /64, so limiting single IPv6 addresses would let it
    rotate through billions of them.
    """
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip  # "" (no client address known), a unix socket path, a test client name
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _seconds(wait: float) -> int:
    """Whole seconds to wait, rounded up (0 = allowed now)."""
    return math.ceil(wait) if wait > 0 else 0


class FailureLimiter:
    """At most ``max_failures`` failures per key within ``window_seconds``."""

    def __init__(
        self,
        max_failures: int = 5,
        window_seconds: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = DEFAULT_MAX_KEYS,
    ):
        self.max_failures = max_failures
        self.window = window_seconds
        self.clock = clock
        self.max_keys = max_keys
        # Oldest last-failure first: the front is what expires or is evicted first. Only the
        # newest max_failures times matter for the window, so each deque is capped too.
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def size(self) -> int:
        """How many keys are held (for tests and monitoring)."""
        return len(self._failures)

    def _live(self, key: str, now: float) -> deque[float] | None:
        """The key's failures still in the window; drops the key if none are (no insert)."""
        failures = self._failures.get(key)
        if failures is None:
            return None
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return None
        return failures

    def retry_after(self, *keys: str) -> int:
        """Seconds to wait before another attempt is allowed (0 = allowed now)."""
        now = self.clock()
        with self._lock:
            return self._wait(keys, now)

    def fail(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            self._record(keys, now)

    def _wait(self, keys: tuple[str, ...], now: float) -> int:
        wait = 0.0
        for key in keys:
            failures = self._live(key, now)
            if failures is not None and len(failures) >= self.max_failures:
                wait = max(wait, self.window - (now - failures[0]))
        return _seconds(wait)

    def _record(self, keys: tuple[str, ...], now: float) -> None:
        for key in keys:
            failures = self._live(key, now)
            if failures is None:
                failures = self._failures[key] = deque(maxlen=max(self.max_failures, 1))
            failures.append(now)
            self._failures.move_to_end(key)
        self._prune(now)

    def reset(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def hit(self, *keys: str, what: str = "attempts") -> None:
        """Count one attempt for each key, or raise RateLimited (counting nothing) if any
        key is at its limit. For limits on attempts rather than on failures."""
        now = self.clock()
        with self._lock:  # check and count at once: parallel requests cannot overshoot
            wait = self._wait(keys, now)
            if not wait:
                self._record(keys, now)
        if wait:
            raise RateLimited(wait, what)

    def _prune(self, now: float) -> None:
        # Entries are ordered by their last failure: expired ones sit at the front.
        while self._failures:
            oldest = next(iter(self._failures.values()))
            if now - oldest[-1] < self.window and len(self._failures) <= self.max_keys:
                break
            self._failures.popitem(last=False)


class BackoffLimiter:
    """Exponential back-off per key: after ``free_failures`` failures, each one doubles the
    wait before the next attempt (``base_delay``, 2×, 4× …, at most ``max_delay``).

    A key is forgotten ``forget_after`` seconds after its last failure. Callers should not
    record attempts that were refused for waiting, so a blocked client creates no entries.
    """

    def __init__(
        self,
        free_failures: int = 3,
        base_delay: float = 1.0,
        max_delay: float = 900.0,
        forget_after: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = DEFAULT_MAX_KEYS,
    ):
        if forget_after < max_delay:
            raise ValueError("forget_after must be at least max_delay")
        self.free_failures = free_failures
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.forget_after = forget_after
        self.clock = clock
        self.max_keys = max_keys
        # key -> (failures, time of the last one); oldest last failure first.
        self._entries: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def size(self) -> int:
        """How many keys are held (for tests and monitoring)."""
        return len(self._entries)

    def delay(self, failures: int) -> float:
        """The wait after ``failures`` consecutive failures."""
        extra = failures - self.free_failures
        if extra < 0:
            return 0.0
        return min(self.max_delay, self.base_delay * 2.0 ** min(extra, 64))

    def _live(self, key: str, now: float) -> tuple[int, float] | None:
        entry = self._entries.get(key)
        if entry is not None and now - entry[1] >= self.forget_after:
            del self._entries[key]
            return None
        return entry

    def retry_after(self, *keys: str) -> int:
        """Seconds to wait before another attempt is allowed (0 = allowed now)."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                entry = self._live(key, now)
                if entry is not None:
                    failures, last = entry
                    wait = max(wait, last + self.delay(failures) - now)
        return _seconds(wait)

    def fail(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                entry = self._live(key, now)
                failures = entry[0] if entry else 0
                # The count stops growing once the delay is at its cap: no huge numbers.
                if self.delay(failures) < self.max_delay:
                    failures += 1
                self._entries[key] = (failures, now)
                self._entries.move_to_end(key)
            self._prune(now)

    def reset(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._entries.pop(key, None)

    def refund(self, *keys: str) -> None:
        """Take back one failure (one counted in advance for an attempt that succeeded)."""
        now = self.clock()
        with self._lock:
            for key in keys:
                entry = self._live(key, now)
                if entry is None:
                    continue
                if entry[0] <= 1:
                    del self._entries[key]
                else:
                    self._entries[key] = (entry[0] - 1, entry[1])

    def _prune(self, now: float) -> None:
        while self._entries:
            _, last = next(iter(self._entries.values()))
            if now - last < self.forget_after and len(self._entries) <= self.max_keys:
                break
            self._entries.popitem(last=False)


class AccountThrottle:
    """Growing delays for password guesses, by address, by (account, address) and by account.

    - By address: a whole clinic may share one address, so a generous free allowance
      (20 failures) before delays grow to a 15-minute cap.
    - By (account, address): the owner's own typos or one attacker on one account; 3 free,
      then 1 s, 2 s, 4 s … up to 15 minutes. A success resets it.
    - By account, from everywhere: the only brake on guessing from many addresses, so its
      delay is capped at 60 s. The real owner is never made to wait more than a minute,
      yet a distributed attacker gets about one guess a minute (1,440 a day), against the
      10^8 guesses the password policy demands (zxcvbn score 3). It fades after 15 quiet
      minutes. Per OWASP ASVS 5.0 V6 and the OWASP Authentication Cheat Sheet: no
      hard lock an attacker can impose on the owner.

    ``attempt`` checks and counts a failure in one step, before the password is verified,
    so parallel guesses cannot all slip through before the first failure is recorded; a
    success takes it back. A refused attempt records nothing, so a blocked client creates
    no entries.
    """

    def __init__(
        self,
        by_address: BackoffLimiter | None = None,
        by_pair: BackoffLimiter | None = None,
        by_account: BackoffLimiter | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.by_address = by_address or BackoffLimiter(
            free_failures=20, base_delay=1.0, max_delay=900.0, forget_after=3600.0, clock=clock)
        self.by_pair = by_pair or BackoffLimiter(
            free_failures=3, base_delay=1.0, max_delay=900.0, forget_after=3600.0, clock=clock)
        self.by_account = by_account or BackoffLimiter(
            free_failures=5, base_delay=1.0, max_delay=60.0, forget_after=900.0, clock=clock)
        self._lock = threading.Lock()

    @staticmethod
    def _keys(account: str, ip: str) -> tuple[str, str]:
        address = address_key(ip)
        return address, f"{account}\x1f{address}"

    def retry_after(self, account: str, ip: str) -> int:
        address, pair = self._keys(account, ip)
        return max(self.by_address.retry_after(address), self.by_pair.retry_after(pair),
                   self.by_account.retry_after(account))

    def attempt(self, account: str, ip: str) -> int:
        """Seconds to wait (nothing recorded), or 0 with a failure counted in advance:
        call ``succeeded`` if the password turns out right."""
        with self._lock:
            wait = self.retry_after(account, ip)
            if not wait:
                self.failed(account, ip)
        return wait

    def failed(self, account: str, ip: str) -> None:
        address, pair = self._keys(account, ip)
        self.by_address.fail(address)
        self.by_pair.fail(pair)
        self.by_account.fail(account)

    def succeeded(self, account: str, ip: str) -> None:
        """After ``attempt``: the pair starts afresh; the address and the account get their
        advance failure back but keep every real one (an attacker's own good sign-ins must
        not buy more guesses)."""
        address, pair = self._keys(account, ip)
        self.by_pair.reset(pair)
        self.by_address.refund(address)
        self.by_account.refund(account)

    def size(self) -> int:
        """How many keys are held (for tests and monitoring)."""
        return self.by_address.size() + self.by_pair.size() + self.by_account.size()


# Sign-ups per client address (security review, finding 8). 20 an hour: a clinic may sign
# up a waiting room of patients from its one address, and attempts turned away for a weak
# password count too; one address still gets at most 480 accounts a day, each hash waits
# for an argon2 slot (services/passwords.py), and nginx's limit_req adds a per-second brake.
SIGNUPS_PER_ADDRESS = 20
SIGNUP_WINDOW_SECONDS = 3600.0


def signup_limiter() -> FailureLimiter:
    """Use as ``limiter.hit(address_key(ip), what="sign-ups from this address")``."""
    return FailureLimiter(max_failures=SIGNUPS_PER_ADDRESS, window_seconds=SIGNUP_WINDOW_SECONDS)
