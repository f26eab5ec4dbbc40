"""Does a link point at the brand's domain? Exact host comparison, never a look-alike.

A link counts only when its host, after normalisation (lowercase, trailing dot and ``www.``
removed, IDNA/UTS 46 to punycode), *equals* the brand's domain or is a subdomain of it:
``acme.com``, ``www.acme.com`` and ``shop.acme.com`` count for ``acme.com``; ``acme.co``,
``acme.com.evil.net``, ``evilacme.com``, ``acme-com.net`` and ``acme.com@evil.net`` never do.

URLs with credentials (``user@host``) are refused outright: browsers and Python's ``urlsplit``
disagree about where the host starts in ``https://evil.net\\@acme.com``, so no such link can
be trusted to point where it seems to.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import idna

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# Characters that end a bare host in prose ("see acme.com, or ...").
_TRAILING = ".,;:!?)]}>'\"»”’"
_LEADING = "([{<'\"«“‘"
_CANDIDATE = re.compile(
    r"(?:https?://[^\s<>\"']+)|(?<![\w@.-])(?:[\w-]+\.)+[^\W\d_][\w-]+(?:/[^\s<>\"']*)?",
    re.UNICODE,
)


def normalise_host(host: str) -> str | None:
    """``WWW.Acme.COM.`` -> ``acme.com``; IDNs to punycode. None if it is not a hostname."""
    text = host.strip().rstrip(".").lower()
    if not text or len(text) > 253:
        return None
    if not text.isascii():
        try:
            text = idna.encode(text, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            return None
    labels = text.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return None
    if labels[-1].isdigit():
        return None  # an IPv4 address is never a brand domain
    if labels[0] == "www" and len(labels) > 2:
        labels = labels[1:]
    return ".".join(labels)


def host_of_url(url: str) -> str | None:
    """The normalised host of an http(s) URL (or a bare ``host/path``), else None.

    Refuses credentials, other schemes, and anything that does not parse as a hostname.
    """
    text = url.strip()
    if not text or any(ch.isspace() or ord(ch) < 0x20 for ch in text):
        return None
    if text.startswith("//"):
        text = "https:" + text
    elif not _SCHEME.match(text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        hostname = parts.hostname
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"}:
        return None
    if "@" in parts.netloc or "\\" in parts.netloc:
        return None
    if not hostname:
        return None
    return normalise_host(hostname)


def host_matches(host: str, domain: str) -> bool:
    """True when ``host`` is ``domain`` or a subdomain of it (both normalised here)."""
    h = normalise_host(host)
    d = normalise_host(domain)
    if h is None or d is None:
        return False
    return h == d or h.endswith("." + d)


def url_points_to(url: str, domain: str) -> bool:
    """True when the link ``url`` leads to ``domain`` (or a subdomain of it)."""
    host = host_of_url(url)
    return host is not None and host_matches(host, domain)


def links_in_text(text: str, limit: int = 50) -> list[str]:
    """URLs and bare host names mentioned in prose (a profile bio), in order, at most ``limit``.

    E-mail addresses are skipped: ``hello@acme.com`` is not a link to a website.
    """
    found: list[str] = []
    for match in _CANDIDATE.finditer(text):
        token = match.group(0).strip(_LEADING).rstrip(_TRAILING)
        end = match.end()
        if end < len(text) and text[end] == "@":
            continue
        if token and token not in found:
            found.append(token)
        if len(found) >= limit:
            break
    return found
