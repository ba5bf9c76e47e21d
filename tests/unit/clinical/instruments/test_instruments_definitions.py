"""Every instrument definition has references, documentation and a licence decision."""

from __future__ import annotations

import re

import pytest
import yaml

from repo_paths import REPO_ROOT
from spinecare.adapters.instrument_files import INSTRUMENT_IDS, INSTRUMENTS_DIR, load_definitions
from spinecare.adapters.library.references import REFERENCES_DIR, load_references
from spinecare.clinical.instruments import DefinitionError, InstrumentDefinition, parse_definition

SHIPPED = load_definitions()

DOCS = REPO_ROOT / "docs" / "instruments.md"


def _reference_ids(d: InstrumentDefinition) -> set[str]:
    ids = set(d.references) | set(d.rule.references) | set(d.licence.references)
    ids |= set(d.worsening_references)
    for part in (d.bands, d.mcid):
        if part is not None:
            ids |= set(part.references)
    for sub in d.subscales:
        for part in (sub.bands, sub.mcid):
            if part is not None:
                ids |= set(part.references)
    return ids


def test_all_seven_public_instruments_are_defined() -> None:
    assert tuple(SHIPPED) == INSTRUMENT_IDS


@pytest.mark.parametrize("iid", INSTRUMENT_IDS)
def test_every_reference_exists_in_the_registry(iid: str) -> None:
    d = SHIPPED[iid]
    refs = _reference_ids(d)
    assert refs, f"{iid} cites nothing"
    assert load_references().missing(refs) == []


def test_every_instruments_reference_is_used() -> None:
    own = {r["id"] for r in yaml.safe_load((REFERENCES_DIR / "instruments.yaml").read_text())}
    used = set().union(*(_reference_ids(d) for d in SHIPPED.values()))
    assert own - used == set()


@pytest.mark.parametrize("iid", INSTRUMENT_IDS)
def test_every_instrument_is_documented_with_its_licence_decision(iid: str) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    section = re.search(rf"^### .*\(`{iid}`\)\n(.*?)(?=^### |^## |\Z)", docs, re.M | re.S)
    assert section, f"docs/instruments.md has no section for {iid}"
    body = section.group(1)
    for topic in ("Scoring", "Licence"):
        assert f"**{topic}" in body, f"{iid}: docs section lacks {topic}"
    for ref in SHIPPED[iid].rule.references:
        assert ref in body, f"{iid}: docs do not cite the scoring reference {ref}"


@pytest.mark.parametrize("iid", INSTRUMENT_IDS)
def test_definitions_carry_what_screens_need(iid: str) -> None:
    d = SHIPPED[iid]
    assert d.recall_period and d.respondent and d.answer_format and d.description
    assert d.licence.terms and d.licence.decision
    assert all(item.label for item in d.items)
    if not d.licence.text_included:
        assert not any(item.text for item in d.items)
        assert not d.has_text
    else:
        assert d.has_text


def test_a_yaml_slip_is_caught_at_load_time() -> None:
    data = yaml.safe_load((INSTRUMENTS_DIR / "odi.yaml").read_text())
    # An unquoted comma in a flow mapping turns the tail of a label into a new key.
    data["items"][1] = yaml.safe_load(
        "{id: personal_care, label: Personal care (washing, dressing)}"
    )
    with pytest.raises(DefinitionError, match="unknown keys"):
        parse_definition(data)


def test_licensed_out_definition_with_item_text_is_rejected() -> None:
    data = yaml.safe_load((INSTRUMENTS_DIR / "odi.yaml").read_text())
    data["items"][0]["text"] = "some wording"
    with pytest.raises(DefinitionError, match="licensed out"):
        parse_definition(data)
