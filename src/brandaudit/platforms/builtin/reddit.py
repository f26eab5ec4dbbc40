"""Reddit users: the sign-up form's ``username_available`` check (through the OAuth API with
app credentials, else the public sign-up check), with ``about.json`` for the account itself.

Deleted and shadow-banned accounts 404 on ``about.json`` like free names, and deleted names
never come back, so a bare 404 is never ``available``: only the sign-up check's ``true`` is.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, Credential, HandleRule, Verdict, q
from brandaudit.platforms.builtin._oauth import ClientCredentials
from brandaudit.platforms.signals import Signal, blocked, expects_json, undecided
from brandaudit.platforms.verdicts import (
    another_account,
    available,
    claimed,
    decided,
    is_other_account,
)

# --- signals -----------------------------------------------------------------------------
TOKEN_URL = "https://www.reddit.com/api/v1/access_token"  # Basic auth, client_credentials
# Reddit's API docs: GET /api/username_available, "Check whether a username is available
# for registration" (https://www.reddit.com/dev/api/#GET_api_username_available); with an
# app token it is served from oauth.reddit.com (https://github.com/reddit-archive/reddit/wiki/
# OAuth2: "API requests with a bearer token should be made to https://oauth.reddit.com").
AVAILABLE_API = "https://oauth.reddit.com/api/username_available?user={handle}"
# The sign-up form's own check, without credentials. user-scanner moved to it because it is
# "the only surface that answers for suspended and deleted accounts" (user_scanner/user_scan/
# social/reddit.py, d3c9743, 2026-08-09; user-scanner PR #521). Reddit often walls it (403,
# a captcha page): then it decides nothing.
SIGNUP_CHECK = "https://www.reddit.com/api/username_available.json?user={handle}"
# Both answer with the bare JSON literal true (free) or false (taken, deleted, suspended,
# reserved).
ABOUT = "https://www.reddit.com/user/{handle}/about.json"
HEADERS = {"Accept": "application/json"}
# 200 {"kind": "t2", "data": {"name": "...", "is_suspended": false, ...}}
CLAIMED = Signal.of(200, json_path="kind", json_equals="t2", label="200 kind t2")
# 404 {"message": "Not Found", "error": 404} (WhatsMyName wmn-data.json "Reddit": m_code 404,
# m_string "error":404). Free, deleted and shadow-banned names alike: never `available`.
NOT_FOUND = Signal.of(404, json_path="message", json_equals="Not Found", label="404 'Not Found'")
# Self-service API keys ended in November 2025 (Reddit's Responsible Builder Policy;
# NFeruch/reddit2text#13, n8n-io/n8n-docs#4510; docs/platforms.md "reddit", 2026-12): an
# app's credentials now need Reddit's approval, so the advice says so instead of telling
# everyone to set them.
NO_CREDENTIALS = (
    "Reddit can't tell free from deleted names publicly (its sign-up check needs an app "
    "Reddit has approved)"
)
APPROVED_APP_HINT = (
    "If you have a Reddit app approved under its Responsible Builder Policy, set "
    "REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET so brandaudit can ask the sign-up check; "
    "otherwise try registering the name at https://www.reddit.com/register"
)
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
    canary_source = "Reddit's CEO's long-lived account (u/spez)"
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
            return await self._signup_check(handle, ctx, SIGNUP_CHECK, {}, "")
        token = await self.tokens.get(ctx, client_id, secret)
        if token.value is None:
            return await self._signup_check(
                handle, ctx, SIGNUP_CHECK, {}, f" (Reddit: {token.problem})"
            )
        return await self._signup_check(
            handle, ctx, AVAILABLE_API, {"Authorization": f"Bearer {token.value}"}, ""
        )

    async def _signup_check(
        self, handle: str, ctx: CheckContext, url: str, auth: dict[str, str], note: str
    ) -> Verdict:
        """The sign-up check's true/false, else ``about.json`` (which can't say free)."""
        method = Method.AVAILABILITY_ENDPOINT
        what = "Reddit username_available"
        response = await ctx.fetch(url.format(handle=q(handle)), headers={**HEADERS, **auth})
        if early := blocked(response, method, what, ctx):
            about = await self._about(handle, ctx, bool(auth))
            if about.status is not Status.UNKNOWN:
                return about
            return replace(about, reason=f"{about.reason}; {early.reason}{note}")
        body: Any = response.json()
        if response.status == 200 and body is True:
            return available(
                ctx,
                "200 true",
                f"Reddit says u/{handle} is available",
                method,
                Confidence.HIGH,
                f"Register u/{handle} at {self.signup_url}",
            )
        if response.status == 200 and body is False:
            ctx.mark("200 false: taken, deleted, suspended or reserved")
            about = await self._about(handle, ctx, bool(auth))
            if about.status in {Status.CLAIMED, Status.SUSPENDED}:
                return about
            if about.signal != NOT_FOUND.describe():
                # The profile couldn't be read (blocked, drifted): the name is held, but
                # whether by an account (maybe the brand's own) or by nobody is not known.
                return Verdict(
                    Status.UNKNOWN,
                    Confidence.LOW,
                    f"Reddit says u/{handle} can't be registered (taken, deleted, banned or "
                    f"reserved), and its profile could not be read: {about.reason}",
                    method,
                    signal="no verdict",
                )
            return Verdict(
                Status.RESERVED,
                Confidence.HIGH,
                f"Reddit says u/{handle} can't be registered, and no account shows it "
                "(deleted, banned and reserved names are never released)",
                method,
            )
        ctx.mark(f"no verdict: HTTP {response.status}, not true or false")
        about = await self._about(handle, ctx, bool(auth))
        if about.status is not Status.UNKNOWN:
            return about
        return replace(
            about,
            reason=f"{about.reason}; {what}: no verdict: unexpected answer (HTTP "
            f"{response.status}, {response.content_type or 'no type'}){note}",
        )

    async def _about(self, handle: str, ctx: CheckContext, oauth: bool = False) -> Verdict:
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
            if is_other_account(shown, handle):
                return another_account(
                    ctx,
                    f"200 but name is {shown!r}",
                    f"Reddit: no verdict: answered with another account ({shown or 'no name'})",
                    method,
                )
            # A suspended account's about.json: 200 t2 with "is_suspended": true and little but
            # its name; user-scanner reads exactly this flag as "suspended"
            # (user_scanner/user_scan/social/reddit.py, _profile, d3c9743, 2026-08-09).
            if data.get("is_suspended") is True:
                return decided(
                    ctx,
                    "200 kind t2 with is_suspended: true",
                    Verdict(
                        Status.SUSPENDED,
                        Confidence.HIGH,
                        f"u/{shown} is a suspended account",
                        method,
                    ),
                )
            return claimed(
                ctx,
                CLAIMED,
                f"u/{shown} is a Reddit account",
                method,
                Confidence.HIGH,
                profile=_profile(data),
            )
        if NOT_FOUND.matches(response):
            ctx.mark(NOT_FOUND.describe())
            return Verdict(
                Status.UNKNOWN,
                Confidence.LOW,
                f"Reddit shows no account u/{handle}, but "
                + (
                    "Reddit's sign-up check gave no answer and a missing account can't tell "
                    "free from deleted names"
                    if oauth
                    else NO_CREDENTIALS
                )
                + " (deleted and banned "
                "accounts look the same, and their names are never released)",
                method,
                signal=NOT_FOUND.describe(),
                remediation=None if oauth else APPROVED_APP_HINT,
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
