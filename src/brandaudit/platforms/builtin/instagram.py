"""Instagram: the web app's profile JSON (``web_profile_info``).

Datacenter IPs are walled quickly (401 "Please wait a few minutes", redirects to the login
page); all of that is ``unknown``. Deactivated accounts disappear but keep their name, so a
not-found answer is ``available`` with medium confidence at best. The Business Discovery API
only sees business and creator accounts, so it is not used for availability.
"""

from __future__ import annotations

from typing import Any

from brandaudit.model import Cause, Confidence, Method, ProfileInfo
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, expects_json, undecided
from brandaudit.platforms.verdicts import (
    another_account,
    available,
    claimed,
    is_other_account,
    no_verdict,
)

# --- signals -----------------------------------------------------------------------------
WEB_PROFILE = "https://www.instagram.com/api/v1/users/web_profile_info/?username={handle}"
WEB_APP_ID = "936619743392459"  # the web app's public X-IG-App-ID (MG, US)
HEADERS = {
    "X-IG-App-ID": WEB_APP_ID,
    "Accept": "application/json",
    "Accept-Language": "en",
    "Referer": "https://www.instagram.com/",
}
# 200 {"data": {"user": {"username": "...", "is_private": false, ...}}, "status": "ok"}
CLAIMED = Signal.of(200, json_path="data.user.username", label="200 with data.user")
# Not found: a 404 whose body's data.user is null, the answer scrapers have long handled
# for a missing name (notslang/instagram-scrape-account-stats PR #1, "Handle 404 from
# Instagram when username does not exist"; user-scanner user_scanner/user_scan/social/
# instagram.py at 1030660 reads the 404 the same way).
NOT_FOUND = Signal.of(404, json_path="data.user", json_equals=None, label="404 data.user null")
# A 200 whose data.user is null is what logged-in scrapers see for a *suspended* user, whose
# name stays held (docs/platforms.md, "Instagram"; only one untested user-scanner branch
# reads it as free, and user-scanner PR #328, 2026-04, says anonymous requests get 401
# anyway): never `available`, always `unknown` with that reason.
NULL_USER = Signal.of(200, json_path="data.user", json_equals=None, label="200 data.user null")
NULL_USER_REASON = (
    "Instagram answered with no user for {handle!r}: the shape of a suspended account, whose "
    "name stays held (not a sign the name is free)"
)
# Since 2026 unauthenticated web_profile_info answers 401 to everyone (brandaudit issue 12),
# often with {"message": "Please wait a few minutes before you try again.",
# "require_login": true}: a login wall, not a verdict.
LOGIN_REQUIRED_KEY = "require_login"
LOGIN_REQUIRED = "Instagram requires login for this lookup"
# -----------------------------------------------------------------------------------------

RULE = HandleRule(
    r"(?!\.)(?!.*\.\.)[a-z0-9._]{1,30}(?<!\.)",
    "1-30 letters, digits, '.' or '_' (no '.' at either end, no '..')",
)
HOSTS = {"instagram.com", "www.instagram.com", "m.instagram.com"}
RESERVED_PATHS = frozenset(
    {
        "p", "reel", "reels", "tv", "explore", "stories", "accounts", "direct", "about",
        "legal", "developer", "web", "challenge", "emails", "session", "privacy", "terms",
        "ar", "topics", "directory", "api", "graphql", "static", "oauth", "_u", "_n",
    }
)  # fmt: skip


async def lookup(handle: str, ctx: CheckContext, what: str = "Instagram") -> Verdict:
    """The web-JSON verdict for ``handle`` on Instagram (also used by the Threads adapter)."""
    method = Method.PUBLIC_API
    response = await ctx.fetch(WEB_PROFILE.format(handle=q(handle)), headers=HEADERS)
    body: Any = response.json()
    if response.status == 401 or (isinstance(body, dict) and body.get(LOGIN_REQUIRED_KEY) is True):
        return no_verdict(
            ctx,
            f"no verdict: HTTP {response.status}, login required",
            f"{what}: no verdict: {LOGIN_REQUIRED} (HTTP {response.status})",
            method,
            cause=Cause.LOGIN_WALL,
        )
    if early := blocked(response, method, what, ctx) or expects_json(response, method, what, ctx):
        return early
    if CLAIMED.matches(response):
        user = body["data"]["user"]
        shown = str(user["username"])
        if is_other_account(shown, handle):
            return another_account(
                ctx,
                f"200 but username is {shown!r}",
                f"{what}: no verdict: Instagram answered with another account ({shown})",
                method,
            )
        private = " (private)" if user.get("is_private") is True else ""
        return claimed(
            ctx,
            CLAIMED,
            f"instagram.com/{shown} is an Instagram account{private}",
            method,
            Confidence.HIGH,
            profile=_profile(user),
        )
    if NULL_USER.matches(response):
        return no_verdict(
            ctx,
            NULL_USER.describe(),
            f"{what}: no verdict: " + NULL_USER_REASON.format(handle=handle),
            method,
        )
    if NOT_FOUND.matches(response):
        return available(
            ctx,
            NOT_FOUND,
            f"Instagram has no account {handle!r} (deactivated accounts also vanish "
            "yet keep their name)",
            method,
            Confidence.MEDIUM,
            f"Create the account {handle!r} at https://www.instagram.com/accounts/emailsignup/",
        )
    return undecided(response, method, what, ctx, CLAIMED, NOT_FOUND)


class InstagramAdapter(Adapter):
    id = "instagram"
    canary = "instagram"
    canary_source = "Sherlock data.json 'Instagram' username_claimed: instagram"
    name = "Instagram"
    methods = (Method.PUBLIC_API,)
    rule = RULE
    profile_template = "https://www.instagram.com/{handle}/"
    signup_url = "https://www.instagram.com/accounts/emailsignup/"

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, reserved=RESERVED_PATHS)
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        return await lookup(handle, ctx)


def _profile(user: dict[str, Any]) -> ProfileInfo:
    links: list[str] = []
    external = user.get("external_url")
    if isinstance(external, str) and external:
        links.append(external)
    bio_links = user.get("bio_links")
    if isinstance(bio_links, list):
        for item in bio_links:
            url = item.get("url") if isinstance(item, dict) else None
            if isinstance(url, str) and url and url not in links:
                links.append(url)
    name = user.get("full_name") if isinstance(user.get("full_name"), str) else None
    bio = user.get("biography") if isinstance(user.get("biography"), str) else None
    return ProfileInfo(display_name=name or None, description=bio or None, links=tuple(links))
