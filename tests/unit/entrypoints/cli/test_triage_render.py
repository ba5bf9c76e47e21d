"""The terminal rendering of a triage result: citations, wording, panels."""

from __future__ import annotations

from rich.console import Console

from spinecare.adapters.library.references import load_references
from spinecare.clinical.findings import parse_findings
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.clinical.triage.result import ConditionScore
from spinecare.entrypoints.cli.render.triage import (
    condition_wording,
    emergency_panel,
    result_panel,
    short_citation,
)


def _render(panel) -> str:
    console = Console(width=100, record=True, color_system=None)
    console.print(panel)
    return " ".join(console.export_text().replace("│", " ").split())


def test_short_citations_name_the_first_author_or_the_body_and_the_year():
    refs = load_references()
    assert short_citation(refs["konno-2007"]) == "Konno et al. 2007"
    assert short_citation(refs["nice-ng59"]) == "NICE NG59 2016"
    assert short_citation(refs["deyo-1988"]) == "Deyo & Diehl 1988"
    assert short_citation(refs["bass-ces-2018"]) == "BASS/SBNS 2018"


def test_every_registered_reference_gets_a_short_citation_of_reasonable_length():
    for ref in load_references():
        short = short_citation(ref)
        assert short.endswith(str(ref.year)), ref.id
        assert 6 <= len(short) <= 56, (ref.id, short)


def _condition(likelihood: str) -> ConditionScore:
    return ConditionScore("lumbar_spinal_stenosis", "Lumbar spinal stenosis", 7.0, likelihood,
                          (), (), ())


def test_condition_wording_never_claims_a_diagnosis():
    assert condition_wording(_condition("likely")) == "Consistent with lumbar spinal stenosis"
    assert condition_wording(_condition("possible")) == "May be lumbar spinal stenosis"
    assert condition_wording(_condition("unlikely")).startswith("No clear fit")


def test_result_panel_shows_level_meaning_reasons_with_rule_ids_and_the_disclaimer():
    findings = parse_findings({"age": 71, "sex": "male", "leg_pain": True,
                               "leg_symptoms_walking": True, "relief_sitting_or_flexion": True})
    result = TriageEngine(BUILTIN_KNOWLEDGE).evaluate(findings)
    text = _render(result_panel(result, load_references()))

    assert "ROUTINE" in text or "URGENT" in text
    for reason in result.reasons:
        assert f"rule {reason.rule_id}" in text
    assert f"Knowledge version {result.knowledge_version}" in text
    assert result.disclaimer in text
    # Scores: points so far and the highest the missing items could still bring.
    assert result.scores
    for score in result.scores:
        assert f"{score.name}: {score.points:g} points" in text
        if score.missing_items and score.max_possible > score.points:
            assert f"up to {score.max_possible:g} with the missing items" in text
    # Open red-flag questions make the panel say it is provisional, and list them.
    assert not result.complete
    assert "PROVISIONAL" in text and "Still to answer" in text


def test_a_provisional_result_is_never_shown_as_final():
    """Hazard: a result with open warning-sign questions read as the final answer. The
    panel's title and first lines say provisional and list the open questions before
    any advice; a complete result says nothing of the kind."""
    engine = TriageEngine(BUILTIN_KNOWLEDGE)
    open_result = engine.evaluate(parse_findings({"age": 40, "sex": "female",
                                                  "back_pain": True}))
    assert not open_result.complete and open_result.open_questions
    text = _render(result_panel(open_result, load_references()))
    assert "spinecare check — provisional result" in text
    assert text.index("PROVISIONAL") < text.index("What to do now")
    listed = text.index("Provisional: these questions are still open:")
    assert listed < text.index("What to do now")
    for q in open_result.open_questions:
        assert " ".join(q.question.split()) in text[listed:]
    assert "This result is not final" in text

    from spinecare.clinical.triage.knowledge.screening import SCREEN

    every_no = {q.finding: False for q in SCREEN}
    final = engine.evaluate(parse_findings({"age": 40, "sex": "female", "back_pain": True,
                                            **every_no}))
    assert final.complete
    final_text = _render(result_panel(final, load_references()))
    assert "PROVISIONAL" not in final_text and "provisional" not in final_text.lower()


def test_emergency_panel_puts_the_country_number_first():
    findings = parse_findings({"back_pain": True, "saddle_anaesthesia": True})
    result = TriageEngine(BUILTIN_KNOWLEDGE).evaluate(findings, country="US")
    text = _render(emergency_panel(result, load_references()))

    assert text.startswith("╭") and "EMERGENCY" in text
    assert text.index("CALL 911 NOW") < text.index("What to do now")
