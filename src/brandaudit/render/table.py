"""The terminal report (rich). A status is always a word; colour only adds to it."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from brandaudit.model import (
    BlueskyDomain,
    Brand,
    Change,
    ClaimOutcome,
    PlatformResult,
    Report,
    Status,
)
from brandaudit.ownership.text import ownership_note
from brandaudit.people.render import activity_note, people_renderables
from brandaudit.render import RenderOptions
from brandaudit.render.common import (
    OUTCOME_WORD,
    brand_title,
    claim_counts,
    claim_label,
    need_word,
    one_line,
    score_text,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

MAX_STEPS = 10
"""Next steps shown in the terminal; the machine formats carry all of them."""

STATUS_STYLE: dict[Status, str] = {
    Status.CLAIMED: "green",
    Status.AVAILABLE: "cyan",
    Status.UNKNOWN: "yellow",
    Status.INVALID: "magenta",
    Status.RESERVED: "blue",
    Status.SUSPENDED: "red",
}

OUTCOME_STYLE: dict[ClaimOutcome, str] = {
    ClaimOutcome.PASS: "green",
    ClaimOutcome.FAIL: "bold red",
    ClaimOutcome.UNDECIDED: "yellow",
}

GRADE_STYLE: dict[str, str] = {"A": "green", "B": "green", "C": "yellow", "D": "red", "F": "red"}


def _console(options: RenderOptions, buffer: io.StringIO) -> Console:
    return Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        width=options.width or 100,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )


def platform_table(brand: Brand) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        show_lines=False,
        expand=False,
        pad_edge=False,
        title_justify="left",
    )
    table.add_column("Platform", no_wrap=True)
    table.add_column("Handle", overflow="fold")
    table.add_column("Status", no_wrap=True)
    table.add_column("Conf.", no_wrap=True)
    table.add_column("Reason / link", overflow="fold", ratio=1)
    for result in brand.platforms:
        table.add_row(
            result.platform_name,
            result.handle,
            Text(result.status.value, style=STATUS_STYLE[result.status]),
            result.confidence.value,
            _reason(result),
        )
    return table


def _reason(result: PlatformResult) -> Text:
    text = Text(one_line(result.reason))
    if result.url and result.status in {Status.CLAIMED, Status.SUSPENDED}:
        text.append("\n")
        text.append(result.url, style="dim")
    note = ownership_note(result)  # ownership (brandaudit.ownership)
    if note:
        text.append("\n" + note, style="dim")
    if pulse := activity_note(result.activity):  # activity (brandaudit.activity)
        text.append("\n" + one_line(pulse), style="bold" if pulse.startswith("DORMANT") else "dim")
    return text


def render_table(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = _console(options, buffer)
    if not report.brands:
        console.print("No brand was checked.")
    for index, brand in enumerate(report.brands):
        if index:
            console.print()
        _brand_header(console, brand)
        console.print(platform_table(brand))
        if brand.bluesky_domain is not None:
            console.print()
            console.print(_bluesky_section(brand.bluesky_domain))
            if pulse := activity_note(brand.bluesky_domain.activity):  # brandaudit.activity
                console.print(Text(f"@{brand.bluesky_domain.domain}: {one_line(pulse)}"))
        for part in people_renderables(brand):  # people (brandaudit.people)
            console.print()
            console.print(part)
        if brand.claims:
            console.print()
            _claims(console, brand)
        if brand.next_steps:
            console.print()
            _next_steps(console, brand)
        if brand.changes:
            console.print()
            console.print(changes_table(brand.changes))
    if report.warnings:
        console.print()
    for warning in report.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))
    text = buffer.getvalue()
    if options.color:
        return text
    # Rich pads table cells to the full width; trailing blanks only clutter logs and diffs.
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _brand_header(console: Console, brand: Brand) -> None:
    console.print(Text(brand_title(brand), style="bold"))
    header = Text("readiness: ")
    style = GRADE_STYLE.get(brand.grade or "", "")
    header.append(score_text(brand), style=f"bold {style}".strip())
    counts = claim_counts(brand)
    if counts.total:
        header.append(
            f"; claims: {counts.passed} pass, {counts.failed} fail, {counts.undecided} undecided"
        )
    console.print(header)
    console.print(Text(f"handles checked: {', '.join(brand.handles) or '-'}", style="dim"))


def _bluesky_section(domain: BlueskyDomain) -> RenderableType:
    from brandaudit.bluesky.render import bluesky_panel

    return bluesky_panel(domain)


def _plain(text: str) -> str:
    """Fix texts are written for Markdown too; in a terminal the code backticks are noise."""
    return one_line(text).replace("`", "")


def _claims(console: Console, brand: Brand) -> None:
    console.print(Text("Claims", style="bold"))
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("Outcome", no_wrap=True)
    table.add_column("Claim", overflow="fold", max_width=30)
    table.add_column("Need", no_wrap=True)
    table.add_column("Reason", overflow="fold", ratio=1)
    for claim in brand.claims:
        table.add_row(
            Text(OUTCOME_WORD[claim.outcome], style=OUTCOME_STYLE[claim.outcome]),
            claim_label(brand, claim),
            need_word(claim),
            one_line(claim.reason),
        )
    console.print(table)


def _next_steps(console: Console, brand: Brand) -> None:
    console.print(Text("Next steps", style="bold"))
    shown = brand.next_steps[:MAX_STEPS]
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("Rank", no_wrap=True, justify="right")
    table.add_column("Step", overflow="fold", ratio=1)
    for step in shown:
        body = Text(step.title, style="bold")
        if step.detail:
            body.append(f"\n{_plain(step.detail)}")
        if step.url and step.url not in (step.detail or ""):  # don't print a link twice
            body.append(f"\n{step.url}", style="dim")
        table.add_row(f"{step.priority}.", body)
    console.print(table)
    hidden = len(brand.next_steps) - len(shown)
    if hidden > 0:
        console.print(Text(f"... and {hidden} more (see -f json or -f markdown)", style="dim"))


def changes_table(changes: Sequence[Change], title: str = "Since last run") -> Table:
    """What changed since the baseline (``check --baseline``; ``brandaudit diff``)."""
    table = Table(
        box=None,
        show_header=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        title=Text(title, style="bold"),
        title_justify="left",
    )
    table.add_column("Kind", no_wrap=True)
    table.add_column("Change", overflow="fold", ratio=1)
    for change in changes:
        style = "bold red" if change.regression else ""
        word = change.kind.value.replace("_", " ")
        table.add_row(Text(word, style=style), Text(one_line(change.message)))
    return table


def render_renderables(items: Sequence[RenderableType], width: int | None) -> str:
    """Plain terminal text of rich renderables (``history``/``diff`` tables), without colour."""
    buffer = io.StringIO()
    console = _console(RenderOptions(color=False, width=width), buffer)
    for item in items:
        console.print(item)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))
