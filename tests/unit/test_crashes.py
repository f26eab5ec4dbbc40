"""A crash inside a check can't pass a test: the results the two catch-alls make are
recognised (tests/crashes.py), and the autouse fixture in tests/conftest.py fails any test
during which one is made unless the test is marked ``internal_error``."""

from __future__ import annotations

import asyncio

import pytest

from brandaudit.config import Settings
from brandaudit.model import Cause, HandleSource, PlatformResult, Status
from brandaudit.net.client import NetClient
from brandaudit.net.dns import DnsClient
from brandaudit.platforms.base import CheckContext, Verdict
from brandaudit.platforms.builtin.github import GitHubAdapter
from brandaudit.runner import Job, run_job
from tests.crashes import is_internal_error, watch_internal_errors


class _Crashing(GitHubAdapter):
    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        raise KeyError("a bug")


def _run(adapter: GitHubAdapter) -> PlatformResult:
    settings = Settings()

    async def go() -> PlatformResult:
        async with NetClient(settings.network) as net:
            dns = DnsClient(["127.0.0.1:9"], timeout=0.2)
            return await run_job(Job(adapter, "acme", HandleSource.CLI), net, dns, settings)

    return asyncio.run(go())


@pytest.mark.internal_error
def test_a_crashing_adapter_is_recognised_as_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with watch_internal_errors(monkeypatch) as crashes:
        result = _run(_Crashing())
    assert result.status is Status.UNKNOWN
    assert is_internal_error(result.cause), result.reason
    assert crashes == [result.reason]


def test_only_the_internal_error_cause_is_a_crash() -> None:
    for cause in Cause:
        assert is_internal_error(cause) is (cause is Cause.INTERNAL_ERROR), cause
    assert not is_internal_error(None)
