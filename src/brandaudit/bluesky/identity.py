"""``methods_agree``, ``did_document`` and ``bidirectional``: which DID the methods name, its
document (plc.directory or did:web), and whether it claims the domain back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from brandaudit.bluesky.common import (
    SETTINGS_PATH,
    api_error,
    blocked,
    could_not,
    host_of,
    make_check,
    quote_value,
)
from brandaudit.bluesky.diddoc import DidDoc, MalformedDocument, parse_did_document
from brandaudit.bluesky.syntax import (
    did_problem,
)
from brandaudit.model import BlueskyCheck, CheckStatus, Evidence
from brandaudit.net.client import NetClient, Response

# --- signals -----------------------------------------------------------------------------
PLC_URL = "https://plc.directory"
DID_WEB_PATH = "/.well-known/did.json"
DOC_CAP = 128 * 1024
PLC_NOT_REGISTERED = "DID not registered"
PLC_TOMBSTONED = "DID not available"
# -----------------------------------------------------------------------------------------


def judge_methods(dns_did: str | None, file_did: str | None) -> BlueskyCheck:
    if not dns_did or not file_did:
        if dns_did or file_did:
            used = "the DNS record" if dns_did else "the website file"
            message = f"only {used} names a DID; nothing to compare"
        else:
            message = "skipped: neither method named a DID"
        return make_check("methods_agree", CheckStatus.SKIP, message)
    if dns_did == file_did:
        return make_check(
            "methods_agree", CheckStatus.PASS, f"DNS and the website file both name `{dns_did}`"
        )
    # Bluesky's resolver never reads the file once DNS answers (HandleResolver.resolve in
    # @atproto/identity aborts the HTTPS request), so the handle works through DNS; whether
    # DNS's DID claims the handle back is ``bidirectional``'s question.
    return make_check(
        "methods_agree",
        CheckStatus.WARN,
        f"DNS names `{dns_did}` and the website file names `{file_did}`; Bluesky uses DNS",
        f"DNS says `{dns_did}` and the file says `{file_did}`. Bluesky uses DNS (its resolver "
        "never reads the file once DNS answers), so the handle works through DNS; delete or "
        "fix the file before it confuses anyone.",
    )


# ---------------------------------------------------------------------------------------
# did_document


@dataclass(frozen=True, slots=True)
class DocJudgement:
    check: BlueskyCheck
    doc: DidDoc | None = None


COPY_DID_FIX = f"Copy your DID again from Bluesky: {SETTINGS_PATH}."


def judge_did_syntax(did: str) -> BlueskyCheck | None:
    problem = did_problem(did)
    if problem is None:
        return None
    return make_check(
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
            make_check(
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
            make_check(
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
        make_check(
            "did_document",
            CheckStatus.PASS,
            f"fetched the document of `{did}` from {source}; its id matches",
            evidence=ev,
        ),
        doc,
    )


def judge_plc(did: str, response: Response) -> DocJudgement:
    ev = [response.evidence()]
    if blocked(response):
        return DocJudgement(could_not("did_document", f"plc.directory: {response.describe()}", ev))
    _error, message = api_error(response)
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
            make_check(
                "did_document",
                CheckStatus.FAIL,
                f"plc.directory says {message or PLC_NOT_REGISTERED!r} (HTTP 404)",
                f"`{did}` doesn't exist; copy it again from Bluesky: {SETTINGS_PATH}.",
                ev,
            )
        )
    if response.status == 410 or PLC_TOMBSTONED in message:
        return DocJudgement(
            make_check(
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
            make_check(
                "did_document", CheckStatus.FAIL, f"`{url}` failed: {response.error}", fix, ev
            )
        )
    status = response.status or 0
    if status == 429:
        return DocJudgement(could_not("did_document", f"`{host}` rate-limited brandaudit", ev))
    if 300 <= status < 400:
        where = response.location or "elsewhere"
        return DocJudgement(
            make_check(
                "did_document",
                CheckStatus.FAIL,
                f"`{url}` redirects to {where}; did:web documents must be served directly",
                fix,
                ev,
            )
        )
    if status != 200:
        return DocJudgement(
            make_check("did_document", CheckStatus.FAIL, f"`{url}` answered HTTP {status}", fix, ev)
        )
    data = response.json()
    if data is None:
        return DocJudgement(
            make_check(
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
            "GET",
            f"{PLC_URL}/{quote_value(did)}",
            headers=headers,
            max_bytes=DOC_CAP,
            timeout=seconds,
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
        return make_check("bidirectional", CheckStatus.SKIP, "skipped: no DID document to read")
    update = f"In Bluesky: {SETTINGS_PATH} → `{domain}` → Verify → Update."
    if expected_did and did != expected_did:
        return make_check(
            "bidirectional",
            CheckStatus.FAIL,
            f"your records name `{did}`, but your account is `{expected_did}` (--did)",
            f"Replace `{did}` with your account's DID `{expected_did}`.",
        )
    if doc.pds and host_of(doc.pds) == domain:
        return make_check(
            "bidirectional",
            CheckStatus.FAIL,
            f"`{domain}` is the account's hosting server (PDS) itself; a PDS's own name can't "
            "be a handle",
            f"Use another name for the handle, such as a subdomain of `{domain}`.",
        )
    at_entries = [e for e in doc.also_known_as if e.startswith("at://")]
    if doc.handle == domain:
        return make_check(
            "bidirectional",
            CheckStatus.PASS,
            f"the document of `{did}` claims `at://{domain}` back",
        )
    not_theirs = f" If `{did}` isn't your account: replace `{did}` with your account's DID."
    if doc.handle is None:
        seen = f" (alsoKnownAs: {', '.join(doc.also_known_as)})" if doc.also_known_as else ""
        return make_check(
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
    return make_check(
        "bidirectional",
        CheckStatus.FAIL,
        message,
        f"Your record points to an account that still uses `@{doc.handle}`. " + update + not_theirs,
    )
