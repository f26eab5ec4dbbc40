"""brandaudit's own DNS queries (TXT records, addresses), through the configured nameservers.

We send queries with dnspython ourselves rather than through a stub resolver so that every
outcome stays distinct: NXDOMAIN, NODATA, SERVFAIL, REFUSED and timeout each mean something
different to a user fixing their DNS. ``dns.resolver.default_resolver`` is never touched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from brandaudit.config import DNS_PORT as DEFAULT_PORT
from brandaudit.config import parse_nameserver

# dnspython is imported where it is used (~50 ms): a run that makes no DNS query of its own
# (no Bluesky domain check) doesn't pay for it.
if TYPE_CHECKING:
    import dns.message
    import dns.name

__all__ = ["DEFAULT_PORT", "DnsAnswer", "DnsClient", "DnsOutcome", "parse_nameserver"]


class DnsOutcome(StrEnum):
    OK = "ok"
    NXDOMAIN = "nxdomain"
    NODATA = "nodata"
    SERVFAIL = "servfail"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class DnsAnswer:
    """The outcome of one DNS question."""

    name: str
    rdtype: str
    outcome: DnsOutcome
    records: tuple[str, ...] = ()
    """TXT: each record's character-strings joined (as the spec says); A/AAAA: addresses."""
    raw_strings: tuple[tuple[str, ...], ...] = ()
    """TXT: each record's character-strings, before joining."""
    cname_chain: tuple[str, ...] = ()
    error: str | None = None
    nameserver: str | None = None
    elapsed_ms: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def failed(self) -> bool:
        return self.outcome in {
            DnsOutcome.SERVFAIL,
            DnsOutcome.REFUSED,
            DnsOutcome.TIMEOUT,
            DnsOutcome.ERROR,
        }

    def describe(self) -> str:
        if self.outcome is DnsOutcome.OK:
            return f"{len(self.records)} record(s)"
        if self.error:
            return f"{self.outcome.value}: {self.error}"
        return self.outcome.value


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


class DnsClient:
    """Sends queries to the configured nameservers (or the system's, if none are set)."""

    def __init__(self, nameservers: list[str] | None = None, *, timeout: float = 3.0) -> None:
        self._servers: list[tuple[str, int]] | None = [
            parse_nameserver(n) for n in nameservers or []
        ] or None
        self.timeout = timeout

    @property
    def servers(self) -> list[tuple[str, int]]:
        """The configured nameservers, else the system's (read on first use)."""
        if self._servers is None:
            import dns.resolver

            try:
                system = dns.resolver.Resolver(configure=True)
                self._servers = [(str(ns), DEFAULT_PORT) for ns in system.nameservers]
            except (dns.resolver.NoResolverConfiguration, OSError):
                self._servers = []
        return self._servers

    async def query(self, name: str, rdtype: str = "TXT") -> DnsAnswer:
        import dns.exception
        import dns.name

        started = time.perf_counter()
        if not self.servers:
            return DnsAnswer(name, rdtype, DnsOutcome.ERROR, error="no nameservers configured")
        try:
            qname = dns.name.from_text(name)
        except (dns.exception.DNSException, ValueError) as exc:
            return DnsAnswer(name, rdtype, DnsOutcome.ERROR, error=f"bad name: {exc}")
        deadline = time.monotonic() + self.timeout
        last: DnsAnswer | None = None
        for index, (host, port) in enumerate(self.servers):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            # Each server left gets a fair share of what remains: a dead first server must
            # not use up the whole budget before the next one is asked.
            share = remaining / (len(self.servers) - index)
            answer = await self._ask(qname, name, rdtype, host, port, share)
            answer = _with_elapsed(answer, started)
            # A server failure lets us try the next server; a definite answer ends the search.
            if answer.outcome not in {DnsOutcome.TIMEOUT, DnsOutcome.SERVFAIL, DnsOutcome.ERROR}:
                return answer
            last = answer
        if last is None:
            last = DnsAnswer(
                name, rdtype, DnsOutcome.TIMEOUT, error=f"no answer within {self.timeout:g}s"
            )
        return _with_elapsed(last, started)

    async def _ask(
        self, qname: dns.name.Name, name: str, rdtype: str, host: str, port: int, timeout: float
    ) -> DnsAnswer:
        import dns.asyncquery
        import dns.exception
        import dns.flags
        import dns.message
        import dns.rdatatype

        where = f"{host}:{port}" if port != DEFAULT_PORT else host
        query = dns.message.make_query(qname, dns.rdatatype.from_text(rdtype))
        query.flags |= dns.flags.RD
        try:
            response, _tcp = await dns.asyncquery.udp_with_fallback(
                query, host, timeout=timeout, port=port
            )
        except dns.exception.Timeout:
            return DnsAnswer(
                name,
                rdtype,
                DnsOutcome.TIMEOUT,
                nameserver=where,
                error=f"no answer from {where} within {timeout:.1f}s",
            )
        except (dns.exception.DNSException, OSError, ValueError, EOFError) as exc:
            text = str(exc) or type(exc).__name__
            return DnsAnswer(
                name,
                rdtype,
                DnsOutcome.ERROR,
                nameserver=where,
                error=f"{type(exc).__name__}: {text}"[:300],
            )
        return _from_response(response, name, rdtype, where)


def _from_response(response: dns.message.Message, name: str, rdtype: str, where: str) -> DnsAnswer:
    """The outcome a server's answer gives: its failure code, or the records asked for."""
    failure = _rcode_failure(response, name, rdtype, where)
    if failure is not None:
        return failure
    records, raw = _records(response, rdtype)
    chain = _cnames(response)
    if not records:
        return DnsAnswer(name, rdtype, DnsOutcome.NODATA, nameserver=where, cname_chain=chain)
    return DnsAnswer(
        name,
        rdtype,
        DnsOutcome.OK,
        records=tuple(records),
        raw_strings=tuple(raw),
        cname_chain=chain,
        nameserver=where,
    )


def _rcode_failure(
    response: dns.message.Message, name: str, rdtype: str, where: str
) -> DnsAnswer | None:
    """NXDOMAIN, SERVFAIL, REFUSED or another error code as an answer; None for NOERROR."""
    import dns.rcode

    rcode = response.rcode()
    if rcode == dns.rcode.NXDOMAIN:
        return DnsAnswer(
            name, rdtype, DnsOutcome.NXDOMAIN, nameserver=where, cname_chain=_cnames(response)
        )
    if rcode == dns.rcode.NOERROR:
        return None
    # SERVFAIL and REFUSED have outcomes of their own (a resolver problem, a policy); any
    # other code is an error named as the server said it.
    outcome = {dns.rcode.SERVFAIL: DnsOutcome.SERVFAIL, dns.rcode.REFUSED: DnsOutcome.REFUSED}
    return DnsAnswer(
        name,
        rdtype,
        outcome.get(rcode, DnsOutcome.ERROR),
        nameserver=where,
        error=f"{where} answered {dns.rcode.to_text(rcode)}",
    )


def _records(response: dns.message.Message, rdtype: str) -> tuple[list[str], list[tuple[str, ...]]]:
    """The answer's ``rdtype`` records (TXT: strings joined) and, for TXT, each record's
    strings as sent."""
    import dns.rdatatype

    wanted = dns.rdatatype.from_text(rdtype)
    records: list[str] = []
    raw: list[tuple[str, ...]] = []
    for rrset in response.answer:
        if rrset.rdtype != wanted:
            continue
        for rdata in rrset:
            if wanted == dns.rdatatype.TXT:
                parts = tuple(_decode(s) for s in rdata.strings)
                raw.append(parts)
                records.append("".join(parts))
            else:
                records.append(rdata.to_text())
    return records, raw


def _cnames(response: dns.message.Message) -> tuple[str, ...]:
    import dns.rdatatype

    return tuple(
        rdata.target.to_text().rstrip(".")
        for rrset in response.answer
        if rrset.rdtype == dns.rdatatype.CNAME
        for rdata in rrset
    )


def _with_elapsed(answer: DnsAnswer, started: float) -> DnsAnswer:
    elapsed = (time.perf_counter() - started) * 1000
    return DnsAnswer(
        answer.name,
        answer.rdtype,
        answer.outcome,
        answer.records,
        answer.raw_strings,
        answer.cname_chain,
        answer.error,
        answer.nameserver,
        round(elapsed, 1),
        answer.notes,
    )
