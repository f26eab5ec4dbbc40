"""The verdict contract (issue 11; docs/bluesky.md, "Overall status") as scenarios:
``verified`` means Bluesky's resolver resolves the handle today; what works but is fragile
is a warning; a domain that doesn't exist is ``not_configured``; trouble on brandaudit's
side is ``unknown``.

Each scenario names the overall status and the status (and a word of the message) of the
checks it is about. tests/bluesky/test_contract.py runs them in-process, where every verdict
is also compared with the atproto SDK's resolver (tests/bluesky/reference.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.bluesky.scenario import DID, OTHER_DID, PDS_HOST, Bsky, did_doc
from tests.world.dns import free_udp_port
from tests.world.http import Reply


def legacy_key(curve: str) -> str:
    """A raw compressed public key, base58btc (no multicodec prefix), as legacy PLC and
    did:web documents serve it."""
    from atproto_crypto.multibase import bytes_to_multibase
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256K1() if curve == "k256" else ec.SECP256R1())
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )
    encoded: str = bytes_to_multibase("z", raw)
    return encoded


def silent_site(world_origin: str, domain: str = "acme.com") -> dict[str, str]:
    """An origin map under which nothing answers HTTPS for ``domain`` (as for a domain
    that doesn't exist), while every other host reaches the world."""
    return {
        f"https://{domain}": f"http://127.0.0.1:{free_udp_port()}",
        "https://*": world_origin,
        "http://*": world_origin,
    }


@dataclass(frozen=True)
class Contract:
    name: str
    arrange: Callable[[Bsky], None]
    status: str
    checks: dict[str, tuple[str, str]] = field(default_factory=dict)
    """check id -> (status, a piece of its message or fix)."""
    silent_site: bool = False
    """Nothing answers HTTPS for the domain."""
    tld: bool = True
    """The DNS world answers for ``com`` (the public suffix exists)."""
    root: bool = True
    """The DNS world answers for the root; with ``tld`` off too: NXDOMAIN for everything."""
    domain: str = "acme.com"
    network: dict[str, Any] = field(default_factory=dict)


def _legacy(key_type: str, curve: str) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.healthy()
        doc = did_doc()
        doc["verificationMethod"][0].update(
            {"type": key_type, "publicKeyMultibase": legacy_key(curve)}
        )
        b.plc(doc)

    return arrange


def _file_only_no_dns(b: Bsky) -> None:
    """The website serves the file; brandaudit's resolver has nothing for the domain."""
    b.good_file()
    b.account()


def _nothing(b: Bsky) -> None:
    b.account()


def _website_without_file(b: Bsky) -> None:
    b.account()
    b.world.http.route(b.domain, "/", Reply.html("<html>Acme</html>"))


def _dns(behaviour: str) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.site()
        b.world.dns.add(f"_atproto.{b.domain}", behaviour=behaviour)
        b.good_file()
        b.account()

    return arrange


def _stale_file(b: Bsky) -> None:
    b.healthy(dns=True)
    b.good_file(OTHER_DID)


def _dns_names_the_wrong_account(b: Bsky) -> None:
    b.site()
    b.txt(f"did={OTHER_DID}")
    b.good_file()
    b.account()
    b.plc(did_doc(OTHER_DID, "someone-else.bsky.social"), did=OTHER_DID)


def _records_beside_a_file(*values: str, name: str | None = None) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.site()
        b.txt(*values, name=name.format(d=b.domain) if name else None)
        b.good_file()
        b.account()

    return arrange


def _appview_resolve(reply: Reply) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.healthy()
        b.appview_resolves(reply)

    return arrange


def _plain_http_pds_and_no_cors(b: Bsky) -> None:
    b.healthy(dns=False)
    b.file(Reply(body=b.did, headers={"Content-Type": "text/plain"}))
    b.plc(did_doc(pds=f"http://{PDS_HOST}"))


CONTRACT = [
    Contract(
        "legacy secp256k1 key",
        _legacy("EcdsaSecp256k1VerificationKey2019", "k256"),
        "verified",
        {"pds": ("pass", "legacy type EcdsaSecp256k1VerificationKey2019")},
    ),
    Contract(
        "legacy P-256 key",
        _legacy("EcdsaSecp256r1VerificationKey2019", "p256"),
        "verified",
        {"pds": ("pass", "legacy type EcdsaSecp256r1VerificationKey2019")},
    ),
    Contract(
        "NXDOMAIN domain with a working HTTPS file",
        _file_only_no_dns,
        "verified",
        {"dns_txt": ("warn", "can't see this domain"), "well_known": ("pass", DID)},
    ),
    Contract(
        "NXDOMAIN domain with nothing",
        _nothing,
        "not_configured",
        {"dns_txt": ("info", "doesn't exist in DNS"), "well_known": ("info", "no address")},
        silent_site=True,
    ),
    Contract(
        "NXDOMAIN domain whose website answers without the file",
        _website_without_file,
        "unknown",
        {"dns_txt": ("skip", "can't see this domain"), "well_known": ("info", "no file")},
    ),
    Contract(
        "DNS timeout with a working HTTPS file",
        _dns("timeout"),
        "verified",
        {"dns_txt": ("warn", "falls back to your website file"), "well_known": ("pass", DID)},
        network={"dns_timeout": 0.5},
    ),
    Contract(
        "SERVFAIL with a working HTTPS file",
        _dns("servfail"),
        "verified",
        {"dns_txt": ("warn", "SERVFAIL")},
    ),
    Contract(
        "both methods name different DIDs: DNS wins",
        _stale_file,
        "verified",
        {"methods_agree": ("warn", "Bluesky uses DNS"), "dns_txt": ("pass", DID)},
    ),
    Contract(
        "DNS names an account that doesn't claim the domain, the file the right one",
        _dns_names_the_wrong_account,
        "misconfigured",
        {"bidirectional": ("fail", "someone-else.bsky.social"), "methods_agree": ("warn", "")},
    ),
    Contract(
        "a resolver that says NXDOMAIN for everything, with a working file",
        _file_only_no_dns,
        "verified",
        {"dns_txt": ("warn", "resolver is broken")},
        tld=False,
        root=False,
    ),
    Contract(
        "a resolver that says NXDOMAIN for everything, and nothing else answers",
        _nothing,
        "unknown",
        {"dns_txt": ("skip", "resolver is broken"), "well_known": ("skip", "could not check")},
        silent_site=True,
        tld=False,
        root=False,
    ),
    Contract(
        "a typo in the top-level domain",
        _nothing,
        "not_configured",
        {"dns_txt": ("info", "not even the top-level `cmo` exists")},
        silent_site=True,
        tld=False,
        domain="acme.cmo",
    ),
    Contract(
        "two did= records beside a working file",
        _records_beside_a_file(f"did={DID}", f"did={OTHER_DID}"),
        "verified",
        {"dns_txt": ("warn", "falls back to your website file")},
    ),
    Contract(
        "upper-case DID= beside a working file",
        _records_beside_a_file(f"DID={DID}"),
        "verified",
        {"dns_txt": ("warn", "falls back to your website file")},
    ),
    Contract(
        "did= with a space: Bluesky takes the broken value and never reads the file",
        _records_beside_a_file(f"did= {DID}"),
        "misconfigured",
        {"dns_txt": ("fail", "did= ")},
    ),
    Contract(
        "a record at a wrong name beside a working file",
        _records_beside_a_file(f"did={DID}", name="_atproto.{d}.{d}"),
        "verified",
        {"dns_txt": ("warn", "falls back to your website file")},
    ),
    Contract(
        "plain-http PDS and no CORS header",
        _plain_http_pds_and_no_cors,
        "verified",
        {"pds": ("warn", "plain http"), "well_known": ("warn", "Access-Control-Allow-Origin")},
    ),
    Contract(
        "AppView resolveHandle 404",
        _appview_resolve(Reply.text("Not Found", 404)),
        "unknown",
        {"appview": ("skip", "could not check")},
    ),
    Contract(
        "AppView resolveHandle 502",
        _appview_resolve(Reply.text("Bad Gateway", 502)),
        "unknown",
        {"appview": ("skip", "could not check")},
    ),
    Contract(
        "AppView resolveHandle 200 without a DID",
        _appview_resolve(Reply.json({"ok": True})),
        "unknown",
        {"appview": ("skip", "could not check")},
    ),
]


def run_contract(b: Bsky, case: Contract, **extra: Any) -> Any:
    """Arrange ``case`` in ``b``'s world and verify in-process (with the SDK comparison)."""
    from tests.bluesky.scenario import verify_here

    case.arrange(b)
    if case.tld:
        b.world.dns.add("com")  # the public suffix answers (NODATA), as on the internet
    if case.root:
        b.world.dns.add(".")  # so does the root
    network = dict(case.network)
    if case.silent_site:
        network["origin_map"] = silent_site(b.world.http.origin, b.domain)
    return verify_here(b.world, b.domain, **network, **extra)
