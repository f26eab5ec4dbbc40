"""Turning declared profiles into checks: each one is checked like any other handle."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from brandaudit.model import DeclaredProfile, DeclaredVia, HandleSource, PlatformResult
from brandaudit.ownership.assess import profile_key
from brandaudit.ownership.discover import DiscoveryResult, discover, skipped
from brandaudit.platforms.base import Adapter

if TYPE_CHECKING:
    from brandaudit.jobs import Job
    from brandaudit.net.client import NetClient

MAX_DECLARED_PER_PLATFORM = 3
"""A homepage listing its team's GitHub accounts declares many; the brand's own come first
(JSON-LD and rel="me" before plain links), and only this many are checked per platform."""
_STRENGTH = {DeclaredVia.JSON_LD: 0, DeclaredVia.REL_ME: 1, DeclaredVia.LINK: 2}


def select_declared(
    declared: Sequence[DeclaredProfile], adapters: Sequence[Adapter]
) -> tuple[list[DeclaredProfile], list[str]]:
    """The declared profiles to check (on the run's platforms, strongest first, capped per
    platform), and a note for each platform where some were left out."""
    selected = {a.id for a in adapters}
    by_platform: dict[str, list[DeclaredProfile]] = {}
    for profile in declared:
        if profile.platform in selected:
            by_platform.setdefault(profile.platform, []).append(profile)
    kept: list[DeclaredProfile] = []
    notes: list[str] = []
    for platform, profiles in by_platform.items():
        ranked = sorted(profiles, key=lambda p: min(_STRENGTH[v] for v in p.found_in))
        kept.extend(ranked[:MAX_DECLARED_PER_PLATFORM])
        if len(ranked) > MAX_DECLARED_PER_PLATFORM:
            left = ", ".join(p.handle for p in ranked[MAX_DECLARED_PER_PLATFORM:])
            notes.append(
                f"the homepage links to {len(ranked)} {platform} profiles; checked the first "
                f"{MAX_DECLARED_PER_PLATFORM}, not: {left}"
            )
    return kept, notes


def add_declared_jobs(
    jobs: Sequence[Job], declared: Sequence[DeclaredProfile], adapters: Sequence[Adapter]
) -> list[Job]:
    """``jobs`` plus a job for each declared profile not already planned. A planned job for
    the same account whose handle was only derived from the domain is marked as declared by
    the website; handles from the command line or the config keep their source."""
    from brandaudit.jobs import Job

    by_id = {a.id: a for a in adapters}
    out = list(jobs)
    index = {profile_key(j.adapter.id, j.handle, by_id): i for i, j in enumerate(out)}
    for profile in declared:
        adapter = by_id.get(profile.platform)
        if adapter is None:
            continue
        key = profile_key(profile.platform, profile.handle, by_id)
        existing = index.get(key)
        if existing is None:
            index[key] = len(out)
            out.append(
                Job(
                    adapter, adapter.normalise_handle(profile.handle), HandleSource.DECLARED_WEBSITE
                )
            )
        elif out[existing].source is HandleSource.DERIVED:
            out[existing] = replace(out[existing], source=HandleSource.DECLARED_WEBSITE)
    return out


async def gather_with_discovery(
    domain: str,
    enabled: bool,
    jobs: Sequence[Job],
    adapters: Sequence[Adapter],
    net: NetClient,
    run_one: Callable[[Job], Awaitable[PlatformResult]],
) -> tuple[list[PlatformResult], DiscoveryResult]:
    """Run the planned ``jobs`` while the homepage is read, then the declared profiles that
    weren't planned. Results keep the planned order, declared ones follow; a derived handle the
    website also declares is reported with ``handle_source = declared_website``."""
    planned = [asyncio.ensure_future(run_one(job)) for job in jobs]
    try:
        if enabled:
            found = await discover(domain, adapters, net)
            kept, notes = select_declared(found.declared, adapters)
            if notes:
                found.discovery = found.discovery.model_copy(
                    update={"notes": (*found.discovery.notes, *notes)}
                )
            found.declared = kept
        else:
            found = skipped(domain)
        merged = add_declared_jobs(jobs, found.declared, adapters)
        extra = [run_one(job) for job in merged[len(jobs) :]]
        results = list(await asyncio.gather(*planned, *extra))
    except BaseException:
        for task in planned:
            task.cancel()
        await asyncio.gather(*planned, return_exceptions=True)
        raise
    for i, (before, after) in enumerate(zip(jobs, merged, strict=False)):
        if after.source is not before.source:
            results[i] = results[i].model_copy(update={"handle_source": after.source})
    return results, found
