"""User-defined platforms: validation (key and line in every error) and the two-signal rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandaudit.config import Settings, load_file
from brandaudit.errors import ConfigError
from brandaudit.model import Confidence, Status
from brandaudit.platforms import registry
from brandaudit.platforms.base import q
from brandaudit.platforms.custom import PLACEHOLDER, CustomAdapter
from tests.conftest import World
from tests.platforms.conftest import check
from tests.world.http import Reply

HOST = "example.social"
GOOD = """\
[brand]
domain = "acme.com"

[platforms.examplesocial]
name = "Example Social"
url = "https://example.social/@{handle}"
check_url = "https://example.social/api/users/{handle}"
handle_pattern = "^[a-z0-9_]{3,20}$"
claimed = { status = [200], body_contains = ['"id":'] }
available = { status = [404], body_contains = ['"error":"not_found"'] }
"""


def _load(tmp_path: Path, text: str) -> registry.Registry:
    path = tmp_path / "brandaudit.toml"
    path.write_text(text, encoding="utf-8")
    return registry.load(load_file(path))


def test_a_good_definition_becomes_an_adapter(tmp_path: Path) -> None:
    adapter = _load(tmp_path, GOOD).adapters["examplesocial"]
    assert adapter.name == "Example Social"
    assert adapter.profile_url("acme") == "https://example.social/@acme"
    assert adapter.handle_problem("acme") is None
    assert adapter.handle_problem("a") == "must match ^[a-z0-9_]{3,20}$"
    assert adapter.handle_from_url("https://www.example.social/@Acme_HQ/") == "acme_hq"
    assert adapter.handle_from_url("https://example.social/@acme/post/1") is None
    assert adapter.handle_from_url("https://evil.example/@acme") is None
    assert adapter.handle_from_url("https://user@example.social/@acme") is None


@pytest.mark.parametrize(
    ("line", "replacement", "key", "message"),
    [
        (
            'handle_pattern = "^[a-z0-9_]{3,20}$"',
            'handle_pattern = "^[a-z0-9_{3,20}$"',
            "platforms.examplesocial.handle_pattern",
            "invalid regex",
        ),
        (
            'check_url = "https://example.social/api/users/{handle}"',
            'check_url = "https://{handle}.example.social/"',
            "platforms.examplesocial.check_url",
            "not the host",
        ),
        (
            'check_url = "https://example.social/api/users/{handle}"',
            'check_url = "https://example.social/{handle}/{handle}"',
            "platforms.examplesocial.check_url",
            "exactly once (found 2)",
        ),
        (
            'check_url = "https://example.social/api/users/{handle}"',
            'check_url = "https://example.social/api#{handle}"',
            "platforms.examplesocial.check_url",
            "not the fragment",
        ),
        (
            'url = "https://example.social/@{handle}"',
            'url = "ftp://example.social/@{handle}"',
            "platforms.examplesocial.url",
            "http:// or https://",
        ),
        (
            'url = "https://example.social/@{handle}"',
            'url = "https://example.social/@{handle}?x={other}"',
            "platforms.examplesocial.url",
            "only the {handle} placeholder",
        ),
        (
            'url = "https://example.social/@{handle}"',
            'url = "https://user:pw@example.social/@{handle}"',
            "platforms.examplesocial.url",
            "credentials",
        ),
        (
            'available = { status = [404], body_contains = [\'"error":"not_found"\'] }',
            "available = { status = [429] }",
            "platforms.examplesocial.available.status",
            "describes the requester",
        ),
        (
            "claimed = { status = [200], body_contains = ['\"id\":'] }",
            "claimed = { status = [200], body = ['x'] }",
            "platforms.examplesocial.claimed.body",
            "unknown key",
        ),
        (
            'name = "Example Social"',
            'name = "Example Social"\nicon = "x.png"',
            "platforms.examplesocial.icon",
            "unknown key",
        ),
        (
            "claimed = { status = [200], body_contains = ['\"id\":'] }",
            "",
            "platforms.examplesocial.claimed",
            "Field required",
        ),
        (
            'name = "Example Social"',
            'name = "Example Social"\nheaders = { Host = "internal.example" }',
            "platforms.examplesocial.headers",
            "set by brandaudit itself",
        ),
        (
            "[platforms.examplesocial]",
            "[platforms.github]",
            "platforms.github",
            "already a platform",
        ),
        (
            "[platforms.examplesocial]",
            "[platforms.Example]",
            "platforms.Example",
            "lowercase",
        ),
    ],
)
def test_bad_definitions_name_the_key_and_line(
    tmp_path: Path, line: str, replacement: str, key: str, message: str
) -> None:
    assert line in GOOD
    text = GOOD.replace(line, replacement)
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, text)
    error = info.value
    assert error.key == key
    assert message in str(error)
    assert error.line is not None
    # The line named is the offending table or key (or its table, for a missing key).
    offending = text.splitlines()[error.line - 1]
    last = key.rsplit(".", 1)[-1]
    assert last in offending or "[platforms." in offending
    assert str(error).startswith(f"{tmp_path / 'brandaudit.toml'}:{error.line}: {key}: ")


def _platform(**overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": "Example Social",
        "url": "https://example.social/@{handle}",
        "check_url": "https://example.social/api/users/{handle}",
        "handle_pattern": "^[a-z0-9_]{3,20}$",
        "claimed": {"status": [200], "json_path": "user.id"},
        "available": {"status": [404], "json_path": "error", "json_equals": "not_found"},
    }
    spec.update(overrides)
    return {"examplesocial": spec}


def _user(world: World, reply: Reply) -> None:
    world.http.route(HOST, "/api/users/acme", reply)


def test_claimed_needs_the_whole_signal(world: World) -> None:
    _user(world, Reply.json({"user": {"id": 7, "name": "acme"}}))
    result = check(world, "examplesocial", "acme", platforms=_platform())
    assert result.status is Status.CLAIMED
    assert result.confidence is Confidence.MEDIUM
    assert result.evidence[0].signal is not None
    assert "claimed signal" in result.evidence[0].signal


def test_status_without_its_marker_is_signal_drift(world: World) -> None:
    _user(world, Reply.json({"user": None}))
    result = check(world, "examplesocial", "acme", platforms=_platform())
    assert result.status is Status.UNKNOWN
    assert "signal drift" in result.reason


def test_available_with_a_marker(world: World) -> None:
    _user(world, Reply.json({"error": "not_found"}, 404))
    platforms = _platform(signup_url="https://example.social/join")
    result = check(world, "examplesocial", "acme", platforms=platforms)
    assert result.status is Status.AVAILABLE
    assert result.confidence is Confidence.MEDIUM
    assert result.remediation == "Register 'acme' at https://example.social/join"


def test_a_404_without_the_marker_is_not_available(world: World) -> None:
    _user(world, Reply.text("Not Found", 404))
    result = check(world, "examplesocial", "acme", platforms=_platform())
    assert result.status is Status.UNKNOWN
    assert "signal drift" in result.reason


def test_status_only_available_is_low_confidence(world: World) -> None:
    _user(world, Reply.json({}, 404))
    result = check(world, "examplesocial", "acme", platforms=_platform(available={"status": [404]}))
    assert result.status is Status.AVAILABLE
    assert result.confidence is Confidence.LOW
    assert "status only" in result.reason


def test_overlapping_signals_decide_nothing(world: World) -> None:
    _user(world, Reply.json({"user": {"id": 1}}))
    platforms = _platform(available={"status": [200], "body_contains": ['"user"']})
    result = check(world, "examplesocial", "acme", platforms=platforms)
    assert result.status is Status.UNKNOWN
    assert "both" in result.reason


def test_marker_may_name_the_handle_and_json_value(world: World) -> None:
    _user(world, Reply.json({"profile": {"login": "acme", "state": "active"}}))
    platforms = _platform(
        claimed={
            "status": [200],
            "body_contains": ['"login": "{handle}"'],
            "json_path": "profile.state",
            "json_equals": "active",
        }
    )
    assert check(world, "examplesocial", "acme", platforms=platforms).status is Status.CLAIMED
    _user(world, Reply.json({"profile": {"login": "acme", "state": "deleted"}}))
    assert check(world, "examplesocial", "acme", platforms=platforms).status is Status.UNKNOWN


def test_handle_rule_is_checked_before_any_request(world: World) -> None:
    result = check(world, "examplesocial", "../admin", platforms=_platform())
    assert result.status is Status.INVALID
    assert world.http.requests == []


def test_the_handle_is_percent_encoded_and_cannot_steer_the_url(world: World) -> None:
    platforms = _platform(handle_pattern=".+")
    world.http.route_prefix(HOST, "/", Reply.json({}, 404))
    check(world, "examplesocial", "a/../../admin?x=1#f", platforms=platforms)
    (request,) = world.http.requests_to(HOST)
    assert request.path == "/api/users/a%2F..%2F..%2Fadmin%3Fx%3D1%23f"
    assert request.query == {}


def test_headers_are_sent(world: World) -> None:
    _user(world, Reply.json({"user": {"id": 1}}))
    platforms = _platform(headers={"Accept": "application/json", "X-Api-Version": "2"})
    check(world, "examplesocial", "acme", platforms=platforms)
    assert world.http.requests_to(HOST)[0].headers["x-api-version"] == "2"


def test_blocked_and_challenge_answers_are_unknown(world: World) -> None:
    # Even a user who (wrongly) calls a 200 "available" gets no verdict from a challenge page.
    platforms = _platform(available={"status": [200]}, claimed={"status": [201]})
    _user(world, Reply.html("<title>Just a moment...</title>", 200))
    result = check(world, "examplesocial", "acme", platforms=platforms)
    assert result.status is Status.UNKNOWN
    assert "challenge" in result.reason


@pytest.mark.e2e
def test_cli_runs_a_user_defined_platform_from_the_config(world: World, tmp_path: Path) -> None:
    (tmp_path / "brandaudit.toml").write_text(GOOD, encoding="utf-8")
    world.http.route(HOST, "/api/users/acme", Reply.json({"id": 42, "username": "acme"}))
    listed = world.run("platforms", "-f", "json", cwd=tmp_path)
    assert listed.code == 0, listed.stderr
    ids = [p["id"] for p in listed.json()["platforms"]]
    assert "examplesocial" in ids
    result = world.run("check", "-p", "examplesocial", "-f", "json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    (row,) = result.json()["brands"][0]["platforms"]
    assert row["platform"] == "examplesocial"
    assert row["status"] == "claimed"
    assert row["url"] == "https://example.social/@acme"
    assert row["evidence"][0]["url"] == "https://example.social/api/users/acme"

    (tmp_path / "brandaudit.toml").write_text(
        GOOD.replace("/api/users/{handle}", "/api/users"), encoding="utf-8"
    )
    broken = world.run("check", "-p", "examplesocial", cwd=tmp_path)
    assert broken.code == 2
    assert broken.stdout == ""
    assert broken.stderr.strip().splitlines() == [
        f"brandaudit: error: {tmp_path / 'brandaudit.toml'}:7: platforms.examplesocial."
        "check_url: must contain {handle} exactly once (found 0)"
    ]
    assert "Traceback" not in broken.stderr


@given(st.text(min_size=1, max_size=40).filter(lambda s: s.strip(".") and "\x00" not in s))
def test_no_handle_can_leave_its_path_segment(handle: str) -> None:
    settings = Settings.model_validate({"platforms": _platform(handle_pattern=".+")})
    adapter = registry.load(settings).adapters["examplesocial"]
    assert isinstance(adapter, CustomAdapter)
    url = adapter.check_template.replace(PLACEHOLDER, q(handle))
    parts = urlsplit(url)
    assert parts.hostname == "example.social"
    assert parts.path.startswith("/api/users/")
    assert "/" not in parts.path.removeprefix("/api/users/")
    assert parts.query == ""
    assert parts.fragment == ""
    assert unquote(parts.path.removeprefix("/api/users/")) == handle
