"""A diary day's own words count as much as its boxes: a warning sign written in the notes
runs the check (with the real text reader and engine), a denial does not, a broken reader
never loses the entry, and known facts (age from the latest check) are used."""

from __future__ import annotations

import json
from datetime import date

import pytest

from repo_paths import TEST_DATA
from spinecare.bootstrap import triage_engine
from spinecare.services.actor import Actor
from spinecare.services.diary import DiaryService, today_utc
from spinecare.services.diary_fields import EntryFields
from spinecare.services.triage import build_findings

PASSWORD = "correct horse battery"


@pytest.fixture
def ana(services) -> Actor:  # type: ignore[no-untyped-def]
    user = services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    return Actor(user.id, "patient", "192.0.2.7")


def test_a_sign_written_in_the_notes_runs_the_check(services, ana) -> None:  # type: ignore[no-untyped-def]
    saved = services.diary.save_entry(ana, today_utc(), {
        "back_pain": 6, "notes": "Since lunchtime I can't feel the toilet paper when I wipe."})
    assert "saddle_anaesthesia" in saved.read_from_notes.signs
    assert saved.warning_check is not None
    assert saved.warning_check.result.level.value == "emergency"
    assert "saddle_anaesthesia" in saved.entry.fields.warning_signs
    assert saved.to_dict()["read_from_notes"]["escalates"] is True


def test_a_denial_in_the_notes_runs_nothing(services, ana) -> None:  # type: ignore[no-untyped-def]
    saved = services.diary.save_entry(ana, today_utc(), {
        "back_pain": 4, "notes": "No problems with my bladder or bowels, just the usual ache."})
    assert saved.warning_check is None
    assert saved.read_from_notes.signs == () and not saved.read_from_notes.unread
    assert saved.entry.fields.warning_signs == ()


def test_a_broken_reader_keeps_the_entry_and_says_the_notes_were_not_read(services, ana) -> None:  # type: ignore[no-untyped-def]
    def broken(text: str):  # type: ignore[no-untyped-def]
        raise RuntimeError("the language model did not load")

    diary = DiaryService(services.db, triage_engine(), "GB", read_words=broken)
    saved = diary.save_entry(ana, today_utc(), {"leg_pain": 5, "notes": "legs heavy today"})
    assert saved.read_from_notes.unread is True  # not read, which is not "no sign"
    assert saved.entry.fields.leg_pain == 5 and saved.warning_check is None


def test_a_fall_in_the_notes_is_judged_with_the_age_from_the_latest_check(services, ana) -> None:  # type: ignore[no-untyped-def]
    note = {"back_pain": 7, "notes": "Slipped on the wet kitchen floor this morning and landed "
                                     "on my back."}
    before = services.diary.save_entry(ana, date.fromordinal(today_utc().toordinal() - 1), note)
    # Age unknown: the engine cannot judge a fracture risk from a fall (no guess is made).
    assert before.entry.fields.warning_signs == ()
    services.triage.save(ana, build_findings({"age": 78, "sex": "female", "back_pain": True}))
    after = services.diary.save_entry(ana, today_utc(), note)
    assert after.read_from_notes.escalates is True
    assert after.warning_check is not None
    assert after.warning_check.result.level.value in {"urgent", "emergency"}


def test_the_fresh_batch_of_notes_is_read_as_measured(services) -> None:  # type: ignore[no-untyped-def]
    """tests/data/diary_notes_fresh.jsonl: 48 notes written by someone who had not seen the
    reader (24 with a sign). Measured once before any tuning: sensitivity 0.83, specificity
    0.75; after the general fixes (advice words as hypothetical, comparative weakness,
    known age): 0.88 and 0.83 with age unknown (0.96 with age 70). These floors hold it."""
    diary: DiaryService = services.diary
    hits = misses = false_alarms = quiet = 0
    for line in (TEST_DATA / "diary_notes_fresh.jsonl").read_text().splitlines():
        case = json.loads(line)
        reading = diary.read_notes(EntryFields(notes=case["text"], back_pain=5, leg_pain=5),
                                   today_utc())
        if case["signs"]:
            hits += reading.escalates
            misses += not reading.escalates
        else:
            false_alarms += reading.escalates
            quiet += not reading.escalates
    assert hits / (hits + misses) >= 0.85
    assert quiet / (quiet + false_alarms) >= 0.8
