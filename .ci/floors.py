"""Print a pip constraints file pinning every direct dependency to its declared floor.

``pip install -c <this output> -e '.[test]'`` then installs the lowest versions pyproject.toml
claims to support (transitive dependencies resolve as usual), so a floor that is too low
fails in CI instead of on a user's machine. Every dependency must declare a ``>=`` floor.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_FLOOR = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")


def floors(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    pins = []
    for requirement in project["dependencies"]:
        match = _FLOOR.match(requirement.split(";", 1)[0])
        name, spec = (match.group(1), match.group(3)) if match else (requirement, "")
        lower = [s.strip()[2:].strip() for s in spec.split(",") if s.strip().startswith(">=")]
        if len(lower) != 1:
            raise SystemExit(f"floors.py: {requirement!r} has no single '>=' floor")
        pins.append(f"{name}=={lower[0]}")
    return pins


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    sys.stdout.write("".join(f"{pin}\n" for pin in floors(root / "pyproject.toml")))
