"""Pull declared profile links out of a homepage: ``<a href>``, ``rel="me"`` (``<a>`` and
``<link>``) and schema.org ``sameAs`` in JSON-LD.

Reads the page with ``brandaudit.htmlscan``: it never raises on broken markup, decodes
character references in attribute values, treats ``<script>`` content as raw text, and runs in
time linear in the page (``html.parser`` is quadratic on unclosed tags). Everything is bounded
(text read, links kept, JSON-LD blocks, nesting depth), so a hostile page costs at most the
size cap.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from brandaudit.htmlscan import MAX_TAGS, Cut, Raw, Tag, Text, cap, tokens
from brandaudit.model import DeclaredVia

MAX_LINKS = 5000
MAX_JSONLD_BLOCKS = 50
MAX_JSONLD_CHARS = 512 * 1024
MAX_DEPTH = 32

ORGANIZATION_TYPES = frozenset(
    {
        "Organization",
        "Brand",
        "Corporation",
        "LocalBusiness",
        "OnlineBusiness",
        "OnlineStore",
        "Store",
        "NGO",
        "NewsMediaOrganization",
        "EducationalOrganization",
        "GovernmentOrganization",
        "MedicalOrganization",
        "SportsOrganization",
        "PerformingGroup",
        "Project",
        "ResearchOrganization",
        "Consortium",
        "Cooperative",
        "Airline",
        "LibrarySystem",
        "WorkersUnion",
        "FundingScheme",
        "SearchRescueOrganization",
        "PoliticalParty",
    }
)
_SCHEMA_PREFIXES = ("https://schema.org/", "http://schema.org/", "schema:")


@dataclass(frozen=True, slots=True)
class FoundLink:
    url: str
    """Absolute http(s) URL (relative links resolved against the page)."""
    via: DeclaredVia


@dataclass(slots=True)
class PageLinks:
    links: list[FoundLink] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    jsonld_blocks: int = 0
    jsonld: list[Any] = field(default_factory=list)
    """The parsed JSON-LD documents (read again by ``brandaudit.people`` for Person nodes)."""

    def urls(self, via: DeclaredVia | None = None) -> list[str]:
        return [link.url for link in self.links if via is None or link.via is via]


def type_names(value: Any) -> set[str]:
    raw = value if isinstance(value, list) else [value]
    names: set[str] = set()
    for item in raw:
        if isinstance(item, str):
            name = item
            for prefix in _SCHEMA_PREFIXES:
                if name.startswith(prefix):
                    name = name[len(prefix) :]
                    break
            names.add(name)
    return names


def same_as_values(value: Any) -> Iterator[str]:
    items = value if isinstance(value, list) else [value]
    for item in items[:MAX_LINKS]:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key in ("@id", "url", "@value"):
                inner = item.get(key)
                if isinstance(inner, str):
                    yield inner
                    break


def jsonld_nodes(data: Any, skip: frozenset[str] = frozenset()) -> Iterator[dict[str, Any]]:
    """Every object node of a JSON-LD document (top-level object, array, ``@graph``, nested
    nodes), in document order, bounded in depth and count; values under a ``skip`` key are
    not entered."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    visited = 0
    while stack and visited < 100_000:
        node, depth = stack.pop()
        visited += 1
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, list):
            stack.extend((item, depth + 1) for item in reversed(node))
        elif isinstance(node, dict):
            yield node
            stack.extend(
                (value, depth + 1)
                for key, value in reversed(list(node.items()))
                if key not in skip and isinstance(value, (dict, list))
            )


def same_as_from_jsonld(data: Any) -> list[str]:
    """Every ``sameAs`` of an Organization/Brand-like node, anywhere in a JSON-LD document
    (top-level object, array, ``@graph``, nested nodes such as ``publisher`` or ``brand``)."""
    found: list[str] = []
    for node in jsonld_nodes(data, skip=frozenset({"sameAs"})):
        if type_names(node.get("@type")) & ORGANIZATION_TYPES and "sameAs" in node:
            found.extend(same_as_values(node["sameAs"]))
    return found


class _Collector:
    """Links and JSON-LD from the page's tokens (``brandaudit.htmlscan``)."""

    def __init__(self, page_url: str) -> None:
        self.page_url = page_url
        self.base_url = page_url
        self._base_seen = False
        self.result = PageLinks()

    # -- links --------------------------------------------------------------------------
    def _add(self, href: str | None, via: DeclaredVia) -> None:
        if not href or len(self.result.links) >= MAX_LINKS:
            return
        href = href.strip()
        if not href or href.startswith("#"):
            return
        try:
            absolute = urljoin(self.base_url, href)
            scheme = urlsplit(absolute).scheme.lower()
        except ValueError:
            return
        if scheme not in {"http", "https"}:
            return
        self.result.links.append(FoundLink(absolute, via))

    def tag(self, tag: Tag) -> None:
        if tag.end:
            return
        if tag.name == "base" and not self._base_seen and tag.get("href"):
            self._base_seen = True
            try:
                self.base_url = urljoin(self.page_url, tag.get("href").strip())
            except ValueError:
                self.base_url = self.page_url
            return
        rel = {token.lower() for token in tag.get("rel").split()}
        if tag.name == "a":
            self._add(tag.get("href"), DeclaredVia.REL_ME if "me" in rel else DeclaredVia.LINK)
        elif tag.name == "link" and "me" in rel:
            self._add(tag.get("href"), DeclaredVia.REL_ME)

    # -- JSON-LD ------------------------------------------------------------------------
    def script(self, raw: Raw) -> None:
        kind = raw.tag.get("type").split(";", 1)[0].strip().lower()
        if kind != "application/ld+json":
            return
        if not raw.closed:  # the page ended inside a JSON-LD block (cut at the cap)
            self.result.notes.append(
                f"JSON-LD block {self.result.jsonld_blocks + 1} is unterminated; ignored"
            )
            return
        self._jsonld(raw.text, len(raw.text))

    def _jsonld(self, text: str, size: int) -> None:
        result = self.result
        result.jsonld_blocks += 1
        number = result.jsonld_blocks
        if number > MAX_JSONLD_BLOCKS:
            if number == MAX_JSONLD_BLOCKS + 1:
                result.notes.append(f"more than {MAX_JSONLD_BLOCKS} JSON-LD blocks; rest ignored")
            return
        if size >= MAX_JSONLD_CHARS:
            result.notes.append(f"JSON-LD block {number} is larger than 512 KB; ignored")
            return
        text = text.strip()
        if not text:
            return
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            where = f" (line {exc.lineno}, column {exc.colno})"
            result.notes.append(f"JSON-LD block {number} is not valid JSON{where}; ignored")
            return
        except RecursionError:  # '[[[[...': deeper than the parser goes (a JSON bomb)
            result.notes.append(f"JSON-LD block {number} is nested too deeply; ignored")
            return
        for url in same_as_from_jsonld(data):
            self._add(url, DeclaredVia.JSON_LD)
        result.jsonld.append(data)


_LINK_TAGS = frozenset({"a", "link", "base", "script"})


def extract_links(html: str, page_url: str) -> PageLinks:
    """Every profile-candidate link on the page, in document order, with where it was found.
    Linear in the page's length (``brandaudit.htmlscan``), whatever the markup."""
    collector = _Collector(page_url)
    for token in tokens(html, wanted=_LINK_TAGS):
        if isinstance(token, Tag):
            collector.tag(token)
        elif isinstance(token, Raw):
            collector.script(token)
        elif isinstance(token, Cut):
            collector.result.notes.append(f"more than {MAX_TAGS:,} tags; the rest ignored")
    return collector.result


_BIO_BREAKS = frozenset({"br", "p", "div", "li"})
MAX_BIO_CHARS = 64 * 1024
"""A bio longer than this is read only this far (platforms cap bios at a few KB)."""


def split_bio(text: str) -> tuple[list[str], str]:
    """A profile bio that may be HTML (Mastodon notes are): the links' targets, and the text
    outside links (an anchor's text may name one site while its href goes to another, so only
    the href of a link counts). Plain text comes back as it is, with no links."""
    if "<" not in text:
        return [], text
    hrefs: list[str] = []
    words: list[str] = []
    in_anchor = 0
    for token in tokens(cap(text, MAX_BIO_CHARS)):
        if isinstance(token, Text):
            if not in_anchor:
                words.append(token.text)
        elif isinstance(token, Tag):
            if token.name == "a":
                if token.end:
                    in_anchor = max(0, in_anchor - 1)
                else:
                    in_anchor += 0 if token.self_closing else 1
                    href = token.get("href").strip()
                    if href and len(hrefs) < MAX_LINKS:
                        hrefs.append(href)
            elif token.name in _BIO_BREAKS and not (token.end and token.name == "br"):
                words.append(" ")
    return hrefs, "".join(words)
