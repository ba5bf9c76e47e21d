"""CLI: ``spinecare decide`` — the treatment decision aid in the terminal.

With options (``--condition lumbar_spinal_stenosis --conservative-weeks 20 --benefit none
--deficit none`` and an answer to every warning sign: ``--sign KEY=no`` ...) it answers
at once; anything required that is missing is asked, one line at a time (so it also
works with a pipe), warning signs first, each yes / no / not sure. On a terminal
unanswered warning signs are always asked; without one (a pipe, a script) they are
never read as "no": the command refuses, naming them and how to answer them.
``--json`` prints the whole report as one object; ``--summary FILE`` writes a
printable summary (.html, .md or .pdf).
Nothing is stored.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spinecare.entrypoints.cli.common import (
    console,
    err_console,
    fail,
    print_json,
    read_json_file,
    spinecare_app,
)

if TYPE_CHECKING:
    from spinecare.services.decision_aid import DecisionAidService

EXIT_NO_RESULT = 1
SUMMARY_SUFFIXES = (".html", ".htm", ".md", ".pdf")

STATUS_STYLES = {
    "reasonable_now": "bold green",
    "discuss_with_specialist": "bold cyan",
    "not_yet": "bold yellow",
    "not_needed_now": "bold blue",
    "not_recommended": "bold red",
    "investigational_only": "bold magenta",
}


class _Stop(Exception):
    pass


class Asker:
    """Reads answers line by line from stdin; prompts go to ``ui``."""

    def __init__(self, ui: Console):
        self.ui = ui

    def line(self, prompt: str) -> str:
        self.ui.print(Text(prompt, style="bold"), end=" ")
        answer = sys.stdin.readline()
        if answer == "":
            raise _Stop("end of input")
        answer = answer.strip()
        if answer.lower() in {"q", "quit", "exit"}:
            raise _Stop("you quit")
        return answer

    def choice(self, prompt: str, choices: list[tuple[str, str]]) -> str:
        for i, (_, label) in enumerate(choices, 1):
            self.ui.print(f"  {i}. {label}")
        while True:
            answer = self.line(f"{prompt} [1-{len(choices)}]:").lower()
            for i, (value, _) in enumerate(choices, 1):
                if answer in {str(i), value}:
                    return value
            self.ui.print(f"[red]Please type a number from 1 to {len(choices)}.[/]")

    def number(self, prompt: str, lo: float, hi: float, *, optional: bool = False) -> float | None:
        while True:
            answer = self.line(prompt + (" (Enter to skip)" if optional else "") + ":")
            if answer == "" and optional:
                return None
            try:
                value = float(answer)
            except ValueError:
                value = None
            if value is not None and lo <= value <= hi:
                return value
            self.ui.print(f"[red]Please type a number from {lo:g} to {hi:g}.[/]")

    def yes_no_unsure(self, prompt: str) -> bool | None:
        # The symptom check's reading of yes / no / not sure ("yeah", "don't know" …).
        from spinecare.clinical.triage.conversation import AnswerProblem, parse_yes_no

        while True:
            read = parse_yes_no(self.line(prompt + " [y/n/?]:"))
            if not isinstance(read, AnswerProblem):
                return read.value  # type: ignore[return-value]
            self.ui.print(f"[red]{read.message}[/]")


def _ask_warning_signs(raw: dict[str, Any], ask: Asker, aid: DecisionAidService) -> None:
    """Ask every unanswered warning sign, yes / no / not sure, most serious first.

    Stops early once the answers lead to emergency advice: nothing could change that.
    """
    from spinecare.clinical.decision import WARNING_SIGNS, Urgency
    from spinecare.clinical.decision.inputs import signs_only

    known = signs_only(raw)
    # Answers already given (--sign, --red-flag, --input), normalised to yes/no/not_sure.
    answers = {k: a.value for k, a in known.warning_signs.items()} if known else {}
    intros = {
        Urgency.EMERGENCY: "First, warning signs that need emergency care. Right now:",
        Urgency.URGENT: "Signs that need a doctor soon:",
        Urgency.COMBINATION: "And a few that matter together with others:",
    }
    urgencies = aid.sign_urgencies()
    for urgency, intro in intros.items():
        todo = [s for s in WARNING_SIGNS.values()
                if urgencies[s.key] is urgency and s.key not in answers]
        if todo:
            ask.ui.print(Text(intro, style="bold"))
        for sign in todo:
            answer = ask.yes_no_unsure(sign.question)
            answers[sign.key] = {True: "yes", False: "no", None: "not_sure"}[answer]
            if answer and urgency is Urgency.EMERGENCY:
                raw["warning_signs"] = answers
                return  # the answer is already "get help now"
    raw["warning_signs"] = answers


def ask_missing(raw: dict[str, Any], ask: Asker, aid: DecisionAidService) -> dict[str, Any]:
    """Ask for what is required and missing; optional items are offered, skippable."""
    from spinecare.clinical.decision import SUPPORTED_CONDITIONS

    ask.ui.print(Text.assemble(
        ("spinecare decide", "bold"),
        " — compare treatment options for your back or neck.\n",
        ("Type q to quit. Not a diagnosis and not a decision: a basis for talking with your "
         "clinician. Nothing is stored.", "dim"),
    ))
    if not aid.stops_the_aid(raw):
        _ask_warning_signs(raw, ask, aid)
    if aid.stops_the_aid(raw):
        return raw  # the aid shows advice only: nothing else is needed
    if not raw.get("condition"):
        raw["condition"] = ask.choice(
            "Which condition has your clinician said you have?",
            [(k, v) for k, v in SUPPORTED_CONDITIONS.items()],
        )
    if raw.get("conservative_weeks") is None:
        raw["conservative_weeks"] = ask.number(
            "How many weeks of physiotherapy, exercise or medicines have you tried (0 if none)?",
            0, 520,
        )
    if raw["conservative_weeks"] and raw.get("benefit") is None:
        raw["benefit"] = ask.choice("How much has that helped?", [
            ("none", "none: no real change"),
            ("some", "some: a little better, but not enough"),
            ("good", "good: clearly better"),
        ])
    if raw.get("deficit") is None:
        raw["deficit"] = ask.choice(
                "Any weakness, numbness, clumsy hands or unsteady walking?", [
            ("none", "none"),
            ("stable", "yes, but it has stayed the same"),
            ("progressive", "yes, and it is getting worse"),
        ])
    if raw["deficit"] != "none" and "severe_deficit" not in raw:
        raw["severe_deficit"] = bool(ask.yes_no_unsure(
            "Is it severe, e.g. your foot slaps or drops, or you cannot rise on heels or toes?"
        ))
    if raw.get("injections_12m") is None:
        raw["injections_12m"] = int(ask.number(
            "How many epidural injections have you had in the past 12 months?", 0, 52,
            optional=True,
        ) or 0)
    for key, prompt, lo, hi in (
        ("odi", "Your latest Oswestry Disability Index (ODI), in %", 0, 100),
        ("pain_nrs", "Your worst pain now, 0 (none) to 10 (worst imaginable)", 0, 10),
        ("walking_distance_m", "How far can you walk before you must stop, in metres", 0, 100000),
    ):
        if raw.get(key) is None:
            value = ask.number(prompt, lo, hi, optional=True)
            if value is not None:
                raw[key] = value
    if raw.get("values") is None:
        ask.ui.print(Text("What matters most to you? (Enter skips a question)", style="bold"))
        values: dict[str, str] = {}
        scale = aid.grid.scale
        for q in aid.grid.values:
            ask.ui.print(f"  {q.text}")
            labels = " ".join(f"{i}={label}" for i, (_, label) in enumerate(scale, 1))
            while True:
                answer = ask.line(f"  {labels}:")
                if answer == "":
                    break
                if answer.isdigit() and 1 <= int(answer) <= len(scale):
                    values[q.id] = scale[int(answer) - 1][0]
                    break
                ask.ui.print(f"[red]Please type 1 to {len(scale)}, or Enter to skip.[/]")
        raw["values"] = values
    return raw


def _refs_text(refs: list[str]) -> str:
    return ", ".join(refs)


WIDE = 130  # below this many columns the grid prints one card per option


def _benefit_text(row: dict[str, Any]) -> str:
    benefit = row["chance_of_benefit"]
    if row["condition_note"]:
        benefit += "\nFor your condition: " + row["condition_note"]
    if row["investigational"]:
        benefit += "\nNot known: " + " ".join(row["what_is_not_known"])
    return benefit


def _grid_table(rows: list[dict[str, Any]]) -> Table:
    grid = Table(title="Option grid: benefits, risks and evidence", show_lines=True, expand=True)
    for col, ratio in (("Option", 2), ("Chance of benefit", 5), ("Risks", 4),
                       ("Recovery / how long it lasts", 3), ("Evidence", 2)):
        grid.add_column(col, ratio=ratio)
    for row in rows:
        grid.add_row(
            Text(row["name"], style="bold"),
            _benefit_text(row),
            row["risks"],
            f"{row['recovery']}\nLasts: {row['durability']}",
            Text.assemble((f"Level {row['evidence_level']}\n", "bold"),
                          (_refs_text(row["references"]), "dim")),
        )
    return grid


def _option_card(row: dict[str, Any]) -> Table:
    title = row["name"] + ("  [INVESTIGATIONAL]" if row["investigational"] else "")
    card = Table(title=title, title_justify="left", title_style="bold", show_header=False,
                 show_lines=True, expand=True)
    card.add_column("", style="bold", width=12)
    card.add_column("", ratio=1)
    card.add_row("Involves", row["what_it_involves"])
    card.add_row("Benefit", _benefit_text(row))
    card.add_row("Risks", row["risks"])
    card.add_row("Recovery", row["recovery"])
    card.add_row("Lasts", row["durability"])
    card.add_row("Evidence", f"Level {row['evidence_level']}: {row['evidence_note']}")
    card.add_row("Cost", row["cost_notes"])
    card.add_row("References", Text(_refs_text(row["references"]), style="dim"))
    return card


def print_report(out: Console, report: Any) -> None:
    data = report.to_dict()
    if data["bypassed"]:
        advice = data["advice"]
        style = "red" if advice["level"] == "emergency" else "yellow"
        body = Text.assemble((advice["headline"] + "\n\n", "bold"), advice["text"])
        reason = data["stage_reasons"][0]
        refs = _refs_text(reason["references"])
        body.append(f"\n\nRule {reason['rule_id']} · references: {refs}", style="dim")
        out.print(Panel(body, title=data["stage_title"], border_style=style))
        return
    stage = Text(data["stage_title"] + "\n", style="bold")
    for reason in data["stage_reasons"]:
        stage.append(f"• {reason['text']}\n")
        stage.append(f"  [{reason['rule_id']}] {_refs_text(reason['references'])}\n", style="dim")
    for note in data["notes"]:
        stage.append(f"• {note['text']}\n", style="italic")
        stage.append(f"  [{note['rule_id']}] {_refs_text(note['references'])}\n", style="dim")
    out.print(Panel(stage, title="Where you are on the pathway", border_style="cyan"))

    status = Table(title="Your options now", show_lines=True, expand=True)
    status.add_column("Option", style="bold", width=16, overflow="fold")
    status.add_column("For you now", width=17, overflow="fold")
    status.add_column("Why", ratio=6)
    for row in data["option_grid"]:
        a = row["assessment"]
        why = Text()
        for reason in a["reasons"]:
            why.append(reason["text"] + " ")
            why.append(f"[{reason['rule_id']}]\n", style="dim")
        name = Text(row["name"])
        if row["investigational"]:
            name.append("\nINVESTIGATIONAL", style="bold magenta")
        status.add_row(name, Text(a["status_label"], style=STATUS_STYLES[a["status"]]), why)
    out.print(status)

    if out.width >= WIDE:
        out.print(_grid_table(data["option_grid"]))
    else:
        out.print(Text("Option grid: benefits, risks and evidence", style="bold"))
        for row in data["option_grid"]:
            out.print(_option_card(row))

    values = [v for v in data["values_questions"] if v["answer"]]
    if values:
        out.print(Text("What matters most to you (your answers)", style="bold"))
        for v in values:
            out.print(f"  • {v['text']} — {v['answer_label']}")
    out.print(Text("\nQuestions to ask your surgeon or specialist", style="bold"))
    for q in data["surgeon_questions"]:
        out.print(f"  • {q}")
    out.print(Text("\nEvidence levels: 1 = systematic review … 5 = expert opinion (OCEBM 2011).",
                   style="dim"))
    out.print(Panel(data["safety_net"], border_style="red", title="Safety net"))
    out.print(Text(data["disclaimer"], style="dim"))


def _load_input_file(path: Path) -> dict[str, Any]:
    data = read_json_file(path)
    if not isinstance(data, dict):
        fail(f"{path} must hold a JSON object of decision-aid fields",
             'e.g. {"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20, ...}')
    return data


def _parse_values(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, answer = pair.partition("=")
        if not sep or not key or not answer:
            fail(f"--value {pair!r} must look like QUESTION=ANSWER",
                 "e.g. --value walk_further=a_lot (answers: a_lot, somewhat, not_much)")
        values[key.strip()] = answer.strip()
    return values


def _write_summary(path: Path, report: Any) -> None:
    from spinecare.adapters.reports.decision_summary import write_summary

    suffix = path.suffix.lower()
    if suffix not in SUMMARY_SUFFIXES:
        fail(f"--summary {path}: unknown file type {suffix or '(none)'}",
             "Use a name ending in .html, .md or .pdf.")
    if path.parent and not path.parent.exists():
        fail(f"--summary {path}: the folder {path.parent} does not exist")
    try:
        write_summary(report, path)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror}")


def decide_command(
    condition: str | None = typer.Option(
        None, "--condition", help="Condition id, e.g. lumbar_spinal_stenosis."),
    conservative_weeks: float | None = typer.Option(
        None, "--conservative-weeks", help="Weeks of physiotherapy/exercise/medicines so far."),
    benefit: str | None = typer.Option(
        None, "--benefit", help="How much conservative care helped: none, some or good."),
    deficit: str | None = typer.Option(
        None, "--deficit",
        help="Weakness, numbness, clumsy hands or unsteady walking: none, stable or progressive."),
    severe_deficit: bool = typer.Option(
        False, "--severe-deficit", help="A severe deficit such as foot drop."),
    sign: list[str] = typer.Option(
        [], "--sign", metavar="KEY=ANSWER",
        help="Answer a warning sign: yes, no or not_sure (repeatable), e.g. --sign fever=no. "
             "`--list-signs` lists them."),
    red_flag: list[str] = typer.Option(
        [], "--red-flag", metavar="KEY",
        help="A warning sign you have (repeatable; the same as --sign KEY=yes)."),
    no_red_flags: bool = typer.Option(
        False, "--no-red-flags",
        help="Answer no to every warning sign not answered otherwise. Use it only after "
             "reading them all (`--list-signs`)."),
    list_signs: bool = typer.Option(
        False, "--list-signs", help="List the warning signs (key, level, question) and stop."),
    odi: float | None = typer.Option(None, "--odi", help="Oswestry Disability Index, %."),
    zcq_symptom: float | None = typer.Option(
        None, "--zcq-symptom", help="ZCQ symptom severity 1-5."),
    zcq_function: float | None = typer.Option(
        None, "--zcq-function", help="ZCQ physical function 1-4."),
    pain: float | None = typer.Option(None, "--pain", help="Worst pain now, 0-10."),
    walking_distance: float | None = typer.Option(
        None, "--walking-distance", help="Metres you can walk before you must stop."),
    injections: int | None = typer.Option(
        None, "--injections", help="Epidural injections in the past 12 months."),
    value: list[str] = typer.Option(
        [], "--value", metavar="Q=A",
        help="A values answer, e.g. walk_further=a_lot (repeatable)."),
    input_file: Path | None = typer.Option(
        None, "--input", metavar="FILE.json", help="Read the fields from a JSON object."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object."),
    summary: Path | None = typer.Option(
        None, "--summary", metavar="FILE", help="Write a printable summary (.html, .md or .pdf)."),
    country: str | None = typer.Option(
        None, "--country", metavar="CC",
        help="Two-letter country code for the emergency number (default: SPINECARE_COUNTRY)."),
) -> None:
    """Compare treatment options: where you are on the stepped pathway, and which options
    are reasonable now, not yet, or investigational — with figures, risks and evidence.

    Missing answers are asked (warning signs first). Not a diagnosis; nothing is stored.
    """
    from spinecare.bootstrap import decision_aid_service
    from spinecare.clinical.decision import DecisionInputError, GridError

    app = spinecare_app()
    aid = decision_aid_service(app)  # no database: the aid stores nothing
    if list_signs:
        _print_signs(console, aid)
        return

    try:
        aid.grid  # noqa: B018 -- loaded (and checked) now, before any question is asked
    except GridError as exc:  # broken content is a packaging bug; say so plainly
        fail(f"the treatment option grid is invalid: {exc}", "Reinstall spinecare or report this.")
    raw: dict[str, Any] = _load_input_file(input_file) if input_file else {}
    given = {
        "condition": condition, "conservative_weeks": conservative_weeks, "benefit": benefit,
        "deficit": deficit, "odi": odi, "zcq_symptom": zcq_symptom, "zcq_function": zcq_function,
        "pain_nrs": pain, "walking_distance_m": walking_distance, "injections_12m": injections,
    }
    raw.update({k: v for k, v in given.items() if v is not None})
    if severe_deficit:
        raw["severe_deficit"] = True
    if red_flag:
        raw["red_flags"] = [*raw.get("red_flags", []), *red_flag]
    if sign:
        raw["warning_signs"] = {**(raw.get("warning_signs") or {}), **_parse_signs(sign)}
    if no_red_flags:
        # An explicit "no" to each sign the person has not answered otherwise.
        answered = raw.get("warning_signs") if isinstance(raw.get("warning_signs"), dict) else {}
        flagged = set(raw.get("red_flags") or [])
        raw["warning_signs"] = {**{k: "no" for k in _sign_keys() if k not in flagged},
                                **(answered or {})}
    if value:
        raw["values"] = {**(raw.get("values") or {}), **_parse_values(value)}

    required_missing = (
        not raw.get("condition") or raw.get("conservative_weeks") is None
        or raw.get("deficit") is None
        or (raw.get("conservative_weeks") and raw.get("benefit") is None)
    )
    unanswered = _unanswered_signs(raw)
    if unanswered and not required_missing and not sys.stdin.isatty() \
            and not aid.stops_the_aid(raw):
        # Nobody to ask (a script, a pipe, a file): never read silence as "no".
        _refuse_unanswered(unanswered)
    if required_missing or unanswered:
        ui = err_console if as_json else console
        try:
            if required_missing:
                raw = ask_missing(raw, Asker(ui), aid)
            elif not aid.stops_the_aid(raw):
                _ask_warning_signs(raw, Asker(ui), aid)
        except _Stop as stop:
            ui.print(Text(f"Stopped ({stop}). No result was produced. Nothing was stored.",
                          style="bold"))
            raise typer.Exit(EXIT_NO_RESULT) from None
        except KeyboardInterrupt:
            ui.print(Text("\nStopped. Nothing was stored.", style="bold"))
            raise typer.Exit(130) from None
    country_code = (
        country if country is not None else app.settings.country
    ).strip().upper()
    try:
        report = aid.decide(raw, country=country_code)
    except DecisionInputError as exc:
        lines = "\n".join(f"  - {p}" for p in exc.problems)
        fail(f"the decision aid cannot use these answers:\n{lines}",
             "Fix the values above; `spinecare decide --help` lists every option.")
    if summary is not None:
        _write_summary(summary, report)
    if as_json:
        print_json(report.to_dict())
    else:
        print_report(console, report)
    if summary is not None:
        (err_console if as_json else console).print(f"Summary written to {summary}")


def _sign_keys() -> tuple[str, ...]:
    from spinecare.clinical.decision import WARNING_SIGNS

    return tuple(WARNING_SIGNS)


def _parse_signs(pairs: list[str]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for pair in pairs:
        key, sep, answer = pair.partition("=")
        answer = answer.strip().lower().replace(" ", "_")
        if not sep or not key.strip() or answer not in ("yes", "no", "not_sure"):
            fail(f"--sign {pair!r} must look like KEY=yes, KEY=no or KEY=not_sure",
                 "e.g. --sign fever=no; `spinecare decide --list-signs` lists the keys.")
        answers[key.strip().lower()] = answer
    return answers


def _unanswered_signs(raw: dict[str, Any]) -> tuple[str, ...]:
    from spinecare.clinical.decision.inputs import signs_only

    partial = signs_only(raw)
    answered = partial.warning_signs if partial else {}
    return tuple(k for k in _sign_keys() if k not in answered)


def _refuse_unanswered(unanswered: tuple[str, ...]) -> None:
    from spinecare.clinical.decision import WARNING_SIGNS

    lines = "\n".join(f"  - {k}: {WARNING_SIGNS[k].question}" for k in unanswered)
    fail(
        f"{len(unanswered)} warning sign{'s are' if len(unanswered) != 1 else ' is'} not "
        f"answered, and an unanswered sign is never read as 'no':\n{lines}",
        "Answer each with --sign KEY=yes|no|not_sure (e.g. --sign fever=no), or in --input "
        'FILE.json as "warning_signs": {"fever": false, ...}, or run `spinecare decide` on '
        "a terminal to be asked. `spinecare decide --list-signs` lists them.",
    )


def _print_signs(out: Console, aid: DecisionAidService) -> None:
    from spinecare.clinical.decision import WARNING_SIGNS

    urgencies = aid.sign_urgencies()
    table = Table(title="Warning signs (the symptom check's red flags)", show_lines=False)
    table.add_column("KEY", style="bold")
    table.add_column("alone leads to")
    table.add_column("question")
    for s in WARNING_SIGNS.values():
        table.add_row(s.key, urgencies[s.key].value, s.question)
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the decide command to the root app."""
    app.command("decide")(decide_command)
