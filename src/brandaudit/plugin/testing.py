"""A test kit for plugin authors: check an adapter the way brandaudit does, offline.

Import it only in tests. Two ways to answer the adapter's requests:

- a loopback server (:class:`Loopback`): a real HTTP server on ``127.0.0.1`` that answers per
  ``Host`` and path, reached through brandaudit's origin map, so the adapter's requests go
  through the same network core as in a run (redirects, size caps, evidence);
- a mocking library that patches httpx (respx, pytest-httpx): :func:`settings` picks the
  plain httpx engine, which those libraries see.

.. code-block:: python

    from brandaudit.plugin import Status
    from brandaudit.plugin.testing import Loopback, run_check

    def test_claimed() -> None:
        with Loopback() as server:
            server.route("api.hatchly.example", "/v1/accounts/acme", 200, {"account": {...}})
            verdict, ctx = run_check(HatchlyAdapter(), "acme", server.settings())
        assert verdict.status is Status.CLAIMED
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from brandaudit.config import NetworkSettings, Settings
from brandaudit.platforms.base import Adapter, CheckContext, Verdict

__all__ = ["Loopback", "Reply", "check_context", "run_check", "settings"]


def settings(**network: Any) -> Settings:
    """Settings for a test check: the plain httpx engine (what respx and pytest-httpx patch),
    a 5 s deadline, private addresses allowed; ``network`` overrides any ``[network]`` key."""
    values: dict[str, Any] = {"engine": "httpx", "deadline": 5, "allow_private_network": True}
    values.update(network)
    return Settings(network=NetworkSettings(**values))


@asynccontextmanager
async def check_context(
    platform: str, test_settings: Settings | None = None
) -> AsyncIterator[CheckContext]:
    """A :class:`CheckContext` for ``platform`` over brandaudit's own clients (no cache, no
    proxy from the environment), open for the block."""
    from brandaudit.net.session import open_clients

    chosen = test_settings or settings()
    async with open_clients(chosen, planned=1, cache=None, trust_env=False) as clients:
        yield CheckContext(net=clients.net, dns=clients.dns, settings=chosen, platform=platform)


def run_check(
    adapter: Adapter, handle: str, test_settings: Settings | None = None
) -> tuple[Verdict, CheckContext]:
    """``adapter.check(handle)`` in a fresh event loop: the verdict and the context (its
    ``evidence`` lists every request, with the signal that decided)."""

    async def go() -> tuple[Verdict, CheckContext]:
        async with check_context(adapter.id, test_settings) as ctx:
            return await adapter.check(adapter.normalise_handle(handle), ctx), ctx

    return asyncio.run(go())


@dataclass(frozen=True, slots=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)


class Loopback:
    """An HTTP server on 127.0.0.1 answering per (host, path); unknown routes answer 404.

    Use it as a context manager (the server stops on exit); :meth:`settings` sends every
    ``https://`` and ``http://`` request of a check to it, keeping the ``Host`` header."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], Reply] = {}
        self.requests: list[tuple[str, str, str]] = []
        """(method, host, path with query) of every request served, in order."""
        routes, seen = self._routes, self.requests

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                self._answer()

            def do_HEAD(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(min(length, 1 << 20))
                self._answer()

            def _answer(self) -> None:
                host = (self.headers.get("host") or "").split(":", 1)[0].lower()
                seen.append((self.command, host, self.path))
                reply = routes.get((host, urlsplit(self.path).path), Reply(404, b"not found"))
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(reply.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply.body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Loopback:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(
        self,
        host: str,
        path: str,
        status: int = 200,
        body: bytes | str | Mapping[str, Any] | list[Any] = b"",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer ``host`` + ``path`` (the query is ignored) with ``status`` and ``body`` (a
        dict or list is sent as JSON)."""
        extra = dict(headers or {})
        if isinstance(body, (dict, list)):
            payload = json.dumps(body).encode("utf-8")
            extra.setdefault("content-type", "application/json")
        elif isinstance(body, str):
            payload = body.encode("utf-8")
            extra.setdefault("content-type", "text/html; charset=utf-8")
        else:
            payload = bytes(body)  # type: ignore[arg-type]
        self._routes[(host.lower(), path)] = Reply(status, payload, extra)

    def settings(self, **network: Any) -> Settings:
        """:func:`settings` with every request sent here (``[network] origin_map``)."""
        mapping = {"https://*": self.origin, "http://*": self.origin}
        return settings(origin_map=mapping, **network)
