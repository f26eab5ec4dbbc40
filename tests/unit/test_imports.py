"""Module boundaries inside ``brandaudit``: no module imports another module's private name
(ruff's PLC2701 only sees imports across packages), and the CLI package has no cycle back
from a command module to the app."""

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
