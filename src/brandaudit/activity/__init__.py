"""The brand's pulse: the last activity of every claimed account (the brand's and its
people's), read after the brand's checks, within the brand's deadline.

Readers live in ``activity.fetchers``; whether an account is ``dormant`` (older than
``[brand] dormant_after_days`` at the report's ``generated_at``) is policy's call
(``brandaudit.policy.apply_activity``), so the report's clock is the only clock.
"""

from __future__ import annotations

import asyncio
import logging
import time

from brandaudit.activity.fetchers import NO_PUBLIC_DATE, READERS, unavailable
from brandaudit.config import Settings
from brandaudit.model import (
    Activity,
    ActivityStatus,
    BlueskyDomain,
    BlueskyStatus,
    Brand,
    Confidence,
    Method,
    PlatformResult,
    Status,
)
from brandaudit.net.client import NetClient
from brandaudit.net.dns import DnsClient
from brandaudit.platforms.base import CheckContext
from brandaudit.policy.match import result_for

__all__ = ["READERS", "activity_for", "add_activity"]

log = logging.getLogger("brandaudit")
_GRACE = 0.5


async def activity_for(
    result: PlatformResult, settings: Settings, net: NetClient, dns: DnsClient
) -> Activity | None:
    """The account's activity, or None when the result is not a claimed account."""
    if result.status is not Status.CLAIMED:
        return None
    reader = READERS.get(result.platform)
    if reader is None:
        why = NO_PUBLIC_DATE.get(
            result.platform, f"brandaudit has no activity reader for {result.platform_name}"
        )
        return unavailable(why)
    ctx = CheckContext(net=net, dns=dns, settings=settings, platform=result.platform)
    deadline = settings.network.deadline
    ctx.deadline_at = time.monotonic() + deadline
    try:
        async with asyncio.timeout(deadline + _GRACE):
            return await reader(result, ctx)
    except TimeoutError:
        reason = f"the activity check ran past its {deadline:g}s deadline"
    except Exception as exc:  # one broken reader never stops a run
        log.debug("activity reader %s failed", result.platform, exc_info=True)
        reason = f"the activity reader failed ({type(exc).__name__}: {str(exc)[:160]})"
    return Activity(status=ActivityStatus.UNKNOWN, reason=reason, evidence=tuple(ctx.evidence))


async def _with_activity(
    results: tuple[PlatformResult, ...], settings: Settings, net: NetClient, dns: DnsClient
) -> tuple[PlatformResult, ...]:
    found = await asyncio.gather(*(activity_for(r, settings, net, dns) for r in results))
    return tuple(
        r if a is None else r.model_copy(update={"activity": a})
        for r, a in zip(results, found, strict=True)
    )


async def add_activity(brand: Brand, settings: Settings, net: NetClient, dns: DnsClient) -> Brand:
    """``brand`` with ``activity`` filled in on every claimed account, its people's too."""
    platforms, people, domain = await asyncio.gather(
        _with_activity(brand.platforms, settings, net, dns),
        asyncio.gather(*(_with_activity(p.handles, settings, net, dns) for p in brand.people)),
        _domain_activity(brand, settings, net, dns),
    )
    updated = tuple(
        p.model_copy(update={"handles": handles})
        for p, handles in zip(brand.people, people, strict=True)
    )
    return brand.model_copy(
        update={"platforms": platforms, "people": updated, "bluesky_domain": domain}
    )


async def _domain_activity(
    brand: Brand, settings: Settings, net: NetClient, dns: DnsClient
) -> BlueskyDomain | None:
    """The brand's verified Bluesky domain handle is a claimed account too: its activity is
    read here unless a platform result for the same handle already carries it."""
    domain = brand.bluesky_domain
    if domain is None or domain.status is not BlueskyStatus.VERIFIED:
        return domain
    if result_for(brand, "bluesky", domain.domain) is not None:
        return domain
    handle = domain.domain.lower()
    account = PlatformResult(
        platform="bluesky",
        platform_name="Bluesky",
        handle=handle,
        status=Status.CLAIMED,
        confidence=Confidence.HIGH,
        method=Method.PUBLIC_API,
        reason="the verified domain handle",
    )
    found = await activity_for(account, settings, net, dns)
    return domain.model_copy(update={"activity": found})
