"""RDAP in the loopback world: IANA's bootstrap file and per-TLD registries (brandaudit.rdap)."""

from __future__ import annotations

import json
from typing import Any

from tests.world.http import HttpWorld, Reply

IANA = "data.iana.org"
REGISTRIES = {
    "com": "rdap.verisign.test",
    "net": "rdap.verisign.test",
    "io": "rdap.identitydigital.test",
    "org": "rdap.pir.test",
    "co": "rdap.nic.co.test",
    "app": "rdap.nic.google.test",
    # .ai: deliberately absent, a TLD without an RDAP service.
}


def bootstrap(world: HttpWorld, registries: dict[str, str] | None = None) -> None:
    """IANA's bootstrap (RFC 9224) naming ``registries`` (TLD -> host); every other domain
    on those registries answers 404 (not registered) unless ``domain_object`` routes it."""
    chosen = registries if registries is not None else REGISTRIES
    by_host: dict[str, list[str]] = {}
    for tld, host in chosen.items():
        by_host.setdefault(host, []).append(tld)
    services = [[tlds, [f"https://{host}/v1/"]] for host, tlds in by_host.items()]
    world.route(
        IANA,
        "/rdap/dns.json",
        Reply.json({"version": "1.0", "publication": "2026-12-01T00:00:00Z", "services": services}),
    )
    for host in by_host:
        world.route_prefix(
            host,
            "/v1/domain/",
            Reply(
                status=404,
                body='{"errorCode": 404, "title": "Not Found"}',
                headers={"Content-Type": "application/rdap+json"},
            ),
        )


def domain_object(
    name: str,
    *,
    registered: str = "2001-05-04T00:00:00Z",
    expires: str = "2030-05-04T00:00:00Z",
    registrar: str = "Example Registrar, Inc.",
    nameservers: tuple[str, ...] = ("ns1.example-dns.test", "ns2.example-dns.test"),
) -> dict[str, Any]:
    return {
        "objectClassName": "domain",
        "ldhName": name.upper(),
        "status": ["client transfer prohibited"],
        "events": [
            {"eventAction": "registration", "eventDate": registered},
            {"eventAction": "expiration", "eventDate": expires},
        ],
        "entities": [
            {
                "objectClassName": "entity",
                "handle": "9999",
                "roles": ["registrar"],
                "vcardArray": [
                    "vcard",
                    [["version", {}, "text", "4.0"], ["fn", {}, "text", registrar]],
                ],
            }
        ],
        "nameservers": [{"objectClassName": "nameserver", "ldhName": ns} for ns in nameservers],
    }


def registered(world: HttpWorld, name: str, **fields: Any) -> None:
    """``name`` is registered at its registry (call ``bootstrap`` first)."""
    tld = name.rsplit(".", 1)[-1]
    host = REGISTRIES[tld]
    world.route(
        host,
        f"/v1/domain/{name}",
        Reply(
            status=200,
            body=json.dumps(domain_object(name, **fields)),
            headers={"Content-Type": "application/rdap+json"},
        ),
    )
