"""TikTok: oEmbed, then the embed page. Claimed or unknown only: private accounts, banned
names and free names all look alike from outside, and no practical API exists."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from brandaudit.model import Cause, Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked
from brandaudit.platforms.verdicts import claimed

# --- signals -----------------------------------------------------------------------------
# Evidence: WhatsMyName wmn-data.json (e62338e, 2026-08) "TikTok": oembed?url=…/@{account}, e_code
# 200 "author_url":, m_code 400; user-scanner (kaifcodec/user-scanner) reads the embed page's
# userInfo and notes that a 400 covers private and free names alike, so 400 is never a not-found
# signal here.
OEMBED = "https://www.tiktok.com/oembed?{query}"
# 200 {"version": "1.0", "type": "rich", "author_url": "https://www.tiktok.com/@acme", ...}
OEMBED_CLAIMED = Signal.of(200, json_path="author_url", label="oEmbed 200 with author_url")
EMBED = "https://www.tiktok.com/embed/@{handle}"
EMBED_CLAIMED = Signal.of(
    200, contains=('"userInfo"', '"uniqueId":"{handle}"'), ignore_case=True,
    label="embed page 200 with userInfo for the handle",
)  # fmt: skip
HEADERS = {"Accept-Language": "en"}
# 400 from either: private and free names look alike (US) -> unknown, never available.
# -----------------------------------------------------------------------------------------

HOSTS = {"tiktok.com", "www.tiktok.com", "m.tiktok.com"}


class TikTokAdapter(Adapter):
    id = "tiktok"
    canary = "tiktok"
    canary_source = "the platform's own account (tiktok.com/@tiktok)"
    says_available = False
    name = "TikTok"
    methods = (Method.PUBLIC_API,)
    rule = HandleRule(
        r"(?=.{2,30}$)[a-z0-9_.]*[a-z0-9_]",
        "2-30 letters, digits, '_' or '.' (not ending with '.')",
    )
    profile_template = "https://www.tiktok.com/@{handle}"
    signup_url = "https://www.tiktok.com/signup"

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, prefix="@")
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_API
        query = urlencode({"url": f"https://www.tiktok.com/@{handle}"})
        response = await ctx.fetch(OEMBED.format(query=query), headers=HEADERS)
        first = blocked(response, method, "TikTok oEmbed", ctx)
        if first is None and OEMBED_CLAIMED.matches(response):
            body: Any = response.json()
            author = str(body["author_url"]).rstrip("/").rsplit("/", 1)[-1].lstrip("@")
            if author.lower() == handle.lower():
                ctx.mark(OEMBED_CLAIMED.describe())
                name = body.get("author_name") if isinstance(body.get("author_name"), str) else None
                return Verdict(
                    Status.CLAIMED,
                    Confidence.HIGH,
                    f"tiktok.com/@{author} is a TikTok account",
                    method,
                    profile=ProfileInfo(display_name=name),
                )
        if first is None:
            ctx.mark(f"oEmbed HTTP {response.status}: no profile shown")
        embed = await ctx.fetch(EMBED.format(handle=q(handle)), headers=HEADERS)
        signal = EMBED_CLAIMED.bind(handle)
        if early := blocked(embed, method, "TikTok embed page", ctx):
            return first or early
        if signal.matches(embed):
            return claimed(
                ctx, signal, f"tiktok.com/@{handle} is a TikTok account (embed page)", method
            )
        ctx.mark(f"embed HTTP {embed.status}: no profile shown")
        if first is not None:
            return first  # oEmbed was blocked: say so rather than "no public profile"
        return Verdict(
            Status.UNKNOWN,
            Confidence.LOW,
            f"TikTok shows no public profile @{handle} (oEmbed: {response.describe()}, "
            f"embed: {embed.describe()}); private accounts, banned names and free names look "
            "alike from outside",
            method,
            signal="no verdict",
            cause=Cause.UNSUPPORTED,
        )
