"""Pinterest: the profile page (no lookup API serves other accounts). Profiles carry a
JSON-LD ``ProfilePage``; a missing user gets "User not found.". Country domains redirect,
and redirects decide nothing, so ``available`` is low confidence at best."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from brandaudit.model import Cause, Confidence, Method, Status
from brandaudit.platforms.base import HandleRule
from brandaudit.platforms.signals import Outcome, Signal, SignalAdapter, moved_to
from brandaudit.platforms.verdicts import no_verdict

if TYPE_CHECKING:
    from brandaudit.net.client import Response
    from brandaudit.platforms.base import CheckContext, Verdict

# --- signals -----------------------------------------------------------------------------
# Evidence: Maigret and user-scanner read the JSON-LD ProfilePage; user-scanner's not-found is "User
# not found."; WhatsMyName wmn-data.json (e62338e, 2026-08) "Pinterest": e_string " - Profile |
# Pinterest", m_code 301.
PAGE = "https://www.pinterest.com/{handle}/"
HEADERS = {"Accept-Language": "en", "Accept": "text/html"}
CLAIMED = Signal.of(
    200, patterns=(r'"@type"\s*:\s*"ProfilePage"',), label="200 with JSON-LD ProfilePage"
)
NOT_FOUND = Signal.of(200, 404, contains=("User not found.",), label="'User not found.'")
# -----------------------------------------------------------------------------------------

HOSTS = {
    "pinterest.com", "www.pinterest.com", "pinterest.co.uk", "www.pinterest.co.uk",
    "pinterest.ca", "www.pinterest.ca", "pinterest.de", "www.pinterest.de", "pinterest.fr",
    "www.pinterest.fr", "pinterest.es", "www.pinterest.es", "pinterest.it", "www.pinterest.it",
    "pinterest.com.au", "www.pinterest.com.au", "pinterest.jp", "www.pinterest.jp",
    "pinterest.com.mx", "www.pinterest.com.mx", "pinterest.nl", "www.pinterest.nl",
    "pinterest.se", "www.pinterest.se", "pinterest.at", "www.pinterest.at",
    "pinterest.ch", "www.pinterest.ch", "pinterest.ie", "www.pinterest.ie",
    "pinterest.nz", "www.pinterest.nz", "pinterest.pt", "www.pinterest.pt",
    "pinterest.dk", "www.pinterest.dk", "br.pinterest.com", "in.pinterest.com",
}  # fmt: skip
RESERVED_PATHS = frozenset(
    {
        "pin", "ideas", "search", "today", "business", "settings", "explore", "login",
        "signup", "about", "categories", "topics", "videos", "news_hub", "oauth", "password",
        "resource", "_", "board", "shopping", "homefeed", "following", "pin-builder",
    }
)  # fmt: skip


class PinterestAdapter(SignalAdapter):
    id = "pinterest"
    canary = "pinterest"
    canary_source = "the platform's own profile (pinterest.com/pinterest)"
    name = "Pinterest"
    methods = (Method.PUBLIC_PAGE,)
    rule = HandleRule(r"[a-z0-9_]{3,30}", "3-30 letters, digits or '_'")
    profile_template = "https://www.pinterest.com/{handle}/"
    signup_url = "https://www.pinterest.com/business/create/"
    check_template = PAGE
    request_headers = HEADERS
    profile_hosts = frozenset(HOSTS)
    reserved_paths = RESERVED_PATHS
    profile_tabs = frozenset({"_saved", "_created"})
    outcomes = (
        Outcome(CLAIMED, Status.CLAIMED, Confidence.MEDIUM, "pinterest.com/{handle} is a profile"),
        Outcome(
            NOT_FOUND,
            Status.AVAILABLE,
            Confidence.LOW,
            "Pinterest says no user {handle!r} (from its public page; deactivated accounts "
            "may look the same)",
            "Create the account {handle!r} at {signup_url}",
        ),
    )

    def before_signals(
        self, response: Response, method: Method, ctx: CheckContext
    ) -> Verdict | None:
        if (target := moved_to(response)) and urlsplit(target).hostname in HOSTS:
            # A country site (pinterest.com -> pinterest.co.uk) is not a move: no verdict.
            return no_verdict(
                ctx,
                f"no verdict: HTTP {response.status} to a regional site",
                f"Pinterest: no verdict: redirected to a regional site ({target})",
                method,
                cause=Cause.MOVED,
            )
        return None
