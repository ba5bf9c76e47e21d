"""Compile many predicates into one Python function, computing shared parts once.

Rules and screening questions reuse the same groups ("any spinal pain", "any
neurological deficit" …). Evaluated one by one, those groups would be recomputed
for every rule; here every compound sub-tree used more than once becomes a local
variable, computed once per call. The generated source is kept on the function
(``__source__``) so it can be read and tested.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from spinecare.clinical.rules.predicates import Pred

SEP = "\n"


def _walk(pred: Pred, seen: Counter[int], nodes: dict[int, Pred]) -> None:
    seen[id(pred)] += 1
    nodes[id(pred)] = pred
    if seen[id(pred)] > 1:
        return  # its children were counted the first time
    for child in getattr(pred, "parts", ()) or ():
        _walk(child, seen, nodes)
    inner = getattr(pred, "part", None)
    if isinstance(inner, Pred):
        _walk(inner, seen, nodes)


def _postorder(pred: Pred, shared: set[int], out: list[Pred], done: set[int]) -> None:
    for child in getattr(pred, "parts", ()) or ():
        _postorder(child, shared, out, done)
    inner = getattr(pred, "part", None)
    if isinstance(inner, Pred):
        _postorder(inner, shared, out, done)
    if id(pred) in shared and id(pred) not in done:
        done.add(id(pred))
        out.append(pred)


def compile_predicates(
    preds: Sequence[Pred], name: str = "_evaluate"
) -> Callable[[Any], list[bool]]:
    """Return ``fn(f) -> [bool, …]``, one truth value per predicate, in order."""
    seen: Counter[int] = Counter()
    nodes: dict[int, Pred] = {}
    for p in preds:
        _walk(p, seen, nodes)
    shared = {i for i, n in seen.items()
              if n > 1 and (getattr(nodes[i], "parts", None) or hasattr(nodes[i], "part"))}
    order: list[Pred] = []
    done: set[int] = set()
    for p in preds:
        _postorder(p, shared, order, done)

    names: dict[int, str] = {}
    lines = [f"def {name}(f):", "    g = f.get"]
    for k, node in enumerate(order):
        lines.append(f"    _s{k} = {node.source(names)}")
        names[id(node)] = f"_s{k}"
    lines.append("    return [")
    lines.extend(f"        {p.source(names)}," for p in preds)
    lines.append("    ]")
    source = SEP.join(lines).replace("f.get(", "g(")
    namespace: dict[str, Any] = {"inf": float("inf")}
    exec(source, namespace)  # source generated from our own knowledge, not from input
    fn = namespace[name]
    fn.__source__ = source
    return fn
