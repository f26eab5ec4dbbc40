"""Ownership: is a claimed account really the brand's? Pure functions, no I/O.

- ``verified``: the link goes both ways (the website declares the profile *and* the profile
  links back to the domain), or the platform itself proves it (a Bluesky handle that is the
  domain, a link the platform verified such as Mastodon's ``verified_at``).
- ``linked``: one direction only.
- ``unconfirmed``: claimed, but no link either way: possibly a squatter.
- ``not_applicable``: the handle isn't claimed.

Only exact host matches count (``brandaudit.hosts``); look-alike domains are
listed in the evidence as ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from brandaudit.handles import derive_handle
from brandaudit.hosts import host_matches, host_of_url, links_in_text, url_points_to
from brandaudit.model import (
    BlueskyStatus,
    Brand,
    DeclaredProfile,
    DeclaredVia,
    Discovery,
    DiscoveryStatus,
    Finding,
    Ownership,
    OwnershipStatus,
    PlatformResult,
    ProfileInfo,
    Status,
)
from brandaudit.platforms.base import Adapter
from brandaudit.rdap import SAME_NAMESERVERS

MAX_LINKS_IN_EVIDENCE = 20
VIA_WORDS = {
    DeclaredVia.LINK: "a link",
    DeclaredVia.REL_ME: 'a rel="me" link',
    DeclaredVia.JSON_LD: "JSON-LD sameAs",
}
_MISSING = {Status.AVAILABLE, Status.INVALID, Status.RESERVED, Status.NOT_APPLICABLE}


@dataclass(frozen=True, slots=True)
class BackLink:
    url: str
    where: str
    """'profile link', 'platform-verified link' or 'bio'."""
    matches: bool


def profile_key(platform: str, handle: str, adapters: Mapping[str, Adapter]) -> tuple[str, str]:
    """A key that is equal for two spellings of the same account (``acme`` and
    ``acme.bsky.social`` on Bluesky): the adapter's profile URL, lowercased."""
    adapter = adapters.get(platform)
    if adapter is None:
        return platform, handle.strip().lstrip("@").lower()
    try:
        return platform, adapter.profile_url(adapter.normalise_handle(handle)).lower()
    except Exception:  # a plugin's profile_url must not break the report
        return platform, handle.strip().lstrip("@").lower()


def back_links(profile: ProfileInfo | None, domain: str) -> list[BackLink]:
    """Every link the profile shows, where it was seen, and whether it points to ``domain``."""
    if profile is None:
        return []
    seen: dict[tuple[str, str], BackLink] = {}
    verified = set(profile.verified_links)

    def add(url: str, where: str) -> None:
        key = (url, where)
        if key not in seen and len(seen) < 100:
            seen[key] = BackLink(url, where, url_points_to(url, domain))

    for url in profile.verified_links:
        add(url, "platform-verified link")
    for url in profile.links:
        if url not in verified:
            add(url, "profile link")
    for text in (profile.description, profile.display_name):
        if text:
            from brandaudit.pagelinks import split_bio  # the HTML parser, when needed

            hrefs, plain = split_bio(text)
            for url in hrefs:
                add(url, "bio link")
            for url in links_in_text(plain):
                add(url, "bio")
    return list(seen.values())


def _describe(link: BackLink, domain: str) -> str:
    if link.matches:
        return f"{link.where}: {link.url} (points to {domain})"
    host = host_of_url(link.url)
    target = host if host else "not a web address"
    return f"{link.where}: {link.url} ({target}; not {domain}, ignored)"


def _native_proof(result: PlatformResult, domain: str, brand: Brand) -> tuple[str | None, str]:
    """A platform-native ownership proof, described (or None), and a caveat for the reason
    when a would-be proof was refuted."""
    if result.platform != "bluesky" or "." not in result.handle:
        return None, ""
    handle = result.handle.lower().lstrip("@")
    bsky = brand.bluesky_domain
    checked = bsky if bsky is not None and bsky.domain.lower() == handle else None
    if checked is not None and checked.status in {
        BlueskyStatus.MISCONFIGURED,
        BlueskyStatus.NOT_CONFIGURED,
    }:
        # The AppView may still show a handle whose DNS record or well-known file is gone.
        state = checked.status.value.replace("_", " ")
        return None, f"; the Bluesky domain handle {handle} is {state}"
    if not handle.endswith(".bsky.social") and host_matches(handle, domain):
        return f"the Bluesky handle @{handle} is the domain itself, verified by Bluesky", ""
    if (
        bsky is not None
        and bsky.status is BlueskyStatus.VERIFIED
        and bsky.handle
        and bsky.handle.lower() == handle
    ):
        return f"@{handle} is {domain}'s verified Bluesky domain handle", ""
    return None, ""


def assess(
    result: PlatformResult,
    domain: str,
    declared: DeclaredProfile | None,
    discovery: Discovery | None,
    brand: Brand,
) -> Ownership:
    """The ownership verdict for one result (see the module docstring)."""
    links = back_links(result.profile, domain)
    evidence = _evidence(declared, links, domain)
    if result.status is not Status.CLAIMED:
        reason = f"not claimed ({result.status.value})"
        if declared is not None:
            reason += f"; yet {domain} links to it"
        return Ownership(status=OwnershipStatus.NOT_APPLICABLE, reason=reason, evidence=evidence)
    if result.platform == "domain":
        return domain_ownership(result, domain, links, evidence, declared)
    native, caveat = _native_proof(result, domain, brand)
    if native:
        return Ownership(
            status=OwnershipStatus.VERIFIED, reason=native, evidence=(native, *evidence)
        )
    if any(link.matches and link.where.startswith("platform") for link in links):
        return Ownership(
            status=OwnershipStatus.VERIFIED,
            reason=f"{result.platform_name} verified the profile's link to {domain}",
            evidence=evidence,
        )
    if declared is not None:
        return _declared_by_site(result, domain, links, evidence, caveat)
    website_checked = discovery is not None and discovery.status is DiscoveryStatus.OK
    return _not_declared(result, domain, links, website_checked, evidence, caveat)


def domain_ownership(
    result: PlatformResult,
    domain: str,
    links: list[BackLink],
    evidence: tuple[str, ...],
    declared: DeclaredProfile | None = None,
) -> Ownership:
    """A registered domain of the ``domain`` platform: the brand's own; one whose homepage
    redirects to or links the brand's site, or that the brand's site links (which signal is
    named; both ways = verified); one under the brand's nameservers; or not linked."""
    name = result.handle.lower()
    if name == domain.lower():
        return Ownership(status=OwnershipStatus.VERIFIED, reason=f"{name} is the brand's domain")
    home = f"https://{name}/"
    redirect = next((e.final_url for e in result.evidence if e.url == home and e.final_url), None)
    back = [link for link in links if link.matches]
    pointing = None
    if redirect is not None and url_points_to(redirect, domain):
        pointing = f"its homepage redirects to {domain} ({redirect})"
    elif back:
        pointing = f"its homepage links to {domain} ({back[0].url})"
    if declared is not None:
        site = f"{domain} links to it ({declared.page})"
        if pointing is not None:
            return Ownership(
                status=OwnershipStatus.VERIFIED,
                reason=f"two-way: {site}, and {pointing}",
                evidence=evidence,
            )
        return Ownership(status=OwnershipStatus.LINKED, reason=site, evidence=evidence)
    if pointing is not None:
        return Ownership(status=OwnershipStatus.LINKED, reason=pointing, evidence=evidence)
    same = next(
        (e.signal for e in result.evidence if (e.signal or "").startswith(SAME_NAMESERVERS)),
        None,
    )
    if same is not None:
        return Ownership(
            status=OwnershipStatus.LINKED,
            reason=f"{same} (one DNS host for both; a shared hosting provider's nameservers "
            "would match too)",
            evidence=evidence,
        )
    return Ownership(
        status=OwnershipStatus.UNCONFIRMED,
        reason=f"registered, not linked to you: its homepage neither redirects to nor links "
        f"{domain}",
        evidence=evidence,
        fix=f"If {name} is yours, redirect it to https://{domain}/; if it isn't, watch it "
        "(a look-alike domain can carry phishing mail and pages).",
    )


def _evidence(
    declared: DeclaredProfile | None, links: list[BackLink], domain: str
) -> tuple[str, ...]:
    """The website's link to the profile, then the links the profile shows (at most
    ``MAX_LINKS_IN_EVIDENCE``)."""
    evidence: list[str] = []
    if declared is not None:
        vias = ", ".join(VIA_WORDS[v] for v in declared.found_in)
        evidence.append(f"website: {declared.page} links to {declared.url} ({vias})")
    # Every link the profile shows is named; of the host-like words in a bio ("Node.js"),
    # only those that point to the domain or resemble it.
    shown = [
        link
        for link in links
        if link.where != "bio" or link.matches or _resembles(link.url, domain)
    ]
    evidence.extend(_describe(link, domain) for link in shown[:MAX_LINKS_IN_EVIDENCE])
    if len(shown) > MAX_LINKS_IN_EVIDENCE:
        evidence.append(f"... and {len(shown) - MAX_LINKS_IN_EVIDENCE} more links")
    return tuple(evidence)


def _lookalikes(links: list[BackLink], domain: str) -> list[BackLink]:
    return [link for link in links if not link.matches and _resembles(link.url, domain)]


def _places(back: list[BackLink]) -> str:
    """Where the profile links back: 'bio, profile link'."""
    return ", ".join(sorted({link.where for link in back}))


def _declared_by_site(
    result: PlatformResult,
    domain: str,
    links: list[BackLink],
    evidence: tuple[str, ...],
    caveat: str,
) -> Ownership:
    """The website links to the claimed profile: verified if the profile links back."""
    back = [link for link in links if link.matches]
    if back:
        return Ownership(
            status=OwnershipStatus.VERIFIED,
            reason=f"two-way: {domain} links to the profile and the profile links back "
            f"({_places(back)})",
            evidence=evidence,
        )
    lookalike = _lookalikes(links, domain)
    return Ownership(
        status=OwnershipStatus.LINKED,
        reason=f"{domain} links to the profile, but the profile doesn't link back"
        + (
            f"; it links to {host_of_url(lookalike[0].url)}, which is not {domain}"
            if lookalike
            else ""
        )
        + caveat,
        evidence=evidence,
        fix=_profile_fix(result, domain),
    )


def _not_declared(
    result: PlatformResult,
    domain: str,
    links: list[BackLink],
    website_checked: bool,
    evidence: tuple[str, ...],
    caveat: str,
) -> Ownership:
    """The website doesn't link to the claimed profile (or could not be read): linked if the
    profile links to the domain, else unconfirmed."""
    back = [link for link in links if link.matches]
    if back:
        tail = "" if website_checked else " (the website could not be checked)"
        return Ownership(
            status=OwnershipStatus.LINKED,
            reason=f"the profile links to {domain} ({_places(back)}), but {domain} doesn't "
            f"link to the profile{tail}{caveat}",
            evidence=evidence,
            fix=f"Link {result.url or 'the profile'} from https://{domain}/ "
            '(rel="me" or schema.org sameAs) so the link goes both ways.',
        )
    lookalike = _lookalikes(links, domain)
    reason = "no link either way: this account may not be the brand's"
    if lookalike:
        reason = (
            f"no link either way; the profile links to {host_of_url(lookalike[0].url)}, "
            f"which is not {domain}: this account may not be the brand's"
        )
    if not website_checked:
        reason += " (the website could not be checked)"
    reason += caveat
    return Ownership(
        status=OwnershipStatus.UNCONFIRMED,
        reason=reason,
        evidence=evidence,
        fix="If the account is yours, link it from your website and add "
        f"https://{domain} to the profile; if it isn't, it may be a squatter.",
    )


def _profile_fix(result: PlatformResult, domain: str) -> str:
    if result.platform == "mastodon":
        return (
            f'Add https://{domain} as a profile field on Mastodon, and a rel="me" link to '
            "the profile on the website, so Mastodon verifies it."
        )
    if result.platform == "bluesky":
        return f"Use {domain} as the Bluesky handle, or mention https://{domain} in the bio."
    return f"Add https://{domain} to the {result.platform_name} profile (website field or bio)."


def _resembles(url: str, domain: str) -> bool:
    """A link whose host contains the brand's first label: worth naming as a look-alike."""
    host = host_of_url(url)
    label = derive_handle(domain)
    return host is not None and len(label) >= 3 and label in host


def findings_for(
    results: Iterable[PlatformResult],
    declared: Sequence[DeclaredProfile],
    claims: Mapping[str, str],
    adapters: Mapping[str, Adapter],
    domain: str,
) -> list[Finding]:
    """What is wrong with the profiles the website declares, each with its fix."""
    by_key = {profile_key(r.platform, r.handle, adapters): r for r in results}
    found: list[Finding] = []
    for profile in declared:
        adapter = adapters.get(profile.platform)
        name = adapter.name if adapter is not None else profile.platform
        result = by_key.get(profile_key(profile.platform, profile.handle, adapters))
        if result is not None and result.status in _MISSING:
            signup = adapter.signup_url if adapter is not None else None
            register = f", or register {profile.handle!r} on {name}" + (
                f" ({signup})" if signup else ""
            )
            found.append(
                Finding(
                    kind="declared_missing",
                    platform=profile.platform,
                    handle=profile.handle,
                    message=f"{domain} links to {profile.url}, but that {name} account doesn't "
                    f"exist ({result.status.value})",
                    fix=f"Fix or remove the link on {profile.page}{register}.",
                )
            )
        elif result is not None and result.status is Status.SUSPENDED:
            found.append(
                Finding(
                    kind="declared_suspended",
                    platform=profile.platform,
                    handle=profile.handle,
                    message=f"{domain} links to {profile.url}, a suspended {name} account",
                    fix=f"Remove or replace the link on {profile.page}.",
                )
            )
        claimed = claims.get(profile.platform)
        if claimed is not None and profile_key(profile.platform, claimed, adapters) != profile_key(
            profile.platform, profile.handle, adapters
        ):
            target = adapter.profile_url(claimed) if adapter is not None else claimed
            found.append(
                Finding(
                    kind="declared_mismatch",
                    platform=profile.platform,
                    handle=profile.handle,
                    message=f"{domain} links to {name} {profile.handle!r}, but [claims] says "
                    f"{profile.platform} = {claimed!r}",
                    fix=f"Point the link on {profile.page} to {target}, or correct "
                    f"[claims] {profile.platform}.",
                )
            )
    return found


def apply(
    brand: Brand,
    discovery: Discovery | None,
    declared: Sequence[DeclaredProfile],
    adapters: Mapping[str, Adapter],
    claims: Mapping[str, str],
) -> Brand:
    """``brand`` with ownership on every result, declared profiles, discovery and findings
    (a finding's fix is also put in front of its result's remediation)."""
    domain = brand.domain
    declared_by_key: dict[tuple[str, str], DeclaredProfile] = {}
    for profile in declared:
        declared_by_key.setdefault(profile_key(profile.platform, profile.handle, adapters), profile)
    findings = findings_for(brand.platforms, declared, claims, adapters, domain)
    fixes: dict[tuple[str, str], list[str]] = {}
    missing: set[tuple[str, str]] = set()
    for finding in findings:
        key = profile_key(finding.platform, finding.handle, adapters)
        if finding.kind == "declared_missing":
            missing.add(key)
        fixes.setdefault(key, []).append(f"{finding.message}. {finding.fix or ''}".strip())
    results: list[PlatformResult] = []
    for result in brand.platforms:
        key = profile_key(result.platform, result.handle, adapters)
        ownership = assess(result, domain, declared_by_key.get(key), discovery, brand)
        update: dict[str, object] = {"ownership": ownership}
        if key in fixes:
            # A missing account's fix already says to register it: the adapter's own
            # "create the account" would repeat it.
            keep = "" if key in missing else (result.remediation or "")
            update["remediation"] = " ".join([*fixes[key], keep]).strip()
        results.append(result.model_copy(update=update))
    if discovery is not None:
        discovery = discovery.model_copy(update={"findings": tuple(findings)})
    return brand.model_copy(
        update={
            "platforms": tuple(results),
            "declared_profiles": tuple(declared),
            "discovery": discovery,
        }
    )
