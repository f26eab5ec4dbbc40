"""X (formerly Twitter): the X API v2 with a bearer token, else the username availability
endpoint the sign-up form uses. The profile page is client-rendered and decides nothing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import (
    Adapter,
    CheckContext,
    Credential,
    HandleRule,
    Verdict,
    q,
)
from brandaudit.platforms.signals import Signal, blocked, expects_json, undecided
from brandaudit.platforms.verdicts import (
    available,
    claimed,
    decided,
    drifted,
    is_other_account,
    refused,
)

# --- signals -----------------------------------------------------------------------------
API_USER = "https://api.x.com/2/users/by/username/{handle}?user.fields=description,url,name"
API_CLAIMED = Signal.of(200, json_path="data.username", label="200 with data.username")
# Current docs: 404 for unknown, suspended or deleted users; older: 200 + errors[]. Both carry
# errors[].type ending in "resource-not-found".
API_NOT_FOUND_TYPE = "resource-not-found"
API_NOT_FOUND_NOTE = (
    " (the X API has no such user either; it answers so for suspended and deactivated "
    "accounts too, so only the availability endpoint can say the name is free)"
)
# Evidence: WhatsMyName wmn-data.json "X": this URL, e_code 200 "reason":"taken", m_code 200
# "reason":"available"; socialscan uses the same endpoint. API v2 user lookup docs:
# https://docs.x.com/x-api/users/user-lookup-by-username (404 also for suspended users).
AVAILABILITY = "https://api.x.com/i/users/username_available.json?username={handle}"
# 200 {"valid": true, "reason": "available", "msg": "Available!", "desc": "Available!"}
AVAILABLE = Signal.of(
    200, json_path="reason", json_equals="available", label="200 reason 'available'"
)
# 200 {"valid": false, "reason": "taken", "msg": "Username has already been taken", ...}
TAKEN = Signal.of(200, json_path="reason", json_equals="taken", label="200 reason 'taken'")
# The refusals peers know, each with valid: false. Any other reason is drift (`unknown`),
# never a guess.
# - "improper_format", "invalid_username": X refuses the name itself; user-scanner reports
#   its `desc` as X's word on the format (user_scanner/user_scan/social/x.py, 1030660,
#   2026-08-06).
IMPROPER_REASONS = frozenset({"improper_format", "invalid_username"})
# - "unavailable" ("This username is unavailable"): socialscan lists it beside "taken" as the
#   answer for a suspended account (socialscan/platforms.py, class Twitter,
#   USERNAME_TAKEN_MSGS "[account in use, account suspended]", 5ae42d0).
SUSPENDED_REASONS = frozenset({"unavailable"})
BEARER = Credential(
    "x_bearer_token",
    ("BRANDAUDIT_X_BEARER_TOKEN", "X_BEARER_TOKEN"),
    "X API v2 user lookup (official; claimed with high confidence)",
)
MIN_NEW_LENGTH = 4
# -----------------------------------------------------------------------------------------

RESERVED_PATHS = frozenset(
    {
        "home", "explore", "search", "i", "intent", "share", "hashtag", "settings", "login",
        "logout", "signup", "messages", "notifications", "compose", "tos", "privacy", "about",
        "account", "download", "jobs", "who_to_follow", "lists", "topics", "communities",
    }
)  # fmt: skip


class XAdapter(Adapter):
    id = "x"
    canary = "nasa"
    canary_source = "NASA's long-lived official account (x.com/nasa)"
    name = "X"
    methods = (Method.OFFICIAL_API, Method.AVAILABILITY_ENDPOINT)
    rule = HandleRule(
        r"[a-z0-9_]{1,15}", "1-15 letters, digits or '_' (new names need 4-15 letters, digits or _)"
    )
    profile_template = "https://x.com/{handle}"
    signup_url = "https://x.com/i/flow/signup"
    credentials = (BEARER,)

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        hosts = {"x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"}
        name = segment_handle(url, hosts, reserved=RESERVED_PATHS)
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        token = ctx.credential(BEARER)
        note = ""
        if token:
            verdict, note = await self._official(handle, token, ctx)
            if verdict is not None:
                return verdict
        # The API's not-found also covers suspended and deactivated accounts: only the
        # availability endpoint itself may say a name is free (brandaudit issue 12). When it
        # is blocked, the answer stays unknown, with the API's finding in the reason.
        verdict = await self._availability(handle, ctx)
        return replace(verdict, reason=verdict.reason + note) if note else verdict

    async def _official(
        self, handle: str, token: str, ctx: CheckContext
    ) -> tuple[Verdict | None, str]:
        """(verdict, "") when the API decided 'claimed'/'suspended'; else (None, a note)."""
        method = Method.OFFICIAL_API
        response = await ctx.fetch(
            API_USER.format(handle=q(handle)), headers={"Authorization": f"Bearer {token}"}
        )
        if blocked(response, method, "X API", ctx) or expects_json(response, method, "X API", ctx):
            return None, f" (the X API gave no answer: {response.describe()})"
        body: Any = response.json()
        if API_CLAIMED.matches(response):
            shown = str(body["data"]["username"])
            if is_other_account(shown, handle):
                ctx.mark(f"200 but username is {shown!r}")
                return None, f" (the X API answered with another account, {shown!r})"
            ctx.mark(API_CLAIMED.describe())
            return Verdict(
                Status.CLAIMED,
                Confidence.HIGH,
                f"x.com/{shown} is an X account (X API v2)",
                method,
                profile=_profile(body["data"]),
            ), ""
        errors = body.get("errors") if isinstance(body, dict) else None
        if response.status in {200, 404} and isinstance(errors, list) and errors:
            first = errors[0] if isinstance(errors[0], dict) else {}
            detail = str(first.get("detail", ""))
            # A suspended user: 200 {"errors": [{"detail": "User has been suspended: [name].",
            # "title": "Forbidden", "type": "https://api.twitter.com/2/problems/resource-not-
            # found"}]} (the shape many public v2 clients test for; the type is listed in
            # https://docs.x.com/x-api/fundamentals/response-codes-and-errors).
            if "suspended" in detail.lower():
                ctx.mark(f"HTTP {response.status} error detail mentions suspension")
                return Verdict(
                    Status.SUSPENDED,
                    Confidence.HIGH,
                    f"@{handle} belongs to a suspended X account ({detail[:120]})",
                    method,
                ), ""
            if str(first.get("type", "")).endswith(API_NOT_FOUND_TYPE):
                ctx.mark(f"HTTP {response.status} resource-not-found")
                # Not found also covers suspended and deleted users: ask the availability
                # endpoint, which answers for registration.
                return None, API_NOT_FOUND_NOTE
        ctx.mark(f"no verdict: HTTP {response.status}, unexpected shape")
        return None, f" (the X API gave an unexpected answer: HTTP {response.status})"

    async def _availability(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.AVAILABILITY_ENDPOINT
        what = "X availability endpoint"
        response = await ctx.fetch(AVAILABILITY.format(handle=q(handle)))
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early
        raw: Any = response.json()
        body: dict[str, Any] = raw if isinstance(raw, dict) else {}
        reason = str(body.get("reason", ""))
        message = str(body.get("desc") or body.get("msg") or "")
        if TAKEN.matches(response):
            return claimed(ctx, TAKEN, f"X says @{handle} is taken", method, Confidence.HIGH)
        if AVAILABLE.matches(response) and body.get("valid") is True:
            if len(handle) < MIN_NEW_LENGTH:
                return refused(
                    ctx,
                    "200 reason 'available' but shorter than new names may be",
                    f"@{handle} is unheld, but new X names need 4-15 letters, digits or _",
                    method,
                )
            return available(
                ctx,
                AVAILABLE.describe() + ", valid: true",
                f"X says @{handle} is available",
                method,
                Confidence.HIGH,
                f"Sign up as @{handle} at {self.signup_url}",
            )
        if response.status == 200 and body.get("valid") is False:
            if reason in IMPROPER_REASONS:
                return decided(
                    ctx,
                    f"200 reason {reason!r}",
                    Verdict(
                        Status.INVALID,
                        Confidence.HIGH,
                        f"X refuses @{handle} as a username: {message or reason}",
                        method,
                    ),
                )
            if reason in SUSPENDED_REASONS:
                return decided(
                    ctx,
                    f"200 reason {reason!r}",
                    Verdict(
                        Status.SUSPENDED,
                        Confidence.MEDIUM,
                        f"X says @{handle} can't be registered ({reason}: {message[:100]}); "
                        "X answers so for a suspended account's name",
                        method,
                    ),
                )
            if reason not in {"", "available", "taken"}:
                return drifted(
                    ctx,
                    f"signal drift: 200 valid: false with unknown reason {reason!r}",
                    f"{what}: no verdict: X refuses @{handle} for a reason brandaudit doesn't "
                    f"know ({reason}: {message[:100]})",
                    method,
                )
        return undecided(response, method, what, ctx, TAKEN, AVAILABLE)


def _profile(data: dict[str, Any]) -> ProfileInfo:
    name = data.get("name") if isinstance(data.get("name"), str) else None
    description = data.get("description") if isinstance(data.get("description"), str) else None
    url = data.get("url")
    links = (url,) if isinstance(url, str) and url else ()
    return ProfileInfo(display_name=name, description=description, links=links)
