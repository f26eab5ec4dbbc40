"""The terminal report (rich). A status is always a word; colour only adds to it."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from brandaudit.model import Brand, PlatformResult, Report, Status
from brandaudit.ownership.text import ownership_note
from brandaudit.render import RenderOptions

STATUS_STYLE: dict[Status, str] = {
    Status.CLAIMED: "green",
    Status.AVAILABLE: "cyan",
    Status.UNKNOWN: "yellow",
    Status.INVALID: "magenta",
    Status.RESERVED: "blue",
    Status.SUSPENDED: "red",
}


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
    table = Table(show_lines=False, expand=False, pad_edge=False, title_justify="left")
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
    text = Text(result.reason)
    if result.url and result.status in {Status.CLAIMED, Status.SUSPENDED}:
        text.append("\n")
        text.append(result.url, style="dim")
    note = ownership_note(result)  # ownership (brandaudit.ownership)
    if note:
        text.append("\n" + note, style="dim")
    return text


def render_table(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = _console(options, buffer)
    for index, brand in enumerate(report.brands):
        if index:
            console.print()
        title = brand.domain if not brand.name else f"{brand.name} ({brand.domain})"
        console.print(Text(title, style="bold"))
        console.print(f"handles checked: {', '.join(brand.handles) or '-'}", style="dim")
        console.print(platform_table(brand))
        for claim in brand.claims:
            word = {"pass": "PASS", "fail": "FAIL", "undecided": "UNDECIDED"}[claim.outcome.value]
            need = "required" if claim.required else "optional"
            console.print(
                f"claim {claim.platform} {claim.handle} ({need}): {word} - {claim.reason}"
            )
    for warning in report.warnings:
        console.print(f"warning: {warning}", style="yellow")
    return buffer.getvalue()
