"""Helpers for adapter tests: run one adapter in process against the loopback world."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from brandaudit.config import Settings
from brandaudit.model import HandleSource, PlatformResult
from brandaudit.net.client import NetClient
from brandaudit.net.dns import DnsClient
from brandaudit.platforms import registry
from brandaudit.runner import Job, run_job
from tests.conftest import World


@functools.cache
def credential_env_vars() -> frozenset[str]:
    """Every environment variable a registered adapter reads a credential from."""
    names: set[str] = set()
    for adapter in registry.load(Settings()).adapters.values():
        for credential in adapter.credentials:
            names.update(credential.env)
    return frozenset(names)


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in credential_env_vars():
        monkeypatch.delenv(name, raising=False)


def settings_for(
    world: World,
    *,
    deadline: float = 5.0,
    credentials: dict[str, str] | None = None,
    platforms: dict[str, Any] | None = None,
) -> Settings:
    origin = world.http.origin
    return Settings.model_validate(
        {
            "network": {
                "origin_map": {"https://*": origin, "http://*": origin},
                "deadline": deadline,
                "read_timeout": min(deadline, 2.0),
                "connect_timeout": 1.0,
                "retry_budget": 0,
            },
            "credentials": credentials or {},
            "platforms": platforms or {},
        }
    )


Check = tuple[str, str] | tuple[str, str, HandleSource]
"""(platform id, handle[, where the handle came from: the command line unless given])."""


async def checks_with(
    net: NetClient, settings: Settings, jobs: list[Check]
) -> list[PlatformResult]:
    """Run checks concurrently through the real runner path."""
    adapters = registry.load(settings).adapters
    dns = DnsClient(["127.0.0.1:9"], timeout=0.5)

    def job(check: Check) -> Job:
        adapter = adapters[check[0]]
        source = check[2] if len(check) == 3 else HandleSource.CLI
        return Job(adapter, adapter.normalise_handle(check[1]), source)

    return list(await asyncio.gather(*(run_job(job(c), net, dns, settings) for c in jobs)))


class SharedLoop:
    """One event loop in a thread, with one ``NetClient`` per network setting, shared by the
    tests of this package: building a client loads CA bundles (~0.2 s), which would otherwise
    dominate every test. Adapters (and their token caches) are still built per check."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.clients: dict[str, NetClient] = {}

    def run(
        self, settings: Settings, jobs: list[Check], *, fresh: bool = False
    ) -> list[PlatformResult]:
        run = self._run_fresh(settings, jobs) if fresh else self._run(settings, jobs)
        future = asyncio.run_coroutine_threadsafe(run, self.loop)
        return future.result(timeout=60)

    async def _run_fresh(self, settings: Settings, jobs: list[Check]) -> list[PlatformResult]:
        """On a client of its own: no circuit breaker or pool state from earlier tests."""
        async with NetClient(settings.network) as net:
            return await checks_with(net, settings, jobs)

    async def _run(self, settings: Settings, jobs: list[Check]) -> list[PlatformResult]:
        key = settings.network.model_dump_json()
        net = self.clients.get(key)
        if net is None:
            net = self.clients[key] = await NetClient(settings.network).__aenter__()
        return await checks_with(net, settings, jobs)

    def close(self) -> None:
        async def shutdown() -> None:
            for net in self.clients.values():
                await net.__aexit__(None, None, None)

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


_shared: list[SharedLoop] = []


@pytest.fixture(scope="session", autouse=True)
def _shared_loop() -> Iterator[None]:
    _shared.append(SharedLoop())
    yield
    _shared.pop().close()


def run_checks(
    settings: Settings, jobs: list[Check], *, fresh: bool = False
) -> list[PlatformResult]:
    """The checks through the shared loop's client for these settings, or (``fresh``) a new
    client whose breaker starts closed, for tests whose verdicts a breaker opened by an
    earlier test (a host that reset connections) would change."""
    return _shared[0].run(settings, jobs, fresh=fresh)


def check(
    world: World,
    platform: str,
    handle: str,
    *,
    credentials: dict[str, str] | None = None,
    platforms: dict[str, Any] | None = None,
    deadline: float = 5.0,
    source: HandleSource = HandleSource.CLI,
) -> PlatformResult:
    settings = settings_for(world, deadline=deadline, credentials=credentials, platforms=platforms)
    return run_checks(settings, [(platform, handle, source)])[0]
