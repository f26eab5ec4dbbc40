"""The Bluesky domain-handle verifier: nine checks, every finding reported (BLUESKY.md §8-§9).

Three phases, each under a share of the deadline, so one domain's verdict always arrives in
bounded time even when every server hangs:

1. DNS (``_atproto.<d>`` and the names people put the record at by mistake) and the
   ``/.well-known/atproto-did`` file, concurrently;
2. the DID document (plc.directory or did:web), for the DID the methods name;
3. the account's PDS and the public AppView, concurrently.

Every DNS query goes through ``DnsClient`` (the configured nameservers) and every HTTP
request through ``NetClient.fetch`` (origin map, private-network guard, size caps). Checks
are judged by pure functions from what was seen, so they are testable without a network.
A check blocked on brandaudit's side is ``skip`` with a message starting "could not check".
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from brandaudit.bluesky.diddoc import DidDoc, MalformedDocument, parse_did_document
from brandaudit.bluesky.setup import build_setup
from brandaudit.bluesky.syntax import (
    INVALID_HANDLE,
    MAX_DNS_HANDLE,
    BodyReading,
    TxtKind,
    TxtReading,
    did_problem,
    handle_problem,
    handle_warning,
    normalise_handle,
    read_txt,
    read_well_known_body,
)
from brandaudit.cache import current_platform
from brandaudit.config import Settings
from brandaudit.handles import registrable_domain
from brandaudit.model import (
    BlueskyCheck,
    BlueskyDomain,
    BlueskyStatus,
    CheckStatus,
    Evidence,
)
from brandaudit.net.client import ErrorKind, NetClient, Response
from brandaudit.net.dns import DnsAnswer, DnsClient, DnsOutcome

log = logging.getLogger("brandaudit.bluesky")

# --- signals -----------------------------------------------------------------------------
PLC_URL = "https://plc.directory"
APPVIEW_URL = "https://public.api.bsky.app"
WELL_KNOWN_PATH = "/.well-known/atproto-did"
DID_WEB_PATH = "/.well-known/did.json"
WELL_KNOWN_CAP = 4096
"""Bytes; indigo reads at most 2048. A bigger body is never a DID."""
WELL_KNOWN_MAX_REDIRECTS = 5
DOC_CAP = 128 * 1024
API_CAP = 512 * 1024
CHALLENGE_HEADERS = ("cf-mitigated",)
CHALLENGE_MARKERS = ("<html", "<!doctype html", "just a moment", "<head", "<body")
PLC_NOT_REGISTERED = "DID not registered"
PLC_TOMBSTONED = "DID not available"
SUSPENDED_STATUSES = {"takendown", "suspended"}
DEACTIVATED_STATUSES = {"deactivated"}
PROFILE_NOT_FOUND = "Profile not found"
CACHE_ID = "bluesky-domain"
"""Key for ``[network] cache_ttls``; the verifier's requests are not cached by default."""
# -----------------------------------------------------------------------------------------

CHECK_IDS = (
    "handle_syntax",
    "dns_txt",
    "well_known",
    "methods_agree",
    "did_document",
    "bidirectional",
    "pds",
    "appview",
    "verification",
)
COULD_NOT = "could not check"
SETTINGS_PATH = "Settings → Account → Handle → I have my own domain"
RETRY = "Retry in a few minutes."
GRACE_SECONDS = 1.0


def _u(value: str) -> str:
    """Quote a query value or path segment; ':' stays (DIDs are sent as they are)."""
    return quote(value, safe=":")


def _chk(
    id_: str,
    status: CheckStatus,
    message: str,
    fix: str | None = None,
    evidence: Sequence[Evidence] = (),
) -> BlueskyCheck:
    return BlueskyCheck(
        id=id_,
        status=status,
        message=message,
        fix=None if status is CheckStatus.PASS else fix,
        evidence=tuple(evidence),
    )


def could_not(id_: str, what: str, evidence: Sequence[Evidence] = ()) -> BlueskyCheck:
    return _chk(id_, CheckStatus.SKIP, f"{COULD_NOT}: {what}", RETRY, evidence)


def _did_hint(did: str | None) -> str:
    return f"did={did}" if did else "did=<your DID>"


def _where_did() -> str:
    return f"Your DID is shown in Bluesky: {SETTINGS_PATH}."


# ---------------------------------------------------------------------------------------
# budget


class _Budget:
    """The deadline of one verification, shared out between the phases."""

    def __init__(self, total: float) -> None:
        self.total = total
        self.end = time.monotonic() + total

    def left(self) -> float:
        return max(0.05, self.end - time.monotonic())

    def share(self, fraction: float) -> float:
        return max(0.05, (self.end - time.monotonic()) * fraction)


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


def misplaced_names(domain: str, zone: str) -> dict[str, str]:
    """name -> what kind of mistake a ``did=`` record there is."""
    names = {
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
    queries += [_bounded_dns(dns, name, "TXT", per_query) for name in mistakes]
    main, control, a, aaaa, *rest = await asyncio.gather(*queries)
    return DnsObservation(
        domain=domain,
        zone=zone,
        main=main,
        control=control,
        misplaced=dict(zip(mistakes, rest, strict=True)),
        addresses=(a, aaaa),
    )


# ---------------------------------------------------------------------------------------
# dns_txt


@dataclass(frozen=True, slots=True)
class DnsJudgement:
    check: BlueskyCheck
    reading: TxtReading | None = None
    misplaced: tuple[str, ...] = ()


def _misplaced_findings(obs: DnsObservation) -> list[tuple[str, str, str]]:
    """(name, value, fix) for each ``did=`` record at a wrong name."""
    kinds = misplaced_names(obs.domain, obs.zone)
    found: list[tuple[str, str, str]] = []
    sub = obs.domain[: -len(obs.zone) - 1] if obs.domain != obs.zone else ""
    for name, answer in obs.misplaced.items():
        if answer.outcome is not DnsOutcome.OK:
            continue
        kind = kinds[name]
        for value in answer.records:
            text = value.strip().strip("\"'").strip()
            looks = text.lower().startswith("did=") or (
                kind != "apex" and text.lower().startswith("did:")
            )
            if not looks:
                continue
            if kind == "doubled":
                fix = "Your DNS panel adds the domain itself; set the host to `_atproto`."
            elif kind == "no_underscore":
                fix = "Add the underscore: the host is `_atproto`, not `atproto`."
            elif kind == "apex":
                fix = "Move it to the host `_atproto`."
            else:
                fix = (
                    f"For `{obs.domain}` the host is `_atproto.{sub}` in the `{obs.zone}` zone "
                    f"(if the record at `{name}` is the handle of `{name[9:]}` itself, keep it "
                    "and add a new one)."
                )
            found.append((name, value, fix))
    return found


def judge_dns(obs: DnsObservation, expected_did: str | None = None) -> DnsJudgement:
    domain, main = obs.domain, obs.main
    record_name = f"_atproto.{domain}"
    evidence = [dns_evidence(main)]
    if len(domain) > MAX_DNS_HANDLE:
        return DnsJudgement(
            _chk(
                "dns_txt",
                CheckStatus.INFO,
                f"{domain} is too long for an `_atproto` DNS record; method not used",
            )
        )
    if main.failed:
        evidence.append(dns_evidence(obs.control))
        if obs.control.outcome in {DnsOutcome.TIMEOUT, DnsOutcome.ERROR}:
            return DnsJudgement(
                could_not(
                    "dns_txt",
                    f"the DNS resolver did not answer for `{record_name}` "
                    f"({main.error or main.outcome.value}) nor for the control query "
                    f"`{obs.zone} NS` ({obs.control.error or obs.control.outcome.value}); "
                    "check your network or [network] nameservers",
                    evidence,
                )
            )
        return DnsJudgement(
            _chk(
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
    misplaced = _misplaced_findings(obs)
    for name, _value, _fix in misplaced:
        evidence.append(dns_evidence(obs.misplaced[name]))
    wrong_names = tuple(name for name, _v, _f in misplaced)
    via = ""
    if main.cname_chain:
        via = f" (through a CNAME to `{main.cname_chain[-1]}`)"
    if main.outcome is not DnsOutcome.OK:
        if obs.control.outcome is DnsOutcome.NXDOMAIN:
            evidence.append(dns_evidence(obs.control))
            return DnsJudgement(
                _chk(
                    "dns_txt",
                    CheckStatus.FAIL,
                    f"`{obs.zone}` does not exist in DNS (NXDOMAIN)",
                    f"`{obs.zone}` isn't registered or has expired; renew it at your "
                    "registrar, or use a domain you own.",
                    evidence,
                )
            )
        if misplaced:
            name, value, fix = misplaced[0]
            others = "".join(f"; also `{n}`" for n, _v, _f in misplaced[1:])
            return DnsJudgement(
                _chk(
                    "dns_txt",
                    CheckStatus.FAIL,
                    f"no record at `{record_name}`, but `{name}` has {value!r}{others}: "
                    "Bluesky only reads `_atproto`",
                    fix,
                    evidence,
                ),
                misplaced=wrong_names,
            )
        word = "NXDOMAIN" if main.outcome is DnsOutcome.NXDOMAIN else "no TXT record"
        return DnsJudgement(
            _chk(
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
        keep = _did_hint(suggested)
        return DnsJudgement(
            _chk(
                "dns_txt",
                CheckStatus.FAIL,
                f"`{record_name}` has {len(did_records)} did= records{via}: "
                f"{', '.join(repr(v.raw) for v in did_records)}; with more than one, "
                "Bluesky uses none",
                f"Delete the extra `_atproto` records; keep only `{keep}`."
                + ("" if suggested else " " + _where_did()),
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
                _chk(
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
            _chk("dns_txt", CheckStatus.PASS, message + via, evidence=evidence),
            reading,
            wrong_names,
        )
    near = did_records or reading.near_misses
    if near:
        bad = near[0]
        target = expected_did or (bad.did if bad.did and did_problem(bad.did) is None else None)
        return DnsJudgement(
            _chk(
                "dns_txt",
                CheckStatus.FAIL,
                f"`{record_name}` is {bad.raw!r}{via}: {bad.detail}; "
                f"Bluesky needs exactly `{_did_hint(target)}`",
                f"Set the value to exactly `{_did_hint(target)}`, with no quotes or spaces."
                + ("" if target else " " + _where_did()),
                evidence,
            ),
            reading,
            wrong_names,
        )
    return DnsJudgement(
        _chk(
            "dns_txt",
            CheckStatus.FAIL,
            f"`{record_name}` has TXT values but none starts with `did=`{via}: {values}",
            f"Set the value to exactly `{_did_hint(expected_did)}`, with no quotes or spaces."
            + ("" if expected_did else " " + _where_did()),
            evidence,
        ),
        reading,
        wrong_names,
    )


# ---------------------------------------------------------------------------------------
# well_known


@dataclass(frozen=True, slots=True)
class WellKnownJudgement:
    check: BlueskyCheck
    reading: BodyReading | None = None


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _no_address(obs: DnsObservation | None) -> bool:
    if obs is None or not obs.addresses:
        return False
    return all(
        a.outcome in {DnsOutcome.NXDOMAIN, DnsOutcome.NODATA} and not a.cname_chain
        for a in obs.addresses
    )


def _is_challenge(response: Response) -> str | None:
    for header in CHALLENGE_HEADERS:
        if header in response.headers:
            return f"a `{header}: {response.headers[header]}` header (bot protection)"
    if response.content_type in {"text/html", "application/xhtml+xml"}:
        return f"Content-Type `{response.content_type}`"
    head = response.body[:WELL_KNOWN_CAP].decode("utf-8", "replace").lower()
    for marker in CHALLENGE_MARKERS:
        if marker in head:
            return f"`{marker}` in the body"
    return None


HTML_FIX = (
    "Your site answers with a web page (bot protection, a redirect or an app fallback). "
    f"Serve a plain-text file and exempt `{WELL_KNOWN_PATH}` from bot checks and redirects."
)


def judge_well_known(
    domain: str,
    response: Response,
    dns_obs: DnsObservation | None = None,
    expected_did: str | None = None,
) -> WellKnownJudgement:
    url = f"https://{domain}{WELL_KNOWN_PATH}"
    ev = [response.evidence()]
    hops = response.hops
    route = ""
    if hops:
        route = " (redirected: " + " -> ".join(hops) + ")"
    file_fix = f"The file must contain only `{expected_did or '<your DID>'}`." + (
        "" if expected_did else " " + _where_did()
    )
    if response.error:
        kind = response.error_kind
        if kind == ErrorKind.GUARD:
            return WellKnownJudgement(could_not("well_known", response.error, ev))
        if kind == ErrorKind.REDIRECTS:
            return WellKnownJudgement(
                _chk(
                    "well_known",
                    CheckStatus.FAIL,
                    f"`{url}` redirects more than {WELL_KNOWN_MAX_REDIRECTS} times{route}",
                    f"Serve `{WELL_KNOWN_PATH}` directly on `{domain}`, without redirects.",
                    ev,
                )
            )
        if kind in {ErrorKind.REDIRECT_LOOP, ErrorKind.REDIRECT_REFUSED}:
            return WellKnownJudgement(
                _chk(
                    "well_known",
                    CheckStatus.FAIL,
                    f"`{url}`: {response.error}{route}",
                    f"Serve `{WELL_KNOWN_PATH}` directly on `{domain}`, without redirects.",
                    ev,
                )
            )
        if kind == ErrorKind.CONNECT and _no_address(dns_obs):
            return WellKnownJudgement(
                _chk(
                    "well_known",
                    CheckStatus.INFO,
                    f"`{domain}` has no address (no A or AAAA record), so there is no website "
                    "file; method not used",
                    evidence=ev,
                )
            )
        return WellKnownJudgement(
            _chk(
                "well_known",
                CheckStatus.FAIL,
                f"`{url}` failed: {response.error}{route}",
                f"HTTPS on `{domain}` failed ({response.error}); fix it or use the DNS record.",
                ev,
            )
        )
    status = response.status or 0
    challenge = _is_challenge(response)
    if challenge and status != 404:
        return WellKnownJudgement(
            _chk(
                "well_known",
                CheckStatus.FAIL,
                f"`{url}` answered HTTP {status} with a web page, not the file: {challenge}{route}",
                HTML_FIX,
                ev,
            )
        )
    if status == 404:
        return WellKnownJudgement(
            _chk(
                "well_known",
                CheckStatus.INFO,
                f"no file at `{url}` (HTTP 404{route}); method not used",
                evidence=ev,
            )
        )
    if status == 429:
        return WellKnownJudgement(
            could_not("well_known", f"`{domain}` rate-limited brandaudit (HTTP 429)", ev)
        )
    if not 200 <= status < 300:
        return WellKnownJudgement(
            _chk(
                "well_known",
                CheckStatus.FAIL,
                f"`{url}` answered HTTP {status}{route}",
                f"Make `{url}` answer 200 with your DID, or delete it and use the DNS record.",
                ev,
            )
        )
    if response.truncated:
        return WellKnownJudgement(
            _chk(
                "well_known",
                CheckStatus.FAIL,
                f"`{url}` is larger than {WELL_KNOWN_CAP} bytes{route}; a DID is one short line",
                file_fix,
                ev,
            )
        )
    reading = read_well_known_body(response.body)
    if not reading.resolves:
        shown = response.body[:120].decode("utf-8", "replace")
        target = expected_did or reading.did
        return WellKnownJudgement(
            _chk(
                "well_known",
                CheckStatus.FAIL,
                f"`{url}` contains {shown!r}: {reading.detail}{route}",
                f"The file must contain only `{target or '<your DID>'}`."
                + ("" if target else " " + _where_did()),
                ev,
            ),
            reading,
        )
    notes: list[str] = []
    fixes: list[str] = []
    if hops:
        cross = {_host(h) for h in hops} - {domain}
        where = f" to another host ({', '.join(sorted(cross))})" if cross else ""
        notes.append(f"it redirects{where}: " + " -> ".join(hops))
        fixes.append("Serve it directly; some resolvers don't follow redirects.")
    if status != 200:
        notes.append(f"it answers HTTP {status}, not 200")
        fixes.append("Answer with status 200.")
    if response.content_type != "text/plain":
        shown_type = response.content_type or "none"
        notes.append(f"its Content-Type is `{shown_type}`, not `text/plain`")
        fixes.append("Serve it as `text/plain`.")
    if reading.kind.value == "padded":
        notes.append("it has whitespace or a newline around the DID")
        fixes.append("Remove the whitespace; strict resolvers don't trim it.")
    if "access-control-allow-origin" not in response.headers:
        notes.append("no `Access-Control-Allow-Origin` header (browser apps can't read it)")
        fixes.append("Send `Access-Control-Allow-Origin: *` with the file.")
    message = f"`{url}` contains `{reading.did}`"
    if notes:
        return WellKnownJudgement(
            _chk(
                "well_known",
                CheckStatus.WARN,
                message + "; but " + "; ".join(notes),
                " ".join(fixes),
                ev,
            ),
            reading,
        )
    return WellKnownJudgement(_chk("well_known", CheckStatus.PASS, message, evidence=ev), reading)


# ---------------------------------------------------------------------------------------
# methods_agree


def judge_methods(dns_did: str | None, file_did: str | None) -> BlueskyCheck:
    if not dns_did or not file_did:
        answered = "DNS" if dns_did else "the website file" if file_did else "neither method"
        return _chk(
            "methods_agree",
            CheckStatus.SKIP,
            f"only one method can be compared ({answered} named a DID)"
            if dns_did or file_did
            else "skipped: neither method named a DID",
        )
    if dns_did == file_did:
        return _chk(
            "methods_agree", CheckStatus.PASS, f"DNS and the website file both name `{dns_did}`"
        )
    return _chk(
        "methods_agree",
        CheckStatus.FAIL,
        f"DNS names `{dns_did}` and the website file names `{file_did}`",
        f"DNS says `{dns_did}` and the file says `{file_did}`. Bluesky uses DNS. Fix or delete "
        "the wrong one (usually an old DNS record).",
    )


# ---------------------------------------------------------------------------------------
# did_document


@dataclass(frozen=True, slots=True)
class DocJudgement:
    check: BlueskyCheck
    doc: DidDoc | None = None


def _api_error(response: Response) -> tuple[str, str]:
    body = response.json()
    if isinstance(body, dict):
        return str(body.get("error", "")), str(body.get("message", ""))
    return "", response.text()[:200] if response.body else ""


def _blocked(response: Response) -> bool:
    """Trouble on the path between brandaudit and a service: never a verdict."""
    status = response.status or 0
    return response.error is not None or status == 429 or status >= 500


COPY_DID_FIX = f"Copy your DID again from Bluesky: {SETTINGS_PATH}."


def judge_did_syntax(did: str) -> BlueskyCheck | None:
    problem = did_problem(did)
    if problem is None:
        return None
    return _chk(
        "did_document",
        CheckStatus.FAIL,
        f"`{did[:120]}` can't be used: {problem}",
        COPY_DID_FIX,
    )


def _parse_doc(did: str, data: Any, source: str, ev: list[Evidence]) -> DocJudgement:
    try:
        doc = parse_did_document(data)
    except MalformedDocument as exc:
        return DocJudgement(
            _chk(
                "did_document",
                CheckStatus.FAIL,
                f"the document of `{did}` from {source} is malformed: {exc}",
                "The account's identity record is broken; contact your hosting provider."
                if did.startswith("did:plc:")
                else "Fix did.json: it must be a DID document (see atproto.com/specs/did).",
                ev,
            )
        )
    if doc.id != did:
        return DocJudgement(
            _chk(
                "did_document",
                CheckStatus.FAIL,
                f"the document fetched for `{did}` from {source} has id `{doc.id}`",
                "The document must have `id` equal to the DID; "
                + (
                    "contact your hosting provider."
                    if did.startswith("did:plc:")
                    else "fix the `id` in your did.json."
                ),
                ev,
            )
        )
    return DocJudgement(
        _chk(
            "did_document",
            CheckStatus.PASS,
            f"fetched the document of `{did}` from {source}; its id matches",
            evidence=ev,
        ),
        doc,
    )


def judge_plc(did: str, response: Response) -> DocJudgement:
    ev = [response.evidence()]
    if _blocked(response):
        return DocJudgement(could_not("did_document", f"plc.directory: {response.describe()}", ev))
    _error, message = _api_error(response)
    if response.status == 404 and not isinstance(response.json(), dict):
        return DocJudgement(
            could_not(
                "did_document",
                "plc.directory answered HTTP 404 without its usual JSON message "
                "(a proxy or an outage?)",
                ev,
            )
        )
    if response.status == 404:
        return DocJudgement(
            _chk(
                "did_document",
                CheckStatus.FAIL,
                f"plc.directory says {message or PLC_NOT_REGISTERED!r} (HTTP 404)",
                f"`{did}` doesn't exist; copy it again from Bluesky: {SETTINGS_PATH}.",
                ev,
            )
        )
    if response.status == 410 or PLC_TOMBSTONED in message:
        return DocJudgement(
            _chk(
                "did_document",
                CheckStatus.FAIL,
                f"plc.directory says {message or PLC_TOMBSTONED!r} (HTTP {response.status}): "
                "the DID was tombstoned",
                "This account was deleted. Use the DID of the account you use now.",
                ev,
            )
        )
    if response.status != 200:
        return DocJudgement(
            could_not(
                "did_document",
                f"plc.directory answered HTTP {response.status} {message[:120]!r}".rstrip(),
                ev,
            )
        )
    data = response.json()
    if data is None:
        return DocJudgement(
            could_not("did_document", "plc.directory answered with something that isn't JSON", ev)
        )
    return _parse_doc(did, data, "plc.directory", ev)


def judge_did_web(did: str, response: Response) -> DocJudgement:
    host = did[len("did:web:") :]
    url = f"https://{host}{DID_WEB_PATH}"
    ev = [response.evidence()]
    fix = f"Make `{url}` answer 200 with your DID document, with no redirect."
    if response.error:
        return DocJudgement(
            _chk("did_document", CheckStatus.FAIL, f"`{url}` failed: {response.error}", fix, ev)
        )
    status = response.status or 0
    if status == 429:
        return DocJudgement(could_not("did_document", f"`{host}` rate-limited brandaudit", ev))
    if 300 <= status < 400:
        where = response.location or "elsewhere"
        return DocJudgement(
            _chk(
                "did_document",
                CheckStatus.FAIL,
                f"`{url}` redirects to {where}; did:web documents must be served directly",
                fix,
                ev,
            )
        )
    if status != 200:
        return DocJudgement(
            _chk("did_document", CheckStatus.FAIL, f"`{url}` answered HTTP {status}", fix, ev)
        )
    data = response.json()
    if data is None:
        return DocJudgement(
            _chk(
                "did_document",
                CheckStatus.FAIL,
                f"`{url}` is not JSON" + (" (larger than the cap)" if response.truncated else ""),
                fix,
                ev,
            )
        )
    return _parse_doc(did, data, f"`{url}`", ev)


async def fetch_document(did: str, net: NetClient, seconds: float) -> DocJudgement:
    bad = judge_did_syntax(did)
    if bad is not None:
        return DocJudgement(bad)
    headers = {"Accept": "application/did+ld+json, application/json"}
    if did.startswith("did:plc:"):
        response = await net.fetch(
            "GET", f"{PLC_URL}/{_u(did)}", headers=headers, max_bytes=DOC_CAP, timeout=seconds
        )
        return judge_plc(did, response)
    host = did[len("did:web:") :]
    response = await net.fetch(
        "GET",
        f"https://{host}{DID_WEB_PATH}",
        headers=headers,
        max_bytes=DOC_CAP,
        max_redirects=0,
        timeout=seconds,
    )
    return judge_did_web(did, response)


# ---------------------------------------------------------------------------------------
# bidirectional


def judge_bidirectional(
    domain: str, did: str | None, doc: DidDoc | None, expected_did: str | None = None
) -> BlueskyCheck:
    if did is None or doc is None:
        return _chk("bidirectional", CheckStatus.SKIP, "skipped: no DID document to read")
    update = f"In Bluesky: {SETTINGS_PATH} → `{domain}` → Verify → Update."
    if expected_did and did != expected_did:
        return _chk(
            "bidirectional",
            CheckStatus.FAIL,
            f"your records name `{did}`, but your account is `{expected_did}` (--did)",
            f"Replace `{did}` with your account's DID `{expected_did}`.",
        )
    if doc.pds and _host(doc.pds) == domain:
        return _chk(
            "bidirectional",
            CheckStatus.FAIL,
            f"`{domain}` is the account's hosting server (PDS) itself; a PDS's own name can't "
            "be a handle",
            f"Use another name for the handle, such as a subdomain of `{domain}`.",
        )
    at_entries = [e for e in doc.also_known_as if e.startswith("at://")]
    if doc.handle == domain:
        return _chk(
            "bidirectional",
            CheckStatus.PASS,
            f"the document of `{did}` claims `at://{domain}` back",
        )
    not_theirs = f" If `{did}` isn't your account: replace `{did}` with your account's DID."
    if doc.handle is None:
        seen = f" (alsoKnownAs: {', '.join(doc.also_known_as)})" if doc.also_known_as else ""
        return _chk(
            "bidirectional",
            CheckStatus.FAIL,
            f"the document of `{did}` claims no handle{seen}",
            update + not_theirs,
        )
    later = any(e.lower() == f"at://{domain}" for e in at_entries)
    if later:
        message = (
            f"the document of `{did}` lists `at://{domain}`, but after `at://{doc.handle}`; "
            "only the first counts"
        )
    else:
        message = f"the document of `{did}` claims `@{doc.handle}`, not `{domain}`"
    return _chk(
        "bidirectional",
        CheckStatus.FAIL,
        message,
        f"Your record points to an account that still uses `@{doc.handle}`. " + update + not_theirs,
    )


# ---------------------------------------------------------------------------------------
# pds


def judge_pds(
    domain: str,
    did: str | None,
    doc: DidDoc | None,
    repo: Response | None,
    resolved: Response | None,
) -> BlueskyCheck:
    if did is None or doc is None:
        return _chk("pds", CheckStatus.SKIP, "skipped: no DID document to read")
    problems = [p for p in (doc.pds_problem, doc.key_problem) if p]
    if problems or doc.pds is None:
        return _chk(
            "pds",
            CheckStatus.FAIL,
            "the identity record is incomplete: " + "; ".join(problems),
            "The account's identity record is incomplete; contact your hosting provider.",
        )
    if repo is None:
        return could_not("pds", "no time was left to ask the hosting server")
    ev = [repo.evidence()] + ([resolved.evidence()] if resolved is not None else [])
    host = _host(doc.pds) or doc.pds
    if _blocked(repo):
        return could_not("pds", f"the hosting server {host}: {repo.describe()}", ev)
    body = repo.json()
    error, message = _api_error(repo)
    if repo.status == 400 and error == "RepoNotFound":
        return _chk(
            "pds",
            CheckStatus.FAIL,
            f"the hosting server {host} doesn't have the account `{did}` ({message or error})",
            "The account's identity record names a server that doesn't host it; contact your "
            "hosting provider.",
            ev,
        )
    if repo.status != 200 or not isinstance(body, dict) or "active" not in body:
        return could_not(
            "pds",
            f"the hosting server {host} answered HTTP {repo.status} "
            f"{(error or message)[:80]!r} to getRepoStatus".rstrip(),
            ev,
        )
    state = str(body.get("status") or "").lower()
    if body.get("active") is not True:
        if state in SUSPENDED_STATUSES:
            return _chk(
                "pds",
                CheckStatus.FAIL,
                f"{host} reports the account as {state}",
                "Bluesky suspended this account; appeal through Bluesky support.",
                ev,
            )
        if state in DEACTIVATED_STATUSES:
            return _chk(
                "pds",
                CheckStatus.FAIL,
                f"{host} reports the account as deactivated",
                "Log in to Bluesky to reactivate the account.",
                ev,
            )
        return _chk(
            "pds",
            CheckStatus.FAIL,
            f"{host} reports the account as inactive ({state or 'no status given'})",
            "Log in to Bluesky; if the account stays inactive, contact your hosting provider.",
            ev,
        )
    message_ok = f"{host} hosts `{did}` (active); the signing key is present"
    if resolved is not None and resolved.status == 200:
        data = resolved.json()
        other = data.get("did") if isinstance(data, dict) else None
        if isinstance(other, str) and other != did:
            return _chk(
                "pds",
                CheckStatus.WARN,
                f"{message_ok}; but its resolveHandle maps `{domain}` to `{other}`",
                "The hosting server's cache is stale; it usually clears by itself within a day.",
                ev,
            )
    return _chk("pds", CheckStatus.PASS, message_ok, evidence=ev)


# ---------------------------------------------------------------------------------------
# appview + verification


@dataclass(frozen=True, slots=True)
class AppviewJudgement:
    check: BlueskyCheck
    profile: dict[str, Any] | None = None
    blocked: bool = False


RESUBMIT = (
    "Bluesky hasn't re-checked yet. Submit `{d}` again in Settings → Account → Handle to force "
    "it (max 10 per 5 min, 50 a day), or wait about an hour."
)


def judge_appview(
    domain: str,
    did: str | None,
    profile_resp: Response | None,
    resolve_resp: Response | None,
    earlier_ok: bool,
) -> AppviewJudgement:
    if did is None:
        return AppviewJudgement(_chk("appview", CheckStatus.SKIP, "skipped: no DID to look up"))
    if profile_resp is None or resolve_resp is None:
        return AppviewJudgement(
            could_not("appview", "no time was left to ask public.api.bsky.app"), blocked=True
        )
    ev = [profile_resp.evidence(), resolve_resp.evidence()]
    error, message = _api_error(profile_resp)
    if profile_resp.status == 400 and error == "AccountTakedown":
        return AppviewJudgement(
            _chk(
                "appview",
                CheckStatus.FAIL,
                f"Bluesky reports `{did}` as taken down ({message or error})",
                "Bluesky suspended this account; appeal through Bluesky support.",
                ev,
            )
        )
    if profile_resp.status == 400 and error == "AccountDeactivated":
        return AppviewJudgement(
            _chk(
                "appview",
                CheckStatus.FAIL,
                f"Bluesky reports `{did}` as deactivated",
                "Log in to Bluesky to reactivate the account.",
                ev,
            )
        )
    resolved: str | None = None
    if resolve_resp.status == 200:
        data = resolve_resp.json()
        if isinstance(data, dict) and isinstance(data.get("did"), str):
            resolved = data["did"]
    if resolved is not None and resolved != did:
        return AppviewJudgement(
            _chk(
                "appview",
                CheckStatus.FAIL,
                f"public.api.bsky.app resolves `{domain}` to `{resolved}`, not `{did}`",
                f"Bluesky still links `{domain}` to another account. Re-submit the handle; if "
                "it persists, contact Bluesky support.",
                ev,
            )
        )
    blocked = [r for r in (profile_resp, resolve_resp) if _blocked(r)]
    if blocked:
        what = "; ".join(f"{_path_of(r)}: {r.describe()}" for r in blocked)
        return AppviewJudgement(
            could_not("appview", f"public.api.bsky.app ({what})", ev), None, True
        )
    body = profile_resp.json()
    if profile_resp.status != 200 or not isinstance(body, dict):
        if profile_resp.status == 400 and message == PROFILE_NOT_FOUND:
            return AppviewJudgement(
                _chk(
                    "appview",
                    CheckStatus.WARN if earlier_ok else CheckStatus.INFO,
                    f"Bluesky has no profile for `{did}` ({message})",
                    "If you just created the account, wait a few minutes; otherwise log in to "
                    "Bluesky once so it is indexed.",
                    ev,
                )
            )
        return AppviewJudgement(
            could_not(
                "appview",
                f"public.api.bsky.app answered HTTP {profile_resp.status} to getProfile",
                ev,
            ),
            None,
            True,
        )
    shown = str(body.get("handle") or "").lower()
    if shown == domain and resolved == did:
        return AppviewJudgement(
            _chk(
                "appview",
                CheckStatus.PASS,
                f"Bluesky shows `{did}` as `@{domain}`, and resolves `{domain}` to it",
                evidence=ev,
            ),
            body,
        )
    resubmit = RESUBMIT.format(d=domain)
    if shown == INVALID_HANDLE:
        if earlier_ok:
            return AppviewJudgement(
                _chk(
                    "appview",
                    CheckStatus.WARN,
                    f"Bluesky shows `{did}` as `handle.invalid` although your setup checks out",
                    resubmit,
                    ev,
                ),
                body,
            )
        return AppviewJudgement(
            _chk(
                "appview",
                CheckStatus.INFO,
                f"Bluesky shows `{did}` as `handle.invalid`, as expected until the problems above "
                "are fixed",
                "Fix the problems above, then submit the handle again in Settings → Account → "
                "Handle.",
                ev,
            ),
            body,
        )
    if shown != domain:
        return AppviewJudgement(
            _chk(
                "appview",
                CheckStatus.WARN if earlier_ok else CheckStatus.INFO,
                f"Bluesky still shows `{did}` as `@{shown}`"
                + (" (not re-indexed yet)" if earlier_ok else ""),
                resubmit,
                ev,
            ),
            body,
        )
    return AppviewJudgement(
        _chk(
            "appview",
            CheckStatus.WARN,
            f"Bluesky shows `{did}` as `@{domain}`, but its resolveHandle doesn't find "
            f"`{domain}` yet ({resolve_resp.describe()} {_api_error(resolve_resp)[1][:80]!r})",
            resubmit,
            ev,
        ),
        body,
    )


def _path_of(response: Response) -> str:
    try:
        return urlsplit(response.url).path.rsplit("/", 1)[-1]
    except ValueError:
        return response.url


RENAME_NOTE = (
    "Renaming the account, or switching it to a new handle, drops the blue check until it is "
    "verified again."
)


def _issuer(entry: dict[str, Any]) -> str:
    for key in ("issuerHandle", "issuerDisplayName", "issuer"):
        value = entry.get(key)
        if isinstance(value, str) and value:
            return value
    return "the verifier"


def judge_verification(appview: AppviewJudgement, did: str | None) -> BlueskyCheck:
    if appview.blocked:
        return could_not("verification", "the Bluesky app view did not answer")
    profile = appview.profile
    if did is None or profile is None:
        return _chk("verification", CheckStatus.SKIP, "skipped: no Bluesky profile to read")
    state = profile.get("verification")
    handle = str(profile.get("handle") or "")
    if not isinstance(state, dict):
        why = (
            " (Bluesky leaves it out while the handle is invalid)"
            if handle == INVALID_HANDLE
            else ""
        )
        return _chk("verification", CheckStatus.INFO, f"no blue check{why}. {RENAME_NOTE}")
    entries = [e for e in state.get("verifications") or () if isinstance(e, dict)]
    verified = str(state.get("verifiedStatus") or "none")
    trusted = str(state.get("trustedVerifierStatus") or "none")
    trusted_note = " This account is a trusted verifier." if trusted == "valid" else ""
    if verified == "valid":
        valid = [e for e in entries if e.get("isValid") is True] or entries
        issuers = ", ".join(dict.fromkeys(_issuer(e) for e in valid)) or "a trusted verifier"
        return _chk(
            "verification",
            CheckStatus.INFO,
            f"blue check from {issuers}.{trusted_note} {RENAME_NOTE}",
        )
    if verified == "invalid":
        issuer = _issuer(entries[0]) if entries else "your verifier"
        return _chk(
            "verification",
            CheckStatus.WARN,
            f"the blue check from {issuer} is no longer valid.{trusted_note} {RENAME_NOTE}",
            f"The blue check no longer matches your handle or display name; ask {issuer} to "
            "verify again.",
        )
    return _chk("verification", CheckStatus.INFO, f"no blue check.{trusted_note} {RENAME_NOTE}")


# ---------------------------------------------------------------------------------------
# overall


def overall_status(checks: Sequence[BlueskyCheck]) -> BlueskyStatus:
    """BLUESKY.md §9, in order: misconfigured, not_configured, unknown, verified."""
    by_id = {c.id: c for c in checks}
    if any(c.status is CheckStatus.FAIL for c in checks):
        return BlueskyStatus.MISCONFIGURED
    dns_c, file_c = by_id.get("dns_txt"), by_id.get("well_known")
    if (
        dns_c is not None
        and file_c is not None
        and dns_c.status is CheckStatus.INFO
        and file_c.status is CheckStatus.INFO
    ):
        return BlueskyStatus.NOT_CONFIGURED
    if any(c.status is CheckStatus.SKIP and c.message.startswith(COULD_NOT) for c in checks):
        return BlueskyStatus.UNKNOWN
    resolved = any(
        by_id.get(i) is not None and by_id[i].status in {CheckStatus.PASS, CheckStatus.WARN}
        for i in ("dns_txt", "well_known")
    )
    needed_pass = all(
        by_id.get(i) is not None and by_id[i].status is CheckStatus.PASS
        for i in ("did_document", "bidirectional")
    )
    agree = by_id.get("methods_agree")
    pds = by_id.get("pds")
    if (
        resolved
        and needed_pass
        and agree is not None
        and agree.status in {CheckStatus.PASS, CheckStatus.SKIP}
        and pds is not None
        and pds.status in {CheckStatus.PASS, CheckStatus.WARN}
    ):
        return BlueskyStatus.VERIFIED
    return BlueskyStatus.UNKNOWN


def _skip_all(first: BlueskyCheck, message: str) -> tuple[BlueskyCheck, ...]:
    """``first`` and every other check skipped with ``message``."""
    fix = RETRY if message.startswith(COULD_NOT) else None
    rest = (_chk(i, CheckStatus.SKIP, message, fix) for i in CHECK_IDS if i != first.id)
    return (first, *rest)


def judge_syntax(raw: str) -> tuple[str, BlueskyCheck, bool]:
    """(normalised domain, handle_syntax check, whether the other checks can run)."""
    norm = normalise_handle(raw)
    domain = norm.value
    changed = f" (normalised from {raw!r}: {'; '.join(norm.changes)})" if norm.changes else ""
    problem = norm.problem or handle_problem(domain)
    if problem:
        return (
            domain,
            _chk(
                "handle_syntax",
                CheckStatus.FAIL,
                f"`{domain or raw}` can't be a handle: {problem}{changed}",
                "Use a domain you own on the public internet, such as `acme.com` or "
                "`team.acme.com`.",
            ),
            False,
        )
    warning = handle_warning(domain)
    if warning:
        return (
            domain,
            _chk(
                "handle_syntax",
                CheckStatus.WARN,
                f"`{domain}` is valid syntax, but {warning}{changed}",
                "Use a shorter domain on a public top-level domain."
                if not domain.endswith(".test")
                else "Use a domain on a public top-level domain, such as `acme.com`.",
            ),
            True,
        )
    if norm.changes:
        return (
            domain,
            _chk(
                "handle_syntax",
                CheckStatus.INFO,
                f"`{domain}` is a valid handle{changed}",
                "Use the normalised form when you enter the handle in Bluesky.",
            ),
            True,
        )
    return domain, _chk("handle_syntax", CheckStatus.PASS, f"`{domain}` is a valid handle"), True


# ---------------------------------------------------------------------------------------
# entry point


async def verify_domain(
    domain: str,
    net: NetClient,
    dns: DnsClient,
    settings: Settings,
    *,
    expected_did: str | None = None,
) -> BlueskyDomain:
    """Run the nine checks for ``domain``; never raises, always returns within about the
    ``[network] deadline``. ``expected_did`` (``--did``) fills ``setup`` and sharpens fixes."""
    normalised, syntax, runnable = judge_syntax(domain)
    setup = None
    if expected_did and did_problem(expected_did) is None and runnable:
        setup = build_setup(normalised, expected_did)
    if not runnable:
        checks = _skip_all(syntax, "skipped: the handle is not valid")
        return BlueskyDomain(
            domain=normalised, status=overall_status(checks), checks=checks, setup=setup
        )
    total = settings.network.deadline
    # The platform id picks the HTTP cache TTL of the requests below: none by default.
    token = current_platform.set(CACHE_ID)
    try:
        async with asyncio.timeout(total + GRACE_SECONDS):
            result = await _verify(normalised, syntax, net, dns, total, expected_did)
    except TimeoutError:
        checks = _skip_all(
            syntax, f"{COULD_NOT}: the verification ran past its {total:g}s deadline"
        )
        return BlueskyDomain(domain=normalised, status=BlueskyStatus.UNKNOWN, checks=checks)
    except Exception as exc:  # one broken check never stops a run
        log.debug("bluesky verifier failed for %s", normalised, exc_info=True)
        reason = f"{COULD_NOT}: internal error ({type(exc).__name__}: {str(exc)[:160]})"
        checks = _skip_all(syntax, reason)
        return BlueskyDomain(domain=normalised, status=BlueskyStatus.UNKNOWN, checks=checks)
    finally:
        current_platform.reset(token)
    return result.model_copy(update={"setup": setup})


async def _verify(
    domain: str,
    syntax: BlueskyCheck,
    net: NetClient,
    dns: DnsClient,
    total: float,
    expected_did: str | None,
) -> BlueskyDomain:
    budget = _Budget(total)
    # Phase 1: DNS and the website file, concurrently.
    phase1 = budget.share(0.4)
    dns_obs, file_resp = await asyncio.gather(
        observe_dns(domain, dns, phase1),
        net.fetch(
            "GET",
            f"https://{domain}{WELL_KNOWN_PATH}",
            max_bytes=WELL_KNOWN_CAP + 1,
            max_redirects=WELL_KNOWN_MAX_REDIRECTS,
            timeout=phase1,
        ),
    )
    dns_j = judge_dns(dns_obs, expected_did)
    file_j = judge_well_known(domain, file_resp, dns_obs, expected_did)
    dns_did = dns_j.reading.did if dns_j.reading else None
    file_did = file_j.reading.did if file_j.reading and file_j.reading.resolves else None
    methods = judge_methods(dns_did, file_did)
    did = dns_did or file_did
    if did is None:
        guesses = list(dns_j.reading.candidates if dns_j.reading else ())
        if file_j.reading and file_j.reading.did:
            guesses.append(file_j.reading.did)
        did = next((g for g in guesses if did_problem(g) is None), None)
    # Phase 2: the DID document.
    doc_j = (
        await fetch_document(did, net, budget.share(0.5))
        if did
        else DocJudgement(
            _chk("did_document", CheckStatus.SKIP, "skipped: neither method named a DID")
        )
    )
    doc = doc_j.doc
    bidi = judge_bidirectional(domain, did, doc, expected_did)
    # Phase 3: the PDS and the AppView, concurrently.
    phase3 = budget.left()
    tasks: list[Awaitable[Response]] = []
    if did and doc is not None and doc.pds and not doc.pds_problem and not doc.key_problem:
        tasks += [
            net.fetch(
                "GET",
                f"{doc.pds}/xrpc/com.atproto.sync.getRepoStatus?did={_u(did)}",
                max_bytes=API_CAP,
                timeout=phase3,
            ),
            net.fetch(
                "GET",
                f"{doc.pds}/xrpc/com.atproto.identity.resolveHandle?handle={_u(domain)}",
                max_bytes=API_CAP,
                timeout=phase3,
            ),
        ]
    if did:
        tasks += [
            net.fetch(
                "GET",
                f"{APPVIEW_URL}/xrpc/app.bsky.actor.getProfile?actor={_u(did)}",
                max_bytes=API_CAP,
                timeout=phase3,
            ),
            net.fetch(
                "GET",
                f"{APPVIEW_URL}/xrpc/com.atproto.identity.resolveHandle?handle={_u(domain)}",
                max_bytes=API_CAP,
                timeout=phase3,
            ),
        ]
    answers = list(await asyncio.gather(*tasks))
    repo = resolved_pds = profile = resolved_app = None
    if len(answers) == 4:
        repo, resolved_pds, profile, resolved_app = answers
    elif len(answers) == 2:
        profile, resolved_app = answers
    pds = judge_pds(domain, did, doc, repo, resolved_pds)
    so_far = [syntax, dns_j.check, file_j.check, methods, doc_j.check, bidi, pds]
    earlier_ok = not any(c.status is CheckStatus.FAIL for c in so_far)
    appview = judge_appview(domain, did, profile, resolved_app, earlier_ok)
    verification = judge_verification(appview, did)
    checks = (*so_far, appview.check, verification)
    return BlueskyDomain(
        domain=domain,
        status=overall_status(checks),
        did=did,
        handle=doc.handle if doc is not None else None,
        checks=checks,
    )
