"""The check judges and the overall status, from hand-made observations (no network)."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from rich.console import Console

from brandaudit.bluesky.checks import CHECK_IDS
from brandaudit.bluesky.dns_check import DnsObservation, FileState, judge_dns, resolver_value
from brandaudit.bluesky.identity import judge_methods
from brandaudit.bluesky.render import bluesky_panel
from brandaudit.bluesky.setup import build_setup, dns_host
from brandaudit.bluesky.verify import judge_syntax, overall_status
from brandaudit.bluesky.well_known import judge_well_known
from brandaudit.model import (
    BlueskyCheck,
    BlueskyDomain,
    BlueskyStatus,
    CheckStatus,
)
from brandaudit.net.client import ErrorKind, Response
from brandaudit.net.dns import DnsAnswer, DnsOutcome

DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
OTHER = "did:plc:z72i7hdynmk6r22z27h6tvur"


def answer(name: str, outcome: DnsOutcome, *records: str, rdtype: str = "TXT") -> DnsAnswer:
    return DnsAnswer(name, rdtype, outcome, records=records)


def observe(
    main: DnsAnswer, control: DnsOutcome = DnsOutcome.NODATA, domain: str = "acme.com"
) -> DnsObservation:
    return DnsObservation(
        domain=domain,
        zone="acme.com",
        main=main,
        control=answer("acme.com", control, rdtype="NS"),
    )


def file(
    status: int | None = 200,
    body: bytes = DID.encode(),
    headers: dict[str, str] | None = None,
    error: str | None = None,
    kind: str | None = None,
    hops: tuple[str, ...] = (),
) -> Response:
    return Response(
        method="GET",
        url="https://acme.com/.well-known/atproto-did",
        status=status,
        headers=httpx.Headers(
            headers
            if headers is not None
            else {"content-type": "text/plain", "access-control-allow-origin": "*"}
        ),
        body=body,
        hops=hops,
        error=error,
        error_kind=kind,
    )


def truncated(body: bytes) -> Response:
    """A body the network core cut at the cap."""
    return dataclasses.replace(file(body=body), truncated=True)


def test_broken_zone_fails_but_a_dead_resolver_is_could_not_check() -> None:
    servfail = answer("_atproto.acme.com", DnsOutcome.SERVFAIL)
    broken = judge_dns(observe(servfail)).check
    assert broken.status is CheckStatus.FAIL
    assert "DNSSEC" in (broken.fix or "")
    down = judge_dns(observe(answer("_atproto.acme.com", DnsOutcome.TIMEOUT), DnsOutcome.TIMEOUT))
    assert down.check.status is CheckStatus.SKIP
    assert down.check.message.startswith("could not check")


def suffixed(
    main: DnsAnswer, zone: DnsOutcome, suffix: DnsOutcome, domain: str = "acme.com"
) -> DnsObservation:
    return DnsObservation(
        domain=domain,
        zone="acme.com",
        main=main,
        control=answer("acme.com", zone, rdtype="NS"),
        suffix=answer("com", suffix, rdtype="NS"),
    )


NX = answer("_atproto.acme.com", DnsOutcome.NXDOMAIN)


@pytest.mark.parametrize(
    ("suffix", "state", "status", "needle"),
    [
        # the control query answers: the domain really doesn't exist (unless HTTPS answers)
        (DnsOutcome.NODATA, FileState.SILENT, CheckStatus.INFO, "doesn't exist in DNS"),
        (DnsOutcome.OK, FileState.SILENT, CheckStatus.INFO, "registration expired"),
        (DnsOutcome.OK, FileState.ANSWERED, CheckStatus.SKIP, "can't see this domain"),
        (DnsOutcome.OK, FileState.RESOLVES, CheckStatus.WARN, "can't see this domain"),
        # the control query fails too: the resolver is the problem
        (DnsOutcome.NXDOMAIN, FileState.SILENT, CheckStatus.SKIP, "resolver is broken"),
        (DnsOutcome.TIMEOUT, FileState.ANSWERED, CheckStatus.SKIP, "resolver is broken"),
        (DnsOutcome.NXDOMAIN, FileState.RESOLVES, CheckStatus.WARN, "resolver is broken"),
    ],
)
def test_nxdomain_is_read_against_a_control_query_and_the_website(
    suffix: DnsOutcome, state: FileState, status: CheckStatus, needle: str
) -> None:
    check = judge_dns(suffixed(NX, DnsOutcome.NXDOMAIN, suffix), file_state=state).check
    assert check.status is status, check
    assert needle in check.message
    assert "renew" not in check.message
    if status is CheckStatus.SKIP:
        assert check.message.startswith("could not check")
    if status is not CheckStatus.INFO:
        assert "[network] nameservers" in check.message + (check.fix or "")
        assert "renew" not in (check.fix or "")


def test_a_dead_resolver_with_a_working_file_is_a_warning() -> None:
    timeout = answer("_atproto.acme.com", DnsOutcome.TIMEOUT)
    obs = suffixed(timeout, DnsOutcome.TIMEOUT, DnsOutcome.TIMEOUT)
    assert judge_dns(obs, file_state=FileState.SILENT).check.status is CheckStatus.SKIP
    check = judge_dns(obs, file_state=FileState.RESOLVES).check
    assert check.status is CheckStatus.WARN
    assert "website file works" in check.message


@pytest.mark.parametrize(
    ("records", "value"),
    [
        ((f"did={DID}",), DID),
        ((f"did={DID}", "v=spf1 -all"), DID),
        ((f"did={DID}", f"did={OTHER}"), None),  # several: parseDnsResult uses none
        ((DID,), None),
        ((f"DID={DID}",), None),  # case-sensitive prefix
        ((f"did= {DID}",), f" {DID}"),  # used as it is: the file is never read
    ],
)
def test_resolver_value_is_what_atproto_identity_takes(
    records: tuple[str, ...], value: str | None
) -> None:
    assert resolver_value(answer("_atproto.acme.com", DnsOutcome.OK, *records)) == value
    assert resolver_value(NX) is None


def test_expected_did_is_what_the_fix_names() -> None:
    main = answer("_atproto.acme.com", DnsOutcome.OK, f"did={DID}", f"did={OTHER}")
    fix = judge_dns(observe(main), expected_did=OTHER).check.fix or ""
    assert f"keep only `did={OTHER}`" in fix
    unsure = judge_dns(observe(main)).check.fix or ""
    assert "did=<your DID>" in unsure and "Settings → Account → Handle" in unsure


def test_a_handle_too_long_for_dns_is_not_looked_up() -> None:
    long = ".".join(["a" * 61] * 4)
    result = judge_dns(observe(answer(f"_atproto.{long}", DnsOutcome.NXDOMAIN), domain=long))
    assert result.check.status is CheckStatus.INFO


@pytest.mark.parametrize(
    ("response", "status", "needle"),
    [
        (file(), CheckStatus.PASS, DID),
        (file(status=404, body=b"not found"), CheckStatus.INFO, "method not used"),
        (file(headers={"content-type": "text/plain"}), CheckStatus.WARN, "Access-Control"),
        (
            file(headers={"content-type": "application/octet-stream", "acao": "x"}),
            CheckStatus.WARN,
            "application/octet-stream",
        ),
        (
            file(hops=("https://www.acme.com/.well-known/atproto-did",)),
            CheckStatus.WARN,
            "another host (www.acme.com)",
        ),
        (file(status=203), CheckStatus.WARN, "not 200"),
        (file(status=204, body=b""), CheckStatus.FAIL, "must contain only"),
        (file(status=429, body=b"Too Many Requests"), CheckStatus.SKIP, "could not check"),
        # Body first (HandleResolver.resolveHttp): a DID on the first line resolves whatever
        # the status or Content-Type; those are warnings (indigo and the Python SDK refuse)
        (file(status=500), CheckStatus.WARN, "indigo and the Python SDK refuse it"),
        (file(status=404), CheckStatus.WARN, "HTTP 404, not 200"),
        (file(headers={"content-type": "text/html"}), CheckStatus.WARN, "`text/html`"),
        (file(body=DID.encode() + b"\n" + b"x" * 3000), CheckStatus.WARN, "larger than 2048"),
        (file(body=b"\n" + DID.encode()), CheckStatus.FAIL, "remove the blank line"),
        (file(status=500, body=b"\n" + DID.encode()), CheckStatus.FAIL, "HTTP 500"),
        (truncated(DID.encode() + b" " * 4097), CheckStatus.FAIL, "larger than 4096"),
        (truncated(DID.encode() + b"\n" + b" " * 4097), CheckStatus.WARN, "larger than 2048"),
        (
            file(
                status=None, error="timed out waiting for data (acme.com)", kind=ErrorKind.TIMEOUT
            ),
            CheckStatus.FAIL,
            "timed out",
        ),
        (
            file(status=None, error="certificate verify failed", kind=ErrorKind.TLS),
            CheckStatus.FAIL,
            "certificate",
        ),
        (
            file(status=None, error="private-network guard refused", kind=ErrorKind.GUARD),
            CheckStatus.SKIP,
            "guard",
        ),
        (
            file(status=302, error="redirect loop back to x", kind=ErrorKind.REDIRECT_LOOP),
            CheckStatus.FAIL,
            "redirect loop",
        ),
        (
            file(
                body=b"Just a moment...",
                headers={"cf-mitigated": "challenge", "content-type": "text/plain"},
            ),
            CheckStatus.FAIL,
            "cf-mitigated",
        ),
        (file(body=b"<HTML><body>Just a moment...</body></HTML>"), CheckStatus.FAIL, "<html"),
    ],
)
def test_judge_well_known(response: Response, status: CheckStatus, needle: str) -> None:
    check = judge_well_known("acme.com", response).check
    assert check.status is status, check
    assert needle in check.message + (check.fix or "")


def test_methods_agree() -> None:
    assert judge_methods(DID, DID).status is CheckStatus.PASS
    assert judge_methods(DID, None).status is CheckStatus.SKIP
    assert judge_methods(None, None).status is CheckStatus.SKIP
    differ = judge_methods(DID, OTHER)
    # DNS wins (@atproto/identity never reads the file once DNS answers): working, fragile
    assert differ.status is CheckStatus.WARN
    assert "Bluesky uses DNS" in (differ.fix or "")
    assert "delete or fix the file" in (differ.fix or "")


def _checks(**statuses: CheckStatus) -> list[BlueskyCheck]:
    out = []
    for check_id in CHECK_IDS:
        status = statuses.get(check_id, CheckStatus.PASS)
        message = "could not check: x" if status is CheckStatus.SKIP else "seen"
        out.append(BlueskyCheck(id=check_id, status=status, message=message))
    return out


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ({}, BlueskyStatus.VERIFIED),
        ({"appview": CheckStatus.WARN, "verification": CheckStatus.WARN}, BlueskyStatus.VERIFIED),
        (
            {"well_known": CheckStatus.INFO, "methods_agree": CheckStatus.INFO},
            BlueskyStatus.UNKNOWN,
        ),
        ({"pds": CheckStatus.SKIP}, BlueskyStatus.UNKNOWN),
        ({"pds": CheckStatus.SKIP, "bidirectional": CheckStatus.FAIL}, BlueskyStatus.MISCONFIGURED),
        (
            {"dns_txt": CheckStatus.INFO, "well_known": CheckStatus.INFO},
            BlueskyStatus.NOT_CONFIGURED,
        ),
        (
            {"dns_txt": CheckStatus.INFO, "well_known": CheckStatus.INFO, "pds": CheckStatus.FAIL},
            BlueskyStatus.MISCONFIGURED,
        ),
    ],
)
def test_overall_status_order(statuses: dict[str, CheckStatus], expected: BlueskyStatus) -> None:
    assert overall_status(_checks(**statuses)) is expected


def test_syntax_check_reports_normalisation_as_info() -> None:
    domain, check, runnable = judge_syntax("https://ACME.com/")
    assert (domain, check.status, runnable) == ("acme.com", CheckStatus.INFO, True)
    assert "lowercased" in check.message
    _d, bad, runnable = judge_syntax("acme.local")
    assert bad.status is CheckStatus.FAIL and not runnable
    _d, test_tld, runnable = judge_syntax("acme.test")
    assert test_tld.status is CheckStatus.WARN and runnable


@pytest.mark.parametrize(
    ("domain", "zone", "host"),
    [
        ("acme.com", "acme.com", "_atproto"),
        ("team.acme.com", "acme.com", "_atproto.team"),
        ("team.acme.co.uk", "acme.co.uk", "_atproto.team"),
        ("a.b.acme.co.nz", "acme.co.nz", "_atproto.a.b"),
        ("acme.github.io", "acme.github.io", "_atproto"),
    ],
)
def test_dns_host_uses_the_public_suffix_list(domain: str, zone: str, host: str) -> None:
    assert dns_host(domain) == (zone, host)
    setup = build_setup(domain, DID)
    assert setup.dns is not None
    assert (setup.dns.zone, setup.dns.host, setup.dns.value) == (zone, host, f"did={DID}")
    assert setup.dns.fqdn == f"_atproto.{domain}."
    assert setup.well_known.url == f"https://{domain}/.well-known/atproto-did"
    assert setup.well_known.content == DID


def test_setup_for_a_handle_too_long_for_dns_has_only_the_file() -> None:
    long = ".".join(["a" * 61] * 4)
    assert build_setup(long, DID).dns is None


def _render(domain: BlueskyDomain, color: bool = False) -> str:
    console = Console(
        width=80, record=True, no_color=not color, force_terminal=color, color_system=None
    )
    with console.capture() as capture:
        console.print(bluesky_panel(domain))
    return capture.get()


def test_panel_fits_80_columns_and_says_every_status_in_words() -> None:
    checks = [
        BlueskyCheck(
            id=check_id,
            status=status,
            message=f"`_atproto.acme.com` has a long message about {check_id} " * 2,
            fix="Set the value to exactly `did=did:plc:ewvi7nxzyoun6zhxrhs64oiz`, no quotes.",
        )
        for check_id, status in zip(CHECK_IDS, list(CheckStatus) * 2, strict=False)
    ]
    domain = BlueskyDomain(
        domain="acme.com",
        status=BlueskyStatus.MISCONFIGURED,
        did=DID,
        handle="old.bsky.social",
        checks=tuple(checks),
        setup=build_setup("acme.com", DID),
    )
    text = _render(domain)
    assert max(len(line) for line in text.splitlines()) <= 80
    for word in ("MISCONFIGURED", "PASS", "WARN", "FAIL", "INFO", "SKIP", "Fix:"):
        assert word in text
    assert "`" not in text  # code spans are shown as styled text, not backticks
    assert "claims @old.bsky.social" in text
    assert "did=did:plc:ewvi7nxzyoun6zhxrhs64oiz   (no quotes" in text


def test_website_failure_while_our_own_resolver_is_down_is_could_not_check() -> None:
    failed = file(status=None, error="could not connect to acme.com", kind=ErrorKind.CONNECT)
    down = observe(answer("_atproto.acme.com", DnsOutcome.TIMEOUT), DnsOutcome.TIMEOUT)
    check = judge_well_known("acme.com", failed, down).check
    assert check.status is CheckStatus.SKIP
    assert check.message.startswith("could not check")
    # with a resolver that answers and a TXT record (here a wrong one), the failure is the
    # site's: the handle is set up, and something is wrong
    up = observe(answer("_atproto.acme.com", DnsOutcome.OK, "did=nope"))
    assert judge_well_known("acme.com", failed, up).check.status is CheckStatus.FAIL
    # with no record at all, nothing shows the handle is set up: could not check (issue 25)
    bare = observe(answer("_atproto.acme.com", DnsOutcome.NXDOMAIN))
    unset = judge_well_known("acme.com", failed, bare).check
    assert unset.status is CheckStatus.SKIP
    assert unset.message == (
        "could not check: the website (`https://acme.com/.well-known/atproto-did`) could not "
        "be reached, and there is no `_atproto` record"
    )
    # a resolver that says NXDOMAIN even for the public suffix is not to be believed either
    blind = suffixed(NX, DnsOutcome.NXDOMAIN, DnsOutcome.NXDOMAIN)
    assert judge_well_known("acme.com", failed, blind).check.status is CheckStatus.SKIP


def test_panel_escapes_terminal_control_characters_from_servers() -> None:
    # The model scrubs control characters already; the panel must not rely on it.
    check = BlueskyCheck.model_construct(
        id="appview",
        status=CheckStatus.WARN,
        message="Bluesky still shows `@evil\x1b]0;pwned\x07.com`",
        fix="wait\x1b[2J",
        evidence=(),
    )
    domain = BlueskyDomain.model_construct(
        domain="acme.com",
        status=BlueskyStatus.VERIFIED,
        checks=(check,),
        did=None,
        handle=None,
        setup=None,
    )
    text = _render(domain)
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b]0;pwned\\x07" in text
