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
    Change,
    CheckStatus,
    ClaimOutcome,
    ClaimResult,
    LookalikeClass,
    OwnershipStatus,
    PlatformResult,
    Report,
    Status,
)
from brandaudit.policy.match import claim_of
from brandaudit.render.base import Format, FunctionRenderer
from brandaudit.render.common import (
    CAUSE_LABEL,
    CHECK_WORD,
    OVERVIEW_HEADER,
    brand_title,
    is_cached,
    one_line,
    overview_rows,
    short_url,
    summarise,
    summary_line,
    undecided_groups,
)
from brandaudit.render.options import RenderOptions
from brandaudit.render.people import activity_note, bluesky_notes, handle_notes, person_title

TEMPLATE = "report.html.j2"

STATUS_WORD: dict[Status, str] = {
    Status.CLAIMED: "claimed",
    Status.AVAILABLE: "free",
    Status.UNKNOWN: "undecided",
    Status.INVALID: "name not allowed",
    Status.RESERVED: "reserved",
    Status.SUSPENDED: "suspended",
    Status.NOT_APPLICABLE: "not applicable",
}
"""The grid's words: what a reader outside engineering calls each status."""

STATUS_CLASS: dict[Status, str] = {
    Status.CLAIMED: "ok",
    Status.AVAILABLE: "free",
    Status.UNKNOWN: "open",
    Status.INVALID: "info",  # the platform's own name rules: nothing to fix, nothing at risk
    Status.RESERVED: "bad",
    Status.SUSPENDED: "bad",
    Status.NOT_APPLICABLE: "info",  # no public names to check: nothing at risk
}

OWNERSHIP_WORD: dict[OwnershipStatus, str] = {
    OwnershipStatus.VERIFIED: "verified (two-way link)",
    OwnershipStatus.LINKED: "linked one way",
    OwnershipStatus.UNCONFIRMED: "not confirmed",
}

BLUESKY_SENTENCE: dict[str, str] = {
    "verified": "Bluesky domain handle set up and verified",
    "misconfigured": "Bluesky domain handle set up, but something is wrong",
    "not_configured": "Bluesky domain handle not set up",
    "unknown": "Bluesky domain handle could not be checked this time",
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


@dataclass(frozen=True, slots=True)
class RowGroup:
    """Rows under one heading of the "what to do" table (``names`` only for a folded
    group of undecided platforms: one line per cause)."""

    title: str
    css: str
    rows: list[PlatformRow] = field(default_factory=list)
    count: int = 0
    names: list[str] = field(default_factory=list)


def _claim_text(claim: ClaimResult | None) -> str:
    if claim is None:
        return ""
    need = "required" if claim.required else "optional"
    word = {ClaimOutcome.PASS: "pass", ClaimOutcome.FAIL: "FAIL", ClaimOutcome.UNDECIDED: "?"}
    return f"{need}: {word[claim.outcome]}"


def _plain(text: str) -> str:
    """Server or policy text for a reader: one line (the renderers' cleaning), no backticks."""
    return one_line(text).replace("`", "")


def _row(brand: Brand, result: PlatformResult) -> PlatformRow:
    ownership = ""
    if result.ownership is not None and result.ownership.status in OWNERSHIP_WORD:
        ownership = OWNERSHIP_WORD[result.ownership.status]
    note = _plain(result.reason)
    prefix = f"{result.platform_name}: "
    note = note[len(prefix) :] if note.startswith(prefix) else note
    href = safe_href(result.url) if result.status is Status.CLAIMED else None
    return PlatformRow(
        name=result.platform_name,
        handle=result.handle,
        status=STATUS_WORD[result.status],
        css=STATUS_CLASS[result.status],
        claim=_claim_text(claim_of(brand, result)),
        ownership=ownership,
        note=note,
        link_text=short_url(result.url) if href and result.url else None,
        href=href,
    )


def _failing(brand: Brand, result: PlatformResult) -> bool:
    claim = claim_of(brand, result)
    failed = claim is not None and claim.outcome is ClaimOutcome.FAIL
    return failed or result.status in {Status.RESERVED, Status.SUSPENDED}


def _verified_first(result: PlatformResult) -> int:
    owner = result.ownership
    return 0 if owner is not None and owner.status is OwnershipStatus.VERIFIED else 1


def row_groups(brand: Brand) -> list[RowGroup]:
    """The brand's platforms ordered by what to do: free to claim, failing claims, claimed
    (verified first), names the platform doesn't allow, platforms with no public names to
    check (not applicable), then the undecided folded into one
    line per cause (``cause_of``) with a count."""
    free = [r for r in brand.platforms if r.status is Status.AVAILABLE]
    failing = [
        r for r in brand.platforms if r.status is not Status.AVAILABLE and _failing(brand, r)
    ]
    claimed = sorted(
        (r for r in brand.platforms if r.status is Status.CLAIMED and r not in failing),
        key=_verified_first,
    )
    invalid = [r for r in brand.platforms if r.status is Status.INVALID and r not in failing]
    moot = [r for r in brand.platforms if r.status is Status.NOT_APPLICABLE]
    groups = [
        RowGroup("Free to claim now", "free", [_row(brand, r) for r in free]),
        RowGroup("Needs attention", "bad", [_row(brand, r) for r in failing]),
        RowGroup("Secured", "ok", [_row(brand, r) for r in claimed]),
        RowGroup(
            "Name not allowed there (nothing to do)", "info", [_row(brand, r) for r in invalid]
        ),
        RowGroup(
            "Not applicable (no public names to check there)",
            "info",
            [_row(brand, r) for r in moot],
        ),
    ]
    groups = [g for g in groups if g.rows]
    for cause, results in undecided_groups(brand):
        groups.append(
            RowGroup(
                f"Not decided: {CAUSE_LABEL[cause]}",
                "open",
                count=len(results),
                names=[r.platform_name for r in results],
            )
        )
    return groups


@dataclass(frozen=True, slots=True)
class Section:
    """One part of a brand's page: the template macro that draws it and its data."""

    macro: str
    title: str
    data: Any


def _platforms_section(brand: Brand) -> Section | None:
    if not brand.platforms:
        return None
    return Section("platforms", "Platforms, by what to do", row_groups(brand))


ITEM_LABEL: dict[str, str] = {
    "claim": "Your declared {name} handle",
    "handle": "Your name on {name}",
}


def _item_label(brand: Brand, key: str, *, short: bool = False) -> str:
    """A scored item (``policy.score.ScoreItem.key``) in words; ``short``: the platform's
    name alone, for a list."""
    if key == "bluesky/domain":
        return "Bluesky domain handle"
    if key == "activity":
        return "No dormant accounts"
    kind, _, platform = key.partition("/")
    name = next((r.platform_name for r in brand.platforms if r.platform == platform), platform)
    return name if short else ITEM_LABEL.get(kind, "{name}").format(name=name)


def _grade_section(brand: Brand) -> Section | None:
    """Why this grade: every scored item with the points it earned (``policy.score``)."""
    from brandaudit.policy.score import score_items

    items = score_items(brand)
    if not items:
        return None
    rows = []
    earned = possible = 0
    for item in items:
        if item.outcome is ClaimOutcome.PASS:
            points, css = f"{item.weight} of {item.weight}", "ok"
            earned += item.weight
            possible += item.weight
        elif item.outcome is ClaimOutcome.FAIL:
            points, css = f"0 of {item.weight}", "bad"
            possible += item.weight
        elif item.outcome is ClaimOutcome.UNDECIDED:
            points, css = "left out (not decided)", "open"
        else:
            points, css = "left out (not applicable)", "info"
        rows.append(
            {
                "label": _item_label(brand, item.key),
                "short": _item_label(brand, item.key, short=True),
                "points": points,
                "css": css,
            }
        )
    order = {"bad": 0, "ok": 1, "info": 3}
    left_out = [row["short"] for row in rows if row["css"] == "open"]
    rows = sorted((row for row in rows if row["css"] != "open"), key=lambda row: order[row["css"]])
    data = {
        "rows": rows,
        "left_out": left_out,
        "earned": earned,
        "possible": possible,
        "score": brand.score,
    }
    return Section("grade", "Why this grade", data)


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
            "message": _plain(c.message),
            "fix": _plain(c.fix) if c.fix else None,
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


def _people_section(brand: Brand) -> Section | None:
    if not brand.people:
        return None
    people = []
    for person in brand.people:
        handles = [
            {
                "name": r.platform_name,
                "handle": r.handle,
                "status": STATUS_WORD[r.status],
                "css": STATUS_CLASS[r.status],
                "notes": [_plain(n) for n in handle_notes(person, r)],
            }
            for r in person.handles
        ]
        people.append(
            {
                "title": person_title(person),
                "required": list(person.required),
                "handles": handles,
                "bluesky": _plain("; ".join(notes)) if (notes := bluesky_notes(person)) else None,
            }
        )
    return Section("people", "People", people)


def _pulse(note: str, dormant: bool) -> str:
    """An activity note without the word the badge beside it already says."""
    prefix = "DORMANT: "
    return _plain(note[len(prefix) :] if dormant and note.startswith(prefix) else note)


def _activity_section(brand: Brand) -> Section | None:
    rows = []
    for result in brand.platforms:
        if result.status is Status.CLAIMED and (note := activity_note(result.activity)):
            dormant = result.activity is not None and result.activity.dormant is True
            rows.append(
                {
                    "name": f"{result.platform_name} {result.handle}",
                    "note": _pulse(note, dormant),
                    "dormant": dormant,
                }
            )
    domain = brand.bluesky_domain
    if domain is not None and (note := activity_note(domain.activity)):
        dormant = domain.activity is not None and domain.activity.dormant is True
        rows.append(
            {"name": f"Bluesky @{domain.domain}", "note": _pulse(note, dormant), "dormant": dormant}
        )
    if not rows:
        return None
    rows.sort(key=lambda row: not row["dormant"])
    return Section("activity", "Activity", rows)


def _changes_section(brand: Brand) -> Section | None:
    if not brand.changes:
        return None
    rows = [{"text": _plain(c.message), "worse": c.regression} for c in brand.changes]
    return Section("changes", "Since the last run", rows)


LOOKALIKE_CLASS: dict[LookalikeClass, str] = {
    LookalikeClass.SUSPECT: "bad",
    LookalikeClass.UNRELATED: "info",
    LookalikeClass.YOURS: "ok",
}

LOOKALIKE_WORD: dict[LookalikeClass, str] = {
    LookalikeClass.SUSPECT: "suspect",
    LookalikeClass.UNRELATED: "unrelated",
    LookalikeClass.YOURS: "yours",
}


def _lookalikes_section(brand: Brand) -> Section | None:
    """``check --lookalikes``: the held look-alikes, suspects first (as the table, Markdown
    and SARIF show them; ``render.lookalikes``). What strangers wrote is escaped by Jinja2."""
    from brandaudit.render.lookalikes import counts_line, why

    section = brand.lookalikes
    if section is None:
        return None
    rows = [
        {
            "word": LOOKALIKE_WORD[f.classification],
            "css": LOOKALIKE_CLASS[f.classification],
            "platform": f.platform_name,
            "handle": _plain(f.handle),
            "kind": f.variant_kind,
            "why": _plain(why(f)),
            "href": safe_href(f.url),
        }
        for f in section.findings
    ]
    undecided = [f"{u.platform} {_plain(u.handle)}" for u in section.undecided]
    data = {"counts": counts_line(brand), "rows": rows, "undecided": undecided}
    return Section("lookalikes", "Look-alike accounts and domains", data)


LONG_DETAIL = 240
"""A step's detail longer than this (a list of what each platform answered) is folded."""


def _steps_section(brand: Brand) -> Section | None:
    if not brand.next_steps:
        return None
    steps = [
        {
            "title": _plain(s.title),
            "detail": _plain(s.detail) if s.detail else None,
            "long": len(s.detail or "") > LONG_DETAIL,
            "href": safe_href(s.url),
            "url": s.url,
        }
        for s in brand.next_steps
    ]
    return Section("steps", "Next steps", steps)


SectionBuilder = Callable[[Brand], Section | None]

SECTION_BUILDERS: list[SectionBuilder] = [
    _steps_section,
    _platforms_section,
    _grade_section,
    _bluesky_section,
    _people_section,
    _activity_section,
    _changes_section,
    _lookalikes_section,
]
"""The sections of a brand's page, in order (add a builder and a template macro to extend)."""


def _names(names: Sequence[str], limit: int = 4) -> str:
    shown = list(dict.fromkeys(names))
    if len(shown) <= limit:
        return ", ".join(shown)
    return ", ".join(shown[:limit]) + f" and {len(shown) - limit} more"


def executive_summary(brand: Brand, min_score: int | None = None) -> list[str]:
    """The brand in plain sentences, for a client: what is secured, what is free to claim,
    what fails, what is dormant, the Bluesky domain handle, and how sure the grade is."""
    one = summarise(brand, min_score)
    platforms = {r.platform: r.platform_name for r in brand.platforms}
    secured = {r.platform for r in brand.platforms if r.status is Status.CLAIMED}
    free = [r.platform_name for r in brand.platforms if r.status is Status.AVAILABLE]
    lines: list[str] = []
    if platforms:
        word = "platform" if len(platforms) == 1 else "platforms"
        lines.append(f"Secured on {len(secured)} of {len(platforms)} {word}.")
    if free:
        lines.append(f"Free to claim now: {_names(free)}.")
    failing = [c for c in brand.claims if c.outcome is ClaimOutcome.FAIL]
    if failing:
        names = _names([platforms.get(c.platform, c.platform) for c in failing])
        lines.append(f"Declared handles that fail: {names}.")
    people_failing = [
        f"{p.name} ({c.platform})"
        for p in brand.people
        for c in p.claims
        if c.outcome is ClaimOutcome.FAIL
    ]
    if people_failing:
        lines.append(f"People's required handles that fail: {_names(people_failing)}.")
    dormant = [r for r in brand.platforms if r.activity is not None and r.activity.dormant]
    if brand.bluesky_domain is not None and brand.bluesky_domain.activity is not None:
        dormant_domain = brand.bluesky_domain.activity.dormant is True
    else:
        dormant_domain = False
    count = len(dormant) + int(dormant_domain)
    if count:
        lines.append(f"{count} {'account' if count == 1 else 'accounts'} dormant.")
    if brand.bluesky_domain is not None:
        lines.append(BLUESKY_SENTENCE[brand.bluesky_domain.status.value] + ".")
    if one.undecided:
        word = "platform" if one.undecided == 1 else "platforms"
        lines.append(
            f"{one.undecided} {word} did not answer clearly this time; they are left out of "
            "the grade."
        )
    if one.score is not None and one.low_confidence:
        lines.append(
            f"The grade rests on only {one.decided} of {one.scored} checks: treat it as "
            "provisional."
        )
    return lines


@dataclass(frozen=True, slots=True)
class Trend:
    """The score over the saved runs and this one, as an inline SVG polyline."""

    points: str
    scores: tuple[int, ...]

    @property
    def label(self) -> str:
        return f"Score over the last {len(self.scores)} runs: " + ", ".join(
            str(s) for s in self.scores
        )


TREND_WIDTH, TREND_HEIGHT = 160, 36


def trend(brand: Brand, saved: Sequence[int | None]) -> Trend | None:
    """``saved`` (the ``--db`` runs' scores, oldest first) and this run's score; None when
    fewer than two runs have a score."""
    scores = tuple(s for s in (*saved, brand.score) if s is not None)
    if len(scores) < 2:
        return None
    step = (TREND_WIDTH - 8) / (len(scores) - 1)
    height = TREND_HEIGHT - 8
    points = " ".join(
        f"{4 + i * step:.1f},{4 + height * (100 - max(0, min(s, 100))) / 100:.1f}"
        for i, s in enumerate(scores)
    )
    return Trend(points, scores)


@dataclass(frozen=True, slots=True)
class BrandView:
    title: str
    domain: str
    gauge: Gauge
    claims: tuple[ClaimResult, ...]
    summary: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    """Each undecided platform's own reason: for the adapter maintainer, collapsed."""
    trend: Trend | None = None


def brand_view(
    brand: Brand,
    min_score: int | None = None,
    saved: Sequence[int | None] = (),
    since_last: Sequence[Change] = (),
) -> BrandView:
    """The brand's page; ``since_last``: its changes against the last saved run (``--db``),
    shown when the brand carries none of its own (no ``--baseline``)."""
    if since_last and not brand.changes:
        brand = brand.model_copy(update={"changes": tuple(since_last)})
    sections = [s for build in SECTION_BUILDERS if (s := build(brand)) is not None]
    diagnostics = [
        f"{r.platform_name} {r.handle}: {_plain(r.reason)}"
        + (" (from brandaudit's cache)" if is_cached(r) else "")
        for r in brand.platforms
        if r.status is Status.UNKNOWN
    ]
    return BrandView(
        brand_title(brand),
        brand.domain,
        gauge(brand),
        brand.claims,
        executive_summary(brand, min_score),
        sections,
        diagnostics,
        trend(brand, saved),
    )


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
    brands: Sequence[BrandView] = [
        brand_view(
            b,
            options.min_score,
            options.trend.get(b.domain, ()),
            options.since_last.get(b.domain, ()),
        )
        for b in report.brands
    ]
    summaries = [summarise(b, options.min_score) for b in report.brands]
    template = _environment().get_template(TEMPLATE)
    text: str = template.render(
        report=report,
        brands=brands,
        header=OVERVIEW_HEADER,
        overview=overview_rows(summaries) if len(report.brands) > 1 else [],
        summary=summary_line(report, options.exit_code, options.min_score),
        generated=report.generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        warnings=[_plain(w) for w in report.warnings],
    )
    return text


RENDERER = FunctionRenderer(Format.HTML, render_html)
