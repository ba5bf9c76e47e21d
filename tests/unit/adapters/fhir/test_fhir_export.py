"""Everything we export validates with fhir.resources (R4B) and passes our code checks."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from spinecare.adapters.fhir import (
    Administration,
    FhirValidationError,
    Person,
    bundle_for_person,
    code_problems,
    questionnaire_for,
    validate_resource,
)
from spinecare.adapters.fhir.codes import loinc_is_well_formed
from spinecare.adapters.instrument_files import INSTRUMENT_IDS, load_definitions

SHIPPED = load_definitions()
WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
ADMINISTRATIONS = [
    Administration("odi", [2, 2, 2, 2, 2, 2, 1, 1, 2, None], WHEN),
    Administration("ndi", [2, 1, 2, 2, 3, 2, 2, 2, 2, 2], WHEN),
    Administration("rmdq", [1] * 8 + [0] * 16, WHEN),
    Administration("zcq", [2, 2, 3, 3, 2, 1, 3, 2, 2, 3, 1, 2], WHEN),
    Administration("startback", [0, 0, 0, 0, 1, 1, 1, 1, 3], WHEN),
    Administration("mjoa", [4, 5, 2, 3], WHEN, clinician_name="Dr A. Example"),
    Administration("nrs", [7, 4, None, None], WHEN),
    Administration("odi", [1, 1, 1, 1, 1, 1, 1, None, None, None], WHEN, id="too-many-missing"),
]


@pytest.fixture(scope="module")
def bundle() -> dict:
    return bundle_for_person(
        Person("p-1", "Ann Example", gender="female"), ADMINISTRATIONS, SHIPPED, timestamp=WHEN
    )


def _resources(bundle: dict, rtype: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]


@pytest.mark.parametrize("iid", INSTRUMENT_IDS)
def test_questionnaire_validates_and_uses_only_checked_codes(iid: str) -> None:
    q = questionnaire_for(SHIPPED[iid])
    validate_resource(q, "Questionnaire")
    assert code_problems(q) == []


@pytest.mark.parametrize("iid", ["odi", "ndi", "rmdq", "startback", "mjoa", "zcq"])
def test_every_answer_option_carries_its_score_as_ordinal_value(iid: str) -> None:
    d = SHIPPED[iid]
    q = questionnaire_for(d)
    by_id = {i["linkId"]: i for i in q["item"]}
    for item in d.items:
        ordinals = [o["extension"][0]["valueDecimal"] for o in by_id[item.id]["answerOption"]]
        assert ordinals == [o.score for o in item.options]
        assert {o["extension"][0]["url"] for o in by_id[item.id]["answerOption"]} == {
            "http://hl7.org/fhir/StructureDefinition/ordinalValue"
        }


def test_odi_total_item_is_read_only_calculated_with_unit_and_loinc() -> None:
    q = questionnaire_for(SHIPPED["odi"])
    total = next(i for i in q["item"] if i["linkId"] == "score-total")
    assert total["readOnly"] is True and "initial" not in total
    urls = [e["url"] for e in total["extension"]]
    assert (
        "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
        in urls
    )
    unit = next(e for e in total["extension"] if e["url"].endswith("questionnaire-unit"))
    assert unit["valueCoding"]["code"] == "%"
    assert total["code"][0]["code"] == "97909-6"
    assert q["code"][0]["code"] == "97908-8"


def test_ndi_items_carry_loinc_codes_in_item_order() -> None:
    q = questionnaire_for(SHIPPED["ndi"])
    codes = [i["code"][0]["code"] for i in q["item"] if not i["linkId"].startswith("score-")]
    assert codes == [
        "82227-0",
        "82228-8",
        "82229-6",
        "82230-4",
        "82231-2",
        "82232-0",
        "82233-8",
        "82234-6",
        "82235-3",
        "82236-1",
    ]


def test_licensed_out_questionnaire_says_which_licence_is_missing() -> None:
    q = questionnaire_for(SHIPPED["odi"])
    assert "Mapi Research Trust" in q["copyright"]
    assert "spinecare instruments import" in q["copyright"]


def test_bundle_and_every_entry_validate(bundle: dict) -> None:
    validate_resource(bundle, "Bundle")
    for entry in bundle["entry"]:
        validate_resource(entry["resource"])
    assert code_problems(bundle) == []


def test_every_reference_resolves_inside_the_bundle(bundle: dict) -> None:
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    for obs in _resources(bundle, "Observation"):
        assert obs["subject"]["reference"] in full_urls
        assert obs["derivedFrom"][0]["reference"] in full_urls
        assert obs["category"][0]["coding"][0]["code"] == "survey"
    for qr in _resources(bundle, "QuestionnaireResponse"):
        assert qr["subject"]["reference"] in full_urls


def test_observations_use_loinc_where_it_exists_and_our_codes_otherwise(bundle: dict) -> None:
    by_code = {}
    for obs in _resources(bundle, "Observation"):
        for coding in obs["code"]["coding"]:
            by_code.setdefault(coding["code"], []).append(obs)
    odi = by_code["97909-6"][0]
    assert odi["valueQuantity"]["value"] == 35.56 and odi["valueQuantity"]["code"] == "%"
    assert odi["interpretation"][0]["text"] == "moderate disability"
    assert by_code["82237-9"][0]["valueQuantity"]["value"] == 40
    assert by_code["rmdq-total"][0]["valueQuantity"]["value"] == 8
    assert (
        by_code["startback-total"][0]["interpretation"][0]["coding"][0]["code"] == "startback-high"
    )
    assert by_code["zcq-symptom_severity"][0]["valueQuantity"]["value"] == 2.286
    assert by_code["nrs-back"][0]["bodySite"]["text"] == "back"
    assert "nrs-neck" not in by_code  # not asked -> no observation, never a 0


def test_a_refused_score_produces_no_observation_but_keeps_the_response(bundle: dict) -> None:
    odi_totals = [
        o for o in _resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == "97909-6"
    ]
    assert len(odi_totals) == 1  # the second ODI (3 sections missing) has no score
    odi_responses = [
        qr
        for qr in _resources(bundle, "QuestionnaireResponse")
        if qr["questionnaire"].endswith("/odi")
    ]
    assert len(odi_responses) == 2


def test_unanswered_items_are_absent_from_the_response(bundle: dict) -> None:
    qr = next(
        r
        for r in _resources(bundle, "QuestionnaireResponse")
        if r["questionnaire"].endswith("/odi")
    )
    link_ids = [i["linkId"] for i in qr["item"]]
    assert "travelling" not in link_ids
    assert "pain_intensity" in link_ids


def test_clinician_rated_mjoa_has_a_practitioner_performer(bundle: dict) -> None:
    practitioners = _resources(bundle, "Practitioner")
    assert practitioners and practitioners[0]["name"][0]["text"] == "Dr A. Example"
    mjoa = next(
        o
        for o in _resources(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "mjoa-total"
    )
    assert mjoa["performer"][0]["reference"].endswith(practitioners[0]["id"])
    assert mjoa["valueQuantity"]["value"] == 14


def test_export_is_deterministic() -> None:
    person = Person("p-1")
    assert bundle_for_person(person, ADMINISTRATIONS, SHIPPED, timestamp=WHEN) == \
        bundle_for_person(person, ADMINISTRATIONS, SHIPPED, timestamp=WHEN)


def test_code_checker_catches_what_the_models_accept(bundle: dict) -> None:
    broken = copy.deepcopy(bundle)
    obs = next(
        e["resource"] for e in broken["entry"] if e["resource"]["resourceType"] == "Observation"
    )
    obs["status"] = "bogus"
    validate_resource(obs)  # fhir.resources does not check the value set ...
    obs["code"]["coding"][0]["code"] = "97909-5"
    obs["category"][0]["coding"][0]["code"] = "questionnaire"
    problems = code_problems(broken)  # ... so we do
    assert any("'bogus' is not a Observation status" in p for p in problems)
    assert any("97909-5" in p and "check digit" in p for p in problems)
    assert any("not an observation category" in p for p in problems)


def test_loinc_check_digits() -> None:
    for code in ("97908-8", "97909-6", "82226-2", "82237-9", "82227-0", "82236-1"):
        assert loinc_is_well_formed(code)
    assert not loinc_is_well_formed("82237-8")
    assert not loinc_is_well_formed("8223X-9")


def test_validation_rejects_unknown_fields_with_the_location() -> None:
    q = questionnaire_for(SHIPPED["nrs"])
    q["item"][0]["colour"] = "red"
    with pytest.raises(FhirValidationError, match=r"item\[0\]\.colour"):
        validate_resource(q)
