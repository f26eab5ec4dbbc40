"""Kick channels (``kick.com/<slug>``): the channel API. The channel page is a client-rendered
shell that answers 200 for any name and decides nothing. Kick sits behind Cloudflare, which
often answers 403 or a challenge: that is ``unknown``."""

from __future__ import annotations

from typing import Any

from brandaudit.model import Confidence, Method, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, undecided

# --- signals -----------------------------------------------------------------------------
# user-scanner user_scanner/user_scan/gaming/kick.py (557bb6f, 2026-08-06): API
# kick.com/api/v2/channels/<user>; 200 JSON whose `slug` is the name = taken; 404 with
# "message":"Channel not found." = free; any other 404 is no verdict. WhatsMyName and
# Maigret use the same URL (WMN "Kick": e_code 200 "id", m_code 404); Sherlock notes
# "Cloudflare. Only viable when proxied."
API = "https://kick.com/api/v2/channels/{handle}"
HEADERS = {"Accept": "application/json"}
CLAIMED = Signal.of(200, json_path="slug", label="200 with slug")
NOT_FOUND = Signal.of(
    404, json_path="message", json_equals="Channel not found.", label="404 'Channel not found.'"
)
# -----------------------------------------------------------------------------------------

HOSTS = {"kick.com", "www.kick.com"}
RESERVED_PATHS = frozenset({"browse", "categories", "search", "following", "dashboard", "api"})


class KickAdapter(Adapter):
    id = "kick"
    canary = "xqc"
    canary_source = "Maigret data.json 'Kick' usernameClaimed: xqc"
    name = "Kick"
    methods = (Method.PUBLIC_API,)
    # Kick publishes no rule. Channel URLs with '-' are real (kick.com/mr-distort; eren-mlg in
    # SevenTV/chatterino7#455), and a username's '_' may be a '-' in its channel URL or the
    # other way round (KickEngineering/KickDevDocs#231: user abaksha-sc, channel abaksha_sc;
    # 3dproger/AxelChat#487, #672). No length rule is documented (a 3-15 regex proposed in
    # Sherlock PR #2340 was reverted in e94e00a as wrong): 3-32 here, permissive.
    rule = HandleRule(
        r"[a-z0-9_-]{3,32}",
        "3-32 letters, digits, '_' or '-' (Kick publishes no rule: a permissive one)",
    )
    profile_template = "https://kick.com/{handle}"
    signup_url = "https://kick.com/signup"

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, reserved=RESERVED_PATHS)
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_API
        what = "Kick channel API"
        response = await ctx.fetch(API.format(handle=q(handle)), headers=HEADERS)
        if early := blocked(response, method, what, ctx):
            return early
        body: Any = response.json()
        if CLAIMED.matches(response) and isinstance(body, dict):
            slug = str(body["slug"])
            if slug.lower() != handle.lower():
                ctx.mark(f"200 but slug is {slug!r}")
                return Verdict(
                    Status.UNKNOWN,
                    Confidence.LOW,
                    f"{what}: no verdict: answered with another channel ({slug})",
                    method,
                    signal="no verdict",
                )
            ctx.mark(CLAIMED.describe())
            # `is_banned` on the channel object: user-scanner reports it as the channel's ban
            # flag (user_scanner/user_scan/gaming/kick.py, _profile, 557bb6f, 2026-08-06). A
            # banned channel keeps its slug, so the name is held: `suspended`.
            banned = " (banned)" if body.get("is_banned") is True else ""
            return Verdict(
                Status.SUSPENDED if banned else Status.CLAIMED,
                Confidence.HIGH,
                f"kick.com/{slug} is a Kick channel{banned}",
                method,
            )
        if NOT_FOUND.matches(response):
            ctx.mark(NOT_FOUND.describe())
            if twin := await self._twin_exists(handle, ctx):
                return twin
            return Verdict(
                Status.AVAILABLE,
                Confidence.MEDIUM,
                f"Kick has no channel {handle!r} (banned or deleted channels may look the same)",
                method,
                remediation=f"Sign up as {handle!r} at {self.signup_url}",
            )
        return undecided(response, method, what, ctx, CLAIMED, NOT_FOUND)

    async def _twin_exists(self, handle: str, ctx: CheckContext) -> Verdict | None:
        """A name with '_' or '-' may live under its twin spelling (Kick turns one into the
        other between usernames and channel URLs, see the rule above). Before calling it
        free, ask for the twin: anything but "Channel not found." there is no verdict."""
        # Both one-character spellings (a name with '_' and '-' has two twins).
        twins = sorted({handle.replace("_", "-"), handle.replace("-", "_")} - {handle})
        for twin in twins:
            response = await ctx.fetch(API.format(handle=q(twin)), headers=HEADERS)
            if NOT_FOUND.matches(response):
                ctx.mark(f"twin {twin!r}: {NOT_FOUND.describe()}")
                continue
            found = "is a channel" if CLAIMED.matches(response) else "could not be checked"
            ctx.mark(f"twin {twin!r} {found}")
            return self._twin_verdict(handle, twin, found)
        return None

    @staticmethod
    def _twin_verdict(handle: str, twin: str, found: str) -> Verdict:
        return Verdict(
            Status.UNKNOWN,
            Confidence.LOW,
            f"Kick channel API: no channel {handle!r}, but {twin!r} {found}, and Kick spells "
            "'_' and '-' interchangeably between usernames and channel URLs: no verdict",
            Method.PUBLIC_API,
            signal="no verdict",
        )
