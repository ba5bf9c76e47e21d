"""CLI: a patient's symptom diary as CSV (docs/diary-csv.md).

    spinecare diary export --patient EMAIL --out diary.csv
    spinecare diary import --patient EMAIL diary.csv

The host's own tool (role "system" in the audit log), through ``DiaryService`` like the
pages and the API. An import checks every row first: if any row is bad, nothing is stored
and each bad line is listed; a day already in the diary is replaced by the file's row.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer

from spinecare.entrypoints.cli.common import console, err_console, fail, spinecare_app
from spinecare.services.errors import InvalidInput, ServiceError

diary_app = typer.Typer(help="A patient's symptom diary: export and import CSV.",
                        no_args_is_help=True)


def _patient_id(email: str) -> int:
    user = spinecare_app().services.accounts.by_email(email)
    if user is None or user.role != "patient":
        fail(f"no patient account with the e-mail {email}", "See `spinecare users list`.")
    return user.id


def _errors(exc: ServiceError) -> NoReturn:
    """A service's error as clear lines (each bad CSV line on its own), never a traceback."""
    if isinstance(exc, InvalidInput):
        for where, message in exc.problems.items():
            err_console.print(f"  {where}: {message}", highlight=False, soft_wrap=True)
        fail(f"nothing was imported: {len(exc.problems)} problem(s) listed above",
             "Fix those lines and run the import again.")
    fail(exc.message)


@diary_app.command("export")
def export_command(
    patient: str = typer.Option(..., "--patient", help="The patient's account e-mail."),
    out: Path = typer.Option(..., "--out", help="The CSV file to write."),
) -> None:
    """Write a patient's whole diary to a CSV file."""
    from spinecare.services.actor import Actor

    if not out.parent.exists():
        fail(f"--out {out}: the folder {out.parent} does not exist")
    patient_id = _patient_id(patient)
    try:
        text = spinecare_app().services.diary.export_csv(Actor.system("cli diary"), patient_id)
    except ServiceError as exc:
        _errors(exc)
    out.write_text(text, encoding="utf-8", newline="")
    rows = max(0, len(text.splitlines()) - 1)
    console.print(f"Wrote {rows} day{'' if rows == 1 else 's'} to {out}.", highlight=False)


@diary_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="The CSV file to read (docs/diary-csv.md)."),
    patient: str = typer.Option(..., "--patient", help="The patient's account e-mail."),
) -> None:
    """Import diary days from a CSV file: all rows or none; existing days are replaced."""
    from spinecare.services.actor import Actor
    from spinecare.services.diary_csv import MAX_CSV_BYTES

    try:
        if file.stat().st_size > MAX_CSV_BYTES:
            fail(f"{file} is larger than 2 MB", "Split it into smaller files.")
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"file not found: {file}", "Check the path and try again.")
    except UnicodeDecodeError:
        fail(f"{file} is not UTF-8 text", 'Save it as "CSV UTF-8" and try again.')
    patient_id = _patient_id(patient)
    try:
        result = spinecare_app().services.diary.import_csv(Actor.system("cli diary"),
                                                           patient_id, text)
    except ServiceError as exc:
        _errors(exc)
    console.print(f"Imported {result.added} new day(s); replaced {result.replaced} day(s) "
                  "already in the diary.", highlight=False)
    if result.warning_checks:
        console.print("[bold red]Some days have warning signs:[/] the person's diary shows "
                      "what to do.", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(diary_app, name="diary")
