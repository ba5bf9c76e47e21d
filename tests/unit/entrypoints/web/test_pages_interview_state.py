"""The web interview's state (signed cookie) and answer parsing, with the real interview."""

from __future__ import annotations

import pytest

from spinecare.clinical.triage.conversation import Conversation
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.entrypoints.web.pages._interview import (
    InterviewState,
    dump_state,
    load_state,
    parse_answer,
)

SECRET = "unit-test-secret-0123456789-abcdefghijklmnop"
ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)


def test_state_round_trips_through_the_signed_cookie() -> None:
    state = InterviewState([("age", 61), ("sex", "female"), ("back_pain", True), ("fever", None)])
    assert load_state(dump_state(state, SECRET), SECRET).answers == state.answers


@pytest.mark.parametrize("token", ["", "garbage", "eyJhIjogMX0.bad.signature"])
def test_a_missing_or_tampered_cookie_starts_a_fresh_interview(token: str) -> None:
    assert load_state(token, SECRET).answers == []


def test_a_cookie_signed_with_another_key_is_ignored() -> None:
    token = dump_state(InterviewState([("bladder_dysfunction", False)]), "another-secret-key-xyz")
    assert load_state(token, SECRET).answers == []


def test_a_cookie_with_an_unknown_finding_is_ignored() -> None:
    # Signed correctly but no longer valid (e.g. the vocabulary changed): start again.
    token = dump_state(InterviewState([("not_a_finding", True)]), SECRET)
    assert load_state(token, SECRET).answers == []


def test_answering_an_earlier_screen_drops_the_answers_after_it() -> None:
    state = InterviewState([("age", 61), ("sex", "female"), ("back_pain", True)])
    changed = state.answered(1, "sex", "male")
    assert changed.answers == [("age", 61), ("sex", "male")]


def test_not_sure_stays_unknown_and_is_not_asked_again() -> None:
    first = InterviewState().conversation(0).next_question(ENGINE)
    assert first is not None
    state = InterviewState([(first.finding, None)])
    assert first.finding not in state.findings()
    second = state.conversation(1).next_question(ENGINE)
    assert second is None or second.finding != first.finding


def test_screen_n_shows_the_question_that_follows_the_first_n_answers() -> None:
    state = InterviewState([("age", 70), ("sex", "male"), ("back_pain", True)])
    for n in range(len(state.answers) + 1):
        expected = Conversation(answers=tuple(state.answers[:n])).next_question(ENGINE)
        shown = state.conversation(n).next_question(ENGINE)
        assert (shown.finding if shown else None) == (expected.finding if expected else None)


def _question(key: str):  # type: ignore[no-untyped-def]
    from spinecare.clinical.triage.interview import question_for

    return question_for(key, "test")


@pytest.mark.parametrize(
    ("key", "form", "value"),
    [
        ("bladder_dysfunction", {"answer": "yes"}, True),
        ("bladder_dysfunction", {"answer": "no"}, False),
        ("bladder_dysfunction", {"answer": "unsure"}, None),
        ("sex", {"answer": "female"}, "female"),
        ("age", {"value": "64"}, 64),
        ("walking_distance_m", {"value": "1,500 m"}, 1500),
        ("walking_distance_m", {"value": "about 200 m"}, 200),
        ("walking_distance_m", {"value": "1.5 km"}, 1500),
        ("duration_weeks", {"value": "3 months"}, 13),
        ("pain_score", {"value": "7,5"}, 7.5),
        ("age", {"answer": "unsure", "value": ""}, None),
    ],
)
def test_answers_are_parsed(key: str, form: dict[str, str], value: object) -> None:
    assert parse_answer(_question(key), form) == (value, None)


@pytest.mark.parametrize(
    ("key", "form", "message"),
    [
        ("bladder_dysfunction", {}, "Choose yes, no or not sure."),
        ("sex", {"answer": "other"}, "Choose one of the answers, or not sure."),
        ("age", {"value": ""}, "Enter a number"),
        ("age", {"value": "old enough"}, "'old enough' is not a number"),
        ("age", {"value": "nan"}, "'nan' is not a number that can be used here"),
        ("age", {"value": "64.5"}, "Please give a whole number from 0 to 120 years."),
        ("age", {"value": "130"}, "130 is out of range: the answer must be from 0 to 120 years."),
        ("walking_distance_m", {"value": "3 furlongs"}, "'furlongs' is not a unit I know"),
    ],
)
def test_bad_answers_get_a_message_that_says_how_to_fix_them(
    key: str, form: dict[str, str], message: str
) -> None:
    value, error = parse_answer(_question(key), form)
    assert value is None and error is not None and message in error
    assert "(?)" not in error  # the web's "not sure" is a button, not a typed "?"


def test_an_unclear_emergency_sign_counts_as_not_sure_until_it_is_answered() -> None:
    """Hazard (issue 9 §3): the intake's "uncertain" on an emergency sign is never "no"."""
    from spinecare.entrypoints.web.pages._interview import from_text

    state = from_text({"age": 40, "sex": "female", "back_pain": True},
                      ["bladder_dysfunction", "smoker"], {})
    assert "bladder_dysfunction" in state.unsure_for_result()
    assert "smoker" not in state.unsure_for_result()  # not an emergency sign
    answered = state.answered(0, "bladder_dysfunction", False)
    assert "bladder_dysfunction" not in answered.unsure_for_result()


# --- a check that starts from the person's own words -----------------------------------

def test_text_answers_round_trip_and_count_as_known() -> None:
    from spinecare.entrypoints.web.pages._interview import from_text

    state = from_text({"age": 68, "leg_pain": True, "fever": False},
                      ["back_pain", "bladder_dysfunction", "age"],
                      {"leg_pain": ["“my legs ache”"], "not_given": ["“x”"]})
    # A key the text answered is never asked; red-flag uncertain keys are asked first.
    assert state.ask == ["bladder_dysfunction", "back_pain"]
    assert state.quotes == {"leg_pain": ["“my legs ache”"]}
    loaded = load_state(dump_state(state, SECRET), SECRET)
    assert (loaded.given, loaded.ask, loaded.quotes, loaded.described) == (
        state.given, state.ask, state.quotes, True)
    assert loaded.findings().data["leg_pain"] is True
    assert loaded.unsure() == set()


def test_uncertain_keys_are_asked_explicitly_then_the_interview_continues() -> None:
    from spinecare.entrypoints.web.pages._interview import from_text

    state = from_text({"age": 61, "sex": "female"}, ["bladder_dysfunction"], {})
    first = state.conversation(0).next_question(ENGINE)
    assert first is not None and first.finding == "bladder_dysfunction" and first.red_flag
    # Not an answer and not "not sure": still unknown until the person answers.
    assert "bladder_dysfunction" not in state.findings().data
    assert "bladder_dysfunction" not in state.unsure()
    answered = state.answered(0, "bladder_dysfunction", None)
    assert answered.unsure() == {"bladder_dysfunction"}
    second = answered.conversation(1).next_question(ENGINE)
    assert second is not None and second.finding not in {"bladder_dysfunction", "age", "sex"}


def test_a_correction_replaces_the_text_answer_and_restarts_the_questions() -> None:
    from spinecare.entrypoints.web.pages._interview import from_text

    state = from_text({"age": 61, "fever": False}, [], {}).answered(0, "sex", "male")
    corrected = state.corrected([("age", 61), ("fever", None)])
    assert corrected.answers == []
    assert "fever" not in corrected.findings().data and corrected.unsure() == {"fever"}


def test_an_emergency_in_the_text_asks_nothing_more() -> None:
    from spinecare.entrypoints.web.pages._interview import from_text

    state = from_text({"saddle_anaesthesia": True, "bladder_dysfunction": True},
                      ["bowel_dysfunction"], {})
    assert state.conversation(0).next_question(ENGINE) is None


def test_invalid_extracted_values_are_left_out_not_fatal() -> None:
    from spinecare.adapters.intake.understood import understood, valid_findings

    assert valid_findings({"age": 400, "leg_pain": True}) == {"leg_pain": True}
    rows = understood({"walking_distance_m": 200.0, "fever": False}, {"fever": ["“fever”"]})
    assert [(r.answer, r.quotes) for r in rows] == [("200 m", ()), ("no", ("“fever”",))]


def test_the_longest_description_still_fits_in_the_cookie() -> None:
    """A browser silently drops a cookie over ~4 KB, which would lose the whole interview."""
    from spinecare.adapters.intake import extract_findings
    from spinecare.adapters.intake.understood import quoted_words, valid_findings
    from spinecare.entrypoints.web.pages._interview import from_text

    story = (
        "I am 72 and female. My lower back has ached for about two years, my neck hurts and "
        "both legs go heavy, numb and tingly with pins and needles after walking about 300 "
        "metres, easing when I sit down or lean forward on a shopping trolley. My hands feel "
        "clumsy, I lose weight without trying, I had cancer before, and I am not sure about "
        "my bladder or my bowels. No fever, no fall, no injury. "
    )
    text = (story * 20)[:5000]
    extraction = extract_findings(text)
    given = valid_findings(extraction.findings)
    state = from_text(given, list(extraction.uncertain), quoted_words(given, extraction.spans))
    assert len(given) >= 10
    token = dump_state(state, SECRET)
    assert len(token) < 3800, len(token)
    assert load_state(token, SECRET).given == state.given


def test_quotes_are_cut_to_a_budget_first_quote_of_each_finding_first() -> None:
    from spinecare.entrypoints.web.pages._interview import QUOTE_BUDGET_CHARS, from_text

    keys = ["back_pain", "leg_pain", "fever", "neck_pain", "arm_pain", "bladder_dysfunction"]
    findings = dict.fromkeys(keys, True)
    quotes = {k: [f"“{k} {i} " + "x" * 100 + "”" for i in range(3)] for k in keys}
    state = from_text(findings, [], quotes)
    assert sum(len(q) for v in state.quotes.values() for q in v) <= QUOTE_BUDGET_CHARS
    assert all(state.quotes[k][0] == quotes[k][0] for k in keys)  # everyone keeps one
