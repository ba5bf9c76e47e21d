"""`spinecare decide` in the terminal: options, prompts, JSON, errors (exit 2), summaries."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spinecare.clinical.decision import WARNING_SIGNS
from spinecare.entrypoints.cli.main import app

BASE = ["decide", "--condition", "lumbar_spinal_stenosis", "--conservative-weeks", "20",
        "--benefit", "none", "--deficit", "none", "--odi", "46", "--injections", "1",
        "--country", "GB"]
ARGS = [*BASE, "--no-red-flags"]
NO_SIGNS = [f"{k}=no" for k in WARNING_SIGNS]


@pytest.fixture()
def runner():
    return CliRunner()


def test_options_give_a_json_report(runner):
    result = runner.invoke(app, [*ARGS, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stage"] == "surgical_discussion"
    statuses = {o["option_id"]: o["status"] for o in data["options"]}
    assert statuses["decompression"] == "reasonable_now"
    assert statuses["stem_cell_injection"] == "investigational_only"
    assert data["input"]["odi"] == 46.0 and data["input"]["injections_12m"] == 1
    assert "999" in data["safety_net"]


def test_terminal_output_shows_the_grid_and_rule_ids(runner):
    result = runner.invoke(app, ARGS, env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("Step 2", "Your options now", "Option grid", "DA-PATH-NOT-ENOUGH",
                 "INVESTIGATIONAL", "Questions to ask your surgeon", "Safety net"):
        assert text in out


def test_eleven_weeks_prints_not_yet(runner):
    args = [*ARGS, "--json"]
    args[args.index("20")] = "11"
    data = json.loads(runner.invoke(app, args).stdout)
    assert data["stage"] == "conservative_first"
    assert {o["option_id"]: o["status"] for o in data["options"]}["decompression"] == "not_yet"


def test_flags_without_warning_sign_answers_are_refused_naming_them(runner):
    # Nobody to ask (no terminal): an unanswered sign is never read as "no".
    result = runner.invoke(app, [*BASE, "--sign", "fever=no", "--json"])
    assert result.exit_code == 2
    err = result.stderr
    assert f"{len(WARNING_SIGNS) - 1} warning signs are not answered" in err
    assert "saddle_anaesthesia" in err and "fever:" not in err
    assert "--sign KEY=yes|no|not_sure" in err and "Traceback" not in result.output
    assert result.stdout == ""


def test_each_sign_answered_no_gives_the_comparison(runner):
    args = [*BASE, "--json"]
    for pair in NO_SIGNS:
        args += ["--sign", pair]
    data = json.loads(runner.invoke(app, args).stdout)
    assert data["stage"] == "surgical_discussion"
    assert set(data["input"]["warning_signs"].values()) == {"no"}


def test_not_sure_about_an_emergency_sign_says_get_checked(runner):
    result = runner.invoke(app, [*ARGS, "--sign", "bladder_dysfunction=not_sure", "--json"])
    data = json.loads(result.stdout)
    assert data["stage"] == "urgent_review" and data["options"] == []
    assert "Not sure is not the same as no" in data["advice"]["text"]


def test_an_input_file_without_signs_is_refused(runner, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"condition": "lumbar_spinal_stenosis",
                                   "conservative_weeks": 20, "benefit": "none",
                                   "deficit": "none"}), encoding="utf-8")
    result = runner.invoke(app, ["decide", "--input", str(answers)])
    assert result.exit_code == 2 and "warning_signs" in result.stderr


def test_list_signs_shows_each_key_with_its_question(runner, monkeypatch):
    # The CLI's console is made once per process: whichever test imported it first fixed its
    # width, so set it here rather than through COLUMNS.
    from spinecare.entrypoints.cli.common import console

    monkeypatch.setattr(console, "width", 200)
    out = runner.invoke(app, ["decide", "--list-signs"], env={"COLUMNS": "200"}).stdout
    for key in WARNING_SIGNS:
        assert key in out
    assert "emergency" in out and "combination" in out


def test_emergency_red_flag_shows_only_the_emergency_advice(runner):
    result = runner.invoke(app, [*BASE, "--red-flag", "saddle_anaesthesia"])
    assert result.exit_code == 0
    assert "Call 999 or 112" in result.stdout
    assert "Option grid" not in result.stdout


def test_bad_values_exit_2_listing_every_problem(runner):
    args = [*ARGS]
    args[args.index("46")] = "146"
    result = runner.invoke(app, [*args, "--benefit", "great", "--red-flag", "fevr"])
    assert result.exit_code == 2
    err = result.stderr
    assert "odi" in err and "0 to 100" in err
    assert "benefit" in err and "none, some, good" in err
    assert "unknown warning sign 'fevr'" in err
    assert "Traceback" not in result.output


def test_bad_value_pair_and_summary_suffix_are_refused(runner, tmp_path):
    assert runner.invoke(app, [*ARGS, "--value", "walk_further"]).exit_code == 2
    result = runner.invoke(app, [*ARGS, "--summary", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and ".html, .md or .pdf" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_missing_answers_are_asked_warning_signs_first(runner):
    answers = "\n".join([
        *["n"] * len(WARNING_SIGNS),  # every warning sign, one by one
        "1",        # condition: lumbar spinal stenosis
        "13",       # weeks
        "1",        # benefit: none
        "1",        # deficit: none
        "0",        # injections
        "52", "", "",  # ODI, pain skipped, walking skipped
        "1", "", "", "", "", "", "", "",  # values: first answered, rest skipped
    ]) + "\n"
    result = runner.invoke(app, ["decide", "--json"], input=answers)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stage"] == "surgical_discussion"
    assert data["input"]["conservative_weeks"] == 13.0
    assert data["input"]["values"] == {"avoid_operation": "a_lot"}
    # Questions went to stderr so stdout stays pure JSON; warning signs came first.
    assert result.stderr.index("warning signs") < result.stderr.index("Which condition")
    assert data["input"]["warning_signs"] == {k: "no" for k in WARNING_SIGNS}
    for sign in list(WARNING_SIGNS.values())[:3]:
        assert sign.question[:40] in " ".join(result.stderr.split())


def test_unsure_about_a_warning_sign_says_get_checked(runner):
    answers = "?\n" + "n\n" * (len(WARNING_SIGNS) - 1)
    result = runner.invoke(app, ["decide", "--country", "GB"], input=answers)
    assert result.exit_code == 0, result.output
    assert "See a doctor within 24-48 hours" in result.stdout
    assert "Not sure is not the same as no" in " ".join(result.stdout.split())
    assert "Your options now" not in result.stdout
    assert "Which condition" not in result.stdout  # nothing more was asked


def test_end_of_input_stops_cleanly(runner):
    result = runner.invoke(app, ["decide"], input="n\n")  # then nothing: not read as "no"
    assert result.exit_code == 1
    assert "Nothing was stored" in result.stdout


def test_input_file_and_summary_files(runner, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"condition": "cervical_myelopathy", "conservative_weeks": 0,
                                   "deficit": "stable",
                                   "warning_signs": {k: False for k in WARNING_SIGNS}}),
                       encoding="utf-8")
    for name in ("s.html", "s.md"):
        result = runner.invoke(app, ["decide", "--input", str(answers), "--summary",
                                     str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "specialist opinion on surgery now" in text
        assert "fehlings-2017" in text


def test_input_file_must_be_an_object(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    result = runner.invoke(app, ["decide", "--input", str(bad)])
    assert result.exit_code == 2 and "JSON object" in result.stderr


def test_a_warning_sign_is_never_hidden_by_a_mistake_elsewhere(runner):
    # Invalid ODI and no condition at all: the emergency advice still comes first.
    result = runner.invoke(app, ["decide", "--red-flag", "bladder_dysfunction", "--odi", "300",
                                 "--country", "GB"])
    assert result.exit_code == 0, result.output
    assert "Call 999 or 112" in result.stdout
    # Without a warning sign the same mistake is an error (exit 2).
    assert runner.invoke(app, [*ARGS, "--odi", "300"]).exit_code == 2


def test_interactive_emergency_answer_stops_at_once(runner):
    result = runner.invoke(app, ["decide", "--country", "US"], input="y\n")
    assert result.exit_code == 0, result.output
    assert "Call 911" in result.stdout
    assert "Which condition" not in result.stdout  # nothing more was asked
