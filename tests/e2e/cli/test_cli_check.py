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

PROMPT_END = "> "
CORRECT_PROMPT = "Is this right? (enter = yes, or type the number of a line to change it) > "
TIMEOUT_S = 30.0


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPINECARE_")}
    env.update({"COLUMNS": "100", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def flat(text: str) -> str:
    """Whitespace-normalised text without panel borders: Rich wraps long lines in the box."""
    return " ".join(text.replace("│", " ").split())


def run_check(
    *args: str, stdin: str = "", env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spinecare", "check", *args],
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
            [sys.executable, "-m", "spinecare", "check", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env) if env is not None else _env(),
        )
        # Everything read so far, per stream (file descriptor -> text).
        self.seen: dict[int, str] = {}

    def read_until_prompt(self) -> str | None:
        """The text printed since the last answer; None when the process ended instead."""
        return self._read_until_prompt(self.proc.stdout)

    def _read_until_prompt(self, stream: Any) -> str | None:
        assert stream is not None
        fd = stream.fileno()
        chunk = b""
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            text = chunk.decode("utf-8", errors="replace")
            if text.endswith(PROMPT_END):
                self.seen[fd] = self.seen.get(fd, "") + text
                return text
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.proc.kill()
                raise AssertionError(
                    f"no prompt within {TIMEOUT_S}s; got:\n{self.seen.get(fd, '')}{text}"
                )
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            data = os.read(fd, 65536)
            if not data:
                self.seen[fd] = self.seen.get(fd, "") + text
                return None
            chunk += data

    def read_until_prompt_stderr(self) -> str | None:
        """Like read_until_prompt, for --json where the questions go to stderr."""
        return self._read_until_prompt(self.proc.stderr)

    def answer(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def finish(self) -> tuple[int, str, str]:
        """End of input, wait; returns (exit code, all stdout, all stderr)."""
        assert self.proc.stdout is not None and self.proc.stderr is not None
        out_fd, err_fd = self.proc.stdout.fileno(), self.proc.stderr.fileno()
        rest_out, rest_err = self.proc.communicate(timeout=TIMEOUT_S)
        code = self.proc.returncode
        all_out = self.seen.get(out_fd, "") + rest_out.decode("utf-8", errors="replace")
        all_err = self.seen.get(err_fd, "") + rest_err.decode("utf-8", errors="replace")
        return code, all_out, all_err


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
        if block.endswith(CORRECT_PROMPT):
            session.answer("")  # what the words said is right
            continue
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


def _write(tmp_path: Path, data: Any, name: str = "findings.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- the interview -----------------------------------------------------------------------


def test_emergency_answer_stops_the_interview_and_shows_the_emergency_number():
    code, out, err, asked = interview(CAUDA_EQUINA)

    assert code == 0, err
    text = flat(out)
    assert "CALL 112 NOW" in text
    assert "We stopped the questions because this needs help now." in text
    assert "cauda equina" in text.lower()
    # Stopped at the first red flag answered "yes": no question after it.
    last = asked[-1]
    assert CAUDA_EQUINA[last] is True
    assert all(CAUDA_EQUINA.get(k) is not True for k in asked[:-1] if VOCABULARY[k].group.value
               == "nerves_and_red_flags")
    assert "Knowledge version" in text and "not a diagnosis" in text


def test_emergency_number_follows_the_country_setting():
    code, out, _, _ = interview(CAUDA_EQUINA, env=_env(SPINECARE_COUNTRY="GB"))

    assert code == 0
    assert "CALL 999 or 112 NOW" in flat(out)


def test_simple_back_pain_answered_no_to_every_warning_sign_ends_at_self_care():
    code, out, err, asked = interview(SIMPLE_BACK_PAIN)

    assert code == 0, err
    text = flat(out)
    assert "SELF-CARE" in text
    assert "What to do now" in text and "What to watch for" in text
    assert "non-specific low back pain" in text.lower()
    assert "rule DX-" in text  # every reason shows its rule id
    assert "NICE NG59 2016" in text  # and its short citation
    assert "EMERGENCY" not in text
    # Age and sex first; the red-flag screen before the result.
    assert asked[:2] == ["age", "sex"]
    for flag in ("saddle_anaesthesia", "bladder_dysfunction"):
        assert flag in asked


def test_back_goes_back_one_question_and_undoes_the_answer():
    session = Session()
    block = session.read_until_prompt()
    assert block is not None and asked_question(block) == (1, "How old are you?")
    session.answer("b")  # nothing before the first question
    block = session.read_until_prompt()
    assert block is not None and "Nothing to go back to" in block
    session.answer("30")
    block = session.read_until_prompt()
    assert block is not None and asked_question(block) == (2, "What is your sex?")
    session.answer("b")
    block = session.read_until_prompt()
    assert block is not None
    assert "Going back one question." in block
    assert asked_question(block) == (1, "How old are you?")  # the same question again
    session.answer("q")
    code, transcript, _ = session.finish()
    assert code == 1
    assert "2. What is your sex?" in transcript


def test_back_then_a_different_answer_replaces_the_first_one(tmp_path: Path):
    """Say yes to fever, go back, say no: the result must be the same as never saying yes."""
    session = Session("--json")
    asked: list[str] = []
    went_back = False
    while True:
        block = session.read_until_prompt_stderr()
        if block is None:
            break
        _, text = asked_question(block)
        key = finding_for(text)
        asked.append(key)
        if key == "fever" and not went_back:
            session.answer("y")
            block = session.read_until_prompt_stderr()
            assert block is not None
            assert finding_for(asked_question(block)[1]) != "fever"
            session.answer("b")
            went_back = True
            continue
        session.answer(persona_answer(key, SIMPLE_BACK_PAIN))
    code, out, err = session.finish()
    assert code == 0, err
    assert went_back
    result = json.loads(out)
    assert result["level"] == "self_care"
    assert not any("fever" in json.dumps(r).lower() for r in result["reasons"])


def test_quit_stops_without_a_result_and_says_nothing_was_stored():
    done = run_check(stdin="45\nq\n")

    assert done.returncode == 1
    text = flat(done.stdout)
    assert "No result was produced" in text and "Nothing was stored." in text
    assert "What to do now" not in text


def test_end_of_input_mid_interview_is_a_stop_not_a_result():
    done = run_check(stdin="45\n")

    assert done.returncode == 1
    assert "input ended" in flat(done.stdout)
    assert "What to do now" not in done.stdout


def test_bad_numbers_are_refused_with_the_reason_and_asked_again():
    done = run_check(stdin="abc\n400\n42.5\n42\nq\n")

    text = flat(done.stdout)
    assert "'abc' is not a number" in text
    assert "400 is out of range: the answer must be from 0 to 120" in text
    assert "Please give a whole number from 0 to 120" in text
    assert "2. What is your sex?" in text  # 42 was accepted
    assert text.count("1. How old are you?") == 1  # asked again in place, not restarted


def test_help_explains_the_question_without_answering_it():
    done = run_check(stdin="40\nmale\nh\nq\n")

    text = flat(done.stdout)
    assert "Why we ask now:" in text
    assert "3." in text and "4." not in text.split("Why we ask now:")[1]


def test_not_sure_to_a_red_flag_keeps_it_open_and_is_not_asked_again():
    persona = dict(SIMPLE_BACK_PAIN)
    persona["bladder_dysfunction"] = None  # the person is not sure

    code, out, err, asked = interview(persona)

    assert code == 0, err
    assert asked.count("bladder_dysfunction") == 1
    text = flat(out)
    assert "PROVISIONAL" in text and "provisional result" in text
    open_part = text.split("Still to answer", 1)[1]
    assert flat(VOCABULARY["bladder_dysfunction"].question) in open_part


# -- findings files --------------------------------------------------------------------


def test_findings_file_json_output_is_the_result_dict(tmp_path: Path):
    findings = {k: v for k, v in SIMPLE_BACK_PAIN.items()}
    done = run_check("--findings", str(_write(tmp_path, findings)), "--json")

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["level"] == "self_care"
    assert result["complete"] is True
    assert result["knowledge_version"]
    assert result["advice"]["emergency_number"] == "112"
    assert result["conditions"][0]["id"] == "nonspecific_low_back_pain"
    assert done.stderr == ""


def test_a_check_opens_no_database_and_never_imports_sqlalchemy(tmp_path: Path):
    # Nothing is stored, so the check runs on the symptom-check service alone: no database
    # file in the data dir, and SQLAlchemy (a third of a second to import) is never loaded.
    data = tmp_path / "data"
    findings = _write(tmp_path, dict(SIMPLE_BACK_PAIN))
    code = ("import runpy, sys\n"
            "sys.argv = ['spinecare', 'check', '--findings', sys.argv[1], '--json']\n"
            "try:\n    runpy.run_module('spinecare', run_name='__main__')\n"
            "except SystemExit as stop:\n    assert not stop.code, stop.code\n"
            "print('SQLALCHEMY' if 'sqlalchemy' in sys.modules else 'NO-SQLALCHEMY')\n")
    done = subprocess.run(
        [sys.executable, "-c", code, str(findings)], capture_output=True, text=True,
        timeout=TIMEOUT_S, env=_env(SPINECARE_DATA_DIR=str(data)),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout[:done.stdout.rindex("}") + 1])["level"] == "self_care"
    assert done.stdout.rstrip().endswith("\nNO-SQLALCHEMY")
    stored = [p for p in data.rglob("*") if p.suffix in (".db", ".sqlite", ".sqlite3")]
    assert stored == []


def test_findings_file_emergency_panel(tmp_path: Path):
    path = _write(tmp_path, {"back_pain": True, "saddle_anaesthesia": True,
                             "bladder_dysfunction": True})

    done = run_check("--findings", str(path), "--age", "50", "--sex", "male", "--country", "us")

    assert done.returncode == 0, done.stderr
    text = flat(done.stdout)
    assert "CALL 911 NOW" in text
    assert "RF-CES" in text


def test_vignette_line_is_accepted_as_a_findings_file(tmp_path: Path, shared_dir: Path):
    line = (shared_dir / "eval" / "dev_vignettes.jsonl").read_text().splitlines()[1]
    vignette = json.loads(line)
    assert vignette["gold_triage"] == "emergency"

    done = run_check("--findings", str(_write(tmp_path, vignette)), "--json")

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["level"] == "emergency"


def test_findings_file_result_panel_lists_open_red_flag_questions(tmp_path: Path):
    path = _write(tmp_path, {"age": 70, "sex": "female", "back_pain": True})

    done = run_check("--findings", str(path))

    assert done.returncode == 0, done.stderr
    text = flat(done.stdout)
    assert "PROVISIONAL" in text and "Provisional: these questions are still open" in text
    assert "Still to answer" in text
    assert "Knowledge version" in text


# -- free text -------------------------------------------------------------------------


def test_text_with_json_and_no_terminal_asks_nothing():
    done = run_check(
        "--json", "--age", "71", "--sex", "male",
        "--text", "My legs ache when I walk but not on my bike, and no problems peeing.",
    )

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)  # stdout is JSON only
    assert result["level"] in {"routine", "urgent", "self_care", "emergency"}
    assert "What I understood" in done.stderr
    assert "> " not in done.stderr  # no question was asked


def test_text_then_only_the_missing_questions_are_asked():
    persona = dict(SIMPLE_BACK_PAIN)
    code, out, err, asked = interview(
        persona, "--text", "I am 29. My lower back aches, no fever, and I pee normally."
    )

    assert code == 0, err
    assert "What I understood" in out
    assert "fever" not in asked
    assert "bladder_dysfunction" not in asked
    assert "back_pain" not in asked


def test_list_findings_json_names_every_vocabulary_key_with_its_allowed_values():
    done = run_check("--list-findings", "--json")

    assert done.returncode == 0, done.stderr
    listed = {item["key"]: item for item in json.loads(done.stdout)}
    assert set(listed) == set(VOCABULARY)
    assert listed["pain_score"]["allowed"] == "a number from 0 to 10"


def test_unknown_key_error_points_to_the_list_of_keys(tmp_path: Path):
    done = run_check("--findings", str(_write(tmp_path, {"sadle_anaesthesia": True})))

    assert done.returncode == 2
    text = flat(done.stderr)
    assert "sadle_anaesthesia: is not a known finding. Did you mean 'saddle_anaesthesia'?" in text
    assert "spinecare check --list-findings" in text


def test_not_sure_about_bladder_control_is_not_sent_home():
    """A 'not sure' to an emergency sign raises the level to at least urgent."""
    from spinecare.clinical.findings import Findings
    from spinecare.clinical.triage.engine import TriageEngine
    from spinecare.clinical.triage.interview import next_question
    from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE

    engine = TriageEngine(BUILTIN_KNOWLEDGE)
    truth = {"age": 35, "sex": "female", "back_pain": True, "leg_pain": False,
             "neck_pain": False, "arm_pain": False, "thoracic_pain": False,
             "numbness_tingling_legs": False, "numbness_tingling_arms_hands": False,
             "pain_mechanical": True, "duration_weeks": 1}
    answers: list[str] = []
    findings: dict = {}
    skipped: set[str] = set()
    while (q := next_question(Findings(findings), engine, skipped)) is not None:
        if q.finding == "bladder_dysfunction":
            answers.append("?")
            skipped.add(q.finding)
        elif q.finding in truth:
            value = truth[q.finding]
            answers.append(("y" if value else "n") if isinstance(value, bool) else str(value))
            findings[q.finding] = value
        else:
            answers.append("n" if q.kind == "bool" else "?")
            if q.kind == "bool":
                findings[q.finding] = False
            else:
                skipped.add(q.finding)
    proc = run_check(stdin="\n".join(answers) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = flat(proc.stdout)
    assert "URGENT" in out.upper()
    assert "RF-UNSURE-EMERGENCY-SIGN" in out


def test_text_left_unclear_is_asked_directly_first():
    proc = run_check("--text", "my lower back hurts and I'm not sure about my bladder",
                     stdin="\n44\nfemale\nq\n")
    out = flat(proc.stdout + proc.stderr)
    # After age and sex, the unclear warning sign is the first question.
    asked = flat(VOCABULARY["bladder_dysfunction"].question)
    assert asked in out
    assert out.index(asked) > out.index("female")


# -- one interview, one reading of answers (issue 9 §1) --------------------------------


def test_numbers_in_words_are_read_and_nan_is_refused_with_a_clear_message():
    done = run_check(stdin="nan\nforty two\nq\n")

    text = flat(done.stdout)
    assert "'nan' is not a number that can be used here" in text
    assert "Traceback" not in done.stdout + done.stderr
    assert "2. What is your sex?" in text  # "forty two" was accepted as the age
    assert text.count("1. How old are you?") == 1


def test_text_unclear_emergency_sign_counts_as_not_sure_without_questions():
    """Hazard (issue 9 §3): the intake's "uncertain" on an emergency sign is never "no".
    With --json and no terminal nothing is asked, so it must count as "not sure"."""
    done = run_check("--json", "--age", "40", "--sex", "female",
                     "--text", "my lower back hurts and I'm not sure about my bladder")

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["level"] in {"urgent", "emergency"}
    assert any(r["rule_id"] == "RF-UNSURE-EMERGENCY-SIGN"
               and "bladder_dysfunction" in r["findings"] for r in result["reasons"])


_ROW = re.compile(r"│\s*(\d+)\s*│\s*([^│]+?)\s*│\s*([^│]+?)\s*│")


def _rows(block: str) -> dict[str, tuple[int, str]]:
    """The numbered lines of the 'what I understood' table: meaning -> (number, answer)."""
    return {m.group(2): (int(m.group(1)), m.group(3)) for m in _ROW.finditer(block)}


def test_text_lets_the_person_correct_a_line_before_the_questions():
    session = Session("--text", "I am 29 and my lower back aches. No fever.")
    block = session.read_until_prompt()
    assert block is not None and block.endswith(CORRECT_PROMPT)
    rows = _rows(block)
    fever_line = next(number for meaning, (number, answer) in rows.items()
                      if meaning.startswith("measured or felt fever"))
    assert rows[next(m for m in rows if m.startswith("measured or felt fever"))][1] == "no"
    session.answer("99")  # not a line: explained, asked again
    block = session.read_until_prompt()
    assert block is not None and "Type a line number from 1 to" in block
    session.answer(str(fever_line))
    block = session.read_until_prompt()
    assert block is not None
    assert asked_question(block) == (fever_line, VOCABULARY["fever"].question)
    session.answer("yeah")
    block = session.read_until_prompt()
    assert block is not None and block.endswith(CORRECT_PROMPT)
    corrected = _rows(block)
    assert corrected[next(m for m in corrected if m.startswith("measured or felt fever"))][1] \
        == "yes"
    session.answer("")  # now it is right
    block = session.read_until_prompt()
    assert block is not None
    _, text = asked_question(block)
    assert finding_for(text) == "sex"  # age came from the words; sex is asked first
    session.answer("q")
    code, _, _ = session.finish()
    assert code == 1
