"""`spinecare eval triage` end to end, in a real subprocess, on the shared vignettes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def spinecare(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "spinecare.cli", *args], capture_output=True,
                          text=True, timeout=300, cwd=REPO)


@pytest.fixture(scope="module")
def dev_report(shared_dir):
    proc = spinecare("eval", "triage", str(shared_dir / "eval" / "dev_vignettes.jsonl"),
                     "--mode", "structured", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_dev_vignettes_meet_the_required_figures(dev_report):
    # Required by the issue (published checkers: ~57% triage, 80% emergencies, 33% self-care).
    assert dev_report["n"] == 36
    assert dev_report["emergency_sensitivity"] == 1.0
    assert dev_report["under_triage"] == 0
    assert dev_report["triage_accuracy"] >= 0.9
    assert dev_report["per_level_accuracy"]["self_care"] >= 0.75
    assert dev_report["top1_condition_accuracy"] >= 0.7
    assert dev_report["top3_condition_accuracy"] >= 0.9


def test_json_has_exactly_the_findings_md_keys(dev_report):
    for key in ("n", "triage_accuracy", "under_triage", "over_triage", "emergency_sensitivity",
                "per_level_accuracy", "top1_condition_accuracy", "top3_condition_accuracy"):
        assert key in dev_report
    assert set(dev_report["per_level_accuracy"]) == {"emergency", "urgent", "routine",
                                                     "self_care"}
    matrix = dev_report["confusion_matrix"]
    assert sum(sum(row.values()) for row in matrix.values()) == dev_report["n"]


def test_held_out_cases_written_from_the_criteria():
    proc = spinecare("eval", "triage", "tests/data/triage_cases.jsonl", "--json")
    report = json.loads(proc.stdout)
    assert report["under_triage"] == 0
    assert report["emergency_sensitivity"] == 1.0
    assert report["triage_accuracy"] >= 0.9


def test_malformed_lines_are_reported_with_their_number_and_the_rest_scored(tmp_path,
                                                                            shared_dir):
    good = (shared_dir / "eval" / "dev_vignettes.jsonl").read_text().splitlines()[:3]
    lines = [good[0], "{not json", good[1],
             json.dumps({"id": "x", "gold_triage": "soon", "findings": {}}),
             json.dumps({"id": "y", "gold_triage": "routine", "findings": {"fevr": True}}),
             good[2]]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    proc = spinecare("eval", "triage", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["n"] == 3
    problems = " | ".join(report["malformed_lines"])
    assert "line 2:" in problems and "not valid JSON" in problems
    assert "line 4:" in problems and "gold_triage" in problems
    assert "line 5:" in problems and "fevr" in problems and "fever" in problems


def test_text_table_by_default_and_clear_errors(tmp_path, shared_dir):
    proc = spinecare("eval", "triage", str(shared_dir / "eval" / "dev_vignettes.jsonl"))
    assert proc.returncode == 0
    assert "triage accuracy" in proc.stdout and "Confusion matrix" in proc.stdout
    missing = spinecare("eval", "triage", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and "file not found" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad_mode = spinecare("eval", "triage", str(shared_dir / "eval" / "dev_vignettes.jsonl"),
                         "--mode", "magic")
    assert bad_mode.returncode == 2 and "unknown mode" in bad_mode.stderr
