"""The Bluesky judges at the edges a wrong line would move: which failures are the domain's
and which are brandaudit's, status boundaries, records at wrong names (no network).

Each case is a rule users rely on; mutation testing (``python -m bench.mutation``) showed
each could change without another test noticing.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import cast

import pytest

from brandaudit.bluesky.dns_check import (
    MAX_SHOWN,
    DnsObservation,
    FileState,
    dns_evidence,
    judge_dns,
    misplaced_names,
    observe_dns,
    shown,
)
from brandaudit.bluesky.syntax import MAX_DNS_HANDLE
from brandaudit.bluesky.well_known import (
    HTML_FIX,
    behind_working_dns,
    behind_working_file,
    file_state,
    judge_well_known,
)
from brandaudit.model import CheckStatus
from brandaudit.net.client import ErrorKind, Response
from brandaudit.net.dns import DnsAnswer, DnsClient, DnsOutcome
from tests.bluesky.test_judges import DID, OTHER, answer, file, observe

A_RECORD = answer("acme.com", DnsOutcome.OK, "192.0.2.1", rdtype="A")
NO_AAAA = answer("acme.com", DnsOutcome.NODATA, rdtype="AAAA")
REFUSED = file(status=None, error="connection refused (acme.com:443)", kind=ErrorKind.CONNECT)


# A domain with an `_atproto` record: when its website fails too, the failure is the site's
# (with no record at all, an unreachable site is "could not check": issue 25, tested in
# test_judges and the CLI tests).
HAS_RECORD = answer("_atproto.acme.com", DnsOutcome.OK, f"did={DID}")


def _with_addresses(*addresses: DnsAnswer) -> DnsObservation:
    obs = observe(HAS_RECORD)
    return DnsObservation(
        domain=obs.domain,
        zone=obs.zone,
        main=obs.main,
        control=obs.control,
        addresses=addresses,
    )


# --- well_known: whose failure is it? -------------------------------------------------------
def test_https_failing_for_a_domain_with_an_address_is_the_sites_failure() -> None:
    # An A record and a refused connection: the website is broken, not absent.
    check = judge_well_known("acme.com", REFUSED, _with_addresses(A_RECORD, NO_AAAA)).check
    assert check.status is CheckStatus.FAIL, check
    assert "HTTPS on `acme.com` failed" in (check.fix or "")
    assert "no address" not in check.message


def test_https_failing_for_a_domain_without_any_address_is_method_not_used() -> None:
    none = (answer("acme.com", DnsOutcome.NODATA, rdtype="A"), NO_AAAA)
    check = judge_well_known("acme.com", REFUSED, _with_addresses(*none)).check
    assert check.status is CheckStatus.INFO, check
    assert "has no address" in check.message
    # Without any address query (no observation) nothing says the site is absent.
    assert judge_well_known("acme.com", REFUSED, None).check.status is CheckStatus.FAIL
    assert judge_well_known("acme.com", REFUSED, _with_addresses()).check.status is (
        CheckStatus.FAIL
    )


def test_a_name_that_is_only_a_dangling_cname_still_counts_as_an_address() -> None:
    # NODATA at the end of a CNAME: the name is pointed somewhere; HTTPS failing is a failure.
    cname = DnsAnswer("acme.com", "A", DnsOutcome.NODATA, cname_chain=("edge.cdn.test",))
    check = judge_well_known("acme.com", REFUSED, _with_addresses(cname, NO_AAAA)).check
    assert check.status is CheckStatus.FAIL, check


@pytest.mark.parametrize(
    "error", ["[Errno -3] Temporary failure in name resolution", "getaddrinfo: Try again"]
)
def test_our_own_resolver_failing_is_could_not_check_without_any_dns_observation(
    error: str,
) -> None:
    response = file(status=None, error=error, kind=ErrorKind.CONNECT)
    check = judge_well_known("acme.com", response, None).check
    assert check.status is CheckStatus.SKIP, check
    assert check.message.startswith("could not check")
    assert "check your network" in check.message


def test_a_timeout_while_our_dns_is_down_is_could_not_check() -> None:
    response = file(status=None, error="timed out", kind=ErrorKind.TIMEOUT)
    down = observe(answer("_atproto.acme.com", DnsOutcome.TIMEOUT), DnsOutcome.TIMEOUT)
    assert judge_well_known("acme.com", response, down).check.status is CheckStatus.SKIP
    errored = observe(answer("_atproto.acme.com", DnsOutcome.ERROR), DnsOutcome.ERROR)
    assert judge_well_known("acme.com", response, errored).check.status is CheckStatus.SKIP
    # The zone answering (with a record) while the site times out: the site's failure.
    fine = observe(HAS_RECORD, DnsOutcome.OK)
    assert judge_well_known("acme.com", response, fine).check.status is CheckStatus.FAIL
    # No record and no answer from the site: nothing shows a setup, so "could not check".
    absent = observe(answer("_atproto.acme.com", DnsOutcome.NXDOMAIN), DnsOutcome.OK)
    assert judge_well_known("acme.com", response, absent).check.status is CheckStatus.SKIP


def test_an_html_404_at_the_file_path_is_no_file_not_a_broken_file() -> None:
    page = file(
        status=404,
        body=b"<!doctype html><html><body>Page not found</body></html>",
        headers={"content-type": "text/html; charset=utf-8"},
    )
    check = judge_well_known("acme.com", page).check
    assert check.status is CheckStatus.INFO, check
    assert "no file at" in check.message


@pytest.mark.parametrize(("status", "verdict"), [(299, CheckStatus.FAIL), (300, CheckStatus.FAIL)])
def test_a_3xx_answer_is_not_the_file(status: int, verdict: CheckStatus) -> None:
    # 299 is a 2xx answer, read for a DID (this body isn't one); 300 is not the file at all.
    check = judge_well_known("acme.com", file(status=status, body=b"see elsewhere")).check
    assert check.status is verdict, check
    said_status = f"answered HTTP {status}" in check.message
    assert said_status is (status >= 300), check.message


def test_a_4xx_other_than_404_and_429_fails() -> None:
    check = judge_well_known("acme.com", file(status=410, body=b"gone")).check
    assert check.status is CheckStatus.FAIL
    assert "answered HTTP 410" in check.message


# --- dns_txt ----------------------------------------------------------------------------------
def test_a_record_holding_only_spf_is_a_failure_not_could_not_check() -> None:
    check = judge_dns(observe(answer("_atproto.acme.com", DnsOutcome.OK, "v=spf1 -all"))).check
    assert check.status is CheckStatus.FAIL, check
    assert "none starts with `did=`" in check.message
    assert "'v=spf1 -all'" in check.message


def _misplaced(name: str, *records: str) -> DnsObservation:
    obs = observe(answer("_atproto.acme.com", DnsOutcome.NXDOMAIN))
    return DnsObservation(
        domain=obs.domain,
        zone=obs.zone,
        main=obs.main,
        control=obs.control,
        misplaced={name: answer(name, DnsOutcome.OK, *records)},
    )


def test_a_misplaced_did_record_after_another_value_is_found() -> None:
    judged = judge_dns(_misplaced("atproto.acme.com", "google-site-verification=x", f"did={DID}"))
    assert judged.check.status is CheckStatus.FAIL, judged.check
    assert f"`atproto.acme.com` has 'did={DID}'" in judged.check.message
    assert "Add the underscore" in (judged.check.fix or "")
    assert judged.misplaced == ("atproto.acme.com",)


@pytest.mark.parametrize(
    ("records", "status"),
    [
        ((DID,), CheckStatus.FAIL),  # a bare DID at a wrong name was meant as the record
        (("hello world",), CheckStatus.INFO),  # anything else there is someone else's
    ],
)
def test_a_bare_did_at_atproto_without_underscore_is_misplaced(
    records: tuple[str, ...], status: CheckStatus
) -> None:
    judged = judge_dns(_misplaced("atproto.acme.com", *records))
    assert judged.check.status is status, judged.check
    assert bool(judged.misplaced) is (status is CheckStatus.FAIL)


def test_a_bare_did_at_the_apex_is_not_a_misplaced_record() -> None:
    # Apex TXT records often carry other DIDs (verification tokens): only did= counts there.
    assert judge_dns(_misplaced("acme.com", DID)).check.status is CheckStatus.INFO
    assert judge_dns(_misplaced("acme.com", f'"did={DID}"')).check.status is CheckStatus.FAIL


def test_leftover_misplaced_records_are_kept_beside_a_working_record() -> None:
    obs = _misplaced("atproto.acme.com", f"did={DID}")
    working = DnsObservation(
        domain=obs.domain,
        zone=obs.zone,
        main=answer("_atproto.acme.com", DnsOutcome.OK, f"did={DID}"),
        control=obs.control,
        misplaced=obs.misplaced,
    )
    judged = judge_dns(working)
    assert judged.check.status is CheckStatus.WARN, judged.check
    assert "leftover records at `atproto.acme.com`" in judged.check.message
    assert judged.misplaced == ("atproto.acme.com",)
    assert judged.reading is not None and judged.reading.did == DID


@pytest.mark.parametrize(("extra", "looked_up"), [(0, True), (1, False)])
def test_the_longest_handle_dns_can_hold_is_looked_up(extra: int, looked_up: bool) -> None:
    tail = ".".join(["a" * 59] * 3) + ".com"
    domain = "b" * (MAX_DNS_HANDLE + extra - len(tail) - 1) + "." + tail
    assert len(domain) == MAX_DNS_HANDLE + extra
    judged = judge_dns(observe(answer(f"_atproto.{domain}", DnsOutcome.NXDOMAIN), domain=domain))
    too_long = "too long for an `_atproto` DNS record" in judged.check.message
    assert too_long is not looked_up, judged.check.message


# --- one method broken while the other works ------------------------------------------------
def test_what_the_file_gave_is_told_to_the_dns_judgement() -> None:
    served = file()
    assert file_state(served, judge_well_known("acme.com", served)) is FileState.RESOLVES
    page = file(body=b"hello")
    assert file_state(page, judge_well_known("acme.com", page)) is FileState.ANSWERED
    missing = file(status=404, body=b"nope")
    assert file_state(missing, judge_well_known("acme.com", missing)) is FileState.ANSWERED
    assert file_state(REFUSED, judge_well_known("acme.com", REFUSED)) is FileState.SILENT


def test_a_broken_file_behind_a_working_record_is_a_warning_that_keeps_its_fix() -> None:
    broken = judge_well_known("acme.com", file(body=b"hello"))
    assert broken.check.status is CheckStatus.FAIL
    softened = behind_working_dns(broken)
    assert softened.check.status is CheckStatus.WARN
    assert softened.check.message == (
        broken.check.message + " (not used: your DNS record already works)"
    )
    assert softened.check.fix == "Only needed if you rely on the file: " + (broken.check.fix or "")
    assert softened.reading is broken.reading
    working = judge_well_known("acme.com", file())
    assert behind_working_dns(working) is working
    no_file = judge_well_known("acme.com", file(status=404, body=b"nope"))
    assert behind_working_dns(no_file) is no_file  # INFO stays INFO


def test_a_broken_record_behind_a_working_file_is_a_warning_that_keeps_its_fix() -> None:
    obs = _misplaced("atproto.acme.com", f"did={DID}")
    near_miss = answer("_atproto.acme.com", DnsOutcome.OK, f'"did={DID}"')
    broken = judge_dns(
        DnsObservation(
            domain=obs.domain,
            zone=obs.zone,
            main=near_miss,
            control=obs.control,
            misplaced=obs.misplaced,
        )
    )
    assert broken.check.status is CheckStatus.FAIL
    assert broken.reading is not None
    softened = behind_working_file(broken)
    assert softened.check.status is CheckStatus.WARN
    assert softened.check.message == (
        broken.check.message
        + " (Bluesky's resolver falls back to your website file, so the handle works)"
    )
    assert softened.check.fix == "Fix it, or delete it and rely on the file: " + (
        broken.check.fix or ""
    )
    assert (softened.reading, softened.misplaced) == (broken.reading, broken.misplaced)
    fine = judge_dns(observe(answer("_atproto.acme.com", DnsOutcome.OK, f"did={DID}")))
    assert behind_working_file(fine) is fine


# --- phase 1's DNS questions ------------------------------------------------------------------
class _Dns:
    """A DnsClient stand-in: answers from a table, never for ``silent`` names."""

    def __init__(self, answers: dict[tuple[str, str], DnsAnswer], silent: set[str]) -> None:
        self.answers = answers
        self.silent = silent
        self.asked: list[tuple[str, str]] = []
        self.timeout = 5.0

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        self.asked.append((name, rdtype))
        if name in self.silent:
            await asyncio.sleep(30)
        return self.answers.get((name, rdtype), DnsAnswer(name, rdtype, DnsOutcome.NXDOMAIN))


def test_phase_one_asks_every_name_and_bounds_a_silent_one() -> None:
    main = answer("_atproto.team.acme.co.uk", DnsOutcome.OK, f"did={DID}")
    dns = _Dns({("_atproto.team.acme.co.uk", "TXT"): main}, silent={"team.acme.co.uk"})
    obs = asyncio.run(observe_dns("team.acme.co.uk", cast(DnsClient, dns), 0.2))
    assert (obs.domain, obs.zone) == ("team.acme.co.uk", "acme.co.uk")
    assert obs.main is main
    assert (obs.control.name, obs.control.rdtype) == ("acme.co.uk", "NS")
    assert obs.suffix is not None and (obs.suffix.name, obs.suffix.rdtype) == ("co.uk", "NS")
    assert obs.root is not None and (obs.root.name, obs.root.rdtype) == (".", "SOA")
    # The domain's own A/AAAA never answered: recorded as timeouts within the time given.
    assert [(a.rdtype, a.outcome) for a in obs.addresses] == [
        ("A", DnsOutcome.TIMEOUT),
        ("AAAA", DnsOutcome.TIMEOUT),
    ]
    assert obs.addresses[0].error == "no answer within 0.2s"
    assert set(obs.misplaced) == {
        "_atproto.team.acme.co.uk.acme.co.uk",
        "_atproto.team.acme.co.uk.team.acme.co.uk",
        "atproto.team.acme.co.uk",
        "team.acme.co.uk",
        "_atproto.acme.co.uk",
    }
    assert all(name == obs.misplaced[name].name for name in obs.misplaced)
    assert ("team.acme.co.uk", "TXT") in dns.asked


def test_misplaced_names_of_an_apex_handle_have_no_parent() -> None:
    assert misplaced_names("acme.com", "acme.com") == {
        "_atproto.acme.com.acme.com": "doubled",
        "atproto.acme.com": "no_underscore",
        "acme.com": "apex",
    }
    deep = misplaced_names("a.b.acme.com", "acme.com")
    assert deep["_atproto.b.acme.com"] == "parent"
    assert deep["_atproto.acme.com"] == "parent"


def test_dns_evidence_names_the_question_the_answer_and_the_cname() -> None:
    ok = DnsAnswer(
        "_atproto.acme.com",
        "TXT",
        DnsOutcome.OK,
        records=("a", "b"),
        cname_chain=("x.test", "y.test"),
        elapsed_ms=3.0,
    )
    evidence = dns_evidence(ok)
    assert (evidence.method, evidence.url) == ("DNS", "_atproto.acme.com TXT")
    assert evidence.signal == "'a'; 'b' (via CNAME x.test -> y.test)"
    assert evidence.error is None
    failed = DnsAnswer("_atproto.acme.com", "TXT", DnsOutcome.SERVFAIL, error="SERVFAIL from ns")
    assert (dns_evidence(failed).signal, dns_evidence(failed).error) == (
        "servfail",
        "SERVFAIL from ns",
    )
    nx = DnsAnswer("_atproto.acme.com", "TXT", DnsOutcome.NXDOMAIN, error="ignored")
    assert dns_evidence(nx).error is None  # NXDOMAIN is an answer, not a failure


def test_a_long_record_is_shown_cut() -> None:
    assert shown("x" * MAX_SHOWN) == repr("x" * MAX_SHOWN)
    assert shown("x" * (MAX_SHOWN + 1)) == f"{'x' * MAX_SHOWN!r}… ({MAX_SHOWN + 1} characters)"


# --- a working file: what users read ------------------------------------------------------------
FILE_URL = "https://acme.com/.well-known/atproto-did"


def test_a_served_file_passes_with_its_evidence() -> None:
    response = file()
    check = judge_well_known("acme.com", response).check
    assert (check.id, check.status, check.fix) == ("well_known", CheckStatus.PASS, None)
    assert check.message == f"`{FILE_URL}` contains `{DID}`"
    assert check.evidence == (response.evidence(),)


def test_a_fragile_file_warns_with_every_finding_and_every_fix() -> None:
    # Redirected on the same host, no Content-Type, no CORS header.
    response = file(headers={}, hops=("https://acme.com/did",))
    check = judge_well_known("acme.com", response).check
    assert (check.id, check.status) == ("well_known", CheckStatus.WARN)
    assert check.message == (
        f"`{FILE_URL}` contains `{DID}`; but it redirects: https://acme.com/did; "
        "its Content-Type is `none`, not `text/plain`; "
        "no `Access-Control-Allow-Origin` header (browser apps can't read it)"
    )
    assert check.fix == (
        "Serve it directly; some resolvers (the Python SDK) don't follow redirects. "
        "Serve it as `text/plain`. Send `Access-Control-Allow-Origin: *` with the file."
    )
    assert check.evidence == (response.evidence(),)
    padded = judge_well_known("acme.com", file(body=f"  {DID}  ".encode())).check
    assert padded.status is CheckStatus.WARN
    assert "whitespace" in padded.message
    assert "Remove the whitespace" in (padded.fix or "")


# --- a file that isn't served: the exact words (id, status, message, fix, evidence) -----------
RETRY = "Retry in a few minutes."
NONE_AT_ALL = (answer("acme.com", DnsOutcome.NODATA, rdtype="A"), NO_AAAA)


@pytest.mark.parametrize(
    ("response", "addresses", "status", "message", "fix"),
    [
        (
            file(status=None, error="private-network guard refused 10.0.0.1", kind=ErrorKind.GUARD),
            None,
            CheckStatus.SKIP,
            "could not check: private-network guard refused 10.0.0.1",
            RETRY,
        ),
        (
            file(status=None, error="Temporary failure in name resolution", kind=ErrorKind.CONNECT),
            None,
            CheckStatus.SKIP,
            f"could not check: `{FILE_URL}` failed (Temporary failure in name resolution) "
            "while brandaudit's own DNS lookups fail too; check your network",
            RETRY,
        ),
        (
            REFUSED,
            NONE_AT_ALL,
            CheckStatus.INFO,
            "`acme.com` has no address (no A or AAAA record), so there is no website file; "
            "method not used",
            None,
        ),
        (
            REFUSED,
            (A_RECORD, NO_AAAA),
            CheckStatus.FAIL,
            f"`{FILE_URL}` failed: connection refused (acme.com:443)",
            "HTTPS on `acme.com` failed (connection refused (acme.com:443)); fix it or use the "
            "DNS record.",
        ),
        (
            file(status=404, body=b"nope"),
            None,
            CheckStatus.INFO,
            f"no file at `{FILE_URL}` (HTTP 404); method not used",
            None,
        ),
        (
            file(status=429, body=b"slow down"),
            None,
            CheckStatus.SKIP,
            "could not check: `acme.com` rate-limited brandaudit (HTTP 429)",
            RETRY,
        ),
        (
            file(status=410, body=b"gone"),
            None,
            CheckStatus.FAIL,
            f"`{FILE_URL}` answered HTTP 410",
            f"Make `{FILE_URL}` answer 200 with your DID, or delete it and use the DNS record.",
        ),
    ],
)
def test_a_file_not_served_is_reported_in_these_words(
    response: Response,
    addresses: tuple[DnsAnswer, ...] | None,
    status: CheckStatus,
    message: str,
    fix: str | None,
) -> None:
    obs = None if addresses is None else _with_addresses(*addresses)
    check = judge_well_known("acme.com", response, obs).check
    assert (check.id, check.status, check.message, check.fix) == (
        "well_known",
        status,
        message,
        fix,
    )
    assert check.evidence == (response.evidence(),)


def test_a_file_over_the_size_cap_fails_and_the_fix_names_the_expected_did() -> None:
    cut = replace(file(), truncated=True)
    check = judge_well_known("acme.com", cut, expected_did=DID).check
    assert (check.id, check.status) == ("well_known", CheckStatus.FAIL)
    assert check.message == f"`{FILE_URL}` is larger than 4096 bytes; a DID is one short line"
    assert check.fix == f"The file must contain only `{DID}`."
    assert check.evidence == (cut.evidence(),)
    unsure = judge_well_known("acme.com", cut).check.fix or ""
    assert unsure.startswith("The file must contain only `<your DID>`. ")


def test_a_body_that_is_not_a_did_fails_showing_it() -> None:
    response = file(body=b"hello")
    check = judge_well_known("acme.com", response, expected_did=DID).check
    assert (check.id, check.status) == ("well_known", CheckStatus.FAIL)
    assert check.message.startswith(f"`{FILE_URL}` contains 'hello': ")
    assert check.fix == f"The file must contain only `{DID}`."
    assert check.evidence == (response.evidence(),)


def test_bytes_that_are_not_utf8_are_read_not_a_crash() -> None:
    page = file(body=b"\xff\xfe<html><body>blocked</body></html>")
    check = judge_well_known("acme.com", page).check
    assert check.status is CheckStatus.FAIL
    assert "a web page, not the file: `<html` in the body" in check.message
    junk = judge_well_known("acme.com", file(body=b"\xffnot a did")).check
    assert junk.status is CheckStatus.FAIL
    assert junk.message.startswith(f"`{FILE_URL}` contains '\ufffdnot a did': ")


def test_a_long_body_is_shown_cut_to_120_bytes() -> None:
    check = judge_well_known("acme.com", file(body=b"x" * 200)).check
    assert check.status is CheckStatus.FAIL
    assert check.message.startswith(f"`{FILE_URL}` contains {'x' * 120!r}: ")


# --- dns_txt: records found, in the words users read ---------------------------------------------
WHERE_DID = "Your DID is shown in Bluesky: Settings → Account → Handle → I have my own domain."


def _records(*values: str, cname: tuple[str, ...] = ()) -> DnsAnswer:
    return DnsAnswer("_atproto.acme.com", "TXT", DnsOutcome.OK, records=values, cname_chain=cname)


@pytest.mark.parametrize(
    ("second", "keep"),
    [
        (f"did={OTHER}", "`did=<your DID>`. " + WHERE_DID),  # two DIDs: which is unknown
        (f"did={DID}", f"`did={DID}`."),  # the same DID twice: that one
    ],
)
def test_several_did_records_fail_naming_the_one_to_keep(second: str, keep: str) -> None:
    check = judge_dns(observe(_records(f"did={DID}", second))).check
    assert (check.id, check.status) == ("dns_txt", CheckStatus.FAIL)
    assert check.message == (
        f"`_atproto.acme.com` has 2 did= records: 'did={DID}', {second!r}; "
        "with more than one, Bluesky uses none"
    )
    assert check.fix == f"Delete the extra `_atproto` records; keep only {keep}"
    assert len(check.evidence) == 1


def test_one_did_through_a_cname_with_leftovers_warns_with_each_fix() -> None:
    cname = _records(
        f"did={DID}", "v=spf1 -all", "x=1", cname=("a.example", "b.example", "c.example")
    )
    obs = observe(cname)
    leftovers = DnsObservation(
        domain=obs.domain,
        zone=obs.zone,
        main=cname,
        control=obs.control,
        misplaced={
            "atproto.acme.com": answer("atproto.acme.com", DnsOutcome.OK, f"did={DID}"),
            "acme.com": answer("acme.com", DnsOutcome.OK, f"did={DID}"),
        },
    )
    judged = judge_dns(leftovers)
    check = judged.check
    assert (check.id, check.status) == ("dns_txt", CheckStatus.WARN)
    assert check.message == (
        f"`_atproto.acme.com` has `did={DID}` (other values ignored: 'v=spf1 -all', 'x=1'); "
        "but `_atproto.acme.com` is a CNAME to `c.example` (fragile: a change there breaks "
        "your handle); leftover records at `atproto.acme.com`, `acme.com`"
    )
    assert check.fix == (
        f"Replace the CNAME with a TXT record `did={DID}`. "
        "Delete the leftover records at atproto.acme.com, acme.com."
    )
    assert len(check.evidence) == 3
    assert judged.misplaced == ("atproto.acme.com", "acme.com")


def test_one_did_passes_naming_a_cname_it_came_through() -> None:
    check = judge_dns(observe(_records(f"did={DID}"))).check
    assert (check.id, check.status, check.fix) == ("dns_txt", CheckStatus.PASS, None)
    assert check.message == f"`_atproto.acme.com` has `did={DID}`"
    assert len(check.evidence) == 1


@pytest.mark.parametrize(
    ("value", "expected", "target"),
    [
        (f'"did={DID}"', None, DID),  # the DID it meant is valid: name it
        ("did=did:plc:short", None, None),  # not a valid DID: don't repeat it
        ("did=did:plc:short", DID, DID),  # --did names it
    ],
)
def test_a_near_miss_names_the_exact_value_to_set(
    value: str, expected: str | None, target: str | None
) -> None:
    check = judge_dns(observe(_records(value)), expected_did=expected).check
    hint = f"did={target}" if target else "did=<your DID>"
    assert (check.id, check.status) == ("dns_txt", CheckStatus.FAIL)
    assert check.message.startswith(f"`_atproto.acme.com` is {value!r}: ")
    assert check.message.endswith(f"; Bluesky needs exactly `{hint}`")
    assert check.fix == f"Set the value to exactly `{hint}`, with no quotes or spaces." + (
        "" if target else " " + WHERE_DID
    )
    assert len(check.evidence) == 1


# --- a record at a wrong name: how to move it -------------------------------------------------
def _sub(name: str, *records: str, main: DnsAnswer | None = None) -> DnsObservation:
    """A subdomain handle (team.acme.com) with nothing at its own _atproto name."""
    return DnsObservation(
        domain="team.acme.com",
        zone="acme.com",
        main=main or answer("_atproto.team.acme.com", DnsOutcome.NXDOMAIN),
        control=answer("acme.com", DnsOutcome.OK, rdtype="NS"),
        misplaced={name: answer(name, DnsOutcome.OK, *records)},
    )


@pytest.mark.parametrize(
    ("name", "value", "fix"),
    [
        (
            "_atproto.team.acme.com.acme.com",
            f"did={DID}",
            "Your DNS panel adds the domain itself; set the host to `_atproto.team`.",
        ),
        (
            "atproto.team.acme.com",
            f"DID={DID}",  # the prefix in any case: meant as the record
            "Add the underscore: the host is `_atproto.team`, not `atproto.team`.",
        ),
        ("team.acme.com", f' "did={DID}" ', "Move it to the host `_atproto.team`."),
        (
            "_atproto.acme.com",
            f"did={DID}",
            "For `team.acme.com` the host is `_atproto.team` in the `acme.com` zone (if the "
            "record at `_atproto.acme.com` is the handle of `acme.com` itself, keep it and add "
            "a new one).",
        ),
    ],
)
def test_a_record_at_a_wrong_name_fails_saying_where_it_belongs(
    name: str, value: str, fix: str
) -> None:
    judged = judge_dns(_sub(name, value))
    check = judged.check
    assert (check.id, check.status) == ("dns_txt", CheckStatus.FAIL)
    assert check.message == (
        f"no record at `_atproto.team.acme.com`, but `{name}` has {value!r}: "
        "Bluesky only reads `_atproto`"
    )
    assert check.fix == fix
    assert len(check.evidence) == 2
    assert judged.misplaced == (name,)


def test_the_parents_record_counts_only_while_it_could_be_this_handles() -> None:
    parent = "_atproto.acme.com"
    # --did names another account: the parent's record is the parent's own handle.
    assert judge_dns(_sub(parent, f"did={DID}"), expected_did=OTHER).check.status is (
        CheckStatus.INFO
    )
    assert judge_dns(_sub(parent, f"did={DID}"), expected_did=DID).check.status is (
        CheckStatus.FAIL
    )
    # The subdomain has records of its own: the parent's is not this handle's.
    own = answer("_atproto.team.acme.com", DnsOutcome.OK, "v=1")
    judged = judge_dns(_sub(parent, f"did={DID}", main=own))
    assert judged.misplaced == ()
    assert judged.check.message == (
        "`_atproto.team.acme.com` has TXT values but none starts with `did=`: 'v=1'"
    )


def test_several_misplaced_records_are_all_named() -> None:
    obs = _sub("atproto.team.acme.com", f"did={DID}")
    both = DnsObservation(
        domain=obs.domain,
        zone=obs.zone,
        main=obs.main,
        control=obs.control,
        misplaced={
            **obs.misplaced,
            "team.acme.com": answer("team.acme.com", DnsOutcome.OK, f"did={DID}"),
            "_atproto.team.acme.com.acme.com": answer(
                "_atproto.team.acme.com.acme.com", DnsOutcome.OK, f"did={DID}"
            ),
        },
    )
    check = judge_dns(both).check
    assert check.message.endswith(
        f"`atproto.team.acme.com` has 'did={DID}'; also `team.acme.com`; also "
        "`_atproto.team.acme.com.acme.com`: Bluesky only reads `_atproto`"
    )
    assert check.fix == "Add the underscore: the host is `_atproto.team`, not `atproto.team`."


@pytest.mark.parametrize(
    ("main", "word"),
    [
        (answer("_atproto.acme.com", DnsOutcome.NXDOMAIN), "NXDOMAIN"),
        (
            DnsAnswer("_atproto.acme.com", "TXT", DnsOutcome.NODATA, cname_chain=("x.example",)),
            "no TXT record (through a CNAME to `x.example`)",
        ),
    ],
)
def test_no_record_is_method_not_used(main: DnsAnswer, word: str) -> None:
    check = judge_dns(observe(main)).check
    assert (check.id, check.status, check.fix) == ("dns_txt", CheckStatus.INFO, None)
    assert check.message == f"no DNS record at `_atproto.acme.com` ({word}); method not used"
    assert len(check.evidence) == 1


def test_values_without_did_fail_and_the_fix_names_the_expected_did() -> None:
    check = judge_dns(observe(_records("v=spf1 -all")), expected_did=DID).check
    assert check.fix == f"Set the value to exactly `did={DID}`, with no quotes or spaces."
    unsure = judge_dns(observe(_records("v=spf1 -all"))).check.fix
    assert unsure == (
        "Set the value to exactly `did=<your DID>`, with no quotes or spaces. " + WHERE_DID
    )


# --- the domain missing, DNS broken, our resolver down: the exact words ------------------------
NX_MAIN = answer("_atproto.acme.com", DnsOutcome.NXDOMAIN)
TIMED_OUT = DnsAnswer("_atproto.acme.com", "TXT", DnsOutcome.TIMEOUT, error="no answer within 2.0s")
NAMESERVERS = (  # a config file may set nameservers only with the opt-in (issue 22)
    "set `BRANDAUDIT_NAMESERVERS` (or `[network] nameservers` with "
    "`BRANDAUDIT_TRUST_CONFIG_NETWORK=1`) to a resolver that sees the public internet"
)
RENEW = "Check the spelling of `acme.com`; if the domain is yours, renew it at your registrar."
WARN_FIX = (
    f"To check the DNS method too, {NAMESERVERS} (the handle itself needs no change for this)."
)


def _zone(
    main: DnsAnswer,
    control: DnsOutcome,
    suffix: DnsOutcome | None = None,
    root: DnsOutcome | None = None,
) -> DnsObservation:
    return DnsObservation(
        domain="acme.com",
        zone="acme.com",
        main=main,
        control=answer("acme.com", control, rdtype="NS"),
        suffix=None if suffix is None else answer("com", suffix, rdtype="NS"),
        root=None if root is None else answer(".", root, rdtype="SOA"),
    )


@pytest.mark.parametrize(
    ("obs", "state", "status", "message", "fix", "evidence"),
    [
        (
            _zone(NX_MAIN, DnsOutcome.NXDOMAIN, DnsOutcome.OK),
            FileState.SILENT,
            CheckStatus.INFO,
            "`acme.com` doesn't exist in DNS (NXDOMAIN, while `com` answers), and nothing "
            "answers at `https://acme.com`: a typo, or the registration expired?",
            RENEW,
            3,
        ),
        (
            _zone(NX_MAIN, DnsOutcome.NXDOMAIN, DnsOutcome.OK),
            FileState.UNSEEN,
            CheckStatus.INFO,
            "`acme.com` doesn't exist in DNS (NXDOMAIN, while `com` answers): a typo, or the "
            "registration expired?",
            RENEW,
            3,
        ),
        (
            _zone(NX_MAIN, DnsOutcome.NXDOMAIN, DnsOutcome.NXDOMAIN, DnsOutcome.OK),
            FileState.SILENT,
            CheckStatus.INFO,
            "`acme.com` doesn't exist in DNS (NXDOMAIN; not even the top-level `com` exists, "
            "while the DNS root answers), and nothing answers at `https://acme.com`: a typo, or "
            "the registration expired?",
            RENEW,
            3,
        ),
        (
            _zone(NX_MAIN, DnsOutcome.NXDOMAIN, DnsOutcome.NXDOMAIN, DnsOutcome.TIMEOUT),
            FileState.SILENT,
            CheckStatus.SKIP,
            "could not check: brandaudit's DNS resolver says `acme.com` doesn't exist, but it "
            "also fails for the control query `com NS` (nxdomain), a name that must exist: the "
            f"resolver is broken or filtered, not your domain; {NAMESERVERS}",
            RETRY,
            4,
        ),
        (
            _zone(NX_MAIN, DnsOutcome.NXDOMAIN, DnsOutcome.OK),
            FileState.ANSWERED,
            CheckStatus.SKIP,
            "could not check: brandaudit's DNS resolver says `acme.com` doesn't exist "
            "(NXDOMAIN), yet `https://acme.com` answers: your resolver can't see this domain; "
            + NAMESERVERS,
            RETRY,
            3,
        ),
        (
            _zone(NX_MAIN, DnsOutcome.NXDOMAIN, DnsOutcome.OK),
            FileState.RESOLVES,
            CheckStatus.WARN,
            "brandaudit's DNS resolver says `acme.com` doesn't exist (NXDOMAIN), yet "
            "`https://acme.com` answers: your resolver can't see this domain; the website file "
            "works, so the DNS method wasn't checked",
            WARN_FIX,
            3,
        ),
        (
            _zone(NX_MAIN, DnsOutcome.NXDOMAIN),  # no control query made: read as no record
            FileState.SILENT,
            CheckStatus.INFO,
            "no DNS record at `_atproto.acme.com` (NXDOMAIN); method not used",
            None,
            2,
        ),
        (
            _zone(
                DnsAnswer("_atproto.acme.com", "TXT", DnsOutcome.SERVFAIL, error="from 1.1.1.1"),
                DnsOutcome.OK,
            ),
            FileState.UNSEEN,
            CheckStatus.FAIL,
            "DNS for `acme.com` is broken: `_atproto.acme.com` TXT got SERVFAIL (from 1.1.1.1), "
            "while the resolver answers for `acme.com`",
            "DNS for `acme.com` is broken, so Bluesky can't read it either; ask your DNS "
            "provider, check DNSSEC at your registrar.",
            2,
        ),
        (
            _zone(TIMED_OUT, DnsOutcome.TIMEOUT),
            FileState.SILENT,
            CheckStatus.SKIP,
            "could not check: the DNS resolver did not answer for `_atproto.acme.com` (no "
            "answer within 2.0s) nor for the control query `acme.com NS` (timeout): check your "
            f"network; {NAMESERVERS}",
            RETRY,
            2,
        ),
        (
            _zone(TIMED_OUT, DnsOutcome.TIMEOUT),
            FileState.RESOLVES,
            CheckStatus.WARN,
            "the DNS resolver did not answer for `_atproto.acme.com` (no answer within 2.0s) "
            "nor for the control query `acme.com NS` (timeout): check your network; the website "
            "file works, so the DNS method wasn't checked",
            WARN_FIX,
            2,
        ),
        (
            _zone(answer("_atproto.acme.com", DnsOutcome.SERVFAIL), DnsOutcome.OK, DnsOutcome.OK),
            FileState.UNSEEN,
            CheckStatus.FAIL,  # the suffix answers too: the domain's DNS, not our resolver
            "DNS for `acme.com` is broken: `_atproto.acme.com` TXT got SERVFAIL (no detail), "
            "while the resolver answers for `acme.com`",
            "DNS for `acme.com` is broken, so Bluesky can't read it either; ask your DNS "
            "provider, check DNSSEC at your registrar.",
            2,
        ),
        (
            _zone(TIMED_OUT, DnsOutcome.OK, DnsOutcome.TIMEOUT),
            FileState.SILENT,
            CheckStatus.SKIP,
            "could not check: the DNS resolver gave no usable answer for `_atproto.acme.com` "
            "(no answer within 2.0s) nor for the control query `com NS` (timeout): the "
            f"resolver is down; {NAMESERVERS}",
            RETRY,
            3,
        ),
        (
            _zone(TIMED_OUT, DnsOutcome.OK, DnsOutcome.TIMEOUT),
            FileState.RESOLVES,
            CheckStatus.WARN,
            "the DNS resolver gave no usable answer for `_atproto.acme.com` (no answer within "
            "2.0s) nor for the control query `com NS` (timeout): the resolver is down; the "
            "website file works, so the DNS method wasn't checked",
            WARN_FIX,
            3,
        ),
    ],
)
def test_dns_trouble_is_reported_in_these_words(
    obs: DnsObservation,
    state: FileState,
    status: CheckStatus,
    message: str,
    fix: str | None,
    evidence: int,
) -> None:
    check = judge_dns(obs, file_state=state).check
    assert (check.id, check.status, check.message, check.fix) == ("dns_txt", status, message, fix)
    assert len(check.evidence) == evidence


def test_an_apex_handles_misplaced_record_moves_to_plain_atproto() -> None:
    assert judge_dns(_misplaced("acme.com", f"did={DID}")).check.fix == (
        "Move it to the host `_atproto`."
    )
    doubled = judge_dns(_misplaced("_atproto.acme.com.acme.com", f"did={DID}")).check.fix
    assert doubled == "Your DNS panel adds the domain itself; set the host to `_atproto`."


def test_many_did_records_show_the_first_five() -> None:
    values = [f"did=did:plc:{c * 24}" for c in "abcdef"]
    message = judge_dns(observe(_records(*values))).check.message
    assert message.startswith("`_atproto.acme.com` has 6 did= records: ")
    assert ", ".join(repr(v) for v in values[:5]) + "; with more" in message
    assert values[5] not in message


def test_every_question_of_phase_one_is_bounded() -> None:
    names = {"_atproto.acme.com", "acme.com", "com", "."}
    obs = asyncio.run(observe_dns("acme.com", cast(DnsClient, _Dns({}, silent=names)), 0.1))
    for asked in (obs.main, obs.control, obs.suffix, obs.root, *obs.addresses):
        assert asked is not None
        assert (asked.outcome, asked.error) == (DnsOutcome.TIMEOUT, "no answer within 0.1s")


def test_dns_evidence_is_cut_and_keeps_the_time_taken() -> None:
    long = DnsAnswer("_atproto.acme.com", "TXT", DnsOutcome.OK, records=("x" * 400,))
    assert dns_evidence(long).signal == repr("x" * 400)[:300]
    timed = DnsAnswer("_atproto.acme.com", "TXT", DnsOutcome.NXDOMAIN, elapsed_ms=12.5)
    assert dns_evidence(timed).elapsed_ms == 12.5


def test_a_value_that_only_contains_did_is_not_a_misplaced_record() -> None:
    assert judge_dns(_misplaced("atproto.acme.com", f"Xdid={DID}")).check.status is (
        CheckStatus.INFO
    )


def test_every_misplaced_name_is_looked_at_not_only_the_first() -> None:
    obs = _misplaced("atproto.acme.com", f"did={DID}")
    later = DnsObservation(
        domain=obs.domain,
        zone=obs.zone,
        main=obs.main,
        control=obs.control,
        misplaced={
            "_atproto.acme.com.acme.com": answer("_atproto.acme.com.acme.com", DnsOutcome.NXDOMAIN),
            **obs.misplaced,
        },
    )
    assert judge_dns(later).misplaced == ("atproto.acme.com",)
    # At the parent, each value is weighed: another account's, then this one's.
    parent = _sub("_atproto.acme.com", f"did={OTHER}", f"did={DID}")
    assert judge_dns(parent, expected_did=DID).misplaced == ("_atproto.acme.com",)


def test_values_without_did_are_all_shown() -> None:
    check = judge_dns(observe(_records("v=spf1 -all", "google=x"))).check
    assert (check.id, check.status) == ("dns_txt", CheckStatus.FAIL)
    assert check.message == (
        "`_atproto.acme.com` has TXT values but none starts with `did=`: 'v=spf1 -all', 'google=x'"
    )
    assert len(check.evidence) == 1
    long = ".".join(["a" * 60] * 4) + ".com"
    too_long = judge_dns(observe(answer(f"_atproto.{long}", DnsOutcome.NXDOMAIN), domain=long))
    assert too_long.check.id == "dns_txt"


def test_an_unusable_file_keeps_the_did_it_meant_for_the_fix() -> None:
    # "did=<DID>" in the file: the DNS form. The DID it meant is kept for the next steps.
    judged = judge_well_known("acme.com", file(body=f"did={DID}".encode()))
    assert judged.check.status is CheckStatus.FAIL
    assert judged.reading is not None
    assert judged.reading.did == DID
    assert judged.check.fix == f"The file must contain only `{DID}`."


def test_a_bot_challenge_header_fails_as_a_web_page_with_the_fix() -> None:
    # A challenge page (its body no DID) is a web page, whatever the Content-Type says.
    response = file(
        headers={"cf-mitigated": "challenge", "content-type": "text/plain"},
        body=b"Just a moment...",
    )
    check = judge_well_known("acme.com", response).check
    assert (check.id, check.status) == ("well_known", CheckStatus.FAIL)
    assert check.message == (
        f"`{FILE_URL}` answered HTTP 200 with a web page, not the file: a "
        "`cf-mitigated: challenge` header (bot protection)"
    )
    assert check.fix == HTML_FIX
    assert check.evidence == (response.evidence(),)
    # The same header on a body whose first line is the DID: @atproto/identity reads the body
    # first and resolves it, so it is no failure (issue 24, "body first").
    passed = file(headers={"cf-mitigated": "challenge", "content-type": "text/plain"})
    assert judge_well_known("acme.com", passed).check.status is CheckStatus.WARN


# --- what stricter resolvers refuse, in the words users read (issue 29) ----------------------


def _warning(response: Response) -> tuple[str, str | None]:
    check = judge_well_known("acme.com", response).check
    assert (check.id, check.status) == ("well_known", CheckStatus.WARN), check
    prefix = f"`{FILE_URL}` contains `{DID}`; but "
    assert check.message.startswith(prefix), check.message
    return check.message.removeprefix(prefix), check.fix


def test_a_file_with_a_bom_works_but_warns_that_stricter_resolvers_refuse_it() -> None:
    # @atproto/identity drops the BOM (fetch's text()); indigo and the Python SDK don't.
    assert _warning(file(body=b"\xef\xbb\xbf" + DID.encode())) == (
        "it starts with a byte-order mark (BOM), which indigo and the Python SDK don't skip",
        "Save the file as UTF-8 without a BOM.",
    )


def test_a_file_with_more_lines_works_but_warns_that_indigo_refuses_it() -> None:
    assert _warning(file(body=f"{DID}\nhello".encode())) == (
        "it has 2 lines; Bluesky reads only the first (indigo refuses a file with more than "
        "the DID)",
        "Keep only the DID in the file.",
    )


def test_a_padded_file_works_but_warns_in_these_words() -> None:
    assert _warning(file(body=f"  {DID}  ".encode())) == (
        "it has whitespace or a newline around the DID",
        "Remove the whitespace (Bluesky trims it; some older tools didn't).",
    )


def test_only_a_file_over_2048_bytes_is_one_indigo_refuses() -> None:
    # indigo refuses a Content-Length over 2048 (ResolveHandleWellKnown); 2048 itself is read.
    at_cap = f"{DID}\n".ljust(2048).encode()
    assert len(at_cap) == 2048
    message, _fix = _warning(file(body=at_cap))
    assert "larger than" not in message
    over = at_cap + b" "
    assert _warning(file(body=over)) == (
        "it has whitespace or a newline around the DID; "
        "it is larger than 2048 bytes, which indigo refuses",
        "Remove the whitespace (Bluesky trims it; some older tools didn't). "
        "Keep only the DID in the file.",
    )


@pytest.mark.parametrize("status", [203, 404, 500])
def test_a_did_served_with_another_status_works_but_warns(status: int) -> None:
    # @atproto/identity reads the body whatever the status; indigo and the SDK refuse it.
    assert _warning(file(status=status)) == (
        f"it answers HTTP {status}, not 200 (Bluesky's app still reads the DID; indigo and "
        "the Python SDK refuse it)",
        "Answer with status 200.",
    )


def test_a_redirected_file_names_every_hop_and_every_other_host() -> None:
    hops = ("https://www.acme.com/did", "https://cdn.example/did", "https://acme.com/did")
    assert _warning(file(hops=hops)) == (
        "it redirects to another host (cdn.example, www.acme.com): "
        "https://www.acme.com/did -> https://cdn.example/did -> https://acme.com/did",
        "Serve it directly; some resolvers (the Python SDK) don't follow redirects.",
    )


@pytest.mark.parametrize("content_type", ["text/html", "application/xhtml+xml"])
def test_a_web_page_content_type_without_a_did_is_a_web_page(content_type: str) -> None:
    # No HTML marker in the body: the Content-Type alone says it is a page.
    response = file(body=b"hello", headers={"content-type": f"{content_type}; charset=utf-8"})
    check = judge_well_known("acme.com", response).check
    assert (check.status, check.fix) == (CheckStatus.FAIL, HTML_FIX)
    assert check.message == (
        f"`{FILE_URL}` answered HTTP 200 with a web page, not the file: "
        f"Content-Type `{content_type}`"
    )


def test_a_blank_first_line_fails_and_the_fix_says_to_remove_it() -> None:
    # Bluesky reads only the first line: a DID on the second line is never read.
    check = judge_well_known("acme.com", file(body=f"\n{DID}".encode())).check
    assert check.status is CheckStatus.FAIL
    assert check.fix == (
        "Bluesky reads only the first line: remove the blank line before the DID. "
        f"The file must contain only `{DID}`."
    )


HOPS = ("https://acme.com/a", "https://acme.com/b")


@pytest.mark.parametrize(
    ("kind", "error", "message"),
    [
        (
            ErrorKind.REDIRECTS,
            "too many redirects",
            f"`{FILE_URL}` redirects more than 10 times (redirected: "
            "https://acme.com/a -> https://acme.com/b)",
        ),
        (
            ErrorKind.REDIRECT_LOOP,
            "redirect loop",
            f"`{FILE_URL}`: redirect loop (redirected: https://acme.com/a -> https://acme.com/b)",
        ),
        (
            ErrorKind.REDIRECT_REFUSED,
            "redirect to http refused",
            f"`{FILE_URL}`: redirect to http refused (redirected: "
            "https://acme.com/a -> https://acme.com/b)",
        ),
    ],
)
def test_redirects_gone_wrong_fail_naming_the_route(kind: str, error: str, message: str) -> None:
    response = file(status=None, error=error, kind=kind, hops=HOPS)
    check = judge_well_known("acme.com", response).check
    assert (check.id, check.status, check.message, check.fix) == (
        "well_known",
        CheckStatus.FAIL,
        message,
        "Serve `/.well-known/atproto-did` directly on `acme.com`, without redirects.",
    )
    assert check.evidence == (response.evidence(),)


def test_no_website_answer_and_no_record_is_could_not_check_with_its_evidence() -> None:
    response = file(status=None, error="timed out", kind=ErrorKind.TIMEOUT)
    absent = observe(answer("_atproto.acme.com", DnsOutcome.NXDOMAIN), DnsOutcome.OK)
    check = judge_well_known("acme.com", response, absent).check
    assert (check.id, check.status, check.message) == (
        "well_known",
        CheckStatus.SKIP,
        f"could not check: the website (`{FILE_URL}`) did not answer in time, and there is "
        "no `_atproto` record",
    )
    assert check.evidence == (response.evidence(),)
