"""Helpers shared by the renderers: words for outcomes, titles, counts. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from brandaudit.model import (
    Brand,
    Cause,
    CheckStatus,
    ClaimOutcome,
    ClaimResult,
    PlatformResult,
    Report,
    Status,
)

OUTCOME_WORD: Mapping[ClaimOutcome, str] = {
    ClaimOutcome.PASS: "PASS",
    ClaimOutcome.FAIL: "FAIL",
    ClaimOutcome.UNDECIDED: "UNDECIDED",
}

CHECK_WORD: Mapping[CheckStatus, str] = {
    CheckStatus.PASS: "PASS",
    CheckStatus.WARN: "WARN",
    CheckStatus.FAIL: "FAIL",
    CheckStatus.INFO: "INFO",
    CheckStatus.SKIP: "SKIP",
}


def brand_title(brand: Brand) -> str:
    return brand.domain if not brand.name else f"{brand.name} ({brand.domain})"


def score_text(brand: Brand) -> str:
    """``72/100, grade C``, or why there is no score."""
    if brand.score is None:
        return "not scored (nothing could be decided)"
    return f"{brand.score}/100, grade {brand.grade or '-'}"


def need_word(claim: ClaimResult) -> str:
    return "required" if claim.required else "optional"


def claim_label(brand: Brand, claim: ClaimResult) -> str:
    """``GitHub acme``: the platform's name (when it ran) and the declared handle."""
    name = next((r.platform_name for r in brand.platforms if r.platform == claim.platform), None)
    return f"{name or claim.platform} {claim.handle}"


@dataclass(frozen=True, slots=True)
class ClaimCounts:
    passed: int
    failed: int
    undecided: int

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.undecided


def claim_counts(brand: Brand) -> ClaimCounts:
    outcomes = [c.outcome for c in brand.claims]
    return ClaimCounts(
        passed=outcomes.count(ClaimOutcome.PASS),
        failed=outcomes.count(ClaimOutcome.FAIL),
        undecided=outcomes.count(ClaimOutcome.UNDECIDED),
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """Control characters (newlines, escapes, BEL...) and runs of whitespace -> one space."""
    return " ".join(_CONTROL.sub(" ", text).split())


# ---------------------------------------------------------------------------------------
# Undecided checks, grouped by cause


CAUSE_LABEL: Mapping[str, str] = {
    "unreachable": "unreachable: no network?",
    "timeout": "timed out: slow network or server",
    "rate_limited": "rate-limited: try again later",
    "blocked": "blocked or behind a login wall",
    "server_error": "server errors: try again later",
    "deadline": "ran out of time (--deadline)",
    "internal_error": "brandaudit failed: a bug, please report it (--debug shows it)",
    "other": "unexpected answers",
}
"""Why checks stayed undecided, as the grouped report lines say it (``cause_of`` keys)."""

CAUSE_GROUP: Mapping[Cause, str] = {
    Cause.UNREACHABLE: "unreachable",
    Cause.HOST_NOT_ANSWERING: "unreachable",
    Cause.DNS_BROKEN: "unreachable",
    Cause.TIMEOUT: "timeout",
    Cause.RATE_LIMITED: "rate_limited",
    Cause.BLOCKED: "blocked",
    Cause.LOGIN_WALL: "blocked",
    Cause.SERVER_ERROR: "server_error",
    Cause.DEADLINE: "deadline",
    Cause.INTERNAL_ERROR: "internal_error",
    Cause.MOVED: "other",
    Cause.SIGNAL_DRIFT: "other",
    Cause.UNEXPECTED_ANSWER: "other",
    Cause.UNSUPPORTED: "other",
    Cause.NEEDS_CREDENTIALS: "other",
}
"""Each typed cause's group in the report (a ``CAUSE_LABEL`` key)."""


def cause_of(result: PlatformResult) -> str:
    """The group (``CAUSE_LABEL`` key) of an undecided result: its typed ``cause``, never
    its wording (a result built without one reads as an unexpected answer)."""
    return "other" if result.cause is None else CAUSE_GROUP[result.cause]


def undecided_groups(brand: Brand) -> list[tuple[str, list[PlatformResult]]]:
    """Undecided results grouped by cause, largest group first (stable within a count)."""
    groups: dict[str, list[PlatformResult]] = {}
    for result in brand.platforms:
        if result.status is Status.UNKNOWN:
            groups.setdefault(cause_of(result), []).append(result)
    return sorted(groups.items(), key=lambda item: -len(item[1]))


def is_cached(result: PlatformResult) -> bool:
    """The verdict was read from brandaudit's HTTP cache (every request it made was)."""
    return bool(result.evidence) and all(e.cached for e in result.evidence)


# ---------------------------------------------------------------------------------------
# The one summary line


@dataclass(frozen=True, slots=True)
class BrandSummary:
    """One brand in a line: what a batch table and the summary line show."""

    domain: str
    grade: str | None
    score: int | None
    claimed: int
    free: int
    undecided: int
    failed_required: tuple[str, ...]
    undecided_required: tuple[str, ...]
    below: bool
    """Under the ``--fail-under`` / ``min_score`` threshold."""

    @property
    def reason(self) -> str:
        """Why this brand alone would exit non-zero (or ``ok``)."""
        if self.failed_required:
            return f"required claim fails: {', '.join(self.failed_required)}"
        if self.below:
            return "score below the threshold"
        if self.undecided_required:
            return f"required claim undecided: {', '.join(self.undecided_required)}"
        if self.score is None:
            return "nothing decided"
        return "ok"


def summarise(brand: Brand, min_score: int | None = None) -> BrandSummary:
    statuses = [r.status for r in brand.platforms]
    return BrandSummary(
        domain=brand.domain,
        grade=brand.grade,
        score=brand.score,
        claimed=statuses.count(Status.CLAIMED),
        free=statuses.count(Status.AVAILABLE),
        undecided=statuses.count(Status.UNKNOWN),
        failed_required=tuple(
            c.platform for c in brand.claims if c.required and c.outcome is ClaimOutcome.FAIL
        ),
        undecided_required=tuple(
            c.platform for c in brand.claims if c.required and c.outcome is ClaimOutcome.UNDECIDED
        ),
        below=min_score is not None and brand.score is not None and brand.score < min_score,
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report, exit_code: int | None = None, min_score: int | None = None) -> str:
    """One line like a linter's: ``grade C · 2 required claims fail (bluesky, x) ·
    3 undecided → exit 1``."""
    return summaries_line([summarise(b, min_score) for b in report.brands], exit_code, min_score)


def summaries_line(
    summaries: Sequence[BrandSummary], exit_code: int | None = None, min_score: int | None = None
) -> str:
    """``summary_line`` from brand summaries (a streamed batch keeps only these)."""
    parts: list[str] = []
    if not summaries:
        parts.append("no brand checked")
    elif len(summaries) == 1:
        one = summaries[0]
        if one.score is None:
            parts.append("not scored")
        else:
            parts.append(f"grade {one.grade} ({one.score}/100)")
    else:
        grades = [s.grade or "-" for s in summaries]
        spread = " ".join(
            f"{grades.count(g)}{g}" for g in ("A", "B", "C", "D", "F", "-") if g in grades
        )
        parts.append(f"{len(summaries)} brands: {spread}")
    failed = sorted({p for s in summaries for p in s.failed_required})
    if failed:
        count = sum(len(s.failed_required) for s in summaries)
        verb = "fails" if count == 1 else "fail"
        parts.append(f"{_plural(count, 'required claim')} {verb} ({', '.join(failed)})")
    required_open = sorted({p for s in summaries for p in s.undecided_required})
    if required_open:
        count = sum(len(s.undecided_required) for s in summaries)
        parts.append(f"{count} required undecided ({', '.join(required_open)})")
    below = [s for s in summaries if s.below]
    if below:
        parts.append(
            f"score under {min_score}" + (f" ({len(below)} brands)" if len(summaries) > 1 else "")
        )
    undecided = sum(s.undecided for s in summaries)
    if undecided:
        parts.append(f"{undecided} undecided")
    line = " · ".join(parts)
    if exit_code is not None:
        line += f" → exit {exit_code}"
    return line


def short_url(url: str) -> str:
    """A link for display: no scheme, no trailing slash (the full URL is in -f json)."""
    return url.split("://", 1)[-1].rstrip("/")


def join_names(names: Sequence[str]) -> str:
    return ", ".join(names)


BATCH_ROWS = 20
"""Brands listed in a batch's closing table (worst first); the report files hold them all."""


def worst_first(summaries: Sequence[BrandSummary]) -> list[BrandSummary]:
    def rank(row: BrandSummary) -> tuple[int, int]:
        order = 0 if row.failed_required or row.below else 1 if row.reason != "ok" else 2
        return (order, row.score if row.score is not None else -1)

    return sorted(summaries, key=rank)
