"""The reference: the Python atproto SDK's own resolver (``atproto_identity``) run against the
same loopback world as brandaudit, so every scenario is checked against what Bluesky's
resolver decides, not only against what the tests expect.

"Bluesky's resolver decides the handle works" here means what the AppView does with
``@atproto/identity`` (bluesky-social/atproto d6296a1, packages/identity/src): the handle
resolves to a DID (``HandleResolver.resolve``: DNS ``_atproto`` TXT first; when DNS gives
nothing, the HTTPS ``/.well-known/atproto-did`` file), the DID resolves to a document
(``DidResolver``), ``ensureAtpDocument`` finds a signing key, a handle and a PDS endpoint in
it, and the document's handle is the domain. The SDK mirrors that API (``HandleResolver``,
``DidResolver``, ``ensure_atproto_document`` with ``get_did_key``/``get_handle``/
``get_pds_endpoint``).

Only the wiring is the test's: the SDK's DNS resolver asks the world's DNS server and its
HTTP clients go through the world's origin map (the SDK's own code decides everything else).
One wiring choice follows the reference rather than the Python SDK: the handle resolver's
HTTP client follows redirects, as ``fetch()`` in ``HandleResolver.resolveHttp`` does (the
DID resolvers don't: ``redirect: 'error'`` in plc-resolver.ts and web-resolver.ts).

Where brandaudit's verdict may rightly differ from the SDK's, the reason is listed in
``KNOWN_DIFFERENCES``, the one place for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from brandaudit.model import BlueskyDomain, BlueskyStatus, CheckStatus

if TYPE_CHECKING:
    from brandaudit.config import Settings
    from tests.conftest import World

SDK_TIMEOUT = 4.0
"""Seconds; generous, so a loaded test machine never turns a slow answer into "not verified"."""


class _WorldTransport(httpx.BaseTransport):
    """Sends each request where the origin map says (the Host header stays the original)."""

    def __init__(self, origin_map: dict[str, str]) -> None:
        from brandaudit.origin_map import OriginMap

        self._map = OriginMap.from_mapping(origin_map)
        self._inner = httpx.HTTPTransport(verify=False)  # the world is plain http

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = self._map.rewrite(request.url)
        if target is None:
            raise httpx.ConnectError("no route in the test world", request=request)
        request.url = target
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@dataclass(frozen=True)
class SdkVerdict:
    verified: bool
    detail: str
    did: str | None = None


_MADE: list[Any] = []


def _resolvers(handle_cls: Any, did_cls: Any) -> tuple[Any, Any]:
    """The SDK's resolvers, made once per test process (each makes TLS contexts, ~0.1 s);
    their clients are replaced for every world."""
    if not _MADE:
        _MADE.extend((handle_cls(timeout=SDK_TIMEOUT), did_cls(timeout=SDK_TIMEOUT)))
    return _MADE[0], _MADE[1]


def sdk_verdict(domain: str, settings: Settings) -> SdkVerdict:
    """Whether the atproto SDK's resolver, in this world, says ``domain`` works as a handle."""
    import dns.resolver
    from atproto_identity.did.atproto_data import ensure_atproto_document
    from atproto_identity.did.resolver import DidResolver
    from atproto_identity.handle.resolver import HandleResolver

    from brandaudit.net.dns import parse_nameserver

    class _Stub(dns.resolver.Resolver):
        # The SDK waits its whole timeout (4 s) on a silent nameserver; a scenario that
        # shortened brandaudit's DNS patience gives the SDK twice that (at least 1 s) too.
        budget = max(1.0, 2 * settings.network.dns_timeout)

        def resolve(self, *args: Any, lifetime: float | None = None, **kw: Any) -> Any:
            capped = self.budget if lifetime is None else min(lifetime, self.budget)
            return super().resolve(*args, lifetime=capped, **kw)

    stub = _Stub(configure=False)
    servers = [parse_nameserver(n) for n in settings.network.nameservers]
    stub.nameservers = [ip for ip, _port in servers]
    stub.port = servers[0][1]
    origin_map = dict(settings.network.origin_map)

    handles, dids = _resolvers(HandleResolver, DidResolver)
    handles._dns_resolver = stub
    handles._http_client = httpx.Client(
        transport=_WorldTransport(origin_map), follow_redirects=True
    )
    for method in dids._methods.values():
        method._client = httpx.Client(transport=_WorldTransport(origin_map))
    try:
        did = handles.resolve(domain)
        if not did:
            return SdkVerdict(False, "the handle resolves to no DID")
        try:
            doc = dids.resolve(did)
        except Exception as exc:  # the SDK raises its own and httpx's errors
            return SdkVerdict(False, f"DID resolution failed: {type(exc).__name__}", did)
        if doc is None:
            return SdkVerdict(False, "the DID has no document", did)
        try:
            data = ensure_atproto_document(doc)
        except Exception as exc:
            return SdkVerdict(False, f"not an atproto document: {exc}"[:200], did)
        if (data.handle or "").lower() != domain:
            return SdkVerdict(False, f"the document claims {data.handle!r}", did)
        return SdkVerdict(True, "resolves, and the document claims the handle", did)
    finally:
        handles._http_client.close()
        for method in dids._methods.values():
            method._client.close()


# ---------------------------------------------------------------------------------------
# The one list of justified differences.


def _check(result: BlueskyDomain, check_id: str) -> Any:
    return next(c for c in result.checks if c.id == check_id)


def _fails(result: BlueskyDomain, check_id: str, *needles: str) -> bool:
    check = _check(result, check_id)
    return check.status is CheckStatus.FAIL and all(n in check.message for n in needles)


def _split_txt(world: World, domain: str) -> bool:
    entry = world.dns.names.get(f"_atproto.{domain}")
    return entry is not None and any(isinstance(r, list) and len(r) > 1 for r in entry.txt)


@dataclass(frozen=True)
class Difference:
    name: str
    reason: str
    applies: Callable[[BlueskyDomain, SdkVerdict, World], bool]


KNOWN_DIFFERENCES: tuple[Difference, ...] = (
    Difference(
        "handle syntax",
        "a domain that breaks the handle syntax can't be set as a handle at all (the PDS "
        "and AppView check it with ensureValidHandle from @atproto/syntax before resolving); "
        "a bare resolver doesn't check syntax.",
        lambda r, s, w: _check(r, "handle_syntax").status is CheckStatus.FAIL,
    ),
    Difference(
        "account status",
        "brandaudit asks the PDS (getRepoStatus) and the AppView whether the account is "
        "active or taken down; a resolver only reads DNS, HTTPS and the DID document, so it "
        "can't see a deactivated, suspended or missing account. Such a handle doesn't work "
        "for people.",
        lambda r, s, w: (
            s.verified
            and (
                _fails(r, "pds", "reports the account")
                or _fails(r, "pds", "doesn't have the account")
                or _fails(r, "appview", "taken down")
                or _fails(r, "appview", "deactivated")
            )
        ),
    ),
    Difference(
        "AppView mapping",
        "the AppView's resolveHandle maps the domain to another DID: its own index, which "
        "no resolver run from outside can see; Bluesky shows the handle on the other account.",
        lambda r, s, w: s.verified and _fails(r, "appview", "resolves"),
    ),
    Difference(
        "--did names another account",
        "the user said which account the handle is for (--did); a resolver has no such input.",
        lambda r, s, w: s.verified and _fails(r, "bidirectional", "(--did)"),
    ),
    Difference(
        "several did= records",
        "@atproto/identity's parseDnsResult uses none of several `did=` values (found.length "
        "!== 1) and falls back to the file; the Python SDK takes the first one "
        "(_find_text_record). brandaudit follows the reference the AppView runs.",
        lambda r, s, w: "did= records" in _check(r, "dns_txt").message,
    ),
    Difference(
        "TXT record split into strings",
        "a TXT record's strings are joined (atproto.com/specs/handle; parseDnsResult: "
        "chunks.join('')); the Python SDK reads each string on its own, so it sees `did=did:plc:`.",
        lambda r, s, w: not s.verified and _split_txt(w, r.domain),
    ),
    Difference(
        "oversized website file",
        "resolveHttp keeps the first line of any body, so a padded body too big to read "
        "(no line end within brandaudit's cap) may still resolve in the AppView; indigo "
        "(Bluesky's Go services: at most 2048 bytes) rejects it, and brandaudit can't read "
        "what follows the cap, so it fails it.",
        lambda r, s, w: s.verified and _fails(r, "well_known", "larger than"),
    ),
    Difference(
        "website file the app reads but the SDK doesn't",
        "@atproto/identity's resolveHttp reads the first line of any answer (it ignores the "
        "status, and fetch's text() drops a BOM); the Python SDK refuses a non-2xx status "
        "(raise_for_status) and keeps the BOM. brandaudit follows the reference the AppView "
        "runs: verified, with a warning naming the stricter resolvers.",
        lambda r, s, w: (
            not s.verified
            and _check(r, "well_known").status is CheckStatus.WARN
            and any(n in _check(r, "well_known").message for n in ("not 200", "byte-order mark"))
        ),
    ),
    Difference(
        "first #atproto_pds entry only",
        "getPdsEndpoint in @atproto/common-web takes the first service with the id "
        "(findItemById) and then checks its type, so a later entry is never read; the Python "
        "SDK's get_service_endpoint skips to the first entry with the right id and type.",
        lambda r, s, w: s.verified and _fails(r, "pds", "never read"),
    ),
)


def difference(result: BlueskyDomain, sdk: SdkVerdict, world: World) -> Difference | None:
    """The listed reason why brandaudit's verdict may differ from the SDK's here, if any."""
    return next((d for d in KNOWN_DIFFERENCES if d.applies(result, sdk, world)), None)


def assert_agrees(world: World, result: BlueskyDomain, settings: Settings) -> None:
    """brandaudit's ``verified`` / not ``verified`` is the SDK's, or a listed difference
    explains why not. ``unknown`` makes no claim either way and isn't compared."""
    if result.status is BlueskyStatus.UNKNOWN:
        return
    sdk = sdk_verdict(result.domain, settings)
    ours = result.status is BlueskyStatus.VERIFIED
    if ours == sdk.verified:
        return
    if difference(result, sdk, world) is not None:
        return
    checks = "; ".join(f"{c.id}={c.status.value}: {c.message[:90]}" for c in result.checks)
    raise AssertionError(
        f"brandaudit says {result.status.value} for {result.domain}, the atproto SDK says "
        f"{'verified' if sdk.verified else 'not verified'} ({sdk.detail}); checks: {checks}"
    )
