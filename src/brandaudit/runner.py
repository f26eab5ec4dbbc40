"""Async orchestration: one client, every (platform, handle) check under a deadline.

Any exception an adapter raises, and any check that runs past its deadline, becomes an
``unknown`` result with the reason and the evidence gathered so far: one broken adapter never
stops the run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from brandaudit import __version__
from brandaudit.config import Settings
from brandaudit.handles import derive_handle, normalise_domain
from brandaudit.model import (
    Brand,
    Confidence,
    HandleSource,
    Method,
    PlatformResult,
    Report,
    Status,
    ToolInfo,
)
from brandaudit.net.client import NetClient
from brandaudit.net.dns import DnsClient
from brandaudit.platforms.base import Adapter, CheckContext, Verdict, result_from_verdict

log = logging.getLogger("brandaudit")

ProgressCallback = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Job:
    adapter: Adapter
    handle: str
    source: HandleSource


@dataclass(frozen=True, slots=True)
class BrandRequest:
    domain: str
    name: str | None = None
    handles: tuple[tuple[str, HandleSource], ...] = ()
    discover: bool = True
    """Read the homepage for declared profiles (brandaudit.ownership); off: --no-discover."""


@dataclass(slots=True)
class RunPlan:
    brands: list[BrandRequest]
    adapters: list[Adapter]
    warnings: list[str] = field(default_factory=list)


def plan_brand(
    domain: str,
    settings: Settings,
    cli_handles: Sequence[str] = (),
    name: str | None = None,
) -> BrandRequest:
    """Which handles to check for a brand: CLI handles, else config handles, else derived;
    declared claims are always added."""
    normalised = normalise_domain(domain).value
    handles: dict[str, HandleSource] = {}
    if cli_handles:
        for h in cli_handles:
            handles.setdefault(h, HandleSource.CLI)
    elif settings.brand.handles:
        for h in settings.brand.handles:
            handles.setdefault(h, HandleSource.DECLARED_CONFIG)
    else:
        handles[derive_handle(normalised)] = HandleSource.DERIVED
    return BrandRequest(
        domain=normalised,
        name=name or settings.brand.name,
        handles=tuple(handles.items()),
        discover=settings.brand.discover,
    )


def jobs_for(brand: BrandRequest, adapters: Sequence[Adapter], settings: Settings) -> list[Job]:
    jobs: dict[tuple[str, str], Job] = {}
    selected = {a.id: a for a in adapters}
    for platform, handle in settings.claims.items():
        adapter = selected.get(platform)
        if adapter is not None:
            key = (platform, adapter.normalise_handle(handle))
            jobs[key] = Job(adapter, key[1], HandleSource.DECLARED_CONFIG)
    for adapter in adapters:
        for handle, source in brand.handles:
            key = (adapter.id, adapter.normalise_handle(handle))
            jobs.setdefault(key, Job(adapter, key[1], source))
    return list(jobs.values())


async def run_job(job: Job, net: NetClient, dns: DnsClient, settings: Settings) -> PlatformResult:
    adapter, handle = job.adapter, job.handle
    ctx = CheckContext(net=net, dns=dns, settings=settings, platform=adapter.id)
    problem = adapter.handle_problem(handle)
    if problem:
        verdict = Verdict(
            Status.INVALID,
            Confidence.HIGH,
            f"{handle!r} can't be a {adapter.name} handle: {problem}",
            Method.RULE,
            signal="handle rule",
        )
        return result_from_verdict(adapter, handle, verdict, [], job.source)
    deadline = settings.network.deadline
    try:
        async with asyncio.timeout(deadline):
            verdict = await adapter.check(handle, ctx)
    except TimeoutError:
        verdict = _failed(adapter, f"no verdict: the check ran past its {deadline:g}s deadline")
    except Exception as exc:
        log.debug("adapter %s failed", adapter.id, exc_info=True)
        verdict = _failed(
            adapter,
            f"no verdict: the {adapter.id} adapter failed ({type(exc).__name__}: {str(exc)[:160]})",
        )
    return result_from_verdict(adapter, handle, verdict, ctx.evidence, job.source)


def _failed(adapter: Adapter, reason: str) -> Verdict:
    return Verdict(Status.UNKNOWN, Confidence.LOW, reason, adapter.methods[0], signal="no verdict")


async def check_brand(
    brand: BrandRequest,
    adapters: Sequence[Adapter],
    settings: Settings,
    net: NetClient,
    dns: DnsClient,
    progress: ProgressCallback | None = None,
) -> Brand:
    jobs = jobs_for(brand, adapters, settings)

    async def one(job: Job) -> PlatformResult:
        result = await run_job(job, net, dns, settings)
        if progress:
            progress(f"{brand.domain}: {job.adapter.id} {job.handle} {result.status.value}")
        return result

    # --- ownership step 1 (brandaudit.ownership): the homepage is read while the planned
    # jobs run; the profiles it declares are checked too.
    from brandaudit import ownership

    results, found = await ownership.gather_with_discovery(
        brand.domain, brand.discover, jobs, adapters, net, one
    )
    order = {a.id: i for i, a in enumerate(adapters)}
    results.sort(key=lambda r: (order.get(r.platform, 999), r.handle))
    checked = Brand(
        domain=brand.domain,
        name=brand.name,
        handles=tuple(h for h, _ in brand.handles),
        platforms=tuple(results),
    )
    # --- ownership step 2 (brandaudit.ownership): ownership per result, declared-link findings.
    by_id = {a.id: a for a in adapters}
    return ownership.apply(checked, found.discovery, found.declared, by_id, settings.claims)


async def run(
    plan: RunPlan,
    settings: Settings,
    *,
    progress: ProgressCallback | None = None,
    now: Callable[[], datetime] | None = None,
) -> Report:
    dns = DnsClient(settings.network.nameservers, timeout=settings.network.dns_timeout)
    async with NetClient(settings.network) as net:
        brands = await asyncio.gather(
            *(check_brand(b, plan.adapters, settings, net, dns, progress) for b in plan.brands)
        )
    return Report(
        tool=ToolInfo(version=__version__),
        generated_at=(now or _utcnow)(),
        brands=tuple(brands),
        warnings=tuple(plan.warnings),
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)
