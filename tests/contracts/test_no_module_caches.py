"""No module-level caches (issue 10, item 2): none at all in the clinical core or the library,
and elsewhere only the few listed in ``ALLOWED`` with the reason each is harmless.

A cache in a module is a second composition root: it decides, out of sight, that the
process shares one object (three triage engines per process came from three such
caches). The clinical core and the library take what they need as arguments; the one
place that keeps built pieces is ``spinecare.bootstrap`` and the application object.
"""

from __future__ import annotations

import ast
from pathlib import Path

from repo_paths import REPO_ROOT

SRC = REPO_ROOT / "src" / "spinecare"
CHECKED = sorted(SRC.rglob("*.py"))
# Pure functions of their arguments (or of shipped data), bounded, holding nothing that
# differs between application objects: caching them decides nothing about composition.
ALLOWED = {
    # A Fernet key derived from the app's secret key (the key is the argument).
    "entrypoints/web/pages/_interview.py:_fernet",
    # An article's HTML, keyed by its Markdown text.
    "entrypoints/web/pages/knowledge.py:_article_html",
    # The speller's word list and the English word set, read from shipped content.
    "adapters/intake/extract.py:_speller",
    "adapters/intake/reading.py:_english",
    # The standalone reader ``extract_findings(text)`` used by the intake's corpus tests and
    # benchmarks; the application reads text with its own extractor (Spinecare.extractor).
    "adapters/intake/pipeline.py:_default_nlp",
    "adapters/intake/lexicon.py:load_lexicon",
}
NEVER = ("clinical/", "adapters/library/")
CACHE_DECORATORS = {"cache", "lru_cache", "cached_property"}
# Still to move into the application object (the registry is read per request through
# this cache by the search and decision-aid services): remove the entry when it moves.
PENDING: set[str] = set()


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(SRC).as_posix()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if any(_decorator_name(d) in CACHE_DECORATORS for d in node.decorator_list):
                found.append(f"{where}:{node.name}")
        elif isinstance(node, ast.Name) and node.id == "shared_engine":
            found.append(f"{where}: shared_engine")
    # An engine built when the module is imported is a process-wide engine too.
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
            for call in ast.walk(stmt.value):
                if isinstance(call, ast.Call) and _decorator_name(call.func) == "TriageEngine":
                    found.append(f"{where}:{stmt.lineno} module-level TriageEngine")
    return found


def test_no_module_level_cache_outside_the_short_list_and_none_in_the_core_or_library() -> None:
    assert len(CHECKED) > 100  # the scan really looked at the packages
    found = {f for path in CHECKED for f in _findings(path)}
    assert sorted(f for f in found if f.startswith(NEVER)) == []
    assert sorted(found - ALLOWED - PENDING) == []
    assert found >= ALLOWED | PENDING, "a listed cache is gone: drop it from the list"
