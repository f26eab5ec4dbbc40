"""Canary self-check: is each adapter still reading its platform right?

Platforms change their answers without notice. For each adapter brandaudit checks two names:
its ``canary`` (a long-lived account that exists) and a random name nobody registered. The
canary must come back ``claimed`` and the random name must not: anything else means the
adapter's signals drifted (or the platform blocks this machine), and its verdicts should be
re-checked before anyone relies on them. No verdict of the audit itself is changed here.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from brandaudit.config import Settings
from brandaudit.model import HandleSource, PlatformResult, Status
from brandaudit.platforms.base import Adapter

_ALPHABET = string.ascii_lowercase + string.digits


class CanaryOutcome(StrEnum):
    OK = "ok"
    """The canary is claimed and the random name is not."""
    DRIFT = "drift"
    """An answer contradicts what is known: the adapter's signals need re-checking."""
    UNDECIDED = "undecided"
    """The platform didn't answer clearly (blocked, rate-limited, down): nothing learnt."""
    NO_CANARY = "no_canary"
    """The adapter names no canary account (user-defined platforms, some plugins)."""


class CanaryResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: str
    platform_name: str
    outcome: CanaryOutcome
    note: str
    canary: PlatformResult | None = None
    random: PlatformResult | None = None


def random_handle(adapter: Adapter, token: Callable[[int], str] | None = None) -> str | None:
    """A name that fits the adapter's rule and that nobody will have registered."""
    make = token or (lambda n: "".join(secrets.choice(_ALPHABET) for _ in range(n)))
    for length in (8, 10, 6, 12):
        for _ in range(10):
            candidate = "zq" + make(length)
            if adapter.handle_problem(adapter.normalise_handle(candidate)) is None:
                return adapter.normalise_handle(candidate)
    return None


def judge(adapter: Adapter, canary: PlatformResult, random: PlatformResult | None) -> CanaryResult:
    def result(outcome: CanaryOutcome, note: str) -> CanaryResult:
        return CanaryResult(
            platform=adapter.id, platform_name=adapter.name, outcome=outcome, note=note,
            canary=canary, random=random,
        )  # fmt: skip

    if canary.status in {Status.AVAILABLE, Status.INVALID, Status.RESERVED}:
        return result(
            CanaryOutcome.DRIFT,
            f"the known account {canary.handle!r} reads as {canary.status.value}: {canary.reason}",
        )
    if random is not None and random.status in {Status.CLAIMED, Status.SUSPENDED}:
        return result(
            CanaryOutcome.DRIFT,
            f"the never-registered name {random.handle!r} reads as {random.status.value}: "
            f"{random.reason}",
        )
    if canary.status is not Status.CLAIMED:
        return result(CanaryOutcome.UNDECIDED, f"{canary.handle!r}: {canary.reason}")
    if random is None:
        return result(CanaryOutcome.OK, f"{canary.handle!r} is claimed (no random name fits)")
    free = "not claimed" if random.status is not Status.AVAILABLE else "available"
    return result(
        CanaryOutcome.OK,
        f"{canary.handle!r} is claimed; the random {random.handle!r} is {free} "
        f"({random.status.value})",
    )


async def run_selfcheck(
    adapters: Sequence[Adapter],
    settings: Settings,
    *,
    token: Callable[[int], str] | None = None,
) -> list[CanaryResult]:
    """Check every adapter's canary and a random name, concurrently, through one client."""
    import asyncio

    from brandaudit.net.client import NetClient
    from brandaudit.net.dns import DnsClient
    from brandaudit.runner import Job, run_job

    dns = DnsClient(settings.network.nameservers, timeout=settings.network.dns_timeout)

    async def one(adapter: Adapter, net: NetClient) -> CanaryResult:
        if not adapter.canary:
            return CanaryResult(
                platform=adapter.id, platform_name=adapter.name,
                outcome=CanaryOutcome.NO_CANARY, note="the adapter names no canary account",
            )  # fmt: skip
        known = adapter.normalise_handle(adapter.canary)
        name = random_handle(adapter, token)
        jobs = [run_job(Job(adapter, known, HandleSource.CLI), net, dns, settings)]
        if name is not None:
            jobs.append(run_job(Job(adapter, name, HandleSource.CLI), net, dns, settings))
        results = await asyncio.gather(*jobs)
        return judge(adapter, results[0], results[1] if len(results) > 1 else None)

    async with NetClient(settings.network) as net:
        return list(await asyncio.gather(*(one(a, net) for a in adapters)))
