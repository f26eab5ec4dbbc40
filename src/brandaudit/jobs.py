"""One (platform, handle) check: the adapter under its deadline, any exception or overrun an
``unknown`` result with its cause and the evidence gathered so far.

Below ``runner`` (which plans and streams brands) so that ``ownership`` and ``people``, which
check handles of their own, never import the orchestration that imports them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from brandaudit.cache import current_platform
from brandaudit.config import Settings
from brandaudit.model import Cause, Confidence, HandleSource, Method, PlatformResult, Status
from brandaudit.net.client import NetClient
from brandaudit.net.dns import DnsClient
from brandaudit.platforms.base import Adapter, CheckContext, Verdict, result_from_verdict

log = logging.getLogger("brandaudit")

_BACKSTOP_GRACE = 0.5


@dataclass(frozen=True, slots=True)
class Job:
    adapter: Adapter
    handle: str
    source: HandleSource


async def run_job(job: Job, net: NetClient, dns: DnsClient, settings: Settings) -> PlatformResult:
    adapter, handle = job.adapter, job.handle
    ctx = CheckContext(
        net=net, dns=dns, settings=settings, platform=adapter.id, handle_source=job.source
    )
    problem = adapter.handle_problem(handle)
    if problem:
        applies = adapter.rule_miss is not Status.NOT_APPLICABLE
        verdict = Verdict(
            adapter.rule_miss,
            Confidence.HIGH,
            f"{handle!r} can't be a {adapter.name} handle: {problem}"
            if applies
            else f"{adapter.name}: {problem}",
            Method.RULE,
            signal="handle rule",
        )
        return result_from_verdict(adapter, handle, verdict, [], job.source)
    deadline = settings.network.deadline
    current_platform.set(adapter.id)  # this job's own task: picks the cache TTL
    # Requests get the time left before the deadline, so a hanging server ends as a recorded
    # timeout the adapter can explain; the task timeout (a little later) is only a backstop
    # for adapters that do slow work of their own.
    ctx.deadline_at = time.monotonic() + deadline
    try:
        async with asyncio.timeout(deadline + _BACKSTOP_GRACE):
            verdict = await adapter.check(handle, ctx)
    except TimeoutError:
        verdict = failed_verdict(
            adapter, f"no verdict: the check ran past its {deadline:g}s deadline", Cause.DEADLINE
        )
    except Exception as exc:
        log.debug("adapter %s failed", adapter.id, exc_info=True)
        verdict = failed_verdict(
            adapter,
            f"no verdict: the {adapter.id} adapter failed ({type(exc).__name__}: {str(exc)[:160]})",
            Cause.INTERNAL_ERROR,
        )
    if verdict.status is Status.AVAILABLE and ctx.saw_truncated:
        # A body cut at the size cap can keep a not-found text and lose the claimed marker
        # that came after it: it never proves a name free, whatever the adapter read.
        verdict = Verdict(
            Status.UNKNOWN,
            Confidence.LOW,
            f"{adapter.name}: no verdict: an answer was larger than the size cap "
            "([network] max_body_bytes) and was cut, so it can't show the name is free",
            verdict.method,
            signal="no verdict",
            cause=Cause.UNEXPECTED_ANSWER,
        )
    return result_from_verdict(adapter, handle, verdict, ctx.evidence, job.source)


def failed_verdict(adapter: Adapter, reason: str, cause: Cause) -> Verdict:
    return Verdict(
        Status.UNKNOWN, Confidence.LOW, reason, adapter.methods[0], signal="no verdict", cause=cause
    )
