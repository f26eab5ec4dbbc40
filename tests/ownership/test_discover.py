"""Discovery against the loopback world, in process: the homepage fetch and its failures."""

from __future__ import annotations

import asyncio

import pytest

from brandaudit.config import NetworkSettings
from brandaudit.model import DeclaredVia, DiscoveryStatus
from brandaudit.net.client import NetClient
from brandaudit.ownership.discover import DiscoveryResult, discover
from brandaudit.platforms.base import Adapter
from brandaudit.platforms.builtin.bluesky import BlueskyAdapter
from brandaudit.platforms.builtin.github import GitHubAdapter
from brandaudit.platforms.builtin.mastodon import MastodonAdapter
from tests.conftest import World
from tests.world.http import Reply

ADAPTERS: list[Adapter] = [GitHubAdapter(), BlueskyAdapter(), MastodonAdapter()]

HOME = """<!doctype html><html><head>
<link rel="me" href="https://mastodon.social/@acme">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Organization", "name": "Acme",
 "sameAs": ["https://github.com/acme", "https://bsky.app/profile/acme.com"]}
</script></head>
<body><a href="https://github.com/acme">GitHub</a> <a href="/about">About</a>
<a href="https://github.com/features">not a profile</a></body></html>"""


def _discover(world: World, domain: str = "acme.com", **network: object) -> DiscoveryResult:
    settings = NetworkSettings(
        origin_map={"https://*": world.http.origin, "http://*": world.http.origin},
        deadline=3,
        read_timeout=1,
        connect_timeout=1,
        **network,  # type: ignore[arg-type]
    )

    async def go() -> DiscoveryResult:
        async with NetClient(settings) as net:
            return await discover(domain, ADAPTERS, net)

    return asyncio.run(go())


def test_declared_profiles_from_links_rel_me_and_jsonld(world: World) -> None:
    world.http.route("acme.com", "/", Reply.html(HOME))
    found = _discover(world)
    assert found.discovery.status is DiscoveryStatus.OK
    declared = {(d.platform, d.handle): d for d in found.declared}
    assert set(declared) == {("mastodon", "acme"), ("github", "acme"), ("bluesky", "acme.com")}
    assert declared["github", "acme"].found_in == (DeclaredVia.LINK, DeclaredVia.JSON_LD)
    assert declared["mastodon", "acme"].found_in == (DeclaredVia.REL_ME,)
    assert declared["bluesky", "acme.com"].page == "https://acme.com/"
    assert found.discovery.evidence[0].status_code == 200
    assert "3 profiles declared" in (found.discovery.evidence[0].signal or "")


def test_a_redirect_to_www_is_followed(world: World) -> None:
    world.http.route("acme.com", "/", Reply.redirect("https://www.acme.com/", 301))
    world.http.route("www.acme.com", "/", Reply.html(HOME))
    found = _discover(world)
    assert found.discovery.status is DiscoveryStatus.OK
    assert found.discovery.final_url == "https://www.acme.com/"
    assert found.declared[0].page == "https://www.acme.com/"
    assert found.discovery.evidence[0].redirects == ("https://www.acme.com/",)


def test_a_redirect_to_another_site_is_not_followed(world: World) -> None:
    world.http.route("acme.com", "/", Reply.redirect("https://parking.example/acme.com", 302))
    world.http.route("parking.example", "/acme.com", Reply.html(HOME))
    found = _discover(world)
    assert found.discovery.status is DiscoveryStatus.FAILED
    assert found.declared == []
    assert "another site; not followed" in found.discovery.notes[0]
    assert world.http.requests_to("parking.example") == []


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (Reply.html("<h1>Forbidden</h1>", 403), "HTTP 403"),
        (Reply.html("oops", 500), "HTTP 500"),
        (Reply.html("gone", 404), "HTTP 404"),
        (
            Reply.html(
                "<html><title>Just a moment...</title><script src=/cdn-cgi/challenge-platform/x>"
            ),
            "bot challenge",
        ),
        (Reply.html("<p>wait</p>", 403, headers={"cf-mitigated": "challenge"}), "HTTP 403"),
        (
            Reply(status=200, body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"}),
            "not HTML",
        ),
        (Reply(hang=True), "could not be read"),
        (Reply(reset=True), "could not be read"),
    ],
)
def test_homepage_failures_are_notes(world: World, reply: Reply, words: str) -> None:
    world.http.route("acme.com", "/", reply)
    found = _discover(world)
    assert found.discovery.status is DiscoveryStatus.FAILED
    assert words in found.discovery.notes[0]
    assert found.declared == []
    assert found.discovery.evidence[-1].signal == found.discovery.notes[0]


def test_a_huge_homepage_is_read_up_to_the_cap(world: World) -> None:
    filler = "<p>" + "x" * 1000 + "</p>"
    body = '<a href="https://github.com/acme">g</a>' + filler * 3000
    body += '<a href="https://mastodon.social/@late">never read</a>'
    world.http.route("acme.com", "/", Reply.html(body))
    found = _discover(world)
    assert found.discovery.status is DiscoveryStatus.OK
    assert [d.handle for d in found.declared] == ["acme"]
    assert any("larger than 1024 KB" in note for note in found.discovery.notes)


def test_html_without_a_content_type_is_sniffed(world: World) -> None:
    world.http.route(
        "acme.com", "/", Reply(body='<!DOCTYPE html><a href="https://github.com/acme">g</a>')
    )
    found = _discover(world)
    assert [d.handle for d in found.declared] == ["acme"]


def test_a_latin1_page_is_decoded_by_its_charset(world: World) -> None:
    body = '<p>Caf\xe9</p><a href="https://github.com/acme">g</a>'.encode("latin-1")
    world.http.route(
        "acme.com", "/", Reply(body=body, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    )
    assert [d.handle for d in _discover(world).declared] == ["acme"]


def test_a_did_link_is_noted_not_declared(world: World) -> None:
    body = '<a href="https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx">Bluesky</a>'
    world.http.route("acme.com", "/", Reply.html(body))
    found = _discover(world)
    assert found.declared == []
    assert any("by DID" in note for note in found.discovery.notes)


def test_a_broken_adapter_cannot_break_discovery(world: World) -> None:
    class Broken(GitHubAdapter):
        def handle_from_url(self, url: str) -> str | None:
            raise RuntimeError("plugin bug")

    world.http.route("acme.com", "/", Reply.html(HOME))
    settings = NetworkSettings(
        origin_map={"https://*": world.http.origin}, deadline=3, read_timeout=1
    )

    async def go() -> DiscoveryResult:
        async with NetClient(settings) as net:
            return await discover("acme.com", [Broken(), MastodonAdapter()], net)

    found = asyncio.run(go())
    assert [(d.platform, d.handle) for d in found.declared] == [("mastodon", "acme")]


def test_a_profile_on_an_unconfigured_mastodon_instance_is_a_hint(world: World) -> None:
    body = (
        '<a rel="me" href="https://hachyderm.io/@acme">Mastodon</a>'
        '<a href="https://www.tiktok.com/@acme">a plain link: no hint</a>'
        '<a rel="me" href="https://acme.com/team">not a profile</a>'
    )
    world.http.route("acme.com", "/", Reply.html(body))
    found = _discover(world)
    assert found.declared == []
    hints = [n for n in found.discovery.notes if "may be a Mastodon profile" in n]
    assert hints == [
        "https://hachyderm.io/@acme may be a Mastodon profile on hachyderm.io; add "
        "hachyderm.io to [adapters.mastodon] instances to check it",
    ]
