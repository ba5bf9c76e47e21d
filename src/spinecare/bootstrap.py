"""The composition root: the only code that builds the application's pieces.

``bootstrap(settings)`` returns the one ``Spinecare`` application object. The web app
(``entrypoints/web/server.py``), the CLI (``entrypoints/cli/common.py``) and the tests call
it; nothing else builds an engine, opens the database or reads the settings. Each piece is
built on first use, through the object, and then kept for the life of the process.

Adding a use case: a field in ``spinecare.services.Services`` and one line in
``build_services`` below.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from spinecare.app import Spinecare
from spinecare.paths import private_dir
from spinecare.settings import Settings

# Each builder below imports the module of the piece it builds, when it builds it: this
# module is where heavy things are made, and a CLI command that needs one piece (the
# engine, the catalogue) must not pay for the others (SQLAlchemy, bm25s/NumPy, spaCy).
# Everything else in the package imports at the top (docs/architecture.md, rule 7).
if TYPE_CHECKING:
    from spinecare.adapters.artefact_cache import ArtefactCache
    from spinecare.adapters.intake.extract import TextExtractor
    from spinecare.adapters.library.search_index import SearchIndex
    from spinecare.adapters.storage.database import Database
    from spinecare.clinical.evidence import ReferenceRegistry
    from spinecare.clinical.instruments import InstrumentDefinition
    from spinecare.clinical.triage.engine import TriageEngine
    from spinecare.services import Services
    from spinecare.services.decision_aid import DecisionAidService
    from spinecare.services.exercise import ExerciseCatalogue, ExerciseService
    from spinecare.services.instruments import InstrumentService
    from spinecare.services.reminders import ReminderService
    from spinecare.services.search import SearchService
    from spinecare.services.symptom_check import SymptomCheckService

# Spinecare and private_dir are re-exported: callers need only this module.
__all__ = [
    "SecretKeyError", "Spinecare", "bootstrap", "build_services", "private_dir", "secret_key",
    "symptom_check_service",
]

T = TypeVar("T")

SECRET_KEY_FILE = "secret_key"
# Sessions, CSRF tokens and interview cookies are signed with the key: a short one can be
# guessed offline from a single signed value (security review finding 16).
MIN_SECRET_KEY_CHARS = 32
MAKE_A_KEY = 'python3 -c "import secrets; print(secrets.token_urlsafe(48))"'


class SecretKeyError(RuntimeError):
    """The configured or stored secret key cannot be used; the message says how to fix it."""


def bootstrap(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    engine: TriageEngine | None = None,
    instruments: Mapping[str, InstrumentDefinition] | None = None,
    search_index: SearchIndex | None = None,
    extractor: TextExtractor | None = None,
) -> Spinecare:
    """The application object. Entry points pass nothing (settings from the environment);
    tests pass their own ``Settings`` and, if they like, pieces they built themselves."""
    config = settings if settings is not None else Settings.from_env()
    return Spinecare(
        config,
        secret_key=lambda: secret_key(config),
        database=_given(database, lambda: open_database(config)),
        engine=_given(engine, triage_engine),
        instruments=_given(instruments, instrument_catalogue),
        references=reference_registry,
        search_index=_given(search_index, lambda: build_search_index(artefact_cache(config))),
        extractor=_given(extractor, lambda: text_extractor(artefact_cache(config))),
        services=build_services,
    )


def _given(piece: T | None, build: Callable[[], T]) -> Callable[[], T]:
    if piece is None:
        return build
    given: T = piece
    return lambda: given


def open_database(config: Settings) -> Database:
    from spinecare.adapters.storage.database import Database

    return Database(config.database_url)


def build_services(app: Spinecare) -> Services:
    """Every use case over the app's database and engine (built with the services)."""
    from spinecare.services import Services
    from spinecare.services.accounts import AccountService
    from spinecare.services.audit import AuditService
    from spinecare.services.care_team import CareTeamService
    from spinecare.services.credentials import CredentialService
    from spinecare.services.data_rights import DataRightsService
    from spinecare.services.diary import DiaryService
    from spinecare.services.mail import build_mailer
    from spinecare.services.questionnaires import QuestionnaireService
    from spinecare.services.report import ReportService
    from spinecare.services.sessions import SessionService
    from spinecare.services.triage import TriageService

    db = app.database
    config = app.settings
    accounts = AccountService(db)
    instruments = instrument_service(app)
    return Services(
        db=db,
        accounts=accounts,
        care_team=CareTeamService(db),
        triage=TriageService(db, app.engine, config.country),
        questionnaires=QuestionnaireService(db, instruments),
        audit=AuditService(db),
        data_rights=DataRightsService(db, instruments),
        sessions=SessionService(db),
        credentials=CredentialService(db, accounts, build_mailer(config), config.base_url),
        instruments=instruments,
        search=search_service(app),
        decision_aid=decision_aid_service(app),
        diary=DiaryService(db, app.engine, config.country,
                           read_words=lambda text: app.extractor.extract(text)),
        reminders=reminder_service(app),
        exercise=exercise_service(app),
        report=ReportService(db, instruments, lambda: app.references),
    )


# The use cases that need no database, on their own: the CLI's check, score, search and
# decide commands build only the one they use (no database file; the engine only if used).
def instrument_service(app: Spinecare) -> InstrumentService:
    """The app's instrument catalogue with the clinic's licensed wording (data dir)."""
    from spinecare.services.instruments import InstrumentService

    return InstrumentService(lambda: app.instruments, app.settings.data_dir)


def symptom_check_service(
    app: Spinecare, *, country: str | None = None
) -> SymptomCheckService:
    """Symptom checks without the database (``spinecare check`` stores nothing): the app's
    engine, for ``country`` if given (the command's ``--country``), else the setting's."""
    from spinecare.services.symptom_check import SymptomCheckService

    return SymptomCheckService(
        app.engine, app.settings.country if country is None else country)


def search_service(app: Spinecare) -> SearchService:
    # The emergency screen reads the query with the app's one text extractor.
    from spinecare.services.search import SearchService

    return SearchService(lambda: app.search_index, engine=lambda: app.engine,
                         references=lambda: app.references,
                         country=app.settings.country,
                         extract=lambda text: app.extractor.extract(text))


def exercise_catalogue(app: Spinecare) -> ExerciseCatalogue:
    """The exercise library and programmes without a database (``spinecare exercise``)."""
    from spinecare.adapters.exercise_files import load_library
    from spinecare.services.exercise import ExerciseCatalogue

    return ExerciseCatalogue(lambda: load_library(app.references),
                             references=lambda: app.references)


def exercise_service(app: Spinecare) -> ExerciseService:
    from spinecare.services.exercise import ExerciseService

    return ExerciseService(app.database, exercise_catalogue(app))


def reminder_service(app: Spinecare) -> ReminderService:
    # Reminders are real e-mails: no SMTP host, no mailer (the sender says so).
    from spinecare.services.mail import SmtpMailer
    from spinecare.services.reminders import ReminderService
    from spinecare.services.sessions import SessionService

    config = app.settings
    return ReminderService(app.database, SessionService(app.database),
                           SmtpMailer(config) if config.smtp_host else None, config.base_url,
                           lambda: app.secret_key, exercise=lambda: app.services.exercise)


def decision_aid_service(app: Spinecare) -> DecisionAidService:
    from spinecare.services.decision_aid import DecisionAidService, load_grid

    return DecisionAidService(
        lambda: load_grid(references=app.references), engine=lambda: app.engine,
        references=lambda: app.references, country=app.settings.country,
    )


# --- the pieces ---------------------------------------------------------------------------

def triage_engine() -> TriageEngine:
    """An engine over the built-in knowledge. The application object keeps the one it
    builds; nothing in ``clinical/`` or the adapters keeps one (tests that want to share one
    across application objects build it once and hand it to ``bootstrap``)."""
    from spinecare.clinical.triage.engine import TriageEngine
    from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE

    return TriageEngine(BUILTIN_KNOWLEDGE)


def reference_registry() -> ReferenceRegistry:
    from spinecare.adapters.library.references import load_references

    return load_references()


def instrument_catalogue() -> Mapping[str, InstrumentDefinition]:
    from spinecare.adapters.instrument_files import load_definitions

    return load_definitions()


def artefact_cache(config: Settings) -> ArtefactCache | None:
    """Where built artefacts outlive the process (``Settings.cache_dir``; None: nowhere)."""
    from spinecare.adapters.artefact_cache import ArtefactCache

    return ArtefactCache(config.cache_dir) if config.cache_dir is not None else None


def build_search_index(cache: ArtefactCache | None = None) -> SearchIndex:
    """The knowledge base's index over the shipped articles (read back from ``cache``)."""
    from spinecare.adapters.library.search_index import load_index

    return load_index(cache)


def text_extractor(cache: ArtefactCache | None = None) -> TextExtractor:
    # spaCy and medspaCy take about a second to import: only the text-reading doors pay it.
    from spinecare.adapters.intake.extract import TextExtractor
    from spinecare.adapters.intake.lexicon import read_lexicon
    from spinecare.adapters.intake.pipeline import build_nlp

    lexicon = read_lexicon(cache=cache)
    return TextExtractor(build_nlp(lexicon, cache), lexicon)


def _checked_key(key: str, where: str) -> str:
    if len(key.strip()) < MIN_SECRET_KEY_CHARS:
        raise SecretKeyError(
            f"{where} is too short ({len(key.strip())} characters): use at least "
            f"{MIN_SECRET_KEY_CHARS} random characters. Make one with: {MAKE_A_KEY}"
        )
    return key


def secret_key(config: Settings) -> str:
    """SPINECARE_SECRET_KEY, or a key generated once into the data dir (mode 0600).

    Never logged or printed. Several workers read the same file, so it is created with
    O_EXCL: if two processes race, the loser reads the winner's key.
    """
    if config.secret_key:
        return _checked_key(config.secret_key, "SPINECARE_SECRET_KEY")
    path = Path(config.data_dir) / SECRET_KEY_FILE
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < MIN_SECRET_KEY_CHARS:
            raise SecretKeyError(
                f"{path} holds no usable secret key: delete it to generate a new one "
                "(everyone will be signed out) or set SPINECARE_SECRET_KEY"
            ) from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key

