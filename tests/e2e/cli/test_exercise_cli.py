"""``spinecare exercise`` as a real process: the programme for a condition (no database)
and the library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _run(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPINECARE_DATA_DIR": str(tmp / "data"),
           "SPINECARE_DATABASE_URL": f"sqlite:///{tmp}/never.sqlite3", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "spinecare", "exercise", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_plan_for_stenosis_as_json_has_no_extension_and_needs_no_database(tmp_path: Path) -> None:
    done = _run("plan", "--condition", "lumbar_spinal_stenosis", "--json", tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["bias"] == "flexion" and data["weekly"]["total_sessions"] == 12
    assert all(e["direction"] != "extension" for e in data["home"] + data["conditioning"])
    assert any(r["id"] == "pua-2007" for r in data["references"])
    assert not (tmp_path / "never.sqlite3").exists()


def test_plan_in_words_and_an_unknown_condition(tmp_path: Path) -> None:
    done = _run("plan", "--condition", "cervical_radiculopathy", tmp=tmp_path)
    assert done.returncode == 0 and "Chin tuck" in done.stdout and "/exercise" in done.stdout
    bad = _run("plan", "--condition", "flu", tmp=tmp_path)
    assert bad.returncode == 2 and "unknown condition" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_library_lists_and_shows_one(tmp_path: Path) -> None:
    listed = _run("library", tmp=tmp_path)
    assert listed.returncode == 0 and "knee_to_chest_single" in listed.stdout
    one = _run("library", "prone_lying", tmp=tmp_path)
    assert one.returncode == 0 and "Stop if" in one.stdout and "long-2004" in one.stdout
    missing = _run("library", "nothing", tmp=tmp_path)
    assert missing.returncode == 2 and "no exercise" in missing.stderr.lower()
