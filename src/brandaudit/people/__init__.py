"""The brand's people (``[[people]]``): the voices that speak for the brand.

For each configured person every listed handle is checked like a brand handle (the run's own
adapters, through ``brandaudit.runner.run_job``: same verdicts, same evidence), with two
person-specific modes: LinkedIn member profiles (``/in/<slug>``, ``people.linkedin``) and
Mastodon handles on any instance (``alice@fosstodon.org``). Then:

- the Bluesky handle (``people.bluesky``): domain checks, under the brand's domain or not (with
  the setup for ``<name>.<brand domain>``), and the brand account's verification record;
- affiliation (``people.affiliation``): does each profile link back to the brand's domain;
- discovery (``people.discover``): people the website names in JSON-LD, as suggestions.

Claims for a person's required handles, next steps and the exit code are policy's job.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from brandaudit.config import PersonSettings, Settings
from brandaudit.model import (
    Affiliation,
    Brand,
    HandleSource,
    PersonBluesky,
    PersonResult,
    PlatformResult,
    SuggestedPerson,
)
from brandaudit.net.client import NetClient
from brandaudit.net.dns import DnsClient
from brandaudit.people.affiliation import affiliation
from brandaudit.people.bluesky import BrandVerifier, brand_verifier, person_bluesky
from brandaudit.people.discover import suggest_people
from brandaudit.people.linkedin import LinkedInPersonAdapter
from brandaudit.platforms.base import Adapter

__all__ = [
    "LinkedInPersonAdapter",
    "check_people",
    "person_adapter",
    "placeholders",
    "suggest_people",
]


def person_adapter(
    platform: str, handle: str, adapters: dict[str, Adapter]
) -> tuple[Adapter, str] | None:
    """The adapter and handle to check a person's ``platform`` handle with, or None when the
    platform is not part of this run (``-p``)."""
    adapter = adapters.get(platform)
    if adapter is None:
        return None
    if platform == "linkedin":
        return LinkedInPersonAdapter(), handle.strip().lstrip("@").lower()
    text = handle.strip().lstrip("@")
    if platform == "mastodon" and "@" in text:
        from brandaudit.platforms.builtin.mastodon import MastodonAdapter

        user, _, instance = text.partition("@")
        host = instance.lower().strip().strip("/")
        if user and host and not any(c in host for c in "/?#@ :"):
            return MastodonAdapter((host,)), user.lower()
    return adapter, adapter.normalise_handle(text)


async def _check_handles(
    person: PersonSettings,
    adapters: dict[str, Adapter],
    settings: Settings,
    net: NetClient,
    dns: DnsClient,
) -> list[PlatformResult]:
    from brandaudit.jobs import Job, run_job

    jobs: list[tuple[Job, str]] = []
    for platform, handle in person.handles.items():
        picked = person_adapter(platform, handle, adapters)
        if picked is not None:
            adapter, name = picked
            jobs.append((Job(adapter, name, HandleSource.DECLARED_CONFIG), handle))
    results = await asyncio.gather(*(run_job(job, net, dns, settings) for job, _ in jobs))
    out: list[PlatformResult] = []
    for (job, configured), result in zip(jobs, results, strict=True):
        shown = configured.strip().lstrip("@")
        if job.adapter.id == "mastodon" and "@" in shown:  # keep the instance in the handle
            out.append(result.model_copy(update={"handle": shown.lower()}))
        else:
            out.append(result)
    return out


@dataclass(frozen=True, slots=True)
class _BrandRun:
    """What every person of one brand is checked with."""

    brand: Brand
    domains: list[str]
    """The brand's domains, the audited one first."""
    verifier: BrandVerifier | None
    adapters: dict[str, Adapter]
    settings: Settings
    net: NetClient
    dns: DnsClient


async def _one(person: PersonSettings, run: _BrandRun, line: int | None) -> PersonResult:
    handle = person.handles.get("bluesky")
    verifier = run.verifier
    run_bluesky = handle is not None and "bluesky" in run.adapters and verifier is not None

    async def bluesky() -> PersonBluesky | None:
        if not run_bluesky or handle is None or verifier is None:
            return None
        return await person_bluesky(
            person.name, handle, run.brand, run.domains, verifier, run.settings, run.net, run.dns
        )

    results, bsky = await asyncio.gather(
        _check_handles(person, run.adapters, run.settings, run.net, run.dns), bluesky()
    )
    links: list[Affiliation] = [
        a for r in results if (a := affiliation(r, run.domains)) is not None
    ]
    return PersonResult(
        name=person.name,
        role=person.role,
        # like [claims], a required platform left out of the run (-p) is skipped, not undecided
        required=tuple(p for p in person.required if p in run.adapters),
        declared=dict(person.handles),
        handles=tuple(results),
        bluesky=bsky,
        affiliations=tuple(links),
        config_line=line,
    )


def placeholders(settings: Settings, adapters: Sequence[Adapter]) -> tuple[PersonResult, ...]:
    """The people of a brand that ran out of time: no handle checked, so each required one
    is undecided (never silently dropped from the exit code)."""
    selected = {a.id for a in adapters}
    return tuple(
        PersonResult(
            name=p.name,
            role=p.role,
            required=tuple(r for r in p.required if r in selected),
            declared=dict(p.handles),
            config_line=settings.line_of(f"people.{i}"),
        )
        for i, p in enumerate(settings.people)
    )


async def check_people(
    brand: Brand,
    adapters: Sequence[Adapter],
    settings: Settings,
    net: NetClient,
    dns: DnsClient,
    jsonld: Sequence[Any] = (),
    page: str | None = None,
) -> Brand:
    """``brand`` with its people checked and the website's people suggested."""
    by_id = {a.id: a for a in adapters}
    domains = [brand.domain, *(d for d in settings.brand.all_domains() if d != brand.domain)]
    people = settings.people
    verifier: BrandVerifier | None = None
    if "bluesky" in by_id and any("bluesky" in p.handles for p in people):
        verifier = await brand_verifier(brand, settings, net, dns)
    run = _BrandRun(brand, domains, verifier, by_id, settings, net, dns)
    checked = await asyncio.gather(
        *(_one(person, run, settings.line_of(f"people.{i}")) for i, person in enumerate(people))
    )
    suggested: tuple[SuggestedPerson, ...] = ()
    if jsonld:
        readers: list[Adapter] = [LinkedInPersonAdapter(), *adapters]
        suggested = suggest_people(
            jsonld, readers, page or f"https://{brand.domain}/", [p.name for p in people]
        )
    return brand.model_copy(update={"people": tuple(checked), "suggested_people": suggested})
