"""LinkedIn member profiles (``/in/<slug>``): a different namespace from ``/company/``.

LinkedIn has no public API for member profiles: the public page is all there is, and it is
guarded like the company pages (999 to clients it dislikes, redirects to ``/authwall``, 200
for slugs that don't exist). So the only verdict this adapter can reach is ``claimed``, when
the page itself carries a JSON-LD ``Person`` whose url is this profile; everything else is
``unknown``, never ``available``.

Signals: the public profile page embeds schema.org JSON-LD (``"@type": "Person"`` with the
``/in/<slug>`` url) for search engines (https://schema.org/Person; the company-page adapter
relies on the same JSON-LD shape for ``Organization``); the 999 answer and the authwall
redirect are LinkedIn's bot wall (docs/platforms.md, "Never available"). Slug rule:
LinkedIn Help "Customize your public profile URL" (3-100 characters, no spaces or symbols).
"""

from __future__ import annotations

from brandaudit.model import Confidence, Method, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.builtin.linkedin import json_ld_profile
from brandaudit.platforms.signals import blocked

# --- signals -----------------------------------------------------------------------------
PAGE = "https://www.linkedin.com/in/{handle}/"
PAGE_HEADERS = {"Accept-Language": "en", "Accept": "text/html"}
PAGE_CLAIMED = "200 with a JSON-LD Person node whose url is /in/{slug}"
# -----------------------------------------------------------------------------------------


class LinkedInPersonAdapter(Adapter):
    """The person mode of LinkedIn: used for ``[[people]]`` handles only."""

    id = "linkedin"
    name = "LinkedIn"
    methods = (Method.PUBLIC_PAGE,)
    rule = HandleRule(
        r"(?=.{3,100}$)[a-z0-9][a-z0-9_-]*",
        "a member profile slug (linkedin.com/in/<slug>): 3-100 letters, digits, '-' or '_'",
    )
    says_available = False
    profile_template = "https://www.linkedin.com/in/{handle}/"
    signup_url = "https://www.linkedin.com/signup"

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.builtin.linkedin import HOSTS
        from brandaudit.platforms.urls import path_segments

        parts = path_segments(url, HOSTS)
        if parts and len(parts) >= 2 and parts[0] == "in":
            name = parts[1].lower()
            return name if self.handle_problem(name) is None else None
        return None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_PAGE
        response = await ctx.fetch(PAGE.format(handle=q(handle)), headers=PAGE_HEADERS)
        if early := blocked(response, method, "LinkedIn", ctx):
            return early
        if response.status == 200 and json_ld_profile(response, "Person", "in", handle):
            ctx.mark(PAGE_CLAIMED)
            return Verdict(
                Status.CLAIMED,
                Confidence.MEDIUM,
                f"linkedin.com/in/{handle} is a LinkedIn member profile",
                method,
            )
        ctx.mark(f"no verdict: HTTP {response.status} without profile markers")
        return Verdict(
            Status.UNKNOWN,
            Confidence.LOW,
            f"LinkedIn shows no public profile for /in/{handle} (HTTP {response.status}); "
            "LinkedIn hides most member profiles from logged-out visitors and answers 200 for "
            "slugs that don't exist, so nothing public decides",
            method,
            signal="no verdict",
        )
