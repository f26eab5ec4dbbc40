"""Ownership decisions and declared-link findings (pure)."""

from __future__ import annotations

import pytest

from brandaudit.model import (
    BlueskyDomain,
    BlueskyStatus,
    Brand,
    Confidence,
    DeclaredProfile,
    DeclaredVia,
    Discovery,
    DiscoveryStatus,
    HandleSource,
    Method,
    OwnershipStatus,
    PlatformResult,
    ProfileInfo,
    Status,
)
from brandaudit.ownership.assess import apply, assess, back_links, findings_for
from brandaudit.ownership.text import ownership_note
from brandaudit.platforms.base import Adapter
from brandaudit.platforms.builtin.bluesky import BlueskyAdapter
from brandaudit.platforms.builtin.github import GitHubAdapter
from brandaudit.platforms.builtin.mastodon import MastodonAdapter

ADAPTERS: dict[str, Adapter] = {
    "github": GitHubAdapter(),
    "mastodon": MastodonAdapter(),
    "bluesky": BlueskyAdapter(),
}
OK = Discovery(status=DiscoveryStatus.OK, url="https://acme.com/")
FAILED = Discovery(status=DiscoveryStatus.FAILED, url="https://acme.com/", notes=("HTTP 403",))


def _result(
    platform: str = "github",
    handle: str = "acme",
    status: Status = Status.CLAIMED,
    profile: ProfileInfo | None = None,
    **extra: object,
) -> PlatformResult:
    return PlatformResult(
        platform=platform,
        platform_name=ADAPTERS[platform].name,
        handle=handle,
        status=status,
        confidence=Confidence.HIGH,
        method=Method.PUBLIC_API,
        reason="test",
        url=ADAPTERS[platform].profile_url(handle),
        profile=profile,
        **extra,  # type: ignore[arg-type]
    )


def _declared(platform: str = "github", handle: str = "acme") -> DeclaredProfile:
    return DeclaredProfile(
        platform=platform,
        handle=handle,
        url=ADAPTERS[platform].profile_url(handle),
        found_in=(DeclaredVia.JSON_LD, DeclaredVia.REL_ME),
        page="https://acme.com/",
    )


BRAND = Brand(domain="acme.com")


def test_two_way_link_is_verified() -> None:
    result = _result(profile=ProfileInfo(links=("https://www.acme.com/",)))
    ownership = assess(result, "acme.com", _declared(), OK, BRAND)
    assert ownership.status is OwnershipStatus.VERIFIED
    assert ownership.reason.startswith("two-way")
    assert ownership.evidence[0] == (
        "website: https://acme.com/ links to https://github.com/acme (JSON-LD sameAs, "
        'a rel="me" link)'
    )
    assert "profile link: https://www.acme.com/ (points to acme.com)" in ownership.evidence


def test_declared_only_is_linked_with_a_fix() -> None:
    ownership = assess(_result(profile=ProfileInfo()), "acme.com", _declared(), OK, BRAND)
    assert ownership.status is OwnershipStatus.LINKED
    assert ownership.fix and "https://acme.com" in ownership.fix


def test_back_link_only_is_linked() -> None:
    result = _result(profile=ProfileInfo(description="Makers of things. shop.acme.com"))
    ownership = assess(result, "acme.com", None, OK, BRAND)
    assert ownership.status is OwnershipStatus.LINKED
    assert "(bio)" in ownership.reason
    assert ownership.fix and "rel=" in ownership.fix


def test_no_link_either_way_is_unconfirmed() -> None:
    ownership = assess(_result(), "acme.com", None, OK, BRAND)
    assert ownership.status is OwnershipStatus.UNCONFIRMED
    assert "may not be the brand's" in ownership.reason
    assert "could not be checked" not in ownership.reason
    failed = assess(_result(), "acme.com", None, FAILED, BRAND)
    assert "website could not be checked" in failed.reason


@pytest.mark.parametrize(
    "link",
    [
        "https://acme.co/",
        "https://acme.com.evil.net/",
        "https://evilacme.com/",
        "https://acme.com@evil.net/",
        "https://acme-com.net/",
    ],
)
def test_look_alike_back_links_never_count(link: str) -> None:
    for profile in (
        ProfileInfo(links=(link,)),
        ProfileInfo(links=(link,), verified_links=(link,)),
        ProfileInfo(description=f'<p><a href="{link}">acme.com</a></p>'),
    ):
        result = _result(profile=profile)
        assert assess(result, "acme.com", None, OK, BRAND).status is OwnershipStatus.UNCONFIRMED
        declared = assess(result, "acme.com", _declared(), OK, BRAND)
        assert declared.status is OwnershipStatus.LINKED
        assert any("ignored" in e for e in declared.evidence)


def test_platform_verified_link_is_verified_without_the_website() -> None:
    profile = ProfileInfo(links=("https://acme.com",), verified_links=("https://acme.com",))
    result = _result("mastodon", profile=profile)
    ownership = assess(result, "acme.com", None, FAILED, BRAND)
    assert ownership.status is OwnershipStatus.VERIFIED
    assert "Mastodon verified" in ownership.reason
    assert ownership.evidence == ("platform-verified link: https://acme.com (points to acme.com)",)


def test_bluesky_domain_handle_is_native_proof() -> None:
    for handle in ("acme.com", "team.acme.com"):
        ownership = assess(_result("bluesky", handle), "acme.com", None, None, BRAND)
        assert ownership.status is OwnershipStatus.VERIFIED, handle
    for handle in ("acme.bsky.social", "acme.co", "acme.com.evil.net"):
        ownership = assess(_result("bluesky", handle), "acme.com", None, None, BRAND)
        assert ownership.status is OwnershipStatus.UNCONFIRMED, handle


def test_bluesky_verified_domain_handle_from_the_verifier_counts() -> None:
    brand = Brand(
        domain="acme.com",
        bluesky_domain=BlueskyDomain(
            domain="acme.com", status=BlueskyStatus.VERIFIED, handle="acme.example"
        ),
    )
    ownership = assess(_result("bluesky", "acme.example"), "acme.com", None, None, brand)
    assert ownership.status is OwnershipStatus.VERIFIED
    assert "verified Bluesky domain handle" in ownership.reason


@pytest.mark.parametrize("status", [Status.AVAILABLE, Status.UNKNOWN, Status.SUSPENDED])
def test_unclaimed_is_not_applicable(status: Status) -> None:
    ownership = assess(_result(status=status), "acme.com", _declared(), OK, BRAND)
    assert ownership.status is OwnershipStatus.NOT_APPLICABLE
    assert "yet acme.com links to it" in ownership.reason


def test_back_links_lists_each_link_once_with_where() -> None:
    profile = ProfileInfo(
        display_name="Acme (acme.com)",
        description='Hi <a href="https://blog.acme.com/">blog</a> and x.acme.com',
        links=("https://acme.com", "https://other.org"),
        verified_links=("https://acme.com",),
    )
    links = back_links(profile, "acme.com")
    assert [(b.url, b.where, b.matches) for b in links] == [
        ("https://acme.com", "platform-verified link", True),
        ("https://other.org", "profile link", False),
        ("https://blog.acme.com/", "bio link", True),
        ("x.acme.com", "bio", True),
        ("acme.com", "bio", True),
    ]


def test_findings_for_missing_suspended_and_mismatched_declarations() -> None:
    results = [
        _result("github", "acme-old", Status.AVAILABLE),
        _result("mastodon", "acmehq", Status.SUSPENDED),
        _result("bluesky", "acme", Status.CLAIMED),
    ]
    declared = [
        _declared("github", "acme-old"),
        _declared("mastodon", "acmehq"),
        _declared("bluesky", "acme.bsky.social"),
    ]
    claims = {"github": "acme", "bluesky": "acme"}
    found = findings_for(results, declared, claims, ADAPTERS, "acme.com")
    assert [(f.kind, f.platform, f.handle) for f in found] == [
        ("declared_missing", "github", "acme-old"),
        ("declared_mismatch", "github", "acme-old"),
        ("declared_suspended", "mastodon", "acmehq"),
    ]
    assert found[0].fix == (
        "Fix or remove the link on https://acme.com/, or register 'acme-old' on GitHub "
        "(https://github.com/signup)."
    )
    assert "https://github.com/acme" in (found[1].fix or "")


def test_apply_fills_every_result_and_puts_fixes_in_remediation() -> None:
    brand = Brand(
        domain="acme.com",
        platforms=(
            _result("github", "acme", profile=ProfileInfo(links=("acme.com",))),
            _result(
                "github",
                "acme-old",
                Status.AVAILABLE,
                remediation="Create it",
                handle_source=HandleSource.DECLARED_WEBSITE,
            ),
            _result("bluesky", "acme", Status.CLAIMED),
        ),
    )
    declared = [_declared("github", "acme"), _declared("github", "acme-old")]
    # The website declares acme.bsky.social; the planned job checked it as "acme": same account.
    declared.append(_declared("bluesky", "acme.bsky.social"))
    out = apply(brand, OK, declared, ADAPTERS, {})
    by = {(r.platform, r.handle): r for r in out.platforms}
    assert by["github", "acme"].ownership is not None
    assert by["github", "acme"].ownership.status is OwnershipStatus.VERIFIED
    old = by["github", "acme-old"]
    assert old.remediation is not None
    assert old.remediation.startswith("acme.com links to https://github.com/acme-old")
    # The finding's fix already says to register the name: the adapter's "Create it" is dropped.
    assert old.remediation.endswith("or register 'acme-old' on GitHub (https://github.com/signup).")
    assert "Create it" not in old.remediation
    assert by["bluesky", "acme"].ownership is not None
    assert by["bluesky", "acme"].ownership.status is OwnershipStatus.LINKED
    assert out.declared_profiles == tuple(declared)
    assert out.discovery is not None
    assert [f.kind for f in out.discovery.findings] == ["declared_missing"]
    assert ownership_note(by["github", "acme"]) == (
        "ownership: verified (two-way: acme.com links to the profile and the profile links "
        "back (profile link))"
    )
    assert ownership_note(old) == f"linked from the website: {old.remediation}"


def test_host_like_words_in_a_bio_are_not_evidence_noise() -> None:
    profile = ProfileInfo(description="Built with Node.js, e.g. at acme.co and acme.com")
    ownership = assess(_result(profile=profile), "acme.com", None, OK, BRAND)
    assert ownership.evidence == (
        "bio: acme.co (acme.co; not acme.com, ignored)",
        "bio: acme.com (points to acme.com)",
    )


def test_a_broken_bluesky_domain_handle_is_no_proof() -> None:
    for status in (BlueskyStatus.MISCONFIGURED, BlueskyStatus.NOT_CONFIGURED):
        brand = Brand(
            domain="acme.com", bluesky_domain=BlueskyDomain(domain="acme.com", status=status)
        )
        ownership = assess(_result("bluesky", "acme.com"), "acme.com", None, OK, brand)
        assert ownership.status is OwnershipStatus.UNCONFIRMED
        assert ownership.reason.endswith(
            f"; the Bluesky domain handle acme.com is {status.value.replace('_', ' ')}"
        )
    unknown = Brand(
        domain="acme.com",
        bluesky_domain=BlueskyDomain(domain="acme.com", status=BlueskyStatus.UNKNOWN),
    )
    ownership = assess(_result("bluesky", "acme.com"), "acme.com", None, OK, unknown)
    assert ownership.status is OwnershipStatus.VERIFIED


def test_a_declared_profile_pointing_at_a_look_alike_says_so() -> None:
    result = _result(profile=ProfileInfo(links=("https://acme.co",)))
    ownership = assess(result, "acme.com", _declared(), OK, BRAND)
    assert ownership.status is OwnershipStatus.LINKED
    assert ownership.reason.endswith("; it links to acme.co, which is not acme.com")
