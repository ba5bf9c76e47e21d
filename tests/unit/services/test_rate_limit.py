"""Throttles: bounded memory, growing delays, atomic check-and-count, waits said in minutes."""

from __future__ import annotations

import threading

import pytest

from spinecare.services.errors import RateLimited, in_minutes
from spinecare.services.rate_limit import (
    AccountThrottle,
    BackoffLimiter,
    FailureLimiter,
    address_key,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_reading_creates_no_entries() -> None:
    # Finding 14: retry_after(email) went through a defaultdict and kept an empty deque
    # for every e-mail ever tried, 429s included.
    window, backoff = FailureLimiter(), BackoffLimiter()
    for i in range(1000):
        assert window.retry_after(f"new-{i}@example.org") == 0
        assert backoff.retry_after(f"new-{i}@example.org") == 0
    assert window.size() == backoff.size() == 0


def test_expired_entries_are_dropped() -> None:
    clock = Clock()
    window = FailureLimiter(max_failures=2, window_seconds=60, clock=clock)
    backoff = BackoffLimiter(free_failures=1, max_delay=60, forget_after=120, clock=clock)
    window.fail("a")
    backoff.fail("a")
    clock.now += 121
    window.fail("b")  # a later write sweeps what has expired, read or not
    backoff.fail("b")
    assert window.size() == backoff.size() == 1
    assert window.retry_after("a") == backoff.retry_after("a") == 0


@pytest.mark.parametrize("limiter", [
    FailureLimiter(max_failures=3, window_seconds=900, max_keys=500),
    BackoffLimiter(max_keys=500),
], ids=["window", "backoff"])
def test_a_flood_of_new_keys_keeps_the_size_bounded(limiter) -> None:  # type: ignore[no-untyped-def]
    for i in range(100_000):
        limiter.fail(f"attacker-{i}@example.org")
    assert limiter.size() == 500
    # The most recent keys are the ones kept.
    limiter.fail("last@example.org")
    limiter.fail("last@example.org")
    limiter.fail("last@example.org")
    limiter.fail("last@example.org")
    assert limiter.retry_after("last@example.org") > 0


def test_failure_window_limits_and_reopens() -> None:
    clock = Clock()
    limiter = FailureLimiter(max_failures=3, window_seconds=60, clock=clock)
    limiter.fail("k")
    clock.now += 10
    limiter.fail("k")
    limiter.fail("k")
    assert limiter.retry_after("k") == 50  # until the first of the three leaves the window
    clock.now += 50
    assert limiter.retry_after("k") == 0
    limiter.reset("k")
    assert limiter.size() == 0


def test_backoff_doubles_after_the_free_failures_up_to_its_cap() -> None:
    clock = Clock()
    limiter = BackoffLimiter(free_failures=2, base_delay=1, max_delay=60, forget_after=900,
                             clock=clock)
    waits = []
    for _ in range(12):
        limiter.fail("k")
        waits.append(limiter.retry_after("k"))
    assert waits == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60]
    clock.now += 60
    assert limiter.retry_after("k") == 0  # the wait is over; the count is not forgotten yet
    limiter.fail("k")
    assert limiter.retry_after("k") == 60
    clock.now += 900
    assert limiter.retry_after("k") == 0 and limiter.size() == 0


def test_hit_counts_atomically_under_parallel_requests() -> None:
    limiter = FailureLimiter(max_failures=20, window_seconds=3600)
    allowed: list[bool] = []
    barrier = threading.Barrier(16)

    def client() -> None:
        barrier.wait()
        for _ in range(4):
            try:
                limiter.hit("10.0.0.1")
                allowed.append(True)
            except RateLimited:
                allowed.append(False)

    threads = [threading.Thread(target=client) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 20 and allowed.count(False) == 44


def test_parallel_password_guesses_cannot_outrun_the_back_off() -> None:
    # Each allowed attempt is counted before the (slow) password check, so 64 parallel
    # guesses get exactly the free allowance of the (account, address) pair.
    throttle = AccountThrottle(clock=Clock())
    allowed: list[int] = []
    barrier = threading.Barrier(64)

    def guess() -> None:
        barrier.wait()
        if throttle.attempt("ana@example.org", "203.0.113.9") == 0:
            allowed.append(1)

    threads = [threading.Thread(target=guess) for _ in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 3


def test_a_success_resets_the_pair_but_not_the_failures_of_the_account() -> None:
    clock = Clock()
    throttle = AccountThrottle(clock=clock)
    for i in range(5):
        assert throttle.attempt("ana@example.org", f"198.51.100.{i}") == 0  # 5 wrong
    clock.now += 1  # the account's first delay
    assert throttle.attempt("ana@example.org", "192.0.2.1") == 0
    throttle.succeeded("ana@example.org", "192.0.2.1")  # the owner, right password
    # The owner's success gave back only its own advance failure: still 5 on the account.
    assert throttle.by_account._entries["ana@example.org"][0] == 5
    assert throttle.by_pair.retry_after("ana@example.org\x1f192.0.2.1") == 0


def test_the_account_delay_is_capped_so_the_owner_waits_at_most_a_minute() -> None:
    # Finding 12: five wrong passwords from anywhere locked the owner out for 15 minutes.
    clock = Clock()
    throttle = AccountThrottle(clock=clock)
    for i in range(200):
        clock.now += throttle.retry_after("ben@example.org", f"198.51.100.{i % 250}")
        assert throttle.attempt("ben@example.org", f"198.51.100.{i % 250}") == 0
    assert 0 < throttle.retry_after("ben@example.org", "192.0.2.7") <= 60


@pytest.mark.parametrize(("ip", "key"), [
    ("203.0.113.9", "203.0.113.9"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
    ("::ffff:203.0.113.9", "203.0.113.9"),
    ("", ""),
    ("testclient", "testclient"),
])
def test_address_key_groups_an_ipv6_host_by_its_64(ip: str, key: str) -> None:
    assert address_key(ip) == key


@pytest.mark.parametrize(("seconds", "words"), [
    (1, "under a minute"), (59, "under a minute"), (60, "1 minute"), (61, "2 minutes"),
    (895, "15 minutes"), (3600, "60 minutes"), (7200, "2 hours"), (7201, "3 hours"),
])
def test_waits_are_said_in_minutes(seconds: int, words: str) -> None:
    assert in_minutes(seconds) == words
    error = RateLimited(seconds)
    assert error.message == f"Too many attempts. Try again in {words}."
    assert error.retry_after == seconds
