"""``brandaudit check``: a brand's handles on every platform, and its Bluesky domain handle."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from brandaudit import audit, exits
from brandaudit.audit import AuditRequest, DriftArgs
from brandaudit.cli.common import (
    EmitArgs,
    batch_summary,
    check_outputs,
    emit,
    err_console,
    guarded,
    in_github_actions,
    input_line_annotation,
    load_settings,
    parse_format,
    run_async,
)
from brandaudit.cli.options import (
    DEFAULT_MAX_VARIANTS,
    AllowPrivateOption,
    BaselineOption,
    BrandDeadlineOption,
    CacheDirOption,
    CheckFormatOption,
    Color,
    ColorOption,
    ConcurrencyOption,
    ConfigOption,
    DeadlineOption,
    DiscoverOption,
    DomainsArgument,
    ExitZeroOption,
    FailOnChangeOption,
    FailOnSuspectOption,
    FailUnderOption,
    HandleOption,
    HistoryDbOption,
    InputOption,
    LookalikesOption,
    MaxVariantsOption,
    NoCacheOption,
    OutputOption,
    PerHostOption,
    PlatformOption,
    ProgressOption,
    RefreshOption,
    RequireOption,
    ResumeOption,
    SarifCategoryOption,
    SarifLocationOption,
    SaveOption,
    ShardOption,
    TimeoutOption,
    network_flags,
)

if TYPE_CHECKING:
    from rich.console import Console

    from brandaudit.config import Settings
    from brandaudit.history.drift import Drift
    from brandaudit.model import Report
    from brandaudit.render import Format


# A Typer command declares each of its options as a parameter (PLR0913 is about helpers).
def check(  # noqa: PLR0913
    domains: DomainsArgument = None,
    handle: HandleOption = None,
    platform: PlatformOption = None,
    fmt: CheckFormatOption = None,
    output: OutputOption = None,
    config: ConfigOption = None,
    require: RequireOption = None,
    timeout: TimeoutOption = None,
    deadline: DeadlineOption = None,
    concurrency: ConcurrencyOption = None,
    allow_private_network: AllowPrivateOption = False,
    color: ColorOption = Color.AUTO,
    exit_zero: ExitZeroOption = False,
    fail_under: FailUnderOption = None,
    sarif_category: SarifCategoryOption = None,
    sarif_location: SarifLocationOption = None,
    progress: ProgressOption = True,
    input_file: InputOption = None,
    resume: ResumeOption = None,
    shard: ShardOption = None,
    brand_deadline: BrandDeadlineOption = None,
    per_host: PerHostOption = None,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    refresh: RefreshOption = False,
    discover: DiscoverOption = True,
    # --- history and drift (brandaudit.history) ---
    save: SaveOption = False,
    db: HistoryDbOption = None,
    baseline: BaselineOption = None,
    fail_on_change: FailOnChangeOption = None,
    # --- the look-alike watch (brandaudit.lookalikes) ---
    lookalikes: LookalikesOption = False,
    max_variants: MaxVariantsOption = DEFAULT_MAX_VARIANTS,
    fail_on_suspect: FailOnSuspectOption = False,
) -> None:
    """Check a brand's handles on every platform (and its Bluesky domain handle).

    \b
    Examples:
      brandaudit check acme.com
      brandaudit check acme.com -H acmehq -p github -p bluesky
      brandaudit check acme.com -f json -o report.json
    """

    def body() -> int:
        from brandaudit.batch import BatchArgs
        from brandaudit.render import Format

        if lookalikes and (input_file is not None or resume is not None or shard is not None):
            from brandaudit.errors import InputError

            raise InputError(
                "--lookalikes checks the domains given on the command line (or in "
                "[brand]), not --input, --resume or --shard: run 'brandaudit lookalikes' "
                "per brand"
            )
        chosen_format = parse_format(fmt, Format)
        if lookalikes:
            from brandaudit.batch import streams

            if streams(chosen_format, output or []):
                from brandaudit.errors import InputError

                raise InputError(
                    "--lookalikes needs the whole report (table, json, markdown, sarif, "
                    "junit, html), not the streamed -f jsonl"
                )
        network = network_flags(
            timeout=timeout,
            deadline=deadline,
            concurrency=concurrency,
            allow_private_network=allow_private_network,
        )
        network.update(brand_deadline=brand_deadline, per_host=per_host)
        network.update(_cache_flags(cache_dir, no_cache, refresh))
        settings = _with_flags(load_settings(config, **network), discover, fail_under)
        request = AuditRequest(
            domains=tuple(domains or ()),
            handles=tuple(handle or ()),
            platforms=tuple(platform or ()),
            requires=tuple(require or ()),
            batch=BatchArgs.from_options(input_file, resume, shard),
            drift=DriftArgs(save, db, baseline, fail_on_change),
            lookalikes=max_variants if lookalikes else 0,
            fail_on_suspect=fail_on_suspect,
        )
        return _check(
            settings,
            request,
            chosen_format,
            output or [],
            color,
            progress,
            extra=EmitArgs(sarif_category, sarif_location, input_file, db, baseline),
            exit_zero=exit_zero,
        )

    raise typer.Exit(exits.shown(guarded(body), exit_zero))


def _cache_flags(cache_dir: Path | None, no_cache: bool, refresh: bool) -> dict[str, Any]:
    """--cache-dir, --no-cache and --refresh as network overrides."""
    flags: dict[str, Any] = {"cache_dir": str(cache_dir) if cache_dir else None}
    if no_cache:
        flags["cache"] = False
    if refresh:
        flags["cache_refresh"] = True
    return flags


def _with_flags(settings: Settings, discover: bool, fail_under: int | None) -> Settings:
    """--no-discover wins over [brand] discover; --fail-under over [policy] min_score."""
    if not discover:
        brand = settings.brand.model_copy(update={"discover": False})
        settings = settings.model_copy(update={"brand": brand})
    if fail_under is not None:
        policy_settings = settings.policy.model_copy(update={"min_score": fail_under})
        settings = settings.model_copy(update={"policy": policy_settings})
    return settings


def _check(
    settings: Settings,
    request: AuditRequest,
    fmt: Format | None,
    outputs: list[Path],
    color: Color,
    show_progress: bool,
    *,
    extra: EmitArgs | None = None,
    exit_zero: bool = False,
) -> int:
    from brandaudit import batch as batching
    from brandaudit.progress import Progress, progress_enabled

    request = audit.validated(request, settings)
    check_outputs(outputs, fmt)
    err = err_console(color)

    def warn(message: str) -> None:
        err.print(f"brandaudit: warning: {message}", markup=False, soft_wrap=True)
        if in_github_actions():
            input_line_annotation(message)

    prepared = audit.prepare(request, settings, warn)
    if batching.streams(fmt, outputs):  # -f jsonl: brands read lazily, written as they finish
        return _check_streaming(prepared, outputs, err, show_progress, warn, exit_zero=exit_zero)
    enabled = show_progress and progress_enabled()
    # Ctrl-C / SIGTERM: run_async exits 130 / 143, and nothing is saved (--save).
    outcome = audit.run_audit(
        prepared.request,
        prepared.settings,
        warn=warn,
        progress=lambda total: Progress(err, total, enabled),
        run_async=run_async,
        prepared=prepared,
    )
    emit(
        outcome.report,
        fmt,
        outputs,
        color,
        settings=prepared.settings,
        exit_code=exits.shown(outcome.exit_code, exit_zero),
        extra=extra,
    )
    return _drift_finish(outcome.history, outcome.exit_code, err)


def _check_streaming(
    prepared: audit.Prepared,
    outputs: list[Path],
    err: Console,
    show_progress: bool,
    warn: Callable[[str], None],
    *,
    exit_zero: bool,
) -> int:
    """-f jsonl: brands read lazily and written as they finish (batch.run_streaming), then
    the per-brand summary on stderr."""
    from brandaudit import batch as batching
    from brandaudit.policy import Verdict
    from brandaudit.progress import Progress, progress_enabled
    from brandaudit.render.common import BrandSummary, summarise

    settings, registry = prepared.settings, prepared.registry
    history = prepared.history
    for warning in registry.warnings:
        warn(warning)
    summaries: list[BrandSummary] = []

    def judge_and_summarise(report: Report) -> Verdict:
        verdict = prepared.judge(report)
        summaries.extend(summarise(b, settings.policy.min_score) for b in verdict.report.brands)
        return verdict

    try:
        with Progress(err, 0, show_progress and progress_enabled()) as bar:
            code = run_async(
                lambda: batching.run_streaming(
                    prepared,
                    outputs[0] if outputs else None,
                    judge=judge_and_summarise,
                    warn=warn,
                    progress=bar.update,
                )
            )
    except BaseException:
        if history is not None:
            history.close()  # interrupted: nothing is saved
        raise
    batch_summary(summaries, exits.shown(code, exit_zero), settings.policy.min_score)
    return _drift_finish(history, code, err)


def _drift_finish(history: Drift | None, code: int, err: Console) -> int:
    """Say what changed (--baseline); save the completed run (--save) and say where."""
    if history is not None:
        summary = history.summary()
        if summary:
            err.print(f"brandaudit: {summary}", markup=False, soft_wrap=True)
        run_id = history.finish()
        if run_id is not None:
            err.print(
                f"brandaudit: saved run {run_id} ({history.saved} brand(s)) to {history.db}",
                markup=False,
                soft_wrap=True,
            )
    return code
