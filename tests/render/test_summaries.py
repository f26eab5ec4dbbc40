"""The one summary line names every cause of a non-zero exit; grades from too few decided
checks are marked; many brands get an overview table first (issue 25)."""

from __future__ import annotations

from datetime import UTC, datetime

from brandaudit.model import (
    Brand,
    Change,
    ChangeKind,
    ClaimOutcome,
    ClaimResult,
    PersonResult,
    Report,
    Status,
    ToolInfo,
)
from brandaudit.render import Format, RenderOptions, render
from brandaudit.render.common import summarise, summary_line
from tests.factories import res

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _report(*brands: Brand, warnings: tuple[str, ...] = ()) -> Report:
    return Report(tool=ToolInfo(version="1.0"), generated_at=NOW, brands=brands, warnings=warnings)


def _claim(platform: str, outcome: ClaimOutcome, required: bool = True) -> ClaimResult:
    return ClaimResult(
        platform=platform, handle="acme", required=required, outcome=outcome, reason="x"
    )


def test_a_persons_failing_required_handle_is_named() -> None:
    bob = PersonResult(
        name="Bob Builder",
        required=("github",),
        claims=(_claim("github", ClaimOutcome.FAIL),),
    )
    brand = Brand(
        domain="acme.com", platforms=(res("github"),), score=100, grade="A", people=(bob,)
    )
    line = summary_line(_report(brand), exit_code=1)
    # Before: "grade A (100/100) → exit 1" with no reason.
    assert line == "grade A (100/100) · 1 required claim fails (Bob Builder: github) → exit 1"
    assert summarise(brand).reason == "required claim fails: Bob Builder: github"


def test_changes_since_the_baseline_are_named() -> None:
    lost = Change(
        kind=ChangeKind.LOST,
        platform="github",
        handle="acme",
        before="claimed",
        after="available",
        regression=True,
        message="github acme: claimed -> available",
    )
    brand = Brand(
        domain="acme.com", platforms=(res("github"),), score=100, grade="A", changes=(lost,)
    )
    line = summary_line(_report(brand), exit_code=1)
    assert line == "grade A (100/100) · 1 change since the baseline (lost) → exit 1"
    assert summarise(brand).reason == "lost ground since the baseline: lost"


def test_the_score_threshold_is_named() -> None:
    brand = Brand(
        domain="acme.com",
        platforms=(res("github"), res("x", Status.AVAILABLE)),
        score=50,
        grade="D",
    )
    assert summary_line(_report(brand), 1, 60) == "grade D (50/100) · score under 60 → exit 1"


def test_an_unexplained_code_points_at_the_warnings() -> None:
    brand = Brand(domain="acme.com", platforms=(res("github"),), score=100, grade="A")
    assert summary_line(_report(brand), 3) == "grade A (100/100) · see the warnings above → exit 3"
    merged = _report(brand, warnings=("b.jsonl holds no brands",))
    assert summary_line(merged, 3) == "grade A (100/100) · 1 warning (see the report) → exit 3"
    assert summary_line(_report(brand), 0) == "grade A (100/100) → exit 0"


def test_one_decided_check_of_many_is_a_low_confidence_grade() -> None:
    unknown = [res(f"p{i}", Status.UNKNOWN) for i in range(22)]
    brand = Brand(
        domain="acme.com",
        platforms=(res("github", Status.AVAILABLE), *unknown),
        score=0,
        grade="F",
    )
    one = summarise(brand)
    assert (one.decided, one.scored, one.low_confidence) == (1, 23, True)
    assert summary_line(_report(brand), 0) == (
        "grade F? (0/100, 1 of 23 decided) · 22 undecided → exit 0"
    )
    # Every check decided: a plain grade.
    sure = Brand(domain="acme.com", platforms=(res("github"),), score=100, grade="A")
    assert not summarise(sure).low_confidence


def _brand(domain: str, statuses: list[Status], claims: tuple[ClaimResult, ...] = ()) -> Brand:
    platforms = tuple(res(f"p{i}", s) for i, s in enumerate(statuses))
    decided = [s for s in statuses if s in {Status.CLAIMED, Status.AVAILABLE}]
    score = round(100 * decided.count(Status.CLAIMED) / len(decided)) if decided else None
    grade = None if score is None else "A" if score >= 90 else "F"
    return Brand(domain=domain, platforms=platforms, score=score, grade=grade, claims=claims)


def test_many_brands_get_an_overview_first_worst_first() -> None:
    good = _brand("good.com", [Status.CLAIMED, Status.CLAIMED])
    bad = _brand(
        "bad.com",
        [Status.AVAILABLE, Status.UNKNOWN],
        claims=(_claim("p0", ClaimOutcome.FAIL),),
    )
    text = render(_report(good, bad), Format.MARKDOWN, RenderOptions(exit_code=1))
    lines = text.splitlines()
    overview = lines.index("### Overview")
    assert overview < next(i for i, line in enumerate(lines) if line.startswith("### good.com"))
    assert lines[overview + 2] == (
        "| Brand | Grade | Claimed | Free | Failing | Undecided | Result |"
    )
    assert lines[overview + 4].startswith(
        "| bad.com | F (0/100) | 0 | 1 | 1 | 1 | required claim fails: p0 |"
    )
    assert lines[overview + 5].startswith("| good.com | A (100/100) | 2 | 0 | 0 | 0 | ok |")
    # The summary line comes first of all.
    assert lines[2].startswith("**2 brands: 1A 1F · 1 required claim fails")
    one = render(_report(good), Format.MARKDOWN, RenderOptions())
    assert "### Overview" not in one
