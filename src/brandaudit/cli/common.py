"""What every command shares: the consoles, the guarded runner (every error becomes one line
and a documented code), the one ``run_async()`` that owns SIGINT/SIGTERM, settings and
registry loading, and the report output helpers (``emit``, GitHub Actions outputs)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar, cast

import typer

from brandaudit.cli.options import Color
from brandaudit.errors import BrandauditError, InputError
from brandaudit.exitcodes import ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from brandaudit.config import Settings
    from brandaudit.history.store import Store
    from brandaudit.model import Change, Report
    from brandaudit.platforms.registry import Registry
    from brandaudit.render import Format
    from brandaudit.render.github import GithubOutput

T = TypeVar("T")


class State:
    debug = False


def err_console(color: Color = Color.AUTO) -> Console:
    """The stderr console. rich is imported when something is first printed on it: a quiet
    ``-f json`` run (no warning, no progress line) never imports rich."""
    return cast("Console", _LazyConsole(color))


def _make_err_console(color: Color) -> Console:
    from rich.console import Console

    if color is Color.ALWAYS:
        return Console(stderr=True, force_terminal=True, highlight=False)
    if color is Color.NEVER or (not os.environ.get("NO_COLOR") and force_color() is False):
        return Console(stderr=True, no_color=True, highlight=False)
    return Console(stderr=True, highlight=False)


class _LazyConsole:
    """Stands in for a rich ``Console``, made on the first attribute read."""

    __slots__ = ("_color", "_console")

    def __init__(self, color: Color) -> None:
        self._color = color
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            self._console = _make_err_console(self._color)
        return getattr(self._console, name)


def fail(message: str, code: ExitCode) -> typer.Exit:
    from brandaudit.redact import scrub

    sys.stderr.write(f"brandaudit: error: {scrub(message)}\n")
    sys.stderr.flush()
    return typer.Exit(int(code))


def print_traceback() -> None:
    from brandaudit.redact import scrub

    sys.stderr.write(scrub(traceback.format_exc()))


def guarded(fn: Callable[[], T]) -> T:
    """Run a command body: known errors -> one line + their code; anything else -> code 4."""
    try:
        return fn()
    except typer.Exit:
        raise
    except BrandauditError as exc:
        if State.debug:
            print_traceback()
        raise fail(str(exc), exc.exit_code) from None
    except KeyboardInterrupt:
        sys.stderr.write("brandaudit: interrupted\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except Terminated:
        # SIGTERM outside the run itself (e.g. while the report is written): the atomic
        # writes leave whole files, and the exit code still says what happened.
        sys.stderr.write("brandaudit: terminated\n")
        raise typer.Exit(int(ExitCode.TERMINATED)) from None
    except Exception as exc:
        if State.debug:
            print_traceback()
        hint = "" if State.debug else " (run with --debug for details)"
        raise fail(
            f"internal error: {type(exc).__name__}: {str(exc)[:200]}{hint}", ExitCode.INTERNAL
        ) from None


def load_settings(config: Path | None, **network: Any) -> Settings:
    from brandaudit import config as config_module

    return config_module.resolve(config_path=config, network_overrides=network)


def load_registry(settings: Settings) -> Registry:
    from brandaudit.platforms import registry

    return registry.load(settings)


def force_color() -> bool | None:
    """``FORCE_COLOR``: ``0``/``false``/``no`` means no colour (as Node reads it; rich alone
    would force colour for any value), any other non-empty value colour; unset: None."""
    value = os.environ.get("FORCE_COLOR", "").strip().lower()
    if not value:
        return None
    return value not in {"0", "false", "no"}


def use_color(color: Color, stream: Any) -> bool:
    if color is Color.ALWAYS:
        return True
    if color is Color.NEVER:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    forced = force_color()
    if forced is not None:
        return forced
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def terminal_width() -> int | None:
    try:
        value = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        value = 0
    if value > 0:
        return value
    if sys.stdout.isatty():
        return os.get_terminal_size(sys.stdout.fileno()).columns
    return 80


def format_for(path: Path, default: Format | None) -> Format:
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


def config_location(settings: Settings | None) -> tuple[str | None, dict[str, int]]:
    """The config file as findings should name it (relative to the working directory, i.e.
    the repository root in CI, when it lies inside it) and its key -> line index."""
    if settings is None or not settings.source:
        return None, {}
    return _shown_path(Path(settings.source)), dict(settings.source_lines)


def _shown_path(path: Path) -> str:
    """``path`` relative to the working directory (the repository root in CI) when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def workflow_path() -> str | None:
    """The running workflow file in GitHub Actions (from ``GITHUB_WORKFLOW_REF``,
    ``owner/repo/.github/workflows/x.yml@ref``), else None."""
    ref = os.environ.get("GITHUB_WORKFLOW_REF", "").strip() if in_github_actions() else ""
    repository = os.environ.get("GITHUB_REPOSITORY", "").strip()
    path = ref.split("@", 1)[0]
    if repository and path.startswith(repository + "/"):
        path = path[len(repository) + 1 :]
    return path if path.startswith(".github/workflows/") else None


@dataclass(frozen=True, slots=True)
class EmitArgs:
    """What a report's renderers need besides the report and the settings."""

    sarif_category: str | None = None
    """``--sarif-category``."""
    sarif_location: str | None = None
    """``--sarif-location``."""
    input_file: str | None = None
    """``--input``: SARIF results point at a brand's line in it."""
    history_db: Path | None = None
    """``--db``: the HTML page draws each brand's score over the saved runs."""
    baseline: str | None = None
    """``--baseline``: the brands carry their changes; without it, the HTML page shows the
    changes against the last saved run in ``--db``."""


def sarif_places(
    input_file: str | None, sarif_location: str | None
) -> tuple[str | None, dict[str, int], str | None]:
    """The ``--input`` file as results name it, its domain -> line index, and the file
    results fall back to (``--sarif-location``, else the running workflow)."""
    from brandaudit.batch import input_lines

    shown = None
    lines: dict[str, int] = {}
    if input_file and input_file != "-":
        lines = input_lines(input_file)
        shown = _shown_path(Path(input_file)) if lines else None
    fallback = sarif_location.strip() if sarif_location and sarif_location.strip() else None
    return shown, lines, fallback or workflow_path()


TREND_RUNS = 30
"""Saved runs a brand's trend line shows at most (the newest)."""
TREND_BRANDS = 200
"""Above this many brands, the HTML page draws no trend (one store query per brand)."""


def _from_store(report: Report, db: Path | None, read: Callable[[Store], T]) -> T | None:
    """``read(store)`` on the ``--db`` store, for the HTML page's extras; None without
    ``--db``, for more than ``TREND_BRANDS`` brands, or when the store is missing or
    unreadable (the page then goes without them: the run itself is unaffected)."""
    if db is None or len(report.brands) > TREND_BRANDS:
        return None
    import sqlite3

    from brandaudit.history.store import Store, resolve_path

    path = resolve_path(db)
    if not path.is_file():
        return None
    try:
        with Store(path) as store:
            return read(store)
    except (BrandauditError, OSError, ValueError, sqlite3.Error):
        return None


def score_trend(report: Report, db: Path | None) -> dict[str, tuple[int | None, ...]]:
    """Each brand's score over its saved runs in the ``--db`` store (oldest first), for the
    HTML page's trend line; empty without ``--db``, when the store is missing or unreadable."""
    found = _from_store(
        report,
        db,
        lambda store: {
            brand.domain: tuple(r.score for r in store.runs_for(brand.domain)[-TREND_RUNS:])
            for brand in report.brands
        },
    )
    return found or {}


def since_last_run(report: Report, db: Path | None) -> dict[str, tuple[Change, ...]]:
    """Each brand's changes against its last saved run in the ``--db`` store (the HTML page's
    "Since the last run" without ``--baseline``). Read before this run is saved (``Drift``
    saves at the end), so the last saved run is the one before it; empty without ``--db``,
    when the store is missing or unreadable."""
    from brandaudit.history.diff import diff

    found = _from_store(
        report, db, lambda store: {b.domain: store.latest(b.domain) for b in report.brands}
    )
    if found is None:
        return {}
    return {
        brand.domain: tuple(diff(last[1], brand))
        for brand in report.brands
        if (last := found[brand.domain]) is not None
    }


def _history_options(report: Report, extra: EmitArgs) -> dict[str, Any]:
    """What the HTML page draws from ``--db``: the trend, and (without ``--baseline``) the
    changes since the last saved run. The renderer never reads the store."""
    since = {} if extra.baseline is not None else since_last_run(report, extra.history_db)
    return {"trend": score_trend(report, extra.history_db), "since_last": since}


def in_github_actions() -> bool:
    from brandaudit.sinks import in_github_actions as actions

    return actions()


def check_outputs(outputs: list[Path], fmt: Format | None) -> None:
    """Refuse an ``-o`` that can't be written (unknown extension, missing folder) before any
    request is sent."""
    from brandaudit.sinks import check_target

    for path in outputs:
        format_for(path, fmt)
        check_target(path)


def emit(
    report: Report,
    fmt: Format | None,
    outputs: list[Path],
    color: Color,
    *,
    settings: Settings | None = None,
    exit_code: int | None = None,
    extra: EmitArgs | None = None,
) -> None:
    """Render the report to stdout (no -o) or to each -o file, atomically; in GitHub Actions
    also print annotations (stderr) and append the job summary. The one summary line goes to
    stderr when the report went to files in a terminal, and on any non-zero exit (unless the
    table already ended with it on the same terminal)."""
    import dataclasses

    from brandaudit.render import Format as F
    from brandaudit.render import RenderOptions, renderer_for
    from brandaudit.render.common import summary_line
    from brandaudit.sinks import write_atomic, write_stdout

    config_path, config_lines = config_location(settings)
    min_score = settings.policy.min_score if settings is not None else None
    extra = extra or EmitArgs()
    input_path, input_lines, fallback = sarif_places(extra.input_file, extra.sarif_location)
    base = RenderOptions(
        color=False,
        width=100,
        config_path=config_path,
        config_lines=config_lines,
        exit_code=exit_code,
        min_score=min_score,
        sarif_category=extra.sarif_category,
        input_path=input_path,
        input_lines=input_lines,
        sarif_location=fallback,
    )
    shown_on_terminal = not outputs and (fmt or F.TABLE) is F.TABLE and isatty(sys.stdout)
    if not outputs:
        chosen = fmt or F.TABLE
        options = dataclasses.replace(
            base,
            color=use_color(color, sys.stdout) and chosen is F.TABLE,
            width=terminal_width(),
            **(_history_options(report, extra) if chosen is F.HTML else {}),
        )
        renderer = renderer_for(chosen)
        write_stdout(renderer.render(report, options), json=renderer.is_json)
    else:
        from brandaudit.redact import defuse_commands

        plans = [(path, format_for(path, fmt)) for path in outputs]
        if any(file_format is F.HTML for _, file_format in plans):
            base = dataclasses.replace(base, **_history_options(report, extra))
        for path, file_format in plans:
            text = renderer_for(file_format).render(report, base)
            if file_format is F.TABLE:  # a text report someone may `cat` in a CI log
                text = defuse_commands(text)
            write_atomic(path, text)
    if in_github_actions():
        github_outputs(report, base)
    in_terminal = bool(outputs) and isatty(sys.stderr)
    if (in_terminal or (exit_code or 0) != 0) and not shown_on_terminal:
        line = summary_line(report, exit_code, min_score)
        sys.stderr.write(f"brandaudit: {line}\n")
        sys.stderr.flush()


def isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def github_outputs(report: Report, options: Any) -> None:
    """Annotations on stderr (stdout stays the report) and the Markdown job summary."""
    from brandaudit.render.github import github_output

    write_github(github_output(report, options))


def write_github(out: GithubOutput) -> None:
    """Write what ``render.github`` made: annotations on stderr, the job summary appended."""
    if out.annotations:
        sys.stderr.write(out.annotations)
        sys.stderr.flush()
    _append_summary(out.summary)


def _append_summary(markdown: str) -> None:
    """Append to ``$GITHUB_STEP_SUMMARY`` when it is set; a failure is a warning."""
    from brandaudit.errors import OutputError
    from brandaudit.sinks import append_step_summary

    summary = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
    if not summary:
        return
    try:
        append_step_summary(Path(summary), markdown)
    except OutputError as exc:
        sys.stderr.write(f"brandaudit: warning: {exc}\n")


def input_line_annotation(message: str) -> None:
    """A warning about an input line (``FILE:LINE: ...``) as a GitHub annotation on it."""
    from brandaudit.render.github import input_annotation

    annotation = input_annotation(message)
    if annotation is None or not Path(annotation.file or "").is_file():
        return
    sys.stderr.write(annotation.command() + "\n")
    sys.stderr.flush()


def batch_summary(summaries: list[Any], code: int, min_score: int | None) -> None:
    """After a streamed batch: the per-brand table (worst first) and the summary line on
    stderr (stdout may be the JSON Lines); under Actions the table as the job summary."""
    from brandaudit.render.common import summaries_line
    from brandaudit.render.table import batch_text

    if not summaries:
        return
    sys.stderr.write(batch_text(summaries, terminal_width() or 80))
    sys.stderr.write(f"brandaudit: {summaries_line(summaries, code, min_score)}\n")
    sys.stderr.flush()
    if in_github_actions():
        from brandaudit.render.github import batch_step_summary

        _append_summary(batch_step_summary(summaries))


def _handle_sigterm() -> None:
    def raise_interrupt(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    # ValueError: not the main thread (e.g. under a test runner).
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGTERM, raise_interrupt)


class Terminated(SystemExit):
    """SIGTERM, raised in the main thread so files are closed and the exit code is 143.

    A ``SystemExit`` on purpose: asyncio re-raises only ``SystemExit`` and
    ``KeyboardInterrupt`` from inside its transports and callbacks; any other exception a
    signal handler raises there (say, mid ``socket.send``) is logged as a "fatal write error"
    and swallowed, and the run then ended with exit 0. If it ever escapes, it still exits 143.
    """

    def __init__(self) -> None:
        super().__init__(int(ExitCode.TERMINATED))


def parse_format(value: str | None, enum: type[Format]) -> Format | None:
    if value is None:
        return None
    try:
        return enum(value.strip().lower())
    except ValueError:
        choices = ", ".join(f.value for f in enum)
        raise InputError(f"unknown format {value!r}; choose one of: {choices}") from None


def run_async(work: Coroutine[Any, Any, T] | Callable[[], T]) -> T:
    """Run a command's async work (a coroutine, or a callable that runs its own event loop,
    as the streamed batch does): the one place that owns the signals. Ctrl-C (SIGINT) raises
    ``KeyboardInterrupt`` and SIGTERM raises ``Terminated`` in the main thread, so files are
    closed on the way out; both end here as one line and exit 130 / 143 (``typer.Exit``, which
    the command's own ``except BaseException`` cleanup sees pass). Outside the run (a report
    being written), ``guarded`` does the same."""
    _handle_sigterm()
    try:
        if asyncio.iscoroutine(work):
            return asyncio.run(work)
        assert callable(work)
        return work()
    except KeyboardInterrupt:
        sys.stderr.write("brandaudit: interrupted\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except Terminated:
        sys.stderr.write("brandaudit: terminated\n")
        raise typer.Exit(int(ExitCode.TERMINATED)) from None
