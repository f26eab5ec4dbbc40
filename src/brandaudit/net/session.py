"""The one way a command opens its network clients: HTTP (``NetClient``) and DNS
(``DnsClient``) from the run's settings, with the run's cache, the news of a host that stopped
answering, and the planned number of checks (which ``engine = "auto"`` picks the engine by: a
one-domain ``bluesky`` run gets plain httpx, the faster to start).

``check`` (``runner``), ``bluesky``, ``suggest`` and ``selfcheck`` all open their clients here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from brandaudit.cache import HttpCache, open_cache
from brandaudit.config import Settings
from brandaudit.net.client import NetClient
from brandaudit.net.dns import DnsClient


@dataclass(frozen=True, slots=True)
class Clients:
    """A run's two clients; ``net`` is open for as long as the ``open_clients`` block."""

    net: NetClient
    dns: DnsClient


def make_cache(settings: Settings, warn: Callable[[str], None] | None = None) -> HttpCache | None:
    """The run's HTTP cache as ``[network]`` says (None: ``--no-cache``); a failing cache
    only warns."""
    net = settings.network
    return open_cache(
        enabled=net.cache,
        directory=net.cache_dir,
        default_ttl=net.cache_ttl,
        ttls=net.cache_ttls,
        refresh=net.cache_refresh,
        warn=warn,
    )


@asynccontextmanager
async def open_clients(
    settings: Settings,
    *,
    planned: int | None,
    cache: HttpCache | None = None,
    news: Callable[[str], None] | None = None,
    trust_env: bool = True,
) -> AsyncIterator[Clients]:
    """Open the run's clients inside the running event loop; closed when the block ends.

    ``planned``: the checks the run will make (None: unknown, e.g. a streamed input);
    ``news(message)``: told once per host whose circuit breaker opens."""
    dns = DnsClient(settings.network.nameservers, timeout=settings.network.dns_timeout)
    client = NetClient(
        settings.network,
        trust_env=trust_env,
        cache=cache,
        expected_requests=planned,
        on_host_down=news,
    )
    async with client as net:
        yield Clients(net=net, dns=dns)
