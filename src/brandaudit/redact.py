"""Keep secrets out of everything brandaudit writes.

Tokens and API keys are registered here when they are read (``Settings.credential`` and the
``[credentials]`` table); ``scrub`` then replaces every registered value, and its
URL-encoded forms, with ``REDACTED``. It is applied where text leaves the process or enters
the result model: every model string field, evidence URLs, stdout, ``-o`` files, the GitHub
step summary, error lines, ``--debug`` logs and tracebacks. Redacting by *value* also
catches a secret that a hostile or careless server echoes back in a redirect, a URL or an
error message, which redacting by parameter name cannot.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

REDACTED = "REDACTED"
MIN_SECRET_LENGTH = 6
"""Shorter values are not registered: replacing them would mangle ordinary text."""

_lock = threading.Lock()
_forms: tuple[str, ...] = ()


def register(value: str | None) -> None:
    """Remember ``value`` as a secret (with its URL-encoded forms)."""
    global _forms
    if not value or len(value) < MIN_SECRET_LENGTH:
        return
    candidates = {value, quote(value, safe=""), quote_plus(value), quote(value)}
    with _lock:
        known = set(_forms)
        if candidates <= known:
            return
        # Longest first, so a value is replaced before any shorter secret inside it.
        _forms = tuple(sorted(known | candidates, key=len, reverse=True))


def secret_forms() -> tuple[str, ...]:
    """Every registered secret and its URL-encoded forms, longest first."""
    return _forms


def forget_all() -> None:
    """Clear the registry (for tests and long-lived library use)."""
    global _forms
    with _lock:
        _forms = ()


def scrub(text: str) -> str:
    """``text`` with every registered secret replaced by ``REDACTED``."""
    forms = _forms
    if not forms or not text:
        return text
    for form in forms:
        if form in text:
            text = text.replace(form, REDACTED)
    return text


_CONTROLS = re.compile(
    "[\x00\x08\x1b\x7f-\x9f"
    # Unicode format characters (category Cf): bidi overrides and isolates (U+202A-202E,
    # U+2066-2069) that reorder what a reader sees, zero-width characters that hide text or
    # split a word a reader (or a filter) would recognise, soft hyphen, BOM, tag characters.
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)
"""What starts a terminal escape sequence (ESC, and the C1 controls, CSI 0x9b among them),
NUL, backspace and DEL, which hide text, and the Unicode format characters. Line breaks, tabs,
CR and BEL stay in the data: every text renderer escapes them, and JSON keeps them escaped."""


def clean_text(text: str) -> str:
    """``text`` without escape-sequence introducers, Unicode format characters and registered
    secrets: a server's words can't move the cursor, recolour or clear the terminal, set its
    title, reorder or hide what a reader sees, or leak a token. The one cleaning path for
    text from servers: the result model applies it to every string field."""
    if _CONTROLS.search(text):
        text = _CONTROLS.sub("", text)
    return scrub(text)


# --- GitHub Actions workflow commands -------------------------------------------------------
# The runner reads `::command::` at the start of a line (after blanks) and the legacy
# `##[command]` anywhere in a line, `##[add-mask]` and `##[stop-commands]` included.
_WORD_JOINER = "\u2060"
"""Invisible, and breaks both markers: ``:⁠:`` and ``##⁠[`` are no commands."""
_LEGACY = "##["


def defuse_commands(text: str, *, json: bool = False) -> str:
    """``text`` with nothing the Actions runner reads as a workflow command. JSON keeps its
    meaning: ``##[`` (only ever inside a string there) becomes ``##\\u005b``, and no JSON
    line can start with ``::``. Other text gets a word joiner inside ``##[`` and inside a
    ``::`` that starts a line, so a server's words re-wrapped onto a line of their own stay
    words."""
    if json:
        return text.replace(_LEGACY, "##\\u005b")
    if _LEGACY in text:
        text = text.replace(_LEGACY, "##" + _WORD_JOINER + "[")
    if "::" not in text:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        body = line.lstrip()
        if body.startswith("::"):
            lines[i] = line[: len(line) - len(body)] + ":" + _WORD_JOINER + body[1:]
    return "\n".join(lines)


def stop_commands(text: str) -> str:
    """``text`` between ``::stop-commands::<token>`` and ``::<token>::``: the runner reads no
    command in between. The token is random, so the text can't end the block itself."""
    import secrets

    token = secrets.token_hex(16)
    end = "" if text.endswith("\n") or not text else "\n"
    return f"::stop-commands::{token}\n{text}{end}::{token}::\n"


def scrub_value(value: Any) -> Any:
    """``clean_text`` for a string, or for the strings of a tuple/list; others as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, tuple):
        return tuple(clean_text(v) if isinstance(v, str) else v for v in value)
    if isinstance(value, list):
        return [clean_text(v) if isinstance(v, str) else v for v in value]
    return value


class RedactingFilter(logging.Filter):
    """A logging filter that scrubs each record's final message (attach it to handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _forms:
            message = record.getMessage()
            cleaned = scrub(message)
            if cleaned != message:
                record.msg, record.args = cleaned, ()
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        return True


SECRET_PARAMS = {
    "key",
    "api_key",
    "apikey",
    "token",
    "access_token",
    "client_secret",
    "secret",
    "password",
    "auth",
    "signature",
    "sig",
}
"""Query parameters whose value is a credential wherever they appear."""


def redact_url(url: object) -> str:
    """The URL (a string or an ``httpx.URL``) with secret-looking query values, and any
    registered secret, redacted: what the evidence, the cache and the reports may keep."""
    text = scrub(str(url))
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    if not parts.query:
        return text
    pairs = [
        (k, "REDACTED" if k.lower() in SECRET_PARAMS else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(pairs, safe="@:/,*")))
