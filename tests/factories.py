"""Model objects for unit tests, with the fields a test doesn't care about filled in."""

from __future__ import annotations

from typing import Any

from brandaudit.model import Confidence, Method, PlatformResult, Status


def res(
    platform: str, status: Status = Status.CLAIMED, handle: str = "acme", **extra: Any
) -> PlatformResult:
    """A public-API result for ``handle`` on ``platform`` (reason: "<platform> says <status>")."""
    return PlatformResult(
        platform=platform,
        platform_name=platform.capitalize(),
        handle=handle,
        status=status,
        confidence=Confidence.HIGH,
        method=Method.PUBLIC_API,
        reason=f"{platform} says {status.value}",
        **extra,
    )
