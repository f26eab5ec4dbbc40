"""Golden files for every renderer, under a fixed clock.

Regenerate after an intended change with ``BRANDAUDIT_UPDATE_GOLDEN=1 python -m pytest
tests/render`` and review the diff.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from brandaudit.config import line_index
from brandaudit.model import Report
from brandaudit.render import Format, RenderOptions, render
from brandaudit.render.github import annotation_commands, step_summary
from tests.render.reports import CONFIG_TEXT, REPORTS

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("BRANDAUDIT_UPDATE_GOLDEN") == "1"
OPTIONS = RenderOptions(
    color=False,
    width=80,
    config_path="brandaudit.toml",
    config_lines=line_index(CONFIG_TEXT),
)
SUFFIX = {
    Format.TABLE: "txt",
    Format.JSON: "json",
    Format.MARKDOWN: "md",
    Format.SARIF: "sarif",
    Format.JUNIT: "xml",
    Format.HTML: "html",
}


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert path.exists(), f"missing golden {path}; run with BRANDAUDIT_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if name.endswith(".json"):
        # The model may grow optional fields with empty defaults (a compatible change): the
        # golden pins every field it has; a new field must still be empty here.
        assert_json_matches(json.loads(text), json.loads(expected), name)
        return
    assert text == expected, f"{name} differs from its golden file"


def assert_json_matches(actual: Any, expected: Any, where: str) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            assert key in actual, f"{where}: {key!r} disappeared"
            assert_json_matches(actual[key], value, f"{where}.{key}")
        for key in actual.keys() - expected.keys():
            assert actual[key] in (None, [], {}, ""), f"{where}: new field {key!r} is not empty"
    elif isinstance(expected, list) and isinstance(actual, list):
        assert len(actual) == len(expected), f"{where}: length changed"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_json_matches(a, e, f"{where}[{i}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


@pytest.mark.parametrize("fmt", [f for f in Format if f in SUFFIX])
@pytest.mark.parametrize("report_name", sorted(REPORTS))
def test_renderer_matches_golden(fmt: Format, report_name: str) -> None:
    report: Report = REPORTS[report_name]()
    assert_golden(f"{report_name}.{SUFFIX[fmt]}", render(report, fmt, OPTIONS))


def test_every_format_has_a_golden() -> None:
    assert set(SUFFIX) == set(Format) - {f for f in Format if f.value == "jsonl"}


@pytest.mark.parametrize(
    ("name", "produce"),
    [
        ("annotations", lambda r: "\n".join(annotation_commands(r, OPTIONS)) + "\n"),
        ("summary", lambda r: step_summary(r, OPTIONS)),
    ],
)
@pytest.mark.parametrize("report_name", ["full", "hostile"])
def test_github_outputs_match_golden(
    name: str, produce: Callable[[Report], str], report_name: str
) -> None:
    assert_golden(f"{report_name}.github-{name}.txt", produce(REPORTS[report_name]()))
