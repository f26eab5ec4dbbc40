"""Domains and handles: normalise a domain, derive the brand's handle from it.

The public suffix list comes from the ``publicsuffixlist`` package, which ships the list
inside the wheel: nothing is ever downloaded at run time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import idna

from brandaudit.errors import InputError

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

_LABEL = re.compile(r"^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
MAX_DOMAIN_LENGTH = 253


@dataclass(frozen=True, slots=True)
class NormalisedDomain:
    """A domain in its ASCII (punycode) lowercase form, with what normalisation changed."""

    value: str
    original: str
    changes: tuple[str, ...] = field(default=())


_PSL_TABLE_FORMAT = 1
_psl_where: tuple[bool, Path | None] = (True, None)
"""Whether the parsed list is kept on disk, and in which cache folder (None: the default
one); set by ``use_cache_folder``."""


def use_cache_folder(folder: Path | None, *, enabled: bool = True) -> None:
    """Keep the parsed public suffix list in the run's cache ``folder`` (None: the default
    cache folder), or nowhere when the cache is off (``--no-cache`` neither reads nor
    writes). ``config.resolve`` calls it before any domain of the run is read."""
    global _psl_where
    if (enabled, folder) != _psl_where:
        _psl_where = (enabled, folder)
        _psl.cache_clear()


def _psl_table_path(psl_file: str, package_version: str) -> Path | None:
    """Where the parsed list is kept: the cache folder, keyed by the package's version and
    the list file's size and mtime (``publicsuffixlist-update`` rewrites the file)."""
    import os

    enabled, folder = _psl_where
    if not enabled:
        return None
    try:
        stat = os.stat(psl_file)
        if folder is None:
            from brandaudit.cache import default_cache_dir

            folder = default_cache_dir()
    except (OSError, RuntimeError):
        return None
    key = f"{package_version}-{stat.st_size}-{stat.st_mtime_ns}-v{_PSL_TABLE_FORMAT}"
    return folder / "psl" / f"{''.join(c if c.isalnum() or c in '.-' else '_' for c in key)}.bin"


def _load_psl_table(path: Path) -> tuple[frozenset[str], int] | None:
    import marshal

    try:
        data = marshal.loads(path.read_bytes())  # noqa: S302 - data only, validated below
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(data, tuple) and len(data) == 3 and data[0] == _PSL_TABLE_FORMAT):
        return None
    _, rules, maxlabel = data
    if not (isinstance(rules, frozenset) and isinstance(maxlabel, int)):
        return None
    if not all(type(rule) is str for rule in rules):
        return None
    return rules, maxlabel


def _store_psl_table(path: Path, rules: frozenset[str], maxlabel: int) -> None:
    """Write atomically (temp file, then rename); a failure only costs the next run a parse."""
    import contextlib
    import marshal
    import os
    import tempfile

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".psl-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps((_PSL_TABLE_FORMAT, rules, maxlabel)))
            os.replace(temp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    """The bundled public suffix list, parsed once per machine.

    Parsing the ~10,000 rules costs ~0.2 s; the parsed rule set is kept in the cache folder
    as a marshalled table (data only: marshal builds strings and a frozenset, it never runs
    code) and read back in a few milliseconds. A missing, unreadable or stale table is
    rebuilt; a failure to write it is ignored (the run parses, as before)."""
    import publicsuffixlist
    from publicsuffixlist import PublicSuffixList

    version = str(getattr(publicsuffixlist, "__version__", "0"))
    path = _psl_table_path(str(publicsuffixlist.PSLFILE), version)
    table = _load_psl_table(path) if path is not None else None
    if table is not None:
        psl = PublicSuffixList.__new__(PublicSuffixList)
        psl.accept_unknown = True
        psl._publicsuffix = table[0]
        psl._maxlabel = table[1]
        # The private fields are what the package's own parser sets; if a release renames
        # them, the check below fails and the list is parsed the documented way.
        try:
            if psl.is_public("co.uk") and psl.privatesuffix("a.b.co.uk") == "b.co.uk":
                return psl
        except (AttributeError, TypeError):
            pass
    psl = PublicSuffixList()
    rules = getattr(psl, "_publicsuffix", None)
    maxlabel = getattr(psl, "_maxlabel", None)
    if path is not None and isinstance(rules, frozenset) and isinstance(maxlabel, int):
        _store_psl_table(path, rules, maxlabel)
    return psl


def _show(text: str, limit: int = 60) -> str:
    """``repr`` of user input for an error message: one line, and short."""
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"


def _not_text(raw: str) -> bool:
    """True for strings that cannot be UTF-8 (lone surrogates: undecodable argv bytes)."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def strip_decorations(raw: str, changes: list[str]) -> str:
    """Remove what people paste around a domain: whitespace, a leading '@', a scheme, a path,
    query or fragment. Each change is described in ``changes``; never raises."""
    text = raw.strip()
    if text != raw:
        changes.append("removed surrounding whitespace")
    if text.startswith("@"):
        text = text.lstrip("@")
        changes.append("removed the leading '@'")
    match = _SCHEME.match(text)
    if match:
        changes.append(f"removed the scheme '{match.group(0)}'")
        text = text[match.end() :]
    for sep, what in (("/", "path"), ("?", "query"), ("#", "fragment")):
        if sep in text:
            text = text.split(sep, 1)[0]
            changes.append(f"removed the {what}")
    return text


def ascii_lowercase(text: str, changes: list[str]) -> str:
    """Lowercase, and an internationalised name to punycode (UTS 46).

    Raises ``idna.IDNAError`` or ``UnicodeError`` for a name IDNA refuses."""
    lowered = text.lower()
    if lowered != text and text.isascii():
        changes.append("lowercased")
    if lowered.isascii():
        return lowered
    ascii_form = idna.encode(lowered, uts46=True).decode("ascii")
    changes.append(f"converted the internationalised name to punycode ({ascii_form})")
    return ascii_form


def _strip(raw: str, changes: list[str]) -> str:
    text = strip_decorations(raw, changes)
    if any(ch.isspace() for ch in text):
        raise InputError(f"{_show(raw.strip())} is not a domain: it contains spaces")
    if "@" in text:
        raise InputError(f"{_show(raw)} is not a domain: it contains '@'")
    if ":" in text:
        host, _, port = text.rpartition(":")
        if port.isdigit() and host:
            text = host
            changes.append("removed the port")
    if text.endswith("."):
        text = text.rstrip(".")
        changes.append("removed the trailing dot")
    return text


def normalise_domain(raw: str) -> NormalisedDomain:
    """Normalise user input to a lowercase ASCII domain, or raise ``InputError``.

    Accepts ``@acme.com``, ``https://Acme.com/path``, ``acme.com.`` and IDNs (converted to
    punycode); refuses anything that is not a hostname with at least two labels.
    """
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in raw):
        raise InputError(f"{_show(raw)} is not a domain: it contains control characters")
    if _not_text(raw):
        raise InputError(f"{_show(raw)} is not a domain: it contains bytes that are not UTF-8")
    if len(raw) > 4 * MAX_DOMAIN_LENGTH:
        raise InputError("domain is too long (more than 253 characters)")
    changes: list[str] = []
    text = _strip(raw, changes)
    if not text:
        raise InputError(f"{_show(raw)} is not a domain: it is empty")
    try:
        lowered = ascii_lowercase(text, changes)
    except (idna.IDNAError, UnicodeError) as exc:
        raise InputError(f"{_show(raw)} is not a valid internationalised domain: {exc}") from None
    problem = domain_syntax_problem(lowered)
    if problem:
        raise InputError(f"{_show(raw.strip())} is not a domain: {problem}")
    # One list for everything (parsing it costs ~0.1 s): its private section counts too, so
    # 'github.io' is refused like 'co.uk', and 'acme.github.io' is a domain of its own.
    if _psl().is_public(lowered):
        raise InputError(
            f"{_show(raw.strip())} is a public suffix (like 'com', 'co.uk' or 'github.io'), "
            "not a domain anyone registers; give the brand's own domain"
        )
    return NormalisedDomain(value=lowered, original=raw, changes=tuple(changes))


def domain_syntax_problem(domain: str) -> str | None:
    """Return why ``domain`` is not a valid host name, or None: the one syntax rule ``check``
    (brand domains) and ``bluesky`` (handles, ``bluesky.syntax.handle_problem``) share.

    It is atproto's handle syntax (atproto.com/specs/handle; the interop vectors in
    tests/bluesky/interop): at most 253 characters, two or more labels of 1-63 letters, digits
    and '-', no label starting or ending with '-', the last starting with a letter. An
    ``xn--`` label is not decoded: the syntax takes any such label (``xn--stackoverflow.com``
    and ``stackoverflow.xn--com`` are valid vectors), and Bluesky resolves what DNS and the
    website serve for it, so ``check`` refuses no name ``bluesky`` accepts."""
    if len(domain) > MAX_DOMAIN_LENGTH:
        return f"it is {len(domain)} characters long; the limit is {MAX_DOMAIN_LENGTH}"
    labels = domain.split(".")
    if len(labels) < 2:
        return "it needs at least two parts, like 'acme.com'"
    for label in labels:
        if not label:
            return "it contains an empty part ('..' or a leading dot)"
        if len(label) > 63:
            return f"the part '{label[:20]}…' is {len(label)} characters long; the limit is 63"
        if not _LABEL.match(label):
            bad = sorted({ch for ch in label if not (ch.isascii() and (ch.isalnum() or ch == "-"))})
            if bad:
                shown = ", ".join(
                    f"'{ch}'" if ch.isprintable() and ch != " " else repr(ch) for ch in bad
                )
                return (
                    f"the part '{label}' contains {shown} (only letters, digits and '-' are "
                    "allowed)"
                )
            return f"the part '{label}' starts or ends with '-'"
    if not labels[-1][0].isalpha():
        return f"the last part ('{labels[-1]}') must start with a letter"
    return None


def registrable_domain(domain: str) -> str:
    """``team.acme.co.uk`` -> ``acme.co.uk`` (the zone a registrar sells), by the bundled PSL."""
    private = _psl().privatesuffix(domain)
    return private if private else domain


def public_suffix(domain: str) -> str:
    suffix = _psl().publicsuffix(domain)
    return suffix if suffix else domain.rsplit(".", 1)[-1]


def derive_handle(domain: str) -> str:
    """The brand's natural handle: the registrable label. ``acme.co.uk`` -> ``acme``."""
    zone = registrable_domain(domain)
    suffix = public_suffix(domain)
    label = zone[: -len(suffix) - 1] if zone.endswith("." + suffix) else zone.split(".")[0]
    label = label.rsplit(".", 1)[-1]
    if label.startswith("xn--"):
        try:
            return idna.decode(label)
        except idna.IDNAError:
            return label
    return label


_HANDLE_FORBIDDEN = re.compile(r"[\x00-\x20\x7f/\\?#%:]")


def clean_handle(raw: str) -> str:
    """Validate a user-given handle: strip a leading '@' and whitespace, refuse separators.

    Platform-specific rules are checked by each adapter; this only refuses what no
    platform accepts and what could steer a URL (``/``, ``?``, ``#``, ``%``, spaces).
    """
    if _not_text(raw):
        raise InputError(f"handle {_show(raw)} contains bytes that are not UTF-8")
    text = raw.strip()
    if text.startswith("@"):
        text = text[1:]
    if not text:
        raise InputError(f"handle {_show(raw)} is empty")
    if len(text) > 100:
        raise InputError(f"handle {_show(text, 30)} is longer than 100 characters")
    bad = _HANDLE_FORBIDDEN.search(text)
    if bad:
        raise InputError(
            f"handle {_show(text)} contains {bad.group(0)!r}, which no platform allows"
        )
    for ch in text:
        if unicodedata.category(ch)[0] in {"C", "Z"}:
            what = "a space" if ch.isspace() else f"the invisible character U+{ord(ch):04X}"
            raise InputError(f"handle {_show(text)} contains {what}, which no platform allows")
    if text.startswith("@"):
        raise InputError(f"handle {_show(raw)} starts with more than one '@'")
    if not text.strip("."):
        raise InputError(f"handle {_show(text)} is only dots, which would be a path, not a name")
    return text
