"""The clinical core imports nothing outside itself: only the standard library and
``spinecare.clinical``. Every file is parsed, so an import inside a function (the kind that
hides a dependency from a reader) counts as much as one at the top; and the whole core is
imported in a fresh interpreter to prove no heavy library comes in any other way."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CLINICAL = REPO / "src" / "spinecare" / "clinical"
CORE = "spinecare.clinical"
# Named so that the message says what went wrong; the rule itself is "stdlib or the core".
HEAVY = ("sqlalchemy", "alembic", "fastapi", "starlette", "pydantic", "spacy", "medspacy",
         "weasyprint", "jinja2", "numpy", "bm25s", "rich", "typer", "uvicorn", "httpx",
         "yaml", "fhir", "psycopg", "rapidfuzz")
FILES = sorted(CLINICAL.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO / "src").with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file, wherever it stands, plus
    ``importlib.import_module("...")`` / ``__import__("...")`` with a literal name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this file's package
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def _allowed(module: str) -> bool:
    top = module.split(".")[0]
    return (module == CORE or module.startswith(CORE + ".") or top == "__future__"
            or top in sys.stdlib_module_names)


def test_the_core_has_files_to_check() -> None:
    assert len(FILES) >= 25
    # The parser sees imports inside functions, and relative ones resolve into the core.
    assert ("spinecare.clinical.rules.levels" in
            {m for f in FILES for _, m in _imports(f)})


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CLINICAL)))
def test_a_clinical_module_imports_only_the_standard_library_and_the_core(path: Path) -> None:
    bad = [f"line {line}: {module}" + (" (a heavy library)" if module.split(".")[0] in HEAVY
                                        else "")
           for line, module in _imports(path) if not _allowed(module)]
    assert not bad, (
        f"{path.relative_to(REPO)} imports from outside spinecare.clinical: {bad}. The core "
        "stays pure: pass what it needs in (a function, a value) from services/ or adapters/.")


def test_importing_the_whole_core_loads_no_other_package() -> None:
    modules = [_module_name(p) for p in FILES]
    script = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=REPO)
    loaded = __import__("json").loads(done.stdout)
    outside = [m for m in loaded if m.startswith("spinecare.") and not m.startswith(CORE)]
    heavy = sorted({m.split(".")[0] for m in loaded} & set(HEAVY))
    assert not outside, f"importing spinecare.clinical loaded {outside}"
    assert not heavy, f"importing spinecare.clinical loaded heavy libraries: {heavy}"
