"""The readiness score and grade, and the activity (dormant accounts) it counts.

Readiness score (documented in README "Readiness score")
--------------------------------------------------------
Each brand gets a list of scored items, each with a weight and an outcome:

* every declared claim (``[claims]`` or ``--require``): weight 3 if required, 2 if optional;
* the brand's handle on every checked platform that has no declared claim: weight 1
  (passes when any of the brand's handles is claimed there);
* the Bluesky domain handle, when it was checked and no claim already covers it: weight 3;
* activity, when any is known: weight 1 (fails when one of the brand's accounts is dormant).

``score = round(100 * passed weight / decided weight)``. An undecided item (``unknown``
result, Bluesky status ``unknown``) is left out of the denominator, not counted as zero; a
handle that breaks a platform's rules, or a platform with no public names to check
(``not_applicable``), is left out too. When nothing could
be decided the score and grade are ``None``. Grades: A >= 90, B >= 75, C >= 60, D >= 40, else F.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from brandaudit.model import (
    Activity,
    ActivityStatus,
    BlueskyDomain,
    BlueskyStatus,
    Brand,
    ClaimOutcome,
    PlatformResult,
    Status,
)
from brandaudit.policy.match import domain_claim

WEIGHT_REQUIRED_CLAIM = 3
WEIGHT_OPTIONAL_CLAIM = 2
WEIGHT_BRAND_HANDLE = 1
WEIGHT_BLUESKY_DOMAIN = 3
WEIGHT_ACTIVITY = 1
"""One small item per brand: none of the brand's own claimed accounts is dormant."""

GRADES: tuple[tuple[int, str], ...] = ((90, "A"), (75, "B"), (60, "C"), (40, "D"), (0, "F"))


@dataclass(frozen=True, slots=True)
class ScoreItem:
    """One scored check: ``outcome`` None means not applicable (left out like undecided)."""

    key: str
    weight: int
    outcome: ClaimOutcome | None


def by_platform(brand: Brand) -> dict[str, list[PlatformResult]]:
    """The brand's results grouped by platform, in report order."""
    grouped: dict[str, list[PlatformResult]] = {}
    for result in brand.platforms:
        grouped.setdefault(result.platform, []).append(result)
    return grouped


def unclaimed_platforms(brand: Brand) -> dict[str, list[PlatformResult]]:
    """The brand's results on the platforms no declared claim names, grouped by platform."""
    claimed = {c.platform for c in brand.claims}
    return {p: results for p, results in by_platform(brand).items() if p not in claimed}


def handle_outcome(results: Sequence[PlatformResult]) -> ClaimOutcome | None:
    """The brand's handles on one platform: claimed by any -> pass; any undecided -> undecided;
    all breaking the platform's rules -> not applicable; otherwise fail. A ``not_applicable``
    result (a platform with no public names to check) never counts either way."""
    results = [r for r in results if r.status is not Status.NOT_APPLICABLE]
    if not results:
        return None
    if any(r.status is Status.CLAIMED for r in results):
        return ClaimOutcome.PASS
    if any(r.status is Status.UNKNOWN for r in results):
        return ClaimOutcome.UNDECIDED
    if all(r.status is Status.INVALID for r in results):
        return None
    return ClaimOutcome.FAIL


def bluesky_outcome(domain: BlueskyDomain) -> ClaimOutcome:
    """The Bluesky domain-handle item: verified passes, unknown is undecided, else fails."""
    if domain.status is BlueskyStatus.VERIFIED:
        return ClaimOutcome.PASS
    if domain.status is BlueskyStatus.UNKNOWN:
        return ClaimOutcome.UNDECIDED
    return ClaimOutcome.FAIL


def score_items(brand: Brand) -> list[ScoreItem]:
    """The weighted items behind a brand's score (see the module docstring)."""
    items = [
        ScoreItem(
            f"claim/{claim.platform}",
            WEIGHT_REQUIRED_CLAIM if claim.required else WEIGHT_OPTIONAL_CLAIM,
            claim.outcome,
        )
        for claim in brand.claims
    ]
    for platform, results in unclaimed_platforms(brand).items():
        items.append(ScoreItem(f"handle/{platform}", WEIGHT_BRAND_HANDLE, handle_outcome(results)))
    if brand.bluesky_domain is not None and domain_claim(brand) is None:
        outcome = bluesky_outcome(brand.bluesky_domain)
        items.append(ScoreItem("bluesky/domain", WEIGHT_BLUESKY_DOMAIN, outcome))
    items.extend(activity_items(brand))  # issue 16
    return items


def score(items: Sequence[ScoreItem]) -> int | None:
    """``round(100 * passed weight / decided weight)``, or None when nothing was decided."""
    decided = [i for i in items if i.outcome in {ClaimOutcome.PASS, ClaimOutcome.FAIL}]
    possible = sum(i.weight for i in decided)
    if possible == 0:
        return None
    earned = sum(i.weight for i in decided if i.outcome is ClaimOutcome.PASS)
    # Round half up (not Python's banker's rounding), so 89.5 is an A, predictably.
    return (200 * earned + possible) // (2 * possible)


def grade(value: int | None) -> str | None:
    """The letter for a score (``GRADES``), None without a score."""
    if value is None:
        return None
    return next(letter for floor, letter in GRADES if value >= floor)


# ---------------------------------------------------------------------------------------
# activity (issue 16)


def mark_dormant(activity: Activity | None, now: datetime, days: int) -> Activity | None:
    """A known activity marked dormant (older than ``days`` at ``now``) or not, with its age.
    No date, no verdict: ``dormant`` stays None unless the account never posted."""
    if activity is None or activity.status is not ActivityStatus.KNOWN:
        return activity
    update: dict[str, object] = {"dormant_after_days": days}
    if activity.last_activity_at is None:  # the platform said: never posted
        return activity.model_copy(update={**update, "dormant": True, "age_days": None})
    age = max(now - activity.last_activity_at, timedelta(0))
    update.update({"dormant": age > timedelta(days=days), "age_days": age.days})
    return activity.model_copy(update=update)


def apply_activity(brand: Brand, now: datetime, days: int) -> Brand:
    """Each known activity of the brand, its people and its Bluesky domain handle marked
    dormant or not (``mark_dormant``)."""

    def marked(results: tuple[PlatformResult, ...]) -> tuple[PlatformResult, ...]:
        return tuple(
            r
            if r.activity is None
            else r.model_copy(update={"activity": mark_dormant(r.activity, now, days)})
            for r in results
        )

    people = tuple(p.model_copy(update={"handles": marked(p.handles)}) for p in brand.people)
    update: dict[str, object] = {"platforms": marked(brand.platforms), "people": people}
    domain = brand.bluesky_domain
    if domain is not None and domain.activity is not None:
        activity = mark_dormant(domain.activity, now, days)
        update["bluesky_domain"] = domain.model_copy(update={"activity": activity})
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
