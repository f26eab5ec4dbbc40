"""Helpers for turning profile URLs into handles (used by website discovery)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def path_segments(url: str, hosts: set[str]) -> list[str] | None:
    """The decoded, non-empty path segments of ``url`` if its host is one of ``hosts``.

    Returns None for other hosts, non-http(s) URLs, or URLs with credentials.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https", ""}:
        return None
    if parts.username or parts.password:
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    if host not in hosts:
        return None
    return [unquote(s) for s in parts.path.split("/") if s]


def segment_handle(
    url: str,
    hosts: set[str],
    *,
    prefix: str = "",
    before: tuple[str, ...] = (),
    reserved: frozenset[str] = frozenset(),
    tabs: frozenset[str] = frozenset(),
) -> str | None:
    """The handle in a profile URL shaped ``[/before...]/{prefix}{handle}[/tab]``, or None.

    ``before`` are fixed leading segments (``("company",)``, ``("user",)``); ``reserved`` are
    first segments that are site pages, not profiles (``intent``, ``p``, ``watch``...); ``tabs``
    are the only second segments allowed (a profile's own tabs, not posts). Compared
    case-insensitively. Anything else (posts, share links, hashtags) gives None.
    """
    parts = path_segments(url, hosts)
    if not parts or len(parts) <= len(before):
        return None
    if [p.lower() for p in parts[: len(before)]] != [b.lower() for b in before]:
        return None
    parts = parts[len(before) :]
    first, rest = parts[0], parts[1:]
    if rest and not (len(rest) == 1 and rest[0].lower() in tabs):
        return None
    if prefix:
        if not first.startswith(prefix):
            return None
        first = first[len(prefix) :]
    elif first.startswith("@"):
        return None
    if not first or first.lower() in reserved:
        return None
    return first
