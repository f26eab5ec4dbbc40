"""Links in Markdown output: no URL text can break the table row or the link itself."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from brandaudit.render.markdown import link


@given(st.text(max_size=60))
def test_a_link_is_one_line_with_nothing_that_ends_it(tail: str) -> None:
    out = link("profile", "https://example.social/" + tail)
    target = out[out.index("](<") + 3 : -2]
    assert out.endswith(">)")
    assert "\n" not in out and "\r" not in out and "|" not in out
    assert all(32 < ord(ch) < 127 for ch in target)
    assert not any(ch in target for ch in "<>()`")


def test_non_http_links_are_plain_text() -> None:
    assert link("x", "javascript:alert(1)") == "x"


def test_the_table_prints_a_next_steps_link_once() -> None:
    from datetime import UTC, datetime

    from brandaudit.model import Brand, NextStep, Report, ToolInfo
    from brandaudit.render import Format, RenderOptions, render

    url = "https://www.pinterest.com/business/create/"
    brand = Brand(
        domain="acme.com",
        next_steps=(
            NextStep(
                priority=1, title="Claim acme on Pinterest", detail=f"Sign up at {url}", url=url
            ),
        ),
    )
    report = Report(
        tool=ToolInfo(version="0"), generated_at=datetime(2026, 1, 1, tzinfo=UTC), brands=(brand,)
    )
    text = render(report, Format.TABLE, RenderOptions(width=120))
    assert text.count(url) == 1
