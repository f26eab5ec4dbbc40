"""GitHub: users and organisations share one namespace."""

from __future__ import annotations

from typing import Any

from brandaudit.model import Cause, Confidence, Method, ProfileInfo
from brandaudit.platforms.base import (
    Adapter,
    CheckContext,
    Credential,
    HandleRule,
    Verdict,
    q,
    unknown_from_response,
)
from brandaudit.platforms.verdicts import (
    another_account,
    available,
    claimed,
    is_other_account,
    no_verdict,
)

# --- signals -----------------------------------------------------------------------------
# Evidence: GitHub REST docs (https://docs.github.com/rest/users/users#get-a-user); WhatsMyName
# wmn-data.json (e62338e, 2026-08) "GitHub (User)": e_code 200 "id":, m_code 404 with the JSON error
# body.
API = "https://api.github.com/users/{handle}"
HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
NOT_FOUND_MARKER = "Not Found"  # 404 {"message": "Not Found", ...}
TOKEN = Credential(
    "github_token",
    ("BRANDAUDIT_GITHUB_TOKEN", "GITHUB_TOKEN"),
    "authenticated REST API: 5,000 requests/hour instead of 60",
)
# -----------------------------------------------------------------------------------------


class GitHubAdapter(Adapter):
    id = "github"
    canary = "torvalds"
    canary_source = "the Linux creator's account (github.com/torvalds)"
    name = "GitHub"
    methods = (Method.OFFICIAL_API, Method.PUBLIC_API)
    rule = HandleRule(
        r"(?=.{1,39}$)[a-z0-9]+(?:-[a-z0-9]+)*",
        "1-39 letters, digits and single inner hyphens (no '-' at either end)",
    )
    profile_template = "https://github.com/{handle}"
    signup_url = "https://github.com/signup"
    credentials = (TOKEN,)

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import path_segments

        parts = path_segments(url, {"github.com", "www.github.com"})
        if parts and len(parts) == 1 and self.handle_problem(parts[0]) is None:
            if parts[0].lower() in {
                "about",
                "features",
                "pricing",
                "login",
                "join",
                "orgs",
                "sponsors",
                "topics",
                "explore",
                "marketplace",
                "settings",
            }:
                return None
            return parts[0].lower()
        return None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        headers = dict(HEADERS)
        token = ctx.credential(TOKEN)
        method = Method.PUBLIC_API
        if token:
            headers["Authorization"] = f"Bearer {token}"
            method = Method.OFFICIAL_API
        response = await ctx.fetch(API.format(handle=q(handle)), headers=headers)
        body: Any = response.json()
        if response.status == 200 and isinstance(body, dict) and isinstance(body.get("login"), str):
            if is_other_account(body["login"], handle):
                return another_account(
                    ctx,
                    f"200 but login is {body['login']!r}",
                    f"GitHub answered with another account ({body['login']})",
                    method,
                    cause=Cause.UNEXPECTED_ANSWER,
                )
            kind = "organisation" if body.get("type") == "Organization" else "user"
            return claimed(
                ctx,
                f"200 with login, type {body.get('type')}",
                f"github.com/{body['login']} is a GitHub {kind}",
                method,
                Confidence.HIGH,
                profile=_profile(body),
            )
        if (
            response.status == 404
            and isinstance(body, dict)
            and body.get("message") == NOT_FOUND_MARKER
        ):
            return available(
                ctx,
                "404 with message 'Not Found'",
                f"GitHub has no user or organisation {handle!r} "
                "(suspended accounts and retired names also answer 404)",
                method,
                Confidence.MEDIUM,
                f"Create the account or organisation {handle!r} at {self.signup_url}",
            )
        if response.status in {403, 429} and response.headers.get("x-ratelimit-remaining") == "0":
            hint = "" if token else "; set GITHUB_TOKEN for a higher limit"
            return no_verdict(
                ctx,
                "rate limit exhausted (x-ratelimit-remaining: 0)",
                f"GitHub API rate limit exhausted (HTTP {response.status}){hint}",
                method,
                cause=Cause.RATE_LIMITED,
                signal=None,
            )
        return unknown_from_response(response, method, "GitHub")


def _profile(body: dict[str, Any]) -> ProfileInfo:
    links = []
    blog = body.get("blog")
    if isinstance(blog, str) and blog.strip():
        links.append(blog.strip())
    twitter = body.get("twitter_username")
    if isinstance(twitter, str) and twitter:
        links.append(f"https://x.com/{twitter}")
    company = body.get("company") if isinstance(body.get("company"), str) else None
    bio = body.get("bio") if isinstance(body.get("bio"), str) else None
    description = " ".join(x for x in (company, bio) if x) or None
    name = body.get("name") if isinstance(body.get("name"), str) else None
    return ProfileInfo(display_name=name, description=description, links=tuple(links))
