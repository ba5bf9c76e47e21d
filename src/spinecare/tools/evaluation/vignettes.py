"""Read a vignette file (JSON Lines). A malformed line is reported with its number;
the other lines are still used."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spinecare.clinical.findings import Findings, FindingsError, parse_findings
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.knowledge.conditions import CONDITION_IDS

LEVEL_IDS = tuple(level.value for level in Level)


@dataclass(slots=True)
class Vignette:
    id: str
    line: int
    age: int | None
    sex: str | None
    free_text: str
    findings: Findings | None          # structured findings incl. age/sex (None if absent)
    gold_triage: Level
    gold_condition: str | None
    source: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def person_findings(age: Any, sex: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if age is not None:
        out["age"] = age
    if sex is not None:
        out["sex"] = sex
    return out


def _int_or_none(value: object) -> int | None:
    # parse_findings has checked the age: a whole number (or absent).
    return int(value) if isinstance(value, int | float) else None


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def parse_vignette_lines(lines: Iterable[str]) -> tuple[list[Vignette], list[LineError]]:
    cases: list[Vignette] = []
    errors: list[LineError] = []
    seen: set[str] = set()
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            errors.append(LineError(number, f"not valid JSON ({exc.msg}, column {exc.colno})"))
            continue
        if not isinstance(raw, dict):
            errors.append(LineError(number, "expected a JSON object"))
            continue
        try:
            cases.append(_vignette(raw, number, seen))
        except (ValueError, FindingsError) as exc:
            errors.append(LineError(number, str(exc)))
    return cases, errors


def _vignette(raw: dict[str, Any], number: int, seen: set[str]) -> Vignette:
    vid = raw.get("id")
    if not isinstance(vid, str) or not vid:
        raise ValueError("missing 'id'")
    if vid in seen:
        raise ValueError(f"duplicate id '{vid}'")
    gold = raw.get("gold_triage")
    if gold not in LEVEL_IDS:
        raise ValueError(f"{vid}: gold_triage must be one of {', '.join(LEVEL_IDS)}, got {gold!r}")
    condition = raw.get("gold_condition")
    if condition is not None and condition not in CONDITION_IDS:
        raise ValueError(f"{vid}: unknown gold_condition {condition!r}")
    person = person_findings(raw.get("age"), raw.get("sex"))
    person_checked = parse_findings(person)  # validates age and sex
    findings = None
    if raw.get("findings") is not None:
        if not isinstance(raw["findings"], dict):
            raise ValueError(f"{vid}: 'findings' must be an object")
        try:
            findings = parse_findings({**raw["findings"], **person})
        except FindingsError as exc:
            raise ValueError(f"{vid}: {exc}") from exc
    free_text = raw.get("free_text") or ""
    if not isinstance(free_text, str):
        raise ValueError(f"{vid}: 'free_text' must be a string")
    seen.add(vid)
    return Vignette(
        id=vid, line=number, age=_int_or_none(person_checked.get("age")),
        sex=_str_or_none(person_checked.get("sex")),
        free_text=free_text, findings=findings, gold_triage=Level(gold),
        gold_condition=condition, source=str(raw.get("source", "")), raw=raw,
    )
