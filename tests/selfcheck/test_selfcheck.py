"""Canary self-check: a known account must read as claimed, a random name must not."""

from __future__ import annotations

import pytest

from brandaudit.config import Settings
from brandaudit.model import Confidence, Method, PlatformResult, Status
from brandaudit.platforms.registry import load
from brandaudit.selfcheck import CanaryOutcome, judge, random_handle
from tests.conftest import World
from tests.world import platforms as p
from tests.world.http import Reply

ADAPTERS = load(Settings()).adapters


def _result(handle: str, status: Status) -> PlatformResult:
    return PlatformResult(
        platform="github", platform_name="GitHub", handle=handle, status=status,
        confidence=Confidence.HIGH, method=Method.PUBLIC_API, reason=f"{handle} {status.value}",
    )  # fmt: skip


@pytest.mark.parametrize("adapter_id", sorted(ADAPTERS))
def test_every_builtin_has_a_canary_and_a_random_name_that_fit_its_rule(adapter_id: str) -> None:
    adapter = ADAPTERS[adapter_id]
    assert adapter.canary, adapter_id
    assert adapter.handle_problem(adapter.normalise_handle(adapter.canary)) is None
    name = random_handle(adapter)
    assert name is not None and adapter.handle_problem(name) is None
    assert name != adapter.normalise_handle(adapter.canary)


@pytest.mark.parametrize(
    ("canary", "random", "outcome"),
    [
        (Status.CLAIMED, Status.AVAILABLE, CanaryOutcome.OK),
        (Status.CLAIMED, Status.UNKNOWN, CanaryOutcome.OK),  # never-available platforms
        (Status.AVAILABLE, Status.AVAILABLE, CanaryOutcome.DRIFT),  # the known account "free"
        (Status.INVALID, Status.AVAILABLE, CanaryOutcome.DRIFT),
        (Status.CLAIMED, Status.CLAIMED, CanaryOutcome.DRIFT),  # everything reads as taken
        (Status.UNKNOWN, Status.UNKNOWN, CanaryOutcome.UNDECIDED),
        (Status.UNKNOWN, Status.CLAIMED, CanaryOutcome.DRIFT),
    ],
)
def test_judge(canary: Status, random: Status, outcome: CanaryOutcome) -> None:
    result = judge(ADAPTERS["github"], _result("torvalds", canary), _result("zqabc", random))
    assert result.outcome is outcome, result.note


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


def test_unknown_platform_is_a_usage_error(world: World) -> None:
    result = world.run("selfcheck", "-p", "myspace")
    assert result.code == 2
    assert "unknown platform" in result.stderr
