"""The built-in platforms are listed in three places that must agree: the modules under
``platforms/builtin/``, the ``brandaudit.platforms`` entry points in pyproject.toml, and the
README's platform table."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import brandaudit.platforms.builtin as builtin
from brandaudit.platforms.registry import find_entry_points, load_entry_point

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "brandaudit.platforms.builtin."


def _declared() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(data["project"]["entry-points"]["brandaudit.platforms"])


def _readme_ids() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Platforms\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.M)


def test_every_builtin_module_is_an_entry_point_and_every_entry_point_a_module() -> None:
    modules = {
        p.stem for p in Path(builtin.__file__).parent.glob("*.py") if not p.stem.startswith("_")
    }
    targets = {value.split(":", 1)[0].removeprefix(PREFIX) for value in _declared().values()}
    assert all(v.startswith(PREFIX) for v in _declared().values())
    assert modules == targets


def test_each_entry_point_names_an_adapter_with_its_id() -> None:
    declared = _declared()
    installed = {ep.name: ep for ep in find_entry_points() if ep.value.startswith(PREFIX)}
    assert set(installed) == set(declared), "reinstall: pip install -e ."
    for name, ep in installed.items():
        assert ep.value == declared[name]
        assert load_entry_point(ep).id == name


def test_the_readme_table_lists_every_builtin_once() -> None:
    ids = _readme_ids()
    assert len(ids) == len(set(ids)), ids
    assert set(ids) == set(_declared())
