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
# Bluesky AppView (https://docs.bsky.app/docs/api/app-bsky-feed-get-author-feed):
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
# YouTube Data API v3 (https://developers.google.com/youtube/v3/docs/channels,
# .../playlistItems): statistics and the uploads playlist (1 unit), then its newest item's
# contentDetails.videoPublishedAt (1 unit).
YOUTUBE_CHANNEL = (
    "https://www.googleapis.com/youtube/v3/channels?part=statistics,contentDetails"
    "&forHandle=%40{handle}&key={key}"
)
YOUTUBE_UPLOADS = (
    "https://www.googleapis.com/youtube/v3/playlistItems?part=contentDetails&maxResults=1"
    "&playlistId={playlist}&key={key}"
)
# X API v2 (https://docs.x.com/x-api/fundamentals/data-dictionary#user): public_metrics and
# most_recent_tweet_id, then the post's created_at.
X_USER = (
    "https://api.x.com/2/users/by/username/{handle}?user.fields=public_metrics,most_recent_tweet_id"
)
X_TWEET = "https://api.x.com/2/tweets/{id}?tweet.fields=created_at"
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
    "twitch": "Twitch's API has no last-broadcast date (videos expire, so they prove nothing)",
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


def _known(
    ctx: CheckContext,
    source: str,
    when: datetime | None,
    *,
    posts: int | None = None,
    followers: int | None = None,
    reason: str | None = None,
) -> Activity:
    """A date the platform showed (``when``), or ``None`` with a ``reason`` when it said the
    account never posted; the check's requests are its evidence."""
    if reason is None:
        if when is None:
            raise ValueError("a known activity without a date needs its reason")
        reason = f"{source} on {when.date().isoformat()}"
    return Activity(
        status=ActivityStatus.KNOWN,
        last_activity_at=when,
        source=source,
        posts=posts,
        followers=followers,
        reason=reason,
        evidence=tuple(ctx.evidence),
    )


def _never_posted(
    ctx: CheckContext,
    listing: str,
    source: str,
    reason: str,
    *,
    posts: int | None,
    followers: int | None = None,
) -> Activity:
    """An empty ``listing``: "never posted" only when the post count agrees (0); empty beside
    another count (or none) proves nothing, so ``unknown``, never a guessed date."""
    if posts != 0:
        shown = "no count" if posts is None else f"a count of {posts}"
        ctx.mark(f"no activity: an empty listing with {shown}")
        return Activity(
            status=ActivityStatus.UNKNOWN,
            reason=f"{listing} is empty, but the account shows {shown}: the date can't be read",
            evidence=tuple(ctx.evidence),
        )
    ctx.mark(f"200 with an empty listing ({listing}) and a count of 0")
    return _known(ctx, source, None, posts=posts, followers=followers, reason=reason)


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
        return _never_posted(
            ctx,
            "The Bluesky feed",
            "newest post",
            "the account has no posts",
            posts=posts,
            followers=followers,
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
    return _known(
        ctx,
        source,
        when,
        posts=posts,
        followers=followers,
        reason=f"{source} on {when.date().isoformat()}",
    )


async def mastodon(result: PlatformResult, ctx: CheckContext) -> Activity:
    text = result.handle.strip().lstrip("@")
    user, _, instance = text.partition("@")
    if not instance:
        # The instance the adapter asked and that answered (its evidence), never the host of
        # the profile URL the server sent back: a server must not steer the next request.
        for item in result.evidence:
            if item.status_code == 200 and "/api/v1/accounts/lookup" in item.url:
                try:
                    instance = (urlsplit(item.url).hostname or "").lower()
                except ValueError:
                    instance = ""
                break
    if not instance:
        return unavailable("the account's Mastodon instance is not known", ctx)
    response = await ctx.fetch(MASTODON_LOOKUP.format(instance=instance, handle=q(user.lower())))
    body = response.json()
    if response.status != 200 or not isinstance(body, dict) or "last_status_at" not in body:
        return _failed(f"{instance} accounts/lookup", response, ctx)
    posts, followers = _count(body.get("statuses_count")), _count(body.get("followers_count"))
    when = parse_date(body.get("last_status_at"))
    if body.get("last_status_at") is None:
        return _never_posted(
            ctx,
            "Mastodon's last_status_at",
            "last status",
            "the account has never posted",
            posts=posts,
            followers=followers,
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
    return _known(ctx, "last status", when, posts=posts, followers=followers)


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
    if data and not (isinstance(data[0], dict) and parse_date(data[0].get("created_at"))):
        ctx.mark("no activity: the newest public event has no readable date")
        return Activity(
            status=ActivityStatus.UNKNOWN,
            reason="GitHub's newest public event has no readable date",
            evidence=tuple(ctx.evidence),
        )
    if data and isinstance(data[0], dict) and (when := parse_date(data[0].get("created_at"))):
        ctx.mark(f"200 with the newest public event dated {when.isoformat()}")
        return _known(ctx, "newest public event", when)
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
        return _known(
            ctx,
            "last push to a public repository",
            when,
            reason=f"no public events in 90 days; last push on {when.date().isoformat()}",
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
    return _known(ctx, "last post", when, posts=posts)


async def youtube(result: PlatformResult, ctx: CheckContext) -> Activity:
    from brandaudit.platforms.builtin.youtube import KEY

    key = ctx.credential(KEY)
    if not key:
        return unavailable("YouTube activity needs the Data API key (YOUTUBE_API_KEY)")
    handle = q(result.handle.strip().lstrip("@"))
    channel = await ctx.fetch(YOUTUBE_CHANNEL.format(handle=handle, key=q(key)))
    body = channel.json()
    items = body.get("items") if isinstance(body, dict) else None
    if channel.status != 200 or not isinstance(items, list) or not items:
        return _failed("YouTube channels", channel, ctx)
    item = items[0] if isinstance(items[0], dict) else {}
    stats = _dict(item.get("statistics"))
    posts = _count(_int(stats.get("videoCount")))
    hidden = stats.get("hiddenSubscriberCount") is True
    followers = None if hidden else _count(_int(stats.get("subscriberCount")))
    details = _dict(item.get("contentDetails"))
    related = details.get("relatedPlaylists") if isinstance(details, dict) else None
    uploads = related.get("uploads") if isinstance(related, dict) else None
    ctx.mark(f"200 with videoCount={posts}")
    if not isinstance(uploads, str) or not uploads:
        return Activity(
            status=ActivityStatus.UNKNOWN,
            posts=posts,
            followers=followers,
            reason="YouTube named no uploads playlist",
            evidence=tuple(ctx.evidence),
        )
    listing = await ctx.fetch(YOUTUBE_UPLOADS.format(playlist=q(uploads), key=q(key)))
    data = listing.json()
    videos = data.get("items") if isinstance(data, dict) else None
    if listing.status != 200 or not isinstance(videos, list):
        return _failed("YouTube uploads", listing, ctx)
    if not videos:
        return _never_posted(
            ctx,
            "The uploads playlist",
            "newest upload",
            "the channel has no uploads",
            posts=posts,
            followers=followers,
        )
    first = videos[0] if isinstance(videos[0], dict) else {}
    content = _dict(first.get("contentDetails"))
    when = parse_date(content.get("videoPublishedAt"))
    if when is None:
        return _failed("YouTube uploads (no videoPublishedAt)", listing, ctx)
    ctx.mark(f"200 with the newest upload dated {when.isoformat()}")
    return _known(ctx, "newest upload", when, posts=posts, followers=followers)


async def x(result: PlatformResult, ctx: CheckContext) -> Activity:
    from brandaudit.platforms.builtin.x import BEARER

    token = ctx.credential(BEARER)
    if not token:
        return unavailable("X activity needs the API bearer token (X_BEARER_TOKEN)")
    headers = {"Authorization": f"Bearer {token}"}
    user = await ctx.fetch(
        X_USER.format(handle=q(result.handle.strip().lstrip("@"))), headers=headers
    )
    body = user.json()
    data = body.get("data") if isinstance(body, dict) else None
    if user.status != 200 or not isinstance(data, dict):
        return _failed("X user lookup", user, ctx)
    metrics = _dict(data.get("public_metrics"))
    posts, followers = _count(metrics.get("tweet_count")), _count(metrics.get("followers_count"))
    newest = data.get("most_recent_tweet_id")
    if not isinstance(newest, str) or not newest.isdigit():
        ctx.mark("200 without most_recent_tweet_id")
        if posts == 0:
            return _known(
                ctx,
                "newest post",
                None,
                posts=posts,
                followers=followers,
                reason="the account has no posts",
            )
        return Activity(
            status=ActivityStatus.UNKNOWN,
            posts=posts,
            followers=followers,
            reason="X named no most recent post",
            evidence=tuple(ctx.evidence),
        )
    ctx.mark(f"200 with most_recent_tweet_id {newest}")
    tweet = await ctx.fetch(X_TWEET.format(id=newest), headers=headers)
    tweet_body = tweet.json()
    tweet_data = tweet_body.get("data") if isinstance(tweet_body, dict) else None
    when = parse_date(tweet_data.get("created_at")) if isinstance(tweet_data, dict) else None
    if tweet.status != 200 or when is None:
        return _failed("X post lookup", tweet, ctx)
    ctx.mark(f"200 with created_at {when.isoformat()}")
    return _known(ctx, "newest post", when, posts=posts, followers=followers)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    """YouTube sends counts as strings of digits."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


Reader = Callable[[PlatformResult, CheckContext], Awaitable[Activity]]

READERS: dict[str, Reader] = {
    "bluesky": bluesky,
    "mastodon": mastodon,
    "github": github,
    "tumblr": tumblr,
    "youtube": youtube,
    "x": x,
}
