"""The instruments use case: the catalogue with a clinic's licensed wording is read once,
and read again only when a licence is imported (here or by another process)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from spinecare.adapters.fhir import LicensedImportError, questionnaire_for
from spinecare.adapters.instrument_files import licensed_dir, licensed_path, load_definitions
from spinecare.clinical.instruments import AnswerError
from spinecare.services.instruments import InstrumentService, Person, UnknownInstrument

SHIPPED = load_definitions()
ODI = [2, 2, 2, 2, 2, 2, 1, 1, 2, None]

# Every file this process opens while a test watches (the interpreter's audit hook: no
# stand-in for the file system).
_opened: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], str | Path):
        _opened.append(str(args[0]))


sys.addaudithook(_audit)


@contextmanager
def files_opened() -> Iterator[list[str]]:
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def licensed_odi(text: str = "Licensed section") -> dict[str, Any]:
    """Our ODI Questionnaire with stand-in licensed wording, as a clinic would fill it in."""
    q = questionnaire_for(SHIPPED["odi"])
    q["url"] = "https://clinic.example/fhir/Questionnaire/odi-licensed"
    q["copyright"] = "© Example Holder. Reproduced under licence."
    for n, item in enumerate(i for i in q["item"] if not i["linkId"].startswith("score-")):
        item["text"] = f"{text} {n + 1}"
    return q


def test_the_catalogue_is_read_once_and_scoring_reads_no_licence_file(tmp_path: Path) -> None:
    clinic = InstrumentService(SHIPPED, tmp_path)
    clinic.import_licence(licensed_odi())
    assert clinic.definition("odi").items[0].text == "Licensed section 1"
    loads = clinic.catalogue_loads
    with files_opened() as opened:
        for _ in range(50):
            clinic.definitions()
            clinic.definition("odi")
            clinic.score("odi", ODI)
            clinic.change("odi", 50, 38)
    assert clinic.catalogue_loads == loads == 1
    assert [p for p in opened if p.startswith(str(licensed_dir(tmp_path)))] == []


def test_an_import_here_refreshes_the_catalogue_at_once(tmp_path: Path) -> None:
    clinic = InstrumentService(SHIPPED, tmp_path)
    assert not clinic.definition("odi").has_text  # licensed out until imported
    clinic.import_licence(licensed_odi())
    assert clinic.definition("odi").has_text
    clinic.import_licence(licensed_odi("Second wording"))
    assert clinic.definition("odi").items[0].text == "Second wording 1"
    assert clinic.catalogue_loads == 3


def test_a_licence_imported_by_another_process_is_seen_without_a_restart(tmp_path: Path) -> None:
    server = InstrumentService(SHIPPED, tmp_path)
    assert not server.definition("odi").has_text
    # ``spinecare instruments import`` in another process: its own service, same directory.
    InstrumentService(SHIPPED, tmp_path).import_licence(licensed_odi())
    assert server.definition("odi").items[0].text == "Licensed section 1"
    assert server.licensed_text("odi") is not None
    assert server.catalogue_loads == 2


def test_a_stored_licence_that_no_longer_maps_is_reported_each_time(tmp_path: Path) -> None:
    clinic = InstrumentService(SHIPPED, tmp_path)
    clinic.import_licence(licensed_odi())
    path = licensed_path("odi", tmp_path)
    broken = json.loads(path.read_text(encoding="utf-8"))
    broken["item"] = broken["item"][1:]
    path.write_text(json.dumps(broken), encoding="utf-8")
    other = InstrumentService(SHIPPED, tmp_path)
    for _ in range(2):  # not kept: the next use says so again
        with pytest.raises(LicensedImportError, match="missing from the Questionnaire"):
            other.definitions()
    assert other.score("odi", ODI).score is not None  # scoring never needs the wording


def test_nothing_is_stored_when_a_licence_does_not_fit(tmp_path: Path) -> None:
    clinic = InstrumentService(SHIPPED, tmp_path)
    bad = licensed_odi()
    bad["copyright"] = ""
    with pytest.raises(LicensedImportError, match="copyright is empty"):
        clinic.import_licence(bad)
    assert not licensed_path("odi", tmp_path).exists()
    assert not clinic.definition("odi").has_text


def test_without_a_data_directory_only_the_shipped_wording_is_used() -> None:
    shipped = InstrumentService()
    assert list(shipped.definitions()) == list(SHIPPED)
    with pytest.raises(LicensedImportError, match="no data directory"):
        shipped.import_licence(licensed_odi())


def test_an_unknown_instrument_names_the_known_ones() -> None:
    instruments = InstrumentService(SHIPPED)
    for call in (lambda: instruments.score("oswestry", [1]),
                 lambda: instruments.definition("oswestry"),
                 lambda: instruments.change("oswestry", 1, 2)):
        with pytest.raises(UnknownInstrument, match="choose one of: odi, ndi"):
            call()
    assert instruments.builtin(" ODI ").id == "odi"


def test_the_shipped_definitions_are_built_on_first_use_only() -> None:
    built: list[int] = []

    def load() -> dict[str, Any]:
        built.append(1)
        return SHIPPED

    instruments = InstrumentService(load)
    assert built == []
    instruments.score("nrs", [3, None, None, None])
    instruments.definitions()
    assert built == [1]


def test_the_fhir_questionnaire_comes_from_the_service_checked() -> None:
    questionnaire = InstrumentService(lambda: SHIPPED).questionnaire_resource(" ODI ")
    assert questionnaire["resourceType"] == "Questionnaire"
    assert questionnaire == questionnaire_for(SHIPPED["odi"])


def test_a_bundle_holds_the_response_and_its_score_and_a_bad_answer_stores_nothing() -> None:
    service = InstrumentService(lambda: SHIPPED)
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    bundle = service.bundle_resource(Person(id="p-1", name="Ana"), "odi", ODI, when)
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert bundle["resourceType"] == "Bundle"
    assert "QuestionnaireResponse" in kinds and "Observation" in kinds
    with pytest.raises(AnswerError):
        service.bundle_resource(Person(id="p-1"), "odi", [9] * 10, when)
