"""The ``spinecare`` command. Each area registers its commands from
``spinecare.entrypoints.cli.commands``.

Heavy libraries are imported inside the commands so that ``spinecare --help`` is fast.
"""

from __future__ import annotations

import typer

from spinecare import __version__
from spinecare.entrypoints.cli.commands import (
    check,
    decide,
    diary,
    exercise,
    instruments,
    knowledge,
    reminders,
    report,
    storage,
    triage,
)

app = typer.Typer(
    name="spinecare",
    help=(
        "spinecare: a spine-care companion. Triage with red-flag detection, validated "
        "questionnaires, a decision aid and a knowledge base.\n\n"
        "Not a diagnosis. If you have new problems controlling your bladder or bowels, "
        "numbness between your legs, or rapidly worsening weakness, call your emergency "
        "number now."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
)

for _area in (check, triage, instruments, storage, knowledge, decide, exercise, reminders,
              report, diary):
    _area.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spinecare {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """spinecare command-line interface."""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
