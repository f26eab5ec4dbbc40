"""The one owner of the outcome exit codes (0 ok, 1 findings, 3 inconclusive) of every command.

Each command hands over what it found and its run statistics; the code comes from here, so the
rule "a definite problem (1) beats an undecided one (3) beats ok (0)" and the run statistics
that make a run inconclusive (an input line skipped, a plugin that failed to load while a
platform is required, a merge that is missing brands) are decided once. Usage, config, input
and internal errors (2, 4) and signals (130, 143) are raised as errors, not decided here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from brandaudit.exitcodes import ExitCode

if TYPE_CHECKING:
    from brandaudit.model import BlueskyStatus
    from brandaudit.selfcheck import CanaryOutcome

_RANK = {int(ExitCode.OK): 0, int(ExitCode.INCONCLUSIVE): 1, int(ExitCode.FINDINGS): 2}


@dataclass(frozen=True, slots=True)
class RunStats:
    """What a run met besides its results."""

    skipped_lines: int = 0
    """Input lines skipped as invalid (``--input``)."""
    plugin_warnings: int = 0
    """Platform plugins that failed to load."""
    required: bool = False
    """``--require`` named a platform (a missing plugin may be the required one)."""
    problems: int = 0
    """A merge's problems: a torn line, a brand twice, a missing shard or brand."""

    @property
    def inconclusive(self) -> bool:
        return bool(self.skipped_lines or (self.plugin_warnings and self.required) or self.problems)


def worse(a: int, b: int) -> int:
    """The more serious of two outcome codes: findings (1) > inconclusive (3) > ok (0); any
    other code (an error) is more serious than all three."""
    rank_a, rank_b = _RANK.get(int(a), 3), _RANK.get(int(b), 3)
    return a if rank_a >= rank_b else b


def combine(codes: Iterable[int], stats: RunStats | None = None) -> int:
    """``check`` (one report or a streamed batch, brand by brand) and ``merge``: the worst of
    the brands' codes (``policy.exit_code_for``), at least 3 when the run statistics say
    something could not be checked."""
    code = int(ExitCode.OK)
    for each in codes:
        code = worse(code, int(each))
    if stats is not None and stats.inconclusive:
        code = worse(code, int(ExitCode.INCONCLUSIVE))
    return code


def for_bluesky(statuses: Iterable[BlueskyStatus]) -> int:
    """``bluesky``: 1 when a domain is misconfigured or not configured, else 3 when one is
    unknown, else 0."""
    from brandaudit.model import BlueskyStatus

    seen = set(statuses)
    if seen & {BlueskyStatus.MISCONFIGURED, BlueskyStatus.NOT_CONFIGURED}:
        return int(ExitCode.FINDINGS)
    if BlueskyStatus.UNKNOWN in seen:
        return int(ExitCode.INCONCLUSIVE)
    return int(ExitCode.OK)


def for_selfcheck(outcomes: Iterable[CanaryOutcome]) -> int:
    """``selfcheck``: 1 when an adapter drifted, else 3 when a canary was undecided, else 0."""
    from brandaudit.selfcheck import CanaryOutcome

    seen = set(outcomes)
    if CanaryOutcome.DRIFT in seen:
        return int(ExitCode.FINDINGS)
    if CanaryOutcome.UNDECIDED in seen:
        return int(ExitCode.INCONCLUSIVE)
    return int(ExitCode.OK)


def for_suggest(checks: int, decided: int) -> int:
    """``suggest``: 3 when checks were made and none was decided, else 0 (it has no findings)."""
    return int(ExitCode.INCONCLUSIVE) if checks and not decided else int(ExitCode.OK)


def shown(code: int, exit_zero: bool) -> int:
    """``--exit-zero``: findings and inconclusive runs exit 0; errors keep their codes."""
    if exit_zero and code in {ExitCode.FINDINGS, ExitCode.INCONCLUSIVE}:
        return int(ExitCode.OK)
    return code
