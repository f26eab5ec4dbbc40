"""End-to-end: ``brandaudit`` against the loopback world.

The tests that use ``world.process`` run the installed command as a real process (the exit code
a shell sees, the stdout/stderr split of real pipes, the fast ``--version`` path); the rest call
it in this process (``world.run``), which is the same code without a process start.
"""

from __future__ import annotations

import json
import time

import jsonschema
import pytest

from tests.conftest import World
from tests.world import platforms as p
from tests.world.http import Reply

pytestmark = pytest.mark.e2e


def _by_platform(report: dict) -> dict[str, dict]:
    return {r["platform"]: r for r in report["brands"][0]["platforms"]}


def test_claimed_everywhere_validates_against_schema(world: World) -> None:
    p.bsky_profile(world.http, "acme.bsky.social")
    p.github_user(world.http, "acme")
    p.mastodon_account(world.http, "acme")
    result = world.process(
        "check", "acme.com", "-f", "json", "-p", "bluesky", "-p", "github", "-p", "mastodon"
    )
    assert result.code == 0, result.stderr
    report = result.json()
    schema = json.loads(world.run("schema").stdout)
    jsonschema.validate(report, schema)
    rows = _by_platform(report)
    assert {k: v["status"] for k, v in rows.items()} == {
        "bluesky": "claimed",
        "github": "claimed",
        "mastodon": "claimed",
    }
    assert rows["github"]["evidence"][0]["status_code"] == 200
    assert rows["github"]["evidence"][0]["signal"].startswith("200 with login")
    assert report["brands"][0]["handles"] == ["acme"]
    # The original Host header reached the loopback server through the origin map.
    assert world.http.requests_to("api.github.com")[0].path == "/users/acme"


def test_available_needs_the_platforms_not_found_answer(world: World) -> None:
    p.bsky_not_found(world.http)
    p.github_not_found(world.http, "acme")
    p.mastodon_not_found(world.http)
    result = world.run(
        "check", "acme.com", "-f", "json", "-p", "bluesky", "-p", "github", "-p", "mastodon"
    )
    assert result.code == 0, result.stderr
    rows = _by_platform(result.json())
    assert {k: v["status"] for k, v in rows.items()} == {
        "bluesky": "available",
        "github": "available",
        "mastodon": "available",
    }
    assert all(v["remediation"] for v in rows.values())


@pytest.mark.parametrize("status", [403, 429, 500, 503, 999])
def test_blocked_or_rate_limited_is_never_available(world: World, status: int) -> None:
    reply = Reply.json({"message": "Not Found"}, status, headers={"Retry-After": "3600"})
    world.http.route(p.GITHUB, "/users/acme", reply)
    world.http.route(p.BSKY, "/xrpc/app.bsky.actor.getProfile", reply)
    world.http.route(p.MASTODON, "/api/v1/accounts/lookup", reply)
    result = world.run(
        "check", "acme.com", "-f", "json", "-p", "bluesky", "-p", "github", "-p", "mastodon"
    )
    assert result.code == 0, result.stderr
    rows = _by_platform(result.json())
    assert {v["status"] for v in rows.values()} == {"unknown"}
    assert all(str(status) in v["reason"] for v in rows.values())


def test_unrouted_404_without_marker_is_unknown(world: World) -> None:
    # A CDN-style 404 without the platform's marker must not read as "available".
    result = world.run("check", "acme.com", "-f", "json", "-p", "github", "-p", "mastodon")
    rows = _by_platform(result.json())
    assert {v["status"] for v in rows.values()} == {"unknown"}


def test_server_that_never_answers_ends_within_the_deadline(world: World) -> None:
    world.http.route(p.GITHUB, "/users/acme", Reply(hang=True))
    p.mastodon_account(world.http, "acme")
    started = time.monotonic()
    result = world.run(
        "check",
        "acme.com",
        "-f",
        "json",
        "-p",
        "github",
        "-p",
        "mastodon",
        "--deadline",
        "2",
        "--timeout",
        "1",
    )
    elapsed = time.monotonic() - started
    assert result.code == 0, result.stderr
    rows = _by_platform(result.json())
    assert rows["github"]["status"] == "unknown"
    assert "timed out" in rows["github"]["reason"]
    # The request the deadline cut short is still in the evidence, with its error.
    assert rows["github"]["evidence"][0]["url"] == "https://api.github.com/users/acme"
    assert "timed out" in rows["github"]["evidence"][0]["error"]
    assert rows["mastodon"]["status"] == "claimed"
    assert elapsed < 30  # bounded; the real bound is the deadline, checked loosely here


def test_required_platform_sets_exit_codes(world: World) -> None:
    p.github_user(world.http, "acme")
    p.mastodon_not_found(world.http)
    # In-process for 0 and 3, a real process for 1: the code main() decides is the exit status.
    ok = world.run("check", "acme.com", "-p", "github", "-p", "mastodon", "--require", "github")
    assert ok.code == 0, ok.stderr
    failing = world.process(
        "check", "acme.com", "-p", "github", "-p", "mastodon", "--require", "mastodon"
    )
    assert failing.code == 1
    world.http.route(p.GITHUB, "/users/acme", Reply(status=429))
    undecided = world.run("check", "acme.com", "-p", "github", "--require", "github")
    assert undecided.code == 3


@pytest.mark.parametrize(
    ("args", "needle", "spawn"),
    [
        # A real process for one error of ours and one of the parser's; in-process for the rest.
        (["check", "not a domain"], "not a domain", True),
        (["check", "acme.com", "--format", "nope"], "unknown format", False),
        (["check", "acme.com", "-p", "myspace"], "unknown platform", False),
        (["check", "acme.com", "--bogus"], "No such option", True),
        (["check", "acme.com", "-H", "ac/me"], "contains '/'", False),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    world: World, args: list[str], needle: str, spawn: bool
) -> None:
    result = world.process(*args) if spawn else world.run(*args)
    assert result.code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_table_report_reads_without_colour(world: World) -> None:
    p.github_user(world.http, "acme")
    result = world.process("check", "acme.com", "-p", "github")
    assert result.code == 0
    assert "claimed" in result.stdout
    assert "\x1b[" not in result.stdout


def test_output_file_written_and_stdout_empty(world: World, tmp_path) -> None:
    p.github_user(world.http, "acme")
    target = tmp_path / "report.json"
    result = world.run("check", "acme.com", "-p", "github", "-o", str(target))
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text())["schema_version"] == 1
    assert not [f for f in tmp_path.iterdir() if f.name.endswith(".tmp")]


def test_version_and_platforms(world: World) -> None:
    version = world.process("--version")
    assert version.code == 0 and version.stdout.startswith("brandaudit ")
    listing = world.process("platforms", "-f", "json")
    ids = {row["id"] for row in json.loads(listing.stdout)["platforms"]}
    assert {"bluesky", "github", "mastodon"} <= ids
