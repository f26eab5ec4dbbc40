"""User-defined platforms: adapters built from ``[platforms.<id>]`` tables in the config.

.. code-block:: toml

    [platforms.examplesocial]
    name = "Example Social"
    url = "https://example.social/@{handle}"                  # profile link shown in reports
    check_url = "https://example.social/api/users/{handle}"   # optional, defaults to url
    handle_pattern = "^[a-z0-9_]{3,20}$"
    claimed = { status = [200], body_contains = ['"id":'] }
    available = { status = [404], body_contains = ["Not Found"] }

A verdict needs its whole signal (status and every marker); anything else is ``unknown``,
and a status that matched without its markers is reported as signal drift. The handle is
checked against ``handle_pattern`` and percent-encoded before it goes into the URL, and
``{handle}`` may only appear once, in the path or the query: a handle can never steer a
request to another host or path.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from brandaudit.config import Settings
from brandaudit.errors import ConfigError
from brandaudit.model import Cause, Confidence, Method, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import MISSING, Signal, blocked, undecided

PLACEHOLDER = "{handle}"
_SENTINEL = "brandaudithandleplaceholder"
_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
# Statuses that describe the requester (auth, bot score, rate limit, outage), never a name.
REQUESTER_STATUSES = frozenset({401, 403, 407, 429, 999})
# Headers that would change where or how the request goes, not what it asks.
_RESERVED_HEADERS = frozenset(
    {"host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer"}
)


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SignalSpec(_Spec):
    """``{ status = [...], body_contains = [...], json_path = "a.b", json_equals = ... }``"""

    status: list[int] = Field(min_length=1)
    body_contains: list[str] = Field(default_factory=list)
    json_path: str | None = None
    json_equals: str | int | float | bool | None = None
    header_contains: dict[str, str] = Field(default_factory=dict)

    @field_validator("status")
    @classmethod
    def _statuses(cls, value: list[int]) -> list[int]:
        for status in value:
            if not 100 <= status <= 999:
                raise ValueError(f"{status} is not an HTTP status")
            if status in REQUESTER_STATUSES or 500 <= status <= 599:
                raise ValueError(
                    f"{status} describes the requester (block, rate limit or outage), not the "
                    "handle: it can't be a signal"
                )
        return value

    @field_validator("body_contains")
    @classmethod
    def _markers(cls, value: list[str]) -> list[str]:
        if any(not marker for marker in value):
            raise ValueError("markers must not be empty strings")
        return value

    @field_validator("json_path")
    @classmethod
    def _path(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^.\s]+(\.[^.\s]+)*", value):
            raise ValueError(f"{value!r} is not a dotted path like 'data.user.id'")
        return value

    def signal(self) -> Signal:
        return Signal.of(
            *self.status,
            contains=self.body_contains,
            json_path=self.json_path,
            json_equals=MISSING if self.json_equals is None else self.json_equals,
            headers=self.header_contains,
        )


class PlatformSpec(_Spec):
    """One ``[platforms.<id>]`` table."""

    name: str = Field(min_length=1, max_length=60)
    url: str
    check_url: str | None = None
    handle_pattern: str
    handle_rule: str | None = Field(
        default=None, description="The sentence shown when a handle breaks handle_pattern."
    )
    claimed: SignalSpec
    available: SignalSpec | None = None
    method: Literal["public_api", "public_page", "official_api"] = "public_page"
    headers: dict[str, str] = Field(default_factory=dict)
    signup_url: str | None = None
    case_sensitive: bool = False

    @field_validator("url", "check_url")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        if value is not None:
            check_template(value)
        return value

    @field_validator("handle_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regex: {exc}") from None
        return value

    @field_validator("headers")
    @classmethod
    def _headers(cls, value: dict[str, str]) -> dict[str, str]:
        for name, text in value.items():
            if not re.fullmatch(r"[A-Za-z0-9-]+", name):
                raise ValueError(f"{name!r} is not a header name")
            if name.lower() in _RESERVED_HEADERS:
                raise ValueError(f"header {name!r} is set by brandaudit itself")
            if "\n" in text or "\r" in text:
                raise ValueError(f"header {name!r} contains a line break")
        return value

    @field_validator("signup_url")
    @classmethod
    def _signup(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in {"http", "https"}:
            raise ValueError("must be an http(s) URL")
        return value


def check_template(template: str) -> None:
    """Raise ValueError unless ``template`` is an http(s) URL with ``{handle}`` exactly once,
    in its path or query (never in the scheme, host, port or fragment)."""
    count = template.count(PLACEHOLDER)
    if count != 1:
        raise ValueError(f"must contain {PLACEHOLDER} exactly once (found {count})")
    rest = template.replace(PLACEHOLDER, _SENTINEL)
    if "{" in rest or "}" in rest:
        raise ValueError(f"only the {PLACEHOLDER} placeholder is allowed")
    try:
        parts = urlsplit(rest)
        parts.port  # noqa: B018 - validates the port
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {exc}") from None
    if parts.scheme not in {"http", "https"}:
        raise ValueError("must be an http:// or https:// URL")
    if not parts.hostname:
        raise ValueError("has no host")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not contain credentials")
    if _SENTINEL in parts.netloc.lower():
        raise ValueError(f"{PLACEHOLDER} must be in the path or query, not the host")
    if _SENTINEL in parts.fragment:
        raise ValueError(f"{PLACEHOLDER} must be in the path or query, not the fragment")


class CustomAdapter(Adapter):
    """An adapter made from a :class:`PlatformSpec`. One subclass per platform id."""

    spec: ClassVar[PlatformSpec]
    check_template: ClassVar[str]
    claimed_signal: ClassVar[Signal]
    available_signal: ClassVar[Signal | None]

    def handle_from_url(self, url: str) -> str | None:
        parts = urlsplit(self.profile_template.replace(PLACEHOLDER, _SENTINEL))
        if _SENTINEL not in parts.path:
            return None
        pattern = re.escape(parts.path.rstrip("/")).replace(_SENTINEL, "([^/]+)") + "/?"
        try:
            target = urlsplit(url.strip())
        except ValueError:
            return None
        host = (target.hostname or "").lower()
        if (
            target.scheme not in {"http", "https"}
            or target.username is not None
            or host.removeprefix("www.") != (parts.hostname or "").removeprefix("www.")
        ):
            return None
        match = re.fullmatch(pattern, target.path)
        if not match:
            return None
        handle = unquote(match.group(1))
        if self.handle_problem(handle) is not None:
            return None
        return handle if self.case_sensitive else handle.lower()

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method(self.spec.method)
        url = self.check_template.replace(PLACEHOLDER, q(handle))
        response = await ctx.fetch(url, headers=self.spec.headers or None)
        if early := blocked(response, method, self.name, ctx):
            return early
        claimed = self.claimed_signal.bind(handle)
        available = self.available_signal.bind(handle) if self.available_signal else None
        is_claimed = claimed.matches(response)
        is_available = available is not None and available.matches(response)
        if is_claimed and is_available:
            ctx.mark("no verdict: both the claimed and the available signal matched")
            return Verdict(
                Status.UNKNOWN,
                Confidence.LOW,
                f"{self.name}: no verdict: the answer matched both the claimed and the "
                "available signal; make them tell the two apart",
                method,
                signal="no verdict",
                cause=Cause.UNEXPECTED_ANSWER,
            )
        if is_claimed:
            ctx.mark(f"claimed signal: {claimed.describe()}")
            return Verdict(
                Status.CLAIMED,
                Confidence.MEDIUM,
                f"{self.name} answered with its claimed signal ({claimed.describe()})",
                method,
            )
        if is_available and available is not None:
            ctx.mark(f"available signal: {available.describe()}")
            marked = available.has_markers
            return Verdict(
                Status.AVAILABLE,
                Confidence.MEDIUM if marked else Confidence.LOW,
                f"{self.name} answered with its not-found signal ({available.describe()})"
                + ("" if marked else "; status only, no body marker configured"),
                method,
                remediation=(
                    f"Register {handle!r} at {self.signup_url}" if self.signup_url else None
                ),
            )
        signals = [claimed] + ([available] if available is not None else [])
        return undecided(response, method, self.name, ctx, *signals)


def _fail(
    settings: Settings, platform_id: str, loc: tuple[str | int, ...], message: str
) -> ConfigError:
    key = ".".join(["platforms", platform_id, *(str(p) for p in loc)])
    line = None
    parts = key.split(".")
    for depth in range(len(parts), 1, -1):
        line = settings.line_of(".".join(parts[:depth]))
        if line is not None:
            break
    return ConfigError(message, path=settings.source, key=key, line=line)


def build(platform_id: str, raw: Any, settings: Settings) -> CustomAdapter:
    """Validate one ``[platforms.<id>]`` table into an adapter, or raise ``ConfigError``."""
    if not _ID.match(platform_id):
        raise _fail(
            settings,
            platform_id,
            (),
            "the id must be 1-32 lowercase letters, digits, '_' or '-', starting with a letter",
        )
    if not isinstance(raw, dict):
        raise _fail(settings, platform_id, (), "must be a table")
    try:
        spec = PlatformSpec.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(p for p in error["loc"] if not str(p).startswith("function-after"))
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        message = message.removeprefix("Value error, ")
        raise _fail(settings, platform_id, loc, message) from None
    # Every configured header is treated as a credential (X-Auth-Token, Cookie, API keys by
    # any name): redacted by value from everything brandaudit prints or writes.
    from brandaudit.redact import register

    for value in spec.headers.values():
        register(value)
        register(value.partition(" ")[2].strip())
    flags = 0 if spec.case_sensitive else re.IGNORECASE
    description = spec.handle_rule or f"must match {spec.handle_pattern}"
    attrs: dict[str, Any] = {
        "id": platform_id,
        "name": spec.name,
        "methods": (Method(spec.method),),
        "rule": HandleRule(spec.handle_pattern, description, flags),
        "profile_template": spec.url,
        "signup_url": spec.signup_url,
        "case_sensitive": spec.case_sensitive,
        "spec": spec,
        "check_template": spec.check_url or spec.url,
        "claimed_signal": spec.claimed.signal(),
        "available_signal": spec.available.signal() if spec.available else None,
    }
    cls = type(f"Custom_{platform_id.replace('-', '_')}", (CustomAdapter,), attrs)
    return cls()  # type: ignore[no-any-return]


def load_custom(settings: Settings, taken: set[str]) -> list[CustomAdapter]:
    """Every user-defined platform of ``settings``; an id already taken is a ``ConfigError``."""
    adapters = []
    for platform_id, raw in settings.platforms.items():
        if platform_id in taken:
            raise _fail(
                settings,
                platform_id,
                (),
                f"{platform_id!r} is already a platform (built-in or plugin); choose another id",
            )
        adapters.append(build(platform_id, raw, settings))
    return adapters
