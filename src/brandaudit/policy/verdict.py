"""A report judged: each brand assessed once (claims, people, activity, score, grade, next
steps), and the exit code of ``check`` decided from the judged brands.

No I/O, no network, no clock. The CLI turns ``Verdict.exit_code`` into the process exit;
``brandaudit.exits`` combines it with the run statistics.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from brandaudit.config import Settings
from brandaudit.exitcodes import ExitCode
from brandaudit.model import Brand, ClaimOutcome, Report
from brandaudit.policy.claims import judge_claims, judge_people, people_claims
from brandaudit.policy.match import is_domain_claim, refers_to
from brandaudit.policy.score import apply_activity, grade, score, score_items
from brandaudit.policy.steps import next_steps


@dataclass(frozen=True, slots=True)
class Verdict:
    report: Report
    exit_code: ExitCode


def exit_code_for(report: Report, min_score: int | None = None) -> ExitCode:
    """1 when a required claim fails or a score is under ``min_score``; else 3 when a required
    claim is undecided or a threshold is set and a brand has no score; else 0."""
    required = [c for b in report.brands for c in (*b.claims, *people_claims(b)) if c.required]
    if any(c.outcome is ClaimOutcome.FAIL for c in required):
        return ExitCode.FINDINGS
    if min_score is not None and any(
        b.score is not None and b.score < min_score for b in report.brands
    ):
        return ExitCode.FINDINGS
    if any(c.outcome is ClaimOutcome.UNDECIDED for c in required):
        return ExitCode.INCONCLUSIVE
    if min_score is not None and any(b.score is None for b in report.brands):
        return ExitCode.INCONCLUSIVE
    return ExitCode.OK


def _without_domain_rows(brand: Brand, settings: Settings) -> Brand:
    """A Bluesky claim on the brand's domain (``bluesky = "acme.com"``) is judged by the
    domain-handle verifier alone: the platform adapter's row for that name (which reads it as
    a bsky.social-style name) is dropped, so no format shows or scores it."""
    handle = settings.claims.get("bluesky")
    if handle is None or not is_domain_claim(brand, "bluesky", handle):
        return brand
    kept = tuple(r for r in brand.platforms if not refers_to("bluesky", handle, r))
    if len(kept) == len(brand.platforms):
        return brand
    return brand.model_copy(update={"platforms": kept})


def assess(
    brand: Brand,
    settings: Settings,
    requires: Sequence[str] = (),
    signup_urls: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Brand:
    """One brand with its claims judged, its score, grade and next steps filled in;
    ``now`` (the report's ``generated_at``) decides which accounts are dormant. The judged
    claims are attached once; score, next steps and the exit code read them from the brand."""
    brand = _without_domain_rows(brand, settings)
    judged = brand.model_copy(update={"claims": judge_claims(brand, settings, requires)})
    judged = judge_people(judged)  # issue 16
    if now is not None:
        judged = apply_activity(judged, now, settings.brand.dormant_after_days)
    value = score(score_items(judged))
    return judged.model_copy(
        update={
            "score": value,
            "grade": grade(value),
            "next_steps": next_steps(judged, signup_urls),
        }
    )


def evaluate(
    report: Report,
    settings: Settings,
    requires: Sequence[str] = (),
    signup_urls: Mapping[str, str] | None = None,
    min_score: int | None = None,
) -> Verdict:
    """Judge every brand; ``min_score`` (``--fail-under``) defaults to ``[policy] min_score``."""
    brands = tuple(
        assess(b, settings, requires, signup_urls, now=report.generated_at) for b in report.brands
    )
    judged = report.model_copy(update={"brands": brands})
    threshold = settings.policy.min_score if min_score is None else min_score
    return Verdict(report=judged, exit_code=exit_code_for(judged, threshold))


# ---------------------------------------------------------------------------------------
# changes since a baseline (check --baseline / --fail-on-change; see brandaudit.history)


def change_exit_code(report: Report, fail_on: frozenset[str]) -> ExitCode:
    """``FINDINGS`` when a brand changed in a way ``--fail-on-change`` names, else ``OK``."""
    changed = any(c.kind in fail_on for b in report.brands for c in b.changes)
    return ExitCode.FINDINGS if changed else ExitCode.OK


def with_changes(verdict: Verdict, fail_on: frozenset[str]) -> Verdict:
    """The verdict with changes counted: findings outrank inconclusive, which outranks ok."""
    extra = change_exit_code(verdict.report, fail_on)
    if extra is ExitCode.OK or verdict.exit_code is ExitCode.FINDINGS:
        return verdict
    return Verdict(report=verdict.report, exit_code=extra)
