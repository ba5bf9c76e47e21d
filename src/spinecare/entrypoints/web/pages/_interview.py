"""The state of one symptom interview, carried between screens in an encrypted cookie.

The cookie is encrypted and authenticated (Fernet: AES-128-CBC with HMAC-SHA256, key
derived from the secret key by HKDF), so the person's answers and own words cannot be read
from it by anyone who copies it, and it expires 30 minutes after the last answer. It is a
browser-session cookie (gone when the browser closes) and is deleted at sign-in and
sign-out, so the next person at a shared computer never sees it (security review, finding 6).

The answers so far are an ordered list of (finding key, value); ``None`` is "not
sure". Screen *n* shows the question that follows the first *n* answers, so the
browser's back button (a GET of screen n-1) simply shows the earlier question with
its answer ticked, and answering it again drops everything after it.

A check that starts from the person's own words also carries ``given`` (the answers
the text gave, corrected on the "what we understood" screen), ``ask`` (keys the text
was unsure about: asked explicitly, first), ``quotes`` (the words behind each) and
``words`` (the description itself, at most ``OWN_WORDS_CHARS``: saved with a signed-in
person's check and printed on the result). Such a payload is compressed (the quotes are
pieces of the words) and the words are shortened further if the cookie would still pass
``MAX_COOKIE_CHARS``, so it always fits in a browser's 4 KB cookie.

The interview itself — which question comes next, how an answer is read, the result with
its "not sure" keys — is the shared ``Conversation`` of the clinical core (the same one
as the CLI, the API and the evaluator); this module only carries it between screens.
"""

from __future__ import annotations

import base64
import json
import secrets
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from spinecare.clinical.findings import Findings, FindingsError
from spinecare.clinical.triage import conversation as talk
from spinecare.clinical.triage.conversation import Conversation
from spinecare.clinical.triage.interview import Question
from spinecare.clinical.vocabulary import VOCABULARY, FindingType
from spinecare.services.triage import OWN_WORDS_CHARS

COOKIE = "spinecare_check"
MAX_AGE_SECONDS = 30 * 60  # an interview left for 30 minutes starts again
_KEY_INFO = b"spinecare interview state v2"
_PROCESS_SECRET = secrets.token_urlsafe(32)  # used only when no secret key is configured

Answer = tuple[str, Any]


@dataclass(slots=True)
class InterviewState:
    answers: list[Answer] = field(default_factory=list)
    given: list[Answer] = field(default_factory=list)
    ask: list[str] = field(default_factory=list)
    quotes: dict[str, list[str]] = field(default_factory=dict)
    described: bool = False  # the check started from the person's own words
    words: str = ""  # those words (at most OWN_WORDS_CHARS)

    @property
    def from_text(self) -> bool:
        return self.described or bool(self.given or self.ask)

    def conversation(self, upto: int | None = None) -> Conversation:
        """The shared interview after the first ``upto`` answers (all when None)."""
        answers = self.answers if upto is None else self.answers[:max(0, upto)]
        return Conversation(tuple(self.given), tuple(self.ask), tuple(answers))

    def findings(self, upto: int | None = None) -> Findings:
        return self.conversation(upto).findings()

    def unsure(self, upto: int | None = None) -> set[str]:
        """Keys answered "not sure"."""
        return set(self.conversation(upto).unsure())

    def unsure_for_result(self) -> frozenset[str]:
        """"Not sure" as the result counts it: with the emergency signs the person's words
        left unclear that are not answered yet (never read as "no")."""
        return self.conversation().unsure_for_result()

    def answer_at(self, index: int) -> Answer | None:
        return self.answers[index] if 0 <= index < len(self.answers) else None

    def answered(self, index: int, key: str, value: Any) -> InterviewState:
        """The state after answering screen ``index``: later answers are dropped."""
        return InterviewState([*self.answers[:index], (key, value)], list(self.given),
                              list(self.ask), dict(self.quotes), self.described, self.words)

    def corrected(self, given: list[Answer]) -> InterviewState:
        """The state after the person corrected what the text said: the interview restarts
        from the corrected answers (what to ask next depends on them)."""
        return InterviewState([], given, list(self.ask), dict(self.quotes), self.described,
                              self.words)


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(
        (secret or _PROCESS_SECRET).encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


# The cookie's value stays below this (a browser keeps at most 4096 bytes per cookie,
# name and attributes included).
MAX_COOKIE_CHARS = 3800
# A compressed payload starts with this byte (JSON never does) and may expand to at most
# MAX_PAYLOAD_BYTES: a forged one cannot pass the MAC, but the limit costs nothing.
_ZIPPED = b"z"
MAX_PAYLOAD_BYTES = 64 * 1024


def _encode(state: InterviewState, words: str) -> bytes:
    raw: object
    if not state.from_text:  # the original compact form
        raw = [[k, v] for k, v in state.answers]
    else:
        raw = {
            "a": [[k, v] for k, v in state.answers],
            "g": [[k, v] for k, v in state.given],
            "ask": list(state.ask),
            "q": state.quotes,
            "d": state.described,
        }
        if words:
            raw["w"] = words
    payload = json.dumps(raw, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if state.from_text:
        return _ZIPPED + zlib.compress(payload, 9)
    return payload


def dump_state(state: InterviewState, secret: str) -> str:
    words = state.words[:OWN_WORDS_CHARS]
    token = _fernet(secret).encrypt(_encode(state, words)).decode("ascii")
    while len(token) > MAX_COOKIE_CHARS and words:
        # Text that does not compress (rare): keep less of the words, never the answers.
        words = words[: len(words) * 3 // 4 if len(words) > 40 else 0]
        token = _fernet(secret).encrypt(_encode(state, words)).decode("ascii")
    return token


def _decode(payload: bytes) -> Any:
    if payload.startswith(_ZIPPED):
        inflate = zlib.decompressobj()
        payload = inflate.decompress(payload[1:], MAX_PAYLOAD_BYTES)
        if inflate.unconsumed_tail:
            raise ValueError("interview state too large")
    return json.loads(payload)


def load_state(token: str | None, secret: str) -> InterviewState:
    """A tampered, expired or malformed cookie gives an empty interview, never an error."""
    if not token:
        return InterviewState()
    try:
        raw = _decode(_fernet(secret).decrypt(token.encode("ascii"), ttl=MAX_AGE_SECONDS))
        if isinstance(raw, list):
            raw = {"a": raw}
        state = InterviewState(
            answers=[(str(k), v) for k, v in raw.get("a", [])],
            given=[(str(k), v) for k, v in raw.get("g", [])],
            ask=[str(k) for k in raw.get("ask", [])],
            quotes={str(k): [str(q) for q in v] for k, v in raw.get("q", {}).items()},
            described=bool(raw.get("d", False)),
            words=str(raw.get("w", ""))[:OWN_WORDS_CHARS],
        )
        state.findings()  # re-validate: the vocabulary may have changed since it was signed
        if any(k not in VOCABULARY for k in state.ask):
            raise ValueError("unknown finding to ask")
        return state
    except (AttributeError, InvalidToken, FindingsError, TypeError, ValueError, zlib.error):
        return InterviewState()


def from_text(findings: dict[str, Any], uncertain: list[str],
              quotes: dict[str, list[str]], words: str = "") -> InterviewState:
    """A new interview pre-filled from the intake of the person's own words.

    Keys the text was unsure about are neither answers nor "not sure": they go to ``ask``
    so the interview puts them to the person explicitly (emergency signs first).
    """
    start = Conversation.start(findings, uncertain)
    return InterviewState([], list(start.given), list(start.ask_first),
                          _within_budget(quotes, findings), described=True,
                          words=words[:OWN_WORDS_CHARS])


# A cookie holds about 4 KB: the quotes shown back get at most this many characters in all.
QUOTE_BUDGET_CHARS = 1500


def _within_budget(quotes: dict[str, list[str]], findings: dict[str, Any]) -> dict[str, list[str]]:
    """The first quote of every finding, then further ones, while the budget lasts."""
    kept: dict[str, list[str]] = {}
    used = 0
    for rank in range(max((len(v) for v in quotes.values()), default=0)):
        for key in findings:
            words = quotes.get(key, [])
            if rank < len(words) and used + len(words[rank]) <= QUOTE_BUDGET_CHARS:
                kept.setdefault(key, []).append(words[rank])
                used += len(words[rank])
    return kept


ASK_REASON = talk.ASK_REASON


def parse_answer(question: Question, form: Any) -> tuple[Any, str | None]:
    """(value, None) or (None, message to show). ``answer=unsure`` is a valid "not sure".
    A typed number is read by the shared parser ("about 200 m", "1,500 m", "3 months")."""
    choice = str(form.get("answer", "")).strip()
    if choice == "unsure":
        return None, None
    defn = VOCABULARY[question.finding]
    if defn.type is FindingType.BOOL:
        if choice in {"yes", "no"}:
            return choice == "yes", None
        return None, "Choose yes, no or not sure."
    if defn.type is FindingType.CHOICE:
        if choice in defn.choices:
            return choice, None
        return None, "Choose one of the answers, or not sure."
    raw = str(form.get("value", "")).strip()
    if not raw:
        return None, "Enter a number, or choose “I’m not sure”."
    read = talk.parse_answer(question, raw)
    if isinstance(read, talk.AnswerProblem):
        return None, read.message.replace("answer not sure (?)", "choose “I’m not sure”")
    return read.value, None
