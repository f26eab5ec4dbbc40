"""Async orchestration: one client, every (platform, handle) check under a deadline.

Any exception an adapter raises, and any check that runs past its deadline, becomes an
``unknown`` result with the reason and the evidence gathered so far: one broken adapter never
stops the run.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import AsyncIterator, Callable, Iterable, Sequence, Sized
from dataclasses import dataclass, field
from datetime import UTC, datetime

from brandaudit import __version__
from brandaudit.cache import HttpCache
from brandaudit.config import Settings
from brandaudit.handles import derive_handle, normalise_domain
from brandaudit.jobs import Job, failed_verdict, run_job
from brandaudit.model import (
    BlueskyDomain,
    Brand,
    Cause,
    HandleSource,
    PersonResult,
    PlatformResult,
    Report,
    ToolInfo,
)
from brandaudit.net.client import NetClient, global_limit
from brandaudit.net.dns import DnsClient
from brandaudit.net.session import make_cache, open_clients
from brandaudit.platforms.base import Adapter, result_from_verdict

__all__ = ["Job", "make_cache", "run_job"]  # homes: brandaudit.jobs, brandaudit.net.session

log = logging.getLogger("brandaudit")

ProgressCallback = Callable[[str], None]
NoticeCallback = Callable[[str], None]
"""Run-level news said once (e.g. a host that stopped answering), for the progress output."""
_STALL = 0.25
"""Seconds without a finished brand after which more brands are started (see ``stream``)."""


@dataclass(frozen=True, slots=True)
class BrandRequest:
    domain: str
    name: str | None = None
    handles: tuple[tuple[str, HandleSource], ...] = ()
    discover: bool = True
    """Read the homepage for declared profiles (brandaudit.ownership); off: --no-discover."""
    lookalikes: int = 0
    """Look-alike names to watch (brandaudit.lookalikes, ``check --lookalikes``); 0: none."""


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
    *,
    lookalikes: int = 0,
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
        lookalikes=lookalikes,
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
            for each in adapter.handles_for(brand.domain, handle):
                key = (adapter.id, adapter.normalise_handle(each))
                jobs.setdefault(key, Job(adapter, key[1], source))
    return list(jobs.values())


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

    # --- bluesky domain handle (brandaudit.bluesky): verified while the platform jobs run.
    async def bluesky_domain() -> BlueskyDomain | None:
        if not any(a.id == "bluesky" for a in adapters):
            return None
        from brandaudit.bluesky import verify_domain

        return await verify_domain(brand.domain, net, dns, settings)

    # --- ownership step 1 (brandaudit.ownership): the homepage is read while the planned
    # jobs run; the profiles it declares are checked too.
    from brandaudit import ownership

    (results, found), bluesky = await asyncio.gather(
        ownership.gather_with_discovery(brand.domain, brand.discover, jobs, adapters, net, one),
        bluesky_domain(),
    )
    order = {a.id: i for i, a in enumerate(adapters)}
    results.sort(key=lambda r: (order.get(r.platform, 999), r.handle))
    checked = Brand(
        domain=brand.domain,
        name=brand.name,
        handles=tuple(h for h, _ in brand.handles),
        platforms=tuple(results),
        bluesky_domain=bluesky,
    )
    # --- ownership step 2 (brandaudit.ownership): ownership per result, declared-link findings.
    by_id = {a.id: a for a in adapters}
    owned = ownership.apply(checked, found.discovery, found.declared, by_id, settings.claims)
    done = await people_and_activity(owned, adapters, settings, net, dns, found.jsonld)
    if not brand.lookalikes:
        return done
    # --- the look-alike watch (brandaudit.lookalikes), with the website already read.
    from brandaudit import lookalikes

    async def quiet(job: Job) -> PlatformResult:
        return await run_job(job, net, dns, settings)

    return await lookalikes.watch(
        done,
        adapters,
        settings,
        net,
        quiet,
        max_variants=brand.lookalikes,
        now=_utcnow(),
        dns=dns,
    )


async def people_and_activity(
    brand: Brand,
    adapters: Sequence[Adapter],
    settings: Settings,
    net: NetClient,
    dns: DnsClient,
    jsonld: Sequence[object] = (),
) -> Brand:
    """Issue 16, after the brand's checks: its people (``[[people]]``, for the brand whose
    domain the config names, or every brand when it names none) and the website's people
    (JSON-LD), then the last activity of every claimed account."""
    configured = {normalise_domain(d).value for d in settings.brand.all_domains()}
    mine = not configured or brand.domain in configured
    if (mine and settings.people) or jsonld:
        from brandaudit import people  # here: a run without people never imports them

        page = brand.discovery.final_url or brand.discovery.url if brand.discovery else None
        brand = await people.check_people(
            brand, adapters, settings if mine else _no_people(settings), net, dns, jsonld, page
        )
    if not settings.brand.activity:
        return brand
    from brandaudit import activity

    return await activity.add_activity(brand, settings, net, dns)


def _no_people(settings: Settings) -> Settings:
    return settings.model_copy(update={"people": []})


@dataclass(frozen=True, slots=True)
class Completed:
    """One brand done: its position in the input and its result."""

    index: int
    brand: Brand


def brand_deadline(settings: Settings) -> float:
    """Seconds one brand may take, all its checks included (a safety net above the per-check
    deadline: checks wait for each other's turn under the concurrency limits)."""
    configured = settings.network.brand_deadline
    return configured if configured is not None else 3 * settings.network.deadline


def brands_in_flight(settings: Settings, adapters: Sequence[Adapter]) -> int:
    """How many brands to work on at once: enough to keep every request slot busy, no more,
    so memory does not grow with the size of the input."""
    per_brand = max(1, len(adapters))
    net = settings.network
    slots = min(global_limit(net.concurrency), net.per_host * per_brand)
    return max(2, min(1024, 2 * math.ceil(slots / per_brand)))


async def _check_within_deadline(
    brand: BrandRequest,
    adapters: Sequence[Adapter],
    settings: Settings,
    net: NetClient,
    dns: DnsClient,
    progress: ProgressCallback | None,
) -> Brand:
    limit = brand_deadline(settings)
    if brand.lookalikes:
        # Each look-alike name is a check on every platform; a platform takes per_host of
        # them at a time, each within its deadline.
        rounds = math.ceil(brand.lookalikes / settings.network.per_host)
        limit += rounds * settings.network.deadline
    try:
        async with asyncio.timeout(limit):
            return await check_brand(brand, adapters, settings, net, dns, progress)
    except TimeoutError:
        reason = f"no verdict: the brand ran past its {limit:g}s deadline"
        results = [
            result_from_verdict(
                j.adapter, j.handle, failed_verdict(j.adapter, reason, Cause.DEADLINE), [], j.source
            )
            for j in jobs_for(brand, adapters, settings)
        ]
        bluesky = None
        if any(a.id == "bluesky" for a in adapters):
            from brandaudit.bluesky import undecided

            bluesky = undecided(brand.domain, f"the brand ran past its {limit:g}s deadline")
        return Brand(
            domain=brand.domain,
            name=brand.name,
            handles=tuple(h for h, _ in brand.handles),
            platforms=tuple(results),
            bluesky_domain=bluesky,
            people=_people_out_of_time(brand, adapters, settings),
        )


def _people_out_of_time(
    brand: BrandRequest, adapters: Sequence[Adapter], settings: Settings
) -> tuple[PersonResult, ...]:
    """Issue 16: a brand past its deadline keeps its people, their required handles undecided."""
    from brandaudit import people

    configured = {normalise_domain(d).value for d in settings.brand.all_domains()}
    if configured and brand.domain not in configured:
        return ()
    return people.placeholders(settings, adapters)


def _planned_checks(brands: Iterable[BrandRequest], adapters: Sequence[Adapter]) -> int | None:
    """The checks a run will make, for ``engine = "auto"``; None (unknown) for a streamed
    input, which is never read ahead."""
    if not isinstance(brands, Sized):
        return None
    return sum(max(1, len(b.handles)) for b in brands) * max(1, len(adapters))


def _run_news(notice: NoticeCallback | None, notices: list[str] | None) -> Callable[[str], None]:
    """Where run-level news goes: told to ``notice`` as it happens, kept in ``notices``."""

    def tell(message: str) -> None:
        if notices is not None:
            notices.append(message)
        if notice is not None:
            notice(message)

    return tell


async def stream(
    brands: Iterable[BrandRequest],
    adapters: Sequence[Adapter],
    settings: Settings,
    *,
    progress: ProgressCallback | None = None,
    cache: HttpCache | None = None,
    in_flight: int | None = None,
    notice: NoticeCallback | None = None,
    notices: list[str] | None = None,
) -> AsyncIterator[Completed]:
    """Check brands as they are read from ``brands`` (consumed lazily) and yield each one as
    soon as it is done, in completion order. At most ``in_flight`` brands are held at once,
    so memory is flat in the length of the input. One event loop, one client, one cache.

    When no brand has finished for a moment and some host has nothing to do (every brand in
    flight waits on one slow host), more brands are started, up to 16 times the usual
    number, so the other hosts keep working meanwhile; memory stays bounded by that ceiling.

    Closing the generator (or cancelling its consumer, e.g. on Ctrl-C) cancels the brands in
    flight and closes the client. Run-level news (a host that stopped answering) goes to
    ``notice`` as it happens and is appended to ``notices``.
    """
    base = in_flight or brands_in_flight(settings, adapters)
    ceiling = base if in_flight else max(base, min(1024, 16 * base))
    limit = base
    clients = open_clients(
        settings,
        planned=_planned_checks(brands, adapters),
        cache=cache,
        news=_run_news(notice, notices),
    )
    source = iter(brands)
    pending: dict[asyncio.Task[Brand], int] = {}
    async with clients as opened:
        net, dns = opened.net, opened.dns
        try:
            index = 0
            exhausted = False
            while True:
                while not exhausted and len(pending) < limit:
                    request = next(source, None)
                    if request is None:
                        exhausted = True
                        break
                    task = asyncio.create_task(
                        _check_within_deadline(request, adapters, settings, net, dns, progress)
                    )
                    pending[task] = index
                    index += 1
                if not pending:
                    return
                done, _ = await asyncio.wait(
                    pending,
                    timeout=None if exhausted or limit >= ceiling else _STALL,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if not done:
                    # Stalled, while some host has nothing to do (the brands in flight all
                    # wait on a slow one): start more brands so the idle hosts get work.
                    if net.idle_hosts():
                        limit = min(ceiling, limit + base)
                    continue
                for task in sorted(done, key=pending.__getitem__):
                    position = pending.pop(task)
                    yield Completed(position, task.result())
        finally:
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)


async def run(
    plan: RunPlan,
    settings: Settings,
    *,
    progress: ProgressCallback | None = None,
    now: Callable[[], datetime] | None = None,
    cache: HttpCache | None = None,
    notice: NoticeCallback | None = None,
) -> Report:
    """Check every brand of the plan and return the whole report, brands in input order.

    The report holds every brand; for very large runs use ``stream`` (``-f jsonl``).
    """
    notices: list[str] = []
    done: list[Completed] = [
        item
        async for item in stream(
            plan.brands,
            plan.adapters,
            settings,
            progress=progress,
            cache=cache,
            notice=notice,
            notices=notices,
        )
    ]
    done.sort(key=lambda item: item.index)
    return Report(
        tool=ToolInfo(version=__version__),
        generated_at=(now or _utcnow)(),
        brands=tuple(item.brand for item in done),
        warnings=(*plan.warnings, *notices),
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)
