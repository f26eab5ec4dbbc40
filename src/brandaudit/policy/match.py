"""The one matcher between a declared claim, the platform result it refers to, and the
brand's Bluesky domain handle.

A claim (``[claims]``, ``--require`` or a person's required handle) names a platform and a
handle; a platform result answers it when both agree, the handle compared as ``handle_key``
spells it (no surrounding whitespace, no leading ``@``, lower case). A Bluesky claim whose
handle is the brand's checked Bluesky domain (``bluesky = "acme.com"``) is the *domain
claim*: the domain-handle verifier judges it, not the platform adapter's row.

Policy (judging, scoring, next steps) and the renderers (the table's and the HTML report's
claim column, SARIF, GitHub annotations) all ask here, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable

from brandaudit.model import Brand, ClaimResult, PersonResult, PlatformResult


def handle_key(handle: str) -> str:
    """A handle as claims and results are compared: ``" @Acme"`` -> ``"acme"``."""
    return handle.strip().lstrip("@").lower()


def refers_to(platform: str, handle: str, result: PlatformResult) -> bool:
    """Does the claim ``platform``/``handle`` refer to this platform result?"""
    return result.platform == platform and handle_key(result.handle) == handle_key(handle)


def is_domain_claim(brand: Brand, platform: str, handle: str) -> bool:
    """Is ``platform``/``handle`` a claim on the brand's checked Bluesky domain handle?"""
    return (
        platform == "bluesky"
        and "." in handle
        and brand.bluesky_domain is not None
        and brand.bluesky_domain.domain == handle_key(handle)
    )


def result_for(brand: Brand, platform: str, handle: str) -> PlatformResult | None:
    """The brand's platform result that the claim ``platform``/``handle`` refers to."""
    return first_result(brand.platforms, platform, handle)


def first_result(
    results: Iterable[PlatformResult], platform: str, handle: str
) -> PlatformResult | None:
    """The first of ``results`` the claim ``platform``/``handle`` refers to."""
    return next((r for r in results if refers_to(platform, handle, r)), None)


def claim_of(brand: Brand, result: PlatformResult) -> ClaimResult | None:
    """The brand's declared claim that a platform result answers, if any."""
    return next((c for c in brand.claims if refers_to(c.platform, c.handle, result)), None)


def domain_claim(brand: Brand) -> ClaimResult | None:
    """The brand's claim on its Bluesky domain handle, if it declares one."""
    return next((c for c in brand.claims if is_domain_claim(brand, c.platform, c.handle)), None)


def person_result(person: PersonResult, platform: str) -> PlatformResult | None:
    """The person's checked handle on ``platform`` (a person has at most one per platform)."""
    return next((r for r in person.handles if r.platform == platform), None)


def is_person_domain_claim(person: PersonResult, platform: str) -> bool:
    """Is the person's required ``platform`` handle their Bluesky domain handle (judged by the
    domain-handle verifier)?"""
    bsky = person.bluesky
    return platform == "bluesky" and bsky is not None and bsky.domain is not None
