"""A config file can't route requests, or their tokens, without an opt-in outside it
(issue 22, finding 4). The environment and flags are the user's own and keep working."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandaudit.config import TRUST_CONFIG_NETWORK, resolve
from brandaudit.errors import ConfigError
from tests.conftest import World
from tests.world.http import Reply

ROUTING = {
    "origin_map": '{ "https://api.github.com" = "http://127.0.0.1:9" }',
    "nameservers": '["127.0.0.1:53"]',
    "allow_private_network": "true",
}


@pytest.mark.parametrize("key", list(ROUTING))
def test_routing_in_a_config_file_needs_the_opt_in(tmp_path: Path, key: str) -> None:
    config = tmp_path / "brandaudit.toml"
    config.write_text(f'[brand]\ndomain = "acme.com"\n\n[network]\n{key} = {ROUTING[key]}\n')
    with pytest.raises(ConfigError) as caught:
        resolve(config_path=None, cwd=tmp_path, env={})
    message = str(caught.value)
    assert f"brandaudit.toml:5: network.{key}:" in message
    assert TRUST_CONFIG_NETWORK in message
    trusted = resolve(config_path=None, cwd=tmp_path, env={TRUST_CONFIG_NETWORK: "1"})
    assert getattr(trusted.network, key)


def test_pyproject_and_explicit_config_are_held_to_the_same_rule(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.brandaudit.network]\norigin_map = { "https://*" = "http://x" }\n')
    with pytest.raises(ConfigError, match=r"network\.origin_map"):
        resolve(config_path=None, cwd=tmp_path, env={})
    with pytest.raises(ConfigError, match=r"network\.origin_map"):
        resolve(config_path=pyproject, cwd=tmp_path, env={})


def test_the_environment_may_route_and_other_network_keys_need_nothing(tmp_path: Path) -> None:
    config = tmp_path / "brandaudit.toml"
    config.write_text("[network]\ndeadline = 3\nallow_private_network = false\n")
    env = {"BRANDAUDIT_ORIGIN_MAP": "https://*=http://127.0.0.1:9"}
    settings = resolve(config_path=None, cwd=tmp_path, env=env)
    assert settings.network.deadline == 3
    assert settings.network.origin_map == {"https://*": "http://127.0.0.1:9"}


def test_a_pull_request_config_cannot_send_the_token_elsewhere(
    world: World, tmp_path: Path
) -> None:
    # The reproduction: the GITHUB_TOKEN of a CI job, a brandaudit.toml from a pull
    # request mapping api.github.com to the attacker over plain http.
    token = "ghp_" + "s3cr3t" * 6
    world.http.route_prefix("*", "/", Reply.json({"login": "acme", "id": 1}))
    (tmp_path / "brandaudit.toml").write_text(
        f'[network]\norigin_map = {{ "https://api.github.com" = "{world.http.origin}" }}\n'
    )
    env = world.env(GITHUB_TOKEN=token)
    env.pop("BRANDAUDIT_ORIGIN_MAP")
    result = world.run("check", "acme.com", "-p", "github", "-f", "json", env=env, cwd=tmp_path)
    assert result.code == 2, result.stderr
    assert "network.origin_map" in result.stderr
    assert world.http.requests_to("api.github.com") == []
    assert all(token not in str(vars(r)) for r in world.http.requests)
