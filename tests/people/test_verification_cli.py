"""End-to-end on the loopback world: the brand's verification of a person, judged by
Bluesky's validity rule (the record's ``handle`` and ``displayName`` equal the person's
current ones), the AppView's own verdict winning when it gives one, never answered from the
HTTP cache, and the verdict kept on an 80-column People line (issue 28)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult, World
from tests.people.world import BOB_DID, BRAND_DID, BskyAccount, People

pytestmark = pytest.mark.e2e

CONFIG = """
[brand]
domain = "acme.com"
handles = ["acme"]
discover = false

[[people]]
name = "Bob Builder"
handles = { bluesky = "bob.acme.com" }
"""

RECORD_URI = f"at://{BRAND_DID}/app.bsky.graph.verification/3lnd0"


def _world(world: World, *, record: dict[str, Any] | None = None, **bob: Any) -> People:
    """The brand acme.com (a verified domain handle) and Bob at bob.acme.com, "Bob Builder".
    ``record``: the brand's verification record of Bob (its ``value``); ``bob``: Bob's
    account as it is now."""
    people = People(world)
    people.account(BskyAccount(BRAND_DID, "acme.com", "Acme"))
    people.account(
        BskyAccount(
            BOB_DID, bob.pop("handle", "bob.acme.com"), bob.pop("name", "Bob Builder"), **bob
        )
    )
    if record is not None:
        people.verifications[BRAND_DID] = [
            {
                "subject": BOB_DID,
                "handle": "bob.acme.com",
                "displayName": "Bob Builder",
                "createdAt": "2026-01-02T03:04:05.000Z",
                **record,
            }
        ]
    people.install()
    return people


def _check(
    world: World, tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> CliResult:
    path = tmp_path / "brandaudit.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return world.run("check", "-c", str(path), "-p", "bluesky", *args, env=env)


def _verification(result: CliResult) -> dict[str, Any]:
    assert result.stdout, result.stderr
    person = result.json()["brands"][0]["people"][0]
    found: dict[str, Any] = person["bluesky"]["verification"]
    return found


def _steps(result: CliResult) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = result.json()["brands"][0]["next_steps"]
    return steps


def test_a_matching_record_is_issued_by_bluesky_s_rule(world: World, tmp_path: Path) -> None:
    """The AppView is silent (the brand isn't a trusted verifier): brandaudit applies the
    rule itself, and the record matches."""
    _world(world, record={})
    result = _check(world, tmp_path, "-f", "json")
    verification = _verification(result)
    assert verification["status"] == "issued"
    assert verification["judged_by"] == "brandaudit"
    assert verification["appview_valid"] is None
    assert verification["record_uri"] == RECORD_URI
    assert verification["mismatches"] == [] and verification["fix"] is None
    assert not any("Bluesky" in s["title"] and "Verify" in s["title"] for s in _steps(result))
    table = _check(world, tmp_path)
    assert "verified by the brand" in table.stdout


@pytest.mark.parametrize(
    ("record", "bob", "changed", "fix"),
    [
        (
            {"handle": "bob.bsky.social"},
            {},
            "the record names @bob.bsky.social, the account is now @bob.acme.com",
            "write a new one naming @bob.acme.com",
        ),
        (
            {},
            {"name": "Bob B. Builder"},
            'the record names the display name "Bob Builder", the account\'s is now '
            '"Bob B. Builder"',
            'write a new one naming display name "Bob B. Builder"',
        ),
    ],
    ids=["old-handle", "display-name-changed"],
)
def test_a_record_bluesky_would_not_count_is_not_verified(
    world: World,
    tmp_path: Path,
    record: dict[str, Any],
    bob: dict[str, Any],
    changed: str,
    fix: str,
) -> None:
    _world(world, record=record, **bob)
    result = _check(world, tmp_path, "-f", "json")
    assert result.code == 0, result.stderr  # a person's verification is advice, not a claim
    verification = _verification(result)
    assert verification["status"] == "invalid"
    assert verification["judged_by"] == "brandaudit"
    assert changed in verification["reason"]
    assert verification["fix"].startswith(
        f"Re-verify Bob Builder from the brand's account: delete the record {RECORD_URI}"
    )
    assert fix in verification["fix"]
    step = next(s for s in _steps(result) if s["title"] == "Verify Bob Builder again on Bluesky")
    assert changed in step["detail"] and fix in step["detail"]
    table = _check(world, tmp_path)
    assert "verified by the brand" not in table.stdout
    assert "brand verification not valid (" in table.stdout
    assert "Verify Bob Builder again on Bluesky" in table.stdout


def test_the_appview_s_own_verdict_wins_and_is_shown_as_such(world: World, tmp_path: Path) -> None:
    """The record matches Bob's profile, but the AppView rates it ``isValid: false``: its
    verdict is the answer (it knows of an impersonation label or a newer state)."""
    _world(world, record={}, verified_by=[(BRAND_DID, False)])
    result = _check(world, tmp_path, "-f", "json")
    verification = _verification(result)
    assert verification["status"] == "invalid"
    assert (verification["judged_by"], verification["appview_valid"]) == ("appview", False)
    assert verification["reason"].startswith("Bluesky's app view says")
    assert verification["fix"]
    # Told once: the brand's record and its fix, not again by Bob's domain check.
    titles = [s["title"] for s in _steps(result)]
    assert "Verify Bob Builder again on Bluesky" in titles
    assert not any("blue check" in t for t in titles), titles
    table = _check(world, tmp_path)
    assert "brand verification not valid (Bluesky's verdict)" in table.stdout
    # And its "valid" wins too, even over a record brandaudit would not count.
    _world(world, record={"handle": "bob.bsky.social"}, verified_by=[(BRAND_DID, True)])
    valid = _verification(_check(world, tmp_path, "-f", "json"))
    assert (valid["status"], valid["judged_by"]) == ("issued", "appview")
    assert "verified by the brand (valid on Bluesky)" in _check(world, tmp_path).stdout


def _cached_env(world: World) -> dict[str, str]:
    env = world.env()
    del env["BRANDAUDIT_NO_CACHE"]
    return env


def test_create_then_run_with_the_cache_on_reads_the_new_record(
    world: World, tmp_path: Path
) -> None:
    people = _world(world)
    env = _cached_env(world)
    cache = ("--cache-dir", str(tmp_path / "cache"))
    first = _verification(_check(world, tmp_path, "-f", "json", *cache, env=env))
    assert first["status"] == "not_issued"
    people.verifications[BRAND_DID] = [BOB_DID]  # the brand verifies Bob
    second = _verification(_check(world, tmp_path, "-f", "json", *cache, env=env))
    assert second["status"] == "issued"
    assert not any(e.get("cached") for e in second["evidence"])
    assert any((tmp_path / "cache").rglob("*")), "the cache was on"


def test_run_then_delete_with_the_cache_on_reads_the_deletion(world: World, tmp_path: Path) -> None:
    people = _world(world, record={})
    env = _cached_env(world)
    cache = ("--cache-dir", str(tmp_path / "cache"))
    first = _verification(_check(world, tmp_path, "-f", "json", *cache, env=env))
    assert first["status"] == "issued"
    people.verifications[BRAND_DID] = []  # the brand deletes its record
    second = _verification(_check(world, tmp_path, "-f", "json", *cache, env=env))
    assert second["status"] == "not_issued"
    # The brand verifies Bob again; he renames himself after a cached run: his profile is
    # read again too.
    people.verifications[BRAND_DID] = [
        {"subject": BOB_DID, "handle": "bob.acme.com", "displayName": "Bob Builder"}
    ]
    assert _verification(_check(world, tmp_path, "-f", "json", *cache, env=env))["status"] == (
        "issued"
    )
    people.bsky[BOB_DID].display_name = "Robert Builder"
    renamed = _verification(_check(world, tmp_path, "-f", "json", *cache, env=env))
    assert renamed["status"] == "invalid"
    # Nothing Bluesky-identity was served from the cache in any of these runs.
    paths = [r.path for r in world.http.requests_to("public.api.bsky.app")]
    assert paths.count("/xrpc/app.bsky.actor.getProfile") >= 4


def test_the_verdict_fits_an_80_column_people_line(world: World, tmp_path: Path) -> None:
    _world(world, record={"handle": "bob.bsky.social"}, website="https://acme.com/team/bob")
    table = _check(world, tmp_path, env=world.env(COLUMNS="80"))
    lines = table.stdout.splitlines()
    start = lines.index("People")
    person = lines[start + 1 : start + 6]
    assert person[0] == "Bob Builder"
    assert person[1].startswith("  Bluesky bob.acme.com claimed brand verification not valid")
    assert "(handle changed)" in person[1]
    assert all(len(line) <= 80 for line in lines)
    # The other notes are wrapped below it, not cut.
    rest = " ".join(person[2:])
    assert "domain handle verified" in rest and "under the brand's domain" in rest
