"""``-f json``: exactly ``Report.model_dump_json()``."""

from __future__ import annotations

from brandaudit.model import Report


def render_json(report: Report) -> str:
    return report.model_dump_json() + "\n"
