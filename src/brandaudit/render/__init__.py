"""Renderers: pure functions from a Report to text. They never touch the network or the clock.

One module per format, each with a ``RENDERER`` (``render.base.Renderer``), found through
``render.base.renderer_for``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from brandaudit.render.base import Format, Renderer, renderer_for
from brandaudit.render.options import RenderOptions

if TYPE_CHECKING:
    from brandaudit.model import Report

__all__ = [
    "EXTENSIONS",
    "Format",
    "RenderOptions",
    "Renderer",
    "format_for_name",
    "render",
    "renderer_for",
]


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
    """``report`` in ``fmt`` (the format's module is imported here, on first use)."""
    return renderer_for(fmt).render(report, options or RenderOptions())
