"""The brand's name as a domain in other TLDs (``acme.io``, ``acme.net``...), through RDAP.

On Bluesky a domain *is* a handle, so ``acme.io`` in someone else's hands is a look-alike
handle too. The "handles" of this platform are ``<name>.<tld>`` for the brand's own TLD, its
country TLD and ``[domains] tlds`` (default ``com net org io co app ai``).

It runs when selected (``-p domain``), when the config has a ``[domains]`` table, or for a
``[claims] domain``: each name costs a request to a registry, and registries rate-limit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from brandaudit.config import DEFAULT_TLDS
from brandaudit.model import Cause, Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.verdicts import no_verdict
from brandaudit.rdap import (
    NO_RDAP_SERVICE,
    SAME_NAMESERVERS,
    Bootstrap,
    DomainRecord,
    Registration,
    lookup,
)

if TYPE_CHECKING:
    from brandaudit.config import Settings

# --- signals -----------------------------------------------------------------------------
# Evidence: RFC 9224 (IANA's bootstrap, https://data.iana.org/rdap/dns.json, names the RDAP
# server of each TLD); RFC 9082 §3.1.3 (GET <base>/domain/<name>); RFC 9083 §5.3 (the domain
# object: objectClassName "domain", ldhName, events "registration"/"expiration", entities with
# the role "registrar", nameservers) and §6 (404 = the server has no such object). ICANN's
# gTLD RDAP profile (2024) makes RDAP mandatory for every gTLD registry; ccTLDs are optional,
# hence "no RDAP service for .x" as unknown.
MAX_HOMEPAGE_BYTES = 256 * 1024
MAX_HOMEPAGE_LINKS = 40
MAX_RECORDS = 10_000
_TITLE = re.compile(r"<title[^>]{0,200}>([^<]{0,400})", re.IGNORECASE)
# -----------------------------------------------------------------------------------------


def suffix_of(domain: str) -> str:
    """The brand's own public suffix: ``acme.co.uk`` -> ``co.uk``."""
    from brandaudit.handles import public_suffix

    return public_suffix(domain)


def tlds_for(domain: str, configured: tuple[str, ...]) -> list[str]:
    """The brand's own suffix, then its country TLD (when it has one), then ``configured``."""
    own = suffix_of(domain)
    out = [own]
    country = own.rsplit(".", 1)[-1]
    if len(country) == 2 and country not in out:
        out.append(country)
    out.extend(t for t in configured if t not in out)
    return out


class DomainAdapter(Adapter):
    id = "domain"
    name = "Domain"
    methods = (Method.OFFICIAL_API,)
    rule = HandleRule(
        r"(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?",
        "a domain name: labels of letters, digits and inner hyphens, joined by dots (e.g. acme.io)",
    )
    profile_template = "https://{handle}/"
    canary = "example.com"
    canary_source = "IANA's reserved example domain (RFC 2606), registered at Verisign's .com"
    says_available = True
    tlds: tuple[str, ...] = DEFAULT_TLDS
    default_run: bool = False
    bootstrap: Bootstrap
    records: dict[str, DomainRecord]
    """What RDAP said of each registered name this run (the look-alike watch reads the
    registration dates); at most ``MAX_RECORDS``."""

    brand_of: dict[str, str]
    """Name checked -> the brand domain it is checked for (``handles_for``, the watch)."""

    def __init__(self) -> None:
        self.bootstrap = Bootstrap()
        self.records = {}
        self.brand_of = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> Adapter:
        adapter = cls()
        if settings.domains is not None:
            adapter.tlds = tuple(settings.domains.tlds)
        adapter.default_run = settings.domains is not None or "domain" in settings.claims
        return adapter

    def in_default_run(self) -> bool:
        return self.default_run

    def for_lookalikes(self) -> DomainAdapter:
        """The adapter the look-alike watch checks domains with (DNS first)."""
        return LookalikeDomainAdapter(self)

    def normalise_handle(self, handle: str) -> str:
        """Lowercase, no trailing dot; a bare name is read as ``<name>.com`` (selfcheck's
        random name, a ``[claims] domain = "acme"``)."""
        text = handle.strip().lstrip("@").rstrip(".").lower()
        return text if "." in text or not text else f"{text}.com"

    def profile_url(self, handle: str) -> str:
        """The name's own site; for text that is not a domain name (nothing can steer a URL
        with it), IANA's WHOIS page with the text as an encoded query value."""
        if self.rule.problem(handle) is None:
            return f"https://{handle.lower()}/"
        return f"https://www.iana.org/whois?q={q(handle)}"

    def handles_for(self, domain: str, handle: str) -> list[str]:
        label = handle if handle.isascii() else _punycode(handle)
        names = (
            [label] if "." in label else [f"{label}.{tld}" for tld in tlds_for(domain, self.tlds)]
        )
        for name in names:
            self.note_brand(self.normalise_handle(name), domain)
        return names

    def handle_from_url(self, url: str) -> str | None:
        """A link to the home page of a name this run checks for a brand (``acme.io`` on
        acme.com's site): the brand's site links it. Other sites' links are not domains to
        check, and the brand's own domain links to itself everywhere."""
        from urllib.parse import urlsplit

        from brandaudit.hosts import host_of_url

        host = host_of_url(url)
        if host is None or urlsplit(url.strip()).path not in {"", "/"}:
            return None
        brand = self.brand_of.get(host)
        return host if brand is not None and brand != host else None

    def note_brand(self, name: str, brand: str) -> None:
        """Remember whose name ``name`` is checked for (the nameserver comparison)."""
        if len(self.brand_of) < MAX_RECORDS:
            self.brand_of.setdefault(name, brand)

    async def _same_nameservers(self, handle: str, record: DomainRecord, ctx: CheckContext) -> None:
        """Record, as evidence, when ``handle``'s registry nameservers are exactly the brand
        domain's nameservers in DNS (an ownership signal: ``SAME_NAMESERVERS``)."""
        from brandaudit.bluesky.dns_check import dns_evidence
        from brandaudit.net.dns import DnsOutcome
        from brandaudit.redact import clean_text

        brand = self.brand_of.get(handle)
        if brand is None or brand == handle or not record.nameservers:
            return
        answer = await ctx.dns.query(brand, "NS")
        if answer.outcome is not DnsOutcome.OK:
            return
        theirs = {ns.lower().rstrip(".") for ns in answer.records}
        if theirs and theirs == set(record.nameservers):
            shown = ", ".join(sorted(theirs))
            # model_copy skips the model's validators: the nameserver names (DNS answers,
            # strangers' text) go through the one cleaning path here.
            signal = clean_text(f"{SAME_NAMESERVERS} {brand}: {shown}")
            ctx.evidence.append(dns_evidence(answer).model_copy(update={"signal": signal}))

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        answer = await lookup(handle, ctx.fetch, self.bootstrap)
        if answer.signal:
            ctx.mark(answer.signal)
        if answer.state is Registration.NOT_REGISTERED:
            return Verdict(
                Status.AVAILABLE,
                Confidence.MEDIUM,
                answer.reason,
                Method.OFFICIAL_API,
                remediation=f"Register {handle} at a registrar, if you want it (the registry "
                "may still reserve it or price it as premium)",
            )
        if answer.state is Registration.UNKNOWN:
            # A TLD without RDAP is "nothing public decides it", not an odd answer; the other
            # undecided answers take their cause from the request's evidence.
            cause = Cause.UNSUPPORTED if answer.signal == NO_RDAP_SERVICE else None
            return Verdict(
                Status.UNKNOWN,
                Confidence.LOW,
                answer.reason,
                Method.OFFICIAL_API,
                "no verdict",
                cause=cause,
            )
        if answer.record is not None:
            if len(self.records) < MAX_RECORDS:
                self.records[handle] = answer.record
            await self._same_nameservers(handle, answer.record, ctx)
        profile = await homepage(handle, ctx)
        return Verdict(
            Status.CLAIMED,
            Confidence.HIGH,
            answer.reason,
            Method.OFFICIAL_API,
            signal=answer.signal,
            profile=profile,
        )


def _punycode(name: str) -> str:
    """``bücher`` -> ``xn--bcher-kva`` (IDNA 2008, UTS 46); the name as given when it can't
    be encoded (the handle rule then refuses it, with its reason)."""
    import idna

    try:
        return idna.encode(name, uts46=True).decode("ascii")
    except idna.IDNAError:
        return name


NXDOMAIN_SIGNAL = "NXDOMAIN: not in DNS"


class LookalikeDomainAdapter(DomainAdapter):
    """The ``domain`` platform for look-alike domains (``brandaudit.lookalikes``): DNS first
    (NS, then A/AAAA/MX, through the configured nameservers), RDAP only for a name that is in
    DNS. A name the TLD's nameservers call NXDOMAIN is not in use today; the registry is not
    asked (it may still be registered without nameservers, so it is never ``available``)."""

    def __init__(self, parent: DomainAdapter) -> None:
        super().__init__()
        self.bootstrap, self.records, self.tlds = parent.bootstrap, parent.records, parent.tlds
        self.brand_of = parent.brand_of

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        import asyncio

        from brandaudit.bluesky.dns_check import dns_evidence
        from brandaudit.net.dns import DnsOutcome

        ns = await ctx.dns.query(handle, "NS")
        ctx.evidence.append(dns_evidence(ns))
        if ns.outcome is DnsOutcome.NXDOMAIN:
            return no_verdict(
                ctx,
                NXDOMAIN_SIGNAL,
                f"{handle} is not in DNS (NXDOMAIN): not in use today; the registry was not asked",
                Method.OFFICIAL_API,
                signal=NXDOMAIN_SIGNAL,
            )
        answers = await asyncio.gather(
            *(ctx.dns.query(handle, rdtype) for rdtype in ("A", "AAAA", "MX"))
        )
        ctx.evidence.extend(dns_evidence(a) for a in answers)
        verdict = await super().check(handle, ctx)
        mail = next((a for a in answers if a.rdtype == "MX" and a.records), None)
        if verdict.status is Status.CLAIMED and mail is not None:
            shown = ", ".join(mail.records[:3])
            verdict = Verdict(
                verdict.status,
                verdict.confidence,
                f"{verdict.reason}; it receives mail (MX {shown})",
                verdict.method,
                verdict.signal,
                verdict.remediation,
                verdict.profile,
                verdict.url,
            )
        return verdict


async def homepage(name: str, ctx: CheckContext) -> ProfileInfo:
    """Where ``https://<name>/`` leads and what it links to, for ownership: a redirect's
    target first, then the page's links (bounded). A page that can't be read gives none."""
    from brandaudit.pagelinks import extract_links

    response = await ctx.fetch(f"https://{name}/", max_bytes=MAX_HOMEPAGE_BYTES, max_redirects=5)
    links: list[str] = []
    title: str | None = None
    if response.final_url and response.hops:
        links.append(response.final_url)
    if response.ok and "html" in response.content_type:
        text = response.text()
        found = _TITLE.search(text[:65536])
        title = " ".join(found.group(1).split())[:200] or None if found else None
        page = extract_links(text, response.final_url or f"https://{name}/")
        for url in page.urls():
            if url not in links and len(links) < MAX_HOMEPAGE_LINKS:
                links.append(url)
    return ProfileInfo(display_name=title, links=tuple(links))
