"""Is a search query really an emergency? Reuse the intake and the triage engine.

No second phrase list: the free-text intake (``spinecare.adapters.intake.extract_findings``)
turns the query into findings, with negation ("no problems peeing" is not a red
flag) and uncertainty ("not sure about my bladder" stays unknown), and the triage
engine's red-flag rules decide the level. A query on a spine-care site is about
spinal symptoms, so for this screen only, back pain is assumed unless the query
denies it: "can't pee and my legs are weak" then meets the cauda equina rule that
needs back or leg symptoms. The screen can only raise the alarm, never lower it.
The engine is the caller's (the process's one): the screen keeps none of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spinecare.clinical.findings import FindingsError, parse_findings
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.result import Advice
from spinecare.clinical.vocabulary import VOCABULARY, FindingType

if TYPE_CHECKING:  # a type only: importing the intake package at run time loads spaCy
    from spinecare.adapters.intake.result import IntakeResult

# Reads findings from a person's words (the app's text extractor: ``TextExtractor.extract``).
Extract = Callable[[str], "IntakeResult"]

log = logging.getLogger(__name__)

# What a search on this site is about (see the module docstring).
SEARCH_CONTEXT: dict[str, bool] = {"back_pain": True}


@dataclass(frozen=True, slots=True)
class EmergencyScreen:
    emergency: bool
    findings: dict[str, Any]           # what the intake read in the query
    rule_ids: tuple[str, ...]          # the red-flag rules that fired
    reasons: tuple[str, ...]           # their plain-language reasons
    references: tuple[str, ...]
    advice: Advice | None              # the engine's emergency advice when emergency
    # Red-flag findings the query mentions without saying yes or no ("not sure about my
    # bladder", "is it normal to have bladder problems"): each would make it an emergency.
    unsure: tuple[str, ...] = ()
    # True when the screen itself failed (e.g. the intake could not load): the query was
    # NOT checked, which is not the same as "no emergency".
    unavailable: bool = False

    def unsure_questions(self) -> list[str]:
        return [VOCABULARY[k].question for k in self.unsure if VOCABULARY[k].question]

    def to_dict(self) -> dict[str, Any]:
        advice = None
        if self.advice is not None:
            advice = {
                "headline": self.advice.headline,
                "do_now": list(self.advice.do_now),
                "emergency_number": self.advice.emergency_number,
                "emergency_note": self.advice.emergency_note,
            }
        return {
            "emergency": self.emergency,
            "findings": dict(self.findings),
            "rule_ids": list(self.rule_ids),
            "reasons": list(self.reasons),
            "references": list(self.references),
            "advice": advice,
            "unsure": list(self.unsure),
            "unavailable": self.unavailable,
        }


def valid_findings(raw: dict[str, Any]) -> dict[str, Any]:
    """Keep what validates; a bad value from the intake must not hide a good red flag."""
    try:
        return parse_findings(raw).as_dict()
    except FindingsError as exc:
        bad = {p.key for p in exc.problems}
        return parse_findings({k: v for k, v in raw.items() if k not in bad}).as_dict()


def screen_query(
    query: str, engine: TriageEngine, *, extract: Extract, country: str = "",
) -> EmergencyScreen:
    """Run the query through the intake and the red-flag rules.

    Never raises: if the screen fails, the result says ``unavailable`` so that callers
    can warn the person instead of silently reporting "not an emergency".
    """
    try:
        return _screen(query, engine, country, extract)
    except Exception:  # a broken screen must not take the search down with it
        log.exception("emergency screen failed for a search query")
        return EmergencyScreen(False, {}, (), (), (), None, (), unavailable=True)


def _screen(query: str, engine: TriageEngine, country: str,
            extract: Extract) -> EmergencyScreen:
    intake = extract(query)
    found = valid_findings(dict(intake.findings))
    context = {k: v for k, v in SEARCH_CONTEXT.items() if k not in found}
    unsure = tuple(
        k for k in dict.fromkeys(intake.uncertain)
        if k not in found and k in VOCABULARY and VOCABULARY[k].type is FindingType.BOOL
        and engine.evaluate(parse_findings({**context, **found, k: True})).level
        is Level.EMERGENCY
    )
    if not any(v is True for v in found.values()):
        return EmergencyScreen(False, found, (), (), (), None, unsure)
    result = engine.evaluate(parse_findings({**context, **found}), country=country)
    if result.level is not Level.EMERGENCY:
        return EmergencyScreen(False, found, (), (), (), None, unsure)
    fired = [r for r in result.reasons if r.level is Level.EMERGENCY]
    refs = tuple(dict.fromkeys(ref for r in fired for ref in r.references))
    return EmergencyScreen(
        True, found, tuple(r.rule_id for r in fired), tuple(r.text for r in fired), refs,
        result.advice, unsure,
    )
