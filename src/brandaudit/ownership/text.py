"""Short ownership wording for renderers (pure)."""

from __future__ import annotations

from brandaudit.model import HandleSource, OwnershipStatus, PlatformResult


def ownership_note(result: PlatformResult) -> str | None:
    """One line about ownership for a result, or None when there is nothing to say:
    ``ownership: verified (two-way: ...)`` for a claimed handle; for a handle the website
    links to but that isn't claimed, what is wrong and the fix."""
    ownership = result.ownership
    if ownership is not None and ownership.status is not OwnershipStatus.NOT_APPLICABLE:
        return f"ownership: {ownership.status.value} ({ownership.reason})"
    if result.handle_source is HandleSource.DECLARED_WEBSITE and result.remediation:
        return f"linked from the website: {result.remediation}"
    return None
