"""One network-client helper (``net.session.open_clients``) for every command, and
``run_async`` as the one owner of exit codes 130 / 143."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path
from typing import Any

import pytest
import typer

import brandaudit
from brandaudit.cli.common import Terminated, run_async
from brandaudit.config import Settings
from brandaudit.net import session
from tests.bluesky.scenario import Bsky
from tests.conftest import World

SRC = Path(brandaudit.__file__).parent


def test_only_the_session_helper_builds_clients() -> None:
    builders: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func).rsplit(".", 1)[-1]
                if name in {"NetClient", "DnsClient"}:
                    builders.setdefault(str(path.relative_to(SRC)), set()).add(name)
    assert builders == {"net/session.py": {"NetClient", "DnsClient"}}


def test_a_small_run_gets_the_engine_that_starts_faster() -> None:
    async def engines() -> tuple[str, str]:
        settings = Settings()
        async with session.open_clients(settings, planned=1) as small:
            one = small.net.engine
        async with session.open_clients(settings, planned=None) as unknown:
            other = unknown.net.engine
        return one, other

    assert asyncio.run(engines()) == ("httpx", "aiohttp")


def test_the_bluesky_command_opens_its_clients_with_its_size_and_the_cache(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Measured: ``bluesky`` built a bare NetClient (no planned size: aiohttp for one domain,
    no cache, no news of a host that stopped answering)."""
    seen: list[dict[str, Any]] = []
    real = session.open_clients

    def spy(settings: Settings, **kwargs: Any) -> Any:
        seen.append(kwargs)
        return real(settings, **kwargs)

    monkeypatch.setattr(session, "open_clients", spy)
    Bsky(world).healthy()
    result = world.run(
        "bluesky", "acme.com", "-f", "json",
        env=world.env(BRANDAUDIT_NO_CACHE="0", BRANDAUDIT_CACHE_DIR=str(tmp_path / "c")),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert len(seen) == 1
    assert seen[0]["planned"] == 1
    assert seen[0]["cache"] is not None
    assert seen[0]["news"] is not None


@pytest.mark.parametrize(
    ("signal", "code", "said"),
    [(KeyboardInterrupt, 130, "brandaudit: interrupted"), (Terminated, 143, "terminated")],
)
def test_run_async_turns_a_signal_into_its_exit_code(
    signal: type[BaseException], code: int, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async def work() -> None:
        raise signal()

    def streamed() -> None:
        raise signal()

    for job in (work(), streamed):
        with pytest.raises(typer.Exit) as exited:
            run_async(job)
        assert exited.value.exit_code == code
        assert said in capsys.readouterr().err
