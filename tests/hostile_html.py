"""Adversarial HTML at a size cap: the pages that made parsers quadratic or backtrack.

Shared by the parsing tests (every parser of remote text, every adapter, the homepage) and
``bench/hostile_parsing.py``, so a new parser or adapter meets the same pages.
"""

from __future__ import annotations

from collections.abc import Callable

CAP = 2 * 1024 * 1024
"""The network core's default body cap (``[network] max_body_bytes``)."""


def _fill(unit: str, size: int, head: str = "", tail: str = "") -> str:
    count = max(0, (size - len(head) - len(tail)) // len(unit))
    return head + unit * count + tail


BODIES: dict[str, Callable[[int], str]] = {
    # html.parser rescans the rest of the page at each unclosed '<a' (quadratic).
    "unclosed <a": lambda n: _fill("<a", n),
    "<a> tags": lambda n: _fill("<a>", n),
    # '<script\b[^>]*...(.*?)</script>' backtracks over the body at each '<script '.
    "unclosed <script": lambda n: _fill("<script ", n),
    "<script> without end": lambda n: _fill("<script>", n),
    "next-data decoys": lambda n: _fill('<script id="__NEXT_DATA__" ', n),
    "json-ld decoys": lambda n: _fill('<script type="application/ld+json">', n),
    "unclosed comment": lambda n: _fill("x", n, head="<!--"),
    "comment openers": lambda n: _fill("<!--<", n),
    "deep nesting": lambda n: _fill("<div><span>", n // 2) + _fill("</span></div>", n // 2),
    "huge attribute": lambda n: _fill("x", n, head='<a href="', tail='">'),
    "unclosed quote": lambda n: _fill("x", n, head='<a href="'),
    "many attributes": lambda n: _fill("x=1 ", n, head="<a "),
    "quote soup": lambda n: _fill("<a x='\"", n),
    "name cards": lambda n: _fill('<h3 class="_9vd5 _9t2_">', n),
    # ... after WhatsApp's join button, so its channel-name reader runs over them.
    "join button, name cards": lambda n: _fill(
        '<h3 class="_9vd5 _9t2_">', n, head='<a id="action-button" href="#">join</a>'
    ),
    "stray <": lambda n: _fill("< ", n),
    "entities": lambda n: _fill("&amp;&#x41;", n),
}
"""Each maker gives a body of about ``n`` characters (ASCII, so as many bytes)."""
