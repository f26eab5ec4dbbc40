"""The shared verdicts (platforms/verdicts.py) and SignalAdapter's reading of one answer
(read_outcomes, a POST with a body, before_signals), on hand-built answers."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, cast

import httpx

from brandaudit.config import Settings
from brandaudit.model import Cause, Confidence, Method, ProfileInfo, Status
from brandaudit.net.client import Response
from brandaudit.platforms.base import CheckContext, HandleRule, Verdict
from brandaudit.platforms.signals import Outcome, Signal, SignalAdapter, read_outcomes
from brandaudit.platforms.verdicts import (
    SIGNAL_DRIFT,
    another_account,
    available,
    claimed,
    decided,
    drifted,
    is_other_account,
    no_verdict,
    official_first,
    refused,
    with_note,
)

CLAIMED = Signal.of(200, json_path="user.name", label="200 with user.name")
FREE = Signal.of(404, json_path="error", json_equals="no such user", label="404 'no such user'")
OUTCOMES = (
    Outcome(CLAIMED, Status.CLAIMED, Confidence.HIGH, "{handle} is an account"),
    Outcome(
        FREE, Status.AVAILABLE, Confidence.MEDIUM, "no user {handle!r}", "Join at {signup_url}"
    ),
)


def _response(status: int = 200, body: str = "", *, location: str | None = None) -> Response:
    headers = {"content-type": "application/json"}
    if location:
        headers["location"] = location
    return Response(
        method="GET",
        url="https://example.test/acme",
        status=status,
        headers=httpx.Headers(headers),
        body=body.encode(),
        final_url="https://example.test/acme",
    )


class _Context(CheckContext):
    """A check context whose requests get ``answer``; it records what was asked."""

    def __init__(self, answer: Response | None = None) -> None:
        super().__init__(
            net=cast(Any, None), dns=cast(Any, None), settings=Settings(), platform="test"
        )
        self.answer = answer or _response()
        self.asked: list[dict[str, Any]] = []

    async def fetch(self, url: str, **options: Any) -> Response:  # type: ignore[override]
        self.asked.append({"url": url, **options})
        self.evidence.append(self.answer.evidence())
        self._last.append(self.answer)
        return self.answer


def _ctx(answer: Response | None = None) -> _Context:
    ctx = _Context(answer)
    ctx.evidence.append(ctx.answer.evidence())
    return ctx


def test_each_shared_verdict_has_its_shape_and_marks_the_evidence() -> None:
    method = Method.PUBLIC_API
    profile = ProfileInfo(display_name="Acme")
    cases: list[tuple[Verdict, Status, Confidence, str | None, Cause | None]] = []
    ctx = _ctx()
    verdict = claimed(ctx, CLAIMED, "acme is an account", method, profile=profile)
    assert ctx.evidence[-1].signal == "200 with user.name"
    assert verdict.profile == profile
    cases.append((verdict, Status.CLAIMED, Confidence.MEDIUM, None, None))
    verdict = available(ctx, "404 'gone'", "free", method, Confidence.LOW, "Join", url="u")
    assert (ctx.evidence[-1].signal, verdict.remediation, verdict.url) == (
        "404 'gone'",
        "Join",
        "u",
    )
    cases.append((verdict, Status.AVAILABLE, Confidence.LOW, None, None))
    cases.append(
        (
            refused(ctx, "400 bad name", "refused", method),
            Status.INVALID,
            Confidence.MEDIUM,
            None,
            None,
        )
    )
    cases.append(
        (no_verdict(ctx, "x", "odd", method), Status.UNKNOWN, Confidence.LOW, "no verdict", None)
    )
    cases.append(
        (
            another_account(
                ctx, "200 but name is 'other'", "r", method, cause=Cause.UNEXPECTED_ANSWER
            ),
            Status.UNKNOWN,
            Confidence.LOW,
            "no verdict",
            Cause.UNEXPECTED_ANSWER,
        )
    )
    cases.append(
        (
            drifted(ctx, "signal drift: x", "drift", method),
            Status.UNKNOWN,
            Confidence.LOW,
            SIGNAL_DRIFT,
            Cause.SIGNAL_DRIFT,
        )
    )
    for verdict, status, confidence, signal, cause in cases:
        assert (verdict.status, verdict.confidence, verdict.signal, verdict.cause) == (
            status,
            confidence,
            signal,
            cause,
        )
        assert verdict.method is method
    assert ctx.evidence[-1].signal == "signal drift: x"
    kept = decided(ctx, "words", Verdict(Status.RESERVED, Confidence.HIGH, "held", method))
    assert kept.status is Status.RESERVED and ctx.evidence[-1].signal == "words"


def test_another_account_is_case_blind() -> None:
    assert not is_other_account("Acme", "acme")
    assert is_other_account("acme2", "acme")


def _verdict(status: Status, reason: str, signal: str | None = None) -> Verdict:
    return Verdict(status, Confidence.LOW, reason, Method.OFFICIAL_API, signal=signal)


async def _give(verdict: Verdict) -> Verdict:
    return verdict


def test_official_first_falls_back_with_a_note_only_when_undecided() -> None:
    asyncio.run(_official_first_cases())


async def _official_first_cases() -> None:
    page = _verdict(Status.CLAIMED, "page says held")
    asked: list[str] = []

    async def fallback() -> Verdict:
        asked.append("page")
        return page

    assert await official_first(None, fallback, "the API") == page
    decided_by_api = _verdict(Status.AVAILABLE, "api says free")
    assert await official_first(_give(decided_by_api), fallback, "the API") == decided_by_api
    assert asked == ["page"]
    undecided = await official_first(
        _give(_verdict(Status.UNKNOWN, "HTTP 500")), fallback, "the API"
    )
    assert undecided.reason == "page says held (the API gave no verdict: HTTP 500)"
    drift = _verdict(Status.UNKNOWN, "version gone", SIGNAL_DRIFT)
    assert await official_first(_give(drift), fallback, "X", drift_is_final=True) == drift
    assert (await official_first(_give(drift), fallback, "X")).status is Status.CLAIMED
    assert with_note(page, "") is page


def test_read_outcomes_decides_by_the_first_whole_signal() -> None:
    ctx = _ctx(_response(404, '{"error": "no such user"}'))
    verdict = read_outcomes(
        ctx.answer, "acme", ctx, OUTCOMES, method=Method.PUBLIC_API, what="T", signup_url="S"
    )
    assert (verdict.status, verdict.reason, verdict.remediation) == (
        Status.AVAILABLE,
        "no user 'acme'",
        "Join at S",
    )
    assert ctx.evidence[-1].signal == "404 'no such user'"


def test_read_outcomes_with_two_verdicts_matching_is_no_verdict() -> None:
    both = Signal.of(200, json_path="user", label="200 with user")
    outcomes = (
        Outcome(CLAIMED, Status.CLAIMED, Confidence.HIGH, "held"),
        Outcome(both, Status.AVAILABLE, Confidence.LOW, "free", "join"),
    )
    ctx = _ctx(_response(200, '{"user": {"name": "acme"}}'))
    verdict = read_outcomes(ctx.answer, "acme", ctx, outcomes, method=Method.PUBLIC_API, what="T")
    assert verdict.status is Status.UNKNOWN
    assert verdict.cause is Cause.UNEXPECTED_ANSWER
    assert verdict.reason == "T: no verdict: the answer matched signals for available and claimed"


def test_read_outcomes_wants_json_when_told() -> None:
    ctx = _ctx(_response(200, "<html>hi</html>"))
    verdict = read_outcomes(
        ctx.answer, "acme", ctx, OUTCOMES, method=Method.PUBLIC_API, what="T", json_answer=True
    )
    assert verdict.status is Status.UNKNOWN and verdict.cause is Cause.UNEXPECTED_ANSWER


class _PostAdapter(SignalAdapter):
    id = "post-test"
    name = "Post Test"
    methods = (Method.AVAILABILITY_ENDPOINT,)
    rule = HandleRule(r"[a-z]+", "letters")
    profile_template = "https://example.test/{handle}"
    check_template = "https://example.test/check"
    request_method = "POST"
    request_headers: Mapping[str, str] = {"Content-Type": "application/json"}
    answered_by = "the sign-up check"
    json_answer = True
    outcomes = OUTCOMES

    def request_body(self, handle: str) -> bytes:
        return f'{{"name": "{handle}"}}'.encode()

    def before_signals(
        self, response: Response, method: Method, ctx: CheckContext
    ) -> Verdict | None:
        if response.status == 302:
            return no_verdict(ctx, "regional", "regional redirect", method, cause=Cause.MOVED)
        return None


def test_signal_adapter_sends_its_method_body_and_names_the_answerer() -> None:
    ctx = _Context(_response(418, '{"teapot": true}'))
    verdict = asyncio.run(_PostAdapter().check("acme", ctx))
    assert ctx.asked == [
        {
            "url": "https://example.test/check",
            "method": "POST",
            "headers": {"Content-Type": "application/json"},
            "content": b'{"name": "acme"}',
        }
    ]
    assert verdict.status is Status.UNKNOWN
    assert verdict.reason.startswith("the sign-up check: ")


def test_before_signals_decides_before_blocked_reads_the_answer() -> None:
    # A redirect to another site is a move for blocked(); the hook sees it first.
    ctx = _Context(_response(302, location="https://elsewhere.test/acme"))
    verdict = asyncio.run(_PostAdapter().check("acme", ctx))
    assert (verdict.reason, verdict.cause) == ("regional redirect", Cause.MOVED)
    assert ctx.evidence[-1].signal == "regional"
