"""Where rendered reports go: stdout, or files written atomically.

A file is written to a temporary sibling, flushed to disk, then renamed over the target, so an
interrupted run leaves either the old file or the complete new one, never half a file.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from brandaudit.errors import OutputError
from brandaudit.redact import scrub


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


def write_stdout(text: str) -> None:
    try:
        sys.stdout.write(scrub(text))
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
