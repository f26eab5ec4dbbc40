"""YouTube handles (``@name``): the Data API's ``channels?forHandle=`` with a key, else the
handle page. EU visitors are redirected to ``consent.youtube.com``, which decides nothing
(a peer read it as "taken" for every name). Legacy ``/c/`` and ``/user/`` names are separate
namespaces and are not checked."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from brandaudit.model import Confidence, Method, ProfileInfo
from brandaudit.platforms.base import Adapter, CheckContext, Credential, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, expects_json, json_path, undecided
from brandaudit.platforms.verdicts import available, claimed, drifted, official_first

# --- signals -----------------------------------------------------------------------------
# Data API docs: https://developers.google.com/youtube/v3/docs/channels/list (forHandle).
API = "https://www.googleapis.com/youtube/v3/channels?{query}"  # 1 quota unit
API_CLAIMED = Signal.of(200, json_path="items.0.id", label="200 with items[0].id")
# 200 {"kind": "youtube#channelListResponse", "etag": "...", "pageInfo": {...}} (no items)
API_NOT_FOUND = Signal.of(
    200, json_path="kind", json_equals="youtube#channelListResponse",
    label="200 channelListResponse without items",
)  # fmt: skip
PAGE = "https://www.youtube.com/@{handle}?cbrd=1&ucbcb=1"  # the query skips the consent wall
PAGE_HEADERS = {"Accept-Language": "en", "Accept": "text/html"}
# Claimed: 200 and the page's own channel id, read from ytInitialData at
# metadata.channelMetadataRenderer.externalId. A "channelId" anywhere on the page is not
# enough: recommendation shelves and error pages carry other channels' ids (user-scanner's
# false-positive fix, user_scanner/user_scan/social/youtube.py at 1030660, 2026-08-06, reads
# exactly this path; WhatsMyName's "YouTube User2" e_string canonicalBaseUrl is weaker).
PAGE_CLAIMED = Signal.of(
    200, contains=("ytInitialData",), label="200 with ytInitialData",
)  # fmt: skip
CHANNEL_ID_PATH = "metadata.channelMetadataRenderer.externalId"
CHANNEL_ID = re.compile(r"UC[\w-]{22}")
INITIAL_DATA = re.compile(r"ytInitialData\s*=\s*")
# Both: the not-found text and something only YouTube's own pages carry (a CDN's plain
# "404 Not Found" must not read as a free handle).
PAGE_NOT_FOUND = Signal.of(
    404,
    patterns=(
        r"404 Not Found|This page isn(?:'|&#39;|\\u0027|’)t available",
        r"www\.youtube\.com/s/|ytInitialData|yt-icon",
    ),
    label="404 with YouTube's not-found page",
)
KEY = Credential(
    "youtube_api_key",
    ("BRANDAUDIT_YOUTUBE_API_KEY", "YOUTUBE_API_KEY"),
    "YouTube Data API v3 channels?forHandle= (1 quota unit per check)",
)
# -----------------------------------------------------------------------------------------

HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
TABS = frozenset(
    {"featured", "videos", "shorts", "streams", "playlists", "community", "about", "channels",
     "podcasts", "releases", "store", "posts"}
)  # fmt: skip


class YouTubeAdapter(Adapter):
    id = "youtube"
    canary = "youtube"
    canary_source = "Sherlock data.json 'YouTube' username_claimed: youtube"
    name = "YouTube"
    methods = (Method.OFFICIAL_API, Method.PUBLIC_PAGE)
    rule = HandleRule(r"[\w.-]{3,30}", "3-30 letters, digits, '_', '-' or '.'")
    profile_template = "https://www.youtube.com/@{handle}"
    signup_url = "https://www.youtube.com/account"
    credentials = (KEY,)

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, prefix="@", tabs=TABS)
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        key = ctx.credential(KEY)
        return await official_first(
            self._api(handle, key, ctx) if key else None,
            lambda: self._page(handle, ctx),
            "the Data API",
        )

    async def _api(self, handle: str, key: str, ctx: CheckContext) -> Verdict:
        method = Method.OFFICIAL_API
        what = "YouTube Data API"
        query = urlencode({"part": "id,snippet", "forHandle": f"@{handle}", "key": key})
        response = await ctx.fetch(API.format(query=query))
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early
        body: Any = response.json()
        if API_CLAIMED.matches(response) and str(body["items"][0]["id"]).startswith("UC"):
            item = body["items"][0]
            return claimed(
                ctx,
                API_CLAIMED,
                f"youtube.com/@{handle} is the channel {item['id']}",
                method,
                Confidence.HIGH,
                profile=_profile(item.get("snippet")),
            )
        if API_NOT_FOUND.matches(response) and not body.get("items"):
            return available(
                ctx,
                API_NOT_FOUND,
                f"YouTube has no channel with the handle @{handle} (names held by "
                "terminated channels are not shown)",
                method,
                Confidence.MEDIUM,
                f"Choose @{handle} as a channel handle at {self.signup_url}",
            )
        return undecided(response, method, what, ctx, API_CLAIMED, API_NOT_FOUND)

    async def _page(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_PAGE
        what = "YouTube"
        response = await ctx.fetch(PAGE.format(handle=q(handle)), headers=PAGE_HEADERS)
        if early := blocked(response, method, what, ctx):
            return early
        channel = _channel_id(response.text()) if PAGE_CLAIMED.matches(response) else None
        if channel:
            return claimed(
                ctx,
                f"200 with ytInitialData {CHANNEL_ID_PATH} {channel}",
                f"youtube.com/@{handle} is the YouTube channel {channel}",
                method,
            )
        if response.status == 200 and PAGE_CLAIMED.matches(response):
            return drifted(
                ctx,
                f"signal drift: HTTP 200, ytInitialData without {CHANNEL_ID_PATH}",
                f"{what}: no verdict: signal drift (HTTP 200 came with ytInitialData but no "
                f"{CHANNEL_ID_PATH}); the adapter may need re-checking",
                method,
            )
        if PAGE_NOT_FOUND.matches(response):
            return available(
                ctx,
                PAGE_NOT_FOUND,
                f"YouTube has no channel page @{handle} (names held by terminated channels "
                "look the same)",
                method,
                Confidence.MEDIUM,
                f"Choose @{handle} as a channel handle at {self.signup_url}",
            )
        return undecided(response, method, what, ctx, PAGE_CLAIMED, PAGE_NOT_FOUND)


def _channel_id(page: str) -> str | None:
    """The channel id at ytInitialData's metadata.channelMetadataRenderer.externalId."""
    match = INITIAL_DATA.search(page)
    if not match:
        return None
    try:
        data, _ = json.JSONDecoder().raw_decode(page, match.end())
    except (ValueError, RecursionError):
        return None
    value = json_path(data, CHANNEL_ID_PATH)
    return value if isinstance(value, str) and CHANNEL_ID.fullmatch(value) else None


def _profile(snippet: Any) -> ProfileInfo | None:
    if not isinstance(snippet, dict):
        return None
    title = snippet.get("title") if isinstance(snippet.get("title"), str) else None
    description = (
        snippet.get("description") if isinstance(snippet.get("description"), str) else None
    )
    return ProfileInfo(display_name=title, description=description or None)
