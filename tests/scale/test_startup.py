"""Start-up stays light: --version, --help and `platforms` never import atproto (structural,
from ``python -X importtime``; the timings themselves are measured in bench/)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY_PACKAGES = {"atproto", "atproto_client", "atproto_identity", "atproto_core", "aiohttp"}


def _imported(*args: str) -> set[str]:
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "brandaudit", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "100", "NO_COLOR": "1"},
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    modules = set()
    for line in completed.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            modules.add(name)
    assert "brandaudit" in modules  # the parse worked
    return modules


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("check", "--help"), ("platforms",)])
def test_light_commands_do_not_import_heavy_modules(args: tuple[str, ...]) -> None:
    modules = _imported(*args)
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY_PACKAGES)
    assert heavy == []
    assert "brandaudit.runner" not in modules  # nor the network core


@pytest.mark.parametrize("args", [("--version",), ("--help",)])
def test_version_and_help_import_neither_pydantic_nor_httpx(args: tuple[str, ...]) -> None:
    modules = _imported(*args)
    assert {m.split(".")[0] for m in modules} & {
        "pydantic",
        "httpx",
        "dns",
        "publicsuffixlist",
    } == set()


def test_version_is_answered_before_the_cli_is_imported() -> None:
    # No third-party plugin on this path: the entry point answers without typer or metadata.
    modules = _imported("--version")
    assert {m.split(".")[0] for m in modules} & {"typer", "rich", "click"} == set()
    assert "importlib.metadata" not in modules
    assert "brandaudit.cli" not in modules
