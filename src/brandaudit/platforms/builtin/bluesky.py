"""Bluesky: ``<name>.bsky.social`` accounts.

Domain handles (``acme.com``) are judged in depth by ``brandaudit.bluesky``.
"""

from __future__ import annotations

from typing import Any

from brandaudit.model import Cause, Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import (
    Adapter,
    CheckContext,
    HandleRule,
    Verdict,
    q,
    unknown_from_response,
)
from brandaudit.platforms.verdicts import available, claimed, decided, no_verdict, refused

# --- signals -----------------------------------------------------------------------------
# Evidence: WhatsMyName wmn-data.json (e62338e, 2026-08) "Bluesky Username":
# getProfile?actor={account}.bsky.social, e_code 200 "handle":, m_code 400 "message":"Profile not
# found"; AppView docs: https://docs.bsky.app/docs/api/app-bsky-actor-get-profile (errors
# AccountTakedown etc.).
APPVIEW = "https://public.api.bsky.app"
PROFILE_API = APPVIEW + "/xrpc/app.bsky.actor.getProfile?actor={actor}"
NOT_FOUND_MESSAGE = "Profile not found"  # 400 {"error":"InvalidRequest","message":...}
SUSPENDED_ERRORS = {"AccountTakedown": "taken down", "AccountDeactivated": "deactivated"}
HOSTED_SUFFIX = ".bsky.social"
# -----------------------------------------------------------------------------------------


class BlueskyAdapter(Adapter):
    id = "bluesky"
    canary = "bsky.app"
    canary_source = "Bluesky's own account (bsky.app)"
    name = "Bluesky"
    methods = (Method.PUBLIC_API,)
    rule = HandleRule(
        r"(?!-)[a-z0-9-]{3,18}(?<!-)(\.bsky\.social)?|(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*",
        "3-18 letters, digits or '-' (not at either end) for a .bsky.social name, or a domain",
    )
    profile_template = "https://bsky.app/profile/{handle}"
    signup_url = "https://bsky.app/"

    def full_handle(self, handle: str) -> str:
        return handle if "." in handle else handle + HOSTED_SUFFIX

    def profile_url(self, handle: str) -> str:
        return super().profile_url(self.full_handle(handle))

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import path_segments

        parts = path_segments(url, {"bsky.app"})
        if parts and len(parts) == 2 and parts[0] == "profile":
            return parts[1].lower()
        return None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        actor = self.full_handle(handle)
        response = await ctx.fetch(PROFILE_API.format(actor=q(actor)))
        body: Any = response.json()
        method = Method.PUBLIC_API
        if response.status == 200 and isinstance(body, dict) and body.get("did"):
            shown = str(body.get("handle", ""))
            if shown.lower() == actor:
                return claimed(
                    ctx,
                    "200 with did and matching handle",
                    f"@{actor} is an account ({body['did']})",
                    method,
                    Confidence.HIGH,
                    profile=_profile(body),
                )
            return no_verdict(
                ctx,
                f"200 but the profile's handle is {shown!r}",
                f"the profile for @{actor} reports the handle {shown!r}; cannot decide",
                method,
                cause=Cause.UNEXPECTED_ANSWER,
                signal=None,
            )
        if response.status == 400 and isinstance(body, dict):
            error, message = str(body.get("error", "")), str(body.get("message", ""))
            if error in SUSPENDED_ERRORS:
                return decided(
                    ctx,
                    f"400 {error}",
                    Verdict(
                        Status.SUSPENDED,
                        Confidence.HIGH,
                        f"@{actor} belongs to an account Bluesky reports as "
                        f"{SUSPENDED_ERRORS[error]}",
                        method,
                    ),
                )
            if error == "InvalidRequest" and message == NOT_FOUND_MESSAGE:
                return available(
                    ctx,
                    "400 InvalidRequest 'Profile not found'",
                    f"Bluesky has no profile @{actor} (bsky.social may still reserve the name)",
                    method,
                    Confidence.MEDIUM,
                    f"Create the account @{actor} at {self.signup_url}",
                )
            if error == "InvalidRequest":
                return refused(
                    ctx,
                    f"400 InvalidRequest {message!r}",
                    f"Bluesky refused @{actor} as an actor: {message[:120]}",
                    method,
                )
        return unknown_from_response(response, method, "Bluesky")


def _profile(body: dict[str, Any]) -> ProfileInfo:
    links = []
    website = body.get("website")
    if isinstance(website, str) and website:
        links.append(website)
    description = body.get("description") if isinstance(body.get("description"), str) else None
    name = body.get("displayName") if isinstance(body.get("displayName"), str) else None
    return ProfileInfo(
        display_name=name,
        description=description,
        links=tuple(links),
        verified_by=_verifiers(body.get("verification")),
    )


def _verifiers(state: Any) -> tuple[str, ...]:
    """The issuers of the verifications the AppView shows as valid (the profile view's
    ``verification.verifications[]``: ``issuer``, ``isValid``; app.bsky.actor.defs), at most
    20; the look-alike watch calls an account the brand verified "yours"."""
    if not isinstance(state, dict) or not isinstance(state.get("verifications"), list):
        return ()
    found: list[str] = []
    for entry in state["verifications"][:20]:
        if not isinstance(entry, dict) or entry.get("isValid") is not True:
            continue
        issuer = entry.get("issuer")
        if isinstance(issuer, str) and issuer.startswith("did:") and len(issuer) <= 200:
            found.append(issuer)
    return tuple(found)
