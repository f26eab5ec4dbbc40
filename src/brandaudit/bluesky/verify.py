"""The Bluesky domain-handle verifier: nine checks, every finding reported
(docs/bluesky.md: "The nine checks", "Overall status").

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
from collections.abc import Sequence

from brandaudit.bluesky.account import (
    API_CAP,
    APPVIEW_URL,
    judge_appview,
    judge_pds,
    judge_verification,
)
from brandaudit.bluesky.checks import CHECK_IDS
from brandaudit.bluesky.common import COULD_NOT, RETRY, make_check, quote_value
from brandaudit.bluesky.diddoc import DidDoc
from brandaudit.bluesky.dns_check import (
    DnsJudgement,
    DnsObservation,
    judge_dns,
    observe_dns,
    resolver_value,
)
from brandaudit.bluesky.identity import (
    DocJudgement,
    fetch_document,
    judge_bidirectional,
    judge_methods,
)
from brandaudit.bluesky.setup import build_setup
from brandaudit.bluesky.syntax import did_problem, handle_problem, handle_warning, normalise_handle
from brandaudit.bluesky.well_known import (
    WELL_KNOWN_CAP,
    WELL_KNOWN_MAX_REDIRECTS,
    WELL_KNOWN_PATH,
    WellKnownJudgement,
    behind_working_dns,
    behind_working_file,
    file_state,
    judge_well_known,
)
from brandaudit.cache import current_platform
from brandaudit.config import Settings
from brandaudit.model import BlueskyCheck, BlueskyDomain, BlueskyStatus, Cause, CheckStatus
from brandaudit.net.client import NetClient, Response
from brandaudit.net.dns import DnsClient

log = logging.getLogger("brandaudit.bluesky")

CACHE_ID = "bluesky-domain"
"""Key for ``[network] cache_ttls``; the verifier's requests are not cached by default (and its
identity answers never are: ``brandaudit.cache.is_identity``)."""

GRACE_SECONDS = 1.0


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


# ---------------------------------------------------------------------------------------
# overall


def overall_status(checks: Sequence[BlueskyCheck]) -> BlueskyStatus:
    """docs/bluesky.md, "Overall status", in order: misconfigured, not_configured, unknown,
    verified.

    ``verified`` is what Bluesky's resolver decides (@atproto/identity: the handle resolves
    by DNS, or by the website file when DNS gives nothing; the document claims it back and
    has a signing key and a PDS) plus an active account; anything brandaudit sees beyond
    that is a ``warn`` on a verified handle. A ``fail`` means the handle doesn't work."""
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
    if any(c.cause is not None for c in checks):
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
        and agree.status in {CheckStatus.PASS, CheckStatus.WARN, CheckStatus.SKIP}
        and pds is not None
        and pds.status in {CheckStatus.PASS, CheckStatus.WARN}
    ):
        return BlueskyStatus.VERIFIED
    return BlueskyStatus.UNKNOWN


def undecided(domain: str, why: str, cause: Cause = Cause.DEADLINE) -> BlueskyDomain:
    """The verdict when the verifier could not run to the end (e.g. the brand's deadline)."""
    message = f"{COULD_NOT}: {why}"
    checks = tuple(make_check(i, CheckStatus.SKIP, message, RETRY, cause=cause) for i in CHECK_IDS)
    return BlueskyDomain(domain=domain, status=BlueskyStatus.UNKNOWN, checks=checks)


def _skip_all(
    first: BlueskyCheck, message: str, cause: Cause | None = None
) -> tuple[BlueskyCheck, ...]:
    """``first`` and every other check skipped with ``message`` (and ``cause``, when it is
    brandaudit's side that could not check: then the fix is to retry)."""
    fix = RETRY if cause is not None else None
    rest = (
        make_check(i, CheckStatus.SKIP, message, fix, cause=cause)
        for i in CHECK_IDS
        if i != first.id
    )
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
            make_check(
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
            make_check(
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
            make_check(
                "handle_syntax",
                CheckStatus.INFO,
                f"`{domain}` is a valid handle{changed}",
                "Use the normalised form when you enter the handle in Bluesky.",
            ),
            True,
        )
    return (
        domain,
        make_check("handle_syntax", CheckStatus.PASS, f"`{domain}` is a valid handle"),
        True,
    )


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
            syntax,
            f"{COULD_NOT}: the verification ran past its {total:g}s deadline",
            Cause.DEADLINE,
        )
        return BlueskyDomain(
            domain=normalised, status=BlueskyStatus.UNKNOWN, checks=checks, setup=setup
        )
    except Exception as exc:  # one broken check never stops a run
        log.debug("bluesky verifier failed for %s", normalised, exc_info=True)
        reason = f"{COULD_NOT}: internal error ({type(exc).__name__}: {str(exc)[:160]})"
        checks = _skip_all(syntax, reason, Cause.INTERNAL_ERROR)
        return BlueskyDomain(
            domain=normalised, status=BlueskyStatus.UNKNOWN, checks=checks, setup=setup
        )
    finally:
        current_platform.reset(token)
    return result.model_copy(update={"setup": setup})


async def _get(net: NetClient, url: str, seconds: float) -> Response:
    return await net.fetch("GET", url, max_bytes=API_CAP, timeout=seconds)


async def _ask_pds(
    net: NetClient, doc: DidDoc | None, did: str | None, domain: str, seconds: float
) -> tuple[Response | None, Response | None]:
    """(getRepoStatus, resolveHandle) from the account's PDS; (None, None) when the document
    names no usable PDS (the ``pds`` check reports why)."""
    if not did or doc is None or not doc.pds or doc.pds_problem or doc.key_problem:
        return None, None
    base = f"{doc.pds}/xrpc"
    repo, resolved = await asyncio.gather(
        _get(net, f"{base}/com.atproto.sync.getRepoStatus?did={quote_value(did)}", seconds),
        _get(
            net, f"{base}/com.atproto.identity.resolveHandle?handle={quote_value(domain)}", seconds
        ),
    )
    return repo, resolved


async def _ask_appview(
    net: NetClient, did: str | None, domain: str, seconds: float
) -> tuple[Response | None, Response | None]:
    """(getProfile by DID, resolveHandle of the domain) from the public AppView."""
    if not did:
        return None, None
    base = f"{APPVIEW_URL}/xrpc"
    profile, resolved = await asyncio.gather(
        _get(net, f"{base}/app.bsky.actor.getProfile?actor={quote_value(did)}", seconds),
        _get(
            net, f"{base}/com.atproto.identity.resolveHandle?handle={quote_value(domain)}", seconds
        ),
    )
    return profile, resolved


def _judge_methods(
    domain: str, dns_obs: DnsObservation, file_resp: Response, expected_did: str | None
) -> tuple[DnsJudgement, WellKnownJudgement, BlueskyCheck, str | None]:
    """Phase 1's verdicts: the DNS record and the website file (each judged in the light of
    the other: the one that works turns the other's failure into a warning), whether they
    agree, and the DID to follow (the one they name, else the likeliest one meant)."""
    file_j = judge_well_known(domain, file_resp, dns_obs, expected_did)
    dns_j = judge_dns(dns_obs, expected_did, file_state(file_resp, file_j))
    dns_did = dns_j.reading.did if dns_j.reading else None
    if dns_did is not None:
        file_j = behind_working_dns(file_j)
    file_did = file_j.reading.did if file_j.reading and file_j.reading.resolves else None
    if file_did is not None and dns_did is None and resolver_value(dns_obs.main) is None:
        dns_j = behind_working_file(dns_j)
    did = dns_did or file_did or _likely_did(dns_j, file_j)
    return dns_j, file_j, judge_methods(dns_did, file_did), did


def _likely_did(dns_j: DnsJudgement, file_j: WellKnownJudgement) -> str | None:
    """When neither method names a DID: the first valid DID the records seem to mean."""
    guesses = list(dns_j.reading.candidates if dns_j.reading else ())
    if file_j.reading and file_j.reading.did:
        guesses.append(file_j.reading.did)
    return next((g for g in guesses if did_problem(g) is None), None)


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
    dns_j, file_j, methods, did = _judge_methods(domain, dns_obs, file_resp, expected_did)
    # Phase 2: the DID document.
    doc_j = (
        await fetch_document(did, net, budget.share(0.5))
        if did
        else DocJudgement(
            make_check("did_document", CheckStatus.SKIP, "skipped: neither method named a DID")
        )
    )
    doc = doc_j.doc
    bidi = judge_bidirectional(domain, did, doc, expected_did)
    # Phase 3: the PDS and the AppView, concurrently.
    phase3 = budget.left()
    (repo, resolved_pds), (profile, resolved_app) = await asyncio.gather(
        _ask_pds(net, doc, did, domain, phase3), _ask_appview(net, did, domain, phase3)
    )
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
