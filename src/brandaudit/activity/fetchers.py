"""One activity reader per platform: when did a claimed account last show a sign of life?

Each reader asks the platform's public or official API through the run's network core (a
``CheckContext``: every request is evidence) and returns an ``Activity``. ``known`` only when
the platform answered with a date (or said the account never posted); a failed or unexpected
answer is ``unknown`` with the reason; a platform that shows no date publicly, or needs a
credential that is not set, is ``unavailable``. Nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from brandaudit.model import Activity, ActivityStatus, PlatformResult
from brandaudit.net.client import Response
from brandaudit.platforms.base import CheckContext, q

# --- signals -----------------------------------------------------------------------------
# Bluesky AppView (BLUESKY.md §5; https://docs.bsky.app/docs/api/app-bsky-feed-get-author-feed):
# getProfile has postsCount/followersCount; getAuthorFeed?limit=1 returns the newest item
# (pinned posts only with includePins=true); a repost carries reason.indexedAt.
BSKY_PROFILE = "https://public.api.bsky.app/xrpc/app.bsky.actor.getProfile?actor={actor}"
BSKY_FEED = "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor={actor}&limit=1"
# Mastodon (https://docs.joinmastodon.org/entities/Account/): last_status_at is a date
# (``YYYY-MM-DD``, time dropped since 3.1) or null; statuses_count, followers_count.
MASTODON_LOOKUP = "https://{instance}/api/v1/accounts/lookup?acct={handle}"
# GitHub (https://docs.github.com/rest/activity/events): public events of the last 90 days,
# newest first; else the most recently pushed public repository.
GITHUB_EVENTS = "https://api.github.com/users/{handle}/events/public?per_page=1"
GITHUB_REPOS = "https://api.github.com/users/{handle}/repos?sort=pushed&direction=desc&per_page=1"
GITHUB_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
# Tumblr (https://www.tumblr.com/docs/en/api/v2#info--retrieve-blog-info): blog.updated
# (unix seconds of the last post) and blog.posts, with the consumer key.
TUMBLR_INFO = "https://api.tumblr.com/v2/blog/{blog}.tumblr.com/info?api_key={key}"
# -----------------------------------------------------------------------------------------

NO_PUBLIC_DATE: dict[str, str] = {
    "instagram": "Instagram shows no post dates to logged-out visitors",
    "tiktok": "TikTok shows no post dates without its logged-in web app",
    "facebook": "Facebook shows no post dates to logged-out visitors",
    "linkedin": "LinkedIn shows no activity to logged-out visitors",
    "threads": "Threads shows no post dates to logged-out visitors",
    "snapchat": "Snapchat shows no activity publicly",
    "pinterest": "Pinterest shows no pin dates in a public API",
    "reddit": "brandaudit does not read Reddit activity yet",
    "x": "X shows post dates only through its paid API; brandaudit does not read it yet",
    "youtube": "brandaudit does not read YouTube upload dates yet",
    "twitch": "brandaudit does not read Twitch broadcast dates yet",
}


def parse_date(value: Any) -> datetime | None:
    """An ISO 8601 date or timestamp as an aware UTC datetime, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _failed(what: str, response: Response, ctx: CheckContext) -> Activity:
    why = response.error or (
        "rate-limited (HTTP 429)"
        if response.status == 429
        else f"HTTP {response.status}, {response.content_type or 'no type'}"
    )
    ctx.mark(f"no activity: {why}")
    return Activity(
        status=ActivityStatus.UNKNOWN,
        reason=f"{what} gave no usable answer ({why})",
        evidence=tuple(ctx.evidence),
    )


def unavailable(reason: str, ctx: CheckContext | None = None) -> Activity:
    return Activity(
        status=ActivityStatus.UNAVAILABLE,
        reason=reason,
        evidence=tuple(ctx.evidence) if ctx else (),
    )


async def bluesky(result: PlatformResult, ctx: CheckContext) -> Activity:
    handle = result.handle.strip().lstrip("@").lower()
    actor = q(handle if "." in handle else handle + ".bsky.social")
    profile = await ctx.fetch(BSKY_PROFILE.format(actor=actor))
    body = profile.json()
    if profile.status != 200 or not isinstance(body, dict):
        return _failed("Bluesky getProfile", profile, ctx)
    posts, followers = _count(body.get("postsCount")), _count(body.get("followersCount"))
    ctx.mark(f"200 with postsCount={posts} followersCount={followers}")
    feed = await ctx.fetch(BSKY_FEED.format(actor=actor))
    data = feed.json()
    items = data.get("feed") if isinstance(data, dict) else None
    if feed.status != 200 or not isinstance(items, list):
        return _failed("Bluesky getAuthorFeed", feed, ctx)
    if not items:
        ctx.mark("200 with an empty feed")
        return Activity(
            status=ActivityStatus.KNOWN,
            source="newest post",
            posts=posts,
            followers=followers,
            reason="the account has no posts",
            evidence=tuple(ctx.evidence),
        )
    item: dict[str, Any] = items[0] if isinstance(items[0], dict) else {}
    raw_reason, raw_post = item.get("reason"), item.get("post")
    post: dict[str, Any] = raw_post if isinstance(raw_post, dict) else {}
    raw_record = post.get("record")
    record: dict[str, Any] = raw_record if isinstance(raw_record, dict) else {}
    repost = parse_date(raw_reason.get("indexedAt")) if isinstance(raw_reason, dict) else None
    when: datetime | None
    if repost is not None:
        when, source = repost, "newest repost"
    else:
        when = parse_date(record.get("createdAt")) or parse_date(post.get("indexedAt"))
        source = "newest post"
    if when is None:
        ctx.mark("200 but the newest item has no date")
        return Activity(
            status=ActivityStatus.UNKNOWN,
            posts=posts,
            followers=followers,
            reason="Bluesky's newest feed item carries no readable date",
            evidence=tuple(ctx.evidence),
        )
    ctx.mark(f"200 with the newest item dated {when.isoformat()}")
    return Activity(
        status=ActivityStatus.KNOWN,
        last_activity_at=when,
        source=source,
        posts=posts,
        followers=followers,
        reason=f"{source} on {when.date().isoformat()}",
        evidence=tuple(ctx.evidence),
    )


async def mastodon(result: PlatformResult, ctx: CheckContext) -> Activity:
    text = result.handle.strip().lstrip("@")
    user, _, instance = text.partition("@")
    if not instance:
        try:
            instance = (urlsplit(result.url or "").hostname or "").lower()
        except ValueError:
            instance = ""
    if not instance:
        return unavailable("the account's Mastodon instance is not known", ctx)
    response = await ctx.fetch(MASTODON_LOOKUP.format(instance=instance, handle=q(user.lower())))
    body = response.json()
    if response.status != 200 or not isinstance(body, dict) or "last_status_at" not in body:
        return _failed(f"{instance} accounts/lookup", response, ctx)
    posts, followers = _count(body.get("statuses_count")), _count(body.get("followers_count"))
    when = parse_date(body.get("last_status_at"))
    if body.get("last_status_at") is None:
        ctx.mark("200 with last_status_at null")
        return Activity(
            status=ActivityStatus.KNOWN,
            source="last status",
            posts=posts,
            followers=followers,
            reason="the account has never posted",
            evidence=tuple(ctx.evidence),
        )
    if when is None:
        ctx.mark("200 but last_status_at is not a date")
        return Activity(
            status=ActivityStatus.UNKNOWN,
            posts=posts,
            followers=followers,
            reason=f"{instance} sent a last_status_at that is not a date",
            evidence=tuple(ctx.evidence),
        )
    ctx.mark(f"200 with last_status_at {body.get('last_status_at')}")
    return Activity(
        status=ActivityStatus.KNOWN,
        last_activity_at=when,
        source="last status",
        posts=posts,
        followers=followers,
        reason=f"last status on {when.date().isoformat()}",
        evidence=tuple(ctx.evidence),
    )


async def github(result: PlatformResult, ctx: CheckContext) -> Activity:
    from brandaudit.platforms.builtin.github import TOKEN

    headers = dict(GITHUB_HEADERS)
    token = ctx.credential(TOKEN)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    handle = q(result.handle.strip().lstrip("@").lower())
    events = await ctx.fetch(GITHUB_EVENTS.format(handle=handle), headers=headers)
    data = events.json()
    if events.status != 200 or not isinstance(data, list):
        return _failed("GitHub public events", events, ctx)
    if data and isinstance(data[0], dict) and (when := parse_date(data[0].get("created_at"))):
        ctx.mark(f"200 with the newest public event dated {when.isoformat()}")
        return Activity(
            status=ActivityStatus.KNOWN,
            last_activity_at=when,
            source="newest public event",
            reason=f"newest public event on {when.date().isoformat()}",
            evidence=tuple(ctx.evidence),
        )
    ctx.mark("200 with no public events (GitHub keeps 90 days)")
    repos = await ctx.fetch(GITHUB_REPOS.format(handle=handle), headers=headers)
    listing = repos.json()
    if repos.status != 200 or not isinstance(listing, list):
        return _failed("GitHub repositories", repos, ctx)
    if (
        listing
        and isinstance(listing[0], dict)
        and (when := parse_date(listing[0].get("pushed_at")))
    ):
        ctx.mark(f"200 with the last push dated {when.isoformat()}")
        return Activity(
            status=ActivityStatus.KNOWN,
            last_activity_at=when,
            source="last push to a public repository",
            reason=f"no public events in 90 days; last push on {when.date().isoformat()}",
            evidence=tuple(ctx.evidence),
        )
    ctx.mark("200 with no public repositories")
    return unavailable(
        "no public events in the last 90 days and no public repositories: GitHub shows no "
        "older activity",
        ctx,
    )


async def tumblr(result: PlatformResult, ctx: CheckContext) -> Activity:
    from brandaudit.platforms.builtin.tumblr import API_KEY

    key = ctx.credential(API_KEY)
    if not key:
        return unavailable("Tumblr activity needs the API key (TUMBLR_API_KEY)")
    blog = q(result.handle.strip().lstrip("@").lower())
    response = await ctx.fetch(TUMBLR_INFO.format(blog=blog, key=q(key)))
    body = response.json()
    info = body.get("response", {}).get("blog") if isinstance(body, dict) else None
    if response.status != 200 or not isinstance(info, dict):
        return _failed("Tumblr blog info", response, ctx)
    updated = info.get("updated")
    posts = _count(info.get("posts"))
    if not isinstance(updated, int) or isinstance(updated, bool) or updated <= 0:
        ctx.mark("200 without blog.updated")
        return Activity(
            status=ActivityStatus.UNKNOWN,
            posts=posts,
            reason="Tumblr sent no last-update time",
            evidence=tuple(ctx.evidence),
        )
    when = datetime.fromtimestamp(updated, UTC)
    ctx.mark(f"200 with blog.updated {updated}")
    return Activity(
        status=ActivityStatus.KNOWN,
        last_activity_at=when,
        source="last post",
        posts=posts,
        reason=f"last post on {when.date().isoformat()}",
        evidence=tuple(ctx.evidence),
    )


Reader = Callable[[PlatformResult, CheckContext], Awaitable[Activity]]

READERS: dict[str, Reader] = {
    "bluesky": bluesky,
    "mastodon": mastodon,
    "github": github,
    "tumblr": tumblr,
}
