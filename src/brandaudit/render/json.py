"""``-f json``: exactly ``Report.model_dump_json()``."""

from __future__ import annotations

from brandaudit.model import Report
from brandaudit.render.base import Format, FunctionRenderer
from brandaudit.render.options import RenderOptions


def render_json(report: Report, options: RenderOptions | None = None) -> str:
    return report.model_dump_json() + "\n"


RENDERER = FunctionRenderer(Format.JSON, render_json, is_json=True)
