"""A small on-disk cache of final HTTP answers, so a re-run (or a resumed batch) does not ask
every platform again.

What is cached is the *logical* answer of ``NetClient.fetch``: status, headers and (capped)
body after the redirects brandaudit followed by hand, keyed by method, URL, request headers
(hashed, so a token never lands on disk in clear), body cap and redirect limit. Only answers
that decide something are kept: 2xx, 301/308, 404 and 410. Rate limits (429), server errors,
403s, transport errors and timeouts are never cached.

How long an answer is reused depends on the platform (``[network] cache_ttls``, by platform id
or host; ``cache_ttl`` otherwise, 1 hour by default). An expired or unreadable entry is a miss.

Identity and verification answers are never reused, whatever the TTLs say (``is_identity``):
handle resolution, DID documents, Bluesky profiles, a repository's records and its status
describe state a user changes and then re-checks at once (a new handle, a verification record
created or deleted), so a cached one would show the state before the fix.

Each entry is one file: a JSON header line, then the body. It is written to a temporary file
in the same folder and renamed over the entry, so a crash leaves the old entry or the new one;
an entry whose header is bad or whose body is shorter than the header says is ignored and
removed. If the cache folder cannot be used the run goes on uncached and warns once.

Why not hishel: its caching follows RFC 9111 (``Cache-Control``), and the platforms brandaudit
asks mostly answer ``no-cache``/``private``; it works per transport request, below our
hand-followed redirects, so one logical answer would be several entries; and brandaudit wants a
TTL per *platform*, which a transport does not know. Forcing all of that through its policy
hooks was more code than this module.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from brandaudit.redact import REDACTED, scrub

log = logging.getLogger("brandaudit")

FORMAT_VERSION = 1
CACHEABLE_STATUSES = frozenset({200, 203, 204, 300, 301, 308, 404, 410})
DEFAULT_TTL = 3600.0

IDENTITY_HOSTS = frozenset({"plc.directory"})
"""Hosts that serve nothing but identity: the PLC directory's DID documents and audit logs."""
IDENTITY_PATHS = ("/.well-known/atproto-did", "/.well-known/did.json")
"""A domain handle's file and a did:web document (atproto.com/specs/handle, /specs/did)."""
IDENTITY_XRPC = frozenset(
    {
        # handle <-> DID (lexicons/com/atproto/identity/*.json)
        "com.atproto.identity.resolveHandle",
        "com.atproto.identity.resolveIdentity",
        "com.atproto.identity.resolveDid",
        # the AppView's view of an account: its handle, display name and `verification`
        # (lexicons/app/bsky/actor/getProfile.json, getProfiles.json)
        "app.bsky.actor.getProfile",
        "app.bsky.actor.getProfiles",
        # a repository's records (the brand's app.bsky.graph.verification records) and status
        # (lexicons/com/atproto/repo/listRecords.json, getRecord.json, describeRepo.json,
        # lexicons/com/atproto/sync/getRepoStatus.json)
        "com.atproto.repo.listRecords",
        "com.atproto.repo.getRecord",
        "com.atproto.repo.describeRepo",
        "com.atproto.sync.getRepoStatus",
    }
)
"""XRPC methods whose answers are identity or verification state (see ``is_identity``)."""
RDAP_BOOTSTRAP_TTL = 86400.0
"""IANA publishes the RDAP bootstrap file daily (RFC 9224 section 3: clients cache it)."""
_DEFAULT_TTLS: Mapping[str, float] = {
    # The Bluesky domain-handle verifier (brandaudit.bluesky) is re-run while a user fixes
    # their setup: whatever else it asks is not cached either, unless [network] cache_ttls
    # says otherwise (its identity answers never are).
    "bluesky-domain": 0.0,
    # IANA's RDAP bootstrap (brandaudit.rdap): one file for every TLD, refreshed daily.
    "rdap-bootstrap": RDAP_BOOTSTRAP_TTL,
}

current_platform: ContextVar[str | None] = ContextVar("brandaudit_platform", default=None)
"""The platform id of the check running in this task (set by the runner), for its TTL."""


def is_identity(url: str) -> bool:
    """True for a request whose answer is identity or verification state, never served from
    the cache: the PLC directory, a handle's ``/.well-known/atproto-did``, a ``did.json``, and
    the XRPC methods of ``IDENTITY_XRPC`` on any host (the AppView, a PDS, a mirror). ``url``
    is the URL as brandaudit asks it, before the origin map."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() in IDENTITY_HOSTS:
        return True
    path = parts.path
    if path.endswith(IDENTITY_PATHS):
        return True
    _, sep, method = path.rpartition("/xrpc/")
    return bool(sep) and method in IDENTITY_XRPC


def default_cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("brandaudit", appauthor=False)


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    truncated: bool
    final_url: str
    hops: tuple[str, ...]
    stored_at: float


def cache_key(
    method: str,
    url: str,
    headers: Mapping[str, str] | None,
    *,
    max_bytes: int,
    max_redirects: int,
    route: str = "direct",
    scope: str = "",
) -> str:
    """The entry's name. Besides the request itself it holds everything that changes the
    answer: ``route``, the origin the request really went to (after the origin map: a
    mirror's or a test server's answers are never reused for the real host), and ``scope``
    (the whole origin map, the User-Agent). Credential headers are part of ``headers``, so an
    answer read with a token and one read without never mix. The HTTP engine is not part of
    it: both engines give the same answer."""
    digest = hashlib.sha256()
    parts = [
        f"v{FORMAT_VERSION}",
        "key2",
        method.upper(),
        url,
        f"route={route}",
        f"scope={scope}",
        str(max_bytes),
        str(max_redirects),
        *sorted(f"{k.lower()}:{v}" for k, v in (headers or {}).items()),
    ]
    digest.update("\n".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def route_scope(origin_map: Mapping[str, str], user_agent: str | None) -> str:
    """What of the run's network settings changes every answer (see ``cache_key``)."""
    mapped = ",".join(f"{k}>{v}" for k, v in sorted(origin_map.items()))
    return f"map={mapped};ua={user_agent or ''}"


class HttpCache:
    """Entries under ``<root>/http-v1/<2 hex>/<key>``. Never raises on I/O trouble."""

    def __init__(
        self,
        root: Path,
        *,
        default_ttl: float = DEFAULT_TTL,
        ttls: Mapping[str, float] | None = None,
        refresh: bool = False,
        warn: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.root = root
        self.folder = root / f"http-v{FORMAT_VERSION}"
        self.default_ttl = default_ttl
        self.ttls = {**_DEFAULT_TTLS, **(ttls or {})}
        self.refresh = refresh
        self._warn = warn
        self._clock = clock
        self.disabled = False
        self.hits = 0
        self.misses = 0
        self.stores = 0
        self._made: set[str] = set()

    # -- policy ---------------------------------------------------------------------------

    def ttl_for(self, url: str, host: str, platform: str | None) -> float:
        """Seconds to keep an answer: never for identity answers (``is_identity``), else by
        platform id, then host, then the default."""
        if is_identity(url):
            return 0.0
        if platform is not None and platform in self.ttls:
            return self.ttls[platform]
        if host in self.ttls:
            return self.ttls[host]
        return self.default_ttl

    @staticmethod
    def cacheable(status: int | None, error: str | None) -> bool:
        return error is None and status in CACHEABLE_STATUSES

    # -- storage --------------------------------------------------------------------------

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def _fail(self, what: str, exc: OSError) -> None:
        if not self.disabled:
            self.disabled = True
            message = (
                f"the HTTP cache at {self.root} is not usable ({what}: "
                f"{exc.strerror or exc}); going on without it"
            )
            log.debug(message)
            if self._warn is not None:
                self._warn(message)

    def get(self, key: str, ttl: float) -> CachedAnswer | None:
        if self.disabled or self.refresh or ttl <= 0:
            return None
        path = self._path(key)
        try:
            with path.open("rb") as handle:
                raw = handle.read()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as exc:
            self._fail("reading", exc)
            return None
        answer = _decode(raw)
        if answer is None:
            log.debug("cache: dropping unreadable entry %s", path)
            self._discard(path)
            self.misses += 1
            return None
        if self._clock() - answer.stored_at > ttl or answer.stored_at > self._clock() + 60:
            self._discard(path)
            self.misses += 1
            return None
        self.hits += 1
        return answer

    def put(self, key: str, answer: CachedAnswer, ttl: float) -> None:
        if self.disabled or ttl <= 0:
            return
        path = self._path(key)
        tmp = ""
        try:
            bucket = path.parent
            if bucket.name not in self._made:
                bucket.mkdir(parents=True, exist_ok=True)
                self._made.add(bucket.name)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=bucket)
            with os.fdopen(fd, "wb") as handle:
                handle.write(_encode(answer))
            os.replace(tmp, path)
            tmp = ""
            self.stores += 1
        except OSError as exc:
            self._fail("writing", exc)
        finally:
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    @staticmethod
    def _discard(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()


def redacted(answer: CachedAnswer) -> CachedAnswer:
    """``answer`` as it may be written to disk: no credential in it. URLs lose their
    secret-looking query values (``key=``, ``api_key=``, ``access_token=``...) and every
    registered secret; header values and the body lose every registered secret (a server
    may echo a token back). CI caches and artifacts carry these files to other people."""
    from brandaudit.redact import redact_url, secret_forms

    body = answer.body
    for form in secret_forms():
        encoded = form.encode("utf-8", "surrogatepass")
        if encoded in body:
            body = body.replace(encoded, REDACTED.encode())
    return replace(
        answer,
        headers=tuple((name, scrub(value)) for name, value in answer.headers),
        body=body,
        final_url=redact_url(answer.final_url) if answer.final_url else "",
        hops=tuple(redact_url(hop) for hop in answer.hops),
    )


def _encode(answer: CachedAnswer) -> bytes:
    answer = redacted(answer)
    header = {
        "v": FORMAT_VERSION,
        "status": answer.status,
        "headers": [list(pair) for pair in answer.headers],
        "truncated": answer.truncated,
        "final_url": answer.final_url,
        "hops": list(answer.hops),
        "stored_at": answer.stored_at,
        "length": len(answer.body),
        "sha256": hashlib.sha256(answer.body).hexdigest(),
    }
    return json.dumps(header, separators=(",", ":")).encode() + b"\n" + answer.body


def _decode(raw: bytes) -> CachedAnswer | None:
    head, sep, body = raw.partition(b"\n")
    if not sep:
        return None
    try:
        meta = json.loads(head)
        if not isinstance(meta, dict) or meta.get("v") != FORMAT_VERSION:
            return None
        if len(body) != meta["length"]:
            return None
        if hashlib.sha256(body).hexdigest() != meta["sha256"]:
            return None
        headers = tuple((str(k), str(v)) for k, v in meta["headers"])
        return CachedAnswer(
            status=int(meta["status"]),
            headers=headers,
            body=body,
            truncated=bool(meta["truncated"]),
            final_url=str(meta["final_url"]),
            hops=tuple(str(h) for h in meta["hops"]),
            stored_at=float(meta["stored_at"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def open_cache(
    *,
    enabled: bool,
    directory: str | None,
    default_ttl: float,
    ttls: Mapping[str, float],
    refresh: bool,
    warn: Callable[[str], None] | None,
) -> HttpCache | None:
    """The run's cache, or None when it is switched off."""
    if not enabled:
        return None
    root = Path(directory).expanduser() if directory else default_cache_dir()
    return HttpCache(root, default_ttl=default_ttl, ttls=ttls, refresh=refresh, warn=warn)
