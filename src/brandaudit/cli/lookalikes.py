"""``brandaudit lookalikes``: accounts (and, with ``-p domain``, domains) that imitate the
brand's name, classified yours / suspect / unrelated. Registered in ``cli/app.py``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from brandaudit.cli.common import (
    err_console,
    guarded,
    in_github_actions,
    load_registry,
    load_settings,
    run_async,
)
from brandaudit.cli.options import (
    DEFAULT_MAX_VARIANTS,
    OUTPUT,
    AllowPrivateOption,
    ConcurrencyOption,
    ConfigOption,
    DeadlineOption,
    DiscoverOption,
    FailOnSuspectOption,
    HistoryDbOption,
    MaxVariantsOption,
    OutputOption,
    PlatformOption,
    SaveOption,
    TimeoutOption,
    network_flags,
)

if TYPE_CHECKING:
    from rich.console import Console

    from brandaudit.config import Settings
    from brandaudit.model import Report


class WatchFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    HTML = "html"


_EXTENSIONS = {
    ".json": WatchFormat.JSON,
    ".txt": WatchFormat.TABLE,
    ".md": WatchFormat.MARKDOWN,
    ".sarif": WatchFormat.SARIF,
    ".html": WatchFormat.HTML,
}


# A Typer command declares each of its options as a parameter (PLR0913 is about helpers).
def lookalikes_cmd(  # noqa: PLR0913
    domain: Annotated[str, typer.Argument(help="The brand's domain, e.g. acme.com.")],
    platform: PlatformOption = None,
    fmt: Annotated[
        WatchFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table, json, markdown, sarif or html (default: table, or from -o).",
            case_sensitive=False,
            rich_help_panel=OUTPUT,
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    handle: Annotated[
        str | None,
        typer.Option(
            "--handle",
            "-H",
            help="The brand's handle to imitate (default: derived from the domain).",
            show_default=False,
        ),
    ] = None,
    max_variants: MaxVariantsOption = DEFAULT_MAX_VARIANTS,
    fail_on_suspect: FailOnSuspectOption = False,
    config: ConfigOption = None,
    discover: DiscoverOption = True,
    save: SaveOption = False,
    db: HistoryDbOption = None,
    deadline: DeadlineOption = None,
    concurrency: ConcurrencyOption = None,
    timeout: TimeoutOption = None,
    allow_private_network: AllowPrivateOption = False,
) -> None:
    """Find accounts and domains that imitate the brand, and say whose they are.

    Look-alike names of the brand's handle (acme_official, acmesupport, the
    typos acm, acmme...) are checked on each platform; each held one is
    yours (the brand links it), suspect (not linked, and it uses the brand's
    name) or unrelated (nothing points at the brand). Add -p domain for
    look-alike domains (DNS, then RDAP). Exit 1 with --fail-on-suspect when
    any is suspect; 3 when nothing could be decided.

    \b
    Examples:
      brandaudit lookalikes acme.com
      brandaudit lookalikes acme.com -p bluesky -p threads -p domain -f json
      brandaudit lookalikes acme.com --fail-on-suspect -o lookalikes.sarif
    """

    def body() -> int:
        network = network_flags(
            timeout=timeout,
            deadline=deadline,
            concurrency=concurrency,
            allow_private_network=allow_private_network,
        )
        settings = load_settings(config, **network)
        if not discover:
            brand = settings.brand.model_copy(update={"discover": False})
            settings = settings.model_copy(update={"brand": brand})
        return _watch(
            settings,
            domain,
            platform or [],
            fmt,
            output or [],
            handle,
            max_variants,
            fail_on_suspect,
            (save, db),
        )

    raise typer.Exit(guarded(body))


def _format_for(path: Path, fmt: WatchFormat | None) -> WatchFormat:
    from brandaudit.errors import InputError

    for ending, chosen in _EXTENSIONS.items():
        if path.name.lower().endswith(ending):
            return chosen
    if fmt is not None:
        return fmt
    raise InputError(
        f"cannot tell the format of {path} from its extension "
        f"({', '.join(_EXTENSIONS)}); pass --format"
    )


def _watch(  # noqa: PLR0913
    settings: Settings,
    domain: str,
    platforms: list[str],
    fmt: WatchFormat | None,
    outputs: list[Path],
    handle: str | None,
    max_variants: int,
    fail_on_suspect: bool,
    history: tuple[bool, Path | None],
) -> int:
    from brandaudit import lookalikes
    from brandaudit.audit import platform_ids
    from brandaudit.handles import clean_handle, normalise_domain
    from brandaudit.net.session import make_cache
    from brandaudit.sinks import check_target

    normalised = normalise_domain(domain).value
    brand_handle = clean_handle(handle) if handle else None
    plans = [(path, _format_for(path, fmt)) for path in outputs]
    for path, _ in plans:
        check_target(path)
    registry = load_registry(settings)
    ids = platform_ids(tuple(platforms), registry, "--platform")
    adapters = registry.select(ids or None)
    err = err_console()
    for warning in registry.warnings:
        err.print(f"brandaudit: warning: {warning}", markup=False)
    checks = lookalikes.planned_checks(normalised, adapters, max_variants, brand_handle)
    err.print(
        f"lookalikes {normalised}: {checks} checks over {len(adapters)} platforms "
        f"(--max-variants {max_variants}; names a platform's handle rules refuse are left "
        "out); about one request each, two for a held account's ownership",
        markup=False,
    )
    cache = make_cache(settings, lambda m: err.print(f"brandaudit: warning: {m}", markup=False))
    found = run_async(
        lookalikes.run_watch(
            normalised,
            adapters,
            settings,
            max_variants=max_variants,
            handle=brand_handle,
            cache=cache,
        )
    )
    report = found.report
    _emit(report, fmt, plans, settings)
    if in_github_actions():
        _github(report, settings)
    err.print(f"lookalikes: {found.requests} requests made", markup=False)
    save, db = history
    if save:
        _save(report, db, settings, err)
    return _exit_code(report, fail_on_suspect)


def _exit_code(report: Report, fail_on_suspect: bool) -> int:
    """1 for a suspect with --fail-on-suspect; 3 when no check was decided; else 0."""
    from brandaudit.lookalikes import has_suspects

    if fail_on_suspect and has_suspects(report):
        return 1
    section = report.brands[0].lookalikes if report.brands else None
    if section is not None and section.checks and len(section.undecided) == section.checks:
        return 3
    return 0


def _render(report: Report, fmt: WatchFormat, settings: Settings) -> str:
    from brandaudit.render import Format, RenderOptions
    from brandaudit.render.lookalikes import render_watch

    options = RenderOptions()
    if fmt is WatchFormat.SARIF:  # results point at the config file's lines
        from brandaudit.cli.common import config_location

        path, lines = config_location(settings)
        options = RenderOptions(config_path=path, config_lines=lines)
    return render_watch(report, Format(fmt.value), options)


def _emit(
    report: Report,
    fmt: WatchFormat | None,
    plans: list[tuple[Path, WatchFormat]],
    settings: Settings,
) -> None:
    from brandaudit.sinks import write_atomic, write_stdout

    if not plans:
        chosen = fmt or WatchFormat.TABLE
        text = _render(report, chosen, settings)
        write_stdout(text, json=chosen in {WatchFormat.JSON, WatchFormat.SARIF})
        return
    for path, chosen in plans:
        write_atomic(path, _render(report, chosen, settings))


def _github(report: Report, settings: Settings) -> None:
    """In GitHub Actions: a ``::warning`` per suspect on stderr (at most 10) and the watch's
    Markdown appended to the job summary."""
    from brandaudit.cli.common import config_location, write_github
    from brandaudit.render.github import watch_output

    write_github(watch_output(report, *config_location(settings)))


def _save(report: Report, db: Path | None, settings: Settings, err: Console) -> None:
    from brandaudit import __version__
    from brandaudit.history.store import RunWriter, resolve_path

    path = resolve_path(db)
    writer = RunWriter(
        path, source="lookalikes", tool_version=__version__, claims=dict(settings.claims)
    )
    for brand in report.brands:
        writer.add(brand)
    run_id = writer.commit()
    err.print(f"brandaudit: saved run {run_id} to {path}", markup=False)
