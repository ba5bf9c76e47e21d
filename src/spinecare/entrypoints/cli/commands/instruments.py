"""CLI for the validated questionnaires: score, score-change, questionnaire, instruments.

The JSON printed by ``score --json`` and ``score-change --json`` is a public contract
(keys ``instrument``, ``score``, ``band``, ``subscales`` … and ``change``,
``percent_change``, ``mcid_absolute_met``, ``mcid_relative_met``). Invalid input exits
with code 2 and a message naming the item and the allowed values.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from spinecare.entrypoints.cli.common import (
    console,
    fail,
    print_json,
    read_json_file,
    spinecare_app,
)

if TYPE_CHECKING:
    from spinecare.clinical.instruments import ChangeResult, InstrumentDefinition, ScoreResult
    from spinecare.services.instruments import InstrumentService

INSTRUMENT_HELP = "One of: odi, ndi, rmdq, zcq, startback, mjoa, nrs."

instruments_app = typer.Typer(
    help="List, show, import (licensed wording) and export (FHIR) the questionnaires.",
    no_args_is_help=True,
)


def _parse_answers(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(
            f"--answers is not valid JSON: {exc.msg} at column {exc.colno}",
            "Give a JSON list in item order, e.g. --answers '[2, 1, null, 3]'.",
        )


def _instruments() -> InstrumentService:
    """The instruments use case of this run (shipped definitions, the clinic's licensed
    wording from the data directory); no database is opened."""
    from spinecare.bootstrap import instrument_service

    return instrument_service(spinecare_app())


def _definition(instruments: InstrumentService, instrument: str) -> InstrumentDefinition:
    from spinecare.services.instruments import UnknownInstrument

    try:
        return instruments.definition(instrument)
    except UnknownInstrument as exc:
        fail(str(exc))
    except ValueError as exc:  # a stored licensed file that no longer maps
        fail(f"cannot load {instrument}: {exc}", "Re-import the licensed Questionnaire.")


def _score(
    instruments: InstrumentService, instrument: str, answers: Any, max_missing: int | None
) -> ScoreResult:
    from spinecare.clinical.instruments import AnswerError
    from spinecare.services.instruments import UnknownInstrument

    try:
        return instruments.score(instrument, answers, max_missing=max_missing)
    except UnknownInstrument as exc:
        fail(str(exc))
    except AnswerError as exc:
        definition = _definition(instruments, instrument)
        fail(
            f"invalid answers for {definition.short_name}: "
            + "; ".join(str(p) for p in exc.problems),
            f"Answer format: {definition.answer_format}",
        )


def _print_result(result: Any, definition: Any) -> None:
    d = result.to_dict()
    console.print(f"[bold]{definition.name}[/] ({definition.version})", highlight=False)
    if d["score"] is not None:
        unit = "%" if d["unit"] == "%" else ""
        band = f" - {d['band_label']}" if d["band_label"] else ""
        console.print(f"Score: [bold]{d['score']}{unit}[/]{band}", highlight=False)
    if "raw" in d and definition.id == "ndi":
        console.print(f"Raw score: {d['raw']} of 50", highlight=False)
    for sub in result.subscales:
        value = d["subscales"][sub.id]
        if value is None:
            console.print(f"{sub.label}: not scored ({sub.reason})", highlight=False)
        else:
            band = f" - {sub.band.label}" if sub.band else ""
            console.print(f"{sub.label}: [bold]{value}[/]{band}", highlight=False)
    if not d["scored"] and d["reason"]:
        console.print(f"[yellow]Not scored:[/] {d['reason']}", highlight=False)
    for note in d["notes"]:
        console.print(f"[dim]{note}[/]", highlight=False)


def _change(
    instruments: InstrumentService,
    instrument: str,
    baseline: Any,
    follow_up: Any,
    subscale: str | None,
    mcid: float | None,
    mcid_relative: float | None,
) -> ChangeResult:
    from spinecare.clinical.instruments import ChangeError
    from spinecare.services.instruments import UnknownInstrument

    try:
        return instruments.change(
            instrument,
            baseline,
            follow_up,
            subscale=subscale,
            mcid_absolute=mcid,
            mcid_relative_percent=mcid_relative,
        )
    except UnknownInstrument as exc:
        fail(str(exc))
    except ChangeError as exc:
        fail(str(exc))


def _print_change(change: Any) -> None:
    d = change.to_dict()
    pct = "n/a (baseline 0)" if d["percent_change"] is None else f"{d['percent_change']}%"
    console.print(
        f"Change: {d['baseline']} -> {d['follow_up']} = {d['change']} ({pct})", highlight=False
    )
    if d["mcid_absolute"] is not None:
        console.print(
            f"MCID {d['mcid_absolute']} points met: {_yes(d['mcid_absolute_met'])}", highlight=False
        )
    if d["mcid_relative_percent"] is not None:
        console.print(
            f"MCID {d['mcid_relative_percent']}% met: {_yes(d['mcid_relative_met'])}",
            highlight=False,
        )
    console.print(f"[bold]{d['interpretation']}[/]", highlight=False)
    if d["advice"]:
        console.print(f"[bold red]{d['advice']}[/]", highlight=False)


def _yes(flag: bool | None) -> str:
    return "not applicable" if flag is None else ("yes" if flag else "no")


def score_command(
    instrument: str = typer.Argument(..., help=INSTRUMENT_HELP),
    answers: str = typer.Option(..., "--answers", help="JSON list in item order (null = missing)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    max_missing: int | None = typer.Option(
        None, "--max-missing", min=0, help="Override the limit on missing items (ODI, NDI, RMDQ)."
    ),
) -> None:
    """Score one completed questionnaire."""
    instruments = _instruments()
    result = _score(instruments, instrument, _parse_answers(answers), max_missing)
    if as_json:
        print_json(result.to_dict())
    else:
        _print_result(result, _definition(instruments, instrument))


def score_change_command(
    instrument: str = typer.Argument(..., help=INSTRUMENT_HELP),
    baseline: float = typer.Option(..., "--baseline", help="Earlier score."),
    follow_up: float = typer.Option(..., "--follow-up", help="Later score."),
    subscale: str | None = typer.Option(None, "--subscale", help="ZCQ/NRS: which subscale."),
    mcid: float | None = typer.Option(None, "--mcid", help="Override the absolute MCID."),
    mcid_relative: float | None = typer.Option(
        None, "--mcid-relative", help="Override the relative MCID (percent)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Change between two administrations, with each MCID criterion reported separately."""
    change = _change(_instruments(), instrument, baseline, follow_up, subscale, mcid,
                     mcid_relative)
    if as_json:
        print_json(change.to_dict())
    else:
        _print_change(change)


def _ask(item: Any, position: int, total: int) -> int | None:
    from spinecare.clinical.instruments import ItemKind

    console.print(f"\n[bold]{position}/{total}. {item.text}[/]", highlight=False)
    if item.help:
        console.print(f"[dim]{item.help}[/]", highlight=False)
    if item.kind is ItemKind.CHOICE:
        for option in item.options:
            console.print(f"  [{option.value}] {option.display}", highlight=False)
    allowed = item.allowed_values()
    hint = (
        f"{allowed[0]}-{allowed[-1]}"
        if item.kind is ItemKind.INTEGER
        else ", ".join(str(v) for v in allowed)
    )
    while True:
        try:
            raw = typer.prompt(f"Answer ({hint}; Enter to skip)", default="", show_default=False)
        except (EOFError, typer.Abort):
            fail("the input ended before the questionnaire was finished; nothing was saved")
        raw = raw.strip()
        if raw == "":
            return None
        if raw.lstrip("-").isdigit() and int(raw) in allowed:
            return int(raw)
        console.print(
            f"[red]Please enter one of: {hint}, or press Enter to skip.[/]", highlight=False
        )


def questionnaire_command(
    instrument: str = typer.Argument(..., help=INSTRUMENT_HELP),
    previous: float | None = typer.Option(
        None, "--previous", help="An earlier score, to show the change."
    ),
    subscale: str | None = typer.Option(
        None, "--subscale", help="ZCQ/NRS: the subscale --previous refers to."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON at the end."),
) -> None:
    """Walk through a questionnaire in the terminal and show the score (and change)."""
    instruments = _instruments()
    definition = _definition(instruments, instrument)
    if not definition.has_text:
        from spinecare.clinical.instruments.describe import licence_missing_message

        fail(
            licence_missing_message(definition),
            "A clinic holding the licence can import the wording: spinecare instruments import "
            f"FILE.json. To score a completed paper form: spinecare score {definition.id} "
            "--answers '[...]'.",
        )
    console.print(f"[bold]{definition.name}[/]", highlight=False)
    if definition.respondent == "clinician":
        # The terminal stores nothing; a patient's own rating would not be a valid mJOA.
        console.print(
            f"[yellow]The {definition.short_name} is rated by a clinician who examines the "
            "person, not by the patient. Use this only as the examining clinician; the score "
            "is shown, not stored. To record it in a patient's record, a clinician they "
            "shared it with uses POST /api/v1/patients/{id}/questionnaires.[/]",
            highlight=False)
    if definition.licence.notice:
        console.print(definition.licence.notice, highlight=False)
    if definition.instructions:
        console.print(definition.instructions, highlight=False)
    console.print(f"Recall period: {definition.recall_period}", highlight=False)
    answers = {}
    for n, item in enumerate(definition.items, 1):
        answers[item.id] = _ask(item, n, len(definition.items))
    result = _score(instruments, definition.id, answers, None)
    console.print()
    change = None
    if previous is not None:
        target = subscale
        current = result.score if target is None else result.subscale(target).score
        if current is None:
            console.print("[yellow]No current score to compare with --previous.[/]")
        else:
            change = _change(instruments, definition.id, previous, current, target, None,
                             None)
    if as_json:
        out = result.to_dict()
        out["change"] = change.to_dict() if change else None
        print_json(out)
        return
    _print_result(result, definition)
    if change is not None:
        _print_change(change)


@instruments_app.command("list")
def list_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """List the instruments and whether their wording is installed."""
    from rich.table import Table

    rows: list[dict[str, Any]] = [
        {
            "id": d.id,
            "name": d.name,
            "version": d.version,
            "respondent": d.respondent,
            "items": len(d.items),
            "wording": "installed" if d.has_text else "licensed out",
            "licence_holder": d.licence.holder,
        }
        for d in _instruments().definitions().values()
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "name", "items", "completed by", "wording")
    for r in rows:
        table.add_row(r["id"], r["name"], str(r["items"]), r["respondent"], r["wording"])
    console.print(table)


@instruments_app.command("show")
def show_command(
    instrument: str = typer.Argument(..., help=INSTRUMENT_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Show an instrument's items, scoring, bands, MCID and licence decision."""
    from spinecare.clinical.instruments.describe import describe

    info = describe(_definition(_instruments(), instrument))
    if as_json:
        print_json(info)
        return
    console.print(f"[bold]{info['name']}[/] ({info['version']}) - id {info['id']}", highlight=False)
    console.print(info["description"], highlight=False)
    console.print(
        f"Completed by: {info['respondent']}; recall: {info['recall_period']}", highlight=False
    )
    console.print(f"Scoring: {info['scoring_rule']}. {info['missing_rule']}", highlight=False)
    if info["bands_apply_to"] == "rule":
        console.print(f"Groups: {info['rule_text']}", highlight=False)
    elif info["bands"]:
        bands = ", ".join(
            f"{b['label']} (up to {b['upper']:g})"
            if b["upper"] is not None
            else f"{b['label']} (above)"
            for b in info["bands"]
        )
        console.print(f"Bands (on the {info['bands_apply_to']} score): {bands}", highlight=False)
    if info["mcid"]:
        console.print(f"MCID: {info['mcid']['note']}", highlight=False)
    console.print("Items (id: label, allowed values):", highlight=False)
    for n, item in enumerate(info["items"], 1):
        values = item["allowed_values"]
        console.print(
            f"  {n}. {item['id']}: {item['label']} ({values[0]}..{values[-1]})", highlight=False
        )
    lic = info["licence"]
    console.print(f"Licence: {lic['decision']}", highlight=False)
    console.print(f"Answer format: {info['answer_format']}", highlight=False)


@instruments_app.command("import")
def import_command(
    file: Path = typer.Argument(
        ..., help="A FHIR R4 Questionnaire JSON with the licensed wording."
    ),
    instrument: str | None = typer.Option(
        None, "--instrument", help="Which instrument (default: found from the item ids)."
    ),
) -> None:
    """Import a clinic's licensed wording (FHIR Questionnaire) for an instrument."""
    from spinecare.services.instruments import LicensedImportError, UnknownInstrument

    data = read_json_file(file)
    try:
        definition, path = _instruments().import_licence(data, instrument)
    except UnknownInstrument as exc:
        fail(str(exc))
    except LicensedImportError as exc:
        problems = "\n  ".join(exc.problems)
        fail(
            f"{file} does not fit the instrument; nothing was imported:\n  {problems}",
            "Item linkIds must be the ids shown by `spinecare instruments show INSTRUMENT`, "
            "with answer options in scoring order.",
        )
    except OSError as exc:
        fail(f"cannot store the licensed wording: {exc}")
    console.print(
        f"Imported the licensed wording for {definition.name} "
        f"({len(definition.items)} items); stored at {path}.",
        highlight=False,
    )
    console.print(f"Copyright notice shown with it: {definition.licence.notice}", highlight=False)


@instruments_app.command("export-fhir")
def export_fhir_command(
    instrument: str = typer.Argument(..., help=INSTRUMENT_HELP),
    answers: str | None = typer.Option(
        None,
        "--answers",
        help="Also export one administration: a Bundle with Patient, "
        "QuestionnaireResponse and Observations.",
    ),
    person_id: str = typer.Option("person-1", "--person-id", help="Identifier of the person."),
    name: str = typer.Option("", "--name", help="The person's name (optional)."),
    authored: str | None = typer.Option(None, "--authored", help="ISO date-time (default: now)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to a file."),
) -> None:
    """Export the FHIR R4 Questionnaire, or with --answers a Bundle for one person."""
    from spinecare.services.instruments import FhirExportError, Person

    instruments = _instruments()
    definition = _definition(instruments, instrument)
    try:
        if answers is None:
            resource = instruments.questionnaire_resource(definition.id)
        else:
            parsed = _parse_answers(answers)
            _score(instruments, definition.id, parsed, None)  # the scorer's own messages
            when = datetime.now(UTC)
            if authored:
                try:
                    when = datetime.fromisoformat(authored)
                except ValueError:
                    fail(
                        f"--authored '{authored}' is not an ISO date-time",
                        "For example 2026-03-01T09:30:00+00:00.",
                    )
            resource = instruments.bundle_resource(
                Person(id=person_id, name=name), definition.id, parsed, when)
    except FhirExportError as exc:
        fail(f"export failed its own code checks: {exc}")
    text = json.dumps(resource, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    console.print(f"Wrote {resource['resourceType']} to {output}", highlight=False)


@instruments_app.command("score-response")
def score_response_command(
    file: Path = typer.Argument(..., help="A FHIR R4 QuestionnaireResponse JSON."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Score an imported QuestionnaireResponse (every score is recomputed)."""
    from spinecare.clinical.instruments import AnswerError
    from spinecare.services.instruments import FhirValidationError, ResponseImportError

    instruments = _instruments()
    data = read_json_file(file)
    try:
        result = instruments.score_response(data)
    except (FhirValidationError, ResponseImportError, AnswerError) as exc:
        fail(f"{file}: {exc}")
    if as_json:
        print_json(result.to_dict())
    else:
        _print_result(result, _definition(instruments, result.instrument))


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("score")(score_command)
    app.command("score-change")(score_change_command)
    app.command("questionnaire")(questionnaire_command)
    app.add_typer(instruments_app, name="instruments")
