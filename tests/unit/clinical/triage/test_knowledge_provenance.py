"""Provenance of the triage knowledge (issue 9 §6): every weight says where it comes from,
every threshold names a source or says it is the team's choice, no marketing page stands
behind a rule, and no guideline claims level 1 just for being a guideline."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from spinecare.adapters.library.references import load_references
from spinecare.clinical.evidence import (
    TEAM_CHOICE,
    Reference,
    ReferenceType,
    is_team_choice,
)
from spinecare.clinical.rules.predicates import AtLeast, Below, Pred
from spinecare.clinical.triage.knowledge.clinical_scores import SCORES
from spinecare.clinical.triage.knowledge.conditions import (
    BENIGN_FALLBACK,
    CHILD_RULE,
    CONDITIONS,
    DEFICIT_RULE,
    INSUFFICIENT_RULE,
    OPEN_SCREEN_RULE,
)
from spinecare.clinical.triage.knowledge.red_flags import RULES, UNSURE_ESCALATION

REGISTRY = load_references()
LEVEL_RULES = [lr for c in CONDITIONS for lr in c.level_rules] + [
    BENIGN_FALLBACK, CHILD_RULE, DEFICIT_RULE, INSUFFICIENT_RULE, OPEN_SCREEN_RULE]
RED_FLAG_RULES = [*RULES, UNSURE_ESCALATION]
FEATURES = [(c.id, f) for c in CONDITIONS for f in c.features]
YEAR = re.compile(r"^(19|20)\d\d$")


def _thresholds(pred: Pred) -> Iterator[float]:
    """Every at_least / below value in a predicate tree (including under not_)."""
    if isinstance(pred, AtLeast | Below):
        yield pred.threshold
    for part in getattr(pred, "parts", ()):
        yield from _thresholds(part)
    inner = getattr(pred, "part", None)
    if inner is not None:
        yield from _thresholds(inner)


def _source_tokens(ref_id: str) -> set[str]:
    """Ways a note names a reference: its id, 'Suri 2010', 'NASS', 'NG41', 'CKS'."""
    parts = ref_id.split("-")
    tokens = {ref_id.lower(), parts[0].lower()}
    if len(parts) >= 2 and YEAR.match(parts[-1]):
        tokens.add(f"{parts[0]} {parts[-1]}".lower())
    if parts[0] == "nice" and len(parts) >= 2:
        tokens.add(parts[1].lower())
    return {t for t in tokens if t != "nice"}


def _names_a_cited_source(text: str, refs: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(re.search(rf"\b{re.escape(tok)}\b", low)
               for ref in refs for tok in _source_tokens(ref))


def _mentions_number(text: str, value: float) -> bool:
    # Compared as numbers, so "0.40" in a note matches 0.4 and "7/10" matches 7.
    return value in {float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)}


def _numbers(text: str) -> list[str]:
    return [n for n in re.findall(r"\d+(?:\.\d+)?", text) if not YEAR.match(n)]


# --- no marketing page behind a rule, weight, threshold or score -------------------

def _knowledge_citations() -> Iterator[tuple[str, str]]:
    for r in RED_FLAG_RULES:
        yield from ((r.id, ref) for ref in r.references)
    for lr in LEVEL_RULES:
        yield from ((lr.id, ref) for ref in lr.references)
    for c in CONDITIONS:
        yield from ((c.id, ref) for ref in c.references)
        for f in c.features:
            yield from ((f"{c.id}: {f.label}", ref) for ref in f.references)
    for s in SCORES:
        yield from ((s.id, ref) for ref in s.references)


def test_no_knowledge_item_cites_a_source_page():
    source_pages = {r.id for r in REGISTRY if r.type is ReferenceType.SOURCE_PAGE}
    assert "seed-back-spasm" in source_pages  # the marketing page that once backed a weight
    offenders = sorted({f"{owner} -> {ref}" for owner, ref in _knowledge_citations()
                        if ref in source_pages})
    assert not offenders, offenders


# --- every weight has a basis; a published basis is a figure its reference contains -----

def test_every_feature_names_the_basis_of_its_weight():
    missing = [f"{cid}: {f.label}" for cid, f in FEATURES if not f.basis.strip()]
    assert not missing, missing


@pytest.mark.parametrize(("cid", "feature"),
                         [(cid, f) for cid, f in FEATURES if not is_team_choice(f.basis)],
                         ids=lambda v: v if isinstance(v, str) else v.label)
def test_a_published_basis_is_a_figure_that_a_cited_reference_contains(cid, feature):
    # The basis names one of the feature's own references ...
    assert _names_a_cited_source(feature.basis, feature.references), feature.basis
    # ... and each of its figures is recorded in a cited reference's note.
    notes = " ".join(REGISTRY[r].note for r in feature.references)
    figures = _numbers(feature.basis)
    assert figures, f"{feature.basis!r} names no figure"
    for n in figures:
        assert _mentions_number(notes, float(n)), (
            f"{cid}: {n} in {feature.basis!r} is not in the notes of {feature.references}")


def test_both_kinds_of_basis_are_in_use_and_counted_in_the_docs():
    from spinecare.adapters.library.rule_book import render_triage_rules_markdown

    published = [f for _, f in FEATURES if not is_team_choice(f.basis)]
    team = [f for _, f in FEATURES if is_team_choice(f.basis)]
    assert published and team
    doc = render_triage_rules_markdown(REGISTRY)
    assert f"**{len(published)} of {len(FEATURES)} weights rest on a published figure" in doc
    assert f"(_{TEAM_CHOICE}_)" in doc  # team's-choice weights are visibly marked


# --- every threshold in a rule names its source or says it is the team's choice -----

THRESHOLD_RULES = [(r.id, r.when, r.note, r.references) for r in RED_FLAG_RULES] + [
    (lr.id, lr.when, f"{lr.reason} {lr.note}", lr.references) for lr in LEVEL_RULES]


@pytest.mark.parametrize(("rule_id", "when", "note", "refs"),
                         [t for t in THRESHOLD_RULES if list(_thresholds(t[1]))],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_every_rule_threshold_is_sourced_or_marked_as_the_teams_choice(rule_id, when, note,
                                                                      refs):
    for value in set(_thresholds(when)):
        assert _mentions_number(note, value), f"{rule_id}: threshold {value:g} not in its note"
    assert is_team_choice(note) or _names_a_cited_source(note, refs), (
        f"{rule_id}: the note names neither a cited reference nor the team's choice")


def test_the_issue_examples_are_marked_as_the_teams_choice():
    notes = {lr.id: lr.note for lr in LEVEL_RULES}
    assert is_team_choice(notes["LSS-MILD"]) and "1000" in notes["LSS-MILD"]
    assert is_team_choice(notes["RAD-EARLY"]) and "8" in notes["RAD-EARLY"]


# --- guidelines carry the level of what they rest on --------------------------------

GUIDELINES = [r for r in REGISTRY if r.type is ReferenceType.GUIDELINE]


@pytest.mark.parametrize("ref", GUIDELINES, ids=lambda r: r.id)
def test_a_guidelines_level_is_explained_in_its_note(ref: Reference):
    assert re.match(rf"Level {ref.evidence_level}\b", ref.note), (
        f"{ref.id}: level {ref.evidence_level} needs a note starting 'Level "
        f"{ref.evidence_level}' that says what the relied-on recommendation rests on")


def test_a_level_1_guideline_says_which_systematic_review_it_rests_on():
    # Level 1 only when the relied-on recommendation rests on a systematic review.
    unexplained = [r.id for r in GUIDELINES
                   if r.evidence_level == 1 and "systematic review" not in r.note.lower()]
    assert not unexplained, unexplained
    assert {r.evidence_level for r in GUIDELINES} != {1}
