"""One derived view of a report's findings, built once per brand, that SARIF
(``render.sarif``), GitHub annotations (``render.github``) and JUnit (``render.junit``) all
consume.

A ``Finding`` is one thing a CI reader may act on: a declared claim (the brand's or a
person's), a Bluesky domain check, or a regression since the baseline. It carries its rule,
its level, its message (one line, the fact as the model words it), its location (the config
line that declares it) and its remediation. Passing claims and checks are findings too, at
level ``none``: SARIF lists a rule for every check that ran (so GitHub closes fixed alerts)
and JUnit counts them as passed test cases. Each format frames the message in its own words;
the facts come from here, so the three can't drift apart. (The look-alike watch's suspects
have their own rule and builder in ``render.lookalikes``.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from brandaudit.bluesky.checks import spec_for
from brandaudit.model import (
    BlueskyCheck,
    Brand,
    Change,
    ChangeKind,
    CheckStatus,
    ClaimOutcome,
    ClaimResult,
    PlatformResult,
)
from brandaudit.policy.match import is_domain_claim, person_result, result_for
from brandaudit.render.common import one_line
from brandaudit.render.options import RenderOptions

Kind = Literal["claim", "person", "bluesky", "change"]
Level = Literal["error", "warning", "note", "none"]
"""SARIF's levels: ``none`` is a claim or check that passed (nothing to act on)."""

CHANGE_ERRORS = frozenset({ChangeKind.LOST, ChangeKind.BLUESKY_CHANGED})
"""Regressions that are errors (the default ``--fail-on-change``); others are warnings."""


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    rule: str
    """The rule id: ``claim/<platform>``, ``person/<platform>``, ``bluesky/...``,
    ``change/<kind>``."""
    level: Level
    domain: str
    """The brand's domain."""
    message: str
    """One line: the claim's reason, the check's or the change's message."""
    remediation: str | None
    """One line: what to do (the answer's remediation, the check's fix), or None."""
    line: int | None
    """The config line that declares it (None: not known, or no config file)."""
    required: bool = False
    """A required claim; for a Bluesky check, whether the domain handle is required."""
    claim: ClaimResult | None = None
    answer: PlatformResult | None = None
    """The platform result the claim refers to (its cause when undecided)."""
    person: str | None = None
    check: BlueskyCheck | None = None
    bluesky_domain: str | None = None
    change: Change | None = None

    @property
    def reported(self) -> bool:
        """Something to act on (everything but a pass)."""
        return self.level != "none"


def _claim_level(claim: ClaimResult) -> Level:
    if claim.outcome is ClaimOutcome.FAIL:
        return "error" if claim.required else "warning"
    if claim.outcome is ClaimOutcome.UNDECIDED:
        return "warning" if claim.required else "note"
    return "none"


def _claim(
    brand: Brand, claim: ClaimResult, answer: PlatformResult | None, person: str | None
) -> Finding:
    return Finding(
        kind="person" if person is not None else "claim",
        rule=f"{'person' if person is not None else 'claim'}/{claim.platform}",
        level=_claim_level(claim),
        domain=brand.domain,
        message=one_line(claim.reason),
        remediation=one_line(answer.remediation) if answer and answer.remediation else None,
        line=claim.config_line,
        required=claim.required,
        claim=claim,
        answer=answer,
        person=person,
    )


def _domain_required(brand: Brand) -> bool:
    """Whether the claim on the brand's Bluesky domain handle (the last one declared, a
    person's included) is required."""
    required = False
    people = (c for person in brand.people for c in person.claims)
    for claim in (*brand.claims, *people):
        if is_domain_claim(brand, claim.platform, claim.handle):
            required = claim.required
    return required


def _check(brand: Brand, check: BlueskyCheck, line: int | None, required: bool) -> Finding:
    assert brand.bluesky_domain is not None
    level: Level = "none"
    if check.status is CheckStatus.FAIL:
        level = "error"
    elif check.status is CheckStatus.WARN:
        level = "warning"
    return Finding(
        kind="bluesky",
        rule=spec_for(check.id).rule_id,
        level=level,
        domain=brand.domain,
        message=one_line(check.message),
        remediation=one_line(check.fix) if check.fix else None,
        line=line,
        required=required,
        check=check,
        bluesky_domain=brand.bluesky_domain.domain,
    )


def _change(brand: Brand, change: Change, options: RenderOptions) -> Finding:
    lines = options.config_lines
    key = f"claims.{change.platform}" if change.platform else "brand.domain"
    return Finding(
        kind="change",
        rule=f"change/{change.kind.value}",
        level="error" if change.kind in CHANGE_ERRORS else "warning",
        domain=brand.domain,
        message=one_line(change.message),
        remediation=None,
        line=lines.get(key) or lines.get("brand.domain"),
        change=change,
    )


def brand_findings(brand: Brand, options: RenderOptions) -> list[Finding]:
    """Every finding of one brand, in report order: its claims, its Bluesky domain checks,
    its regressions since the baseline, its people's claims."""
    found = [
        _claim(brand, claim, result_for(brand, claim.platform, claim.handle), None)
        for claim in brand.claims
    ]
    if brand.bluesky_domain is not None:
        lines = options.config_lines
        line = lines.get("claims.bluesky") or lines.get("brand.domain")
        required = _domain_required(brand)
        found += [_check(brand, c, line, required) for c in brand.bluesky_domain.checks]
    found += [_change(brand, c, options) for c in brand.changes if c.regression]
    found += [
        _claim(
            brand,
            claim,
            # The person's own result carries the "Fix:"; a brand row with that handle else.
            person_result(person, claim.platform)
            or result_for(brand, claim.platform, claim.handle),
            person.name,
        )
        for person in brand.people
        for claim in person.claims
    ]
    return found
