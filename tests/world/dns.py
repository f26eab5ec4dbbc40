"""A loopback DNS server (UDP and TCP) built on dnslib, for ``_atproto`` TXT records.

Zones are plain dicts: name -> records. A name can also be made to answer SERVFAIL or
REFUSED, to never answer (timeout), or to return garbage. Unknown names are NXDOMAIN; a name
that exists with other types only is NODATA.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from dataclasses import dataclass, field

from dnslib import CNAME, MX, NS, QTYPE, RCODE, RR, TXT, A, DNSRecord


@dataclass
class Name:
    txt: list[list[str] | str] = field(default_factory=list)
    """TXT records; a record is a string or a list of character-strings."""
    cname: str | None = None
    a: list[str] = field(default_factory=list)
    ns: list[str] = field(default_factory=list)
    mx: list[str] = field(default_factory=list)
    behaviour: str | None = None
    """None, 'servfail', 'refused', 'timeout' or 'garbage'."""


class DnsWorld:
    def __init__(self) -> None:
        self.names: dict[str, Name] = {}
        self.queries: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        world = self

        class Udp(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                data, sock = self.request
                reply = world.answer(data)
                if reply is not None:
                    sock.sendto(reply, self.client_address)

        class Tcp(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(5)
                try:
                    header = self.request.recv(2)
                    if len(header) < 2:
                        return
                    (length,) = struct.unpack("!H", header)
                    data = b""
                    while len(data) < length:
                        chunk = self.request.recv(length - len(data))
                        if not chunk:
                            return
                        data += chunk
                    reply = world.answer(data, tcp=True)
                    if reply is not None:
                        self.request.sendall(struct.pack("!H", len(reply)) + reply)
                except OSError:
                    return

        class UdpServer(socketserver.ThreadingMixIn, socketserver.UDPServer):
            daemon_threads = True

        class TcpServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
            daemon_threads = True
            allow_reuse_address = True

        # UDP and TCP must share one port (a resolver retries a truncated answer over TCP on
        # the same port). The system picks a free UDP port; that number may be taken for TCP
        # by another test's socket, so try again with a new one (bounded) rather than run
        # without TCP, which failed the TCP tests now and then under pytest-xdist.
        self.tcp: socketserver.TCPServer | None = None
        for _attempt in range(50):
            self.udp = UdpServer(("127.0.0.1", 0), Udp)
            self.port = self.udp.server_address[1]
            try:
                self.tcp = TcpServer(("127.0.0.1", self.port), Tcp)
                break
            except OSError:
                self.udp.server_close()
        else:
            raise RuntimeError("no loopback port was free for both UDP and TCP in 50 tries")
        self._threads = [
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            for s in (self.udp, self.tcp)
            if s
        ]

    def start(self) -> DnsWorld:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        for server in (self.udp, self.tcp):
            if server is not None:
                server.shutdown()
                server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def reset(self) -> None:
        with self._lock:
            self.names.clear()
            self.queries.clear()

    @property
    def nameserver(self) -> str:
        return f"127.0.0.1:{self.port}"

    def add(self, name: str, **kwargs: object) -> Name:
        entry = Name(**kwargs)  # type: ignore[arg-type]
        with self._lock:
            self.names[name.lower().rstrip(".")] = entry
        return entry

    def txt(self, name: str, *records: list[str] | str) -> None:
        self.add(name, txt=list(records))

    def answer(self, data: bytes, tcp: bool = False) -> bytes | None:
        try:
            request = DNSRecord.parse(data)
        except Exception:
            return None
        qname = str(request.q.qname).lower().rstrip(".")
        qtype = QTYPE[request.q.qtype]
        with self._lock:
            self.queries.append((qname, qtype))
            names = dict(self.names)
        reply = request.reply()
        entry = names.get(qname)
        if entry is None:
            # NXDOMAIN, unless a child exists (then the name is an empty non-terminal: NODATA)
            if not any(n.endswith("." + qname) for n in names):
                reply.header.rcode = RCODE.NXDOMAIN
            return reply.pack()
        if entry.behaviour == "timeout":
            return None
        if entry.behaviour == "servfail":
            reply.header.rcode = RCODE.SERVFAIL
            return reply.pack()
        if entry.behaviour == "refused":
            reply.header.rcode = RCODE.REFUSED
            return reply.pack()
        if entry.behaviour == "garbage":
            return data[:2] + b"\x81\x80\xff\xff\x00\x00"
        current, seen = qname, 0
        while entry is not None and entry.cname and seen < 8:
            reply.add_answer(RR(current, QTYPE.CNAME, rdata=CNAME(entry.cname), ttl=60))
            current = entry.cname.lower().rstrip(".")
            entry = names.get(current)
            seen += 1
        if entry is None:
            return reply.pack()
        _add_records(reply, current, entry, qtype)
        packed: bytes = reply.pack()
        if not tcp and len(packed) > 512:
            reply = request.reply()
            reply.header.tc = 1
            packed = reply.pack()
        return packed


def _add_records(reply: DNSRecord, current: str, entry: Name, qtype: str) -> None:
    if qtype == "TXT":
        for record in entry.txt:
            strings = [record] if isinstance(record, str) else record
            encoded = [s.encode() for s in strings]
            reply.add_answer(RR(current, QTYPE.TXT, rdata=TXT(encoded), ttl=60))
    elif qtype == "A":
        for address in entry.a:
            reply.add_answer(RR(current, QTYPE.A, rdata=A(address), ttl=60))
    elif qtype == "NS":
        for server in entry.ns:
            reply.add_answer(RR(current, QTYPE.NS, rdata=NS(server), ttl=60))
    elif qtype == "MX":
        for host in entry.mx:
            reply.add_answer(RR(current, QTYPE.MX, rdata=MX(host), ttl=60))


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
