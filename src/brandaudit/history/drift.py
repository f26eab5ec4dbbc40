"""``check --save / --baseline / --fail-on-change``: the glue between a run and the store.

The CLI builds a ``Drift`` before the run (so a bad ``--baseline`` or an unusable store costs
no requests), passes every judged brand through ``Drift.apply`` (changes against the
baseline attached, the brand spooled for saving), and calls ``Drift.finish`` only when the
run completed: an interrupted run saves nothing.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from brandaudit.errors import InputError
from brandaudit.history.diff import diff
from brandaudit.history.store import RunWriter, Store, import_file, resolve_path
from brandaudit.model import Brand, Report
from brandaudit.policy import Verdict, with_changes

if TYPE_CHECKING:
    from brandaudit.audit import DriftArgs

Warn = Callable[[str], None]


class Drift:
    """One run's baseline lookups and save."""

    def __init__(
        self,
        args: DriftArgs,
        *,
        claims: Mapping[str, str],
        tool_version: str,
        warn: Warn,
    ) -> None:
        self.args = args
        self.fail_on = args.fail_kinds()
        self.db = resolve_path(args.db)
        self._warn = warn
        self._stack = contextlib.ExitStack()
        self._baseline: Store | None = None
        self._missing = 0
        self._writer: RunWriter | None = None
        self.saved = 0
        self.counts: dict[str, int] = {}
        """Changes found, by kind (for the closing line on stderr)."""
        try:
            self._open_baseline()
            if args.save:
                # Open (create or migrate) now: a newer or foreign store fails before the run.
                Store(self.db, create=True).close()
                self._writer = RunWriter(
                    self.db, source="check", tool_version=tool_version, claims=claims
                )
        except BaseException:
            self._stack.close()
            raise

    def _open_baseline(self) -> None:
        choice = self.args.baseline
        if choice is None:
            return
        if choice.strip().lower() == "last":
            if not self.db.exists():
                self._warn(f"--baseline last: no history at {self.db} yet; nothing to compare")
                return
            self._baseline = self._stack.enter_context(Store(self.db))
            return
        path = Path(choice)
        if not path.is_file():
            raise InputError(f"--baseline {choice}: file not found (or say 'last')")
        # The baseline file is loaded into a private temporary store, streamed: a 10,000-brand
        # JSON Lines report is looked up by domain without holding it in memory.
        folder = Path(self._stack.enter_context(tempfile.TemporaryDirectory()))
        temp_db = folder / "baseline.sqlite3"
        _, _, stats = import_file(path, temp_db, tool_version="baseline")
        if stats.skipped:
            self._warn(f"--baseline {choice}: {stats.skipped} line(s) are not brand results")
        self._baseline = self._stack.enter_context(Store(temp_db))

    def brand(self, brand: Brand) -> Brand:
        """The brand with its changes since the baseline; spooled for saving."""
        if self._baseline is not None:
            found = self._baseline.latest(brand.domain)
            if found is None:
                self._missing += 1
            else:
                brand = brand.model_copy(update={"changes": diff(found[1], brand)})
                for change in brand.changes:
                    self.counts[change.kind.value] = self.counts.get(change.kind.value, 0) + 1
        if self._writer is not None:
            self._writer.add(brand)
        return brand

    def apply(self, verdict: Verdict) -> Verdict:
        brands = tuple(self.brand(b) for b in verdict.report.brands)
        report: Report = verdict.report.model_copy(update={"brands": brands})
        return with_changes(Verdict(report=report, exit_code=verdict.exit_code), self.fail_on)

    def summary(self) -> str | None:
        """``3 change(s) since the baseline: lost 1, score_changed 2``, or None."""
        if self.args.baseline is None:
            return None
        total = sum(self.counts.values())
        if not total:
            return "no change since the baseline"
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.counts.items()))
        return f"{total} change(s) since the baseline: {kinds}"

    def finish(self) -> int | None:
        """Save the run (when ``--save``); close the baseline. Returns the saved run's id."""
        try:
            if self._missing:
                self._warn(
                    f"{self._missing} brand(s) have no earlier result in the baseline; "
                    "nothing to compare for them"
                )
            if self._writer is None:
                return None
            self.saved = self._writer.count
            return self._writer.commit()
        finally:
            self.close()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.discard()
        self._stack.close()
