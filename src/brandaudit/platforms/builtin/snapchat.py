"""Snapchat public profiles (``snapchat.com/@name``). There is no lookup API; the page's
``__NEXT_DATA__`` carries the profile. Sources disagree on the not-found answer (404 or
200 with ``NOT_FOUND``), so either counts only with its marker, and ``available`` is low."""

from __future__ import annotations

from brandaudit.model import Confidence, Method, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, undecided

# --- signals -----------------------------------------------------------------------------
PAGE = "https://www.snapchat.com/@{handle}"
# Browser-like Accept headers (not a browser User-Agent): the page 406s bare clients.
HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
}
CLAIMED = Signal.of(
    200, contains=("__NEXT_DATA__", '"userProfile"'), label="200 with userProfile in __NEXT_DATA__"
)
CLAIMED_TITLE = Signal.of(200, contains=("is on Snapchat!",), label="200 'is on Snapchat!'")
NOT_FOUND = Signal.of(200, 404, contains=("__NEXT_DATA__", "NOT_FOUND"), label="NOT_FOUND page")
# -----------------------------------------------------------------------------------------

HOSTS = {"snapchat.com", "www.snapchat.com"}


class SnapchatAdapter(Adapter):
    id = "snapchat"
    canary = "team.snapchat"
    name = "Snapchat"
    methods = (Method.PUBLIC_PAGE,)
    rule = HandleRule(
        r"[a-z][a-z0-9._-]{1,13}[a-z0-9]",
        "3-15 letters, digits, '-', '_' or '.', starting with a letter and ending with a "
        "letter or digit",
    )
    profile_template = "https://www.snapchat.com/@{handle}"
    signup_url = "https://accounts.snapchat.com/accounts/signup"

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, prefix="@") or segment_handle(url, HOSTS, before=("add",))
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_PAGE
        response = await ctx.fetch(PAGE.format(handle=q(handle)), headers=HEADERS)
        if early := blocked(response, method, "Snapchat", ctx):
            return early
        for signal in (CLAIMED, CLAIMED_TITLE):
            if signal.matches(response) and "NOT_FOUND" not in response.text():
                ctx.mark(signal.describe())
                return Verdict(
                    Status.CLAIMED,
                    Confidence.MEDIUM,
                    f"snapchat.com/@{handle} is a public Snapchat profile",
                    method,
                )
        if NOT_FOUND.matches(response):
            ctx.mark(NOT_FOUND.describe())
            return Verdict(
                Status.AVAILABLE,
                Confidence.LOW,
                f"Snapchat shows no public profile @{handle} (accounts without a public "
                "profile may look the same)",
                method,
                remediation=f"Try registering {handle!r} at {self.signup_url}",
            )
        return undecided(response, method, "Snapchat", ctx, CLAIMED, NOT_FOUND)
