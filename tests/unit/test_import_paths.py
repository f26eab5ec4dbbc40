"""Import per path: a run imports what it uses.

A real process runs ``brandaudit check acme.com -p github --no-discover -f json`` against a
loopback stand-in for GitHub's API and lists ``sys.modules`` at its end. A heavy module (rich,
Jinja2, history, people, ownership's HTML parsing, another command, another platform) in
that list fails the test unless ``ALLOWED`` gives the reason the run needs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = r"""
import contextlib, io, json, os, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"login": "acme", "type": "Organization", "id": 1}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
os.environ["BRANDAUDIT_ORIGIN_MAP"] = f"https://*=http://127.0.0.1:{server.server_address[1]}"
before = set(sys.modules)
sys.argv = ["brandaudit", *json.loads(sys.argv[1])]
from brandaudit._entry import main

out = io.StringIO()
code = 0
try:
    with contextlib.redirect_stdout(out):
        main()
except SystemExit as exc:
    code = exc.code
finally:
    server.shutdown()
    server.server_close()
sys.stderr.write(json.dumps({"code": code, "modules": sorted(set(sys.modules) - before)}))
"""

ONE_CHECK = ["check", "acme.com", "-p", "github", "--no-discover", "-f", "json"]

HEAVY = (
    "rich",
    "jinja2",
    "brandaudit.history",
    "brandaudit.people",
    "brandaudit.activity",
    "brandaudit.pagelinks",
    "brandaudit.render.table",
    "brandaudit.render.html",
    "brandaudit.render.markdown",
    "brandaudit.render.sarif",
    "brandaudit.bluesky.",
    "brandaudit.cli.",
    "brandaudit.platforms.builtin.",
    "atproto",
    "dns",
)
"""Module prefixes a one-platform JSON run should not need."""

ALLOWED: dict[str, str] = {
    "brandaudit.cli.app": "the root of the command line (its group and options)",
    "brandaudit.cli.check": "the command that runs",
    "brandaudit.cli.common": "what every command shares (the guarded runner, the console)",
    "brandaudit.cli.options": "check's options",
    "brandaudit.platforms.builtin.github": "the selected platform",
    "brandaudit.bluesky.checks": "the report's policy reads the Bluesky checks' specs (light)",
    "brandaudit.activity": "activity is on by default and the GitHub account is claimed",
    "brandaudit.activity.fetchers": "the readers of last activity, for the claimed account",
}


def _modules(tmp_path: Path, args: list[str]) -> list[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BRANDAUDIT_", "_BRANDAUDIT", "COV_", "COVERAGE"))
    }
    env.update(
        BRANDAUDIT_NO_CACHE="1",
        HOME=str(tmp_path),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = json.loads(done.stderr.strip().splitlines()[-1])
    assert found["code"] in {0, 1}, done.stderr
    modules: list[str] = found["modules"]
    return modules


def _heavy(modules: list[str]) -> list[str]:
    def heavy(name: str) -> bool:
        return any(name == p or name.startswith(p if p.endswith(".") else p + ".") for p in HEAVY)

    return [m for m in modules if heavy(m) and m not in ALLOWED]


def test_a_one_platform_json_run_imports_nothing_heavy_without_a_reason(tmp_path: Path) -> None:
    modules = _modules(tmp_path, ONE_CHECK)
    assert "brandaudit.platforms.builtin.github" in modules  # the probe saw the run
    assert "brandaudit.render.json" in modules
    assert _heavy(modules) == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--save", "--db", "history.db"], "brandaudit.history.store"),
        (["-f", "table"], "rich.console"),
    ],
)
def test_the_probe_sees_what_a_flag_brings_in(
    tmp_path: Path, extra: list[str], expected: str
) -> None:
    """The list is not blind: asking for history or a table imports them."""
    args = [*ONE_CHECK[:-2], *extra] if "-f" in extra else [*ONE_CHECK, *extra]
    modules = _modules(tmp_path, args)
    assert expected in modules
    assert _heavy(modules) != []


def test_a_builtin_entry_point_is_named_by_its_platform_id() -> None:
    """``registry.load(only=...)`` skips built-ins by entry-point name: the name must be the
    id the adapter reports, or ``-p`` would skip the adapter it asked for."""
    from brandaudit.config import Settings
    from brandaudit.platforms.registry import find_entry_points, load_entry_point

    builtins = [ep for ep in find_entry_points() if ep.value.startswith("brandaudit.")]
    assert len(builtins) >= 20
    for ep in builtins:
        assert load_entry_point(ep).from_settings(Settings()).id == ep.name
