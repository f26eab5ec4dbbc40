"""Reddit users: ``username_available`` with app credentials (it answers for registration),
else ``about.json``. Deleted and shadow-banned accounts 404 like free names, and deleted
names never come back, so a public not-found is ``available`` with low confidence only."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, Credential, HandleRule, Verdict, q
from brandaudit.platforms.builtin._oauth import ClientCredentials
from brandaudit.platforms.signals import Signal, blocked, expects_json, undecided

# --- signals -----------------------------------------------------------------------------
TOKEN_URL = "https://www.reddit.com/api/v1/access_token"  # Basic auth, client_credentials
AVAILABLE_API = "https://oauth.reddit.com/api/username_available?user={handle}"
# The body is the bare JSON literal true (free) or false (taken, deleted, suspended, reserved).
ABOUT = "https://www.reddit.com/user/{handle}/about.json"
HEADERS = {"Accept": "application/json"}
# 200 {"kind": "t2", "data": {"name": "...", "is_suspended": false, ...}}
CLAIMED = Signal.of(200, json_path="kind", json_equals="t2", label="200 kind t2")
# 404 {"message": "Not Found", "error": 404}
NOT_FOUND = Signal.of(404, json_path="message", json_equals="Not Found", label="404 'Not Found'")
CLIENT_ID = Credential(
    "reddit_client_id",
    ("BRANDAUDIT_REDDIT_CLIENT_ID", "REDDIT_CLIENT_ID"),
    "Reddit app (script or web) client id: username_available answers for registration",
)
CLIENT_SECRET = Credential(
    "reddit_client_secret",
    ("BRANDAUDIT_REDDIT_CLIENT_SECRET", "REDDIT_CLIENT_SECRET"),
    "Reddit app client secret (with the client id)",
)
# -----------------------------------------------------------------------------------------

HOSTS = {"reddit.com", "www.reddit.com", "old.reddit.com", "new.reddit.com", "np.reddit.com"}
TABS = frozenset({"overview", "submitted", "comments", "posts"})


class RedditAdapter(Adapter):
    id = "reddit"
    canary = "spez"
    name = "Reddit"
    methods = (Method.AVAILABILITY_ENDPOINT, Method.PUBLIC_API)
    rule = HandleRule(r"[a-z0-9_-]{3,20}", "3-20 letters, digits, '_' or '-'")
    profile_template = "https://www.reddit.com/user/{handle}/"
    signup_url = "https://www.reddit.com/register/"
    credentials = (CLIENT_ID, CLIENT_SECRET)

    def __init__(self) -> None:
        self.tokens = ClientCredentials(TOKEN_URL, basic_auth=True)

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        for before in (("user",), ("u",)):
            name = segment_handle(url, HOSTS, before=before, tabs=TABS)
            if name:
                return name.lower() if self.handle_problem(name) is None else None
        return None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        client_id, secret = ctx.credential(CLIENT_ID), ctx.credential(CLIENT_SECRET)
        if not (client_id and secret):
            return await self._about(handle, ctx)
        token = await self.tokens.get(ctx, client_id, secret)
        if token.value is None:
            verdict = await self._about(handle, ctx)
            return replace(verdict, reason=f"{verdict.reason} (Reddit: {token.problem})")
        method = Method.AVAILABILITY_ENDPOINT
        what = "Reddit username_available"
        response = await ctx.fetch(
            AVAILABLE_API.format(handle=q(handle)),
            headers={**HEADERS, "Authorization": f"Bearer {token.value}"},
        )
        if early := blocked(response, method, what, ctx):
            about = await self._about(handle, ctx)
            return about if about.status is not Status.UNKNOWN else early
        body: Any = response.json()
        if response.status == 200 and body is True:
            ctx.mark("200 true")
            return Verdict(
                Status.AVAILABLE,
                Confidence.HIGH,
                f"Reddit says u/{handle} is available",
                method,
                remediation=f"Register u/{handle} at {self.signup_url}",
            )
        if response.status == 200 and body is False:
            ctx.mark("200 false: taken, deleted, suspended or reserved")
            about = await self._about(handle, ctx)
            if about.status in {Status.CLAIMED, Status.SUSPENDED}:
                return about
            return Verdict(
                Status.RESERVED,
                Confidence.HIGH,
                f"Reddit says u/{handle} can't be registered, and no account shows it "
                "(deleted, banned and reserved names are never released)",
                method,
            )
        ctx.mark(f"no verdict: HTTP {response.status}, not true or false")
        return Verdict(
            Status.UNKNOWN,
            Confidence.LOW,
            f"{what}: no verdict: unexpected answer (HTTP {response.status}, "
            f"{response.content_type or 'no type'})",
            method,
            signal="no verdict",
        )

    async def _about(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_API
        what = "Reddit"
        response = await ctx.fetch(ABOUT.format(handle=q(handle)), headers=HEADERS)
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early
        body: Any = response.json()
        if CLAIMED.matches(response) and isinstance(body.get("data"), dict):
            data = body["data"]
            shown = str(data.get("name", ""))
            if shown.lower() != handle.lower():
                ctx.mark(f"200 but name is {shown!r}")
                return Verdict(
                    Status.UNKNOWN,
                    Confidence.LOW,
                    f"Reddit: no verdict: answered with another account ({shown or 'no name'})",
                    method,
                )
            if data.get("is_suspended") is True:
                ctx.mark("200 kind t2 with is_suspended: true")
                return Verdict(
                    Status.SUSPENDED, Confidence.HIGH, f"u/{shown} is a suspended account", method
                )
            ctx.mark(CLAIMED.describe())
            return Verdict(
                Status.CLAIMED,
                Confidence.HIGH,
                f"u/{shown} is a Reddit account",
                method,
                profile=_profile(data),
            )
        if NOT_FOUND.matches(response):
            ctx.mark(NOT_FOUND.describe())
            return Verdict(
                Status.AVAILABLE,
                Confidence.LOW,
                f"Reddit shows no account u/{handle} (deleted and banned accounts look the "
                "same, and their names are never released)",
                method,
                remediation=f"Try registering u/{handle} at {self.signup_url}",
            )
        return undecided(response, method, what, ctx, CLAIMED, NOT_FOUND)


def _profile(data: dict[str, Any]) -> ProfileInfo:
    sub = data.get("subreddit")
    title = sub.get("title") if isinstance(sub, dict) else None
    description = sub.get("public_description") if isinstance(sub, dict) else None
    return ProfileInfo(
        display_name=title if isinstance(title, str) and title else None,
        description=description if isinstance(description, str) and description else None,
    )
