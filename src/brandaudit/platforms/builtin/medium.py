"""Medium profiles (``medium.com/@<name>``): Medium's own profile JSON view
(``?format=json``), the only view that tells a suspended account from a free name. Its body
starts with an anti-hijacking guard, then JSON. Cloudflare often answers 403 or a challenge
page: ``unknown``. Accounts on a custom subdomain redirect there (followed, within Medium)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, json_path, undecided
from brandaudit.platforms.verdicts import (
    another_account,
    available,
    claimed,
    decided,
    drifted,
    is_other_account,
)

if TYPE_CHECKING:
    import httpx

# --- signals -----------------------------------------------------------------------------
# user-scanner user_scanner/user_scan/creator/medium.py (88e7df9, 2026-08-09): the JSON view
# medium.com/@<user>?format=json, body prefixed by the guard "])}while(1);</x>"; error
# "No user found" = free, error "... is suspended" = suspended, payload.user.username = the
# account (compared case-insensitively). The HTML profile answers unknown names with 200 and
# its 404 view (same file), so the page's status alone decides nothing.
JSON_VIEW = "https://medium.com/@{handle}?format=json"
HEADERS = {"Accept": "application/json", "Accept-Language": "en"}
GUARD = "])}while(1);</x>"
GUARDED = Signal.of(200, 404, contains=(GUARD,), label="the JSON view's guard")
USER_PATH = "payload.user.username"
NO_USER = "No user found"
SUSPENDED = "is suspended"
MAX_REDIRECTS = 2
# -----------------------------------------------------------------------------------------

HOSTS = {"medium.com", "www.medium.com"}


def _within_medium(_old: httpx.URL, new: httpx.URL) -> bool:
    host = (new.host or "").lower()
    return host == "medium.com" or host.endswith(".medium.com")


def _decode(text: str) -> dict[str, Any] | None:
    _, found, rest = text.partition(GUARD)
    if not found:
        return None
    try:
        data = json.loads(rest)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


class MediumAdapter(Adapter):
    id = "medium"
    # /@zulie 302s to zulie.medium.com (WhatsMyName PR #978), which this adapter never
    # follows, so that canary read as drift; Sherlock's and Maigret's `blue` stays on
    # medium.com (docs/platforms.md "medium", 2026-12).
    canary = "blue"
    canary_source = "Sherlock data.json 'Medium' username_claimed: blue (Maigret: blue too)"
    name = "Medium"
    methods = (Method.PUBLIC_API,)
    # Medium documents no username rule, and no peer checker has one (Sherlock, Maigret,
    # WhatsMyName: none). Public profile links show letters, digits, '_', '.' and '-', also
    # leading (medium.com/@alex-azimbaev, @david.gilbertson, @_ericelliott, @--andrewnelson).
    # No length is documented: up to 50 here, permissive. (WhatsMyName's strip_bad_char "."
    # for Medium came with a bulk change to 24 sites, 862cf5d, not from Medium's rules.)
    rule = HandleRule(
        r"[a-z0-9_.-]{1,50}",
        "1-50 letters, digits, '_', '.' or '-' (Medium publishes no rule: a permissive one)",
    )
    profile_template = "https://medium.com/@{handle}"
    signup_url = "https://medium.com/m/signin"

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, prefix="@")
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_API
        what = "Medium"
        response = await ctx.fetch(
            JSON_VIEW.format(handle=q(handle)),
            headers=HEADERS,
            max_redirects=MAX_REDIRECTS,
            redirect_allowed=_within_medium,
        )
        if early := blocked(response, method, what, ctx):
            return early
        data = _decode(response.text()) if GUARDED.matches(response) else None
        if data is None:
            return undecided(response, method, what, ctx, GUARDED)
        error = str(data.get("error") or "")
        found = json_path(data, USER_PATH)
        shown = found if isinstance(found, str) and found else None
        if SUSPENDED in error:
            return decided(
                ctx,
                f"HTTP {response.status} JSON view error '{SUSPENDED}'",
                Verdict(
                    Status.SUSPENDED,
                    Confidence.HIGH,
                    f"medium.com/@{handle} belongs to a suspended Medium account",
                    method,
                ),
            )
        if response.status == 200 and shown is not None:
            if is_other_account(shown, handle):
                return another_account(
                    ctx,
                    f"no verdict: the JSON view is for {shown!r}",
                    f"{what}: no verdict: answered with another account ({shown})",
                    method,
                )
            user: Any = json_path(data, "payload.user")
            name = user.get("name") if isinstance(user.get("name"), str) else None
            bio = user.get("bio") if isinstance(user.get("bio"), str) else None
            return claimed(
                ctx,
                f"200 JSON view with {USER_PATH}",
                f"medium.com/@{shown} is a Medium account",
                method,
                Confidence.HIGH,
                profile=ProfileInfo(display_name=name or None, description=bio or None),
            )
        if NO_USER in error and shown is None:
            return available(
                ctx,
                f"HTTP {response.status} JSON view error '{NO_USER}'",
                f"Medium says no user @{handle} exists (deleted accounts may keep the name)",
                method,
                Confidence.MEDIUM,
                f"Sign up and choose the username {handle!r} at {self.signup_url}",
            )
        return drifted(
            ctx,
            f"signal drift: HTTP {response.status} JSON view without a user or an error",
            f"{what}: no verdict: signal drift (HTTP {response.status}; the JSON view shows "
            "neither an account nor 'No user found'); the adapter may need re-checking",
            method,
        )
