"""Candidate handles, platform rule filtering and ranking (pure)."""

from __future__ import annotations

from brandaudit.model import Confidence, Method, PlatformResult, Status
from brandaudit.platforms.builtin.bluesky import BlueskyAdapter
from brandaudit.platforms.builtin.github import GitHubAdapter
from brandaudit.platforms.builtin.mastodon import MastodonAdapter
from brandaudit.variants import (
    MAX_VARIANTS,
    bases,
    candidate_handles,
    coverage,
    fold,
    for_platform,
    rank,
)


def test_the_plain_name_comes_first_then_the_usual_forms() -> None:
    got = candidate_handles("acme.com", limit=40)
    assert got[:10] == [
        "acme",
        "acmehq",
        "acmeinc",
        "getacme",
        "acmeapp",
        "acme_official",
        "acme.official",
        "acmeofficial",
        "theacme",
        "joinacme",
    ]
    assert "acme-hq" in got
    assert len(got) == len(set(got))


def test_limit_is_bounded() -> None:
    assert len(candidate_handles("acme.com", limit=3)) == 3
    assert len(candidate_handles("acme.com", limit=10_000)) <= MAX_VARIANTS
    assert candidate_handles("acme.com", limit=0) == ["acme"]


def test_bases_from_domain_and_name() -> None:
    assert bases("https://www.Acme.co.uk/") == ["acme"]
    assert bases("acme-corp.com") == ["acmecorp", "acme-corp", "acme_corp"]
    assert bases("acme.com", "Acme Widgets Inc.") == ["acme", "acmewidgets", "acme_widgets"]
    assert bases("acme.com", "ACME, Inc.") == ["acme"]
    assert bases("bücher.de") == ["bucher"]
    assert bases("acme.com", "Café Olé GmbH") == ["acme", "cafeole", "cafe_ole"]
    # The name's plain forms come right after the domain's.
    assert candidate_handles("acme.com", "Acme Widgets", limit=4) == [
        "acme",
        "acmewidgets",
        "acme_widgets",
        "acmehq",
    ]


def test_fold() -> None:
    assert fold("Bücher-Haus!") == "bucherhaus"
    assert fold("日本") == ""


def test_platform_rules_filter_variants() -> None:
    variants = ["acme", "acme_official", "acme.official", "acme-hq", "a" * 40]
    allowed, refused = for_platform(variants, GitHubAdapter())
    assert allowed == ["acme", "acme-hq"]
    assert set(refused) == {"acme_official", "acme.official", "a" * 40}
    allowed, refused = for_platform(variants, MastodonAdapter())
    assert allowed == ["acme", "acme_official"]
    allowed, refused = for_platform(variants, BlueskyAdapter())
    assert allowed == ["acme", "acme-hq"]
    assert "domain handle" in refused["acme.official"]


def _result(platform: str, handle: str, status: Status) -> PlatformResult:
    return PlatformResult(
        platform=platform,
        platform_name=platform.title(),
        handle=handle,
        status=status,
        confidence=Confidence.MEDIUM,
        method=Method.PUBLIC_API,
        reason="test",
    )


def test_ranking_counts_only_positive_availability() -> None:
    variants = ["acme", "acmehq", "getacme", "acme_hq"]
    platforms = ["github", "mastodon", "bluesky"]
    refused = {"github": {"acme_hq": "no underscores"}}
    results = [
        _result("github", "acme", Status.CLAIMED),
        _result("mastodon", "acme", Status.AVAILABLE),
        _result("bluesky", "acme", Status.AVAILABLE),
        _result("github", "acmehq", Status.AVAILABLE),
        _result("mastodon", "acmehq", Status.UNKNOWN),
        _result("bluesky", "acmehq", Status.UNKNOWN),
        _result("github", "getacme", Status.AVAILABLE),
        _result("mastodon", "getacme", Status.AVAILABLE),
        _result("bluesky", "getacme", Status.RESERVED),
        _result("mastodon", "acme_hq", Status.AVAILABLE),
        _result("bluesky", "acme_hq", Status.INVALID),
    ]
    covered = coverage(variants, platforms, results, refused, {})
    ranked = rank(covered)
    # acme and getacme are both free on 2; acme is shorter. acmehq's unknowns don't count.
    assert [c.handle for c in ranked] == ["acme", "getacme", "acmehq", "acme_hq"]
    acmehq = next(c for c in covered if c.handle == "acmehq")
    assert acmehq.free_on == ("github",)
    assert acmehq.unknown_on == ("mastodon", "bluesky")
    getacme = next(c for c in covered if c.handle == "getacme")
    assert getacme.taken_on == ("bluesky",)
    underscored = next(c for c in covered if c.handle == "acme_hq")
    assert underscored.not_allowed_on == ("github", "bluesky")


def test_ties_go_to_the_shorter_then_simpler_variant() -> None:
    results = [
        _result("github", "acme-hq", Status.AVAILABLE),
        _result("github", "acmehq", Status.AVAILABLE),
        _result("github", "getacme", Status.AVAILABLE),
    ]
    covered = coverage(["acme-hq", "getacme", "acmehq"], ["github"], results, {}, {})
    assert [c.handle for c in rank(covered)] == ["acmehq", "getacme", "acme-hq"]


def test_a_missing_result_is_unknown_not_free() -> None:
    covered = coverage(["acme"], ["github"], [], {}, {})
    assert covered[0].unknown_on == ("github",)
    assert covered[0].free_on == ()


def test_among_equally_free_variants_fewer_taken_wins() -> None:
    results = [
        _result("github", "acme", Status.CLAIMED),
        _result("mastodon", "acme", Status.AVAILABLE),
        _result("github", "acmehq", Status.UNKNOWN),
        _result("mastodon", "acmehq", Status.AVAILABLE),
    ]
    covered = coverage(["acme", "acmehq"], ["github", "mastodon"], results, {}, {})
    assert [c.handle for c in rank(covered)] == ["acmehq", "acme"]
