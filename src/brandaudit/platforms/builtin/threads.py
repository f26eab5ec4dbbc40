"""Threads: Profile Discovery with an access token (claimed only), else the web app's
profile JSON. Threads never says ``available``: Profile Discovery sees only public profiles
above a follower threshold, the web JSON walls anonymous requests, and Threads names come
from Instagram accounts (an Instagram account with the name makes it ``reserved``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, Credential, Verdict, q
from brandaudit.platforms.builtin import instagram
from brandaudit.platforms.signals import Signal, blocked, expects_json, undecided

# --- signals -----------------------------------------------------------------------------
PROFILE_LOOKUP = "https://graph.threads.net/v1.0/profile_lookup?{query}"
LOOKUP_CLAIMED = Signal.of(200, json_path="username", label="Profile Discovery 200 with username")
WEB_PROFILE = "https://www.threads.net/api/v1/users/web_profile_info/?username={handle}"
HEADERS = {
    "X-IG-App-ID": instagram.WEB_APP_ID,
    "Accept": "application/json",
    "Accept-Language": "en",
    "Referer": "https://www.threads.net/",
}
CLAIMED = Signal.of(200, json_path="data.user.username", label="200 with data.user")
NOT_FOUND = Signal.of(404, json_path="data.user", json_equals=None, label="404 with data.user null")
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
    name = "Threads"
    methods = (Method.OFFICIAL_API, Method.PUBLIC_API)
    rule = instagram.RULE
    profile_template = "https://www.threads.net/@{handle}"
    signup_url = "https://www.threads.net/login"
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
            ctx.mark(LOOKUP_CLAIMED.describe())
            return Verdict(
                Status.CLAIMED,
                Confidence.HIGH,
                f"@{body['username']} is a Threads profile (Profile Discovery)",
                method,
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
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early
        body: Any = response.json()
        if CLAIMED.matches(response):
            shown = str(body["data"]["user"]["username"])
            if shown.lower() == handle.lower():
                ctx.mark(CLAIMED.describe())
                return Verdict(
                    Status.CLAIMED,
                    Confidence.HIGH,
                    f"@{shown} is a Threads profile",
                    method,
                )
            ctx.mark(f"200 but username is {shown!r}")
            return Verdict(
                Status.UNKNOWN,
                Confidence.LOW,
                f"Threads: no verdict: answered with another profile ({shown})",
                method,
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
