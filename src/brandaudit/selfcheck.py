"""Canary self-check: is each adapter still reading its platform right?

Platforms change their answers without notice. For each adapter brandaudit checks two names:
its ``canary`` (a long-lived account that exists; each adapter documents where it comes from
in ``canary_source``) and a random name nobody registered. The outcomes:

- ``ok``: the canary reads ``claimed``, and the random name reads ``available`` where the
  adapter can say so (with these credentials), or anything but held where it can't.
- ``drift``: the adapter needs re-checking. The canary or the random name was answered by a
  redirect to another host (the platform moved: the new location is reported), or by an
  answer the adapter doesn't recognise; the known account reads free; the random name reads
  held; or the random name never reaches ``available`` on an adapter that can say it (it
  lost its available signal).
- ``undecided``: the platform blocked or rate-limited this machine, or was down: nothing
  learnt.

No verdict of the audit itself is changed here.
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
from brandaudit.platforms.signals import MOVED

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
    location: str | None = None
    """Where the platform moved, when a redirect to another host caused the drift."""
    expects_available: bool | None = None
    """Whether the random name should read ``available`` (the adapter can say it)."""
    canary_source: str | None = None
    """Where the canary account comes from (which peers confirm it)."""
    canary: PlatformResult | None = None
    random: PlatformResult | None = None


_BLOCKING_STATUSES = frozenset({401, 403, 407, 429, 999})
_TRAP_WORDS = ("login wall", "consent page", "challenge", "interstitial", "login required")


def _trouble(result: PlatformResult) -> tuple[str, str | None]:
    """Why a check ended ``unknown``: ("moved", new location), ("blocked", None) when the
    platform blocked, rate-limited or failed, else ("shape", None): an answer the adapter
    doesn't recognise."""
    for evidence in result.evidence:
        signal = evidence.signal or ""
        if signal.startswith(MOVED):
            _, _, target = signal.partition(" to ")
            return "moved", target or None
    for evidence in result.evidence:
        status = evidence.status_code
        if evidence.error or status is None or status in _BLOCKING_STATUSES or status >= 500:
            return "blocked", None
        if any(word in (evidence.signal or "").lower() for word in _TRAP_WORDS):
            return "blocked", None
    return "shape", None


def random_handle(adapter: Adapter, token: Callable[[int], str] | None = None) -> str | None:
    """A name that fits the adapter's rule and that nobody will have registered."""
    make = token or (lambda n: "".join(secrets.choice(_ALPHABET) for _ in range(n)))
    for length in (8, 10, 6, 12):
        for _ in range(10):
            candidate = "zq" + make(length)
            if adapter.handle_problem(adapter.normalise_handle(candidate)) is None:
                return adapter.normalise_handle(candidate)
    return None


_Reading = tuple[CanaryOutcome, str, str | None]
"""What the two names say: (outcome, note, where the platform moved)."""


def judge(
    adapter: Adapter,
    canary: PlatformResult,
    random: PlatformResult | None,
    expects_available: bool = False,
) -> CanaryResult:
    """The outcome for one adapter from its canary's and random name's results.

    ``expects_available``: whether the adapter can say ``available`` with the run's
    credentials (:meth:`Adapter.can_say_available`)."""
    reading = _contradiction(canary, random)
    if reading is None:
        reading = _random_reading(canary, random, expects_available)
    outcome, note, location = reading
    return CanaryResult(
        platform=adapter.id, platform_name=adapter.name, outcome=outcome, note=note,
        location=location, expects_available=expects_available if random else None,
        canary_source=adapter.canary_source, canary=canary, random=random,
    )  # fmt: skip


def _contradiction(canary: PlatformResult, random: PlatformResult | None) -> _Reading | None:
    """Drift or undecided when the canary isn't plainly claimed or the random name is held;
    None when the canary reads claimed and the random name (if any) is not held."""
    if canary.status in {Status.AVAILABLE, Status.INVALID, Status.RESERVED, Status.NOT_APPLICABLE}:
        return (
            CanaryOutcome.DRIFT,
            f"the known account {canary.handle!r} reads as {canary.status.value}: {canary.reason}",
            None,
        )
    if random is not None and random.status in {Status.CLAIMED, Status.SUSPENDED}:
        return (
            CanaryOutcome.DRIFT,
            f"the never-registered name {random.handle!r} reads as {random.status.value}: "
            f"{random.reason}",
            None,
        )
    if canary.status is Status.UNKNOWN:
        return _unclear(
            "the known account",
            canary,
            f"the known account {canary.handle!r} got an answer the adapter doesn't recognise",
        )
    if canary.status is not Status.CLAIMED:
        return (
            CanaryOutcome.UNDECIDED,
            f"the known account {canary.handle!r} reads as {canary.status.value} (choose "
            f"another canary?): {canary.reason}",
            None,
        )
    return None


def _random_reading(
    canary: PlatformResult, random: PlatformResult | None, expects_available: bool
) -> _Reading:
    """The canary reads claimed: the outcome is what the random name says (ok when no random
    name fits the platform's rule)."""
    if random is None:
        return CanaryOutcome.OK, f"{canary.handle!r} is claimed (no random name fits)", None
    if random.status is Status.AVAILABLE:
        if expects_available:
            return (
                CanaryOutcome.OK,
                f"{canary.handle!r} is claimed; the random {random.handle!r} is available",
                None,
            )
        return (
            CanaryOutcome.DRIFT,
            f"the random {random.handle!r} reads as available, which this adapter should "
            f"never say here: {random.reason}",
            None,
        )
    if random.status is Status.UNKNOWN:
        if expects_available:
            return _unclear(
                "the random name",
                random,
                f"lost its available signal: the never-registered {random.handle!r} no longer "
                "reads as available",
            )
        if _trouble(random)[0] == "moved":
            return _unclear("the random name", random, "")
        return (
            CanaryOutcome.OK,
            f"{canary.handle!r} is claimed; the random {random.handle!r} is not claimed "
            "(this adapter never says available here)",
            None,
        )
    return (
        CanaryOutcome.DRIFT,
        f"lost its available signal: the never-registered {random.handle!r} reads as "
        f"{random.status.value}: {random.reason}",
        None,
    )


def _unclear(which: str, checked: PlatformResult, shape_note: str) -> _Reading:
    """An ``unknown`` answer: the platform moved (drift), blocked us (undecided), or
    answered in a shape the adapter doesn't know (drift)."""
    kind, location = _trouble(checked)
    if kind == "moved":
        return (
            CanaryOutcome.DRIFT,
            f"the platform moved: {which} {checked.handle!r} was redirected to "
            f"{location or 'another host'}",
            location,
        )
    if kind == "blocked":
        return CanaryOutcome.UNDECIDED, f"{checked.handle!r}: {checked.reason}", None
    return CanaryOutcome.DRIFT, f"{shape_note}: {checked.reason}", None


async def run_selfcheck(
    adapters: Sequence[Adapter],
    settings: Settings,
    *,
    token: Callable[[int], str] | None = None,
) -> list[CanaryResult]:
    """Check every adapter's canary and a random name, concurrently, through one client."""
    import asyncio

    from brandaudit.jobs import Job, run_job
    from brandaudit.net.client import NetClient
    from brandaudit.net.dns import DnsClient
    from brandaudit.net.session import open_clients

    async def one(adapter: Adapter, net: NetClient, dns: DnsClient) -> CanaryResult:
        if not adapter.canary:
            return CanaryResult(
                platform=adapter.id, platform_name=adapter.name,
                outcome=CanaryOutcome.NO_CANARY, note="the adapter names no canary account",
                canary_source=adapter.canary_source,
            )  # fmt: skip
        known = adapter.normalise_handle(adapter.canary)
        name = random_handle(adapter, token)
        jobs = [run_job(Job(adapter, known, HandleSource.CLI), net, dns, settings)]
        if name is not None:
            jobs.append(run_job(Job(adapter, name, HandleSource.CLI), net, dns, settings))
        results = await asyncio.gather(*jobs)
        return judge(
            adapter,
            results[0],
            results[1] if len(results) > 1 else None,
            adapter.can_say_available(settings),
        )

    # No cache: a cached answer can't show that a platform changed its signals.
    planned = 2 * sum(1 for a in adapters if a.canary)
    async with open_clients(settings, planned=planned, cache=None) as clients:
        return list(await asyncio.gather(*(one(a, clients.net, clients.dns) for a in adapters)))
