"""Config files: where they are found, and errors that name the file, the key and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandaudit.config import CONFIG_FILENAME, find_config, load_file, resolve
from brandaudit.errors import ConfigError


def _write(tmp_path: Path, text: str, name: str = CONFIG_FILENAME) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_file(path)
    return caught.value


def test_full_config_loads(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[brand]\ndomain = "acme.com"\ndomains = ["acme.co.uk"]\nname = "Acme"\n'
        'handles = ["acme", "acmehq"]\n\n[claims]\ngithub = "acme"\nbluesky = "acme.com"\n'
        'optional = ["bluesky"]\n',
    )
    settings = load_file(path)
    assert settings.brand.all_domains() == ["acme.com", "acme.co.uk"]
    assert settings.brand.handles == ["acme", "acmehq"]
    assert settings.claims == {"github": "acme", "bluesky": "acme.com"}
    assert settings.optional_claims == frozenset({"bluesky"})
    assert settings.line_of("claims.github") == 8
    assert settings.line_of("claims.bluesky") == 9
    assert settings.source == str(path)


@pytest.mark.parametrize(
    ("text", "key", "line", "needle"),
    [
        ('[brand]\ndomain = "acme.com"\ncolour = "red"\n', "brand.colour", 3, "unknown key"),
        ("bogus = 1\n", "bogus", 1, "unknown key"),
        ('[brand]\nname = "x"\n\n[network]\ndeadline = "soon"\n', "network.deadline", 5, "number"),
        ('[brand]\nhandles = "acme"\n', "brand.handles", 2, "list"),
        ("[network]\nconcurrency = 0\n", "network.concurrency", 2, "greater than"),
        ("[claims]\ngithub = 5\n", "claims.github", 2, "as a string"),
        ('[claims]\ngithub = ""\n', "claims.github", 2, "as a string"),
        ('[claims]\ngithub = "acme"\noptional = "github"\n', "claims.optional", 3, "list"),
        ('claims = "github"\n', "claims", 1, "table"),
        # an element of a multi-line array at its own line, not the key's (issue 25)
        (
            '[claims]\ngithub = "acme"\noptional = [\n  "github",  # ok\n  "mastodn",\n]\n',
            "claims.optional",
            5,
            "names 'mastodn'",
        ),
        ('[brand]\nhandles = [\n  "acme",\n  5,\n]\n', "brand.handles.1", 4, "string"),
        # a line inside a multi-line string is no key
        ('[brand]\nname = """\ncolour = 1\n"""\ncolour = "red"\n', "brand.colour", 5, "unknown"),
    ],
)
def test_errors_name_file_key_and_line(
    tmp_path: Path, text: str, key: str, line: int, needle: str
) -> None:
    path = _write(tmp_path, text)
    error = _error(path)
    assert (error.path, error.key, error.line) == (str(path), key, line)
    assert str(error).startswith(f"{path}:{line}: {key}: ")
    assert needle in str(error)


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '[brand]\nname = "Acme"\ndomain = acme.com\n')
    error = _error(path)
    assert error.line == 3
    assert str(error).startswith(f"{path}:3: invalid TOML")


def test_missing_file(tmp_path: Path) -> None:
    error = _error(tmp_path / "nope.toml")
    assert str(error) == f"{tmp_path / 'nope.toml'}: file not found"


def test_a_folder_is_not_a_config(tmp_path: Path) -> None:
    assert "is a directory" in str(_error(tmp_path))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_FILENAME
    path.write_bytes(b'[brand]\nname = "\xff"\n')
    assert "UTF-8" in str(_error(path))


def test_pyproject_tool_table_with_lines(tmp_path: Path) -> None:
    _write(
        tmp_path,
        '[project]\nname = "x"\n\n[tool.brandaudit.brand]\ndomain = "acme.com"\n\n'
        "[tool.brandaudit.claims]\ngithub = 7\n",
        "pyproject.toml",
    )
    with pytest.raises(ConfigError) as caught:
        resolve(config_path=None, cwd=tmp_path, env={})
    assert caught.value.line == 8
    assert caught.value.key == "claims.github"
    assert str(caught.value).startswith(f"{tmp_path / 'pyproject.toml'}:8:")


def test_pyproject_without_tool_table_is_ignored(tmp_path: Path) -> None:
    _write(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    assert find_config(tmp_path) is None
    assert resolve(config_path=None, cwd=tmp_path, env={}).source is None


def test_brandaudit_toml_wins_over_pyproject(tmp_path: Path) -> None:
    _write(tmp_path, '[tool.brandaudit.brand]\ndomain = "py.com"\n', "pyproject.toml")
    _write(tmp_path, '[brand]\ndomain = "toml.com"\n')
    assert resolve(config_path=None, cwd=tmp_path, env={}).brand.domain == "toml.com"


def test_explicit_config_and_env_var(tmp_path: Path) -> None:
    _write(tmp_path, '[brand]\ndomain = "cwd.com"\n')
    other = _write(tmp_path, '[brand]\ndomain = "other.com"\n', "other.toml")
    assert resolve(config_path=other, cwd=tmp_path, env={}).brand.domain == "other.com"
    env = {"BRANDAUDIT_CONFIG": str(other)}
    assert resolve(config_path=None, cwd=tmp_path, env=env).brand.domain == "other.com"
    with pytest.raises(ConfigError, match="file not found"):
        resolve(config_path=None, cwd=tmp_path, env={"BRANDAUDIT_CONFIG": str(tmp_path / "x")})


def test_environment_beats_file_and_flags_beat_environment(tmp_path: Path) -> None:
    _write(tmp_path, "[network]\ndeadline = 20\nconcurrency = 8\n")
    env = {"BRANDAUDIT_DEADLINE": "7", "BRANDAUDIT_CONCURRENCY": "9"}
    settings = resolve(
        config_path=None, cwd=tmp_path, env=env, network_overrides={"concurrency": 3}
    )
    assert settings.network.deadline == 7
    assert settings.network.concurrency == 3


def test_bad_environment_value_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(config_path=None, cwd=tmp_path, env={"BRANDAUDIT_DEADLINE": "soon"})
    assert caught.value.key == "network.deadline"
