"""The circuit breaker per host: a hanging or resetting host fails fast after a few tries, a
recovered host is used again, a rate-limiting host is paused but never cut off. The network
tests run on both engines."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from brandaudit.config import NetworkSettings
from brandaudit.net.breaker import Breaker
from brandaudit.net.client import ErrorKind, NetClient, Response
from tests.conftest import World
from tests.world.http import Reply

ENGINES = ["httpx", pytest.param("aiohttp", id="aiohttp")]


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_consecutive_failures_and_probes_after_the_cooldown() -> None:
    clock = _Clock()
    opened: list[str] = []
    breaker = Breaker(threshold=3, cooldown=5, clock=clock, on_open=lambda h, e: opened.append(h))
    for _ in range(2):
        breaker.record("h", failed=True)
    breaker.record("h", failed=False)  # an answer resets the count
    for _ in range(2):
        breaker.record("h", failed=True)
    assert breaker.refusal("h") == (None, False)
    breaker.record("h", failed=True, error="timed out")
    message, probe = breaker.refusal("h")
    assert message is not None and "h is not answering" in message and not probe
    assert opened == ["h"]
    clock.now += 5
    assert breaker.refusal("h") == (None, True)  # one probe...
    assert breaker.refusal("h")[0] is not None  # ...and only one
    breaker.record("h", failed=True, probe=True)  # still down: open for twice as long
    clock.now += 5
    assert breaker.refusal("h")[0] is not None
    clock.now += 5
    assert breaker.refusal("h") == (None, True)
    breaker.release("h")  # that probe was cancelled (its check's deadline): the next one goes
    assert breaker.refusal("h") == (None, True)
    breaker.record("h", failed=False)  # recovered
    assert breaker.refusal("h") == (None, False)
    assert not breaker.is_open("h")
    for _ in range(3):
        breaker.record("h", failed=True)
    assert opened == ["h"]  # said once per run
    assert breaker.refusal("other") == (None, False)


def _settings(world: World, engine: str) -> NetworkSettings:
    return NetworkSettings(
        origin_map={"https://*": world.http.origin},
        deadline=5,
        read_timeout=0.3,
        connect_timeout=1,
        engine=engine,  # type: ignore[arg-type]
    )


def _with_client(
    world: World, engine: str, body: Callable[[NetClient], Awaitable[None]]
) -> list[str]:
    notices: list[str] = []

    async def go() -> None:
        async with NetClient(_settings(world, engine), on_host_down=notices.append) as net:
            assert net.engine == engine
            await body(net)

    asyncio.run(go())
    return notices


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fault", ["hang", "reset"])
def test_a_host_that_stops_answering_fails_fast(world: World, engine: str, fault: str) -> None:
    world.http.route("down.example", "/", Reply(hang=fault == "hang", reset=fault == "reset"))
    world.http.route("up.example", "/", Reply.text("ok"))
    answers: list[Response] = []

    async def body(net: NetClient) -> None:
        for _ in range(3):
            answers.append(await net.fetch("GET", "https://down.example/"))
        later = [net.fetch("GET", "https://down.example/") for _ in range(20)]
        answers.extend(await asyncio.gather(*later))
        answers.append(await net.fetch("GET", "https://up.example/"))

    notices = _with_client(world, engine, body)
    assert all(a.status is None and a.error_kind != ErrorKind.HOST_DOWN for a in answers[:3])
    refused = answers[3:-1]
    assert all(a.error_kind == ErrorKind.HOST_DOWN for a in refused)
    assert all(a.error and "down.example is not answering" in a.error for a in refused)
    assert max(a.elapsed_ms for a in refused) < 250  # at once, not a timeout each
    # The 20 later ones never reached it (aiohttp retries a reset once on its own: 3 x 2).
    assert len(world.http.requests_to("down.example")) <= 6
    assert answers[-1].status == 200  # other hosts are not affected
    assert len(notices) == 1 and "down.example is not answering" in notices[0]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_recovered_host_is_used_again(world: World, engine: str) -> None:
    world.http.route("flaky.example", "/", Reply(reset=True))
    statuses: list[int | None] = []

    async def body(net: NetClient) -> None:
        net.breaker.cooldown = 0.2
        for _ in range(4):
            statuses.append((await net.fetch("GET", "https://flaky.example/")).status)
        assert net.breaker.is_open("flaky.example")
        world.http.route("flaky.example", "/", Reply.text("back"))
        await asyncio.sleep(0.25)
        for _ in range(3):
            statuses.append((await net.fetch("GET", "https://flaky.example/")).status)
        assert not net.breaker.is_open("flaky.example")

    _with_client(world, engine, body)
    assert statuses == [None, None, None, None, 200, 200, 200]
    # 3 resets (aiohttp retries each once on its own), then 3 answers
    assert len(world.http.requests_to("flaky.example")) in {6, 9}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rate_limiting_host_is_paused_never_cut_off(world: World, engine: str) -> None:
    world.http.route("busy.example", "/", Reply(status=429, headers={"Retry-After": "0"}))
    answers: list[Response] = []

    async def body(net: NetClient) -> None:
        for _ in range(6):
            answers.append(await net.fetch("GET", "https://busy.example/"))
        assert not net.breaker.is_open("busy.example")

    notices = _with_client(world, engine, body)
    assert [a.status for a in answers] == [429] * 6
    assert notices == []
    assert len(world.http.requests_to("busy.example")) == 18  # each asked 3 times (2 retries)


CONFIG = """
[platforms.healthy]
name = "Healthy"
url = "https://healthy.example/u/{handle}"
handle_pattern = "^[a-z0-9]{1,30}$"
claimed = { status = [200], body_contains = ['"id":'] }
available = { status = [404], body_contains = ["no such user"] }

[platforms.dead]
name = "Dead"
url = "https://dead.example/u/{handle}"
handle_pattern = "^[a-z0-9]{1,30}$"
claimed = { status = [200], body_contains = ['"id":'] }
available = { status = [404], body_contains = ["no such user"] }
"""


@pytest.mark.e2e
def test_the_run_says_once_that_a_host_is_not_answering(world: World, tmp_path: Path) -> None:
    world.http.route_prefix("healthy.example", "/u/", Reply(status=404, body="no such user"))
    world.http.route_prefix("dead.example", "/u/", Reply(hang=True))
    config = tmp_path / "brandaudit.toml"
    config.write_text(CONFIG)
    brands = tmp_path / "brands.txt"
    brands.write_text("".join(f"brand{i}.com\n" for i in range(12)))
    result = world.run(
        "check", "-i", str(brands), "-c", str(config), "-p", "healthy", "-p", "dead",
        "--no-discover", "-f", "json", "--timeout", "0.5", "--per-host", "2",
        "--progress",
    )  # fmt: skip
    assert result.code in {0, 3}, result.stderr
    report = json.loads(result.stdout)
    results = [p for brand in report["brands"] for p in brand["platforms"]]
    healthy = [r for r in results if r["platform"] == "healthy"]
    dead = [r for r in results if r["platform"] == "dead"]
    assert len(healthy) == len(dead) == 12
    assert all(r["status"] == "available" for r in healthy)
    assert all(r["status"] == "unknown" for r in dead)
    assert sum("dead.example is not answering" in r["reason"] for r in dead) >= 8
    assert len(world.http.requests_to("dead.example")) <= 4  # 2 slots, then the breaker
    said = [w for w in report["warnings"] if "dead.example is not answering" in w]
    assert len(said) == 1
    assert result.stderr.count("dead.example is not answering") == 1


def test_auto_engine_is_httpx_for_a_handful_of_checks_and_aiohttp_beyond() -> None:
    from brandaudit.net.client import AUTO_AIOHTTP_FROM, choose_engine

    assert NetworkSettings().engine == "auto"
    assert choose_engine("auto", 1) == "httpx"
    assert choose_engine("auto", AUTO_AIOHTTP_FROM - 1) == "httpx"
    assert choose_engine("auto", AUTO_AIOHTTP_FROM) == "aiohttp"
    assert choose_engine("auto", None) == "aiohttp"  # a streamed input: size unknown
    assert choose_engine("httpx", 10_000) == "httpx"
    assert choose_engine("aiohttp", 1) == "aiohttp"


def test_global_limit_follows_the_open_file_limit_unless_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import resource

    from brandaudit.net.client import global_limit

    assert global_limit(8) == 8
    monkeypatch.setattr(resource, "getrlimit", lambda _which: (1024, 4096))
    assert global_limit(None) == 480
    monkeypatch.setattr(resource, "getrlimit", lambda _which: (256, 4096))
    assert global_limit(None) == 96
    monkeypatch.setattr(resource, "getrlimit", lambda _which: (64, 64))
    assert global_limit(None) == 16
    monkeypatch.setattr(resource, "getrlimit", lambda _which: (1 << 20, 1 << 20))
    assert global_limit(None) == 1024


@pytest.mark.parametrize("engine", ENGINES)
def test_requests_queued_behind_a_slow_host_leave_global_slots_to_others(
    world: World, engine: str
) -> None:
    # 3 slots in all, 2 per host: the slow host's 3rd and 4th requests wait for *its* slots
    # without holding the 3rd global one, so the fast host is answered at once.
    world.http.route("slow.example", "/", Reply(delay=1.0, body="late"))
    world.http.route("fast.example", "/", Reply.text("ok"))
    settings = NetworkSettings(
        origin_map={"https://*": world.http.origin},
        concurrency=3,
        per_host=2,
        deadline=10,
        engine=engine,  # type: ignore[arg-type]
    )
    fast: list[Response] = []

    async def go() -> None:
        async with NetClient(settings) as net:
            slow = [
                asyncio.create_task(net.fetch("GET", "https://slow.example/")) for _ in range(4)
            ]
            await asyncio.sleep(0.2)
            fast.append(await net.fetch("GET", "https://fast.example/"))
            await asyncio.gather(*slow)

    asyncio.run(go())
    assert fast[0].status == 200
    assert fast[0].elapsed_ms < 700  # not behind the slow host's first answers (1 s)
