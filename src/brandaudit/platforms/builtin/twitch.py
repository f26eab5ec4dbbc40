"""Twitch: Helix ``users?login=`` with an app (client-credentials) token, else the web app's
GraphQL endpoint. Never the channel page: it is an SPA shell that answers 200 for any name.
Helix omits banned logins, so an empty Helix answer is settled by GraphQL, where only
``UserDoesNotExist`` with reason ``UNKNOWN`` is ``available``."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, Credential, HandleRule, Verdict, q
from brandaudit.platforms.builtin._oauth import ClientCredentials
from brandaudit.platforms.signals import Signal, blocked, expects_json, undecided
from brandaudit.platforms.verdicts import (
    SIGNAL_DRIFT,
    available,
    claimed,
    decided,
    no_verdict,
    with_note,
)

# --- signals -----------------------------------------------------------------------------
TOKEN_URL = "https://id.twitch.tv/oauth2/token"  # client_credentials grant
HELIX = "https://api.twitch.tv/helix/users?login={handle}"
HELIX_CLAIMED = Signal.of(200, json_path="data.0.login", label="Helix 200 with data[0].login")
# An empty `data` proves nothing on its own: Helix omits banned logins (Twitch's Get Users
# reference; docs/platforms.md "twitch", 2026-12), so GraphQL is asked before `available`.
HELIX_NOT_FOUND = Signal.of(200, json_path="data", json_equals=[], label="Helix 200 data []")
GQL = "https://gql.twitch.tv/gql"
# The web app's public Client-Id, as user-scanner sends it (user_scanner/user_scan/creator/
# twitch.py, 34b9901): User vs UserDoesNotExist typenames. Helix docs:
# https://dev.twitch.tv/docs/api/reference/#get-users
GQL_CLIENT_ID = "kimne78kx3ncx6brgo4mv6wki5h1ko"
GQL_QUERY = (
    "query BrandauditUser($login: String!) { userResultByLogin(login: $login) { __typename "
    "... on User { id login displayName description } "
    "... on UserDoesNotExist { key reason } ... on UserError { key } } }"
)
GQL_USER = Signal.of(
    200, json_path="data.userResultByLogin.__typename", json_equals="User", label="GQL User"
)
GQL_MISSING = Signal.of(
    200, json_path="data.userResultByLogin.__typename", json_equals="UserDoesNotExist",
    label="GQL UserDoesNotExist",
)  # fmt: skip
# UserDoesNotExist carries a `reason` (undocumented by Twitch). Evidence for its values:
# - a public typed schema of the web app's GQL answers (ChannelShell operation) allows exactly
#   UNKNOWN | TOS_INDEFINITE | TOS_TEMPORARY | DMCA: three ban reasons and one that names no
#   account at all, so only UNKNOWN is read as "no account holds the login";
# - ivr.fi's public Twitch user API (https://api.ivr.fi/v2/docs, field `banReason`) adds
#   DEACTIVATED, which chat bots built on it explain as "has manually closed their account,
#   they aren't banned": the login stays held, yet no ban is involved.
# user-scanner (user_scanner/user_scan/creator/twitch.py, 34b9901, 2026-05-31) reads every
# UserDoesNotExist as available: the false positive this avoids (brandaudit issue 12). A
# reason not listed here is `unknown` (the signal drifted), never free.
FREE_REASON = "UNKNOWN"
# Banned or taken down: the login stays with the account.
BANNED_REASONS = {"TOS_INDEFINITE", "TOS_TEMPORARY", "DMCA"}
# Closed by its owner: still held (model.Status.SUSPENDED covers "deactivated"), not banned.
DEACTIVATED_REASON = "DEACTIVATED"
CLIENT_ID = Credential(
    "twitch_client_id",
    ("BRANDAUDIT_TWITCH_CLIENT_ID", "TWITCH_CLIENT_ID"),
    "Twitch app client id: Helix users API (official)",
)
CLIENT_SECRET = Credential(
    "twitch_client_secret",
    ("BRANDAUDIT_TWITCH_CLIENT_SECRET", "TWITCH_CLIENT_SECRET"),
    "Twitch app client secret, for the client-credentials token (with the client id)",
)
# -----------------------------------------------------------------------------------------

HOSTS = {"twitch.tv", "www.twitch.tv", "m.twitch.tv"}
RESERVED_PATHS = frozenset(
    {
        "directory", "videos", "p", "downloads", "jobs", "settings", "search", "login",
        "signup", "subscriptions", "inventory", "wallet", "turbo", "prime", "store",
        "friends", "messages", "payments", "drops", "moderator", "popout", "embed", "team",
        "products", "bits", "broadcast", "creatorcamp", "following",
    }
)  # fmt: skip
TABS = frozenset({"about", "videos", "schedule", "clips", "collections", "home"})


class TwitchAdapter(Adapter):
    id = "twitch"
    canary = "twitch"
    canary_source = "the platform's own channel (twitch.tv/twitch)"
    name = "Twitch"
    methods = (Method.OFFICIAL_API, Method.PUBLIC_API)
    rule = HandleRule(r"[a-z0-9_]{4,25}", "4-25 letters, digits or '_'")
    profile_template = "https://www.twitch.tv/{handle}"
    signup_url = "https://www.twitch.tv/signup"
    credentials = (CLIENT_ID, CLIENT_SECRET)

    def __init__(self) -> None:
        self.tokens = ClientCredentials(TOKEN_URL)

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, reserved=RESERVED_PATHS, tabs=TABS)
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        client_id, secret = ctx.credential(CLIENT_ID), ctx.credential(CLIENT_SECRET)
        note = ""
        if client_id and secret:
            token = await self.tokens.get(ctx, client_id, secret)
            if token.value is not None:
                verdict = await self._helix(handle, client_id, token.value, ctx)
                if verdict.status is Status.AVAILABLE:
                    return await self._settle_empty_helix(handle, ctx)
                if verdict.status is not Status.UNKNOWN:
                    return verdict
                note = f" (Helix gave no verdict: {verdict.reason})"
            else:
                note = f" (Twitch: {token.problem})"
        return with_note(await self._gql(handle, ctx), note)

    async def _settle_empty_helix(self, handle: str, ctx: CheckContext) -> Verdict:
        """Helix lists no user: a free login or a banned one. GraphQL tells them apart
        (``UserDoesNotExist`` reason ``UNKNOWN`` only for a login nobody holds)."""
        verdict = await self._gql(handle, ctx)
        if verdict.status is Status.UNKNOWN:
            return replace(
                verdict,
                reason=verdict.reason + " (Helix lists no user, but it omits banned logins)",
            )
        if verdict.status is Status.AVAILABLE:
            return replace(verdict, reason=verdict.reason + "; Helix lists no user either")
        return verdict

    async def _helix(self, handle: str, client_id: str, token: str, ctx: CheckContext) -> Verdict:
        method = Method.OFFICIAL_API
        what = "Twitch Helix"
        response = await ctx.fetch(
            HELIX.format(handle=q(handle)),
            headers={"Client-Id": client_id, "Authorization": f"Bearer {token}"},
        )
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early
        body: Any = response.json()
        if HELIX_CLAIMED.matches(response):
            user = body["data"][0]
            if str(user["login"]).lower() == handle.lower():
                return claimed(
                    ctx,
                    HELIX_CLAIMED,
                    f"twitch.tv/{user['login']} is a Twitch account",
                    method,
                    Confidence.HIGH,
                    profile=_profile(user, "display_name"),
                )
        if HELIX_NOT_FOUND.matches(response):
            return available(
                ctx,
                HELIX_NOT_FOUND,
                f"Twitch Helix lists no user {handle!r} (it omits banned logins)",
                method,
                Confidence.MEDIUM,
                f"Sign up as {handle!r} at {self.signup_url}",
            )
        return undecided(response, method, what, ctx, HELIX_CLAIMED, HELIX_NOT_FOUND)

    async def _gql(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_API
        what = "Twitch GraphQL"
        payload = {"query": GQL_QUERY, "variables": {"login": handle}}
        response = await ctx.fetch(
            GQL,
            method="POST",
            headers={"Client-Id": GQL_CLIENT_ID, "Content-Type": "application/json"},
            content=json.dumps(payload).encode(),
        )
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early
        body: Any = response.json()
        if GQL_USER.matches(response):
            user = body["data"]["userResultByLogin"]
            if str(user.get("login", "")).lower() == handle.lower():
                return claimed(
                    ctx,
                    GQL_USER,
                    f"twitch.tv/{user['login']} is a Twitch account",
                    method,
                    Confidence.HIGH,
                    profile=_profile(user, "displayName"),
                )
        if GQL_MISSING.matches(response):
            reason = str(body["data"]["userResultByLogin"].get("reason") or "")
            if reason == FREE_REASON:
                return available(
                    ctx,
                    f"{GQL_MISSING.describe()} reason {FREE_REASON}",
                    f"Twitch says no user {handle!r} exists (reason UNKNOWN, from its web API)",
                    method,
                    Confidence.MEDIUM,
                    f"Sign up as {handle!r} at {self.signup_url}",
                )
            if reason in BANNED_REASONS:
                return decided(
                    ctx,
                    f"{GQL_MISSING.describe()} reason {reason}",
                    Verdict(
                        Status.SUSPENDED,
                        Confidence.MEDIUM,
                        f"twitch.tv/{handle} belongs to an account Twitch reports as banned "
                        f"({reason})",
                        method,
                    ),
                )
            if reason == DEACTIVATED_REASON:
                return decided(
                    ctx,
                    f"{GQL_MISSING.describe()} reason {reason}",
                    Verdict(
                        Status.SUSPENDED,
                        Confidence.MEDIUM,
                        f"twitch.tv/{handle} belongs to an account its owner deactivated "
                        f"({reason}); the login stays held",
                        method,
                    ),
                )
            return no_verdict(
                ctx,
                f"signal drift: {GQL_MISSING.describe()} with unknown reason {reason!r}",
                f"{what}: no verdict: no user {handle!r}, for a reason brandaudit doesn't know "
                f"({reason or 'none given'}); only reason UNKNOWN means the login is free",
                method,
                signal=SIGNAL_DRIFT,
            )
        if isinstance(body, dict) and body.get("errors"):
            return no_verdict(
                ctx,
                "no verdict: 200 with errors[]",
                f"{what}: no verdict: the API answered with an error ({str(body['errors'])[:120]})",
                method,
            )
        return undecided(response, method, what, ctx, GQL_USER, GQL_MISSING)


def _profile(user: dict[str, Any], name_key: str) -> ProfileInfo:
    name = user.get(name_key) if isinstance(user.get(name_key), str) else None
    description = user.get("description") if isinstance(user.get("description"), str) else None
    return ProfileInfo(display_name=name, description=description or None)
