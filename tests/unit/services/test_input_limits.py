"""Input limits outside the web layer (security review findings 2 and 19): spelling
suggestions are bounded, and hostile FHIR files are clear CLI errors, not tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinecare.adapters.fhir.licensed import LicensedImportError
from spinecare.adapters.fhir.response import ResponseImportError
from spinecare.clinical.findings import MAX_SUGGESTIONS, FindingsError, parse_findings
from spinecare.entrypoints.cli.main import app
from spinecare.services.errors import InvalidInput
from spinecare.services.instruments import InstrumentService
from spinecare.services.triage import MAX_FINDINGS, build_findings, validate_unsure

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SPINECARE_DATA_DIR", str(tmp_path / "data"))
    yield tmp_path / "data"


# --- finding 2: bounded work per request ---------------------------------------------------

def test_only_the_first_unknown_keys_get_a_suggestion() -> None:
    with pytest.raises(FindingsError) as info:
        parse_findings({f"bladder_dysfunctio{i}": True for i in range(30)})
    problems = info.value.problems
    assert len(problems) == 30  # every unknown key is still reported
    assert [p.suggestion for p in problems[:MAX_SUGGESTIONS]] == ["bladder_dysfunction"] * 10
    assert all(p.suggestion is None for p in problems[MAX_SUGGESTIONS:])


def test_the_service_refuses_more_keys_than_the_vocabulary_before_any_work() -> None:
    with pytest.raises(InvalidInput) as info:
        build_findings({f"k{i}": True for i in range(MAX_FINDINGS + 1)})
    assert list(info.value.problems) == ["findings"]
    with pytest.raises(InvalidInput) as info:
        validate_unsure([f"k{i}" for i in range(MAX_FINDINGS + 1)], build_findings({}))
    assert list(info.value.problems) == ["unsure"]
    # Repeats count once.
    assert validate_unsure(["leg_pain"] * 1000, build_findings({})) == {"leg_pain"}


# --- finding 19: FHIR import and score-response --------------------------------------------

def _nested_groups(levels: int) -> dict:
    questionnaire: dict = {"resourceType": "Questionnaire", "status": "active", "item": []}
    current = questionnaire
    for level in range(levels):
        group = {"linkId": f"g{level}", "type": "group", "item": []}
        current["item"].append(group)
        current = group
    return questionnaire


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("text", "expected"), [
    ("[" * 100_000, "more than 100 levels deep"),  # RecursionError in json.loads before
    (json.dumps(_nested_groups(60)), "more than 100 levels deep"),  # ... in the R4B models
    (json.dumps({"resourceType": "Questionnaire", "status": "active", "item": "zzz"}),
     "item: Input should be a valid list"),  # AttributeError before
    (json.dumps({"resourceType": "Questionnaire", "status": "active", "item": [1, 2]}),
     "does not fit the instrument"),  # AttributeError before
], ids=["deep-json", "deep-groups", "item-string", "item-numbers"])
def test_a_hostile_licensed_questionnaire_is_a_clear_error(
    tmp_path: Path, data_dir: Path, text: str, expected: str
) -> None:
    result = runner.invoke(app, ["instruments", "import", _write(tmp_path, "q.json", text)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert expected in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert not (data_dir / "licensed").exists()  # nothing was imported


def test_score_response_with_deep_nesting_is_a_clear_error(tmp_path: Path) -> None:
    text = ('{"resourceType": "QuestionnaireResponse", "status": "completed", "item": '
            + "[" * 50_000 + "]" * 50_000 + "}")
    result = runner.invoke(app, ["instruments", "score-response",
                                 _write(tmp_path, "r.json", text)])
    assert result.exit_code == 2, result.output
    assert "more than 100 levels deep" in " ".join(result.output.split())


def test_the_library_refuses_deep_nesting_with_its_own_errors(data_dir: Path) -> None:
    """Callers other than the CLI get the service's error, not a RecursionError."""
    instruments = InstrumentService(data_dir=data_dir)
    with pytest.raises(LicensedImportError, match="nested too deeply"):
        instruments.import_licence(_nested_groups(200), "odi")
    item: dict = {"linkId": "x", "answer": [{"valueInteger": 1}]}
    for _ in range(300):
        item = {"linkId": "x", "item": [item]}
    with pytest.raises(ResponseImportError, match="nested too deeply"):
        instruments.score_response({"resourceType": "QuestionnaireResponse",
                                    "status": "completed", "item": [item]})
