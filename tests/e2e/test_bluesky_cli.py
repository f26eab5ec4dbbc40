"""End-to-end: ``brandaudit bluesky`` and the Bluesky verdict inside ``brandaudit check``."""

from __future__ import annotations

import json
import re

import pytest

from brandaudit.bluesky import CHECK_IDS
from tests.bluesky.scenario import APPVIEW, DID, PDS_HOST, PLC, Bsky, checks
from tests.conftest import World
from tests.world.http import Reply

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("dns", "file"), [(True, False), (False, True), (True, True)])
def test_verified(world: World, dns: bool, file: bool) -> None:
    b = Bsky(world)
    b.healthy(dns=dns, file=file)
    result, data = b.verdict()
    assert result.code == 0, data
    assert data["status"] == "verified"
    assert data["did"] == DID
    assert data["handle"] == "acme.com"
    by_id = checks(data)
    assert tuple(by_id) == CHECK_IDS
    assert by_id["dns_txt"]["status"] == ("pass" if dns else "info")
    assert by_id["well_known"]["status"] == ("pass" if file else "info")
    assert by_id["methods_agree"]["status"] == ("pass" if dns and file else "skip")
    for check in ("did_document", "bidirectional", "pds", "appview"):
        assert by_id[check]["status"] == "pass", by_id[check]
        assert by_id[check]["fix"] is None


def test_not_configured_shows_both_setup_options(world: World) -> None:
    Bsky(world).site()
    result = world.run("bluesky", "acme.com", env=world.env(COLUMNS="80"))
    assert result.code == 1
    assert "NOT CONFIGURED" in result.stdout
    assert re.search(r"Host +_atproto ", result.stdout)
    assert re.search(r"Value +did=<your DID> ", result.stdout)
    assert "https://acme.com/.well-known/atproto-did" in result.stdout
    assert "--did <your DID>" in result.stdout
    data = Bsky(world).verdict()[1]
    assert data["status"] == "not_configured"
    assert data["did"] is None


def test_setup_for_a_subdomain_handle_uses_the_registrable_zone(world: World) -> None:
    b = Bsky(world, domain="team.acme.co.uk")
    b.site()
    result = world.run("bluesky", "team.acme.co.uk", "--did", DID, env=world.env(COLUMNS="80"))
    assert result.code == 1, result.stderr
    out = result.stdout
    assert "zone acme.co.uk" in out
    assert re.search(r"Host +_atproto\.team ", out)
    assert re.search(r"Type +TXT", out)
    assert re.search(rf"Value +did={DID} ", out)
    assert "_atproto.team.acme.co.uk." in out
    assert re.search(rf"Content +{DID} ", out)
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "\x1b[" not in out
    data = json.loads(world.run("bluesky", "team.acme.co.uk", "--did", DID, "-f", "json").stdout)
    assert data["setup"]["dns"] == {
        "zone": "acme.co.uk",
        "host": "_atproto.team",
        "fqdn": "_atproto.team.acme.co.uk.",
        "type": "TXT",
        "value": f"did={DID}",
    }
    assert data["setup"]["well_known"]["content"] == DID


def test_table_reads_at_80_columns_without_colour(world: World) -> None:
    b = Bsky(world)
    b.healthy()
    b.txt(f'"did={DID}"')
    result = world.run("bluesky", "acme.com", env=world.env(COLUMNS="80"))
    assert result.code == 1
    out = result.stdout
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "MISCONFIGURED" in out
    assert "FAIL" in out and "PASS" in out
    assert "Fix: Set the value to exactly" in out


def test_several_domains_give_a_json_list_and_the_worst_exit_code(world: World) -> None:
    Bsky(world).healthy()
    Bsky(world, domain="acme.org").site()
    result = world.run("bluesky", "acme.com", "acme.org", "-f", "json")
    assert result.code == 1
    data = result.json()
    assert [d["domain"] for d in data] == ["acme.com", "acme.org"]
    assert [d["status"] for d in data] == ["verified", "not_configured"]


def test_unknown_exits_3_and_names_the_service(world: World) -> None:
    b = Bsky(world)
    b.healthy()
    b.plc(Reply.json({"error": "InternalServerError"}, 500))
    result, data = b.verdict()
    assert result.code == 3
    assert data["status"] == "unknown"
    doc = checks(data)["did_document"]
    assert doc["status"] == "skip"
    assert doc["message"].startswith("could not check: plc.directory")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["bluesky", "acme.com", "--did", "did:plc:short"], "not a did:plc identifier"),
        (["bluesky", "acme.com", "--did", "plc:abc"], "does not start with 'did:'"),
        (["bluesky", "acme.com", "acme.org", "--did", DID], "one domain"),
        (["bluesky", ""], "empty"),
        (["bluesky", "acme.com", "-f", "xml"], "xml"),
        (["bluesky"], "Missing argument"),
    ],
)
def test_bad_input_exits_2_with_one_line(world: World, args: list[str], needle: str) -> None:
    result = world.run(*args)
    assert result.code == 2, result.stdout
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_invalid_handle_is_a_verdict_not_a_usage_error(world: World) -> None:
    result = world.run("bluesky", "My_Brand.com", "-f", "json")
    assert result.code == 1
    data = result.json()
    syntax = checks(data)["handle_syntax"]
    assert syntax["status"] == "fail"
    assert "'my_brand' contains '_'" in syntax["message"]
    assert "acme.com" in syntax["fix"]
    assert {c["status"] for c in data["checks"][1:]} == {"skip"}
    assert world.dns.queries == []  # nothing was asked


def test_check_command_carries_the_bluesky_domain_verdict(world: World) -> None:
    b = Bsky(world)
    b.healthy()
    world.http.route(
        APPVIEW,
        "/xrpc/app.bsky.actor.getProfile",
        lambda r: (
            Reply.json({"did": DID, "handle": "acme.com"})
            if r.arg("actor") == DID
            else Reply.json({"error": "InvalidRequest", "message": "Profile not found"}, 400)
        ),
    )
    result = world.run("check", "acme.com", "-p", "bluesky", "-f", "json")
    assert result.code == 0, result.stderr
    brand = result.json()["brands"][0]
    assert brand["bluesky_domain"]["status"] == "verified"
    assert brand["bluesky_domain"]["domain"] == "acme.com"
    table = world.run("check", "acme.com", "-p", "bluesky", env=world.env(COLUMNS="80"))
    assert "Bluesky domain handle acme.com: VERIFIED" in table.stdout
    # without the bluesky adapter, no verification runs
    world.http.requests.clear()
    other = world.run("check", "acme.com", "-p", "github", "-f", "json")
    assert other.json()["brands"][0]["bluesky_domain"] is None
    assert world.http.requests_to(PLC) == []


def test_claim_on_the_domain_handle_is_judged_from_the_verdict(world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    b = Bsky(world)
    b.site()
    b.txt(f"did={DID}")
    b.account(handle="acme-old.bsky.social")
    (tmp_path / "brandaudit.toml").write_text('[claims]\nbluesky = "acme.com"\n')
    result = world.run("check", "acme.com", "-p", "bluesky", "-f", "json", cwd=tmp_path)
    assert result.code == 1, result.stderr
    claim = result.json()["brands"][0]["claims"][0]
    assert claim["outcome"] == "fail"
    assert "misconfigured" in claim["reason"]


def test_hanging_servers_still_give_a_verdict(world: World) -> None:
    b = Bsky(world)
    b.site()
    b.txt(f"did={DID}")
    b.file(Reply(hang=True))
    b.plc(Reply(hang=True))
    result = world.run(
        "bluesky", "acme.com", "-f", "json", "--deadline", "2", "--timeout", "1", timeout=30
    )
    data = result.json()
    assert result.code == 3
    assert data["status"] == "unknown"
    by_id = checks(data)
    assert by_id["dns_txt"]["status"] == "pass"
    # the file times out, but the DNS record already works: a warning
    assert by_id["well_known"]["status"] == "warn"
    assert "timed out" in by_id["well_known"]["message"]
    assert by_id["did_document"]["status"] == "skip"
    assert by_id["did_document"]["message"].startswith("could not check: plc.directory")


def test_hanging_website_without_a_record_is_unknown(world: World) -> None:
    """No `_atproto` record and a website that doesn't answer: nothing shows the handle is
    set up at all, so "set up, but something is wrong" would be a guess (issue 25)."""
    b = Bsky(world)
    b.healthy(dns=False)
    b.file(Reply(hang=True))
    result = world.run(
        "bluesky", "acme.com", "-f", "json", "--deadline", "2", "--timeout", "1", timeout=30
    )
    data = result.json()
    assert result.code == 3
    assert data["status"] == "unknown"
    well_known = checks(data)["well_known"]
    assert well_known["status"] == "skip"
    assert well_known["message"] == (
        "could not check: the website (`https://acme.com/.well-known/atproto-did`) did not "
        "answer in time, and there is no `_atproto` record"
    )


def test_hanging_pds_and_appview_are_unknown(world: World) -> None:
    b = Bsky(world)
    b.healthy()
    b.repo_status(Reply(hang=True))
    world.http.route(PDS_HOST, "/xrpc/com.atproto.identity.resolveHandle", Reply(hang=True))
    b.profile(Reply(hang=True))
    result = world.run(
        "bluesky", "acme.com", "-f", "json", "--deadline", "1.5", "--timeout", "1", timeout=30
    )
    data = result.json()
    assert result.code == 3
    assert data["status"] == "unknown"
    by_id = checks(data)
    assert by_id["pds"]["message"].startswith("could not check")
    assert by_id["appview"]["message"].startswith("could not check")
    assert by_id["did_document"]["status"] == "pass"


def test_dns_that_never_answers_gives_a_verdict(world: World) -> None:
    b = Bsky(world)
    b.site()
    b.account()
    world.dns.add("_atproto.acme.com", behaviour="timeout")
    result = world.run("bluesky", "acme.com", "-f", "json", "--deadline", "2", timeout=30)
    data = result.json()
    assert data["status"] == "misconfigured"
    dns = checks(data)["dns_txt"]
    assert dns["status"] == "fail"
    assert "timeout" in dns["message"].lower()
    assert "DNSSEC" in dns["fix"]


# --- the verdict contract at the command line (issue 11) -------------------------------


def _silent(world: World, domain: str) -> str:
    """BRANDAUDIT_ORIGIN_MAP under which nothing answers HTTPS for ``domain``."""
    from tests.world.dns import free_udp_port

    return f"https://{domain}=http://127.0.0.1:{free_udp_port()},{world.http.origin_map_env()}"


def test_a_nonexistent_domain_says_it_does_not_exist_and_is_not_configured(
    world: World,
) -> None:
    world.dns.add("com")  # the resolver works: the public suffix answers
    Bsky(world, domain="no-such-brand.com").account()
    env = world.env(BRANDAUDIT_ORIGIN_MAP=_silent(world, "no-such-brand.com"), COLUMNS="100")
    result = world.run("bluesky", "no-such-brand.com", "-f", "json", env=env)
    data = result.json()
    assert data["status"] == "not_configured", data
    assert result.code == 1
    dns = checks(data)["dns_txt"]
    assert dns["status"] == "info"
    assert "doesn't exist in DNS" in dns["message"]
    assert "typo" in dns["message"]
    table = world.run("bluesky", "no-such-brand.com", env=env)
    assert "NOT CONFIGURED" in table.stdout
    assert "no-such-brand.com doesn't exist in DNS: a typo, or the registration expired?" in (
        table.stdout
    )
    assert "something is wrong" not in table.stdout


@pytest.mark.parametrize("resolver", ["nxdomain for everything", "never answers"])
def test_a_resolver_failing_for_everything_is_blamed_and_exits_3(
    world: World, resolver: str
) -> None:
    from tests.world.dns import free_udp_port

    Bsky(world).account()  # nothing in DNS at all: the world's resolver says NXDOMAIN for all
    extra = {"BRANDAUDIT_ORIGIN_MAP": _silent(world, "acme.com")}
    if resolver == "never answers":
        extra["BRANDAUDIT_NAMESERVERS"] = f"127.0.0.1:{free_udp_port()}"
    result = world.run(
        "bluesky", "acme.com", "-f", "json", "--deadline", "4", env=world.env(**extra), timeout=40
    )
    data = result.json()
    assert result.code == 3, data
    assert data["status"] == "unknown"
    dns = checks(data)["dns_txt"]
    assert dns["message"].startswith("could not check")
    assert "resolver" in dns["message"]
    assert "nameservers" in dns["message"]
    assert "doesn't exist in DNS" not in dns["message"]
    assert "renew" not in json.dumps(data)
    table = world.run("bluesky", "acme.com", "--deadline", "4", env=world.env(**extra), timeout=40)
    assert table.code == 3
    assert "brandaudit's DNS resolver is the problem, not the domain" in table.stdout


def test_an_xn_label_that_is_not_punycode_runs_in_check_and_bluesky(world: World) -> None:
    # Valid handle syntax (atproto takes any LDH label), so `check` takes it as `bluesky` does
    # (one validator, issue 24); no web client can fetch it, which is a failed request with
    # its reason, never an internal error.
    for args in (("bluesky", "xn--zz.ws"), ("check", "xn--zz.ws", "-p", "bluesky")):
        result = world.run(*args, "-f", "json")
        assert result.code != 2, result.stderr
        text = result.stdout
        assert "internal error" not in text and "IDNAError" not in text, text
        assert "not valid punycode" in text
