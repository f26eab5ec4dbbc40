"""Every misconfiguration scenario, and the statuses that are not a misconfiguration, run
in-process against the loopback world (the same verifier the CLI runs, without the
subprocess: fast)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from brandaudit.bluesky import CHECK_IDS
from brandaudit.model import BlueskyStatus, CheckStatus
from tests.bluesky.cases import CASES, Case
from tests.bluesky.scenario import DID, OTHER_DID, PDS_HOST, Bsky, did_doc, verify_here
from tests.conftest import World
from tests.world.http import Reply


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(world: World, case: Case) -> None:
    b = Bsky(world, domain=case.domain)
    case.arrange(b)
    result = verify_here(world, case.domain)
    assert result.status.value == case.status
    by_id = {c.id: c for c in result.checks}
    assert tuple(by_id) == CHECK_IDS
    assert by_id[case.check].status.value == case.check_status, by_id[case.check]
    assert case.fix in (by_id[case.check].fix or "")
    assert case.message in by_id[case.check].message


def test_verified_dns_only(world: World) -> None:
    Bsky(world).healthy(dns=True)
    result = verify_here(world, "acme.com")
    assert result.status is BlueskyStatus.VERIFIED
    assert (result.did, result.handle) == (DID, "acme.com")
    statuses = {c.id: c.status for c in result.checks}
    assert statuses["dns_txt"] is CheckStatus.PASS
    assert statuses["well_known"] is CheckStatus.INFO
    assert statuses["methods_agree"] is CheckStatus.SKIP
    assert all(statuses[i] is CheckStatus.PASS for i in ("did_document", "bidirectional", "pds"))
    assert statuses["appview"] is CheckStatus.PASS
    # every check names what it read
    assert all(c.evidence for c in result.checks if c.id in {"dns_txt", "pds", "appview"})


def test_plain_http_pds_is_verified_with_a_warning(world: World) -> None:
    # A development stack (@atproto/dev-env) serves its PDS over http; Bluesky's reference
    # resolver accepts it, so the identity works and only the pds check warns.
    b = Bsky(world)
    b.healthy()
    b.plc(did_doc(pds=f"http://{PDS_HOST}"))
    result = verify_here(world, "acme.com")
    pds = next(c for c in result.checks if c.id == "pds")
    assert pds.status is CheckStatus.WARN, pds
    assert "plain http" in pds.message
    assert result.status is BlueskyStatus.VERIFIED


def test_cname_to_the_record_is_followed_and_noted(world: World) -> None:
    b = Bsky(world)
    b.healthy(dns=False)
    world.dns.add("_atproto.acme.com", cname="acme-handle.example.net")
    world.dns.txt("acme-handle.example.net", f"did={DID}")
    result = verify_here(world, "acme.com")
    dns = next(c for c in result.checks if c.id == "dns_txt")
    assert dns.status is CheckStatus.WARN
    assert "acme-handle.example.net" in dns.message
    assert "Replace the CNAME" in (dns.fix or "")
    assert result.status is BlueskyStatus.VERIFIED


def test_leftover_beside_a_correct_record_is_a_warning(world: World) -> None:
    b = Bsky(world)
    b.healthy()
    b.txt(f"did={DID}", name="atproto.acme.com")
    result = verify_here(world, "acme.com")
    dns = next(c for c in result.checks if c.id == "dns_txt")
    assert dns.status is CheckStatus.WARN
    assert "atproto.acme.com" in (dns.fix or "")
    assert result.status is BlueskyStatus.VERIFIED


def test_file_warnings_type_cors_whitespace_redirect(world: World) -> None:
    b = Bsky(world)
    b.healthy(dns=False)
    world.http.route("www.acme.com", "/.well-known/atproto-did", Reply(body=f"{DID}\n"))
    b.file(Reply.redirect("https://www.acme.com/.well-known/atproto-did", 301))
    result = verify_here(world, "acme.com")
    file = next(c for c in result.checks if c.id == "well_known")
    assert file.status is CheckStatus.WARN
    for needle in ("www.acme.com", "Content-Type", "whitespace", "Access-Control-Allow-Origin"):
        assert needle in file.message
    assert result.status is BlueskyStatus.VERIFIED


def test_pds_cache_disagreeing_is_a_warning(world: World) -> None:
    b = Bsky(world)
    b.healthy()
    b.pds_resolves(OTHER_DID)
    result = verify_here(world, "acme.com")
    pds = next(c for c in result.checks if c.id == "pds")
    assert pds.status is CheckStatus.WARN
    assert "usually clears" in (pds.fix or "")
    assert result.status is BlueskyStatus.VERIFIED


def test_handle_invalid_on_the_appview_is_a_warning_with_resubmit_advice(world: World) -> None:
    b = Bsky(world)
    b.healthy()
    b.profile(did=DID, handle="handle.invalid")
    b.appview_resolves(None)
    result = verify_here(world, "acme.com")
    appview = next(c for c in result.checks if c.id == "appview")
    assert appview.status is CheckStatus.WARN
    assert "50 a day" in (appview.fix or "")
    assert result.status is BlueskyStatus.VERIFIED
    blue = next(c for c in result.checks if c.id == "verification")
    assert blue.status is CheckStatus.INFO


@pytest.mark.parametrize(
    ("state", "status", "needle"),
    [
        ("valid", CheckStatus.INFO, "blue check from nytimes.com"),
        ("invalid", CheckStatus.WARN, "ask nytimes.com to verify again"),
        ("none", CheckStatus.INFO, "no blue check"),
    ],
)
def test_blue_check(world: World, state: str, status: CheckStatus, needle: str) -> None:
    b = Bsky(world)
    b.healthy()
    b.profile(
        verification={
            "verifications": [
                {
                    "issuer": OTHER_DID,
                    "issuerHandle": "nytimes.com",
                    "uri": f"at://{OTHER_DID}/app.bsky.graph.verification/1",
                    "isValid": state == "valid",
                    "createdAt": "2025-04-21T10:00:00Z",
                }
            ],
            "verifiedStatus": state,
            "trustedVerifierStatus": "none",
        }
    )
    result = verify_here(world, "acme.com")
    blue = next(c for c in result.checks if c.id == "verification")
    assert blue.status is status
    assert needle in blue.message + (blue.fix or "")
    assert "drops the blue check" in blue.message
    assert result.status is BlueskyStatus.VERIFIED


@pytest.mark.parametrize(
    ("arrange", "check", "service"),
    [
        (lambda b: b.plc(Reply.json({"error": "oops"}, 503)), "did_document", "plc.directory"),
        (
            lambda b: b.profile(Reply.json({"error": "RateLimitExceeded"}, 429)),
            "appview",
            "public.api.bsky.app",
        ),
        (lambda b: b.repo_status(Reply(status=502)), "pds", PDS_HOST),
        (lambda b: b.plc(Reply.text("Not Found", 404)), "did_document", "plc.directory"),
    ],
    ids=["plc 503", "appview 429", "pds 502", "plc 404 without its message"],
)
def test_blocked_services_make_the_verdict_unknown(
    world: World, arrange: object, check: str, service: str
) -> None:
    b = Bsky(world)
    b.healthy()
    arrange(b)  # type: ignore[operator]
    result = verify_here(world, "acme.com")
    assert result.status is BlueskyStatus.UNKNOWN
    found = next(c for c in result.checks if c.id == check)
    assert found.status is CheckStatus.SKIP
    assert found.message.startswith("could not check")
    assert service in found.message


def test_resolver_down_is_unknown_not_broken_dns(world: World) -> None:
    from tests.world.dns import free_udp_port

    Bsky(world).healthy()
    settings_ns = f"127.0.0.1:{free_udp_port()}"
    from brandaudit.bluesky import verify_domain
    from brandaudit.net.client import NetClient
    from brandaudit.net.dns import DnsClient
    from tests.bluesky.scenario import world_settings

    settings = world_settings(world, nameservers=[settings_ns], dns_timeout=0.5, deadline=3)

    async def go() -> object:
        dns = DnsClient([settings_ns], timeout=0.5)
        async with NetClient(settings.network, trust_env=False) as net:
            return await verify_domain("acme.com", net, dns, settings)

    import asyncio

    result = asyncio.run(go())
    dns_check = next(c for c in result.checks if c.id == "dns_txt")  # type: ignore[attr-defined]
    assert dns_check.status is CheckStatus.SKIP
    assert dns_check.message.startswith("could not check")
    assert result.status is BlueskyStatus.UNKNOWN  # type: ignore[attr-defined]


def test_not_configured(world: World) -> None:
    Bsky(world).site()
    result = verify_here(world, "acme.com")
    assert result.status is BlueskyStatus.NOT_CONFIGURED
    assert result.did is None
    statuses = {c.id: c.status for c in result.checks}
    assert statuses["dns_txt"] is CheckStatus.INFO
    assert statuses["well_known"] is CheckStatus.INFO


def test_no_address_is_info_not_failure(world: World) -> None:
    # The name exists (a TXT record elsewhere in it) but has no A/AAAA; HTTPS can't connect.
    world.dns.add("acme.com", txt=["v=spf1 -all"])
    from tests.world.dns import free_udp_port

    closed = f"http://127.0.0.1:{free_udp_port()}"
    result = verify_here(
        world,
        "acme.com",
        origin_map={
            "https://acme.com": closed,
            "https://*": world.http.origin,
            "http://*": world.http.origin,
        },
    )
    file = next(c for c in result.checks if c.id == "well_known")
    assert file.status is CheckStatus.INFO, file
    assert "no address" in file.message
    assert result.status is BlueskyStatus.NOT_CONFIGURED


def test_expected_did_fills_setup_and_flags_another_account(world: World) -> None:
    Bsky(world).healthy()
    result = verify_here(world, "acme.com", expected_did=OTHER_DID)
    assert result.setup is not None
    assert result.setup.dns is not None and result.setup.dns.value == f"did={OTHER_DID}"
    bidi = next(c for c in result.checks if c.id == "bidirectional")
    assert bidi.status is CheckStatus.FAIL
    assert f"Replace `{DID}`" in (bidi.fix or "")


def test_verifier_reads_fresh_answers_through_a_caching_client(
    world: World, tmp_path: Path
) -> None:
    """``check`` shares a cached client; a user re-running after a fix must not see the
    old answer (BLUESKY checks are never cached unless [network] cache_ttls says so)."""
    from brandaudit.bluesky import verify_domain
    from brandaudit.cache import HttpCache
    from brandaudit.net.client import NetClient
    from brandaudit.net.dns import DnsClient
    from tests.bluesky.scenario import world_settings

    b = Bsky(world)
    b.healthy(dns=False)
    b.file(Reply.html("<html>app</html>"))
    settings = world_settings(world)
    cache = HttpCache(tmp_path / "cache", default_ttl=3600)

    async def go() -> list[BlueskyStatus]:
        dns = DnsClient(settings.network.nameservers, timeout=1)
        out = []
        async with NetClient(settings.network, trust_env=False, cache=cache) as net:
            out.append((await verify_domain("acme.com", net, dns, settings)).status)
            b.good_file()
            out.append((await verify_domain("acme.com", net, dns, settings)).status)
        return out

    assert asyncio.run(go()) == [BlueskyStatus.MISCONFIGURED, BlueskyStatus.VERIFIED]
    assert cache.stores == 0


@pytest.mark.internal_error
def test_a_bug_in_a_check_is_unknown_not_a_crash(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import brandaudit.bluesky.verify as verify

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    Bsky(world).healthy()
    monkeypatch.setattr(verify, "judge_pds", broken)
    result = verify_here(world, "acme.com")
    assert result.status is BlueskyStatus.UNKNOWN
    assert tuple(c.id for c in result.checks) == CHECK_IDS
    assert all(
        c.message.startswith("could not check: internal error (RuntimeError: boom)")
        for c in result.checks[1:]
    )


def test_an_app_fallback_page_does_not_break_a_working_dns_handle(world: World) -> None:
    b = Bsky(world)
    b.healthy(dns=True)
    b.file(Reply.html("<!doctype html><html><div id=root></div></html>"))
    result = verify_here(world, "acme.com")
    assert result.status is BlueskyStatus.VERIFIED
    file = next(c for c in result.checks if c.id == "well_known")
    assert file.status is CheckStatus.WARN
    assert "your DNS record already works" in file.message
    assert "exempt `/.well-known/atproto-did`" in (file.fix or "")


def test_a_parent_domains_own_record_is_not_a_leftover_for_a_subdomain(world: World) -> None:
    team = Bsky(world, domain="team.acme.com")
    team.healthy()
    world.dns.txt("_atproto.acme.com", f"did={OTHER_DID}")  # acme.com's own handle
    result = verify_here(world, "team.acme.com")
    assert result.status is BlueskyStatus.VERIFIED
    assert next(c for c in result.checks if c.id == "dns_txt").status is CheckStatus.PASS
    # without its own record, the parent's record is pointed out, unless --did rules it out
    world.dns.reset()
    team.site("acme.com")
    team.site()
    world.dns.txt("_atproto.acme.com", f"did={OTHER_DID}")
    unsure = verify_here(world, "team.acme.com")
    assert "_atproto.team" in (next(c for c in unsure.checks if c.id == "dns_txt").fix or "")
    assert unsure.status is BlueskyStatus.MISCONFIGURED
    known = verify_here(world, "team.acme.com", expected_did=DID)
    assert known.status is BlueskyStatus.NOT_CONFIGURED


def test_did_web_account_verifies(world: World) -> None:
    b = Bsky(world, did="did:web:acme.com")
    b.site()
    b.txt("did=did:web:acme.com")
    world.http.route("acme.com", "/.well-known/did.json", Reply.json(did_doc("did:web:acme.com")))
    b.repo_status({"did": b.did, "active": True})
    b.pds_resolves(b.did)
    b.profile()
    b.appview_resolves(b.did)
    result = verify_here(world, "acme.com")
    assert result.status is BlueskyStatus.VERIFIED, result.checks
    doc = next(c for c in result.checks if c.id == "did_document")
    assert "https://acme.com/.well-known/did.json" in doc.message
    assert not world.http.requests_to("plc.directory")


def test_appview_still_showing_the_old_handle_is_a_warning(world: World) -> None:
    b = Bsky(world)
    b.healthy()
    b.profile(did=DID, handle="acme-old.bsky.social")
    b.appview_resolves(None)
    result = verify_here(world, "acme.com")
    appview = next(c for c in result.checks if c.id == "appview")
    assert appview.status is CheckStatus.WARN
    assert "@acme-old.bsky.social" in appview.message
    assert "Submit `acme.com` again" in (appview.fix or "")
    assert result.status is BlueskyStatus.VERIFIED


def test_appview_deactivated_account_fails(world: World) -> None:
    b = Bsky(world)
    b.healthy()
    b.profile(Reply.json({"error": "AccountDeactivated", "message": "Account is deactivated"}, 400))
    result = verify_here(world, "acme.com")
    appview = next(c for c in result.checks if c.id == "appview")
    assert appview.status is CheckStatus.FAIL
    assert "reactivate" in (appview.fix or "")
    assert result.status is BlueskyStatus.MISCONFIGURED
    blue = next(c for c in result.checks if c.id == "verification")
    assert blue.status is CheckStatus.SKIP


def test_a_record_split_into_several_strings_is_joined(world: World) -> None:
    b = Bsky(world)
    b.healthy(dns=False)
    b.txt(["did=did:plc:", DID[len("did:plc:") :]])
    result = verify_here(world, "acme.com")
    assert result.status is BlueskyStatus.VERIFIED
    assert next(c for c in result.checks if c.id == "dns_txt").status is CheckStatus.PASS


@pytest.mark.parametrize(
    ("name", "fix"),
    [
        ("_atproto.team.acme.com.acme.com", "set the host to `_atproto.team`"),
        ("atproto.team.acme.com", "the host is `_atproto.team`, not `atproto.team`"),
        ("team.acme.com", "Move it to the host `_atproto.team`"),
    ],
)
def test_misplaced_records_of_a_subdomain_handle(world: World, name: str, fix: str) -> None:
    b = Bsky(world, domain="team.acme.com")
    b.site("acme.com")
    b.site()
    b.account()
    b.txt(f"did={DID}", name=name)
    result = verify_here(world, "team.acme.com")
    dns = next(c for c in result.checks if c.id == "dns_txt")
    assert dns.status is CheckStatus.FAIL
    assert fix in (dns.fix or "")
    assert result.status is BlueskyStatus.MISCONFIGURED
