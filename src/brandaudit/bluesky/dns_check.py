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
    TxtValue,
    did_problem,
    find_did,
    read_txt,
)
from brandaudit.handles import public_suffix, registrable_domain
from brandaudit.model import BlueskyCheck, Cause, CheckStatus, Evidence
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
    when it isn't a valid DID (then the handle is broken and the file is never read), except
    an empty one: ``''`` is falsy in ``resolve``'s ``if (dnsRes)``, so the file is used."""
    if main.outcome is not DnsOutcome.OK:
        return None
    found = [v for v in main.records if v.startswith("did=")]
    return (found[0][len("did=") :] or None) if len(found) == 1 else None


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


@dataclass(frozen=True, slots=True)
class Misplaced:
    """A ``did=`` record at a wrong name, and how to move it."""

    name: str
    value: str
    fix: str


def _misplaced_fix(obs: DnsObservation, kind: str, name: str) -> str:
    """How to move a record of ``kind`` (see ``misplaced_names``) found at ``name``."""
    sub = obs.domain[: -len(obs.zone) - 1] if obs.domain != obs.zone else ""
    host = f"_atproto.{sub}" if sub else "_atproto"
    if kind == "doubled":
        return f"Your DNS panel adds the domain itself; set the host to `{host}`."
    if kind == "no_underscore":
        return f"Add the underscore: the host is `{host}`, not `{host[1:]}`."
    if kind == "apex":
        return f"Move it to the host `{host}`."
    return (
        f"For `{obs.domain}` the host is `_atproto.{sub}` in the `{obs.zone}` zone "
        f"(if the record at `{name}` is the handle of `{name[9:]}` itself, keep it "
        "and add a new one)."
    )


def _unquoted(value: str) -> str:
    return value.strip().strip("\"'").strip()


def _looks_like_did_record(text: str, kind: str) -> bool:
    """A value (unquoted) someone meant as the handle's record: ``did=``, or a bare DID
    anywhere but at the apex (where other DIDs are common)."""
    return text.lower().startswith("did=") or (kind != "apex" and text.lower().startswith("did:"))


def _misplaced_findings(obs: DnsObservation, expected_did: str | None) -> list[Misplaced]:
    """Each ``did=`` record at a wrong name.

    A record at ``_atproto.<parent>`` of a subdomain handle is usually the parent's own
    handle: it counts only while the subdomain has no record, and not when ``expected_did``
    shows it names another account."""
    kinds = misplaced_names(obs.domain, obs.zone)
    main_present = obs.main.outcome is DnsOutcome.OK
    found: list[Misplaced] = []
    for name, answer in obs.misplaced.items():
        kind = kinds[name]
        if answer.outcome is not DnsOutcome.OK or (kind == "parent" and main_present):
            continue
        for value in answer.records:
            text = _unquoted(value)
            if not _looks_like_did_record(text, kind):
                continue
            named = find_did(text)
            if kind == "parent" and expected_did and named and named != expected_did:
                continue
            found.append(Misplaced(name, value, _misplaced_fix(obs, kind, name)))
    return found


SET_NAMESERVERS = (
    "set `BRANDAUDIT_NAMESERVERS` (or `[network] nameservers` with "
    "`BRANDAUDIT_TRUST_CONFIG_NETWORK=1`) to a resolver that sees the public internet"
)


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
    return DnsJudgement(
        could_not("dns_txt", f"{what}; {SET_NAMESERVERS}", evidence, Cause.DNS_BROKEN)
    )


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
    """Judge ``_atproto.<domain>``: a name too long for DNS, a query that failed, a domain
    that doesn't exist, no record (perhaps one at a wrong name), or the records found."""
    evidence = [dns_evidence(obs.main)]
    if len(obs.domain) > MAX_DNS_HANDLE:
        return DnsJudgement(
            make_check(
                "dns_txt",
                CheckStatus.INFO,
                f"{obs.domain} is too long for an `_atproto` DNS record; method not used",
            )
        )
    if obs.main.failed:
        return _judge_failed_query(obs, file_state, evidence)
    if obs.main.outcome is not DnsOutcome.OK and obs.control.outcome is DnsOutcome.NXDOMAIN:
        missing = _judge_missing_domain(obs, file_state, evidence)
        if missing is not None:
            return missing
    misplaced = _misplaced_findings(obs, expected_did)
    evidence += [dns_evidence(obs.misplaced[m.name]) for m in misplaced]
    wrong_names = tuple(m.name for m in misplaced)
    if obs.main.outcome is not DnsOutcome.OK:
        return DnsJudgement(_judge_no_record(obs, misplaced, evidence), misplaced=wrong_names)
    reading = read_txt(obs.main.records)
    return DnsJudgement(
        _judge_records(obs, reading, expected_did, wrong_names, evidence), reading, wrong_names
    )


def _record_name(obs: DnsObservation) -> str:
    return f"_atproto.{obs.domain}"


def _via(main: DnsAnswer) -> str:
    """How the answer was reached, for a message: `` (through a CNAME to `x`)`` or ""."""
    return f" (through a CNAME to `{main.cname_chain[-1]}`)" if main.cname_chain else ""


def _judge_failed_query(
    obs: DnsObservation, file_state: FileState, evidence: list[Evidence]
) -> DnsJudgement:
    """The ``_atproto`` query got SERVFAIL, REFUSED, a timeout or an error. The control
    queries tell a resolver that is down (nothing answers) from DNS for the domain that is
    broken (the resolver answers for the zone)."""
    main, record_name = obs.main, _record_name(obs)
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
            f"DNS for `{obs.domain}` is broken: `{record_name}` TXT got "
            f"{main.outcome.value.upper()} ({main.error or 'no detail'}), while the "
            f"resolver answers for `{obs.zone}`",
            f"DNS for `{obs.domain}` is broken, so Bluesky can't read it either; ask your DNS "
            "provider, check DNSSEC at your registrar.",
            evidence,
        )
    )


def _judge_no_record(
    obs: DnsObservation, misplaced: list[Misplaced], evidence: list[Evidence]
) -> BlueskyCheck:
    """No TXT record at ``_atproto``: a failure when one sits at a wrong name, otherwise the
    DNS method simply isn't used."""
    record_name = _record_name(obs)
    if misplaced:
        first = misplaced[0]
        others = "".join(f"; also `{m.name}`" for m in misplaced[1:])
        return make_check(
            "dns_txt",
            CheckStatus.FAIL,
            f"no record at `{record_name}`, but `{first.name}` has {shown(first.value)}{others}: "
            "Bluesky only reads `_atproto`",
            first.fix,
            evidence,
        )
    word = "NXDOMAIN" if obs.main.outcome is DnsOutcome.NXDOMAIN else "no TXT record"
    return make_check(
        "dns_txt",
        CheckStatus.INFO,
        f"no DNS record at `{record_name}` ({word}{_via(obs.main)}); method not used",
        evidence=evidence,
    )


def _judge_records(
    obs: DnsObservation,
    reading: TxtReading,
    expected_did: str | None,
    wrong_names: tuple[str, ...],
    evidence: list[Evidence],
) -> BlueskyCheck:
    """TXT records at ``_atproto``: several ``did=`` records, exactly one valid DID, a near
    miss (a DID meant but written wrong), or no ``did=`` value at all."""
    if len(reading.did_records) > 1:
        return _several_did_records(obs, reading, expected_did, evidence)
    if reading.did is not None:
        return _one_did(obs, reading, wrong_names, evidence)
    if len(reading.did_records) == 1 and reading.did_records[0].raw == "did=":
        return _empty_did(obs, expected_did, evidence)
    near = reading.did_records or reading.near_misses
    if near:
        return _near_miss(obs, near[0], expected_did, evidence)
    values = ", ".join(repr(v.raw) for v in reading.values)
    return make_check(
        "dns_txt",
        CheckStatus.FAIL,
        f"`{_record_name(obs)}` has TXT values but none starts with `did=`{_via(obs.main)}: "
        f"{values}",
        f"Set the value to exactly `{did_hint(expected_did)}`, with no quotes or spaces."
        + ("" if expected_did else " " + where_did()),
        evidence,
    )


def _empty_did(
    obs: DnsObservation, expected_did: str | None, evidence: list[Evidence]
) -> BlueskyCheck:
    """A ``did=`` record with nothing after it: no DID at all. ``resolve`` in
    @atproto/identity treats the empty value as no DNS answer and reads the website file
    (so with a working file this becomes a warning: ``behind_working_file``)."""
    return make_check(
        "dns_txt",
        CheckStatus.FAIL,
        f"`{_record_name(obs)}` has an empty `did=` record{_via(obs.main)}: it names no DID, "
        "so Bluesky's resolver ignores it and reads the website file instead",
        f"Delete the empty record, or set it to exactly `{did_hint(expected_did)}`."
        + ("" if expected_did else " " + where_did()),
        evidence,
    )


def _several_did_records(
    obs: DnsObservation, reading: TxtReading, expected_did: str | None, evidence: list[Evidence]
) -> BlueskyCheck:
    """More than one ``did=`` record: Bluesky's resolver uses none of them."""
    did_records = reading.did_records
    suggested = expected_did or (reading.candidates[0] if len(reading.candidates) == 1 else None)
    return make_check(
        "dns_txt",
        CheckStatus.FAIL,
        f"`{_record_name(obs)}` has {len(did_records)} did= records{_via(obs.main)}: "
        f"{', '.join(shown(v.raw) for v in did_records[:5])}; with more than one, "
        "Bluesky uses none",
        f"Delete the extra `_atproto` records; keep only `{did_hint(suggested)}`."
        + ("" if suggested else " " + where_did()),
        evidence,
    )


def _one_did(
    obs: DnsObservation,
    reading: TxtReading,
    wrong_names: tuple[str, ...],
    evidence: list[Evidence],
) -> BlueskyCheck:
    """Exactly one valid ``did=`` record: a pass, or a warning when it is reached through a
    CNAME or records at wrong names are left over."""
    main, record_name = obs.main, _record_name(obs)
    notes: list[str] = []
    fixes: list[str] = []
    if main.cname_chain:
        notes.append(
            f"`{record_name}` is a CNAME to `{main.cname_chain[-1]}` (fragile: a change "
            "there breaks your handle)"
        )
        fixes.append(f"Replace the CNAME with a TXT record `did={reading.did}`.")
    if wrong_names:
        notes.append("leftover records at " + ", ".join(f"`{n}`" for n in wrong_names))
        fixes.append("Delete the leftover records at " + ", ".join(wrong_names) + ".")
    extra = [v for v in reading.values if v.kind is TxtKind.OTHER]
    message = f"`{record_name}` has `did={reading.did}`"
    if extra:
        message += f" (other values ignored: {', '.join(repr(v.raw) for v in extra)})"
    if notes:
        return make_check(
            "dns_txt",
            CheckStatus.WARN,
            message + "; but " + "; ".join(notes),
            " ".join(fixes),
            evidence,
        )
    return make_check("dns_txt", CheckStatus.PASS, message + _via(main), evidence=evidence)


def _near_miss(
    obs: DnsObservation, bad: TxtValue, expected_did: str | None, evidence: list[Evidence]
) -> BlueskyCheck:
    """A record that means a DID but is written wrong (quotes, spaces, a doubled prefix...)."""
    target = expected_did or (bad.did if bad.did and did_problem(bad.did) is None else None)
    return make_check(
        "dns_txt",
        CheckStatus.FAIL,
        f"`{_record_name(obs)}` is {shown(bad.raw)}{_via(obs.main)}: {bad.detail}; "
        f"Bluesky needs exactly `{did_hint(target)}`",
        f"Set the value to exactly `{did_hint(target)}`, with no quotes or spaces."
        + ("" if target else " " + where_did()),
        evidence,
    )
