"""The plugin's adapter against mocked Hatchly answers (respx, and brandaudit's loopback
server; nothing leaves the machine). It imports only ``brandaudit.plugin`` and its test kit."""

from __future__ import annotations

import httpx
import pytest
import respx
from brandaudit_example_plugin import HatchlyAdapter

from brandaudit.plugin import CheckContext, Status, Verdict
from brandaudit.plugin.testing import Loopback, run_check, settings

API = "https://api.hatchly.example/v1/accounts/acme"


def _check(handle: str = "acme") -> tuple[Verdict, CheckContext]:
    # respx patches httpx's own transport: the kit's settings pick that engine, and respx
    # answers before any connection is made.
    return run_check(HatchlyAdapter(), handle, settings())


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


def test_through_the_loopback_server() -> None:
    """The same check over a real HTTP server on 127.0.0.1, through brandaudit's network core
    (the origin map keeps the Host header)."""
    with Loopback() as server:
        server.route(
            "api.hatchly.example",
            "/v1/accounts/acme",
            200,
            {"account": {"handle": "acme", "display_name": "Acme"}},
        )
        verdict, ctx = run_check(HatchlyAdapter(), "acme", server.settings())
    assert verdict.status is Status.CLAIMED
    assert server.requests == [("GET", "api.hatchly.example", "/v1/accounts/acme")]
    assert ctx.evidence[0].status_code == 200
