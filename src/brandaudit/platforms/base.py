"""The adapter interface every platform implements, built-in or plugin.

An adapter knows one platform: its handle rule, its profile URL, and how to decide whether a
handle is held there. It never prints, never reads config files and never builds a client:
``check()`` gets a ``CheckContext`` whose ``fetch`` goes through the run's network core and
records every request as evidence.
"""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import quote, urlsplit

from brandaudit.model import (
    Cause,
    Confidence,
    Evidence,
    HandleSource,
    Method,
    PlatformResult,
    ProfileInfo,
    Status,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

    from brandaudit.config import Settings
    from brandaudit.net.client import NetClient, Response
    from brandaudit.net.dns import DnsClient


@dataclass(frozen=True, slots=True)
class HandleRule:
    """A platform's handle rule: a full-match regex plus the sentence shown when it fails."""

    pattern: str
    description: str
    flags: int = re.IGNORECASE

    def problem(self, handle: str) -> str | None:
        if re.fullmatch(self.pattern, handle, self.flags):
            return None
        return self.description


@dataclass(frozen=True, slots=True)
class Credential:
    """A secret an adapter can use: where it is read from, and what it buys."""

    name: str
    env: tuple[str, ...]
    purpose: str


@dataclass(slots=True)
class CheckContext:
    """What an adapter gets for one check. ``fetch`` records evidence automatically."""

    net: NetClient
    dns: DnsClient
    settings: Settings
    platform: str
    evidence: list[Evidence] = field(default_factory=list)
    _last: list[Response] = field(default_factory=list)
    handle_source: HandleSource | None = None
    """Where the handle came from (e.g. a link on the brand's website), for platforms whose
    only signal is a declared link (WhatsApp Channels)."""
    deadline_at: float | None = None
    """``time.monotonic()`` value by which the check must be decided; each request gets the
    time that is left, so a hanging server ends as a recorded timeout, not a lost request."""

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        max_bytes: int | None = None,
        max_redirects: int = 0,
        redirect_allowed: Callable[[httpx.URL, httpx.URL], bool] | None = None,
    ) -> Response:
        timeout = None
        if self.deadline_at is not None:
            timeout = self.deadline_at - time.monotonic()
            if timeout <= 0:
                response = self.net.out_of_time(method, url)
                self.evidence.append(response.evidence())
                self._last.append(response)
                return response
        response = await self.net.fetch(
            method,
            url,
            headers=headers,
            content=content,
            max_bytes=max_bytes,
            max_redirects=max_redirects,
            redirect_allowed=redirect_allowed,
            timeout=timeout,
        )
        self.evidence.append(response.evidence())
        self._last.append(response)
        return response

    @property
    def saw_truncated(self) -> bool:
        """Whether any answer of this check was cut at the size cap."""
        return any(r.truncated for r in self._last)

    def credential(self, credential: Credential) -> str | None:
        return self.settings.credential(credential.name, credential.env)

    def mark(self, signal: str) -> None:
        """Record which signal in the most recent response decided the verdict."""
        if self.evidence:
            self.evidence[-1] = self.evidence[-1].model_copy(update={"signal": signal})


@dataclass(frozen=True, slots=True)
class Verdict:
    """What an adapter decides; the runner turns it into a ``PlatformResult``."""

    status: Status
    confidence: Confidence
    reason: str
    method: Method
    signal: str | None = None
    remediation: str | None = None
    profile: ProfileInfo | None = None
    url: str | None = None
    """Overrides the adapter's profile URL (e.g. a Mastodon account on another instance)."""
    cause: Cause | None = None
    """Why an ``unknown`` verdict is undecided; left out, the result takes the cause its
    requests show (``brandaudit.causes.from_evidence``)."""


class Adapter(ABC):
    """Base class for platform adapters.

    Subclasses set the class attributes and implement ``check``. Registration is through the
    ``brandaudit.platforms`` entry-point group (built-ins use it too); the entry point names
    the class, and ``from_settings`` builds it for a run.
    """

    id: ClassVar[str]
    name: ClassVar[str]
    methods: ClassVar[tuple[Method, ...]]
    """The methods this adapter can use, best first."""
    rule: ClassVar[HandleRule]
    profile_template: ClassVar[str]
    """Profile link with ``{handle}``, e.g. ``https://github.com/{handle}``."""
    signup_url: ClassVar[str | None] = None
    canary: ClassVar[str | None] = None
    """A long-lived account known to exist on the platform: ``brandaudit selfcheck`` checks
    it (and a random never-registered name) to catch signals the platform has changed."""
    canary_source: ClassVar[str | None] = None
    """Where the canary comes from: which peer checkers confirm the account (provenance)."""
    credentials: ClassVar[tuple[Credential, ...]] = ()
    case_sensitive: ClassVar[bool] = False
    says_available: ClassVar[bool] = True
    """Whether the adapter can ever answer ``available`` (False: claimed or unknown only)."""
    options: ClassVar[tuple[str, ...] | None] = None
    """The keys ``from_settings`` reads from ``[adapters.<id>]``. Declared, any other key
    there is refused as a typo, with its line (``registry.load``); None: not checked."""
    rule_miss: ClassVar[Status] = Status.INVALID
    """The status of a handle ``handle_problem`` refuses: ``invalid`` (the platform's name
    rules forbid it), or ``not_applicable`` where the platform has no public names to check
    (WhatsApp Channels), so the result never counts against the brand."""
    available_needs: ClassVar[tuple[Credential, ...]] = ()
    """Credentials without which the adapter can't answer ``available`` (e.g. an official
    API that is its only not-found signal)."""

    def can_say_available(self, settings: Settings) -> bool:
        """Whether, with these settings' credentials, a free name can read ``available``.

        ``brandaudit selfcheck`` expects a random never-registered name to reach
        ``available`` exactly when this is true; when it doesn't, the adapter lost its
        not-found signal."""
        if not self.says_available:
            return False
        return all(settings.credential(c.name, c.env) for c in self.available_needs)

    @classmethod
    def from_settings(cls, settings: Settings) -> Adapter:
        """Build the adapter for a run; override to read ``[adapters.<id>]`` options."""
        return cls()

    def normalise_handle(self, handle: str) -> str:
        """The form sent to the platform (default: strip '@'; lowercase if case-insensitive)."""
        text = handle.strip().lstrip("@")
        return text if self.case_sensitive else text.lower()

    def handle_problem(self, handle: str) -> str | None:
        """Why ``handle`` can't exist on this platform (checked before any request), or None."""
        return self.rule.problem(handle)

    def profile_url(self, handle: str) -> str:
        return self.profile_template.format(handle=q(handle))

    def handle_from_url(self, url: str) -> str | None:
        """If ``url`` is a profile on this platform, the handle; else None (discovery)."""
        return None

    def describe_rule(self) -> str:
        return self.rule.description

    def handles_for(self, domain: str, handle: str) -> list[str]:
        """The handles to check on this platform for a brand ``domain`` and one of its
        handles (default: the handle itself; the ``domain`` platform makes it one name per
        TLD)."""
        return [handle]

    def in_default_run(self) -> bool:
        """Whether a run without ``-p`` checks this platform (default: yes)."""
        return True

    @abstractmethod
    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        """Decide whether ``handle`` (normalised, rule-checked) is held on the platform."""


def q(handle: str) -> str:
    """URL-encode a handle for a path segment or query value: nothing can steer the URL.

    A handle of only dots would be a dot-segment ('..' climbs a level), so its dots are
    encoded too; an empty handle, or one that is not valid text, is refused.
    """
    from brandaudit.errors import InputError

    if not handle:
        raise InputError("empty handle")
    if not handle.strip("."):
        return "%2E" * len(handle)
    try:
        return quote(handle, safe="")
    except UnicodeEncodeError:
        raise InputError(f"handle {handle!r} is not valid text") from None


def own_url(adapter: Adapter, handle: str, url: str | None, evidence: list[Evidence]) -> str:
    """The profile URL to report: ``url`` (often from the platform's answer, e.g. a Mastodon
    account's ``url``) only when it is http(s) on the platform's own host (its profile URL's
    or one this check asked), else the adapter's own profile URL. A server can't put a
    ``javascript:`` link, or a link to somewhere else, in a report."""
    default = adapter.profile_url(handle)
    if not url:
        return default
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        allowed = {
            (urlsplit(u).hostname or "").lower().removeprefix("www.")
            for u in (default, *(e.url for e in evidence))
        }
    except ValueError:
        return default
    if parts.scheme.lower() not in {"http", "https"} or parts.username is not None:
        return default
    return url if host and host in allowed else default


def result_from_verdict(
    adapter: Adapter,
    handle: str,
    verdict: Verdict,
    evidence: list[Evidence],
    source: HandleSource,
) -> PlatformResult:
    cause = None
    if verdict.status is Status.UNKNOWN:
        from brandaudit.causes import from_evidence

        cause = verdict.cause or from_evidence(evidence)
    return PlatformResult(
        platform=adapter.id,
        platform_name=adapter.name,
        handle=handle,
        handle_source=source,
        status=verdict.status,
        confidence=verdict.confidence,
        method=verdict.method,
        url=own_url(adapter, handle, verdict.url, evidence),
        reason=verdict.reason,
        cause=cause,
        evidence=tuple(evidence),
        remediation=verdict.remediation,
        profile=verdict.profile,
    )


def unknown_from_response(response: Response, method: Method, what: str = "") -> Verdict:
    """The honest verdict for an answer that decides nothing, naming why."""
    prefix = f"{what}: " if what else ""
    status = response.status
    if response.error:
        reason = f"{prefix}no verdict: {response.error}"
        cause = response.cause or Cause.UNREACHABLE
    elif status == 429:
        reason = f"{prefix}rate-limited (HTTP 429); try again later"
        cause = Cause.RATE_LIMITED
    elif status in {401, 403}:
        reason = f"{prefix}blocked or login required (HTTP {status})"
        cause = Cause.BLOCKED
    elif status == 999:
        reason = f"{prefix}blocked by the platform's bot defence (HTTP 999)"
        cause = Cause.BLOCKED
    elif status is not None and status >= 500:
        reason = f"{prefix}the platform had an error (HTTP {status})"
        cause = Cause.SERVER_ERROR
    elif status is not None and 300 <= status < 400:
        reason = f"{prefix}redirected to {response.location or 'an unknown place'} (HTTP {status})"
        cause = Cause.MOVED
    elif response.truncated:
        reason = (
            f"{prefix}the answer (HTTP {status}) was larger than the size cap "
            "([network] max_body_bytes) and was cut"
        )
        cause = Cause.UNEXPECTED_ANSWER
    elif "json" in response.content_type and response.body and response.json() is None:
        reason = f"{prefix}the answer (HTTP {status}) is not valid JSON"
        cause = Cause.UNEXPECTED_ANSWER
    else:
        reason = f"{prefix}unexpected answer (HTTP {status}, {response.content_type or 'no type'})"
        cause = Cause.UNEXPECTED_ANSWER
    return Verdict(Status.UNKNOWN, Confidence.LOW, reason, method, signal="no verdict", cause=cause)
