"""Declarative signals: what a platform's answer must look like to mean something.

A :class:`Signal` is a status set plus markers that must *all* be present: body substrings,
body regexes, a JSON path (optionally with a value) and headers. Built-in adapters keep
theirs in the block at the top of their module; user-defined platforms (``[platforms.*]``)
are made of nothing else.

The two-signal rule lives here: :meth:`Signal.evaluate` tells a full match from a status
that matched without its markers (``DRIFT``: the platform changed, or this is not the page
we think it is), and only a full match may decide a verdict.

:func:`trap` recognises answers that describe the requester rather than the handle (bot
challenges, login walls, consent pages) whatever their status, and :func:`blocked` turns
those, transport failures, 401/403/429/999 and 5xx into an ``unknown`` verdict before any
adapter looks for a claimed or not-found signal.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import httpx

from brandaudit.model import Cause, Confidence, Method, Status
from brandaudit.platforms.base import Adapter, Verdict, unknown_from_response
from brandaudit.platforms.verdicts import SIGNAL_DRIFT, decided, no_verdict

if TYPE_CHECKING:
    from brandaudit.net.client import Response
    from brandaudit.platforms.base import CheckContext

_MISSING: Any = object()
MISSING: Any = _MISSING
"""The ``json_equals`` default: only the path's presence is checked."""


class Match(Enum):
    """How a response compares with a signal."""

    FULL = "full"
    """Status and every marker matched."""
    DRIFT = "drift"
    """The status matched, a marker did not: no verdict, and a cue to re-check the adapter."""
    NONE = "none"
    """The status did not match."""


def json_path(data: Any, path: str) -> Any:
    """Follow ``a.b.0.c`` through dicts and lists; ``_MISSING`` where the path breaks."""
    current = data
    for part in path.split("."):
        if isinstance(current, dict):
            if part not in current:
                return _MISSING
            current = current[part]
        elif isinstance(current, list) and re.fullmatch(r"-?\d+", part):
            index = int(part)
            if not -len(current) <= index < len(current):
                return _MISSING
            current = current[index]
        else:
            return _MISSING
    return current


@dataclass(frozen=True, slots=True)
class Signal:
    """A status set plus markers that must all be present.

    ``json_path`` alone requires the path to exist with a non-null, non-empty value;
    with ``json_equals`` it requires that exact value. ``headers`` maps a header name to a
    substring its value must contain. ``{handle}`` in ``contains``/``patterns`` is replaced
    by :meth:`bind` (regexes get it escaped).
    """

    statuses: frozenset[int]
    contains: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    json_path: str | None = None
    json_equals: Any = _MISSING
    headers: Mapping[str, str] = field(default_factory=dict)
    ignore_case: bool = False
    label: str = ""
    """What the evidence records when this signal decides, e.g. "404 'Record not found'"."""

    @classmethod
    def of(
        cls,
        *statuses: int,
        contains: tuple[str, ...] | list[str] = (),
        patterns: tuple[str, ...] | list[str] = (),
        json_path: str | None = None,
        json_equals: Any = _MISSING,
        headers: Mapping[str, str] | None = None,
        ignore_case: bool = False,
        label: str = "",
    ) -> Signal:
        return cls(
            statuses=frozenset(statuses),
            contains=tuple(contains),
            patterns=tuple(patterns),
            json_path=json_path,
            json_equals=json_equals,
            headers=dict(headers or {}),
            ignore_case=ignore_case,
            label=label,
        )

    @property
    def has_markers(self) -> bool:
        return bool(self.contains or self.patterns or self.json_path or self.headers)

    def bind(self, handle: str) -> Signal:
        """This signal with ``{handle}`` filled into its markers."""
        return replace(
            self,
            contains=tuple(c.replace("{handle}", handle) for c in self.contains),
            patterns=tuple(p.replace("{handle}", re.escape(handle)) for p in self.patterns),
        )

    def evaluate(self, response: Response) -> Match:
        if response.error or response.status not in self.statuses:
            return Match.NONE
        return Match.FULL if self._markers_match(response) else Match.DRIFT

    def matches(self, response: Response) -> bool:
        """True only when the status and every marker matched."""
        return self.evaluate(response) is Match.FULL

    def describe(self) -> str:
        """A short human description, recorded in evidence and reasons."""
        if self.label:
            return self.label
        parts = ["/".join(str(s) for s in sorted(self.statuses))]
        parts += [repr(c) for c in self.contains]
        parts += [f"/{p}/" for p in self.patterns]
        if self.json_path:
            if self.json_equals is _MISSING:
                parts.append(f"JSON {self.json_path}")
            else:
                parts.append(f"JSON {self.json_path} = {self.json_equals!r}")
        parts += [f"{k}: {v}" for k, v in self.headers.items()]
        return " + ".join(parts)

    def _markers_match(self, response: Response) -> bool:
        for name, wanted in self.headers.items():
            if wanted.lower() not in str(response.headers.get(name, "")).lower():
                return False
        if self.contains or self.patterns:
            text = response.text()
            haystack = text.lower() if self.ignore_case else text
            for marker in self.contains:
                if (marker.lower() if self.ignore_case else marker) not in haystack:
                    return False
            flags = re.IGNORECASE if self.ignore_case else 0
            for pattern in self.patterns:
                if not re.search(pattern, text, flags):
                    return False
        if self.json_path:
            value = json_path(response.json(), self.json_path)
            if value is _MISSING:
                return False
            if self.json_equals is _MISSING:
                if value is None or value in ("", [], {}):
                    return False
            elif value != self.json_equals:
                return False
        return True


# --- traps: answers about the requester, not the handle --------------------------------
CHALLENGE_MARKERS = (
    "<title>Just a moment...</title>",
    "<title>Just a moment…</title>",
    "cf-browser-verification",
    # Not "/cdn-cgi/challenge-platform/": Cloudflare injects that script into ordinary pages.
    "window._cf_chl_opt",
    "Checking your browser before accessing",
    "Attention Required! | Cloudflare",
    "px-captcha",
    "_Incapsula_Resource",
    "Pardon Our Interruption",
    "tiktok-verify-page",
    "Please wait a few minutes before you try again",
)
CONSENT_HOSTS = ("consent.youtube.com", "consent.google.com")
LOGIN_PATHS = re.compile(
    r"^/(?:login|signin|sign-in|log-in|authwall|uas/login|checkpoint|accounts/login|"
    r"i/flow/login|account/login|oauth|auth|"
    # Medium's sign-in wall: medium.com/m/signin?operation=login&redirect=... (its own
    # sign-in URL, the one the Medium adapter gives as signup_url).
    r"m/signin)(?:[/?._-]|$)",
    re.IGNORECASE,
)


def _login_or_consent(target: str) -> tuple[str, Cause] | None:
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host in CONSENT_HOSTS or host.startswith("consent."):
        return f"a consent page ({host})", Cause.LOGIN_WALL
    if LOGIN_PATHS.match(parts.path or "/"):
        where = f"{host}{parts.path}" if host else parts.path
        return f"a login wall ({where})", Cause.LOGIN_WALL
    return None


def trap(response: Response) -> str | None:
    """Why this answer says nothing about the handle (challenge, login wall, consent), or None."""
    found = trapped(response)
    return None if found is None else found[0]


def trapped(response: Response) -> tuple[str, Cause] | None:
    """``trap``'s reason with its cause (a login wall or consent page, else a block)."""
    if response.headers.get("cf-mitigated", "").lower() == "challenge":
        return "a bot challenge (cf-mitigated: challenge)", Cause.BLOCKED
    for hop in (*response.hops, response.location or ""):
        if hop:
            where = _login_or_consent(hop)
            if where:
                return f"redirected to {where[0]}", where[1]
    if response.final_url and response.final_url != response.url:
        where = _login_or_consent(response.final_url)
        if where:
            return f"ended on {where[0]}", where[1]
    if response.body and (
        response.content_type in {"text/html", "application/xhtml+xml", ""}
        or response.body.lstrip()[:1] == b"<"
    ):
        text = response.text()
        for marker in CHALLENGE_MARKERS:
            if marker in text:
                return f"a bot challenge or interstitial page ({marker!r})", Cause.BLOCKED
    return None


MOVED = "moved"
"""The evidence signal (prefix) for an answer that redirected to another host."""
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def moved_to(response: Response) -> str | None:
    """Where the platform moved this address, if it answered with a redirect to another host.

    Adapters follow no redirects by default, so a platform that moves (``threads.net`` to
    ``threads.com``, early 2026) makes every check end on the redirect: that is no verdict,
    and ``brandaudit selfcheck`` reports it as drift with the new location. Login walls and
    consent pages are traps, not moves (:func:`trap` sees them first).
    """
    if response.error or response.status not in _REDIRECTS or not response.location:
        return None
    try:
        target = str(httpx.URL(response.url).join(response.location))
    except (httpx.InvalidURL, ValueError):
        return None
    old, new = _host(response.url), _host(target)
    if not (new and old) or _site(new) == _site(old):
        # www.facebook.com -> web.facebook.com, reddit.com -> www.reddit.com: the same site.
        return None
    return target


def _site(host: str) -> str:
    """The host's last two labels: enough to tell a sibling host from another site here."""
    return ".".join(host.split(".")[-2:])


def blocked(response: Response, method: Method, what: str, ctx: CheckContext) -> Verdict | None:
    """An ``unknown`` verdict for answers no signal may read: failures, blocks, traps, and
    redirects to another host (the platform moved)."""
    status = response.status
    if response.error or status is None:
        ctx.mark("no verdict: " + (response.error or "no answer"))
        return unknown_from_response(response, method, what)
    found = trapped(response)
    if found:
        reason, cause = found
        ctx.mark(f"no verdict: {reason}")
        return Verdict(
            Status.UNKNOWN,
            Confidence.LOW,
            f"{what}: no verdict: {reason}",
            method,
            signal="no verdict",
            cause=cause,
        )
    if status in {401, 403, 407, 429, 999} or status >= 500:
        ctx.mark(f"no verdict: HTTP {status}")
        return unknown_from_response(response, method, what)
    target = moved_to(response)
    if target:
        ctx.mark(f"{MOVED}: HTTP {status} to {target}")
        return Verdict(
            Status.UNKNOWN,
            Confidence.LOW,
            f"{what}: no verdict: the platform moved this address to {target} "
            f"(HTTP {status}); the adapter needs updating",
            method,
            signal=MOVED,
            cause=Cause.MOVED,
        )
    return None


def undecided(
    response: Response, method: Method, what: str, ctx: CheckContext, *signals: Signal
) -> Verdict:
    """The ``unknown`` verdict when no signal fully matched; names drift if a status matched."""
    drifted = [s for s in signals if s.evaluate(response) is Match.DRIFT]
    if drifted:
        ctx.mark(f"signal drift: HTTP {response.status} without {drifted[0].describe()}")
        return Verdict(
            Status.UNKNOWN,
            Confidence.LOW,
            f"{what}: no verdict: signal drift (HTTP {response.status} came without the "
            f"expected marker: {drifted[0].describe()}); the adapter may need re-checking",
            method,
            signal=SIGNAL_DRIFT,
            cause=Cause.SIGNAL_DRIFT,
        )
    if any(s.json_path for s in signals) and response.body and response.json() is None:
        kind = response.content_type or "no content type"
        label = "HTML" if "html" in kind else kind
        ctx.mark(f"no verdict: {label} where JSON was expected")
        return Verdict(
            Status.UNKNOWN,
            Confidence.LOW,
            f"{what}: no verdict: {label} where JSON was expected (HTTP {response.status})",
            method,
            signal="no verdict",
            cause=Cause.UNEXPECTED_ANSWER,
        )
    ctx.mark(f"no verdict: HTTP {response.status}, no known signal")
    return unknown_from_response(response, method, what)


_NEXT_ID = "__NEXT_DATA__"


def next_data(response: Response) -> dict[str, Any] | None:
    """The page's embedded Next.js ``__NEXT_DATA__`` object, parsed; None if absent or broken.

    Deciding on this JSON (a key at a known path) instead of a substring anywhere in the page
    keeps an unrelated string elsewhere in the page (a translation table's "NOT_FOUND", say)
    from deciding a verdict."""
    if response.truncated or not response.body:
        return None
    from brandaudit.htmlscan import scripts

    payload = next(
        (
            text.strip()
            for tag, text in scripts(response.text())
            if tag.get("id") == "__NEXT_DATA__"
        ),
        None,
    )
    if payload is None:
        return None
    for candidate in (payload, html.unescape(payload)):
        try:
            data = json.loads(candidate)
        except (ValueError, RecursionError):
            continue
        return data if isinstance(data, dict) else None
    return None


def json_ld_nodes(response: Response) -> list[dict[str, Any]]:
    """Every JSON-LD node in the page (``@graph`` members and list items included)."""
    if response.truncated or not response.body:
        return []
    nodes: list[dict[str, Any]] = []

    def walk(value: Any, depth: int = 0) -> None:
        if depth > 4:
            return
        if isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, dict):
            nodes.append(value)
            if "@graph" in value:
                walk(value["@graph"], depth + 1)

    from brandaudit.htmlscan import scripts

    for tag, block in scripts(response.text()):
        if tag.get("type").split(";", 1)[0].strip().lower() != "application/ld+json":
            continue
        try:
            walk(json.loads(block.strip()))
        except (ValueError, RecursionError):
            continue
    return nodes


def expects_json(
    response: Response, method: Method, what: str, ctx: CheckContext
) -> Verdict | None:
    """``unknown`` when a JSON API answered with something that is not JSON."""
    if response.json() is not None:
        return None
    kind = response.content_type or "no content type"
    if not response.body:
        detail = f"an empty body (HTTP {response.status})"
    elif response.truncated:
        detail = f"a body cut at the size cap (HTTP {response.status})"
    else:
        label = "HTML" if "html" in kind else kind
        detail = f"{label} where JSON was expected (HTTP {response.status})"
    ctx.mark(f"no verdict: {detail}")
    return Verdict(
        Status.UNKNOWN,
        Confidence.LOW,
        f"{what}: no verdict: {detail}",
        method,
        "no verdict",
        cause=Cause.UNEXPECTED_ANSWER,
    )


# --- a signal-driven adapter base ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Outcome:
    """What a fully matched signal decides: the status, how sure, and the words for it.

    ``reason`` and ``remediation`` may use ``{handle}`` and ``{signup_url}``."""

    signal: Signal
    status: Status
    confidence: Confidence
    reason: str
    remediation: str | None = None


class SignalAdapter(Adapter):
    """An adapter made of one GET and ordered :class:`Outcome` s, the flow every adapter
    follows: fetch -> :meth:`before_signals` -> :func:`blocked` -> the expected shape (JSON,
    if ``json_answer``) -> the first outcome whose whole signal matched -> :func:`undecided`.

    Two outcomes with different statuses matching the same answer is no verdict. Subclasses
    set the usual :class:`Adapter` attributes plus ``check_template`` and ``outcomes`` (and
    ``request_method`` with :meth:`request_body` for a sign-up check that takes a POST);
    ``profile_hosts`` (and ``profile_prefix``, ``reserved_paths``, ``profile_tabs``) give
    ``handle_from_url``. Platforms whose answer needs more (comparing a returned name, a
    second request) write ``check`` themselves, with :mod:`brandaudit.platforms.verdicts`.
    """

    check_template: ClassVar[str]
    """The URL asked, with ``{handle}`` (URL-encoded when filled in)."""
    outcomes: ClassVar[tuple[Outcome, ...]]
    request_method: ClassVar[str] = "GET"
    request_headers: ClassVar[Mapping[str, str]] = {}
    answered_by: ClassVar[str | None] = None
    """Who answers, as undecided reasons name it (default: the platform's ``name``), e.g.
    "Discord username check"."""
    json_answer: ClassVar[bool] = False
    """The endpoint answers JSON: anything else is no verdict."""
    profile_hosts: ClassVar[frozenset[str]] = frozenset()
    profile_prefix: ClassVar[str] = ""
    reserved_paths: ClassVar[frozenset[str]] = frozenset()
    profile_tabs: ClassVar[frozenset[str]] = frozenset()

    def handle_from_url(self, url: str) -> str | None:
        if not self.profile_hosts:
            return None
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(
            url,
            set(self.profile_hosts),
            prefix=self.profile_prefix,
            reserved=self.reserved_paths,
            tabs=self.profile_tabs,
        )
        if not name or self.handle_problem(name) is not None:
            return None
        return name if self.case_sensitive else name.lower()

    def request_body(self, handle: str) -> bytes | None:
        """The body sent with ``request_method`` (default: none)."""
        return None

    def before_signals(
        self, response: Response, method: Method, ctx: CheckContext
    ) -> Verdict | None:
        """A verdict this platform's answer decides before :func:`blocked` reads it (say, a
        redirect that is not a move); None, the default, lets the shared flow go on."""
        return None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        from brandaudit.platforms.base import q

        method = self.methods[0]
        what = self.answered_by or self.name
        url = self.check_template.replace("{handle}", q(handle))
        response = await ctx.fetch(
            url,
            method=self.request_method,
            headers=dict(self.request_headers) or None,
            content=self.request_body(handle),
        )
        if early := self.before_signals(response, method, ctx):
            return early
        return read_outcomes(
            response,
            handle,
            ctx,
            self.outcomes,
            method=method,
            what=what,
            signup_url=self.signup_url,
            json_answer=self.json_answer,
        )


def read_outcomes(
    response: Response,
    handle: str,
    ctx: CheckContext,
    outcomes: tuple[Outcome, ...],
    *,
    method: Method,
    what: str,
    signup_url: str | None = None,
    json_answer: bool = False,
) -> Verdict:
    """One answer read through ordered outcomes: :func:`blocked`, the expected shape (JSON,
    if ``json_answer``), the first outcome whose whole signal matched, else
    :func:`undecided`. Outcomes with different statuses matching the same answer is no
    verdict. :class:`SignalAdapter` is this for its one request; an adapter of several
    requests can read one of them the same way."""
    if early := blocked(response, method, what, ctx):
        return early
    if json_answer and (early := expects_json(response, method, what, ctx)):
        return early
    bound = [(outcome, outcome.signal.bind(handle)) for outcome in outcomes]
    matched = [(o, s) for o, s in bound if s.matches(response)]
    if len({o.status for o, _ in matched}) > 1:
        return no_verdict(
            ctx,
            "no verdict: signals for different verdicts matched",
            f"{what}: no verdict: the answer matched signals for "
            + " and ".join(sorted({o.status.value for o, _ in matched})),
            method,
            cause=Cause.UNEXPECTED_ANSWER,
        )
    if matched:
        outcome, signal = matched[0]
        words = {"handle": handle, "signup_url": signup_url or ""}
        remediation = outcome.remediation.format(**words) if outcome.remediation else None
        return decided(
            ctx,
            signal,
            Verdict(
                outcome.status,
                outcome.confidence,
                outcome.reason.format(**words),
                method,
                remediation=remediation,
            ),
        )
    return undecided(response, method, what, ctx, *(s for _, s in bound))
