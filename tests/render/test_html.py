"""The HTML report (-f html / -o report.html): self-contained, escaped, accessible, printable,
and drawn by a real browser (headless Chromium, offline) at desktop and phone widths."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from brandaudit.render import Format, RenderOptions, render
from tests.conftest import World
from tests.render.browser import distinct_colours, find_chromium, load
from tests.render.reports import REPORTS, hostile_report, typical_report
from tests.world import platforms as p

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "img"
"""report-desktop.png, report-phone.png, report-print.png: the client page as a browser draws it."""
UPDATE_SCREENSHOT = bool(os.environ.get("BRANDAUDIT_UPDATE_SCREENSHOTS"))
"""Read at import: the autouse fixture clears BRANDAUDIT_* before each test."""


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(text: str) -> _Collect:
    parser = _Collect()
    parser.feed(text)
    return parser


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_html_is_self_contained(name: str) -> None:
    text = render(REPORTS[name](), Format.HTML)
    parsed = _parse(text)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "img", "link", "iframe", "object", "embed", "font"}
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, tag
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        if tag == "a":
            assert (attrs.get("href") or "").startswith(("https://", "http://")), attrs
    style = text[text.index("<style>") : text.index("</style>")]
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert "default-src 'none'" in text  # the page itself forbids any request
    assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text


def test_html_escapes_every_server_string() -> None:
    text = render(hostile_report(), Format.HTML)
    assert "<b>" not in text and "&lt;b&gt;bold&lt;/b&gt;" in text
    assert 'href="http://evil"' not in text
    assert "\x07" not in text
    # Server text reaches the page only as text: the parser sees no tag from it.
    assert {tag for tag, _ in _parse(text).tags} <= {
        "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "h3",
        "h4", "p", "section", "div", "svg", "path", "text", "ul", "li", "span", "strong",
        "table", "caption", "thead", "tbody", "tr", "th", "td", "ol", "a", "code", "footer",
        "details", "summary",
    }  # fmt: skip


def test_html_links_only_http() -> None:
    from brandaudit.render.html import safe_href

    assert safe_href("javascript:alert(1)") is None
    assert safe_href("data:text/html,x") is None
    assert safe_href("https://github.com/acme") == "https://github.com/acme"


def test_html_is_accessible_and_printable() -> None:
    text = render(typical_report(), Format.HTML, RenderOptions(exit_code=1))
    parsed = _parse(text)
    svgs = [attrs for tag, attrs in parsed.tags if tag == "svg"]
    assert svgs and all(a.get("role") == "img" and a.get("aria-labelledby") for a in svgs)
    assert "Readiness score 50 out of 100, grade D" in text
    assert all(a.get("scope") in {"col", "row"} for tag, a in parsed.tags if tag == "th")
    assert text.count("<caption>") >= 2
    assert "@media print" in text and "@media (max-width: 640px)" in text
    # Statuses are words, not only colours; the grid uses the reader's words.
    for word in ("claimed", "free", "undecided", "FAIL", "PASS"):
        assert f">{word}<" in text
    assert "Not decided: unreachable: no network? (8)" in text
    assert "1 required claim fails (bluesky)" in text


def test_html_sections_are_pluggable() -> None:
    from brandaudit.render import html

    names = [b.__name__ for b in html.SECTION_BUILDERS]
    assert names == [
        "_steps_section",
        "_platforms_section",
        "_grade_section",
        "_bluesky_section",
        "_people_section",
        "_activity_section",
        "_changes_section",
        "_lookalikes_section",
    ]
    view = html.brand_view(typical_report().brands[0])
    assert [s.macro for s in view.sections] == ["steps", "platforms", "grade", "bluesky"]


def _visible(text: str) -> str:
    """The page's text outside the collapsed technical details."""
    start = text.index('<details class="tech">')
    return text[:start] + text[text.index("</details>", start) :]


def test_html_reads_as_a_client_report() -> None:
    """Issue 25: a summary in plain words first, rows by what to do, undecided folded per
    cause, why the grade, no exit codes, no "(cached)", diagnostics only collapsed."""
    from brandaudit.render import html

    report = typical_report()
    text = render(report, Format.HTML, RenderOptions(exit_code=1))
    visible = _visible(text)
    brand = report.brands[0]
    summary = html.executive_summary(brand)
    assert summary[0].startswith("Secured on ") and " of 15 platforms." in summary[0]
    assert any(line.startswith("Free to claim now: ") for line in summary)
    assert visible.index(summary[0]) < visible.index("Platforms, by what to do")
    assert "exit" not in visible and "(cached)" not in visible and "`" not in visible
    assert "Checked 20" in visible  # a quiet "checked <time>" line
    # Rows by what to do: free, failing, secured; then one line per cause of the undecided.
    titles = [g.title for g in html.row_groups(brand)]
    assert titles[0] == "Free to claim now"
    assert titles.index("Secured") < min(
        i for i, t in enumerate(titles) if t.startswith("Not decided")
    )
    causes = [t for t in titles if t.startswith("Not decided")]
    assert len(causes) == len(set(causes))
    undecided = sum(g.count for g in html.row_groups(brand))
    assert undecided == sum(1 for r in brand.platforms if r.status.value == "unknown")
    # Why this grade: each item with its points, adding up to the score.
    assert "Why this grade" in visible and " of " in visible and "points" in visible
    # What each undecided platform answered is there, but only in the collapsed block.
    start = text.index('<details class="tech">')
    tech = text[start : text.index("</details>", start)]
    assert "→ exit 1" in tech
    assert '<details class="tech" open' not in text


def test_html_people_activity_and_changes_sections() -> None:
    from brandaudit.render import html
    from tests.render.reports import client_report

    report = client_report()
    view = html.brand_view(report.brands[0])
    macros = [s.macro for s in view.sections]
    assert macros[-3:] == ["people", "activity", "changes"]
    text = render(report, Format.HTML)
    visible = _visible(text)
    assert "Bob Builder (CEO)" in visible and "(must hold: github)" in visible
    assert ">dormant<" in visible and "Mastodon acme" in visible
    assert "1 account dormant." in view.summary
    assert "X acme: claimed -&gt; available" in visible


def test_html_many_brands_start_with_the_overview() -> None:
    from tests.render.reports import clean_report, full_report

    both = full_report().model_copy(
        update={"brands": (*full_report().brands, *clean_report().brands)}
    )
    text = render(both, Format.HTML)
    overview = text.index("Brands, most urgent first")
    assert overview < text.index('<section class="brand"')
    assert '<th scope="col">Failing</th>' in text
    assert text.index("acme.com</td>") < text.index("example.org</td>")  # worst first


# --- through the CLI --------------------------------------------------------------------


def _world_report(world: World, tmp_path: Path) -> Path:
    p.github_user(world.http, "acme")
    p.mastodon_not_found(world.http)
    (tmp_path / "brandaudit.toml").write_text(
        '[brand]\ndomain = "acme.com"\nname = "Acme"\n\n[claims]\ngithub = "acme"\n'
        'mastodon = "acme"\n'
    )
    done = world.run("check", "-o", "report.html", "--deadline", "3", cwd=tmp_path)
    assert done.code in {1, 3}, done.stderr
    assert done.stdout == ""
    assert "→ exit" in done.stderr.splitlines()[-1]
    return tmp_path / "report.html"


@pytest.mark.e2e
def test_cli_writes_html_by_extension_and_by_format(world: World, tmp_path: Path) -> None:
    page = _world_report(world, tmp_path)
    text = page.read_text()
    assert "Brand presence report: Acme (acme.com)" in text
    p.github_user(world.http, "acme")
    out = world.run("check", "acme.com", "-p", "github", "-f", "html")
    assert out.code == 0 and out.stdout.startswith("<!DOCTYPE html>")


# --- in a real browser ------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    find_chromium() is None,
    reason="headless Chromium is not installed (apt-get install chromium; .ci/run does it)",
)


@needs_chromium
@pytest.mark.e2e
@pytest.mark.parametrize(
    ("width", "height", "mobile"), [(1280, 900, False), (390, 844, True)], ids=["desktop", "phone"]
)
def test_html_renders_in_a_browser_offline(
    world: World, tmp_path: Path, width: int, height: int, mobile: bool
) -> None:
    page = _world_report(world, tmp_path)
    loaded = load(page, width, height, mobile=mobile)
    assert loaded.requests == []
    assert loaded.console_errors == []
    assert loaded.exceptions == []
    assert distinct_colours(loaded.png) > 20  # not a blank page


@needs_chromium
def test_the_hostile_report_renders_cleanly_in_a_browser(tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(render(hostile_report(), Format.HTML))
    loaded = load(page, 1024, 768)
    assert loaded.requests == [] and loaded.console_errors == [] and loaded.exceptions == []


def test_a_blank_page_is_told_apart(tmp_path: Path) -> None:
    """The non-blank check can fail: a PNG of one colour has one colour."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * 8 for _ in range(8))
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    assert distinct_colours(png, sample=1) == 1


LAYOUT = """(() => {
  const heads = [...document.querySelectorAll('section.brand h3')].map(h => h.textContent);
  const tech = document.querySelector('details.tech');
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    heads: heads,
    firstList: document.querySelector('ul.exec li').textContent,
    techOpen: tech.open,
    techShown: getComputedStyle(tech).display !== 'none',
    trend: document.querySelector('svg.spark title').textContent,
    pageHeight: document.documentElement.scrollHeight,
  };
})()"""


@needs_chromium
@pytest.mark.parametrize(
    ("name", "width", "height", "mobile", "media"),
    [
        ("desktop", 1280, 900, False, None),
        ("phone", 390, 844, True, None),
        ("print", 794, 1123, False, "print"),  # A4 at 96 dpi, the print stylesheet
    ],
)
def test_the_client_page_in_a_browser(
    tmp_path: Path, name: str, width: int, height: int, mobile: bool, media: str | None
) -> None:
    from tests.render.reports import client_report

    page = tmp_path / "client.html"
    options = RenderOptions(exit_code=1, trend={"acme.com": (35, 42, 38, 45)})
    page.write_text(render(client_report(), Format.HTML, options))
    loaded = load(
        page, width, height, mobile=mobile, media=media, full_page=name != "phone", measure=LAYOUT
    )
    assert loaded.requests == [] and loaded.console_errors == [] and loaded.exceptions == []
    assert distinct_colours(loaded.png) > 20
    layout = loaded.measured
    assert layout["overflow"] <= 0, layout  # nothing wider than the screen or the paper
    assert layout["heads"] == [
        "Next steps",
        "Platforms, by what to do",
        "Why this grade",
        "Bluesky domain handle",
        "People",
        "Activity",
        "Since the last run",
    ]
    assert layout["firstList"].startswith("Secured on 3 of 15 platforms")
    assert layout["techOpen"] is False
    assert layout["trend"] == "Score over the last 5 runs: 35, 42, 38, 45, 50"
    assert layout["techShown"] is (media != "print")  # diagnostics never reach the paper
    if UPDATE_SCREENSHOT:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / f"report-{name}.png").write_bytes(loaded.png)


def test_html_trend_over_saved_runs() -> None:
    from brandaudit.render import html

    report = typical_report()
    options = RenderOptions(trend={"acme.com": (30, None, 40)})
    text = render(report, Format.HTML, options)
    assert "Score over the last 3 runs: 30, 40, 50" in text
    assert "30 → 50 over 3 runs" in text
    assert html.trend(report.brands[0], ()) is None  # one run: no line
    assert "<polyline" not in render(report, Format.HTML)


@pytest.mark.e2e
def test_cli_draws_the_trend_from_the_db(world: World, tmp_path: Path) -> None:
    p.github_user(world.http, "acme")
    db = tmp_path / "runs.sqlite"
    for _ in range(2):
        saved = world.run("check", "acme.com", "-p", "github", "--save", "--db", str(db))
        assert saved.code == 0, saved.stderr
    done = world.run(
        "check", "acme.com", "-p", "github", "--db", str(db), "-o", "r.html", cwd=tmp_path
    )
    assert done.code == 0, done.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Score over the last 3 runs: 100, 100, 100" in page
    plain = world.run("check", "acme.com", "-p", "github", "-o", "plain.html", cwd=tmp_path)
    assert plain.code == 0 and "<polyline" not in (tmp_path / "plain.html").read_text()


def test_html_since_last_run_from_the_options() -> None:
    # The renderer is given the previous run's changes (it never reads the store); a brand's
    # own changes (--baseline) win.
    from brandaudit.model import Change, ChangeKind

    report = typical_report()
    lost = Change(
        kind=ChangeKind.LOST, platform="github", handle="acme", before="claimed",
        after="available", regression=True, message="GitHub acme: was claimed, now available",
    )  # fmt: skip
    assert "Since the last run" not in render(report, Format.HTML)
    text = render(report, Format.HTML, RenderOptions(since_last={"acme.com": (lost,)}))
    assert "Since the last run" in text and "was claimed, now available" in text
    own = Change(kind=ChangeKind.SCORE_CHANGED, regression=False, message="readiness 40 -> 50")
    brand = report.brands[0].model_copy(update={"changes": (own,)})
    mine = render(
        report.model_copy(update={"brands": (brand,)}),
        Format.HTML,
        RenderOptions(since_last={"acme.com": (lost,)}),
    )
    assert "readiness 40 -&gt; 50" in mine and "was claimed, now available" not in mine


@pytest.mark.e2e
def test_cli_html_shows_changes_since_the_last_saved_run(world: World, tmp_path: Path) -> None:
    # issue 25: with --db and no --baseline, "Since the last run" compares with the last
    # saved run (the trend already came from the db).
    p.github_user(world.http, "acme")
    db = tmp_path / "runs.sqlite"
    saved = world.run("check", "acme.com", "-p", "github", "--save", "--db", str(db))
    assert saved.code == 0, saved.stderr
    world.http.reset()
    p.github_not_found(world.http, "acme")
    done = world.run(
        "check", "acme.com", "-p", "github", "--db", str(db), "--save", "-o", "r.html",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.code == 0, done.stderr  # shown, not judged: no --fail-on-change
    page = _visible((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "Since the last run" in page
    assert "was claimed, now available" in page
    again = world.run(
        "check", "acme.com", "-p", "github", "--db", str(db), "-o", "s.html", cwd=tmp_path
    )
    assert again.code == 0, again.stderr
    assert "Since the last run" not in _visible((tmp_path / "s.html").read_text())  # no change


def test_html_shows_the_lookalike_section_escaped() -> None:
    # issue 26 follow-up: check --lookalikes added its section to table, Markdown, JSON and
    # SARIF but not to the page a client reads. What a stranger wrote stays text.
    from brandaudit.model import (
        LookalikeClass,
        LookalikeFinding,
        Lookalikes,
        LookalikeUndecided,
        Status,
    )

    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    findings = (
        LookalikeFinding(
            platform="github", platform_name="GitHub", handle="acme-hq", variant_kind="affix",
            status=Status.CLAIMED, classification=LookalikeClass.SUSPECT,
            url="https://github.com/acme-hq", reasons=(f"its bio says {hostile}",),
        ),
        LookalikeFinding(
            platform="x", platform_name="X", handle="acmee", variant_kind="repetition",
            status=Status.CLAIMED, classification=LookalikeClass.YOURS,
            url="javascript:alert(3)", reasons=("the brand's website links it",),
        ),
    )  # fmt: skip
    section = Lookalikes(
        brand_handle="acme", platforms=("github", "x"), variants=12, checks=24,
        findings=findings, free=20, undecided=(LookalikeUndecided(platform="x", handle="acne",
        reason="rate-limited"),),
    )  # fmt: skip
    report = typical_report()
    brand = report.brands[0].model_copy(update={"lookalikes": section})
    assert "Look-alike" not in render(report, Format.HTML)
    text = render(report.model_copy(update={"brands": (brand,)}), Format.HTML)
    page = _visible(text)
    assert "Look-alike accounts and domains" in page
    assert "12 look-alike names of 'acme', 24 checks: 1 suspect" in page.replace("&#39;", "'")
    assert page.index("acme-hq") < page.index("acmee")  # suspects first
    assert '<span class="badge bad">suspect</span>' in page
    assert '<span class="badge ok">yours</span>' in page
    assert '<a href="https://github.com/acme-hq"' in page
    assert "javascript:" not in text  # no link for a non-http address
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in page
    assert "1 not decided" in page and "x acne" in page
    parsed = _parse(text)
    assert not any(tag in {"script", "img"} for tag, _ in parsed.tags)
