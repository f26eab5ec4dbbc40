"""End-to-end: ``[[people]]`` and activity through the installed CLI and the loopback world."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult, World
from tests.people.world import (
    ALICE_DID,
    BOB_DID,
    BRAND_DID,
    BskyAccount,
    People,
)
from tests.world import platforms as p
from tests.world.http import Reply

pytestmark = pytest.mark.e2e

CONFIG = """
[brand]
domain = "acme.com"
handles = ["acme"]
dormant_after_days = 180
discover = false

[[people]]
name = "Alice Example"
role = "CEO"
handles = { bluesky = "alice.acme.com", mastodon = "alice@mastodon.social" }
required = ["bluesky"]

[[people]]
name = "Bob Builder"
role = "Sales"
handles = { bluesky = "bob.bsky.social", github = "bobb" }
"""

PLATFORMS = ("-p", "bluesky", "-p", "mastodon", "-p", "github")


def _run(world: World, tmp_path: Path, config: str = CONFIG, *args: str) -> CliResult:
    path = tmp_path / "brandaudit.toml"
    path.write_text(config, encoding="utf-8")
    return world.run("check", "-c", str(path), "-f", "json", *PLATFORMS, *args)


def _scenario(world: World, now: datetime) -> People:
    people = People(world)
    people.account(
        BskyAccount(
            BRAND_DID,
            "acme.com",
            "Acme",
            website="https://acme.com",
            newest=now - timedelta(days=3),
        )
    )
    people.account(
        BskyAccount(
            ALICE_DID,
            "alice.acme.com",
            "Alice Example",
            website="https://acme.com/team/alice",
            newest=now - timedelta(days=180) + timedelta(hours=2),
            verified_by=[(BRAND_DID, True)],
        )
    )
    people.account(
        BskyAccount(
            BOB_DID,
            "bob.bsky.social",
            "Bob Builder",
            website="https://acme.co/",
            newest=now - timedelta(days=180) - timedelta(hours=2),
        ),
        dns=False,
    )
    people.verifications[BRAND_DID] = [ALICE_DID]
    people.toot("acme", (now - timedelta(days=2)).date().isoformat())
    people.toot(
        "alice",
        (now - timedelta(days=400)).date().isoformat(),
        fields=[
            {
                "name": "Site",
                "value": '<a href="https://acme.com.evil.net/" rel="me">acme.com.evil.net</a>',
                "verified_at": "2024-05-01T12:00:00.000+00:00",
            },
            {"name": "Old", "value": '<a href="https://acme.com@evil.net/">acme.com</a>'},
        ],
    )
    people.install()
    p.github_user(world.http, "acme")
    p.github_user(world.http, "bobb", kind="User", blog="https://acme.com.evil.net")
    world.http.route(
        "api.github.com",
        "/users/acme/events/public",
        Reply.json([{"id": "1", "type": "PushEvent", "created_at": "2020-01-01T00:00:00Z"}]),
    )
    world.http.route("api.github.com", "/users/bobb/events/public", Reply.json([]))
    world.http.route("api.github.com", "/users/bobb/repos", Reply.json([]))
    return people


def _brand(result: CliResult) -> dict[str, Any]:
    assert result.stdout, result.stderr
    brand: dict[str, Any] = result.json()["brands"][0]
    return brand


def _person(brand: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in brand["people"] if p["name"] == name)


def _handle(person: dict[str, Any], platform: str) -> dict[str, Any]:
    return next(h for h in person["handles"] if h["platform"] == platform)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_people_bluesky_verification_affiliation_and_activity(world: World, tmp_path: Path) -> None:
    started = datetime.now(UTC)
    _scenario(world, started)
    result = _run(world, tmp_path)
    assert result.code == 0, result.stderr  # Alice's required handle passes
    brand = _brand(result)
    generated = _at(result.json()["generated_at"])
    alice, bob = _person(brand, "Alice Example"), _person(brand, "Bob Builder")

    # Alice: a verified handle under the brand's domain, verified by the brand's account.
    a_bsky = alice["bluesky"]
    assert a_bsky["handle"] == "alice.acme.com"
    assert a_bsky["under_brand_domain"] is True
    assert a_bsky["domain"]["status"] == "verified"
    assert a_bsky["suggested_handle"] is None and a_bsky["setup"] is None
    verification = a_bsky["verification"]
    assert verification["status"] == "issued"
    assert verification["issuer"] == BRAND_DID
    assert verification["appview_valid"] is True
    assert verification["record_uri"].startswith(f"at://{BRAND_DID}/app.bsky.graph.verification/")
    assert any(
        "com.atproto.repo.listRecords" in e["url"] and "app.bsky.graph.verification" in e["url"]
        for e in verification["evidence"]
    )
    assert alice["claims"] == [
        {
            "platform": "bluesky",
            "handle": "alice.acme.com",
            "required": True,
            "outcome": "pass",
            "reason": "Alice Example: alice.acme.com is a verified Bluesky domain handle",
            "config_line": 8,
        }
    ]
    # Bob: a *.bsky.social handle: not under the brand's domain, the exact setup for his DID.
    b_bsky = bob["bluesky"]
    assert b_bsky["under_brand_domain"] is False
    assert b_bsky["domain"] is None
    assert b_bsky["suggested_handle"] == "bob.acme.com"
    assert b_bsky["setup"]["dns"] == {
        "zone": "acme.com",
        "host": "_atproto.bob",
        "fqdn": "_atproto.bob.acme.com.",
        "type": "TXT",
        "value": f"did={BOB_DID}",
    }
    assert b_bsky["setup"]["well_known"]["url"] == "https://bob.acme.com/.well-known/atproto-did"
    assert b_bsky["verification"]["status"] == "not_issued"
    steps = {s["title"]: s for s in brand["next_steps"]}
    setup = steps[
        "Give Bob Builder (Sales) the Bluesky handle bob.acme.com (under the brand's domain)"
    ]
    assert f"_atproto.bob (in acme.com) with the value did={BOB_DID}" in setup["detail"]
    assert "Vouch for Bob Builder (Sales) on Bluesky" in steps
    assert not any("Alice" in t and "Bluesky handle" in t for t in steps)

    # Affiliation: exact links count, look-alikes are named and ignored.
    a_links = {a["platform"]: a for a in alice["affiliations"]}
    assert a_links["bluesky"]["status"] == "linked"
    assert a_links["bluesky"]["links"] == ["profile link: https://acme.com/team/alice"]
    assert a_links["mastodon"]["status"] == "not_linked"
    assert any("acme.com.evil.net is a look-alike" in i for i in a_links["mastodon"]["ignored"])
    b_links = {a["platform"]: a for a in bob["affiliations"]}
    assert b_links["bluesky"]["status"] == "not_linked"
    assert any("acme.co is a look-alike" in i for i in b_links["bluesky"]["ignored"])
    assert b_links["github"]["status"] == "not_linked"
    assert any("look-alike" in i for i in b_links["github"]["ignored"])
    assert "Link Bob Builder's GitHub profile bobb to acme.com" in steps

    # Activity: Bluesky (getProfile counts + newest post) and Mastodon (last_status_at).
    a_post = _handle(alice, "bluesky")["activity"]
    assert a_post["status"] == "known" and a_post["source"] == "newest post"
    assert (a_post["posts"], a_post["followers"]) == (10, 100)
    assert any("getAuthorFeed" in e["url"] and "limit=1" in e["url"] for e in a_post["evidence"])
    alice_posted = _at(a_post["last_activity_at"])
    assert abs(alice_posted - (started - timedelta(days=180) + timedelta(hours=2))) < timedelta(
        seconds=1
    )
    a_toot = _handle(alice, "mastodon")["activity"]
    assert a_toot["source"] == "last status" and a_toot["posts"] == 42
    assert _at(a_toot["last_activity_at"]).date() == (started - timedelta(days=400)).date()
    b_post = _handle(bob, "bluesky")["activity"]

    # Dormant vs active at the threshold (180 days), judged at the report's generated_at.
    assert generated - alice_posted < timedelta(days=180)
    assert a_post["dormant"] is False and a_post["dormant_after_days"] == 180
    assert generated - _at(b_post["last_activity_at"]) > timedelta(days=180)
    assert b_post["dormant"] is True
    assert a_toot["dormant"] is True
    brand_toot = next(r for r in brand["platforms"] if r["platform"] == "mastodon")["activity"]
    assert brand_toot["dormant"] is False
    brand_gh = next(r for r in brand["platforms"] if r["platform"] == "github")["activity"]
    assert brand_gh["dormant"] is True and brand_gh["source"] == "newest public event"
    # GitHub without events or public repositories: no date, said so, no verdict.
    bob_gh = _handle(bob, "github")["activity"]
    assert bob_gh["status"] == "unavailable" and bob_gh["dormant"] is None
    dormant_steps = [t for t in steps if t.startswith("Revive or retire the dormant")]
    assert sorted(dormant_steps) == [
        "Revive or retire the dormant Bluesky account bob.bsky.social of Bob Builder",
        "Revive or retire the dormant GitHub account acme",
        "Revive or retire the dormant Mastodon account alice@mastodon.social of Alice Example",
    ]
    assert "say in the bio where the brand moved" in steps[dormant_steps[0]]["detail"]
    # The brand's own verified domain handle is a claimed account too.
    domain_activity = brand["bluesky_domain"]["activity"]
    assert (domain_activity["source"], domain_activity["dormant"]) == ("newest post", False)
    # A dormant claimed account still counts as claimed.
    assert next(r for r in brand["platforms"] if r["platform"] == "github")["status"] == "claimed"


def test_people_and_activity_in_table_and_markdown(world: World, tmp_path: Path) -> None:
    _scenario(world, datetime.now(UTC))
    path = tmp_path / "brandaudit.toml"
    path.write_text(CONFIG, encoding="utf-8")
    table = world.run("check", "-c", str(path), *PLATFORMS, env=world.env(COLUMNS="160"))
    assert table.code == 0, table.stderr
    assert "People" in table.stdout
    assert "Alice Example (CEO); required: bluesky" in table.stdout
    assert "DORMANT: newest public event on 2020-01-01" in table.stdout
    assert "active: last status on" in table.stdout
    assert "@acme.com: active: newest post on" in table.stdout
    assert "not under the brand's domain (suggested: bob.acme.com)" in table.stdout
    markdown = world.run("check", "-c", str(path), "-f", "markdown", *PLATFORMS)
    assert markdown.code == 0, markdown.stderr
    assert "#### People" in markdown.stdout
    assert "**Bob Builder (Sales)**" in markdown.stdout
    assert "DORMANT: newest post on" in markdown.stdout


REQUIRED_MISSING = """
[brand]
domain = "acme.com"
handles = ["acme"]
discover = false

[[people]]
name = "Bob Builder"
handles = { bluesky = "bob.bsky.social", github = "bobby404" }
required = ["bluesky", "github"]
"""


def test_required_person_handle_sets_exit_code_sarif_and_junit(
    world: World, tmp_path: Path
) -> None:
    people = _scenario(world, datetime.now(UTC))
    people.listing_status = 500  # the brand's repository can't be listed
    p.github_not_found(world.http, "bobby404")
    result = _run(world, tmp_path, REQUIRED_MISSING)
    assert result.code == 1, result.stderr
    bob = _person(_brand(result), "Bob Builder")
    outcomes = {c["platform"]: c["outcome"] for c in bob["claims"]}
    assert outcomes == {"bluesky": "pass", "github": "fail"}  # dormant still claimed
    assert _handle(bob, "bluesky")["activity"]["dormant"] is True
    # No listing, no verdict either way: never "not issued".
    assert bob["bluesky"]["verification"]["status"] == "unknown"
    sarif = _run(world, tmp_path, REQUIRED_MISSING, "-f", "sarif")
    run = json.loads(sarif.stdout)["runs"][0]
    person_results = [r for r in run["results"] if r["ruleId"].startswith("person/")]
    assert [r["ruleId"] for r in person_results] == ["person/github"]
    assert person_results[0]["properties"]["person"] == "Bob Builder"
    # The "Fix:" comes from Bob's own GitHub result, not from a brand row.
    assert (
        "Fix: Create the account or organisation 'bobby404'" in person_results[0]["message"]["text"]
    )
    assert person_results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    junit = _run(world, tmp_path, REQUIRED_MISSING, "-f", "junit")
    assert 'name="claim bobby404 (required)"' in junit.stdout
    assert "Bob Builder: available" in junit.stdout
    actions = world.run(
        "check", "-p", "github", "-p", "bluesky", cwd=tmp_path, GITHUB_ACTIONS="true"
    )
    assert actions.code == 1, actions.stderr
    errors = [line for line in actions.stderr.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1
    assert "github claim bobby404" in errors[0] and "Bob Builder: available" in errors[0]
    assert errors[0].startswith("::error file=brandaudit.toml,line=7,")


HOMEPAGE = """<!doctype html><html><head>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "Organization", "@id": "https://acme.com/#org", "name": "Acme",
  "founder": {"@type": "Person", "name": "Carol Founder", "jobTitle": "CTO",
              "sameAs": ["https://github.com/carolf", "https://www.linkedin.com/in/carol-founder/",
                         "https://bsky.app/profile/carol.acme.com"]},
  "employee": [{"@id": "https://acme.com/#dave"}, {"@type": "Person", "name": "Alice Example"}],
  "member": {"@type": "Organization", "name": "Not a person"}},
 {"@type": "Person", "@id": "https://acme.com/#dave", "name": "Dave \\"D\\" Example",
  "sameAs": "https://mastodon.social/@dave"}
]}</script></head><body>Acme</body></html>"""


def test_people_named_in_json_ld_are_suggested(world: World, tmp_path: Path) -> None:
    _scenario(world, datetime.now(UTC))
    world.http.route("acme.com", "/", Reply.html(HOMEPAGE))
    config = CONFIG.replace("discover = false\n", "")
    result = _run(world, tmp_path, config)
    assert result.code == 0, result.stderr
    suggested = {s["name"]: s for s in _brand(result)["suggested_people"]}
    assert set(suggested) == {"Carol Founder", 'Dave "D" Example'}  # Alice is configured
    carol = suggested["Carol Founder"]
    assert carol["role"] == "founder" and carol["job_title"] == "CTO"
    assert carol["handles"] == {
        "github": "carolf",
        "linkedin": "carol-founder",
        "bluesky": "carol.acme.com",
    }
    assert suggested['Dave "D" Example']["handles"] == {"mastodon": "dave"}
    assert suggested['Dave "D" Example']["role"] == "employee"
    # The snippet is a ready [[people]] table brandaudit accepts as it is.
    from brandaudit.config import settings_from_mapping

    snippets = "".join(s["snippet"] for s in suggested.values())
    settings = settings_from_mapping(tomllib.loads(snippets))
    assert [(p.name, p.role, p.handles) for p in settings.people] == [
        ("Carol Founder", "CTO", carol["handles"]),
        ('Dave "D" Example', "employee", {"mastodon": "dave"}),
    ]
    # Suggested, not audited: nothing was asked about them.
    assert not world.http.requests_to("api.github.com") or all(
        "carolf" not in r.path for r in world.http.requests_to("api.github.com")
    )


LINKEDIN = """
[brand]
domain = "acme.com"
handles = ["acme"]
discover = false

[[people]]
name = "Alice Example"
handles = { linkedin = "alice-example" }

[[people]]
name = "Erin Hidden"
handles = { linkedin = "erin-hidden" }

[[people]]
name = "Frank Blocked"
handles = { linkedin = "frank-blocked" }
"""


def test_linkedin_people_use_member_profiles(world: World, tmp_path: Path) -> None:
    world.http.route(
        "www.linkedin.com",
        "/in/alice-example/",
        Reply.html(
            '<html><head><script type="application/ld+json">{"@context": "http://schema.org", '
            '"@graph": [{"@type": "Person", "name": "Alice Example", '
            '"url": "https://www.linkedin.com/in/alice-example"}]}</script></head></html>'
        ),
    )
    world.http.route("www.linkedin.com", "/in/erin-hidden/", Reply.html("<html>Sign in</html>"))
    world.http.route("www.linkedin.com", "/in/frank-blocked/", Reply(status=999))
    world.http.route("www.linkedin.com", "/company/acme/", Reply(status=999))
    path = tmp_path / "brandaudit.toml"
    path.write_text(LINKEDIN, encoding="utf-8")
    result = world.run("check", "-c", str(path), "-f", "json", "-p", "linkedin")
    assert result.code == 0, result.stderr
    brand = _brand(result)
    rows = {p["name"]: p["handles"][0] for p in brand["people"]}
    assert rows["Alice Example"]["status"] == "claimed"
    assert rows["Alice Example"]["url"] == "https://www.linkedin.com/in/alice-example/"
    assert rows["Alice Example"]["activity"]["status"] == "unavailable"
    assert rows["Erin Hidden"]["status"] == "unknown"  # 200 without markers: nothing decides
    assert rows["Frank Blocked"]["status"] == "unknown"
    assert "999" in rows["Frank Blocked"]["reason"]
    assert all(r["status"] != "available" for r in rows.values())
    paths = [r.path for r in world.http.requests_to("www.linkedin.com")]
    assert "/in/alice-example/" in paths and "/company/alice-example/" not in paths


def test_a_typo_in_a_people_platform_is_a_config_error(world: World, tmp_path: Path) -> None:
    path = tmp_path / "brandaudit.toml"
    path.write_text(
        '[brand]\ndomain = "acme.com"\n\n[[people]]\nname = "A"\nhandles = { blusky = "a" }\n',
        encoding="utf-8",
    )
    result = world.run("check", "-c", str(path), "-f", "json")
    assert result.code == 2
    assert result.stdout == ""
    assert "brandaudit.toml:6" in result.stderr and "unknown platform 'blusky'" in result.stderr
    assert "Traceback" not in result.stderr


def test_people_past_the_brand_deadline_stay_undecided(world: World, tmp_path: Path) -> None:
    slow = Reply.json({"error": "late"}, 500)
    slow.delay = 4.0
    world.http.route("public.api.bsky.app", "/xrpc/app.bsky.actor.getProfile", slow)
    path = tmp_path / "brandaudit.toml"
    path.write_text(REQUIRED_MISSING, encoding="utf-8")
    result = world.run(
        "check",
        "-c",
        str(path),
        "-f",
        "json",
        "-p",
        "bluesky",
        "--no-discover",
        BRANDAUDIT_BRAND_DEADLINE="1",
    )
    assert result.code == 3, result.stderr  # inconclusive, never a silent pass
    bob = _person(_brand(result), "Bob Builder")
    # github is left out of the run (-p bluesky): skipped like [claims], not undecided.
    assert [(c["platform"], c["handle"], c["outcome"]) for c in bob["claims"]] == [
        ("bluesky", "bob.bsky.social", "undecided")
    ]
