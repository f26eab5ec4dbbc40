"""A loopback latency server for the benchmarks: HTTP/1.1 keep-alive on 127.0.0.1 that answers
for every host after a fixed delay, plus a DNS responder that says NXDOMAIN to everything (so a
benchmark never asks a real resolver).

Answers (the same for brandaudit, Sherlock and Maigret):

- ``/u/<handle>`` (any Host, as brandaudit's user-defined platforms ask through the origin
  map) and ``/s<N>/u/<handle>`` (as Sherlock and Maigret ask, one path prefix per site):
  200 with a JSON profile when the handle starts with ``taken``, else 404 ``Not Found``;
- ``/__stats``: ``{"requests": N}`` (requests answered since start or the last ``/__reset``);
- anything else (built-in platforms' APIs): 404 ``{"message": "Not Found"}``.

Faulty hosts (by the request's ``Host`` header, for workload f): ``--hang HOST`` never
answers (the connection stays open until the client gives up), ``--reset HOST`` closes the
connection without answering (RST), ``--always-429 HOST`` answers 429 with ``Retry-After: 1``.

Run: ``python -m bench.server --latency 0.1``; it prints ``PORT DNSPORT`` on its first line
and runs until stdin closes or SIGTERM, and at most ``--lifetime`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import signal
import socket
import sys

_PROFILE = re.compile(r"^(?:/s\d+)?/u/([^/?#]+)")


class Server:
    def __init__(
        self,
        latency: float,
        hang: frozenset[str] = frozenset(),
        reset: frozenset[str] = frozenset(),
        always_429: frozenset[str] = frozenset(),
    ) -> None:
        self.latency = latency
        self.requests = 0
        self.hang, self.reset, self.always_429 = hang, reset, always_429

    def answer(self, path: str) -> tuple[int, bytes, str]:
        if path == "/__stats":
            return 200, json.dumps({"requests": self.requests}).encode(), "application/json"
        if path == "/__reset":
            self.requests = 0
            return 200, b"{}", "application/json"
        self.requests += 1
        match = _PROFILE.match(path)
        if match:
            handle = match.group(1)
            if handle.startswith("taken"):
                body = json.dumps({"id": 1, "username": handle}).encode()
                return 200, body, "application/json"
            return 404, b"Not Found", "text/plain"
        return 404, b'{"message": "Not Found", "error": "NotFound"}', "application/json"

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, bool] | None:
        """One request's (host, path, connection: close), its body skipped; None at EOF."""
        request_line = await reader.readline()
        if not request_line:
            return None
        length = 0
        close = False
        host = ""
        while True:
            line = await reader.readline()
            if line in {b"\r\n", b"\n", b""}:
                break
            name, _, value = line.decode("latin-1").partition(":")
            lowered = name.strip().lower()
            if lowered == "content-length":
                length = int(value.strip() or 0)
            elif lowered == "connection" and value.strip().lower() == "close":
                close = True
            elif lowered == "host":
                host = value.strip().lower().split(":", 1)[0]
        if length:
            await reader.readexactly(length)
        parts = request_line.decode("latin-1").split()
        path = parts[1] if len(parts) > 1 else "/"
        if path.startswith(("http://", "https://")):
            path = "/" + path.split("/", 3)[-1]  # absolute-form (proxies)
        return host, path, close

    async def _fault(self, host: str, writer: asyncio.StreamWriter) -> bool:
        """Play the host's fault (hang until the client gives up, or reset); True if it had one."""
        if host in self.hang:
            self.requests += 1
            with contextlib.suppress(asyncio.CancelledError):  # the server stopping
                await asyncio.sleep(600)  # until the client gives up (or the lifetime)
            return True
        if host in self.reset:
            self.requests += 1
            sock = writer.get_extra_info("socket")
            if sock is not None:  # linger 0: close() sends RST, not FIN
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
            writer.transport.abort()
            return True
        return False

    async def _respond(self, host: str, path: str, close: bool) -> bytes:
        if self.latency and not path.startswith("/__"):
            await asyncio.sleep(self.latency)
        extra = ""
        if host in self.always_429:
            self.requests += 1
            status, body, ctype = 429, b"Too Many Requests", "text/plain"
            extra = "Retry-After: 1\r\n"
        else:
            status, body, ctype = self.answer(path)
        reason = {200: "OK", 429: "Too Many Requests"}.get(status, "Not Found")
        head = (
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\n{extra}"
            f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n"
        )
        return head.encode() + body

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while (request := await self._read_request(reader)) is not None:
                host, path, close = request
                if await self._fault(host, writer):
                    break
                writer.write(await self._respond(host, path, close))
                await writer.drain()
                if close:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


class _Nxdomain(asyncio.DatagramProtocol):
    """Answers every DNS query with NXDOMAIN, echoing the question."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if len(data) < 12:
            return
        flags = 0x8183 | (int.from_bytes(data[2:4], "big") & 0x0100)  # QR, RA, RD echoed, NX
        reply = data[:2] + flags.to_bytes(2, "big") + data[4:6] + b"\0\0\0\0\0\0" + data[12:]
        self.transport.sendto(reply, addr)  # type: ignore[attr-defined]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=0.1, help="seconds before each answer")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--lifetime", type=float, default=3600, help="stop after this long")
    parser.add_argument("--hang", action="append", default=[], metavar="HOST")
    parser.add_argument("--reset", action="append", default=[], metavar="HOST")
    parser.add_argument("--always-429", action="append", default=[], metavar="HOST")
    args = parser.parse_args()
    server = Server(
        args.latency, frozenset(args.hang), frozenset(args.reset), frozenset(args.always_429)
    )
    http = await asyncio.start_server(server.handle, "127.0.0.1", args.port, backlog=4096)
    loop = asyncio.get_running_loop()
    dns_transport, _ = await loop.create_datagram_endpoint(_Nxdomain, local_addr=("127.0.0.1", 0))
    port = http.sockets[0].getsockname()[1]
    dns_port = dns_transport.get_extra_info("sockname")[1]
    print(f"{port} {dns_port}", flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    with contextlib.suppress(OSError, ValueError):  # stdin may be a file or closed
        loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.read(1) else None)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), args.lifetime)
    http.close()
    dns_transport.close()


if __name__ == "__main__":
    asyncio.run(main())
