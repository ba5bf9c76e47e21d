"""``spinecare check --findings F --json`` and ``POST /api/v1/triage`` answer alike: the same
findings give the same JSON document, key for key and value for value (both doors hold the
same application object and print the same outcome). The CLI is a real process; the API is
the real app in process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

CASES: dict[str, dict[str, Any]] = {
    # Warning-sign questions still open: a provisional result, with its notice.
    "sciatica, provisional": {"age": 60, "sex": "female",
                              "findings": {"back_pain": True, "leg_pain": True}},
    "cauda equina, emergency": {"age": 71, "sex": "male",
                                "findings": {"bladder_dysfunction": True,
                                             "saddle_anaesthesia": True, "back_pain": True}},
    "neck pain, no age or sex": {"findings": {"neck_pain": True, "arm_pain": False}},
}


def _cli_check(body: dict[str, Any], tmp_path: Path, country: str) -> dict[str, Any]:
    findings = {**body["findings"], **{k: body[k] for k in ("age", "sex") if k in body}}
    path = tmp_path / "findings.json"
    path.write_text(json.dumps(findings), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPINECARE_")}
    env.update({"SPINECARE_DATA_DIR": str(tmp_path / "data"), "SPINECARE_COUNTRY": country,
                "PYTHONIOENCODING": "utf-8"})
    done = subprocess.run(
        [sys.executable, "-m", "spinecare", "check", "--findings", str(path), "--json"],
        capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("case", CASES)
def test_the_cli_and_the_api_give_the_same_answer_for_the_same_findings(
    case: str, client, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    body = CASES[case]
    api = client.post("/api/v1/triage", json=body)
    assert api.status_code == 200, api.text
    from_api = api.json()
    from_cli = _cli_check(body, tmp_path, client.app.state.spinecare.settings.country)
    assert from_api["saved_check_id"] is None  # anonymous: nothing stored, by either door
    assert sorted(from_cli) == sorted(from_api)
    assert from_cli == from_api
    assert not (tmp_path / "data").exists()  # the CLI check stores nothing, not even a file


def test_the_provisional_notice_reaches_both_doors(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    body = CASES["sciatica, provisional"]
    from_api = client.post("/api/v1/triage", json=body).json()
    from_cli = _cli_check(body, tmp_path, client.app.state.spinecare.settings.country)
    assert from_api["provisional"] is True and from_api["provisional_notice"]
    assert from_cli["provisional"] is True
    assert from_cli["provisional_notice"] == from_api["provisional_notice"]
