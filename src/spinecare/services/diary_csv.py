"""The diary as CSV (docs/diary-csv.md): one row per day, the columns below, UTF-8.

Empty cell = not recorded. Dates are ISO (YYYY-MM-DD); yes/no for yes-or-no answers; lists
separated by ";". Reading checks every row before anything is stored and reports each bad
row by its line number. Writing neutralises text cells a spreadsheet would run as a
formula (OWASP "CSV injection": a cell starting with = + - @, tab or carriage return gets
a leading apostrophe); reading takes that apostrophe off again, so an export imports back
unchanged. Numbers we write are never negative, so they need no such guard.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from spinecare.services.diary_fields import (
    ENTRY_FIELDS,
    EntryFields,
    parse_day,
    parse_entry,
)
from spinecare.services.errors import InvalidInput

COLUMNS = ("date", *ENTRY_FIELDS)
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 5_000
# At most this many bad rows are listed (the first ones); the count says how many more.
MAX_REPORTED_ROWS = 50
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A text cell a spreadsheet will show as text, never run as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _restore(cell: str) -> str:
    """Undo ``neutralise`` (an apostrophe we added before a formula character)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def write_csv(entries: Sequence[tuple[date, EntryFields]]) -> str:
    """The entries as CSV text (header first, oldest day first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for day, fields in sorted(entries, key=lambda pair: pair[0]):
        row = [day.isoformat()]
        for name in ENTRY_FIELDS:
            value = getattr(fields, name)
            if isinstance(value, bool) or name in ("flare", "epidural_injection"):
                row.append(_yes_no(value))
            elif isinstance(value, tuple):
                row.append(neutralise(";".join(value)))
            elif isinstance(value, str):
                row.append(neutralise(value))
            else:
                row.append(_number(value))
        writer.writerow(row)
    return buffer.getvalue()


def read_csv(text: str, *, today: date,
             warning_sign_ids: Sequence[str]) -> list[tuple[date, EntryFields]]:
    """Every row, validated, or ``InvalidInput`` listing each bad row ("line N": reason).
    The header must name known columns (any order; "date" required; missing columns are
    not recorded). A day may appear only once."""
    if len(text.encode("utf-8")) > MAX_CSV_BYTES:
        raise InvalidInput({"file": f"is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB: "
                                    "split it into smaller files"})
    text = text.removeprefix("\ufeff")  # a spreadsheet's byte-order mark
    if "\x00" in text:
        raise InvalidInput({"file": "is not a text CSV file (it contains NUL bytes)"})
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput({"file": "is empty: the first line must be the header "
                                    f"({','.join(COLUMNS)})"}) from None
    except csv.Error as exc:
        raise InvalidInput({"line 1": f"cannot be read as CSV: {exc}"}) from None
    names = [h.strip().lower() for h in header]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown or "date" not in names or len(set(names)) != len(names):
        reason = (f"unknown column {unknown[0][:40]!r}" if unknown
                  else "no 'date' column" if "date" not in names else "a column appears twice")
        raise InvalidInput({"line 1": f"the header has {reason}. Columns: "
                                      + ",".join(COLUMNS)})
    problems: dict[str, str] = {}
    bad_rows = 0
    rows: list[tuple[date, EntryFields]] = []
    seen: dict[date, int] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            bad_rows += 1
            problems[f"line {reader.line_num}"] = f"cannot be read as CSV: {exc}"
            break
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(rows) + bad_rows >= MAX_CSV_ROWS:
            raise InvalidInput({"file": f"has more than {MAX_CSV_ROWS:,} rows: split it"})
        if len(cells) != len(names):
            bad_rows += 1
            if len(problems) < MAX_REPORTED_ROWS:
                problems[f"line {line}"] = (f"has {len(cells)} cells; the header has "
                                            f"{len(names)}")
            continue
        raw = {name: _restore(cell) for name, cell in zip(names, cells, strict=True)}
        try:
            day = parse_day(raw.pop("date"), today, "date")
            fields = parse_entry(raw, warning_sign_ids)
        except InvalidInput as exc:
            bad_rows += 1
            if len(problems) < MAX_REPORTED_ROWS:
                problems[f"line {line}"] = "; ".join(f"{k} {v}" for k, v in exc.problems.items())
            continue
        if day in seen:
            bad_rows += 1
            if len(problems) < MAX_REPORTED_ROWS:
                problems[f"line {line}"] = (f"date {day.isoformat()} is also on line "
                                            f"{seen[day]}: give each day once")
            continue
        seen[day] = line
        rows.append((day, fields))
    if bad_rows > len(problems):
        problems["more"] = f"{bad_rows - len(problems)} more rows have problems"
    if problems:
        raise InvalidInput(problems)
    return rows
