"""A loopback HTTP server that answers as many hosts at once, chosen by the Host header.

Tests register routes per (host, path); brandaudit reaches the server through its origin map
(``https://*=http://127.0.0.1:PORT``), which keeps the original Host header. Replies can be
delayed, dripped, cut, or never sent, to imitate hostile servers. Every wait is bounded and
``stop()`` releases every blocked handler.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    host: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering."""
    hang: bool = False
    """Never answer (until the server stops)."""
    drip: float = 0.0
    """Seconds between single bytes of the body (a slow-drip server)."""
    endless: bool = False
    """Stream body bytes forever (until the client goes away or the server stops)."""
    reset: bool = False
    """Close the connection without answering."""
    content_length: int | None = None
    """Override the Content-Length header (to lie about the size)."""

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return cls(
            status=status,
            body=json.dumps(data),
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    @classmethod
    def html(cls, text: str, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return cls(
            status=status,
            body=text,
            headers={"Content-Type": "text/html; charset=utf-8", **(headers or {})},
        )

    @classmethod
    def text(cls, text: str, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return cls(
            status=status,
            body=text,
            headers={"Content-Type": "text/plain; charset=utf-8", **(headers or {})},
        )

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status=status, headers={"Location": location})


Handler = Callable[[Request], Reply]


class _Server(ThreadingHTTPServer):
    # Many checks connect at once; the default backlog of 5 drops SYNs, and each dropped one
    # costs a 1 s retransmit.
    request_queue_size = 256


UNROUTED_BODY = "brandaudit test world: no route"


class HttpWorld:
    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], Handler] = {}
        self._prefix_routes: list[tuple[str, str, Handler]] = []
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self._stopping = threading.Event()
        world = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as separate writes; with Nagle on, the body waits for
            # the client's delayed ACK (~40 ms a request on loopback).
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, 1_000_000)) if length else b""
                parts = urlsplit(self.path)
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                request = Request(
                    method=self.command,
                    host=host,
                    path=parts.path,
                    query=parse_qs(parts.query, keep_blank_values=True),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                with world._lock:
                    world.requests.append(request)
                reply = world._dispatch(request)
                world._send(self, reply)

            do_GET = do_POST = do_HEAD = do_PUT = _serve

        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(
            target=self.server.serve_forever, daemon=True, kwargs={"poll_interval": 0.05}
        )

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> HttpWorld:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def reset(self) -> None:
        with self._lock:
            self._routes.clear()
            self._prefix_routes.clear()
            self.requests.clear()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def origin_map_env(self) -> str:
        return f"https://*={self.origin},http://*={self.origin}"

    # -- routes -------------------------------------------------------------------------
    def route(self, host: str, path: str, reply: Reply | Handler) -> None:
        """Answer ``host`` + ``path`` (exact path; query ignored) with ``reply``."""
        handler = reply if callable(reply) else (lambda _r, _reply=reply: _reply)
        with self._lock:
            self._routes[(host.lower(), path)] = handler

    def route_prefix(self, host: str, prefix: str, reply: Reply | Handler) -> None:
        handler = reply if callable(reply) else (lambda _r, _reply=reply: _reply)
        with self._lock:
            self._prefix_routes.append((host.lower(), prefix, handler))

    def requests_to(self, host: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.host == host.lower()]

    def _dispatch(self, request: Request) -> Reply:
        with self._lock:
            handler = self._routes.get((request.host, request.path))
            if handler is None:
                for host, prefix, candidate in reversed(self._prefix_routes):
                    if host in {request.host, "*"} and request.path.startswith(prefix):
                        handler = candidate
                        break
        if handler is None:
            return Reply(status=404, body=UNROUTED_BODY, headers={"Content-Type": "text/plain"})
        return handler(request)

    def _wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; False if the server is stopping."""
        return not self._stopping.wait(seconds)

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        try:
            if reply.reset:
                handler.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                handler.close_connection = True
                return
            if reply.hang:
                self._wait(120)
                handler.close_connection = True
                return
            if reply.delay and not self._wait(reply.delay):
                return
            body = reply.body.encode() if isinstance(reply.body, str) else reply.body
            handler.send_response(reply.status)
            for key, value in reply.headers.items():
                handler.send_header(key, value)
            if reply.endless:
                handler.send_header("Content-Type", reply.headers.get("Content-Type", "text/plain"))
                handler.end_headers()
                chunk = b"x" * 65536
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline and not self._stopping.is_set():
                    handler.wfile.write(chunk)
                return
            length = reply.content_length if reply.content_length is not None else len(body)
            handler.send_header("Content-Length", str(length))
            handler.end_headers()
            if handler.command == "HEAD":
                return
            if reply.drip:
                for byte in body:
                    if not self._wait(reply.drip):
                        return
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                return
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, OSError):
            handler.close_connection = True


class RawServer:
    """A loopback TCP server below HTTP, for servers that break the protocol.

    ``reply=None`` accepts connections and never reads or answers (until ``stop()``);
    otherwise it reads what arrives for a moment, sends ``reply`` as raw bytes and closes.
    """

    def __init__(self, reply: bytes | None = None) -> None:
        self.reply = reply
        self.accepted = 0
        self._stopping = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self.port: int = self._sock.getsockname()[1]
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RawServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        for conn in self._held:
            conn.close()
        self._sock.close()

    def __enter__(self) -> RawServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.accepted += 1
            if self.reply is None:
                self._held.append(conn)
                continue
            try:
                conn.settimeout(0.2)
                with contextlib.suppress(OSError):
                    conn.recv(65536)
                conn.sendall(self.reply)
            except OSError:
                pass
            finally:
                conn.close()
