"""``brandaudit check``: a brand's handles on every platform, and its Bluesky domain handle."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from brandaudit import audit, exits
from brandaudit.audit import AuditRequest
from brandaudit.cli.common import (
    Terminated,
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
    BATCH,
    NETWORK,
    OUTPUT,
    PLATFORMS,
    POLICY,
    AllowPrivateOption,
    Color,
    ColorOption,
    ConcurrencyOption,
    ConfigOption,
    DeadlineOption,
    PlatformOption,
    TimeoutOption,
    network_flags,
)
from brandaudit.exitcodes import ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from brandaudit.config import Settings
    from brandaudit.history.drift import Drift
    from brandaudit.model import Report
    from brandaudit.render import Format


def check(
    domains: Annotated[
        list[str] | None,
        typer.Argument(
            help="Brand domains, e.g. acme.com. Default: [brand] domain(s) from the config.",
            show_default=False,
        ),
    ] = None,
    handle: Annotated[
        list[str] | None,
        typer.Option(
            "--handle",
            "-H",
            help="Handle to check (repeatable). Default: derived from the domain "
            "(acme.co.uk -> acme), or [brand] handles.",
            show_default=False,
            rich_help_panel=PLATFORMS,
        ),
    ] = None,
    platform: PlatformOption = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format: table, json, jsonl, markdown, sarif, junit or html (default: "
            "table, or from the -o extension: .txt .json .jsonl .md .sarif .sarif.json .xml "
            ".junit.xml .html).",
            envvar="BRANDAUDIT_FORMAT",
            show_default=False,
            rich_help_panel=OUTPUT,
        ),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to FILE (repeatable; format from the "
            "extension). Written atomically.",
            show_default=False,
            rich_help_panel=OUTPUT,
            dir_okay=False,
        ),
    ] = None,
    config: ConfigOption = None,
    require: Annotated[
        list[str] | None,
        typer.Option(
            "--require",
            "-r",
            help="Fail (exit 1) unless the brand's handle is claimed on PLATFORM (repeatable).",
            show_default=False,
            rich_help_panel=POLICY,
        ),
    ] = None,
    timeout: TimeoutOption = None,
    deadline: DeadlineOption = None,
    concurrency: ConcurrencyOption = None,
    allow_private_network: AllowPrivateOption = False,
    color: ColorOption = Color.AUTO,
    exit_zero: Annotated[
        bool,
        typer.Option(
            "--exit-zero",
            envvar="BRANDAUDIT_EXIT_ZERO",
            help="Exit 0 even when a required claim fails (1) or is undecided (3), e.g. when "
            "code scanning reads the SARIF. Errors still exit 2 or 4.",
            rich_help_panel=POLICY,
        ),
    ] = False,
    fail_under: Annotated[
        int | None,
        typer.Option(
            "--fail-under",
            metavar="SCORE",
            envvar="BRANDAUDIT_FAIL_UNDER",
            help="Exit 1 when a brand's readiness score is below SCORE (0-100); exit 3 when "
            "nothing could be scored. Default: [policy] min_score.",
            show_default=False,
            rich_help_panel=POLICY,
            min=0,
            max=100,
        ),
    ] = None,
    sarif_category: Annotated[
        str | None,
        typer.Option(
            "--sarif-category",
            metavar="ID",
            envvar="BRANDAUDIT_SARIF_CATEGORY",
            help="SARIF automationDetails.id, as upload-sarif's category sets it "
            "(default: brandaudit/).",
            show_default=False,
            rich_help_panel=OUTPUT,
        ),
    ] = None,
    progress: Annotated[
        bool,
        typer.Option(
            "--progress/--no-progress",
            help="Progress on stderr (default: only on a terminal outside CI).",
            rich_help_panel=OUTPUT,
        ),
    ] = True,
    input_file: Annotated[
        str | None,
        typer.Option(
            "--input",
            "-i",
            metavar="FILE",
            help="Read brands from FILE: one domain per line (# comments), or CSV with a "
            "domain column (and name, handles). '-' reads stdin.",
            show_default=False,
            rich_help_panel=BATCH,
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            help="Skip brands already in this JSON Lines file (a torn last line is redone). "
            "With -f jsonl -o FILE on the same file, new lines are appended.",
            show_default=False,
            rich_help_panel=BATCH,
            dir_okay=False,
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="K/N",
            help="Check only shard K of N (K/N, 0-based): every N-th input entry from K.",
            show_default=False,
            rich_help_panel=BATCH,
        ),
    ] = None,
    brand_deadline: Annotated[
        float | None,
        typer.Option(
            "--brand-deadline",
            help="Seconds allowed for one brand, all its checks included "
            "(default: 3 x --deadline).",
            envvar="BRANDAUDIT_BRAND_DEADLINE",
            show_default=False,
            rich_help_panel=NETWORK,
            min=0.1,
            max=3600,
        ),
    ] = None,
    per_host: Annotated[
        int | None,
        typer.Option(
            "--per-host",
            help="Requests in flight at once to one host.",
            envvar="BRANDAUDIT_PER_HOST",
            show_default=False,
            rich_help_panel=NETWORK,
            min=1,
            max=1024,
        ),
    ] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            help="HTTP cache folder (default: the user cache dir, e.g. ~/.cache/brandaudit).",
            envvar="BRANDAUDIT_CACHE_DIR",
            show_default=False,
            rich_help_panel=NETWORK,
            file_okay=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            envvar="BRANDAUDIT_NO_CACHE",
            help="Don't read or write the HTTP cache.",
            rich_help_panel=NETWORK,
        ),
    ] = False,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh",
            help="Ask every platform again (ignore cached answers, store the new ones).",
            rich_help_panel=NETWORK,
        ),
    ] = False,
    discover: Annotated[
        bool,
        typer.Option(
            "--discover/--no-discover",
            envvar="BRANDAUDIT_DISCOVER",
            help="Read the brand's homepage for the profiles it links to (checked too, and "
            "used for ownership). Default: on, or [brand] discover.",
            rich_help_panel=PLATFORMS,
        ),
    ] = True,
    # --- history and drift (brandaudit.history) ---
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Save this run (every brand's result) to the history store.",
            rich_help_panel="History",
        ),
    ] = False,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="History store (default: history.sqlite3 in the user data dir).",
            envvar="BRANDAUDIT_DB",
            show_default=False,
            rich_help_panel="History",
            dir_okay=False,
        ),
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            metavar="last|FILE",
            help="Compare with the last saved run, or a previous -f json/jsonl report, and "
            "list each brand's changes.",
            show_default=False,
            rich_help_panel="History",
        ),
    ] = None,
    fail_on_change: Annotated[
        str | None,
        typer.Option(
            "--fail-on-change",
            metavar="KIND[,KIND]",
            help="Exit 1 on these changes (default with --baseline: lost,bluesky_changed). "
            "Kinds: lost, taken, gained, ownership_changed, bluesky_changed, score_changed, "
            "declared_link_changed, not_rechecked.",
            show_default=False,
            rich_help_panel="History",
        ),
    ] = None,
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
        from brandaudit.history.drift import DriftArgs
        from brandaudit.render import Format

        chosen_format = parse_format(fmt, Format)
        network = network_flags(
            timeout=timeout,
            deadline=deadline,
            concurrency=concurrency,
            allow_private_network=allow_private_network,
        )
        network.update(brand_deadline=brand_deadline, per_host=per_host)
        network.update(cache_dir=str(cache_dir) if cache_dir else None)
        if no_cache:
            network["cache"] = False
        if refresh:
            network["cache_refresh"] = True
        settings = load_settings(config, **network)
        if not discover:  # --no-discover wins over [brand] discover
            brand = settings.brand.model_copy(update={"discover": False})
            settings = settings.model_copy(update={"brand": brand})
        if fail_under is not None:  # --fail-under wins over [policy] min_score
            policy_settings = settings.policy.model_copy(update={"min_score": fail_under})
            settings = settings.model_copy(update={"policy": policy_settings})
        request = AuditRequest(
            domains=tuple(domains or ()),
            handles=tuple(handle or ()),
            platforms=tuple(platform or ()),
            requires=tuple(require or ()),
            batch=BatchArgs.from_options(input_file, resume, shard),
            drift=DriftArgs(save, db, baseline, fail_on_change),
        )
        return _check(
            settings,
            request,
            chosen_format,
            output or [],
            color,
            progress,
            sarif_category=sarif_category,
            exit_zero=exit_zero,
        )

    raise typer.Exit(exits.shown(guarded(body), exit_zero))


def _check(
    settings: Settings,
    request: AuditRequest,
    fmt: Format | None,
    outputs: list[Path],
    color: Color,
    show_progress: bool,
    *,
    sarif_category: str | None = None,
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
    try:
        outcome = audit.run_audit(
            prepared.request,
            prepared.settings,
            warn=warn,
            progress=lambda total: Progress(err, total, enabled),
            run_async=run_async,
            prepared=prepared,
        )
    except Terminated:
        sys.stderr.write("brandaudit: terminated\n")
        return int(ExitCode.TERMINATED)  # nothing is saved (--save)
    emit(
        outcome.report,
        fmt,
        outputs,
        color,
        settings=prepared.settings,
        exit_code=exits.shown(outcome.exit_code, exit_zero),
        sarif_category=sarif_category,
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

    request, settings, registry = prepared.request, prepared.settings, prepared.registry
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
                    settings,
                    list(request.domains),
                    request.handles,
                    prepared.adapters,
                    list(request.requires),
                    registry.warnings,
                    outputs[0] if outputs else None,
                    request.batch,
                    judge=judge_and_summarise,
                    warn=warn,
                    progress=bar.update,
                )
            )
    except Terminated:
        sys.stderr.write("brandaudit: terminated\n")
        return int(ExitCode.TERMINATED)  # nothing is saved (--save)
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
