"""Policy: Report + Settings -> claims judged, readiness score, next steps, exit code.

No I/O, no network, no clock. The CLI turns ``Verdict.exit_code`` into the process exit.

Readiness score (documented in README "Readiness score")
--------------------------------------------------------
Each brand gets a list of scored items, each with a weight and an outcome:

* every declared claim (``[claims]`` or ``--require``): weight 3 if required, 2 if optional;
* the brand's handle on every checked platform that has no declared claim: weight 1
  (passes when any of the brand's handles is claimed there);
* the Bluesky domain handle, when it was checked and no claim already covers it: weight 3.

``score = round(100 * passed weight / decided weight)``. An undecided item (``unknown``
result, Bluesky status ``unknown``) is left out of the denominator, not counted as zero; a
handle that breaks a platform's rules is not applicable and left out too. When nothing could
be decided the score and grade are ``None``. Grades: A >= 90, B >= 75, C >= 60, D >= 40, else F.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from brandaudit.bluesky.checks import spec_for
from brandaudit.config import Settings
from brandaudit.exitcodes import ExitCode
from brandaudit.model import (
    Activity,
    ActivityStatus,
    AffiliationStatus,
    BlueskyCheck,
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
    PersonResult,
    PlatformResult,
    Report,
    Status,
    VerificationState,
)


@dataclass(frozen=True, slots=True)
class Verdict:
    report: Report
    exit_code: ExitCode


_FAILING = {Status.AVAILABLE, Status.RESERVED, Status.INVALID, Status.SUSPENDED}

WEIGHT_REQUIRED_CLAIM = 3
WEIGHT_OPTIONAL_CLAIM = 2
WEIGHT_BRAND_HANDLE = 1
WEIGHT_BLUESKY_DOMAIN = 3

GRADES: tuple[tuple[int, str], ...] = ((90, "A"), (75, "B"), (60, "C"), (40, "D"), (0, "F"))


# ---------------------------------------------------------------------------------------
# claims


def _ownership_refutes(result: PlatformResult) -> bool:
    """Hook: does ownership evidence say this account is *not* the brand's?

    Today this is always False: ``OwnershipStatus`` has no value that proves an account
    belongs to someone else (``unconfirmed`` only means no link was found either way, which
    is not proof). When the ownership checks gain such a status, return True for it here:
    the claim then fails and the brand-handle item scores zero, with the ownership reason.
    """
    return False


def _judge_result(result: PlatformResult | None) -> tuple[ClaimOutcome, str]:
    if result is None:
        return ClaimOutcome.UNDECIDED, "the platform was not checked in this run"
    if result.status is Status.CLAIMED:
        if _ownership_refutes(result):
            reason = result.ownership.reason if result.ownership else result.reason
            return ClaimOutcome.FAIL, f"claimed, but not by the brand: {reason}"
        return ClaimOutcome.PASS, result.reason
    if result.status in _FAILING:
        return ClaimOutcome.FAIL, f"{result.status.value}: {result.reason}"
    return ClaimOutcome.UNDECIDED, result.reason


def _is_domain_claim(platform: str, handle: str, brand: Brand) -> bool:
    return (
        platform == "bluesky"
        and "." in handle
        and brand.bluesky_domain is not None
        and brand.bluesky_domain.domain == handle.strip().lower().lstrip("@")
    )


def _find_result(brand: Brand, platform: str, handle: str) -> PlatformResult | None:
    normalised = handle.strip().lstrip("@").lower()
    return next(
        (r for r in brand.platforms if r.platform == platform and r.handle.lower() == normalised),
        None,
    )


def judge_claims(
    brand: Brand, settings: Settings, requires: Sequence[str]
) -> tuple[ClaimResult, ...]:
    """Each declared claim (``[claims]``) and each ``--require PLATFORM``, judged."""
    wanted: dict[str, tuple[str, bool]] = {}
    for platform, handle in settings.claims.items():
        wanted[platform] = (handle, platform not in settings.optional_claims)
    primary = brand.handles[0] if brand.handles else ""
    for platform in requires:
        handle, _ = wanted.get(platform, (primary, True))
        wanted[platform] = (handle, True)
    claims: list[ClaimResult] = []
    for platform, (handle, required) in wanted.items():
        line = settings.line_of(f"claims.{platform}")
        if _is_domain_claim(platform, handle, brand):
            assert brand.bluesky_domain is not None
            status = brand.bluesky_domain.status
            if status is BlueskyStatus.VERIFIED:
                outcome, reason = ClaimOutcome.PASS, f"{handle} is a verified Bluesky domain handle"
            elif status is BlueskyStatus.UNKNOWN:
                outcome, reason = ClaimOutcome.UNDECIDED, f"could not verify {handle} on Bluesky"
            else:
                outcome = ClaimOutcome.FAIL
                reason = f"the Bluesky domain handle {handle} is {status.value.replace('_', ' ')}"
        else:
            outcome, reason = _judge_result(_find_result(brand, platform, handle))
        claims.append(
            ClaimResult(
                platform=platform,
                handle=handle,
                required=required,
                outcome=outcome,
                reason=reason,
                config_line=line,
            )
        )
    return tuple(claims)


# ---------------------------------------------------------------------------------------
# score


@dataclass(frozen=True, slots=True)
class ScoreItem:
    """One scored check: ``outcome`` None means not applicable (left out like undecided)."""

    key: str
    weight: int
    outcome: ClaimOutcome | None


def _by_platform(brand: Brand) -> dict[str, list[PlatformResult]]:
    """The brand's results grouped by platform, in report order."""
    grouped: dict[str, list[PlatformResult]] = {}
    for result in brand.platforms:
        grouped.setdefault(result.platform, []).append(result)
    return grouped


def _handle_outcome(results: Sequence[PlatformResult]) -> ClaimOutcome | None:
    """The brand's handles on one platform: claimed by any -> pass; any undecided -> undecided;
    all breaking the platform's rules -> not applicable; otherwise fail."""
    if any(r.status is Status.CLAIMED and not _ownership_refutes(r) for r in results):
        return ClaimOutcome.PASS
    if any(r.status is Status.UNKNOWN for r in results):
        return ClaimOutcome.UNDECIDED
    if all(r.status is Status.INVALID for r in results):
        return None
    return ClaimOutcome.FAIL


def _bluesky_outcome(domain: BlueskyDomain) -> ClaimOutcome:
    if domain.status is BlueskyStatus.VERIFIED:
        return ClaimOutcome.PASS
    if domain.status is BlueskyStatus.UNKNOWN:
        return ClaimOutcome.UNDECIDED
    return ClaimOutcome.FAIL


def score_items(brand: Brand) -> list[ScoreItem]:
    """The weighted items behind a brand's score (see the module docstring)."""
    items: list[ScoreItem] = []
    claimed_platforms = {c.platform for c in brand.claims}
    domain_claimed = False
    for claim in brand.claims:
        weight = WEIGHT_REQUIRED_CLAIM if claim.required else WEIGHT_OPTIONAL_CLAIM
        items.append(ScoreItem(f"claim/{claim.platform}", weight, claim.outcome))
        domain_claimed = domain_claimed or _is_domain_claim(claim.platform, claim.handle, brand)
    for platform, results in _by_platform(brand).items():
        if platform in claimed_platforms:
            continue
        items.append(ScoreItem(f"handle/{platform}", WEIGHT_BRAND_HANDLE, _handle_outcome(results)))
    if brand.bluesky_domain is not None and not domain_claimed:
        items.append(
            ScoreItem(
                "bluesky/domain", WEIGHT_BLUESKY_DOMAIN, _bluesky_outcome(brand.bluesky_domain)
            )
        )
    items.extend(activity_items(brand))  # issue 16
    return items


def score(items: Sequence[ScoreItem]) -> int | None:
    decided = [i for i in items if i.outcome in {ClaimOutcome.PASS, ClaimOutcome.FAIL}]
    possible = sum(i.weight for i in decided)
    if possible == 0:
        return None
    earned = sum(i.weight for i in decided if i.outcome is ClaimOutcome.PASS)
    # Round half up (not Python's banker's rounding), so 89.5 is an A, predictably.
    return (200 * earned + possible) // (2 * possible)


def grade(value: int | None) -> str | None:
    if value is None:
        return None
    return next(letter for floor, letter in GRADES if value >= floor)


# ---------------------------------------------------------------------------------------
# next steps


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


def _platform_name(brand: Brand, platform: str) -> str:
    return next((r.platform_name for r in brand.platforms if r.platform == platform), platform)


def _claim_step(brand: Brand, claim: ClaimResult, signup_urls: Mapping[str, str]) -> NextStep:
    name = _platform_name(brand, claim.platform)
    handle = claim.handle.lstrip("@")
    result = _find_result(brand, claim.platform, claim.handle)
    status = result.status if result else None
    if status is Status.AVAILABLE:
        return NextStep(
            priority=0,
            title=f"Claim {handle} on {name}",
            detail=(result.remediation if result else None) or claim.reason,
            url=signup_urls.get(claim.platform),
        )
    if status is Status.INVALID:
        return NextStep(
            priority=0,
            title=f"Fix the declared {name} handle {handle!r} in [claims]",
            detail=claim.reason,
        )
    if status is Status.SUSPENDED:
        return NextStep(
            priority=0,
            title=f"Recover or replace the suspended {name} account {handle}",
            detail=(result.remediation if result else None) or claim.reason,
            url=result.url if result else None,
        )
    if status is Status.RESERVED:
        return NextStep(
            priority=0,
            title=f"Choose another {name} handle: {handle} is reserved",
            detail=claim.reason,
            url=signup_urls.get(claim.platform),
        )
    return NextStep(priority=0, title=f"Secure {handle} on {name}", detail=claim.reason)


def _bluesky_steps(domain: BlueskyDomain, fail_tier: _Tier) -> list[tuple[_Tier, NextStep]]:
    steps: list[tuple[_Tier, NextStep]] = []
    setup_fixes: list[BlueskyCheck] = []
    for check in domain.checks:
        if not check.fix:
            continue
        spec = spec_for(check.id)  # brandaudit.bluesky.checks: one wording per check
        if check.status is CheckStatus.FAIL:
            title = spec.step_title(domain.domain, failing=True)
            steps.append((fail_tier, NextStep(priority=0, title=title, detail=check.fix)))
        elif check.status is CheckStatus.WARN:
            title = spec.step_title(domain.domain, failing=False)
            steps.append((_Tier.BLUESKY_WARN, NextStep(priority=0, title=title, detail=check.fix)))
        elif check.status is CheckStatus.INFO and domain.status is BlueskyStatus.NOT_CONFIGURED:
            setup_fixes.append(check)
    if domain.status is BlueskyStatus.NOT_CONFIGURED:
        detail = " Or: ".join(c.fix for c in setup_fixes if c.fix) or (
            "Add a TXT record _atproto with the value did=<your DID>, or serve the DID at "
            f"https://{domain.domain}/.well-known/atproto-did (run 'brandaudit bluesky "
            f"{domain.domain} --did <your DID>' for the exact record)."
        )
        if domain.setup is not None and domain.setup.dns is not None:
            dns = domain.setup.dns
            detail = (
                f"Add a {dns.type} record at {dns.host} (in {dns.zone}) with the value {dns.value}."
            )
        tier = _Tier.BLUESKY_SETUP if fail_tier is _Tier.BLUESKY_FAIL else fail_tier
        from brandaudit.bluesky.common import domain_missing

        title = f"Use {domain.domain} as your Bluesky handle"
        if domain_missing(domain):
            title = f"Check {domain.domain}: it doesn't exist in DNS"
        steps.append((tier, NextStep(priority=0, title=title, detail=detail)))
    return steps


def _domain_claim_covers(finding: Finding, claim: ClaimResult | None, brand: Brand) -> bool:
    """The website's Bluesky link differs from a *domain* claim: that's no mismatch when the
    domain verifier passed, or when the linked account is two-way verified as the brand's."""
    if claim is None or finding.platform != "bluesky" or finding.kind != "declared_mismatch":
        return False
    if claim.outcome is ClaimOutcome.PASS:
        return True
    linked = _find_result(brand, "bluesky", finding.handle)
    return (
        linked is not None
        and linked.status is Status.CLAIMED
        and linked.ownership is not None
        and linked.ownership.status is OwnershipStatus.VERIFIED
    )


def _website_steps(brand: Brand, domain_claim: ClaimResult | None) -> list[tuple[_Tier, NextStep]]:
    """Fix the website's links that point at a missing or mismatched profile."""
    steps: list[tuple[_Tier, NextStep]] = []
    if brand.discovery is None:
        return steps
    for finding in brand.discovery.findings:
        if _domain_claim_covers(finding, domain_claim, brand):
            continue
        name = _platform_name(brand, finding.platform)
        steps.append(
            (
                _Tier.WEBSITE_LINK,
                NextStep(
                    priority=0,
                    title=f"Fix the website's link to {name} {finding.handle}",
                    detail=" ".join(part for part in (finding.message, finding.fix) if part),
                ),
            )
        )
    return steps


def _handle_steps(
    brand: Brand, signup_urls: Mapping[str, str], undecided: list[str]
) -> list[tuple[_Tier, NextStep]]:
    """Claim the brand's handle where it is free (platforms without a declared claim); the
    undecided ones are added to ``undecided``."""
    steps: list[tuple[_Tier, NextStep]] = []
    claimed_platforms = {c.platform for c in brand.claims}
    for platform, results in _by_platform(brand).items():
        if platform in claimed_platforms:
            continue
        outcome = _handle_outcome(results)
        if outcome is ClaimOutcome.UNDECIDED:
            for r in results:
                if r.status is Status.UNKNOWN:
                    reason = _without_prefix(r.reason, r.platform_name)
                    undecided.append(f"{r.platform_name} {r.handle}: {reason}")
            continue
        if outcome is not ClaimOutcome.FAIL:
            continue
        free = next((r for r in results if r.status is Status.AVAILABLE), None)
        if free is not None:
            steps.append(
                (
                    _Tier.BRAND_HANDLE,
                    NextStep(
                        priority=0,
                        title=f"Claim {free.handle} on {free.platform_name}",
                        detail=free.remediation or free.reason,
                        url=signup_urls.get(platform),
                    ),
                )
            )
    return steps


def next_steps(brand: Brand, signup_urls: Mapping[str, str] | None = None) -> tuple[NextStep, ...]:
    """What to do, most impactful first; ``priority`` is the rank (1 = first)."""
    signup_urls = signup_urls or {}
    ranked: list[tuple[_Tier, NextStep]] = []
    undecided: list[str] = []
    domain_claim: ClaimResult | None = None
    for claim in brand.claims:
        if _is_domain_claim(claim.platform, claim.handle, brand):
            domain_claim = claim
            if claim.outcome is ClaimOutcome.UNDECIDED and claim.required:
                ranked.append(
                    (
                        _Tier.REQUIRED_UNDECIDED,
                        NextStep(priority=0, title=f"Re-run: {claim.reason}", detail=None),
                    )
                )
            elif claim.outcome is ClaimOutcome.UNDECIDED:
                undecided.append(f"Bluesky domain handle {claim.handle}")
            continue
        if claim.outcome is ClaimOutcome.FAIL:
            tier = _Tier.REQUIRED_CLAIM if claim.required else _Tier.OPTIONAL_CLAIM
            ranked.append((tier, _claim_step(brand, claim, signup_urls)))
        elif claim.outcome is ClaimOutcome.UNDECIDED:
            name = _platform_name(brand, claim.platform)
            if claim.required:
                ranked.append(
                    (
                        _Tier.REQUIRED_UNDECIDED,
                        NextStep(
                            priority=0,
                            title=f"Re-run the {name} check for {claim.handle} (undecided)",
                            detail=claim.reason,
                        ),
                    )
                )
            else:
                undecided.append(f"{name} {claim.handle}: {_without_prefix(claim.reason, name)}")
    if brand.bluesky_domain is not None:
        fail_tier = _Tier.BLUESKY_FAIL
        if domain_claim is not None:
            fail_tier = _Tier.REQUIRED_CLAIM if domain_claim.required else _Tier.OPTIONAL_CLAIM
        domain_steps = _bluesky_steps(brand.bluesky_domain, fail_tier)
        ranked.extend(domain_steps)
        if (
            domain_claim is not None
            and domain_claim.outcome is ClaimOutcome.FAIL
            and not domain_steps
        ):
            ranked.append(
                (
                    fail_tier,
                    NextStep(
                        priority=0,
                        title=f"Fix the Bluesky handle {brand.bluesky_domain.domain}",
                        detail=f"{domain_claim.reason}; see the Bluesky checks in this report.",
                    ),
                )
            )
        skipped = [c for c in brand.bluesky_domain.checks if c.status is CheckStatus.SKIP]
        if brand.bluesky_domain.status is BlueskyStatus.UNKNOWN and domain_claim is None:
            reasons = (
                "; ".join(c.message for c in skipped) or "a Bluesky service could not be reached"
            )
            undecided.append(f"Bluesky domain handle {brand.bluesky_domain.domain}: {reasons}")
    ranked.extend(_website_steps(brand, domain_claim))
    ranked.extend(_handle_steps(brand, signup_urls, undecided))
    ranked.extend(people_activity_steps(brand))  # issue 16
    if undecided:
        ranked.append(
            (
                _Tier.RERUN,
                NextStep(
                    priority=0,
                    title=f"Re-run later: {len(undecided)} check(s) could not be decided",
                    detail="; ".join(undecided),
                ),
            )
        )
    ranked.sort(key=lambda pair: pair[0])  # stable: keeps the report's order within a tier
    return tuple(
        step.model_copy(update={"priority": rank}) for rank, (_, step) in enumerate(ranked, 1)
    )


# ---------------------------------------------------------------------------------------
# verdict


def _without_prefix(reason: str, name: str) -> str:
    """``Snapchat: rate-limited`` -> ``rate-limited`` where the step already names Snapchat."""
    prefix = f"{name}: "
    return reason[len(prefix) :] if reason.startswith(prefix) else reason


def exit_code_for(report: Report, min_score: int | None = None) -> ExitCode:
    """1 when a required claim fails or a score is under ``min_score``; else 3 when a required
    claim is undecided or a threshold is set and a brand has no score; else 0."""
    required = [c for b in report.brands for c in (*b.claims, *people_claims(b)) if c.required]
    if any(c.outcome is ClaimOutcome.FAIL for c in required):
        return ExitCode.FINDINGS
    if min_score is not None and any(
        b.score is not None and b.score < min_score for b in report.brands
    ):
        return ExitCode.FINDINGS
    if any(c.outcome is ClaimOutcome.UNDECIDED for c in required):
        return ExitCode.INCONCLUSIVE
    if min_score is not None and any(b.score is None for b in report.brands):
        return ExitCode.INCONCLUSIVE
    return ExitCode.OK


def _without_domain_rows(brand: Brand, settings: Settings) -> Brand:
    """A Bluesky claim on the brand's domain (``bluesky = "acme.com"``) is judged by the
    domain-handle verifier alone: the platform adapter's row for that name (which reads it as
    a bsky.social-style name) is dropped, so no format shows or scores it."""
    handle = settings.claims.get("bluesky")
    if handle is None or not _is_domain_claim("bluesky", handle, brand):
        return brand
    name = handle.strip().lstrip("@").lower()
    kept = tuple(
        r for r in brand.platforms if not (r.platform == "bluesky" and r.handle.lower() == name)
    )
    if len(kept) == len(brand.platforms):
        return brand
    return brand.model_copy(update={"platforms": kept})


def assess(
    brand: Brand,
    settings: Settings,
    requires: Sequence[str] = (),
    signup_urls: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Brand:
    """One brand with its claims judged, its score, grade and next steps filled in;
    ``now`` (the report's ``generated_at``) decides which accounts are dormant."""
    brand = _without_domain_rows(brand, settings)
    judged = brand.model_copy(update={"claims": judge_claims(brand, settings, requires)})
    judged = judge_people(judged)  # issue 16
    if now is not None:
        judged = apply_activity(judged, now, settings.brand.dormant_after_days)
    value = score(score_items(judged))
    return judged.model_copy(
        update={
            "score": value,
            "grade": grade(value),
            "next_steps": next_steps(judged, signup_urls),
        }
    )


def evaluate(
    report: Report,
    settings: Settings,
    requires: Sequence[str] = (),
    signup_urls: Mapping[str, str] | None = None,
    min_score: int | None = None,
) -> Verdict:
    """Judge every brand; ``min_score`` (``--fail-under``) defaults to ``[policy] min_score``."""
    brands = tuple(
        assess(b, settings, requires, signup_urls, now=report.generated_at) for b in report.brands
    )
    judged = report.model_copy(update={"brands": brands})
    threshold = settings.policy.min_score if min_score is None else min_score
    return Verdict(report=judged, exit_code=exit_code_for(judged, threshold))


# ---------------------------------------------------------------------------------------
# changes since a baseline (check --baseline / --fail-on-change; see brandaudit.history)


def change_exit_code(report: Report, fail_on: frozenset[str]) -> ExitCode:
    """``FINDINGS`` when a brand changed in a way ``--fail-on-change`` names, else ``OK``."""
    changed = any(c.kind in fail_on for b in report.brands for c in b.changes)
    return ExitCode.FINDINGS if changed else ExitCode.OK


def with_changes(verdict: Verdict, fail_on: frozenset[str]) -> Verdict:
    """The verdict with changes counted: findings outrank inconclusive, which outranks ok."""
    extra = change_exit_code(verdict.report, fail_on)
    if extra is ExitCode.OK or verdict.exit_code is ExitCode.FINDINGS:
        return verdict
    return Verdict(report=verdict.report, exit_code=extra)


# ---------------------------------------------------------------------------------------
# people and activity (issue 16)

WEIGHT_ACTIVITY = 1
"""One small item per brand: none of the brand's own claimed accounts is dormant."""

DORMANT_STEP = "Post, or say in the bio where the brand moved, and link it."


def apply_activity(brand: Brand, now: datetime, days: int) -> Brand:
    """Each known activity marked dormant (older than ``days`` at ``now``) or not, with its
    age. No date, no verdict: ``dormant`` stays None unless the account never posted."""
    limit = timedelta(days=days)

    def mark(activity: Activity | None) -> Activity | None:
        if activity is None or activity.status is not ActivityStatus.KNOWN:
            return activity
        update: dict[str, object] = {"dormant_after_days": days}
        if activity.last_activity_at is None:  # the platform said: never posted
            return activity.model_copy(update={**update, "dormant": True, "age_days": None})
        age = max(now - activity.last_activity_at, timedelta(0))
        update.update({"dormant": age > limit, "age_days": age.days})
        return activity.model_copy(update=update)

    def marked(results: tuple[PlatformResult, ...]) -> tuple[PlatformResult, ...]:
        return tuple(
            r if r.activity is None else r.model_copy(update={"activity": mark(r.activity)})
            for r in results
        )

    people = tuple(p.model_copy(update={"handles": marked(p.handles)}) for p in brand.people)
    update: dict[str, object] = {"platforms": marked(brand.platforms), "people": people}
    domain = brand.bluesky_domain
    if domain is not None and domain.activity is not None:
        update["bluesky_domain"] = domain.model_copy(update={"activity": mark(domain.activity)})
    return brand.model_copy(update=update)


def activity_items(brand: Brand) -> list[ScoreItem]:
    """The activity item: pass when every dated claimed account of the brand is active, fail
    when one is dormant, left out when no activity is known. A dormant account still counts
    as claimed for its own claim and handle items."""
    known = [
        r.activity.dormant
        for r in brand.platforms
        if r.status is Status.CLAIMED and r.activity is not None and r.activity.dormant is not None
    ]
    domain = brand.bluesky_domain
    if domain is not None and domain.activity is not None and domain.activity.dormant is not None:
        known.append(domain.activity.dormant)
    if not known:
        return []
    outcome = ClaimOutcome.FAIL if any(known) else ClaimOutcome.PASS
    return [ScoreItem("activity", WEIGHT_ACTIVITY, outcome)]


def _person_result(person: PersonResult, platform: str) -> PlatformResult | None:
    return next((r for r in person.handles if r.platform == platform), None)


def _judge_person_claim(person: PersonResult, platform: str) -> tuple[ClaimOutcome, str]:
    bsky = person.bluesky
    if platform == "bluesky" and bsky is not None and bsky.domain is not None:
        status = bsky.domain.status
        if status is BlueskyStatus.VERIFIED:
            return ClaimOutcome.PASS, f"{bsky.handle} is a verified Bluesky domain handle"
        if status is BlueskyStatus.UNKNOWN:
            return ClaimOutcome.UNDECIDED, f"could not verify {bsky.handle} on Bluesky"
        return (
            ClaimOutcome.FAIL,
            f"the Bluesky domain handle {bsky.handle} is {status.value.replace('_', ' ')}",
        )
    return _judge_result(_person_result(person, platform))


def judge_person(person: PersonResult) -> PersonResult:
    """The person's required handles as claims (they join the exit code, SARIF and JUnit)."""
    claims = []
    for platform in person.required:
        outcome, reason = _judge_person_claim(person, platform)
        result = _person_result(person, platform)
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
    if not brand.people:
        return brand
    return brand.model_copy(update={"people": tuple(judge_person(p) for p in brand.people)})


def people_claims(brand: Brand) -> tuple[ClaimResult, ...]:
    return tuple(c for p in brand.people for c in p.claims)


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
    return NextStep(
        priority=0,
        title=f"Revive or retire the dormant {result.platform_name} account {result.handle}{whose}",
        detail=f"The account is claimed but quiet: {when}. {DORMANT_STEP}",
        url=result.url,
    )


def _person_steps(brand: Brand, person: PersonResult) -> list[tuple[_Tier, NextStep]]:
    steps: list[tuple[_Tier, NextStep]] = []
    who = f"{person.name} ({person.role})" if person.role else person.name
    for claim in person.claims:
        name = _platform_name(brand, claim.platform)
        if claim.outcome is ClaimOutcome.FAIL:
            steps.append(
                (
                    _Tier.REQUIRED_CLAIM,
                    NextStep(
                        priority=0,
                        title=f"Secure {claim.handle} on {name} for {who}",
                        detail=claim.reason,
                    ),
                )
            )
        elif claim.outcome is ClaimOutcome.UNDECIDED:
            steps.append(
                (
                    _Tier.REQUIRED_UNDECIDED,
                    NextStep(
                        priority=0,
                        title=f"Re-run the {name} check of {who} (undecided)",
                        detail=claim.reason,
                    ),
                )
            )
    bsky = person.bluesky
    if bsky is not None:
        if bsky.domain is not None and bsky.under_brand_domain:
            steps.extend(_bluesky_steps(bsky.domain, _Tier.BLUESKY_FAIL))
        if not bsky.under_brand_domain and bsky.suggested_handle:
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
            steps.append(
                (
                    _Tier.BLUESKY_SETUP,
                    NextStep(
                        priority=0,
                        title=f"Give {who} the Bluesky handle {target} (under the brand's domain)",
                        detail=detail,
                    ),
                )
            )
        verification = bsky.verification
        if verification is not None and verification.status is VerificationState.ISSUED:
            if verification.appview_valid is False:
                steps.append(
                    (
                        _Tier.BLUESKY_WARN,
                        NextStep(
                            priority=0,
                            title=f"Verify {who} again on Bluesky",
                            detail=verification.reason,
                        ),
                    )
                )
        elif (
            verification is not None
            and verification.status is VerificationState.NOT_ISSUED
            and not bsky.under_brand_domain
        ):
            steps.append(
                (
                    _Tier.BLUESKY_WARN,
                    NextStep(
                        priority=0,
                        title=f"Vouch for {who} on Bluesky",
                        detail=(
                            f"Move {person.name} to a handle under {brand.domain}, or issue a "
                            f"verification (app.bsky.graph.verification) for {bsky.did} from the "
                            "brand's account; Bluesky shows it as a blue check when the brand "
                            "is a trusted verifier."
                        ),
                    ),
                )
            )
    for link in person.affiliations:
        if link.status is AffiliationStatus.NOT_LINKED:
            name = _platform_name(brand, link.platform)
            title = f"Link {person.name}'s {name} profile {link.handle} to {brand.domain}"
            steps.append(
                (
                    _Tier.BLUESKY_WARN,
                    NextStep(
                        priority=0,
                        title=title,
                        detail=(
                            f"{link.reason}. Add https://{brand.domain} to the profile's website "
                            "field or bio, so people can tell the account speaks for the brand."
                        ),
                    ),
                )
            )
    for result in person.handles:
        if (step := _dormant_step(result, f" of {person.name}")) is not None:
            steps.append((_Tier.BRAND_HANDLE, step))
    return steps


def people_activity_steps(brand: Brand) -> list[tuple[_Tier, NextStep]]:
    """Next steps for dormant accounts and for the brand's people."""
    steps: list[tuple[_Tier, NextStep]] = []
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
