"""Every command's outcome exit code (0 ok, 1 findings, 3 inconclusive), from one table."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from brandaudit import exits
from brandaudit.exits import RunStats
from brandaudit.model import BlueskyStatus as B
from brandaudit.selfcheck import CanaryOutcome as C

NO_STATS = RunStats()
SKIPPED = RunStats(skipped_lines=2)
PLUGIN_FAILED = RunStats(plugin_warnings=1)
PLUGIN_FAILED_REQUIRED = RunStats(plugin_warnings=1, required=True)
MERGE_PROBLEM = RunStats(problems=1)

# (command, what it found, expected code)
TABLE: list[tuple[str, Callable[[], int], int]] = [
    ("check: nothing", lambda: exits.combine([]), 0),
    ("check: all ok", lambda: exits.combine([0, 0], NO_STATS), 0),
    ("check: a claim fails", lambda: exits.combine([0, 1]), 1),
    ("check: a claim undecided", lambda: exits.combine([3, 0]), 3),
    ("check: fail beats undecided", lambda: exits.combine([3, 1, 3]), 1),
    ("check: skipped input line", lambda: exits.combine([0], SKIPPED), 3),
    ("check: skipped line, still a failure", lambda: exits.combine([1], SKIPPED), 1),
    ("check: plugin failed, nothing required", lambda: exits.combine([0], PLUGIN_FAILED), 0),
    ("check: plugin failed, --require", lambda: exits.combine([0], PLUGIN_FAILED_REQUIRED), 3),
    ("batch: brand by brand", lambda: exits.combine(iter([0, 3, 0])), 3),
    ("merge: a shard problem", lambda: exits.combine([0], MERGE_PROBLEM), 3),
    ("merge: a problem and a failure", lambda: exits.combine([1], MERGE_PROBLEM), 1),
    ("bluesky: verified", lambda: exits.for_bluesky([B.VERIFIED, B.VERIFIED]), 0),
    ("bluesky: unknown", lambda: exits.for_bluesky([B.VERIFIED, B.UNKNOWN]), 3),
    ("bluesky: misconfigured", lambda: exits.for_bluesky([B.UNKNOWN, B.MISCONFIGURED]), 1),
    ("bluesky: not configured", lambda: exits.for_bluesky([B.NOT_CONFIGURED]), 1),
    ("selfcheck: ok", lambda: exits.for_selfcheck([C.OK, C.NO_CANARY]), 0),
    ("selfcheck: undecided", lambda: exits.for_selfcheck([C.OK, C.UNDECIDED]), 3),
    ("selfcheck: drift", lambda: exits.for_selfcheck([C.UNDECIDED, C.DRIFT]), 1),
    ("suggest: decided", lambda: exits.for_suggest(checks=4, decided=1), 0),
    ("suggest: nothing decided", lambda: exits.for_suggest(checks=4, decided=0), 3),
    ("suggest: nothing to check", lambda: exits.for_suggest(checks=0, decided=0), 0),
    ("--exit-zero: findings", lambda: exits.shown(1, exit_zero=True), 0),
    ("--exit-zero: inconclusive", lambda: exits.shown(3, exit_zero=True), 0),
    ("--exit-zero: an error keeps its code", lambda: exits.shown(4, exit_zero=True), 4),
    ("no --exit-zero", lambda: exits.shown(3, exit_zero=False), 3),
    ("worse: an error beats findings", lambda: exits.worse(1, 2), 2),
]


@pytest.mark.parametrize(("case", "decide", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_exit_code_table(case: str, decide: Callable[[], int], expected: int) -> None:
    assert decide() == expected, case
