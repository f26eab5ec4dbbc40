"""The plugin's adapter against mocked Hatchly answers (respx; nothing leaves the machine)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx
from brandaudit_example_plugin import HatchlyAdapter

from brandaudit.config import NetworkSettings, Settings
from brandaudit.model import Status
from brandaudit.net.client import NetClient
from brandaudit.net.dns import DnsClient
from brandaudit.platforms.base import CheckContext, Verdict

API = "https://api.hatchly.example/v1/accounts/acme"


def _check(handle: str = "acme") -> tuple[Verdict, CheckContext]:
    # The guard would resolve api.hatchly.example; respx answers before any connection.
    # respx mocks httpx's own transport, so the test asks for that engine (brandaudit's
    # default "auto" picks aiohttp for a client of unknown size, which respx can't see).
    settings = Settings(
        network=NetworkSettings(allow_private_network=True, deadline=5, engine="httpx")
    )

    async def go() -> tuple[Verdict, CheckContext]:
        async with NetClient(settings.network, trust_env=False) as net:
            ctx = CheckContext(
                net=net, dns=DnsClient(["127.0.0.1:9"]), settings=settings, platform="hatchly"
            )
            return await HatchlyAdapter().check(handle, ctx), ctx

    return asyncio.run(go())


@respx.mock
def test_claimed() -> None:
    respx.get(API).mock(
        return_value=httpx.Response(
            200, json={"account": {"handle": "acme", "display_name": "Acme"}}
        )
    )
    verdict, ctx = _check()
    assert verdict.status is Status.CLAIMED
    assert verdict.profile is not None
    assert verdict.profile.display_name == "Acme"
    assert ctx.evidence[0].signal == "200 with account.handle"


@respx.mock
def test_available_needs_status_and_marker() -> None:
    respx.get(API).mock(return_value=httpx.Response(404, json={"error": "account_not_found"}))
    assert _check()[0].status is Status.AVAILABLE


@respx.mock
@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(404, text="Not Found"),
        httpx.Response(429, json={"error": "account_not_found"}),
        httpx.Response(503, json={"error": "account_not_found"}),
        httpx.Response(200, text="<html><title>Just a moment...</title></html>"),
        httpx.Response(200, json={"account": None}),
    ],
)
def test_anything_else_is_unknown(response: httpx.Response) -> None:
    respx.get(API).mock(return_value=response)
    assert _check()[0].status is Status.UNKNOWN


def test_handle_rule_and_urls() -> None:
    adapter = HatchlyAdapter()
    assert adapter.handle_problem("9acme") is not None
    assert adapter.handle_from_url("https://hatchly.example/@Acme") == "acme"
    assert adapter.handle_from_url("https://hatchly.example/@acme/posts/1") is None
