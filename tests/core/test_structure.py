"""The code base's own rules that a reader cannot see from one file: one door to the store, every import visible."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from crmkg.graph_components import strongly_connected

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
    offending += [
        f"{_relative(path)}:{node.lineno}: reaches for the backend's own store (.{node.attr})"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ("native", "_native")
    ]
    return offending


def test_only_the_store_names_a_backend() -> None:
    """Everything else goes through the Store protocol and open_store (issue 17 §1)."""
    outside = [p for p in MODULES if p.relative_to(SRC).parts[0] != "store"]
    offending = [line for path in outside for line in _backend_uses(path)]
    assert not offending, "\n".join(offending)
    assert _backend_uses(SRC / "store" / "__init__.py"), "the check sees the store's own use of its backends"
    assert any(".native" in line or "._native" in line for line in _backend_uses(SRC / "store" / "oxigraph.py"))


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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (imports for annotations, never run)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    return inside


def import_graph() -> dict[str, set[str]]:
    """Module → the crmkg modules it imports, wherever the import stands (a function's own import
    is a real edge: it only runs later), except imports for type checking alone."""
    modules = {_module_name(p): p for p in MODULES}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text("utf-8"))
        skipped = _type_checking_only(tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names if alias.name in modules)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    edges.add(target if target in modules else base)
        graph[name] = {e for e in edges if e in modules and e != name}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module, each sorted."""
    return sorted(sorted(group) for group in strongly_connected(graph) if len(group) > 1)


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_sees_late_imports() -> None:
    graph = import_graph()
    assert "crmkg.validation.fast.engine" in graph["crmkg.validation.engine"]
    # pyshacl is imported inside a function (it is slow to import), and still counts
    assert "crmkg.validation.pyshacl_engine" in graph["crmkg.validation.fast.engine"]


def test_no_import_cycles() -> None:
    """Imports run one way, also those inside functions: a cycle hidden behind a late import is
    still a cycle (issue 17 §5: the validation engine and the fast engine imported each other)."""
    cycles = import_cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


#: "~400 lines max" (the team's standard), with a tenth of slack: a module past this is cut along its
#: seams. A generated or data module may be longer if its docstring has a line starting ``Length:``
#: that says why.
MAX_LINES = 440


def test_no_module_is_far_over_400_lines() -> None:
    long = []
    for path in MODULES:
        text = path.read_text("utf-8")
        lines = len(text.splitlines())
        docstring = ast.get_docstring(ast.parse(text)) or ""
        excused = any(line.startswith("Length:") for line in docstring.splitlines())
        if lines > MAX_LINES and not excused:
            long.append(f"{_relative(path)}: {lines} lines")
    assert not long, "modules over the limit:\n" + "\n".join(long)


def test_one_severity() -> None:
    """One findings model (issue 17 §2): one Severity enum, whatever module reports."""
    defined = [
        f"{_relative(path)}:{node.lineno}: {node.name}"
        for path in MODULES
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.ClassDef)
        and (
            "Severity" in node.name
            or any(isinstance(s, ast.Assign) and "VIOLATION" in ast.unparse(s.targets[0]) for s in node.body)
        )
    ]
    assert len(defined) == 1, defined
    assert defined[0].startswith("crmkg/severity.py:"), defined
    assert defined[0].endswith(": Severity"), defined


def _crmkg_errors() -> set[str]:
    """Names of crmkg's typed errors: those of crmkg.errors and the subclasses modules define."""
    import crmkg.errors

    classes = {name: value for name, value in vars(crmkg.errors).items() if isinstance(value, type)}
    typed = {name for name, value in classes.items() if issubclass(value, crmkg.errors.CrmkgError)}
    bases = {
        node.name: {ast.unparse(b).rpartition(".")[2] for b in node.bases}
        for path in MODULES
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.ClassDef)
    }
    while grown := {name for name, of in bases.items() if of & typed} - typed:
        typed |= grown
    return typed


_BROAD = {"Exception", "BaseException"}


def _is_broad(kind: ast.expr | None) -> bool:
    if kind is None:
        return True
    if isinstance(kind, ast.Tuple):
        return any(_is_broad(k) for k in kind.elts)
    return isinstance(kind, ast.Name) and kind.id in _BROAD


def _handles_it(handler: ast.ExceptHandler, typed: set[str]) -> bool:
    """The handler re-raises (bare ``raise``) or raises one of crmkg's typed errors."""
    for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
        if isinstance(node, ast.Raise):
            if node.exc is None:
                return True
            called = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(called, ast.Name) and called.id in typed:
                return True
    return False


def broad_catches(path: Path, typed: set[str]) -> list[tuple[int, str]]:
    """``except Exception`` (or bare, or BaseException) and ``suppress(Exception)`` that neither re-raise
    nor raise a typed crmkg error and carry no comment on their line saying why they may: (line, text)."""
    text = path.read_text("utf-8")
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text)):
        swallows = isinstance(node, ast.ExceptHandler) and _is_broad(node.type) and not _handles_it(node, typed)
        suppresses = (
            isinstance(node, ast.Call)
            and ast.unparse(node.func) in ("contextlib.suppress", "suppress")
            and any(_is_broad(arg) for arg in node.args)
        )
        if not (swallows or suppresses):
            continue
        line = getattr(node, "lineno", 0)
        if "#" not in lines[line - 1]:
            found.append((line, lines[line - 1].strip()))
    return found


def test_the_broad_catch_finder_finds_them(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import contextlib\n"
        "try:\n    pass\nexcept Exception:\n    pass\n"  # line 4: swallowed
        "try:\n    pass\nexcept Exception as exc:\n    raise ValidationError(str(exc)) from exc\n"
        "try:\n    pass\nexcept BaseException:\n    raise\n"
        "try:\n    pass\nexcept:\n    raise RuntimeError('x')\n"  # line 16: not a typed error
        "with contextlib.suppress(Exception):\n    pass\n"  # line 18
        "try:\n    pass\nexcept Exception:  # a process boundary: reported, never fatal\n    pass\n",
        "utf-8",
    )
    assert [line for line, _ in broad_catches(sample, {"ValidationError"})] == [4, 16, 18]


def test_every_broad_catch_re_raises_or_is_explained() -> None:
    """No broad ``except`` that swallows errors silently (issue 17): library code raises typed
    errors; the few places that must catch everything (a process boundary, teardown, a third-party
    library that raises plain exceptions) say why on the ``except`` line."""
    typed = _crmkg_errors()
    assert "ValidationError" in typed
    found = [f"{_relative(path)}:{line}: {text}" for path in MODULES for line, text in broad_catches(path, typed)]
    assert not found, "broad catches without a reason:\n" + "\n".join(found)


def test_the_fast_path_is_a_thin_shim() -> None:
    """api/fastpath.py catches only crmkg's own errors, and the hot answers are dumped by pydantic
    (``TypeAdapter.dump_json``), not built by hand (issue 17 §4)."""
    shim = ast.parse((SRC / "api" / "fastpath.py").read_text("utf-8"))
    caught = [ast.unparse(h.type) if h.type else "bare" for h in ast.walk(shim) if isinstance(h, ast.ExceptHandler)]
    assert caught
    assert not [c for c in caught if c in ("bare", *_BROAD) or "Exception" in c], caught
    answers = ast.parse((SRC / "api" / "answers.py").read_text("utf-8"))
    calls = {ast.unparse(n.func) for n in ast.walk(answers) if isinstance(n, ast.Call)}
    assert "TypeAdapter" in calls
    assert any(c.endswith(".dump_json") for c in calls)
    for tree in (shim, answers):
        assert not [m for _, m, _ in _imports(tree) if m == "json"], "JSON is written by pydantic"


def test_settings_are_typed() -> None:
    """Every setting is a typed field (no ``Settings.extra[...]`` bag of untyped values)."""
    from dataclasses import fields

    from crmkg.config import Settings

    declared = {f.name: str(f.type) for f in fields(Settings)}
    assert "sparql_workers" in declared  # once an untyped extra
    assert "extra" not in declared
    loose = {name: kind for name, kind in declared.items() if "Any" in kind or "dict" in kind or "Mapping" in kind}
    assert not loose, loose
