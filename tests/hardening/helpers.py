"""Helpers shared by the hardening suite: an in-process NetClient, a Popen runner."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Mapping
from typing import Any

from brandaudit.config import NetworkSettings
from brandaudit.net.client import NetClient, Response
from tests.conftest import brandaudit_command

FAST = ("--deadline", "1", "--timeout", "0.5")


def fetch(url: str, *, origin_map: Mapping[str, str] | None = None, **kw: Any) -> Response:
    """One request through a fresh NetClient (no proxies from the environment)."""
    allow = bool(kw.pop("allow_private_network", False))
    settings = NetworkSettings(
        origin_map=dict(origin_map or {}),
        allow_private_network=allow,
        deadline=kw.pop("deadline", 3.0),
        connect_timeout=1.0,
        read_timeout=1.0,
    )

    async def go() -> Response:
        async with NetClient(settings, trust_env=False) as net:
            return await net.fetch(kw.pop("method", "GET"), url, **kw)

    return asyncio.run(go())


def popen(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*brandaudit_command(), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
