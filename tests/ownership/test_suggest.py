"""End-to-end: ``brandaudit suggest`` against the loopback world."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World
from tests.world import platforms as p
from tests.world.http import Reply

pytestmark = pytest.mark.e2e


def _github(world: World, taken: set[str], blocked: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    def answer(request: Any) -> Reply:
        login = request.path.rsplit("/", 1)[-1]
        if login in blocked:
            return Reply.json({"message": "API rate limit exceeded"}, 403)
        if login in taken:
            return Reply.json({"login": login, "id": 1, "type": "User"})
        return Reply.json({"message": "Not Found", "status": "404"}, 404)

    world.http.route_prefix(p.GITHUB, "/users/", answer)


def _mastodon(world: World, taken: set[str]) -> None:
    def lookup(request: Any) -> Reply:
        acct = request.arg("acct")
        if acct in taken:
            return Reply.json({"id": "1", "username": acct, "acct": acct})
        return Reply.json({"error": "Record not found"}, 404)

    world.http.route(p.MASTODON, "/api/v1/accounts/lookup", lookup)
    world.http.route(p.MASTODON, "/.well-known/webfinger", Reply(status=404))


def _bluesky(world: World, taken: set[str]) -> None:
    def profile(request: Any) -> Reply:
        actor = request.arg("actor")
        if actor in taken:
            return Reply.json({"did": "did:plc:abc", "handle": actor})
        return Reply.json({"error": "InvalidRequest", "message": "Profile not found"}, 400)

    world.http.route(p.BSKY, "/xrpc/app.bsky.actor.getProfile", profile)


def test_suggest_finds_the_handle_free_on_most_platforms(world: World) -> None:
    _github(world, taken={"acme", "acmeinc"}, blocked={"acmehq"})
    _mastodon(world, taken={"acme"})
    _bluesky(world, taken={"acme.bsky.social", "getacme.bsky.social"})
    result = world.run(
        "suggest", "acme.com", "-f", "json", "--max-variants", "5",
        "-p", "github", "-p", "mastodon", "-p", "bluesky",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["variants"] == ["acme", "acmehq", "acmeinc", "getacme", "acmeapp"]
    assert data["checks"] == 15
    assert "5 variants x 3 platforms = 15 checks" in result.stderr
    # acmeapp is free everywhere; acmehq's GitHub answer was a 403: unknown, not free.
    assert data["best"]["handle"] == "acmeapp"
    assert data["best"]["free_on"] == ["github", "mastodon", "bluesky"]
    ranking = {c["handle"]: c for c in data["ranking"]}
    assert ranking["acmehq"]["unknown_on"] == ["github"]
    assert ranking["acmehq"]["free_on"] == ["mastodon", "bluesky"]
    assert ranking["acme"]["taken_on"] == ["github", "mastodon", "bluesky"]
    assert [c["handle"] for c in data["ranking"]][:2] == ["acmeapp", "acmehq"]
    assert data["requests"] >= 15


def test_suggest_table_and_name_variants(world: World) -> None:
    _github(world, taken={"acme"})
    result = world.run(
        "suggest", "acme.com", "--name", "Acme Widgets", "--max-variants", "4", "-p", "github"
    )
    assert result.code == 0, result.stderr
    assert "Free on" in result.stdout and "Not allowed on" in result.stdout
    # Both free on GitHub: the shorter wins the tie.
    assert "Best handle: acmehq, free on 1 of 1 platforms" in result.stdout
    assert "acmewidgets" in result.stdout
    assert "acme_widgets" in result.stdout  # not allowed on GitHub, shown as such
    assert len(world.http.requests_to(p.GITHUB)) == 3


def test_suggest_is_a_variant_matrix_that_never_splits_a_handle(world: World) -> None:
    _github(world, taken=set())
    result = world.run(
        "suggest", "takenbrand-official.com", "--max-variants", "6", "-p", "github",
        env=world.env(COLUMNS="50"),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    data = world.run(
        "suggest", "takenbrand-official.com", "--max-variants", "6", "-p", "github", "-f", "json"
    ).json()
    lines = result.stdout.splitlines()
    assert len(data["variants"]) >= 4
    for variant in data["variants"]:  # each handle whole on one line (a row of its own)
        assert any(variant in line for line in lines), variant
    assert max(len(line) for line in lines) <= 50


def test_suggest_offline_says_no_network(world: World) -> None:
    env = {k: v for k, v in world.env().items() if k != "BRANDAUDIT_ORIGIN_MAP"}
    result = world.run("suggest", "acme.com", "-p", "github", "--deadline", "2", env=env)
    assert result.code == 3, result.stderr
    assert result.stderr.count("no network?") == 1


def test_suggest_bounds_the_checks(world: World) -> None:
    _github(world, taken=set())
    result = world.run(
        "suggest", "acme.com", "-f", "json", "--max-variants", "10", "--max-checks", "3",
        "-p", "github",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["checks"] == 3
    assert "--max-checks 3 leaves out" in result.stderr
    assert len(world.http.requests_to(p.GITHUB)) == 3


def test_suggest_all_unknown_is_inconclusive(world: World) -> None:
    world.http.route_prefix(p.GITHUB, "/users/", Reply(status=429))
    result = world.run("suggest", "acme.com", "--max-variants", "2", "-p", "github")
    assert result.code == 3
    assert "No variant is free" in result.stdout


def test_suggest_rejects_unknown_platforms_and_bad_domains(world: World) -> None:
    assert world.run("suggest", "acme.com", "-p", "myspace").code == 2
    assert world.run("suggest", "not a domain").code == 2
