"""Validated findings: the one input of the triage engine.

``parse_findings`` turns an untrusted mapping (JSON from a file, the API or the
interview) into ``Findings``. Nothing is silently dropped: an unknown key is an
error that names the key and suggests the closest valid one, a value of the wrong
type or out of range is an error that gives the allowed range. ``None`` means
unknown, exactly like an absent key.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from spinecare.clinical.vocabulary import VOCABULARY, FindingDef, FindingType

Value = bool | float | int | str

# Spelling suggestions cost about 1 ms each (difflib over the whole vocabulary): only the
# first few unknown keys get one, so a request full of unknown keys stays cheap.
MAX_SUGGESTIONS = 10


@dataclass(frozen=True, slots=True)
class FindingProblem:
    key: str
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        hint = f" Did you mean '{self.suggestion}'?" if self.suggestion else ""
        return f"{self.key}: {self.message}{hint}"


class FindingsError(ValueError):
    """One or more findings are invalid; ``problems`` lists each with a fix."""

    def __init__(self, problems: list[FindingProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class Findings(Mapping[str, Value]):
    """An immutable, validated set of known findings (unknown ones are absent)."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Value] | None = None):
        # Trusted constructor: callers outside this module use parse_findings().
        self._data: dict[str, Value] = dict(data or {})

    def __getitem__(self, key: str) -> Value:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"Findings({self._data!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Findings):
            return self._data == other._data
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    @property
    def data(self) -> dict[str, Value]:
        """The underlying dict (read it, do not change it): the engine's fast path."""
        return self._data

    def as_dict(self) -> dict[str, Value]:
        return dict(self._data)


def suggest_key(key: str) -> str | None:
    matches = difflib.get_close_matches(key, VOCABULARY.keys(), n=1, cutoff=0.6)
    if matches:
        return matches[0]
    # Fall back on substring matches ("bladder" -> "bladder_dysfunction").
    lowered = key.lower()
    for known in VOCABULARY:
        if lowered and (lowered in known or known in lowered):
            return known
    return None


def _coerce(defn: FindingDef, value: Any) -> tuple[Value | None, str | None]:
    """Return (value, None) or (None, error message)."""
    if defn.type is FindingType.BOOL:
        if isinstance(value, bool):
            return value, None
        return None, f"must be {defn.range_text()}, got {value!r}"
    if defn.type is FindingType.CHOICE:
        if isinstance(value, str) and value.lower() in defn.choices:
            return value.lower(), None
        return None, f"must be {defn.range_text()}, got {value!r}"
    # Numbers: reject booleans (True is an int in Python) and non-finite values.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, f"must be {defn.range_text()}, got {value!r}"
    if isinstance(value, float) and not math.isfinite(value):
        return None, f"must be {defn.range_text()}, got {value!r}"
    if defn.type is FindingType.INTEGER and float(value) != int(value):
        return None, f"must be {defn.range_text()}, got {value!r}"
    assert defn.minimum is not None and defn.maximum is not None
    if not defn.minimum <= value <= defn.maximum:
        return None, f"{value!r} is out of range: must be {defn.range_text()}"
    if defn.type is FindingType.INTEGER:
        return int(value), None
    return value, None


def parse_findings(raw: Mapping[str, Any]) -> Findings:
    """Validate finding keys and values; raise ``FindingsError`` listing every problem."""
    if not isinstance(raw, Mapping):
        raise FindingsError(
            [FindingProblem("findings", f"must be an object of key: value pairs, got {raw!r}")]
        )
    problems: list[FindingProblem] = []
    data: dict[str, Value] = {}
    unknown = 0
    for key, value in raw.items():
        defn = VOCABULARY.get(key) if isinstance(key, str) else None
        if defn is None:
            unknown += 1
            hint = suggest_key(str(key)) if unknown <= MAX_SUGGESTIONS else None
            problems.append(FindingProblem(str(key), "is not a known finding", hint))
            continue
        if value is None:
            continue  # explicitly unknown: the same as absent
        coerced, error = _coerce(defn, value)
        if error is not None:
            problems.append(FindingProblem(key, error))
        else:
            assert coerced is not None
            data[key] = coerced
    if problems:
        raise FindingsError(problems)
    return Findings(data)
