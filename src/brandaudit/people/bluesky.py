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
from brandaudit.hosts import host_matches
from brandaudit.model import (
    BlueskyStatus,
    Brand,
    Evidence,
    PersonBluesky,
    PersonVerification,
    Status,
    VerificationMismatch,
    VerificationState,
)
from brandaudit.net.client import NetClient
from brandaudit.net.dns import DnsClient
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


# --- Bluesky's verification rule ------------------------------------------------------------
# The AppView rates each verification of a profile in ``Views.verification``
# (bluesky-social/atproto, packages/bsky/src/views/index.ts; the same code in @atproto/bsky
# 0.0.275 and in 0.0.280, the version @atproto/dev-env 0.6.7 runs):
#
#     const isValid = !!displayName && displayName === actor.profile?.displayName &&
#                     !!handle && handle === actor.handle
#
# ``handle`` and ``displayName`` are the record's snapshot of the subject; ``actor.handle``
# and ``actor.profile.displayName`` are the subject's current ones, which getProfile returns
# as ``handle`` and ``displayName``. Exact, case-sensitive string equality; an empty value on
# either side is never valid. The AppView returns no ``verification`` at all while the
# subject's handle is ``handle.invalid``, and lists only verifications from issuers it
# trusts (``actor.trustedVerifier``, packages/bsky/src/data-plane/server/routes/profile.ts):
# for any other brand it is silent and brandaudit applies the rule itself.
#
# The AppView keeps one verification per issuer and subject: the first it indexed. A later
# record for the same subject is held as a duplicate until that one is deleted
# (packages/bsky/src/data-plane/server/indexing/plugins/verification.ts ``findDuplicate``,
# indexing/processor.ts ``deleteRecord``). Record keys are TIDs (lexicons/app/bsky/graph/
# verification.json, ``"key": "tid"``), which sort by creation time.
INVALID_HANDLE = "handle.invalid"


@dataclass(frozen=True, slots=True)
class _AppViewVerdict:
    valid: bool
    uri: str | None


def _records_for(records: list[dict[str, Any]], did: str) -> list[dict[str, Any]]:
    """The brand's records whose ``subject`` is ``did``, the first written first."""
    found = [
        r for r in records if isinstance(r.get("value"), dict) and r["value"].get("subject") == did
    ]
    return sorted(found, key=lambda r: _rkey(r) or "")


def _rkey(record: dict[str, Any]) -> str | None:
    uri = record.get("uri")
    return uri.rsplit("/", 1)[-1] if isinstance(uri, str) else None


def _uri(record: dict[str, Any]) -> str | None:
    uri = record.get("uri")
    return uri if isinstance(uri, str) else None


def _appview_view(profile: dict[str, Any] | None, issuer: str) -> _AppViewVerdict | None:
    """What the person's profile says of the issuer's verification, or None when it lists
    none from the issuer (or there is no profile)."""
    if profile is None:
        return None
    state = profile.get("verification")
    if not isinstance(state, dict):
        return None
    for entry in state.get("verifications") or ():
        if isinstance(entry, dict) and entry.get("issuer") == issuer:
            uri = entry.get("uri")
            return _AppViewVerdict(
                entry.get("isValid") is True, uri if isinstance(uri, str) else None
            )
    return None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def mismatches(record: dict[str, Any], profile: dict[str, Any]) -> tuple[VerificationMismatch, ...]:
    """The AppView's rule (see above) on one record: each snapshot field that makes it
    invalid. Empty: Bluesky counts the record as valid."""
    value = record.get("value")
    snapshot = value if isinstance(value, dict) else {}
    found: list[VerificationMismatch] = []
    for name in ("handle", "displayName"):
        named, current = _text(snapshot.get(name)), _text(profile.get(name))
        if not named or not current or named != current:
            found.append(VerificationMismatch(field=name, record=named, current=current))
    return tuple(found)


def describe_mismatches(found: tuple[VerificationMismatch, ...]) -> str:
    """``the record names @bob.test, the account is now @bob.acme.corp; ...``"""
    parts: list[str] = []
    for m in found:
        if m.field == "handle":
            if m.current == INVALID_HANDLE:
                parts.append("the account has no valid handle on Bluesky now (handle.invalid)")
            elif not m.record:
                parts.append(f"the record names no handle, the account is @{m.current}")
            else:
                parts.append(f"the record names @{m.record}, the account is now @{m.current}")
        elif not m.current:
            parts.append(
                "the account has no display name, and Bluesky counts a verification only "
                "when both name one"
            )
        elif not m.record:
            parts.append(f'the record names no display name, the account\'s is "{m.current}"')
        else:
            parts.append(
                f'the record names the display name "{m.record}", the account\'s is now '
                f'"{m.current}"'
            )
    return "; ".join(parts)


def _fix(
    who: str, found: tuple[VerificationMismatch, ...], counted: str | None, later_valid: bool
) -> str:
    """How to make the brand's verification valid again."""
    if later_valid and counted:
        return (
            f"Delete the older verification record {counted}: Bluesky counts only the first "
            f"record the brand wrote for {who}, and the newer one already matches."
        )
    if any(m.field == "handle" and m.current == INVALID_HANDLE for m in found):
        return (
            f"Fix {who}'s handle first (Bluesky shows handle.invalid), then have the brand's "
            "account verify them again."
        )
    if any(m.field == "displayName" and not m.current for m in found):
        return (
            f"{who} sets a display name on their Bluesky profile; then the brand's account "
            "verifies them again."
        )
    handle = next((m.current for m in found if m.field == "handle"), None)
    name = next((m.current for m in found if m.field == "displayName"), None)
    now = " and ".join(x for x in (handle and f"@{handle}", name and f'display name "{name}"') if x)
    delete = f"delete the record {counted} and " if counted else ""
    return (
        f"Re-verify {who} from the brand's account: {delete}write a new one naming {now} "
        "(in Bluesky: remove the verification, then verify again)."
    )


def judge_verification(
    verifier: BrandVerifier,
    person_did: str | None,
    profile: dict[str, Any] | None,
    evidence: list[Evidence],
    who: str = "the person",
) -> PersonVerification:
    """Would Bluesky count the brand's verification of the person as valid? The AppView's
    own ``isValid`` wins when it rates the brand's record; otherwise its rule (above) is
    applied to the record it would count, against the person's current profile."""
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
    base = PersonVerification(
        status=VerificationState.UNKNOWN,
        issuer=verifier.did,
        appview_valid=view.valid if view is not None else None,
        reason=verifier.reason,
        evidence=ev,
    )
    if verifier.records is None:
        if view is None:
            return base
        # the AppView lists the brand's record even when the PDS can't be read
        return _appview_verdict(base, view, (), who, f"; {verifier.reason}")
    records = _records_for(verifier.records, person_did)
    if not records:
        return _with(
            base,
            {
                "status": VerificationState.NOT_ISSUED,
                "reason": f"the brand's account ({verifier.did}) holds no "
                f"{VERIFICATION_COLLECTION} record for {person_did} ({verifier.reason})",
            },
        )
    counted = next((r for r in records if view and _uri(r) == view.uri), records[0])
    base = _with(base, {"record_uri": _uri(counted)})
    found = mismatches(counted, profile) if profile is not None else ()
    if view is not None:
        return _appview_verdict(base, view, found, who, "")
    if profile is None:
        return _with(
            base,
            {
                "reason": "the brand's account holds a verification record for this person, "
                "but their current handle and display name could not be read to compare "
                "with it (Bluesky counts it only while both match)"
            },
        )
    if not found:
        return _with(
            base,
            {
                "status": VerificationState.ISSUED,
                "judged_by": "brandaudit",
                "reason": "the brand's record names the person's current handle and display "
                "name, so Bluesky counts it as valid (its app view shows a blue check only "
                "when the brand is one of Bluesky's trusted verifiers)",
            },
        )
    later_valid = any(not mismatches(r, profile) for r in records if r is not counted)
    return _with(
        base,
        {
            "status": VerificationState.INVALID,
            "judged_by": "brandaudit",
            "mismatches": found,
            "fix": _fix(who, found, _uri(counted), later_valid),
            "reason": "the brand's verification no longer matches the person, so Bluesky "
            f"does not count it: {describe_mismatches(found)}",
        },
    )


def _with(base: PersonVerification, update: dict[str, Any]) -> PersonVerification:
    """``base`` with ``update``, validated again (``model_copy`` would skip the cleaning of
    server text that every model field gets: display names are a stranger's words)."""
    return PersonVerification(**{**dict(base), **update})


def _appview_verdict(
    base: PersonVerification,
    view: _AppViewVerdict,
    found: tuple[VerificationMismatch, ...],
    who: str,
    note: str,
) -> PersonVerification:
    """The AppView rated the brand's verification itself: its verdict is the answer."""
    if view.valid:
        return _with(
            base,
            {
                "status": VerificationState.ISSUED,
                "judged_by": "appview",
                "record_uri": base.record_uri or view.uri,
                "reason": f"Bluesky's app view shows the brand's verification as valid{note}",
            },
        )
    detail = f": {describe_mismatches(found)}" if found else ""
    uri = base.record_uri or view.uri
    fix = (
        _fix(who, found, uri, False)
        if found
        else f"Have the brand's account verify {who} again (remove the verification, then "
        "verify again), so the record names their current handle and display name."
    )
    return _with(
        base,
        {
            "status": VerificationState.INVALID,
            "judged_by": "appview",
            "record_uri": base.record_uri or view.uri,
            "mismatches": found,
            "fix": fix,
            "reason": f"Bluesky's app view says the brand's verification is not valid{detail}"
            f"{note}",
        },
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
        verification=judge_verification(verifier, did, profile, ctx.evidence, name),
    )
