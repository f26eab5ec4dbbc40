"""Facebook Pages: the Graph API alias lookup with an access token, else the public page,
which can only say ``claimed``.

"This content isn't available" covers missing, private and restricted pages alike, and
anonymous visitors are often sent to the login page: without the API Facebook never says
``available``. Dots and case don't count in names (``acme.brand`` = ``AcmeBrand``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, Credential, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, expects_json, undecided
from brandaudit.platforms.verdicts import SIGNAL_DRIFT, claimed, drifted, no_verdict, official_first

if TYPE_CHECKING:
    from brandaudit.net.client import Response

# --- signals -----------------------------------------------------------------------------
# Graph v19.0 expired on 2026-05-21 (Meta's version table; docs/platforms.md "facebook",
# 2026-12). v24.0 (October 2025) is served for about two years; bump it before it expires.
GRAPH_VERSION = "v24.0"
GRAPH = "https://graph.facebook.com/" + GRAPH_VERSION + "/{handle}?{query}"
# A version Graph no longer serves (or a call it calls deprecated): error code 12
# ("... is deprecated for versions v2.x and higher") or 2635 ("You are calling a deprecated
# version of the ... API"), or an error message naming a version it refuses (Graph API error
# reference, https://developers.facebook.com/docs/graph-api/guides/error-handling). Drift:
# brandaudit must be updated; never silence, and never the page's weaker guess instead.
VERSION_ERROR_CODES = frozenset({12, 2635})
MESSAGE_CAP = 300
VERSION_ERROR_TEXT = re.compile(
    r"(?:deprecated|unsupported|invalid|unknown|no longer (?:available|supported))[^.]*"
    r"\bversion|\bversion\b[^.]*(?:deprecated|no longer|not (?:available|supported)|expired)",
    re.IGNORECASE,
)
GRAPH_CLAIMED = Signal.of(200, json_path="id", label="Graph 200 with id")
# Error 803 has two meanings (brandaudit issue 12; Graph API error reference,
# https://developers.facebook.com/docs/graph-api/guides/error-handling):
# {"error": {"message": "(#803) Some of the aliases you requested do not exist: acme",
#            "type": "OAuthException", "code": 803, ...}} with 404 (also 400, formerly 200):
# no Page and no profile holds the name. And
# {"error": {"message": "(#803) Cannot query users by their username (acme)", "code": 803}}:
# a personal profile holds it (Pages and profiles share one namespace), which the Graph API
# won't show. The code alone decides nothing: the message says which.
GRAPH_803 = Signal.of(
    200, 400, 404, json_path="error.code", json_equals=803, label="Graph error code 803"
)
GRAPH_NOT_FOUND = Signal.of(
    200, 400, 404, json_path="error.code", json_equals=803,
    contains=("Some of the aliases you requested do not exist",),
    label="Graph error 803 'Some of the aliases you requested do not exist'",
)  # fmt: skip
GRAPH_PROFILE = Signal.of(
    200, 400, 404, json_path="error.code", json_equals=803,
    contains=("Cannot query users by their username",),
    label="Graph error 803 'Cannot query users by their username'",
)  # fmt: skip
PAGE = "https://www.facebook.com/{handle}"
PAGE_HEADERS = {"Accept-Language": "en", "Accept": "text/html"}
# Missing, private or restricted alike. Facebook ships it in two wordings ("right now", "at the
# moment") inside page JSON, where the apostrophe is backslash-escaped (user-scanner
# user_scanner/user_scan/social/facebook.py, 0318009, 2026-08-08: `isn\\?'t`); the HTML
# entity and the typographic apostrophe occur in rendered text.
UNAVAILABLE = re.compile(r"This content isn(?:'|\\'|\\u0027|&#0?39;|\u2019)t available")
PAGE_CLAIMED = Signal.of(
    200,
    patterns=(r'<meta property="og:url" content="https://www\.facebook\.com/{handle}/?"',),
    ignore_case=True,
    label="200 with og:url for the name",
)
TOKEN = Credential(
    "facebook_access_token",
    ("BRANDAUDIT_FACEBOOK_ACCESS_TOKEN", "FACEBOOK_ACCESS_TOKEN"),
    "Graph API alias lookup (app token; other people's Pages need Meta approval)",
)
MIN_NEW_LENGTH = 5
# -----------------------------------------------------------------------------------------

HOSTS = {
    "facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com",
    "business.facebook.com", "fb.com", "www.fb.com",
}  # fmt: skip
RESERVED_PATHS = frozenset(
    {
        "sharer", "sharer.php", "share", "share.php", "dialog", "groups", "events", "watch",
        "photo", "photo.php", "photos", "story.php", "permalink.php", "hashtag", "login",
        "login.php", "pages", "profile.php", "people", "plugins", "tr", "help", "policies",
        "privacy", "marketplace", "gaming", "reel", "reels", "stories", "home.php", "search",
        "settings", "notes", "ads", "business", "legal", "l.php", "video.php", "videos",
        "messages", "friends", "bookmarks", "recover", "r.php", "signup", "reg",
    }
)  # fmt: skip


class FacebookAdapter(Adapter):
    id = "facebook"
    canary = "facebook"
    canary_source = "the platform's own Page (facebook.com/facebook)"
    name = "Facebook"
    methods = (Method.OFFICIAL_API, Method.PUBLIC_PAGE)
    rule = HandleRule(
        r"(?=.{1,50}$)(?![0-9.]+$)[a-z0-9.]+",
        "up to 50 letters, digits or '.', not all digits (new names need 5 or more)",
    )
    profile_template = "https://www.facebook.com/{handle}"
    signup_url = "https://www.facebook.com/pages/create"
    credentials = (TOKEN,)
    available_needs = (TOKEN,)

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, reserved=RESERVED_PATHS)
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        token = ctx.credential(TOKEN)
        return await official_first(
            self._graph(handle, token, ctx) if token else None,
            lambda: self._page(handle, ctx),
            "the Graph API",
            drift_is_final=True,
        )

    async def _graph(self, handle: str, token: str, ctx: CheckContext) -> Verdict:
        method = Method.OFFICIAL_API
        what = "Facebook Graph API"
        query = urlencode({"fields": "id,name", "access_token": token})
        response = await ctx.fetch(GRAPH.format(handle=q(handle), query=query))
        if drift := _version_drift(response, what, ctx):
            return drift
        if GRAPH_PROFILE.matches(response):
            return claimed(
                ctx,
                GRAPH_PROFILE,
                f"a personal Facebook profile holds the name {handle!r} (error 803 'Cannot "
                "query users by their username'); the Graph API doesn't show profiles, so who "
                "owns it can't be confirmed",
                method,
            )
        if GRAPH_NOT_FOUND.matches(response):
            ctx.mark(GRAPH_NOT_FOUND.describe())
            if len(handle.replace(".", "")) < MIN_NEW_LENGTH or re.search(
                r"\.(?:com|net)$", handle
            ):
                return Verdict(
                    Status.INVALID,
                    Confidence.MEDIUM,
                    f"no Page {handle!r}, but new Facebook names need 5 or more characters "
                    "and may not end in .com or .net",
                    method,
                )
            return Verdict(
                Status.AVAILABLE,
                Confidence.MEDIUM,
                f"Facebook says no Page or profile has the name {handle!r} (error 803)",
                method,
                remediation=f"Create the Page and set its username at {self.signup_url}",
            )
        if GRAPH_803.matches(response):
            return drifted(
                ctx,
                "signal drift: error 803 with neither known message",
                f"{what}: no verdict: signal drift (error 803 with a message brandaudit doesn't "
                "know); the adapter may need re-checking",
                method,
            )
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early
        body: Any = response.json()
        if GRAPH_CLAIMED.matches(response):
            ctx.mark(GRAPH_CLAIMED.describe())
            name = body.get("name") if isinstance(body.get("name"), str) else None
            return Verdict(
                Status.CLAIMED,
                Confidence.HIGH,
                f"facebook.com/{handle} is a Facebook Page or profile ({body['id']})",
                method,
                profile=ProfileInfo(display_name=name),
            )
        return undecided(response, method, what, ctx, GRAPH_CLAIMED, GRAPH_803)

    async def _page(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_PAGE
        response = await ctx.fetch(PAGE.format(handle=q(handle)), headers=PAGE_HEADERS)
        if early := blocked(response, method, "Facebook", ctx):
            return early
        signal = PAGE_CLAIMED.bind(handle)
        if signal.matches(response) and not UNAVAILABLE.search(response.text()):
            return claimed(
                ctx, signal, f"facebook.com/{handle} is a Facebook Page or profile", method
            )
        return no_verdict(
            ctx,
            f"no verdict: HTTP {response.status} without the Page's og:url",
            f"Facebook shows no public Page {handle!r} (HTTP {response.status}); missing, "
            "private and restricted Pages look alike, so only the Graph API can say a name "
            "is free",
            method,
        )


def _version_drift(response: Response, what: str, ctx: CheckContext) -> Verdict | None:
    """``unknown`` (signal drift) when Graph refuses the API version brandaudit calls."""
    body: Any = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    code = error.get("code") if isinstance(error.get("code"), int) else None
    # Graph's messages are one sentence; a longer one is cut before the regex reads it.
    message = str(error.get("message") or "")[:MESSAGE_CAP]
    if code not in VERSION_ERROR_CODES and not VERSION_ERROR_TEXT.search(message):
        return None
    return drifted(
        ctx,
        f"{SIGNAL_DRIFT}: Graph error {code} about the API version",
        f"{what}: no verdict: {SIGNAL_DRIFT}: Graph refuses API version {GRAPH_VERSION} "
        f"(error {code}: {message[:120]}); brandaudit needs updating",
        Method.OFFICIAL_API,
    )
