"""Shared verdicts: the few shapes every adapter's check ends on.

Each helper records what decided (``ctx.mark``, on the most recent request's evidence) and
builds the verdict, so the shape of each (status, confidence, the internal ``signal``, the
cause) lives once, while the words stay each adapter's own. :func:`official_first` is the
flow of the adapters that ask an official API when a credential is set and fall back to a
public page or API.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from brandaudit.model import Cause, Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import Verdict

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from brandaudit.platforms.base import CheckContext
    from brandaudit.platforms.signals import Signal

SIGNAL_DRIFT = "signal drift"
"""The ``signal`` of a verdict whose answer no longer has the shape the adapter expects."""


def decided(ctx: CheckContext, mark: str | Signal, verdict: Verdict) -> Verdict:
    """Mark the evidence with what decided (a signal's description, or words); the verdict."""
    ctx.mark(mark if isinstance(mark, str) else mark.describe())
    return verdict


def claimed(
    ctx: CheckContext,
    mark: str | Signal,
    reason: str,
    method: Method,
    confidence: Confidence = Confidence.MEDIUM,
    *,
    profile: ProfileInfo | None = None,
    url: str | None = None,
) -> Verdict:
    """``claimed``: the platform showed the account (with what it showed of it, if any)."""
    return decided(
        ctx, mark, Verdict(Status.CLAIMED, confidence, reason, method, profile=profile, url=url)
    )


def available(
    ctx: CheckContext,
    mark: str | Signal,
    reason: str,
    method: Method,
    confidence: Confidence,
    remediation: str,
    *,
    signal: str | None = None,
    url: str | None = None,
) -> Verdict:
    """``available``: only on the platform's positive not-found signal, with what to do."""
    return decided(
        ctx,
        mark,
        Verdict(
            Status.AVAILABLE,
            confidence,
            reason,
            method,
            signal=signal,
            remediation=remediation,
            url=url,
        ),
    )


def refused(ctx: CheckContext, mark: str | Signal, reason: str, method: Method) -> Verdict:
    """``invalid``: the platform (not our handle rule) refuses the name as a name."""
    return decided(ctx, mark, Verdict(Status.INVALID, Confidence.MEDIUM, reason, method))


def no_verdict(
    ctx: CheckContext,
    mark: str,
    reason: str,
    method: Method,
    *,
    cause: Cause | None = None,
    signal: str | None = "no verdict",
    url: str | None = None,
) -> Verdict:
    """``unknown``, low: the answer decides nothing. Without ``cause``, the result takes the
    one its requests show (:func:`brandaudit.causes.from_evidence`)."""
    return decided(
        ctx,
        mark,
        Verdict(
            Status.UNKNOWN, Confidence.LOW, reason, method, signal=signal, url=url, cause=cause
        ),
    )


def is_other_account(shown: str, handle: str) -> bool:
    """Whether the name an answer shows is not the handle asked about (case aside)."""
    return shown.lower() != handle.lower()


def another_account(
    ctx: CheckContext,
    mark: str,
    reason: str,
    method: Method,
    *,
    cause: Cause | None = None,
    signal: str | None = "no verdict",
    url: str | None = None,
) -> Verdict:
    """No verdict: the platform answered for another account than the one asked about (a
    redirect to a renamed account, a shared or cached page). Never ``claimed``: the brand's
    name is not shown held."""
    return no_verdict(ctx, mark, reason, method, cause=cause, signal=signal, url=url)


def drifted(ctx: CheckContext, mark: str, reason: str, method: Method) -> Verdict:
    """No verdict, signal drift: the answer's shape is not the one the adapter knows."""
    return no_verdict(ctx, mark, reason, method, cause=Cause.SIGNAL_DRIFT, signal=SIGNAL_DRIFT)


def with_note(verdict: Verdict, note: str) -> Verdict:
    """``verdict`` with ``note`` (why an earlier way gave no verdict) after its reason."""
    return replace(verdict, reason=verdict.reason + note) if note else verdict


async def official_first(
    official: Coroutine[Any, Any, Verdict] | None,
    fallback: Callable[[], Coroutine[Any, Any, Verdict]],
    official_name: str,
    *,
    drift_is_final: bool = False,
) -> Verdict:
    """The official API's verdict when it decides; else the fallback's (a public page or
    API), its reason saying why the official one gave none. ``official`` is None without
    the credential. With ``drift_is_final`` an official answer that drifted is final too (an
    API version the platform no longer serves is news, not a cue to guess from a page)."""
    if official is None:
        return await fallback()
    verdict = await official
    if verdict.status is not Status.UNKNOWN or (drift_is_final and verdict.signal == SIGNAL_DRIFT):
        return verdict
    return with_note(await fallback(), f" ({official_name} gave no verdict: {verdict.reason})")
