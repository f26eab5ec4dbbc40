"""Helpers for adapter tests: run one adapter in process against the loopback world."""

from __future__ import annotations

import asyncio
import functools
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


async def run_checks(settings: Settings, jobs: list[tuple[str, str]]) -> list[PlatformResult]:
    """Run (platform id, handle) checks concurrently through the real runner path."""
    adapters = registry.load(settings).adapters
    dns = DnsClient(["127.0.0.1:9"], timeout=0.5)
    async with NetClient(settings.network) as net:
        return list(
            await asyncio.gather(
                *(
                    run_job(
                        Job(adapters[pid], adapters[pid].normalise_handle(h), HandleSource.CLI),
                        net,
                        dns,
                        settings,
                    )
                    for pid, h in jobs
                )
            )
        )


def check(
    world: World,
    platform: str,
    handle: str,
    *,
    credentials: dict[str, str] | None = None,
    platforms: dict[str, Any] | None = None,
    deadline: float = 5.0,
) -> PlatformResult:
    settings = settings_for(world, deadline=deadline, credentials=credentials, platforms=platforms)
    return asyncio.run(run_checks(settings, [(platform, handle)]))[0]
