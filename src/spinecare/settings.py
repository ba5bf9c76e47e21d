"""Settings from the environment (``SPINECARE_*``), with safe defaults for a laptop.

``Settings.from_env()`` is the only code that reads the environment; the entry points call it
(through ``spinecare.bootstrap.bootstrap()``) and hand the result on. Tests build their own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _default_data_dir() -> Path:
    return Path.cwd() / "data"


def _default_cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/spinecare, else ~/.cache/spinecare (None when there is no home)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg:
        return Path(xdg) / "spinecare"
    try:
        return Path.home() / ".cache" / "spinecare"
    except RuntimeError:  # no HOME and no passwd entry (some service accounts)
        return None


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
    # Where people reach the site: the links in e-mails start with it. Never taken from a
    # request's Host header, which an attacker controls (password-reset link poisoning).
    base_url: str = "http://127.0.0.1:8000"
    # Outgoing e-mail (sign-up confirmation, password reset). No host: printed to the console.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_tls: str = "starttls"  # starttls | ssl | none
    mail_from: str = "spinecare <no-reply@localhost>"
    # Built artefacts (search index, intake lexicon, compiled phrase patterns) kept between
    # processes, keyed by content (adapters/artefact_cache.py). None: build them in memory.
    cache_dir: Path | None = None

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("SPINECARE_DATA_DIR", _default_data_dir()))
        url = os.environ.get("SPINECARE_DATABASE_URL", "")
        if not url:
            url = f"sqlite:///{data_dir / 'spinecare.sqlite3'}"
        return cls(
            data_dir=data_dir,
            database_url=url,
            country=os.environ.get("SPINECARE_COUNTRY", "").strip().upper(),
            secret_key=os.environ.get("SPINECARE_SECRET_KEY", ""),
            https=os.environ.get("SPINECARE_HTTPS", "").lower() in {"1", "true", "yes"},
            base_url=os.environ.get("SPINECARE_BASE_URL", "").strip().rstrip("/")
            or "http://127.0.0.1:8000",
            smtp_host=os.environ.get("SPINECARE_SMTP_HOST", "").strip(),
            smtp_port=_int_env("SPINECARE_SMTP_PORT", 587),
            smtp_user=os.environ.get("SPINECARE_SMTP_USER", ""),
            smtp_password=os.environ.get("SPINECARE_SMTP_PASSWORD", ""),
            smtp_tls=_choice_env("SPINECARE_SMTP_TLS", ("starttls", "ssl", "none"), "starttls"),
            mail_from=os.environ.get("SPINECARE_MAIL_FROM", "").strip()
            or "spinecare <no-reply@localhost>",
            cache_dir=Path(cache) if (cache := os.environ.get("SPINECARE_CACHE_DIR", "").strip())
            else _default_cache_dir(),
        )


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ValueError(f"{name} must be a whole number (got {raw!r})")
    return int(raw)


def _choice_env(name: str, choices: tuple[str, ...], default: str) -> str:
    raw = os.environ.get(name, "").strip().lower() or default
    if raw not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)} (got {raw!r})")
    return raw
