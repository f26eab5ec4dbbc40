"""What to add so that a domain becomes the Bluesky handle of a DID (docs/bluesky.md,
"Setup output")."""

from __future__ import annotations

from brandaudit.bluesky.syntax import MAX_DNS_HANDLE
from brandaudit.handles import registrable_domain
from brandaudit.model import BlueskySetup, DnsRecordSetup, WellKnownSetup


def dns_host(domain: str) -> tuple[str, str]:
    """(zone, host as a DNS panel wants it): ``team.acme.co.uk`` -> (``acme.co.uk``,
    ``_atproto.team``), by the bundled public suffix list."""
    zone = registrable_domain(domain)
    if domain == zone or not domain.endswith("." + zone):
        return zone, "_atproto"
    return zone, "_atproto." + domain[: -len(zone) - 1]


def build_setup(domain: str, did: str) -> BlueskySetup:
    """The DNS record (None if the domain is too long for DNS) and the well-known file."""
    dns: DnsRecordSetup | None = None
    if len(domain) <= MAX_DNS_HANDLE:
        zone, host = dns_host(domain)
        dns = DnsRecordSetup(zone=zone, host=host, fqdn=f"_atproto.{domain}.", value=f"did={did}")
    return BlueskySetup(
        did=did,
        dns=dns,
        well_known=WellKnownSetup(
            url=f"https://{domain}/.well-known/atproto-did", content=did, content_type="text/plain"
        ),
    )
