"""`spinecare eval triage` end to end, in a real subprocess, on the shared vignettes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from repo_paths import REPO_ROOT

REPO = REPO_ROOT


def spinecare(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "spinecare", *args], capture_output=True,
                          text=True, timeout=300, cwd=REPO)


@pytest.fixture(scope="module")
def dev_report(shared_dir):
    proc = spinecare("eval", "triage", str(shared_dir / "eval" / "dev_vignettes.jsonl"),
                     "--mode", "structured", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_dev_vignettes_meet_the_required_figures(dev_report):
    # Required by the issues (published checkers: ~57% triage, 80% emergencies, 33% self-care).
    assert dev_report["n"] == 36
    assert dev_report["emergency_sensitivity"] == 1.0
    assert dev_report["under_triage"] == 0
    assert dev_report["top1_condition_accuracy"] >= 0.7
    assert dev_report["top3_condition_accuracy"] >= 0.9
    # Structured findings leave emergency screening questions (saddle, bowel, injury …)
    # unanswered, so the safety gate (issue 9 §3) holds benign cases at a provisional
    # routine. Every miss must be exactly that, and nothing else.
    for case in dev_report["wrong_cases"]:
        if case["gold_triage"] != case["predicted_triage"]:
            assert (case["gold_triage"], case["predicted_triage"]) == ("self_care", "routine")
            assert case["rules"][0] == "SCREEN-OPEN" and case["open_questions"], case
    held = dev_report["self_care_pending_screen"]
    correct = dev_report["triage_accuracy"] * dev_report["n"]
    assert (correct + held) / dev_report["n"] >= 0.9


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
    # Self-care held provisional by the safety gate counts once its questions are answered.
    correct = report["triage_accuracy"] * report["n"] + report["self_care_pending_screen"]
    assert correct / report["n"] >= 0.9


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


# --- conversation mode (issue 9 §2) -------------------------------------------------------


@pytest.fixture(scope="module")
def conversation_report(shared_dir):
    proc = spinecare("eval", "triage", str(shared_dir / "eval" / "dev_vignettes.jsonl"),
                     "--mode", "conversation", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_conversation_mode_reports_the_figures_and_the_questions_asked(conversation_report):
    report = conversation_report
    assert report["mode"] == "conversation"
    assert report["n"] == 36, report["malformed_lines"]
    for key in ("triage_accuracy", "under_triage", "emergency_sensitivity",
                "per_level_accuracy", "top1_condition_accuracy", "top3_condition_accuracy",
                "confusion_matrix", "wrong_cases"):
        assert key in report
    assert isinstance(report["questions_median"], int | float)
    assert isinstance(report["questions_mean"], int | float)
    assert isinstance(report["questions_max"], int)
    # Age and sex are asked of everyone whose words do not give them.
    assert 2 <= report["questions_median"] <= report["questions_max"]
    # Every simulated answer typed as text was read back as the vignette's value.
    assert report["malformed_lines"] == []


def test_conversation_mode_meets_the_issue_9_aims_on_the_dev_set(conversation_report):
    # What a person actually gets: words, then the interview to its end (issue 9 aims).
    report = conversation_report
    assert report["under_triage"] == 0
    assert report["emergency_sensitivity"] == 1.0
    assert report["per_level_accuracy"]["self_care"] >= 0.8
    assert report["triage_accuracy"] >= 0.9
    assert report["top3_condition_accuracy"] >= 0.9
    assert report["questions_median"] <= 20


def test_conversation_mode_gives_the_transcript_of_every_wrong_case(conversation_report):
    wrong = {w["id"] for w in conversation_report["wrong_cases"]}
    transcripts = conversation_report["transcripts"]
    assert set(transcripts) == wrong
    for record in transcripts.values():
        assert {"understood", "unclear", "turns"} <= set(record)
        for turn in record["turns"]:
            assert turn["question"].endswith("?") and turn["answer"]


def test_conversation_transcript_answers_come_from_the_vignette(tmp_path, shared_dir):
    """One case, shown whole: asked age and sex first, answered from the vignette; a
    symptom it does not mention is "no", an examination finding "not sure"."""
    line = json.dumps({
        "id": "conv-1", "age": 67, "sex": None, "gold_triage": "emergency",
        "free_text": "My back hurts.",
        "findings": {"back_pain": True, "saddle_anaesthesia": True, "fever": None}})
    path = tmp_path / "one.jsonl"
    path.write_text(line + "\n")
    proc = spinecare("eval", "triage", str(path), "--mode", "conversation", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["n"] == 1 and report["malformed_lines"] == []
    assert report["questions_max"] >= 3
    # Not wrong, so no transcript: run it again with a gold level it cannot reach.
    line = json.loads(line)
    line["gold_triage"] = "self_care"
    path.write_text(json.dumps(line) + "\n")
    report = json.loads(spinecare("eval", "triage", str(path), "--mode", "conversation",
                                  "--json").stdout)
    assert report["wrong_cases"][0]["predicted_triage"] == "emergency"
    turns = {t["finding"]: t["answer"] for t in report["transcripts"]["conv-1"]["turns"]}
    assert turns["age"] == "67 years"
    assert turns["sex"] == "not sure"  # sex null: the person states none
    assert turns["saddle_anaesthesia"] == "yes"
    assert list(turns)[-1] == "saddle_anaesthesia"  # an emergency stops the questions
    assert all(answer == "no" for key, answer in turns.items()
               if key not in ("age", "sex", "saddle_anaesthesia", "fever"))


def test_conversation_table_lists_questions_and_transcripts(tmp_path, shared_dir):
    first = json.loads((shared_dir / "eval" / "dev_vignettes.jsonl").read_text()
                       .splitlines()[0])
    first["gold_triage"] = "emergency" if first["gold_triage"] != "emergency" else "self_care"
    path = tmp_path / "wrong.jsonl"
    path.write_text(json.dumps(first) + "\n")
    proc = spinecare("eval", "triage", str(path), "--mode", "conversation")
    assert proc.returncode == 0, proc.stderr
    assert "questions asked: median" in proc.stdout
    assert f"Transcript of {first['id']}" in proc.stdout
