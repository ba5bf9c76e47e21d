"""CLI: send the diary and exercise reminders that are due (the one sender).

    spinecare reminders send [--now ISO] [--dry-run] [--json]

Run it every five minutes from a systemd timer or cron (docs/reminders.md); the web server
sends none. Safe to run twice at once or again after a crash: each reminder goes once.
"""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from spinecare.entrypoints.cli.common import console, fail, print_json, spinecare_app

reminders_app = typer.Typer(
    help="Diary and exercise reminder e-mails: send the ones that are due.",
    no_args_is_help=True,
)

EXIT_SOME_FAILED = 1


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--now {text!r} is not an ISO date and time",
             "Use a form like 2026-03-01T20:05:00+00:00 (no offset: UTC).")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@reminders_app.command("send")
def send(
    now: str = typer.Option("", "--now", help="Act as if it were this time (ISO 8601; "
                            "without an offset, UTC). Default: now."),
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="Only list who is due: claim and send nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print what was done as JSON."),
) -> None:
    """Send every reminder whose time has come (each person's local time). Exit code 1
    when some could not be sent (they are tried again on the next run)."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from spinecare.adapters.storage import migrate
    from spinecare.services.errors import ServiceError

    moment = _moment(now) if now else None
    try:
        services = spinecare_app().services
        if not migrate.is_up_to_date(services.db):
            fail("the database is not up to date.",
                 "Run `spinecare db upgrade` first (it is safe to run again).")
        report = services.reminders.send_due(moment, dry_run=dry_run)
    except ServiceError as exc:
        fail(exc.message)
    except (OperationalError, ProgrammingError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        fail(f"cannot use the database: {reason}",
             "Check SPINECARE_DATABASE_URL (or SPINECARE_DATA_DIR).")
    if as_json:
        print_json(report.to_dict())
    elif dry_run:
        console.print(f"{len(report.due)} reminder(s) due; nothing sent (--dry-run). "
                      f"{len(report.skipped)} diary reminder(s) not needed (diary written).",
                      highlight=False, soft_wrap=True)
        for item in report.due:
            console.print(f"  person {item.patient_id}: {item.kind} for {item.due_on}",
                          highlight=False, soft_wrap=True)
    else:
        console.print(
            f"Sent {len(report.sent)}; already sent by another run {len(report.already)}; "
            f"not needed {len(report.skipped)}; could not send {len(report.failed)}.",
            highlight=False, soft_wrap=True)
    if report.failed:
        if not as_json:
            console.print("The mail server could not take some reminders: they are tried "
                          "again on the next run. Check SPINECARE_SMTP_*.",
                          highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_SOME_FAILED)


def register(app: typer.Typer) -> None:
    app.add_typer(reminders_app, name="reminders")
