"""Storage: SQLAlchemy 2 tables, repositories and Alembic migrations.

SQLite (WAL, foreign keys on) is the default; PostgreSQL via ``SPINECARE_DATABASE_URL``.
Only ``spinecare.services`` uses this package; the clinical core never does.
"""
