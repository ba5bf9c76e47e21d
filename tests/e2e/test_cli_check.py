"""``spinecare check`` end to end: a real subprocess, answers piped line by line.

The interview is driven by a persona: each question printed by the CLI is matched to
its finding through the vocabulary's question text, and answered from the persona's
findings ("?" when the persona does not know). Nothing here is mocked.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from spinecare.clinical.vocabulary import VOCABULARY

PROMPT = "   > "
TIMEOUT_S = 30.0


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPINECARE_")}
    env.update({"COLUMNS": "100", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def flat(text: str) -> str:
    """Whitespace-normalised text: Rich wraps long lines at the terminal width."""
    return " ".join(text.split())


def run_check(
    *args: str, stdin: str = "", env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spinecare.cli", "check", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        env=dict(env) if env is not None else _env(),
    )


class Session:
    """A live ``spinecare check`` process: read up to each prompt, then type an answer."""

    def __init__(self, *args: str, env: Mapping[str, str] | None = None):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "spinecare.cli", "check", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env) if env is not None else _env(),
        )
        self.transcript = ""

    def read_until_prompt(self) -> str | None:
        """The text printed since the last answer; None when the process ended instead."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        chunk = b""
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            text = chunk.decode("utf-8", errors="replace")
            if text.endswith(PROMPT):
                self.transcript += text
                return text
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.proc.kill()
                raise AssertionError(
                    f"no prompt within {TIMEOUT_S}s; got:\n{self.transcript}{text}"
                )
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            data = os.read(fd, 65536)
            if not data:
                self.transcript += text
                return None
            chunk += data

    def answer(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def finish(self) -> tuple[int, str, str]:
        assert self.proc.stdout is not None and self.proc.stderr is not None
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()
        rest = self.proc.stdout.read().decode("utf-8", errors="replace")
        err = self.proc.stderr.read().decode("utf-8", errors="replace")
        code = self.proc.wait(timeout=TIMEOUT_S)
        self.transcript += rest
        return code, self.transcript, err


# Question text -> finding, from the vocabulary (the interview asks these questions).
_QUESTION_TO_KEY = {d.question: d.key for d in VOCABULARY.values() if d.question}
_NUMBERED = re.compile(r"^\s*(\d+)\. (.+?)(?:  \[warning-sign check\])?$")


def asked_question(block: str) -> tuple[int, str]:
    """The number and text of the last question printed in ``block`` (text may wrap)."""
    lines = block.splitlines()
    for i in range(len(lines) - 1, -1, -1):
        match = _NUMBERED.match(lines[i])
        if match:
            text = match.group(2)
            # Wrapped continuation lines come before the "y yes · n no …" hint line.
            for extra in lines[i + 1:]:
                stripped = extra.strip()
                if not stripped or "b back" in stripped or stripped.startswith(">"):
                    break
                text += " " + stripped
            return int(match.group(1)), text.replace("  [warning-sign check]", "").strip()
    raise AssertionError(f"no question found in:\n{block}")


def finding_for(text: str) -> str:
    for question, key in _QUESTION_TO_KEY.items():
        if " ".join(question.split()) == " ".join(text.split()):
            return key
    raise AssertionError(f"question not in the vocabulary: {text!r}")


def persona_answer(key: str, persona: Mapping[str, Any]) -> str:
    if key not in persona or persona[key] is None:
        return "?"
    value = persona[key]
    if isinstance(value, bool):
        return "y" if value else "n"
    return str(value)


def interview(persona: Mapping[str, Any], *args: str, max_questions: int = 80,
              env: Mapping[str, str] | None = None) -> tuple[int, str, str, list[str]]:
    """Answer every question from ``persona``; returns (exit code, stdout, stderr, keys asked)."""
    session = Session(*args, env=env)
    asked: list[str] = []
    for _ in range(max_questions):
        block = session.read_until_prompt()
        if block is None:
            break
        _, text = asked_question(block)
        key = finding_for(text)
        asked.append(key)
        session.answer(persona_answer(key, persona))
    else:
        session.proc.kill()
        raise AssertionError(f"more than {max_questions} questions: {asked}")
    code, out, err = session.finish()
    return code, out, err, asked


# Personas: what the person knows about themselves (anything else is "not sure").
CAUDA_EQUINA = {
    "age": 44, "sex": "female", "back_pain": True, "leg_pain": True, "leg_pain_below_knee": True,
    "leg_symptoms_bilateral": True, "saddle_anaesthesia": True, "bladder_dysfunction": True,
    "bowel_dysfunction": False, "leg_weakness": True, "leg_weakness_bilateral": True,
    "recent_worsening": True, "trauma_recent": False, "duration_weeks": 4,
}

# Acute non-specific low back pain in a young adult, every warning sign answered "no".
SIMPLE_BACK_PAIN = {
    "age": 29, "sex": "male", "duration_weeks": 0.5, "back_pain": True, "back_pain_score": 5,
    "pain_score": 5, "pain_mechanical": True, "symptoms_improving": True, "onset_sudden": False,
    "insidious_onset": False,
}
_NO_TO_THE_REST = {
    key: False for key, d in VOCABULARY.items()
    if d.type.value == "bool" and not d.clinician_only and key not in SIMPLE_BACK_PAIN
}
SIMPLE_BACK_PAIN = {**_NO_TO_THE_REST, **SIMPLE_BACK_PAIN}


def test_unknown_finding_key_in_file_exits_2_naming_it_and_the_closest_key(tmp_path: Path):
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"age": 60, "bladder_dysfuction": False}))

    done = run_check("--findings", str(path))

    assert done.returncode == 2
    assert "bladder_dysfuction" in done.stderr
    assert "bladder_dysfunction" in done.stderr  # the suggestion
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_out_of_range_value_in_file_gives_the_allowed_range(tmp_path: Path):
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"age": 400, "pain_score": 11}))

    done = run_check("--findings", str(path))

    assert done.returncode == 2
    assert "age" in done.stderr and "0 to 120" in done.stderr
    assert "pain_score" in done.stderr and "0 to 10" in done.stderr


def test_findings_file_that_is_not_an_object_is_rejected(tmp_path: Path):
    path = tmp_path / "findings.json"
    path.write_text("[1, 2]")

    done = run_check("--findings", str(path))

    assert done.returncode == 2
    assert "must hold a JSON object of findings" in flat(done.stderr)


def test_conflicting_age_in_file_and_option_is_rejected(tmp_path: Path):
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"age": 60, "back_pain": True}))

    done = run_check("--findings", str(path), "--age", "61")

    assert done.returncode == 2
    assert "age" in done.stderr and "--age" in done.stderr


def test_missing_findings_file_is_a_clear_error(tmp_path: Path):
    done = run_check("--findings", str(tmp_path / "nope.json"))

    assert done.returncode == 2
    assert "file not found" in done.stderr


def test_findings_and_text_together_are_refused(tmp_path: Path):
    path = tmp_path / "findings.json"
    path.write_text("{}")

    done = run_check("--findings", str(path), "--text", "my back hurts")

    assert done.returncode == 2
    assert "either --findings or --text" in done.stderr
