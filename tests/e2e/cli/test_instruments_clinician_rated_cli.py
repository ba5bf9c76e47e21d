"""`spinecare questionnaire mjoa` says the mJOA is a clinician's rating; a
patient-reported questionnaire says nothing of the kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinecare.entrypoints.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SPINECARE_DATA_DIR", str(tmp_path))
    yield tmp_path


def _walk(instrument: str, answers: str) -> str:
    result = runner.invoke(app, ["questionnaire", instrument], input=answers,
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


def test_the_mjoa_walk_through_explains_it_is_rated_by_a_clinician() -> None:
    out = _walk("mjoa", "4\n5\n2\n3\n")
    assert "rated by a clinician who examines the person, not by the patient" in out
    assert "shown, not stored" in out
    assert "Score: 14" in out


def test_a_patient_reported_questionnaire_has_no_such_note() -> None:
    out = _walk("nrs", "4\n6\n\n\n")
    assert "rated by a clinician" not in out
