"""CLI: ``spinecare check`` — the symptom interview in the terminal.

Three ways in:

* ``spinecare check`` asks age and sex, then one question at a time from the
  adaptive interview (red flags first). It stops at once when the answers so far
  mean an emergency.
* ``spinecare check --findings FILE.json`` evaluates a findings object without questions.
* ``spinecare check --text "…"`` reads free text first, shows what it understood
  (numbered lines the person may correct one by one), then asks only what is still
  missing (what the words left unclear first).

The interview itself (what to ask next, how a typed answer is read, "back", the result) is
``spinecare.clinical.triage.conversation`` — the same one the web pages, the API and the
evaluator use. Answers are read line by line, so the interview also works when stdin is a pipe.
Nothing is stored: the check lives only in this process.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from spinecare.clinical.findings import Findings, FindingsError, parse_findings
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.vocabulary import VOCABULARY, FindingType
from spinecare.entrypoints.cli.common import (
    console,
    err_console,
    fail,
    print_json,
    read_json_file,
    spinecare_app,
)

if TYPE_CHECKING:  # the interview imports the whole engine: load it only when checking
    from spinecare.clinical.triage.conversation import Conversation
    from spinecare.clinical.triage.interview import Question
    from spinecare.clinical.triage.result import TriageResult
    from spinecare.services.symptom_check import SymptomCheckService

# Exit code when the person stops the interview (quit, end of input): no result was produced.
EXIT_NO_RESULT = 1

BACK = frozenset({"b", "back"})
QUIT = frozenset({"q", "quit", "exit"})
HELP = frozenset({"h", "help", "?help", "??"})

NOTHING_STORED = "Nothing was stored."
CORRECT_PROMPT = "Is this right? (enter = yes, or type the number of a line to change it) > "


class _Back(Exception):
    pass


class _Quit(Exception):
    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def answer_hint(question: Question) -> str:
    if question.kind == "bool":
        options = "y yes · n no · ? not sure"
    elif question.kind == "number":
        defn = VOCABULARY[question.finding]
        unit = f" {question.unit}" if question.unit else ""
        options = f"a number from {defn.minimum:g} to {defn.maximum:g}{unit} · ? not sure"
        if question.unit in ("m", "weeks"):
            options = options.replace(" · ?", f" (or e.g. {_UNIT_EXAMPLE[question.unit]}) · ?")
    else:
        numbered = " · ".join(f"{i} {c}" for i, c in enumerate(question.choices, start=1))
        options = f"{numbered} · ? not sure"
    return f"{options} · b back · q quit · h help"


_UNIT_EXAMPLE = {"m": "1.5 km, half a mile", "weeks": "3 days, 4 months"}


class Terminal:
    """Reads one answer per line from stdin (a keyboard or a pipe) and talks on ``ui``."""

    def __init__(self, ui: Console):
        self.ui = ui
        self.interactive = sys.stdin.isatty()

    def ask(self, prompt: str) -> str:
        self.ui.print(Text(prompt, style="bold cyan"), end="")
        self.ui.file.flush()
        if self.interactive:
            try:
                return input()
            except EOFError:
                raise _Quit("input ended") from None
        line = sys.stdin.readline()
        if line == "":
            self.ui.print()
            raise _Quit("input ended before the interview finished")
        # Echo piped answers so the transcript reads like a conversation.
        self.ui.print(line.rstrip("\n"), highlight=False)
        return line


def _read_answer(term: Terminal, question: Question, number: int) -> Any:
    """Ask until the answer is valid: a ``Parsed`` value (None: not sure). Raises _Back or
    _Quit for those commands. Answers are read by the one shared parser."""
    from spinecare.clinical.triage.conversation import AnswerProblem, parse_answer

    ui = term.ui
    ui.print()
    heading = Table.grid(padding=(0, 1))
    heading.add_column(no_wrap=True)
    heading.add_column(ratio=1)
    text = Text(question.text, style="bold")
    if question.red_flag:
        text.append("  [warning-sign check]", style="red")
    heading.add_row(Text(f"{number}.", style="bold"), text)
    heading.add_row("", Text(answer_hint(question), style="dim"))
    ui.print(heading)
    indent = " " * (len(str(number)) + 2)
    while True:
        raw = term.ask(f"{indent}> ")
        command = raw.strip().lower()
        if command in HELP:
            if question.help:
                ui.print(Text(f"{indent}{question.help}"))
            if question.reason:
                ui.print(Text(f"{indent}Why we ask now: {question.reason}", style="dim"))
            if not question.help and not question.reason:
                ui.print(Text(f"{indent}Answer as best you can; ? if you are not sure."))
            continue
        if command in BACK:
            raise _Back
        if command in QUIT:
            raise _Quit("quit")
        if command == "":
            ui.print(Text(f"{indent}Please type an answer: {answer_hint(question)}", "yellow"))
            continue
        parsed = parse_answer(question, raw)
        if isinstance(parsed, AnswerProblem):
            ui.print(Text(f"{indent}{parsed.message}", style="yellow"))
            continue
        return parsed


def run_interview(
    term: Terminal, state: Conversation, triage: SymptomCheckService
) -> TriageResult:
    """The question loop over the shared interview (``Conversation``), asked through the
    symptom-check service. Returns the final result; raises _Quit if the person stops."""
    ui = term.ui
    while True:
        question = triage.next_question(state)
        if question is None:
            # Emergency, under 16, or nothing left to ask. "Not sure" to an emergency sign
            # is never read as "no" (RF-UNSURE-EMERGENCY-SIGN).
            return triage.result_of(state)
        try:
            parsed = _read_answer(term, question, state.asked + 1)
        except _Back:
            if not state.answers:
                ui.print(Text("   Nothing to go back to: this is the first question.", "yellow"))
            else:
                ui.print(Text("   Going back one question.", style="dim"))
                state = state.back()
            continue
        state = state.answered(question.finding, parsed.value)


def correct_understood(term: Terminal, state: Conversation, spans: Any) -> Conversation:
    """Let the person correct each line of what their words were read as (like the web's
    "what we understood" screen). Enter (or yes) accepts; a line number changes that line."""
    from spinecare.clinical.triage.conversation import question_about
    from spinecare.entrypoints.cli.render.triage import understood_table

    ui = term.ui
    while True:
        lines = list(state.given)
        if not lines:
            return state
        raw = term.ask(CORRECT_PROMPT).strip().lower()
        if raw in ("", "y", "yes", "ok", "right", "correct"):
            return state
        if raw in QUIT:
            raise _Quit("quit")
        if not raw.isdigit() or not 1 <= int(raw) <= len(lines):
            ui.print(Text(f"Type a line number from 1 to {len(lines)}, or press enter if it "
                          "is all right.", "yellow"))
            continue
        key = lines[int(raw) - 1][0]
        question = question_about(key, "You are correcting what was read from your words.")
        try:
            parsed = _read_answer(term, question, int(raw))
        except _Back:
            ui.print(Text("   Left as it was.", style="dim"))
            continue
        state = state.corrected(key, parsed.value)
        ui.print(understood_table(state.latest(), spans, numbered=True))


def _problems_text(error: FindingsError) -> str:
    lines = []
    for problem in error.problems:
        line = f"  - {problem.key}: {problem.message.rstrip('.')}."
        if problem.suggestion:
            line += f" Did you mean '{problem.suggestion}'?"
        lines.append(line)
    return "\n".join(lines)


LIST_HINT = "Run 'spinecare check --list-findings' to see every finding key and its allowed values."


def _print_findings_list(as_json: bool) -> None:
    """The vocabulary: every key, its allowed values and its meaning."""
    if as_json:
        print_json([
            {"key": d.key, "type": d.type.value, "allowed": d.range_text(), "meaning": d.meaning,
             "group": d.group.value, "clinician_only": d.clinician_only}
            for d in VOCABULARY.values()
        ])
        return
    table = Table(title="Finding keys (unknown = leave it out or use null)", title_justify="left")
    table.add_column("key", no_wrap=True, style="bold")
    table.add_column("allowed values")
    table.add_column("meaning")
    for d in VOCABULARY.values():
        meaning = d.meaning + (" (examination: a clinician's finding)" if d.clinician_only else "")
        allowed = "true / false" if d.type is FindingType.BOOL else d.range_text()
        table.add_row(d.key, allowed, meaning)
    console.print(table)


def _load_findings_file(path: Path) -> dict[str, Any]:
    data = read_json_file(path)
    if not isinstance(data, dict):
        fail(
            f"{path} must hold a JSON object of findings, got {type(data).__name__}",
            'Example: {"age": 58, "sex": "female", "back_pain": true, "fever": false}',
        )
    # A vignette line ({"age", "sex", "findings": {...}, …}) is accepted too.
    if isinstance(data.get("findings"), dict):
        raw = dict(data["findings"])
        for key in ("age", "sex"):
            if key in data and key not in raw:
                raw[key] = data[key]
        return raw
    return data


def _merge_option(raw: dict[str, Any], key: str, value: Any, source: str) -> None:
    if value is None:
        return
    if raw.get(key) is not None and raw[key] != value:
        fail(
            f"{key} is {raw[key]!r} in {source} but --{key} says {value!r}",
            f"Give {key} in one place only.",
        )
    raw[key] = value


def _validate(raw: Mapping[str, Any], source: str) -> Findings:
    try:
        return parse_findings(raw)
    except FindingsError as exc:
        fail(
            f"{source} has invalid findings:\n{_problems_text(exc)}",
            LIST_HINT,
        )


def _show_understood(
    ui: Console, extraction: Any, findings: Mapping[str, Any], will_ask: bool
) -> None:
    from spinecare.entrypoints.cli.render.triage import understood_table

    if findings:
        ui.print(understood_table(findings, getattr(extraction, "spans", None), numbered=True))
    else:
        ui.print(Text("I could not pick out any findings from your words.", style="yellow"))
    uncertain = list(getattr(extraction, "uncertain", None) or ())
    if uncertain:
        from spinecare.entrypoints.cli.render.triage import describe_finding

        shown = ", ".join(describe_finding(str(u)) for u in uncertain)
        then = (
            "I will ask about these directly." if will_ask
            else "They stay unknown; the result lists any warning sign still to check."
        )
        ui.print(Text(f"Not sure about: {shown}. {then}", "dim"))


def check(
    findings_file: Path | None = typer.Option(
        None, "--findings", metavar="FILE.json",
        help="Evaluate a JSON object of findings without asking questions.",
    ),
    text: str | None = typer.Option(
        None, "--text",
        help="Describe your symptoms in your own words; then answer what is missing.",
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the result as one JSON object (questions go to stderr).",
    ),
    age: int | None = typer.Option(None, "--age", help="Age in years (instead of being asked)."),
    sex: str | None = typer.Option(None, "--sex", help="female or male (instead of being asked)."),
    country: str | None = typer.Option(
        None, "--country", metavar="CC",
        help="Two-letter country code for the emergency number (default: SPINECARE_COUNTRY).",
    ),
    list_findings: bool = typer.Option(
        False, "--list-findings", help="List every finding key with its allowed values, then exit.",
    ),
) -> None:
    """Check your back or neck symptoms: red flags first, then what it may be and what to do.

    Answer y (yes), n (no) or ? (not sure); b goes back one question, q quits, h shows help.
    If your answers point to an emergency, the questions stop at once.
    Not a diagnosis; nothing is stored.
    """
    from spinecare.bootstrap import symptom_check_service
    from spinecare.entrypoints.cli.render.triage import emergency_panel, print_result
    from spinecare.services.symptom_check import TriageOutcome

    if list_findings:
        _print_findings_list(as_json)
        return
    if findings_file is not None and text is not None:
        fail("use either --findings or --text, not both")
    if sex is not None:
        sex = sex.strip().lower()
    app = spinecare_app()
    country_code = (country if country is not None else app.settings.country).strip().upper()
    if country_code:
        from spinecare.clinical.triage.knowledge.emergency_numbers import NUMBERS

        if country_code not in NUMBERS:
            err_console.print(
                f"[yellow]Note:[/] no emergency number on file for '{country_code}'; "
                "results show 112 and remind you that your local number applies.",
                highlight=False,
            )

    registry = app.references
    # No database: nothing is stored, so no file is opened and SQLAlchemy never loads.
    triage = symptom_check_service(app, country=country_code)
    ui = err_console if as_json else console

    def show(result: TriageResult) -> None:
        if as_json:  # the same document as POST /api/v1/triage (nothing is saved here)
            print_json(TriageOutcome.of(result).to_dict())
        else:
            print_result(console, result, registry)

    if findings_file is not None:
        raw = _load_findings_file(findings_file)
        _merge_option(raw, "age", age, str(findings_file))
        _merge_option(raw, "sex", sex, str(findings_file))
        findings = _validate(raw, str(findings_file))
        show(triage.evaluate(findings))
        return

    given: dict[str, Any] = {}
    if age is not None:
        given["age"] = age
    if sex is not None:
        given["sex"] = sex
    _validate(given, "the options")

    from spinecare.clinical.triage.conversation import Conversation

    term = Terminal(ui)
    state = Conversation.start(given)
    if text is not None:
        if not text.strip():
            fail("--text is empty", 'Describe them, e.g. --text "my legs ache when I walk"')
        from spinecare.adapters.intake.understood import valid_findings

        extraction = app.extractor.extract(text)
        # As on the web: a value the vocabulary refuses is left out (and asked), not fatal.
        extracted = valid_findings(extraction.findings)
        for key, value in given.items():
            _merge_option(extracted, key, value, "your text")
        state = Conversation.start(extracted, [str(k) for k in extraction.uncertain])
        no_questions = as_json and not sys.stdin.isatty()
        _show_understood(ui, extraction, extracted, will_ask=not no_questions)
        if no_questions:
            # No one to ask: an emergency sign the words left unclear counts as "not sure".
            show(triage.result_of(state))
            return
        if triage.result_of(state).level is not Level.EMERGENCY:
            try:
                state = correct_understood(term, state, extraction.spans)
            except _Quit as stop:
                ui.print(Text(f"Stopped ({stop.why}). No result was produced. "
                              f"{NOTHING_STORED}", "bold"))
                raise typer.Exit(EXIT_NO_RESULT) from None
    else:
        ui.print(
            Text.assemble(
                ("spinecare check", "bold"),
                " — a few questions about your back or neck. Warning signs come first.\n",
                ("Answer y (yes), n (no) or ? (not sure). b goes back, q quits, h explains "
                 "the question. Not a diagnosis; nothing is stored.", "dim"),
            )
        )
    try:
        result = run_interview(term, state, triage)
    except _Quit as stop:
        ui.print(Text(f"Stopped ({stop.why}). No result was produced. {NOTHING_STORED}", "bold"))
        raise typer.Exit(EXIT_NO_RESULT) from None
    except KeyboardInterrupt:
        ui.print(Text(f"\nStopped. No result was produced. {NOTHING_STORED}", style="bold"))
        raise typer.Exit(130) from None
    ui.print()
    if as_json:
        if result.level is Level.EMERGENCY:
            ui.print(emergency_panel(result, registry))
        print_json(TriageOutcome.of(result).to_dict())
    else:
        print_result(console, result, registry)


def register(app: typer.Typer) -> None:
    """Add the check command to the root app."""
    app.command(name="check")(check)
