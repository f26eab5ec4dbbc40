"""The one cleaning path for servers' text (issue 22, finding 5): Unicode format characters,
pings and links in the step summary."""

from __future__ import annotations

import sqlite3
import sys
import unicodedata
from pathlib import Path

import pytest

from brandaudit.redact import clean_text
from brandaudit.render.markdown import md
from tests.conftest import World
from tests.hardening.helpers import FAST
from tests.world import platforms as p
from tests.world.http import Reply

BIDI = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: 'moc.emca' reads as 'acme.com'
ZERO_WIDTH = "\u200b\u200d\u2060\ufeff"


def test_every_format_character_is_stripped_and_nothing_else() -> None:
    format_chars = [
        chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"
    ]
    assert clean_text("".join(format_chars)) == ""
    kept = "acme · ünïcödé 名前 🙂 \n\t"
    assert clean_text(kept) == kept


def test_format_characters_reach_no_report(world: World) -> None:
    hidden = f"other{BIDI}moc.emca{ZERO_WIDTH}x"
    world.http.route(p.GITHUB, "/users/acme", Reply.json({"login": hidden, "type": "User"}))
    for fmt in ("json", "markdown", "html", "sarif", "junit", "table"):
        result = world.run("check", "acme.com", "-p", "github", "--no-discover", *FAST, "-f", fmt)
        assert result.code in {0, 3}, result.stderr
        # Markdown adds its own word joiners (no pings, no autolinks); nothing else.
        ours = {"\u2060"} if fmt == "markdown" else set()
        found = {c for c in result.stdout if unicodedata.category(c) == "Cf"} - ours
        assert not found, (fmt, found)
        assert BIDI not in result.stdout
    annotations = world.run(
        "check", "acme.com", "-p", "github", "--no-discover", *FAST, GITHUB_ACTIONS="true"
    )
    assert BIDI not in annotations.stderr and "\u200b" not in annotations.stderr


def test_the_step_summary_pings_and_links_nobody() -> None:
    text = md("ask @octocat about #123 at https://evil.example/x or www.evil.example")
    assert "@octocat" not in text and "#123" not in text
    assert "https://" not in text and "www." not in text
    # It reads the same: only invisible word joiners were added.
    assert (
        text.replace("\u2060", "")
        == "ask @octocat about #123 at https://evil.example/x or www.evil.example"
    )


def test_history_prints_a_crafted_store_as_text(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    p.github_user(world.http, "acme")
    saved = world.run("check", "acme.com", "-p", "github", "--no-discover", *FAST, "--save",
                      "--db", str(db))  # fmt: skip
    assert saved.code == 0, saved.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE runs SET tool_version = ?, saved_at = ?",
                     ("\x1b]0;pwned\x07\x1b[31m1.0", "[bold]2026[/bold][/]"))  # fmt: skip
        conn.execute("UPDATE results SET grade = ?", ("[/nonsense]",))
    # Wide enough that no column folds the crafted text (the date column is never cut now).
    result = world.run("history", "acme.com", "--db", str(db), COLUMNS="200")
    assert result.code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "[bold]" in result.stdout  # shown as written, not read as markup
    assert "[/nonsense]" in result.stdout


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://evil.example/@acme", "https://user@mastodon.social/"]
)
def test_a_profile_url_from_the_platform_stays_on_the_platform(world: World, url: str) -> None:
    p.mastodon_account(world.http, "acme", url=url)
    result = world.run("check", "acme.com", "-p", "mastodon", "--no-discover", *FAST, "-f", "json")
    assert result.code == 0, result.stderr
    (found,) = result.json()["brands"][0]["platforms"]
    assert found["status"] == "claimed"
    assert found["url"] == "https://mastodon.social/@acme"
    table = world.run("check", "acme.com", "-p", "mastodon", "--no-discover", *FAST)
    assert url not in table.stdout


def test_a_profile_url_on_the_platform_is_kept(world: World) -> None:
    p.mastodon_account(world.http, "acme", url="https://mastodon.social/@Acme")
    result = world.run("check", "acme.com", "-p", "mastodon", "--no-discover", *FAST, "-f", "json")
    assert result.json()["brands"][0]["platforms"][0]["url"] == "https://mastodon.social/@Acme"
