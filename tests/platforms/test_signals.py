"""The declarative signal type and the trap detector, on hand-built responses."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from types import MappingProxyType
from typing import Any, cast

import httpx
import pytest

from brandaudit.model import Confidence, Method, Status
from brandaudit.net.client import Response
from brandaudit.platforms.base import CheckContext, HandleRule
from brandaudit.platforms.signals import (
    MISSING,
    Match,
    Outcome,
    Signal,
    SignalAdapter,
    blocked,
    expects_json,
    json_ld_nodes,
    json_path,
    moved_to,
    next_data,
    trap,
    undecided,
)


def _response(
    status: int | None = 200,
    body: str = "",
    *,
    headers: dict[str, str] | None = None,
    hops: tuple[str, ...] = (),
    error: str | None = None,
) -> Response:
    return Response(
        method="GET",
        url="https://example.test/acme",
        status=status,
        headers=httpx.Headers(headers or {}),
        body=body.encode(),
        hops=hops,
        final_url=hops[-1] if hops else "https://example.test/acme",
        error=error,
    )


def test_json_path_walks_dicts_and_lists() -> None:
    data = {"items": [{"id": "UC1"}], "data": {"user": None}}
    assert json_path(data, "items.0.id") == "UC1"
    assert json_path(data, "items.-1.id") == "UC1"
    assert json_path(data, "data.user") is None
    missing = json_path(data, "items.1.id")
    assert missing is json_path(data, "nope")
    assert missing is not None


def test_full_match_needs_status_and_every_marker() -> None:
    signal = Signal.of(404, contains=("Not Found", "acme"), json_path="error", json_equals=404)
    good = _response(404, '{"error": 404, "message": "Not Found: acme"}')
    assert signal.evaluate(good) is Match.FULL
    assert signal.evaluate(_response(404, '{"error": 404, "message": "Not Found"}')) is Match.DRIFT
    assert signal.evaluate(_response(200, good.text())) is Match.NONE
    assert signal.evaluate(_response(None, error="timed out")) is Match.NONE


def test_json_path_alone_needs_a_non_empty_value() -> None:
    signal = Signal.of(200, json_path="data")
    assert signal.matches(_response(200, '{"data": [1]}'))
    for body in ('{"data": []}', '{"data": null}', '{"data": ""}', "<html>", ""):
        assert not signal.matches(_response(200, body)), body
    assert Signal.of(200, json_path="data", json_equals=[]).matches(_response(200, '{"data": []}'))


def test_headers_patterns_case_and_binding() -> None:
    signal = Signal.of(
        200,
        contains=('"login":"{handle}"',),
        patterns=(r"linkedin\.com/company/{handle}/",),
        headers={"content-type": "html"},
        ignore_case=True,
    ).bind("a.b")
    body = '{"LOGIN":"A.B"} https://www.linkedin.com/company/a.b/'
    assert signal.matches(_response(200, body, headers={"Content-Type": "text/html"}))
    # The handle is a literal in the regex: "a.b" must not match "axb".
    assert not signal.matches(
        _response(200, body.replace("a.b/", "axb/"), headers={"Content-Type": "text/html"})
    )
    assert not signal.matches(_response(200, body, headers={"Content-Type": "application/json"}))
    assert signal.has_markers
    assert not Signal.of(404).has_markers


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (_response(403, "x", headers={"cf-mitigated": "challenge"}), "cf-mitigated"),
        (
            _response(
                200,
                "<html><title>Just a moment...</title></html>",
                headers={"Content-Type": "text/html"},
            ),
            "challenge",
        ),
        (_response(302, headers={"Location": "https://consent.youtube.com/m?x"}), "consent"),
        (_response(302, headers={"Location": "/accounts/login/?next=/acme/"}), "login wall"),
        (
            _response(302, headers={"Location": "https://www.linkedin.com/authwall?t=1"}),
            "login wall",
        ),
        (_response(200, "ok", hops=("https://www.facebook.com/login/?next=x",)), "login wall"),
        (
            _response(
                302,
                headers={"Location": "https://medium.com/m/signin?operation=login&redirect=x"},
            ),
            "login wall",
        ),
    ],
)
def test_traps_are_recognised(response: Response, expected: str) -> None:
    reason = trap(response)
    assert reason is not None
    assert expected in reason


@pytest.mark.parametrize(
    "response",
    [
        _response(200, '{"user": {"id": 1}}', headers={"Content-Type": "application/json"}),
        _response(302, headers={"Location": "https://www.pinterest.com/"}),
        _response(302, headers={"Location": "/loginhelp-is-not-a-login-page"}),
        _response(302, headers={"Location": "https://medium.com/m/signinfo-is-not-a-wall"}),
        # JSON that merely mentions a challenge phrase is not an HTML challenge page.
        _response(200, '{"bio": "Just a moment..."}', headers={"Content-Type": "application/json"}),
    ],
)
def test_ordinary_answers_are_not_traps(response: Response) -> None:
    assert trap(response) is None


def test_cloudflare_script_on_an_ordinary_page_is_not_a_challenge() -> None:
    page = (
        '<html><head><meta property="og:type" content="profile"></head><body>'
        '<script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script></body></html>'
    )
    assert trap(_response(200, page, headers={"Content-Type": "text/html"})) is None
    challenge = "<html><script>window._cf_chl_opt={cType: 'managed'}</script></html>"
    assert trap(_response(403, challenge, headers={"Content-Type": "text/html"})) is not None


@pytest.mark.parametrize(
    ("url", "location", "moved"),
    [
        (
            "https://www.threads.net/@zuck",
            "https://www.threads.com/@zuck",
            "https://www.threads.com/@zuck",
        ),
        (
            "https://api.example.test/u/a",
            "https://api.example.org/u/a",
            "https://api.example.org/u/a",
        ),
        ("https://www.facebook.com/acme", "https://web.facebook.com/acme", None),  # same site
        ("https://reddit.com/user/a", "/user/a/", None),  # relative: the same host
        ("https://www.instagram.com/a", "https://www.instagram.com/accounts/login/", None),
    ],
)
def test_moved_to_sees_a_redirect_to_another_site(
    url: str, location: str, moved: str | None
) -> None:
    response = Response(
        method="GET",
        url=url,
        status=301,
        headers=httpx.Headers({"location": location}),
        final_url=url,
    )
    assert moved_to(response) == moved
    assert moved_to(_response(200, headers={"location": location})) is None


def test_next_data_and_json_ld_are_parsed_not_searched() -> None:
    page = (
        '<script id="__NEXT_DATA__" type="application/json">{"props": {"a": 1}}</script>'
        '<script type="application/ld+json">{"@graph": [{"@type": "Organization", "url": "u"}]}'
        "</script><p>NOT_FOUND</p>"
    )
    response = _response(200, page, headers={"content-type": "text/html"})
    assert next_data(response) == {"props": {"a": 1}}
    assert {"@type": "Organization", "url": "u"} in json_ld_nodes(response)
    assert next_data(_response(200, "<p>__NEXT_DATA__</p>")) is None
    broken = '<script id="__NEXT_DATA__">{not json</script>'
    assert next_data(_response(200, broken)) is None


# --- rules a wrong line would break without the tests above noticing (bench/mutation.py) ----
def test_json_path_breaks_on_a_string_or_a_non_index_key() -> None:
    assert json_path({"a": "str"}, "a.0") is MISSING  # a string is not a list
    assert json_path({"a": [1, 2]}, "a.x") is MISSING  # a list takes only indexes
    assert json_path({"a": [1, 2]}, "a.2") is MISSING
    assert json_path({"a": [1, 2]}, "a.-3") is MISSING
    assert json_path({"a": [1, 2]}, "a.-2") == 1
    assert json_path({"a": {"0": "zero"}}, "a.0") == "zero"  # a dict key that looks numeric


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        # The markup sniffs as HTML whatever the label says.
        ("text/plain", "<html><title>Just a moment...</title></html>"),
        ("application/json", "  \n<!DOCTYPE html><script>window._cf_chl_opt={}</script>"),
        # Labelled as a page: read even when it doesn't start with markup.
        ("text/html", "Please wait a few minutes before you try again"),
        ("application/xhtml+xml", "Pardon Our Interruption"),
        ("", "Checking your browser before accessing acme"),
    ],
)
def test_a_challenge_page_is_trapped_by_its_label_or_its_markup(
    content_type: str, body: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    reason = trap(_response(200, body, headers=headers))
    assert reason is not None
    assert "bot challenge or interstitial" in reason


def test_a_non_page_answer_mentioning_a_challenge_marker_is_not_trapped() -> None:
    body = "Please wait a few minutes before you try again"
    assert trap(_response(200, body, headers={"Content-Type": "text/plain"})) is None


def test_a_login_wall_seen_only_where_the_answer_ended_is_a_trap() -> None:
    response = Response(
        method="GET",
        url="https://example.test/acme",
        status=200,
        headers=httpx.Headers({"Content-Type": "text/html"}),
        body=b"<html>sign in</html>",
        final_url="https://example.test/login?next=/acme",
    )
    assert trap(response) == "ended on a login wall (example.test/login)"
    same = Response(
        method="GET",
        url="https://example.test/login",
        status=200,
        final_url="https://example.test/login",
    )
    assert trap(same) is None  # asked for that page itself: not a wall in the way


def test_a_case_sensitive_marker_against_other_case_is_drift() -> None:
    response = _response(200, "<h1>ACME</h1> acme")
    assert Signal.of(200, contains=("Acme",)).evaluate(response) is Match.DRIFT
    assert Signal.of(200, patterns=(r"Acme",)).evaluate(response) is Match.DRIFT
    assert Signal.of(200, patterns=(r"Acme",), ignore_case=True).evaluate(response) is Match.FULL
    assert Signal.of(200, contains=("Acme",), ignore_case=True).evaluate(response) is Match.FULL


def test_a_cut_body_decides_nothing_even_with_a_complete_embedded_block() -> None:
    page = (
        '<script id="__NEXT_DATA__" type="application/json">{"props": {"a": 1}}</script>'
        '<script type="application/ld+json">{"@type": "Organization"}</script>'
    )
    whole = _response(200, page, headers={"content-type": "text/html"})
    assert next_data(whole) == {"props": {"a": 1}}
    assert json_ld_nodes(whole) == [{"@type": "Organization"}]
    cut = replace(whole, truncated=True)
    assert next_data(cut) is None
    assert json_ld_nodes(cut) == []


def test_next_data_reads_html_escaped_json_and_only_an_object() -> None:
    escaped = '<script id="__NEXT_DATA__">{&quot;props&quot;: 1}</script>'
    assert next_data(_response(200, escaped)) == {"props": 1}
    assert next_data(_response(200, '<script id="__NEXT_DATA__">[1, 2]</script>')) is None


def test_json_ld_walks_lists_and_graphs_to_a_bounded_depth() -> None:
    nested: object = {"@type": "Deep"}
    for _ in range(6):
        nested = [nested]
    page = (
        '<script type="application/ld+json">[{"@type": "A"}, {"@graph": [{"@type": "B"}]}]'
        '</script><script type="application/ld+json">{broken</script>'
        f'<script type="application/ld+json">{json.dumps(nested)}</script>'
    )
    nodes = json_ld_nodes(_response(200, page))
    assert {"@type": "A"} in nodes
    assert {"@type": "B"} in nodes
    assert {"@type": "Deep"} not in nodes


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("https://x.com/acme", "https://twitter.com/acme"),  # two labels each
        ("https://acme.test/a", "https://acme.example/a"),  # same name, another suffix
    ],
)
def test_a_redirect_between_two_short_hosts_is_a_move(url: str, location: str) -> None:
    response = Response(
        method="GET", url=url, status=302, headers=httpx.Headers({"location": location})
    )
    assert moved_to(response) == location


def test_only_redirect_statuses_move() -> None:
    for status, moved in ((300, False), (301, True), (304, False), (307, True), (308, True)):
        response = Response(
            method="GET",
            url="https://a.test/x",
            status=status,
            headers=httpx.Headers({"location": "https://b.example/x"}),
        )
        assert (moved_to(response) is not None) is moved, status
    failed = Response(
        method="GET",
        url="https://a.test/x",
        status=301,
        headers=httpx.Headers({"location": "https://b.example/x"}),
        error="reset",
    )
    assert moved_to(failed) is None


# --- SignalAdapter: one GET, ordered outcomes ---------------------------------------------
TAKEN = Signal.of(200, contains=('"taken":true',), label="200 taken")
FREE = Signal.of(200, contains=('"free":true',), label="200 free")
GONE = Signal.of(404, contains=("no such user",), label="404 no such user")


class _Demo(SignalAdapter):
    id = "demo"
    name = "Demo"
    methods = (Method.PUBLIC_API,)
    rule = HandleRule(r"[a-z0-9_]{2,20}", "2-20 letters, digits or '_'")
    profile_template = "https://demo.test/{handle}"
    signup_url = "https://demo.test/join"
    check_template = "https://api.demo.test/users/{handle}"
    request_headers = MappingProxyType({"Accept": "application/json", "X-Demo": "1"})
    json_answer = False
    profile_hosts = frozenset({"demo.test", "www.demo.test"})
    reserved_paths = frozenset({"explore"})
    outcomes = (
        Outcome(TAKEN, Status.CLAIMED, Confidence.HIGH, "demo.test/{handle} is taken"),
        Outcome(
            FREE,
            Status.AVAILABLE,
            Confidence.MEDIUM,
            "Demo says {handle} is free",
            remediation="Claim it at {signup_url}",
        ),
        Outcome(GONE, Status.AVAILABLE, Confidence.LOW, "no user {handle}"),
    )


class _Ctx:
    """The two things SignalAdapter.check uses of a CheckContext: fetch and mark."""

    def __init__(self, response: Response) -> None:
        self.response = response
        self.asked: list[tuple[str, dict[str, str] | None]] = []
        self.marks: list[str] = []

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> Response:
        assert (method, content) == ("GET", None), "the demo adapter asks with a plain GET"
        self.asked.append((url, headers))
        return self.response

    def mark(self, signal: str) -> None:
        self.marks.append(signal)


def _demo(response: Response, handle: str = "acme", adapter: SignalAdapter | None = None) -> Any:
    ctx = _Ctx(response)
    verdict = asyncio.run((adapter or _Demo()).check(handle, cast(CheckContext, ctx)))
    return verdict, ctx


def test_an_answer_matching_signals_for_two_verdicts_is_unknown() -> None:
    verdict, ctx = _demo(_response(200, '{"taken":true, "free":true}'))
    assert verdict.status is Status.UNKNOWN
    assert verdict.reason == (
        "Demo: no verdict: the answer matched signals for available and claimed"
    )
    assert ctx.marks == ["no verdict: signals for different verdicts matched"]


def test_the_first_full_match_decides_with_its_words_and_headers_are_sent() -> None:
    verdict, ctx = _demo(_response(200, '{"free":true}'), handle="a b")
    assert verdict.status is Status.AVAILABLE
    assert verdict.confidence is Confidence.MEDIUM
    assert verdict.reason == "Demo says a b is free"
    assert verdict.remediation == "Claim it at https://demo.test/join"
    assert ctx.marks == ["200 free"]
    assert ctx.asked == [
        ("https://api.demo.test/users/a%20b", {"Accept": "application/json", "X-Demo": "1"})
    ]
    claimed, _ = _demo(_response(200, '{"taken":true}'))
    assert (claimed.status, claimed.reason, claimed.remediation) == (
        Status.CLAIMED,
        "demo.test/acme is taken",
        None,
    )


def test_a_status_without_its_marker_is_drift_not_a_verdict() -> None:
    verdict, ctx = _demo(_response(404, "<html>Not Found</html>"))
    assert verdict.status is Status.UNKNOWN
    assert "signal drift (HTTP 404 came without the expected marker: 404 no such user)" in (
        verdict.reason
    )
    assert ctx.marks and ctx.marks[0].startswith("signal drift")


def test_a_json_endpoint_answering_a_page_is_no_verdict() -> None:
    class _Json(_Demo):
        json_answer = True

    page = _response(200, '<html>"free":true</html>', headers={"content-type": "text/html"})
    verdict, _ = _demo(page, adapter=_Json())
    assert verdict.status is Status.UNKNOWN
    assert "HTML where JSON was expected (HTTP 200)" in verdict.reason


def test_handles_are_read_from_profile_urls_but_not_reserved_paths() -> None:
    demo = _Demo()
    assert demo.handle_from_url("https://demo.test/Acme_Co") == "acme_co"
    assert demo.handle_from_url("https://www.demo.test/acme") == "acme"
    assert demo.handle_from_url("https://demo.test/explore") is None
    assert demo.handle_from_url("https://demo.test/not-a-handle!") is None
    assert demo.handle_from_url("https://other.test/acme") is None

    class _Cased(_Demo):
        case_sensitive = True

    assert _Cased().handle_from_url("https://demo.test/Acme_Co") == "Acme_Co"

    class _NoHosts(_Demo):
        profile_hosts = frozenset()

    assert _NoHosts().handle_from_url("https://demo.test/acme") is None


# --- blocked / undecided / expects_json: the unknown verdicts and their words ----------------
def _ctx() -> Any:
    return _Ctx(_response(200))


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (401, "Demo: blocked or login required (HTTP 401)"),
        (407, "Demo: unexpected answer (HTTP 407, no type)"),
        (429, "Demo: rate-limited (HTTP 429); try again later"),
        (999, "Demo: blocked by the platform's bot defence (HTTP 999)"),
        (500, "Demo: the platform had an error (HTTP 500)"),
    ],
)
def test_blocking_statuses_are_no_verdict(status: int, words: str) -> None:
    ctx = _ctx()
    verdict = blocked(_response(status, "x"), Method.PUBLIC_PAGE, "Demo", ctx)
    assert verdict is not None
    assert (verdict.status, verdict.confidence, verdict.reason) == (
        Status.UNKNOWN,
        Confidence.LOW,
        words,
    )
    assert ctx.marks == [f"no verdict: HTTP {status}"]


@pytest.mark.parametrize("status", [200, 404, 410, 499])
def test_an_ordinary_answer_is_left_to_the_signals(status: int) -> None:
    ctx = _ctx()
    assert blocked(_response(status, "x"), Method.PUBLIC_PAGE, "Demo", ctx) is None
    assert ctx.marks == []


def test_a_failure_a_trap_and_a_move_are_no_verdict_in_their_own_words() -> None:
    ctx = _ctx()
    failed = blocked(_response(None, error="timed out"), Method.PUBLIC_PAGE, "Demo", ctx)
    assert failed is not None
    assert (failed.status, failed.reason) == (Status.UNKNOWN, "Demo: no verdict: timed out")
    trapped = blocked(
        _response(200, "x", hops=("https://example.test/login",)), Method.PUBLIC_PAGE, "Demo", ctx
    )
    assert trapped is not None
    assert (trapped.status, trapped.confidence, trapped.signal) == (
        Status.UNKNOWN,
        Confidence.LOW,
        "no verdict",
    )
    assert trapped.reason == "Demo: no verdict: redirected to a login wall (example.test/login)"
    moved = Response(
        method="GET",
        url="https://x.com/acme",
        status=301,
        headers=httpx.Headers({"location": "https://twitter.com/acme"}),
    )
    verdict = blocked(moved, Method.PUBLIC_PAGE, "Demo", ctx)
    assert verdict is not None
    assert (verdict.status, verdict.confidence, verdict.signal, verdict.method) == (
        Status.UNKNOWN,
        Confidence.LOW,
        "moved",
        Method.PUBLIC_PAGE,
    )
    assert verdict.reason == (
        "Demo: no verdict: the platform moved this address to https://twitter.com/acme "
        "(HTTP 301); the adapter needs updating"
    )
    assert ctx.marks == [
        "no verdict: timed out",
        "no verdict: redirected to a login wall (example.test/login)",
        "moved: HTTP 301 to https://twitter.com/acme",
    ]


def test_undecided_names_drift_or_a_wrong_kind_of_answer() -> None:
    want_json = Signal.of(200, json_path="user.id", label="200 + JSON user.id")
    ctx = _ctx()
    page = _response(200, "<html></html>", headers={"content-type": "text/html"})
    verdict = undecided(page, Method.PUBLIC_API, "Demo", ctx, want_json)
    assert verdict.reason == (
        "Demo: no verdict: signal drift (HTTP 200 came without the expected marker: "
        "200 + JSON user.id); the adapter may need re-checking"
    )
    assert verdict.signal == "signal drift"
    other_status = Signal.of(404, json_path="error")
    text = _response(200, "plain words", headers={"content-type": "text/plain"})
    verdict = undecided(text, Method.PUBLIC_API, "Demo", ctx, other_status)
    assert verdict.reason == "Demo: no verdict: text/plain where JSON was expected (HTTP 200)"
    verdict = undecided(_response(200, "<p>"), Method.PUBLIC_API, "Demo", ctx, other_status)
    assert verdict.reason == "Demo: no verdict: no content type where JSON was expected (HTTP 200)"
    html = _response(200, "<p>", headers={"content-type": "text/html"})
    verdict = undecided(html, Method.PUBLIC_API, "Demo", ctx, other_status)
    assert verdict.reason == "Demo: no verdict: HTML where JSON was expected (HTTP 200)"
    plain = Signal.of(404, contains=("gone",))
    verdict = undecided(text, Method.PUBLIC_API, "Demo", ctx, plain)
    assert verdict.reason == "Demo: unexpected answer (HTTP 200, text/plain)"
    assert ctx.marks[-1] == "no verdict: HTTP 200, no known signal"


@pytest.mark.parametrize(
    ("response", "detail"),
    [
        (_response(200, ""), "an empty body (HTTP 200)"),
        (
            replace(_response(200, '{"a": 1'), truncated=True),
            "a body cut at the size cap (HTTP 200)",
        ),
        (
            _response(200, "<b>", headers={"content-type": "text/html"}),
            "HTML where JSON was expected (HTTP 200)",
        ),
        (
            _response(500, "oops", headers={"content-type": "text/plain"}),
            "text/plain where JSON was expected (HTTP 500)",
        ),
        (_response(200, "oops"), "no content type where JSON was expected (HTTP 200)"),
    ],
)
def test_a_json_api_answering_something_else_is_no_verdict(response: Response, detail: str) -> None:
    ctx = _ctx()
    verdict = expects_json(response, Method.PUBLIC_API, "Demo", ctx)
    assert verdict is not None
    assert (verdict.status, verdict.reason, verdict.signal) == (
        Status.UNKNOWN,
        f"Demo: no verdict: {detail}",
        "no verdict",
    )
    assert ctx.marks == [f"no verdict: {detail}"]
    assert expects_json(_response(200, '{"a": 1}'), Method.PUBLIC_API, "Demo", ctx) is None


def test_a_signal_describes_itself() -> None:
    assert Signal.of(404, label="404 'gone'").describe() == "404 'gone'"
    full = Signal.of(
        404,
        200,
        contains=("a",),
        patterns=("b+",),
        json_path="x.y",
        json_equals=1,
        headers={"server": "nginx"},
    )
    assert full.describe() == "200/404 + 'a' + /b+/ + JSON x.y = 1 + server: nginx"
    assert Signal.of(200, json_path="x").describe() == "200 + JSON x"
    for markers in ({"contains": ("a",)}, {"patterns": ("a",)}, {"json_path": "a"}):
        assert Signal.of(200, **markers).has_markers
    assert Signal.of(200, headers={"a": "b"}).has_markers


def test_header_markers_compare_without_case_and_json_values_exactly() -> None:
    signal = Signal.of(200, headers={"X-Kind": "Profile"})
    assert signal.matches(_response(200, headers={"x-kind": "user PROFILE page"}))
    assert signal.evaluate(_response(200, headers={"x-kind": "error"})) is Match.DRIFT
    assert signal.evaluate(_response(200)) is Match.DRIFT
    equals = Signal.of(200, json_path="ok", json_equals=True)
    assert equals.matches(_response(200, '{"ok": true}'))
    assert equals.evaluate(_response(200, '{"ok": false}')) is Match.DRIFT
    assert equals.evaluate(_response(200, '{"nope": true}')) is Match.DRIFT
    assert Signal.of(200, json_path="n").matches(_response(200, '{"n": 0}'))  # 0 is a value


@pytest.mark.parametrize(
    ("location", "where"),
    [
        ("/i/flow/login?redirect=x", "a login wall (/i/flow/login)"),
        ("https://auth.example.test/oauth/authorize", "a login wall (auth.example.test/oauth/"),
        ("https://Consent.Example.test/x", "a consent page (consent.example.test)"),
        ("https://example.test/m/signin?x=1", "a login wall (example.test/m/signin)"),
    ],
)
def test_login_walls_and_consent_pages_are_recognised_anywhere(location: str, where: str) -> None:
    reason = trap(_response(302, headers={"Location": location}))
    assert reason is not None
    assert reason.startswith(f"redirected to {where}")
    assert trap(_response(403, "x", headers={"cf-mitigated": "Challenge"})) == (
        "a bot challenge (cf-mitigated: challenge)"
    )


def test_unparsable_addresses_are_neither_traps_nor_moves() -> None:
    bad = _response(302, headers={"Location": "http://[not-an-address/login"})
    assert trap(bad) is None
    ended = replace(_response(200, "x"), final_url="http://[bad/login")
    assert trap(ended) is None
    nowhere = Response(
        method="GET",
        url="https://a.test/x",
        status=302,
        headers=httpx.Headers({"location": "mailto:team@b.example"}),
    )
    assert moved_to(nowhere) is None  # no host to have moved to


def test_json_ld_depth_is_bounded_at_four_levels() -> None:
    def wrapped(levels: int) -> str:
        value: object = {"@type": f"L{levels}"}
        for _ in range(levels):
            value = [value]
        return f'<script type="application/ld+json">{json.dumps(value)}</script>'

    nodes = json_ld_nodes(_response(200, wrapped(4) + wrapped(5)))
    assert nodes == [{"@type": "L4"}]


def test_an_adapter_without_request_headers_sends_none() -> None:
    class _Bare(_Demo):
        request_headers = MappingProxyType({})

    _, ctx = _demo(_response(200, '{"taken":true}'), adapter=_Bare())
    assert ctx.asked == [("https://api.demo.test/users/acme", None)]


def test_every_undecided_verdict_is_unknown_low_by_the_method_asked() -> None:
    want_json = Signal.of(200, json_path="user.id")
    other = Signal.of(404, json_path="error")
    page = _response(200, "<p>", headers={"content-type": "text/html"})
    cases = [
        (page, want_json, "signal drift", "signal drift: HTTP 200 without 200 + JSON user.id"),
        (page, other, "no verdict", "no verdict: HTML where JSON was expected"),
        (
            _response(200, "words"),
            Signal.of(404, contains=("x",)),
            "no verdict",
            "no verdict: HTTP 200, no known signal",
        ),
    ]
    for response, signal, label, mark in cases:
        ctx = _ctx()
        verdict = undecided(response, Method.OFFICIAL_API, "Demo", ctx, signal)
        assert (verdict.status, verdict.confidence, verdict.method, verdict.signal) == (
            Status.UNKNOWN,
            Confidence.LOW,
            Method.OFFICIAL_API,
            label,
        )
        assert ctx.marks == [mark]


def test_every_verdict_of_a_signal_adapter_is_by_its_method_and_named_for_it() -> None:
    answers = [
        (_response(403, "x"), Status.UNKNOWN, Confidence.LOW),  # blocked
        (_response(200, '{"taken":true, "free":true}'), Status.UNKNOWN, Confidence.LOW),
        (_response(200, '{"free":true}'), Status.AVAILABLE, Confidence.MEDIUM),
        (_response(404, "<html>"), Status.UNKNOWN, Confidence.LOW),  # drift
    ]
    for response, status, confidence in answers:
        verdict, _ = _demo(response)
        assert (verdict.status, verdict.confidence, verdict.method) == (
            status,
            confidence,
            Method.PUBLIC_API,
        )
        assert verdict.reason.startswith(("Demo", "demo.test")), verdict.reason
    both, _ = _demo(answers[1][0])
    assert both.signal == "no verdict"

    class _Json(_Demo):
        json_answer = True

    verdict, _ = _demo(
        _response(200, "<p>", headers={"content-type": "text/html"}), adapter=_Json()
    )
    assert (verdict.method, verdict.confidence, verdict.signal) == (
        Method.PUBLIC_API,
        Confidence.LOW,
        "no verdict",
    )
    assert verdict.reason.startswith("Demo: no verdict: ")


def test_an_adapter_without_a_signup_url_leaves_it_empty() -> None:
    class _NoSignup(_Demo):
        signup_url = None

    verdict, _ = _demo(_response(200, '{"free":true}'), adapter=_NoSignup())
    assert verdict.remediation == "Claim it at "


def test_a_profile_prefix_is_part_of_the_url_shape() -> None:
    class _At(_Demo):
        profile_prefix = "@"

    assert _At().handle_from_url("https://demo.test/@acme") == "acme"
    assert _At().handle_from_url("https://demo.test/acme") is None


def test_an_answer_with_an_error_or_without_a_status_is_no_verdict() -> None:
    ctx = _ctx()
    loop = _response(302, error="redirect loop back to https://example.test/acme")
    verdict = blocked(loop, Method.PUBLIC_PAGE, "Demo", ctx)
    assert verdict is not None
    assert verdict.reason == "Demo: no verdict: redirect loop back to https://example.test/acme"
    assert verdict.method is Method.PUBLIC_PAGE
    silent = blocked(_response(None), Method.PUBLIC_PAGE, "Demo", ctx)
    assert silent is not None
    assert silent.status is Status.UNKNOWN
    assert ctx.marks == [
        "no verdict: redirect loop back to https://example.test/acme",
        "no verdict: no answer",
    ]
    for response in (_response(429), _response(200, "x", hops=("https://e.test/login",))):
        early = blocked(response, Method.PUBLIC_PAGE, "Demo", ctx)
        assert early is not None
        assert early.method is Method.PUBLIC_PAGE


def test_json_ld_graphs_count_toward_the_depth_and_a_broken_block_is_skipped() -> None:
    graphs = {"@graph": [{"@type": "L1", "@graph": [{"@type": "L2", "@graph": [{"@type": "L3"}]}]}]}
    page = (
        '<script type="application/ld+json">{broken</script>'
        f'<script type="application/ld+json">{json.dumps(graphs)}</script>'
    )
    types = [node.get("@type") for node in json_ld_nodes(_response(200, page))]
    assert types == [None, "L1", "L2"]


@pytest.mark.parametrize("wanted", ["none", "xx", "None"])
def test_a_missing_header_never_matches_a_header_marker(wanted: str) -> None:
    assert Signal.of(200, headers={"x-kind": wanted}).evaluate(_response(200)) is Match.DRIFT
