"""Canary self-check: a known account must read as claimed, a random name must read as
available where the adapter can say so, and every kind of drift is told apart from a block."""

from __future__ import annotations

import pytest

from brandaudit.config import Settings
from brandaudit.model import Confidence, Evidence, Method, PlatformResult, Status
from brandaudit.platforms.registry import load
from brandaudit.selfcheck import CanaryOutcome, judge, random_handle
from tests.conftest import World
from tests.world import platform_fixtures as f
from tests.world import platforms as p
from tests.world.http import Reply, Request

ADAPTERS = load(Settings()).adapters

BLOCKED = Evidence(method="GET", url="https://x.test/a", status_code=429, signal="no verdict")
SHAPE = Evidence(
    method="GET", url="https://x.test/a", status_code=404, signal="signal drift: 404 without"
)
MOVED = Evidence(
    method="GET",
    url="https://x.test/a",
    status_code=301,
    signal="moved: HTTP 301 to https://new.test/a",
)


def _result(handle: str, status: Status, *evidence: Evidence) -> PlatformResult:
    return PlatformResult(
        platform="github", platform_name="GitHub", handle=handle, status=status,
        confidence=Confidence.HIGH, method=Method.PUBLIC_API, reason=f"{handle} {status.value}",
        evidence=evidence,
    )  # fmt: skip


# Platforms that decide only a handle the brand's own website links to: a canary, checked as
# a typed handle, could never read claimed there, so they name none (and say why).
NO_CANARY = {"whatsapp-channel"}


@pytest.mark.parametrize("adapter_id", sorted(ADAPTERS.keys() - NO_CANARY))
def test_every_builtin_has_a_canary_with_provenance_and_a_random_name(adapter_id: str) -> None:
    adapter = ADAPTERS[adapter_id]
    assert adapter.canary, adapter_id
    assert adapter.canary_source, adapter_id
    assert adapter.handle_problem(adapter.normalise_handle(adapter.canary)) is None
    name = random_handle(adapter)
    assert name is not None and adapter.handle_problem(name) is None
    assert name != adapter.normalise_handle(adapter.canary)


def test_which_adapters_can_say_available() -> None:
    bare = Settings()
    never = {a for a, adapter in ADAPTERS.items() if not adapter.can_say_available(bare)}
    assert {"threads", "tiktok", "facebook", "linkedin"} <= never
    assert not never & {"github", "x", "reddit", "twitch", "youtube", "bluesky"}
    with_tokens = Settings.model_validate(
        {"credentials": {"facebook_access_token": "a|b", "linkedin_access_token": "t"}}
    )
    assert ADAPTERS["facebook"].can_say_available(with_tokens)
    assert ADAPTERS["linkedin"].can_say_available(with_tokens)
    assert not ADAPTERS["threads"].can_say_available(with_tokens)


@pytest.mark.parametrize(
    ("canary", "random", "expects", "outcome", "words"),
    [
        ((Status.CLAIMED,), (Status.AVAILABLE,), True, CanaryOutcome.OK, "available"),
        ((Status.CLAIMED,), (Status.UNKNOWN, SHAPE), False, CanaryOutcome.OK, "never says"),
        (
            (Status.CLAIMED,),
            (Status.UNKNOWN, SHAPE),
            True,
            CanaryOutcome.DRIFT,
            "lost its available signal",
        ),
        ((Status.CLAIMED,), (Status.UNKNOWN, BLOCKED), True, CanaryOutcome.UNDECIDED, "zqabc"),
        ((Status.CLAIMED,), (Status.UNKNOWN, MOVED), True, CanaryOutcome.DRIFT, "new.test"),
        ((Status.CLAIMED,), (Status.UNKNOWN, MOVED), False, CanaryOutcome.DRIFT, "moved"),
        ((Status.CLAIMED,), (Status.RESERVED,), True, CanaryOutcome.DRIFT, "lost its available"),
        ((Status.CLAIMED,), (Status.AVAILABLE,), False, CanaryOutcome.DRIFT, "never say"),
        ((Status.AVAILABLE,), (Status.AVAILABLE,), True, CanaryOutcome.DRIFT, "known account"),
        ((Status.INVALID,), (Status.AVAILABLE,), True, CanaryOutcome.DRIFT, "known account"),
        ((Status.CLAIMED,), (Status.CLAIMED,), True, CanaryOutcome.DRIFT, "never-registered"),
        ((Status.UNKNOWN, BLOCKED), (Status.UNKNOWN,), True, CanaryOutcome.UNDECIDED, "torvalds"),
        ((Status.UNKNOWN, MOVED), (Status.UNKNOWN,), True, CanaryOutcome.DRIFT, "new.test/a"),
        (
            (Status.UNKNOWN, SHAPE),
            (Status.AVAILABLE,),
            True,
            CanaryOutcome.DRIFT,
            "doesn't recognise",
        ),
        ((Status.UNKNOWN, SHAPE), (Status.CLAIMED,), True, CanaryOutcome.DRIFT, "never-registered"),
    ],
)
def test_judge(
    canary: tuple[Status, ...],
    random: tuple[Status, ...],
    expects: bool,
    outcome: CanaryOutcome,
    words: str,
) -> None:
    result = judge(
        ADAPTERS["github"],
        _result("torvalds", canary[0], *canary[1:]),  # type: ignore[arg-type]
        _result("zqabc", random[0], *random[1:]),  # type: ignore[arg-type]
        expects,
    )
    assert result.outcome is outcome, result.note
    assert words in result.note
    if "new.test" in words:
        assert result.location == "https://new.test/a"


@pytest.mark.e2e
def test_selfcheck_through_the_cli(world: World) -> None:
    p.github_user(world.http, "torvalds", kind="User")
    world.http.route_prefix(
        p.GITHUB, "/users/zq",
        Reply.json({"message": "Not Found", "documentation_url": "x", "status": "404"}, 404),
    )  # fmt: skip
    ok = world.run("selfcheck", "-p", "github", "-f", "json")
    assert ok.code == 0, ok.stderr
    (row,) = ok.json()["platforms"]
    assert row["outcome"] == "ok"
    assert row["canary"]["status"] == "claimed" and row["random"]["status"] == "available"
    assert row["expects_available"] is True and row["canary_source"]

    # The platform changed its not-found answer into something that reads as an account.
    world.http.route_prefix(
        p.GITHUB, "/users/zq", Reply.json({"login": "zq", "type": "User", "id": 2})
    )
    world.http.route(p.GITHUB, "/users/torvalds", Reply.json({"message": "Not Found"}, 404))
    drift = world.run("selfcheck", "-p", "github")
    assert drift.code == 1, drift.stderr
    assert "DRIFT" in drift.stdout

    world.http.route(p.GITHUB, "/users/torvalds", Reply(status=429))
    world.http.route_prefix(p.GITHUB, "/users/zq", Reply(status=429))
    undecided = world.run("selfcheck", "-p", "github")
    assert undecided.code == 3
    assert "UNDECIDED" in undecided.stdout


@pytest.mark.e2e
def test_selfcheck_reports_a_moved_host_as_drift_with_the_new_location(world: World) -> None:
    # The platform moved its API to another host: every path answers 301 there.
    world.http.route_prefix(
        f.THREADS, "/", Reply.redirect("https://www.threads.example/moved", 301)
    )
    result = world.run("selfcheck", "-p", "threads", "-f", "json")
    assert result.code == 1, result.stderr
    (row,) = result.json()["platforms"]
    assert row["outcome"] == "drift", row["note"]
    assert row["location"] == "https://www.threads.example/moved"
    assert "moved" in row["note"]

    table = world.run("selfcheck", "-p", "threads")
    assert table.code == 1
    assert "DRIFT" in table.stdout and "threads.example" in table.stdout.replace("\n", "")


@pytest.mark.e2e
def test_selfcheck_reports_a_lost_available_signal_as_drift(world: World) -> None:
    # The canary still reads claimed, but the never-registered name now gets a not-found
    # answer without the marker the adapter needs: it can never say available any more.
    p.github_user(world.http, "torvalds", kind="User")
    world.http.route_prefix(p.GITHUB, "/users/zq", Reply.json({"message": "Gone"}, 404))
    result = world.run("selfcheck", "-p", "github", "-f", "json")
    assert result.code == 1, result.stderr
    (row,) = result.json()["platforms"]
    assert row["outcome"] == "drift"
    assert "lost its available signal" in row["note"]
    assert row["canary"]["status"] == "claimed" and row["random"]["status"] == "unknown"


@pytest.mark.e2e
def test_selfcheck_never_available_adapter_is_ok_without_available(world: World) -> None:
    # TikTok never says available: the canary claimed and a random name unknown is ok.
    claimed = Reply.json(
        {"type": "rich", "author_url": "https://www.tiktok.com/@tiktok", "author_name": "TikTok"}
    )
    missing = Reply.json({"code": 400, "message": "Something went wrong"}, 400)

    def oembed(request: Request) -> Reply:
        return claimed if (request.arg("url") or "").endswith("/@tiktok") else missing

    world.http.route(f.TIKTOK, "/oembed", oembed)
    world.http.route_prefix(f.TIKTOK, "/embed/@zq", Reply.html("<title>TikTok</title>", 400))
    result = world.run("selfcheck", "-p", "tiktok", "-f", "json")
    assert result.code == 0, result.stderr
    (row,) = result.json()["platforms"]
    assert row["expects_available"] is False
    assert row["outcome"] == "ok", row["note"]
    assert row["random"]["status"] == "unknown"


def test_unknown_platform_is_a_usage_error(world: World) -> None:
    result = world.run("selfcheck", "-p", "myspace")
    assert result.code == 2
    assert "unknown platform" in result.stderr


@pytest.mark.e2e
def test_selfcheck_reads_medium_sign_in_wall_as_blocked_not_drift(world: World) -> None:
    # Medium sends anonymous readers to its own sign-in page: that wall says nothing about the
    # platform's signals, so it is UNDECIDED (blocked), not a moved host (DRIFT).
    world.http.route_prefix(
        f.MEDIUM, "/@", Reply.redirect("https://medium.com/m/signin?operation=login&redirect=x")
    )
    world.http.route(f.MEDIUM, "/m/signin", Reply.html("<title>Sign in - Medium</title>"))
    result = world.run("selfcheck", "-p", "medium", "-f", "json")
    assert result.code == 3, result.stderr
    (row,) = result.json()["platforms"]
    assert row["outcome"] == "undecided", row["note"]


@pytest.mark.parametrize("adapter_id", sorted(NO_CANARY))
def test_declared_link_only_platforms_name_no_canary_and_say_why(adapter_id: str) -> None:
    adapter = ADAPTERS[adapter_id]
    assert adapter.canary is None
    assert adapter.canary_source and "own link" in adapter.canary_source
    assert not adapter.can_say_available(Settings())


@pytest.mark.e2e
def test_selfcheck_reports_no_canary_for_whatsapp_channels(world: World) -> None:
    result = world.run("selfcheck", "-p", "whatsapp-channel", "-f", "json")
    assert result.code == 0, result.stderr
    (row,) = result.json()["platforms"]
    assert row["outcome"] == "no_canary"
    assert world.http.requests == []


@pytest.mark.parametrize(
    ("platform", "env", "host", "path", "reply"),
    [
        (
            "linkedin",
            {"BRANDAUDIT_LINKEDIN_ACCESS_TOKEN": "li"},
            f.LINKEDIN_API,
            "/rest/organizations",
            Reply.json({"status": 426, "code": "NONEXISTENT_VERSION", "message": "x"}, 426),
        ),
        (
            "facebook",
            {"BRANDAUDIT_FACEBOOK_ACCESS_TOKEN": "app|secret"},
            f.FACEBOOK_GRAPH,
            "/v24.0/",
            Reply.json({"error": {"message": "(#2635) deprecated version", "code": 2635}}, 400),
        ),
    ],
)
def test_selfcheck_reports_an_api_version_the_platform_refuses_as_drift(
    world: World, platform: str, env: dict[str, str], host: str, path: str, reply: Reply
) -> None:
    # docs/platforms.md: LinkedIn's sunset versions answer 426, Graph's expired ones an error
    # code; either means brandaudit must be updated: DRIFT, never "blocked" or "ok".
    world.http.route_prefix(host, path, reply)
    result = world.run("selfcheck", "-p", platform, "-f", "json", **env)
    assert result.code == 1, result.stderr
    (row,) = result.json()["platforms"]
    assert row["outcome"] == "drift", row["note"]
    assert "version" in row["note"]
