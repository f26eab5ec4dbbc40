"""One settings path: every BRANDAUDIT_* setting is read by ``config`` (``resolve`` and the
two settings needed before a run has Settings), and means the same through the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import brandaudit
from brandaudit import config, handles
from brandaudit.cli.options import network_flags
from tests.conftest import World
from tests.world import platforms as p

SRC = Path(brandaudit.__file__).parent


def _env_reads(path: Path) -> list[str]:
    """``BRANDAUDIT_*`` names read from ``os.environ`` / ``os.getenv`` in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            target = ast.unparse(node.func)
            reader = target.endswith("getenv") or (
                target.endswith(".get") and ("environ" in target or target == "env.get")
            )
            if reader:
                first = node.args[0]
                if isinstance(first, ast.Constant) and str(first.value).startswith("BRANDAUDIT_"):
                    found.append(str(first.value))
        if isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("environ"):
            key = node.slice
            if isinstance(key, ast.Constant) and str(key.value).startswith("BRANDAUDIT_"):
                found.append(str(key.value))
    return found


def test_no_module_but_config_reads_a_brandaudit_setting_from_the_environment() -> None:
    readers = {
        str(path.relative_to(SRC)): names
        for path in sorted(SRC.rglob("*.py"))
        if (names := _env_reads(path))
    }
    assert set(readers) <= {"config.py"}, readers
    assert "BRANDAUDIT_LOAD_PLUGINS" in readers["config.py"]  # the walk sees reads


def test_brandaudit_timeout_means_what_timeout_means() -> None:
    """Measured: through config.resolve it set the read timeout only (read 3 s, connect 5 s),
    through the CLI both (3 s / 3 s)."""
    settings = config.resolve(
        config_path=None, cwd=Path("/nonexistent"), env={"BRANDAUDIT_TIMEOUT": "3"}
    )
    flags = network_flags(timeout=3, deadline=None)
    assert (settings.network.connect_timeout, settings.network.read_timeout) == (3.0, 3.0)
    assert (flags["connect_timeout"], flags["read_timeout"]) == (3, 3)


def test_mastodon_instances_from_the_environment_reach_the_adapter_through_settings() -> None:
    from brandaudit.platforms.builtin.mastodon import MastodonAdapter

    env = {"BRANDAUDIT_MASTODON_INSTANCES": "fosstodon.org, hachyderm.io"}
    settings = config.resolve(config_path=None, cwd=Path("/nonexistent"), env=env)
    assert settings.adapters["mastodon"]["instances"] == ["fosstodon.org", "hachyderm.io"]
    adapter = MastodonAdapter.from_settings(settings)
    assert adapter.instances == ("fosstodon.org", "hachyderm.io")  # type: ignore[attr-defined]


def test_the_settings_read_before_a_run_are_read_by_config() -> None:
    assert config.plugin_allow_list({"BRANDAUDIT_LOAD_PLUGINS": "a, b,"}) == frozenset({"a", "b"})
    assert config.plugin_allow_list({}) is None
    assert config.history_db({"BRANDAUDIT_DB": " /x/h.sqlite3 "}) == Path("/x/h.sqlite3")
    assert config.history_db({}) is None


def _psl_tables(folder: Path) -> list[Path]:
    return sorted(folder.rglob("psl/*.bin"))


@pytest.mark.parametrize("how", ["--cache-dir", "--no-cache"])
def test_the_public_suffix_table_follows_the_cache_flags(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Measured: the parsed list was written to ~/.cache/brandaudit/psl under --cache-dir X and
    under --no-cache (which neither reads nor writes)."""
    home = tmp_path / "xdg"
    chosen = tmp_path / "chosen"
    p.github_user(world.http, "acme")
    args = ["--cache-dir", str(chosen)] if how == "--cache-dir" else ["--no-cache"]
    handles.use_cache_folder(tmp_path / "elsewhere")  # as a fresh process: nothing parsed yet
    try:
        result = world.run(
            "check", "acme.co.uk", "-p", "github", "--no-discover", *args,
            env=world.env(XDG_CACHE_HOME=str(home), BRANDAUDIT_NO_CACHE="0"),
        )  # fmt: skip
    finally:
        handles.use_cache_folder(None)
    assert result.code in {0, 1}, result.stderr
    assert _psl_tables(home) == []
    assert _psl_tables(tmp_path / "elsewhere") == []
    if how == "--cache-dir":
        assert len(_psl_tables(chosen)) == 1
    else:
        assert not chosen.exists()
