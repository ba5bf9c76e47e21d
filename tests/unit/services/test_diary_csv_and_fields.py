"""The diary's one validation (every door) and its CSV format: round trip, bad rows by line
number, OWASP CSV-injection neutralising (docs/diary-csv.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from spinecare.services.diary import warning_sign_labels
from spinecare.services.diary_csv import COLUMNS, MAX_CSV_ROWS, neutralise, read_csv, write_csv
from spinecare.services.diary_fields import EntryFields, parse_day, parse_entry, parse_walking_test
from spinecare.services.errors import InvalidInput

TODAY = date(2026, 6, 30)
SIGNS = tuple(warning_sign_labels())


def test_form_text_and_json_values_give_the_same_fields() -> None:
    as_json = parse_entry({"back_pain": 4, "walking_minutes": 12.5, "flare": True,
                           "activities": ["walking", "long_sitting"], "medicines": ["ibuprofen"]},
                          SIGNS)
    as_text = parse_entry({"back_pain": "4", "walking_minutes": "12,5", "flare": "yes",
                           "activities": "walking;long_sitting", "medicines": "ibuprofen"},
                          SIGNS)
    assert as_json == as_text
    assert as_json.leg_pain is None and as_json.epidural_injection is None  # unknown stays unknown


@pytest.mark.parametrize(("field", "value", "words"), [
    ("back_pain", 11, "0 (no pain) to 10"),
    ("back_pain", "7.5", "whole number"),
    ("walking_minutes", 1441, "0 to 1,440"),
    ("walking_metres", -1, "metres"),
    ("sitting_hours", 25, "hours"),
    ("sleep_quality", 0, "1 (very poor) to 5"),
    ("flare", "maybe", "yes or no"),
    ("activities", ["skydiving"], "activity_note"),
    ("warning_signs", ["headache"], "warning signs"),
    ("notes", "x" * 2001, "2,000"),
    ("medicines", ["m"] * 21, "at most 20"),
    ("made_up", 1, "not a diary field"),
])
def test_each_bad_value_is_named_with_how_to_fix_it(field: str, value: object,
                                                     words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_entry({field: value}, SIGNS)
    assert words in caught.value.problems[field]


def test_a_day_in_the_future_or_before_2000_is_refused() -> None:
    assert parse_day("2026-06-30", TODAY) == TODAY
    with pytest.raises(InvalidInput, match="future"):
        parse_day("2026-07-01", TODAY)
    with pytest.raises(InvalidInput, match="2000"):
        parse_day("1999-12-31", TODAY)
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        parse_day("30/06/2026", TODAY)


def test_walking_test_limits() -> None:
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    ok = parse_walking_test({"duration_seconds": 600, "first_symptom_seconds": "120",
                             "stopped_because": "symptoms", "relief": "sit"}, now)
    assert ok.performed_at == now and ok.first_symptom_seconds == 120
    with pytest.raises(InvalidInput) as caught:
        parse_walking_test({"duration_seconds": 60 * 36, "first_symptom_seconds": 5000,
                            "stopped_because": "bored", "relief": "lie_down"}, now)
    problems = caught.value.problems
    assert {"duration_seconds", "stopped_because", "relief"} <= set(problems)
    with pytest.raises(InvalidInput) as later:
        parse_walking_test({"duration_seconds": 60, "first_symptom_seconds": 61,
                            "stopped_because": "symptoms"}, now)
    assert "after the end" in later.value.problems["first_symptom_seconds"]


def test_csv_round_trip_keeps_every_answer_and_unknowns() -> None:
    entries = [
        (date(2026, 6, 1), EntryFields(back_pain=3, leg_pain=7, walking_minutes=12.5,
                                       flare=False, activities=("walking", "driving"),
                                       medicines=("paracetamol 1 g", "naproxen"),
                                       epidural_injection=True, notes="a, \"quoted\"\nnote",
                                       warning_signs=("fever",))),
        (date(2026, 6, 2), EntryFields(notes="=HYPERLINK(\"http://x\")", activity_note="+1")),
    ]
    text = write_csv(entries)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert read_csv(text, today=TODAY, warning_sign_ids=SIGNS) == entries


def test_export_neutralises_formula_cells_but_not_numbers() -> None:
    text = write_csv([(date(2026, 6, 2), EntryFields(
        back_pain=0, notes="=1+1", activity_note="@SUM(A1)",
        medicines=("-2+3",)))])
    row = text.splitlines()[1]
    assert "'=1+1" in row and "'@SUM(A1)" in row and "'-2+3" in row
    assert row.startswith("2026-06-02,0,")  # a number is written as it is
    for cell in ("=x", "+x", "-x", "@x", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell
    assert neutralise("plain") == "plain"


def test_bad_rows_are_each_reported_by_line_and_nothing_is_returned() -> None:
    text = ("date,back_pain,leg_pain,flare\n"
            "2026-06-01,3,4,yes\n"
            "2026-06-02,12,4,no\n"          # line 3: pain out of range
            "2026-13-01,1,1,no\n"           # line 4: not a date
            "2026-06-01,1,1,no\n"           # line 5: same day twice
            "2026-06-03,1\n")               # line 6: too few cells
    with pytest.raises(InvalidInput) as caught:
        read_csv(text, today=TODAY, warning_sign_ids=SIGNS)
    problems = caught.value.problems
    assert set(problems) == {"line 3", "line 4", "line 5", "line 6"}
    assert "0 (no pain) to 10" in problems["line 3"]
    assert "YYYY-MM-DD" in problems["line 4"]
    assert "line 2" in problems["line 5"]


def test_header_and_size_limits() -> None:
    with pytest.raises(InvalidInput, match="unknown column"):
        read_csv("date,mood\n2026-06-01,3\n", today=TODAY, warning_sign_ids=SIGNS)
    with pytest.raises(InvalidInput, match="empty"):
        read_csv("", today=TODAY, warning_sign_ids=SIGNS)
    many = "date,back_pain\n" + "".join(
        f"{date.fromordinal(date(2005, 1, 1).toordinal() + n).isoformat()},1\n"
        for n in range(MAX_CSV_ROWS + 1))
    with pytest.raises(InvalidInput, match="5,000 rows"):
        read_csv(many, today=TODAY, warning_sign_ids=SIGNS)
