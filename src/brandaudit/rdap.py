"""A small RDAP reader: is a domain registered, and what does its registry say about it.

RDAP (RFC 9082/9083) is the registries' JSON successor to WHOIS; which server answers for a
TLD comes from IANA's bootstrap file (RFC 9224, ``https://data.iana.org/rdap/dns.json``).
Every request goes through the run's network core (``CheckContext.fetch``: origin map, guard,
cache, per-host limits, Retry-After), which is why this is not ``whodap``: whodap builds and
drives its own ``httpx.AsyncClient``, so its requests would skip the guard, the origin map,
the cache and the evidence record (see README "Dependencies").

The verdicts are the registry's own:

- a 200 with an RFC 9083 domain object (``objectClassName: "domain"``, ``ldhName`` the name
  asked) from the server the bootstrap names: **registered**;
- a 404 from that server, with an RDAP (JSON) body or none: **not registered**. Never
  "buyable": reserved and premium names also answer 404 at many registries;
- anything else (429, 5xx, a redirect, an HTML page, a timeout): **unknown**, with the reason;
- a TLD the bootstrap lists no server for: **unknown** ("no RDAP service for .x").

Parsing is bounded: at most ``MAX_SERVICES`` bootstrap entries, ``MAX_ENTITIES`` entities and
``MAX_NAMESERVERS`` nameservers are read, each string is cut at ``MAX_TEXT`` characters and
goes through ``redact.clean_text`` (the one cleaning path for server text).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from brandaudit.cache import current_platform
from brandaudit.redact import clean_text

if TYPE_CHECKING:
    from brandaudit.net.client import Response

BOOTSTRAP_URL = "https://data.iana.org/rdap/dns.json"
BOOTSTRAP_TTL = 86400.0
"""The bootstrap file changes a few times a month; IANA asks clients to cache it."""
BOOTSTRAP_RETRY = 300.0
"""Seconds a failed bootstrap read is remembered before it is tried again."""
BOOTSTRAP_CACHE_SCOPE = "rdap-bootstrap"
"""The ``[network] cache_ttls`` key of the bootstrap file (a day by default)."""
MAX_SERVICES = 4096
MAX_ENTITIES = 32
MAX_NAMESERVERS = 16
MAX_TEXT = 200
MAX_BOOTSTRAP_BYTES = 1024 * 1024
MAX_DOMAIN_BYTES = 512 * 1024
SAME_NAMESERVERS = "same nameservers as"
"""Evidence signal (``platforms/builtin/domain.py``, ``ownership.assess``): a registered
name's registry nameservers are exactly the brand domain's."""
RDAP_HEADERS = {"Accept": "application/rdap+json, application/json;q=0.9"}

Fetch = Callable[..., Awaitable["Response"]]


class Registration(StrEnum):
    REGISTERED = "registered"
    NOT_REGISTERED = "not_registered"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class DomainRecord:
    """What a registry's RDAP domain object says (cleaned, bounded)."""

    name: str
    registrar: str | None = None
    registered: datetime | None = None
    expires: datetime | None = None
    nameservers: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def summary(self) -> str:
        """``registrar Example Registrar, registered 2024-01-02, expires 2027-01-02``."""
        parts = []
        if self.registrar:
            parts.append(f"registrar {self.registrar}")
        if self.registered:
            parts.append(f"registered {self.registered.date().isoformat()}")
        if self.expires:
            parts.append(f"expires {self.expires.date().isoformat()}")
        if self.nameservers:
            more = len(self.nameservers) - 4
            parts.append(
                "nameservers "
                + ", ".join(self.nameservers[:4])
                + (f" and {more} more" if more > 0 else "")
            )
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Lookup:
    """The answer for one domain: the registry's verdict, why, and what it said."""

    state: Registration
    reason: str
    record: DomainRecord | None = None
    server: str | None = None
    signal: str | None = None


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return clean_text(value.strip()[:MAX_TEXT])


def parse_bootstrap(data: Any) -> dict[str, tuple[str, ...]]:
    """TLD (lowercase, no dot) -> the RDAP base URLs the bootstrap lists, https first.

    Malformed entries are skipped; at most ``MAX_SERVICES`` services are read."""
    out: dict[str, tuple[str, ...]] = {}
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, list):
        return out
    for service in services[:MAX_SERVICES]:
        if not (isinstance(service, list) and len(service) >= 2):
            continue
        tlds, urls = service[0], service[1]
        if not (isinstance(tlds, list) and isinstance(urls, list)):
            continue
        bases = [
            u for u in urls[:8] if isinstance(u, str) and u.startswith(("https://", "http://"))
        ]
        bases.sort(key=lambda u: not u.startswith("https://"))
        if not bases:
            continue
        for tld in tlds[:MAX_SERVICES]:
            if isinstance(tld, str) and tld.strip():
                out.setdefault(tld.strip().lower().strip("."), tuple(bases))
    return out


def server_for(services: Mapping[str, tuple[str, ...]], domain: str) -> str | None:
    """The RDAP base URL for ``domain``: the longest suffix the bootstrap lists (RFC 9224 §4)."""
    labels = domain.lower().rstrip(".").split(".")
    for start in range(1, len(labels)):
        bases = services.get(".".join(labels[start:]))
        if bases:
            return bases[0]
    return None


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _registrar(entities: Any) -> str | None:
    if not isinstance(entities, list):
        return None
    for entity in entities[:MAX_ENTITIES]:
        if not isinstance(entity, dict):
            continue
        roles = entity.get("roles")
        if not (isinstance(roles, list) and "registrar" in roles):
            continue
        vcard = entity.get("vcardArray")
        if isinstance(vcard, list) and len(vcard) == 2 and isinstance(vcard[1], list):
            for prop in vcard[1][:64]:
                if isinstance(prop, list) and len(prop) >= 4 and prop[0] == "fn":
                    name = _text(prop[3])
                    if name:
                        return name
        handle = _text(entity.get("handle"))
        if handle:
            return f"IANA id {handle}" if handle.isdigit() else handle
    return None


def parse_domain(body: Any, name: str) -> DomainRecord | None:
    """An RFC 9083 domain object for ``name``, or None when ``body`` is not one."""
    if not isinstance(body, dict) or body.get("objectClassName") != "domain":
        return None
    ldh = body.get("ldhName")
    if not isinstance(ldh, str) or ldh.lower().rstrip(".") != name.lower().rstrip("."):
        return None
    registered = expires = None
    events = body.get("events")
    if isinstance(events, list):
        for event in events[:64]:
            if not isinstance(event, dict):
                continue
            action = event.get("eventAction")
            if action == "registration" and registered is None:
                registered = _date(event.get("eventDate"))
            elif action == "expiration" and expires is None:
                expires = _date(event.get("eventDate"))
    servers: list[str] = []
    nameservers = body.get("nameservers")
    if isinstance(nameservers, list):
        for ns in nameservers[:MAX_NAMESERVERS]:
            host = _text(ns.get("ldhName")) if isinstance(ns, dict) else None
            if host and host.lower().rstrip(".") not in servers:
                servers.append(host.lower().rstrip("."))
    statuses = body.get("status")
    return DomainRecord(
        name=name.lower(),
        registrar=_registrar(body.get("entities")),
        registered=registered,
        expires=expires,
        nameservers=tuple(servers),
        statuses=tuple(s for s in (_text(v) for v in statuses[:16]) if s)
        if isinstance(statuses, list)
        else (),
    )


@dataclass(slots=True)
class Bootstrap:
    """IANA's bootstrap file, read once per run (and a day from the HTTP cache)."""

    services: dict[str, tuple[str, ...]] | None = None
    read_at: float = 0.0
    failure: str | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def get(self, fetch: Fetch) -> dict[str, tuple[str, ...]] | None:
        """The TLD map, or None (``failure`` says why) when the file could not be read.

        A failure is remembered for ``BOOTSTRAP_RETRY`` seconds: the other names of the run
        read "unknown" at once instead of each asking IANA again, one after the other."""
        async with self._lock:
            age = time.monotonic() - self.read_at
            if self.services is not None and age < BOOTSTRAP_TTL:
                return self.services
            if self.failure is not None and age < BOOTSTRAP_RETRY:
                return None
            # The bootstrap is one file for every TLD: its own cache lifetime, not the
            # domain platform's (``[network] cache_ttls`` key ``rdap-bootstrap``).
            token = current_platform.set(BOOTSTRAP_CACHE_SCOPE)
            try:
                response = await fetch(BOOTSTRAP_URL, max_bytes=MAX_BOOTSTRAP_BYTES)
            finally:
                current_platform.reset(token)
            services = parse_bootstrap(response.json()) if response.status == 200 else {}
            if not services:
                self.failure = f"IANA's RDAP bootstrap could not be read ({response.describe()})"
                self.services, self.read_at = None, time.monotonic()
                return None
            self.services, self.read_at, self.failure = services, time.monotonic(), None
            return services


NO_RDAP_SERVICE = "TLD not in the RDAP bootstrap"
"""The signal of a TLD whose registry offers no RDAP: nothing public could decide it."""


async def lookup(name: str, fetch: Fetch, bootstrap: Bootstrap) -> Lookup:
    """Ask the registry of ``name``'s TLD whether it is registered (see the module docstring)."""
    services = await bootstrap.get(fetch)
    if services is None:
        return Lookup(Registration.UNKNOWN, bootstrap.failure or "no RDAP bootstrap")
    base = server_for(services, name)
    if base is None:
        tld = name.rsplit(".", 1)[-1]
        return Lookup(
            Registration.UNKNOWN,
            f"no RDAP service for .{tld} (IANA's bootstrap lists none); check it with the "
            "registry's WHOIS",
            signal=NO_RDAP_SERVICE,
        )
    url = base.rstrip("/") + "/domain/" + name
    server = urlsplit(base).hostname
    response = await fetch(url, headers=RDAP_HEADERS, max_bytes=MAX_DOMAIN_BYTES)
    return judge(name, response, server)


def _rdap_body(response: Response) -> bool:
    """A body an RDAP server sends: JSON (``application/rdap+json``) or nothing."""
    return not response.body or response.content_type in {
        "application/rdap+json",
        "application/json",
    }


def judge(name: str, response: Response, server: str | None) -> Lookup:
    """The registry's verdict from its answer for ``name``."""
    where = f"the .{name.rsplit('.', 1)[-1]} registry ({server})"
    if response.error is not None:
        return Lookup(Registration.UNKNOWN, f"{where}: no answer: {response.error}", server=server)
    if response.status == 200:
        record = parse_domain(response.json(), name)
        if record is not None:
            detail = record.summary()
            return Lookup(
                Registration.REGISTERED,
                f"{name} is registered ({detail})" if detail else f"{name} is registered",
                record,
                server,
                "200 with an RDAP domain object",
            )
        return Lookup(
            Registration.UNKNOWN,
            f"{where} answered HTTP 200 without a domain object for {name}",
            server=server,
        )
    if response.status == 404 and _rdap_body(response) and not response.truncated:
        return Lookup(
            Registration.NOT_REGISTERED,
            f"{where} has no record of {name}: not registered (reserved and premium names "
            "also read this way; a registrar says whether it can be bought)",
            server=server,
            signal="404 from the TLD's RDAP server",
        )
    if response.status == 429:
        why = "rate-limited (HTTP 429); try again later"
    elif response.status is not None and response.status >= 500:
        why = f"had an error (HTTP {response.status})"
    elif response.status is not None and 300 <= response.status < 400:
        why = f"redirected to {response.location or 'an unknown place'} (HTTP {response.status})"
    else:
        kind = response.content_type or "no type"
        why = f"gave an answer that is not RDAP (HTTP {response.status}, {kind})"
    return Lookup(Registration.UNKNOWN, f"{where} {why}", server=server)
