"""CLI: ``spinecare eval triage FILE.jsonl [--mode structured|text|conversation] [--json]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from spinecare.entrypoints.cli.common import (
    console,
    err_console,
    fail,
    print_json,
    spinecare_app,
)

eval_app = typer.Typer(
    help="Score the triage engine against a vignette file (the format of FINDINGS.md).",
    no_args_is_help=True,
)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _print_report(data: dict[str, Any], path: Path) -> None:
    from rich.table import Table

    table = Table(title=f"Triage evaluation — {path.name} ({data['mode']} mode)",
                  show_header=True, header_style="bold")
    table.add_column("figure")
    table.add_column("value", justify="right")
    ci = data["triage_accuracy_ci95"]
    rows = [
        ("cases (n)", str(data["n"])),
        ("triage accuracy", _fmt(data["triage_accuracy"])
         + (f"  (95% CI {ci[0]:.2f}-{ci[1]:.2f})" if ci else "")),
        ("under-triage (gold more urgent than predicted)", str(data["under_triage"])),
        ("over-triage", str(data["over_triage"])),
        ("emergency sensitivity", _fmt(data["emergency_sensitivity"])),
        ("top-1 condition accuracy", _fmt(data["top1_condition_accuracy"])),
        ("top-3 condition accuracy", _fmt(data["top3_condition_accuracy"])),
        ("results with open red-flag questions", str(data["incomplete_results"])),
        ("self-care held provisional by unanswered emergency questions",
         str(data["self_care_pending_screen"])),
    ]
    if data["mode"] == "conversation":
        rows += [
            ("questions asked: mean", _fmt(data["questions_mean"])),
            ("questions asked: median", str(data["questions_median"])),
            ("questions asked: max", str(data["questions_max"])),
        ]
    for level, acc in data["per_level_accuracy"].items():
        rows.append((f"accuracy on gold {level} (n={data['per_level_n'][level]})", _fmt(acc)))
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)

    levels = list(data["confusion_matrix"])
    matrix = Table(title="Confusion matrix (rows: gold, columns: predicted)")
    matrix.add_column("gold \\ predicted")
    for level in levels:
        matrix.add_column(level, justify="right")
    for gold in levels:
        matrix.add_row(gold, *(str(data["confusion_matrix"][gold][p]) for p in levels))
    console.print(matrix)

    wrong = data["wrong_cases"]
    if wrong:
        table = Table(title=f"Wrong cases ({len(wrong)})")
        for col in ("id", "gold", "predicted", "gold condition", "predicted top 3", "rules"):
            table.add_column(col)
        for w in wrong:
            table.add_row(w["id"], w["gold_triage"], w["predicted_triage"],
                          w["gold_condition"] or "-", ", ".join(w["predicted_conditions"]),
                          ", ".join(w["rules"]))
        console.print(table)
        _print_transcripts(data.get("transcripts") or {})
    else:
        console.print("[green]No wrong cases.[/]")
    for problem in data["malformed_lines"]:
        err_console.print(f"[yellow]Skipped {problem}[/]", highlight=False)


def _print_transcripts(transcripts: dict[str, Any]) -> None:
    """Conversation mode: the questions and answers that led to each wrong case."""
    from rich.table import Table

    for case_id, record in transcripts.items():
        understood = ", ".join(f"{k}={v}" for k, v in record["understood"].items()) or "nothing"
        table = Table(title=f"Transcript of {case_id}", title_justify="left",
                      caption=f"from the words: {understood}", caption_justify="left")
        for col in ("#", "finding", "question", "answer"):
            table.add_column(col)
        for n, turn in enumerate(record["turns"], start=1):
            table.add_row(str(n), turn["finding"], turn["question"], turn["answer"])
        console.print(table)


@eval_app.command("triage")
def eval_triage(
    file: Path = typer.Argument(..., help="A vignette file: JSON Lines, one case per line."),
    mode: str = typer.Option(
        "structured", "--mode", "-m",
        help="structured: use each case's 'findings'; text: use only 'free_text' (with age "
             "and sex), so unanswered red-flag questions stay open; conversation: start from "
             "'free_text', then run the interview to its end with the vignette's person "
             "answering (adds questions asked and the transcripts of wrong cases).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Score triage accuracy, under-triage, emergency sensitivity and condition accuracy."""
    from spinecare.tools.evaluation.runner import MODES, run
    from spinecare.tools.evaluation.vignettes import parse_vignette_lines

    if mode not in MODES:
        fail(f"unknown mode '{mode}'", f"Use --mode {' or --mode '.join(MODES)}.")
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        fail(f"file not found: {file}", "Give the path of a .jsonl vignette file.")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {exc}")
    cases, errors = parse_vignette_lines(lines)
    if not cases:
        for e in errors:
            err_console.print(f"[yellow]{e}[/]", highlight=False)
        fail(f"no valid vignettes in {file}", "See FINDINGS.md for the format of each line.")

    app = spinecare_app()
    extract = None
    if mode == "text":

        def extract(text: str) -> dict[str, Any]:
            return dict(app.extractor.extract(text).findings)

    intake = None
    if mode == "conversation":
        from spinecare.adapters.intake.understood import valid_findings

        def intake(text: str) -> tuple[dict[str, Any], list[str]]:
            # As the web check does: values the vocabulary refuses are left out, not fatal.
            found = app.extractor.extract(text)
            return valid_findings(found.findings), list(found.uncertain)

    engine = app.engine
    if as_json:
        report = run(engine, cases, mode, extract, errors, intake=intake)
        data = report.as_dict()
        print_json(data)
        return
    from rich.progress import Progress

    with Progress(transient=True, console=err_console) as progress:
        task = progress.add_task("Scoring vignettes", total=len(cases))
        report = run(engine, cases, mode, extract, errors,
                     progress=lambda: progress.advance(task), intake=intake)
    _print_report(report.as_dict(), file)


def rules(
    markdown: bool = typer.Option(False, "--markdown", help="Print the rules as Markdown."),
    references: bool = typer.Option(False, "--references",
                                    help="Print the reference registry as Markdown."),
    source: bool = typer.Option(
        False, "--source",
        help="Print the Python the engine compiles the rules to (each line names its rule)."),
) -> None:
    """Show the triage rules with their levels and references (the clinical knowledge)."""
    if source:
        # The process's engine: the code shown is the code that runs.
        typer.echo(spinecare_app().engine.generated_source(), nl=False)
        return
    from spinecare.adapters.library.rule_book import (
        render_references_markdown,
        render_triage_rules_markdown,
    )

    registry = spinecare_app().references
    if references:
        typer.echo(render_references_markdown(registry), nl=False)
        return
    if markdown:
        typer.echo(render_triage_rules_markdown(registry), nl=False)
        return
    from rich.table import Table

    from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE

    table = Table(title=f"Red-flag rules (knowledge {BUILTIN_KNOWLEDGE.version})",
                  show_lines=True)
    for col in ("id", "level", "fires when", "references"):
        table.add_column(col)
    for r in BUILTIN_KNOWLEDGE.rules:
        table.add_row(r.id, r.level.value, r.when.describe(), ", ".join(r.references))
    console.print(table)
    console.print("Conditions and scores: spinecare rules --markdown, or "
                  "docs/clinical/triage-rules.md; the generated code: spinecare rules --source")


def register(app: typer.Typer) -> None:
    """Add ``spinecare eval …`` and ``spinecare rules`` to the root app."""
    app.add_typer(eval_app, name="eval")
    app.command("rules")(rules)
