"""A tiny, declarative language for rule conditions over findings.

Rules are data (``clinical/triage/knowledge``); their conditions are trees of these
predicates. Each tree knows the finding keys it reads (for open questions and
documentation), its leaves (``atoms``: the engine explains a fired rule by the
leaves that hold), its ``children``, and the Python expression it compiles to
(``source``; ``clinical/rules/codegen.py`` turns many of them into one function, so a
rule costs a few dictionary lookups). ``holds`` walks the tree instead: a slow
interpreter kept only so tests can check the generated code against it.

Predicates are frozen values: two equal trees are interchangeable, and the code
generator shares equal sub-trees (by value, not by identity).

Semantics: a finding that is unknown (absent) never satisfies ``yes``, ``no``,
``at_least`` or ``below`` — unknown is not normal, and not abnormal either.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from spinecare.clinical.vocabulary import VOCABULARY, FindingType

FindingsDict = Mapping[str, Any]


class Pred:
    def keys(self) -> frozenset[str]:
        raise NotImplementedError

    def children(self) -> tuple[Pred, ...]:
        """The predicates this one is built from (none for a leaf)."""
        return ()

    def source(self, names: Mapping[Pred, str] | None = None) -> str:
        """A Python expression over ``f`` (``g`` is ``f.get``); a sub-tree found in
        ``names`` is written as that local variable instead."""
        if names:
            name = names.get(self)
            if name is not None:
                return name
        return self._expr(names)

    def _expr(self, names: Mapping[Pred, str] | None) -> str:
        raise NotImplementedError

    def holds(self, f: FindingsDict) -> bool:
        """Whether the findings satisfy this predicate, by walking the tree (tests only:
        the engine runs the generated code, and a test checks that the two agree)."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def atoms(self) -> tuple[Pred, ...]:
        """The leaves of this predicate tree (itself, for a leaf or a ``Not``)."""
        return (self,)


def _check_key(key: str, *types: FindingType) -> None:
    defn = VOCABULARY.get(key)
    if defn is None:
        raise KeyError(f"rule uses unknown finding '{key}'")
    if types and defn.type not in types:
        raise TypeError(f"rule uses '{key}' as {types}, but it is {defn.type}")


@dataclass(frozen=True, slots=True)
class Is(Pred):
    key: str
    value: bool | str

    def __post_init__(self) -> None:
        if isinstance(self.value, bool):
            _check_key(self.key, FindingType.BOOL)
        else:
            _check_key(self.key, FindingType.CHOICE)

    def keys(self) -> frozenset[str]:
        return frozenset((self.key,))

    def _expr(self, names: Mapping[Pred, str] | None) -> str:
        if isinstance(self.value, bool):
            return f"(g({self.key!r}) is {self.value})"
        return f"(g({self.key!r}) == {self.value!r})"

    def holds(self, f: FindingsDict) -> bool:
        if isinstance(self.value, bool):
            return f.get(self.key) is self.value
        return bool(f.get(self.key) == self.value)

    def describe(self) -> str:
        if self.value is True:
            return self.key
        if self.value is False:
            return f"no {self.key}"
        return f"{self.key} = {self.value}"


@dataclass(frozen=True, slots=True)
class _Threshold(Pred):
    """A number compared with a threshold; an unknown number never satisfies it."""

    key: str
    threshold: float
    # Set by each subclass: the operator, and a stand-in for "unknown" that fails it.
    OP = ""
    UNKNOWN = ""

    def __post_init__(self) -> None:
        _check_key(self.key, FindingType.NUMBER, FindingType.INTEGER)

    def keys(self) -> frozenset[str]:
        return frozenset((self.key,))

    def _expr(self, names: Mapping[Pred, str] | None) -> str:
        return f"(g({self.key!r}, {self.UNKNOWN}) {self.OP} {self.threshold!r})"

    def describe(self) -> str:
        return f"{self.key} {'≥' if self.OP == '>=' else self.OP} {self.threshold:g}"


class AtLeast(_Threshold):
    __slots__ = ()
    OP, UNKNOWN = ">=", "-inf"

    def holds(self, f: FindingsDict) -> bool:
        return bool(f.get(self.key, -math.inf) >= self.threshold)


class Below(_Threshold):
    __slots__ = ()
    OP, UNKNOWN = "<", "inf"

    def holds(self, f: FindingsDict) -> bool:
        return bool(f.get(self.key, math.inf) < self.threshold)


@dataclass(frozen=True, slots=True)
class OnsetAgeBelow(Pred):
    """Age at onset below a threshold (age minus symptom duration), for ASAS item 1."""

    threshold: float

    def keys(self) -> frozenset[str]:
        return frozenset(("age", "duration_weeks"))

    def _expr(self, names: Mapping[Pred, str] | None) -> str:
        return f"(g('age', inf) - g('duration_weeks', 0) / 52.0 < {self.threshold!r})"

    def holds(self, f: FindingsDict) -> bool:
        return bool(f.get("age", math.inf) - f.get("duration_weeks", 0) / 52.0
                    < self.threshold)

    def describe(self) -> str:
        return f"age at onset < {self.threshold:g}"


@dataclass(frozen=True, slots=True)
class _Group(Pred):
    """``any of`` / ``all of``: the same group of parts joined by ``or`` or ``and``."""

    parts: tuple[Pred, ...]
    _joiner: ClassVar[str]
    _empty: ClassVar[str]    # the value of the group with no parts
    _word: ClassVar[str]

    def keys(self) -> frozenset[str]:
        return frozenset().union(*(p.keys() for p in self.parts))

    def children(self) -> tuple[Pred, ...]:
        return self.parts

    def atoms(self) -> tuple[Pred, ...]:
        return tuple(a for p in self.parts for a in p.atoms())

    def _expr(self, names: Mapping[Pred, str] | None) -> str:
        if not self.parts:
            return self._empty  # "()" would be a tuple, not a truth value
        return "(" + f" {self._joiner} ".join(p.source(names) for p in self.parts) + ")"

    def describe(self) -> str:
        return f"{self._word} of (" + ", ".join(p.describe() for p in self.parts) + ")"


@dataclass(frozen=True, slots=True)
class AnyOf(_Group):
    _joiner: ClassVar[str] = "or"
    _empty: ClassVar[str] = "False"  # any of nothing, as any(()) is
    _word: ClassVar[str] = "any"

    def holds(self, f: FindingsDict) -> bool:
        return any(p.holds(f) for p in self.parts)


@dataclass(frozen=True, slots=True)
class AllOf(_Group):
    _joiner: ClassVar[str] = "and"
    _empty: ClassVar[str] = "True"  # all of nothing, as all(()) is
    _word: ClassVar[str] = "all"

    def holds(self, f: FindingsDict) -> bool:
        return all(p.holds(f) for p in self.parts)


@dataclass(frozen=True, slots=True)
class CountAtLeast(Pred):
    n: int
    parts: tuple[Pred, ...]

    def keys(self) -> frozenset[str]:
        return frozenset().union(*(p.keys() for p in self.parts))

    def children(self) -> tuple[Pred, ...]:
        return self.parts

    def atoms(self) -> tuple[Pred, ...]:
        return tuple(a for p in self.parts for a in p.atoms())

    def _expr(self, names: Mapping[Pred, str] | None) -> str:
        total = " + ".join(p.source(names) for p in self.parts) or "0"
        return f"(({total}) >= {self.n})"

    def holds(self, f: FindingsDict) -> bool:
        return sum(p.holds(f) for p in self.parts) >= self.n

    def describe(self) -> str:
        return f"at least {self.n} of (" + ", ".join(p.describe() for p in self.parts) + ")"


@dataclass(frozen=True, slots=True)
class Not(Pred):
    """True when the inner predicate is not true — including when its findings are unknown.

    Use only to block a downgrade (e.g. "pain not rated severe"); never to raise concern.
    """

    part: Pred

    def keys(self) -> frozenset[str]:
        return self.part.keys()

    def children(self) -> tuple[Pred, ...]:
        return (self.part,)

    def _expr(self, names: Mapping[Pred, str] | None) -> str:
        return f"(not {self.part.source(names)})"

    def holds(self, f: FindingsDict) -> bool:
        return not self.part.holds(f)

    def describe(self) -> str:
        return f"not {self.part.describe()}"


# Short constructors: the rule files read like the guidelines they encode.
def yes(key: str) -> Is:
    return Is(key, True)


def no(key: str) -> Is:
    return Is(key, False)


def is_(key: str, value: str) -> Is:
    return Is(key, value)


def at_least(key: str, threshold: float) -> AtLeast:
    return AtLeast(key, threshold)


def below(key: str, threshold: float) -> Below:
    return Below(key, threshold)


def any_of(*parts: Pred | str) -> AnyOf:
    return AnyOf(tuple(yes(p) if isinstance(p, str) else p for p in parts))


def all_of(*parts: Pred | str) -> AllOf:
    return AllOf(tuple(yes(p) if isinstance(p, str) else p for p in parts))


def count_at_least(n: int, *parts: Pred | str) -> CountAtLeast:
    return CountAtLeast(n, tuple(yes(p) if isinstance(p, str) else p for p in parts))


def not_(part: Pred | str) -> Not:
    return Not(yes(part) if isinstance(part, str) else part)
