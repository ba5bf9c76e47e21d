"""CLI: ``spinecare check`` — the symptom interview in the terminal (filled in by its owner)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the check command to the root app."""
