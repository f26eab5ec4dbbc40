"""End-to-end: discovery and ownership through the installed CLI and the loopback world."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.bluesky.scenario import DID, Bsky
from tests.conftest import World
from tests.world import platforms as p
from tests.world.http import Reply

pytestmark = pytest.mark.e2e

THREE = ("-p", "github", "-p", "mastodon", "-p", "bluesky")
VERIFIED_AT = "2024-05-01T12:00:00.000+00:00"


def _homepage(*links: str, rel_me: tuple[str, ...] = (), same_as: tuple[str, ...] = ()) -> str:
    head = "".join(f'<link rel="me" href="{u}">' for u in rel_me)
    if same_as:
        items = ", ".join(f'"{u}"' for u in same_as)
        head += (
            '<script type="application/ld+json">{"@context": "https://schema.org", '
            f'"@type": "Organization", "name": "Acme", "sameAs": [{items}]}}</script>'
        )
    body = "".join(f'<a href="{u}">profile</a>' for u in links)
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def _field(url: str, verified: bool) -> dict[str, Any]:
    value = f'<a href="{url}" rel="nofollow noopener me" target="_blank">{url}</a>'
    return {"name": "Website", "value": value, "verified_at": VERIFIED_AT if verified else None}


def _rows(result: Any) -> dict[tuple[str, str], dict[str, Any]]:
    brand = result.json()["brands"][0]
    return {(r["platform"], r["handle"]): r for r in brand["platforms"]}


def test_declared_profiles_that_link_back_are_verified(world: World) -> None:
    world.http.route(
        "acme.com",
        "/",
        Reply.html(
            _homepage(
                "https://bsky.app/profile/acme.com",
                rel_me=("https://mastodon.social/@acme",),
                same_as=("https://github.com/acme",),
            )
        ),
    )
    p.github_user(world.http, "acme", blog="https://www.acme.com/")
    p.mastodon_account(world.http, "acme", fields=[_field("https://acme.com", verified=True)])
    Bsky(world).healthy(dns=True)  # acme.com is a working Bluesky domain handle
    p.bsky_profile(world.http, "acme.com", did=DID, description="Official account")
    result = world.run("check", "acme.com", "-f", "json", *THREE)
    assert result.code == 0, result.stderr
    brand = result.json()["brands"][0]
    rows = _rows(result)
    github, mastodon, bsky = (
        rows["github", "acme"],
        rows["mastodon", "acme"],
        rows["bluesky", "acme.com"],
    )
    assert github["ownership"]["status"] == "verified"
    assert github["ownership"]["reason"].startswith("two-way")
    assert any("www.acme.com" in e for e in github["ownership"]["evidence"])
    assert github["handle_source"] == "declared_website"  # derived and declared by the website
    assert mastodon["ownership"]["status"] == "verified"
    assert "verified" in mastodon["ownership"]["reason"]
    assert bsky["ownership"]["status"] == "verified"
    assert bsky["handle_source"] == "declared_website"
    assert "domain itself" in bsky["ownership"]["reason"]
    # The derived acme.bsky.social doesn't exist: not applicable, not a finding.
    assert rows["bluesky", "acme"]["ownership"]["status"] == "not_applicable"
    declared = {(d["platform"], d["handle"]): d["found_in"] for d in brand["declared_profiles"]}
    assert declared == {
        ("bluesky", "acme.com"): ["a"],
        ("mastodon", "acme"): ["rel_me"],
        ("github", "acme"): ["json_ld"],
    }
    assert brand["discovery"]["status"] == "ok"
    assert brand["discovery"]["findings"] == []


def test_profiles_that_do_not_link_back_are_only_linked(world: World) -> None:
    world.http.route(
        "acme.com",
        "/",
        Reply.html(_homepage("https://github.com/acme", "https://mastodon.social/@acme")),
    )
    p.github_user(world.http, "acme")
    p.mastodon_account(world.http, "acme", fields=[_field("https://acme.com", verified=False)])
    p.bsky_not_found(world.http)
    result = world.run("check", "acme.com", "-f", "json", *THREE)
    assert result.code == 0, result.stderr
    rows = _rows(result)
    assert rows["github", "acme"]["ownership"]["status"] == "linked"
    assert "doesn't link back" in rows["github", "acme"]["ownership"]["reason"]
    assert "acme.com" in rows["github", "acme"]["ownership"]["fix"]
    # An unverified Mastodon field still links back: both ways, so verified by the two-way rule.
    assert rows["mastodon", "acme"]["ownership"]["status"] == "verified"
    assert rows["bluesky", "acme"]["ownership"]["status"] == "not_applicable"


def test_look_alike_back_links_never_count(world: World) -> None:
    world.http.route("acme.com", "/", Reply.html(_homepage("https://acme.com/about")))
    p.github_user(world.http, "acme", blog="https://acme.co/")
    p.mastodon_account(
        world.http,
        "acme",
        fields=[
            _field("https://acme.com.evil.net/", verified=True),
            _field("https://evilacme.com/", verified=True),
        ],
        note='<p>Not <a href="https://acme.com@evil.net/">acme.com</a></p>',
    )
    p.bsky_profile(world.http, "acme.bsky.social", website="https://acme-com.net")
    result = world.run("check", "acme.com", "-f", "json", *THREE)
    assert result.code == 0, result.stderr
    rows = _rows(result)
    for key in (("github", "acme"), ("mastodon", "acme"), ("bluesky", "acme")):
        ownership = rows[key]["ownership"]
        assert ownership["status"] == "unconfirmed", (key, ownership)
        assert "may not be the brand's" in ownership["reason"]
        assert any("ignored" in e for e in ownership["evidence"]), ownership
    assert "acme.co" in rows["github", "acme"]["ownership"]["reason"]


def test_a_back_link_without_a_declaration_is_linked(world: World) -> None:
    world.http.route("acme.com", "/", Reply.html("<!doctype html><p>No social links.</p>"))
    p.github_user(world.http, "acme", blog="https://shop.acme.com")
    result = world.run("check", "acme.com", "-f", "json", "-p", "github")
    assert result.code == 0, result.stderr
    ownership = _rows(result)["github", "acme"]["ownership"]
    assert ownership["status"] == "linked"
    assert "doesn't link to the profile" in ownership["reason"]


def test_declared_links_to_missing_or_other_handles_are_findings(
    world: World, tmp_path: Path
) -> None:
    (tmp_path / "brandaudit.toml").write_text(
        '[brand]\ndomain = "acme.com"\n\n[claims]\ngithub = "acme"\nmastodon = "acme"\n'
    )
    world.http.route(
        "acme.com",
        "/",
        Reply.html(
            _homepage("https://github.com/acme-old", rel_me=("https://mastodon.social/@acmehq",))
        ),
    )
    p.github_user(world.http, "acme", blog="https://acme.com")
    p.github_not_found(world.http, "acme-old")

    def mastodon(request: Any) -> Reply:
        acct = request.arg("acct")
        return Reply.json(
            {"id": "1", "username": acct, "acct": acct, "url": f"https://mastodon.social/@{acct}"}
        )

    world.http.route(p.MASTODON, "/api/v1/accounts/lookup", mastodon)
    result = world.run("check", "-f", "json", "-p", "github", "-p", "mastodon", cwd=tmp_path)
    assert result.code == 0, result.stderr
    brand = result.json()["brands"][0]
    rows = _rows(result)
    old = rows["github", "acme-old"]
    assert old["status"] == "available"
    assert old["handle_source"] == "declared_website"
    assert "Fix or remove the link on https://acme.com/" in old["remediation"]
    kinds = {(f["kind"], f["platform"], f["handle"]) for f in brand["discovery"]["findings"]}
    assert kinds == {
        ("declared_missing", "github", "acme-old"),
        ("declared_mismatch", "github", "acme-old"),
        ("declared_mismatch", "mastodon", "acmehq"),
    }
    mismatch = rows["mastodon", "acmehq"]
    assert "[claims] says mastodon = 'acme'" in mismatch["remediation"]
    # The claimed account links back, but the website points elsewhere: linked, not verified.
    assert rows["github", "acme"]["ownership"]["status"] == "linked"


def test_homepage_redirect_to_www_is_followed(world: World) -> None:
    world.http.route("acme.com", "/", Reply.redirect("https://www.acme.com/", 301))
    world.http.route("www.acme.com", "/", Reply.html(_homepage("https://github.com/acme")))
    p.github_user(world.http, "acme", blog="acme.com")
    result = world.run("check", "acme.com", "-f", "json", "-p", "github")
    assert result.code == 0, result.stderr
    brand = result.json()["brands"][0]
    assert brand["discovery"]["final_url"] == "https://www.acme.com/"
    assert _rows(result)["github", "acme"]["ownership"]["status"] == "verified"


def test_homepage_redirect_to_another_site_is_not_followed(world: World) -> None:
    world.http.route("acme.com", "/", Reply.redirect("https://acme.com.evil.net/", 302))
    world.http.route("acme.com.evil.net", "/", Reply.html(_homepage("https://github.com/acme")))
    p.github_user(world.http, "acme")
    result = world.run("check", "acme.com", "-f", "json", "-p", "github")
    assert result.code == 0, result.stderr
    brand = result.json()["brands"][0]
    assert brand["discovery"]["status"] == "failed"
    assert "not followed" in brand["discovery"]["notes"][0]
    assert brand["declared_profiles"] == []
    assert world.http.requests_to("acme.com.evil.net") == []
    ownership = _rows(result)["github", "acme"]["ownership"]
    assert ownership["status"] == "unconfirmed"
    assert "website could not be checked" in ownership["reason"]


@pytest.mark.parametrize(
    "reply",
    [Reply.html("<h1>Access denied</h1>", 403), Reply(reset=True), Reply.html("x", 503)],
)
def test_homepage_failures_never_fail_the_run(world: World, reply: Reply) -> None:
    world.http.route("acme.com", "/", reply)
    p.github_user(world.http, "acme")
    result = world.run("check", "acme.com", "-f", "json", "-p", "github", "--require", "github")
    assert result.code == 0, result.stderr
    assert result.json()["brands"][0]["discovery"]["status"] == "failed"


def test_no_discover_skips_the_homepage(world: World) -> None:
    world.http.route("acme.com", "/", Reply.html(_homepage("https://github.com/acme-old")))
    p.github_user(world.http, "acme")
    result = world.run("check", "acme.com", "-f", "json", "-p", "github", "--no-discover")
    assert result.code == 0, result.stderr
    brand = result.json()["brands"][0]
    assert brand["discovery"]["status"] == "skipped"
    assert [r["handle"] for r in brand["platforms"]] == ["acme"]
    assert world.http.requests_to("acme.com") == []
    assert world.http.requests_to("www.acme.com") == []


def test_the_table_shows_ownership(world: World) -> None:
    world.http.route("acme.com", "/", Reply.html(_homepage("https://github.com/acme")))
    p.github_user(world.http, "acme", blog="https://acme.com")
    result = world.run("check", "acme.com", "-p", "github")
    assert result.code == 0, result.stderr
    assert "verified" in result.stdout


def test_a_broken_bluesky_domain_handle_is_not_verified(world: World) -> None:
    # The AppView still shows @acme.com, but the domain has no _atproto record any more.
    world.dns.add("acme.com", a=["203.0.113.10"])  # the domain itself exists
    world.http.route("acme.com", "/", Reply.html(_homepage("https://bsky.app/profile/acme.com")))
    p.bsky_profile(world.http, "acme.com", did=DID)
    result = world.run("check", "acme.com", "-f", "json", "-p", "bluesky")
    assert result.code == 0, result.stderr
    brand = result.json()["brands"][0]
    assert brand["bluesky_domain"]["status"] in {"misconfigured", "not_configured"}
    ownership = _rows(result)["bluesky", "acme.com"]["ownership"]
    assert ownership["status"] == "linked"
    assert "the Bluesky domain handle acme.com is" in ownership["reason"]
