"""Storage and API tests: real SQLite, and PostgreSQL when SPINECARE_TEST_DATABASE_URL is set."""

from web_fixtures import (  # noqa: F401
    client,
    database_url,
    mailbox,
    services,
    settings,
    shared_engine,
    spinecare_app,
    web_app,
)
