"""Tumblr blogs: API v2 ``blog/{name}.tumblr.com/info`` with an API key, else the
``www.tumblr.com/{name}`` page (lowercased: that route is case-sensitive). The
``{name}.tumblr.com`` host serves a "Checking your browser" page and is not used."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, Credential, HandleRule, Verdict, q
from brandaudit.platforms.signals import (
    Outcome,
    Signal,
    blocked,
    expects_json,
    read_outcomes,
    undecided,
)
from brandaudit.platforms.verdicts import available, claimed, official_first

# --- signals -----------------------------------------------------------------------------
# Evidence: Tumblr API v2 docs (https://www.tumblr.com/docs/en/api/v2#info---retrieve-blog-info);
# WhatsMyName wmn-data.json (e62338e, 2026-08) "tumblr": www.tumblr.com/{account}, e_code 200
# "queryKey":["user-info", m_code 404.
API = "https://api.tumblr.com/v2/blog/{handle}.tumblr.com/info?{query}"
API_CLAIMED = Signal.of(200, json_path="response.blog.name", label="200 with response.blog.name")
# 404 {"meta": {"status": 404, "msg": "Not Found"}, "response": [], "errors": [...]}
API_NOT_FOUND = Signal.of(
    404, json_path="meta.msg", json_equals="Not Found", label="404 'Not Found'"
)
PAGE = "https://www.tumblr.com/{handle}"
PAGE_HEADERS = {"Accept-Language": "en", "Accept": "text/html"}
PAGE_CLAIMED = Signal.of(200, contains=('"queryKey":["user-info"',), label="200 with user-info")
# A blog that requires a login to view still exists.
LOGIN_REQUIRED_PATH = "/login_required/"
PAGE_NOT_FOUND = Signal.of(
    404, patterns=(r"<title>\s*Not found\.\s*</title>",), label="404 title 'Not found.'"
)
API_KEY = Credential(
    "tumblr_api_key",
    ("BRANDAUDIT_TUMBLR_API_KEY", "TUMBLR_API_KEY"),
    "Tumblr API v2 consumer key (official; not-found with high confidence)",
)
# -----------------------------------------------------------------------------------------

RESERVED_PATHS = frozenset(
    {
        "dashboard", "explore", "tagged", "search", "login", "register", "settings", "new",
        "privacy", "policy", "about", "help", "blog", "likes", "following", "inbox", "apps",
        "docs", "developers", "oauth", "login_required", "communities", "reblog", "share",
        "widgets", "logout", "jobs", "press", "tips", "themes", "changes",
    }
)  # fmt: skip
RESERVED_SUBDOMAINS = frozenset({"www", "api", "assets", "help", "media", "static", "64", "embed"})
PAGE_OUTCOMES = (
    Outcome(
        PAGE_CLAIMED, Status.CLAIMED, Confidence.MEDIUM, "tumblr.com/{handle} is a Tumblr blog"
    ),
    Outcome(
        PAGE_NOT_FOUND,
        Status.AVAILABLE,
        Confidence.MEDIUM,
        "Tumblr has no blog named {handle!r} (from its public page)",
        "Create the blog {handle!r} at {signup_url}",
    ),
)


class TumblrAdapter(Adapter):
    id = "tumblr"
    canary = "staff"
    canary_source = "Tumblr's staff blog (staff.tumblr.com)"
    name = "Tumblr"
    methods = (Method.OFFICIAL_API, Method.PUBLIC_PAGE)
    rule = HandleRule(r"[a-z0-9-]{1,32}", "1-32 letters, digits or '-'")
    profile_template = "https://www.tumblr.com/{handle}"
    signup_url = "https://www.tumblr.com/register"
    credentials = (API_KEY,)

    def handle_from_url(self, url: str) -> str | None:
        from urllib.parse import urlsplit

        from brandaudit.platforms.urls import path_segments, segment_handle

        name = segment_handle(url, {"tumblr.com", "www.tumblr.com"}, reserved=RESERVED_PATHS)
        if name is None:
            try:
                host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
            except ValueError:
                return None
            label, _, rest = host.partition(".")
            if (
                rest == "tumblr.com"
                and label not in RESERVED_SUBDOMAINS
                and path_segments(url, {host}) == []
            ):
                name = label
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        key = ctx.credential(API_KEY)
        return await official_first(
            self._api(handle, key, ctx) if key else None,
            lambda: self._page(handle, ctx),
            "the API",
        )

    async def _api(self, handle: str, key: str, ctx: CheckContext) -> Verdict:
        method = Method.OFFICIAL_API
        what = "Tumblr API"
        response = await ctx.fetch(API.format(handle=q(handle), query=urlencode({"api_key": key})))
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early
        body: Any = response.json()
        if API_CLAIMED.matches(response):
            blog = body["response"]["blog"]
            return claimed(
                ctx,
                API_CLAIMED,
                f"{blog['name']}.tumblr.com is a Tumblr blog",
                method,
                Confidence.HIGH,
                profile=_profile(blog),
            )
        if API_NOT_FOUND.matches(response):
            return available(
                ctx,
                API_NOT_FOUND,
                f"Tumblr has no blog named {handle!r}",
                method,
                Confidence.HIGH,
                f"Create the blog {handle!r} at {self.signup_url}",
            )
        return undecided(response, method, what, ctx, API_CLAIMED, API_NOT_FOUND)

    async def _page(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_PAGE
        response = await ctx.fetch(PAGE.format(handle=q(handle.lower())), headers=PAGE_HEADERS)
        location = response.location or ""
        if response.status in {301, 302, 303, 307, 308} and _is_login_required(location, handle):
            return claimed(
                ctx,
                f"HTTP {response.status} to {LOGIN_REQUIRED_PATH}",
                f"{handle}.tumblr.com is a Tumblr blog that requires a login to view",
                method,
            )
        return read_outcomes(
            response,
            handle,
            ctx,
            PAGE_OUTCOMES,
            method=method,
            what="Tumblr",
            signup_url=self.signup_url,
        )


def _is_login_required(location: str, handle: str) -> bool:
    """A redirect to ``www.tumblr.com/login_required/{handle}`` (on Tumblr's own host)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(location)
    except ValueError:
        return False
    host = (parts.hostname or "www.tumblr.com").lower()
    return host in {"www.tumblr.com", "tumblr.com"} and parts.path.rstrip("/").lower() == (
        LOGIN_REQUIRED_PATH + handle.lower()
    )


def _profile(blog: dict[str, Any]) -> ProfileInfo:
    title = blog.get("title") if isinstance(blog.get("title"), str) else None
    description = blog.get("description") if isinstance(blog.get("description"), str) else None
    return ProfileInfo(display_name=title or None, description=description or None)
