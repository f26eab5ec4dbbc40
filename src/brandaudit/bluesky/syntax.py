"""Pure rules of the AT Protocol identity layer: handle syntax, DID syntax, and how a DNS TXT
value or a ``/.well-known/atproto-did`` body is read (with every near miss named).

Nothing here touches the network. See docs/bluesky.md, "The nine checks" (`handle_syntax`)
and "What is asked, and where" (DIDs).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import idna

from brandaudit.handles import ascii_lowercase, domain_syntax_problem, strip_decorations

MAX_HANDLE = 253
MAX_DNS_HANDLE = 244
"""``_atproto.`` adds 9 characters to the name; longer handles can only use the file."""
MAX_DID = 2048
INVALID_HANDLE = "handle.invalid"
DISALLOWED_TLDS = frozenset(
    {"alt", "arpa", "example", "internal", "invalid", "local", "localhost", "onion"}
)
DEV_ONLY_TLDS = frozenset({"test"})
SUPPORTED_METHODS = ("plc", "web")

_DID = re.compile(r"did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]")
"""Used with ``fullmatch``: ``$`` would let a trailing newline through."""
_PLC_ID = re.compile(r"[a-z2-7]{24}")
_DID_ANYWHERE = re.compile(r"did:[a-zA-Z]+:[a-zA-Z0-9._:%-]+")
_INVISIBLE = ("\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\xa0")


# ---------------------------------------------------------------------------------------
# handles


@dataclass(frozen=True, slots=True)
class NormalisedHandle:
    value: str
    changes: tuple[str, ...] = ()
    problem: str | None = None
    """Set when the input could not even be normalised (e.g. a bad IDN)."""


def normalise_handle(raw: str) -> NormalisedHandle:
    """Trim; strip ``@``, a scheme, a path and a trailing dot; lowercase; IDN -> punycode.

    Never raises: input that can't be normalised keeps ``problem`` set.
    """
    changes: list[str] = []
    text = strip_decorations(raw, changes)
    if text.endswith(".") and text.strip("."):
        text = text.rstrip(".")
        changes.append("removed the trailing dot")
    try:
        lowered = ascii_lowercase(text, changes)
    except (idna.IDNAError, UnicodeError) as exc:
        return NormalisedHandle(text.lower(), tuple(changes), f"not a valid domain name ({exc})")
    return NormalisedHandle(lowered, tuple(changes))


def handle_problem(handle: str) -> str | None:
    """Why ``handle`` (normalised) can never be a Bluesky handle, naming the broken rule."""
    if not handle:
        return "the handle is empty"
    if handle == INVALID_HANDLE:
        return "'handle.invalid' is Bluesky's marker for 'no valid handle', not a real handle"
    if len(handle) > MAX_HANDLE:
        return f"it is {len(handle)} characters long; the limit is {MAX_HANDLE}"
    if any(ch.isspace() for ch in handle):
        return "it contains spaces; a handle is a domain name, like 'acme.com'"
    # The syntax is the one ``check`` uses for a brand's domain (a single validator).
    problem = domain_syntax_problem(handle)
    if problem:
        return problem
    labels = handle.split(".")
    if labels[-1] in DISALLOWED_TLDS:
        return f"'.{labels[-1]}' domains are refused by Bluesky (not on the public internet)"
    return None


def handle_warning(handle: str) -> str | None:
    """A rule that lets the handle exist but limits it; None if there is none."""
    tld = handle.rsplit(".", 1)[-1]
    if tld in DEV_ONLY_TLDS:
        return (
            f"'.{tld}' is reserved for testing (RFC 2606): no public resolver can look it "
            "up, so it only works on a local development network"
        )
    if len(handle) > MAX_DNS_HANDLE:
        return (
            f"it is {len(handle)} characters long: too long for DNS (the _atproto record name "
            f"would pass {MAX_HANDLE}); only the website file can work"
        )
    return None


def is_valid_handle(text: str) -> bool:
    """Syntactically valid, allowed TLD (used for ``at://`` entries and did:web hosts)."""
    return handle_problem(text.lower()) is None


# ---------------------------------------------------------------------------------------
# DIDs


def did_problem(did: str) -> str | None:
    """Why ``did`` is not a DID that atproto accepts (syntax, then method), or None."""
    if not did:
        return "it is empty"
    if len(did) > MAX_DID:
        return f"it is {len(did)} characters long; the limit is {MAX_DID}"
    if not did.startswith("did:"):
        return "it does not start with 'did:'"
    if did.startswith("did:did:"):
        return "it starts with 'did:did:' (the 'did:' is doubled)"
    if not _DID.fullmatch(did):
        bad = sorted({ch for ch in did if not (ch.isascii() and (ch.isalnum() or ch in "._:%-"))})
        if bad:
            shown = ", ".join(repr(ch) for ch in bad)
            return f"it contains {shown}, which a DID can't contain"
        if did.endswith((":", "%")):
            return "it ends with ':' or '%'"
        return "it is not DID syntax (did:<method>:<identifier>, method in lowercase)"
    method, ident = did.split(":", 2)[1:]
    if method not in SUPPORTED_METHODS:
        return f"the method 'did:{method}' is not supported by Bluesky (only did:plc and did:web)"
    if method == "plc" and not _PLC_ID.fullmatch(ident):
        return (
            f"'{ident}' is not a did:plc identifier (24 characters, a-z and 2-7); "
            "it may be cut short or mistyped"
        )
    if method == "web":
        if "%" in ident or ":" in ident:
            return "did:web with a port or a path is not supported by Bluesky (host name only)"
        if not is_valid_handle(ident):
            return f"'{ident}' is not a public host name"
    return None


def find_did(text: str) -> str | None:
    """The first DID-looking substring of ``text`` (for 'did you mean' suggestions)."""
    match = _DID_ANYWHERE.search(text)
    if not match:
        return None
    found = match.group(0).rstrip(":%.")
    while found.startswith("did:did:"):
        found = found[4:]
    return found


# ---------------------------------------------------------------------------------------
# DNS TXT values


class TxtKind(StrEnum):
    VALID = "valid"
    """``did=<valid DID>``"""
    BARE_DID = "bare_did"
    SPACES = "spaces"
    QUOTED = "quoted"
    UPPERCASE = "uppercase"
    DOUBLE_PREFIX = "double_prefix"
    DOUBLE_METHOD = "double_method"
    EXTRA_PAIRS = "extra_pairs"
    INVISIBLE = "invisible"
    INVALID_DID = "invalid_did"
    OTHER = "other"
    """Not a ``did=`` record at all; resolvers ignore it."""


@dataclass(frozen=True, slots=True)
class TxtValue:
    """One TXT record at ``_atproto.<d>``, as brandaudit reads it."""

    raw: str
    kind: TxtKind
    did: str | None = None
    """The DID this record names (VALID) or most likely meant (a near miss)."""
    detail: str = ""
    """What is wrong, in words, for a near miss."""

    @property
    def counts_for_resolvers(self) -> bool:
        """Resolvers look at every record whose value starts with ``did=``."""
        return self.raw.startswith("did=")


def classify_txt(raw: str) -> TxtValue:
    """Read one TXT value: valid, a named near miss, or unrelated. The tests run in order:
    quoting, then whether it is meant as a DID at all, then the prefix, then the DID."""
    quoting = _quoting_mistake(raw)
    if quoting is not None:
        return quoting
    if not raw.strip().lower().startswith("did") and find_did(raw) is None:
        return TxtValue(raw, TxtKind.OTHER, None, "it is not a did= record")
    for matches, kind, detail in _PREFIX_MISTAKES:
        if matches(raw):
            return TxtValue(raw, kind, find_did(raw), detail)
    return _classify_did_value(raw, raw[4:])


def _quoting_mistake(raw: str) -> TxtValue | None:
    """Invisible characters, or quotes around or at an end of the value; None if neither."""
    if any(ch in raw for ch in _INVISIBLE):
        return TxtValue(raw, TxtKind.INVISIBLE, find_did(raw), "it contains invisible characters")
    stripped = raw.strip()
    if len(stripped) >= 2 and stripped[0] in "\"'" and stripped[-1] == stripped[0]:
        return TxtValue(
            raw,
            TxtKind.QUOTED,
            find_did(stripped[1:-1]),
            "the quotes are part of the value (your DNS panel adds them itself)",
        )
    if (stripped and stripped[0] in "\"'") or stripped.endswith(('"', "'")):
        return TxtValue(raw, TxtKind.QUOTED, find_did(stripped), "it contains a quote character")
    return None


_PREFIX_MISTAKES: tuple[tuple[Callable[[str], bool], TxtKind, str], ...] = (
    (lambda v: v.strip() != v, TxtKind.SPACES, "it has spaces around the value"),
    (
        lambda v: re.match(r"^did\s+=|^did=\s", v, re.IGNORECASE) is not None,
        TxtKind.SPACES,
        "it has a space around '='",
    ),
    (
        lambda v: v.lower().startswith("did:") and not v.lower().startswith("did:did:"),
        TxtKind.BARE_DID,
        "the 'did=' prefix is missing",
    ),
    (lambda v: v.lower().startswith("did=did="), TxtKind.DOUBLE_PREFIX, "'did=' is doubled"),
    (
        lambda v: not v.startswith("did=") and v.lower().startswith("did="),
        TxtKind.UPPERCASE,
        "the prefix must be lowercase 'did='",
    ),
    (
        lambda v: v.lower().startswith("did:did:") or v.startswith("did=did:did:"),
        TxtKind.DOUBLE_METHOD,
        "'did:' is doubled",
    ),
    (lambda v: not v.startswith("did="), TxtKind.OTHER, "it is not a did= record"),
)
"""(test, kind, detail) of a value meant as a DID record whose prefix is wrong, in the
order they are tried: the first that matches names the mistake."""


def _classify_did_value(raw: str, rest: str) -> TxtValue:
    """A value that starts with ``did=``: ``rest`` is a valid DID, a valid DID followed by
    more, or not a valid DID."""
    extra = re.search(r"[\s;,&]|\b[a-z_]+=", rest)
    if extra and rest[: extra.start()] and did_problem(rest[: extra.start()]) is None:
        return TxtValue(
            raw,
            TxtKind.EXTRA_PAIRS,
            rest[: extra.start()],
            "it carries more than the DID (other key=value pairs or text after it)",
        )
    problem = did_problem(rest)
    if problem:
        return TxtValue(
            raw, TxtKind.INVALID_DID, find_did(rest), f"'{rest[:80]}' is not a valid DID: {problem}"
        )
    return TxtValue(raw, TxtKind.VALID, rest)


@dataclass(frozen=True, slots=True)
class TxtReading:
    """All TXT values at ``_atproto.<d>`` read together, as a resolver would."""

    values: tuple[TxtValue, ...]
    did: str | None = None
    """The DID a resolver gets: set only when exactly one ``did=`` record, and it is valid."""
    candidates: tuple[str, ...] = field(default=())
    """DIDs the records name or seem to mean, in order, without duplicates."""

    @property
    def did_records(self) -> tuple[TxtValue, ...]:
        return tuple(v for v in self.values if v.counts_for_resolvers)

    @property
    def near_misses(self) -> tuple[TxtValue, ...]:
        return tuple(v for v in self.values if v.kind not in {TxtKind.VALID, TxtKind.OTHER})


def read_txt(records: tuple[str, ...] | list[str]) -> TxtReading:
    values = tuple(classify_txt(r) for r in records)
    candidates: list[str] = []
    for v in values:
        if v.did and v.did not in candidates:
            candidates.append(v.did)
    did_records = [v for v in values if v.counts_for_resolvers]
    did = None
    if len(did_records) == 1 and did_records[0].kind is TxtKind.VALID:
        did = did_records[0].did
    return TxtReading(values, did, tuple(candidates))


# ---------------------------------------------------------------------------------------
# the well-known file


class BodyKind(StrEnum):
    VALID = "valid"
    PADDED = "padded"
    """A valid DID with whitespace or a newline around it on its line (every resolver
    trims it)."""
    BOM = "bom"
    """A valid DID after a UTF-8 BOM: @atproto/identity reads it (``fetch``'s ``text()``
    drops the BOM); indigo and the Python SDK don't."""
    LINES = "lines"
    """A valid DID on the first line and more lines after it: @atproto/identity reads only
    the first line; indigo parses the whole body and refuses it."""
    EMPTY = "empty"
    BLANK_FIRST_LINE = "blank_first_line"
    """The first line is empty and the DID comes later: Bluesky reads only the first line,
    so it reads nothing."""
    PREFIXED = "prefixed"
    JSON = "json"
    INVALID_DID = "invalid_did"
    NOT_A_DID = "not_a_did"
    """The first line is something else (a web page, a challenge, plain text)."""


RESOLVING_BODIES = frozenset({BodyKind.VALID, BodyKind.PADDED, BodyKind.BOM, BodyKind.LINES})
"""Bodies ``HandleResolver.resolveHttp`` in @atproto/identity turns into this DID."""

_UTF8_BOM = b"\xef\xbb\xbf"
_JS_WHITESPACE = (
    "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
"""What JavaScript's ``String.prototype.trim`` removes (ECMAScript WhiteSpace and
LineTerminator), which is not quite Python's ``str.strip()``."""


@dataclass(frozen=True, slots=True)
class BodyReading:
    kind: BodyKind
    did: str | None = None
    """The DID Bluesky's resolver reads (a resolving body) or most likely meant."""
    detail: str = ""

    @property
    def resolves(self) -> bool:
        return self.kind in RESOLVING_BODIES


def bluesky_first_line(body: bytes) -> str:
    """The value @atproto/identity's ``resolveHttp`` reads from a body:
    ``(await res.text()).split('\\n')[0].trim()`` (bluesky-social/atproto d6296a1,
    packages/identity/src/handle/index.ts). ``text()`` decodes UTF-8 with replacement
    characters and drops a leading BOM."""
    text = body.removeprefix(_UTF8_BOM).decode("utf-8", "replace")
    return text.split("\n", 1)[0].strip(_JS_WHITESPACE)


def read_well_known_body(body: bytes) -> BodyReading:
    """Read a ``/.well-known/atproto-did`` body the way Bluesky does: the first line,
    trimmed, is the DID when it starts with ``did:`` (whatever comes after it). What
    stricter resolvers refuse (a BOM, more lines) is a kind of its own, so it can be
    warned about; a first line that isn't a valid DID is named."""
    first = bluesky_first_line(body)
    text = body.removeprefix(_UTF8_BOM).decode("utf-8", "replace")
    stripped = text.strip(_JS_WHITESPACE)
    if first.startswith("did:"):
        problem = did_problem(first)
        if problem:
            return BodyReading(
                BodyKind.INVALID_DID,
                find_did(first),
                f"'{first[:80]}' is not a valid DID: {problem}",
            )
        if body.startswith(_UTF8_BOM):
            return BodyReading(BodyKind.BOM, first, "it starts with a byte-order mark (BOM)")
        if stripped != first:
            lines = len([line for line in stripped.splitlines() if line.strip()])
            return BodyReading(
                BodyKind.LINES, first, f"it has {lines} lines; Bluesky reads only the first"
            )
        if first != text:
            return BodyReading(BodyKind.PADDED, first, "it has whitespace around the DID")
        return BodyReading(BodyKind.VALID, first)
    return _why_not_a_did(first, stripped)


def _why_not_a_did(first: str, stripped: str) -> BodyReading:
    """A body whose first line gives Bluesky no DID: say what it is instead."""
    guess = find_did(stripped)
    if not stripped:
        return BodyReading(BodyKind.EMPTY, None, "it is empty")
    if not first:
        return BodyReading(
            BodyKind.BLANK_FIRST_LINE,
            guess,
            "its first line is blank, and Bluesky reads only the first line",
        )
    if first.startswith(("{", "[")):
        return BodyReading(BodyKind.JSON, guess, "it is JSON, not plain text")
    if first.lower().startswith("did="):
        return BodyReading(BodyKind.PREFIXED, guess, "it starts with 'did=' (that is for DNS)")
    if first.lower().startswith("did:"):
        return BodyReading(
            BodyKind.INVALID_DID, guess, "the method prefix must be lowercase 'did:'"
        )
    return BodyReading(BodyKind.NOT_A_DID, guess, f"its first line {first[:80]!r} is not a DID")
