"""Shared CLI helpers: the application object, one console, clear errors (never a
traceback), JSON output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
import typer
from rich.console import Console

if TYPE_CHECKING:
    from spinecare.app import Spinecare

console = Console()
err_console = Console(stderr=True)

EXIT_USAGE = 2
# Real inputs (findings, decision answers, FHIR resources) nest a few levels, FHIR groups
# perhaps twenty; deeper than this is a broken or hostile file, refused with a message
# rather than a RecursionError traceback from the parser or the FHIR models.
MAX_JSON_DEPTH = 100


_APP_KEY = "spinecare.app"


def spinecare_app() -> Spinecare:
    """The application object for this run of ``spinecare``, built by ``bootstrap()`` from the
    environment on first use and then shared by everything the command does (kept in
    click's per-invocation ``meta``, so each in-process test run gets its own).

    Imported here, at the command boundary: ``spinecare --help`` loads none of it.
    """
    from spinecare.bootstrap import bootstrap

    context = click.get_current_context(silent=True)
    if context is None:  # called outside a command (a script): nothing to share with
        return bootstrap()
    meta = context.meta
    if _APP_KEY not in meta:
        meta[_APP_KEY] = bootstrap()
        context.find_root().call_on_close(meta[_APP_KEY].close)
    app: Spinecare = meta[_APP_KEY]
    return app


def fail(message: str, hint: str | None = None, code: int = EXIT_USAGE) -> NoReturn:
    """Print a clear error (and how to fix it) to stderr and exit with ``code``."""
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False)
    if hint:
        err_console.print(f"[dim]{hint}[/]", highlight=False)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def read_json_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"file not found: {path}", "Check the path and try again.")
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
    except RecursionError:
        data = None
        too_deep = True
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        fail(f"{path} is not valid JSON: {exc}")
    else:
        too_deep = nesting_exceeds(data, MAX_JSON_DEPTH)
    if too_deep:
        fail(f"{path} nests objects or lists more than {MAX_JSON_DEPTH} levels deep",
             "Check that the file is the right one; no real input is nested that deeply.")
    return data


def nesting_exceeds(value: Any, limit: int) -> bool:
    """True when lists/objects in ``value`` nest deeper than ``limit`` (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
