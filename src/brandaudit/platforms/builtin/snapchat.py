"""Snapchat public profiles (``snapchat.com/@name``). There is no lookup API; the page's
Next.js ``__NEXT_DATA__`` JSON carries the profile (``props.pageProps.userProfile``) or the
page's own not-found state. The verdict is read from that JSON, never from a string anywhere
in the page: a profile page can carry an unrelated ``NOT_FOUND`` (in a translation table or
another component's state). Accounts without a public profile look missing, so
``available`` is low."""

from __future__ import annotations

from typing import Any

from brandaudit.model import Cause, Confidence, Method, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, json_path, next_data, undecided
from brandaudit.platforms.verdicts import another_account, available, claimed, is_other_account

# --- signals -----------------------------------------------------------------------------
PAGE = "https://www.snapchat.com/@{handle}"
# Browser-like Accept headers (not a browser User-Agent): the page 406s bare clients
# (user-scanner user_scanner/user_scan/social/snapchat.py, d1f5bba, 2026-08-20).
HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
}
# Claimed: 200 and __NEXT_DATA__ props.pageProps.userProfile (user-scanner snapchat.py at
# d1f5bba parses it with its Next.js helper, user_scanner/core/nextjs.py).
PROFILE_PATH = "props.pageProps.userProfile"
# Names the profile carries, where present (publicProfileInfo for public profiles, userInfo
# for personal ones): a profile for another name is no verdict.
PROFILE_NAMES = ("publicProfileInfo.username", "userInfo.username")
# Not found: the page's own not-found state in the same JSON (pageProps.statusCode 404 or
# errorCode NOT_FOUND, or Next.js's error page), with 404 (user-scanner) or 200 (WhatsMyName
# wmn-data.json "Snapchat": m_code 200, m_string NOT_FOUND). Sources disagree on the status,
# so either counts, but only with the state in the JSON.
NOT_FOUND_STATUSES = frozenset({200, 404})
ERROR_PAGES = frozenset({"/404", "/_error"})
# Without parseable __NEXT_DATA__: WhatsMyName's claimed title (e_string "is on Snapchat!").
CLAIMED_TITLE = Signal.of(200, contains=("is on Snapchat!",), label="200 'is on Snapchat!'")
NEXT_DATA = Signal.of(
    200, 404, patterns=(r"__NEXT_DATA__",), label="__NEXT_DATA__ with userProfile or not-found"
)
# -----------------------------------------------------------------------------------------

HOSTS = {"snapchat.com", "www.snapchat.com"}


def _not_found_state(data: dict[str, Any]) -> bool:
    props = json_path(data, "props.pageProps")
    if isinstance(props, dict) and (
        props.get("statusCode") == 404 or props.get("errorCode") == "NOT_FOUND"
    ):
        return True
    # The error page alone is also served for other failures: only its 404 says "no such user".
    return data.get("page") in ERROR_PAGES and (
        isinstance(props, dict) and props.get("statusCode") == 404
    )


class SnapchatAdapter(Adapter):
    id = "snapchat"
    # Confirmed by the peers: Sherlock and Maigret data.json "Snapchat" username_claimed
    # teamsnapchat; WhatsMyName wmn-data.json "Snapchat" known: djkhaled305, mileycyrus.
    canary = "teamsnapchat"
    canary_source = (
        "Sherlock/Maigret data.json 'Snapchat' username_claimed (teamsnapchat); "
        "WhatsMyName known djkhaled305"
    )
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
        what = "Snapchat"
        response = await ctx.fetch(PAGE.format(handle=q(handle)), headers=HEADERS)
        if early := blocked(response, method, what, ctx):
            return early
        data = next_data(response)
        if data is None:
            if CLAIMED_TITLE.matches(response):
                return claimed(
                    ctx,
                    CLAIMED_TITLE,
                    f"snapchat.com/@{handle} is a public Snapchat profile",
                    method,
                )
            return undecided(response, method, what, ctx, NEXT_DATA, CLAIMED_TITLE)
        profile = json_path(data, PROFILE_PATH)
        has_profile = isinstance(profile, dict) and bool(profile)
        missing = _not_found_state(data)
        if has_profile and not missing and response.status == 200:
            assert isinstance(profile, dict)
            names = [json_path(profile, p) for p in PROFILE_NAMES]
            shown = [n for n in names if isinstance(n, str) and n]
            if shown and all(is_other_account(n, handle) for n in shown):
                return another_account(
                    ctx,
                    f"no verdict: userProfile for {shown[0]!r}",
                    f"{what}: no verdict: the page shows another profile ({shown[0]})",
                    method,
                    cause=Cause.UNEXPECTED_ANSWER,
                )
            return claimed(
                ctx,
                f"200 with {PROFILE_PATH} in __NEXT_DATA__",
                f"snapchat.com/@{handle} is a public Snapchat profile",
                method,
            )
        if missing and not has_profile and response.status in NOT_FOUND_STATUSES:
            return available(
                ctx,
                f"HTTP {response.status} with the page's not-found state in __NEXT_DATA__",
                f"Snapchat shows no public profile @{handle} (accounts without a public "
                "profile may look the same)",
                method,
                Confidence.LOW,
                f"Try registering {handle!r} at {self.signup_url}",
            )
        ctx.mark(f"signal drift: HTTP {response.status}, __NEXT_DATA__ without a decision")
        if has_profile and missing:
            seen = "both a profile and a not-found state"
        elif has_profile or missing:
            seen = "a profile" if has_profile else "a not-found state"
            seen += " with an unexpected status"
        else:
            seen = "neither a profile nor a not-found state"
        return Verdict(
            Status.UNKNOWN,
            Confidence.LOW,
            f"{what}: no verdict: signal drift (HTTP {response.status}; the page's data shows "
            f"{seen}); the adapter may need re-checking",
            method,
            signal="signal drift",
            cause=Cause.SIGNAL_DRIFT,
        )
