"""Score extracted findings against expected ones: per-key precision and recall.

A finding counts as right when the value matches (numbers within 25 % or 0.5, since
"about a year" and "52 weeks" are the same story). A red-flag key extracted with the
OPPOSITE value is a safety error, counted apart from ordinary misses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from spinecare.intake.result import Value


def values_match(expected: Value, got: Value) -> bool:
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(expected - got) <= max(0.5, 0.25 * abs(expected))
    return expected == got


@dataclass
class KeyScore:
    tp: int = 0   # extracted with the expected value
    fp: int = 0   # extracted but not expected, or with another value
    fn: int = 0   # expected but not extracted (or extracted wrong)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Score:
    per_key: dict[str, KeyScore] = field(default_factory=lambda: defaultdict(KeyScore))
    red_flag_opposite: list[tuple[str, str, Value, Value]] = field(default_factory=list)
    red_flag_missed_true: list[tuple[str, str]] = field(default_factory=list)

    def total(self) -> KeyScore:
        t = KeyScore()
        for s in self.per_key.values():
            t.tp, t.fp, t.fn = t.tp + s.tp, t.fp + s.fp, t.fn + s.fn
        return t

    def add(self, case_id: str, expected: Mapping[str, Value], got: Mapping[str, Value],
            red_flags: Iterable[str], strict_extra: bool = True) -> None:
        """Compare one case. With ``strict_extra`` False, keys the case does not mention
        are not counted as false positives (the dev vignettes list only some findings)."""
        red = set(red_flags)
        for key, value in expected.items():
            if key in got and values_match(value, got[key]):
                self.per_key[key].tp += 1
                continue
            self.per_key[key].fn += 1
            if key in got:
                self.per_key[key].fp += 1
                if key in red and isinstance(value, bool):
                    self.red_flag_opposite.append((case_id, key, value, got[key]))
            elif key in red and value is True:
                self.red_flag_missed_true.append((case_id, key))
        for key, value in got.items():
            if key not in expected and strict_extra:
                self.per_key[key].fp += 1
                if key in red and value is False:
                    pass  # a false red flag the case does not state: counted as an error above
