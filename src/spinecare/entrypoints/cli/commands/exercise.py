"""CLI: ``spinecare exercise`` — the exercise programme for a condition and the library.

``spinecare exercise plan [--condition lumbar_spinal_stenosis] [--json]`` prints the
programme (home routine, conditioning block, the trials' dose, what to avoid, the rules
and sources) without a database: nothing is stored and nobody's record is read.
``spinecare exercise library [ID] [--json]`` lists the exercises or shows one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.table import Table

from spinecare.entrypoints.cli.common import console, fail, print_json, spinecare_app

if TYPE_CHECKING:
    from spinecare.clinical.exercise import Exercise
    from spinecare.services.exercise import ExerciseCatalogue

exercise_app = typer.Typer(
    help="The exercise programme for a condition, and the exercise library (stores nothing).",
    no_args_is_help=True,
)


def _catalogue() -> ExerciseCatalogue:
    from spinecare.bootstrap import exercise_catalogue

    return exercise_catalogue(spinecare_app())


def _print_exercise(e: Exercise, condition: str | None = None, *, full: bool = False) -> None:
    console.print(f"[bold]{e.title}[/] [dim]({e.id})[/]: {e.dose.text()}", highlight=False)
    console.print(f"  {e.purpose}", highlight=False)
    note = e.note_for(condition)
    if note:
        console.print(f"  [yellow]{note}[/]", highlight=False)
    if full:
        for i, step in enumerate(e.steps, 1):
            console.print(f"  {i}. {step}", highlight=False)
        for caution in e.cautions:
            console.print(f"  - {caution}", highlight=False)
        console.print("  [bold]Stop if:[/]")
        for stop in e.stop_if:
            console.print(f"  - {stop}", highlight=False)
        console.print(f"  Evidence: {e.evidence_note}", highlight=False)
        console.print(f"  Sources: {', '.join(e.references)}", highlight=False)


@exercise_app.command("plan")
def plan(
    condition: str = typer.Option(
        "lumbar_spinal_stenosis", "--condition", "-c",
        help="A condition id (lumbar_spinal_stenosis, the default; see the list with a wrong "
             "one, e.g. --condition list)."),
    as_json: bool = typer.Option(False, "--json", help="Print the programme as JSON."),
) -> None:
    """The exercise programme for a condition (no database; nothing is stored)."""
    from spinecare.services.errors import InvalidInput

    catalogue = _catalogue()
    try:
        programme = catalogue.programme(condition.strip())
    except InvalidInput:
        fail(f"unknown condition '{condition}'",
             "Use one of: " + ", ".join(catalogue.conditions()))
    if as_json:
        data = programme.to_dict()
        data["references"] = [{"id": r.id, "citation": r.citation,
                               "evidence_level": r.evidence_level}
                              for r in catalogue.references(programme)]
        print_json(data)
        return
    name = catalogue.conditions()[condition.strip()]
    console.print(f"[bold]Exercise plan: {name}[/]", highlight=False)
    if programme.advice:
        console.print(f"[yellow]{programme.advice}[/]", highlight=False)
    if programme.weekly is not None:
        w = programme.weekly
        console.print(
            f"\n{w.sessions_per_week} sessions a week for {w.weeks} weeks "
            f"({w.total_sessions} sessions), plus the home routine every day. Each session: "
            f"the home routine, then {w.conditioning_minutes} minutes of one conditioning "
            "exercise (the minutes grow as you progress).", highlight=False)
        console.print("\n[bold]Home routine (daily)[/]")
        for e in programme.home:
            _print_exercise(e, condition)
        console.print("\n[bold]Conditioning (choose one per session)[/]")
        for e in programme.conditioning:
            _print_exercise(e, condition)
    if programme.avoid:
        console.print("\n[bold]Avoid or change[/]")
        for a in programme.avoid:
            console.print(f"- {a.title}. {a.why} Instead: {a.instead}", highlight=False)
    console.print("\n[bold]Why[/]")
    from spinecare.clinical.exercise import RULES

    for rule_id in programme.rule_ids:
        console.print(f"- {RULES[rule_id].sentence} [dim]({rule_id})[/]", highlight=False)
    console.print(f"[dim]Sources: {', '.join(programme.references)}[/]", highlight=False)
    console.print("\nOn the web, your plan with progress and a session log is at /exercise.")


@exercise_app.command("library")
def library(
    exercise_id: str = typer.Argument(None, help="Show one exercise in full."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """List the exercises, or show one (steps, dose, when to stop, sources)."""
    from spinecare.services.errors import NotFound

    catalogue = _catalogue()
    if exercise_id:
        try:
            exercise = catalogue.exercise(exercise_id.strip())
        except NotFound as exc:
            fail(exc.message, "List them with: spinecare exercise library")
        if as_json:
            print_json(exercise.to_dict())
        else:
            _print_exercise(exercise, full=True)
        return
    exercises = catalogue.exercises()
    if as_json:
        print_json([e.to_dict() for e in exercises])
        return
    table = Table("id", "exercise", "dose", "moves the spine")
    for e in exercises:
        table.add_row(e.id, e.title, e.dose.text(), e.direction.value)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the exercise commands to the root app."""
    app.add_typer(exercise_app, name="exercise")
