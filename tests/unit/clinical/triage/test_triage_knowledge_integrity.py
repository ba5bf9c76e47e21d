"""Every rule, feature, level rule, score and screen has references that exist, and the
generated documentation is in sync with the rules."""

from __future__ import annotations

from repo_paths import REPO_ROOT
from spinecare.adapters.library.references import load_references
from spinecare.adapters.library.rule_book import render_triage_rules_markdown
from spinecare.clinical.triage.knowledge.clinical_scores import SCORES
from spinecare.clinical.triage.knowledge.conditions import (
    CONDITION_IDS,
    CONDITIONS,
    DEFICIT_RULE,
    INSUFFICIENT_RULE,
)
from spinecare.clinical.triage.knowledge.red_flags import RULES
from spinecare.clinical.triage.knowledge.screening import SCREEN

REPO = REPO_ROOT
FINDINGS_MD_CONDITIONS = {
    "cauda_equina_syndrome", "cervical_myelopathy", "lumbar_spinal_stenosis",
    "cervical_radiculopathy", "lumbar_radiculopathy_disc_herniation",
    "nonspecific_low_back_pain", "muscle_spasm_strain", "inflammatory_back_pain",
    "vascular_claudication", "peripheral_neuropathy", "spinal_infection", "spinal_malignancy",
    "vertebral_fracture", "abdominal_aortic_aneurysm",
}


def test_all_fourteen_conditions_are_supported():
    assert set(CONDITION_IDS) == FINDINGS_MD_CONDITIONS


def test_every_reference_id_exists():
    registry = load_references()
    cited: list[tuple[str, tuple[str, ...]]] = []
    cited += [(r.id, r.references) for r in RULES]
    cited += [(DEFICIT_RULE.id, DEFICIT_RULE.references),
              (INSUFFICIENT_RULE.id, INSUFFICIENT_RULE.references)]
    for c in CONDITIONS:
        cited.append((c.id, c.references))
        cited += [(f"{c.id}: {f.label}", f.references) for f in c.features]
        cited += [(lr.id, lr.references) for lr in c.level_rules]
    cited += [(s.id, s.references) for s in SCORES]
    for owner, refs in cited:
        assert refs, f"{owner} cites nothing"
        assert not registry.missing(refs), f"{owner}: unknown {registry.missing(refs)}"


def test_rule_and_screen_ids_are_unique_and_screens_point_at_real_rules():
    ids = [r.id for r in RULES]
    rule_ids = set(ids)
    assert len(ids) == len(rule_ids)
    for q in SCREEN:
        assert set(q.rule_ids) <= rule_ids, q.finding


def test_generated_rule_documentation_is_up_to_date():
    committed = (REPO / "docs" / "clinical" / "triage-rules.md").read_text(encoding="utf-8")
    assert committed == render_triage_rules_markdown(load_references()), (
        "docs/clinical/triage-rules.md is out of date: run "
        "`spinecare rules --markdown > docs/clinical/triage-rules.md`"
    )


def test_reference_registry_documentation_is_up_to_date():
    from spinecare.adapters.library.rule_book import render_references_markdown

    committed = (REPO / "docs" / "clinical" / "references.md").read_text(encoding="utf-8")
    assert committed == render_references_markdown(load_references()), (
        "docs/clinical/references.md is out of date: run "
        "`spinecare rules --references > docs/clinical/references.md`"
    )
