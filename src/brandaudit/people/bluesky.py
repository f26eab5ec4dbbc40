"""A person's Bluesky handle, judged as an organisation would vouch for it.

Two clean ways for an organisation to vouch for its people on Bluesky (docs/bluesky.md,
"People and verification"):

- a handle under the brand's own domain (``alice.acme.com``), which only the domain's owner
  can set up: checked with the same nine-check verifier as the brand's own domain handle;
  where the person's handle is elsewhere, the exact setup for ``<name>.<brand domain>`` is
  built with ``brandaudit.bluesky.setup`` for the person's DID;
- an ``app.bsky.graph.verification`` record in the brand account's repository whose
  ``subject`` is the person's DID (read with ``com.atproto.repo.listRecords`` on the brand's
  PDS, https://docs.bsky.app/docs/api/com-atproto-repo-list-records), shown back by the
  AppView in the person's profile ``verification`` view (``verifications[].issuer``,
  ``isValid``).

Every request goes through the run's network core (a ``CheckContext``), so each answer is
evidence; nothing here raises for network trouble.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from brandaudit.bluesky import verify_domain
from brandaudit.bluesky.common import quote_value
from brandaudit.bluesky.identity import fetch_document
from brandaudit.bluesky.setup import build_setup
from brandaudit.config import Settings
from brandaudit.model import (
    BlueskyStatus,
    Brand,
    Evidence,
    PersonBluesky,
    PersonVerification,
    Status,
    VerificationState,
)
from brandaudit.net.client import NetClient
from brandaudit.net.dns import DnsClient
from brandaudit.ownership.domains import host_matches
from brandaudit.platforms.base import CheckContext
from brandaudit.policy.match import result_for

# --- signals -----------------------------------------------------------------------------
APPVIEW = "https://public.api.bsky.app/xrpc"
PROFILE = APPVIEW + "/app.bsky.actor.getProfile?actor={actor}"
LIST_RECORDS = "{pds}/xrpc/com.atproto.repo.listRecords?repo={repo}&collection={collection}"
VERIFICATION_COLLECTION = "app.bsky.graph.verification"
HOSTED_SUFFIX = ".bsky.social"
PAGE_SIZE = 100  # listRecords' maximum ``limit``
MAX_PAGES = 10  # 1000 verification records: far more than any brand issues
# -----------------------------------------------------------------------------------------

_LABEL = re.compile(r"[^a-z0-9-]+")


def context(net: NetClient, dns: DnsClient, settings: Settings, platform: str) -> CheckContext:
    """A context that records evidence and gives each request the time left of one check."""
    ctx = CheckContext(net=net, dns=dns, settings=settings, platform=platform)
    ctx.deadline_at = time.monotonic() + settings.network.deadline
    return ctx


def full_handle(handle: str) -> str:
    text = handle.strip().lstrip("@").lower()
    return text if "." in text else text + HOSTED_SUFFIX


def name_label(name: str, handle: str) -> str:
    """The DNS label for ``<name>.<brand domain>``: the person's first name (accents dropped),
    else the first label of their current handle."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    for word in ascii_name.split():
        label = _LABEL.sub("", word).strip("-")[:63]
        if label:
            return label
    first = full_handle(handle).split(".", 1)[0]
    return _LABEL.sub("", first).strip("-")[:63] or "name"


def under_domains(handle: str, domains: list[str]) -> bool:
    """True when ``handle`` is a subdomain of one of the brand's domains (not the domain
    itself: that is the brand's own handle)."""
    full = full_handle(handle)
    return any(host_matches(full, d) and full != d.lower() for d in domains)


@dataclass(slots=True)
class BrandVerifier:
    """The brand's Bluesky account as a verifier: its DID and the verification records its
    repository holds (read once per brand)."""

    did: str | None
    records: list[dict[str, Any]] | None
    """None: the repository could not be read (then no verdict either way)."""
    reason: str
    evidence: list[Evidence] = field(default_factory=list)


def _brand_actor(brand: Brand, settings: Settings) -> tuple[str | None, str | None]:
    """(DID, or an actor to resolve) of the brand's Bluesky account: the verified domain
    handle first, else the brand's claimed Bluesky account from ``[claims]``."""
    domain = brand.bluesky_domain
    if domain is not None and domain.status is BlueskyStatus.VERIFIED and domain.did:
        return domain.did, None
    claimed = settings.claims.get("bluesky")
    result = result_for(brand, "bluesky", claimed) if claimed else None
    if claimed and result is not None and result.status is Status.CLAIMED:
        return None, full_handle(claimed)
    return None, None


async def brand_verifier(
    brand: Brand, settings: Settings, net: NetClient, dns: DnsClient
) -> BrandVerifier:
    did, actor = _brand_actor(brand, settings)
    ctx = context(net, dns, settings, "bluesky")
    if did is None and actor is not None:
        response = await ctx.fetch(PROFILE.format(actor=quote_value(actor)))
        body = response.json()
        if response.status == 200 and isinstance(body, dict) and isinstance(body.get("did"), str):
            did = body["did"]
            ctx.mark("200 with did: the brand account's DID")
        else:
            return BrandVerifier(
                None, None, f"could not read the brand account @{actor}", ctx.evidence
            )
    if did is None:
        return BrandVerifier(
            None,
            None,
            "the brand has no verified Bluesky domain handle or claimed Bluesky account in this "
            "report to issue verifications",
            ctx.evidence,
        )
    doc = await fetch_document(did, net, max(0.1, (ctx.deadline_at or 0) - time.monotonic()))
    ctx.evidence.extend(doc.check.evidence)
    if doc.doc is None or not doc.doc.pds or doc.doc.pds_problem:
        return BrandVerifier(
            did, None, f"could not find the brand account's PDS: {doc.check.message}", ctx.evidence
        )
    records: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        url = (
            LIST_RECORDS.format(
                pds=doc.doc.pds, repo=quote_value(did), collection=VERIFICATION_COLLECTION
            )
            + f"&limit={PAGE_SIZE}"
        )
        if cursor:
            url += f"&cursor={quote_value(cursor)}"
        response = await ctx.fetch(url)
        body = response.json()
        if response.status != 200 or not isinstance(body, dict):
            ctx.mark(f"no verdict: HTTP {response.status}")
            why = response.error or f"HTTP {response.status}"
            return BrandVerifier(
                did, None, f"could not list the brand's verification records ({why})", ctx.evidence
            )
        page = [r for r in body.get("records") or () if isinstance(r, dict)]
        records.extend(page)
        ctx.mark(f"200 with {len(page)} {VERIFICATION_COLLECTION} record(s)")
        next_cursor = body.get("cursor")
        if not page or not isinstance(next_cursor, str) or not next_cursor:
            break
        cursor = next_cursor
    else:
        return BrandVerifier(
            did,
            records,
            f"read the first {MAX_PAGES * PAGE_SIZE} verification records only",
            ctx.evidence,
        )
    return BrandVerifier(did, records, f"{len(records)} verification record(s)", ctx.evidence)


def _record_for(records: list[dict[str, Any]], did: str) -> dict[str, Any] | None:
    for record in records:
        value = record.get("value")
        if isinstance(value, dict) and value.get("subject") == did:
            return record
    return None


def _appview_view(profile: dict[str, Any] | None, issuer: str) -> bool | None:
    """What the person's profile says of the issuer's verification: True valid, False listed
    but not valid, None not listed (or no profile)."""
    if profile is None:
        return None
    state = profile.get("verification")
    if not isinstance(state, dict):
        return None
    for entry in state.get("verifications") or ():
        if isinstance(entry, dict) and entry.get("issuer") == issuer:
            return entry.get("isValid") is True
    return None


def judge_verification(
    verifier: BrandVerifier,
    person_did: str | None,
    profile: dict[str, Any] | None,
    evidence: list[Evidence],
) -> PersonVerification:
    ev = (*verifier.evidence, *evidence)
    if verifier.did is None:
        state = (
            VerificationState.UNKNOWN
            if verifier.reason.startswith("could not")
            else VerificationState.NOT_APPLICABLE
        )
        return PersonVerification(status=state, reason=verifier.reason, evidence=ev)
    if person_did is None:
        return PersonVerification(
            status=VerificationState.UNKNOWN,
            issuer=verifier.did,
            reason="the person's Bluesky account (its DID) could not be read",
            evidence=ev,
        )
    view = _appview_view(profile, verifier.did)
    if verifier.records is None:
        if view is not None:  # the AppView lists the brand's record even if the PDS is down
            return PersonVerification(
                status=VerificationState.ISSUED,
                issuer=verifier.did,
                appview_valid=view,
                reason="Bluesky's app view lists a verification from the brand's account "
                f"({'valid' if view else 'no longer valid'}); {verifier.reason}",
                evidence=ev,
            )
        return PersonVerification(
            status=VerificationState.UNKNOWN,
            issuer=verifier.did,
            reason=verifier.reason,
            evidence=ev,
        )
    record = _record_for(verifier.records, person_did)
    if record is None:
        return PersonVerification(
            status=VerificationState.NOT_ISSUED,
            issuer=verifier.did,
            appview_valid=view,
            reason=f"the brand's account ({verifier.did}) holds no {VERIFICATION_COLLECTION} "
            f"record for {person_did} ({verifier.reason})",
            evidence=ev,
        )
    uri = record.get("uri") if isinstance(record.get("uri"), str) else None
    if view is False:
        reason = (
            "the brand's account verified this person, but Bluesky shows the check as no longer "
            "valid (the handle or display name changed since)"
        )
    elif view is None:
        reason = (
            "the brand's account holds a verification record for this person; Bluesky's app "
            "view does not show it (the brand may not be a trusted verifier)"
        )
    else:
        reason = "the brand's account verified this person, and Bluesky shows the check"
    return PersonVerification(
        status=VerificationState.ISSUED,
        issuer=verifier.did,
        record_uri=uri,
        appview_valid=view,
        reason=reason,
        evidence=ev,
    )


async def person_bluesky(
    name: str,
    handle: str,
    brand: Brand,
    domains: list[str],
    verifier: BrandVerifier,
    settings: Settings,
    net: NetClient,
    dns: DnsClient,
) -> PersonBluesky:
    """The person's Bluesky handle: domain checks, under the brand's domain, setup for
    ``<name>.<brand domain>`` and the brand's verification."""
    full = full_handle(handle)
    hosted = full.endswith(HOSTED_SUFFIX)
    domain_verdict = None if hosted else await verify_domain(full, net, dns, settings)
    did = domain_verdict.did if domain_verdict is not None else None
    ctx = context(net, dns, settings, "bluesky")
    response = await ctx.fetch(PROFILE.format(actor=quote_value(did or full)))
    body = response.json()
    profile: dict[str, Any] | None = None
    if response.status == 200 and isinstance(body, dict) and isinstance(body.get("did"), str):
        profile = body
        did = did or body["did"]
        ctx.mark("200 with did and verification view")
    under = under_domains(full, domains)
    suggested = None if under else f"{name_label(name, full)}.{brand.domain}"
    setup = build_setup(suggested, did) if suggested and did else None
    return PersonBluesky(
        handle=full,
        did=did,
        under_brand_domain=under,
        domain=domain_verdict,
        suggested_handle=suggested,
        setup=setup,
        verification=judge_verification(verifier, did, profile, ctx.evidence),
    )
