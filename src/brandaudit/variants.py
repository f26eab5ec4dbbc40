"""Candidate handles for a brand, and which one covers the most platforms (``suggest``).

Pure functions: ``candidate_handles`` builds variants from the domain and brand name in order
of preference (the plain name first, then the usual brand forms: ``acmehq``, ``getacme``...);
``for_platform`` keeps those a platform's handle rule allows; ``rank`` orders checked
variants by how many platforms they are *positively* free on (then fewer platforms taken,
then shorter and simpler). Unknown answers are never counted as free.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from brandaudit.handles import derive_handle, normalise_domain
from brandaudit.model import PlatformResult, Status
from brandaudit.platforms.base import Adapter

DEFAULT_MAX_VARIANTS = 10
MAX_VARIANTS = 40
# Brand-name forms, most conventional first. {b} is the base name.
PATTERNS: tuple[str, ...] = (
    "{b}",
    "{b}hq",
    "{b}inc",
    "get{b}",
    "{b}app",
    "{b}_official",
    "{b}.official",
    "{b}official",
    "the{b}",
    "join{b}",
    "{b}-hq",
    "{b}_hq",
    "try{b}",
    "use{b}",
    "{b}team",
    "hello{b}",
    "{b}co",
    "{b}-official",
)
_CORPORATE = frozenset(
    {"inc", "llc", "ltd", "limited", "gmbh", "ag", "sa", "sas", "srl", "bv", "plc", "corp", "co"}
)
_SEPARATORS = re.compile(r"[-_.]")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def fold(text: str) -> str:
    """Lowercase ASCII letters and digits only: ``Bücher`` -> ``bucher``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def _words(name: str) -> list[str]:
    words = [fold(w) for w in re.split(r"[\s\-_.,&/+'’]+", name)]
    words = [w for w in words if w]
    while len(words) > 1 and words[-1] in _CORPORATE:
        words.pop()
    return words


def bases(domain: str, name: str | None = None) -> list[str]:
    """The base names a brand could use: from the domain (``acme-corp.co.uk`` ->
    ``acme-corp``, ``acmecorp``) and from its name (``Acme Widgets Inc.`` -> ``acmewidgets``)."""
    found: list[str] = []

    def add(value: str) -> None:
        if value and value not in found:
            found.append(value)

    label = derive_handle(normalise_domain(domain).value)
    parts = [fold(p) for p in label.split("-")]
    parts = [p for p in parts if p]
    add("".join(parts))
    if len(parts) > 1:
        add("-".join(parts))
        add("_".join(parts))
    if name:
        words = _words(name)
        add("".join(words))
        if len(words) > 1:
            add("_".join(words))
    return found


def candidate_handles(
    domain: str, name: str | None = None, limit: int = DEFAULT_MAX_VARIANTS
) -> list[str]:
    """Variants in order of preference, at most ``limit`` (each base's plain form first)."""
    limit = max(1, min(limit, MAX_VARIANTS))
    names = bases(domain, name)
    out: list[str] = []
    for pattern in PATTERNS:
        for base in names if pattern == "{b}" else names[:1]:
            value = pattern.format(b=base)
            if value not in out:
                out.append(value)
    return out[:limit]


def for_platform(variants: Iterable[str], adapter: Adapter) -> tuple[list[str], dict[str, str]]:
    """The variants ``adapter``'s handle rule allows, and why each other one is not allowed."""
    allowed: list[str] = []
    refused: dict[str, str] = {}
    for variant in variants:
        handle = adapter.normalise_handle(variant)
        problem = adapter.handle_problem(handle)
        if problem is None and adapter.id == "bluesky" and "." in handle:
            # A dotted Bluesky handle is a domain handle, not a name to register.
            problem = "a name with a dot is a domain handle on Bluesky"
        if problem is None:
            if handle not in allowed:
                allowed.append(handle)
        else:
            refused[variant] = problem
    return allowed, refused


class Coverage(_Frozen):
    """How one variant fared across the platforms."""

    handle: str
    free_on: tuple[str, ...] = Field(description="Platforms that said the name is available.")
    taken_on: tuple[str, ...] = Field(description="Claimed, reserved or suspended there.")
    unknown_on: tuple[str, ...] = Field(description="Undecided: never counted as free.")
    not_allowed_on: tuple[str, ...] = Field(description="The platform's handle rule refuses it.")


def simplicity(handle: str, preference: int) -> tuple[int, int, int]:
    """Shorter first, then fewer separators, then the order the variants were generated in."""
    return len(handle), len(_SEPARATORS.findall(handle)), preference


def coverage(
    variants: Sequence[str],
    platforms: Sequence[str],
    results: Iterable[PlatformResult],
    refused: dict[str, dict[str, str]],
    normalise: dict[str, dict[str, str]],
) -> list[Coverage]:
    """Per variant: where it is free, taken, unknown or not allowed.

    ``refused[platform][variant]`` is the rule problem; ``normalise[platform][variant]`` the
    handle actually checked there (platforms lowercase, strip '@'...).
    """
    by_key = {(r.platform, r.handle): r for r in results}
    out: list[Coverage] = []
    for variant in variants:
        free: list[str] = []
        taken: list[str] = []
        unknown: list[str] = []
        not_allowed: list[str] = []
        for platform in platforms:
            if variant in refused.get(platform, {}):
                not_allowed.append(platform)
                continue
            handle = normalise.get(platform, {}).get(variant, variant)
            result = by_key.get((platform, handle))
            if result is None or result.status is Status.UNKNOWN:
                unknown.append(platform)
            elif result.status is Status.AVAILABLE:
                free.append(platform)
            elif result.status in {Status.INVALID, Status.NOT_APPLICABLE}:
                not_allowed.append(platform)
            else:
                taken.append(platform)
        out.append(
            Coverage(
                handle=variant,
                free_on=tuple(free),
                taken_on=tuple(taken),
                unknown_on=tuple(unknown),
                not_allowed_on=tuple(not_allowed),
            )
        )
    return out


def rank(covered: Sequence[Coverage]) -> list[Coverage]:
    """Most platforms positively free first; among equals, the one taken on fewer platforms
    (an unknown may still be free, a taken name is not), then the shorter, simpler, earlier."""
    order = {c.handle: i for i, c in enumerate(covered)}
    return sorted(
        covered,
        key=lambda c: (-len(c.free_on), len(c.taken_on), *simplicity(c.handle, order[c.handle])),
    )
