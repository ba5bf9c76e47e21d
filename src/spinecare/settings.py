"""Settings from the environment (``SPINECARE_*``), with safe defaults for a laptop."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _default_data_dir() -> Path:
    return Path(os.environ.get("SPINECARE_DATA_DIR", Path.cwd() / "data"))


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path = field(default_factory=_default_data_dir)
    database_url: str = ""
    # ISO 3166-1 alpha-2 country code that picks the emergency number (see
    # clinical/knowledge/emergency_numbers.py); empty = 112 with a note.
    country: str = ""
    secret_key: str = ""
    # Behind a TLS-terminating proxy: mark cookies Secure.
    https: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = _default_data_dir()
        url = os.environ.get("SPINECARE_DATABASE_URL", "")
        if not url:
            url = f"sqlite:///{data_dir / 'spinecare.sqlite3'}"
        return cls(
            data_dir=data_dir,
            database_url=url,
            country=os.environ.get("SPINECARE_COUNTRY", "").strip().upper(),
            secret_key=os.environ.get("SPINECARE_SECRET_KEY", ""),
            https=os.environ.get("SPINECARE_HTTPS", "").lower() in {"1", "true", "yes"},
        )
