"""``-f markdown``: GitHub-flavoured Markdown for PR comments and the job summary.

Every piece of text that came from the outside world (reasons quote server answers, handles
come from config) is escaped, so a report can't inject links, HTML or table breaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from brandaudit.bluesky.checks import spec_for
from brandaudit.model import BlueskyDomain, Brand, Change, PlatformResult, Report
from brandaudit.render import lookalikes
from brandaudit.render.base import Format, FunctionRenderer
from brandaudit.render.common import (
    CHECK_WORD,
    OUTCOME_WORD,
    OVERVIEW_HEADER,
    BrandSummary,
    brand_title,
    claim_counts,
    claim_label,
    md,
    need_word,
    one_line,
    overview_rows,
    score_text,
    status_word,
    summarise,
    summary_line,
)
from brandaudit.render.options import RenderOptions
from brandaudit.render.people import activity_note, handle_notes, person_title


def code(text: str) -> str:
    """Inline code that survives backticks and pipes inside."""
    flat = one_line(text).replace("|", "\\|")
    fence = "``" if "`" in flat else "`"
    return f"{fence} {flat} {fence}" if fence == "``" else f"`{flat}`"


def link(label: str, url: str) -> str:
    if not url.startswith(("https://", "http://")):
        return md(label)
    # Anything that could end the link, break the table row or hide in it is percent-encoded:
    # control characters, spaces, non-ASCII, and the characters Markdown gives meaning to here.
    safe = "".join(
        ch if 32 < ord(ch) < 127 and ch not in "<>()|`\\" else quote(ch, safe="") for ch in url
    )
    return f"[{md(label)}](<{safe}>)"


def _platform_rows(brand: Brand) -> list[str]:
    rows = [
        "| Platform | Handle | Status | Confidence | Ownership | Reason |",
        "|---|---|---|---|---|---|",
    ]
    for result in brand.platforms:
        owner = result.ownership
        ownership = "" if owner is None else owner.status.value.replace("_", " ")
        reason = md(result.reason)
        if pulse := activity_note(result.activity):  # activity (brandaudit.activity)
            reason += f" · {md(pulse)}"
        rows.append(
            f"| {md(result.platform_name)} | {_handle_cell(result)} "
            f"| **{status_word(result.status)}** "
            f"| {result.confidence.value} | {ownership} | {reason} |"
        )
    return rows


def _handle_cell(result: PlatformResult) -> str:
    if result.url and result.status.value in {"claimed", "suspended"}:
        return link(result.handle, result.url)
    return code(result.handle)


def _bluesky(domain: BlueskyDomain) -> list[str]:
    status = domain.status.value.replace("_", " ")
    lines = [f"#### Bluesky domain handle {code(domain.domain)}: **{status}**", ""]
    if domain.did:
        lines += [f"DID: {code(domain.did)}", ""]
    if domain.checks:
        lines += ["| Check | Status | Message | Fix |", "|---|---|---|---|"]
        for check in domain.checks:
            fix = md(check.fix) if check.fix else ""
            lines.append(
                f"| {md(spec_for(check.id).label)} ({code(check.id)}) "
                f"| **{CHECK_WORD[check.status]}** | {md(check.message)} "
                f"| {fix} |"
            )
        lines.append("")
    return lines


def render_brand(brand: Brand) -> str:
    lines = [f"### {md(brand_title(brand))}", ""]
    summary = f"**Readiness: {md(score_text(brand))}**"
    counts = claim_counts(brand)
    if counts.total:
        summary += (
            f" · claims: {counts.passed} pass, {counts.failed} fail, {counts.undecided} undecided"
        )
    lines += [summary, ""]
    if brand.platforms:
        lines += [*_platform_rows(brand), ""]
    else:
        lines += ["_No platform was checked._", ""]
    if brand.bluesky_domain is not None:
        lines += _bluesky(brand.bluesky_domain)
        if pulse := activity_note(brand.bluesky_domain.activity):  # brandaudit.activity
            lines += [f"{code('@' + brand.bluesky_domain.domain)}: {md(pulse)}", ""]
    lines += people_markdown(brand)  # people (brandaudit.people)
    if brand.claims:
        lines += ["#### Claims", "", "| Outcome | Claim | Need | Reason |", "|---|---|---|---|"]
        for claim in brand.claims:
            lines.append(
                f"| **{OUTCOME_WORD[claim.outcome]}** | {md(claim_label(brand, claim))} "
                f"| {need_word(claim)} | {md(claim.reason)} |"
            )
        lines.append("")
    if brand.changes:
        lines += changes_section(brand.changes)
    if brand.next_steps:
        lines += ["#### Next steps", ""]
        for step in brand.next_steps:
            item = f"{step.priority}. **{md(step.title)}**"
            if step.detail:
                item += f": {md(step.detail)}"
            if step.url:
                item += f" ({link(step.url, step.url)})"
            lines.append(item)
        lines.append("")
    return "\n".join(lines)


def changes_section(changes: Sequence[Change], title: str = "Since last run") -> list[str]:
    """What changed since the baseline (``check --baseline``; ``brandaudit diff``)."""
    lines = [f"#### {md(title)}", "", "| Change | Regression | Detail |", "|---|---|---|"]
    for change in changes:
        flag = "**yes**" if change.regression else "no"
        lines.append(f"| {code(change.kind.value)} | {flag} | {md(change.message)} |")
    return [*lines, ""]


def render_markdown(report: Report, options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    parts = ["## brandaudit readiness report", ""]
    if not report.brands:
        parts += ["_No brand was checked._", ""]
    else:
        parts += [f"**{md(summary_line(report, options.exit_code, options.min_score))}**", ""]
    if len(report.brands) > 1:  # many brands: the overview first, worst first
        summaries = [summarise(b, options.min_score) for b in report.brands]
        parts += ["### Overview", "", *overview_markdown(summaries), ""]
    parts += [render_brand(brand) for brand in report.brands]
    if report.warnings:
        parts += ["#### Warnings", ""]
        parts += [f"- {md(w)}" for w in report.warnings]
        parts.append("")
    stamp = report.generated_at.isoformat().replace("+00:00", "Z")
    parts.append(f"<sub>brandaudit {md(report.tool.version)} · {stamp}</sub>")
    return "\n".join(parts) + "\n"


def people_markdown(brand: Brand) -> list[str]:
    if not brand.people and not brand.suggested_people:
        return []
    lines = ["#### People", ""]
    for person in brand.people:
        need = f" · required: {', '.join(person.required)}" if person.required else ""
        lines += [f"**{md(person_title(person))}**{' ' + md(need) if need else ''}", ""]
        if person.handles:
            lines += ["| Platform | Handle | Status | Reason / notes |", "|---|---|---|---|"]
            for result in person.handles:
                notes = " · ".join(md(n) for n in handle_notes(person, result))
                cell = md(result.reason) + (f" · {notes}" if notes else "")
                lines.append(
                    f"| {md(result.platform_name)} | {code(result.handle)} "
                    f"| **{status_word(result.status)}** | {cell} |"
                )
            lines.append("")
    if brand.suggested_people:
        lines += ["People named on the website (not audited; add them to `brandaudit.toml`):", ""]
        for suggestion in brand.suggested_people:
            lines += ["```toml", suggestion.snippet.rstrip("\n").replace("```", "'''"), "```", ""]
    return lines


def overview_markdown(summaries: Sequence[BrandSummary]) -> list[str]:
    """``overview_rows`` as a Markdown table (its lines): brand, grade, counts, result."""
    lines = [
        "| " + " | ".join(OVERVIEW_HEADER) + " |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for cells in overview_rows(summaries):
        lines.append("| " + " | ".join(md(c) for c in cells) + " |")
    return lines


def batch_markdown(summaries: Sequence[BrandSummary]) -> str:
    """The per-brand table as Markdown (the job summary of a streamed batch), worst first."""
    lines = ["## brandaudit batch summary", "", *overview_markdown(summaries)]
    return "\n".join(lines) + "\n"


def _render(report: Report, options: RenderOptions) -> str:
    return lookalikes.with_sections(
        render_markdown(report, options), report, lookalikes.section_markdown
    )


RENDERER = FunctionRenderer(Format.MARKDOWN, _render)
