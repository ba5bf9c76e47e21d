"""CLI: ``spinecare check`` — the symptom interview in the terminal.

Three ways in:

* ``spinecare check`` asks age and sex, then one question at a time from the
  adaptive interview (red flags first). It stops at once when the answers so far
  mean an emergency.
* ``spinecare check --findings FILE.json`` evaluates a findings object without questions.
* ``spinecare check --text "…"`` reads free text first, shows what it understood,
  then asks only what is still missing.

Answers are read line by line, so the interview also works when stdin is a pipe.
Nothing is stored: the check lives only in this process.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from spinecare.clinical.findings import Findings, FindingsError, Value, parse_findings
from spinecare.clinical.knowledge.red_flags import TRUE_RED_FLAG_KEYS
from spinecare.clinical.triage.levels import Level
from spinecare.clinical.vocabulary import VOCABULARY, FindingType
from spinecare.commands.common import console, err_console, fail, print_json, read_json_file

if TYPE_CHECKING:  # the interview imports the whole engine: load it only when checking
    from spinecare.clinical.triage.interview import Question

# Exit code when the person stops the interview (quit, end of input): no result was produced.
EXIT_NO_RESULT = 1

YES = frozenset({"y", "yes", "yeah", "yep", "true"})
NO = frozenset({"n", "no", "nope", "false"})
NOT_SURE = frozenset({"?", "not sure", "notsure", "unsure", "ns", "dont know", "don't know", "dk",
                      "skip"})
BACK = frozenset({"b", "back"})
QUIT = frozenset({"q", "quit", "exit"})
HELP = frozenset({"h", "help", "?help", "??"})

NOTHING_STORED = "Nothing was stored."


class _Back(Exception):
    pass


class _Quit(Exception):
    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


@dataclass(frozen=True, slots=True)
class Parsed:
    """A valid answer: a value for the finding, or None for 'not sure' (stays unknown)."""

    value: Value | None


def intro_question(key: str) -> Question:
    """Age and sex come first: they change which warning signs matter."""
    from spinecare.clinical.triage.interview import Question

    defn = VOCABULARY[key]
    if key == "age":
        return Question(
            finding="age", text=defn.question, kind="number", red_flag=False,
            help="Your age in whole years. Some warning signs only count from a certain age.",
            reason="asked first: age changes which warning signs matter",
            minimum=defn.minimum, maximum=defn.maximum, unit=defn.unit,
        )
    return Question(
        finding=key, text=defn.question, kind="choice", red_flag=False,
        help="Some conditions are more common in one sex. Answer ? if you prefer not to say.",
        reason="asked first: some conditions are more common in one sex",
        choices=defn.choices,
    )


def answer_hint(question: Question) -> str:
    if question.kind == "bool":
        options = "y yes · n no · ? not sure"
    elif question.kind == "number":
        lo, hi = _bounds(question)
        unit = f" {question.unit}" if question.unit else ""
        options = f"a number from {lo:g} to {hi:g}{unit} · ? not sure"
    else:
        numbered = " · ".join(f"{i} {c}" for i, c in enumerate(question.choices, start=1))
        options = f"{numbered} · ? not sure"
    return f"{options} · b back · q quit · h help"


def _bounds(question: Question) -> tuple[float, float]:
    defn = VOCABULARY.get(question.finding)
    lo = question.minimum if question.minimum is not None else (defn.minimum if defn else None)
    hi = question.maximum if question.maximum is not None else (defn.maximum if defn else None)
    return (lo if lo is not None else float("-inf"), hi if hi is not None else float("inf"))


def parse_answer(question: Question, raw: str) -> Parsed | str:
    """Turn one typed line into a value; a str return is the reason it was not accepted."""
    text = " ".join(raw.strip().lower().split())
    if text in NOT_SURE:
        return Parsed(None)
    if question.kind == "bool":
        if text in YES:
            return Parsed(True)
        if text in NO:
            return Parsed(False)
        return "Please answer y (yes), n (no) or ? (not sure)."
    if question.kind == "number":
        return _parse_number(question, text)
    return _parse_choice(question, text)


def _parse_number(question: Question, text: str) -> Parsed | str:
    lo, hi = _bounds(question)
    unit = question.unit.lower()
    if unit and text.endswith(unit):
        text = text[: -len(unit)].strip()
    text = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        number = float(text)
    except ValueError:
        return f"'{text}' is not a number. Type a number from {lo:g} to {hi:g}, or ? if not sure."
    if number != number or number in (float("inf"), float("-inf")):
        return f"Type a number from {lo:g} to {hi:g}, or ? if not sure."
    if not lo <= number <= hi:
        return f"{number:g} is out of range: the answer must be from {lo:g} to {hi:g}."
    defn = VOCABULARY.get(question.finding)
    if defn is not None and defn.type is FindingType.INTEGER:
        if number != int(number):
            return f"Please give a whole number from {lo:g} to {hi:g}."
        return Parsed(int(number))
    return Parsed(int(number) if number == int(number) else number)


def _parse_choice(question: Question, text: str) -> Parsed | str:
    choices = question.choices
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return Parsed(choices[int(text) - 1])
    matches = [c for c in choices if c.lower() == text] or [
        c for c in choices if text and c.lower().startswith(text)
    ]
    if len(matches) == 1:
        return Parsed(matches[0])
    listed = ", ".join(f"{i} ({c})" for i, c in enumerate(choices, start=1))
    return f"Please choose one of {listed}, or ? if not sure."


@dataclass
class Interview:
    """The answers so far. ``given`` came from a file, options or free text (never undone)."""

    given: dict[str, Value] = field(default_factory=dict)
    answers: dict[str, Value] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    order: list[str] = field(default_factory=list)  # keys in the order they were asked
    # Findings the person's own words left unclear: asked explicitly, warning signs first.
    ask_first: list[str] = field(default_factory=list)

    def findings(self) -> Findings:
        return parse_findings({**self.given, **self.answers})

    def is_known(self, key: str) -> bool:
        return key in self.given or key in self.answers

    def record(self, key: str, value: Value | None) -> None:
        if value is None:
            self.skipped.add(key)
        else:
            self.answers[key] = value
        self.order.append(key)

    def undo(self) -> str | None:
        if not self.order:
            return None
        key = self.order.pop()
        self.answers.pop(key, None)
        self.skipped.discard(key)
        return key


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


def ask_question(term: Terminal, question: Question, number: int) -> Parsed:
    """Ask until the answer is valid; raises _Back or _Quit for those commands."""
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
        if isinstance(parsed, str):
            ui.print(Text(f"{indent}{parsed}", style="yellow"))
            continue
        return parsed


def _unclear_question(state: Interview) -> Question | None:
    """A finding the free text left unclear, asked directly rather than assumed."""
    from spinecare.clinical.triage.interview import question_for

    for key in state.ask_first:
        if key in VOCABULARY and not state.is_known(key) and key not in state.skipped:
            return question_for(key, "Your own words left this unclear, so we ask it directly.",
                                red_flag=key in TRUE_RED_FLAG_KEYS)
    return None


def run_interview(term: Terminal, state: Interview, engine: Any, country: str) -> Any:
    """The question loop. Returns the final TriageResult; raises _Quit if the person stops."""
    from spinecare.clinical.triage.interview import next_question

    ui = term.ui
    while True:
        findings = state.findings()
        # "Not sure" to an emergency sign is never read as "no" (RF-UNSURE-EMERGENCY-SIGN).
        result = engine.evaluate(findings, country=country, unsure=frozenset(state.skipped))
        if result.level is Level.EMERGENCY:
            return result
        question = None
        for key in ("age", "sex"):
            if not state.is_known(key) and key not in state.skipped:
                question = intro_question(key)
                break
        if question is None:
            question = _unclear_question(state)
        if question is None:
            # 'Not sure' answers stay unknown and are not asked again.
            question = next_question(findings, engine=engine, skipped=frozenset(state.skipped))
        if question is None:
            return result
        if state.is_known(question.finding) or question.finding in state.skipped:
            return result  # the interview repeated itself: stop rather than loop forever
        try:
            parsed = ask_question(term, question, len(state.order) + 1)
        except _Back:
            undone = state.undo()
            if undone is None:
                ui.print(Text("   Nothing to go back to: this is the first question.", "yellow"))
            else:
                ui.print(Text("   Going back one question.", style="dim"))
            continue
        state.record(question.finding, parsed.value)


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
    from spinecare.commands.triage_render import understood_table

    if findings:
        ui.print(understood_table(findings, getattr(extraction, "spans", None)))
        ui.print(Text("If something here is wrong, type q and describe it again, or run "
                      "spinecare check without --text.", style="dim"))
    else:
        ui.print(Text("I could not pick out any findings from your words.", style="yellow"))
    uncertain = list(getattr(extraction, "uncertain", None) or ())
    if uncertain:
        from spinecare.commands.triage_render import describe_finding

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
    from spinecare.bootstrap import settings, triage_engine
    from spinecare.commands.triage_render import emergency_panel, print_result
    from spinecare.knowledge.references import load_references

    if list_findings:
        _print_findings_list(as_json)
        return
    if findings_file is not None and text is not None:
        fail("use either --findings or --text, not both")
    if sex is not None:
        sex = sex.strip().lower()
    country_code = (country if country is not None else settings().country).strip().upper()
    if country_code:
        from spinecare.clinical.knowledge.emergency_numbers import NUMBERS

        if country_code not in NUMBERS:
            err_console.print(
                f"[yellow]Note:[/] no emergency number on file for '{country_code}'; "
                "results show 112 and remind you that your local number applies.",
                highlight=False,
            )

    registry = load_references()
    engine = triage_engine()
    ui = err_console if as_json else console

    def show(result: Any) -> None:
        if as_json:
            print_json(result.to_dict())
        else:
            print_result(console, result, registry)

    if findings_file is not None:
        raw = _load_findings_file(findings_file)
        _merge_option(raw, "age", age, str(findings_file))
        _merge_option(raw, "sex", sex, str(findings_file))
        findings = _validate(raw, str(findings_file))
        show(engine.evaluate(findings, country=country_code))
        return

    given: dict[str, Any] = {}
    if age is not None:
        given["age"] = age
    if sex is not None:
        given["sex"] = sex
    _validate(given, "the options")

    if text is not None:
        if not text.strip():
            fail("--text is empty", 'Describe them, e.g. --text "my legs ache when I walk"')
        from spinecare.intake import extract_findings

        extraction = extract_findings(text)
        extracted = dict(extraction.findings)
        for key, value in given.items():
            _merge_option(extracted, key, value, "your text")
        given = dict(_validate(extracted, "the text").as_dict())
        no_questions = as_json and not sys.stdin.isatty()
        _show_understood(ui, extraction, given, will_ask=not no_questions)
        if no_questions:
            show(engine.evaluate(parse_findings(given), country=country_code))
            return

    term = Terminal(ui)
    state = Interview(given=given)
    if text is not None:
        unclear = [str(k) for k in getattr(extraction, "uncertain", None) or ()]
        state.ask_first = sorted(unclear, key=lambda k: k not in TRUE_RED_FLAG_KEYS)
    if not text:
        ui.print(
            Text.assemble(
                ("spinecare check", "bold"),
                " — a few questions about your back or neck. Warning signs come first.\n",
                ("Answer y (yes), n (no) or ? (not sure). b goes back, q quits, h explains "
                 "the question. Not a diagnosis; nothing is stored.", "dim"),
            )
        )
    try:
        result = run_interview(term, state, engine, country_code)
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
        print_json(result.to_dict())
    else:
        print_result(console, result, registry)


def register(app: typer.Typer) -> None:
    """Add the check command to the root app."""
    app.command(name="check")(check)
