"""``-f jsonl``: one ``Brand.model_dump_json()`` per line (``check`` streams it; see
``batch``)."""

from __future__ import annotations

from brandaudit.model import Report
from brandaudit.render.base import Format, FunctionRenderer
from brandaudit.render.options import RenderOptions


def render_jsonl(report: Report, options: RenderOptions | None = None) -> str:
    return "".join(brand.model_dump_json() + "\n" for brand in report.brands)


RENDERER = FunctionRenderer(Format.JSONL, render_jsonl, is_json=True)
