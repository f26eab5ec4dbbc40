"""Typed causes: set where the fact is known, carried in the report, read by the renderers
(never the reason's wording)."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import httpx
import pytest

from brandaudit.causes import from_evidence, legacy
from brandaudit.config import Settings
from brandaudit.model import (
    BlueskyStatus,
    Brand,
    Cause,
    CheckStatus,
    Confidence,
    Evidence,
    Method,
    PlatformResult,
    Status,
)
from brandaudit.net.client import NOT_SENT, ErrorKind, NetClient, Response
from brandaudit.net.dns import DnsClient
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict
from brandaudit.platforms.base import unknown_from_response as from_response
from brandaudit.platforms.signals import blocked
from brandaudit.render.common import CAUSE_GROUP, CAUSE_LABEL, cause_of, undecided_groups
from brandaudit.runner import Job, run_job
from tests.bluesky.scenario import Bsky, verify_here
from tests.conftest import World
from tests.factories import res


def _response(status: int | None = 200, **extra: object) -> Response:
    return Response(method="GET", url="https://p.example/acme", status=status, **extra)  # type: ignore[arg-type]


def test_every_cause_has_a_group_with_words() -> None:
    assert set(CAUSE_GROUP) == set(Cause)
    assert set(CAUSE_GROUP.values()) <= set(CAUSE_LABEL)


def test_renderers_group_by_the_typed_cause_not_the_wording() -> None:
    """The reason says "rate-limited" and "login"; the cause says otherwise, and wins."""

    def unknown(platform: str, reason: str, cause: Cause) -> PlatformResult:
        return res(platform, Status.UNKNOWN, cause=cause).model_copy(update={"reason": reason})

    timed = unknown("x", "rate-limited, login wall", Cause.TIMEOUT)
    crash = unknown("tiktok", "timed out", Cause.INTERNAL_ERROR)
    drift = unknown("reddit", "blocked (HTTP 403)", Cause.SIGNAL_DRIFT)
    assert [cause_of(r) for r in (timed, crash, drift)] == ["timeout", "internal_error", "other"]
    brand = Brand(domain="acme.com", platforms=(timed, crash, drift))
    assert [g for g, _ in undecided_groups(brand)] == ["timeout", "internal_error", "other"]


def test_a_cause_only_on_an_undecided_result() -> None:
    with pytest.raises(ValueError, match="claimed result has no cause"):
        res("x", Status.CLAIMED, cause=Cause.TIMEOUT)


@pytest.mark.parametrize(
    ("response", "cause"),
    [
        (_response(None, error="timed out reading", error_kind=ErrorKind.TIMEOUT), Cause.TIMEOUT),
        (_response(None, error=NOT_SENT, error_kind=ErrorKind.TIMEOUT), Cause.DEADLINE),
        (_response(None, error="refused", error_kind=ErrorKind.CONNECT), Cause.UNREACHABLE),
        (
            _response(None, error="down", error_kind=ErrorKind.HOST_DOWN),
            Cause.HOST_NOT_ANSWERING,
        ),
        (_response(429), Cause.RATE_LIMITED),
        (_response(403), Cause.BLOCKED),
        (_response(999), Cause.BLOCKED),
        (_response(503), Cause.SERVER_ERROR),
        (_response(302, headers=httpx.Headers({"location": "/x"})), Cause.MOVED),
        (_response(200), Cause.UNEXPECTED_ANSWER),
    ],
)
def test_the_network_core_and_unknown_from_response_name_the_cause(
    response: Response, cause: Cause
) -> None:
    assert from_response(response, Method.PUBLIC_API).cause is cause
    assert from_evidence([response.evidence()]) is cause


def test_blocked_tells_a_login_wall_from_a_bot_challenge() -> None:
    ctx = CheckContext(net=None, dns=None, settings=Settings(), platform="p")  # type: ignore[arg-type]
    wall = _response(302, headers=httpx.Headers({"location": "https://p.example/login"}))
    challenge = _response(403, headers=httpx.Headers({"cf-mitigated": "challenge"}))
    found = [blocked(r, Method.PUBLIC_PAGE, "P", ctx) for r in (wall, challenge)]
    assert [v.cause if v else None for v in found] == [Cause.LOGIN_WALL, Cause.BLOCKED]


class _Raises(Adapter):
    id: ClassVar[str] = "raises"
    name: ClassVar[str] = "Raises"
    methods: ClassVar[tuple[Method, ...]] = (Method.PUBLIC_API,)
    rule: ClassVar[HandleRule] = HandleRule(r"[a-z]+", "letters")
    profile_template: ClassVar[str] = "https://raises.example/{handle}"

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        raise RuntimeError("boom")


class _Quiet(_Raises):
    """An adapter's own ``unknown`` without a cause: its requests name it."""

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        ctx.evidence.append(Evidence(method="GET", url="https://q.example", status_code=429))
        return Verdict(Status.UNKNOWN, Confidence.LOW, "no idea", Method.PUBLIC_API)


@pytest.mark.internal_error
@pytest.mark.parametrize(
    ("adapter", "cause"), [(_Raises(), Cause.INTERNAL_ERROR), (_Quiet(), Cause.RATE_LIMITED)]
)
def test_the_runner_tells_a_crash_from_a_real_unknown(adapter: Adapter, cause: Cause) -> None:
    from brandaudit.model import HandleSource

    async def go() -> Status | Cause | None:
        settings = Settings()
        async with NetClient(settings.network, trust_env=False) as net:
            dns = DnsClient(["127.0.0.1"], timeout=1)
            result = await run_job(Job(adapter, "acme", HandleSource.CLI), net, dns, settings)
        assert result.status is Status.UNKNOWN
        return result.cause

    assert asyncio.run(go()) is cause


@pytest.mark.internal_error
def test_a_crash_in_the_bluesky_verifier_is_an_internal_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import brandaudit.bluesky.verify as verify

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    Bsky(world).healthy()
    monkeypatch.setattr(verify, "judge_pds", broken)
    result = verify_here(world, "acme.com")
    assert result.status is BlueskyStatus.UNKNOWN
    assert {c.cause for c in result.checks[1:]} == {Cause.INTERNAL_ERROR}
    assert result.checks[0].cause is None  # handle_syntax passed


def test_overall_status_reads_the_cause_not_the_message() -> None:
    from brandaudit.bluesky.common import make_check
    from brandaudit.bluesky.verify import overall_status

    ok = [
        make_check(i, CheckStatus.PASS, "ok")
        for i in ("handle_syntax", "dns_txt", "methods_agree", "did_document", "bidirectional")
    ] + [make_check("pds", CheckStatus.PASS, "ok")]
    wording = make_check("appview", CheckStatus.SKIP, "could not check: only the words say so")
    typed = make_check("appview", CheckStatus.SKIP, "skipped", cause=Cause.RATE_LIMITED)
    assert overall_status((*ok, wording)) is BlueskyStatus.VERIFIED
    assert overall_status((*ok, typed)) is BlueskyStatus.UNKNOWN


def test_legacy_reads_0_1_0_wording_once() -> None:
    """Only for results stored before causes (brandaudit.reader)."""
    assert legacy("X: rate-limited (HTTP 429); try again later", []) is Cause.RATE_LIMITED
    assert legacy("no verdict: the github adapter failed (KeyError: 'x')", []) is (
        Cause.INTERNAL_ERROR
    )
    assert legacy("no verdict: the check ran past its 5s deadline", []) is Cause.DEADLINE
    assert legacy("odd", [{"status_code": 200}]) is Cause.UNEXPECTED_ANSWER


def test_a_crash_gets_its_own_line_in_the_table_not_unexpected_answers() -> None:
    from datetime import UTC, datetime

    from brandaudit.model import Report, ToolInfo
    from brandaudit.render import Format, RenderOptions, render

    crash = res("x", Status.UNKNOWN, cause=Cause.INTERNAL_ERROR)
    odd = res("tiktok", Status.UNKNOWN, cause=Cause.UNEXPECTED_ANSWER)
    report = Report(
        tool=ToolInfo(version="0"),
        generated_at=datetime(2026, 1, 1, tzinfo=UTC),
        brands=(Brand(domain="acme.com", platforms=(crash, odd)),),
    )
    text = render(report, Format.TABLE, RenderOptions(width=100))
    assert "brandaudit failed: a bug, please report it" in text
    assert "answered in a way brandaudit could not read (Tiktok)" in text


@pytest.mark.parametrize(
    ("reason", "evidence", "cause"),
    [
        ("X: no verdict: timed out reading (x.com)", [], Cause.TIMEOUT),
        ("X: no verdict", [{"error": "connection refused"}], Cause.UNREACHABLE),
        ("X: could not connect to x.com", [{"status_code": 200}], Cause.UNREACHABLE),
        ("X: blocked or login required (HTTP 403)", [{"status_code": 403}], Cause.BLOCKED),
        ("X: the platform had an error (HTTP 502)", [{"status_code": 502}], Cause.SERVER_ERROR),
        ("X: rate limit", [{"status_code": 200}], Cause.RATE_LIMITED),
    ],
)
def test_legacy_reads_what_0_1_0_grouped(
    reason: str, evidence: list[dict[str, object]], cause: Cause
) -> None:
    assert legacy(reason, evidence) is cause


@pytest.mark.parametrize(
    ("message", "cause"),
    [
        ("skipped: no DID document to read", None),
        ("could not check: internal error (RuntimeError: boom)", Cause.INTERNAL_ERROR),
        ("could not check: the verification ran past its 20s deadline", Cause.DEADLINE),
        ("could not check: `acme.com` rate-limited brandaudit (HTTP 429)", Cause.RATE_LIMITED),
        ("could not check: timed out reading", Cause.TIMEOUT),
        ("could not check: plc.directory: connection refused", Cause.UNREACHABLE),
    ],
)
def test_legacy_check_causes(message: str, cause: Cause | None) -> None:
    from brandaudit.causes import legacy_check

    assert legacy_check(message) is cause


def test_from_evidence_prefers_a_timeout_then_a_failure_without_answers() -> None:
    timeout = Evidence(method="GET", url="u", error="t", cause=Cause.TIMEOUT)
    answered = Evidence(method="GET", url="u", status_code=429)
    dns = Evidence(method="DNS", url="_atproto.acme.com TXT", error="servfail")
    moved = Evidence(method="GET", url="u", status_code=200, error="loop", cause=Cause.MOVED)
    assert from_evidence([answered, timeout]) is Cause.TIMEOUT
    assert from_evidence([dns]) is Cause.DNS_BROKEN
    assert from_evidence([answered]) is Cause.RATE_LIMITED
    assert from_evidence([moved]) is Cause.MOVED
    assert from_evidence([]) is Cause.UNEXPECTED_ANSWER


def test_the_reader_refuses_what_is_not_a_brand_or_a_known_schema() -> None:
    from brandaudit.errors import InputError
    from brandaudit.reader import brand_from_json, check_version, report_version

    with pytest.raises(ValueError, match="JSON object"):
        brand_from_json("[1, 2]")
    with pytest.raises(InputError, match="schema_version"):
        report_version({"schema_version": "one"})
    with pytest.raises(InputError, match="not a brandaudit report"):
        check_version(0, "r.json")
    assert report_version({}) == 1
