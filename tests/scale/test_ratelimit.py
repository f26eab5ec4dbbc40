"""429s slow the host down instead of failing the run: RateLimit-Reset pauses every request to
that host, and retries are bounded."""

from __future__ import annotations

import asyncio
import time

import pytest

from brandaudit.config import NetworkSettings
from brandaudit.net.client import NetClient, Response
from tests.conftest import World
from tests.world.http import Reply, Request

pytestmark = pytest.mark.e2e


def _settings(world: World) -> NetworkSettings:
    return NetworkSettings(origin_map={"https://*": world.http.origin}, deadline=10)


def test_ratelimit_reset_pauses_the_whole_host(world: World) -> None:
    arrivals: list[tuple[float, str]] = []

    def limited(request: Request) -> Reply:
        arrivals.append((time.monotonic(), request.path))
        if len(arrivals) == 1:
            return Reply(status=429, headers={"RateLimit-Reset": "1"})
        return Reply.text("ok")

    world.http.route_prefix("rl.example", "/", limited)

    async def go() -> tuple[Response, Response]:
        async with NetClient(_settings(world)) as net:
            first = asyncio.create_task(net.fetch("GET", "https://rl.example/a"))
            for _ in range(100):  # until the 429 has been answered (bounded)
                if arrivals:
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.1)
            second = await net.fetch("GET", "https://rl.example/b")
            return await first, second

    first, second = asyncio.run(go())
    assert (first.status, second.status) == (200, 200)
    limited_at = arrivals[0][0]
    later = {path: at for at, path in arrivals[1:]}
    assert set(later) == {"/a", "/b"}
    # Both the retry and the other request to that host waited out the reset.
    assert min(later.values()) - limited_at >= 0.9


def test_retries_are_bounded(world: World) -> None:
    world.http.route("busy.example", "/", Reply(status=429, headers={"Retry-After": "0"}))

    async def go() -> Response:
        async with NetClient(_settings(world)) as net:
            return await net.fetch("GET", "https://busy.example/")

    response = asyncio.run(go())
    assert response.status == 429
    assert len(world.http.requests_to("busy.example")) == 3  # the first try and two retries


def test_503_with_retry_after_is_retried_and_without_it_is_not(world: World) -> None:
    calls: list[str] = []

    def flaky(request: Request) -> Reply:
        calls.append(request.path)
        if request.path == "/with" and calls.count("/with") == 1:
            return Reply(status=503, headers={"Retry-After": "0"})
        if request.path == "/without":
            return Reply(status=503)
        return Reply.text("ok")

    world.http.route_prefix("flaky.example", "/", flaky)

    async def go() -> tuple[Response, Response]:
        async with NetClient(_settings(world)) as net:
            return (
                await net.fetch("GET", "https://flaky.example/with"),
                await net.fetch("GET", "https://flaky.example/without"),
            )

    with_header, without = asyncio.run(go())
    assert with_header.status == 200 and calls.count("/with") == 2
    assert without.status == 503 and calls.count("/without") == 1
