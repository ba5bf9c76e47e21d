"""Numbers written as words ("two hundred", "half a", "a couple of"), read the same way by the
interview's answer parser and the free-text intake. Pure: no I/O, nothing outside the core."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "couple": 2, "a couple of": 2,
    "half a": 0.5, "half an": 0.5, "a half": 0.5, "few": 3, "a few": 3, "several": 4,
}


def words_to_number(text: str) -> float | None:
    """The number the words say, or None when they are not a number (or too vague)."""
    t = text.lower().strip().replace(",", "").replace("-", " ")
    try:
        return float(t)
    except ValueError:
        pass
    if "few hundred" in t:
        return None  # "a few hundred metres" is too vague to record
    t = re.sub(r"\s+", " ", t)
    if t in _UNITS:
        return float(_UNITS[t])
    total = 0.0
    current = 0.0
    for word in t.replace(" and ", " ").split(" "):
        if word in ("a", "an") and current == 0:
            current = 1
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in ("of",):
            continue
        else:
            return None
    return total + current
