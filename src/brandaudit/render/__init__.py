"""Renderers: pure functions from a Report to text. They never touch the network or the clock."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from brandaudit.model import Report
from brandaudit.render.options import RenderOptions

__all__ = ["EXTENSIONS", "Format", "RenderOptions", "format_for_name", "render"]


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    JUNIT = "junit"
    JSONL = "jsonl"
    """One ``Brand.model_dump_json()`` per line; ``check`` streams it (see ``batch``)."""
    HTML = "html"
    """One self-contained page to send a client (``render.html``)."""


EXTENSIONS: dict[str, Format] = {
    ".json": Format.JSON,
    ".txt": Format.TABLE,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".sarif": Format.SARIF,
    ".sarif.json": Format.SARIF,
    ".xml": Format.JUNIT,
    ".junit.xml": Format.JUNIT,
    ".jsonl": Format.JSONL,
    ".html": Format.HTML,
    ".htm": Format.HTML,
}
"""File name endings and their formats; the longest matching ending wins."""


def format_for_name(name: str) -> Format | None:
    """The format a file name implies (``report.sarif.json`` -> SARIF), or None."""
    lowered = name.lower()
    for ending in sorted(EXTENSIONS, key=len, reverse=True):
        if lowered.endswith(ending) and len(lowered) > len(ending):
            return EXTENSIONS[ending]
    return None


def render(report: Report, fmt: Format, options: RenderOptions | None = None) -> str:
    text = _render(report, fmt, options or RenderOptions())
    if fmt in {Format.TABLE, Format.MARKDOWN} and any(b.lookalikes for b in report.brands):
        # check --lookalikes: the watch's section after the report (brandaudit.lookalikes).
        from brandaudit.render import lookalikes

        lines: list[str] = []
        for brand in report.brands:
            if fmt is Format.TABLE:
                lines += lookalikes.section_lines(brand)
            else:
                lines += lookalikes.section_markdown(brand)
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines).rstrip("\n") + "\n"
    return text


def _render(report: Report, fmt: Format, options: RenderOptions) -> str:
    if fmt is Format.JSON:
        from brandaudit.render.json import render_json

        return render_json(report)
    if fmt is Format.TABLE:
        from brandaudit.render.table import render_table

        return render_table(report, options)
    if fmt is Format.MARKDOWN:
        from brandaudit.render.markdown import render_markdown

        return render_markdown(report, options)
    if fmt is Format.SARIF:
        from brandaudit.render.sarif import render_sarif

        return render_sarif(report, options)
    if fmt is Format.JUNIT:
        from brandaudit.render.junit import render_junit

        return render_junit(report, options)
    if fmt is Format.HTML:
        from brandaudit.render.html import render_html

        return render_html(report, options)
    if fmt is Format.JSONL:
        return "".join(brand.model_dump_json() + "\n" for brand in report.brands)
    assert_never(fmt)
