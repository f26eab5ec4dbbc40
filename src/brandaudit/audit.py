"""The audit core without Typer: ``run_audit(AuditRequest, Settings) -> AuditOutcome``.

What ``brandaudit check`` does between reading its flags and rendering the report, usable
from Python::

    from brandaudit import audit, config

    settings = config.resolve()
    outcome = audit.run_audit(audit.AuditRequest(domains=("acme.com",)), settings)
    print(outcome.exit_code, outcome.report.brands[0].score)

Errors a caller can cause are ``brandaudit.errors.BrandauditError`` subclasses (each with
its documented exit code); this module never prints and never exits. Warnings (a skipped
input line, a plugin that failed to load, claims outside ``platforms``) go to ``warn``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brandaudit import exits
from brandaudit.batch import BatchArgs
from brandaudit.errors import InputError
from brandaudit.exits import RunStats

if TYPE_CHECKING:
    from brandaudit.config import Settings
    from brandaudit.history.drift import Drift
    from brandaudit.model import Report
    from brandaudit.platforms.base import Adapter
    from brandaudit.platforms.registry import Registry
    from brandaudit.policy import Verdict

Warn = Callable[[str], None]
ProgressFactory = Callable[[int], contextlib.AbstractContextManager[Any]]
"""Given the number of jobs, a context manager whose value has ``update(message)``."""
AsyncRunner = Callable[[Coroutine[Any, Any, "Report"]], "Report"]


def _ignore(message: str) -> None:
    del message


@dataclass(frozen=True, slots=True)
class DriftArgs:
    """``--save`` / ``--db`` / ``--baseline`` / ``--fail-on-change``. Here, not in
    brandaudit.history, so a run without them imports nothing of the history package."""

    save: bool = False
    db: Path | None = None
    baseline: str | None = None
    fail_on_change: str | None = None

    @property
    def active(self) -> bool:
        return self.save or self.baseline is not None or self.fail_on_change is not None

    def fail_kinds(self) -> frozenset[str]:
        from brandaudit.history.diff import REGRESSIONS_FAIL_BY_DEFAULT, parse_kinds

        if self.fail_on_change is None:
            if self.baseline is None:
                return frozenset()
            return frozenset(k.value for k in REGRESSIONS_FAIL_BY_DEFAULT)
        if self.baseline is None:
            raise InputError("--fail-on-change needs --baseline last|FILE to compare with")
        try:
            return frozenset(k.value for k in parse_kinds(self.fail_on_change))
        except ValueError as exc:
            raise InputError(f"--fail-on-change: {exc}") from None


@dataclass(frozen=True, slots=True)
class AuditRequest:
    """What to audit: ``check``'s arguments, minus how the report is shown."""

    domains: tuple[str, ...] = ()
    """Brand domains; empty: ``[brand]`` domain(s) from the settings (or ``batch.input``)."""
    handles: tuple[str, ...] = ()
    """Handles to check (``-H``); empty: derived from each domain, or ``[brand] handles``."""
    platforms: tuple[str, ...] = ()
    """Platform ids to check (``-p``); empty: every platform."""
    requires: tuple[str, ...] = ()
    """Platforms where the brand's handle must be claimed (``--require``)."""
    batch: BatchArgs = field(default_factory=BatchArgs)
    """``--input`` / ``--shard`` (``--resume`` only with the streamed JSON Lines output)."""
    drift: DriftArgs | None = None
    """``--save`` / ``--db`` / ``--baseline`` / ``--fail-on-change`` (brandaudit.history)."""
    lookalikes: int = 0
    """``--lookalikes``: how many look-alike names to watch per brand (0: no watch)."""
    fail_on_suspect: bool = False
    """``--fail-on-suspect``: exit 1 when the look-alike watch finds a suspect."""


@dataclass(frozen=True, slots=True)
class AuditOutcome:
    """The judged report, the exit code it earns (0/1/3) and the run's statistics."""

    verdict: Verdict
    exit_code: int
    skipped_lines: int = 0
    """Input lines skipped as invalid (``--input``): the run is at least inconclusive."""
    plugin_warnings: tuple[str, ...] = ()
    history: Drift | None = None
    """With ``request.drift``: call ``history.finish()`` to save the run (``--save``)."""

    @property
    def report(self) -> Report:
        return self.verdict.report


@dataclass(frozen=True, slots=True)
class Prepared:
    """A request checked against the settings and the platform registry, ready to run."""

    request: AuditRequest
    settings: Settings
    registry: Registry
    adapters: list[Adapter]
    history: Drift | None

    def judge(self, report: Report) -> Verdict:
        """Claims, score, next steps and exit code; then the drift against the baseline."""
        from brandaudit import policy

        signup_urls = {a.id: a.signup_url for a in self.adapters if a.signup_url}
        verdict = policy.evaluate(report, self.settings, list(self.request.requires), signup_urls)
        return self.history.apply(verdict) if self.history is not None else verdict


def validated(request: AuditRequest, settings: Settings) -> AuditRequest:
    """The request with its domains defaulted from the settings and its handles cleaned;
    ``InputError`` when there is nothing to check."""
    from brandaudit.handles import clean_handle

    domains = request.domains
    if not domains and request.batch.input is None:
        domains = tuple(settings.brand.all_domains())
    if not domains and request.batch.input is None:
        raise InputError(
            "no domain given: pass one (brandaudit check acme.com) or set "
            "[brand] domain in brandaudit.toml"
        )
    handles = tuple(clean_handle(h) for h in request.handles)
    return replace(request, domains=domains, handles=handles)


def prepare(request: AuditRequest, settings: Settings, warn: Warn = _ignore) -> Prepared:
    """For a ``validated`` request: load the platforms, check the requested ids and the
    declared claims, narrow the claims to the selected platforms (with a warning) and open
    the history store when asked."""
    from brandaudit.platforms import registry as registry_module

    wanted = _wanted_ids(request, settings)
    registry = registry_module.load(settings, only=wanted)
    if wanted is not None and not wanted <= registry.adapters.keys():
        registry = registry_module.load(settings)  # an unknown id: its error lists every id
    platforms = platform_ids(request.platforms, registry, "--platform")
    requires = platform_ids(request.requires, registry, "--require")
    check_claims_known(settings, registry)
    # --require PLATFORM is checked even when -p narrows the run to other platforms.
    selected = [*platforms, *(r for r in requires if r not in platforms)] if platforms else []
    adapters = registry.select(selected or None)
    if selected:
        # Declared claims on platforms this run doesn't check are out of scope, not undecided:
        # `-p github` in CI must not exit 3 because [claims] also names X.
        unchecked = sorted(p for p in settings.claims if p not in selected)
        if unchecked:
            warn(f"claims not checked in this run (not selected with -p): {', '.join(unchecked)}")
            kept = {p: h for p, h in settings.claims.items() if p in selected}
            settings = settings.model_copy(update={"claims": kept})
    request = replace(request, platforms=tuple(platforms), requires=tuple(requires))
    history = _drift(request.drift, settings, warn)
    return Prepared(request, settings, registry, adapters, history)


def _wanted_ids(request: AuditRequest, settings: Settings) -> set[str] | None:
    """The platform ids a run narrowed with ``-p`` needs loaded (the selected and required
    ones, and those [claims] and [[people]] name, which are checked to exist); None (every
    platform) without ``-p``."""
    if not request.platforms:
        return None
    wanted = {i.strip().lower() for i in (*request.platforms, *request.requires)}
    wanted.update(settings.claims)
    for person in settings.people:
        wanted.update((*person.handles, *person.required))
    return wanted


def run_audit(
    request: AuditRequest,
    settings: Settings,
    *,
    warn: Warn = _ignore,
    progress: ProgressFactory | None = None,
    run_async: AsyncRunner = asyncio.run,
    prepared: Prepared | None = None,
) -> AuditOutcome:
    """Check every brand of the request and judge the report (one whole report; the CLI
    streams ``-f jsonl`` itself, brand by brand). ``run_async`` runs the coroutine (the CLI
    passes its own, which owns the signals); on any exception, nothing is saved."""
    from brandaudit import batch as batching
    from brandaudit import runner

    ready = prepared or prepare(validated(request, settings), settings, warn)
    request, settings, history = ready.request, ready.settings, ready.history
    skipped = 0
    batch = request.batch
    if batch.input is not None or batch.shard is not None or batch.resume is not None:
        domains, handles = list(request.domains), request.handles
        brands, stats = batching.plan_requests(settings, domains, handles, batch, warn)
        skipped = stats.skipped_invalid
    else:
        brands = [
            runner.plan_brand(d, settings, list(request.handles), lookalikes=request.lookalikes)
            for d in request.domains
        ]
    warnings = list(ready.registry.warnings)
    plan = runner.RunPlan(brands=brands, adapters=ready.adapters, warnings=warnings)
    for warning in warnings:
        warn(warning)
    total = sum(len(runner.jobs_for(b, ready.adapters, settings)) for b in brands)
    cache = runner.make_cache(settings, warn)
    try:
        with progress(total) if progress is not None else contextlib.nullcontext() as bar:
            update = bar.update if bar is not None else None
            report = run_async(
                runner.run(plan, settings, progress=update, cache=cache, notice=warn)
            )
    except BaseException:
        if history is not None:
            history.close()  # interrupted: nothing is saved
        raise
    verdict = ready.judge(report)
    run = RunStats(skipped, len(warnings), required=bool(request.requires))
    code = exits.combine([verdict.exit_code], run)
    if request.fail_on_suspect:
        from brandaudit.lookalikes import has_suspects

        if has_suspects(verdict.report):
            code = exits.worse(code, 1)
    return AuditOutcome(verdict, code, skipped, tuple(warnings), history)


def check_claims_known(settings: Settings, registry: Registry) -> None:
    """A typo in [claims] is a config error naming the line; unless a plugin failed to load
    (then the claim stays undecided and the run exits 3, as for any plugin failure)."""
    from brandaudit.errors import ConfigError

    if registry.warnings:
        return
    from brandaudit.config import did_you_mean

    for platform in settings.claims:
        if platform not in registry.adapters:
            known = ", ".join(sorted(registry.adapters))
            hint = did_you_mean(platform, registry.adapters)
            raise ConfigError(
                f"unknown platform {platform!r}{hint}; known: {known}",
                path=settings.source,
                key=f"claims.{platform}",
                line=settings.line_of(f"claims.{platform}"),
            )
    for index, person in enumerate(settings.people):  # [[people]] handles (brandaudit.people)
        for platform in (*person.handles, *person.required):
            if platform not in registry.adapters:
                known = ", ".join(sorted(registry.adapters))
                raise ConfigError(
                    f"unknown platform {platform!r}; known: {known}",
                    path=settings.source,
                    key=f"people.{index}.handles.{platform}",
                    line=settings.line_of(f"people.{index}.handles")
                    or settings.line_of(f"people.{index}"),
                )


def platform_ids(ids: tuple[str, ...], registry: Registry, flag: str) -> list[str]:
    """Platform ids as given (``-p``), case-insensitive; a typo gets a "did you mean"."""
    from brandaudit.config import did_you_mean

    cleaned = [i.strip().lower() for i in ids]
    for wanted in cleaned:
        if wanted not in registry.adapters:
            known = ", ".join(sorted(registry.adapters))
            hint = did_you_mean(wanted, registry.adapters)
            raise InputError(f"{flag}: unknown platform {wanted!r}{hint}; known: {known}")
    return cleaned


def _drift(args: DriftArgs | None, settings: Settings, warn: Warn) -> Drift | None:
    """--save/--baseline/--fail-on-change (brandaudit.history.drift), or None."""
    if args is None or not args.active:
        return None
    from brandaudit import __version__
    from brandaudit.history.drift import Drift

    return Drift(args, claims=dict(settings.claims), tool_version=__version__, warn=warn)
