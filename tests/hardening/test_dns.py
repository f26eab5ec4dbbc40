"""Hostile DNS: ``DnsClient`` against the loopback DNS world. Every failure is a distinct
outcome with a precise error, never an exception, and every query ends within its timeout."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from brandaudit.net.dns import DnsAnswer, DnsClient, DnsOutcome
from tests.bluesky.scenario import Bsky
from tests.conftest import World
from tests.world.dns import DnsWorld, free_udp_port

NAME = "_atproto.acme.com"
DID = "did=did:plc:ewvi7nxzyoun6zhxrhs64oiz"


def ask(
    servers: list[str], name: str = NAME, rdtype: str = "TXT", timeout: float = 0.5
) -> tuple[DnsAnswer, float]:
    client = DnsClient(servers, timeout=timeout)
    started = time.monotonic()
    answer = asyncio.run(client.query(name, rdtype))
    return answer, time.monotonic() - started


@pytest.fixture
def dns(dns_world: DnsWorld) -> DnsWorld:
    dns_world.reset()
    return dns_world


@pytest.mark.parametrize(
    ("behaviour", "outcome", "needle"),
    [
        ("servfail", DnsOutcome.SERVFAIL, "answered SERVFAIL"),
        ("refused", DnsOutcome.REFUSED, "answered REFUSED"),
        ("timeout", DnsOutcome.TIMEOUT, "no answer from"),
        ("garbage", DnsOutcome.ERROR, ""),
    ],
)
def test_server_failures_are_distinct_outcomes(
    dns: DnsWorld, behaviour: str, outcome: DnsOutcome, needle: str
) -> None:
    dns.add(NAME, behaviour=behaviour)
    answer, elapsed = ask([dns.nameserver])
    assert answer.outcome is outcome, answer
    assert answer.failed
    assert answer.error and needle in answer.error
    assert "\n" not in answer.error and len(answer.error) <= 300
    assert answer.records == ()
    assert elapsed < 5  # bounded by the 0.5 s timeout, loosely


def test_nxdomain_and_nodata_are_not_failures(dns: DnsWorld) -> None:
    dns.add("acme.com", a=["203.0.113.10"])
    missing, _ = ask([dns.nameserver], "_atproto.nothing.example")
    nodata, _ = ask([dns.nameserver], "acme.com", "TXT")
    assert missing.outcome is DnsOutcome.NXDOMAIN and not missing.failed
    assert nodata.outcome is DnsOutcome.NODATA and not nodata.failed


def test_ten_kilobyte_txt_record_arrives_over_tcp_and_is_joined(dns: DnsWorld) -> None:
    strings = [DID] + ["x" * 255] * 40  # ~10 KB: truncated over UDP, retried over TCP
    dns.txt(NAME, strings)
    answer, _ = ask([dns.nameserver], timeout=2)
    assert answer.outcome is DnsOutcome.OK, answer
    assert answer.records == ("".join(strings),)
    assert answer.raw_strings == (tuple(strings),)
    assert len(answer.records[0]) > 10_000


def test_many_txt_records_and_odd_characters_are_kept_as_text(dns: DnsWorld) -> None:
    odd = "did=\x00\u202eevil\ufffd"
    dns.txt(NAME, *[f"v={i}" for i in range(150)], odd)
    answer, _ = ask([dns.nameserver], timeout=2)
    assert answer.outcome is DnsOutcome.OK
    assert len(answer.records) == 151
    assert odd in answer.records


def test_cname_loop_ends(dns: DnsWorld) -> None:
    dns.add(NAME, cname="b.acme.com")
    dns.add("b.acme.com", cname=NAME)
    answer, _ = ask([dns.nameserver])
    assert answer.outcome is DnsOutcome.NODATA
    assert 1 <= len(answer.cname_chain) <= 16


def test_a_dead_nameserver_is_reported_and_the_next_one_answers(dns: DnsWorld) -> None:
    dead = f"127.0.0.1:{free_udp_port()}"
    only_dead, elapsed = ask([dead])
    assert only_dead.outcome in {DnsOutcome.ERROR, DnsOutcome.TIMEOUT}
    assert only_dead.error and dead in (only_dead.error + str(only_dead.nameserver))
    assert elapsed < 5
    dns.txt(NAME, DID)
    answer, _ = ask([dead, dns.nameserver], timeout=2)
    assert answer.outcome is DnsOutcome.OK and answer.records == (DID,)


def test_a_failing_server_is_skipped_for_a_working_one(dns: DnsWorld) -> None:
    dns.add(NAME, behaviour="servfail")
    other = DnsWorld().start()
    try:
        other.txt(NAME, DID)
        answer, _ = ask([dns.nameserver, other.nameserver], timeout=2)
    finally:
        other.stop()
    assert answer.outcome is DnsOutcome.OK and answer.records == (DID,)


@pytest.mark.parametrize(
    "name", ["a" * 64 + ".com", ("a" * 60 + ".") * 5 + "com", "bad..name.com", ""]
)
def test_names_dns_cannot_carry_are_errors_not_exceptions(dns: DnsWorld, name: str) -> None:
    answer, _ = ask([dns.nameserver], name)
    assert answer.outcome in {DnsOutcome.ERROR, DnsOutcome.NXDOMAIN}, answer
    if answer.outcome is DnsOutcome.ERROR:
        assert answer.error


def test_whole_query_is_bounded_by_the_timeout_across_servers(dns: DnsWorld) -> None:
    dns.add(NAME, behaviour="timeout")
    answer, elapsed = ask([dns.nameserver] * 4, timeout=0.6)
    assert answer.outcome is DnsOutcome.TIMEOUT
    assert elapsed < 5  # four silent servers share one 0.6 s budget


# --- through 'brandaudit bluesky' ------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("arrange", "needle", "status"),
    [
        ("timeout", "TIMEOUT", "warn"),
        ("garbage", "ERROR", "warn"),
        # one did= value, however broken: Bluesky's resolver uses it and never reads the file
        ("ten-kilobytes", "is not a valid DID", "fail"),
    ],
)
def test_hostile_dns_is_reported_and_leaves_the_rest(
    world: World, arrange: str, needle: str, status: str
) -> None:
    b = Bsky(world)
    b.healthy(dns=False, file=True)  # the website file works; only DNS is hostile
    if arrange == "ten-kilobytes":
        world.dns.txt(NAME, [DID] + ["x" * 255] * 40)
    else:
        world.dns.add(NAME, behaviour=arrange)
    started = time.monotonic()
    # --deadline bounds the hostile DNS; the website file gets a read timeout a loaded machine
    # can meet (the file must pass in every case).
    result = world.run("bluesky", "acme.com", "-f", "json", "--deadline", "2", "--timeout", "2")
    elapsed = time.monotonic() - started
    # Bluesky's resolver falls back to the working file when DNS gives nothing usable
    # (issue 11): then the handle works and the hostile DNS is a warning; never a crash
    assert result.code == (0 if status == "warn" else 1), result.stderr
    assert "Traceback" not in result.stderr
    checks = {c["id"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["dns_txt"]["status"] == status
    assert needle in checks["dns_txt"]["message"]
    assert len(checks["dns_txt"]["message"]) < 1000  # a 10 KB record is quoted, not copied
    assert checks["well_known"]["status"] == "pass"
    assert checks["did_document"]["status"] == "pass"
    assert elapsed < 20  # bounded (the deadline is 2 s); a hang hits the run timeout
