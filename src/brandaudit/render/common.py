"""Helpers shared by the renderers: words for outcomes, titles, counts. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from brandaudit.model import Brand, CheckStatus, ClaimOutcome, ClaimResult

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
