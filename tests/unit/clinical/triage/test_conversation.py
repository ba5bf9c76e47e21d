"""The one interview every door uses (issue 9 §1): the state machine and the reading of
typed answers. Real engine, real vocabulary; nothing mocked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.conversation import (
    PROVISIONAL_HEADLINE,
    AnswerProblem,
    Conversation,
    Parsed,
    parse_answer,
    parse_number,
    provisional_notice,
    question_about,
)
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.clinical.triage.knowledge.red_flags import UNSURE_ESCALATING_KEYS
from spinecare.clinical.triage.knowledge.screening import SCREEN
from spinecare.clinical.vocabulary import VOCABULARY, FindingType, answer_text

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)
EVERY_SCREEN_NO = {q.finding: False for q in SCREEN}


# --- reading answers -------------------------------------------------------------------

@pytest.mark.parametrize(("key", "typed", "value"), [
    ("walking_distance_m", "about 200 m", 200),
    ("walking_distance_m", "1,500 m", 1500),
    ("walking_distance_m", "1.5 km", 1500),
    ("walking_distance_m", "half a mile", 805),
    ("walking_distance_m", "two hundred metres", 200),
    ("walking_distance_m", "200m", 200),
    ("walking_distance_m", "roughly 300 yards", 274),
    ("walking_distance_m", "400", 400),
    ("duration_weeks", "3 months", 13),
    ("duration_weeks", "a year", 52),
    ("duration_weeks", "6 weeks", 6),
    ("duration_weeks", "3 days", 0.4),
    ("duration_weeks", "a couple of weeks", 2),
    ("conservative_care_weeks", "six months", 26),
    ("age", "45", 45),
    ("age", "45 years old", 45),
    ("age", "sixty-two", 62),
    ("pain_score", "7/10", 7),
    ("pain_score", "7 out of 10", 7),
    ("pain_score", "7,5", 7.5),
    ("ankle_brachial_index", "0.8", 0.8),
])
def test_numbers_are_read_with_units_and_words(key: str, typed: str, value: float) -> None:
    assert parse_number(key, typed) == value


@pytest.mark.parametrize(("key", "typed", "message"), [
    ("age", "nan", "'nan' is not a number that can be used here"),
    ("age", "inf", "'inf' is not a number that can be used here"),
    ("walking_distance_m", "-inf m", "is not a number that can be used here"),
    ("age", "130", "130 is out of range: the answer must be from 0 to 120 years"),
    ("age", "44.5", "Please give a whole number from 0 to 120 years"),
    ("pain_score", "12", "out of range"),
    ("walking_distance_m", "3 furlongs", "'furlongs' is not a unit I know here"),
    ("walking_distance_m", "a few hundred metres", "too vague"),
    ("duration_weeks", "ages", "'ages' is not a number"),
])
def test_unreadable_numbers_say_what_is_wrong_and_how_to_fix_it(
        key: str, typed: str, message: str) -> None:
    problem = parse_number(key, typed)
    assert isinstance(problem, AnswerProblem)
    assert message in problem.message
    assert "not sure" in problem.message or "out of range" in problem.message \
        or "whole number" in problem.message


@pytest.mark.parametrize(("typed", "value"), [
    ("y", True), ("Yes", True), ("yeah", True), ("yep.", True), ("I do", True),
    ("n", False), ("no", False), ("nope", False), ("nah", False), ("Not really", False),
    ("?", None), ("not sure", None), ("dunno", None), ("don't know", None),
    ("I don’t know", None), ("no idea", None),
])
def test_yes_no_and_not_sure_with_their_everyday_variants(typed: str, value: object) -> None:
    assert parse_answer(question_about("fever"), typed) == Parsed(value)


def test_a_yes_no_question_refuses_anything_else_and_an_empty_answer() -> None:
    assert isinstance(parse_answer(question_about("fever"), "sometimes"), AnswerProblem)
    assert isinstance(parse_answer(question_about("fever"), "   "), AnswerProblem)


@pytest.mark.parametrize(("typed", "value"), [
    ("1", "female"), ("2", "male"), ("f", "female"), ("Male", "male"), ("woman", "female"),
    ("not sure", None),
])
def test_choices_by_number_prefix_or_word(typed: str, value: object) -> None:
    assert parse_answer(question_about("sex"), typed) == Parsed(value)


def test_an_unknown_choice_lists_the_choices() -> None:
    problem = parse_answer(question_about("sex"), "3")
    assert isinstance(problem, AnswerProblem) and "1 (female), 2 (male)" in problem.message


NUMBER_KEYS = [k for k, d in VOCABULARY.items()
               if d.type in (FindingType.NUMBER, FindingType.INTEGER)]


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(NUMBER_KEYS), fraction=st.floats(0, 1))
def test_any_allowed_number_written_out_reads_back_as_itself(key: str, fraction: float) -> None:
    """The evaluator's simulated person types values with answer_text: the reading must
    give the value back exactly, for every number key across its whole range."""
    d = VOCABULARY[key]
    assert d.minimum is not None and d.maximum is not None
    value: float = d.minimum + fraction * (d.maximum - d.minimum)
    value = round(value) if d.type is FindingType.INTEGER or d.unit == "m" \
        else round(value, 1)
    assert parse_number(key, answer_text(key, value)) == value


# --- the state machine -----------------------------------------------------------------

def _run(state: Conversation, answers: dict[str, str], default: str = "no",
         limit: int = 80) -> tuple[Conversation, list[str]]:
    asked: list[str] = []
    for _ in range(limit):
        question = state.next_question(ENGINE)
        if question is None:
            return state, asked
        asked.append(question.finding)
        typed = answers.get(question.finding, default if question.kind == "bool" else "?")
        after = state.answer(question, typed)
        assert not isinstance(after, AnswerProblem), (question.finding, typed, after)
        state = after
    raise AssertionError(f"the interview did not end: {asked}")


def test_age_and_sex_first_then_unclear_keys_emergency_signs_first() -> None:
    state = Conversation.start({"back_pain": True}, ["smoker", "fever", "bladder_dysfunction"])
    assert state.ask_first == ("bladder_dysfunction", "fever", "smoker")
    _, asked = _run(state, {"age": "50", "sex": "male"})
    assert asked[:5] == ["age", "sex", "bladder_dysfunction", "fever", "smoker"]
    assert len(asked) == len(set(asked)), "a question was asked twice"


def test_unknown_and_already_answered_unclear_keys_are_not_asked() -> None:
    state = Conversation.start({"fever": False}, ["fever", "no_such_key", "hoffmann_sign"])
    assert state.ask_first == ()  # answered, unknown, clinician-only


def test_an_emergency_answer_stops_the_interview_at_once() -> None:
    state = Conversation.start({"age": 44, "sex": "female", "back_pain": True})
    final, asked = _run(state, {"saddle_anaesthesia": "yes"})
    assert asked[-1] == "saddle_anaesthesia"
    assert final.result(ENGINE).level is Level.EMERGENCY


def test_an_emergency_in_the_words_asks_nothing() -> None:
    state = Conversation.start({"saddle_anaesthesia": True, "bladder_dysfunction": True},
                               ["bowel_dysfunction"])
    assert state.next_question(ENGINE) is None


def test_a_person_under_16_is_not_given_the_adult_interview() -> None:
    state = Conversation.start({"age": 12, "back_pain": True})
    assert state.next_question(ENGINE) is None
    assert "AGE-UNDER-16" in {r.rule_id for r in state.result(ENGINE).reasons}


def test_not_sure_is_never_asked_again_and_stays_open() -> None:
    state = Conversation.start({"age": 40, "sex": "female", "back_pain": True})
    final, asked = _run(state, {"bladder_dysfunction": "not sure"})
    assert asked.count("bladder_dysfunction") == 1
    assert "bladder_dysfunction" in final.unsure()
    result = final.result(ENGINE)
    assert result.level >= Level.URGENT  # "not sure" to an emergency sign is never "no"
    assert "RF-UNSURE-EMERGENCY-SIGN" in {r.rule_id for r in result.reasons}
    assert result.complete is False


def test_an_unclear_emergency_sign_counts_as_not_sure_until_answered() -> None:
    """Hazard (issue 9 §3): the intake's "uncertain" on an emergency sign is "not sure" in
    the result, in every door, until the person answers it."""
    base = {"age": 40, "sex": "female", "back_pain": True, "pain_mechanical": True,
            "duration_weeks": 1, **EVERY_SCREEN_NO}
    for key in sorted(UNSURE_ESCALATING_KEYS):
        given = {k: v for k, v in base.items() if k != key}
        state = Conversation.start(given, [key])
        assert key in state.unsure_for_result()
        result = state.result(ENGINE)
        assert result.level >= Level.URGENT, key
        doubt = [r for r in result.reasons if r.rule_id == "RF-UNSURE-EMERGENCY-SIGN"]
        assert doubt and key in doubt[0].findings
        answered = state.answered(key, False)
        assert key not in answered.unsure_for_result()
        assert "RF-UNSURE-EMERGENCY-SIGN" not in {
            r.rule_id for r in answered.result(ENGINE).reasons}
    # Unclear but not an emergency sign: asked, but not escalated meanwhile.
    assert "smoker" not in Conversation.start(base, ["smoker"]).unsure_for_result()


def test_an_answer_that_cannot_be_read_leaves_the_state_as_it_was() -> None:
    state = Conversation.start({"back_pain": True})
    question = state.next_question(ENGINE)
    assert question is not None and question.finding == "age"
    problem = state.answer(question, "nan")
    assert isinstance(problem, AnswerProblem) and "not a number" in problem.message
    assert state.answers == ()


def test_back_undoes_the_last_answer_and_asks_it_again() -> None:
    state = Conversation.start({"back_pain": True})
    first = state.next_question(ENGINE)
    assert first is not None
    after = state.answer(first, "61")
    assert not isinstance(after, AnswerProblem)
    second = after.next_question(ENGINE)
    assert second is not None and second.finding == "sex"
    back = after.back()
    assert back.answers == () and back.next_question(ENGINE) == first
    assert back.back() == back  # nothing before the first question


def test_an_interview_answer_overrides_what_the_words_said() -> None:
    state = Conversation.start({"fever": True, "back_pain": True})
    corrected = state.answered("fever", False)
    assert corrected.findings()["fever"] is False
    unsure = state.corrected("fever", None)
    assert "fever" not in unsure.findings() and "fever" in unsure.unsure()


def test_a_value_the_vocabulary_refuses_cannot_be_recorded() -> None:
    with pytest.raises(ValueError):
        Conversation().answered("age", 400)
    with pytest.raises(ValueError):
        Conversation().answered("no_such_key", True)


def test_a_complete_interview_gives_a_final_result_and_an_open_one_a_provisional() -> None:
    final, _ = _run(Conversation.start({"back_pain": True}), {"age": "35", "sex": "male"})
    result = final.result(ENGINE)
    assert result.complete and provisional_notice(result) is None
    open_result = Conversation.start({"age": 35, "back_pain": True}).result(ENGINE)
    notice = provisional_notice(open_result)
    assert not open_result.complete and notice is not None
    assert notice.startswith(PROVISIONAL_HEADLINE + ":")
    for q in open_result.open_questions:
        assert q.question in notice
    assert provisional_notice(open_result.to_dict()) == notice  # stored results too
