"""Score extracted findings against expected ones: per-key precision and recall.

A finding counts as right when the value matches (numbers within 25 % or 0.5, since
"about a year" and "52 weeks" are the same story). A red-flag key extracted with the
OPPOSITE value is a safety error, counted apart from ordinary misses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from spinecare.adapters.intake.result import Value


def values_match(expected: Value, got: Value) -> bool:
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(expected - got) <= max(0.5, 0.25 * abs(expected))
    return expected == got


def _ratio(hits: int, total: int) -> float:
    """A share; 1.0 when there was nothing to find (nothing missed)."""
    return hits / total if total else 1.0


@dataclass
class KeyScore:
    tp: int = 0   # extracted with the expected value
    fp: int = 0   # extracted but not expected, or with another value
    fn: int = 0   # expected but not extracted (or extracted wrong)

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)


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


# The six keys FINDINGS.md added for issue 9: warning findings like the red flags.
ISSUE9_WARNING_KEYS = frozenset({
    "former_smoker", "known_aortic_aneurysm", "anticoagulant_use", "rigid_spine_condition",
    "urinary_hesitancy_new", "band_like_trunk_pain",
})


@dataclass
class BatchScore:
    """A fresh batch scored the way issue 9 asks: red-flag recall, precision, and every
    finding read the wrong way round (gold true read false, gold false read true, a
    ``must_not`` finding read, a hedged finding decided "no")."""

    red_expected: int = 0           # gold-true warning findings
    red_found: int = 0              # … of them read as true
    red_read_true: int = 0          # warning findings read true
    red_read_true_right: int = 0    # … where the gold says true
    read: int = 0                   # every finding read
    read_right: int = 0             # … with the gold value
    expected: int = 0               # every gold finding
    wrong_way: list[tuple[str, str, object, object]] = field(default_factory=list)
    missed_red: list[tuple[str, str]] = field(default_factory=list)
    leaked_to_false: list[tuple[str, str]] = field(default_factory=list)
    hedge_decided_true: list[tuple[str, str]] = field(default_factory=list)

    @property
    def red_recall(self) -> float:
        return _ratio(self.red_found, self.red_expected)

    @property
    def red_precision(self) -> float:
        return _ratio(self.red_read_true_right, self.red_read_true)

    @property
    def precision(self) -> float:
        return _ratio(self.read_right, self.read)

    @property
    def recall(self) -> float:
        return _ratio(self.read_right, self.expected)

    def add(self, case: Mapping[str, object], got: Mapping[str, Value],
            uncertain: Iterable[str], red: Iterable[str]) -> None:
        red_keys = set(red)
        cid = str(case["id"])
        gold: Mapping[str, Value] = case["findings"]  # type: ignore[assignment]
        hedged = set(case.get("uncertain") or ())  # type: ignore[call-overload]
        must_not = set(case.get("must_not") or ())  # type: ignore[call-overload]
        unsure = set(uncertain)
        self.expected += len(gold)
        for key, value in gold.items():
            if key in red_keys and value is True:
                self.red_expected += 1
                if got.get(key) is True:
                    self.red_found += 1
                else:
                    self.missed_red.append((cid, key))
            if isinstance(value, bool) and isinstance(got.get(key), bool) and got[key] is not value:
                self.wrong_way.append((cid, key, value, got[key]))
        for key, value in got.items():
            self.read += 1
            if key in gold and values_match(gold[key], value):
                self.read_right += 1
            if key in red_keys and value is True:
                self.red_read_true += 1
                self.red_read_true_right += gold.get(key) is True
            if key in must_not and value is not False:
                self.wrong_way.append((cid, key, "must not", value))
            elif key in hedged:
                if value is False:
                    self.wrong_way.append((cid, key, "hedged", value))
                else:
                    self.hedge_decided_true.append((cid, key))
            elif key in red_keys and value is False and key not in gold:
                self.leaked_to_false.append((cid, key))
        for key in hedged - unsure - set(got):
            self.hedge_decided_true.append((cid, f"{key} (dropped, not listed as uncertain)"))
