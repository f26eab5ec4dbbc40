"""``brandaudit.history.diff``: the transition rules, including the ones that are not changes."""

from __future__ import annotations

import pytest

from brandaudit.history.diff import diff, parse_kinds
from brandaudit.model import (
    BlueskyDomain,
    BlueskyStatus,
    Brand,
    ChangeKind,
    Confidence,
    DeclaredProfile,
    Discovery,
    DiscoveryStatus,
    Method,
    Ownership,
    OwnershipStatus,
    PlatformResult,
    Status,
)


def _result(
    status: Status, owner: OwnershipStatus | None = None, handle: str = "acme"
) -> PlatformResult:
    return PlatformResult(
        platform="github",
        platform_name="GitHub",
        handle=handle,
        status=status,
        confidence=Confidence.HIGH,
        method=Method.OFFICIAL_API,
        reason="because",
        ownership=Ownership(status=owner, reason="r") if owner else None,
    )


def _brand(*results: PlatformResult, **extra: object) -> Brand:
    return Brand(domain="acme.com", platforms=results, **extra)  # type: ignore[arg-type]


def _kinds(before: Brand, after: Brand) -> list[tuple[str, str | None, str | None, bool]]:
    return [(c.kind.value, c.before, c.after, c.regression) for c in diff(before, after)]


@pytest.mark.parametrize(
    ("was", "now", "expected"),
    [
        (Status.CLAIMED, Status.AVAILABLE, [("lost", "claimed", "available", True)]),
        (Status.CLAIMED, Status.SUSPENDED, [("lost", "claimed", "suspended", True)]),
        (Status.CLAIMED, Status.RESERVED, [("lost", "claimed", "reserved", True)]),
        (Status.AVAILABLE, Status.CLAIMED, [("taken", "available", "claimed", True)]),
        (Status.SUSPENDED, Status.CLAIMED, [("taken", "suspended", "claimed", True)]),
        (Status.CLAIMED, Status.UNKNOWN, [("not_rechecked", "claimed", "unknown", False)]),
        (Status.AVAILABLE, Status.UNKNOWN, [("not_rechecked", "available", "unknown", False)]),
        (Status.UNKNOWN, Status.AVAILABLE, []),  # no basis to compare
        (Status.UNKNOWN, Status.CLAIMED, []),
        (Status.SUSPENDED, Status.AVAILABLE, []),  # held by nobody either way
        (Status.CLAIMED, Status.CLAIMED, []),
    ],
)
def test_status_transitions(was: Status, now: Status, expected: list[object]) -> None:
    assert _kinds(_brand(_result(was)), _brand(_result(now))) == expected


def test_gained_needs_ownership_and_handles_match_case_insensitively() -> None:
    before = _brand(_result(Status.AVAILABLE, handle="Acme"))
    linked = _brand(_result(Status.CLAIMED, OwnershipStatus.LINKED, handle="acme"))
    unconfirmed = _brand(_result(Status.CLAIMED, OwnershipStatus.UNCONFIRMED))
    assert _kinds(before, linked) == [("gained", "available", "claimed", False)]
    assert _kinds(before, unconfirmed) == [("taken", "available", "claimed", True)]


def test_ownership_changes_regress_only_when_proof_is_lost() -> None:
    verified = _brand(_result(Status.CLAIMED, OwnershipStatus.VERIFIED))
    linked = _brand(_result(Status.CLAIMED, OwnershipStatus.LINKED))
    unconfirmed = _brand(_result(Status.CLAIMED, OwnershipStatus.UNCONFIRMED))
    assert _kinds(verified, unconfirmed) == [("ownership_changed", "verified", "unconfirmed", True)]
    assert _kinds(verified, linked) == [("ownership_changed", "verified", "linked", False)]
    assert _kinds(unconfirmed, verified) == [
        ("ownership_changed", "unconfirmed", "verified", False)
    ]


def test_a_handle_checked_in_one_run_only_is_out_of_scope() -> None:
    assert diff(_brand(_result(Status.CLAIMED)), _brand()) == ()
    assert diff(_brand(), _brand(_result(Status.CLAIMED))) == ()


def _bsky(status: BlueskyStatus) -> Brand:
    return _brand(bluesky_domain=BlueskyDomain(domain="acme.com", status=status))


@pytest.mark.parametrize(
    ("was", "now", "expected"),
    [
        ("verified", "misconfigured", [("bluesky_changed", "verified", "misconfigured", True)]),
        ("not_configured", "verified", [("bluesky_changed", "not_configured", "verified", False)]),
        ("verified", "unknown", [("not_rechecked", "verified", "unknown", False)]),
        ("unknown", "verified", []),
        ("misconfigured", "not_configured", []),
    ],
)
def test_bluesky_domain_transitions(was: str, now: str, expected: list[object]) -> None:
    assert _kinds(_bsky(BlueskyStatus(was)), _bsky(BlueskyStatus(now))) == expected


def _site(status: DiscoveryStatus, *handles: str) -> Brand:
    profiles = tuple(
        DeclaredProfile(platform="github", handle=h, url=f"https://github.com/{h}", page="/")
        for h in handles
    )
    return _brand(
        discovery=Discovery(status=status, url="https://acme.com/"), declared_profiles=profiles
    )


def test_declared_links() -> None:
    ok = DiscoveryStatus.OK
    assert _kinds(_site(ok, "acme"), _site(ok, "acme", "acmehq")) == [
        ("declared_link_changed", "absent", "linked", False)
    ]
    assert _kinds(_site(ok, "acme"), _site(ok)) == [
        ("declared_link_changed", "linked", "dropped", True)
    ]
    assert _kinds(_site(ok, "acme"), _site(DiscoveryStatus.FAILED)) == [
        ("not_rechecked", "ok", "failed", False)
    ]
    assert _kinds(_site(DiscoveryStatus.FAILED), _site(ok, "acme")) == []
    assert _kinds(_site(ok, "acme"), _site(DiscoveryStatus.SKIPPED)) == []


def test_score() -> None:
    assert _kinds(_brand(score=80, grade="B"), _brand(score=95, grade="A")) == [
        ("score_changed", "80", "95", False)
    ]
    assert _kinds(_brand(score=None), _brand(score=10)) == []


def test_parse_kinds() -> None:
    assert parse_kinds(" Lost, bluesky-changed ,") == {
        ChangeKind.LOST,
        ChangeKind.BLUESKY_CHANGED,
    }
    with pytest.raises(ValueError, match="unknown change kind 'gone'"):
        parse_kinds("lost,gone")
    with pytest.raises(ValueError, match="no change kind"):
        parse_kinds(" , ")
