"""Mastodon: the account lookup API (documented for sign-up availability checks) on each
configured instance, with WebFinger to corroborate a not-found answer."""

from __future__ import annotations

from typing import Any

from brandaudit.config import Settings
from brandaudit.model import Cause, Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import (
    Adapter,
    CheckContext,
    HandleRule,
    Verdict,
    q,
    unknown_from_response,
)
from brandaudit.platforms.verdicts import (
    another_account,
    available,
    claimed,
    decided,
    is_other_account,
    no_verdict,
)

# --- signals -----------------------------------------------------------------------------
# Evidence: WhatsMyName wmn-data.json (e62338e, 2026-08) "Mastodonbooks.net":
# /api/v1/accounts/lookup?acct=, e_code 200 display_name, m_code 404 "Record not found"; Mastodon
# API docs (accounts/lookup, WebFinger): https://docs.joinmastodon.org/methods/accounts/#lookup
DEFAULT_INSTANCES = ("mastodon.social",)
LOOKUP = "https://{instance}/api/v1/accounts/lookup?acct={handle}"
WEBFINGER = "https://{instance}/.well-known/webfinger?resource=acct:{handle}%40{instance}"
NOT_FOUND_MARKER = "Record not found"  # 404 {"error": "Record not found"}
# -----------------------------------------------------------------------------------------


class MastodonAdapter(Adapter):
    id = "mastodon"
    canary = "gargron"
    canary_source = "Mastodon's founder on mastodon.social (@Gargron)"
    name = "Mastodon"
    methods = (Method.PUBLIC_API,)
    rule = HandleRule(r"[a-z0-9_]{1,30}", "1-30 letters, digits or '_'")
    profile_template = "https://mastodon.social/@{handle}"
    signup_url = "https://joinmastodon.org/servers"
    options = ("instances",)

    def __init__(self, instances: tuple[str, ...] = DEFAULT_INSTANCES) -> None:
        self.instances = instances

    @classmethod
    def from_settings(cls, settings: Settings) -> Adapter:
        # BRANDAUDIT_MASTODON_INSTANCES is merged in here by config.resolve (env over file).
        options = settings.adapters.get("mastodon", {})
        instances = options.get("instances", list(DEFAULT_INSTANCES))
        if not isinstance(instances, list) or not all(isinstance(i, str) for i in instances):
            from brandaudit.errors import ConfigError

            raise ConfigError(
                "must be a list of instance host names",
                path=settings.source,
                key="adapters.mastodon.instances",
                line=settings.line_of("adapters.mastodon.instances"),
            )
        cleaned = []
        for number, instance in enumerate(instances):
            host = instance.lower().removeprefix("https://").strip("/")
            if not host or any(c in host for c in "/?#@ "):
                from brandaudit.errors import ConfigError

                key = "adapters.mastodon.instances"
                raise ConfigError(
                    f"{instance!r} is not an instance host name",
                    path=settings.source,
                    key=key,
                    line=settings.line_of(f"{key}.{number}") or settings.line_of(key),
                )
            cleaned.append(host)
        return cls(tuple(cleaned))

    def profile_url(self, handle: str) -> str:
        return f"https://{self.instances[0]}/@{q(handle)}"

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import path_segments

        parts = path_segments(url, set(self.instances))
        if parts and len(parts) == 1 and parts[0].startswith("@"):
            name = parts[0][1:]
            return name.lower() if self.handle_problem(name) is None else None
        return None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        verdicts = [
            await self._check_instance(handle, instance, ctx) for instance in self.instances
        ]
        for verdict in verdicts:
            if verdict.status in {Status.CLAIMED, Status.SUSPENDED}:
                return verdict
        if all(v.status is Status.AVAILABLE for v in verdicts):
            if len(verdicts) == 1:
                return verdicts[0]
            where = ", ".join(self.instances)
            return Verdict(
                Status.AVAILABLE,
                Confidence.MEDIUM,
                f"no account @{handle} on {where}",
                Method.PUBLIC_API,
                remediation=verdicts[0].remediation,
            )
        undecided = [v for v in verdicts if v.status is Status.UNKNOWN]
        return undecided[0] if undecided else verdicts[0]

    async def _check_instance(self, handle: str, instance: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_API
        url = f"https://{instance}/@{q(handle)}"
        response = await ctx.fetch(LOOKUP.format(instance=instance, handle=q(handle)))
        body: Any = response.json()
        if (
            response.status == 200
            and isinstance(body, dict)
            and isinstance(body.get("username"), str)
        ):
            if is_other_account(body["username"], handle):
                return another_account(
                    ctx,
                    f"200 but username is {body['username']!r}",
                    f"{instance} answered with another account",
                    method,
                    url=url,
                    cause=Cause.UNEXPECTED_ANSWER,
                    signal=None,
                )
            if body.get("suspended") is True:
                return decided(
                    ctx,
                    "200 with suspended: true",
                    Verdict(
                        Status.SUSPENDED,
                        Confidence.HIGH,
                        f"@{handle}@{instance} is suspended",
                        method,
                        url=url,
                    ),
                )
            return claimed(
                ctx,
                "200 with matching username",
                f"@{handle}@{instance} is an account",
                method,
                Confidence.HIGH,
                profile=_profile(body),
                url=str(body.get("url") or url),
            )
        if (
            response.status == 404
            and isinstance(body, dict)
            and body.get("error") == NOT_FOUND_MARKER
        ):
            ctx.mark("404 'Record not found'")
            finger = await ctx.fetch(WEBFINGER.format(instance=instance, handle=q(handle)))
            if finger.status == 404:
                return available(
                    ctx,
                    "WebFinger 404 agrees",
                    f"no account @{handle} on {instance} (the instance may still reserve "
                    "some names, and sign-up may be closed)",
                    method,
                    Confidence.MEDIUM,
                    f"Register @{handle} on {instance} (https://{instance}/auth/sign_up)",
                    url=url,
                )
            if finger.status == 200:
                return no_verdict(
                    ctx,
                    "WebFinger 200 disagrees with the lookup API",
                    f"{instance}'s lookup API and WebFinger disagree about @{handle}",
                    method,
                    url=url,
                    cause=Cause.UNEXPECTED_ANSWER,
                    signal=None,
                )
            return unknown_from_response(finger, method, f"{instance} WebFinger")
        return unknown_from_response(response, method, instance)


def _profile(body: dict[str, Any]) -> ProfileInfo:
    links: list[str] = []
    verified: list[str] = []
    fields = body.get("fields")
    if isinstance(fields, list):
        for item in fields:
            if not isinstance(item, dict):
                continue
            value = item.get("value")
            if not isinstance(value, str):
                continue
            href = _href(value)
            if href:
                links.append(href)
                if item.get("verified_at"):
                    verified.append(href)
    name = body.get("display_name") if isinstance(body.get("display_name"), str) else None
    note = body.get("note") if isinstance(body.get("note"), str) else None
    return ProfileInfo(
        display_name=name, description=note, links=tuple(links), verified_links=tuple(verified)
    )


def _href(value: str) -> str | None:
    """Mastodon renders field values as HTML; pull the first link out."""
    import re

    match = re.search(r'href="([^"]+)"', value)
    if match:
        return match.group(1)
    text = value.strip()
    return text if text.startswith(("http://", "https://")) else None
