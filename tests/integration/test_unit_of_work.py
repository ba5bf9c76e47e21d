"""``Database.unit_of_work()``: the repositories of one transaction, committed or rolled back
as a whole (SQLite, and PostgreSQL when SPINECARE_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import pytest

from spinecare.adapters.storage.models import User, utcnow


def _user(email: str) -> User:
    return User(email=email, name="Uma", role="patient", password_hash="x", approved=True,
                email_verified_at=utcnow())


def test_what_the_block_writes_is_committed_when_it_ends(services) -> None:
    with services.db.unit_of_work() as repos:
        # Every repository works in the one session (= one transaction).
        assert repos.users.session is repos.grants.session is repos.audit.session
        user = repos.users.add(_user("uma@example.org"))
    with services.db.unit_of_work(write=False) as repos:
        found = repos.users.by_email("uma@example.org")
        assert found is not None and found.id == user.id


def test_an_error_in_the_block_rolls_every_write_back(services) -> None:
    with pytest.raises(RuntimeError, match="after the first write"), \
            services.db.unit_of_work() as repos:
        user = repos.users.add(_user("vic@example.org"))
        repos.grants.add(user.id, user.id)
        raise RuntimeError("after the first write")
    with services.db.unit_of_work(write=False) as repos:
        assert repos.users.by_email("vic@example.org") is None
