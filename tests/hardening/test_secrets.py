"""Secrets never leave: a token from the environment or ``[credentials]`` is sent to its
platform, and appears nowhere else: not on stdout (any format), stderr, ``--debug`` logs,
GitHub annotations or step summary, evidence URLs or reasons, even when a hostile server
echoes it back in a redirect, an error message or a URL."""

from __future__ import annotations

import base64
import contextlib
from pathlib import Path
from urllib.parse import quote

import pytest

from brandaudit.config import Settings
from brandaudit.platforms.base import Adapter
from brandaudit.platforms.registry import load
from brandaudit.render import EXTENSIONS
from tests.conftest import World
from tests.world.dns import DnsWorld
from tests.world.http import HttpWorld, Reply, Request

pytestmark = pytest.mark.e2e


def _credentialed() -> list[Adapter]:
    return [a for a in load(Settings()).adapters.values() if a.credentials]


CREDENTIALED = _credentialed()
# .jsonl streams and must be the only -o; it carries what -f json does.
SUFFIXES = sorted({s for s in EXTENSIONS if s.count(".") == 1 and s != ".jsonl"})


def fake_secret(adapter: Adapter, name: str) -> str:
    return f"Zsecret{adapter.id.title()}{name.title().replace('_', '')}Q9x7"


def _echo(request: Request) -> Reply:
    """A hostile server: reflects everything it was sent, in every place a client reads."""
    echoed = " ".join(
        [request.path, *(f"{k}={v}" for k, vs in request.query.items() for v in vs)]
        + [f"{k}: {v}" for k, v in request.headers.items()]
        + [request.body.decode("utf-8", "replace")]
    )
    if request.path.startswith("/echo"):
        return Reply.json({"error": f"invalid credentials: {echoed}"}, status=401)
    return Reply(
        status=302,
        headers={
            "Location": f"https://{request.host}/echo?echo={quote(echoed)}&token={quote(echoed)}",
            "Content-Type": "application/json",
        },
        body=f'{{"message": "bad token {echoed}"}}',
    )


def _sent(world: World, secret: str) -> bool:
    """Did any request carry ``secret`` (as is, URL-encoded, or inside HTTP Basic auth)?"""
    for r in world.http.requests:
        blob = " ".join(
            [r.path, str(r.query), *r.headers.values(), r.body.decode("utf-8", "replace")]
        )
        basic = r.headers.get("authorization", "").removeprefix("Basic ")
        with contextlib.suppress(ValueError):
            blob += " " + base64.b64decode(basic, validate=True).decode("utf-8", "replace")
        if secret in blob or quote(secret) in blob:
            return True
    return False


def _run_everything(
    world: World,
    tmp_path: Path,
    adapters: list[Adapter],
    env: dict[str, str],
    config: Path | None,
    *,
    stdout_too: bool = False,
) -> str:
    """One run writing every format, with --debug and GitHub Actions output; everything
    brandaudit produced, concatenated."""
    world.http.route_prefix("*", "/", _echo)
    summary = tmp_path / "summary.md"
    outputs = [tmp_path / f"report{suffix}" for suffix in SUFFIXES]
    args = ["--debug", "check", "acme.com", "--no-discover", "--deadline", "3"]
    for adapter in adapters:
        args += ["-p", adapter.id]
    for out in outputs:
        args += ["-o", str(out)]
    if config is not None:
        args += ["-c", str(config)]
    env = {**world.env(), **env, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    to_files = world.run(*args, env=env)
    produced = [to_files.stdout, to_files.stderr]
    if stdout_too:
        stdout_args = [a for a in args if a != "-o" and not a.startswith(str(tmp_path))]
        for fmt in ("json", "table"):
            to_stdout = world.run(*stdout_args, "-f", fmt, env=env)
            produced += [to_stdout.stdout, to_stdout.stderr]
    produced += [out.read_text() for out in outputs if out.exists()]
    if summary.exists():
        produced.append(summary.read_text())
    assert to_files.code in {0, 3}, to_files.stderr
    assert all(out.exists() for out in outputs)
    assert "debug" in to_files.stderr.lower() or "DEBUG" in to_files.stderr
    return "\n".join(produced)


def _assert_nowhere(output: str, secret: str) -> None:
    for form in {secret, quote(secret), secret[4:-4]}:
        assert form not in output, f"secret leaked: ...{output[output.find(form) - 80 :][:200]}"


@pytest.fixture(scope="module")
def env_run(
    http_world: HttpWorld, dns_world: DnsWorld, tmp_path_factory: pytest.TempPathFactory
) -> tuple[World, str]:
    """One run of every credentialed adapter, each with its own secret in the environment."""
    world = World(http_world, dns_world)
    http_world.reset()
    env = {c.env[-1]: fake_secret(a, c.name) for a in CREDENTIALED for c in a.credentials}
    output = _run_everything(world, tmp_path_factory.mktemp("env"), CREDENTIALED, env, None)
    return world, output


@pytest.mark.parametrize("adapter", CREDENTIALED, ids=lambda a: a.id)
def test_secrets_from_the_environment_stay_secret(
    env_run: tuple[World, str], adapter: Adapter
) -> None:
    world, output = env_run
    secrets = [fake_secret(adapter, c.name) for c in adapter.credentials]
    assert any(_sent(world, s) for s in secrets), "the adapter never used its secret"
    for secret in secrets:
        _assert_nowhere(output, secret)


def test_secrets_from_the_config_file_stay_secret(world: World, tmp_path: Path) -> None:
    secrets = {c.name: fake_secret(a, c.name) for a in CREDENTIALED for c in a.credentials}
    config = tmp_path / "brandaudit.toml"
    config.write_text(
        "[credentials]\n" + "".join(f'{name} = "{value}"\n' for name, value in secrets.items())
    )
    output = _run_everything(world, tmp_path, CREDENTIALED, {}, config, stdout_too=True)
    used = [s for s in secrets.values() if _sent(world, s)]
    assert used, "no adapter used its secret from the config"
    for secret in secrets.values():
        _assert_nowhere(output, secret)


def test_a_bad_config_never_echoes_a_secret(world: World, tmp_path: Path) -> None:
    config = tmp_path / "brandaudit.toml"
    config.write_text('[credentials]\ngithub_token = "ZsecretBadConfigQ9x7"\nbogus = [1, \n')
    result = world.run("check", "acme.com", "-c", str(config), "--debug")
    assert result.code == 2
    _assert_nowhere(result.stdout + result.stderr, "ZsecretBadConfigQ9x7")
    config.write_text('[credentials]\ngithub_token = ["ZsecretWrongTypeQ9x7"]\n')
    result = world.run("check", "acme.com", "-c", str(config), "--debug")
    assert result.code == 2
    _assert_nowhere(result.stdout + result.stderr, "ZsecretWrongTypeQ9x7")
