"""What every check shares: how a check is made, the "could not check" rule, and how
an API error or a blocked answer is read."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from brandaudit.model import (
    BlueskyCheck,
    BlueskyDomain,
    BlueskyStatus,
    Cause,
    CheckStatus,
    Evidence,
)
from brandaudit.net.client import Response

COULD_NOT = "could not check"
SETTINGS_PATH = "Settings → Account → Handle → I have my own domain"
RETRY = "Retry in a few minutes."
DOMAIN_MISSING = "doesn't exist in DNS"
"""In the ``dns_txt`` message of a domain that doesn't exist (headlines and next steps read
it)."""


def quote_value(value: str) -> str:
    """Quote a query value or path segment; ':' stays (DIDs are sent as they are)."""
    return quote(value, safe=":")


def make_check(
    id_: str,
    status: CheckStatus,
    message: str,
    fix: str | None = None,
    evidence: Sequence[Evidence] = (),
    cause: Cause | None = None,
) -> BlueskyCheck:
    """A check; a passing one never carries a fix."""
    return BlueskyCheck(
        id=id_,
        status=status,
        message=message,
        fix=None if status is CheckStatus.PASS else fix,
        evidence=tuple(evidence),
        cause=cause,
    )


def could_not(
    id_: str, what: str, evidence: Sequence[Evidence] = (), cause: Cause | None = None
) -> BlueskyCheck:
    """A check blocked on brandaudit's side: ``skip``, "could not check: <what>", with its
    cause (given, else what the evidence shows); this makes the overall status ``unknown``
    unless something failed."""
    if cause is None:
        from brandaudit.causes import from_evidence

        cause = from_evidence(evidence)
    return make_check(id_, CheckStatus.SKIP, f"{COULD_NOT}: {what}", RETRY, evidence, cause)


def did_hint(did: str | None) -> str:
    """The exact TXT value to show, or its shape when the DID isn't known."""
    return f"did={did}" if did else "did=<your DID>"


def where_did() -> str:
    return f"Your DID is shown in Bluesky: {SETTINGS_PATH}."


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def api_error(response: Response) -> tuple[str, str]:
    """(error, message) of an XRPC/PLC error body, or ("", the text) for anything else."""
    body = response.json()
    if isinstance(body, dict):
        return str(body.get("error", "")), str(body.get("message", ""))
    return "", response.text()[:200] if response.body else ""


def blocked(response: Response) -> bool:
    """Trouble on the path between brandaudit and a service: never a verdict."""
    status = response.status or 0
    return response.error is not None or status == 429 or status >= 500


def domain_missing(domain: BlueskyDomain) -> bool:
    """The domain doesn't exist in DNS and nothing answers for it: ``not_configured``, and
    the headline and next step say so (never "something is wrong")."""
    return domain.status is BlueskyStatus.NOT_CONFIGURED and any(
        c.id == "dns_txt" and c.status is CheckStatus.INFO and DOMAIN_MISSING in c.message
        for c in domain.checks
    )
