"""Next steps: what a brand should do, most impactful first.

Every step gets a tier (``_Tier``, the impact order); steps are sorted by tier, stably, so
within a tier they keep the report's order, and numbered from 1. Checks that could not be
decided and need no step of their own are gathered into one "Re-run later" step.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum

from brandaudit.bluesky.checks import spec_for
from brandaudit.model import (
    AffiliationStatus,
    BlueskyDomain,
    BlueskyStatus,
    Brand,
    CheckStatus,
    ClaimOutcome,
    ClaimResult,
    Confidence,
    Finding,
    Method,
    NextStep,
    OwnershipStatus,
    PersonBluesky,
    PersonResult,
    PlatformResult,
    Status,
    VerificationState,
)
from brandaudit.policy.match import domain_claim, is_domain_claim, result_for
from brandaudit.policy.score import handle_outcome, unclaimed_platforms

DORMANT_STEP = "Post, or say in the bio where the brand moved, and link it."


class _Tier(IntEnum):
    """Impact order of next steps (lower first)."""

    REQUIRED_CLAIM = 1
    BLUESKY_FAIL = 2
    WEBSITE_LINK = 3
    """The website links to an account that is missing, suspended or not the declared one:
    anyone who registers it gets a link from the brand's own site."""
    REQUIRED_UNDECIDED = 4
    OPTIONAL_CLAIM = 5
    BLUESKY_SETUP = 6
    BRAND_HANDLE = 7
    BLUESKY_WARN = 8
    RERUN = 9


_Ranked = list[tuple[_Tier, NextStep]]


def _step(title: str, detail: str | None = None, url: str | None = None) -> NextStep:
    """A step not yet ranked (``next_steps`` numbers them)."""
    return NextStep(priority=0, title=title, detail=detail, url=url)


def _platform_name(brand: Brand, platform: str) -> str:
    return next((r.platform_name for r in brand.platforms if r.platform == platform), platform)


def _without_prefix(reason: str, name: str) -> str:
    """``Snapchat: rate-limited`` -> ``rate-limited`` where the step already names Snapchat."""
    prefix = f"{name}: "
    return reason[len(prefix) :] if reason.startswith(prefix) else reason


def next_steps(brand: Brand, signup_urls: Mapping[str, str] | None = None) -> tuple[NextStep, ...]:
    """What to do, most impactful first; ``priority`` is the rank (1 = first)."""
    signup_urls = signup_urls or {}
    undecided: list[str] = []  # checks that need no step of their own: one "Re-run later"
    ranked: _Ranked = []
    for claim in brand.claims:
        if is_domain_claim(brand, claim.platform, claim.handle):
            ranked.extend(_domain_claim_steps(claim, undecided))
        else:
            ranked.extend(_claim_steps(brand, claim, signup_urls, undecided))
    ranked.extend(_brand_bluesky_steps(brand, undecided))
    ranked.extend(_website_steps(brand))
    ranked.extend(_handle_steps(brand, signup_urls, undecided))
    ranked.extend(_people_activity_steps(brand))  # issue 16
    if undecided:
        ranked.append((_Tier.RERUN, _step(_rerun_title(brand, undecided), "; ".join(undecided))))
    ranked.sort(key=lambda pair: pair[0])  # stable: keeps the report's order within a tier
    return tuple(
        step.model_copy(update={"priority": rank}) for rank, (_, step) in enumerate(ranked, 1)
    )


DOMAIN_ENTRY = "Bluesky domain handle "
"""How an undecided Bluesky domain handle starts its "Re-run later" entry."""


def _rerun_title(brand: Brand, undecided: list[str]) -> str:
    """Counts in the units the summary line uses (issue 25: "Re-run later: 23" beside "22
    undecided"): undecided *platform* checks, out of all the brand's when some have a step
    of their own, and the Bluesky domain handle named, not counted among them."""
    domains = sum(1 for entry in undecided if entry.startswith(DOMAIN_ENTRY))
    platforms = len(undecided) - domains
    total = sum(1 for r in brand.platforms if r.status is Status.UNKNOWN)
    what: list[str] = []
    if platforms:
        checks = "check" if platforms == 1 else "checks"
        if platforms < total:
            what.append(f"{platforms} of the {total} undecided platform checks")
        else:
            what.append(f"{platforms} platform {checks}")
    if domains:
        what.append("the Bluesky domain handle" if domains == 1 else f"{domains} domain handles")
    return f"Re-run later: {' and '.join(what)} could not be decided"


# ---------------------------------------------------------------------------------------
# declared claims


def _claim_steps(
    brand: Brand, claim: ClaimResult, signup_urls: Mapping[str, str], undecided: list[str]
) -> _Ranked:
    """A declared claim (not on the Bluesky domain handle) that failed, or is undecided: a
    required one gets its own re-run step, an optional one joins ``undecided``."""
    if claim.outcome is ClaimOutcome.FAIL:
        tier = _Tier.REQUIRED_CLAIM if claim.required else _Tier.OPTIONAL_CLAIM
        return [(tier, _failed_claim_step(brand, claim, signup_urls))]
    if claim.outcome is not ClaimOutcome.UNDECIDED:
        return []
    name = _platform_name(brand, claim.platform)
    result = result_for(brand, claim.platform, claim.handle)
    if result is not None and result.status is Status.NOT_APPLICABLE:
        # A re-run can't decide it: say what the platform wants instead (its reason does).
        tier = _Tier.REQUIRED_UNDECIDED if claim.required else _Tier.OPTIONAL_CLAIM
        title = f"{name} {claim.handle}: not applicable here"
        return [(tier, _step(title, _without_prefix(claim.reason, name)))]
    if not claim.required:
        undecided.append(f"{name} {claim.handle}: {_without_prefix(claim.reason, name)}")
        return []
    title = f"Re-run the {name} check for {claim.handle} (undecided)"
    return [(_Tier.REQUIRED_UNDECIDED, _step(title, claim.reason))]


def _failed_claim_step(
    brand: Brand, claim: ClaimResult, signup_urls: Mapping[str, str]
) -> NextStep:
    """What to do about a failed claim depends on why the platform said no."""
    name = _platform_name(brand, claim.platform)
    handle = claim.handle.lstrip("@")
    result = result_for(brand, claim.platform, claim.handle)
    status = result.status if result else None
    remediation = (result.remediation if result else None) or claim.reason
    if status is Status.AVAILABLE:
        return _step(f"Claim {handle} on {name}", remediation, signup_urls.get(claim.platform))
    if status is Status.INVALID:
        return _step(f"Fix the declared {name} handle {handle!r} in [claims]", claim.reason)
    if status is Status.SUSPENDED:
        title = f"Recover or replace the suspended {name} account {handle}"
        return _step(title, remediation, result.url if result else None)
    if status is Status.RESERVED:
        title = f"Choose another {name} handle: {handle} is reserved"
        return _step(title, claim.reason, signup_urls.get(claim.platform))
    return _step(f"Secure {handle} on {name}", claim.reason)


def _domain_claim_steps(claim: ClaimResult, undecided: list[str]) -> _Ranked:
    """A claim on the Bluesky domain handle: only its re-run (the domain's checks give the
    fixes, ``_brand_bluesky_steps``)."""
    if claim.outcome is not ClaimOutcome.UNDECIDED:
        return []
    if claim.required:
        return [(_Tier.REQUIRED_UNDECIDED, _step(f"Re-run: {claim.reason}"))]
    undecided.append(f"{DOMAIN_ENTRY}{claim.handle}")
    return []


# ---------------------------------------------------------------------------------------
# Bluesky domain handle


def _brand_bluesky_steps(brand: Brand, undecided: list[str]) -> _Ranked:
    """The fixes the brand's Bluesky domain checks name, ranked as its claim is (when one is
    declared) or as a Bluesky failure."""
    domain = brand.bluesky_domain
    if domain is None:
        return []
    claim = domain_claim(brand)
    fail_tier = _Tier.BLUESKY_FAIL
    if claim is not None:
        fail_tier = _Tier.REQUIRED_CLAIM if claim.required else _Tier.OPTIONAL_CLAIM
    steps = _bluesky_steps(domain, fail_tier)
    if claim is not None and claim.outcome is ClaimOutcome.FAIL and not steps:
        title = f"Fix the Bluesky handle {domain.domain}"
        detail = f"{claim.reason}; see the Bluesky checks in this report."
        steps.append((fail_tier, _step(title, detail)))
    if domain.status is BlueskyStatus.UNKNOWN and claim is None:
        skipped = [c.message for c in domain.checks if c.status is CheckStatus.SKIP]
        reasons = "; ".join(skipped) or "a Bluesky service could not be reached"
        undecided.append(f"{DOMAIN_ENTRY}{domain.domain}: {reasons}")
    return steps


def _bluesky_steps(
    domain: BlueskyDomain, fail_tier: _Tier, skip: frozenset[str] = frozenset()
) -> _Ranked:
    """One step per failing or warning check with a fix (but the checks in ``skip``); the
    setup step when the domain is not configured as a handle."""
    steps: _Ranked = []
    for check in domain.checks:
        if not check.fix or check.id in skip:
            continue
        spec = spec_for(check.id)  # brandaudit.bluesky.checks: one wording per check
        if check.status is CheckStatus.FAIL:
            title = spec.step_title(domain.domain, failing=True)
            steps.append((fail_tier, _step(title, check.fix)))
        elif check.status is CheckStatus.WARN:
            title = spec.step_title(domain.domain, failing=False)
            steps.append((_Tier.BLUESKY_WARN, _step(title, check.fix)))
    if domain.status is BlueskyStatus.NOT_CONFIGURED:
        tier = _Tier.BLUESKY_SETUP if fail_tier is _Tier.BLUESKY_FAIL else fail_tier
        steps.append((tier, _setup_step(domain)))
    return steps


def _setup_step(domain: BlueskyDomain) -> NextStep:
    """Set up a domain that is not (yet) a Bluesky handle: the exact DNS record when the DID
    is known, else the fixes the checks name, else the general recipe."""
    from brandaudit.bluesky.common import domain_missing

    # The checks' setup hints (INFO) of a domain that is not configured as a handle.
    fixes = [c.fix for c in domain.checks if c.fix and c.status is CheckStatus.INFO]
    detail = " Or: ".join(fixes) or (
        "Add a TXT record _atproto with the value did=<your DID>, or serve the DID at "
        f"https://{domain.domain}/.well-known/atproto-did (run 'brandaudit bluesky "
        f"{domain.domain} --did <your DID>' for the exact record)."
    )
    if domain.setup is not None and domain.setup.dns is not None:
        dns = domain.setup.dns
        detail = (
            f"Add a {dns.type} record at {dns.host} (in {dns.zone}) with the value {dns.value}."
        )
    title = f"Use {domain.domain} as your Bluesky handle"
    if domain_missing(domain):
        title = f"Check {domain.domain}: it doesn't exist in DNS"
    return _step(title, detail)


# ---------------------------------------------------------------------------------------
# website links and the brand's handles


def _domain_claim_covers(finding: Finding, brand: Brand) -> bool:
    """The website's Bluesky link differs from a *domain* claim: that's no mismatch when the
    domain verifier passed, or when the linked account is two-way verified as the brand's."""
    claim = domain_claim(brand)
    if claim is None or finding.platform != "bluesky" or finding.kind != "declared_mismatch":
        return False
    if claim.outcome is ClaimOutcome.PASS:
        return True
    linked = result_for(brand, "bluesky", finding.handle)
    return (
        linked is not None
        and linked.status is Status.CLAIMED
        and linked.ownership is not None
        and linked.ownership.status is OwnershipStatus.VERIFIED
    )


def _website_steps(brand: Brand) -> _Ranked:
    """Fix the website's links that point at a missing or mismatched profile."""
    if brand.discovery is None:
        return []
    return [
        (
            _Tier.WEBSITE_LINK,
            _step(
                f"Fix the website's link to {_platform_name(brand, finding.platform)} "
                f"{finding.handle}",
                " ".join(part for part in (finding.message, finding.fix) if part),
            ),
        )
        for finding in brand.discovery.findings
        if not _domain_claim_covers(finding, brand)
    ]


def _handle_steps(brand: Brand, signup_urls: Mapping[str, str], undecided: list[str]) -> _Ranked:
    """Claim the brand's handle where it is free (platforms without a declared claim); the
    undecided ones are added to ``undecided``."""
    steps: _Ranked = []
    for platform, results in unclaimed_platforms(brand).items():
        outcome = handle_outcome(results)
        if outcome is ClaimOutcome.UNDECIDED:
            undecided.extend(
                f"{r.platform_name} {r.handle}: {_without_prefix(r.reason, r.platform_name)}"
                for r in results
                if r.status is Status.UNKNOWN
            )
            continue
        free = next((r for r in results if r.status is Status.AVAILABLE), None)
        if outcome is ClaimOutcome.FAIL and free is not None:
            title = f"Claim {free.handle} on {free.platform_name}"
            step = _step(title, free.remediation or free.reason, signup_urls.get(platform))
            steps.append((_Tier.BRAND_HANDLE, step))
    return steps


# ---------------------------------------------------------------------------------------
# people and activity (issue 16)


def _people_activity_steps(brand: Brand) -> _Ranked:
    """Next steps for dormant accounts and for the brand's people."""
    steps: _Ranked = []
    for result in brand.platforms:
        if (step := _dormant_step(result, "")) is not None:
            steps.append((_Tier.BRAND_HANDLE, step))
    domain = brand.bluesky_domain
    if domain is not None and domain.activity is not None:
        account = PlatformResult(
            platform="bluesky",
            platform_name="Bluesky",
            handle=domain.domain,
            status=Status.CLAIMED,
            confidence=Confidence.HIGH,
            method=Method.PUBLIC_API,
            url=f"https://bsky.app/profile/{domain.domain}",
            reason="the verified domain handle",
            activity=domain.activity,
        )
        if (step := _dormant_step(account, "")) is not None:
            steps.append((_Tier.BRAND_HANDLE, step))
    for person in brand.people:
        steps.extend(_person_steps(brand, person))
    return steps


def _dormant_step(result: PlatformResult, whose: str) -> NextStep | None:
    activity = result.activity
    if result.status is not Status.CLAIMED or activity is None or not activity.dormant:
        return None
    if activity.last_activity_at is None:
        when = "it has never posted"
    else:
        when = (
            f"its {activity.source or 'last activity'} was on "
            f"{activity.last_activity_at.date().isoformat()} ({activity.age_days} days ago; "
            f"the limit is {activity.dormant_after_days} days, [brand] dormant_after_days)"
        )
    return _step(
        f"Revive or retire the dormant {result.platform_name} account {result.handle}{whose}",
        f"The account is claimed but quiet: {when}. {DORMANT_STEP}",
        result.url,
    )


def _person_steps(brand: Brand, person: PersonResult) -> _Ranked:
    """A person's failed and undecided handles, Bluesky handle, profile links and dormant
    accounts."""
    who = f"{person.name} ({person.role})" if person.role else person.name
    steps = _person_claim_steps(brand, person, who)
    if person.bluesky is not None:
        steps.extend(_person_bluesky_steps(brand, person, person.bluesky, who))
    steps.extend(_affiliation_steps(brand, person))
    for result in person.handles:
        if (step := _dormant_step(result, f" of {person.name}")) is not None:
            steps.append((_Tier.BRAND_HANDLE, step))
    return steps


def _person_claim_steps(brand: Brand, person: PersonResult, who: str) -> _Ranked:
    steps: _Ranked = []
    for claim in person.claims:
        name = _platform_name(brand, claim.platform)
        if claim.outcome is ClaimOutcome.FAIL:
            title = f"Secure {claim.handle} on {name} for {who}"
            steps.append((_Tier.REQUIRED_CLAIM, _step(title, claim.reason)))
        elif claim.outcome is ClaimOutcome.UNDECIDED:
            title = f"Re-run the {name} check of {who} (undecided)"
            steps.append((_Tier.REQUIRED_UNDECIDED, _step(title, claim.reason)))
    return steps


def _person_bluesky_steps(
    brand: Brand, person: PersonResult, bsky: PersonBluesky, who: str
) -> _Ranked:
    """A handle under the brand's domain is checked like the brand's own; any other gets the
    suggestion to move under the brand's domain, and a verification to ask for or renew."""
    steps: _Ranked = []
    renew = _verification_step(brand, person, bsky, who)
    # A blue check to renew is told once, by the brand's own record with its exact fix, not
    # again by the person's domain check "verification" (the same AppView view).
    invalid = (
        bsky.verification is not None and bsky.verification.status is VerificationState.INVALID
    )
    skip = frozenset({"verification"}) if invalid else frozenset()
    if bsky.domain is not None and bsky.under_brand_domain:
        steps.extend(_bluesky_steps(bsky.domain, _Tier.BLUESKY_FAIL, skip))
    if not bsky.under_brand_domain and bsky.suggested_handle:
        steps.append((_Tier.BLUESKY_SETUP, _suggested_handle_step(person, bsky, who)))
    if renew is not None:
        steps.append((_Tier.BLUESKY_WARN, renew))
    return steps


def _suggested_handle_step(person: PersonResult, bsky: PersonBluesky, who: str) -> NextStep:
    target = bsky.suggested_handle
    if bsky.setup is not None and bsky.setup.dns is not None:
        dns = bsky.setup.dns
        detail = (
            f"Add a {dns.type} record at {dns.host} (in {dns.zone}) with the value "
            f"{dns.value}, or serve {bsky.setup.did} at {bsky.setup.well_known.url}; "
            f"then {person.name} switches to {target} in Bluesky: Settings → Account "
            "→ Handle → I have my own domain."
        )
    else:
        detail = (
            f"Run 'brandaudit bluesky {target} --did <their DID>' for the exact record; "
            f"then {person.name} switches to {target} in Bluesky."
        )
    return _step(f"Give {who} the Bluesky handle {target} (under the brand's domain)", detail)


def _verification_step(
    brand: Brand, person: PersonResult, bsky: PersonBluesky, who: str
) -> NextStep | None:
    """Renew a verification the AppView no longer accepts; ask for one when the person's
    handle is not under the brand's domain."""
    verification = bsky.verification
    if verification is None:
        return None
    if verification.status is VerificationState.INVALID:
        detail = verification.reason + (f". {verification.fix}" if verification.fix else "")
        return _step(f"Verify {who} again on Bluesky", detail)
    if verification.status is VerificationState.NOT_ISSUED and not bsky.under_brand_domain:
        return _step(
            f"Vouch for {who} on Bluesky",
            f"Move {person.name} to a handle under {brand.domain}, or issue a "
            f"verification (app.bsky.graph.verification) for {bsky.did} from the "
            "brand's account; Bluesky shows it as a blue check when the brand "
            "is a trusted verifier.",
        )
    return None


def _affiliation_steps(brand: Brand, person: PersonResult) -> _Ranked:
    """Link each of the person's profiles that doesn't link to the brand's domain."""
    steps: _Ranked = []
    for link in person.affiliations:
        if link.status is not AffiliationStatus.NOT_LINKED:
            continue
        name = _platform_name(brand, link.platform)
        title = f"Link {person.name}'s {name} profile {link.handle} to {brand.domain}"
        detail = (
            f"{link.reason}. Add https://{brand.domain} to the profile's website "
            "field or bio, so people can tell the account speaks for the brand."
        )
        steps.append((_Tier.BLUESKY_WARN, _step(title, detail)))
    return steps
