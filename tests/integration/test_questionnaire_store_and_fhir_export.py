"""Questionnaires through the services: a submission reads no licence file, and the FHIR
export is built from the stored responses (read directly, each scored once)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from spinecare.adapters.fhir import questionnaire_for
from spinecare.adapters.instrument_files import licensed_dir
from spinecare.adapters.storage.models import QuestionnaireResponse
from spinecare.services.actor import Actor
from spinecare.services.errors import PermissionDenied

PASSWORD = "correct horse battery"
ODI = {"pain_intensity": 2, "personal_care": 1, "lifting": 3, "walking": 1, "sitting": 2,
       "standing": 2, "sleeping": 1, "sex_life": None, "social_life": 2, "travelling": 1}

_opened: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], str | Path):
        _opened.append(str(args[0]))


sys.addaudithook(_audit)  # the interpreter's own record of every file opened


@contextmanager
def files_opened() -> Iterator[list[str]]:
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


@pytest.fixture
def ana(services) -> Actor:
    user = services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    return Actor(user.id, "patient", "192.0.2.7")


def _import_licensed_odi(services) -> None:  # type: ignore[no-untyped-def]
    q = questionnaire_for(services.instruments.builtin("odi"))
    q["url"] = "https://clinic.example/fhir/Questionnaire/odi-licensed"
    q["copyright"] = "© Example Holder. Reproduced under licence."
    for n, item in enumerate(i for i in q["item"] if not i["linkId"].startswith("score-")):
        item["text"] = f"Licensed section {n + 1}"
    services.instruments.import_licence(q)


def test_submissions_read_no_licence_file(services, settings, ana) -> None:
    _import_licensed_odi(services)
    assert services.instruments.definition("odi").has_text
    loads = services.instruments.catalogue_loads
    with files_opened() as opened:
        for _ in range(10):
            record = services.questionnaires.submit(ana, "odi", ODI)
    assert record.score["knowledge_version"] == "1"
    assert [p for p in opened if p.startswith(str(licensed_dir(settings.data_dir)))] == []
    assert services.instruments.catalogue_loads == loads


def _store_raw(services, patient_id: int, instrument_id: str, answers: dict) -> None:  # type: ignore[no-untyped-def]
    """A row written by an older version or another tool, not through ``submit``."""
    with services.db.unit_of_work() as repos:
        repos.responses.add(QuestionnaireResponse(
            patient_id=patient_id, instrument_id=instrument_id, definition_version="0",
            answers=answers, score={}))


def _entries(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_fhir_export_holds_each_stored_response_it_can_express(services, ana) -> None:
    odi = services.questionnaires.submit(ana, "odi", ODI)
    services.questionnaires.submit(ana, "nrs", {"back": 6, "leg": 3})
    _store_raw(services, ana.user_id, "custom-form", {"q1": 1})  # not ours: JSON only
    _store_raw(services, ana.user_id, "odi", {"lifting": 9})  # no longer fits: JSON only
    bundle = services.data_rights.export_fhir(ana, ana.user_id)
    assert len(services.data_rights.export(ana, ana.user_id)["questionnaire_responses"]) == 4
    assert len(_entries(bundle, "QuestionnaireResponse")) == 2
    [patient] = _entries(bundle, "Patient")
    assert patient["name"] == [{"text": "Ana"}]
    # The exported total is the stored one.
    totals = [o["valueQuantity"]["value"] for o in _entries(bundle, "Observation")
              if "valueQuantity" in o and o["valueQuantity"].get("unit") == "%"]
    assert totals == [odi.score["score"]]


def test_the_fhir_export_is_only_ones_own_and_is_audited_once(services, ana) -> None:
    services.questionnaires.submit(ana, "nrs", {"back": 6})
    ben = services.accounts.create("ben@example.org", PASSWORD, "Ben", "patient")
    with pytest.raises(PermissionDenied):
        services.data_rights.export_fhir(Actor(ben.id, "patient"), ana.user_id)

    def exports() -> int:
        with services.db.unit_of_work(write=False) as repos:
            return sum(1 for e in repos.audit.about_patient(ana.user_id)
                       if (e.action, e.resource) == ("read", "export"))

    before = exports()
    services.data_rights.export_fhir(ana, ana.user_id)
    assert exports() == before + 1
