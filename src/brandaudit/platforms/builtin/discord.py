"""Discord: usernames through the sign-up form's own check, and server vanity invites.

Usernames (``discord``): the registration form asks
``POST /api/v9/unique-username/username-attempt-unauthed`` whether a name is taken, and the
answer is ``{"taken": true|false}``. It answers for registration, so ``false`` is
``available`` with high confidence. It is rate-limited hard (429 "The resource is being rate
limited"), which is ``unknown``, never free (Sherlock's Discord entry read that text as "not
found").

Server vanity invites (``discord-invite``): ``GET /api/v9/invites/{code}`` returns the invite
with its guild, or 404 "Unknown Invite" (code 10006). Only a server with the vanity URL perk
can take a free code, and Discord may hold some back, so ``available`` is low there.
"""

from __future__ import annotations

import json
from typing import Any

from brandaudit.model import Confidence, Method, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import (
    Outcome,
    Signal,
    SignalAdapter,
    blocked,
    expects_json,
    undecided,
)
from brandaudit.platforms.verdicts import available, claimed

# --- signals -----------------------------------------------------------------------------
# WhatsMyName wmn-data.json "Discord (User)" (entry since 0803c8e, 2025-02-11): POST body
# {"username": "{account}"}, e_code 200 e_string "taken":true, m_code 200 m_string
# "taken":false. user-scanner user_scanner/user_scan/social/discord.py (50d73f0, 2026-02-23)
# reads the JSON `taken` true/false the same way; Maigret's data.json "Discord" too.
USERNAME_CHECK = "https://discord.com/api/v9/unique-username/username-attempt-unauthed"
USERNAME_HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json",
    "Origin": "https://discord.com",
    "Referer": "https://discord.com/register",
}
# `taken: true` also covers names Discord reserves (docs/platforms.md "discord", 2026-12):
# it proves the name is held, not that a public account owns it, so the verdict says so.
TAKEN = Signal.of(200, json_path="taken", json_equals=True, label="200 taken: true")
FREE = Signal.of(200, json_path="taken", json_equals=False, label="200 taken: false")
# WhatsMyName wmn-data.json "Discord (Invite)": uri_check .../api/v9/invites/{account}
# ?with_counts=true&with_expiration=true, e_code 200 e_string "channel":, m_code 404
# m_string "message": "Unknown Invite" (Discord's JSON error code 10006).
INVITE = "https://discord.com/api/v9/invites/{handle}?with_counts=true&with_expiration=true"
INVITE_HEADERS = {"Accept": "application/json"}
INVITE_CLAIMED = Signal.of(200, json_path="guild.id", label="200 with guild.id")
INVITE_UNKNOWN = Signal.of(
    404, json_path="message", json_equals="Unknown Invite", label="404 'Unknown Invite'"
)
# -----------------------------------------------------------------------------------------

RESERVED_PATHS = frozenset({"invite", "channels", "login", "register", "app", "download"})


class DiscordAdapter(SignalAdapter):
    id = "discord"
    canary = "blue"
    canary_source = (
        "Sherlock data.json 'Discord' username_claimed and Maigret usernameClaimed: blue"
    )
    name = "Discord"
    methods = (Method.AVAILABILITY_ENDPOINT,)
    # Discord's username rules (support article "Usernames and display names", 2023 change):
    # 2-32 characters, lowercase letters, digits, '_' and '.', never two '.' in a row.
    rule = HandleRule(
        r"(?!.*\.\.)[a-z0-9_.]{2,32}",
        "2-32 lowercase letters, digits, '_' or '.' (no '..')",
    )
    profile_template = "https://discord.com/users/{handle}"
    """Discord has no public profile page by username (its /users/ route opens an account by
    its numeric id): this link only names the account in reports."""
    signup_url = "https://discord.com/register"
    check_template = USERNAME_CHECK
    request_method = "POST"
    request_headers = USERNAME_HEADERS
    answered_by = "Discord username check"
    json_answer = True
    outcomes = (
        Outcome(
            TAKEN,
            Status.CLAIMED,
            Confidence.HIGH,
            "Discord's sign-up check says the username {handle!r} is taken: the name is held, "
            "but by whom is unknown (Discord also reserves names, and shows no public profile "
            "to confirm an account)",
        ),
        Outcome(
            FREE,
            Status.AVAILABLE,
            Confidence.HIGH,
            "Discord's sign-up check says the username {handle!r} is free",
            "Register or rename to {handle!r} at {signup_url}",
        ),
    )

    def handle_from_url(self, url: str) -> str | None:
        """A /users/ link names a username only if it isn't a numeric account id."""
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, {"discord.com", "www.discord.com"}, before=("users",))
        if not name or name.isdigit():
            return None
        return name.lower() if self.handle_problem(name.lower()) is None else None

    def request_body(self, handle: str) -> bytes:
        return json.dumps({"username": handle}).encode()


class DiscordInviteAdapter(Adapter):
    id = "discord-invite"
    canary = "test"
    canary_source = "WhatsMyName wmn-data.json 'Discord (Invite)' known: test, web"
    name = "Discord server invite"
    methods = (Method.PUBLIC_API,)
    # Vanity invite codes: letters, digits and '-' (server settings, "Vanity URL"; codes
    # such as discord.gg/dev-centre in top-gg/issues#880). Discord's own client caps the
    # settings field at 25 characters and turns spaces into '-'; no minimum is documented
    # (Zeppelin PR #149 handles codes under 6). 2-32 here, permissive for older codes.
    rule = HandleRule(
        r"[a-z0-9-]{2,32}", "2-32 letters, digits or '-' (Discord's settings take up to 25)"
    )
    profile_template = "https://discord.gg/{handle}"
    signup_url = "https://support.discord.com/hc/en-us/articles/115001542132"

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, {"discord.gg", "www.discord.gg"}) or segment_handle(
            url, {"discord.com", "www.discord.com"}, before=("invite",)
        )
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_API
        what = "Discord invites API"
        response = await ctx.fetch(INVITE.format(handle=q(handle)), headers=INVITE_HEADERS)
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early
        body: Any = response.json()
        if INVITE_CLAIMED.matches(response) and str(body.get("code", "")).lower() == handle:
            guild = body["guild"]
            name = guild.get("name") if isinstance(guild.get("name"), str) else None
            return claimed(
                ctx,
                INVITE_CLAIMED,
                f"discord.gg/{handle} is an invite to the server "
                + (repr(name) if name else str(guild["id"])),
                method,
                Confidence.HIGH,
            )
        if INVITE_UNKNOWN.matches(response):
            return available(
                ctx,
                INVITE_UNKNOWN,
                f"no Discord invite uses the code {handle!r} (only a server with the vanity "
                "URL perk can take it, and Discord may hold some codes back)",
                method,
                Confidence.LOW,
                "Set it as the server's vanity URL (Server Settings > Vanity URL)",
            )
        return undecided(response, method, what, ctx, INVITE_CLAIMED, INVITE_UNKNOWN)
