"""Password policy (common, guessable and personal passwords) and argon2's memory bound."""

from __future__ import annotations

import threading
import time

import pytest

from spinecare.services import demo, passwords
from spinecare.services.passwords import password_problem, verify_password


@pytest.mark.parametrize("password", [
    "password12", "aaaaaaaaaa", "1234567890", "qwertyuiop", "Password1!", "iloveyou123",
    "spinecare2024",
])
def test_common_and_guessable_passwords_are_refused_with_advice(password: str) -> None:
    # Finding 13: the policy checked length only, so all of these were accepted.
    problem = password_problem(password, email="ana@example.org", name="Ana Ribeiro")
    assert problem is not None and problem.startswith("is too easy to guess")
    assert problem.rstrip().endswith(".") and len(problem.split(".")) >= 2  # says what to do


@pytest.mark.parametrize(("password", "email", "name"), [
    ("ana@example.org", "ana@example.org", "Ana"),
    ("ANA@EXAMPLE.ORG", "ana@example.org", "Ana"),
    ("ana.ribeiro", "ana.ribeiro@example.org", "Ana Ribeiro"),
    ("my name is ana.ribeiro!", "ana.ribeiro@example.org", "Ana Ribeiro"),
    ("maya-okafor-1980", "maya@example.org", "Dr Maya Okafor"),
])
def test_the_e_mail_or_its_first_part_is_refused(password: str, email: str, name: str) -> None:
    problem = password_problem(password, email=email, name=name)
    assert problem is not None and "e-mail address" in problem


def test_the_name_counts_as_a_guessable_word() -> None:
    assert password_problem("okaformaya1") is None  # strong enough for a stranger …
    problem = password_problem("okaformaya1", email="m@example.org", name="Maya Okafor")
    assert problem == ("is too easy to guess (it contains your name). Add another word or "
                       "two. Uncommon words are better.")  # … not for Maya Okafor


@pytest.mark.parametrize(("password", "email", "name"), [
    ("correct horse battery staple", "ana@example.org", "Ana"),  # the API tests' password
    ("correct horse battery", "ana@example.org", "Ana"),
    ("a long enough password", "ana@example.org", "Ana"),
    ("schema password 1", "p@example.org", "P"),
    ("a long password", "doc@example.org", "Dr Doc"),
    ("an admin password 42", "root@example.org", "Administrator"),
    ("matrix password 123", "new-person@example.org", "New"),
    *[(a.password, a.email, a.name) for a in demo.ACCOUNTS],
])
def test_passphrases_used_by_the_tests_and_the_demo_pass(
    password: str, email: str, name: str
) -> None:
    assert password_problem(password, email=email, name=name) is None


def test_long_passwords_are_judged_quickly_and_never_crash() -> None:
    # zxcvbn raises ValueError above 72 characters and slows down on long strings.
    start = time.monotonic()
    assert password_problem("correct horse battery staple " * 8) is None  # 232 characters
    assert password_problem("a" * 256) is not None
    assert password_problem("z" * 257) == "must be at most 256 characters long"
    assert time.monotonic() - start < 10  # generous: well under a second in practice


def test_the_length_rules_come_first_as_before() -> None:
    assert "at least 10 characters" in str(password_problem("short"))
    assert password_problem(" " * 12) == "must not be only spaces"


def test_at_most_a_few_argon2_computations_run_at_once() -> None:
    # Finding 8: every hash or check holds 19 MiB; 64 parallel sign-ups held 64 of them,
    # and the allocator kept them. Hashes run on a pool of at most 4 threads of their own.
    assert 1 <= passwords.ARGON2_CONCURRENCY <= 4
    release = threading.Event()
    busy = [passwords._ARGON2_POOL.submit(release.wait, 30)
            for _ in range(passwords.ARGON2_CONCURRENCY)]
    done = threading.Event()
    worker = threading.Thread(target=lambda: (verify_password(None, "x" * 12), done.set()))
    try:
        worker.start()
        assert not done.wait(0.5)  # every argon2 thread is taken: the check waits its turn
    finally:
        release.set()
    assert done.wait(30)
    worker.join()
    assert all(f.result() for f in busy)
