"""The aiohttp engine keeps NetClient's contract: the network-core tests run again on it,
plus the guard on names and literals."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pytest.importorskip("httpx_aiohttp")

from brandaudit.config import NetworkSettings
from brandaudit.net import client as client_module
from brandaudit.net.client import ErrorKind, NetClient, Response
from tests.conftest import World
from tests.unit.test_net_client import (  # the same contract, run on the aiohttp engine
    test_body_is_cut_at_the_size_cap,
    test_connection_reset_is_an_error_not_an_exception,
    test_endless_body_stops_at_the_cap,
    test_guard_refuses_private_addresses_without_origin_map,
    test_hanging_server_times_out,
    test_host_header_is_kept_and_user_agent_is_honest,
    test_long_retry_after_is_not_waited_for,
    test_proxy_is_honoured_with_an_origin_map,
    test_redirect_loop_is_an_error,
    test_redirects_are_followed_by_hand_and_recorded,
    test_redirects_are_not_followed_by_default,
    test_short_retry_after_is_honoured,
    test_too_many_redirects_is_an_error,
)
from tests.world.http import Reply

__all__ = [
    "test_body_is_cut_at_the_size_cap",
    "test_connection_reset_is_an_error_not_an_exception",
    "test_endless_body_stops_at_the_cap",
    "test_guard_refuses_private_addresses_without_origin_map",
    "test_hanging_server_times_out",
    "test_host_header_is_kept_and_user_agent_is_honest",
    "test_long_retry_after_is_not_waited_for",
    "test_proxy_is_honoured_with_an_origin_map",
    "test_redirect_loop_is_an_error",
    "test_redirects_are_followed_by_hand_and_recorded",
    "test_redirects_are_not_followed_by_default",
    "test_short_retry_after_is_honoured",
    "test_too_many_redirects_is_an_error",
]


@pytest.fixture(autouse=True)
def _aiohttp_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    original = client_module._RoutingTransport.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs["engine"] = "aiohttp"
        original(self, *args, **kwargs)

    monkeypatch.setattr(client_module._RoutingTransport, "__init__", init)


def _get(url: str, settings: NetworkSettings) -> Response:
    async def go() -> Response:
        async with NetClient(settings) as net:
            assert type(net._transport.direct).__module__ == "brandaudit.net.aiohttp_engine"
            return await net.fetch("GET", url)

    return asyncio.run(go())


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/", "http://[::1]:9/", "http://localhost:9/", "http://10.0.0.1/"]
)
def test_guard_refuses_loopback_and_private_targets(url: str) -> None:
    response = _get(url, NetworkSettings(deadline=2))
    assert response.error_kind == ErrorKind.GUARD, response.error


def test_reset_mid_answer_is_a_protocol_error_not_a_timeout(world: World) -> None:
    world.http.route("reset.example", "/", Reply(reset=True))
    settings = NetworkSettings(origin_map={"https://*": world.http.origin}, deadline=3)
    response = _get("https://reset.example/", settings)
    assert response.status is None
    assert response.error_kind != ErrorKind.TIMEOUT, response.error


def test_engine_setting_is_validated() -> None:
    from pydantic import ValidationError

    assert NetworkSettings(engine="aiohttp").engine == "aiohttp"
    with pytest.raises(ValidationError):
        NetworkSettings(engine="curl")  # type: ignore[arg-type]


def test_a_refused_connection_is_a_connect_error_not_a_timeout(world: World) -> None:
    from tests.world.dns import free_udp_port

    closed = f"http://127.0.0.1:{free_udp_port()}"
    settings = NetworkSettings(origin_map={"https://*": closed}, deadline=3)
    response = _get("https://refused.example/", settings)
    assert response.error_kind == ErrorKind.CONNECT, response.error
