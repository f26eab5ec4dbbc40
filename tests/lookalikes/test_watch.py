"""The look-alike watch end to end on the loopback world: accounts and domains classified
yours / suspect / unrelated, its formats, --fail-on-suspect and history's suspect_appeared."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from brandaudit.lookalikes import variants
from tests.conftest import World
from tests.world import platforms as p
from tests.world import rdap
from tests.world.http import Reply

pytestmark = pytest.mark.e2e

GITHUB_FOUR = ("-p", "github", "--max-variants", "6")
# acmeofficial, acme_official (refused by GitHub's rule), acme-official, acmehq, acme_hq
# (refused), acme-hq


def _github_world(world: World, homepage_links: tuple[str, ...] = ()) -> None:
    body = "".join(f'<a href="{u}">x</a>' for u in homepage_links)
    world.http.route("acme.com", "/", Reply.html(f"<html><body>{body}</body></html>"))
    for login in ("acmeofficial", "acme-official", "acmehq", "acme-hq"):
        p.github_not_found(world.http, login)


def _findings(result: Any) -> dict[str, dict[str, Any]]:
    section = result.json()["brands"][0]["lookalikes"]
    return {f["handle"]: f for f in section["findings"]}


def test_suspect_yours_and_unrelated_accounts(world: World) -> None:
    _github_world(world, homepage_links=("https://github.com/acmehq",))
    # No link, the brand's name in its bio: suspect.
    p.github_user(
        world.http, "acme-official", name="ACME Support", bio="DM us your order number \x1b[31m"
    )
    # The brand's site links it: yours (even though it never links back).
    p.github_user(world.http, "acmehq", name="Acme HQ")
    # Links another site, nothing of the brand: unrelated.
    p.github_user(world.http, "acme-hq", name="Hugo Q.", blog="https://hugo.example/")
    result = world.run("lookalikes", "acme.com", *GITHUB_FOUR, "-f", "json")
    assert result.code == 0, result.stderr
    found = _findings(result)
    assert found["acme-official"]["classification"] == "suspect"
    assert 'name: "ACME Support"' in found["acme-official"]["matched"]
    assert found["acme-official"]["variant_kind"] == "affix"
    assert found["acmehq"]["classification"] == "yours"
    assert "acme.com links to it" in found["acmehq"]["reasons"][0]
    assert found["acme-hq"]["classification"] == "unrelated"
    assert "\x1b" not in result.stdout
    assert "checks over 1 platforms" in result.stderr
    section = result.json()["brands"][0]["lookalikes"]
    assert section["free"] == 1  # acmeofficial
    # Suspects first.
    assert section["findings"][0]["classification"] == "suspect"


def test_an_account_the_brand_links_is_never_a_suspect(world: World) -> None:
    _github_world(world, homepage_links=("https://github.com/acme-official",))
    p.github_user(world.http, "acme-official", name="Acme Official", bio="Acme's account")
    result = world.run("lookalikes", "acme.com", *GITHUB_FOUR, "-f", "json")
    assert _findings(result)["acme-official"]["classification"] == "yours"


def test_fail_on_suspect_and_formats(world: World, tmp_path: Path) -> None:
    _github_world(world)
    p.github_user(world.http, "acme-official", name="Acme", bio="Official Acme support")
    ok = world.run("lookalikes", "acme.com", *GITHUB_FOUR)
    assert ok.code == 0
    assert "SUSPECT" in ok.stdout and "acme-official" in ok.stdout
    failed = world.run("lookalikes", "acme.com", *GITHUB_FOUR, "--fail-on-suspect")
    assert failed.code == 1
    sarif_file, md_file, html_file = tmp_path / "l.sarif", tmp_path / "l.md", tmp_path / "l.html"
    world.run(
        "lookalikes",
        "acme.com",
        *GITHUB_FOUR,
        "-o",
        str(sarif_file),
        "-o",
        str(md_file),
        "-o",
        str(html_file),
    )
    sarif = json.loads(sarif_file.read_text())
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["brandaudit/lookalike-suspect"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert "| SUSPECT | GitHub | acme-official |" in md_file.read_text()
    assert "<td>acme-official</td>" in html_file.read_text()


def test_diff_shows_a_new_suspect(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    _github_world(world)
    first = world.run("lookalikes", "acme.com", *GITHUB_FOUR, "--save", "--db", str(db))
    assert first.code == 0, first.stderr
    p.github_user(world.http, "acme-official", name="Acme Support")
    second = world.run("lookalikes", "acme.com", *GITHUB_FOUR, "--save", "--db", str(db))
    assert second.code == 0, second.stderr
    diff = world.run("diff", "acme.com", "--db", str(db), "-f", "json")
    kinds = [c["kind"] for c in diff.json()["changes"]]
    assert kinds == ["suspect_appeared"], diff.stdout
    # A check saved in between (more platforms, the website's links) and the watch after it:
    # the watch's run carries no website links, so nothing reads as a dropped link.
    world.http.route("acme.com", "/", Reply.html('<a href="https://github.com/acme">gh</a>'))
    p.github_user(world.http, "acme")
    world.run("check", "acme.com", "-p", "github", "--save", "--db", str(db))
    world.run("lookalikes", "acme.com", *GITHUB_FOUR, "--save", "--db", str(db))
    again = world.run("diff", "acme.com", "--db", str(db), "-f", "json")
    assert again.json()["changes"] == [], again.stdout


def test_lookalike_domains_recent_and_redirecting(world: World) -> None:
    rdap.bootstrap(world.http)
    recent = (datetime.now(UTC) - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rdap.registered(world.http, "acmeofficial.com", registered=recent)
    rdap.registered(world.http, "acmehq.com", registered="2005-01-01T00:00:00Z")
    world.http.route("acmehq.com", "/", Reply.redirect("https://acme.com/"))
    world.http.route("acme.com", "/", Reply.html("<p>Acme</p>"))
    world.http.route("acmeofficial.com", "/", Reply.html("<title>Acme login</title><form>"))
    # DNS first: three of the four look-alike names are in DNS, acme-official.com is registered
    # with no nameservers (NXDOMAIN: not in use; the registry is not asked).
    world.dns.add("acmeofficial.com", a=["192.0.2.10"], mx=["mail.acmeofficial.com"])
    world.dns.add("acmehq.com", a=["192.0.2.11"])
    world.dns.add("acme-hq.com", a=["192.0.2.12"])
    rdap.registered(world.http, "acme-official.com")
    # The brand's name under another TLD (a TLD swap), in DNS and registered long ago.
    world.dns.add("acme.io", a=["192.0.2.13"])
    rdap.registered(world.http, "acme.io")
    result = world.run(
        "lookalikes", "acme.com", "-p", "domain", "--max-variants", "6", "-f", "json"
    )
    assert result.code == 0, result.stderr
    section = result.json()["brands"][0]["lookalikes"]
    assert section["not_in_dns"] == 6  # acme-official.com; acme.net/.org/.co/.app/.ai
    assert section["free"] == 1  # acme-hq.com: in DNS (a test world's A), 404 at the registry
    registry = world.http.requests_to("rdap.verisign.test")
    assert "/v1/domain/acme-official.com" not in {r.path for r in registry}
    found = _findings(result)
    assert found["acmeofficial.com"]["classification"] == "suspect"
    reasons = " ".join(found["acmeofficial.com"]["reasons"])
    assert 'title "Acme login"' in found["acmeofficial.com"]["matched"]
    assert "20 days ago" in reasons and "phishing" in reasons
    assert "receives mail (MX 10 mail.acmeofficial.com" in reasons
    assert found["acmehq.com"]["classification"] == "yours"
    assert "redirects to acme.com" in found["acmehq.com"]["reasons"][0]
    assert "acme-official.com" not in found
    assert found["acme.io"]["variant_kind"] == "tld-swap"
    assert found["acme.io"]["classification"] == "unrelated"
    evidence = found["acmehq.com"]["evidence"]
    assert [e["url"] for e in evidence[:2]] == ["acmehq.com NS", "acmehq.com A"]


def test_check_lookalikes_adds_the_section(world: World) -> None:
    # The site links a GitHub account that doesn't exist: the check's finding must survive
    # the watch (which reads ownership over the look-alikes, not the brand's own results).
    _github_world(world, homepage_links=("https://github.com/acme-gone",))
    p.github_not_found(world.http, "acme-gone")
    p.github_not_found(world.http, "acme")
    p.github_user(world.http, "acme-official", name="Acme Support")
    result = world.run(
        "check", "acme.com", "-p", "github", "--lookalikes", "--max-variants", "6", "-f", "json"
    )
    assert result.code == 0, result.stderr
    assert _findings(result)["acme-official"]["classification"] == "suspect"
    brand = result.json()["brands"][0]
    assert [f["kind"] for f in brand["discovery"]["findings"]] == ["declared_missing"]
    assert {r["handle"] for r in brand["platforms"]} == {"acme", "acme-gone"}
    table = world.run("check", "acme.com", "-p", "github", "--lookalikes", "--max-variants", "6")
    assert "Look-alikes of acme.com" in table.stdout
    failed = world.run(
        "check",
        "acme.com",
        "-p",
        "github",
        "--lookalikes",
        "--max-variants",
        "6",
        "--fail-on-suspect",
    )
    assert failed.code == 1


def test_variants_are_bounded_and_exclude_the_handle() -> None:
    found = variants("acme", 500)
    names = [v.name for v in found]
    assert "acme" not in names and len(names) == len(set(names))
    assert {"acmeofficial", "acme_official", "acme-official", "theacme", "acmesupport"} <= set(
        names
    )
    assert {"acm", "aacme", "came", "ac.me", "ac_me"} <= set(names)
    kinds = {v.name: v.kind for v in found}
    assert kinds["acne"] == "replacement" and kinds["scme"] == "replacement"
    assert kinds["aame"] == "bitflip" and kinds["qcme"] == "bitflip"
    assert all(set(n) <= set("abcdefghijklmnopqrstuvwxyz0123456789-._") for n in names)
    assert len(variants("a" * 100, 400)) <= 400
    assert len(variants("acme", 7)) == 7
    assert [v.kind for v in variants("acme", 1)] == ["affix"]


def test_the_cli_bounds_are_the_watch_bounds() -> None:
    from brandaudit import lookalikes
    from brandaudit.cli import options

    assert options.DEFAULT_MAX_VARIANTS == lookalikes.DEFAULT_MAX_VARIANTS
    assert options.MAX_VARIANTS == lookalikes.MAX_VARIANTS


def test_old_lookalike_domains_and_shared_nameservers(world: World) -> None:
    """An old look-alike that only shares the brand's nameservers is not yours (a phishing
    domain on the same DNS host would pass); one whose page says nothing of the brand is
    unrelated."""
    rdap.bootstrap(world.http)
    ns = ("ada.ns.example-dns.test", "bob.ns.example-dns.test")
    world.dns.add("acme.com", ns=list(ns))
    world.dns.add("acmeofficial.com", a=["192.0.2.10"])
    world.dns.add("acmehq.com", a=["192.0.2.11"])
    rdap.registered(world.http, "acmeofficial.com", nameservers=ns)
    rdap.registered(world.http, "acmehq.com", registered="1999-01-01T00:00:00Z")
    world.http.route("acmehq.com", "/", Reply.html("<title>Hotel Quebec</title>"))
    result = world.run(
        "lookalikes", "acme.com", "-p", "domain", "--max-variants", "4", "-f", "json"
    )
    found = _findings(result)
    official = found["acmeofficial.com"]
    assert official["classification"] == "unrelated"
    assert any("same nameservers as acme.com" in r for r in official["reasons"])
    assert found["acmehq.com"]["classification"] == "unrelated"


def test_a_bluesky_account_the_brand_verified_is_yours(world: World) -> None:
    """Bluesky verification the brand's account issued (its DID from _atproto.acme.com),
    shown valid by the AppView: yours, though its bio names the brand and nothing links it."""
    brand_did = "did:plc:brandbrandbrandbrandbran"
    world.dns.txt("_atproto.acme.com", f"did={brand_did}")
    world.http.route("acme.com", "/", Reply.html("<p>Acme</p>"))
    profiles = {
        "acmesupport.bsky.social": {
            "displayName": "Acme Support",
            "verification": {
                "verifications": [{"issuer": brand_did, "uri": "at://x", "isValid": True}]
            },
        },
        "acmehelp.bsky.social": {
            "displayName": "Acme Help",
            # A verification from someone else, and the brand's own one no longer valid.
            "verification": {
                "verifications": [
                    {"issuer": "did:plc:someoneelseentirelyxxxxx", "isValid": True},
                    {"issuer": brand_did, "isValid": False},
                ]
            },
        },
    }

    def answer(request: Any) -> Reply:
        actor = request.arg("actor")
        if actor in profiles:
            body = {"did": "did:plc:" + "a" * 24, "handle": actor, **profiles[actor]}
            return Reply.json(body)
        return Reply.json({"error": "InvalidRequest", "message": "Profile not found"}, 400)

    world.http.route(p.BSKY, "/xrpc/app.bsky.actor.getProfile", answer)
    result = world.run("lookalikes", "acme.com", "-p", "bluesky", "-f", "json")
    found = _findings(result)
    assert found["acmesupport"]["classification"] == "yours"
    assert brand_did in found["acmesupport"]["reasons"][0]
    assert found["acmehelp"]["classification"] == "suspect"


def test_check_lookalikes_refuses_batch_input(world: World, tmp_path: Path) -> None:
    brands = tmp_path / "brands.txt"
    brands.write_text("acme.com\n")
    result = world.run("check", "--lookalikes", "-i", str(brands), "-p", "github")
    assert result.code == 2
    assert "--lookalikes" in result.stderr and "Traceback" not in result.stderr
    streamed = world.run("check", "acme.com", "--lookalikes", "-f", "jsonl", "-p", "github")
    assert streamed.code == 2
    assert "-f jsonl" in streamed.stderr and not world.http.requests


def test_the_brand_links_or_claims_it_in_any_spelling(world: World, tmp_path: Path) -> None:
    """bsky.app/profile/acmesupport.bsky.social on the site is the look-alike 'acmesupport';
    [claims] bluesky = "acmehelp.bsky.social" is 'acmehelp': both yours, never suspects."""
    (tmp_path / "brandaudit.toml").write_text('[claims]\nbluesky = "acmehelp.bsky.social"\n')
    world.http.route(
        "acme.com",
        "/",
        Reply.html('<a href="https://bsky.app/profile/acmesupport.bsky.social">Support</a>'),
    )
    names = {"acmesupport.bsky.social", "acmehelp.bsky.social"}

    def answer(request: Any) -> Reply:
        actor = request.arg("actor")
        if actor in names:
            return Reply.json(
                {"did": "did:plc:" + "b" * 24, "handle": actor, "displayName": "Acme"}
            )
        return Reply.json({"error": "InvalidRequest", "message": "Profile not found"}, 400)

    world.http.route(p.BSKY, "/xrpc/app.bsky.actor.getProfile", answer)
    result = world.run("lookalikes", "acme.com", "-p", "bluesky", "-f", "json", cwd=tmp_path)
    found = _findings(result)
    assert found["acmesupport"]["classification"] == "yours"
    assert found["acmehelp"]["classification"] == "yours"
    assert "[claims] bluesky names it" in found["acmehelp"]["reasons"][0]


def test_nothing_decided_exits_3_and_lists_the_undecided(world: World) -> None:
    # No route: every GitHub answer is a plain-text 404, not GitHub's "Not Found" JSON.
    result = world.run("lookalikes", "acme.com", *GITHUB_FOUR, "--no-discover")
    assert result.code == 3, result.stderr
    assert "undecided (4): github acmeofficial, github acme-official" in result.stdout
    assert "0 suspect, 0 unrelated, 0 yours, 0 free, 4 undecided" in result.stdout


def test_in_github_actions_suspects_are_warnings_and_summarised(
    world: World, tmp_path: Path
) -> None:
    _github_world(world)
    p.github_user(world.http, "acme-official", name="Acme Support", bio="::error::pwned\nx")
    summary = tmp_path / "summary.md"
    summary.write_text("")
    result = world.run(
        "lookalikes",
        "acme.com",
        *GITHUB_FOUR,
        "-f",
        "json",
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
    )
    warnings = [line for line in result.stderr.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 1 and "acme-official" in warnings[0]
    assert "::error::" not in result.stderr.replace(warnings[0], "")
    assert "| SUSPECT | GitHub | acme-official |" in summary.read_text()
    checked = world.run(
        "check",
        "acme.com",
        "-p",
        "github",
        "--lookalikes",
        "--max-variants",
        "6",
        GITHUB_ACTIONS="true",
    )
    assert any(
        line.startswith("::warning") and "suspect look-alike" in line
        for line in checked.stderr.splitlines()
    )
