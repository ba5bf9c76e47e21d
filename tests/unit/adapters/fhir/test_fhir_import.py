"""Import: a clinic's licensed Questionnaire, and QuestionnaireResponses to score."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

import pytest

from spinecare.adapters.fhir import (
    FhirValidationError,
    LicensedImportError,
    ResponseImportError,
    answers_from_response,
    questionnaire_for,
)
from spinecare.adapters.fhir.bundle import Administration, Person, bundle_for_person
from spinecare.adapters.instrument_files import licensed_path, load_definitions
from spinecare.services.instruments import InstrumentService

SHIPPED = load_definitions()



def clinic(data_dir: Path) -> InstrumentService:
    """The instruments of a clinic whose data directory is ``data_dir``."""
    return InstrumentService(SHIPPED, data_dir)


NOTICE = "© Example Holder 1980. Reproduced under licence."


def licensed_odi() -> dict:
    """Our ODI template filled in as a clinic would (stand-in wording, not the real text)."""
    q = questionnaire_for(SHIPPED["odi"])
    q["url"] = "https://clinic.example/fhir/Questionnaire/odi-licensed"
    q["copyright"] = NOTICE
    for n, item in enumerate(i for i in q["item"] if not i["linkId"].startswith("score-")):
        item["text"] = f"Licensed section {n + 1}"
        for k, option in enumerate(item["answerOption"]):
            option["valueCoding"] = {
                "system": "https://clinic.example/codes",
                "code": f"C{n}-{k}",
                "display": f"Licensed statement {k}",
            }
    return q


def test_import_stores_the_file_and_the_wording_is_used_from_then_on(tmp_path: Path) -> None:
    _definition, path = clinic(tmp_path).import_licence(licensed_odi())
    assert path == licensed_path("odi", tmp_path) and path.is_file()
    odi = clinic(tmp_path).definitions()["odi"]
    assert odi.has_text
    assert odi.items[2].text == "Licensed section 3"
    assert odi.items[2].options[4].text == "Licensed statement 4"
    assert odi.licence.notice == NOTICE
    # Scoring is untouched by the wording.
    assert clinic(tmp_path).score("odi", [2] * 10).score == 40
    # The Questionnaire we export for this clinic now carries the licensed wording.
    exported = questionnaire_for(odi)
    assert exported["item"][0]["text"] == "Licensed section 1"
    assert exported["copyright"].startswith(NOTICE)


def test_the_instrument_is_found_from_the_item_ids(tmp_path: Path) -> None:
    definition, _ = clinic(tmp_path).import_licence(licensed_odi())
    assert definition.id == "odi"


def _problems(q: dict, tmp_path: Path, instrument: str | None = "odi") -> str:
    with pytest.raises(LicensedImportError) as err:
        clinic(tmp_path).import_licence(q, instrument)
    assert not licensed_path("odi", tmp_path).exists(), "nothing may be stored on error"
    return str(err.value)


def test_unknown_link_id_is_named(tmp_path: Path) -> None:
    q = licensed_odi()
    q["item"][3]["linkId"] = "walk"
    message = _problems(q, tmp_path)
    assert "linkId 'walk' is not an item of ODI" in message
    assert "'walking' (Walking) is missing" in message


def test_option_scores_must_match(tmp_path: Path) -> None:
    q = licensed_odi()
    q["item"][0]["answerOption"].reverse()
    assert "option 1: score 5 does not match the definition's 0" in _problems(q, tmp_path)


def test_wrong_number_of_options_and_missing_text(tmp_path: Path) -> None:
    q = licensed_odi()
    q["item"][1]["answerOption"].pop()
    del q["item"][2]["text"]
    message = _problems(q, tmp_path)
    assert "'personal_care': has 5 answer options" in message
    assert "'lifting': no text" in message


def test_copyright_notice_is_required(tmp_path: Path) -> None:
    q = licensed_odi()
    del q["copyright"]
    assert "copyright is empty" in _problems(q, tmp_path)


def test_invalid_fhir_is_rejected_with_its_location(tmp_path: Path) -> None:
    q = licensed_odi()
    q["item"][0]["answerOptions"] = []
    assert "item[0].answerOptions" in _problems(q, tmp_path)


def test_not_a_questionnaire(tmp_path: Path) -> None:
    assert "expected a FHIR Questionnaire" in _problems({"resourceType": "Patient"}, tmp_path)


def test_unrecognisable_questionnaire_says_how_to_fix(tmp_path: Path) -> None:
    q = licensed_odi()
    for item in q["item"]:
        item["linkId"] = "q-" + item["linkId"]
    assert "closest: odi" in _problems(q, tmp_path, instrument=None)


def _response(iid: str, answers: list) -> dict:
    when = datetime(2026, 3, 1, tzinfo=UTC)
    bundle = bundle_for_person(Person("p"), [Administration(iid, answers, when)], SHIPPED)
    return next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )


@pytest.mark.parametrize(
    ("iid", "answers"),
    [
        ("odi", [2, 2, 2, 2, 2, 2, 1, 1, 2, None]),
        ("rmdq", [1] * 8 + [0] * 16),
        ("startback", [0, 0, 0, 0, 1, 1, 1, 1, 3]),
        ("nrs", [7, None, 3, None]),
        ("zcq", [2, 2, 3, 3, 2, 1, 3, 2, 2, 3, 1, 2]),
    ],
)
def test_our_response_round_trips_to_the_same_score(
    iid: str, answers: list, tmp_path: Path
) -> None:
    result = clinic(tmp_path).score_response(_response(iid, answers))
    assert result.instrument == iid
    assert result.to_dict() == clinic(tmp_path).score(iid, answers).to_dict()


def test_scores_inside_an_imported_response_are_ignored(tmp_path: Path) -> None:
    qr = _response("odi", [2] * 10)
    total = next(i for i in qr["item"] if i["linkId"] == "score-total")
    total["answer"][0]["valueDecimal"] = 12
    assert clinic(tmp_path).score_response(qr).score == 40


def test_response_to_a_licensed_questionnaire_maps_its_own_codes(tmp_path: Path) -> None:
    clinic(tmp_path).import_licence(licensed_odi())
    qr = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": "https://clinic.example/fhir/Questionnaire/odi-licensed",
        "item": [
            {
                "linkId": item.id,
                "answer": [
                    {"valueCoding": {"system": "https://clinic.example/codes", "code": f"C{n}-3"}}
                ],
            }
            for n, item in enumerate(SHIPPED["odi"].items)
        ],
    }
    result = clinic(tmp_path).score_response(qr)
    assert result.instrument == "odi" and result.score == 60


def test_item_weight_extension_is_accepted_on_input() -> None:
    d = SHIPPED["mjoa"]
    qr = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {
                "linkId": "ue_motor",
                "answer": [
                    {
                        "valueCoding": {
                            "code": "x",
                            "extension": [
                                {
                                    "url": "http://hl7.org/fhir/StructureDefinition/itemWeight",
                                    "valueDecimal": 4,
                                }
                            ],
                        }
                    }
                ],
            },
        ],
    }
    assert answers_from_response(d, qr) == {"ue_motor": 4}


def test_bad_responses_get_clear_errors(tmp_path: Path) -> None:
    qr = _response("odi", [2] * 10)
    broken = copy.deepcopy(qr)
    broken["item"][0]["linkId"] = "pain"
    with pytest.raises(ResponseImportError, match="linkId 'pain' is not an item of ODI"):
        clinic(tmp_path).score_response(broken)
    broken = copy.deepcopy(qr)
    broken["item"][0]["answer"][0]["valueCoding"]["code"] = "9"
    broken["item"][0]["answer"][0]["valueCoding"].pop("extension")
    with pytest.raises(ResponseImportError, match="answer code '9'"):
        clinic(tmp_path).score_response(broken)
    broken = copy.deepcopy(qr)
    broken["status"] = 7
    with pytest.raises(FhirValidationError):
        clinic(tmp_path).score_response(broken)
