"""`spinecare diary export` and `import` as a host runs them: a real process, a real
database; an import with a bad row stores nothing and names the line."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from web_fixtures import SPINECARE_BIN


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SPINECARE_DATA_DIR": str(data_dir)}
    environment.pop("SPINECARE_DATABASE_URL", None)
    return subprocess.run([str(SPINECARE_BIN), *args], env=environment, capture_output=True,
                          text=True, timeout=120)


def test_import_then_export_round_trip_and_a_bad_file_stores_nothing(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").returncode == 0
    assert run(tmp_path, "demo", "load").returncode == 0
    email = "ana@spinecare.test"
    day = (datetime.now(UTC).date() - timedelta(days=400)).isoformat()
    good = tmp_path / "good.csv"
    good.write_text(f"date,back_pain,leg_pain,notes\n{day},3,6,=SUM(A1)\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"date,back_pain\n{day},2\n2001-02-30,1\n", encoding="utf-8")
    refused = run(tmp_path, "diary", "import", "--patient", email, str(bad))
    assert refused.returncode != 0
    assert "line 3" in refused.stderr and "nothing was imported" in refused.stderr
    assert "Traceback" not in refused.stderr
    imported = run(tmp_path, "diary", "import", "--patient", email, str(good))
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "out.csv"
    exported = run(tmp_path, "diary", "export", "--patient", email, "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if line.startswith(day))
    assert row.startswith(f"{day},3,6,") and "'=SUM(A1)" in row  # neutralised on the way out
    unknown = run(tmp_path, "diary", "export", "--patient", "nobody@example.org", "--out",
                  str(out))
    assert unknown.returncode != 0 and "no patient account" in unknown.stderr
