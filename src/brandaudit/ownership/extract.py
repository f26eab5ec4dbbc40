"""Pull declared profile links out of a homepage: ``<a href>``, ``rel="me"`` (``<a>`` and
``<link>``) and schema.org ``sameAs`` in JSON-LD.

Uses the standard library's ``html.parser``: it never raises on broken markup, decodes
character references in attribute values, and treats ``<script>`` content as raw text, which
is all a link extractor needs. Everything is bounded (links kept, JSON-LD blocks, nesting
depth), so a hostile page costs at most the size cap the fetch already enforces.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

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


def same_as_from_jsonld(data: Any) -> list[str]:
    """Every ``sameAs`` of an Organization/Brand-like node, anywhere in a JSON-LD document
    (top-level object, array, ``@graph``, nested nodes such as ``publisher`` or ``brand``)."""
    found: list[str] = []
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
            if type_names(node.get("@type")) & ORGANIZATION_TYPES and "sameAs" in node:
                found.extend(same_as_values(node["sameAs"]))
            stack.extend(
                (value, depth + 1)
                for key, value in reversed(list(node.items()))
                if key != "sameAs" and isinstance(value, (dict, list))
            )
    return found


class _Parser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.base_url = page_url
        self._base_seen = False
        self.result = PageLinks()
        self._script: list[str] | None = None
        self._script_size = 0

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

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        if tag == "base" and not self._base_seen and values.get("href"):
            self._base_seen = True
            try:
                self.base_url = urljoin(self.page_url, values["href"].strip())
            except ValueError:
                self.base_url = self.page_url
            return
        rel = {token.lower() for token in values.get("rel", "").split()}
        if tag == "a":
            self._add(values.get("href"), DeclaredVia.REL_ME if "me" in rel else DeclaredVia.LINK)
        elif tag == "link" and "me" in rel:
            self._add(values.get("href"), DeclaredVia.REL_ME)
        elif tag == "script":
            kind = values.get("type", "").split(";", 1)[0].strip().lower()
            if kind == "application/ld+json":
                self._script = []
                self._script_size = 0

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":  # <script/> opens nothing to read
            self.handle_starttag(tag, attrs)

    # -- JSON-LD ------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self._script is not None and self._script_size < MAX_JSONLD_CHARS:
            self._script.append(data)
            self._script_size += len(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            text = "".join(self._script)
            size = self._script_size
            self._script = None
            self._jsonld(text, size)

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

    def close(self) -> None:
        super().close()
        if self._script is not None:  # the page ended inside a JSON-LD block (cut at the cap)
            self._script = None
            self.result.notes.append(
                f"JSON-LD block {self.result.jsonld_blocks + 1} is unterminated; ignored"
            )


def extract_links(html: str, page_url: str) -> PageLinks:
    """Every profile-candidate link on the page, in document order, with where it was found."""
    parser = _Parser(page_url)
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError) as exc:  # html.parser is lenient; this is belt and braces
        parser.result.notes.append(f"the HTML could not be fully parsed ({type(exc).__name__})")
    return parser.result


class _BioParser(HTMLParser):
    """Anchor targets and the text outside anchors: an anchor's text may name one site while
    its href goes to another, so only the href of a link counts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self._in_anchor = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._in_anchor += 1
            href = dict(attrs).get("href")
            if href and len(self.hrefs) < MAX_LINKS:
                self.hrefs.append(href.strip())
        elif tag in {"br", "p", "div", "li"}:
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._in_anchor:
            self._in_anchor -= 1
        elif tag in {"p", "div", "li"}:
            self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._in_anchor:
            self.text.append(data)


def split_bio(text: str) -> tuple[list[str], str]:
    """A profile bio that may be HTML (Mastodon notes are): the links' targets, and the text
    outside links. Plain text comes back as it is, with no links."""
    if "<" not in text:
        return [], text
    parser = _BioParser()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):
        return [], ""
    return parser.hrefs, "".join(parser.text)
