"""The docs cover the code (Datasette's tests/test_docs.py): every CLI command has a section in
docs/cli.md, every HTTP route a row in docs/api.md, every setting a row in
docs/configuration.md, and none of them documents something that no longer exists."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import typer.main
from authz_matrix_support import app_route_table

from spinecare.entrypoints.cli.main import app as cli_app
from spinecare.settings import Settings

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
SRC = REPO / "src" / "spinecare"


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


# ------------------------------------------------------------------ CLI commands

def _command_paths(command: Any, path: tuple[str, ...] = ()) -> list[str]:
    """Every runnable command, as typed after ``spinecare`` ("db upgrade")."""
    children = getattr(command, "commands", None)
    if not children:
        return [" ".join(path)]
    return [p for name, child in sorted(children.items())
            for p in _command_paths(child, (*path, name))]


COMMANDS = _command_paths(typer.main.get_command(cli_app))
# A command's section: a heading naming it in backticks, "## `spinecare db upgrade` ...".
_HEADING = re.compile(r"^#{2,4} `spinecare ([a-z][a-z -]*?)`", re.MULTILINE)


def test_the_command_tree_is_found() -> None:
    # Guards the walk itself: a walk that found nothing would make the tests below vacuous.
    assert len(COMMANDS) >= 20
    assert {"check", "search", "db upgrade", "instruments export-fhir"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_cli_command_has_a_section_with_an_example(command: str) -> None:
    doc = _read("cli.md")
    assert command in _HEADING.findall(doc), (
        f"`spinecare {command}` has no section in docs/cli.md: add a heading "
        f"'#### `spinecare {command}`' with what it is for, its key options and an example")
    assert re.search(rf"^\$ spinecare {re.escape(command)}(\s|$)", doc, re.MULTILINE), (
        f"docs/cli.md shows no example of `spinecare {command}` (a '$ spinecare {command} …' "
        "line in a console block)")


def test_every_documented_command_exists() -> None:
    stale = sorted(set(_HEADING.findall(_read("cli.md"))) - set(COMMANDS))
    assert not stale, f"docs/cli.md has sections for commands that do not exist: {stale}"


# ------------------------------------------------------------------ HTTP routes

ROUTES = app_route_table()
# A route in the docs: "| `GET /api/v1/search` | ..." (the first cell of a table row).
_ROUTE_ROW = re.compile(r"^\| `(GET|POST|PUT|PATCH|DELETE) (/[^`]*)` \|", re.MULTILINE)


def _documented_routes() -> set[str]:
    return {f"{m} {p}" for m, p in _ROUTE_ROW.findall(_read("api.md"))}


def test_the_route_table_is_found() -> None:
    assert len(ROUTES) >= 50
    assert "POST /api/v1/triage" in ROUTES


def test_every_route_is_in_the_route_docs() -> None:
    missing = [r for r in ROUTES if r not in _documented_routes()]
    assert not missing, ("routes missing from docs/api.md (add a row: | `METHOD /path` | who | "
                         "what it does |): " + ", ".join(missing))


def test_every_documented_route_exists() -> None:
    stale = sorted(_documented_routes() - set(ROUTES))
    assert not stale, f"docs/api.md lists routes the app does not have: {stale}"


@pytest.mark.parametrize("page", ["architecture.md", "api.md", "cli.md", "configuration.md",
                                  "performance.md"])
def test_the_readme_links_the_reference_pages(page: str) -> None:
    assert f"`docs/{page}`" in (REPO / "README.md").read_text(encoding="utf-8")
    assert (DOCS / page).is_file()


# ------------------------------------------------------------------ settings

def _env_name(field_name: str) -> str:
    return "SPINECARE_" + field_name.upper()


def test_every_setting_is_documented() -> None:
    doc = _read("configuration.md")
    missing = [f"{f.name} ({_env_name(f.name)})" for f in fields(Settings)
               if f"`{_env_name(f.name)}`" not in doc]
    assert not missing, f"settings not documented in docs/configuration.md: {missing}"


def test_every_environment_variable_the_code_reads_is_documented() -> None:
    # Settings is not the only reader: the CLI and the server read a few of their own.
    read = set()
    for path in SRC.rglob("*.py"):
        read |= set(re.findall(r"[\"'](SPINECARE_[A-Z_]*[A-Z])[\"']", path.read_text("utf-8")))
    assert len(read) >= 10  # the scan itself works
    documented = _read("configuration.md") + _read("deployment.md")
    missing = sorted(v for v in read if f"`{v}`" not in documented)
    assert not missing, ("environment variables read by the code but documented in neither "
                         f"docs/configuration.md nor docs/deployment.md: {missing}")
