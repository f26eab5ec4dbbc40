"""``brandaudit init``: a starter config that loads, never clobbers, and is written atomically."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandaudit.cli import app
from brandaudit.cli.init import starter_config
from brandaudit.config import CONFIG_FILENAME, load_file, resolve
from brandaudit.platforms import registry

runner = CliRunner()

_COMMENTED_TOML = re.compile(r"^# (\[[a-z_.]+\]|[a-z_]+ = .*)$")


def _uncomment_everything(text: str) -> str:
    """Every commented-out table and key, switched on."""
    out = []
    for line in text.splitlines():
        match = _COMMENTED_TOML.match(line)
        out.append(match.group(1) if match else line)
    return "\n".join(out) + "\n"


def test_init_writes_a_config_that_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "--domain", "Acme.COM"])
    assert result.exit_code == 0, result.output
    path = tmp_path / CONFIG_FILENAME
    settings = load_file(path)
    assert settings.brand.domain == "acme.com"
    assert settings.claims == {}
    # The run's resolver finds it in the working directory, too.
    assert resolve(config_path=None, cwd=tmp_path, env={}).brand.domain == "acme.com"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_init_without_domain_loads_with_nothing_set(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_FILENAME
    path.write_text(starter_config(None))
    settings = load_file(path)
    assert settings.brand.domain is None
    assert settings.claims == {}


def test_every_commented_example_is_valid_config(tmp_path: Path) -> None:
    text = _uncomment_everything(starter_config("acme.com"))
    assert "[platforms.examplesocial]" in text.splitlines()
    path = tmp_path / CONFIG_FILENAME
    path.write_text(text)
    settings = load_file(path)
    assert settings.claims["github"] == "acme"
    assert settings.optional_claims == frozenset({"mastodon"})
    assert settings.network.deadline == 20
    loaded = registry.load(settings)
    assert "examplesocial" in loaded.adapters
    assert loaded.warnings == []


def test_init_never_overwrites_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / CONFIG_FILENAME
    path.write_text("# mine\n")
    refused = runner.invoke(app, ["init"])
    assert refused.exit_code == 2
    assert "already exists" in refused.output and "--force" in refused.output
    assert path.read_text() == "# mine\n"
    forced = runner.invoke(app, ["init", "--force", "--domain", "acme.com"])
    assert forced.exit_code == 0
    assert tomllib.loads(path.read_text())["brand"]["domain"] == "acme.com"


def test_init_path_can_be_a_folder_or_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    assert runner.invoke(app, ["init", "--path", str(folder)]).exit_code == 0
    assert (folder / CONFIG_FILENAME).is_file()
    target = tmp_path / "custom.toml"
    assert runner.invoke(app, ["init", "--path", str(target)]).exit_code == 0
    assert load_file(target).brand.domain is None


def test_init_missing_folder_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", "--path", str(tmp_path / "nope" / "x.toml")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_init_rejects_a_bad_domain(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", "--path", str(tmp_path), "--domain", "not a domain"])
    assert result.exit_code == 2
    assert not (tmp_path / CONFIG_FILENAME).exists()
