"""Affiliation: do a person's profiles link back to the brand's domain?

The same rules as ownership (``brandaudit.hosts``): only an exact host match, or a
subdomain, of one of the brand's domains counts. ``acme.co``, ``acme.com.evil.net``,
``evilacme.com`` and ``acme.com@evil.net`` never do; they are listed as ignored, look-alikes
named as such, so a reviewer sees what was refused and why.
"""

from __future__ import annotations

from collections.abc import Sequence

from brandaudit.handles import registrable_domain
from brandaudit.hosts import host_of_url
from brandaudit.model import (
    Affiliation,
    AffiliationStatus,
    PlatformResult,
    ProfileInfo,
    Status,
)
from brandaudit.ownership.assess import back_links


def _brand_word(domain: str) -> str:
    """``acme`` for ``acme.com`` / ``shop.acme.co.uk``: the name a look-alike imitates."""
    site = registrable_domain(domain)
    return site.split(".", 1)[0]


def describe_ignored(url: str, where: str, domains: Sequence[str]) -> str:
    host = host_of_url(url)
    words = {w for w in (_brand_word(d) for d in domains) if w}
    if host is None:
        kind = "a look-alike link" if any(w in url.lower() for w in words) else "a link"
        return f"{where}: {url} ({kind} with no trustworthy host; ignored)"
    if any(w in host for w in words):
        return f"{where}: {url} ({host} is a look-alike, not {domains[0]}; ignored)"
    return f"{where}: {url} ({host}; not {domains[0]}, ignored)"


def affiliation(result: PlatformResult, domains: Sequence[str]) -> Affiliation | None:
    """The back-link verdict for one of the person's results (None when not claimed)."""
    if result.status is Status.UNKNOWN:
        return Affiliation(
            platform=result.platform,
            handle=result.handle,
            status=AffiliationStatus.UNKNOWN,
            reason="the profile could not be read",
        )
    if result.status is not Status.CLAIMED:
        return None
    matching = _matching_links(result.profile, domains)
    if matching:
        return Affiliation(
            platform=result.platform,
            handle=result.handle,
            status=AffiliationStatus.LINKED,
            reason=f"the profile links to {domains[0]}",
            links=tuple(matching),
        )
    ignored = _ignored_links(result.profile, domains)
    if result.profile is None:
        why = f"{result.platform_name} shows no profile links brandaudit can read"
    elif ignored:
        why = f"no link to {domains[0]} (only other sites)"
    else:
        why = f"the profile shows no link to {domains[0]}"
    return Affiliation(
        platform=result.platform,
        handle=result.handle,
        status=AffiliationStatus.NOT_LINKED,
        reason=why,
        ignored=tuple(ignored),
    )


def _matching_links(profile: ProfileInfo | None, domains: Sequence[str]) -> list[str]:
    """The profile's links to any of the brand's domains ('where: url'), each once."""
    matching: list[str] = []
    for domain in domains:
        for link in back_links(profile, domain):
            if link.matches:
                text = f"{link.where}: {link.url}"
                if text not in matching:
                    matching.append(text)
    return matching


def _ignored_links(profile: ProfileInfo | None, domains: Sequence[str]) -> list[str]:
    """The profile's other links, each described once (look-alikes named as such)."""
    ignored: list[str] = []
    seen: set[str] = set()
    for link in back_links(profile, domains[0]):
        text = describe_ignored(link.url, link.where, domains)
        if text not in seen:
            seen.add(text)
            ignored.append(text)
    return ignored
