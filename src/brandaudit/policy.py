"""Policy: Report + Settings -> claims judged, exit code. No I/O, no network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from brandaudit.config import Settings
from brandaudit.exitcodes import ExitCode
from brandaudit.model import (
    BlueskyStatus,
    Brand,
    ClaimOutcome,
    ClaimResult,
    PlatformResult,
    Report,
    Status,
)


@dataclass(frozen=True, slots=True)
class Verdict:
    report: Report
    exit_code: ExitCode


_FAILING = {Status.AVAILABLE, Status.RESERVED, Status.INVALID, Status.SUSPENDED}


def _judge_result(result: PlatformResult | None) -> tuple[ClaimOutcome, str]:
    if result is None:
        return ClaimOutcome.UNDECIDED, "the platform was not checked in this run"
    if result.status is Status.CLAIMED:
        return ClaimOutcome.PASS, result.reason
    if result.status in _FAILING:
        return ClaimOutcome.FAIL, f"{result.status.value}: {result.reason}"
    return ClaimOutcome.UNDECIDED, result.reason


def judge_claims(
    brand: Brand, settings: Settings, requires: Sequence[str]
) -> tuple[ClaimResult, ...]:
    """Each declared claim (``[claims]``) and each ``--require PLATFORM``, judged."""
    wanted: dict[str, tuple[str, bool]] = {}
    for platform, handle in settings.claims.items():
        wanted[platform] = (handle, platform not in settings.optional_claims)
    primary = brand.handles[0] if brand.handles else ""
    for platform in requires:
        handle, _ = wanted.get(platform, (primary, True))
        wanted[platform] = (handle, True)
    claims: list[ClaimResult] = []
    for platform, (handle, required) in wanted.items():
        line = settings.line_of(f"claims.{platform}")
        if (
            platform == "bluesky"
            and "." in handle
            and brand.bluesky_domain is not None
            and brand.bluesky_domain.domain == handle.lower().lstrip("@")
        ):
            status = brand.bluesky_domain.status
            if status is BlueskyStatus.VERIFIED:
                outcome, reason = ClaimOutcome.PASS, f"{handle} is a verified Bluesky domain handle"
            elif status is BlueskyStatus.UNKNOWN:
                outcome, reason = ClaimOutcome.UNDECIDED, f"could not verify {handle} on Bluesky"
            else:
                outcome = ClaimOutcome.FAIL
                reason = f"the Bluesky domain handle {handle} is {status.value.replace('_', ' ')}"
        else:
            normalised = handle.strip().lstrip("@").lower()
            match = next(
                (
                    r
                    for r in brand.platforms
                    if r.platform == platform and r.handle.lower() == normalised
                ),
                None,
            )
            outcome, reason = _judge_result(match)
        claims.append(
            ClaimResult(
                platform=platform,
                handle=handle,
                required=required,
                outcome=outcome,
                reason=reason,
                config_line=line,
            )
        )
    return tuple(claims)


def exit_code_for(report: Report) -> ExitCode:
    required = [c for b in report.brands for c in b.claims if c.required]
    if any(c.outcome is ClaimOutcome.FAIL for c in required):
        return ExitCode.FINDINGS
    if any(c.outcome is ClaimOutcome.UNDECIDED for c in required):
        return ExitCode.INCONCLUSIVE
    return ExitCode.OK


def evaluate(report: Report, settings: Settings, requires: Sequence[str] = ()) -> Verdict:
    brands = tuple(
        b.model_copy(update={"claims": judge_claims(b, settings, requires)}) for b in report.brands
    )
    judged = report.model_copy(update={"brands": brands})
    return Verdict(report=judged, exit_code=exit_code_for(judged))
