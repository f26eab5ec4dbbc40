"""Renderers: pure functions from a Report to text. They never touch the network or the clock."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from brandaudit.model import Report


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    """One ``Brand.model_dump_json()`` per line; ``check`` streams it (see ``batch``)."""


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False
    width: int | None = None


EXTENSIONS: dict[str, Format] = {
    ".json": Format.JSON,
    ".txt": Format.TABLE,
    ".jsonl": Format.JSONL,
}


def render(report: Report, fmt: Format, options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    if fmt is Format.JSON:
        from brandaudit.render.json import render_json

        return render_json(report)
    if fmt is Format.TABLE:
        from brandaudit.render.table import render_table

        return render_table(report, options)
    if fmt is Format.JSONL:
        return "".join(brand.model_dump_json() + "\n" for brand in report.brands)
    raise AssertionError(f"unhandled format {fmt!r}")  # pragma: no cover
