"""The code base's own rules that a reader cannot see from one file: one door to the store, every import visible."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "crmkg"
MODULES = sorted(SRC.rglob("*.py"))
BACKEND_MODULES = {"crmkg.store.oxigraph", "crmkg.store.memory", "crmkg.store.sparql"}
BACKEND_CLASSES = {"OxigraphStore", "MemoryStore", "SparqlStore"}


def _imports(tree: ast.AST) -> list[tuple[int, str, set[str]]]:
    """(line, module, names) of every import in ``tree``, wherever it stands."""
    found: list[tuple[int, str, set[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, set()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            found.append((node.lineno, node.module, {alias.name for alias in node.names}))
    return found


def _relative(path: Path) -> str:
    return str(path.relative_to(SRC.parent))


def test_the_modules_are_found() -> None:
    assert len(MODULES) > 100
    assert SRC / "store" / "oxigraph.py" in MODULES


def _backend_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    offending = [
        f"{_relative(path)}:{line}: imports {module} {sorted(names) or ''}".rstrip()
        for line, module, names in _imports(tree)
        if module in BACKEND_MODULES or (module == "crmkg.store" and names & BACKEND_CLASSES)
    ]
    offending += [
        f"{_relative(path)}:{node.lineno}: names {node.id}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id in BACKEND_CLASSES
    ]
    return offending


def test_only_the_store_names_a_backend() -> None:
    """Everything else goes through the Store protocol and open_store (issue 17 §1)."""
    outside = [p for p in MODULES if p.relative_to(SRC).parts[0] != "store"]
    offending = [line for path in outside for line in _backend_uses(path)]
    assert not offending, "\n".join(offending)
    assert _backend_uses(SRC / "store" / "__init__.py"), "the check sees the store's own use of its backends"


def _string_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    calls = [
        f"{_relative(path)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("import_module", "__import__")
    ]
    calls += [
        f"{_relative(path)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__"
    ]
    return calls


def test_no_module_is_imported_by_its_name_as_a_string() -> None:
    """Routers, verbs, engines and formats are plain imports, so tools and readers see them (issue 17 §5)."""
    calls = [line for path in MODULES for line in _string_imports(path)]
    assert not calls, "string imports at " + ", ".join(calls)


def test_every_package_can_be_imported_first() -> None:
    """An import cycle shows only when its modules are imported in one order; each package goes first once."""
    packages = sorted(".".join(p.parent.relative_to(SRC.parent).parts) for p in MODULES if p.name == "__init__.py")
    assert "crmkg.web" in packages
    failed = []
    for package in packages:
        run = subprocess.run([sys.executable, "-c", f"import {package}"], capture_output=True, text=True, check=False)
        if run.returncode != 0:
            failed.append(f"{package}: {run.stderr.strip().splitlines()[-1]}")
    assert not failed, "\n".join(failed)
