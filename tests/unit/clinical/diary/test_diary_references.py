"""Every diary rule cites references that exist, and every reference in diary.yaml is used."""

from __future__ import annotations

from datetime import date

import yaml

from spinecare.adapters.library.references import REFERENCES_DIR, load_references
from spinecare.clinical.decision.rules import MAX_INJECTIONS_PER_YEAR
from spinecare.clinical.decision.rules import RULES as DECISION_RULES
from spinecare.clinical.diary.analytics import summarise
from spinecare.clinical.diary.open_signs import RULE_ID as OPEN_SIGN_RULE
from spinecare.clinical.diary.pain_lines import RULE_ID as PAIN_LINES_RULE
from spinecare.clinical.diary.rules import EPIDURAL_LIMIT_12M, RULES
from spinecare.clinical.evidence import is_team_choice

REGISTRY = load_references()


def test_every_rule_reference_exists() -> None:
    missing = {rid: REGISTRY.missing(rule.references) for rid, rule in RULES.items()}
    assert {k: v for k, v in missing.items() if v} == {}


def test_every_diary_reference_is_used_by_a_rule() -> None:
    own = {r["id"] for r in yaml.safe_load((REFERENCES_DIR / "diary.yaml").read_text())}
    used = {ref for rule in RULES.values() for ref in rule.references}
    assert own - used == set()


def test_the_epidural_limit_is_the_decision_aids() -> None:
    assert EPIDURAL_LIMIT_12M == MAX_INJECTIONS_PER_YEAR
    assert RULES["DIARY-EPIDURAL"].references == DECISION_RULES["DA-OPT-ESI-LIMIT"].references


def test_the_spinecare_defined_thresholds_say_so() -> None:
    assert is_team_choice(RULES["DIARY-FLARE-PAIN"].summary)
    assert is_team_choice(RULES["DIARY-TOLERANCE"].summary)


def test_every_rule_id_a_summary_names_exists() -> None:
    data = summarise([], [], today=date(2026, 1, 1)).to_dict()
    ids: set[str] = set(data["means_rule_ids"]) | set(data["trends_rule_ids"])
    for section in ("pain_flares", "self_reported_flares", "walking", "associations",
                    "epidural", "completeness"):
        ids |= set(data[section]["rule_ids"])
    assert ids <= set(RULES)
    # every rule is applied by some section, or by the chart lines and the open-sign rule
    assert ids | {PAIN_LINES_RULE, OPEN_SIGN_RULE} == set(RULES)


def test_the_open_sign_window_is_spinecare_defined_and_cited() -> None:
    assert is_team_choice(RULES[OPEN_SIGN_RULE].summary)
    assert is_team_choice(RULES[PAIN_LINES_RULE].summary)  # the 3-day minimum
    assert set(RULES[PAIN_LINES_RULE].references) == {"ostelo-2008", "hawker-2011"}
