"""CLI: ``spinecare check`` and ``spinecare eval triage``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the triage commands to the root app."""
