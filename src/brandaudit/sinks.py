"""Where rendered reports go: stdout, or files written atomically.

A file is written to a temporary sibling, flushed to disk, then renamed over the target, so an
interrupted run leaves either the old file or the complete new one, never half a file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

from brandaudit.errors import OutputError
from brandaudit.redact import defuse_commands, scrub, stop_commands


def _folder(path: Path) -> Path:
    """``path``'s folder; ``OutputError`` when it names a directory or has no folder."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path}: is a directory")
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{path}: {directory} is a file, not a folder")
    if not directory.is_dir():
        raise OutputError(f"{path}: the folder {directory} does not exist")
    return directory


def check_target(path: Path) -> Path:
    """Raise ``OutputError`` unless ``path`` could be written; return its folder. The CLI
    calls this before a run, so a typo in ``-o`` costs no requests: the folder must exist and
    take a new file (a probe file is made and removed at once; ``/proc`` refuses it)."""
    directory = _folder(path)
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {directory} ({exc.strerror or exc})") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return directory


def write_atomic(path: Path, text: str) -> None:
    text = scrub(text)
    directory = _folder(path)
    fd, tmp = -1, ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            fd = -1
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
        tmp = ""
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _stdout_is_a_file() -> bool:
    """stdout redirected to a regular file (``> report.json``): the runner never reads it."""
    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def for_actions_log(text: str, *, json: bool = False) -> str:
    """What of ``text`` may reach a GitHub Actions log: nothing the runner reads as a
    workflow command (see ``redact.defuse_commands``). Text that isn't JSON is also wrapped
    in ``::stop-commands::`` when it goes to the log (not to a file); JSON stays JSON, so
    ``brandaudit ... -f json | jq`` still works."""
    text = defuse_commands(text, json=json)
    if json or _stdout_is_a_file():
        return text
    return stop_commands(text)


def write_stdout(text: str, *, json: bool = False) -> None:
    """Write a payload (never a workflow command) to stdout; under GitHub Actions made
    harmless for the runner (``for_actions_log``). ``json``: the payload is JSON."""
    text = scrub(text)
    if in_github_actions():
        text = for_actions_log(text, json=json)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); don't print a traceback on exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def append_step_summary(path: Path, markdown: str, limit: int = 1024 * 1024) -> None:
    """Append Markdown to ``$GITHUB_STEP_SUMMARY``, keeping the whole file within ``limit``
    bytes (GitHub refuses a larger summary). Raises ``OutputError`` if it can't be written."""
    from brandaudit.render.github import fit_summary

    try:
        existing = path.stat().st_size if path.exists() else 0
        text = fit_summary(scrub(markdown), limit - existing)
        if not text:
            return
        with path.open("a", encoding="utf-8", newline="") as handle:
            if existing:
                handle.write("\n")
            handle.write(text)
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot append the step summary ({exc.strerror or exc})"
        ) from None
