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


def status_word(status: Status) -> str:
    """A platform status as the text formats print it (``not_applicable`` -> ``not applicable``)."""
    return status.value.replace("_", " ")


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
    "other": "answered in a way brandaudit could not read",
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
    """Required claims that fail: the platform, or ``Person: platform`` for a person's."""
    undecided_required: tuple[str, ...]
    below: bool
    """Under the ``--fail-under`` / ``min_score`` threshold."""
    changes: tuple[str, ...] = ()
    """The kinds of the changes since the baseline (``check --baseline``)."""
    regressions: tuple[str, ...] = ()
    """The kinds of those changes that lost ground."""
    decided: int = 0
    """Scored items that were decided (pass or fail) ..."""
    scored: int = 0
    """... of all scored items (``policy.score.score_items``)."""
    failing: int = 0
    """Declared claims (the brand's and its people's) that fail, required or not."""

    @property
    def low_confidence(self) -> bool:
        """Too few checks decided for the grade to mean much (``LOW_CONFIDENCE``)."""
        return self.score is not None and low_confidence(self.decided, self.scored)

    @property
    def grade_text(self) -> str:
        """``C (72/100)``, ``F? (0/100, 1 of 23 decided)`` (low confidence) or ``-``."""
        if self.score is None:
            return "-"
        if self.low_confidence:
            return f"{self.grade}? ({self.score}/100, {self.decided} of {self.scored} decided)"
        return f"{self.grade} ({self.score}/100)"

    @property
    def reason(self) -> str:
        """Why this brand alone would exit non-zero (or ``ok``)."""
        if self.failed_required:
            return f"required claim fails: {', '.join(self.failed_required)}"
        if self.below:
            return "score below the threshold"
        if self.regressions:
            return f"lost ground since the baseline: {', '.join(self.regressions)}"
        if self.undecided_required:
            return f"required claim undecided: {', '.join(self.undecided_required)}"
        if self.score is None:
            return "nothing decided"
        return "ok"


LOW_CONFIDENCE_SHARE = 0.5
"""A grade from fewer than this share of the brand's scored checks is low confidence."""


def low_confidence(decided: int, scored: int) -> bool:
    """Whether a grade from ``decided`` of ``scored`` checks is too thin to stand alone
    (one decided check of 23 gave ``F 0`` beside "ok")."""
    return decided < LOW_CONFIDENCE_SHARE * scored


def _person_claims(brand: Brand, outcome: ClaimOutcome) -> tuple[str, ...]:
    return tuple(
        f"{person.name}: {claim.platform}"
        for person in brand.people
        for claim in person.claims
        if claim.required and claim.outcome is outcome
    )


def summarise(brand: Brand, min_score: int | None = None) -> BrandSummary:
    from brandaudit.policy.score import score_items

    statuses = [r.status for r in brand.platforms]
    items = score_items(brand)
    every_claim = [*brand.claims, *(c for person in brand.people for c in person.claims)]
    return BrandSummary(
        domain=brand.domain,
        grade=brand.grade,
        score=brand.score,
        claimed=statuses.count(Status.CLAIMED),
        free=statuses.count(Status.AVAILABLE),
        undecided=statuses.count(Status.UNKNOWN),
        failed_required=tuple(
            c.platform for c in brand.claims if c.required and c.outcome is ClaimOutcome.FAIL
        )
        + _person_claims(brand, ClaimOutcome.FAIL),
        undecided_required=tuple(
            c.platform for c in brand.claims if c.required and c.outcome is ClaimOutcome.UNDECIDED
        )
        + _person_claims(brand, ClaimOutcome.UNDECIDED),
        below=min_score is not None and brand.score is not None and brand.score < min_score,
        changes=tuple(dict.fromkeys(c.kind.value for c in brand.changes)),
        regressions=tuple(dict.fromkeys(c.kind.value for c in brand.changes if c.regression)),
        decided=sum(1 for i in items if i.outcome in {ClaimOutcome.PASS, ClaimOutcome.FAIL}),
        scored=sum(1 for i in items if i.outcome is not None),
        failing=sum(1 for c in every_claim if c.outcome is ClaimOutcome.FAIL),
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report, exit_code: int | None = None, min_score: int | None = None) -> str:
    """One line like a linter's: ``grade C · 2 required claims fail (bluesky, x) ·
    3 undecided → exit 1``; it names every cause of a non-zero exit."""
    summaries = [summarise(b, min_score) for b in report.brands]
    return summaries_line(summaries, exit_code, min_score, warnings=len(report.warnings))


def _grade_part(summaries: Sequence[BrandSummary]) -> str:
    if not summaries:
        return "no brand checked"
    if len(summaries) == 1:
        one = summaries[0]
        return "not scored" if one.score is None else f"grade {one.grade_text}"
    grades = [s.grade or "-" for s in summaries]
    spread = " ".join(
        f"{grades.count(g)}{g}" for g in ("A", "B", "C", "D", "F", "-") if g in grades
    )
    thin = sum(1 for s in summaries if s.low_confidence)
    return f"{len(summaries)} brands: {spread}" + (f" ({thin} low confidence)" if thin else "")


def _cause_parts(summaries: Sequence[BrandSummary], min_score: int | None) -> list[str]:
    """What makes the run exit 1 or 3, each named."""
    parts: list[str] = []
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
    unscored = sum(1 for s in summaries if s.score is None)
    if min_score is not None and unscored:
        parts.append(f"nothing decided to hold against {min_score}")
    changes = [kind for s in summaries for kind in s.changes]
    if changes:
        kinds = ", ".join(sorted(set(changes)))
        parts.append(f"{_plural(len(changes), 'change')} since the baseline ({kinds})")
    return parts


def summaries_line(
    summaries: Sequence[BrandSummary],
    exit_code: int | None = None,
    min_score: int | None = None,
    *,
    warnings: int = 0,
) -> str:
    """``summary_line`` from brand summaries (a streamed batch keeps only these)."""
    parts = [_grade_part(summaries), *_cause_parts(summaries, min_score)]
    undecided = sum(s.undecided for s in summaries)
    if undecided:
        parts.append(f"{undecided} undecided")
    if warnings:
        parts.append(f"{_plural(warnings, 'warning')} (see the report)")
    elif exit_code not in {None, 0} and len(parts) == 1 + (1 if undecided else 0):
        # Nothing above explains the code: a skipped input line or a plugin that failed.
        parts.append("see the warnings above")
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


def overview_rows(summaries: Sequence[BrandSummary]) -> list[list[str]]:
    """The many-brands overview, worst first: brand, grade, claimed, free, failing,
    undecided, result (Markdown, the step summary, ``merge`` and the HTML page share it)."""
    return [
        [
            row.domain,
            row.grade_text,
            str(row.claimed),
            str(row.free),
            str(row.failing),
            str(row.undecided),
            row.reason,
        ]
        for row in worst_first(summaries)
    ]


OVERVIEW_HEADER = ("Brand", "Grade", "Claimed", "Free", "Failing", "Undecided", "Result")


# Enough to keep text literal inside a line or table cell (never at a line start): emphasis,
# code, links and images (all need '['), tables, strikethrough; HTML is entity-escaped.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: str) -> str:
    """Escape text for Markdown (inline and table cells): one line, no HTML, no markup, and
    nothing GitHub turns into a ping or a link when the summary is posted as a comment."""
    flat = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return no_pings(_SPECIAL.sub(r"\\\1", flat))


_PINGS = re.compile(r"(?<=[@#])(?=[A-Za-z0-9])|(?<=:)(?=//)|(?<=www)(?=\.)", re.IGNORECASE)
"""Where GitHub would start an ``@mention``, a ``#123`` reference or an autolink
(``https://``, ``www.``): a word joiner there keeps the text as it reads, inert."""


def no_pings(text: str) -> str:
    """``text`` with no ``@someone``, ``#123`` or bare URL that GitHub's Markdown would ping
    or link (a server's bio posted in a pull-request comment must not notify anyone)."""
    return _PINGS.sub("\u2060", text)
