"""Private-network guard: brandaudit fetches URLs derived from user-supplied domains, and in
CI it runs next to cloud metadata services. By default it refuses to connect to loopback,
private, link-local, multicast, reserved and metadata addresses.

The address the name resolves to is checked (not just the name), before each connection,
and so again after every redirect. Origin-map targets are trusted (the user put them there),
and ``--allow-private-network`` turns the guard off.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata endpoints that are not covered by the link-local rule.
_METADATA = {
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6 IMDS
}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


class GuardRefusal(Exception):
    """A connection the guard refused; the message names the guard and the address."""


def address_problem(ip: IPAddress) -> str | None:
    """Why connecting to ``ip`` is refused, or None if it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return address_problem(ip.ipv4_mapped)
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
    return None


class AddressGuard:
    """Checks every host before brandaudit connects to it."""

    def __init__(self, *, enabled: bool = True, trusted_hosts: Iterable[str] = ()) -> None:
        self.enabled = enabled
        self.trusted = {h.lower().strip("[]") for h in trusted_hosts}

    async def check(self, host: str, port: int) -> None:
        """Raise ``GuardRefusal`` if ``host`` is, or resolves to, a forbidden address."""
        if not self.enabled:
            return
        bare = host.lower().strip("[]")
        if bare in self.trusted:
            return
        try:
            literal: IPAddress | None = ipaddress.ip_address(bare)
        except ValueError:
            literal = None
        if literal is not None:
            addresses: list[IPAddress] = [literal]
        else:
            loop = asyncio.get_running_loop()
            try:
                infos = await loop.getaddrinfo(bare, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError):
                return  # the connection itself will fail and report the DNS error
            addresses = []
            for info in infos:
                try:
                    addresses.append(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
                except ValueError:
                    continue
        for address in addresses:
            problem = address_problem(address)
            if problem:
                raise GuardRefusal(
                    f"private-network guard refused {host} ({address}): {problem}; "
                    "pass --allow-private-network to allow it"
                )
