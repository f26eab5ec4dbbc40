"""The command line. The only module that exits; every error becomes one line and a code."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from brandaudit import __version__
from brandaudit.cli_options import (
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
    ListFormat,
    ListFormatOption,
    PlatformOption,
    TimeoutOption,
    network_flags,
)
from brandaudit.errors import BrandauditError, InputError
from brandaudit.exitcodes import EXIT_CODE_HELP, ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from brandaudit.batch import BatchArgs
    from brandaudit.config import Settings
    from brandaudit.history.drift import Drift, DriftArgs
    from brandaudit.model import Report
    from brandaudit.platforms.registry import Registry
    from brandaudit.render import Format

T = TypeVar("T")

HELP = f"""Audit a brand's presence: is your handle claimed on every platform, is it really yours,
and is your Bluesky domain handle set up right?

Example: brandaudit check acme.com

{EXIT_CODE_HELP}"""

_METAVAR_NAMES = {"require": "PLATFORM", "fmt": "FORMAT", "domains": "DOMAIN", "did": "DID"}


def _plain_metavars() -> None:
    """Help shows ``--platform PLATFORM`` and ``--timeout SECONDS``, not Python types
    (``<list[str]>``, ``<float range>``) as typer >= 0.2x renders them; choices stay
    ``<a|b>``. Wraps typer's ``display_type`` where it has one (older typers never had it)."""
    import typer.core

    for cls in (
        getattr(typer.core, "TyperOption", None),
        getattr(typer.core, "TyperArgument", None),
    ):
        original = getattr(cls, "display_type", None)
        if cls is None or original is None or getattr(original, "_brandaudit", False):
            continue

        def display_type(self: Any, ctx: Any, _original: Any = original) -> str:
            shown: str = _original(self, ctx)
            label = shown.strip("<>")
            name = str(getattr(self, "name", "") or "")
            if "|" in label:
                return shown
            if label == "bool":
                return ""
            if label in {"file", "list[Path]", "Path"}:
                return "FILE"
            if label in {"dir", "path"}:
                return label.upper()
            if label.startswith("float"):
                timed = any(w in name for w in ("deadline", "timeout", "ttl"))
                return "SECONDS" if timed else "NUMBER"
            if label.startswith("int"):
                return "N"
            return _METAVAR_NAMES.get(name, name.upper())

        display_type._brandaudit = True  # type: ignore[attr-defined]
        cls.display_type = display_type


_plain_metavars()

app = typer.Typer(
    name="brandaudit",
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=True,
)


class _State:
    debug = False


def _err_console(color: Color = Color.AUTO) -> Console:
    from rich.console import Console

    if color is Color.ALWAYS:
        return Console(stderr=True, force_terminal=True, highlight=False)
    if color is Color.NEVER:
        return Console(stderr=True, no_color=True, highlight=False)
    return Console(stderr=True, highlight=False)


def _fail(message: str, code: ExitCode) -> typer.Exit:
    from brandaudit.redact import scrub

    sys.stderr.write(f"brandaudit: error: {scrub(message)}\n")
    sys.stderr.flush()
    return typer.Exit(int(code))


def _print_traceback() -> None:
    from brandaudit.redact import scrub

    sys.stderr.write(scrub(traceback.format_exc()))


def _guarded(fn: Callable[[], T]) -> T:
    """Run a command body: known errors -> one line + their code; anything else -> code 4."""
    try:
        return fn()
    except typer.Exit:
        raise
    except BrandauditError as exc:
        if _State.debug:
            _print_traceback()
        raise _fail(str(exc), exc.exit_code) from None
    except KeyboardInterrupt:
        sys.stderr.write("brandaudit: interrupted\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except _Terminated:
        # SIGTERM outside the run itself (e.g. while the report is written): the atomic
        # writes leave whole files, and the exit code still says what happened.
        sys.stderr.write("brandaudit: terminated\n")
        raise typer.Exit(int(ExitCode.TERMINATED)) from None
    except Exception as exc:
        if _State.debug:
            _print_traceback()
        hint = "" if _State.debug else " (run with --debug for details)"
        raise _fail(
            f"internal error: {type(exc).__name__}: {str(exc)[:200]}{hint}", ExitCode.INTERNAL
        ) from None


def _version_callback(value: bool) -> None:
    if value:
        lines = [f"brandaudit {__version__}"]
        from brandaudit.platforms.registry import GROUP, find_entry_points

        plugins: dict[str, str] = {}
        for ep in find_entry_points():
            dist = getattr(ep, "dist", None)
            if dist is not None and not ep.value.startswith("brandaudit."):
                plugins[str(dist.metadata["Name"])] = str(dist.version)
        for name, version in sorted(plugins.items()):
            lines.append(f"  plugin ({GROUP}): {name} {version}")
        typer.echo("\n".join(lines))
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version_callback,
            is_eager=True,
            help="Show the version (and plugin versions) and exit.",
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", envvar="BRANDAUDIT_DEBUG", help="Show tracebacks and debug logs on stderr."
        ),
    ] = False,
) -> None:
    _State.debug = debug
    if debug:
        from brandaudit.redact import RedactingFilter

        logging.basicConfig(
            level=logging.DEBUG, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
        )
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactingFilter())


# --------------------------------------------------------------------------------------
# shared helpers


def _settings(config: Path | None, **network: Any) -> Settings:
    from brandaudit import config as config_module

    return config_module.resolve(config_path=config, network_overrides=network)


def _registry(settings: Settings) -> Registry:
    from brandaudit.platforms import registry

    return registry.load(settings)


def _use_color(color: Color, stream: Any) -> bool:
    if color is Color.ALWAYS:
        return True
    if color is Color.NEVER:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _width() -> int | None:
    try:
        value = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        value = 0
    if value > 0:
        return value
    if sys.stdout.isatty():
        return os.get_terminal_size(sys.stdout.fileno()).columns
    return 80


def _format_for(path: Path, default: Format | None) -> Format:
    from brandaudit.render import EXTENSIONS, format_for_name

    fmt = format_for_name(path.name)
    if fmt is not None:
        return fmt
    if default is not None:
        return default
    known = ", ".join(sorted(EXTENSIONS))
    raise InputError(
        f"cannot tell the format of {path} from its extension ({known}); pass --format"
    )


def _config_location(settings: Settings | None) -> tuple[str | None, dict[str, int]]:
    """The config file as findings should name it (relative to the working directory, i.e.
    the repository root in CI, when it lies inside it) and its key -> line index."""
    if settings is None or not settings.source:
        return None, {}
    path = Path(settings.source)
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        shown = str(path)
    return shown, dict(settings.source_lines)


def _in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _check_outputs(outputs: list[Path], fmt: Format | None) -> None:
    """Refuse an ``-o`` that can't be written (unknown extension, missing folder) before any
    request is sent."""
    from brandaudit.sinks import check_target

    for path in outputs:
        _format_for(path, fmt)
        check_target(path)


def emit(
    report: Report,
    fmt: Format | None,
    outputs: list[Path],
    color: Color,
    *,
    settings: Settings | None = None,
    exit_code: int | None = None,
    sarif_category: str | None = None,
) -> None:
    """Render the report to stdout (no -o) or to each -o file, atomically; in GitHub Actions
    also print annotations (stderr) and append the job summary. The one summary line goes to
    stderr when the report went to files in a terminal, and on any non-zero exit (unless the
    table already ended with it on the same terminal)."""
    import dataclasses

    from brandaudit.render import Format as F
    from brandaudit.render import RenderOptions, render
    from brandaudit.render.common import summary_line
    from brandaudit.sinks import write_atomic, write_stdout

    config_path, config_lines = _config_location(settings)
    min_score = settings.policy.min_score if settings is not None else None
    base = RenderOptions(
        color=False,
        width=100,
        config_path=config_path,
        config_lines=config_lines,
        exit_code=exit_code,
        min_score=min_score,
        sarif_category=sarif_category,
    )
    shown_on_terminal = not outputs and (fmt or F.TABLE) is F.TABLE and _isatty(sys.stdout)
    if not outputs:
        chosen = fmt or F.TABLE
        options = dataclasses.replace(
            base, color=_use_color(color, sys.stdout) and chosen is F.TABLE, width=_width()
        )
        text = render(report, chosen, options)
        if chosen in {F.TABLE, F.MARKDOWN, F.JUNIT} and _in_github_actions():
            text = _protect(text)
        write_stdout(text)
    else:
        plans = [(path, _format_for(path, fmt)) for path in outputs]
        for path, file_format in plans:
            write_atomic(path, render(report, file_format, base))
    if _in_github_actions():
        _github_outputs(report, base)
    in_terminal = bool(outputs) and _isatty(sys.stderr)
    if (in_terminal or (exit_code or 0) != 0) and not shown_on_terminal:
        line = summary_line(report, exit_code, min_score)
        sys.stderr.write(f"brandaudit: {line}\n")
        sys.stderr.flush()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _protect(text: str) -> str:
    """Text reports quote servers' answers (JSON formats escape line breaks); keep the
    GitHub runner from reading any line of them as a workflow command."""
    import secrets

    token = secrets.token_hex(16)
    return f"::stop-commands::{token}\n{text}::{token}::\n"


def _github_outputs(report: Report, options: Any) -> None:
    """Annotations on stderr (stdout stays the report) and the Markdown job summary."""
    from brandaudit.errors import OutputError
    from brandaudit.render.github import annotation_commands, step_summary
    from brandaudit.sinks import append_step_summary

    lines = annotation_commands(report, options)
    if lines:
        sys.stderr.write("\n".join(lines) + "\n")
        sys.stderr.flush()
    summary = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
    if summary:
        try:
            append_step_summary(Path(summary), step_summary(report, options))
        except OutputError as exc:
            sys.stderr.write(f"brandaudit: warning: {exc}\n")


_INPUT_WHERE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+): (?P<message>.+)$", re.DOTALL)


def _input_line_annotation(message: str) -> None:
    """A warning about an input line (``FILE:LINE: ...``) as a GitHub annotation on it."""
    from brandaudit.render.github import Annotation

    match = _INPUT_WHERE.match(message)
    if match is None or not Path(match["file"]).is_file():
        return
    line = Annotation(
        "warning", "brandaudit: input", match["message"], match["file"], int(match["line"])
    )
    sys.stderr.write(line.command() + "\n")
    sys.stderr.flush()


def _batch_summary(summaries: list[Any], code: int, min_score: int | None) -> None:
    """After a streamed batch: the per-brand table (worst first) and the summary line on
    stderr (stdout may be the JSON Lines); under Actions the table as the job summary."""
    from brandaudit.errors import OutputError
    from brandaudit.render.common import batch_markdown, summaries_line
    from brandaudit.render.github import fit_summary
    from brandaudit.render.table import batch_table
    from brandaudit.sinks import append_step_summary

    if not summaries:
        return
    width = _width() or 80
    for text in batch_table(summaries, width):
        sys.stderr.write(text.plain.rstrip() + "\n")
    sys.stderr.write(f"brandaudit: {summaries_line(summaries, code, min_score)}\n")
    sys.stderr.flush()
    summary = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
    if _in_github_actions() and summary:
        from brandaudit.render.github import SUMMARY_LIMIT

        try:
            append_step_summary(
                Path(summary), fit_summary(batch_markdown(summaries), SUMMARY_LIMIT)
            )
        except OutputError as exc:
            sys.stderr.write(f"brandaudit: warning: {exc}\n")


def _handle_sigterm() -> None:
    def raise_interrupt(signum: int, frame: FrameType | None) -> None:
        raise _Terminated

    # ValueError: not the main thread (e.g. under a test runner).
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGTERM, raise_interrupt)


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so files are closed and the exit code is 143."""


# --------------------------------------------------------------------------------------
# commands


@app.command()
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

        chosen_format = _parse_format(fmt, Format)
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
        settings = _settings(config, **network)
        if not discover:  # --no-discover wins over [brand] discover
            brand = settings.brand.model_copy(update={"discover": False})
            settings = settings.model_copy(update={"brand": brand})
        if fail_under is not None:  # --fail-under wins over [policy] min_score
            policy_settings = settings.policy.model_copy(update={"min_score": fail_under})
            settings = settings.model_copy(update={"policy": policy_settings})
        return _check(
            settings,
            domains or [],
            handle or [],
            platform or [],
            require or [],
            chosen_format,
            output or [],
            color,
            progress,
            batch=BatchArgs.from_options(input_file, resume, shard),
            drift=DriftArgs(save, db, baseline, fail_on_change),
            sarif_category=sarif_category,
            exit_zero=exit_zero,
        )

    code = _guarded(body)
    if exit_zero and code in {ExitCode.FINDINGS, ExitCode.INCONCLUSIVE}:
        code = int(ExitCode.OK)
    raise typer.Exit(code)


def _check_claims_known(settings: Settings, registry: Registry) -> None:
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


def _platform_ids(ids: list[str], registry: Registry, flag: str) -> list[str]:
    """Platform ids from the command line, case-insensitive; a typo gets a "did you mean"."""
    from brandaudit.config import did_you_mean

    cleaned = [i.strip().lower() for i in ids]
    for wanted in cleaned:
        if wanted not in registry.adapters:
            known = ", ".join(sorted(registry.adapters))
            hint = did_you_mean(wanted, registry.adapters)
            raise InputError(f"{flag}: unknown platform {wanted!r}{hint}; known: {known}")
    return cleaned


def _parse_format(value: str | None, enum: type[Format]) -> Format | None:
    if value is None:
        return None
    try:
        return enum(value.strip().lower())
    except ValueError:
        choices = ", ".join(f.value for f in enum)
        raise InputError(f"unknown format {value!r}; choose one of: {choices}") from None


def _check(
    settings: Settings,
    domains: list[str],
    handles: list[str],
    platforms: list[str],
    requires: list[str],
    fmt: Format | None,
    outputs: list[Path],
    color: Color,
    show_progress: bool,
    *,
    batch: BatchArgs | None = None,
    drift: DriftArgs | None = None,
    sarif_category: str | None = None,
    exit_zero: bool = False,
) -> int:
    import asyncio

    from brandaudit import batch as batching
    from brandaudit import policy, runner
    from brandaudit.handles import clean_handle
    from brandaudit.progress import Progress, progress_enabled

    batch = batch or batching.BatchArgs()
    if not domains and batch.input is None:
        domains = settings.brand.all_domains()
    if not domains and batch.input is None:
        raise InputError(
            "no domain given: pass one (brandaudit check acme.com) or set "
            "[brand] domain in brandaudit.toml"
        )
    cli_handles = [clean_handle(h) for h in handles]
    _check_outputs(outputs, fmt)
    registry = _registry(settings)
    platforms = _platform_ids(platforms, registry, "--platform")
    requires = _platform_ids(requires, registry, "--require")
    _check_claims_known(settings, registry)
    # --require PLATFORM is checked even when -p narrows the run to other platforms.
    selected = [*platforms, *(r for r in requires if r not in platforms)] if platforms else []
    adapters = registry.select(selected or None)
    err = _err_console(color)

    def warn(message: str) -> None:
        err.print(f"brandaudit: warning: {message}", markup=False, soft_wrap=True)
        if _in_github_actions():
            _input_line_annotation(message)

    if selected:
        # Declared claims on platforms this run doesn't check are out of scope, not undecided:
        # `-p github` in CI must not exit 3 because [claims] also names X.
        unchecked = sorted(p for p in settings.claims if p not in selected)
        if unchecked:
            warn(f"claims not checked in this run (not selected with -p): {', '.join(unchecked)}")
            kept = {p: h for p, h in settings.claims.items() if p in selected}
            settings = settings.model_copy(update={"claims": kept})

    signup_urls = {a.id: a.signup_url for a in adapters if a.signup_url}
    history = _drift(drift, settings, warn)

    def judge(report: Report) -> policy.Verdict:
        verdict = policy.evaluate(report, settings, requires, signup_urls)
        return history.apply(verdict) if history is not None else verdict

    if batching.streams(fmt, outputs):  # -f jsonl: brands read lazily, written as they finish
        for warning in registry.warnings:
            warn(warning)
        _handle_sigterm()
        from brandaudit.render.common import BrandSummary, summarise

        summaries: list[BrandSummary] = []

        def judge_and_summarise(report: Report) -> policy.Verdict:
            verdict = judge(report)
            summaries.extend(summarise(b, settings.policy.min_score) for b in verdict.report.brands)
            return verdict

        try:
            with Progress(err, 0, show_progress and progress_enabled()) as bar:
                code = batching.run_streaming(
                    settings,
                    domains,
                    tuple(cli_handles),
                    adapters,
                    requires,
                    registry.warnings,
                    outputs[0] if outputs else None,
                    batch,
                    judge=judge_and_summarise,
                    warn=warn,
                    progress=bar.update,
                )
        except _Terminated:
            sys.stderr.write("brandaudit: terminated\n")
            return int(ExitCode.TERMINATED)  # nothing is saved (--save)
        except BaseException:
            if history is not None:
                history.close()  # interrupted: nothing is saved
            raise
        _batch_summary(summaries, _shown_code(code, exit_zero), settings.policy.min_score)
        return _drift_finish(history, code, err)
    skipped = 0
    if batch.input is not None or batch.shard is not None or batch.resume is not None:
        brands, stats = batching.plan_requests(settings, domains, tuple(cli_handles), batch, warn)
        skipped = stats.skipped_invalid
    else:
        brands = [runner.plan_brand(d, settings, cli_handles) for d in domains]
    plan = runner.RunPlan(brands=brands, adapters=adapters, warnings=list(registry.warnings))
    for warning in registry.warnings:
        warn(warning)
    total = sum(len(runner.jobs_for(b, adapters, settings)) for b in brands)
    cache = runner.make_cache(settings, warn)
    _handle_sigterm()
    try:
        with Progress(err, total, show_progress and progress_enabled()) as bar:
            report = asyncio.run(
                runner.run(plan, settings, progress=bar.update, cache=cache, notice=warn)
            )
    except _Terminated:
        sys.stderr.write("brandaudit: terminated\n")
        return int(ExitCode.TERMINATED)  # nothing is saved (--save)
    except BaseException:
        if history is not None:
            history.close()  # interrupted: nothing is saved
        raise
    verdict = judge(report)
    code = verdict.exit_code
    if code is ExitCode.OK and ((registry.warnings and requires) or skipped):
        code = ExitCode.INCONCLUSIVE
    emit(
        verdict.report,
        fmt,
        outputs,
        color,
        settings=settings,
        exit_code=_shown_code(int(code), exit_zero),
        sarif_category=sarif_category,
    )
    return _drift_finish(history, int(code), err)


def _drift(args: DriftArgs | None, settings: Settings, warn: Callable[[str], None]) -> Drift | None:
    """check --save/--baseline/--fail-on-change (brandaudit.history.drift), or None."""
    if args is None or not args.active:
        return None
    from brandaudit.history.drift import Drift

    return Drift(args, claims=dict(settings.claims), tool_version=__version__, warn=warn)


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


def _shown_code(code: int, exit_zero: bool) -> int:
    """The code the process will exit with, as the summary line says it (--exit-zero)."""
    if exit_zero and code in {ExitCode.FINDINGS, ExitCode.INCONCLUSIVE}:
        return int(ExitCode.OK)
    return code


@app.command("platforms")
def platforms_cmd(
    fmt: ListFormatOption = ListFormat.TABLE,
    config: ConfigOption = None,
) -> None:
    """List the platforms brandaudit can check: id, name, method, handle rule, credentials."""

    def body() -> int:
        settings = _settings(config)
        registry = _registry(settings)
        rows: list[dict[str, Any]] = []
        for adapter in registry.adapters.values():
            rows.append(
                {
                    "id": adapter.id,
                    "name": adapter.name,
                    "methods": [m.value for m in adapter.methods],
                    "handle_rule": adapter.describe_rule(),
                    "profile_url": adapter.profile_template,
                    "credentials": [
                        {"name": c.name, "env": list(c.env), "purpose": c.purpose}
                        for c in adapter.credentials
                    ],
                }
            )
        if fmt is ListFormat.JSON:
            from brandaudit.sinks import write_stdout

            write_stdout(
                json.dumps({"platforms": rows, "warnings": registry.warnings}, indent=2) + "\n"
            )
        else:
            from rich.console import Console
            from rich.table import Table
            from rich.text import Text

            width = _width() or 80
            console = Console(width=width, highlight=False)
            if width >= 110:
                table = Table(pad_edge=False)
                for column in ("Id", "Name", "Method", "Handle rule", "Credentials"):
                    # Only the handle rule wraps (between words); the rest are never split.
                    rule = column == "Handle rule"
                    table.add_column(
                        column, no_wrap=not rule, overflow="fold" if rule else "ellipsis"
                    )
                for row in rows:
                    # The conventional variable (last); -f json lists every alias.
                    creds = "\n".join(c["env"][-1] for c in row["credentials"] if c["env"])
                    cells = (row["id"], row["name"], "\n".join(row["methods"]))
                    # Plain Text: user-defined names and regexes must not be read as markup.
                    table.add_row(*(Text(c) for c in (*cells, row["handle_rule"], creds or "-")))
                console.print(table)
            else:
                # Narrow terminals: one line of names, then the rule, wrapped between words.
                import textwrap

                for row in rows:
                    creds = ", ".join(c["env"][-1] for c in row["credentials"] if c["env"])
                    head = f"{row['id']} ({row['name']}): {', '.join(row['methods'])}"
                    console.print(Text(head, style="bold"), soft_wrap=True)
                    lines = textwrap.wrap(
                        f"handle: {row['handle_rule']}",
                        width=max(width - 2, 20),
                        break_long_words=False,
                        break_on_hyphens=False,
                    )
                    if creds:
                        lines += textwrap.wrap(
                            f"credentials: {creds}",
                            width=max(width - 2, 20),
                            break_long_words=False,
                            break_on_hyphens=False,
                        )
                    for line in lines:
                        console.print(Text(f"  {line}"), soft_wrap=True)
            for warning in registry.warnings:
                _err_console().print(f"brandaudit: warning: {warning}", markup=False)
        return 0

    raise typer.Exit(_guarded(body))


@app.command()
def schema() -> None:
    """Print the JSON schema of the report (-f json)."""

    def body() -> int:
        from brandaudit.model import Report
        from brandaudit.sinks import write_stdout

        write_stdout(json.dumps(Report.model_json_schema(mode="serialization"), indent=2) + "\n")
        return 0

    raise typer.Exit(_guarded(body))


# --------------------------------------------------------------------------------------
# entry point


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: usage errors as one line with exit 2, never a traceback."""
    from typer._click import exceptions as click_exceptions

    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="brandaudit", standalone_mode=False)
    except click_exceptions.NoArgsIsHelpError as exc:
        if exc.ctx is not None:
            typer.echo(exc.ctx.get_help())
        sys.exit(int(ExitCode.USAGE))
    except click_exceptions.UsageError as exc:
        command_path = exc.ctx.command_path if exc.ctx is not None else "brandaudit"
        sys.stderr.write(
            f"brandaudit: error: {exc.format_message()} (see '{command_path} --help')\n"
        )
        sys.exit(int(ExitCode.USAGE))
    except click_exceptions.ClickException as exc:
        sys.stderr.write(f"brandaudit: error: {exc.format_message()}\n")
        sys.exit(int(ExitCode.USAGE))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("brandaudit: interrupted\n")
        sys.exit(int(ExitCode.INTERRUPTED))
    sys.exit(code if isinstance(code, int) else 0)


# --- command modules ---
# Each imports ``app`` from here and registers its commands (keep heavy imports lazy inside).
import brandaudit.cli_bluesky  # noqa: E402
import brandaudit.cli_history  # noqa: E402
import brandaudit.cli_init  # noqa: E402
import brandaudit.cli_merge  # noqa: E402
import brandaudit.cli_selfcheck  # noqa: E402
import brandaudit.cli_suggest  # noqa: E402, F401
