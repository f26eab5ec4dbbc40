"""Read hostile HTML in time proportional to its length.

Every parser of text a server wrote goes through here (homepage links, bios, ``<script>``
blocks of platform pages, card titles). The standard library's ``html.parser`` is quadratic
on unclosed tags (``<a<a<a...``: each ``<`` rescans the rest of the page), and patterns such
as ``<script[^>]*>(.*?)</script>`` backtrack over the whole body at each ``<script``; a 200 KB
page of either kept a check busy for a minute, past any deadline.

The scanner below finds tags with ``str.find`` and regular expressions that cannot backtrack
(possessive quantifiers, one match at a known position). Each step consumes what it read, and
anything left open at the end (a tag, a quoted value, a comment, a ``<script>``) ends the scan
there, as a browser's tokenizer does at the end of input; so the total work is linear in the
text, which is first cut to ``MAX_SCAN_CHARS``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_SCAN_CHARS = 2 * 1024 * 1024
"""What reaches a parser at most: the network core's default body cap, in characters."""
MAX_TAGS = 50_000
"""Tags read per scan (with `wanted`, only those count; a large real page has a few thousand
links and scripts)."""
MAX_ATTRIBUTES = 64
"""Attributes read per tag; the rest of a longer tag is skipped unread."""
RAW_TEXT = frozenset({"script", "style"})
"""Elements whose content is text up to their end tag (no tags, no character references)."""

_NAME = re.compile(r"</?+([A-Za-z][^\s/>]*+)")
_TAG_REST = re.compile(r"(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+>")
"""The rest of a tag up to its ``>``, quotes respected; possessive, so a failed match (no
``>``, or an unclosed quote) costs one pass over what it read, never a retry."""
_GAP = re.compile(r"[\s/]*+")
_ATTR_NAME = re.compile(r"[^\s/>][^\s/>=]*+")
_EQUALS = re.compile(r"\s*+=\s*+")
_UNQUOTED = re.compile(r"[^\s>]*+")
_RAW_END = {name: re.compile(rf"</{name}[\s/>]", re.IGNORECASE) for name in RAW_TEXT}


@dataclass(frozen=True, slots=True)
class Tag:
    """A start or end tag. Names are lower-case; attribute names too, and values have their
    character references decoded (the first of a repeated attribute wins, as in browsers).
    ``start``/``stop`` are its place in the scanned text."""

    name: str
    attrs: dict[str, str]
    end: bool = False
    self_closing: bool = False
    start: int = 0
    stop: int = 0

    def get(self, name: str) -> str:
        return self.attrs.get(name, "")


@dataclass(frozen=True, slots=True)
class Text:
    """Text between tags, character references decoded."""

    text: str


@dataclass(frozen=True, slots=True)
class Raw:
    """The content of a ``<script>`` or ``<style>``, as written; ``closed`` is False when the
    page ended before its end tag."""

    tag: Tag
    text: str
    closed: bool


@dataclass(frozen=True, slots=True)
class Cut:
    """The scan stopped after ``MAX_TAGS`` tags; the rest of the text was not read."""


Token = Tag | Text | Raw | Cut


def cap(text: str, limit: int = MAX_SCAN_CHARS) -> str:
    """``text`` cut to what a parser may read."""
    return text if len(text) <= limit else text[:limit]


def _attributes(chunk: str) -> dict[str, str]:
    """The attributes in ``chunk``, the inside of one tag after its name (without ``>``)."""
    attrs: dict[str, str] = {}
    i, n = 0, len(chunk)
    while i < n and len(attrs) < MAX_ATTRIBUTES:
        i = _GAP.match(chunk, i).end()  # type: ignore[union-attr]  # always matches
        name = _ATTR_NAME.match(chunk, i)
        if name is None:
            break
        i = name.end()
        value = ""
        equals = _EQUALS.match(chunk, i)
        if equals is not None:
            i = equals.end()
            if i < n and chunk[i] in "\"'":
                close = chunk.find(chunk[i], i + 1)
                close = n if close < 0 else close
                value, i = chunk[i + 1 : close], close + 1
            else:
                unquoted = _UNQUOTED.match(chunk, i)
                assert unquoted is not None  # '*' always matches
                value, i = unquoted.group(), unquoted.end()
        attrs.setdefault(name.group().lower(), html.unescape(value) if "&" in value else value)
    return attrs


def _finder(wanted: frozenset[str] | None) -> re.Pattern[str]:
    """Where the next construct worth a look starts: any ``<``, or with ``wanted`` only those
    tags, raw-text elements, comments and declarations (found by the regex engine, so a page
    of a million other tags costs one C-speed pass)."""
    if wanted is None:
        return re.compile("<")
    names = "|".join(sorted(re.escape(n) for n in wanted | RAW_TEXT))
    return re.compile(rf"<(?:!|\?|/?+(?:{names})(?=[\s/>]))", re.IGNORECASE)


def _past_declaration(text: str, lt: int) -> int | None:
    """Where a comment, doctype or processing instruction at ``lt`` ends (-1: it doesn't);
    None if there is none at ``lt``."""
    if text.startswith("<!--", lt):
        close = text.find("-->", lt + 4)
        return close if close < 0 else close + 3
    if text.startswith(("<!", "<?"), lt):
        close = text.find(">", lt + 2)
        return close if close < 0 else close + 1
    return None


def tokens(text: str, wanted: frozenset[str] | None = None) -> Iterator[Token]:
    """The tags, text and raw-text blocks of ``text`` (cut to ``MAX_SCAN_CHARS``), in order.

    With ``wanted``, only those tags (and ``<script>``/``<style>``, whose content is never
    markup) are read and no ``Text`` comes back: everything between them is skipped at
    C speed. Comments, doctypes and processing instructions are skipped; a ``<`` that starts
    no tag is text. At most ``MAX_TAGS`` tags are read, then ``Cut`` ends the scan."""
    text = cap(text)
    find = _finder(wanted).search
    want_text = wanted is None
    pos, n, count = 0, len(text), 0
    while pos < n:
        found = find(text, pos)
        lt = n if found is None else found.start()
        if want_text and lt > pos:
            yield Text(html.unescape(text[pos:lt]))
        if found is None:
            return
        skipped = _past_declaration(text, lt)
        if skipped is not None:
            if skipped < 0:
                return  # an unclosed comment runs to the end of the page
            pos = skipped
            continue
        name = _NAME.match(text, lt)
        if name is None:
            if want_text:
                yield Text("<")
            pos = lt + 1
            continue
        rest = _TAG_REST.match(text, name.end())
        if rest is None:
            return  # an unterminated tag (or quoted value) runs to the end of the page
        count += 1
        if count > MAX_TAGS:
            yield Cut()
            return
        tag_name = name.group(1).lower()
        inside = text[name.end() : rest.end() - 1]
        pos = rest.end()
        closing = text[lt + 1] == "/"
        skip = closing or (wanted is not None and tag_name not in wanted)
        tag = Tag(
            tag_name,
            {} if skip else _attributes(inside),
            end=closing,
            self_closing=inside.endswith("/"),
            start=lt,
            stop=pos,
        )
        yield tag
        if tag_name in RAW_TEXT and not closing and not tag.self_closing:
            raw_end = _RAW_END[tag_name].search(text, pos)
            if raw_end is None:
                yield Raw(tag, text[pos:], closed=False)
                return
            yield Raw(tag, text[pos : raw_end.start()], closed=True)
            pos = raw_end.start()


def scripts(text: str) -> Iterator[tuple[Tag, str]]:
    """Every closed ``<script>`` block: its tag (with attributes) and its content."""
    for token in tokens(text, wanted=frozenset({"script"})):
        if isinstance(token, Raw) and token.closed and token.tag.name == "script":
            yield token.tag, token.text


_MARKUP = re.compile(r"<[^<>]*+>")
"""A tag inside an element's text; stops at the next ``<``, so it never rescans."""


def element_text(text: str, name: str, has_class: str) -> Iterator[str]:
    """The text of every ``<name>`` element whose ``class`` list holds ``has_class``, up to
    the element's end tag (nested tags dropped), whitespace collapsed."""
    text = cap(text)
    opened: int | None = None
    for token in tokens(text, wanted=frozenset({name})):
        if not isinstance(token, Tag) or token.name != name:
            continue
        if token.end and opened is not None:
            inner = html.unescape(_MARKUP.sub(" ", text[opened : token.start]))
            yield " ".join(inner.split())
            opened = None
        elif not token.end and has_class in token.get("class").split():
            opened = token.stop
