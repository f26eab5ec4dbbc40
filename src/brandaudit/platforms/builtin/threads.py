"""Threads: Profile Discovery with an access token (claimed only), else the web app's
profile JSON, else the profile page. Threads never says ``available``: Profile Discovery
sees only public profiles above a follower threshold, the web JSON walls anonymous requests,
and Threads names come from Instagram accounts (an Instagram account with the name makes it
``reserved``).

Since January 2026 ``threads.net`` redirects every path to ``threads.com``; adapters follow
no redirects, so every URL here is on ``www.threads.com`` (a redirect back to another host
reads as "moved", and ``brandaudit selfcheck`` reports it as drift)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, Credential, Verdict, q
from brandaudit.platforms.builtin import instagram
from brandaudit.platforms.signals import MOVED, Signal, blocked, expects_json, undecided
from brandaudit.platforms.verdicts import another_account, claimed

# --- signals -----------------------------------------------------------------------------
# Profile Discovery: GET /profile_lookup?username=<exact name>, permission
# threads_profile_discovery, public profiles only (Meta's docs, "Threads Profiles", updated
# 2026-04-13: https://developers.facebook.com/documentation/threads/threads-profiles; their
# examples call graph.threads.com, the API's host since the threads.com move). It can say
# claimed, never free: a small or private profile is not returned either.
PROFILE_LOOKUP = "https://graph.threads.com/v1.0/profile_lookup?{query}"
LOOKUP_CLAIMED = Signal.of(200, json_path="username", label="Profile Discovery 200 with username")
# The web app's profile JSON, as user-scanner reads it (user_scanner/user_scan/social/threads.py
# at c354c0e, 2026-03-04: web_profile_info + X-IG-App-ID; still on threads.net there, which
# now redirects: WhatsMyName wmn-data.json moved its Threads entry to www.threads.com in
# a43078f, 2026-01-22; Maigret's data.json "Threads" entry uses www.threads.com too).
WEB_PROFILE = "https://www.threads.com/api/v1/users/web_profile_info/?username={handle}"
HEADERS = {
    "X-IG-App-ID": instagram.WEB_APP_ID,
    "Accept": "application/json",
    "Accept-Language": "en",
    "Referer": "https://www.threads.com/",
}
CLAIMED = Signal.of(200, json_path="data.user.username", label="200 with data.user")
NOT_FOUND = Signal.of(404, json_path="data.user", json_equals=None, label="404 with data.user null")
# The profile page, asked whenever the web JSON gives no JSON (a block, a login page, HTML):
# no peer confirms a web-JSON route on www.threads.com (docs/platforms.md "threads",
# 2026-12); WhatsMyName (a43078f, 2026-01-22: `www.threads.com/@{}`) and Maigret (#2887)
# read the page. Claimed needs the page's own profile marker, `og:type` profile (WMN's
# e_string `og:type" content="profile`; Maigret's presence string), and the handle's own
# `"username":"<handle>"`: a login or home page has neither. WMN's 302 has no marker (the
# login wall redirects walled real profiles too: sherlock PR #2589), so it is never a
# not-found signal here.
PAGE = "https://www.threads.com/@{handle}"
PAGE_HEADERS = {"Accept": "text/html", "Accept-Language": "en", "Sec-Fetch-Mode": "navigate"}
PAGE_CLAIMED = Signal.of(
    200,
    patterns=(r'og:type"\s+content="profile"', r'"username"\s*:\s*"{handle}"'),
    ignore_case=True,
    label='200 with og:type profile and "username":"<handle>" in the page',
)
TOKEN = Credential(
    "threads_access_token",
    ("BRANDAUDIT_THREADS_ACCESS_TOKEN", "THREADS_ACCESS_TOKEN"),
    "Threads Profile Discovery (threads_profile_discovery): claimed with high confidence",
)
# -----------------------------------------------------------------------------------------

HOSTS = {"threads.net", "www.threads.net", "threads.com", "www.threads.com"}


class ThreadsAdapter(Adapter):
    id = "threads"
    canary = "zuck"
    canary_source = "Sherlock and Maigret data.json 'Threads' username_claimed: zuck"
    name = "Threads"
    methods = (Method.OFFICIAL_API, Method.PUBLIC_API, Method.PUBLIC_PAGE)
    rule = instagram.RULE
    profile_template = "https://www.threads.com/@{handle}"
    signup_url = "https://www.threads.com/login"
    says_available = False
    credentials = (TOKEN,)

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, prefix="@")
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        token = ctx.credential(TOKEN)
        if token:
            verdict = await self._discovery(handle, token, ctx)
            if verdict is not None:
                return verdict
        return await self._web(handle, ctx)

    async def _discovery(self, handle: str, token: str, ctx: CheckContext) -> Verdict | None:
        """``claimed`` if Profile Discovery returns the profile; None otherwise (it can't
        tell a missing profile from one it isn't allowed to see)."""
        method = Method.OFFICIAL_API
        query = urlencode({"username": handle, "access_token": token})
        response = await ctx.fetch(PROFILE_LOOKUP.format(query=query))
        if blocked(response, method, "Threads API", ctx) or expects_json(
            response, method, "Threads API", ctx
        ):
            return None
        body: Any = response.json()
        if LOOKUP_CLAIMED.matches(response) and str(body["username"]).lower() == handle.lower():
            return claimed(
                ctx,
                LOOKUP_CLAIMED,
                f"@{body['username']} is a Threads profile (Profile Discovery)",
                method,
                Confidence.HIGH,
                profile=ProfileInfo(
                    display_name=body.get("name") if isinstance(body.get("name"), str) else None,
                    description=(
                        body.get("biography") if isinstance(body.get("biography"), str) else None
                    ),
                ),
            )
        ctx.mark(f"Profile Discovery HTTP {response.status}: no profile it may show")
        return None

    async def _web(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_API
        what = "Threads"
        response = await ctx.fetch(WEB_PROFILE.format(handle=q(handle)), headers=HEADERS)
        if early := blocked(response, method, what, ctx):
            if early.signal == MOVED:
                return early
            page = await self._page(handle, ctx)
            return page if page is not None else early
        if early := expects_json(response, method, what, ctx):
            page = await self._page(handle, ctx)
            return page if page is not None else early
        body: Any = response.json()
        if CLAIMED.matches(response):
            shown = str(body["data"]["user"]["username"])
            if shown.lower() == handle.lower():
                return claimed(
                    ctx, CLAIMED, f"@{shown} is a Threads profile", method, Confidence.HIGH
                )
            return another_account(
                ctx,
                f"200 but username is {shown!r}",
                f"Threads: no verdict: answered with another profile ({shown})",
                method,
                signal=None,
            )
        if not NOT_FOUND.matches(response):
            return undecided(response, method, what, ctx, CLAIMED, NOT_FOUND)
        ctx.mark(NOT_FOUND.describe())
        on_instagram = await instagram.lookup(handle, ctx, "Instagram (for Threads)")
        if on_instagram.status in {Status.CLAIMED, Status.SUSPENDED}:
            return Verdict(
                Status.RESERVED,
                Confidence.MEDIUM,
                f"no Threads profile @{handle}, but the Instagram account {handle!r} holds "
                "the name (Threads profiles are made from Instagram accounts)",
                method,
                remediation="If that Instagram account is yours, create its Threads profile",
            )
        return Verdict(
            Status.UNKNOWN,
            Confidence.LOW,
            f"Threads shows no profile @{handle}, which can't prove the name is free "
            f"(Threads names come from Instagram; Instagram: {on_instagram.status.value})",
            method,
            remediation=f"Claim {handle!r} on Instagram, then create the Threads profile from it",
        )

    async def _page(self, handle: str, ctx: CheckContext) -> Verdict | None:
        """``claimed`` if the profile page shows the handle; None when it decides nothing."""
        method = Method.PUBLIC_PAGE
        response = await ctx.fetch(PAGE.format(handle=q(handle)), headers=PAGE_HEADERS)
        if early := blocked(response, method, "Threads page", ctx):
            return early if early.signal == MOVED else None
        signal = PAGE_CLAIMED.bind(handle)
        if signal.matches(response):
            return claimed(
                ctx,
                PAGE_CLAIMED,
                f"threads.com/@{handle} is a Threads profile (from its page)",
                method,
            )
        ctx.mark(f"no verdict: HTTP {response.status} without the profile's username")
        return None
