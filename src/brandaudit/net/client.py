"""The one HTTP client of a run.

- one ``httpx.AsyncClient``, explicit connect/read timeouts, a deadline per request;
- the engine under it: aiohttp (``httpx-aiohttp``) or httpx's own pool, chosen per run
  (``choose_engine``);
- a per-host concurrency limit (politeness) under a global one that is only a resource bound
  (``global_limit``: hosts x per-host, capped by the open-file limit, unless configured);
- a circuit breaker per host (``brandaudit.net.breaker``): a host that stops answering fails
  fast instead of holding its slots for a timeout per request;
- bodies streamed and cut at a size cap;
- redirects followed by hand (bounded, each hop recorded, the guard re-checked);
- an honest User-Agent; ``HTTP(S)_PROXY``/``NO_PROXY`` honoured *with* the origin map active
  (httpx ignores proxy variables once a custom transport is passed, so we route ourselves);
- 429/503 with a short ``Retry-After``/``RateLimit-Reset`` retried within a budget.

It never raises for network trouble: every failure is a ``Response`` with ``error`` set, so
adapters can always turn it into an ``unknown`` verdict with evidence.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import time
import urllib.request
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from brandaudit import __version__
from brandaudit.cache import CachedAnswer, HttpCache, cache_key, current_platform, route_scope
from brandaudit.config import NetworkSettings
from brandaudit.model import Cause, Evidence
from brandaudit.net.breaker import Breaker
from brandaudit.net.guard import AddressGuard, GuardRefusal, guarded_transport
from brandaudit.net.tls import tls_context
from brandaudit.origin_map import OriginMap
from brandaudit.redact import redact_url, register

USER_AGENT = f"brandaudit/{__version__} (+https://github.com/brandaudit/brandaudit)"
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_CREDENTIAL_HEADERS = {"authorization", "proxy-authorization", "x-api-key", "api-key"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}


def register_credential_headers(headers: Mapping[str, str]) -> None:
    """Register credentials sent in headers (``Bearer <token>``, ``Basic <base64>``...) as
    secrets, so that no output can show them, even when a server echoes them back."""
    for name, value in headers.items():
        if name.lower() in _CREDENTIAL_HEADERS:
            register(value)
            _scheme, _, token = value.partition(" ")
            register(token.strip())


AUTO_AIOHTTP_FROM = 100
"""``engine = "auto"``: runs planned to make at least this many checks use aiohttp.

Measured (bench/RESULTS.md, paired runs): importing aiohttp and its session costs a run
about 0.1-0.2 s of CPU; its cheaper requests pay that back at about 100 checks (10 brands x
10 platforms: equal; 15 x 10: 7 % less CPU on aiohttp), and far more at scale. A run of
unknown size (a streamed input) uses aiohttp."""


HTTPX_GLOBAL_LIMIT = 64
"""The default global limit on the httpx engine (a configured ``concurrency`` wins)."""


def choose_engine(configured: str, expected_requests: int | None) -> str:
    """The engine for this run: ``httpx`` or ``aiohttp`` (``auto`` decided by size)."""
    if configured != "auto":
        return configured
    if expected_requests is not None and expected_requests < AUTO_AIOHTTP_FROM:
        return "httpx"
    try:
        import httpx_aiohttp  # noqa: F401
    except ImportError:  # a trimmed install: httpx's own pool still works
        return "httpx"
    return "aiohttp"


def global_limit(configured: int | None) -> int:
    """Requests in flight at once over all hosts.

    The per-host limit is the politeness bound; the global one only protects this machine,
    so by default it is what the open-file limit allows (one descriptor per connection, with
    room for everything else), between 16 and 1,024: a run over 50 platforms is never
    serialised by a cap it doesn't need. A configured ``concurrency`` wins."""
    if configured is not None:
        return configured
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):  # no resource module (Windows)
        return 256
    if soft == resource.RLIM_INFINITY or soft <= 0:
        soft = 4096
    return max(16, min(1024, (soft - 64) // 2))


def _counts_against_host(kind: str, message: str) -> bool:
    """Failures that say a host is not answering: timeouts (not waiting for our own pool),
    refused or reset connections. An answer of any kind, or a local refusal, does not."""
    if kind == ErrorKind.TIMEOUT:
        return "waiting for a connection" not in message
    if kind == ErrorKind.CONNECT:
        return True
    if kind == ErrorKind.PROTOCOL:
        return not message.startswith("DecodingError")
    return False


class ErrorKind:
    TIMEOUT = "timeout"
    HOST_DOWN = "host_not_answering"
    CONNECT = "connect"
    TLS = "tls"
    PROTOCOL = "protocol"
    REDIRECTS = "too_many_redirects"
    REDIRECT_LOOP = "redirect_loop"
    REDIRECT_REFUSED = "redirect_refused"
    GUARD = "guard"
    OTHER = "other"


_KIND_CAUSE: dict[str, Cause] = {
    ErrorKind.TIMEOUT: Cause.TIMEOUT,
    ErrorKind.HOST_DOWN: Cause.HOST_NOT_ANSWERING,
    ErrorKind.CONNECT: Cause.UNREACHABLE,
    ErrorKind.TLS: Cause.UNREACHABLE,
    ErrorKind.PROTOCOL: Cause.UNREACHABLE,
    ErrorKind.REDIRECTS: Cause.MOVED,
    ErrorKind.REDIRECT_LOOP: Cause.MOVED,
    ErrorKind.REDIRECT_REFUSED: Cause.MOVED,
    ErrorKind.GUARD: Cause.UNREACHABLE,
    ErrorKind.OTHER: Cause.UNREACHABLE,
}
"""The cause (``model.Cause``) of each kind of failed request."""
NOT_SENT = "not sent: the check's deadline had passed"


@dataclass(frozen=True, slots=True)
class Response:
    """What came back from one logical request (after any redirects we followed)."""

    method: str
    url: str
    status: int | None
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes = b""
    truncated: bool = False
    final_url: str = ""
    hops: tuple[str, ...] = ()
    elapsed_ms: float = 0.0
    error: str | None = None
    error_kind: str | None = None
    from_cache: bool = False
    """Answered from brandaudit's on-disk HTTP cache (see ``brandaudit.cache``)."""

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def cause(self) -> Cause | None:
        """What kind of failure this is (``model.Cause``), or None for an answer."""
        if self.error is None:
            return None
        if self.error == NOT_SENT:
            return Cause.DEADLINE
        return _KIND_CAUSE.get(self.error_kind or "", Cause.UNREACHABLE)

    @property
    def content_type(self) -> str:
        value: str = self.headers.get("content-type", "")
        return value.split(";", 1)[0].strip().lower()

    @property
    def location(self) -> str | None:
        value: str | None = self.headers.get("location")
        return value

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The parsed JSON body, or None if it is not JSON (or was cut at the size cap).

        A body served as an HTML page is never read as JSON: an error page from a CDN or a
        captive portal must not pass for an API answer, whatever its text looks like.
        """
        if self.truncated or not self.body or self.content_type in _HTML_TYPES:
            return None
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            # RecursionError: '[[[[...' nested deeper than the parser goes (a JSON bomb).
            return None

    def evidence(self, signal: str | None = None) -> Evidence:
        final = (
            redact_url(self.final_url) if self.final_url and self.final_url != self.url else None
        )
        return Evidence(
            method=self.method,
            url=redact_url(self.url),
            status_code=self.status,
            final_url=final,
            redirects=tuple(redact_url(h) for h in self.hops),
            signal=signal,
            error=self.error,
            elapsed_ms=round(self.elapsed_ms, 1),
            cached=self.from_cache,
            cause=self.cause,
        )

    def describe(self) -> str:
        """A short phrase for reasons: 'HTTP 429', 'timeout after 5s'..."""
        if self.error:
            return self.error
        return f"HTTP {self.status}"


class _RoutingTransport(httpx.AsyncBaseTransport):
    """Applies the origin map, the private-network guard and the proxy environment."""

    def __init__(
        self,
        origin_map: OriginMap,
        guard: AddressGuard,
        limits: httpx.Limits,
        *,
        trust_env: bool = True,
        engine: str = "httpx",
    ) -> None:
        self.origin_map = origin_map
        self.guard = guard
        # Direct connections go through the guard at connect time (the address checked is the
        # address used); origin-map targets were chosen by the user and are not guarded.
        self.direct: httpx.AsyncBaseTransport
        self.mapped: httpx.AsyncBaseTransport
        # One TLS context for every transport (and every client in this process).
        context = tls_context()
        if engine == "aiohttp":
            from brandaudit.net.aiohttp_engine import aiohttp_transport

            self.direct = aiohttp_transport(limits, guard, context)
            self.mapped = aiohttp_transport(limits, None, context)
        else:
            self.direct = guarded_transport(guard, limits, context)
            self.mapped = httpx.AsyncHTTPTransport(limits=limits, http2=False, verify=context)
        self.proxies: dict[str, httpx.AsyncHTTPTransport] = {}
        if trust_env:
            for scheme, proxy in urllib.request.getproxies().items():
                if scheme in {"http", "https"} and proxy:
                    self.proxies[scheme] = httpx.AsyncHTTPTransport(
                        limits=limits, proxy=proxy, verify=context
                    )

    def _pick(self, url: httpx.URL, *, mapped: bool) -> httpx.AsyncBaseTransport:
        direct = self.mapped if mapped else self.direct
        proxy = self.proxies.get(url.scheme)
        if proxy is None:
            return direct
        host = url.host if url.port is None else f"{url.host}:{url.port}"
        if urllib.request.proxy_bypass_environment(host):  # type: ignore[attr-defined]
            return direct
        return proxy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = self.origin_map.rewrite(request.url)
        if target is not None:
            # The Host header was set from the original URL and is kept as it is.
            request.url = target
        transport = self._pick(request.url, mapped=target is not None)
        if target is None and transport is not self.direct:
            # A proxy resolves the name itself: check our own resolution first (best effort).
            await self.guard.check(request.url.host, request.url.port or 0)
        return await transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self.direct.aclose()
        await self.mapped.aclose()
        for proxy in self.proxies.values():
            await proxy.aclose()


class _DecodeError(Exception):
    pass


class _BoundedDecoder:
    """Undoes gzip/deflate without ever producing more than asked for.

    httpx's own decoders expand each received chunk in one call, so a 50 KB gzip bomb is
    50 MB in memory before any size cap can act. We read raw bytes and decompress at most
    ``room`` bytes at a time; only the encodings we advertise are accepted.
    """

    ACCEPT = "gzip, deflate"

    def __init__(self, encoding: str) -> None:
        name = encoding.strip().lower()
        self._raw_deflate_fallback = name == "deflate"
        if name in {"", "identity"}:
            self._z: Any = None
        elif name in {"gzip", "x-gzip"}:
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif name == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise _DecodeError(f"unsupported Content-Encoding {_short(encoding, 40)!r}")

    def feed(self, data: bytes, room: int) -> bytes:
        if self._z is None:
            return data
        try:
            return bytes(self._z.decompress(data, max(room, 1)))
        except zlib.error as exc:
            if self._raw_deflate_fallback:
                # 'deflate' is often sent without its zlib header.
                self._raw_deflate_fallback = False
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, room)
            raise _DecodeError(str(exc)) from None
        finally:
            self._raw_deflate_fallback = False


def _retry_delay(response: httpx.Response) -> float | None:
    """Seconds to wait before retrying a 429/503, from Retry-After or RateLimit-Reset."""
    value = response.headers.get("retry-after")
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())
    reset = response.headers.get("ratelimit-reset") or response.headers.get("x-ratelimit-reset")
    if reset and reset.strip().isdigit():
        number = float(reset.strip())
        # Bluesky sends unix seconds; the IETF draft sends delta seconds.
        return max(0.0, number - time.time()) if number > 1_000_000_000 else number
    return None


@dataclass(slots=True)
class _Attempt:
    """The host a logical request is talking to right now (for the breaker, when the
    request's own deadline cancels it mid-flight)."""

    host: str | None = None
    probe: bool = False
    sent_at: float = 0.0


@dataclass(frozen=True, slots=True)
class _Call:
    """One logical request as ``NetClient.fetch`` was asked for it (a redirect that turns a
    POST into a GET replaces ``method`` and ``content``)."""

    method: str
    url: str
    headers: Mapping[str, str] | None
    content: bytes | None
    limit: int
    """The body size cap, in bytes."""
    max_redirects: int
    redirect_allowed: Callable[[httpx.URL, httpx.URL], bool] | None
    started: float
    """``time.perf_counter()`` when the request began (for ``elapsed_ms``)."""


@dataclass(frozen=True, slots=True)
class _Raw:
    status: int
    headers: httpx.Headers
    body: bytes
    truncated: bool
    retry_delay: float | None


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _failure(
    method: str,
    url: str,
    current: str,
    hops: list[str],
    started: float,
    message: str,
    kind: str,
    *,
    status: int | None = None,
) -> Response:
    return Response(
        method=method,
        url=url,
        status=status,
        final_url=current,
        hops=tuple(hops),
        elapsed_ms=(time.perf_counter() - started) * 1000,
        error=message,
        error_kind=kind,
    )


def _answered(
    method: str,
    url: str,
    raw: _Raw,
    at: httpx.URL,
    hops: list[str],
    started: float,
    error: str | None = None,
    kind: str | None = None,
) -> Response:
    """The response a server gave at ``at``, possibly with why its redirect wasn't followed."""
    return Response(
        method=method,
        url=url,
        status=raw.status,
        headers=raw.headers,
        body=raw.body,
        truncated=raw.truncated,
        final_url=str(at),
        hops=tuple(hops),
        elapsed_ms=(time.perf_counter() - started) * 1000,
        error=error,
        error_kind=kind,
    )


def _from_cache(call: _Call, hit: CachedAnswer) -> Response:
    return Response(
        method=call.method,
        url=call.url,
        status=hit.status,
        headers=httpx.Headers(list(hit.headers)),
        body=hit.body,
        truncated=hit.truncated,
        final_url=hit.final_url or call.url,
        hops=hit.hops,
        elapsed_ms=(time.perf_counter() - call.started) * 1000,
        from_cache=True,
    )


def _follows(raw: _Raw, max_redirects: int) -> bool:
    """Whether ``raw`` is a redirect to follow (when allowed): a 3xx with a Location, on a
    request that follows redirects at all."""
    return raw.status in _REDIRECT_STATUSES and max_redirects > 0 and "location" in raw.headers


def _redirect_refusal(
    call: _Call, hops: list[str], seen: set[str], at: httpx.URL, target: httpx.URL
) -> tuple[str, str] | None:
    """Why the redirect from ``at`` to ``target`` is not followed (message, kind), or None."""
    if len(hops) >= call.max_redirects:
        return f"more than {call.max_redirects} redirects", ErrorKind.REDIRECTS
    if str(target) in seen or str(target) == str(at):
        return f"redirect loop back to {redact_url(target)}", ErrorKind.REDIRECT_LOOP
    if target.scheme not in {"http", "https"}:
        return f"redirect to unsupported scheme {target.scheme!r}", ErrorKind.REDIRECT_REFUSED
    if call.redirect_allowed is not None and not call.redirect_allowed(at, target):
        return f"redirect to {redact_url(target)} not followed", ErrorKind.REDIRECT_REFUSED
    return None


class NetClient:
    """The run's network core. Use as ``async with NetClient(settings) as net:``."""

    def __init__(
        self,
        settings: NetworkSettings,
        *,
        trust_env: bool = True,
        cache: HttpCache | None = None,
        expected_requests: int | None = None,
        on_host_down: Callable[[str], None] | None = None,
    ) -> None:
        """``expected_requests``: the run's planned checks (None: unknown), for
        ``engine = "auto"``; ``on_host_down(message)`` is called once per host whose
        circuit breaker opens."""
        self.settings = settings
        self.cache = cache
        self.engine = choose_engine(settings.engine, expected_requests)
        self.global_limit = global_limit(settings.concurrency)
        if settings.concurrency is None and self.engine == "httpx":
            # httpcore's pool spends CPU per connection it holds for every queued request:
            # beyond ~64 in flight it costs more than it saves (bench/RESULTS.md, engines).
            self.global_limit = min(self.global_limit, HTTPX_GLOBAL_LIMIT)

        def opened(host: str, error: str) -> None:
            if on_host_down is not None:
                on_host_down(
                    f"{host} is not answering ({self.breaker.threshold} timeouts or resets in "
                    "a row): its remaining checks are unknown, and it is asked again now and "
                    "then"
                )

        self.breaker = Breaker(on_open=opened)
        self.origin_map = OriginMap.from_mapping(settings.origin_map)
        self._cache_scope = route_scope(settings.origin_map, settings.user_agent)
        # Origin-map targets are trusted by routing (mapped requests skip the guard), not by
        # name: a server redirecting to the target's address directly is still refused.
        self.guard = AddressGuard(enabled=not settings.allow_private_network)
        limits = httpx.Limits(
            max_connections=self.global_limit,
            # Few idle connections: httpcore's pool costs CPU in proportion to the connections
            # it holds; 64 idle ones made each request ~5x dearer (bench/RESULTS.md).
            max_keepalive_connections=min(self.global_limit, 16),
        )
        self._transport = _RoutingTransport(
            self.origin_map, self.guard, limits, trust_env=trust_env, engine=self.engine
        )
        self._timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.deadline,
        )
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(self.global_limit)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._busy: dict[str, int] = {}
        """host -> logical requests in flight or queued for it."""
        self._host_pause: dict[str, float] = {}
        self.request_count = 0

    async def __aenter__(self) -> NetClient:
        self._client = httpx.AsyncClient(
            transport=self._transport,
            timeout=self._timeout,
            follow_redirects=False,
            headers={
                "User-Agent": self.settings.user_agent or USER_AGENT,
                "Accept-Encoding": _BoundedDecoder.ACCEPT,
            },
            trust_env=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _host_semaphore(self, host: str) -> asyncio.Semaphore:
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.settings.per_host)
        return sem

    def _route(self, url: str) -> str:
        """The origin a request for ``url`` really goes to (cache key; see ``cache_key``)."""
        try:
            target = self.origin_map.lookup(httpx.URL(url))
        except (httpx.InvalidURL, ValueError):
            return "invalid"
        return "direct" if target is None else str(target)

    def out_of_time(self, method: str, url: str) -> Response:
        """The answer for a request there is no time left to make (the check's deadline)."""
        return _failure(
            method,
            url,
            url,
            [],
            time.perf_counter(),
            NOT_SENT,
            ErrorKind.TIMEOUT,
        )

    async def fetch(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        max_bytes: int | None = None,
        max_redirects: int = 0,
        redirect_allowed: Callable[[httpx.URL, httpx.URL], bool] | None = None,
        timeout: float | None = None,
    ) -> Response:
        """Make one request. Never raises for network trouble; see ``Response.error``.

        ``max_redirects`` hops are followed by hand (0: a 3xx is returned as it is);
        ``redirect_allowed(from, to)`` may refuse a hop (e.g. to another site).
        """
        if headers:
            register_credential_headers(headers)
        call = _Call(
            method=method,
            url=url,
            headers=headers,
            content=content,
            limit=max_bytes or self.settings.max_body_bytes,
            max_redirects=max_redirects,
            redirect_allowed=redirect_allowed,
            started=time.perf_counter(),
        )
        budget = timeout or self.settings.deadline
        key, ttl = self._cache_entry(call)
        if key is not None and self.cache is not None:
            hit = self.cache.get(key, ttl)
            if hit is not None:
                return _from_cache(call, hit)
        attempt = _Attempt()
        try:
            async with asyncio.timeout(budget):
                response = await self._fetch(call, attempt)
        except TimeoutError:
            return self._deadline_passed(call, attempt, budget)
        self._store(key, ttl, response)
        return response

    def _cache_entry(self, call: _Call) -> tuple[str | None, float]:
        """The request's cache key and time to live; (None, 0) when it is never cached
        (no cache, or not a plain GET/HEAD)."""
        if self.cache is None or call.method not in {"GET", "HEAD"} or call.content is not None:
            return None, 0.0
        key = cache_key(
            call.method,
            call.url,
            call.headers,
            max_bytes=call.limit,
            max_redirects=call.max_redirects,
            route=self._route(call.url),
            scope=self._cache_scope,
        )
        host = (urlsplit(call.url).hostname or "").lower()
        return key, self.cache.ttl_for(call.url, host, current_platform.get())

    def _store(self, key: str | None, ttl: float, response: Response) -> None:
        """Keep an answer the cache may hold (see ``HttpCache.cacheable``)."""
        cache = self.cache
        status = response.status
        if key and cache and status is not None and cache.cacheable(status, response.error):
            answer = CachedAnswer(
                status=status,
                headers=tuple(response.headers.multi_items()),
                body=response.body,
                truncated=response.truncated,
                # The request URL may carry a key (redacted on disk): no redirect, no URL.
                final_url="" if response.final_url == response.url else response.final_url,
                hops=response.hops,
                stored_at=time.time(),
            )
            cache.put(key, answer, ttl)

    def _deadline_passed(self, call: _Call, attempt: _Attempt, budget: float) -> Response:
        """The answer when the request's deadline ended it; a request in flight long enough
        counts against its host (the breaker)."""
        if attempt.host is not None:  # the deadline ended a request in flight
            waited = time.monotonic() - attempt.sent_at
            # Only as long a wait as a timeout of its own says the host is silent; a
            # request sent with little of its check's time left says nothing about it.
            if waited >= min(self.settings.connect_timeout, self.settings.read_timeout):
                self.breaker.record(
                    attempt.host, failed=True, probe=attempt.probe, error="timed out"
                )
        return Response(
            method=call.method,
            url=call.url,
            status=None,
            final_url=call.url,
            elapsed_ms=(time.perf_counter() - call.started) * 1000,
            error=f"timed out after {budget:g}s",
            error_kind=ErrorKind.TIMEOUT,
        )

    async def _fetch(self, call: _Call, attempt: _Attempt | None = None) -> Response:
        """Follow ``call`` hop by hop: retries of a short 429/503, then redirects."""
        assert self._client is not None, "NetClient used outside 'async with'"
        attempt = attempt or _Attempt()
        hops: list[str] = []
        seen: set[str] = set()
        current = call.url
        retries = 0
        while True:
            try:
                request_url = httpx.URL(current)
                # ``.host`` decodes an ``xn--`` label: one that isn't punycode (``xn--zz.ws``,
                # valid handle syntax) can't be a web address, for httpx as for a browser's
                # or Node's URL parser (so Bluesky can't fetch it either): a failed request.
                host = request_url.host.lower()
            except (httpx.InvalidURL, ValueError) as exc:  # UnicodeError, IDNAError included
                message = f"invalid URL: {exc}"
                if isinstance(exc, UnicodeError):
                    message = (
                        "invalid URL: its host name has an xn-- part that is not valid "
                        "punycode, so no web client can use it"
                    )
                return _failure(
                    call.method, call.url, current, hops, call.started, message, ErrorKind.OTHER
                )
            self._busy[host] = self._busy.get(host, 0) + 1
            try:
                result, probe = await self._one_hop(host, call, request_url, attempt)
            finally:
                self._busy[host] -= 1
            if isinstance(result, tuple):
                message, kind = result
                if kind != ErrorKind.HOST_DOWN:  # the breaker refused it: nothing to record
                    failed = _counts_against_host(kind, message)
                    self.breaker.record(host, failed=failed, probe=probe, error=_short(message, 80))
                return _failure(call.method, call.url, current, hops, call.started, message, kind)
            self.breaker.record(host, failed=False)
            if retries < 2 and self._pause_for_retry(host, result):
                retries += 1
                continue
            if not _follows(result, call.max_redirects):
                return _answered(call.method, call.url, result, request_url, hops, call.started)
            target = request_url.join(result.headers["location"])
            refusal = _redirect_refusal(call, hops, seen, request_url, target)
            if refusal is not None:
                return _answered(
                    call.method, call.url, result, request_url, hops, call.started, *refusal
                )
            seen.add(str(request_url))
            hops.append(str(target))
            current = str(target)
            if result.status == 303 or (result.status in {301, 302} and call.method == "POST"):
                call = replace(call, method="GET", content=None)

    def _pause_for_retry(self, host: str, result: _Raw) -> bool:
        """Whether to ask a 429/503 again: when it says to come back within the retry budget
        (the host is paused until then)."""
        if result.status not in {429, 503}:
            return False
        delay = result.retry_delay
        if delay is None or delay > self.settings.retry_budget:
            return False
        self._host_pause[host] = max(self._host_pause.get(host, 0.0), time.monotonic() + delay)
        return True

    async def _one_hop(
        self, host: str, call: _Call, url: httpx.URL, attempt: _Attempt
    ) -> tuple[_Raw | tuple[str, str], bool]:
        """One request to ``host`` under its limits and its breaker: (answer, was a probe)."""
        await self._wait_for_host(host)
        # The host's slot first, then a global one: a request queued behind a slow host
        # must not hold a slot other hosts could use.
        async with self._host_semaphore(host):
            refused, probe = self.breaker.refusal(host)
            if refused is not None:
                return (refused, ErrorKind.HOST_DOWN), False
            async with self._global:
                self.request_count += 1
                attempt.host, attempt.probe = host, probe
                attempt.sent_at = time.monotonic()
                try:
                    result = await self._send_once(call, url)
                except BaseException:  # cancelled (a deadline, Ctrl-C): the probe is over
                    if probe:
                        self.breaker.release(host)
                    raise
                attempt.host = None
        return result, probe

    def idle_hosts(self) -> int:
        """Hosts this run has asked that have nothing in flight or queued right now."""
        return sum(1 for count in self._busy.values() if count == 0)

    async def _wait_for_host(self, host: str) -> None:
        until = self._host_pause.get(host)
        if until is not None:
            delay = until - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)

    async def _send_once(self, call: _Call, url: httpx.URL) -> _Raw | tuple[str, str]:
        """One HTTP exchange: the status, headers and (capped) body, or why there are none."""
        assert self._client is not None
        try:
            request = self._client.build_request(
                call.method, url, headers=call.headers, content=call.content
            )
            response = await self._client.send(request, stream=True)
        except GuardRefusal as exc:
            return str(exc), ErrorKind.GUARD
        except httpcore.ConnectTimeout:
            return f"timed out resolving ({url.host})", ErrorKind.TIMEOUT
        except httpx.TimeoutException as exc:
            phase = {
                httpx.ConnectTimeout: "connecting",
                httpx.ReadTimeout: "waiting for data",
                httpx.WriteTimeout: "sending",
                httpx.PoolTimeout: "waiting for a connection",
            }.get(type(exc), "waiting")
            return f"timed out {phase} ({url.host})", ErrorKind.TIMEOUT
        except (httpx.ConnectError, httpcore.ConnectError) as exc:
            # httpcore's own error: the guard's resolver raises it, and on the aiohttp engine
            # it reaches us unmapped (aiohttp calls the resolver, httpx never sees it).
            text = str(exc) or "connection failed"
            kind = ErrorKind.TLS if "SSL" in text or "certificate" in text else ErrorKind.CONNECT
            return f"could not connect to {url.host}: {_short(text)}", kind
        except ssl.SSLError as exc:
            return f"TLS error with {url.host}: {_short(str(exc))}", ErrorKind.TLS
        except (
            httpx.RemoteProtocolError,
            httpx.LocalProtocolError,
            httpx.ReadError,
            httpx.WriteError,
            httpx.ProxyError,
            httpx.UnsupportedProtocol,
        ) as exc:
            return f"{type(exc).__name__} from {url.host}: {_short(str(exc))}", ErrorKind.PROTOCOL
        except (httpx.InvalidURL, httpx.DecodingError, ValueError, UnicodeError) as exc:
            return f"bad request to {url.host}: {_short(str(exc))}", ErrorKind.OTHER
        try:
            return await _read_body(response, url, call.limit)
        finally:
            await response.aclose()


async def _read_body(
    response: httpx.Response, url: httpx.URL, limit: int
) -> _Raw | tuple[str, str]:
    """The streamed answer, decoded and cut at ``limit`` bytes (``truncated`` then set)."""
    chunks: list[bytes] = []
    size = 0
    truncated = False
    try:
        decoder = _BoundedDecoder(response.headers.get("content-encoding", ""))
        async for raw in response.aiter_raw():
            chunk = decoder.feed(raw, limit - size + 1)
            chunks.append(chunk)
            size += len(chunk)
            if size >= limit:
                truncated = True
                break
    except _DecodeError as exc:
        return f"DecodingError reading the body from {url.host}: {exc}", ErrorKind.PROTOCOL
    except httpx.TimeoutException:
        return f"timed out reading the body from {url.host}", ErrorKind.TIMEOUT
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.DecodingError) as exc:
        return (
            f"{type(exc).__name__} reading the body from {url.host}: {_short(str(exc))}"
        ), ErrorKind.PROTOCOL
    body = b"".join(chunks)[:limit]
    retry = _retry_delay(response) if response.status_code in {429, 503} else None
    return _Raw(response.status_code, response.headers, body, truncated, retry)
