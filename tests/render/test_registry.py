"""The format registry: every ``Format`` member has one module with its ``RENDERER``, and
picking a format imports that format's module only."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from brandaudit.render import Format, Renderer, RenderOptions, render, renderer_for
from brandaudit.render.base import module_for
from tests.render.reports import full_report


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_renderer_of_its_own(fmt: Format) -> None:
    renderer = renderer_for(fmt)
    assert isinstance(renderer, Renderer)
    assert renderer.format is fmt
    assert module_for(fmt) == f"brandaudit.render.{fmt.value}"
    text = renderer.render(full_report(), RenderOptions())
    assert text.endswith("\n")
    assert text == render(full_report(), fmt)


@pytest.mark.parametrize("fmt", list(Format))
def test_is_json_says_whether_the_text_parses_as_json(fmt: Format) -> None:
    renderer = renderer_for(fmt)
    text = renderer.render(full_report(), RenderOptions())
    lines = text.splitlines() if fmt is Format.JSONL else [text]
    parses = True
    for line in lines:
        try:
            json.loads(line)
        except ValueError:
            parses = False
    assert renderer.is_json is parses


def test_a_module_without_its_format_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from brandaudit.render import base, junit

    monkeypatch.setattr(junit, "RENDERER", base.FunctionRenderer(Format.HTML, junit.render_junit))
    with pytest.raises(TypeError, match=r"render\.junit\.RENDERER does not render junit"):
        renderer_for(Format.JUNIT)


PROBE = """
import sys
from brandaudit.render import Format, render
from brandaudit.model import Report, ToolInfo
from datetime import UTC, datetime
before = set(sys.modules)
report = Report(tool=ToolInfo(version="0"), generated_at=datetime(2026, 1, 1, tzinfo=UTC))
render(report, Format(sys.argv[1]))
print("\\n".join(sorted(m for m in set(sys.modules) - before if m.startswith("brandaudit.render"))))
"""


@pytest.mark.parametrize("fmt", [Format.JSON, Format.JUNIT])
def test_rendering_one_format_imports_no_other_format(fmt: Format) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, fmt.value],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    loaded = set(out.stdout.split())
    others = {module_for(f) for f in Format if f is not fmt}
    assert module_for(fmt) in loaded
    assert not loaded & others


@pytest.mark.parametrize("fmt", list(Format))
def test_the_watch_renders_each_format_it_offers_and_refuses_the_rest(fmt: Format) -> None:
    from brandaudit.render import lookalikes
    from brandaudit.render.lookalikes import render_watch

    if fmt in {Format.JSONL, Format.JUNIT}:
        with pytest.raises(ValueError, match=f"no {fmt.value} format"):
            render_watch(full_report(), fmt, RenderOptions())
        return
    text = render_watch(full_report(), fmt, RenderOptions())
    own = {
        Format.TABLE: lookalikes.render_table,
        Format.MARKDOWN: lookalikes.render_markdown,
        Format.HTML: lookalikes.render_html,
    }
    expected = own[fmt](full_report()) if fmt in own else render(full_report(), fmt)
    assert text == expected
