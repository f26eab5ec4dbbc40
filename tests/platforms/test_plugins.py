"""Plugins load through the ``brandaudit.platforms`` entry-point group, without installing
anything: each test puts a temporary ``*.dist-info`` (and the plugin's module) on
``sys.path``, which ``importlib.metadata`` reads like any installed distribution."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from brandaudit.config import Settings
from brandaudit.model import PlatformResult, Status
from brandaudit.platforms import registry
from brandaudit.platforms.base import Adapter
from tests.conftest import World, brandaudit_command
from tests.platforms.conftest import check, settings_for
from tests.world.http import Reply

EXAMPLE_SRC = Path(__file__).resolve().parents[2] / "examples" / "plugin" / "src"

BROKEN_MODULE = "raise ImportError('brandaudit_broken_plugin needs libfoo')\n"
NOT_AN_ADAPTER = "class Thing:\n    pass\n"
CLASHING = """\
from brandaudit.platforms.builtin.github import GitHubAdapter


class FakeGitHub(GitHubAdapter):
    pass
"""


def _distribution(site: Path, name: str, version: str, entry_points: dict[str, str]) -> None:
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = "".join(f"{key} = {value}\n" for key, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[brandaudit.platforms]\n{lines}", encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh site directory on sys.path with the example plugin and three bad ones."""
    site = tmp_path / "site"
    site.mkdir()
    _distribution(
        site,
        "brandaudit-example-plugin",
        "0.1.0",
        {"hatchly": "brandaudit_example_plugin:HatchlyAdapter"},
    )
    _distribution(
        site, "brandaudit-broken-plugin", "2.0.0", {"broken": "brandaudit_broken_plugin:X"}
    )
    (site / "brandaudit_broken_plugin.py").write_text(BROKEN_MODULE, encoding="utf-8")
    _distribution(site, "brandaudit-odd-plugin", "0.0.1", {"odd": "brandaudit_odd_plugin:Thing"})
    (site / "brandaudit_odd_plugin.py").write_text(NOT_AN_ADAPTER, encoding="utf-8")
    _distribution(
        site,
        "brandaudit-clash-plugin",
        "1.0.0",
        {"fakegithub": "brandaudit_clash_plugin:FakeGitHub"},
    )
    (site / "brandaudit_clash_plugin.py").write_text(CLASHING, encoding="utf-8")
    monkeypatch.syspath_prepend(str(EXAMPLE_SRC))
    monkeypatch.syspath_prepend(str(site))
    yield site
    for module in (
        "brandaudit_example_plugin",
        "brandaudit_broken_plugin",
        "brandaudit_odd_plugin",
        "brandaudit_clash_plugin",
    ):
        sys.modules.pop(module, None)


def test_good_plugins_load_and_bad_ones_become_warnings(site: Path) -> None:
    loaded = registry.load(Settings())
    assert "hatchly" in loaded.adapters
    assert loaded.adapters["hatchly"].name == "Hatchly"
    # The built-ins are all still there.
    assert {"x", "github", "tumblr", "youtube"} <= set(loaded.adapters)
    warnings = "\n".join(loaded.warnings)
    assert "'brandaudit-broken-plugin'" in warnings
    assert "ImportError: brandaudit_broken_plugin needs libfoo" in warnings
    assert "'brandaudit-odd-plugin'" in warnings
    assert "not an Adapter subclass" in warnings
    assert "'brandaudit-clash-plugin'" in warnings
    assert "already registered" in warnings
    assert "odd" not in loaded.adapters


def test_load_plugins_variable_restricts_plugins_not_builtins(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRANDAUDIT_LOAD_PLUGINS", "hatchly")
    loaded = registry.load(Settings())
    assert "hatchly" in loaded.adapters
    assert "github" in loaded.adapters
    assert loaded.warnings == []


def test_a_user_defined_platform_may_not_take_a_plugins_id(site: Path) -> None:
    from brandaudit.errors import ConfigError

    settings = Settings.model_validate(
        {
            "platforms": {
                "hatchly": {
                    "name": "Mine",
                    "url": "https://mine.example/{handle}",
                    "handle_pattern": ".+",
                    "claimed": {"status": [200]},
                }
            }
        }
    )
    with pytest.raises(ConfigError, match="already a platform"):
        registry.load(settings)


def test_the_example_plugin_checks_through_the_runner(site: Path, world: World) -> None:
    from tests.world.http import Reply

    world.http.route(
        "api.hatchly.example",
        "/v1/accounts/acme",
        Reply.json({"account": {"handle": "acme", "display_name": "Acme"}}),
    )
    result = check(world, "hatchly", "acme")
    assert result.status is Status.CLAIMED
    assert result.url == "https://hatchly.example/@acme"


@pytest.mark.e2e
def test_version_lists_plugin_versions_and_survives_broken_ones(site: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRANDAUDIT_")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(EXAMPLE_SRC)])
    version = subprocess.run(
        [*brandaudit_command(), "--version"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert version.returncode == 0, version.stderr
    assert "plugin (brandaudit.platforms): brandaudit-example-plugin 0.1.0" in version.stdout
    listed = subprocess.run(
        [*brandaudit_command(), "platforms"],
        env={**env, "COLUMNS": "200"}, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert "hatchly" in listed.stdout
    assert "brandaudit-broken-plugin" in listed.stderr
    assert "Traceback" not in listed.stderr


def test_the_plugin_surface_exports_what_it_names() -> None:
    import brandaudit.plugin as surface

    for name in surface.__all__:
        assert getattr(surface, name) is not None, name


def test_the_example_plugin_imports_only_from_the_plugin_surface() -> None:
    import re

    for source in EXAMPLE_SRC.rglob("*.py"):
        imports = re.findall(r"^\s*(?:from|import)\s+(brandaudit[\w.]*)", source.read_text(), re.M)
        assert set(imports) <= {"brandaudit.plugin"}, (source, imports)


def _run(world: World, adapter: Adapter, handle: str) -> PlatformResult:
    import asyncio

    from brandaudit.model import HandleSource
    from brandaudit.net.client import NetClient
    from brandaudit.net.dns import DnsClient
    from brandaudit.runner import Job, run_job

    settings = settings_for(world)

    async def go() -> PlatformResult:
        async with NetClient(settings.network) as net:
            dns = DnsClient(["127.0.0.1:9"], timeout=0.5)
            return await run_job(Job(adapter, handle, HandleSource.CLI), net, dns, settings)

    return asyncio.run(go())


def test_a_signal_adapter_reads_outcomes_in_order(world: World) -> None:
    from brandaudit.plugin import (
        Confidence,
        HandleRule,
        Method,
        Outcome,
        Signal,
        SignalAdapter,
        Status,
    )

    class Tiny(SignalAdapter):
        id = "tiny"
        name = "Tiny"
        methods = (Method.PUBLIC_API,)
        rule = HandleRule(r"[a-z]{3,10}", "3-10 letters")
        profile_template = "https://tiny.example/@{handle}"
        check_template = "https://tiny.example/api/{handle}"
        json_answer = True
        profile_hosts = frozenset({"tiny.example"})
        profile_prefix = "@"
        outcomes = (
            Outcome(Signal.of(200, json_path="user"), Status.CLAIMED, Confidence.HIGH, "{handle}"),
            Outcome(
                Signal.of(404, json_path="error", json_equals="nope"),
                Status.AVAILABLE,
                Confidence.MEDIUM,
                "{handle} is free",
                "take {handle}",
            ),
        )

    adapter = Tiny()
    assert adapter.handle_from_url("https://tiny.example/@acme") == "acme"
    assert adapter.handle_from_url("https://tiny.example/acme") is None
    world.http.route("tiny.example", "/api/acme", Reply.json({"user": {"id": 1}}))
    world.http.route("tiny.example", "/api/free", Reply.json({"error": "nope"}, 404))
    world.http.route("tiny.example", "/api/drift", Reply.json({"error": "other"}, 404))
    world.http.route("tiny.example", "/api/html", Reply.html("<p>hi</p>"))
    results = {h: _run(world, adapter, h) for h in ("acme", "free", "drift", "html")}
    assert results["acme"].status is Status.CLAIMED
    assert results["free"].status is Status.AVAILABLE
    assert results["free"].remediation == "take free"
    assert results["drift"].status is Status.UNKNOWN
    assert "signal drift" in results["drift"].reason
    assert results["html"].status is Status.UNKNOWN
