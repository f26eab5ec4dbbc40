"""Large runs: brands read lazily from a file, sharded, resumed, and streamed out as JSON Lines.

Input (``--input FILE``, ``-`` for stdin) is either

- one domain per line; blank lines and ``#`` comments (whole-line or trailing) are skipped; or
- CSV whose header row has a ``domain`` column, and optionally ``name`` and ``handles``
  (handles separated by spaces, ``;`` or ``|``). A first line that names a ``domain`` column
  (alone, or among comma-separated names) makes the file CSV.

A line whose domain or handle is invalid does not stop a 10,000-brand run: it is reported as a
warning naming the file and line, skipped, and the run's exit code is at least 3 (inconclusive).

``--shard K/N`` (0-based: ``0/4``..``3/4``) keeps every N-th entry starting at entry K, counting
entries (not lines) from 0, valid or not, so the N shards of a file never overlap and together
cover it, whatever the validity of its lines.

JSON Lines output is one ``Brand.model_dump_json()`` per line, in completion order, with no
header line (each line stands alone). Lines are written whole and flushed as each brand
completes; a file is fsynced at the end. ``--resume FILE`` skips the domains already in FILE,
ignoring a torn last line (and, when FILE is also the output, cutting that torn tail off before
appending).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from brandaudit import exits
from brandaudit.errors import InputError, OutputError
from brandaudit.exits import RunStats
from brandaudit.redact import defuse_commands
from brandaudit.sinks import in_github_actions

if TYPE_CHECKING:
    from brandaudit.audit import Prepared
    from brandaudit.config import Settings
    from brandaudit.model import Brand, Report
    from brandaudit.platforms.base import Adapter
    from brandaudit.policy import Verdict
    from brandaudit.runner import BrandRequest

WarnCallback = Callable[[str], None]
_HANDLE_SPLIT = re.compile(r"[\s;|]+")


@dataclass(frozen=True, slots=True)
class InputEntry:
    """One brand as read from the input, before validation."""

    ordinal: int
    """0-based position among entries (what ``--shard`` counts)."""
    where: str
    """``file:line`` (or ``argument N``) for messages."""
    domain: str
    name: str | None = None
    handles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Shard:
    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match:
            raise InputError(f"--shard {text!r}: expected K/N, like 0/4 (K counts from 0)")
        index, count = int(match.group(1)), int(match.group(2))
        if count < 1:
            raise InputError(f"--shard {text!r}: N must be at least 1")
        if index >= count:
            raise InputError(
                f"--shard {text!r}: K must be below N (shards are 0-based: 0/{count} to "
                f"{count - 1}/{count})"
            )
        return cls(index, count)

    def keeps(self, ordinal: int) -> bool:
        return ordinal % self.count == self.index


# ------------------------------------------------------------------------------------------
# reading


def entries_from_args(domains: Iterable[str]) -> Iterator[InputEntry]:
    for number, domain in enumerate(domains):
        yield InputEntry(number, f"argument {number + 1}", domain)


def _strip_comment(line: str) -> str:
    if "#" in line:
        line = line.split("#", 1)[0]
    return line.strip()


def read_entries(stream: IO[str], label: str) -> Iterator[InputEntry]:
    """Entries from an open text stream, lazily (plain lines or CSV with a domain column)."""
    lines = enumerate(stream, start=1)
    ordinal = 0
    for number, raw in lines:
        text = raw.lstrip("\ufeff") if number == 1 else raw
        content = _strip_comment(text)
        if not content:
            continue
        if ("," in content or content.lower() == "domain") and _is_csv_header(content):
            yield from _read_csv(content, lines, label)
            return
        yield InputEntry(ordinal, f"{label}:{number}", content)
        ordinal += 1
        break
    for number, raw in lines:
        content = _strip_comment(raw)
        if content:
            yield InputEntry(ordinal, f"{label}:{number}", content)
            ordinal += 1


def _is_csv_header(line: str) -> bool:
    fields = next(csv.reader([line]), [])
    return "domain" in {f.strip().lower() for f in fields}


def _read_csv(
    header_line: str, lines: Iterator[tuple[int, str]], label: str
) -> Iterator[InputEntry]:
    header = [f.strip().lower() for f in next(csv.reader([header_line]))]
    column: dict[str, int] = {
        name: header.index(name) for name in ("domain", "name", "handles") if name in header
    }
    ordinal = 0
    for number, raw in lines:
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        row = next(csv.reader([raw]), [])

        def cell(name: str, row: list[str] = row) -> str:
            index = column.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        handles = tuple(h for h in _HANDLE_SPLIT.split(cell("handles")) if h)
        yield InputEntry(
            ordinal, f"{label}:{number}", cell("domain"), cell("name") or None, handles
        )
        ordinal += 1


def input_lines(path: str) -> dict[str, int]:
    """Each valid domain of an ``--input`` file -> its line (the first, if listed twice), for
    the locations of SARIF results; empty for stdin or a file that can no longer be read."""
    from brandaudit.handles import normalise_domain

    if path == "-":
        return {}
    lines: dict[str, int] = {}
    try:
        with open_input(path) as (stream, label):
            for entry in read_entries(stream, label):
                try:
                    domain = normalise_domain(entry.domain).value
                except InputError:
                    continue
                lines.setdefault(domain, int(entry.where.rsplit(":", 1)[1]))
    except InputError:
        return {}
    return lines


@contextlib.contextmanager
def open_input(path: str) -> Iterator[tuple[IO[str], str]]:
    """Open ``--input`` (``-`` is stdin) as text; errors are one-line ``InputError``s."""
    if path == "-":
        yield sys.stdin, "<stdin>"
        return
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except FileNotFoundError:
        raise InputError(f"--input {path}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"--input {path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"--input {path}: cannot be read ({exc.strerror})") from None
    with handle:
        try:
            yield handle, path
        except UnicodeDecodeError:
            raise InputError(f"--input {path}: is not UTF-8 text") from None


# ------------------------------------------------------------------------------------------
# planning


@dataclass(slots=True)
class BatchStats:
    read: int = 0
    skipped_invalid: int = 0
    skipped_done: int = 0
    skipped_shard: int = 0


def plan_entries(
    entries: Iterable[InputEntry],
    settings: Settings,
    cli_handles: tuple[str, ...],
    *,
    shard: Shard | None = None,
    done: frozenset[str] | set[str] = frozenset(),
    warn: WarnCallback,
    stats: BatchStats,
) -> Iterator[BrandRequest]:
    """Entries -> brand requests, lazily: shard, validate (warn and skip), skip done domains."""
    from brandaudit.handles import clean_handle
    from brandaudit.runner import plan_brand

    seen: set[str] = set()
    for entry in entries:
        stats.read += 1
        if shard is not None and not shard.keeps(entry.ordinal):
            stats.skipped_shard += 1
            continue
        try:
            handles = [clean_handle(h) for h in entry.handles] or list(cli_handles)
            request = plan_brand(entry.domain, settings, handles, name=entry.name)
        except InputError as exc:
            stats.skipped_invalid += 1
            warn(f"{entry.where}: {exc}; skipped")
            continue
        if request.domain in done or request.domain in seen:
            stats.skipped_done += 1
            continue
        seen.add(request.domain)
        yield request


# ------------------------------------------------------------------------------------------
# resume


def read_done(path: Path, warn: WarnCallback) -> tuple[set[str], int | None]:
    """Domains already in a JSON Lines file, and, if its last line is torn (no newline, or not
    JSON), the byte offset where that line starts (so an appending run can cut it off)."""
    done: set[str] = set()
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return done, None
    except OSError as exc:
        raise InputError(f"--resume {path}: cannot be read ({exc.strerror})") from None
    torn_at: int | None = None
    bad = 0
    offset = 0
    with handle:
        for raw in handle:
            start, offset = offset, offset + len(raw)
            complete = raw.endswith(b"\n")
            domain = _domain_of(raw)
            if domain is None:
                if complete:
                    bad += 1
                else:
                    torn_at = start
                continue
            if not complete:
                torn_at = start  # parses, but a writer never finished it: redo it
                continue
            done.add(domain)
    if bad:
        warn(f"--resume {path}: {bad} line(s) are not brand results; ignored")
    if torn_at is not None:
        warn(f"--resume {path}: the last line is incomplete; that brand will be checked again")
    return done, torn_at


def _domain_of(raw: bytes) -> str | None:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict) and isinstance(data.get("domain"), str):
        return str(data["domain"])
    return None


# ------------------------------------------------------------------------------------------
# writing


class JsonlSink:
    """Writes one brand per line, whole lines only, flushed as they come; fsynced at close.

    SIGTERM is held off while a line is written, so it can't cut one in half; Ctrl-C reaches
    the run as a cancellation between brands, never inside a write.
    """

    def __init__(self, path: Path | None, *, append: bool = False, cut_at: int | None = None):
        self.path = path
        self.count = 0
        self._owned: IO[bytes] | None = None
        if path is None:
            self._out: IO[bytes] = sys.stdout.buffer
            return
        if path.is_dir():
            raise OutputError(f"{path}: is a directory")
        try:
            if append and cut_at is not None:
                with path.open("r+b") as handle:
                    handle.truncate(cut_at)
            self._owned = path.open("ab" if append else "wb")
        except FileNotFoundError:
            raise OutputError(f"{path}: the folder {path.parent} does not exist") from None
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        self._out = self._owned

    def write(self, brand: Brand) -> None:
        line = brand.model_dump_json().encode("utf-8") + b"\n"
        if self._owned is None and in_github_actions():  # stdout, maybe the runner's log
            line = defuse_commands(line.decode("utf-8"), json=True).encode("utf-8")
        with _sigterm_held():
            try:
                self._out.write(line)
                self._out.flush()
            except BrokenPipeError:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, self._out.fileno())
                raise OutputError("the output pipe was closed") from None
            except OSError as exc:
                raise OutputError(f"{self.path or 'stdout'}: cannot write ({exc}) ") from None
        self.count += 1

    def close(self) -> None:
        if self._owned is None:
            with contextlib.suppress(OSError, ValueError):
                self._out.flush()
            return
        try:
            self._owned.flush()
            os.fsync(self._owned.fileno())
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write ({exc.strerror or exc})") from None
        finally:
            self._owned.close()
            self._owned = None

    def __enter__(self) -> JsonlSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def _sigterm_held() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# ------------------------------------------------------------------------------------------
# the command's large-run path


@dataclass(frozen=True, slots=True)
class BatchArgs:
    """``check``'s large-run options."""

    input: str | None = None
    resume: Path | None = None
    shard: Shard | None = None

    @classmethod
    def from_options(cls, input: str | None, resume: Path | None, shard: str | None) -> BatchArgs:
        return cls(input, resume, Shard.parse(shard) if shard is not None else None)


def streams(fmt: object, outputs: list[Path]) -> bool:
    """Whether the report is JSON Lines, streamed (``-f jsonl`` or ``-o *.jsonl``)."""
    from brandaudit.render import Format

    chosen = (
        {Format.JSONL if p.name.lower().endswith(".jsonl") else fmt for p in outputs}
        if outputs
        else {fmt}
    )
    if Format.JSONL not in chosen:
        return False
    if len(outputs) > 1 or chosen != {Format.JSONL}:
        raise InputError("-f jsonl streams brands as they finish: give it at most one -o FILE")
    return True


def entries_for(
    args: BatchArgs, domains: list[str], stack: contextlib.ExitStack
) -> Iterable[InputEntry]:
    """The run's entries: the positional domains, or the ``--input`` file (opened on ``stack``)."""
    if args.input is None:
        from brandaudit.handles import normalise_domain

        for domain in domains:  # typed on the command line: a bad one is a usage error
            normalise_domain(domain)
        return entries_from_args(domains)
    if domains:
        raise InputError("give brand domains as arguments or with --input, not both")
    stream, label = stack.enter_context(open_input(args.input))
    return read_entries(stream, label)


def run_streaming(
    prepared: Prepared,
    output: Path | None,
    *,
    judge: Callable[[Report], Verdict],
    warn: WarnCallback,
    progress: Callable[[str], None] | None,
) -> int:
    """Check brands lazily from the input and write each as a JSON line as it completes.

    ``prepared``: the checked request (domains or ``--input``, handles, ``--require``,
    ``--resume``, ``--shard``), its settings, adapters and plugin warnings.
    Returns the exit code. Ctrl-C (KeyboardInterrupt) and SIGTERM propagate after the lines
    written so far are flushed and synced.
    """
    import asyncio

    request, settings, adapters = prepared.request, prepared.settings, prepared.adapters
    args = request.batch
    done: set[str] = set()
    cut_at: int | None = None
    append = False
    if args.resume is not None:
        done, cut_at = read_done(args.resume, warn)
        append = output is not None and _same_file(args.resume, output)
    stats = BatchStats()
    code = 0
    with contextlib.ExitStack() as stack:
        entries = entries_for(args, list(request.domains), stack)
        requests = plan_entries(
            entries, settings, request.handles, shard=args.shard, done=done, warn=warn, stats=stats
        )
        sink = stack.enter_context(
            JsonlSink(output, append=append, cut_at=cut_at if append else None)
        )
        try:
            code = asyncio.run(_stream(requests, adapters, settings, judge, sink, warn, progress))
        except (KeyboardInterrupt, asyncio.CancelledError):
            where = f" to {output}" if output else ""
            hint = f"; go on with --resume {output}" if output else ""
            warn(f"interrupted: {sink.count} complete brand(s) written{where}{hint}")
            raise KeyboardInterrupt from None
    if stats.skipped_done:
        warn(f"{stats.skipped_done} brand(s) skipped: already done or repeated")
    if stats.skipped_invalid:
        warn(f"{stats.skipped_invalid} input line(s) skipped: not valid brands (see above)")
    plugin_warnings = len(prepared.registry.warnings)
    run = RunStats(stats.skipped_invalid, plugin_warnings, required=bool(request.requires))
    return exits.combine([code], run)


async def _stream(
    requests: Iterable[BrandRequest],
    adapters: list[Adapter],
    settings: Settings,
    judge: Callable[[Report], Verdict],
    sink: JsonlSink,
    warn: WarnCallback,
    progress: Callable[[str], None] | None,
) -> int:
    from datetime import UTC, datetime

    from brandaudit import __version__, runner
    from brandaudit.model import Report, ToolInfo

    code = 0
    cache = runner.make_cache(settings, warn)
    tool = ToolInfo(version=__version__)
    async for item in runner.stream(
        requests, adapters, settings, progress=progress, cache=cache, notice=warn
    ):
        # Judge each brand alone, exactly as a one-brand report would be.
        one = Report(tool=tool, generated_at=datetime.now(UTC), brands=(item.brand,))
        verdict = judge(one)
        sink.write(verdict.report.brands[0])
        code = exits.worse(code, int(verdict.exit_code))
    return code


def plan_requests(
    settings: Settings,
    domains: list[str],
    cli_handles: tuple[str, ...],
    args: BatchArgs,
    warn: WarnCallback,
) -> tuple[list[BrandRequest], BatchStats]:
    """Every brand of a large run, held (for the formats that print one whole report)."""
    if args.resume is not None:
        raise InputError("--resume works with -f jsonl, whose output it reads back")
    stats = BatchStats()
    with contextlib.ExitStack() as stack:
        entries = entries_for(args, domains, stack)
        requests = list(
            plan_entries(entries, settings, cli_handles, shard=args.shard, warn=warn, stats=stats)
        )
    return requests, stats


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False
