"""CLI: the report for the doctor.

    spinecare report --patient EMAIL [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                     [--pdf out.pdf | --html out.html]

Default period: the last 90 days. Without --pdf or --html the report's key lines are
printed. The host's own tool: it reads the database directly, and the read is audited as
role "system".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from spinecare.entrypoints.cli.common import console, err_console, fail, spinecare_app


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        fail(f"{option} {value!r} is not a date", f"Write it as YYYY-MM-DD, e.g. {option} "
             "2026-09-01.")


def _out(path: Path | None, option: str, suffix: str) -> Path | None:
    if path is None:
        return None
    if path.suffix.lower() != suffix:
        fail(f"{option} {path}: the file name must end in {suffix}")
    if not path.parent.exists():
        fail(f"{option} {path}: the folder {path.parent} does not exist")
    return path


def _print(report: Any) -> None:
    from spinecare.adapters.reports.doctor_report import _day as day

    age = f", {report.age} years" if report.age else ""
    console.print(f"[bold]Report for the doctor: {report.name}{age}[/]", highlight=False)
    console.print(f"Period: {day(report.start)} to {day(report.end)}", highlight=False)
    # Signs open now come first, whatever the period (as on the printed report).
    if report.open_now:
        console.print(f"[bold red]Warning signs open now (the last 14 days, to "
                      f"{day(report.today)}):[/]", highlight=False)
        for w in report.open_now:
            console.print(f"  {day(w.day)}: {w.label} ({w.source})", highlight=False)
    else:
        console.print("Warning signs open now (the last 14 days): none.")
    if report.warnings:
        console.print("[bold red]Warning signs logged in this period:[/]")
        for w in report.warnings:
            console.print(f"  {day(w.day)}: {w.label} ({w.source})", highlight=False)
    else:
        console.print("Warning signs: none logged in this period.")
    for row in report.scores:
        line = row.verdict.sentence if row.verdict else \
            f"{row.label}: {row.latest:g} on {day(row.latest_day)} (only one score so far)."
        console.print(f"  {line}", highlight=False)
    if report.walking_test:
        console.print(f"  {report.walking_test.sentence}", highlight=False)
    console.print(f"Exercise: {report.exercise.line} the trials used.", highlight=False)
    for flag in report.fired_flags:
        console.print(f"[bold]Flag:[/] {flag.title} — {flag.reason} [{flag.id}]",
                      highlight=False)
    c = report.completeness
    console.print(f"Data: diary on {c.days_logged} of {c.days_in_period} days, longest gap "
                  f"{c.longest_gap_days} days.", highlight=False)


def report_command(
    patient: str = typer.Option(..., "--patient", help="The patient's e-mail address."),
    start: str | None = typer.Option(None, "--from", help="First day, YYYY-MM-DD "
                                     "(default: 89 days before --to)."),
    end: str | None = typer.Option(None, "--to", help="Last day, YYYY-MM-DD (default: today)."),
    pdf: Path | None = typer.Option(None, "--pdf", help="Write the report as PDF (A4) here."),
    html: Path | None = typer.Option(None, "--html", help="Write the report as HTML here."),
) -> None:
    """The one- to two-page report for the doctor over a date range (default: the last
    90 days): warning signs, scores and their change, pain and walking charts, flares,
    exercise, medicines and injections, own words, questions and flags."""
    from datetime import timedelta

    from sqlalchemy.exc import OperationalError, ProgrammingError

    from spinecare.services.actor import Actor
    from spinecare.services.errors import InvalidInput, ServiceError
    from spinecare.services.report import DEFAULT_DAYS, today_utc

    if pdf is not None and html is not None:
        fail("choose one of --pdf and --html", "Run the command twice for both files.")
    first, last = _day(start, "--from"), _day(end, "--to")
    pdf_path, html_path = _out(pdf, "--pdf", ".pdf"), _out(html, "--html", ".html")
    if first is None and last is not None:
        first = last - timedelta(days=DEFAULT_DAYS - 1)
    services = spinecare_app().services
    try:
        user = services.accounts.by_email(patient)
        if user is None or user.role != "patient":
            fail(f"no patient with the e-mail {patient}",
                 "Check the address (`spinecare users list --role patient` lists them).")
        report = services.report.build(Actor.system("cli report"), user.id, first, last,
                                       today_utc())
    except InvalidInput as exc:
        fail("; ".join(f"--{'from' if k == 'start' else 'to'}: {v}"
                       for k, v in exc.problems.items()))
    except ServiceError as exc:
        fail(exc.message)
    except (OperationalError, ProgrammingError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        fail(f"cannot use the database: {reason}",
             "Check SPINECARE_DATABASE_URL (or SPINECARE_DATA_DIR) and run "
             "`spinecare db upgrade`.")
    from spinecare.adapters.reports.doctor_report import render_html, render_pdf

    try:
        if pdf_path is not None:
            err_console.print("Making the PDF (a few seconds) …", highlight=False)
            pdf_path.write_bytes(render_pdf(report))
            console.print(f"Wrote {pdf_path}", highlight=False)
        elif html_path is not None:
            html_path.write_text(render_html(report), encoding="utf-8")
            console.print(f"Wrote {html_path}", highlight=False)
        else:
            _print(report)
    except OSError as exc:
        fail(f"cannot write the report: {exc.strerror}")


def register(app: typer.Typer) -> None:
    """Add the report command to the root app."""
    app.command("report")(report_command)
