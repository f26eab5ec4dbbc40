"""Why a result was not decided, from typed facts (``model.Cause``).

The places that know a cause set it (the network core on a failed request, the shared
verdict helpers, the runner, the Bluesky verifier). What is left, an adapter's own
``unknown`` without a cause, takes the cause its requests show (``from_evidence``), once, where
the result is built (``platforms.base.result_from_verdict``).

``legacy`` reads the cause of a result written before causes existed (schema 1 reports and
stored runs from brandaudit 0.1.0): the versioned reader (``brandaudit.schemas``) calls it
once, when such a result is read, and nothing else reads reason wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from brandaudit.model import Cause, Evidence

BLOCKED_CODES = frozenset({401, 403, 407, 999})


def from_evidence(evidence: Iterable[Evidence]) -> Cause:
    """The cause the requests of an undecided check show: a timeout first, then a transport
    failure with no answer at all, then the answer's status; else an unexpected answer."""
    items = list(evidence)
    failures = [_failure(e) for e in items if e.error]
    causes = [c for c in failures if c is not None]
    codes = [e.status_code for e in items if e.status_code is not None]
    if Cause.TIMEOUT in causes:
        return Cause.TIMEOUT
    if causes and not codes:
        return causes[-1]
    if 429 in codes:
        return Cause.RATE_LIMITED
    if any(code in BLOCKED_CODES for code in codes):
        return Cause.BLOCKED
    if any(code >= 500 for code in codes):
        return Cause.SERVER_ERROR
    if causes:
        return causes[-1]
    if any(300 <= code < 400 for code in codes):
        return Cause.MOVED
    return Cause.UNEXPECTED_ANSWER


def _failure(evidence: Evidence) -> Cause | None:
    if evidence.cause is not None:
        return evidence.cause
    if evidence.method == "DNS":
        return Cause.DNS_BROKEN
    return Cause.UNREACHABLE


# ---------------------------------------------------------------------------------------
# results written before causes existed


def legacy(reason: str, evidence: Iterable[Mapping[str, Any]]) -> Cause:
    """The cause of an ``unknown`` result stored without one (brandaudit 0.1.0), read from
    its reason and evidence the way 0.1.0's report grouped it."""
    text = reason.lower()
    items = list(evidence)
    codes = [e["status_code"] for e in items if isinstance(e.get("status_code"), int)]
    errors = " ".join(str(e.get("error") or "").lower() for e in items)
    if "deadline" in text and not codes:
        return Cause.DEADLINE
    if "timed out" in errors or ("timed out" in text and not codes):
        return Cause.TIMEOUT
    if (errors.strip() and not codes) or "could not connect" in text or "cannot resolve" in text:
        return Cause.UNREACHABLE
    if 429 in codes or "rate-limit" in text or "rate limit" in text:
        return Cause.RATE_LIMITED
    if any(c in {401, 403, 999} for c in codes) or "login" in text or "block" in text:
        return Cause.BLOCKED
    if any(c >= 500 for c in codes):
        return Cause.SERVER_ERROR
    if "adapter failed" in text:
        return Cause.INTERNAL_ERROR
    return Cause.UNEXPECTED_ANSWER


def legacy_check(message: str) -> Cause | None:
    """The cause of a Bluesky check stored without one: 0.1.0 marked a check it could not
    make by its message ("could not check: ..."); any other skip was by design."""
    if not message.startswith("could not check"):
        return None
    text = message.lower()
    if "internal error" in text:
        return Cause.INTERNAL_ERROR
    if "deadline" in text or "no time was left" in text:
        return Cause.DEADLINE
    if "rate-limited" in text or "429" in text:
        return Cause.RATE_LIMITED
    if "timed out" in text:
        return Cause.TIMEOUT
    return Cause.UNREACHABLE
