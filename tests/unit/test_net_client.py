"""The network core against the loopback world, in process."""

from __future__ import annotations

import asyncio

import pytest

from brandaudit.config import NetworkSettings
from brandaudit.net.client import ErrorKind, NetClient, Response, redact_url
from tests.conftest import World
from tests.world.http import Reply


def _fetch(world: World, url: str, **kwargs: object) -> Response:
    settings = NetworkSettings(
        origin_map={"https://*": world.http.origin, "http://*": world.http.origin},
        deadline=3,
        read_timeout=1,
        connect_timeout=1,
        max_body_bytes=4096,
    )

    async def go() -> Response:
        async with NetClient(settings) as net:
            return await net.fetch("GET", url, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(go())


def test_host_header_is_kept_and_user_agent_is_honest(world: World) -> None:
    world.http.route("api.example", "/x", Reply.text("ok"))
    response = _fetch(world, "https://api.example/x")
    assert response.status == 200 and response.text() == "ok"
    request = world.http.requests_to("api.example")[0]
    assert request.headers["user-agent"].startswith("brandaudit/")


def test_body_is_cut_at_the_size_cap(world: World) -> None:
    world.http.route("big.example", "/", Reply(body=b"x" * 100_000))
    response = _fetch(world, "https://big.example/")
    assert response.truncated
    assert len(response.body) == 4096
    assert response.json() is None


def test_endless_body_stops_at_the_cap(world: World) -> None:
    world.http.route("endless.example", "/", Reply(endless=True))
    response = _fetch(world, "https://endless.example/")
    assert response.truncated and response.status == 200


def test_redirects_are_followed_by_hand_and_recorded(world: World) -> None:
    world.http.route("a.example", "/", Reply.redirect("https://b.example/next"))
    world.http.route("b.example", "/next", Reply.text("done"))
    response = _fetch(world, "https://a.example/", max_redirects=3)
    assert response.text() == "done"
    assert response.hops == ("https://b.example/next",)
    assert response.evidence().final_url == "https://b.example/next"


def test_redirects_are_not_followed_by_default(world: World) -> None:
    world.http.route("a.example", "/", Reply.redirect("https://b.example/next"))
    response = _fetch(world, "https://a.example/")
    assert response.status == 302 and response.location == "https://b.example/next"


def test_redirect_loop_is_an_error(world: World) -> None:
    world.http.route("loop.example", "/a", Reply.redirect("/b"))
    world.http.route("loop.example", "/b", Reply.redirect("/a"))
    response = _fetch(world, "https://loop.example/a", max_redirects=5)
    assert response.error_kind == ErrorKind.REDIRECT_LOOP


def test_too_many_redirects_is_an_error(world: World) -> None:
    for i in range(10):
        world.http.route("hops.example", f"/{i}", Reply.redirect(f"/{i + 1}"))
    response = _fetch(world, "https://hops.example/0", max_redirects=3)
    assert response.error_kind == ErrorKind.REDIRECTS
    assert len(response.hops) == 3


def test_hanging_server_times_out(world: World) -> None:
    world.http.route("hang.example", "/", Reply(hang=True))
    response = _fetch(world, "https://hang.example/")
    assert response.status is None
    assert response.error_kind == ErrorKind.TIMEOUT


def test_connection_reset_is_an_error_not_an_exception(world: World) -> None:
    world.http.route("reset.example", "/", Reply(reset=True))
    response = _fetch(world, "https://reset.example/")
    assert response.status is None and response.error


def test_short_retry_after_is_honoured(world: World) -> None:
    calls = {"n": 0}

    def flaky(_request: object) -> Reply:
        calls["n"] += 1
        if calls["n"] == 1:
            return Reply(status=429, headers={"Retry-After": "0"})
        return Reply.text("ok")

    world.http.route("flaky.example", "/", flaky)
    response = _fetch(world, "https://flaky.example/")
    assert response.status == 200 and calls["n"] == 2


def test_long_retry_after_is_not_waited_for(world: World) -> None:
    world.http.route("slow.example", "/", Reply(status=429, headers={"Retry-After": "3600"}))
    response = _fetch(world, "https://slow.example/")
    assert response.status == 429
    assert len(world.http.requests_to("slow.example")) == 1


def test_proxy_is_honoured_with_an_origin_map(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The origin map sends api.github.com to a host that only the proxy can reach; the loopback
    # world plays the proxy (it answers absolute-form requests by their Host header).
    monkeypatch.setenv("HTTP_PROXY", world.http.origin)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    world.http.route("api.github.com", "/users/acme", Reply.text("via proxy"))
    settings = NetworkSettings(
        origin_map={"https://api.github.com": "http://mirror.invalid"}, deadline=3
    )

    async def go() -> Response:
        async with NetClient(settings) as net:
            return await net.fetch("GET", "https://api.github.com/users/acme")

    response = asyncio.run(go())
    assert response.text() == "via proxy"


def test_guard_refuses_private_addresses_without_origin_map() -> None:
    async def go() -> Response:
        async with NetClient(NetworkSettings(deadline=2)) as net:
            return await net.fetch("GET", "http://169.254.169.254/latest/meta-data/")

    response = asyncio.run(go())
    assert response.error_kind == ErrorKind.GUARD
    assert "private-network guard" in (response.error or "")


def test_redact_url_hides_secrets() -> None:
    url = "https://www.googleapis.com/youtube/v3/channels?forHandle=%40acme&key=SECRET123"
    assert "SECRET123" not in redact_url(url)
    assert "forHandle" in redact_url(url)


def test_one_tls_context_per_process_until_the_ca_setting_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import certifi

    from brandaudit.net.tls import tls_context

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    first = tls_context()
    assert tls_context() is first  # the CA bundle is parsed once
    assert first.verify_mode.name == "CERT_REQUIRED" and first.check_hostname
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    other = tls_context()
    assert other is not first  # a different CA setting is honoured, as httpx does
    assert other.cert_store_stats()["x509_ca"] > 0
