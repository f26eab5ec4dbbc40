"""The whole catalog through the installed CLI: every platform's claimed and not-found shapes."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.conftest import World
from tests.world import platform_fixtures as f
from tests.world import platforms as p

pytestmark = pytest.mark.e2e

BUILTINS = {
    "bluesky", "github", "mastodon", "x", "threads", "instagram", "tiktok", "youtube",
    "linkedin", "facebook", "reddit", "pinterest", "twitch", "snapchat", "tumblr",
    "discord", "discord-invite", "telegram", "substack", "kick", "linktree", "medium",
}  # fmt: skip


def _rows(result_json: dict[str, object]) -> dict[str, dict[str, object]]:
    brands = result_json["brands"]
    assert isinstance(brands, list)
    return {r["platform"]: r for r in brands[0]["platforms"]}


def test_claimed_on_every_platform(world: World) -> None:
    h = "acme"
    p.bsky_profile(world.http, "acme.bsky.social")
    p.github_user(world.http, h)
    p.mastodon_account(world.http, h)
    f.x_availability(world.http, "taken")
    f.instagram_user(world.http, h)
    f.instagram_user(world.http, h, host=f.THREADS)
    f.tiktok_oembed(world.http, h)
    f.youtube_channel_page(world.http, h)
    f.linkedin_company(world.http, h)
    f.facebook_page(world.http, h)
    f.reddit_user(world.http, h)
    f.pinterest_profile(world.http, h)
    f.twitch_gql(world.http, {"__typename": "User", "id": "1", "login": h})
    f.snapchat_profile(world.http, h)
    f.tumblr_blog_page(world.http, h)
    f.discord_username(world.http, {h: True})
    f.discord_invite(world.http, h)
    f.telegram_profile(world.http, h)
    f.substack_profile(world.http, h)
    f.kick_channel(world.http, h)
    f.linktree_page(world.http, h)
    f.medium_user(world.http, h)
    result = world.run("check", "acme.com", "-H", h, "-f", "json", "--no-progress")
    assert result.code == 0, result.stderr
    report = result.json()
    jsonschema.validate(report, json.loads(world.run("schema").stdout))
    rows = _rows(report)
    assert set(rows) >= BUILTINS
    assert {k: rows[k]["status"] for k in BUILTINS} == dict.fromkeys(BUILTINS, "claimed")
    for platform in BUILTINS:
        assert rows[platform]["evidence"], platform
        assert rows[platform]["evidence"][-1]["signal"], platform


def test_not_found_on_every_platform_is_available_only_where_the_platform_can_say_so(
    world: World,
) -> None:
    h = "acmebrand"
    p.bsky_not_found(world.http)
    p.github_not_found(world.http, h)
    p.mastodon_not_found(world.http)
    f.x_availability(world.http, "available")
    f.instagram_not_found(world.http)
    f.instagram_not_found(world.http, f.THREADS)
    f.tiktok_not_shown(world.http, h)
    f.youtube_page_not_found(world.http, h)
    f.linkedin_generic_200(world.http, h)
    f.facebook_unavailable(world.http, h)
    f.reddit_not_found(world.http, h)
    f.reddit_signup_check(world.http, True)
    f.pinterest_not_found(world.http, h)
    f.twitch_gql(world.http, {"__typename": "UserDoesNotExist", "key": h, "reason": "UNKNOWN"})
    f.snapchat_not_found(world.http, h)
    f.tumblr_not_found(world.http, h)
    f.discord_username(world.http, {h: False})
    f.discord_invite_unknown(world.http, h)
    f.telegram_free(world.http, h)
    f.substack_not_found(world.http, h)
    f.kick_not_found(world.http, h)
    f.linktree_not_found(world.http, h)
    f.medium_not_found(world.http, h)
    result = world.run("check", "acme.com", "-H", h, "-f", "json", "--no-progress")
    assert result.code == 0, result.stderr
    rows = _rows(result.json())
    never = {"threads", "tiktok", "linkedin", "facebook"}
    assert {k: rows[k]["status"] for k in never} == dict.fromkeys(never, "unknown")
    others = BUILTINS - never
    assert {k: rows[k]["status"] for k in others} == dict.fromkeys(others, "available")
    assert all(rows[k]["remediation"] for k in others)
