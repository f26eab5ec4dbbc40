"""The on-disk HTTP cache: hits, misses, refresh, no-cache, TTLs, what is never cached,
corrupted entries and an unusable cache folder."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from brandaudit.cache import CachedAnswer, HttpCache, cache_key, current_platform, is_identity
from brandaudit.config import NetworkSettings
from brandaudit.net.client import NetClient, Response
from tests.conftest import CliResult, World
from tests.world import platforms as p
from tests.world.http import Reply

pytestmark = pytest.mark.e2e


def _settings(world: World) -> NetworkSettings:
    return NetworkSettings(origin_map={"https://*": world.http.origin}, deadline=3, read_timeout=2)


def _fetch_twice(
    world: World, cache: HttpCache, url: str, platform: str | None = None
) -> list[Response]:
    async def go() -> list[Response]:
        if platform:
            current_platform.set(platform)
        async with NetClient(_settings(world), cache=cache) as net:
            return [await net.fetch("GET", url), await net.fetch("GET", url)]

    return asyncio.run(go())


def test_a_deciding_answer_is_served_from_the_cache(world: World, tmp_path: Path) -> None:
    world.http.route("api.example", "/u/acme", Reply.json({"login": "acme"}))
    cache = HttpCache(tmp_path / "c")
    first, second = _fetch_twice(world, cache, "https://api.example/u/acme")
    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.status == 200 and second.json() == {"login": "acme"}
    assert second.headers["content-type"] == "application/json"
    assert len(world.http.requests_to("api.example")) == 1
    assert (cache.hits, cache.stores) == (1, 1)
    # The evidence says so; a fresh answer's JSON has no "cached" key at all.
    assert second.evidence().cached and '"cached":true' in second.evidence().model_dump_json()
    assert "cached" not in first.evidence().model_dump_json()
    # Another run with the same folder hits too; --refresh asks again and stores anew.
    again = HttpCache(tmp_path / "c")
    assert _fetch_twice(world, again, "https://api.example/u/acme")[0].from_cache
    fresh = HttpCache(tmp_path / "c", refresh=True)
    assert [r.from_cache for r in _fetch_twice(world, fresh, "https://api.example/u/acme")] == [
        False,
        False,
    ]
    assert len(world.http.requests_to("api.example")) == 3


@pytest.mark.parametrize(
    "reply",
    [
        Reply(status=429, headers={"Retry-After": "3600"}),
        Reply(status=500),
        Reply(status=503),
        Reply(status=403),
        Reply(reset=True),
    ],
)
def test_rate_limits_errors_and_failures_are_never_cached(
    world: World, tmp_path: Path, reply: Reply
) -> None:
    world.http.route("api.example", "/x", reply)
    cache = HttpCache(tmp_path / "c")
    responses = _fetch_twice(world, cache, "https://api.example/x")
    assert not any(r.from_cache for r in responses)
    assert cache.stores == 0
    assert not any(f.is_file() for f in (tmp_path / "c").rglob("*"))


def test_ttl_per_platform_and_zero_disables(world: World, tmp_path: Path) -> None:
    world.http.route("api.example", "/x", Reply.text("ok"))
    now = [1_000_000.0]
    cache = HttpCache(tmp_path / "c", ttls={"github": 0, "short": 10}, clock=lambda: now[0])
    assert cache.ttl_for("https://x", "x", "mastodon") == 3600
    assert cache.ttl_for("https://x", "x", "short") == 10
    assert [
        r.from_cache for r in _fetch_twice(world, cache, "https://api.example/x", "github")
    ] == [
        False,
        False,
    ]
    key = cache_key("GET", "https://api.example/x", None, max_bytes=1024, max_redirects=0)
    cache.put(key, CachedAnswer(200, (), b"ok", False, "", (), now[0]), 10)
    assert cache.get(key, 10) is not None
    now[0] += 11
    assert cache.get(key, 10) is None  # expired: a miss, and the entry is gone
    assert not any(f.is_file() for f in (tmp_path / "c").rglob("*"))


@pytest.mark.parametrize(
    "url",
    [
        "https://plc.directory/did:plc:x",
        "https://plc.directory/did:plc:x/log/audit",
        "https://a.example/.well-known/did.json",
        "https://acme.com/.well-known/atproto-did",
        "https://public.api.bsky.app/xrpc/app.bsky.actor.getProfile?actor=acme.com",
        "https://public.api.bsky.app/xrpc/app.bsky.actor.getProfiles?actors=a&actors=b",
        "https://public.api.bsky.app/xrpc/com.atproto.identity.resolveHandle?handle=acme.com",
        "http://localhost:2583/xrpc/com.atproto.repo.listRecords?repo=did:plc:x&collection=c",
        "https://pds.example/xrpc/com.atproto.sync.getRepoStatus?did=did:plc:x",
        "https://pds.example/xrpc/com.atproto.identity.resolveIdentity?identifier=acme.com",
    ],
)
def test_identity_answers_are_never_cached_whatever_the_ttls(url: str) -> None:
    """Handle resolution, DID documents, profiles, a repository's records and status: a
    user changes them and re-checks at once (issue 28), so even an explicit TTL (by platform,
    by host) does not keep them."""
    assert is_identity(url)
    host = httpx.URL(url).host
    cache = HttpCache(Path("unused"), ttls={"bluesky": 600, host: 600, "bluesky-domain": 600})
    assert cache.ttl_for(url, host, "bluesky") == 0
    assert cache.ttl_for(url, host, None) == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=acme.com",
        "https://api.github.com/users/acme",
        "https://acme.com/.well-known/atproto-did-not",
        "https://example.com/getProfile",
        "https://example.com/notxrpc/app.bsky.actor.getProfile",
    ],
)
def test_other_answers_keep_their_ttl(url: str) -> None:
    assert not is_identity(url)
    host = httpx.URL(url).host
    assert HttpCache(Path("unused")).ttl_for(url, host, None) == 3600


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) - 3],  # torn body
        lambda raw: b"not json\n" + raw,
        lambda raw: raw[:-1] + b"X",  # body bytes changed
        lambda raw: b"",
    ],
)
def test_a_corrupted_entry_is_a_miss_and_is_removed(
    world: World, tmp_path: Path, damage: object
) -> None:
    world.http.route("api.example", "/x", Reply.text("hello"))
    cache = HttpCache(tmp_path / "c")
    _fetch_twice(world, cache, "https://api.example/x")
    (entry,) = [f for f in (tmp_path / "c").rglob("*") if f.is_file()]
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    fresh = HttpCache(tmp_path / "c")
    first, second = _fetch_twice(world, fresh, "https://api.example/x")
    assert (first.from_cache, second.from_cache) == (False, True)
    assert first.text() == second.text() == "hello"


def test_an_unusable_cache_warns_once_and_the_run_goes_on(world: World, tmp_path: Path) -> None:
    world.http.route("api.example", "/x", Reply.text("ok"))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    warnings: list[str] = []
    cache = HttpCache(blocker / "c", warn=warnings.append)
    responses = _fetch_twice(world, cache, "https://api.example/x")
    assert [r.status for r in responses] == [200, 200]
    assert len(warnings) == 1 and "going on without it" in warnings[0]
    assert cache.disabled


def test_cli_cache_hit_no_cache_and_refresh(
    world: World, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    # In-process: five runs of the command, about the cache, not about the process.
    p.github_user(world.http, "acme")
    cache_dir = tmp_path / "cache-here"
    env = world.env()
    del env["BRANDAUDIT_NO_CACHE"]
    args = ("check", "acme.com", "-p", "github", "-f", "json", "--cache-dir", str(cache_dir))
    seen: list[bool] = []
    for extra in ((), (), ("--no-cache",), ("--refresh",), ()):
        result = run_cli(*args, *extra, env=env)
        assert result.code == 0, result.stderr
        assert result.json()["brands"][0]["platforms"][0]["status"] == "claimed"
        cached = result.json()["brands"][0]["platforms"][0]["evidence"][0].get("cached", False)
        seen.append(cached)
    # 1st run asks, 2nd hits, --no-cache asks, --refresh asks (and stores), the last hits.
    # (Only the user lookups: activity also reads /users/acme/events/public.)
    assert len([r for r in world.http.requests_to(p.GITHUB) if r.path == "/users/acme"]) == 3
    assert seen == [False, True, False, False, True]
    assert any(f.is_file() for f in cache_dir.rglob("*"))


def test_default_cache_dir_follows_the_platform_convention(tmp_path: Path) -> None:
    from brandaudit.cache import default_cache_dir

    # conftest points XDG_CACHE_HOME at tmp_path/cache.
    assert default_cache_dir() == tmp_path / "cache" / "brandaudit"
