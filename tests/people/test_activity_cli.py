"""End-to-end: activity read with each platform's API (credentials set), through the CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import World
from tests.people.world import BskyAccount, People, iso
from tests.world import platform_fixtures as f
from tests.world import platforms as p
from tests.world.http import Reply

pytestmark = pytest.mark.e2e

ALL = (
    "-p",
    "youtube",
    "-p",
    "x",
    "-p",
    "tumblr",
    "-p",
    "github",
    "-p",
    "mastodon",
    "-p",
    "bluesky",
)
CREDENTIALS = {
    "YOUTUBE_API_KEY": "yt-key-123456",
    "X_BEARER_TOKEN": "x-bearer-123456",
    "TUMBLR_API_KEY": "tumblr-key-123456",
}


def _world(world: World, now: datetime) -> None:
    channel: dict[str, object] = {
        "kind": "youtube#channel",
        "id": "UCabcdefghijklmnopqrstuv",
        "snippet": {"title": "Acme", "customUrl": "@acme"},
        "statistics": {
            "videoCount": "12",
            "subscriberCount": "3400",
            "hiddenSubscriberCount": False,
        },
        "contentDetails": {"relatedPlaylists": {"uploads": "UUabcdefghijklmnopqrstuv"}},
    }
    f.youtube_api(world.http, [channel])
    world.http.route(
        "www.googleapis.com",
        "/youtube/v3/playlistItems",
        Reply.json(
            {
                "items": [
                    {
                        "contentDetails": {
                            "videoId": "v1",
                            "videoPublishedAt": iso(now - timedelta(days=10)),
                        }
                    }
                ]
            }
        ),
    )
    world.http.route(
        "api.x.com",
        "/2/users/by/username/acme",
        Reply.json(
            {
                "data": {
                    "id": "2244994945",
                    "name": "Acme Inc",
                    "username": "acme",
                    "most_recent_tweet_id": "1460323737035677698",
                    "public_metrics": {"followers_count": 500, "tweet_count": 900},
                }
            }
        ),
    )
    world.http.route(
        "api.x.com",
        "/2/tweets/1460323737035677698",
        Reply.json(
            {"data": {"id": "1460323737035677698", "created_at": iso(now - timedelta(days=500))}}
        ),
    )
    world.http.route(
        "api.tumblr.com",
        "/v2/blog/acme.tumblr.com/info",
        Reply.json(
            {
                "meta": {"status": 200, "msg": "OK"},
                "response": {
                    "blog": {
                        "name": "acme",
                        "title": "Acme",
                        "posts": 77,
                        "updated": int((now - timedelta(days=30)).timestamp()),
                    }
                },
            }
        ),
    )
    p.github_user(world.http, "acme")
    world.http.route("api.github.com", "/users/acme/events/public", Reply.json([]))
    world.http.route(
        "api.github.com",
        "/users/acme/repos",
        Reply.json([{"name": "site", "pushed_at": iso(now - timedelta(days=20))}]),
    )
    people = People(world)
    people.account(
        BskyAccount("did:plc:acmeacmeacmeacmeacmeacme", "acme.bsky.social", posts=0), dns=False
    )
    people.toot("acme", None, statuses_count=0)  # never posted
    people.install()


def _activity(result: Any) -> dict[str, dict[str, Any]]:
    brand = result.json()["brands"][0]
    return {r["platform"]: r.get("activity") for r in brand["platforms"] if r["handle"] == "acme"}


def test_activity_from_each_api_with_credentials(world: World) -> None:
    now = datetime.now(UTC)
    _world(world, now)
    env = world.env(**CREDENTIALS)
    result = world.run("check", "acme.com", "-f", "json", "--no-discover", *ALL, env=env)
    assert result.code == 0, result.stderr
    activity = _activity(result)
    youtube, x, tumblr = activity["youtube"], activity["x"], activity["tumblr"]
    assert (youtube["source"], youtube["posts"], youtube["followers"]) == (
        "newest upload",
        12,
        3400,
    )
    assert youtube["dormant"] is False
    assert (x["source"], x["posts"], x["followers"], x["dormant"]) == (
        "newest post",
        900,
        500,
        True,
    )
    assert (tumblr["posts"], tumblr["dormant"]) == (77, False)
    assert activity["github"]["source"] == "last push to a public repository"
    assert activity["github"]["dormant"] is False
    # The platform said "never posted": dormant, with no date.
    assert activity["mastodon"]["reason"] == "the account has never posted"
    assert activity["mastodon"]["last_activity_at"] is None and activity["mastodon"]["dormant"]
    assert activity["bluesky"]["reason"] == "the account has no posts"
    assert activity["bluesky"]["dormant"] is True
    # Secrets never reach the report, even in recorded URLs.
    for secret in CREDENTIALS.values():
        assert secret not in result.stdout
    requests = world.http.requests_to("api.x.com")
    assert any(r.headers.get("authorization") == "Bearer x-bearer-123456" for r in requests)


def test_without_credentials_activity_is_unavailable_not_guessed(world: World) -> None:
    now = datetime.now(UTC)
    _world(world, now)
    f.youtube_channel_page(world.http, "acme")
    f.tumblr_blog_page(world.http, "acme")
    result = world.run(
        "check", "acme.com", "-f", "json", "--no-discover", "-p", "youtube", "-p", "tumblr"
    )
    assert result.code == 0, result.stderr
    activity = _activity(result)
    for platform in ("youtube", "tumblr"):
        assert activity[platform]["status"] == "unavailable", activity[platform]
        assert "needs" in activity[platform]["reason"]
        assert activity[platform]["dormant"] is None
    assert not world.http.requests_to("www.googleapis.com")


def test_activity_can_be_switched_off(world: World, tmp_path: Path) -> None:
    _world(world, datetime.now(UTC))
    path = tmp_path / "brandaudit.toml"
    path.write_text("[brand]\nactivity = false\n", encoding="utf-8")
    result = world.run("check", "acme.com", "-c", str(path), "-f", "json", "-p", "github")
    assert result.code == 0, result.stderr
    assert _activity(result) == {"github": None}
    assert [r.path for r in world.http.requests_to("api.github.com")] == ["/users/acme"]
