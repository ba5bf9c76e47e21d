"""Engine and transactions: one ``Database`` per process, one transaction per write.

Services open ``with db.unit_of_work() as repos:``: every repository bound to one
transaction, committed when the block ends and rolled back if it raises.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from spinecare.adapters.storage.repositories import Repositories


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy defaults to psycopg2)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while one writer commits; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Write transactions on SQLite start with BEGIN IMMEDIATE: the write lock is taken before the
# first read, so a check-then-act (read a grant, then revoke it) cannot interleave with
# another process doing the same (security review finding 18). Reads keep a plain BEGIN
# (deferred): in WAL mode they never wait for a writer.
_WRITE_OPTION = "spinecare_write"


def _let_sqlalchemy_begin(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite would otherwise issue its own deferred BEGIN, and only at the first write;
    # with None it leaves transactions to the "begin" event below.
    dbapi_connection.isolation_level = None


def _begin_sqlite(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _create_private_file(path: Path) -> None:
    """Health data: the directory and the database file readable by the owner only."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def create_db_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _create_private_file(Path(parsed.database))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _let_sqlalchemy_begin)
        event.listen(engine, "connect", _enable_sqlite_pragmas)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class Database:
    """Owns the engine and hands out sessions; ``unit_of_work()`` gives the repositories
    of one transaction (``transaction()`` the bare session, for storage tests)."""

    def __init__(self, url: str):
        self.url = normalise_url(url)
        self.engine = create_db_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Same pool, marked as writing: on SQLite its transactions BEGIN IMMEDIATE.
        self._write_sessions = sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )
        # SQLite has one writer at a time, and a writer that finds the file locked sleeps
        # in growing steps (up to 100 ms) before retrying. Queueing this process's writers
        # on a lock instead keeps the wait short and fair; other processes still meet
        # SQLite's own lock (busy_timeout). PostgreSQL needs none of this.
        self._write_lock: threading.RLock | None = (
            threading.RLock() if self.dialect == "sqlite" else None
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """A session inside one transaction: commit on success, roll back on any error.

        ``write=False`` for pure reads (they skip the SQLite writer queue); anything that
        may write, including a read that records an audit event, keeps the default. A write
        transaction holds SQLite's write lock from its first statement, so what it reads
        stays true until it commits; on PostgreSQL, lock the rows a decision rests on
        (``SELECT … FOR UPDATE``, see ``GrantRepository.active(lock=True)``).
        """
        lock = self._write_lock if write else None
        sessions = self._write_sessions if write else self._sessions
        if lock is not None:
            lock.acquire()
        try:
            with sessions() as session, session.begin():
                yield session
        finally:
            if lock is not None:
                lock.release()

    @contextmanager
    def unit_of_work(self, *, write: bool = True) -> Iterator[Repositories]:
        """Every repository bound to one transaction (Cosmic Python's ``with uow:``):
        commit when the block ends, roll back on any error. ``write`` as in
        ``transaction()``: ``write=False`` for pure reads."""
        with self.transaction(write=write) as session:
            yield Repositories(session)

    def dispose(self) -> None:
        self.engine.dispose()
