"""The optional aiohttp engine: an httpx transport backed by aiohttp (``httpx-aiohttp``).

brandaudit talks httpx everywhere; only the bottom layer changes. httpcore's connection pool
spends CPU in proportion to (queued requests x open connections), which at a few hundred
requests in flight costs more than the requests themselves (``bench/RESULTS.md``); aiohttp's
connector does not. It is installed with brandaudit (aiohttp and httpx-aiohttp are core
dependencies); ``[network] engine = "aiohttp"`` or ``BRANDAUDIT_ENGINE=aiohttp`` forces it.

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
import ssl
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import yarl
from aiohttp.abc import AbstractResolver, ResolveResult
from httpx_aiohttp import AiohttpTransport

from brandaudit.net.guard import AddressGuard
from brandaudit.net.tls import tls_context

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


def _mapped(exc: BaseException) -> httpx.TransportError | None:
    """The httpx exception ``NetClient`` expects for an aiohttp one (None: not ours)."""
    message = str(exc) or type(exc).__name__
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message)
    if isinstance(exc, aiohttp.SocketTimeoutError):
        return httpx.ReadTimeout(message)
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout(message)
    if isinstance(exc, aiohttp.ClientProxyConnectionError | aiohttp.ClientHttpProxyError):
        return httpx.ProxyError(message)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(message)
    if isinstance(exc, aiohttp.InvalidURL):
        return httpx.UnsupportedProtocol(message)
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ServerDisconnectedError):
        # The peer closed before the whole message: what h11 calls a protocol error.
        return httpx.RemoteProtocolError(message)
    if isinstance(exc, aiohttp.ClientResponseError):
        return httpx.RemoteProtocolError(exc.message or message)
    if isinstance(exc, aiohttp.ClientOSError):
        return httpx.ReadError(message)
    if isinstance(exc, aiohttp.ClientError):
        return httpx.RemoteProtocolError(message)
    return None


class _Stream(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_chunked(16 * 1024):
                yield chunk
        except aiohttp.ClientError as exc:
            mapped = _mapped(exc)
            if mapped is None:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        self._response.release()
        self._response.close()


class _Transport(AiohttpTransport):
    """``AiohttpTransport`` that sends the URL exactly as httpx built it (no re-quoting: a
    handle's ``%26`` must stay ``%26``), maps errors as the httpx engine reports them, and
    checks IP literals with the guard (aiohttp connects to a literal without asking the
    resolver)."""

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
        if not isinstance(self.client, aiohttp.ClientSession):
            self.client = self.get_client()
        timeout = request.extensions.get("timeout", {})
        data = await request.aread() or None
        try:
            response = await self.client.request(
                method=request.method,
                url=yarl.URL(str(request.url), encoded=True),
                headers=list(request.headers.multi_items()),
                data=data,
                allow_redirects=False,
                auto_decompress=False,
                compress=False,
                timeout=aiohttp.ClientTimeout(
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                    connect=timeout.get("pool"),
                ),
                server_hostname=request.extensions.get("sni_hostname"),
            ).__aenter__()
        except aiohttp.ClientError as exc:
            mapped = _mapped(exc)
            if mapped is None:
                raise
            raise mapped from exc
        extensions: dict[str, Any] = {"http_version": b"HTTP/1.1"}
        if response.reason:
            extensions["reason_phrase"] = response.reason.encode()
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=_Stream(response),
            request=request,
            extensions=extensions,
        )


def aiohttp_transport(
    limits: httpx.Limits, guard: AddressGuard | None, ssl_context: ssl.SSLContext | None = None
) -> httpx.AsyncBaseTransport:
    """A transport with its own aiohttp session (made lazily, inside the running loop).

    ``ssl_context``: shared between transports (brandaudit.net.tls)."""
    if ssl_context is None:
        ssl_context = tls_context()

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

    # verify=: without it AiohttpTransport loads a CA bundle of its own that is never used.
    transport = _Transport(limits=limits, client=session, verify=ssl_context)
    transport.guard = guard
    return transport


class _NoCookies(aiohttp.DummyCookieJar):
    """brandaudit never keeps cookies between requests."""
