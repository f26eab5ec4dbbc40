"""Kick channels (``kick.com/<slug>``): with app credentials the official API
(``api.kick.com/public/v1/channels``), else the web app's channel API. The channel page is a
client-rendered shell that answers 200 for any name and decides nothing. Every kick.com URL
sits behind Cloudflare's clearance check (answered 403 or a challenge: ``unknown``), so
without credentials Kick rarely decides anything."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from brandaudit.model import Confidence, Method, Status
from brandaudit.net.client import Response
from brandaudit.platforms.base import Adapter, CheckContext, Credential, HandleRule, Verdict, q
from brandaudit.platforms.builtin._oauth import ClientCredentials
from brandaudit.platforms.signals import Signal, blocked, expects_json, undecided
from brandaudit.platforms.verdicts import another_account, is_other_account, no_verdict, with_note

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
# The official API (docs/platforms.md "kick", 2026-12): every kick.com URL needs Cloudflare's
# cf_clearance since 2026-03 and Kick won't support its internal endpoints for third parties
# (KickEngineering/KickDevDocs#354). `GET api.kick.com/public/v1/channels?slug=` with an app
# token (client-credentials grant at id.kick.com/oauth/token) answers 200 {"data": [...]},
# and 200 {"data": []} for a slug with no channel (KickEngineering/KickDevDocs#231).
TOKEN_URL = "https://id.kick.com/oauth/token"
OFFICIAL = "https://api.kick.com/public/v1/channels?slug={handle}"
OFFICIAL_CLAIMED = Signal.of(200, json_path="data.0.slug", label="200 with data[0].slug")
OFFICIAL_NOT_FOUND = Signal.of(200, json_path="data", json_equals=[], label="200 data []")
CLIENT_ID = Credential(
    "kick_client_id",
    ("BRANDAUDIT_KICK_CLIENT_ID", "KICK_CLIENT_ID"),
    "Kick app client id: the official channels API",
)
CLIENT_SECRET = Credential(
    "kick_client_secret",
    ("BRANDAUDIT_KICK_CLIENT_SECRET", "KICK_CLIENT_SECRET"),
    "Kick app client secret, for the client-credentials token (with the client id)",
)
# -----------------------------------------------------------------------------------------

HOSTS = {"kick.com", "www.kick.com"}
RESERVED_PATHS = frozenset({"browse", "categories", "search", "following", "dashboard", "api"})


class KickAdapter(Adapter):
    id = "kick"
    canary = "xqc"
    canary_source = "Maigret data.json 'Kick' usernameClaimed: xqc"
    name = "Kick"
    methods = (Method.OFFICIAL_API, Method.PUBLIC_API)
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
    credentials = (CLIENT_ID, CLIENT_SECRET)

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, reserved=RESERVED_PATHS)
        return name.lower() if name and self.handle_problem(name) is None else None

    def __init__(self) -> None:
        self.tokens = ClientCredentials(TOKEN_URL)

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        client_id, secret = ctx.credential(CLIENT_ID), ctx.credential(CLIENT_SECRET)
        note = ""
        if client_id and secret:
            token = await self.tokens.get(ctx, client_id, secret)
            if token.value is not None:
                verdict, final = await self._official(handle, token.value, ctx)
                if final:
                    return verdict
                note = f" (the official API gave no verdict: {verdict.reason})"
            else:
                note = f" (Kick: {token.problem})"
        return with_note(await self._web(handle, ctx), note)

    async def _official(self, handle: str, token: str, ctx: CheckContext) -> tuple[Verdict, bool]:
        """The official API's verdict, and whether it is final (a decided name, or a twin
        spelling that is a channel); a blocked or odd answer falls back to the web API."""
        method = Method.OFFICIAL_API
        what = "Kick API"
        headers = {"Accept": "application/json", "Authorization": f"Bearer {token}"}

        async def ask(name: str) -> Response:
            return await ctx.fetch(OFFICIAL.format(handle=q(name)), headers=headers)

        response = await ask(handle)
        if early := blocked(response, method, what, ctx) or expects_json(
            response, method, what, ctx
        ):
            return early, False
        body: Any = response.json()
        if OFFICIAL_CLAIMED.matches(response) and isinstance(body, dict):
            slug = str(body["data"][0]["slug"])
            if slug.lower() == handle.lower():
                ctx.mark(OFFICIAL_CLAIMED.describe())
                claimed = f"kick.com/{slug} is a Kick channel"
                return Verdict(Status.CLAIMED, Confidence.HIGH, claimed, method), True
        if OFFICIAL_NOT_FOUND.matches(response):
            ctx.mark(OFFICIAL_NOT_FOUND.describe())
            if twin := await _twin_exists(handle, ctx, ask, OFFICIAL_NOT_FOUND, OFFICIAL_CLAIMED):
                return replace(
                    twin, method=method, reason=twin.reason.replace(API_WHAT, what)
                ), True
            return self._free(handle, method), True
        signals = (OFFICIAL_CLAIMED, OFFICIAL_NOT_FOUND)
        return undecided(response, method, what, ctx, *signals), False

    async def _web(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_API
        what = API_WHAT

        async def ask(name: str) -> Response:
            return await ctx.fetch(API.format(handle=q(name)), headers=HEADERS)

        response = await ask(handle)
        if early := blocked(response, method, what, ctx):
            return early
        body: Any = response.json()
        if CLAIMED.matches(response) and isinstance(body, dict):
            slug = str(body["slug"])
            if is_other_account(slug, handle):
                return another_account(
                    ctx,
                    f"200 but slug is {slug!r}",
                    f"{what}: no verdict: answered with another channel ({slug})",
                    method,
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
            if twin := await _twin_exists(handle, ctx, ask, NOT_FOUND, CLAIMED):
                return twin
            return self._free(handle, method)
        return undecided(response, method, what, ctx, CLAIMED, NOT_FOUND)

    def _free(self, handle: str, method: Method) -> Verdict:
        return Verdict(
            Status.AVAILABLE,
            Confidence.MEDIUM,
            f"Kick has no channel {handle!r} (banned or deleted channels may look the same)",
            method,
            remediation=f"Sign up as {handle!r} at {self.signup_url}",
        )


API_WHAT = "Kick channel API"


async def _twin_exists(
    handle: str,
    ctx: CheckContext,
    ask: Callable[[str], Awaitable[Response]],
    not_found: Signal,
    claimed: Signal,
) -> Verdict | None:
    """A name with '_' or '-' may live under its twin spelling (Kick turns one into the
    other between usernames and channel URLs, see the rule above). Before calling it free,
    ask for the twin: anything but "no channel" there is no verdict."""
    # Both one-character spellings (a name with '_' and '-' has two twins).
    twins = sorted({handle.replace("_", "-"), handle.replace("-", "_")} - {handle})
    for twin in twins:
        response = await ask(twin)
        if not_found.matches(response):
            ctx.mark(f"twin {twin!r}: {not_found.describe()}")
            continue
        found = "is a channel" if claimed.matches(response) else "could not be checked"
        return no_verdict(
            ctx,
            f"twin {twin!r} {found}",
            f"{API_WHAT}: no channel {handle!r}, but {twin!r} {found}, and Kick spells "
            "'_' and '-' interchangeably between usernames and channel URLs: no verdict",
            Method.PUBLIC_API,
        )
    return None
