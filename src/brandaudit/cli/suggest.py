"""``brandaudit suggest``: which handle variants are free, and which one covers the most
platforms. Registered in ``cli/app.py``."""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from brandaudit import exits
from brandaudit.cli.common import (
    err_console,
    guarded,
    load_registry,
    load_settings,
    run_async,
    terminal_width,
    use_color,
)
from brandaudit.cli.options import (
    PLATFORMS,
    AllowPrivateOption,
    Color,
    ConcurrencyOption,
    ConfigOption,
    DeadlineOption,
    ListFormat,
    ListFormatOption,
    PlatformOption,
    TimeoutOption,
    network_flags,
)

if TYPE_CHECKING:
    from brandaudit.config import Settings
    from brandaudit.model import PlatformResult
    from brandaudit.platforms.base import Adapter
    from brandaudit.variants import Coverage

MAX_CHECKS_LIMIT = 1000


@dataclass(frozen=True)
class _Suggestion:
    """What a suggest run found, for either printer."""

    domain: str
    name: str | None
    candidates: list[str]
    adapters: list[Adapter]
    results: list[PlatformResult]
    refused: dict[str, dict[str, str]]
    """platform id -> variant -> why the platform's handle rules refuse it"""
    normalise: dict[str, dict[str, str]]
    """platform id -> variant -> the handle as that platform spells it"""
    ranked: list[Coverage]
    best: Coverage | None
    checks: int
    requests: int


# A Typer command declares each of its options as a parameter (PLR0913 is about helpers).
def suggest(  # noqa: PLR0913
    domain: Annotated[str, typer.Argument(help="The brand's domain, e.g. acme.com.")],
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            "-n",
            help="Brand name for more variants (default: [brand] name), e.g. 'Acme Widgets'.",
            show_default=False,
        ),
    ] = None,
    platform: PlatformOption = None,
    max_variants: Annotated[
        int,
        typer.Option(
            "--max-variants",
            help="How many variants to try, best first (1-40).",
            min=1,
            max=40,
            rich_help_panel=PLATFORMS,
        ),
    ] = 10,
    max_checks: Annotated[
        int,
        typer.Option(
            "--max-checks",
            help="Upper bound on checks (variants x platforms); variants are dropped from "
            "the end to fit.",
            min=1,
            max=MAX_CHECKS_LIMIT,
            rich_help_panel=PLATFORMS,
        ),
    ] = 150,
    fmt: ListFormatOption = ListFormat.TABLE,
    config: ConfigOption = None,
    deadline: DeadlineOption = None,
    concurrency: ConcurrencyOption = None,
    timeout: TimeoutOption = None,
    allow_private_network: AllowPrivateOption = False,
) -> None:
    """Find a handle that is free on the most platforms.

    Variants of the brand's name (acme, acmehq, getacme...) are checked
    on each platform. A variant counts as free only where the platform
    said so: unknown answers are shown, never counted as free.
    Exit code 3 when nothing could be decided.

    \b
    Examples:
      brandaudit suggest acme.com
      brandaudit suggest acme.com --name "Acme Widgets" -p github -f json
    """

    def body() -> int:
        network = network_flags(
            timeout=timeout,
            deadline=deadline,
            concurrency=concurrency,
            allow_private_network=allow_private_network,
        )
        settings = load_settings(config, **network)
        return _suggest(settings, domain, name, platform or [], max_variants, max_checks, fmt)

    raise typer.Exit(guarded(body))


def _suggest(
    settings: Settings,
    domain: str,
    name: str | None,
    platforms: list[str],
    max_variants: int,
    max_checks: int,
    fmt: ListFormat,
) -> int:
    from brandaudit import variants as v
    from brandaudit.handles import normalise_domain

    normalised = normalise_domain(domain).value
    registry = load_registry(settings)
    adapters = registry.select(platforms or None)
    brand_name = name or settings.brand.name
    candidates = v.candidate_handles(normalised, brand_name, max_variants)

    def plan(names: list[str]) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
        allowed: dict[str, list[str]] = {}
        refused: dict[str, dict[str, str]] = {}
        for adapter in adapters:
            allowed[adapter.id], refused[adapter.id] = v.for_platform(names, adapter)
        return allowed, refused

    allowed, refused = plan(candidates)
    dropped: list[str] = []
    while sum(len(h) for h in allowed.values()) > max_checks and len(candidates) > 1:
        dropped.insert(0, candidates.pop())
        allowed, refused = plan(candidates)
    checks = sum(len(h) for h in allowed.values())
    err = err_console()
    for warning in registry.warnings:
        err.print(f"brandaudit: warning: {warning}", markup=False)
    skipped = sum(len(r) for r in refused.values())
    err.print(
        f"suggest {normalised}: {len(candidates)} variants x {len(adapters)} platforms = "
        f"{checks} checks ({skipped} left out by handle rules); about one request each, "
        "a few platforms make a second to confirm a free name",
        markup=False,
    )
    if dropped:
        err.print(
            f"suggest: --max-checks {max_checks} leaves out {', '.join(dropped)}", markup=False
        )
    results, requests = run_async(_run(settings, adapters, allowed))
    normalise = {a.id: {c: a.normalise_handle(c) for c in candidates} for a in adapters}
    ranked = v.rank(v.coverage(candidates, [a.id for a in adapters], results, refused, normalise))
    found = _Suggestion(
        domain=normalised,
        name=brand_name,
        candidates=candidates,
        adapters=adapters,
        results=results,
        refused=refused,
        normalise=normalise,
        ranked=ranked,
        best=ranked[0] if ranked and ranked[0].free_on else None,
        checks=checks,
        requests=requests,
    )
    if fmt is ListFormat.JSON:
        _print_json(found)
    else:
        _print_table(found)
        err.print(f"suggest: {requests} requests made", markup=False)
    if offline(results):
        err.print("suggest: no platform could be reached: no network?", markup=False)
    decided = [r for r in results if r.status.value != "unknown"]
    return exits.for_suggest(checks, len(decided))


async def _run(
    settings: Settings, adapters: list[Adapter], allowed: dict[str, list[str]]
) -> tuple[list[PlatformResult], int]:
    from brandaudit.jobs import Job, run_job
    from brandaudit.model import HandleSource
    from brandaudit.net.session import make_cache, open_clients

    by_id = {a.id: a for a in adapters}
    jobs = [
        Job(by_id[pid], handle, HandleSource.DERIVED)
        for pid, handles in allowed.items()
        for handle in handles
    ]
    opened = open_clients(
        settings, planned=len(jobs), cache=make_cache(settings, _warn), news=_warn
    )
    async with opened as clients:
        net, dns = clients.net, clients.dns
        results = await asyncio.gather(*(run_job(job, net, dns, settings) for job in jobs))
        return list(results), net.request_count


def _warn(message: str) -> None:
    sys.stderr.write(f"brandaudit: warning: {message}\n")


def _print_json(found: _Suggestion) -> None:
    from brandaudit.sinks import write_stdout

    payload: dict[str, Any] = {
        "domain": found.domain,
        "name": found.name,
        "variants": found.candidates,
        "platforms": [a.id for a in found.adapters],
        "checks": found.checks,
        "requests": found.requests,
        "best": found.best.model_dump(mode="json") if found.best else None,
        "ranking": [c.model_dump(mode="json") for c in found.ranked],
        "results": [
            {
                "platform": r.platform,
                "handle": r.handle,
                "status": r.status.value,
                "confidence": r.confidence.value,
                "reason": r.reason,
                "url": r.url,
            }
            for r in found.results
        ],
    }
    write_stdout(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", json=True)


def _print_table(found: _Suggestion) -> None:
    """The variants table (``render.listings.suggest_table``) on stdout."""
    from brandaudit.render.listings import suggest_table
    from brandaudit.sinks import write_stdout

    text = suggest_table(
        found.ranked,
        {a.id: a.name for a in found.adapters},
        found.candidates,
        found.best,
        width=terminal_width(),
        color=use_color(Color.AUTO, sys.stdout),
    )
    write_stdout(text)


def offline(results: list[PlatformResult]) -> bool:
    """Every check went unanswered for lack of a connection (``cause_of``): no network?"""
    from brandaudit.render.common import cause_of

    return bool(results) and all(
        r.status.value == "unknown" and cause_of(r) == "unreachable" for r in results
    )
