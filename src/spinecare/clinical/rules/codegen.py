"""Compile many named predicates into one Python function, computing shared parts once.

Rules and screening questions reuse the same groups ("any spinal pain", "any
neurological deficit" …). Evaluated one by one, those groups would be recomputed
for every rule; here every compound sub-tree used more than once becomes a local
variable, computed once per call, and the function returns one truth value per
predicate. Callers find each value by the predicate's name (``index``), never by
counting positions.

The generated code is meant to be read: shared locals are named after the knowledge's
groups (``spinal_pain = …``), each value of the returned tuple carries its predicate's
name (a rule id) in a comment, and the source is registered with ``linecache`` under a
file name of its own, so a traceback or pdb shows the generated line, not ``<string>``.
``spinecare rules --source`` prints it; it is also kept on the function (``__source__``).
"""

from __future__ import annotations

import hashlib
import keyword
import linecache
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from spinecare.clinical.rules.predicates import AllOf, AnyOf, CountAtLeast, Not, Pred

FindingsMap = Mapping[str, Any]
# Names the generated function uses itself: the findings, their ``get`` and infinity.
_RESERVED = frozenset({"f", "g", "inf"})
# A derived local name is cut to this many characters (a comment says the rest).
_MAX_NAME = 40
_CONNECTIVES = frozenset({"and", "or", "of", "not"})


@dataclass(frozen=True, slots=True)
class CompiledPredicates:
    """One generated function over many named predicates, and where each result sits."""

    evaluate: Callable[[FindingsMap], tuple[bool, ...]]
    index: Mapping[str, int]      # predicate name -> position in the returned tuple
    source: str
    filename: str                 # the name tracebacks show; its lines are in linecache

    def __call__(self, f: FindingsMap) -> tuple[bool, ...]:
        return self.evaluate(f)

    def picker(self, names: Sequence[str]) -> Callable[[Sequence[bool]], tuple[bool, ...]]:
        """A function taking the results of ``names``, in that order, from a result tuple."""
        positions = [self.index[n] for n in names]
        if len(positions) == 1:  # itemgetter of one position returns a bare value
            only = positions[0]
            return lambda results: (results[only],)
        if not positions:
            return lambda results: ()
        return itemgetter(*positions)

    def by_name(self, f: FindingsMap) -> dict[str, bool]:
        """Every result by name (for tests and debugging; the engine indexes instead)."""
        results = self.evaluate(f)
        return {name: results[at] for name, at in self.index.items()}


def _walk(pred: Pred, seen: Counter[Pred]) -> None:
    seen[pred] += 1
    if seen[pred] > 1:
        return  # its children were counted the first time
    for child in pred.children():
        _walk(child, seen)


def _postorder(pred: Pred, shared: set[Pred], out: list[Pred], done: set[Pred]) -> None:
    if pred in done:
        return
    for child in pred.children():
        _postorder(child, shared, out, done)
    if pred in shared:
        done.add(pred)
        out.append(pred)


def identifier(text: str, limit: int = 0) -> str:
    """``text`` as a lower-case Python identifier that the generated code does not use
    already ("RF-CES 1" -> "rf_ces_1"); cut to ``limit`` characters if given."""
    name = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    if limit and len(name) > limit:
        cut = name[:limit + 1]
        # At a word boundary when there is one: "spinal_pain_and_age_50", not "…_ag"
        # or "…_50_or".
        words = cut.split("_")[:-1] if "_" in cut else [name[:limit]]
        while len(words) > 1 and words[-1] in _CONNECTIVES:
            words.pop()
        name = "_".join(words)
    if not name or name[0].isdigit():
        name = f"p_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _RESERVED:
        name += "_"
    return name


def _label(node: Pred, names: Mapping[Pred, str], groups: Mapping[Pred, str]) -> str:
    """Words for a sub-tree, using the names its parts already have ("spinal_pain and
    infection_context")."""
    named = names.get(node) or groups.get(node)
    if named is not None:
        return named
    words = [_label(child, names, groups) for child in node.children()]
    if isinstance(node, AnyOf):
        return " or ".join(words)
    if isinstance(node, AllOf):
        return " and ".join(words)
    if isinstance(node, CountAtLeast):
        return f"{node.n} of " + " ".join(words)
    if isinstance(node, Not):
        return "not " + words[0]
    return node.describe()  # a leaf: "back_pain", "no fever", "age ≥ 50"


def _local_names(order: Sequence[Pred], group_names: Mapping[Pred, str]) -> dict[Pred, str]:
    """A distinct, readable variable name for each shared sub-tree: the knowledge's own
    name for the group when it has one, otherwise one made from its parts' names."""
    names: dict[Pred, str] = {}
    taken: set[str] = set(_RESERVED)
    for node in order:  # children first, so a parent's label can use their names
        given = group_names.get(node)
        base = identifier(given or _label(node, names, group_names), _MAX_NAME)
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        names[node] = name
    return names


def _comment(text: str) -> str:
    return " ".join(text.split())  # one line, whatever the name holds


def _register(name: str, source: str) -> tuple[str, dict[str, Any]]:
    """Compile ``source`` under a file name of its own and register it with linecache.

    The file name carries a digest of the source, so the same knowledge compiled twice
    shares one entry and different knowledge never shows the wrong lines. ``mtime`` None
    tells ``linecache.checkcache`` there is no file to re-read: the entry stays.
    """
    digest = hashlib.sha1(source.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
    filename = f"<spinecare-rules {name} {digest}>"
    code = compile(source, filename, "exec")
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    namespace: dict[str, Any] = {"inf": math.inf, "__name__": "spinecare.generated"}
    exec(code, namespace)  # source generated from our own knowledge, never from input
    return filename, namespace


def compile_predicates(
    preds: Mapping[str, Pred], name: str = "evaluate", *,
    group_names: Mapping[Pred, str] | None = None, title: str = "",
) -> CompiledPredicates:
    """Compile ``{name: predicate}`` into ``fn(f) -> (bool, …)``; ``index`` maps each
    name to its position. ``group_names`` names shared sub-trees (``{SPINAL_PAIN:
    "spinal_pain"}``); ``title`` is a first comment line saying what this is."""
    if not name.isidentifier() or keyword.iskeyword(name) or name in _RESERVED:
        raise ValueError(f"not a usable function name: {name!r}")
    seen: Counter[Pred] = Counter()
    for p in preds.values():
        _walk(p, seen)
    # Only compound sub-trees are worth a local: a leaf is one dictionary lookup.
    shared = {p for p, n in seen.items() if n > 1 and p.children()}
    order: list[Pred] = []
    done: set[Pred] = set()
    for p in preds.values():
        _postorder(p, shared, order, done)
    names = _local_names(order, group_names or {})

    lines = [f"# {_comment(title)}"] if title else []
    lines += [f"def {name}(f):", "    g = f.get"]
    for node in order:
        # The local is computed from its own children: drop it from ``names`` while
        # writing its expression, or it would be written as itself.
        own = names.pop(node)
        lines.append(f"    {own} = {node.source(names)}")
        names[node] = own
    lines.append("    return (")
    lines.extend(f"        {p.source(names)},  # {_comment(key)}" for key, p in preds.items())
    lines.append("    )")
    source = "\n".join(lines) + "\n"
    filename, namespace = _register(name, source)
    fn = namespace[name]
    fn.__source__ = source
    return CompiledPredicates(fn, {key: i for i, key in enumerate(preds)}, source, filename)


def compile_predicate(pred: Pred, name: str) -> Callable[[FindingsMap], bool]:
    """One predicate as ``fn(f) -> bool``, generated and registered like the others (for
    tests run one at a time: level rules, the leaves that explain a rule)."""
    fn_name = identifier(name, 60)
    source = f"def {fn_name}(f):\n    g = f.get\n    return {pred.source()}\n"
    _, namespace = _register(fn_name, source)
    fn: Callable[[FindingsMap], bool] = namespace[fn_name]
    fn.__source__ = source  # type: ignore[attr-defined]
    return fn


def sources(compiled: Iterable[CompiledPredicates]) -> str:
    """The generated sources, one after another (valid Python as a whole)."""
    return "\n\n".join(c.source for c in compiled)
