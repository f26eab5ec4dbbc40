"""``dns_txt``: the TXT record at ``_atproto.<domain>``, read through the configured
nameservers, and the names people put it at by mistake (docs/bluesky.md, "The nine checks")."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from enum import StrEnum

from brandaudit.bluesky.common import (
    DOMAIN_MISSING,
    could_not,
    did_hint,
    make_check,
    where_did,
)
from brandaudit.bluesky.syntax import (
    MAX_DNS_HANDLE,
    TxtKind,
    TxtReading,
    did_problem,
    find_did,
    read_txt,
)
from brandaudit.handles import public_suffix, registrable_domain
from brandaudit.model import BlueskyCheck, CheckStatus, Evidence
from brandaudit.net.dns import DnsAnswer, DnsClient, DnsOutcome

MAX_SHOWN = 120


def shown(value: str) -> str:
    """A TXT value quoted for a message, cut so a 10 KB record can't flood the report."""
    if len(value) <= MAX_SHOWN:
        return repr(value)
    return f"{value[:MAX_SHOWN]!r}… ({len(value)} characters)"


async def _bounded_dns(dns: DnsClient, name: str, rdtype: str, seconds: float) -> DnsAnswer:
    try:
        return await asyncio.wait_for(dns.query(name, rdtype), timeout=seconds)
    except TimeoutError:
        return DnsAnswer(name, rdtype, DnsOutcome.TIMEOUT, error=f"no answer within {seconds:.1f}s")


def dns_evidence(answer: DnsAnswer) -> Evidence:
    detail = answer.outcome.value
    if answer.outcome is DnsOutcome.OK:
        detail = "; ".join(repr(r) for r in answer.records)[:300]
    if answer.cname_chain:
        detail += " (via CNAME " + " -> ".join(answer.cname_chain) + ")"
    return Evidence(
        method="DNS",
        url=f"{answer.name} {answer.rdtype}",
        signal=detail,
        error=answer.error if answer.failed else None,
        elapsed_ms=answer.elapsed_ms,
    )


# ---------------------------------------------------------------------------------------
# observations


@dataclass(frozen=True, slots=True)
class DnsObservation:
    """The answers of phase 1's DNS queries for one domain."""

    domain: str
    zone: str
    main: DnsAnswer
    control: DnsAnswer
    """NS of the zone: tells a broken zone from a resolver that is down."""
    misplaced: dict[str, DnsAnswer] = field(default_factory=dict)
    """Where records end up by mistake: name -> answer."""
    addresses: tuple[DnsAnswer, ...] = ()
    """A and AAAA of the domain (to tell 'no website' from 'website broken')."""
    suffix: DnsAnswer | None = None
    """NS of the public suffix (``com``, ``co.uk``): a name that must exist. When the domain
    is NXDOMAIN, this tells a resolver that is broken or filtered (NXDOMAIN or no answer
    here too) from a domain that really doesn't exist (an answer here)."""

    root: DnsAnswer | None = None
    """SOA of the DNS root, asked too: when even the public suffix is NXDOMAIN, an answer
    here means the suffix really doesn't exist (a typo in the TLD), not a blind resolver."""

    @property
    def suffix_missing(self) -> bool:
        """The public suffix is NXDOMAIN while the root answers: no such top-level domain."""
        return (
            self.suffix is not None
            and self.suffix.outcome is DnsOutcome.NXDOMAIN
            and _answers(self.root)
        )

    @property
    def resolver_broken(self) -> bool:
        """brandaudit's resolver fails even for the control name: its word about the domain
        can't be trusted."""
        return self.suffix is not None and not _answers(self.suffix) and not self.suffix_missing


def _answers(answer: DnsAnswer | None) -> bool:
    return answer is not None and answer.outcome in {DnsOutcome.OK, DnsOutcome.NODATA}


def misplaced_names(domain: str, zone: str) -> dict[str, str]:
    """name -> what kind of mistake a ``did=`` record there is."""
    names = {
        f"_atproto.{domain}.{zone}": "doubled",
        f"_atproto.{domain}.{domain}": "doubled",
        f"atproto.{domain}": "no_underscore",
        domain: "apex",
    }
    if domain != zone:
        parent = domain.split(".", 1)[1]
        names.setdefault(f"_atproto.{parent}", "parent")
        names.setdefault(f"_atproto.{zone}", "parent")
    return names


async def observe_dns(domain: str, dns: DnsClient, seconds: float) -> DnsObservation:
    zone = registrable_domain(domain)
    mistakes = misplaced_names(domain, zone)
    per_query = min(dns.timeout, seconds)
    queries: list[Awaitable[DnsAnswer]] = [
        _bounded_dns(dns, f"_atproto.{domain}", "TXT", per_query),
        _bounded_dns(dns, zone, "NS", per_query),
        _bounded_dns(dns, domain, "A", per_query),
        _bounded_dns(dns, domain, "AAAA", per_query),
    ]
    queries.append(_bounded_dns(dns, public_suffix(domain), "NS", per_query))
    queries.append(_bounded_dns(dns, ".", "SOA", per_query))
    queries += [_bounded_dns(dns, name, "TXT", per_query) for name in mistakes]
    main, control, a, aaaa, suffix, root, *rest = await asyncio.gather(*queries)
    return DnsObservation(
        domain=domain,
        zone=zone,
        main=main,
        control=control,
        misplaced=dict(zip(mistakes, rest, strict=True)),
        addresses=(a, aaaa),
        suffix=suffix,
        root=root,
    )


def resolver_value(main: DnsAnswer) -> str | None:
    """What Bluesky's resolver takes from the ``_atproto`` answer, or None when it falls
    back to the website file.

    As ``HandleResolver.parseDnsResult`` in @atproto/identity (packages/identity/src/handle/
    index.ts, bluesky-social/atproto d6296a1): each record's strings joined, the values that
    start with ``did=`` (case-sensitive) kept, and exactly one of them used; none or several
    mean "no DNS answer" (as any DNS error does: ``resolveDns`` catches it and returns
    undefined), and ``resolve`` then uses the HTTPS file. A kept value is used as it is, even
    when it isn't a valid DID (then the handle is broken and the file is never read)."""
    if main.outcome is not DnsOutcome.OK:
        return None
    found = [v for v in main.records if v.startswith("did=")]
    return found[0][len("did=") :] if len(found) == 1 else None


class FileState(StrEnum):
    """What the HTTPS method gave, as far as the DNS judgement needs it."""

    RESOLVES = "resolves"
    """The website file names a DID."""
    ANSWERED = "answered"
    """The website answered (some HTTP status) without a usable DID."""
    SILENT = "silent"
    """No HTTP answer at all (no address, refused, timeout)."""
    UNSEEN = "unseen"
    """Not known (unit tests judging DNS alone)."""


# ---------------------------------------------------------------------------------------
# dns_txt


@dataclass(frozen=True, slots=True)
class DnsJudgement:
    check: BlueskyCheck
    reading: TxtReading | None = None
    misplaced: tuple[str, ...] = ()


def _misplaced_findings(
    obs: DnsObservation, expected_did: str | None
) -> list[tuple[str, str, str]]:
    """(name, value, fix) for each ``did=`` record at a wrong name.

    A record at ``_atproto.<parent>`` of a subdomain handle is usually the parent's own
    handle: it counts only while the subdomain has no record, and not when ``expected_did``
    shows it names another account."""
    kinds = misplaced_names(obs.domain, obs.zone)
    main_present = obs.main.outcome is DnsOutcome.OK
    found: list[tuple[str, str, str]] = []
    sub = obs.domain[: -len(obs.zone) - 1] if obs.domain != obs.zone else ""
    host = f"_atproto.{sub}" if sub else "_atproto"
    for name, answer in obs.misplaced.items():
        if answer.outcome is not DnsOutcome.OK:
            continue
        kind = kinds[name]
        if kind == "parent" and main_present:
            continue
        for value in answer.records:
            text = value.strip().strip("\"'").strip()
            looks = text.lower().startswith("did=") or (
                kind != "apex" and text.lower().startswith("did:")
            )
            if not looks:
                continue
            named = find_did(text)
            if kind == "parent" and expected_did and named and named != expected_did:
                continue
            if kind == "doubled":
                fix = f"Your DNS panel adds the domain itself; set the host to `{host}`."
            elif kind == "no_underscore":
                fix = f"Add the underscore: the host is `{host}`, not `{host[1:]}`."
            elif kind == "apex":
                fix = f"Move it to the host `{host}`."
            else:
                fix = (
                    f"For `{obs.domain}` the host is `_atproto.{sub}` in the `{obs.zone}` zone "
                    f"(if the record at `{name}` is the handle of `{name[9:]}` itself, keep it "
                    "and add a new one)."
                )
            found.append((name, value, fix))
    return found


SET_NAMESERVERS = "set `[network] nameservers` to a resolver that sees the public internet"


def _resolver_trouble(what: str, file_state: FileState, evidence: list[Evidence]) -> DnsJudgement:
    """brandaudit's own resolver can't be trusted for this domain. The DNS method is then
    unchecked: ``could not check``, unless the website file works, in which case Bluesky's
    resolver (DNS, then the file when DNS gives nothing) resolves the handle through it."""
    if file_state is FileState.RESOLVES:
        return DnsJudgement(
            make_check(
                "dns_txt",
                CheckStatus.WARN,
                f"{what}; the website file works, so the DNS method wasn't checked",
                f"To check the DNS method too, {SET_NAMESERVERS} (the handle itself needs no "
                "change for this).",
                evidence,
            )
        )
    return DnsJudgement(could_not("dns_txt", f"{what}; {SET_NAMESERVERS}", evidence))


def _judge_missing_domain(
    obs: DnsObservation, file_state: FileState, evidence: list[Evidence]
) -> DnsJudgement | None:
    """The zone is NXDOMAIN for brandaudit's resolver. NXDOMAIN never gates the other
    checks: the website file is judged on its own, and the control query (NS of the public
    suffix) tells a resolver that can't see the domain from a domain that doesn't exist.
    None when the control query wasn't made (the caller then reads the record as absent)."""
    zone = obs.zone
    evidence.append(dns_evidence(obs.control))
    if obs.suffix is not None:
        evidence.append(dns_evidence(obs.suffix))
    suffix_name = obs.suffix.name if obs.suffix is not None else "the public suffix"
    if obs.resolver_broken and obs.suffix is not None:
        if obs.root is not None:
            evidence.append(dns_evidence(obs.root))
        return _resolver_trouble(
            f"brandaudit's DNS resolver says `{zone}` doesn't exist, but it also fails for the "
            f"control query `{suffix_name} NS` ({obs.suffix.describe()}), a name that must "
            "exist: the resolver is broken or filtered, not your domain",
            file_state,
            evidence,
        )
    if file_state in {FileState.RESOLVES, FileState.ANSWERED}:
        # Split-horizon DNS, a proxy-only network, a filtering resolver: the site is alive.
        return _resolver_trouble(
            f"brandaudit's DNS resolver says `{zone}` doesn't exist (NXDOMAIN), yet "
            f"`https://{obs.domain}` answers: your resolver can't see this domain",
            file_state,
            evidence,
        )
    if obs.suffix is None:
        return None
    where = f"NXDOMAIN, while `{suffix_name}` answers"
    if obs.suffix_missing:
        where = (
            f"NXDOMAIN; not even the top-level `{suffix_name}` exists, while the DNS root answers"
        )
    return DnsJudgement(
        make_check(
            "dns_txt",
            CheckStatus.INFO,
            f"`{zone}` {DOMAIN_MISSING} ({where})"
            + (
                f", and nothing answers at `https://{obs.domain}`"
                if file_state is FileState.SILENT
                else ""
            )
            + ": a typo, or the registration expired?",
            f"Check the spelling of `{obs.domain}`; if the domain is yours, renew it at your "
            "registrar.",
            evidence,
        )
    )


def judge_dns(
    obs: DnsObservation,
    expected_did: str | None = None,
    file_state: FileState = FileState.UNSEEN,
) -> DnsJudgement:
    domain, main = obs.domain, obs.main
    record_name = f"_atproto.{domain}"
    evidence = [dns_evidence(main)]
    if len(domain) > MAX_DNS_HANDLE:
        return DnsJudgement(
            make_check(
                "dns_txt",
                CheckStatus.INFO,
                f"{domain} is too long for an `_atproto` DNS record; method not used",
            )
        )
    if main.failed:
        evidence.append(dns_evidence(obs.control))
        if obs.resolver_broken and obs.suffix is not None:
            evidence.append(dns_evidence(obs.suffix))
            return _resolver_trouble(
                f"the DNS resolver gave no usable answer for `{record_name}` "
                f"({main.error or main.outcome.value}) nor for the control query "
                f"`{obs.suffix.name} NS` ({obs.suffix.describe()}): the resolver is down",
                file_state,
                evidence,
            )
        if obs.control.outcome in {DnsOutcome.TIMEOUT, DnsOutcome.ERROR}:
            return _resolver_trouble(
                f"the DNS resolver did not answer for `{record_name}` "
                f"({main.error or main.outcome.value}) nor for the control query "
                f"`{obs.zone} NS` ({obs.control.error or obs.control.outcome.value}): check "
                "your network",
                file_state,
                evidence,
            )
        return DnsJudgement(
            make_check(
                "dns_txt",
                CheckStatus.FAIL,
                f"DNS for `{domain}` is broken: `{record_name}` TXT got "
                f"{main.outcome.value.upper()} ({main.error or 'no detail'}), while the "
                f"resolver answers for `{obs.zone}`",
                f"DNS for `{domain}` is broken, so Bluesky can't read it either; ask your DNS "
                "provider, check DNSSEC at your registrar.",
                evidence,
            )
        )
    if main.outcome is not DnsOutcome.OK and obs.control.outcome is DnsOutcome.NXDOMAIN:
        missing = _judge_missing_domain(obs, file_state, evidence)
        if missing is not None:
            return missing
    misplaced = _misplaced_findings(obs, expected_did)
    for name, _value, _fix in misplaced:
        evidence.append(dns_evidence(obs.misplaced[name]))
    wrong_names = tuple(name for name, _v, _f in misplaced)
    via = ""
    if main.cname_chain:
        via = f" (through a CNAME to `{main.cname_chain[-1]}`)"
    if main.outcome is not DnsOutcome.OK:
        if misplaced:
            name, value, fix = misplaced[0]
            others = "".join(f"; also `{n}`" for n, _v, _f in misplaced[1:])
            return DnsJudgement(
                make_check(
                    "dns_txt",
                    CheckStatus.FAIL,
                    f"no record at `{record_name}`, but `{name}` has {shown(value)}{others}: "
                    "Bluesky only reads `_atproto`",
                    fix,
                    evidence,
                ),
                misplaced=wrong_names,
            )
        word = "NXDOMAIN" if main.outcome is DnsOutcome.NXDOMAIN else "no TXT record"
        return DnsJudgement(
            make_check(
                "dns_txt",
                CheckStatus.INFO,
                f"no DNS record at `{record_name}` ({word}{via}); method not used",
                evidence=evidence,
            )
        )
    reading = read_txt(main.records)
    did_records = reading.did_records
    suggested = expected_did or (reading.candidates[0] if len(reading.candidates) == 1 else None)
    values = ", ".join(repr(v.raw) for v in reading.values)
    if len(did_records) > 1:
        keep = did_hint(suggested)
        return DnsJudgement(
            make_check(
                "dns_txt",
                CheckStatus.FAIL,
                f"`{record_name}` has {len(did_records)} did= records{via}: "
                f"{', '.join(shown(v.raw) for v in did_records[:5])}; with more than one, "
                "Bluesky uses none",
                f"Delete the extra `_atproto` records; keep only `{keep}`."
                + ("" if suggested else " " + where_did()),
                evidence,
            ),
            reading,
            wrong_names,
        )
    if reading.did is not None:
        notes: list[str] = []
        fixes: list[str] = []
        if main.cname_chain:
            notes.append(
                f"`{record_name}` is a CNAME to `{main.cname_chain[-1]}` (fragile: a change "
                "there breaks your handle)"
            )
            fixes.append(f"Replace the CNAME with a TXT record `did={reading.did}`.")
        if misplaced:
            notes.append("leftover records at " + ", ".join(f"`{n}`" for n in wrong_names))
            fixes.append("Delete the leftover records at " + ", ".join(wrong_names) + ".")
        extra = [v for v in reading.values if v.kind is TxtKind.OTHER]
        message = f"`{record_name}` has `did={reading.did}`"
        if extra:
            message += f" (other values ignored: {', '.join(repr(v.raw) for v in extra)})"
        if notes:
            return DnsJudgement(
                make_check(
                    "dns_txt",
                    CheckStatus.WARN,
                    message + "; but " + "; ".join(notes),
                    " ".join(fixes),
                    evidence,
                ),
                reading,
                wrong_names,
            )
        return DnsJudgement(
            make_check("dns_txt", CheckStatus.PASS, message + via, evidence=evidence),
            reading,
            wrong_names,
        )
    near = did_records or reading.near_misses
    if near:
        bad = near[0]
        target = expected_did or (bad.did if bad.did and did_problem(bad.did) is None else None)
        return DnsJudgement(
            make_check(
                "dns_txt",
                CheckStatus.FAIL,
                f"`{record_name}` is {shown(bad.raw)}{via}: {bad.detail}; "
                f"Bluesky needs exactly `{did_hint(target)}`",
                f"Set the value to exactly `{did_hint(target)}`, with no quotes or spaces."
                + ("" if target else " " + where_did()),
                evidence,
            ),
            reading,
            wrong_names,
        )
    return DnsJudgement(
        make_check(
            "dns_txt",
            CheckStatus.FAIL,
            f"`{record_name}` has TXT values but none starts with `did=`{via}: {values}",
            f"Set the value to exactly `{did_hint(expected_did)}`, with no quotes or spaces."
            + ("" if expected_did else " " + where_did()),
            evidence,
        ),
        reading,
        wrong_names,
    )
