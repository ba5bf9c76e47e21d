"""The interview cookie carries the person's own words (at most 2,000 characters) and
always stays within a browser's 4 KB cookie, however little the words compress."""

from __future__ import annotations

import random

from spinecare.entrypoints.web.pages._interview import (
    MAX_COOKIE_CHARS,
    dump_state,
    from_text,
    load_state,
)
from spinecare.services.triage import OWN_WORDS_CHARS

SECRET = "unit-test-secret-0123456789-abcdefghijklmnop"


def test_the_words_ride_along_and_are_capped() -> None:
    words = "My legs ache when I walk to the shops. " * 100  # 3,900 characters
    state = from_text({"leg_pain": True}, [], {"leg_pain": ["legs ache"]}, words=words)
    token = dump_state(state, SECRET)
    back = load_state(token, SECRET)
    assert back.words == words[:OWN_WORDS_CHARS] and len(back.words) == 2000
    assert back.given == state.given and back.quotes == state.quotes
    assert len(token) <= MAX_COOKIE_CHARS  # repetitive text compresses well
    # Answers later in the interview keep the words.
    assert load_state(dump_state(back.answered(0, "age", 70), SECRET), SECRET).words == \
        back.words


def test_words_that_do_not_compress_are_shortened_never_the_answers() -> None:
    rng = random.Random(7)
    words = "".join(chr(rng.randrange(0x400, 0x4FF)) for _ in range(2000))  # Cyrillic noise
    quotes = {"leg_pain": [words[i:i + 60] for i in range(0, 1500, 60)]}
    state = from_text({"leg_pain": True, "back_pain": True}, ["bladder_dysfunction"], quotes,
                      words=words)
    token = dump_state(state, SECRET)
    assert len(token) <= MAX_COOKIE_CHARS
    back = load_state(token, SECRET)
    assert back.given == state.given and back.ask == state.ask
    assert words.startswith(back.words) and len(back.words) < len(words)


def test_a_check_without_words_keeps_the_compact_cookie() -> None:
    from spinecare.entrypoints.web.pages._interview import InterviewState

    token = dump_state(InterviewState([("age", 61)]), SECRET)
    assert load_state(token, SECRET).words == ""
