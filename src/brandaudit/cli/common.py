"""What every command shares: the consoles, the guarded runner (every error becomes one line
and a documented code), the one ``run_async()`` that owns SIGINT/SIGTERM, settings and
registry loading, and the report output helpers (``emit``, GitHub Actions outputs)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable, Coroutine
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
    from brandaudit.model import Report
    from brandaudit.platforms.registry import Registry
    from brandaudit.render import Format

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
    if color is Color.NEVER:
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


def use_color(color: Color, stream: Any) -> bool:
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
    path = Path(settings.source)
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        shown = str(path)
    return shown, dict(settings.source_lines)


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


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

    config_path, config_lines = config_location(settings)
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
    shown_on_terminal = not outputs and (fmt or F.TABLE) is F.TABLE and isatty(sys.stdout)
    if not outputs:
        chosen = fmt or F.TABLE
        options = dataclasses.replace(
            base, color=use_color(color, sys.stdout) and chosen is F.TABLE, width=terminal_width()
        )
        text = render(report, chosen, options)
        if chosen in {F.TABLE, F.MARKDOWN, F.JUNIT} and in_github_actions():
            text = protect(text)
        write_stdout(text)
    else:
        plans = [(path, format_for(path, fmt)) for path in outputs]
        for path, file_format in plans:
            write_atomic(path, render(report, file_format, base))
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


def protect(text: str) -> str:
    """Text reports quote servers' answers (JSON formats escape line breaks); keep the
    GitHub runner from reading any line of them as a workflow command."""
    import secrets

    token = secrets.token_hex(16)
    return f"::stop-commands::{token}\n{text}::{token}::\n"


def github_outputs(report: Report, options: Any) -> None:
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


INPUT_WHERE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+): (?P<message>.+)$", re.DOTALL)


def input_line_annotation(message: str) -> None:
    """A warning about an input line (``FILE:LINE: ...``) as a GitHub annotation on it."""
    from brandaudit.render.github import Annotation

    match = INPUT_WHERE.match(message)
    if match is None or not Path(match["file"]).is_file():
        return
    line = Annotation(
        "warning", "brandaudit: input", match["message"], match["file"], int(match["line"])
    )
    sys.stderr.write(line.command() + "\n")
    sys.stderr.flush()


def batch_summary(summaries: list[Any], code: int, min_score: int | None) -> None:
    """After a streamed batch: the per-brand table (worst first) and the summary line on
    stderr (stdout may be the JSON Lines); under Actions the table as the job summary."""
    from brandaudit.errors import OutputError
    from brandaudit.render.common import summaries_line
    from brandaudit.render.github import fit_summary
    from brandaudit.render.markdown import batch_markdown
    from brandaudit.render.table import batch_table
    from brandaudit.sinks import append_step_summary

    if not summaries:
        return
    width = terminal_width() or 80
    for text in batch_table(summaries, width):
        sys.stderr.write(text.plain.rstrip() + "\n")
    sys.stderr.write(f"brandaudit: {summaries_line(summaries, code, min_score)}\n")
    sys.stderr.flush()
    summary = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
    if in_github_actions() and summary:
        from brandaudit.render.github import SUMMARY_LIMIT

        try:
            append_step_summary(
                Path(summary), fit_summary(batch_markdown(summaries), SUMMARY_LIMIT)
            )
        except OutputError as exc:
            sys.stderr.write(f"brandaudit: warning: {exc}\n")


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
    closed and ``guarded`` turns them into exit 130 / 143."""
    _handle_sigterm()
    if asyncio.iscoroutine(work):
        return asyncio.run(work)
    assert callable(work)
    return work()
