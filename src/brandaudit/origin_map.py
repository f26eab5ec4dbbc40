"""Origin map: send requests for one origin to another, keeping the original Host header.

Used for mirrors, corporate proxies that front an API, and loopback test servers.
``FROM`` is ``scheme://host[:port]`` or ``scheme://*`` (every host of that scheme); ``TO`` is
an origin. The most specific ``FROM`` wins: an exact origin beats a wildcard.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        if _DEFAULT_PORTS.get(self.scheme) == self.port:
            return f"{self.scheme}://{self.host}"
        return f"{self.scheme}://{self.host}:{self.port}"


def _parse_origin(text: str, *, allow_wildcard: bool) -> tuple[str, str, int | None]:
    raw = text.strip()
    if "://" not in raw:
        raise ValueError(f"origin {text!r} needs a scheme, like https://host")
    scheme, rest = raw.split("://", 1)
    scheme = scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"origin {text!r}: scheme must be http or https")
    rest = rest.rstrip("/")
    if not rest or any(c in rest for c in "/?#@ "):
        raise ValueError(f"origin {text!r} must be scheme://host[:port], with no path")
    if rest == "*":
        if not allow_wildcard:
            raise ValueError(f"origin {text!r}: a wildcard is only allowed on the FROM side")
        return scheme, "*", None
    host, port = _host_and_port(rest, text)
    if port is not None and not 0 < port < 65536:
        raise ValueError(f"origin {text!r}: port out of range")
    if not host:
        raise ValueError(f"origin {text!r} has no host")
    return scheme, host.lower(), port


def _host_and_port(rest: str, text: str) -> tuple[str, int | None]:
    """``host``, ``host:port``, ``[v6]`` or ``[v6]:port`` (``text``: the whole origin, for
    errors) -> (host, port or None)."""
    if rest.startswith("["):
        end = rest.find("]")
        if end < 0:
            raise ValueError(f"origin {text!r}: unterminated IPv6 address")
        tail = rest[end + 1 :]
        if not tail:
            return rest[: end + 1], None
        if not tail.startswith(":") or not tail[1:].isdigit():
            raise ValueError(f"origin {text!r}: bad port")
        return rest[: end + 1], int(tail[1:])
    if ":" in rest:
        host, port_text = rest.rsplit(":", 1)
        if not port_text.isdigit():
            raise ValueError(f"origin {text!r}: port must be a number")
        return host, int(port_text)
    return rest, None


@dataclass(frozen=True, slots=True)
class OriginMap:
    exact: Mapping[tuple[str, str, int], Origin]
    wildcard: Mapping[str, Origin]

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str]) -> OriginMap:
        exact: dict[tuple[str, str, int], Origin] = {}
        wildcard: dict[str, Origin] = {}
        for src, dst in mapping.items():
            s_scheme, s_host, s_port = _parse_origin(src, allow_wildcard=True)
            d_scheme, d_host, d_port = _parse_origin(dst, allow_wildcard=False)
            target = Origin(d_scheme, d_host, d_port or _DEFAULT_PORTS[d_scheme])
            if s_host == "*":
                wildcard[s_scheme] = target
            else:
                exact[(s_scheme, s_host, s_port or _DEFAULT_PORTS[s_scheme])] = target
        return cls(exact=exact, wildcard=wildcard)

    def __bool__(self) -> bool:
        return bool(self.exact or self.wildcard)

    def lookup(self, url: httpx.URL) -> Origin | None:
        scheme = url.scheme
        port = url.port or _DEFAULT_PORTS.get(scheme, 0)
        found = self.exact.get((scheme, url.host.lower(), port))
        if found is not None:
            return found
        return self.wildcard.get(scheme)

    def rewrite(self, url: httpx.URL) -> httpx.URL | None:
        """The URL to actually connect to, or None when the map doesn't apply."""
        target = self.lookup(url)
        if target is None:
            return None
        host = target.host.strip("[]")
        return url.copy_with(scheme=target.scheme, host=host, port=target.port)


def parse_origin_map_env(value: str) -> dict[str, str]:
    """``FROM=TO,FROM=TO`` (as in ``BRANDAUDIT_ORIGIN_MAP``) -> mapping, validated."""
    mapping: dict[str, str] = {}
    for part in value.split(","):
        item = part.strip()
        if not item:
            continue
        if "=" not in item:
            raise ValueError(f"BRANDAUDIT_ORIGIN_MAP entry {item!r} must be FROM=TO")
        src, dst = item.split("=", 1)
        mapping[src.strip()] = dst.strip()
    try:
        OriginMap.from_mapping(mapping)
    except ValueError as exc:
        raise ValueError(f"BRANDAUDIT_ORIGIN_MAP: {exc}") from None
    return mapping
