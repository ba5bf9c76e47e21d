"""Rich rendering of a triage result for the terminal (used by ``check`` and ``eval``).

Wording rules (DESIGN.md): never claim a diagnosis — a condition is "consistent with"
or "may be"; every reason shows its rule id and short citations; the emergency
number is always visible; the disclaimer closes every result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spinecare.clinical.evidence import Reference, ReferenceRegistry
from spinecare.clinical.rules.levels import LEVEL_MEANING, Level
from spinecare.clinical.triage.conversation import PROVISIONAL_HEADLINE
from spinecare.clinical.triage.result import ConditionScore, TriageResult
from spinecare.clinical.vocabulary import VOCABULARY, answer_text

LEVEL_STYLE: dict[Level, str] = {
    Level.EMERGENCY: "red",
    Level.URGENT: "yellow",  # orange degrades to red on 16-colour terminals
    Level.ROUTINE: "blue",
    Level.SELF_CARE: "green",
}

LEVEL_LABEL: dict[Level, str] = {
    Level.EMERGENCY: "EMERGENCY",
    Level.URGENT: "URGENT",
    Level.ROUTINE: "ROUTINE",
    Level.SELF_CARE: "SELF-CARE",
}

# Organisations whose full names make citations unreadable in a terminal.
_ORG_ABBREVIATIONS = {
    "National Institute for Health and Care Excellence": "NICE",
    "NICE Clinical Knowledge Summaries": "NICE CKS",
    "US Food and Drug Administration": "FDA",
    "British Association of Spine Surgeons / Society of British Neurological Surgeons":
        "BASS/SBNS",
    "Getting It Right First Time (NHS England)": "GIRFT",
}
_CODE_IN_TITLE = re.compile(r"\(([A-Z]{1,4}\d{1,4})\)")
_INITIALS = re.compile(r"^[A-Z]{1,4}$")
_MISSING_IN_NOTE = re.compile(r"\s*Missing items:.*$", re.DOTALL)


def _surname(author: str) -> str | None:
    """'Kreiner DS' -> 'Kreiner', 'van der Heijde D' -> 'van der Heijde'; None if not a name."""
    words = author.split()
    if len(words) >= 2 and _INITIALS.match(words[-1]):
        return " ".join(words[:-1])
    return None


def short_citation(ref: Reference) -> str:
    """'Kreiner et al. 2013', 'Deyo & Diehl 1988', 'NICE NG59 2016': enough to recognise it."""
    author_part = ref.citation.split(". ")[0].strip().rstrip(".")
    authors = [a.strip() for a in author_part.split(",") if a.strip()]
    more = any(a == "et al" for a in authors)
    names = [_surname(a) for a in authors if a != "et al"]
    if names and all(names):
        if len(names) == 1:
            who = f"{names[0]} et al." if more else str(names[0])
        elif len(names) == 2 and not more:
            who = f"{names[0]} & {names[1]}"
        else:
            who = f"{names[0]} et al."
    else:  # an organisation or a titled document
        who = _ORG_ABBREVIATIONS.get(author_part, author_part)
        code = _CODE_IN_TITLE.search(ref.citation)
        if code and code.group(1) not in who:
            who = f"{who} {code.group(1)}"
        if len(who) > 40:
            who = who[:40].rsplit(" ", 1)[0].rstrip(",;:(") + "…"
    return f"{who} {ref.year}"


def cite(ref_ids: Iterable[str], registry: ReferenceRegistry | None) -> str:
    """Short citations for reference ids; an id the registry lacks is shown as is."""
    parts = []
    for ref_id in ref_ids:
        ref = registry.get(ref_id) if registry is not None else None
        parts.append(short_citation(ref) if ref is not None else ref_id)
    return "; ".join(parts)


def describe_finding(item: str, values: Mapping[str, Any] | None = None) -> str:
    """A finding key in plain words: 'saddle_anaesthesia' -> 'numbness in groin, …'."""
    defn = VOCABULARY.get(item)
    if defn is None:
        return item.replace("_", " ")
    if values is not None and item in values:
        value = values[item]
        if isinstance(value, bool):
            return defn.meaning if value else f"no {defn.meaning}"
        unit = f" {defn.unit}" if defn.unit else ""
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{defn.meaning}: {shown}{unit}"
    return defn.meaning


def condition_wording(condition: ConditionScore) -> str:
    """Never a diagnosis: 'consistent with' for likely, 'may be' for possible."""
    name = condition.name or condition.id.replace("_", " ")
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        name = name[0].lower() + name[1:]  # "Consistent with cauda equina syndrome"
    if condition.likelihood == "likely":
        return f"Consistent with {name}"
    if condition.likelihood == "possible":
        return f"May be {name}"
    return f"No clear fit; the closest pattern is {name}"


def level_badge(level: Level) -> Text:
    badge = Text()
    ink = "black" if level is Level.URGENT else "white"
    badge.append(f" {LEVEL_LABEL[level]} ", style=f"bold {ink} on {LEVEL_STYLE[level]}")
    return badge


def _heading(text: str, style: str = "bold") -> Text:
    return Text(text, style=style)


def _bullets(lines: Iterable[str | Text], bullet: str = "•") -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1, no_wrap=True)
    table.add_column(ratio=1)
    for line in lines:
        table.add_row(bullet, line)
    return table


def _reasons_table(result: TriageResult, registry: ReferenceRegistry | None) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1, no_wrap=True)
    table.add_column(ratio=1)
    for reason in result.reasons:
        line = Text(reason.text)
        detail = f"rule {reason.rule_id}"
        if reason.references:
            detail += f" · {cite(reason.references, registry)}"
        line.append(f"\n{detail}", style="dim")
        table.add_row(Text("•", style=LEVEL_STYLE.get(reason.level, "")), line)
    return table


def shown_conditions(conditions: Sequence[ConditionScore], limit: int) -> list[ConditionScore]:
    """The top 'likely'/'possible' conditions; if none, the closest one (marked as not a fit)."""
    return [c for c in conditions if c.likelihood != "unlikely"][:limit] or list(conditions[:1])


def _conditions_table(
    conditions: Sequence[ConditionScore], registry: ReferenceRegistry | None, limit: int
) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(width=2, no_wrap=True)
    table.add_column(ratio=1)
    for rank, condition in enumerate(shown_conditions(conditions, limit), start=1):
        body = Text()
        body.append(condition_wording(condition), style="bold")
        # A condition's explanation describes its typical pattern; for a poor fit it would
        # read as if the pattern were present, so it is left out.
        if condition.explanation and condition.likelihood != "unlikely":
            body.append(f"\n{condition.explanation}")
        if condition.supporting:
            body.append("\nFor: ", style="green")
            body.append("; ".join(describe_finding(f) for f in condition.supporting))
        if condition.against:
            body.append("\nAgainst: ", style="yellow")
            body.append("; ".join(describe_finding(f) for f in condition.against))
        if condition.references:
            body.append(f"\n{cite(condition.references, registry)}", style="dim")
        table.add_row(f"{rank}.", body)
    return table


def _item_label(score_id: str, item_id: str) -> str:
    """A score item's published wording ('Ankle-brachial index >= 0.9 (+3)'), not its id."""
    from spinecare.clinical.triage.knowledge.clinical_scores import SCORES

    for sdef in SCORES:
        if sdef.id == score_id:
            for item in sdef.items:
                if item.id == item_id:
                    return item.label
    return describe_finding(item_id)


def _scores_lines(result: TriageResult) -> list[Text]:
    lines = []
    for score in result.scores:
        line = Text()
        line.append(f"{score.name}: ", style="bold")
        # max_possible is the highest total the missing items could still bring.
        points = f"{score.points:g} points"
        if score.missing_items and score.max_possible > score.points:
            points += f" so far (up to {score.max_possible:g} with the missing items)"
        if score.cutoff is not None:
            points += f", cut-off {score.cutoff:g}"
        line.append(points)
        if score.positive is True:
            line.append(" — at or above the cut-off")
        elif score.positive is False:
            line.append(" — below the cut-off")
        else:
            line.append(" — cannot decide yet: items are missing")
        if score.missing_items:
            missing = "; ".join(_item_label(score.id, i) for i in score.missing_items)
            line.append(f"\nnot known: {missing}", style="dim")
        # The note repeats the missing items by id; they are already listed in words above.
        note = _MISSING_IN_NOTE.sub("", score.note).strip()
        if note:
            line.append(f"\n{note}", style="dim")
        lines.append(line)
    return lines


def _references_table(
    result: TriageResult, registry: ReferenceRegistry | None, max_conditions: int
) -> Table | None:
    if registry is None:
        return None
    seen: dict[str, Reference] = {}
    ids: list[str] = [r for reason in result.reasons for r in reason.references]
    ids += [r for c in shown_conditions(result.conditions, max_conditions) for r in c.references]
    for ref_id in ids:
        ref = registry.get(ref_id)
        if ref is not None and ref_id not in seen:
            seen[ref_id] = ref
    if not seen:
        return None
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(style="dim", ratio=1)
    for ref_id, ref in seen.items():
        kind = ref.type.value.replace("_", " ")
        table.add_row(
            short_citation(ref), f"{kind}, evidence level {ref.evidence_level} · id {ref_id}"
        )
    return table


def _emergency_line(result: TriageResult) -> Text:
    advice = result.advice
    line = Text()
    line.append("Emergency number: ", style="bold")
    line.append(advice.emergency_number, style="bold red")
    if advice.emergency_note:
        line.append(f"  ({advice.emergency_note})", style="dim")
    return line


def result_panel(
    result: TriageResult,
    registry: ReferenceRegistry | None = None,
    *,
    title: str = "spinecare check",
    max_conditions: int = 3,
    show_references: bool = True,
) -> Panel:
    """The whole result: level, what to do, why, what it may be, what is still open."""
    level = result.level
    style = LEVEL_STYLE[level]
    advice = result.advice
    parts: list[RenderableType] = []

    provisional = not result.complete
    header = Text()
    if provisional:
        header.append(" PROVISIONAL ", style="bold black on yellow")
        header.append(" ")
    header.append_text(level_badge(level))
    header.append("  ")
    header.append(LEVEL_MEANING[level], style=f"bold {style}")
    parts.append(header)
    # advice.headline repeats the level's meaning in other words: the meaning is enough here.
    if provisional:
        # Never shown as if final: the open questions come first, before any advice.
        parts += [
            Text(""),
            Text(PROVISIONAL_HEADLINE + ":", style="bold yellow"),
            _bullets(Text(q.question) for q in result.open_questions),
            Text("This result is not final. If the answer to any of these is yes, or you do "
                 "not know, get medical advice today; until they are answered this advice may "
                 "not be urgent enough.", style="yellow"),
        ]

    if advice.do_now:
        parts += [Text(""), _heading("What to do now"), _bullets(advice.do_now)]
    if advice.watch_for:
        parts += [
            Text(""),
            _heading("What to watch for — get help at once if any of these happens"),
            _bullets(advice.watch_for),
        ]
    parts += [Text(""), _emergency_line(result)]

    if result.reasons:
        parts += [Text(""), _heading("Why"), _reasons_table(result, registry)]
    if result.conditions:
        parts += [
            Text(""),
            _heading("What it may be (not a diagnosis)"),
            _conditions_table(result.conditions, registry, max_conditions),
        ]
    score_lines = _scores_lines(result)
    if score_lines:
        parts += [Text(""), _heading("Scores"), _bullets(score_lines)]
    if result.open_questions:
        parts += [
            Text(""),
            _heading("Still to answer (and why they matter)", style="bold yellow"),
            _bullets(
                Text.assemble(q.question, (f"\n{q.why}", "dim")) if q.why else Text(q.question)
                for q in result.open_questions
            ),
        ]
    if show_references:
        refs = _references_table(result, registry, max_conditions)
        if refs is not None:
            parts += [Text(""), _heading("References", style="bold dim"), refs]
    parts += [
        Text(""),
        Text(f"Knowledge version {result.knowledge_version}", style="dim"),
        Text(result.disclaimer, style="italic"),
    ]
    if provisional:
        title = f"{title} — provisional result"
    return Panel(
        Group(*parts), title=f"[bold]{title}[/]", border_style=style, padding=(1, 2), expand=True
    )


def emergency_panel(result: TriageResult, registry: ReferenceRegistry | None = None) -> Panel:
    """Shown the moment the answers so far mean an emergency: short, with the number first."""
    advice = result.advice
    parts: list[RenderableType] = []
    call = Text()
    call.append(f" CALL {advice.emergency_number} NOW ", style="bold white on red")
    call.append("  or go straight to an emergency department.", style="bold red")
    parts.append(call)
    if advice.emergency_note:
        parts.append(Text(advice.emergency_note, style="dim"))
    if advice.do_now:
        parts += [Text(""), _heading("What to do now"), _bullets(advice.do_now)]
    if result.reasons:
        parts += [Text(""), _heading("Why"), _reasons_table(result, registry)]
    emergency_conditions = [c for c in result.conditions if c.likelihood != "unlikely"][:2]
    if emergency_conditions:
        parts += [
            Text(""),
            _heading("What it may be (not a diagnosis)"),
            _conditions_table(emergency_conditions, registry, 2),
        ]
    parts += [
        Text(""),
        Text("We stopped the questions because this needs help now.", style="bold"),
        Text(f"Knowledge version {result.knowledge_version}", style="dim"),
        Text(result.disclaimer, style="italic"),
    ]
    return Panel(
        Group(*parts),
        title="[bold white on red] EMERGENCY [/]",
        border_style="red",
        padding=(1, 2),
        expand=True,
    )


def understood_table(findings: Mapping[str, Any], spans: Iterable[Any] | None,
                     *, numbered: bool = False) -> Table:
    """What the free-text intake understood: finding, value, and the words it came from.

    ``spans`` are the intake's FindingSpan objects (``key``, ``value``, ``text``); a value
    of None is a line the person corrected to "not sure". ``numbered`` adds the line
    numbers the person types to correct a line.
    """
    from spinecare.adapters.intake.understood import quoted_words  # shared with the web check

    words = quoted_words({k: v for k, v in findings.items() if v is not None}, spans)
    table = Table(title="What I understood from your words", title_justify="left", expand=True)
    if numbered:
        table.add_column("#", justify="right", no_wrap=True)
    table.add_column("finding", ratio=3)
    table.add_column("answer", no_wrap=True)
    table.add_column("from your words", ratio=3, style="dim")
    for n, (key, value) in enumerate(findings.items(), start=1):
        quoted = "; ".join(words.get(key, []))
        shown = answer_text(key, value)
        row = (describe_finding(key), shown, quoted)
        table.add_row(*((str(n), *row) if numbered else row))
    return table


def print_result(
    console: Console, result: TriageResult, registry: ReferenceRegistry | None
) -> None:
    if result.level is Level.EMERGENCY:
        console.print(emergency_panel(result, registry))
    else:
        console.print(result_panel(result, registry))
