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
