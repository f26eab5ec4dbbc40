"""RDAP answers judged (brandaudit.rdap): the registry's words only, everything else unknown."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from brandaudit.net.client import Response
from brandaudit.rdap import Registration, judge, parse_bootstrap, parse_domain
from tests.world import rdap


def _answer(
    status: int | None, body: bytes = b"", kind: str = "application/rdap+json", **extra: Any
) -> Response:
    headers = httpx.Headers({"content-type": kind, **extra.pop("headers", {})})
    return Response("GET", "https://rdap.test/domain/acme.io", status, headers, body, **extra)


@pytest.mark.parametrize(
    ("answer", "state", "words"),
    [
        (_answer(404), Registration.NOT_REGISTERED, "not registered"),
        (_answer(404, b'{"errorCode":404}'), Registration.NOT_REGISTERED, "no record"),
        (_answer(404, b"<h1>x</h1>", "text/html"), Registration.UNKNOWN, "not RDAP"),
        (_answer(404, b"{}", truncated=True), Registration.UNKNOWN, "not RDAP"),
        (_answer(429), Registration.UNKNOWN, "rate-limited"),
        (_answer(502), Registration.UNKNOWN, "HTTP 502"),
        (_answer(301, headers={"location": "https://x.test/"}), Registration.UNKNOWN, "redirected"),
        (_answer(200, b'{"objectClassName": "entity"}'), Registration.UNKNOWN, "without a domain"),
        (_answer(None, error="timeout after 5s"), Registration.UNKNOWN, "timeout"),
        (_answer(403), Registration.UNKNOWN, "not RDAP (HTTP 403"),
    ],
)
def test_only_the_registry_decides(answer: Response, state: Registration, words: str) -> None:
    found = judge("acme.io", answer, "rdap.test")
    assert found.state is state
    assert words in found.reason


def test_a_domain_object_is_read_within_bounds() -> None:
    body = rdap.domain_object("acme.io")
    body["entities"] = ["junk", {"roles": ["registrar"], "handle": "1234"}]
    body["events"] = [{"eventAction": "registration", "eventDate": "not a date"}, "junk"]
    body["nameservers"] = [{"ldhName": f"NS{i}.EXAMPLE.TEST."} for i in range(100)]
    record = parse_domain(body, "acme.io")
    assert record is not None
    assert record.registrar == "IANA id 1234"
    assert record.registered is None
    assert len(record.nameservers) == 16 and record.nameservers[0] == "ns0.example.test"
    assert record.summary() == (
        "registrar IANA id 1234; nameservers ns0.example.test, ns1.example.test, "
        "ns2.example.test, ns3.example.test and 12 more"
    )
    assert parse_domain([], "acme.io") is None
    assert parse_bootstrap({"services": "x"}) == {}
    assert parse_bootstrap([]) == {}
