"""policy.match: the one claim <-> result <-> Bluesky-domain matcher, and its callers agreeing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from brandaudit import policy
from brandaudit.config import settings_from_mapping
from brandaudit.model import (
    BlueskyDomain,
    BlueskyStatus,
    Brand,
    ClaimOutcome,
    ClaimResult,
    PersonBluesky,
    PersonResult,
    Report,
    Status,
    ToolInfo,
)
from brandaudit.policy import match
from brandaudit.render.sarif import render_sarif
from tests.factories import res

NOW = datetime(2026, 1, 2, tzinfo=UTC)


def claim(platform: str, handle: str, outcome: ClaimOutcome = ClaimOutcome.PASS) -> ClaimResult:
    return ClaimResult(platform=platform, handle=handle, required=True, outcome=outcome, reason="r")


def verified(name: str = "acme.com") -> BlueskyDomain:
    return BlueskyDomain(domain=name, status=BlueskyStatus.VERIFIED)


@pytest.mark.parametrize("raw", ["acme", "@acme", " Acme ", "@ACME"])
def test_handle_key_ignores_whitespace_at_sign_and_case(raw: str) -> None:
    assert match.handle_key(raw) == "acme"


def test_a_claim_refers_to_its_platform_and_handle_only() -> None:
    result = res("github", handle="Acme")
    assert match.refers_to("github", "@acme", result)
    assert not match.refers_to("gitlab", "acme", result)
    assert not match.refers_to("github", "acme-inc", result)


def test_result_for_and_claim_of_are_inverse() -> None:
    other, mine = res("github", handle="acme-inc"), res("github", handle="acme")
    brand = Brand(domain="acme.com", platforms=(other, mine), claims=(claim("github", "@Acme"),))
    assert match.result_for(brand, "github", "@Acme") is mine
    assert match.claim_of(brand, mine) is brand.claims[0]
    assert match.claim_of(brand, other) is None
    assert match.result_for(brand, "gitlab", "acme") is None


@pytest.mark.parametrize(
    ("platform", "handle", "expected"),
    [
        ("bluesky", "acme.com", True),
        ("bluesky", "@ACME.com", True),
        ("bluesky", "acme", False),  # a bsky.social-style name, judged by the adapter
        ("bluesky", "shop.acme.com", False),  # another domain: not the one verified
        ("github", "acme.com", False),
    ],
)
def test_domain_claim_is_a_bluesky_claim_on_the_checked_domain(
    platform: str, handle: str, expected: bool
) -> None:
    brand = Brand(domain="acme.com", bluesky_domain=verified())
    assert match.is_domain_claim(brand, platform, handle) is expected


def test_no_domain_claim_without_a_checked_domain() -> None:
    brand = Brand(domain="acme.com", claims=(claim("bluesky", "acme.com"),))
    assert not match.is_domain_claim(brand, "bluesky", "acme.com")
    assert match.domain_claim(brand) is None
    with_domain = brand.model_copy(update={"bluesky_domain": verified()})
    assert match.domain_claim(with_domain) is with_domain.claims[0]


def test_person_domain_claim_needs_the_persons_checked_domain() -> None:
    plain = PersonBluesky(handle="jo.bsky.social", under_brand_domain=False)
    own = PersonBluesky(
        handle="jo.acme.com", under_brand_domain=True, domain=verified("jo.acme.com")
    )
    person = PersonResult(
        name="Jo", handles=(res("bluesky", handle="jo.bsky.social"),), bluesky=plain
    )
    assert not match.is_person_domain_claim(person, "bluesky")
    assert match.person_result(person, "bluesky") is person.handles[0]
    assert match.person_result(person, "github") is None
    domain_person = person.model_copy(update={"bluesky": own})
    assert match.is_person_domain_claim(domain_person, "bluesky")
    assert not match.is_person_domain_claim(domain_person, "github")


def test_policy_and_renderers_pair_a_decorated_claim_with_the_same_result() -> None:
    # A claim written "@Acme" is judged, scored, stepped and rendered against the one result.
    brand = Brand(
        domain="acme.com",
        handles=("acme",),
        platforms=(res("github", Status.AVAILABLE, handle="acme", remediation="Sign up as acme"),),
    )
    settings = settings_from_mapping({"claims": {"github": "@Acme"}})
    judged = policy.assess(brand, settings)
    assert judged.claims[0].outcome is ClaimOutcome.FAIL
    assert [i.key for i in policy.score_items(judged)] == ["claim/github"]
    assert judged.next_steps[0].detail == "Sign up as acme"
    assert match.claim_of(judged, judged.platforms[0]) is judged.claims[0]
    report = Report(tool=ToolInfo(version="0"), generated_at=NOW, brands=(judged,))
    assert "Fix: Sign up as acme" in render_sarif(report)


def test_a_domain_claim_drops_the_adapters_row_and_scores_once() -> None:
    brand = Brand(
        domain="acme.com",
        platforms=(res("bluesky", handle="acme.com"), res("github", handle="acme")),
        bluesky_domain=verified(),
    )
    judged = policy.assess(brand, settings_from_mapping({"claims": {"bluesky": "@acme.com"}}))
    assert [r.platform for r in judged.platforms] == ["github"]
    assert [i.key for i in policy.score_items(judged)] == ["claim/bluesky", "handle/github"]
    assert judged.claims[0].reason == "@acme.com is a verified Bluesky domain handle"
