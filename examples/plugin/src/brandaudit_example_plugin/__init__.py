"""A brandaudit plugin for Hatchly, a made-up social network.

Hatchly's public API answers ``GET https://api.hatchly.example/v1/accounts/{handle}`` with
``200 {"account": {"handle": ..., "display_name": ...}}`` for an account and
``404 {"error": "account_not_found"}`` for a free name. Like every adapter, this one reads a
verdict only from the platform's own answer (status *and* marker) and leaves everything else
``unknown``.
"""

from __future__ import annotations

from typing import Any

from brandaudit.plugin import (
    Adapter,
    CheckContext,
    Confidence,
    HandleRule,
    Method,
    ProfileInfo,
    Signal,
    Status,
    Verdict,
    blocked,
    expects_json,
    q,
    segment_handle,
    undecided,
)

__version__ = "0.1.0"

# --- signals -----------------------------------------------------------------------------
API = "https://api.hatchly.example/v1/accounts/{handle}"
CLAIMED = Signal.of(200, json_path="account.handle", label="200 with account.handle")
NOT_FOUND = Signal.of(
    404, json_path="error", json_equals="account_not_found", label="404 account_not_found"
)
# -----------------------------------------------------------------------------------------


class HatchlyAdapter(Adapter):
    id = "hatchly"
    name = "Hatchly"
    methods = (Method.PUBLIC_API,)
    rule = HandleRule(
        r"[a-z][a-z0-9_]{2,19}", "3-20 letters, digits or '_', starting with a letter"
    )
    profile_template = "https://hatchly.example/@{handle}"
    signup_url = "https://hatchly.example/join"

    def handle_from_url(self, url: str) -> str | None:
        name = segment_handle(url, {"hatchly.example", "www.hatchly.example"}, prefix="@")
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_API
        response = await ctx.fetch(API.format(handle=q(handle)))
        if early := blocked(response, method, self.name, ctx) or expects_json(
            response, method, self.name, ctx
        ):
            return early
        body: Any = response.json()
        if CLAIMED.matches(response):
            ctx.mark(CLAIMED.describe())
            account = body["account"]
            name = account.get("display_name")
            return Verdict(
                Status.CLAIMED,
                Confidence.HIGH,
                f"@{account['handle']} is a Hatchly account",
                method,
                profile=ProfileInfo(display_name=name if isinstance(name, str) else None),
            )
        if NOT_FOUND.matches(response):
            ctx.mark(NOT_FOUND.describe())
            return Verdict(
                Status.AVAILABLE,
                Confidence.MEDIUM,
                f"Hatchly has no account @{handle}",
                method,
                remediation=f"Register @{handle} at {self.signup_url}",
            )
        return undecided(response, method, self.name, ctx, CLAIMED, NOT_FOUND)
