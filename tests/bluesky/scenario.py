"""Bluesky identity scenarios on the loopback world: DNS records, the well-known file,
plc.directory, the account's PDS and the public AppView, each answering as the real services
do (shapes from docs/bluesky.md, "What is asked, and where")."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.conftest import CliResult, World
from tests.world.http import Reply

if TYPE_CHECKING:
    from brandaudit.config import Settings
    from brandaudit.model import BlueskyDomain

DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
OTHER_DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
PDS_HOST = "morel.us-east.host.bsky.network"
PDS = f"https://{PDS_HOST}"
PLC = "plc.directory"
APPVIEW = "public.api.bsky.app"
SITE_ADDRESS = "203.0.113.10"


def did_doc(
    did: str = DID,
    handle: str | None = "acme.com",
    *,
    pds: str | None = PDS,
    key: bool = True,
    also_known_as: list[str] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A DID document as plc.directory serves it."""
    doc: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1",
        ],
        "id": did,
        "alsoKnownAs": also_known_as
        if also_known_as is not None
        else ([f"at://{handle}"] if handle else []),
        "verificationMethod": [
            {
                "id": f"{did}#atproto",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": "zQ3shXjHeiBuRCKmM36cuYnm7YEMzhGnCmCyW92sRJ9pribSF",
            }
        ]
        if key
        else [],
        "service": [
            {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": pds}
        ]
        if pds
        else [],
    }
    doc.update(overrides)
    return doc


@dataclass
class Bsky:
    """One domain's Bluesky world. ``healthy()`` makes it verified; tests then break one
    thing."""

    world: World
    domain: str = "acme.com"
    did: str = DID

    # -- DNS -------------------------------------------------------------------------------
    def site(self, name: str | None = None) -> None:
        """The domain exists and has an address (as a website would)."""
        self.world.dns.add(name or self.domain, a=[SITE_ADDRESS])

    def txt(self, *values: str | list[str], name: str | None = None) -> None:
        self.world.dns.txt(name or f"_atproto.{self.domain}", *values)

    # -- HTTP ------------------------------------------------------------------------------
    def file(self, reply: Reply, host: str | None = None) -> None:
        self.world.http.route(host or self.domain, "/.well-known/atproto-did", reply)

    def good_file(self, did: str | None = None) -> None:
        self.file(
            Reply(
                body=did or self.did,
                headers={"Content-Type": "text/plain", "Access-Control-Allow-Origin": "*"},
            )
        )

    def plc(self, reply: Reply | dict[str, Any], did: str | None = None) -> None:
        answer = Reply.json(reply) if isinstance(reply, dict) else reply
        self.world.http.route(PLC, f"/{did or self.did}", answer)

    def repo_status(self, reply: Reply | dict[str, Any], host: str = PDS_HOST) -> None:
        answer = Reply.json(reply) if isinstance(reply, dict) else reply
        self.world.http.route(host, "/xrpc/com.atproto.sync.getRepoStatus", answer)

    def pds_resolves(self, did: str | None, host: str = PDS_HOST) -> None:
        answer = (
            Reply.json({"did": did})
            if did
            else Reply.json({"error": "InvalidRequest", "message": "Unable to resolve handle"}, 400)
        )
        self.world.http.route(host, "/xrpc/com.atproto.identity.resolveHandle", answer)

    def profile(self, reply: Reply | dict[str, Any] | None = None, **fields: Any) -> None:
        if reply is None:
            body = {"did": self.did, "handle": self.domain, "displayName": "Acme", **fields}
            answer = Reply.json(body)
        else:
            answer = Reply.json(reply) if isinstance(reply, dict) else reply
        self.world.http.route(APPVIEW, "/xrpc/app.bsky.actor.getProfile", answer)

    def appview_resolves(self, did: str | Reply | None) -> None:
        if isinstance(did, Reply):
            answer = did
        elif did:
            answer = Reply.json({"did": did})
        else:
            answer = Reply.json(
                {"error": "InvalidRequest", "message": "Unable to resolve handle"}, 400
            )
        self.world.http.route(APPVIEW, "/xrpc/com.atproto.identity.resolveHandle", answer)

    # -- whole setups ----------------------------------------------------------------------
    def account(self, handle: str | None = None, **doc: Any) -> None:
        """The DID's document, an active repo on its PDS, and the AppView agreeing."""
        claimed = self.domain if handle is None else handle
        self.plc(did_doc(self.did, claimed, **doc))
        self.repo_status({"did": self.did, "active": True})
        self.pds_resolves(self.did)
        self.profile()
        self.appview_resolves(self.did)

    def healthy(self, *, dns: bool = True, file: bool = False) -> None:
        self.site()
        if dns:
            self.txt(f"did={self.did}")
        if file:
            self.good_file()
        self.account()

    # -- running ---------------------------------------------------------------------------
    def run(self, *args: str) -> CliResult:
        return self.world.run("bluesky", self.domain, "-f", "json", *args)

    def verdict(self, *args: str) -> tuple[CliResult, dict[str, Any]]:
        result = self.run(*args)
        assert result.stdout, result.stderr
        return result, result.json()


def checks(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in data["checks"]}


def failing(data: dict[str, Any]) -> list[str]:
    return [c["id"] for c in data["checks"] if c["status"] == "fail"]


def world_settings(world: World, **network: Any) -> Settings:
    """Settings that reach the loopback world, as the CLI's environment does."""
    from brandaudit.config import Settings
    from brandaudit.origin_map import parse_origin_map_env

    return Settings.model_validate(
        {
            "network": {
                "origin_map": parse_origin_map_env(world.http.origin_map_env()),
                "nameservers": [world.dns.nameserver],
                **network,
            }
        }
    )


def verify_here(
    world: World,
    domain: str,
    expected_did: str | None = None,
    *,
    differential: bool = True,
    **network: Any,
) -> BlueskyDomain:
    """Run the verifier in this process (fast) against the loopback world; then (unless
    ``differential`` is off) check its verified / not-verified against the atproto SDK's
    resolver in the same world (tests/bluesky/reference.py)."""
    from brandaudit.bluesky import verify_domain
    from brandaudit.net.client import NetClient
    from brandaudit.net.dns import DnsClient

    settings = world_settings(world, **network)

    async def go() -> BlueskyDomain:
        dns = DnsClient(settings.network.nameservers, timeout=settings.network.dns_timeout)
        async with NetClient(settings.network, trust_env=False) as net:
            return await verify_domain(domain, net, dns, settings, expected_did=expected_did)

    result = asyncio.run(go())
    if differential:
        from tests.bluesky.reference import assert_agrees

        assert_agrees(world, result, settings)
    return result
