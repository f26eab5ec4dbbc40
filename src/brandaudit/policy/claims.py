"""Declared claims judged: the brand's (``[claims]``, ``--require``) and its people's required
handles. A claim passes when the platform says the handle is taken, fails when it is free,
reserved, invalid or suspended, and is undecided otherwise; a claim on a Bluesky domain handle
is judged by the domain-handle verifier alone.

Ownership evidence does not change a verdict here: ``OwnershipStatus`` has no value that
proves an account is someone else's (``unconfirmed`` means no link was found either way).
"""

from __future__ import annotations

from collections.abc import Sequence

from brandaudit.config import Settings
from brandaudit.model import (
    BlueskyStatus,
    Brand,
    ClaimOutcome,
    ClaimResult,
    PersonResult,
    PlatformResult,
    Status,
)
from brandaudit.policy.match import (
    is_domain_claim,
    is_person_domain_claim,
    person_result,
    result_for,
)

FAILING = frozenset({Status.AVAILABLE, Status.RESERVED, Status.INVALID, Status.SUSPENDED})
"""Statuses that fail a claim: the handle is not the brand's to use."""


def judge_result(result: PlatformResult | None) -> tuple[ClaimOutcome, str]:
    """A claim on an ordinary platform handle, from the result it refers to (if checked)."""
    if result is None:
        return ClaimOutcome.UNDECIDED, "the platform was not checked in this run"
    if result.status is Status.CLAIMED:
        return ClaimOutcome.PASS, result.reason
    if result.status in FAILING:
        return ClaimOutcome.FAIL, f"{result.status.value}: {result.reason}"
    if result.status is Status.NOT_APPLICABLE:
        # Nothing public can decide it (WhatsApp Channels): not a failure, and not a re-run.
        return ClaimOutcome.UNDECIDED, result.reason
    return ClaimOutcome.UNDECIDED, result.reason


def judge_domain(handle: str, status: BlueskyStatus) -> tuple[ClaimOutcome, str]:
    """A claim on a Bluesky domain handle, from the domain-handle verifier's status."""
    if status is BlueskyStatus.VERIFIED:
        return ClaimOutcome.PASS, f"{handle} is a verified Bluesky domain handle"
    if status is BlueskyStatus.UNKNOWN:
        return ClaimOutcome.UNDECIDED, f"could not verify {handle} on Bluesky"
    return (
        ClaimOutcome.FAIL,
        f"the Bluesky domain handle {handle} is {status.value.replace('_', ' ')}",
    )


def wanted_claims(
    brand: Brand, settings: Settings, requires: Sequence[str]
) -> dict[str, tuple[str, bool]]:
    """Platform -> (handle, required) for every declared claim and ``--require PLATFORM``
    (which requires the brand's first handle where no claim names one)."""
    wanted: dict[str, tuple[str, bool]] = {}
    for platform, handle in settings.claims.items():
        wanted[platform] = (handle, platform not in settings.optional_claims)
    primary = brand.handles[0] if brand.handles else ""
    for platform in requires:
        handle, _ = wanted.get(platform, (primary, True))
        wanted[platform] = (handle, True)
    return wanted


def judge_claim(brand: Brand, platform: str, handle: str) -> tuple[ClaimOutcome, str]:
    """One declared claim: by the domain verifier when it names the Bluesky domain handle,
    else by the platform result it refers to."""
    if is_domain_claim(brand, platform, handle):
        assert brand.bluesky_domain is not None
        return judge_domain(handle, brand.bluesky_domain.status)
    return judge_result(result_for(brand, platform, handle))


def judge_claims(
    brand: Brand, settings: Settings, requires: Sequence[str]
) -> tuple[ClaimResult, ...]:
    """Each declared claim (``[claims]``) and each ``--require PLATFORM``, judged."""
    claims: list[ClaimResult] = []
    for platform, (handle, required) in wanted_claims(brand, settings, requires).items():
        outcome, reason = judge_claim(brand, platform, handle)
        claims.append(
            ClaimResult(
                platform=platform,
                handle=handle,
                required=required,
                outcome=outcome,
                reason=reason,
                config_line=settings.line_of(f"claims.{platform}"),
            )
        )
    return tuple(claims)


def judge_person_claim(person: PersonResult, platform: str) -> tuple[ClaimOutcome, str]:
    """One required handle of a person: their Bluesky domain handle by its verifier, any
    other by the result checked for it."""
    if is_person_domain_claim(person, platform):
        assert person.bluesky is not None
        assert person.bluesky.domain is not None
        return judge_domain(person.bluesky.handle, person.bluesky.domain.status)
    return judge_result(person_result(person, platform))


def judge_person(person: PersonResult) -> PersonResult:
    """The person's required handles as claims (they join the exit code, SARIF and JUnit)."""
    claims = []
    for platform in person.required:
        outcome, reason = judge_person_claim(person, platform)
        result = person_result(person, platform)
        claims.append(
            ClaimResult(
                platform=platform,
                handle=result.handle if result else person.declared.get(platform, platform),
                required=True,
                outcome=outcome,
                reason=f"{person.name}: {reason}",
                config_line=person.config_line,
            )
        )
    return person.model_copy(update={"claims": tuple(claims)})


def judge_people(brand: Brand) -> Brand:
    """The brand with each person's required handles judged."""
    if not brand.people:
        return brand
    return brand.model_copy(update={"people": tuple(judge_person(p) for p in brand.people)})


def people_claims(brand: Brand) -> tuple[ClaimResult, ...]:
    """Every person's judged claims, in order."""
    return tuple(c for p in brand.people for c in p.claims)
