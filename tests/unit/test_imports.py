"""Module boundaries inside ``brandaudit``: no module imports another module's private name
(ruff's PLC2701 only sees imports across packages), no import cycle between modules, and no
command module imports the app."""

from __future__ import annotations

import ast
from pathlib import Path

import brandaudit

SRC = Path(brandaudit.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.module, alias.name) for alias in node.names)
    return found


def test_no_module_imports_a_private_name_from_another() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        here = _module_name(path)
        for module, name in _imports(path):
            private = name.startswith("_") and name != "__version__"
            if module.startswith("brandaudit") and module != here and private:
                offenders.append(f"{here}: from {module} import {name}")
    assert offenders == []
    assert len(list(SRC.rglob("*.py"))) > 50  # the walk saw the package


def test_command_modules_never_import_the_app() -> None:
    commands = [p for p in (SRC / "cli").glob("*.py") if p.stem not in {"__init__", "app"}]
    assert {p.stem for p in commands} >= {"check", "common", "options", "bluesky", "merge"}
    for path in commands:
        modules = {module for module, _ in _imports(path)}
        assert not modules & {"brandaudit.cli", "brandaudit.cli.app"}, path.name


def _module_level_imports(path: Path, known: set[str]) -> set[str]:
    """The brandaudit modules ``path`` imports when it is imported (not inside functions, not
    under ``if TYPE_CHECKING:``); ``from pkg import name`` counts ``pkg.name`` if it is a
    module, else ``pkg``."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If):
                if "TYPE_CHECKING" not in ast.unparse(node.test):
                    visit(node.body)
                    visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join([*base, *([module] if module else [])])
                for alias in node.names:
                    found.add(
                        f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module
                    )

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {m for m in found if m in known and m != here}


def test_no_import_cycle_inside_the_package() -> None:
    paths = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph = {name: _module_level_imports(path, set(paths)) for name, path in paths.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def walk(name: str, path: list[str]) -> None:
        state[name] = 1
        for nxt in sorted(graph[name]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    assert cycles == []
    assert sum(len(deps) for deps in graph.values()) > 100  # the walk saw the imports


def _every_import(path: Path, known: set[str]) -> set[str]:
    """The brandaudit modules ``path`` imports anywhere: at module level and inside
    functions (a deferred import still ties the two modules together), but not under
    ``if TYPE_CHECKING:`` (never run)."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(sub) for stmt in node.body for sub in ast.walk(stmt))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([module] if module else [])])
            for alias in node.names:
                dotted = f"{module}.{alias.name}"
                found.add(dotted if dotted in known else module)
    return {m for m in found if m in known and m != here}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def walk(name: str, path: list[str]) -> None:
        state[name] = 1
        for nxt in sorted(graph.get(name, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    return cycles


DEFERRED_CYCLES: frozenset[tuple[str, str]] = frozenset()
"""Imports inside functions allowed to close a cycle (importer, imported). Empty: a
function-level import is a start-up deferral (dnspython, Jinja2, the network core, a
command's own modules loaded when the command runs), never a way around a cycle; a cycle is
fixed by moving code down (``jobs`` below ``runner``, ``render.options`` below the formats,
the config parsers outside ``net``)."""


def _full_graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph = {name: _every_import(path, set(paths)) for name, path in paths.items()}
    for importer, imported in DEFERRED_CYCLES:
        graph[importer].discard(imported)
    return graph


def test_no_import_cycle_counting_imports_inside_functions() -> None:
    graph = _full_graph()
    assert _cycles(graph) == []
    # The walk sees imports inside functions: these edges exist only there.
    assert "brandaudit.ownership" in graph["brandaudit.runner"]
    assert "brandaudit.render.common" in graph["brandaudit.render.lookalikes"]
    assert sum(len(deps) for deps in graph.values()) > 400


def test_no_cycle_between_packages_counting_imports_inside_functions() -> None:
    """``config`` <-> ``net`` and ``render`` <-> ``people`` were cycles of this kind."""
    graph: dict[str, set[str]] = {}
    for name, deps in _full_graph().items():
        unit = ".".join(name.split(".")[:2])
        graph.setdefault(unit, set()).update(
            ".".join(d.split(".")[:2]) for d in deps if not d.startswith(unit + ".") and d != unit
        )
    assert _cycles(graph) == []
    assert "brandaudit.config" in graph["brandaudit.net"]  # the direction that stays


def test_the_cycle_walk_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]
