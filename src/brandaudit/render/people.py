"""The notes every format shows for people and activity (one line each), from the report
alone: no network, no clock. Each format lays them out itself (``render.table``,
``render.markdown``, ``render.html``; ``render.sarif`` for people's required handles)."""

from __future__ import annotations

from brandaudit.model import (
    Activity,
    ActivityStatus,
    AffiliationStatus,
    PersonResult,
    PersonVerification,
    PlatformResult,
    VerificationState,
)


def _counts(activity: Activity) -> str:
    parts = []
    if activity.posts is not None:
        parts.append(f"{activity.posts} posts")
    if activity.followers is not None:
        parts.append(f"{activity.followers} followers")
    return f"; {', '.join(parts)}" if parts else ""


def activity_note(activity: Activity | None) -> str | None:
    """One line: ``DORMANT: ...``, ``active: ...``, or why no date is known."""
    if activity is None:
        return None
    if activity.status is ActivityStatus.UNAVAILABLE:
        return f"activity: not shown ({activity.reason})"
    if activity.status is ActivityStatus.UNKNOWN:
        return f"activity: unknown ({activity.reason})"
    when = activity.reason
    if activity.last_activity_at is not None and activity.age_days is not None:
        limit = activity.dormant_after_days
        over = f"; dormant after {limit}" if limit is not None and activity.dormant else ""
        when += f" ({activity.age_days} days ago{over})"
    if activity.dormant is True:
        return f"DORMANT: {when}{_counts(activity)}"
    if activity.dormant is False:
        return f"active: {when}{_counts(activity)}"
    return f"activity: {when}{_counts(activity)}"


_CHANGED = {"handle": "handle", "displayName": "display name"}


def verification_word(verification: PersonVerification) -> str:
    """The verdict on the brand's verification in a few words: Bluesky's own when its app
    view rated the record, else brandaudit's reading of the same rule, with what changed."""
    status = verification.status
    if status is VerificationState.ISSUED:
        by_bluesky = verification.judged_by == "appview"
        return "verified by the brand" + (" (valid on Bluesky)" if by_bluesky else "")
    if status is VerificationState.INVALID:
        if verification.judged_by == "appview":
            return "brand verification not valid (Bluesky's verdict)"
        if any(m.field == "displayName" and not m.current for m in verification.mismatches):
            return "brand verification not valid (no display name)"
        changed = " and ".join(_CHANGED[m.field] for m in verification.mismatches)
        return f"brand verification not valid ({changed or 'record'} changed)"
    if status is VerificationState.NOT_ISSUED:
        return "not verified by the brand"
    return "brand verification unknown"


def bluesky_notes(person: PersonResult) -> list[str]:
    """The person's Bluesky notes, the verification verdict first (the part a narrow
    terminal must never lose)."""
    bsky = person.bluesky
    if bsky is None:
        return []
    parts: list[str] = []
    verification = bsky.verification
    if verification is not None and verification.status is not VerificationState.NOT_APPLICABLE:
        parts.append(verification_word(verification))
    if bsky.domain is not None:
        parts.append(f"domain handle {bsky.domain.status.value.replace('_', ' ')}")
    if bsky.under_brand_domain:
        parts.append("under the brand's domain")
    elif bsky.suggested_handle:
        parts.append(f"not under the brand's domain (suggested: {bsky.suggested_handle})")
    return parts


def affiliation_note(person: PersonResult, result: PlatformResult) -> str | None:
    link = next((a for a in person.affiliations if a.platform == result.platform), None)
    if link is None:
        return None
    if link.status is AffiliationStatus.LINKED:
        return "links to the brand"
    if link.status is AffiliationStatus.UNKNOWN:
        return None
    if link.ignored:
        return "no link to the brand; ignored: " + "; ".join(link.ignored[:3])
    return "no link to the brand"


def handle_notes(person: PersonResult, result: PlatformResult) -> list[str]:
    notes: list[str] = []
    if result.platform == "bluesky":
        notes.extend(bluesky_notes(person))
    if note := affiliation_note(person, result):
        notes.append(note)
    if note := activity_note(result.activity):
        notes.append(note)
    return notes


def person_title(person: PersonResult) -> str:
    return f"{person.name} ({person.role})" if person.role else person.name
