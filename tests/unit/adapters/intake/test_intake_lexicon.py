"""The intake lexicon is data: it loads, every key is real, and bad edits fail clearly."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
import yaml

from repo_paths import TEST_DATA
from spinecare.adapters.intake.lexicon import (
    LEXICON_PATH,
    LexiconError,
    load_lexicon,
    parse_lexicon,
)
from spinecare.clinical.triage.knowledge.red_flags import RULES
from spinecare.clinical.vocabulary import VOCABULARY

CORPUS_PATH = TEST_DATA / "intake_corpus.jsonl"


def _raw() -> dict:
    return yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))


def test_lexicon_loads_with_real_keys_only():
    lexicon = load_lexicon()
    assert len(lexicon.entries) >= 100
    for entry in lexicon.entries.values():
        assert entry.patterns
        for key in entry.keys:
            assert key in VOCABULARY
    assert lexicon.red_flag_keys <= set(VOCABULARY)
    assert any(spec.direction == "TERMINATE" for spec in lexicon.context)


def _keys_in(predicate: object) -> set[str]:
    found: set[str] = set()
    if dataclasses.is_dataclass(predicate):
        for f in dataclasses.fields(predicate):
            value = getattr(predicate, f.name)
            if f.name == "key":
                found.add(value)
            for item in value if isinstance(value, list | tuple) else [value]:
                found |= _keys_in(item)
    return found


def test_intake_red_flags_are_keys_the_triage_engine_screens():
    engine_keys: set[str] = set()
    for rule in RULES:
        engine_keys |= _keys_in(rule.when)
    assert load_lexicon().red_flag_keys <= engine_keys


def test_every_cauda_equina_flag_is_tested_present_denied_and_unsure():
    cases = [json.loads(line) for line in CORPUS_PATH.read_text().splitlines() if line.strip()]
    for key in ("saddle_anaesthesia", "bladder_dysfunction", "bowel_dysfunction"):
        assert any(c["findings"].get(key) is True for c in cases), key
        assert any(c["findings"].get(key) is False for c in cases), key
        assert any(key in c["uncertain"] for c in cases), key


def test_every_red_flag_key_has_a_phrase():
    lexicon = load_lexicon()
    covered = {key for e in lexicon.entries.values() if e.value is not None for key in e.keys}
    assert lexicon.red_flag_keys <= covered


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["findings"][0].update(key="bladder"), "'bladder' is not a findings key"),
    (lambda d: d["findings"][0].update(patterns=["(unclosed"]), "invalid regular expression"),
    (lambda d: d["findings"][0].update(patterns=["{NOPE} x"]), "unknown macro {NOPE}"),
    (lambda d: d["findings"].append(dict(d["findings"][0])), "duplicate id"),
    (lambda d: d["findings"][0].update(value="yes"), "value must be true, false or null"),
    (lambda d: d["findings"][0].update(suppressed_by=["no.such.entry"]), "unknown entry ids"),
    (lambda d: d["context"][0].update(direction="SIDEWAYS"), "direction must be one of"),
    (lambda d: d["red_flag_keys"].append("bladder_problem"), "'bladder_problem' is not"),
    (lambda d: d["implies"].append({"if": {"leg_weakness": "yes"}, "then": {}}), "implies"),
])
def test_bad_lexicon_edits_fail_with_a_message_that_says_what_to_fix(change, message):
    data = _raw()
    change(data)
    with pytest.raises(LexiconError, match=message.replace("{", r"\{").replace("}", r"\}")):
        parse_lexicon(data)


def test_a_missing_lexicon_file_is_a_clear_error(tmp_path):
    with pytest.raises(LexiconError, match="cannot read the intake lexicon"):
        load_lexicon(tmp_path / "nope.yaml")


def test_patterns_match_whole_words_only():
    lexicon = load_lexicon()
    wet = next(p for p in lexicon.entries["bladder.incontinence"].patterns if "wet" in p)
    assert re.search(wet, "I wet myself", re.I)
    assert not re.search(wet, "I swet myselfish", re.I)
