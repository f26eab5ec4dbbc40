"""End-to-end: each change kind, from two runs of ``brandaudit check`` against a world that
answers differently the second time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bluesky.scenario import Bsky
from tests.conftest import World
from tests.history.helpers import GH_MASTODON, check, history, homepage, kinds
from tests.world import platforms as p
from tests.world.http import Reply

pytestmark = pytest.mark.e2e


def _again(world: World) -> None:
    world.http.reset()
    world.dns.reset()


def test_lost_and_score_changed_fail_by_default(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    p.github_user(world.http, "acme")
    p.mastodon_account(world.http, "acme")
    first = check(world, db, "acme.com", *GH_MASTODON, "--save", "-f", "json")
    assert first.code == 0, first.stderr
    assert "changes" not in first.json()["brands"][0]  # no baseline: nothing compared
    assert "saved run 1 (1 brand(s))" in first.stderr
    _again(world)
    p.github_not_found(world.http, "acme")  # the account is gone
    p.mastodon_account(world.http, "acme")
    second = check(world, db, "acme.com", *GH_MASTODON, "--baseline", "last", "-f", "json")
    assert second.code == 1, second.stderr  # default --fail-on-change: lost,bluesky_changed
    found = kinds(second)
    lost = found["github", "lost"]
    assert (lost["before"], lost["after"], lost["regression"]) == ("claimed", "available", True)
    assert lost["handle"] == "acme"
    score = found[None, "score_changed"]
    assert (score["before"], score["after"], score["regression"]) == ("100", "50", True)
    assert set(found) == {("github", "lost"), (None, "score_changed")}
    assert "2 change(s) since the baseline: lost 1, score_changed 1" in second.stderr
    # Not saved without --save: the store still holds one run.
    assert [r["run"] for r in history(world, db)] == [1]


def test_taken_is_not_held_to_claimed_without_ownership(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    p.github_user(world.http, "acme")
    p.mastodon_not_found(world.http)
    assert check(world, db, "acme.com", *GH_MASTODON, "--save").code == 0
    _again(world)
    p.github_user(world.http, "acme")
    p.mastodon_account(world.http, "acme")  # somebody registered it; nothing links it to us
    result = check(world, db, "acme.com", *GH_MASTODON, "--baseline", "last", "-f", "json")
    assert result.code == 0, result.stderr  # taken is not in the default --fail-on-change
    found = kinds(result)
    taken = found["mastodon", "taken"]
    assert (taken["before"], taken["after"], taken["regression"]) == ("available", "claimed", True)
    assert "gained" not in {k for _, k in found}
    failing = check(
        world, db, "acme.com", *GH_MASTODON, "--baseline", "last", "--fail-on-change", "taken"
    )
    assert failing.code == 1, failing.stderr


def test_gained_and_declared_link_added(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    world.http.route("acme.com", "/", homepage())
    p.github_not_found(world.http, "acme")
    assert check(world, db, "acme.com", "-p", "github", "--save").code == 0
    _again(world)
    # The brand registered the name, links it from its website, and the profile links back.
    world.http.route("acme.com", "/", homepage(same_as=("https://github.com/acme",)))
    p.github_user(world.http, "acme", blog="https://www.acme.com/")
    result = check(world, db, "acme.com", "-p", "github", "--baseline", "last", "-f", "json")
    assert result.code == 0, result.stderr
    found = kinds(result)
    gained = found["github", "gained"]
    assert (gained["before"], gained["after"], gained["regression"]) == (
        "available",
        "claimed",
        False,
    )
    link = found["github", "declared_link_changed"]
    assert (link["before"], link["after"], link["regression"]) == ("absent", "linked", False)
    assert ("github", "taken") not in found


def test_ownership_changed_and_declared_link_dropped(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    world.http.route("acme.com", "/", homepage(same_as=("https://github.com/acme",)))
    p.github_user(world.http, "acme", blog="https://www.acme.com/")
    first = check(world, db, "acme.com", "-p", "github", "--save", "-f", "json")
    assert first.json()["brands"][0]["platforms"][0]["ownership"]["status"] == "verified"
    _again(world)
    world.http.route("acme.com", "/", homepage())  # the website dropped the link...
    p.github_user(world.http, "acme")  # ...and so did the profile
    result = check(world, db, "acme.com", "-p", "github", "--baseline", "last", "-f", "json")
    assert result.code == 0, result.stderr
    found = kinds(result)
    owner = found["github", "ownership_changed"]
    assert (owner["before"], owner["after"], owner["regression"]) == (
        "verified",
        "unconfirmed",
        True,
    )
    dropped = found["github", "declared_link_changed"]
    assert (dropped["before"], dropped["after"], dropped["regression"]) == (
        "linked",
        "dropped",
        True,
    )
    code = check(
        world,
        db,
        "acme.com",
        "-p",
        "github",
        "--baseline",
        "last",
        "--fail-on-change",
        "ownership_changed,declared_link_changed",
    ).code
    assert code == 1


def test_bluesky_changed_fails_by_default(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    Bsky(world).healthy(dns=True)
    first = check(world, db, "acme.com", "-p", "bluesky", "--save", "-f", "json")
    assert first.json()["brands"][0]["bluesky_domain"]["status"] == "verified", first.stdout
    _again(world)
    Bsky(world).site()  # after a DNS migration: no _atproto record, no file
    result = check(world, db, "acme.com", "-p", "bluesky", "--baseline", "last", "-f", "json")
    assert result.code == 1, result.stderr
    change = kinds(result)["bluesky", "bluesky_changed"]
    assert (change["before"], change["after"], change["regression"]) == (
        "verified",
        "not_configured",
        True,
    )
    assert change["handle"] == "acme.com"


@pytest.mark.parametrize("status", [429, 503])
def test_unknown_after_decided_is_could_not_recheck_never_lost(
    world: World, tmp_path: Path, status: int
) -> None:
    db = tmp_path / "h.sqlite3"
    p.github_user(world.http, "acme")
    assert check(world, db, "acme.com", "-p", "github", "--save").code == 0
    _again(world)
    world.http.route(p.GITHUB, "/users/acme", Reply(status=status))
    result = check(
        world,
        db,
        "acme.com",
        "-p",
        "github",
        "--baseline",
        "last",
        "--fail-on-change",
        "lost,taken,ownership_changed,bluesky_changed,score_changed",
        "-f",
        "json",
    )
    assert result.code == 0, result.stderr
    found = kinds(result)
    assert set(found) == {("github", "not_rechecked")}
    change = found["github", "not_rechecked"]
    assert change["regression"] is False
    assert "could not re-check" in change["message"]
    assert (
        check(
            world, db, "acme.com", "-p", "github", "--baseline", "last", "--fail-on-change", "lost"
        ).code
        == 0
    )


def test_baseline_from_a_json_report_file(world: World, tmp_path: Path) -> None:
    db = tmp_path / "never.sqlite3"
    report = tmp_path / "last.json"
    p.github_user(world.http, "acme")
    assert world.run("check", "acme.com", "-p", "github", "-o", str(report)).code == 0
    _again(world)
    p.github_not_found(world.http, "acme")
    result = check(world, db, "acme.com", "-p", "github", "--baseline", str(report), "-f", "json")
    assert result.code == 1, result.stderr
    assert ("github", "lost") in kinds(result)
    assert not db.exists()  # a file baseline needs no store


def test_baseline_from_jsonl_while_streaming_and_saving(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    base, out = tmp_path / "base.jsonl", tmp_path / "now.jsonl"
    brands = tmp_path / "brands.txt"
    brands.write_text("acme.com\nexample.org\n")
    p.github_user(world.http, "acme")
    p.github_user(world.http, "example")
    first = world.run("check", "-i", str(brands), "-p", "github", "-o", str(base))
    assert first.code == 0, first.stderr
    _again(world)
    p.github_not_found(world.http, "acme")
    p.github_user(world.http, "example")
    args = ("-i", str(brands), "-p", "github", "--baseline", str(base), "--save", "-o", str(out))
    result = check(world, db, *args)
    assert result.code == 1, result.stderr
    rows = {b["domain"]: b for b in map(json.loads, out.read_text().splitlines())}
    assert [c["kind"] for c in rows["acme.com"]["changes"]] == ["lost", "score_changed"]
    assert "changes" not in rows["example.org"]
    assert "saved run 1 (2 brand(s))" in result.stderr
    assert history(world, db, "example.org")[0]["score"] == 100
    assert history(world, db, "acme.com")[0]["counts"] == {"available": 1}


def test_no_earlier_result_is_no_change(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    p.github_user(world.http, "acme")
    result = check(world, db, "acme.com", "-p", "github", "--baseline", "last", "-f", "json")
    assert result.code == 0, result.stderr
    assert "nothing to compare" in result.stderr
    assert "changes" not in result.json()["brands"][0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--fail-on-change", "lost"], "needs --baseline"),
        (["--baseline", "last", "--fail-on-change", "vanished"], "unknown change kind"),
        (["--baseline", "missing.json"], "file not found"),
    ],
)
def test_bad_history_options_exit_2_before_any_request(
    world: World, tmp_path: Path, args: list[str], needle: str
) -> None:
    result = check(world, tmp_path / "h.sqlite3", "acme.com", "-p", "github", *args)
    assert result.code == 2, result.stderr
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert world.http.requests_to(p.GITHUB) == []


def test_a_saved_run_keeps_the_configs_claims(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    config = tmp_path / "brandaudit.toml"
    config.write_text(
        '[brand]\ndomain = "acme.com"\ndiscover = false\n\n[claims]\ngithub = "acme"\n'
    )
    p.github_user(world.http, "acme")
    result = check(world, db, "-c", str(config), "-p", "github", "--save")
    assert result.code == 0, result.stderr
    (run,) = history(world, db)
    assert run["claims"] == {"github": "acme"}
    assert run["source"] == "check"
    assert run["score"] == 100
