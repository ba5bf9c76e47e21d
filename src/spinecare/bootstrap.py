"""The composition root: wires settings, knowledge, storage and services together.

The web app, the CLI and the tests all build what they need here, so there is
exactly one place that decides which implementation backs which port.
"""

from __future__ import annotations

from functools import lru_cache

from spinecare.settings import Settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()
