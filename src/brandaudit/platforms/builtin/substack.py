"""Substack profile handles (``substack.com/@<handle>``): the web app's public profile JSON.
Publications (``<name>.substack.com``) are a namespace of their own: a name free as a profile
handle but taken as a publication is not ``available`` (it is claimed there)."""

from __future__ import annotations

from typing import Any

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, expects_json, undecided
from brandaudit.platforms.verdicts import another_account, claimed, is_other_account

# --- signals -----------------------------------------------------------------------------
# WhatsMyName wmn-data.json "Substack": uri_check substack.com/api/v1/user/{account}/
# public_profile, e_code 200 e_string "id":, m_code 404 m_string "error":"profile not found".
# user-scanner user_scanner/user_scan/creator/substack.py (1030660, 2026-08-06): 200 with
# `id` = taken, 404 with error "profile not found" = free. Maigret's urlProbe is the same URL.
API = "https://substack.com/api/v1/user/{handle}/public_profile"
HEADERS = {"Accept": "application/json"}
CLAIMED = Signal.of(200, json_path="id", label="200 with id")
NOT_FOUND = Signal.of(
    404, json_path="error", json_equals="profile not found", label="404 'profile not found'"
)
# Publications: Sherlock data.json "Substack" (4e2a4f6, 2026-05) checks
# https://{}.substack.com/ by status (a missing publication answers 404; claimed: "green"),
# with the regex ^[a-zA-Z0-9][a-zA-Z0-9_-]{1,60}$ (docs/platforms.md "substack", 2026-12).
# Claimed needs 200 and the page naming its own address (canonical / og:url); only a 404
# clears the name; a redirect or anything else is no verdict.
PUBLICATION = "https://{handle}.substack.com/"
PUBLICATION_CLAIMED = Signal.of(
    200,
    patterns=(r"https://{handle}\.substack\.com",),
    ignore_case=True,
    label="200 naming https://<name>.substack.com",
)
PUBLICATION_MISSING = Signal.of(404, label="publication 404")
# -----------------------------------------------------------------------------------------

HOSTS = {"substack.com", "www.substack.com"}


class SubstackAdapter(Adapter):
    id = "substack"
    canary = "janellehardacre"
    canary_source = "WhatsMyName wmn-data.json 'Substack' known: janellehardacre"
    name = "Substack"
    methods = (Method.PUBLIC_API,)
    # Substack documents no rule for profile handles (substack.com/@<handle>); the real ones
    # seen are letters and digits. Sherlock's ^[a-zA-Z0-9][a-zA-Z0-9_-]{1,60}$ (dca64e3) is
    # for publication subdomains, a different name. Permissive, for "does it exist?".
    rule = HandleRule(
        r"[a-z0-9][a-z0-9_-]{0,62}",
        "1-63 letters, digits, '_' or '-' (Substack publishes no rule: a permissive one)",
    )
    profile_template = "https://substack.com/@{handle}"
    signup_url = "https://substack.com/sign-in"

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, prefix="@")
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_API
        what = "Substack"
        response = await ctx.fetch(API.format(handle=q(handle)), headers=HEADERS)
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early
        body: Any = response.json()
        if CLAIMED.matches(response) and isinstance(body, dict):
            shown = body.get("handle")
            if isinstance(shown, str) and is_other_account(shown, handle):
                return another_account(
                    ctx,
                    f"200 but handle is {shown!r}",
                    f"{what}: no verdict: answered with another profile ({shown})",
                    method,
                )
            ctx.mark(CLAIMED.describe())
            name = body.get("name") if isinstance(body.get("name"), str) else None
            bio = body.get("bio") if isinstance(body.get("bio"), str) else None
            return Verdict(
                Status.CLAIMED,
                Confidence.HIGH,
                f"substack.com/@{handle} is a Substack profile",
                method,
                profile=ProfileInfo(display_name=name or None, description=bio or None),
            )
        if NOT_FOUND.matches(response):
            ctx.mark(NOT_FOUND.describe())
            if held := await self._publication(handle, ctx):
                return held
            return Verdict(
                Status.AVAILABLE,
                Confidence.MEDIUM,
                f"Substack has no profile @{handle} and no publication {handle}.substack.com "
                "(deleted profiles may keep their handle)",
                method,
                remediation=f"Sign up and choose the handle {handle!r} at {self.signup_url}",
            )
        return undecided(response, method, what, ctx, CLAIMED, NOT_FOUND)

    async def _publication(self, handle: str, ctx: CheckContext) -> Verdict | None:
        """None when no publication holds the name (404 at ``<name>.substack.com``); else
        ``claimed`` (a publication) or no verdict. A name with '_' can't be a subdomain."""
        if "_" in handle:
            return None
        method = Method.PUBLIC_PAGE
        what = "Substack publication"
        response = await ctx.fetch(
            PUBLICATION.format(handle=handle.lower()), headers={"Accept": "text/html"}
        )
        if PUBLICATION_MISSING.matches(response):
            ctx.mark(PUBLICATION_MISSING.describe())
            return None
        if early := blocked(response, method, what, ctx):
            return early
        signal = PUBLICATION_CLAIMED.bind(handle.lower())
        if signal.matches(response):
            return claimed(
                ctx,
                signal,
                f"{handle}.substack.com is a Substack publication (no profile @{handle}; "
                "publications are a namespace of their own)",
                method,
            )
        return undecided(response, method, what, ctx, signal, PUBLICATION_MISSING)
