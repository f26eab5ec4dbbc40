"""The look-alike watch: accounts and domains that imitate the brand's name, classified.

``variants`` builds the look-alike names of the brand's handle (affixes such as
``acme_official`` and ``acmesupport``, then one-edit typos, separator forms, keyboard slips
and bit flips), in that order and at most ``max_variants``; each platform keeps those its
handle rule allows, and the ``domain`` platform adds the brand's name under other TLDs. ``watch``
checks them through the same runner, network core and ownership machinery as ``check``, and
``classify`` reads each held one:

- **yours**: the brand's website links it, ``[claims]`` names it, or the platform proves it
  (a link it verified, the Bluesky handle that is the domain, a valid Bluesky verification
  the brand's account issued); a look-alike domain the brand's site links, or whose homepage
  redirects to or links the brand's site (shared nameservers alone are not enough);
- **suspect**: held, not linked to the brand, and its name, bio or links use the brand's name
  or site (quoted in ``matched``); a look-alike domain registered in the last
  ``RECENT_DAYS`` days, or whose page title uses the brand's name;
- **unrelated**: held, and nothing in it points at the brand.

An account the brand links to is never a suspect. What a stranger wrote reaches the findings
only through the model, whose validators run ``redact.clean_text`` on every string, and each
quote is cut to ``MAX_QUOTE`` characters.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from brandaudit.handles import derive_handle
from brandaudit.model import (
    Brand,
    HandleSource,
    LookalikeClass,
    LookalikeFinding,
    Lookalikes,
    LookalikeUndecided,
    OwnershipStatus,
    PlatformResult,
    Report,
    Status,
    ToolInfo,
)
from brandaudit.rdap import SAME_NAMESERVERS
from brandaudit.redact import clean_text

if TYPE_CHECKING:
    from brandaudit.cache import HttpCache
    from brandaudit.config import Settings
    from brandaudit.jobs import Job
    from brandaudit.net.client import NetClient
    from brandaudit.net.dns import DnsClient
    from brandaudit.platforms.base import Adapter

DEFAULT_MAX_VARIANTS = 40
MAX_VARIANTS = 400
RECENT_DAYS = 90
MAX_QUOTE = 120
AFFIXES: tuple[str, ...] = (
    "{h}official",
    "{h}_official",
    "{h}-official",
    "{h}hq",
    "{h}_hq",
    "{h}-hq",
    "the{h}",
    "real{h}",
    "get{h}",
    "{h}app",
    "{h}support",
    "{h}help",
    "{h}team",
    "{h}.official",
    "{h}.hq",
    "{h}_support",
    "{h}-support",
)
HOMOGLYPHS: Mapping[str, str] = {"o": "0", "0": "o", "l": "1", "1": "l", "i": "1"}
_QWERTY = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
"""Keyboard rows, for one-key slips ("replacement": acme -> scme, acne)."""
_DNS_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def _neighbours(ch: str) -> list[str]:
    """The keys left and right of ``ch`` on a QWERTY keyboard."""
    for row in _QWERTY:
        at = row.find(ch)
        if at >= 0:
            return [row[i] for i in (at - 1, at + 1) if 0 <= i < len(row)]
    return []


_SEPARATORS = "._-"
NOT_NAMES = frozenset({"discord-invite", "whatsapp-channel"})
"""Platforms whose "handles" are codes or links, not names someone could imitate."""
_CLASS_ORDER = {LookalikeClass.SUSPECT: 0, LookalikeClass.UNRELATED: 1, LookalikeClass.YOURS: 2}


@dataclass(frozen=True, slots=True)
class Judging:
    """What every look-alike of one brand is classified against."""

    brand: Brand
    names: Sequence[str]
    """The brand's name as it could appear in a bio (``brand_names``)."""
    claims: Mapping[str, str]
    declared: frozenset[tuple[str, str]]
    """The profiles the brand's website links, by ``ownership.assess.profile_key`` (one key
    for every spelling of an account: ``acme`` and ``acme.bsky.social``)."""
    adapters: Mapping[str, Adapter]
    now: datetime
    brand_did: str | None = None

    def claims_it(self, result: PlatformResult) -> bool:
        """Whether ``[claims]`` names this account (any spelling of it)."""
        from brandaudit.ownership.assess import profile_key

        claimed = self.claims.get(result.platform)
        key = profile_key(result.platform, result.handle, self.adapters)
        return claimed is not None and profile_key(result.platform, claimed, self.adapters) == key

    def links(self, result: PlatformResult) -> bool:
        """Whether the brand's website links this account."""
        from brandaudit.ownership.assess import profile_key

        return profile_key(result.platform, result.handle, self.adapters) in self.declared


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    kind: str
    """affix, homoglyph, omission, repetition, transposition, separator, replacement,
    bitflip; for domains also tld-swap"""


def _affixes(base: str) -> Iterator[tuple[str, str]]:
    for pattern in AFFIXES:
        yield pattern.format(h=base), "separator" if "." in pattern else "affix"


def _homoglyphs(base: str) -> Iterator[tuple[str, str]]:
    for i, ch in enumerate(base):
        if ch in HOMOGLYPHS:
            yield base[:i] + HOMOGLYPHS[ch] + base[i + 1 :], "homoglyph"


def _one_edit(base: str) -> Iterator[tuple[str, str]]:
    """A letter dropped, doubled, or swapped with the next."""
    if len(base) > 2:
        for i in range(len(base)):
            yield base[:i] + base[i + 1 :], "omission"
    for i, ch in enumerate(base):
        yield base[: i + 1] + ch + base[i + 1 :], "repetition"
    for i in range(len(base) - 1):
        if base[i] != base[i + 1]:
            yield base[:i] + base[i + 1] + base[i] + base[i + 2 :], "transposition"


def _separated(base: str) -> Iterator[tuple[str, str]]:
    for i in range(1, len(base)):
        for sep in _SEPARATORS:
            yield base[:i] + sep + base[i:], "separator"


def _slips(base: str) -> Iterator[tuple[str, str]]:
    """A neighbouring key (replacement), then one flipped bit in memory or on the wire
    (bitflip: acme -> aame, qcme), kept only where the result is a DNS character."""
    for i, ch in enumerate(base):
        for key in _neighbours(ch):
            yield base[:i] + key + base[i + 1 :], "replacement"
    for i, ch in enumerate(base):
        for bit in range(8):
            flipped = chr(ord(ch) ^ (1 << bit))
            if flipped in _DNS_CHARS:
                yield base[:i] + flipped + base[i + 1 :], "bitflip"


_GENERATORS: tuple[Callable[[str], Iterator[tuple[str, str]]], ...] = (
    _affixes,
    _homoglyphs,
    _one_edit,
    _separated,
    _slips,
)
"""In order: the common impersonation forms first, so a small ``--max-variants`` keeps them."""


def variants(handle: str, limit: int = DEFAULT_MAX_VARIANTS) -> list[Variant]:
    """Look-alike names of ``handle``, most common impersonation forms first, at most
    ``limit`` (never the handle itself). The generators are lazy: at most ``limit`` names
    are kept, and a handle is at most 100 characters (``handles.clean_handle``)."""
    base = handle.strip().lstrip("@").lower()
    limit = max(1, min(limit, MAX_VARIANTS))
    out: dict[str, Variant] = {}
    for generate in _GENERATORS:
        for name, kind in generate(base):
            if len(out) >= limit:
                return list(out.values())
            if name and name != base and name not in out:
                out[name] = Variant(name, kind)
    return list(out.values())


def plan(
    found: Sequence[Variant], adapters: Sequence[Adapter], domain: str
) -> list[tuple[Adapter, str, Variant]]:
    """(adapter, handle, variant) for every variant a platform's handle rule allows; for the
    ``domain`` platform, ``<variant>.<the brand's suffix>`` where the variant is a DNS label."""
    from brandaudit.handles import public_suffix
    from brandaudit.platforms.builtin.domain import DomainAdapter, tlds_for

    suffix = public_suffix(domain)
    out: list[tuple[Adapter, str, Variant]] = []
    label = derive_handle(domain)
    for each in adapters:
        if each.id in NOT_NAMES:
            continue
        adapter = _for_lookalikes(each)
        seen: set[str] = set()
        for variant in found:
            name = variant.name
            if adapter.id == "domain":
                if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", name):
                    continue
                name = f"{name}.{suffix}"
            handle = adapter.normalise_handle(name)
            if isinstance(adapter, DomainAdapter):
                adapter.note_brand(handle, domain)
            if handle in seen or adapter.handle_problem(handle) is not None:
                continue
            if adapter.id == "bluesky" and "." in handle:
                continue  # a dotted Bluesky handle is a domain handle, not a name to register
            seen.add(handle)
            out.append((adapter, handle, variant))
        if isinstance(adapter, DomainAdapter) and label.isascii():
            # The brand's own name under other TLDs (acme.net, acme.io): the TLD swaps.
            for tld in tlds_for(domain, adapter.tlds)[1:]:
                handle = adapter.normalise_handle(f"{label}.{tld}")
                if handle not in seen and adapter.handle_problem(handle) is None:
                    seen.add(handle)
                    adapter.note_brand(handle, domain)
                    out.append((adapter, handle, Variant(f"{label}.{tld}", "tld-swap")))
    return out


def _for_lookalikes(adapter: Adapter) -> Adapter:
    """The adapter to check look-alikes with: the ``domain`` platform asks DNS first."""
    from brandaudit.platforms.builtin.domain import DomainAdapter

    return adapter.for_lookalikes() if isinstance(adapter, DomainAdapter) else adapter


def brand_names(domain: str, name: str | None) -> list[str]:
    """The brand's name as it could appear in a bio: folded bases of at least 3 letters."""
    from brandaudit.variants import bases

    return [b for b in bases(domain, name) if len(b) >= 3]


def _quote(text: str, start: int, end: int) -> str:
    left = max(0, start - 40)
    right = min(len(text), end + 40)
    snippet = " ".join(clean_text(text[left:right]).split())
    snippet = snippet[:MAX_QUOTE]
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def uses_brand(result: PlatformResult, names: Sequence[str], domain: str) -> str | None:
    """What in the account's name, bio or links uses the brand (quoted), or None."""
    from brandaudit.hosts import url_points_to

    profile = result.profile
    if profile is None:
        return None
    for where, text in (("name", profile.display_name), ("bio", profile.description)):
        if not text:
            continue
        bounded = text[:4000]
        for brand in names:
            pattern = r"[\s._-]?".join(re.escape(ch) for ch in brand)
            match = re.search(pattern, bounded, re.IGNORECASE)
            if match:
                return f'{where}: "{_quote(bounded, match.start(), match.end())}"'
    for url in profile.links[:50]:
        if url_points_to(url, domain):
            return f"links to {domain}: {url[:MAX_QUOTE]}"
    return None


def classify(
    result: PlatformResult,
    variant: Variant,
    judging: Judging,
    registered: datetime | None = None,
) -> LookalikeFinding:
    """The classification of one held look-alike (see the module docstring)."""
    brand, names = judging.brand, judging.names
    now, brand_did = judging.now, judging.brand_did
    own = result.ownership
    reasons: list[str] = []
    matched: str | None = None
    if own is not None:
        reasons.append(f"ownership: {own.status.value} ({own.reason})")
    claimed_by_config = judging.claims_it(result)
    if result.platform == "domain":
        kind = _domain_class(result, registered, reasons, now, names)
        matched = reasons[0] if kind is LookalikeClass.SUSPECT else None
        reasons.append(result.reason)  # the registry's words: registrar, dates, DNS, mail
    elif (
        (own is not None and own.status is OwnershipStatus.VERIFIED)
        or judging.links(result)
        or claimed_by_config
        or _verified_by_brand(result, brand_did)
    ):
        kind = LookalikeClass.YOURS
        if _verified_by_brand(result, brand_did):
            reasons.insert(0, f"the brand's Bluesky account ({brand_did}) verified it")
        if judging.links(result):
            reasons.insert(0, f"{brand.domain} links to it")
        if claimed_by_config:
            reasons.insert(0, f"[claims] {result.platform} names it")
    else:
        matched = uses_brand(result, names, brand.domain)
        if matched is not None:
            kind = LookalikeClass.SUSPECT
            reasons.insert(0, f"not linked from {brand.domain}, and it uses the brand: {matched}")
        else:
            kind = LookalikeClass.UNRELATED
            reasons.insert(0, "held, and nothing in its name, bio or links points at the brand")
    return LookalikeFinding(
        platform=result.platform,
        platform_name=result.platform_name,
        handle=result.handle,
        variant_kind=variant.kind,
        status=result.status,
        classification=kind,
        url=result.url,
        matched=matched,
        registered=registered,
        reasons=tuple(reasons),
        evidence=result.evidence,
    )


def _verified_by_brand(result: PlatformResult, brand_did: str | None) -> bool:
    """A Bluesky verification the brand's account issued, shown valid by the AppView."""
    profile = result.profile
    return brand_did is not None and profile is not None and brand_did in profile.verified_by


def _domain_class(
    result: PlatformResult,
    registered: datetime | None,
    reasons: list[str],
    now: datetime,
    names: Sequence[str],
) -> LookalikeClass:
    """A held look-alike domain: yours when its homepage redirects to or links the brand;
    suspect when registered in the last ``RECENT_DAYS`` days or its page's title uses the
    brand's name; else unrelated. Shared nameservers alone never make it yours: a phishing
    domain on the brand's DNS host (or a big shared one) would pass."""
    own = result.ownership
    shared_dns = own is not None and own.reason.startswith(SAME_NAMESERVERS)
    owned = own is not None and own.status in {OwnershipStatus.VERIFIED, OwnershipStatus.LINKED}
    if own is not None and owned and not shared_dns:
        reasons.insert(0, own.reason)
        return LookalikeClass.YOURS
    kind = LookalikeClass.UNRELATED
    if registered is not None:
        age = (now - registered).days
        if age <= RECENT_DAYS:
            reasons.insert(
                0,
                f"registered {registered.date().isoformat()}, {age} days ago: a recently "
                "registered look-alike is the classic phishing signal",
            )
            kind = LookalikeClass.SUSPECT
        else:
            reasons.append(f"registered {registered.date().isoformat()} ({age} days ago)")
    profile = result.profile
    title = profile.display_name if profile is not None else None
    if title:
        for brand in names:
            found = re.search(re.escape(brand), title[:400], re.IGNORECASE)
            if found:
                reasons.insert(
                    0, f'its page uses the brand: title "{_quote(title, *found.span())}"'
                )
                kind = LookalikeClass.SUSPECT
                break
    if kind is LookalikeClass.UNRELATED:
        reasons.insert(0, "registered, not linked to the brand")
    return kind


@dataclass(frozen=True, slots=True)
class Tally:
    variants: int
    """Look-alike names generated."""
    brand_handle: str
    now: datetime
    """The run's clock (``Report.generated_at``), for registration ages."""
    brand_did: str | None = None
    """The brand's Bluesky DID (its verified domain handle, else ``_atproto.<domain>``)."""


def summarise(
    brand: Brand,
    planned: Sequence[tuple[Adapter, str, Variant]],
    names: Sequence[str],
    claims: Mapping[str, str],
    tally: Tally,
    registrations: Mapping[str, datetime],
) -> Lookalikes:
    """The watch's section for ``brand``, whose platforms are the checked look-alikes with
    ownership applied."""
    from brandaudit.ownership.assess import profile_key
    from brandaudit.platforms.builtin.domain import NXDOMAIN_SIGNAL

    by_id = {a.id: a for a, _, _ in planned}
    declared = frozenset(profile_key(d.platform, d.handle, by_id) for d in brand.declared_profiles)
    judging = Judging(brand, names, claims, declared, by_id, tally.now, tally.brand_did)
    kinds = {(a.id, h): v for a, h, v in planned}
    findings: list[LookalikeFinding] = []
    undecided: list[LookalikeUndecided] = []

    free = not_in_dns = 0
    for result in brand.platforms:
        variant = kinds.get((result.platform, result.handle))
        if variant is None:
            continue
        if result.status in {Status.CLAIMED, Status.SUSPENDED}:
            findings.append(classify(result, variant, judging, registrations.get(result.handle)))
        elif result.status is Status.AVAILABLE:
            free += 1
        elif result.evidence and result.evidence[-1].signal == NXDOMAIN_SIGNAL:
            not_in_dns += 1
        elif result.status is Status.UNKNOWN:
            undecided.append(
                LookalikeUndecided(
                    platform=result.platform, handle=result.handle, reason=result.reason
                )
            )
    findings.sort(key=lambda f: (_CLASS_ORDER[f.classification], f.platform, f.handle))
    return Lookalikes(
        brand_handle=tally.brand_handle,
        platforms=tuple(dict.fromkeys(a.id for a, _, _ in planned)),
        variants=tally.variants,
        checks=len(planned),
        findings=tuple(findings),
        free=free,
        not_in_dns=not_in_dns,
        undecided=tuple(undecided),
    )


async def watch(
    brand: Brand,
    adapters: Sequence[Adapter],
    settings: Settings,
    net: NetClient,
    run_one: Callable[[Job], Awaitable[PlatformResult]],
    *,
    max_variants: int,
    now: datetime,
    dns: DnsClient | None = None,
) -> Brand:
    """``brand`` with its look-alike section: the variants checked on ``adapters``, ownership
    applied with the brand's website and ``[claims]``. The website is read here unless
    ``brand`` already carries it (``check --lookalikes``) or ``[brand] discover`` is off."""
    from brandaudit import ownership
    from brandaudit.jobs import Job

    handle = brand.handles[0] if brand.handles else derive_handle(brand.domain)
    found_variants = variants(handle, max_variants)
    planned = plan(found_variants, adapters, brand.domain)
    jobs = [Job(adapter, h, HandleSource.DERIVED) for adapter, h, _ in planned]
    discovery, declared = brand.discovery, brand.declared_profiles
    if discovery is None:
        results, found = await ownership.gather_with_discovery(
            brand.domain, settings.brand.discover, jobs, adapters, net, run_one
        )
        results = results[: len(jobs)]  # the brand's own declared profiles are no look-alikes
        discovery, declared = found.discovery, tuple(found.declared)
    else:
        results = list(await asyncio.gather(*(run_one(job) for job in jobs)))
    by_id = {a.id: a for a in adapters}
    checked = brand.model_copy(update={"platforms": tuple(results)})
    owned = ownership.apply(checked, discovery, declared, by_id, settings.claims)
    section = summarise(
        owned,
        planned,
        brand_names(brand.domain, brand.name),
        settings.claims,
        Tally(len(found_variants), handle, now, await _brand_did(brand, adapters, dns)),
        _registrations(adapters),
    )
    # Only the section: the brand's own results, discovery and its findings stay the check's
    # (``ownership.apply`` over the look-alikes would recompute the findings from them).
    return brand.model_copy(update={"lookalikes": section})


async def _brand_did(
    brand: Brand, adapters: Sequence[Adapter], dns: DnsClient | None
) -> str | None:
    """The brand's Bluesky DID, when Bluesky is watched: its verified domain handle's, else
    the one ``_atproto.<domain>`` names (only the domain's owner can set that record)."""
    from brandaudit.model import BlueskyStatus

    if not any(a.id == "bluesky" for a in adapters):
        return None
    checked = brand.bluesky_domain
    if checked is not None and checked.status is BlueskyStatus.VERIFIED and checked.did:
        return checked.did
    if dns is None:
        return None
    answer = await dns.query(f"_atproto.{brand.domain}", "TXT")
    dids = [r[4:].strip() for r in answer.records if r.startswith("did=did:")]
    return dids[0] if len(dids) == 1 and len(dids[0]) <= 200 else None


def _registrations(adapters: Iterable[Adapter]) -> dict[str, datetime]:
    """Registration dates the ``domain`` adapter read from RDAP in this run, by domain."""
    for adapter in adapters:
        records = getattr(adapter, "records", None)
        if adapter.id == "domain" and isinstance(records, dict):
            return {
                name: record.registered
                for name, record in records.items()
                if record.registered is not None
            }
    return {}


@dataclass(frozen=True, slots=True)
class WatchRun:
    """What ``run_watch`` found, with the requests it made."""

    report: Report
    requests: int


async def run_watch(
    domain: str,
    adapters: Sequence[Adapter],
    settings: Settings,
    *,
    max_variants: int,
    handle: str | None = None,
    name: str | None = None,
    cache: HttpCache | None = None,
    now: datetime | None = None,
) -> WatchRun:
    """``brandaudit lookalikes``: one client, every look-alike check under its deadline (an
    exception or overrun is ``unknown``, as in ``check``), the website read for ownership."""
    from datetime import UTC

    from brandaudit import __version__
    from brandaudit.jobs import run_job
    from brandaudit.net.session import open_clients

    when = now or datetime.now(UTC)
    brand = Brand(
        domain=domain,
        name=name or settings.brand.name,
        handles=(handle or derive_handle(domain),),
    )
    planned = planned_checks(domain, adapters, max_variants, handle)
    async with open_clients(settings, planned=planned, cache=cache) as clients:
        net, dns = clients.net, clients.dns

        async def one(job: Job) -> PlatformResult:
            return await run_job(job, net, dns, settings)

        watched = await watch(
            brand,
            adapters,
            settings,
            net,
            one,
            max_variants=max_variants,
            now=when,
            dns=dns,
        )
        requests = net.request_count
    report = Report(tool=ToolInfo(version=__version__), generated_at=when, brands=(watched,))
    return WatchRun(report, requests)


def planned_checks(
    domain: str, adapters: Sequence[Adapter], max_variants: int, handle: str | None = None
) -> int:
    """How many checks a watch will make (said before a long run)."""
    return len(plan(variants(handle or derive_handle(domain), max_variants), adapters, domain))


def has_suspects(report: Report) -> bool:
    return any(
        f.classification is LookalikeClass.SUSPECT
        for b in report.brands
        if b.lookalikes is not None
        for f in b.lookalikes.findings
    )
