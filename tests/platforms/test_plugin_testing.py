"""``brandaudit.plugin.testing``: the kit a plugin's tests use instead of brandaudit's internals."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from brandaudit.model import Cause
from brandaudit.plugin import (
    Confidence,
    HandleRule,
    Method,
    Outcome,
    Signal,
    SignalAdapter,
    Status,
)
from brandaudit.plugin.testing import Loopback, run_check, settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plugin"


class Tiny(SignalAdapter):
    id = "tiny"
    name = "Tiny"
    methods: ClassVar[tuple[Method, ...]] = (Method.PUBLIC_API,)
    rule = HandleRule(r"[a-z]{3,10}", "3-10 letters")
    profile_template = "https://tiny.example/@{handle}"
    check_template = "https://api.tiny.example/users/{handle}"
    json_answer = True
    outcomes: ClassVar[tuple[Outcome, ...]] = (
        Outcome(Signal.of(200, json_path="user"), Status.CLAIMED, Confidence.HIGH, "{handle}"),
        Outcome(
            Signal.of(404, json_path="error", json_equals="nope"),
            Status.AVAILABLE,
            Confidence.MEDIUM,
            "{handle} is free",
        ),
    )


def test_a_check_over_the_loopback_server_goes_through_the_network_core() -> None:
    with Loopback() as server:
        server.route("api.tiny.example", "/users/acme", 200, {"user": {"id": 1}})
        server.route("api.tiny.example", "/users/free", 404, {"error": "nope"})
        server.route("api.tiny.example", "/users/busy", 429, {"error": "slow down"})
        found = {h: run_check(Tiny(), h, server.settings()) for h in ("ACME", "free", "busy")}
    assert {h: v.status for h, (v, _) in found.items()} == {
        "ACME": Status.CLAIMED,  # normalised to acme first, as a run does
        "free": Status.AVAILABLE,
        "busy": Status.UNKNOWN,
    }
    assert found["busy"][0].cause is Cause.RATE_LIMITED
    _, ctx = found["ACME"]
    assert [(e.method, e.url, e.status_code) for e in ctx.evidence] == [
        ("GET", "https://api.tiny.example/users/acme", 200)
    ]
    assert ("GET", "api.tiny.example", "/users/acme") in server.requests


def test_an_unrouted_path_answers_404_and_the_server_stops() -> None:
    with Loopback() as server:
        verdict, _ = run_check(Tiny(), "ghost", server.settings())
        origin = server.origin
    assert verdict.status is Status.UNKNOWN  # a bare 404 is not the platform's "not found"
    assert origin.startswith("http://127.0.0.1:")


def test_settings_pick_the_engine_mocking_libraries_see() -> None:
    assert settings().network.engine == "httpx"
    assert settings(deadline=2).network.deadline == 2


def test_the_example_plugin_and_its_tests_import_only_the_plugin_surface() -> None:
    sources = [*EXAMPLE.joinpath("src").rglob("*.py"), *EXAMPLE.joinpath("tests").rglob("*.py")]
    assert len(sources) >= 3
    for source in sources:
        text = source.read_text()
        imports = re.findall(r"^\s*(?:from|import)\s+(brandaudit(?:\.\w+)*)(?=\s)", text, re.M)
        assert set(imports) <= {"brandaudit.plugin", "brandaudit.plugin.testing"}, source


def test_github_s_exhausted_rate_limit_is_rate_limited_not_blocked() -> None:
    """HTTP 403 alone reads as a block; GitHub's 403 with x-ratelimit-remaining: 0 is the
    rate limit, and its cause says so (0.1.0 grouped it by the word "rate limit")."""
    from brandaudit.platforms.builtin.github import GitHubAdapter

    with Loopback() as server:
        server.route(
            "api.github.com",
            "/users/acme",
            403,
            {"message": "API rate limit exceeded"},
            {"x-ratelimit-remaining": "0"},
        )
        verdict, _ = run_check(GitHubAdapter(), "acme", server.settings())
    assert (verdict.status, verdict.cause) == (Status.UNKNOWN, Cause.RATE_LIMITED)
