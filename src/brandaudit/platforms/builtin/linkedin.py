"""LinkedIn company pages (``/company/<slug>``): Organization Lookup with an OAuth token,
else the public page, which can only say ``claimed``.

Without the API LinkedIn never says ``available``: it answers 200 for slugs that don't exist,
999 to clients it dislikes (after ~3 quick requests) and redirects to ``/authwall``; peers
that read 999 as "not found" report every name free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlencode, urlsplit

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, Credential, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, expects_json, json_ld_nodes, undecided
from brandaudit.platforms.verdicts import (
    SIGNAL_DRIFT,
    available,
    claimed,
    drifted,
    no_verdict,
    official_first,
)

if TYPE_CHECKING:
    from brandaudit.net.client import Response

# --- signals -----------------------------------------------------------------------------
# Organization Lookup docs: https://learn.microsoft.com/linkedin/marketing/community-management/
# organizations/organization-lookup-api (q=vanityName).
API = "https://api.linkedin.com/rest/organizations?{query}"
# LinkedIn serves each monthly version for about a year: 202401 is sunset and answers 426
# NONEXISTENT_VERSION (brightbeanxyz/brightbean-studio#37, n8n-io/n8n#28600); n8n PR #39065
# moved to 202609 (docs/platforms.md "linkedin", 2026-12). Bump it when LinkedIn sunsets it.
API_VERSION = "202609"
API_HEADERS = {"LinkedIn-Version": API_VERSION, "X-Restli-Protocol-Version": "2.0.0"}
# A version LinkedIn no longer serves: 426, or its error code in the body. That is drift
# (brandaudit must be updated), never silence, and never the page's weaker guess instead.
VERSION_STATUS = 426
VERSION_CODES = frozenset({"NONEXISTENT_VERSION", "VERSION_MISSING"})
API_CLAIMED = Signal.of(200, json_path="elements.0.id", label="200 with elements[0]")
API_NOT_FOUND = Signal.of(200, json_path="elements", json_equals=[], label="200 with no elements")
PAGE = "https://www.linkedin.com/company/{handle}/"
PAGE_HEADERS = {"Accept-Language": "en", "Accept": "text/html"}
# Claimed: 200 and a JSON-LD node of @type Organization whose own `url` is this company page
# (/company/<slug>). Both are read from the same parsed node: an Organization node for another
# company plus a /company/<slug> link elsewhere on the page is no verdict (brandaudit issue
# 12). LinkedIn answers 200 for slugs that don't exist (haritsfahreza/namecheck PR #9), so a
# 200 without the node proves nothing. user-scanner reads LinkedIn's JSON-LD node the same way
# for people (user_scanner/user_scan/social/linkedin.py, 1b90dbb, 2026-08-05).
PAGE_CLAIMED = Signal.of(
    200, contains=("application/ld+json",), ignore_case=True,
    label="200 with a JSON-LD Organization whose url is /company/{slug}",
)  # fmt: skip
TOKEN = Credential(
    "linkedin_access_token",
    ("BRANDAUDIT_LINKEDIN_ACCESS_TOKEN", "LINKEDIN_ACCESS_TOKEN"),
    "Organization Lookup by vanity name (3-legged OAuth, partner access)",
)
# -----------------------------------------------------------------------------------------

HOSTS = {
    "linkedin.com",
    "www.linkedin.com",
    *(f"{c}.linkedin.com" for c in ("uk", "de", "fr", "in", "ca", "au")),
}
TABS = frozenset({"about", "posts", "jobs", "people", "life", "mycompany", "videos", "events"})


class LinkedInAdapter(Adapter):
    id = "linkedin"
    canary = "microsoft"
    canary_source = "Microsoft's long-lived company page (linkedin.com/company/microsoft)"
    name = "LinkedIn"
    methods = (Method.OFFICIAL_API, Method.PUBLIC_PAGE)
    rule = HandleRule(
        r"(?=.{2,100}$)[a-z0-9][a-z0-9&'._-]*",
        "a company slug: 2-100 letters, digits, '-', '_', '.', '&' or \"'\"",
    )
    profile_template = "https://www.linkedin.com/company/{handle}/"
    signup_url = "https://www.linkedin.com/company/setup/new/"
    credentials = (TOKEN,)
    available_needs = (TOKEN,)

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, before=("company",), tabs=TABS)
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        token = ctx.credential(TOKEN)
        return await official_first(
            self._api(handle, token, ctx) if token else None,
            lambda: self._page(handle, ctx),
            "Organization Lookup",
            drift_is_final=True,
        )

    async def _api(self, handle: str, token: str, ctx: CheckContext) -> Verdict:
        method = Method.OFFICIAL_API
        what = "LinkedIn Organization Lookup"
        query = urlencode({"q": "vanityName", "vanityName": handle})
        headers = {**API_HEADERS, "Authorization": f"Bearer {token}"}
        response = await ctx.fetch(API.format(query=query), headers=headers)
        if drift := _version_drift(response, what, ctx):
            return drift
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early
        body: Any = response.json()
        if API_CLAIMED.matches(response):
            element = body["elements"][0]
            ctx.mark(API_CLAIMED.describe())
            name = _localized(element.get("localizedName") or element.get("name"))
            return Verdict(
                Status.CLAIMED,
                Confidence.HIGH,
                f"linkedin.com/company/{handle} is a LinkedIn page"
                + (f" ({name})" if name else ""),
                method,
                profile=ProfileInfo(display_name=name),
            )
        if API_NOT_FOUND.matches(response):
            return available(
                ctx,
                API_NOT_FOUND,
                f"LinkedIn has no organization with the vanity name {handle!r}",
                method,
                Confidence.MEDIUM,
                f"Create the company page at {self.signup_url}",
            )
        return undecided(response, method, what, ctx, API_CLAIMED, API_NOT_FOUND)

    async def _page(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_PAGE
        response = await ctx.fetch(PAGE.format(handle=q(handle)), headers=PAGE_HEADERS)
        if early := blocked(response, method, "LinkedIn", ctx):
            return early
        if PAGE_CLAIMED.matches(response) and _organization(response, handle):
            return claimed(
                ctx,
                PAGE_CLAIMED,
                f"linkedin.com/company/{handle} is a LinkedIn company page",
                method,
            )
        return no_verdict(
            ctx,
            f"no verdict: HTTP {response.status} without company markers",
            f"LinkedIn shows no company page for {handle!r} (HTTP {response.status}); "
            "without API access LinkedIn can't confirm a name is free (it answers 200 "
            "for slugs that don't exist)",
            method,
        )


def _organization(response: Response, slug: str) -> bool:
    """Whether a JSON-LD Organization node's own ``url`` is ``/company/<slug>``."""
    return json_ld_profile(response, "Organization", "company", slug)


def json_ld_profile(response: Response, kind_wanted: str, section: str, slug: str) -> bool:
    """Whether one JSON-LD node of ``@type`` ``kind_wanted`` has its own ``url`` at
    ``linkedin.com/<section>/<slug>`` (type and url on the same node, never apart)."""
    for node in json_ld_nodes(response):
        kind = node.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if kind_wanted not in kinds:
            continue
        url = node.get("url")
        if not isinstance(url, str):
            continue
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        host = (parts.hostname or "").lower()
        if host != "linkedin.com" and not host.endswith(".linkedin.com"):
            continue
        segments = [unquote(p) for p in parts.path.split("/") if p]
        if len(segments) == 2 and segments[0] == section and segments[1].lower() == slug.lower():
            return True
    return False


def _localized(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        localized = value.get("localized")
        if isinstance(localized, dict):
            for text in localized.values():
                if isinstance(text, str):
                    return text
    return None


def _version_drift(response: Response, what: str, ctx: CheckContext) -> Verdict | None:
    """``unknown`` (signal drift) when LinkedIn refuses the API version brandaudit sends."""
    body: Any = response.json()
    code = str(body.get("code") or "")[:60] if isinstance(body, dict) else ""
    if response.status != VERSION_STATUS and code not in VERSION_CODES:
        return None
    return drifted(
        ctx,
        f"{SIGNAL_DRIFT}: HTTP {response.status} {code or 'version refused'}",
        f"{what}: no verdict: {SIGNAL_DRIFT}: LinkedIn no longer serves API version "
        f"{API_VERSION} (HTTP {response.status} {code}); brandaudit needs updating",
        Method.OFFICIAL_API,
    )
