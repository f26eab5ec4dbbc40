"""Progress on stderr: a transient rich status line on a terminal, nothing otherwise."""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def progress_enabled(stream_isatty: bool | None = None) -> bool:
    if os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS") == "true":
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty() if stream_isatty is None else stream_isatty


class Progress:
    """Counts finished checks on one stderr line; silent when disabled."""

    def __init__(self, console: Console, total: int, enabled: bool) -> None:
        self.console = console
        self.total = total
        self.done = 0
        self.enabled = enabled
        self._status = console.status("starting…", spinner="dots") if enabled else None

    def __enter__(self) -> Progress:
        if self._status is not None:
            self._status.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._status is not None:
            self._status.stop()

    def update(self, message: str) -> None:
        self.done += 1
        # Profiles the brand's website declares add checks once the homepage is read, so the
        # planned total can grow during the run; never show more done than total.
        self.total = max(self.total, self.done) if self.total else 0
        if self._status is not None:
            from rich.markup import escape

            total = f"/{self.total}" if self.total else ""
            self._status.update(escape(f"[{self.done}{total}] {message}"))
