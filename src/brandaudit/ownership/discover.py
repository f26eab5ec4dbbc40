"""Discovery: read the brand's homepage and list the profiles it declares.

One GET of ``https://<domain>/`` through the run's network core: size-capped, redirects
followed by hand but only within the same site (registrable domain), so ``acme.com`` ->
``www.acme.com`` is followed and ``acme.com`` -> ``parking-lot.example`` is not. Every
failure (timeout, 403, a bot challenge, another site) is a note on the result, never an error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from brandaudit.handles import registrable_domain
from brandaudit.model import (
    DeclaredProfile,
    DeclaredVia,
    Discovery,
    DiscoveryStatus,
    Evidence,
)
from brandaudit.net.client import ErrorKind, NetClient, Response
from brandaudit.platforms.base import Adapter

if TYPE_CHECKING:
    from brandaudit.pagelinks import PageLinks

log = logging.getLogger("brandaudit")

MAX_HOMEPAGE_BYTES = 1024 * 1024
MAX_HOMEPAGE_REDIRECTS = 5
MAX_HINTS = 3
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Bot challenges served instead of the page (status 403/503, or even 200).
CHALLENGE_MARKERS = (
    "cf-chl-",
    "challenge-platform",
    "<title>just a moment...</title>",
    "<title>attention required! | cloudflare</title>",
    "_incapsula_resource",
    "ddos-guard",
    "awswaf",
    "px-captcha",
)


@dataclass(slots=True)
class DiscoveryResult:
    """What discovery found: the model's ``Discovery`` plus the declared profiles."""

    discovery: Discovery
    declared: list[DeclaredProfile] = field(default_factory=list)
    jsonld: list[Any] = field(default_factory=list)
    """The homepage's parsed JSON-LD documents (``brandaudit.people`` reads Person nodes)."""


def same_site(domain: str) -> Callable[[httpx.URL, httpx.URL], bool]:
    """A ``redirect_allowed`` callback: only hops within ``domain``'s registrable domain."""
    site = registrable_domain(domain)

    def allowed(_from: httpx.URL, to: httpx.URL) -> bool:
        host = (to.host or "").lower().rstrip(".")
        return bool(host) and registrable_domain(host) == site

    return allowed


def skipped(domain: str, why: str = "discovery switched off (--no-discover)") -> DiscoveryResult:
    return DiscoveryResult(
        Discovery(status=DiscoveryStatus.SKIPPED, url=homepage_url(domain), notes=(why,))
    )


def homepage_url(domain: str) -> str:
    return f"https://{domain}/"


def _charset(response: Response) -> str:
    value: str = response.headers.get("content-type", "")
    for part in value.split(";")[1:]:
        key, _, charset = part.strip().partition("=")
        if key.lower() == "charset" and charset:
            return charset.strip("\"' ")
    return "utf-8"


def _decode(response: Response) -> str:
    try:
        return response.body.decode(_charset(response), errors="replace")
    except LookupError:
        return response.body.decode("utf-8", errors="replace")


def _looks_like_html(response: Response) -> bool:
    ctype = response.content_type
    if ctype:
        return ctype in HTML_TYPES
    head = response.body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<!--"))


def _challenge(response: Response, text: str) -> bool:
    if response.headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    sample = text[:20_000].lower()
    return any(marker in sample for marker in CHALLENGE_MARKERS)


def _failure_note(response: Response) -> str:
    if response.error_kind == ErrorKind.REDIRECT_REFUSED:
        target = response.location or "another site"
        return f"the homepage redirects to {target}, another site; not followed"
    if response.error:
        return f"the homepage could not be read: {response.error}"
    status = response.status
    if status in {401, 403, 429, 999} or (status is not None and status >= 500):
        return f"the homepage refused us (HTTP {status}): blocked, rate-limited or down"
    if status is not None and 300 <= status < 400:
        return f"the homepage redirects (HTTP {status}) to {response.location or 'nowhere'}"
    return f"the homepage answered HTTP {status}"


def _fediverse_hint(url: str, adapters: Sequence[Adapter]) -> str | None:
    """A ``rel="me"`` link to ``https://hachyderm.io/@acme`` looks like a Mastodon profile on
    an instance that isn't configured: say how to check it (if Mastodon is in the run)."""
    if not any(a.id == "mastodon" for a in adapters):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    segments = [s for s in parts.path.split("/") if s]
    host = (parts.hostname or "").lower()
    if len(segments) != 1 or not segments[0].startswith("@") or len(segments[0]) < 2 or not host:
        return None
    return (
        f"{url} may be a Mastodon profile on {host}; add {host} to [adapters.mastodon] "
        "instances to check it"
    )


def profiles_from_links(
    page: PageLinks, adapters: Sequence[Adapter], page_url: str
) -> list[DeclaredProfile]:
    """Map each link to the first adapter that recognises it as one of its profiles.

    A link naming the account by its AT Protocol DID (``bsky.app/profile/did:plc:...``) names
    no handle: it is noted, not declared (checking it as a handle would call it invalid).
    """
    merged: dict[tuple[str, str], tuple[str, list[DeclaredVia]]] = {}
    hints: list[str] = []
    for link in page.links:
        for adapter in adapters:
            try:
                handle = adapter.handle_from_url(link.url)
            except Exception:  # a plugin's parser must not break discovery
                handle = None
            if not handle:
                continue
            if handle.lower().startswith("did:"):
                note = f"{link.url} names a {adapter.name} account by DID, not by handle; skipped"
                if note not in page.notes:
                    page.notes.append(note)
                break
            key = (adapter.id, adapter.normalise_handle(handle))
            _, vias = merged.setdefault(key, (link.url, []))
            if link.via not in vias:
                vias.append(link.via)
            break
        else:
            hint = _fediverse_hint(link.url, adapters) if link.via is DeclaredVia.REL_ME else None
            if hint and hint not in page.notes and len(hints) < MAX_HINTS:
                hints.append(hint)
                page.notes.append(hint)
    order = {via: i for i, via in enumerate(DeclaredVia)}
    return [
        DeclaredProfile(
            platform=platform,
            handle=handle,
            url=url,
            found_in=tuple(sorted(vias, key=order.__getitem__)),
            page=page_url,
        )
        for (platform, handle), (url, vias) in merged.items()
    ]


async def discover(
    domain: str, adapters: Sequence[Adapter], net: NetClient, *, timeout: float | None = None
) -> DiscoveryResult:
    """Fetch ``https://<domain>/`` and return the profiles it declares. Never raises: network
    trouble, bad pages and even a bug in here become a note, so discovery can't fail a run."""
    try:
        return await _discover(domain, adapters, net, timeout)
    except Exception as exc:
        log.debug("discovery for %s failed", domain, exc_info=True)
        note = f"discovery failed: {type(exc).__name__}: {str(exc)[:160]}"
        return DiscoveryResult(
            Discovery(status=DiscoveryStatus.FAILED, url=homepage_url(domain), notes=(note,))
        )


async def _discover(
    domain: str, adapters: Sequence[Adapter], net: NetClient, timeout: float | None
) -> DiscoveryResult:
    allowed = same_site(domain)

    async def get(url: str) -> Response:
        return await net.fetch(
            "GET",
            url,
            headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"},
            max_bytes=MAX_HOMEPAGE_BYTES,
            max_redirects=MAX_HOMEPAGE_REDIRECTS,
            redirect_allowed=allowed,
            timeout=timeout,
        )

    url = homepage_url(domain)
    response = await get(url)
    evidence: list[Evidence] = [response.evidence()]
    if response.error_kind == ErrorKind.CONNECT and not domain.startswith("www."):
        # Some sites answer only on www; the apex has no web server at all.
        evidence[0] = evidence[0].model_copy(update={"signal": "could not connect; trying www"})
        url = homepage_url("www." + domain)
        response = await get(url)
        evidence.append(response.evidence())
    final = response.final_url or url

    def failed(note: str, *extra: str) -> DiscoveryResult:
        evidence[-1] = evidence[-1].model_copy(update={"signal": note})
        return DiscoveryResult(
            Discovery(
                status=DiscoveryStatus.FAILED,
                url=url,
                final_url=final if final != url else None,
                notes=(note, *extra),
                evidence=tuple(evidence),
            )
        )

    if not response.ok:
        return failed(_failure_note(response))
    if not _looks_like_html(response):
        return failed(f"the homepage is not HTML ({response.content_type or 'no content type'})")
    text = _decode(response)
    if _challenge(response, text):
        return failed("the homepage served a bot challenge instead of the page")
    notes: list[str] = []
    if response.truncated:
        notes.append(f"the homepage is larger than {MAX_HOMEPAGE_BYTES // 1024} KB; read the start")
    from brandaudit.pagelinks import extract_links  # here: only a page is parsed

    # Linear in the page (brandaudit.htmlscan), and in a worker thread, so the brand's
    # deadline still applies while a 2 MiB page is read.
    page = await asyncio.to_thread(extract_links, text, final)
    declared = profiles_from_links(page, adapters, final)
    notes.extend(page.notes)
    summary = f"{len(page.links)} links read, {len(declared)} profiles declared"
    evidence[-1] = evidence[-1].model_copy(update={"signal": summary})
    return DiscoveryResult(
        Discovery(
            status=DiscoveryStatus.OK,
            url=url,
            final_url=final if final != url else None,
            notes=tuple(notes),
            evidence=tuple(evidence),
        ),
        declared,
        page.jsonld,
    )
