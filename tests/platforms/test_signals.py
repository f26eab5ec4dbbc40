"""The declarative signal type and the trap detector, on hand-built responses."""

from __future__ import annotations

import httpx
import pytest

from brandaudit.net.client import Response
from brandaudit.platforms.signals import (
    Match,
    Signal,
    json_ld_nodes,
    json_path,
    moved_to,
    next_data,
    trap,
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
