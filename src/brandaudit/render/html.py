"""``-f html`` / ``-o report.html``: one self-contained page a marketer can send a client.

Rendered with Jinja2 (autoescape on: every string from a server, a config or a website is
escaped by the engine, never by hand), from ``templates/report.html.j2``. The page has inline
CSS and an inline SVG gauge only: no scripts, fonts, images or other requests (a
Content-Security-Policy says so too), so it works offline and from an email attachment.

The view model is built here, per brand, as a list of sections (``BrandView.sections``): each
section names a template macro and carries its data, so new sections (changes since the last
run, people) slot in by adding a builder to ``SECTION_BUILDERS`` and a macro to the template.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

from brandaudit.bluesky.checks import spec_for
from brandaudit.model import (
    BlueskyDomain,
    Brand,
    CheckStatus,
    ClaimOutcome,
    ClaimResult,
    OwnershipStatus,
    Report,
    Status,
)
from brandaudit.policy.match import claim_of
from brandaudit.render.common import (
    CAUSE_LABEL,
    CHECK_WORD,
    brand_title,
    is_cached,
    one_line,
    short_url,
    summarise,
    summary_line,
    undecided_groups,
    worst_first,
)
from brandaudit.render.options import RenderOptions

TEMPLATE = "report.html.j2"

STATUS_WORD: dict[Status, str] = {
    Status.CLAIMED: "claimed",
    Status.AVAILABLE: "free",
    Status.UNKNOWN: "undecided",
    Status.INVALID: "not allowed",
    Status.RESERVED: "reserved",
    Status.SUSPENDED: "suspended",
}
"""The grid's words: what a reader outside engineering calls each status."""

STATUS_CLASS: dict[Status, str] = {
    Status.CLAIMED: "ok",
    Status.AVAILABLE: "free",
    Status.UNKNOWN: "open",
    Status.INVALID: "bad",
    Status.RESERVED: "bad",
    Status.SUSPENDED: "bad",
}

OWNERSHIP_WORD: dict[OwnershipStatus, str] = {
    OwnershipStatus.VERIFIED: "verified (two-way link)",
    OwnershipStatus.LINKED: "linked one way",
    OwnershipStatus.UNCONFIRMED: "not confirmed",
}

GRADE_COLOR: dict[str, str] = {
    "A": "#1a7f37",
    "B": "#2f7d32",
    "C": "#8a5a00",
    "D": "#b35900",
    "F": "#c62828",
}
"""Dark enough for 4.5:1 contrast on white (the grade letter is also written out)."""


def safe_href(url: str | None) -> str | None:
    """An http(s) link usable as ``href`` (else None: shown as text only)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in {"http", "https"} else None


@dataclass(frozen=True, slots=True)
class Gauge:
    """A half-circle gauge: the arc's path length and how much of it is filled."""

    score: int | None
    grade: str | None
    color: str
    length: float
    filled: float

    @property
    def label(self) -> str:
        if self.score is None:
            return "Readiness: not scored, nothing could be decided"
        return f"Readiness score {self.score} out of 100, grade {self.grade}"


def gauge(brand: Brand) -> Gauge:
    length = math.pi * 80  # the arc of a radius-80 half circle
    score = brand.score
    filled = 0.0 if score is None else length * max(0, min(score, 100)) / 100
    color = GRADE_COLOR.get(brand.grade or "", "#57606a")
    return Gauge(score, brand.grade, color, round(length, 2), round(filled, 2))


@dataclass(frozen=True, slots=True)
class PlatformRow:
    name: str
    handle: str
    status: str
    css: str
    claim: str
    ownership: str
    note: str
    link_text: str | None
    href: str | None
    cached: bool


def _claim_text(claim: ClaimResult | None) -> str:
    if claim is None:
        return ""
    need = "required" if claim.required else "optional"
    word = {ClaimOutcome.PASS: "pass", ClaimOutcome.FAIL: "FAIL", ClaimOutcome.UNDECIDED: "?"}
    return f"{need}: {word[claim.outcome]}"


def platform_rows(brand: Brand) -> list[PlatformRow]:
    from brandaudit.render.common import cause_of

    rows: list[PlatformRow] = []
    for result in brand.platforms:
        ownership = ""
        if result.ownership is not None and result.ownership.status in OWNERSHIP_WORD:
            ownership = OWNERSHIP_WORD[result.ownership.status]
        if result.status is Status.UNKNOWN:
            note = CAUSE_LABEL[cause_of(result)]
        else:
            note = one_line(result.reason)
            prefix = f"{result.platform_name}: "
            note = note[len(prefix) :] if note.startswith(prefix) else note
        href = safe_href(result.url) if result.status is Status.CLAIMED else None
        rows.append(
            PlatformRow(
                name=result.platform_name,
                handle=result.handle,
                status=STATUS_WORD[result.status],
                css=STATUS_CLASS[result.status],
                claim=_claim_text(claim_of(brand, result)),
                ownership=ownership,
                note=note,
                link_text=short_url(result.url) if href and result.url else None,
                href=href,
                cached=is_cached(result),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class Section:
    """One part of a brand's page: the template macro that draws it and its data."""

    macro: str
    title: str
    data: Any


def _platforms_section(brand: Brand) -> Section | None:
    if not brand.platforms:
        return None
    counts: dict[str, int] = {}
    for result in brand.platforms:
        counts[STATUS_WORD[result.status]] = counts.get(STATUS_WORD[result.status], 0) + 1
    groups = [
        (len(results), CAUSE_LABEL[cause], [r.platform_name for r in results])
        for cause, results in undecided_groups(brand)
    ]
    data = {"rows": platform_rows(brand), "counts": counts, "groups": groups}
    return Section("platforms", "Platforms", data)


def _bluesky_section(brand: Brand) -> Section | None:
    domain: BlueskyDomain | None = brand.bluesky_domain
    if domain is None:
        return None
    checks = [
        {
            "id": spec_for(c.id).label,  # brandaudit.bluesky.checks
            "word": CHECK_WORD[c.status],
            "css": {
                CheckStatus.PASS: "ok",
                CheckStatus.FAIL: "bad",
                CheckStatus.WARN: "open",
                CheckStatus.INFO: "info",
                CheckStatus.SKIP: "info",
            }[c.status],
            "message": one_line(c.message),
            "fix": one_line(c.fix) if c.fix else None,
        }
        for c in domain.checks
    ]
    data = {
        "domain": domain.domain,
        "status": domain.status.value.replace("_", " "),
        "css": {
            "verified": "ok",
            "misconfigured": "bad",
            "not_configured": "open",
            "unknown": "open",
        }[domain.status.value],
        "did": domain.did,
        "checks": checks,
        "setup": domain.setup,
    }
    return Section("bluesky", "Bluesky domain handle", data)


def _steps_section(brand: Brand) -> Section | None:
    if not brand.next_steps:
        return None
    steps = [
        {
            "title": one_line(s.title),
            "detail": one_line(s.detail).replace("`", "") if s.detail else None,
            "href": safe_href(s.url),
            "url": s.url,
        }
        for s in brand.next_steps
    ]
    return Section("steps", "Next steps", steps)


SectionBuilder = Callable[[Brand], Section | None]

SECTION_BUILDERS: list[SectionBuilder] = [_platforms_section, _bluesky_section, _steps_section]
"""The sections of a brand's page, in order (add a builder and a template macro to extend)."""


@dataclass(frozen=True, slots=True)
class BrandView:
    title: str
    domain: str
    gauge: Gauge
    claims: tuple[ClaimResult, ...]
    sections: list[Section] = field(default_factory=list)


def brand_view(brand: Brand) -> BrandView:
    sections = [s for build in SECTION_BUILDERS if (s := build(brand)) is not None]
    return BrandView(brand_title(brand), brand.domain, gauge(brand), brand.claims, sections)


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("brandaudit.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(report: Report, options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    brands: Sequence[BrandView] = [brand_view(b) for b in report.brands]
    summaries = worst_first([summarise(b, options.min_score) for b in report.brands])
    template = _environment().get_template(TEMPLATE)
    text: str = template.render(
        report=report,
        brands=brands,
        summaries=summaries if len(report.brands) > 1 else [],
        summary=summary_line(report, options.exit_code, options.min_score),
        generated=report.generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        warnings=[one_line(w) for w in report.warnings],
    )
    return text
