"""`spinecare rules --source` in a real process: the code the engine runs, readable."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from repo_paths import REPO_ROOT
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE


def test_rules_source_prints_the_generated_code_with_every_rule_id(tmp_path: Path) -> None:
    env = {**os.environ, "SPINECARE_DATA_DIR": str(tmp_path)}  # nothing of the user's
    proc = subprocess.run([sys.executable, "-m", "spinecare", "rules", "--source"],
                          capture_output=True, text=True, timeout=120, cwd=REPO_ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    source = proc.stdout
    code = compile(source, "<rules --source>", "exec")  # valid Python as printed
    namespace: dict[str, object] = {"inf": float("inf")}
    exec(code, namespace)
    assert callable(namespace["triage_tests"])
    assert "# RF-CES-SADDLE" in source
    for rule in BUILTIN_KNOWLEDGE.rules:
        assert re.search(rf",  # {re.escape(rule.id)}$", source, re.MULTILINE), rule.id
    assert "\n    spinal_pain = " in source  # shared groups are named, not _s0, _s1 ...
