"""Storage and API tests: real SQLite, and PostgreSQL when SPINECARE_TEST_DATABASE_URL is set."""

from web_fixtures import client, database_url, services, settings, web_app  # noqa: F401
