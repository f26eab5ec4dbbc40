"""Private-network guard (SSRF defence).

brandaudit fetches URLs derived from user-supplied domains and from what servers answer
(redirects, links), and in CI it runs next to cloud metadata services. By default it refuses
to connect to loopback, private, link-local, multicast, shared (CGNAT), reserved and cloud
metadata addresses.

The check happens **at connect time, on the address actually connected to**:
``GuardedBackend`` (an httpcore network backend) resolves the host name once, checks every
address it resolves to, and then connects to a checked address itself. TLS still uses the
original host name for SNI and certificate verification, and the Host header is untouched,
so nothing changes for the server. Because the address checked is the address used, a DNS
answer that changes between "check" and "connect" (DNS rebinding) cannot slip through.
Every redirect hop is a new request through the same transport, so it is checked again.

What the guard does not cover (see SECURITY.md): requests the origin map rewrites (the user
chose those targets), and requests sent through an HTTP proxy (the proxy resolves the name;
brandaudit checks its own resolution of it first, which a rebinding name can evade).
``--allow-private-network`` (``BRANDAUDIT_ALLOW_PRIVATE_NETWORK=1``) turns the guard off.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Iterable

import httpcore
import httpx

from brandaudit.net.tls import tls_context

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata endpoints that the link-local rule does not already cover.
_METADATA = {
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("168.63.129.16"),  # Azure WireServer (a public address!)
    ipaddress.ip_address("192.0.0.192"),  # Oracle Cloud (legacy)
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IMDS over IPv6
}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# IPv6 prefixes that embed an IPv4 address a gateway will forward to.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))

GUARD_HINT = "pass --allow-private-network (or BRANDAUDIT_ALLOW_PRIVATE_NETWORK=1) to allow it"


class GuardRefusal(Exception):
    """A connection the guard refused; the message names the guard, the host and the address."""

    def __init__(self, host: str, address: IPAddress | None, problem: str) -> None:
        where = f"{host} ({address})" if address is not None and str(address) != host else host
        super().__init__(f"private-network guard refused {where}: {problem}; {GUARD_HINT}")
        self.host = host
        self.address = address
        self.problem = problem


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    for net in _NAT64:
        if ip in net:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(ip: IPAddress) -> str | None:
    """Why connecting to ``ip`` is refused, or None if it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            inner = address_problem(embedded)
            if inner is not None:
                return f"{inner} (embedded in the IPv6 address)"
            if ip.ipv4_mapped is not None:
                return None
    return _range_problem(ip)


def _range_problem(ip: IPAddress) -> str | None:
    """The special-purpose range ``ip`` itself is in (embedded addresses aside), or None."""
    if ip in _METADATA:
        return "a cloud metadata address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (cloud metadata lives here)"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "the unspecified address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "a shared (carrier-grade NAT) address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "a special-purpose, non-public address"
    return None


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


class AddressGuard:
    """Decides whether brandaudit may connect to a host, by the addresses it resolves to."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled

    def is_trusted(self, host: str) -> bool:
        """Whether ``host`` passes unchecked: only when the guard is off (no host is trusted
        by name; origin-map targets pass by routing, see ``NetClient``)."""
        return not self.enabled

    def refuse_problem(self, host: str, addresses: Iterable[IPAddress]) -> None:
        """Raise ``GuardRefusal`` if any of ``addresses`` (what ``host`` resolved to) is
        forbidden. One bad address is enough: a name that mixes public and private answers
        is exactly what a rebinding attack looks like."""
        for address in addresses:
            problem = address_problem(address)
            if problem:
                raise GuardRefusal(host, address, problem)

    async def resolve(self, host: str, port: int, timeout: float | None = None) -> list[str]:
        """Resolve ``host`` once and check every address; return the addresses to connect to.

        Raises ``GuardRefusal`` for a forbidden address and ``httpcore.ConnectError`` when the
        name does not resolve (httpx reports that as a connection error).
        """
        bare = host.strip("[]")
        literal = _literal(bare)
        if literal is not None:
            if not self.is_trusted(bare):
                self.refuse_problem(host, [literal])
            return [bare]
        name = bare.lower().rstrip(".")
        if (name == "localhost" or name.endswith(".localhost")) and not self.is_trusted(bare):
            # RFC 6761: always loopback, whatever a resolver says.
            raise GuardRefusal(host, None, "'localhost' names are always loopback")
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                infos = await loop.getaddrinfo(bare, port, type=socket.SOCK_STREAM)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
        except (socket.gaierror, UnicodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or "unknown error"
            raise httpcore.ConnectError(f"cannot resolve {host}: {reason}") from None
        connect_to: list[str] = []
        checked: list[IPAddress] = []
        for info in infos:
            text = str(info[4][0])
            address = _literal(text)
            if address is None:
                continue
            checked.append(address)
            if text not in connect_to:
                connect_to.append(text)
        if not connect_to:
            raise httpcore.ConnectError(f"cannot resolve {host}: no usable address")
        if not self.is_trusted(bare):
            self.refuse_problem(host, checked)
        return connect_to

    async def check(self, host: str, port: int) -> None:
        """Raise ``GuardRefusal`` if ``host`` is, or resolves to, a forbidden address.

        A best-effort pre-check (used before handing a request to a proxy): the name may
        resolve differently later. Direct connections are checked by ``GuardedBackend``.
        A name that does not resolve passes; the connection reports the DNS error.
        """
        if self.is_trusted(host):
            return
        try:
            await self.resolve(host, port)
        except (httpcore.ConnectError, httpcore.ConnectTimeout):
            return


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses the guard accepted.

    httpcore calls ``connect_tcp`` with the URL's host name; we resolve it ourselves, check
    the addresses, and connect to the first checked address that answers. The TLS layer is
    set up afterwards by httpcore with ``server_hostname`` = the original host name, so SNI
    and certificate checks are those of the name, not of the address.
    """

    def __init__(
        self, guard: AddressGuard, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self.guard = guard
        self.inner = inner if inner is not None else httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if not self.guard.enabled:
            return await self.inner.connect_tcp(host, port, timeout, local_address, socket_options)
        addresses = await self.guard.resolve(host, port, timeout)
        last: Exception | None = None
        for address in addresses[:4]:
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:  # pragma: no cover - brandaudit never uses sockets
        raise GuardRefusal(path, None, "unix sockets are never used")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_transport(
    guard: AddressGuard, limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None
) -> httpx.AsyncHTTPTransport:
    """An ``httpx.AsyncHTTPTransport`` whose connections all go through ``GuardedBackend``.

    httpx has no public way to pass a network backend, so the transport's connection pool is
    rebuilt with the same settings httpx would use plus ours; if httpx ever changes that
    attribute this fails loudly instead of silently dropping the guard.
    """
    context = ssl_context or tls_context()
    transport = httpx.AsyncHTTPTransport(limits=limits, http2=False, verify=context)
    if not isinstance(getattr(transport, "_pool", None), httpcore.AsyncConnectionPool):
        raise RuntimeError("httpx.AsyncHTTPTransport has no connection pool to guard")
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=False,
        network_backend=GuardedBackend(guard),
    )
    return transport
