"""The public CLI contract: JSON keys, exit codes, error messages, the walk-through."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinecare.adapters.fhir import questionnaire_for
from spinecare.adapters.instrument_files import load_definitions
from spinecare.entrypoints.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SPINECARE_DATA_DIR", str(tmp_path))
    yield tmp_path


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def test_score_json_contract() -> None:
    result = run("score", "odi", "--answers", "[2,2,2,2,2,2,1,1,2,null]", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {"instrument", "score", "band", "subscales"} <= set(out)
    assert out["instrument"] == "odi" and out["score"] == 35.56 and out["band"] == "moderate"


def test_ndi_gives_percent_and_raw() -> None:
    out = json.loads(run("score", "ndi", "--answers", "[2,1,2,2,3,2,2,2,2,2]", "--json").stdout)
    assert out["score"] == 40 and out["raw"] == 20 and out["band"] == "moderate"


def test_zcq_score_is_null_with_three_subscales() -> None:
    out = json.loads(run("score", "zcq", "--answers", "[2,2,3,3,2,1,3,2,2,3,1,2]", "--json").stdout)
    assert out["score"] is None
    assert out["subscales"] == {
        "symptom_severity": 2.286,
        "physical_function": 2,
        "satisfaction": None,
    }


def test_startback_and_mjoa_and_rmdq_booleans() -> None:
    sb = json.loads(run("score", "startback", "--answers", "[0,0,0,0,1,1,1,1,3]", "--json").stdout)
    assert sb["score"] == 5 and sb["subscales"] == {"psychosocial": 5} and sb["band"] == "high"
    mj = json.loads(run("score", "mjoa", "--answers", "[3,4,2,2]", "--json").stdout)
    assert mj["score"] == 11 and mj["band"] == "severe"
    answers = json.dumps([True] * 8 + [False] * 16)
    rm = json.loads(run("score", "rmdq", "--answers", answers, "--json").stdout)
    assert rm["score"] == 8


def test_score_change_json_contract() -> None:
    result = run("score-change", "odi", "--baseline", "50", "--follow-up", "38", "--json")
    out = json.loads(result.stdout)
    assert {"change", "percent_change", "mcid_absolute_met", "mcid_relative_met"} <= set(out)
    assert out["change"] == -12 and out["percent_change"] == -24
    assert out["mcid_absolute_met"] is True and out["mcid_relative_met"] is False


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["score", "zcq", "--answers", "[2,2,3,3,2,1,2,2,2,3,1,2]"], ["ss_balance", "1, 3, 5"]),
        (["score", "odi", "--answers", "[1,2,3]"], ["expected 10 answers", "got 3"]),
        (
            ["score", "odi", "--answers", "[6,0,0,0,0,0,0,0,0,0]"],
            ["item 1 (pain_intensity)", "0-5"],
        ),
        (
            ["score", "startback", "--answers", "[0,0,0,0,0,0,0,0,5]"],
            ["bothersomeness", "3 = very much, 4 = extremely"],
        ),
        (["score", "odi", "--answers", "[1,2"], ["not valid JSON"]),
        (["score", "koos", "--answers", "[1]"], ["unknown instrument 'koos'", "odi, ndi"]),
        (
            ["score-change", "odi", "--baseline", "120", "--follow-up", "30"],
            ["outside the ODI range"],
        ),
        (["score-change", "zcq", "--baseline", "3", "--follow-up", "2"], ["name the subscale"]),
    ],
)
def test_invalid_input_exits_2_with_a_message(args: list[str], needles: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    for needle in needles:
        assert needle in message
    assert "Traceback" not in result.output


def test_questionnaire_for_licensed_out_instrument_names_the_missing_licence() -> None:
    result = run("questionnaire", "odi")
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "licensed by Jeremy Fairbank" in message and "Mapi Research Trust" in message
    assert "spinecare instruments import" in message
    assert "Pain intensity" not in result.stdout  # no broken half-form


def test_questionnaire_walks_through_nrs_and_shows_change() -> None:
    result = run(
        "questionnaire",
        "nrs",
        "--previous",
        "7",
        "--subscale",
        "back",
        "--json",
        stdin="4\n\n12\n3\n\n",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout[result.stdout.index("{") :])
    assert out["subscales"] == {"back": 4, "leg": None, "neck": 3, "arm": None}
    assert out["change"]["change"] == -3
    assert out["change"]["mcid_absolute_met"] is True and out["change"]["mcid_relative_met"] is True
    assert "Please enter one of: 0-10" in result.stdout  # 12 was refused and asked again


def test_questionnaire_mjoa_human_output() -> None:
    result = run("questionnaire", "mjoa", stdin="4\n5\n2\n3\n")
    assert result.exit_code == 0, result.output
    assert "Score: 14 - moderate myelopathy" in result.stdout


def test_questionnaire_stops_cleanly_when_input_ends() -> None:
    result = run("questionnaire", "mjoa", stdin="4\n")
    assert result.exit_code == 2
    assert "nothing was saved" in " ".join(result.stderr.split())


def _licensed_odi(tmp_path: Path) -> Path:
    q = questionnaire_for(load_definitions()["odi"])
    q["copyright"] = "© Example Holder. Used under licence."
    for n, item in enumerate(i for i in q["item"] if not i["linkId"].startswith("score-")):
        item["text"] = f"Licensed section {n + 1}"
        for option in item["answerOption"]:
            option["valueCoding"]["display"] = f"Licensed statement {option['valueCoding']['code']}"
    path = tmp_path / "odi-licensed.json"
    path.write_text(json.dumps(q))
    return path


def test_import_then_the_questionnaire_uses_the_licensed_text(
    tmp_path: Path, data_dir: Path
) -> None:
    imported = run("instruments", "import", str(_licensed_odi(tmp_path)))
    assert imported.exit_code == 0, imported.output
    assert (data_dir / "instruments" / "odi.questionnaire.json").is_file()
    listing = json.loads(run("instruments", "list", "--json").stdout)
    assert next(r for r in listing if r["id"] == "odi")["wording"] == "installed"
    walk = run("questionnaire", "odi", "--previous", "50", stdin="2\n" * 10)
    assert walk.exit_code == 0, walk.output
    assert "© Example Holder. Used under licence." in walk.stdout
    assert "Licensed section 10" in walk.stdout and "Licensed statement 3" in walk.stdout
    assert "Score: 40%" in walk.stdout and "MCID 10 points met: yes" in walk.stdout


def test_import_error_lists_problems_and_stores_nothing(tmp_path: Path, data_dir: Path) -> None:
    path = _licensed_odi(tmp_path)
    q = json.loads(path.read_text())
    q["item"][0]["linkId"] = "pain"
    path.write_text(json.dumps(q))
    result = run("instruments", "import", str(path), "--instrument", "odi")
    assert result.exit_code == 2
    assert "linkId 'pain' is not an item of ODI" in " ".join(result.stderr.split())
    assert not (data_dir / "instruments" / "odi.questionnaire.json").exists()


def test_export_fhir_questionnaire_and_bundle(tmp_path: Path) -> None:
    q = json.loads(run("instruments", "export-fhir", "startback").stdout)
    assert q["resourceType"] == "Questionnaire"
    out = tmp_path / "bundle.json"
    result = run(
        "instruments",
        "export-fhir",
        "odi",
        "--answers",
        "[2,2,2,2,2,2,2,2,2,2]",
        "--person-id",
        "p-9",
        "--authored",
        "2026-03-01T09:00:00+00:00",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    bundle = json.loads(out.read_text())
    assert bundle["type"] == "collection"
    types = sorted(e["resource"]["resourceType"] for e in bundle["entry"])
    assert types == ["Observation", "Patient", "QuestionnaireResponse"]
    qr_path = tmp_path / "qr.json"
    qr = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    qr_path.write_text(json.dumps(qr))
    scored = json.loads(run("instruments", "score-response", str(qr_path), "--json").stdout)
    assert scored["instrument"] == "odi" and scored["score"] == 40


def test_show_json_has_what_a_screen_needs() -> None:
    info = json.loads(run("instruments", "show", "zcq", "--json").stdout)
    assert info["items"][6]["allowed_values"] == [1, 3, 5]
    assert info["licence"]["text_included"] is False and info["licence"]["decision"]
    assert info["subscales"][0]["min_answered"] == 5


def test_real_process_exit_code_and_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "SPINECARE_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
    proc = subprocess.run(
        [sys.executable, "-m", "spinecare", "score", "ndi", "--answers", "[1,1,1]", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "expected 10 answers" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""
