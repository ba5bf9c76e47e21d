"""``Spinecare``: THE application object. The web app, the CLI and the tests all hold one.

It carries the settings and every long-lived piece built from them: the secret key, the
database, the triage engine, the instrument catalogue, the search index, the text
extractor and the ``Services`` bundle (every use case). ``spinecare.bootstrap.bootstrap()``
is the only code that says how each piece is made; this object only holds them, and
builds each one the first time it is asked for (so ``spinecare check`` never loads spaCy,
and ``spinecare --help`` builds nothing at all).

    app = bootstrap(Settings(data_dir=tmp, database_url=url))  # tests: their own Settings
    app.services.triage.check(actor, findings)
    app.engine.evaluate(findings)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from spinecare.settings import Settings

if TYPE_CHECKING:
    from spinecare.adapters.intake.extract import TextExtractor
    from spinecare.adapters.library.search_index import SearchIndex
    from spinecare.adapters.storage.database import Database
    from spinecare.clinical.evidence import ReferenceRegistry
    from spinecare.clinical.instruments import InstrumentDefinition
    from spinecare.clinical.triage.engine import TriageEngine
    from spinecare.services import Services

T = TypeVar("T")


class Lazy(Generic[T]):
    """One piece, built by ``build`` on first use and then kept. Web workers run requests on
    several threads: the lock makes sure a slow piece (the spaCy pipeline) is built once."""

    __slots__ = ("_build", "_building", "_lock", "_value")

    def __init__(self, build: Callable[[], T]) -> None:
        self._build: Callable[[], T] | None = build
        self._lock = threading.RLock()
        self._building = False
        self._value: T | None = None

    @property
    def built(self) -> bool:
        return self._build is None

    def get(self) -> T:
        if self._build is not None:  # once built, no lock is taken
            with self._lock:
                if self._build is not None:
                    # A builder that asks for its own piece would wait on itself forever
                    # with a plain lock: say so instead (the lock is re-entrant for this).
                    if self._building:
                        raise RuntimeError("a piece of the application object needs itself")
                    self._building = True
                    try:
                        self._value = self._build()
                    finally:
                        self._building = False
                    self._build = None  # also lets the builder's closure go
        return cast(T, self._value)


class Spinecare:
    """The settings and every piece built from them, each built once, on first use.

    Construct it with ``spinecare.bootstrap.bootstrap(settings)``; the keyword arguments
    here are the builders bootstrap chose (a test may pass a built piece to bootstrap).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        secret_key: Callable[[], str],
        database: Callable[[], Database],
        engine: Callable[[], TriageEngine],
        instruments: Callable[[], Mapping[str, InstrumentDefinition]],
        references: Callable[[], ReferenceRegistry],
        search_index: Callable[[], SearchIndex],
        extractor: Callable[[], TextExtractor],
        services: Callable[[Spinecare], Services],
    ) -> None:
        self.settings = settings
        self._secret_key = Lazy(secret_key)
        self._database = Lazy(database)
        self._engine = Lazy(engine)
        self._instruments = Lazy(instruments)
        self._references = Lazy(references)
        self._search_index = Lazy(search_index)
        self._extractor = Lazy(extractor)
        self._services = Lazy(lambda: services(self))

    @property
    def secret_key(self) -> str:
        """Signs sessions, CSRF tokens and interview cookies (read or created once)."""
        return self._secret_key.get()

    @property
    def database(self) -> Database:
        return self._database.get()

    @property
    def engine(self) -> TriageEngine:
        """The one triage engine of this process (stateless, thread-safe)."""
        return self._engine.get()

    @property
    def instruments(self) -> Mapping[str, InstrumentDefinition]:
        """The shipped questionnaire definitions, by id, in the public order."""
        return self._instruments.get()

    @property
    def references(self) -> ReferenceRegistry:
        """The reference registry every cited rule, article and option points into."""
        return self._references.get()

    @property
    def search_index(self) -> SearchIndex:
        """The knowledge-base search index over the shipped articles."""
        return self._search_index.get()

    @property
    def extractor(self) -> TextExtractor:
        """Free text -> findings (spaCy: loaded only by the commands and routes that read text)."""
        return self._extractor.get()

    @property
    def services(self) -> Services:
        """Every use case, over this object's database and engine."""
        return self._services.get()

    def close(self) -> None:
        """Release the database's connections, if it was ever opened."""
        if self._database.built:
            self._database.get().dispose()
