"""The optional aiohttp engine: an httpx transport backed by aiohttp (``httpx-aiohttp``).

brandaudit talks httpx everywhere; only the bottom layer changes. httpcore's connection pool
spends CPU in proportion to (queued requests x open connections), which at a few hundred
requests in flight costs more than the requests themselves (``bench/RESULTS.md``); aiohttp's
connector does not. Install with ``pip install 'brandaudit[aiohttp]'`` and choose it with
``[network] engine = "aiohttp"`` or ``BRANDAUDIT_ENGINE=aiohttp``.

What stays the same: the origin map and proxies are applied above this transport (in
``_RoutingTransport``); direct connections go through ``GuardedResolver``, which resolves each
name once with ``AddressGuard.resolve`` and hands aiohttp only the checked addresses, so the
address checked is the address used (as ``GuardedBackend`` does for httpcore). Bodies are not
decompressed here (``auto_decompress=False``): ``NetClient`` decodes them itself, bounded.
Errors are mapped to the httpx exceptions ``NetClient`` already understands; a connection the
server dropped is a protocol error, never a "connect timeout".
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult
from httpx_aiohttp import AiohttpTransport

from brandaudit.net.guard import AddressGuard

__all__ = ["GuardedResolver", "aiohttp_transport"]


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that returns only addresses the guard accepted."""

    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = await self.guard.resolve(host, port)
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        return None


class _Transport(AiohttpTransport):
    """``AiohttpTransport`` with brandaudit's error mapping; IP literals are checked here
    (aiohttp connects to a literal without asking the resolver)."""

    guard: AddressGuard | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        guard = self.guard
        if guard is not None and guard.enabled:
            host = request.url.host
            try:
                ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
            except ValueError:
                pass  # a name: GuardedResolver checks what it resolves to
            else:
                await guard.resolve(host, request.url.port or 0)
        try:
            return await super().handle_async_request(request)
        except httpx.TransportError as exc:
            cause = exc.__cause__
            if isinstance(cause, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError):
                raise httpx.RemoteProtocolError(str(cause) or type(cause).__name__) from cause
            if isinstance(cause, aiohttp.ClientResponseError):
                raise httpx.RemoteProtocolError(cause.message) from cause
            raise
        except aiohttp.ClientResponseError as exc:  # e.g. a malformed status line
            raise httpx.RemoteProtocolError(exc.message) from exc
        except aiohttp.ClientError as exc:
            raise httpx.RemoteProtocolError(str(exc) or type(exc).__name__) from exc


def aiohttp_transport(limits: httpx.Limits, guard: AddressGuard | None) -> httpx.AsyncBaseTransport:
    """A transport with its own aiohttp session (made lazily, inside the running loop)."""
    ssl_context = httpx.create_ssl_context()

    def session() -> aiohttp.ClientSession:
        options: dict[str, Any] = {
            "limit": limits.max_connections or 0,
            "limit_per_host": 0,  # NetClient enforces its own per-host limit
            "ssl": ssl_context,
            "keepalive_timeout": limits.keepalive_expiry or 5.0,
        }
        if guard is not None and guard.enabled:
            options["resolver"] = GuardedResolver(guard)
            options["use_dns_cache"] = False  # every connection is checked afresh
        connector = aiohttp.TCPConnector(**options)
        return aiohttp.ClientSession(
            connector=connector, auto_decompress=False, trust_env=False, cookie_jar=_NoCookies()
        )

    transport = _Transport(limits=limits, client=session)
    transport.guard = guard
    return transport


class _NoCookies(aiohttp.DummyCookieJar):
    """brandaudit never keeps cookies between requests."""
