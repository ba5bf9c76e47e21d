"""The option grid and the rules as data: every claim carries evidence that exists."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from repo_paths import REPO_ROOT
from spinecare.adapters.library.references import load_references
from spinecare.clinical.decision import OPTION_IDS, RED_FLAGS, RULES, GridError, parse_grid
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.services.decision_aid import TREATMENTS_DIR, DecisionAidService, load_grid

DOC = REPO_ROOT / "docs" / "decision-aid.md"


@pytest.fixture(scope="module")
def registry():
    return load_references()


@pytest.fixture(scope="module")
def grid():
    return load_grid()


@pytest.fixture(scope="module")
def docs():
    return yaml.safe_load((TREATMENTS_DIR / "options.yaml").read_text(encoding="utf-8")), \
        yaml.safe_load((TREATMENTS_DIR / "questions.yaml").read_text(encoding="utf-8"))


def test_grid_has_exactly_the_options_the_pathway_assesses(grid):
    assert tuple(o.id for o in grid.options) == OPTION_IDS


def test_every_option_has_existing_references_and_an_evidence_level(grid, registry):
    for option in grid.options:
        assert option.references, option.id
        assert registry.missing(option.references) == [], option.id
        assert option.evidence_level in (1, 2, 3, 4, 5), option.id
        assert option.evidence_note, option.id


def test_every_option_fills_every_ipdas_field(grid):
    for option in grid.options:
        for field in ("what_it_involves", "chance_of_benefit", "risks", "recovery",
                      "durability", "cost_notes"):
            assert len(getattr(option, field)) > 20 or field == "durability", (option.id, field)


def test_benefit_text_gives_figures_or_says_uncertain(grid):
    for option in grid.options:
        text = option.chance_of_benefit
        assert re.search(r"\d", text) or "nknown" in text or "uncertain" in text, option.id


def test_stem_cells_are_labelled_investigational_with_what_is_not_known(grid):
    stem = grid.get("stem_cell_injection")
    assert stem.investigational and stem.kind == "investigational"
    assert len(stem.what_is_not_known) >= 2
    assert stem.evidence_level == 5
    assert "seed-stem-cells" in stem.references and "fda-2019-regen" in stem.references
    # The promotional seed claims regeneration; the grid must say that is not shown.
    assert "not a finding" in stem.chance_of_benefit or "no randomised" in stem.chance_of_benefit


def test_only_stem_cells_are_investigational(grid):
    assert [o.id for o in grid.options if o.investigational] == ["stem_cell_injection"]


def test_epidural_row_mentions_the_fda_warning_and_the_yearly_limit(grid):
    esi = grid.get("epidural_injection")
    assert "fda-2014-esi" in esi.references
    assert "FDA" in esi.risks and "a year" in esi.risks


def test_fusion_row_cites_the_swedish_trial(grid):
    fusion = grid.get("decompression_with_fusion")
    assert "forsth-2016" in fusion.references
    assert "247" in fusion.chance_of_benefit


def test_every_rule_has_existing_references(registry):
    for rule in RULES.values():
        assert rule.references, rule.id
        assert registry.missing(rule.references) == [], rule.id


def test_every_red_flag_is_a_vocabulary_finding_with_references(registry):
    from spinecare.clinical.vocabulary import VOCABULARY

    for flag in RED_FLAGS.values():
        assert flag.key in VOCABULARY, flag.key
        assert registry.missing(flag.references) == [], flag.key


def test_every_rule_is_documented():
    text = DOC.read_text(encoding="utf-8")
    undocumented = [rule_id for rule_id in RULES if rule_id not in text]
    assert undocumented == []


def test_a_grid_with_an_unknown_reference_is_refused(docs, registry):
    options, questions = copy.deepcopy(docs)
    options["options"][0]["references"].append("no-such-paper-1999")
    with pytest.raises(GridError, match="no-such-paper-1999"):
        parse_grid(options, questions, registry)


def test_an_investigational_option_without_unknowns_is_refused(docs, registry):
    options, questions = copy.deepcopy(docs)
    stem = next(o for o in options["options"] if o["id"] == "stem_cell_injection")
    stem["what_is_not_known"] = []
    with pytest.raises(GridError, match="what is not known"):
        parse_grid(options, questions, registry)


def test_an_option_without_evidence_level_is_refused(docs, registry):
    options, questions = copy.deepcopy(docs)
    del options["options"][2]["evidence_level"]
    with pytest.raises(GridError, match="evidence_level"):
        parse_grid(options, questions, registry)


def test_report_cites_every_reference_it_uses(registry, grid):
    report = DecisionAidService(
        grid, engine=TriageEngine(BUILTIN_KNOWLEDGE), references=lambda: registry,
    ).decide({
        "condition": "lumbar_spinal_stenosis", "conservative_weeks": 13, "benefit": "none",
        "deficit": "none", "warning_signs": {k: False for k in RED_FLAGS}}, country="GB")
    data = report.to_dict()
    cited = {r["id"] for r in data["references"]}
    used = {r for row in data["option_grid"] for r in row["references"]}
    used |= {r for o in data["options"] for r in o["references"]}
    assert used <= cited
    assert "999" in data["safety_net"]
    assert data["option_grid"][-1]["assessment"]["status"] == "investigational_only"
