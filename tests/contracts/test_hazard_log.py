"""The hazard log's controls are proved by tests that exist."""

from __future__ import annotations

import re

from repo_paths import REPO_ROOT

REPO = REPO_ROOT


def test_every_test_cited_in_the_hazard_log_exists():
    log = (REPO / "docs" / "safety" / "hazard-log.md").read_text(encoding="utf-8")
    cited = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", log)
    assert len(cited) >= 30
    missing = []
    for path, name in cited:
        file = REPO / path
        if not file.is_file():
            missing.append(path)
        elif name and not re.search(rf"def {name}\b", file.read_text(encoding="utf-8")):
            missing.append(f"{path}::{name}")
    assert not missing, f"hazard log cites tests that do not exist: {missing}"


def test_every_hazard_row_names_a_control_and_a_test():
    log = (REPO / "docs" / "safety" / "hazard-log.md").read_text(encoding="utf-8")
    rows = [line for line in log.splitlines() if re.match(r"\| H-\d+ \|", line)]
    assert len(rows) >= 25
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 6, row  # id, hazard, severity, cause, control, proved by
        assert cells[4] and "`tests/" in cells[5], row
